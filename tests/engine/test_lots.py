"""Input models and row parsing: spellings people type, and clear errors otherwise."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.lots import (
    Action,
    Activity,
    Frequency,
    IdenticalGroups,
    Lot,
    Owner,
)
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.rows import to_date, to_decimal


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("BUY", Action.BUY),
        ("Bought", Action.BUY),
        ("Reinvest", Action.BUY),
        ("Dividend reinvestment", Action.BUY),
        ("Contribution", Action.BUY),
        ("sell", Action.SELL),
        ("Sold", Action.SELL),
    ],
)
def test_action_synonyms(text: str, action: Action) -> None:
    """Broker and payroll wording maps onto BUY or SELL."""
    assert Action.parse(text) is action


def test_unknown_action_names_the_argument() -> None:
    """'Gift' is neither a purchase nor a sale."""
    with pytest.raises(HarvestInputError, match="action"):
        Action.parse("Gift")


@pytest.mark.parametrize(
    ("text", "owner"),
    [(None, Owner.SELF), ("", Owner.SELF), ("Spouse", Owner.SPOUSE), ("me", Owner.SELF)],
)
def test_owner(text: object, owner: Owner) -> None:
    """Blank means the taxpayer; 'spouse' marks a spouse's account."""
    assert Owner.parse(text) is owner


def test_frequency_spellings() -> None:
    """'Every 2 weeks' and 'bi-weekly' are biweekly; 'yearly' is annually."""
    assert Frequency.parse("Every 2 weeks") is Frequency.BIWEEKLY
    assert Frequency.parse("bi-weekly") is Frequency.BIWEEKLY
    assert Frequency.parse("Yearly") is Frequency.ANNUALLY
    with pytest.raises(HarvestInputError, match="frequency"):
        Frequency.parse("sometimes")


def test_tickers_are_case_insensitive_and_identical_to_themselves() -> None:
    """A ticker is always identical to itself; groups are matched ignoring case."""
    groups = IdenticalGroups.from_pairs([("voo", "sp500"), ("IVV", "SP500"), ("BND", None)])
    assert groups.identical("VOO", "IVV")
    assert groups.identical("BND", "BND")
    assert not groups.identical("BND", "VOO")
    with pytest.raises(HarvestInputError, match="two groups"):
        IdenticalGroups.from_pairs([("VOO", "a"), ("VOO", "b")])


def test_sell_row_needs_basis_and_acquired() -> None:
    """A SELL row without its cost basis or acquisition date is rejected, naming the field."""
    with pytest.raises(HarvestInputError, match="cost_basis"):
        Activity(
            date(2025, 1, 2),
            "A",
            AccountType.TAXABLE,
            Action.SELL,
            "X",
            Decimal(1),
            Decimal(1),
            None,
            date(2024, 1, 1),
        )
    with pytest.raises(HarvestInputError, match="acquired"):
        Activity(
            date(2025, 1, 2),
            "A",
            AccountType.TAXABLE,
            Action.SELL,
            "X",
            Decimal(1),
            Decimal(1),
            Decimal(5),
            None,
        )


def test_lot_values() -> None:
    """Market value is shares × price; gain is value minus basis."""
    lot = Lot(
        "A",
        AccountType.TAXABLE,
        "x",
        Decimal(10),
        date(2024, 1, 2),
        Decimal(120),
        Decimal("11.5"),
        date(2025, 1, 2),
    )
    assert (lot.ticker, lot.market_value, lot.gain) == ("X", Decimal("115.0"), Decimal("-5.0"))
    with pytest.raises(HarvestInputError, match="shares"):
        Lot(
            "A",
            AccountType.TAXABLE,
            "X",
            Decimal(0),
            date(2024, 1, 2),
            Decimal(1),
            Decimal(1),
            date(2025, 1, 2),
        )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, Decimal(5)),
        (0.1, Decimal("0.1")),
        ("$1,234.50", Decimal("1234.50")),
        (Decimal("2.5"), Decimal("2.5")),
    ],
)
def test_to_decimal(value: object, expected: Decimal) -> None:
    """Cell numbers: floats by their shortest repr, text with $ and thousands separators."""
    assert to_decimal(value, "x") == expected


@pytest.mark.parametrize("value", [None, True, "abc", float("nan"), float("inf"), [1]])
def test_to_decimal_rejects(value: object) -> None:
    """Blank, booleans, text, NaN, infinities and lists are not numbers."""
    with pytest.raises(HarvestInputError):
        to_decimal(value, "x")


def test_to_date() -> None:
    """date, datetime and ISO text are dates; anything else names the argument."""
    assert to_date(datetime(2025, 3, 4, 10, 0), "d") == date(2025, 3, 4)
    assert to_date("2025-03-04", "d") == date(2025, 3, 4)
    with pytest.raises(HarvestInputError, match="d: '2025-13-01' is not a date"):
        to_date("2025-13-01", "d")
