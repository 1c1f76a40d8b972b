"""Input models and row parsing: spellings people type, and clear errors otherwise."""

from __future__ import annotations

import dataclasses
import pickle
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
from harvest_xl.inputs.cells import to_date, to_decimal


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
        ("TRANSFER IN", Action.TRANSFER_IN),
        ("Transfer_in", Action.TRANSFER_IN),
        ("ACAT in", Action.TRANSFER_IN),
        ("transfer out", Action.TRANSFER_OUT),
        ("Stock split", Action.SPLIT),
        ("SPLIT", Action.SPLIT),
    ],
)
def test_action_synonyms(text: str, action: Action) -> None:
    """Broker and payroll wording maps onto BUY, SELL, a transfer or a split."""
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


@pytest.mark.parametrize("action", [Action.SELL, Action.TRANSFER_OUT])
def test_a_row_taking_shares_away_names_its_lot_whole_or_not_at_all(action: Action) -> None:
    """A SELL or TRANSFER OUT names both the cost basis and the acquired date, or neither
    (first in, first out); one without the other is refused, naming the missing field."""
    with pytest.raises(HarvestInputError) as raised:
        _sale(action=action, cost_basis=None)
    assert raised.value.argument == "cost_basis"
    with pytest.raises(HarvestInputError) as raised:
        _sale(action=action, acquired=None)
    assert raised.value.argument == "acquired"
    fifo = _sale(action=action, cost_basis=None, acquired=None)
    assert (fifo.cost_basis, fifo.acquired, fifo.names_lot) == (None, None, False)
    assert _sale(action=action).names_lot


def test_a_transfer_in_needs_its_basis_and_date() -> None:
    """Shares arriving keep their own acquired date and basis: both are required."""
    with pytest.raises(HarvestInputError) as raised:
        _sale(action=Action.TRANSFER_IN, cost_basis=None, acquired=None)
    assert raised.value.argument == "cost_basis"
    with pytest.raises(HarvestInputError) as raised:
        _sale(action=Action.TRANSFER_IN, acquired=None)
    assert raised.value.argument == "acquired"
    assert _sale(action=Action.TRANSFER_IN).acquired == date(2024, 3, 3)


def _sale(**changes: object) -> Activity:
    values: dict[str, object] = {
        "date": date(2025, 3, 3),
        "account": "A",
        "account_type": AccountType.TAXABLE,
        "action": Action.SELL,
        "ticker": " vti ",
        "shares": Decimal(2),
        "price": Decimal("10.5"),
        "cost_basis": Decimal(30),
        "acquired": date(2024, 3, 3),
    }
    return Activity(**(values | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "argument"),
    [
        ({"shares": Decimal(0)}, "shares"),
        ({"shares": Decimal("-0.001")}, "shares"),
        ({"price": Decimal("-0.01")}, "price"),
        ({"cost_basis": Decimal("-0.01")}, "cost_basis"),
        ({"acquired": date(2025, 3, 4)}, "acquired"),
        ({"ticker": "  "}, "ticker"),
    ],
)
def test_activity_refuses_each_bad_field(changes: dict[str, object], argument: str) -> None:
    """Each rule of an activity row names its field: no shares, a negative price or basis,
    shares acquired after they were sold, a blank ticker."""
    with pytest.raises(HarvestInputError) as raised:
        _sale(**changes)
    assert raised.value.argument == argument


def test_activity_accepts_each_boundary() -> None:
    """The other side of each rule: a free share (price 0), a zero basis, shares sold on the
    day they were bought, a fraction of a share, and a BUY with no basis or acquired date."""
    assert _sale(price=Decimal(0)).price == 0
    assert _sale(cost_basis=Decimal(0)).cost_basis == 0
    assert _sale(acquired=date(2025, 3, 3)).acquired == date(2025, 3, 3)
    assert _sale(shares=Decimal("0.001")).shares == Decimal("0.001")
    buy = _sale(action=Action.BUY, cost_basis=None, acquired=None)
    assert (buy.cost_basis, buy.acquired, buy.owner, buy.row) == (None, None, Owner.SELF, None)


def test_activity_is_a_plain_frozen_record() -> None:
    """Fields by position or keyword (the ticker normalised); equality leaves out the row;
    frozen; ``dataclasses.replace``, pickling and the repr work as for any dataclass."""
    by_keyword = _sale(owner=Owner.SPOUSE, row=7)  # its ticker is " vti "
    values = (
        date(2025, 3, 3),
        "A",
        AccountType.TAXABLE,
        Action.SELL,
        "VTI",
        Decimal(2),
        Decimal("10.5"),
        Decimal(30),
        date(2024, 3, 3),
        Owner.SPOUSE,
    )
    by_position = Activity(*values, 8)
    assert dataclasses.astuple(by_keyword) == (*values, 7)
    assert by_keyword == by_position and hash(by_keyword) == hash(by_position)
    assert by_keyword != dataclasses.replace(by_keyword, shares=Decimal(3))
    assert dataclasses.replace(by_keyword, row=9).row == 9
    assert pickle.loads(pickle.dumps(by_keyword)) == by_keyword
    assert repr(by_keyword).startswith("Activity(date=datetime.date(2025, 3, 3), account='A'")
    with pytest.raises(dataclasses.FrozenInstanceError):
        by_keyword.shares = Decimal(1)  # type: ignore[misc]
    with pytest.raises(HarvestInputError, match="shares"):
        dataclasses.replace(by_keyword, shares=Decimal(0))


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
