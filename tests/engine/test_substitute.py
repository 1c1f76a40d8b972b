"""Which substitute a planned sale names (issue 20): one the Securities sheet lists outside
the lot's identical group, with no purchase made or scheduled within 30 days and no loss
sold in the 30 days before (buying it would replace that loss, IRC §1091(a))."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import pytest

from harvest_xl.engine.lots import Activity, Frequency, IdenticalGroups, Recurring
from harvest_xl.engine.models import AccountType, WashSalePolicy
from harvest_xl.engine.substitute import choose_substitute, recent_loss_groups
from harvest_xl.engine.wash_risk import PurchaseIndex
from harvest_xl.engine.wash_sale import analyse_wash_sales

from .wash_helpers import AS_OF, buy, sell

GROUPS = IdenticalGroups({"VTI": "US", "ITOT": "US2", "SCHB": "US3"})


def _index(acts: Sequence[Activity], plans: Sequence[Recurring] = ()) -> PurchaseIndex:
    return PurchaseIndex.from_activity(acts, plans, GROUPS, AS_OF, {}, WashSalePolicy.CONSERVATIVE)


def test_the_first_listed_substitute_with_nothing_around_it() -> None:
    """Nothing bought or sold: the first one listed."""
    assert choose_substitute(("ITOT", "SCHB"), _index([]), frozenset()) == ("ITOT", "")


@pytest.mark.parametrize(
    ("day", "passed"), [(-30, True), (-31, False), (30, True), (31, False)],
    ids=["bought day -30", "day -31", "day +30", "day +31"],
)  # fmt: skip
def test_a_purchase_within_the_window_passes_it_over(day: int, passed: bool) -> None:
    """ITOT bought 30 days before or after is passed over; 31 days is outside."""
    when = (AS_OF + timedelta(days=day)).isoformat()
    found = choose_substitute(
        ("ITOT", "SCHB"), _index([buy(when, 1, 100, ticker="ITOT")]), frozenset()
    )
    assert found == (("SCHB", "") if passed else ("ITOT", ""))


def test_a_scheduled_purchase_passes_it_over() -> None:
    """A monthly ITOT purchase in 5 days: passed over, and with nothing else listed the
    answer is None with the reason."""
    plan = Recurring(
        "401k", AccountType.TRADITIONAL_401K, "ITOT", Decimal(100), Frequency.MONTHLY,
        AS_OF + timedelta(days=5),
    )  # fmt: skip
    assert choose_substitute(("ITOT",), _index([], [plan]), frozenset()) == (
        None,
        "No substitute: ITOT (bought or scheduled within 30 days)",
    )


def test_a_recent_loss_sale_passes_it_over() -> None:
    """SCHB sold at a loss 20 days ago: buying it today would wash that loss."""
    acts = [
        sell("2025-11-08", 10, 50, basis=800, acquired="2024-01-02", ticker="SCHB"),
    ]
    wash = analyse_wash_sales(acts, GROUPS)
    losses = recent_loss_groups(wash, GROUPS, AS_OF)
    assert losses == frozenset({GROUPS.key("SCHB")})
    assert recent_loss_groups(wash, GROUPS, date(2025, 12, 9)) == frozenset()  # day +31
    assert choose_substitute(("SCHB", "ITOT"), _index(acts), losses) == ("ITOT", "")


def test_nothing_listed() -> None:
    """No substitute on the Securities sheet: None, and it says so."""
    assert choose_substitute((), _index([]), frozenset()) == (
        None,
        "No substitute listed on the Securities sheet",
    )
