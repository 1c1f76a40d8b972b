"""Holding period boundaries (tax-rules.md §1.2, §8.7) and §1223(3) tacking."""

from __future__ import annotations

from datetime import date

import pytest

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.holding import (
    anniversary,
    days_until_long_term,
    holding_term,
    long_term_date,
    tacked_holding,
)
from harvest_xl.engine.models import Term

D = date.fromisoformat


@pytest.mark.parametrize(
    ("acquired", "sold", "term"),
    [
        pytest.param("2023-03-01", "2024-03-01", Term.SHORT, id="HP-1 exactly one year (366 days)"),
        pytest.param("2023-03-01", "2024-03-02", Term.LONG, id="HP-2 a year and a day"),
        pytest.param("2024-02-29", "2025-02-28", Term.SHORT, id="HP-3 Feb 29 lot on Feb 28"),
        pytest.param("2024-02-29", "2025-03-01", Term.LONG, id="HP-4 Feb 29 lot on Mar 1"),
        # HP-5: the anniversary reading (Rev. Rul. 70-598) is the documented convention.
        pytest.param("2023-02-28", "2024-02-29", Term.LONG, id="HP-5 anniversary convention"),
        pytest.param("2023-02-28", "2024-02-28", Term.SHORT, id="HP-5 day before is short-term"),
        pytest.param("2024-06-15", "2024-06-15", Term.SHORT, id="same day"),
        pytest.param("2022-01-10", "2023-01-10", Term.SHORT, id="common year anniversary"),
        pytest.param("2022-01-10", "2023-01-11", Term.LONG, id="common year day after"),
    ],
)
def test_holding_term_boundaries(acquired: str, sold: str, term: Term) -> None:
    """Long-term only when sold after the anniversary (IRC §1222)."""
    assert holding_term(D(acquired), D(sold)) is term


def test_feb_29_anniversary_is_feb_28() -> None:
    """A Feb 29 purchase's first year ends on Feb 28, not Mar 1 (tax-rules.md §1.2 trap)."""
    assert anniversary(D("2024-02-29")) == D("2025-02-28")
    assert long_term_date(D("2024-02-29")) == D("2025-03-01")


def test_long_term_date_ordinary() -> None:
    """The first long-term day is the day after the anniversary."""
    assert long_term_date(D("2023-03-01")) == D("2024-03-02")


@pytest.mark.parametrize(
    ("as_of", "days"),
    [("2024-03-01", 1), ("2024-03-02", 0), ("2024-03-03", 0), ("2023-03-02", 366)],
)
def test_days_until_long_term(as_of: str, days: int) -> None:
    """Counts down to the first long-term day and stops at zero."""
    assert days_until_long_term(D("2023-03-01"), D(as_of)) == days


def test_sale_before_purchase_is_an_error() -> None:
    """A sale date before the acquisition date names the argument."""
    with pytest.raises(HarvestInputError, match="as_of"):
        holding_term(D("2024-05-02"), D("2024-05-01"))


def test_tacking_moves_the_start_back_by_the_days_held() -> None:
    """§1223(3): the replacement counts the 100 days the sold shares were held."""
    t = tacked_holding(D("2024-01-01"), D("2024-04-10"), D("2024-04-20"))
    assert (t.sale_date - t.sold_holding_start).days == 100
    assert t.holding_start == D("2024-01-11")
    assert t.replacement_date == D("2024-04-20")
