"""Reconcile our Form 8949 rows with a broker's realized lots: which sales differ, and why.

A broker's 1099-B knows only its own account: a replacement bought in another account, at
another broker, by a spouse or in an IRA is invisible to it, so its wash-sale amount and its
basis can differ from ours legitimately (realized-year.md §1.7). This module matches each
broker lot to one of our rows (same ticker, date sold and shares; the acquisition date
decides between candidates) and explains every difference in proceeds, basis, wash-sale
amount and type of gain. Parsing a broker's file into :class:`BrokerLot` is an importer's
job.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.form8949 import Form8949Row
from harvest_xl.engine.lots import normalise_ticker
from harvest_xl.engine.models import Term
from harvest_xl.engine.money import money
from harvest_xl.engine.realized_block import LotRelief

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class BrokerLot:
    """One realized lot of a broker's export (one line of its 1099-B detail).

    ``acquired`` is None for "VARIOUS" or a blank date; ``cost_basis`` None when the broker
    shows none (noncovered); ``wash_disallowed`` None when box 1g is blank; ``term`` None
    when box 2 is blank. ``account`` (optional) restricts the match to our rows of that
    account; ``row`` is the line in the broker's file, for messages.
    """

    ticker: str
    shares: Decimal
    acquired: date | None
    sold: date
    proceeds: Decimal
    cost_basis: Decimal | None
    wash_disallowed: Decimal | None
    term: Term | None
    account: str | None = None
    row: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "ticker", normalise_ticker(self.ticker))
        if self.shares <= 0:
            raise HarvestInputError("shares", f"{self.shares} is not a positive number of shares")
        for name in ("proceeds", "cost_basis", "wash_disallowed"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise HarvestInputError(name, f"{value} is negative")
        if self.acquired is not None and self.acquired > self.sold:
            raise HarvestInputError("acquired", f"{self.acquired} is after the sale {self.sold}")


class Difference(enum.Enum):
    """What differs between our row and the broker's lot."""

    PROCEEDS = "proceeds"
    COST_BASIS = "cost basis"
    WASH_DISALLOWED = "wash sale disallowed"
    TERM = "term"
    ONLY_OURS = "not in the broker's file"
    ONLY_BROKER = "not in Activity"


@dataclass(frozen=True, slots=True)
class FieldDifference:
    """One difference: our value, the broker's, and the likely reason."""

    kind: Difference
    ours: Decimal | Term | None
    broker: Decimal | Term | None
    reason: str


@dataclass(frozen=True, slots=True)
class SaleDifference:
    """A sale whose figures differ (or that one side lacks), with every difference."""

    ticker: str
    sold: date
    shares: Decimal
    account: str | None
    ours: Form8949Row | None
    broker: BrokerLot | None
    differences: tuple[FieldDifference, ...]


def reconcile(
    rows: Iterable[Form8949Row],
    broker_lots: Iterable[BrokerLot],
    *,
    accounts: Collection[str] | None = None,
) -> tuple[SaleDifference, ...]:
    """The sales where our Form 8949 rows and the broker's realized lots differ.

    ``rows`` must be in cents (not whole dollars), as the broker's are.
    ``accounts`` names our accounts the broker's file covers (None: all of them); rows of
    other accounts are neither matched nor reported. Matching: ticker, date sold and shares;
    among several candidates, a row whose purchase date (or holding-start date) is the
    broker's acquired date first, then the rest in order.

    Authority: Instructions for Form 8949 (2025), "Purpose of Form", codes B, T and W;
    Schedule D instructions, "Wash Sales" (a broker reports a wash sale only within one
    account and CUSIP); Rev. Rul. 2008-5.
    """
    ours_by_key: dict[tuple[str, date, Decimal], list[Form8949Row]] = defaultdict(list)
    for row in rows:
        if accounts is None or row.account in accounts:
            ours_by_key[(row.ticker, row.date_sold, row.shares)].append(row)
    result: list[SaleDifference] = []
    for lot in broker_lots:
        candidates = ours_by_key.get((lot.ticker, lot.sold, lot.shares), [])
        match = _take_match(candidates, lot)
        if match is None:
            result.append(_one_sided(None, lot))
            continue
        differences = compare(match, lot)
        if differences:
            result.append(
                SaleDifference(
                    lot.ticker, lot.sold, lot.shares, match.account, match, lot, differences
                )
            )
    for left in ours_by_key.values():
        result.extend(_one_sided(unmatched, None) for unmatched in left)
    return tuple(result)


def _take_match(candidates: list[Form8949Row], lot: BrokerLot) -> Form8949Row | None:
    """Remove and return the row that best matches ``lot`` (same account, then same date)."""
    usable = [
        i for i, row in enumerate(candidates) if lot.account is None or row.account == lot.account
    ]
    if not usable:
        return None
    dated = [
        i for i in usable if lot.acquired in (candidates[i].acquired, candidates[i].date_acquired)
    ]
    return candidates.pop((dated or usable)[0])


def _one_sided(row: Form8949Row | None, lot: BrokerLot | None) -> SaleDifference:
    if row is not None:
        difference = FieldDifference(
            Difference.ONLY_OURS,
            row.proceeds,
            None,
            "this sale is in Activity but not in the broker's file: check the account, the "
            "date sold and the number of shares (a sale split differently matches no lot)",
        )
        return SaleDifference(
            row.ticker, row.date_sold, row.shares, row.account, row, None, (difference,)
        )
    assert lot is not None
    difference = FieldDifference(
        Difference.ONLY_BROKER,
        None,
        lot.proceeds,
        "the broker reports this sale but Activity has no sale of this ticker, date and number "
        "of shares in the accounts compared: add it to Activity or check the share count",
    )
    return SaleDifference(lot.ticker, lot.sold, lot.shares, lot.account, None, lot, (difference,))


def compare(row: Form8949Row, lot: BrokerLot) -> tuple[FieldDifference, ...]:
    """Each field of the matched pair that differs, with its likely reason."""
    differences: list[FieldDifference] = []
    proceeds = _cents(lot.proceeds)
    if row.proceeds != proceeds:
        differences.append(
            FieldDifference(
                Difference.PROCEEDS,
                row.proceeds,
                proceeds,
                "proceeds differ: the broker reports them net of commissions and fees; check "
                "the sale's price, shares and fees in Activity",
            )
        )
    basis = _basis_difference(row, lot)
    if basis is not None:
        differences.append(basis)
    wash = _wash_difference(row, lot)
    if wash is not None:
        differences.append(wash)
    if lot.term is not None and row.term is not None and lot.term is not row.term:
        reason = (
            "the holding period includes a washed lot's bought elsewhere, which the broker "
            "cannot see (IRC §1223(3)): code T"
            if "T" in row.code
            else "the type of gain differs: check the purchase date in Activity"
        )
        differences.append(FieldDifference(Difference.TERM, row.term, lot.term, reason))
    return tuple(differences)


def _basis_difference(row: Form8949Row, lot: BrokerLot) -> FieldDifference | None:
    if lot.cost_basis is None:
        return None
    broker = _cents(lot.cost_basis)
    ours = row.correct_basis
    if ours is None:
        return FieldDifference(
            Difference.COST_BASIS,
            None,
            broker,
            "our basis is unknown: if the broker's basis is right, name this lot in Activity",
        )
    if broker == ours:
        return None
    if broker == row.reported_basis:
        reason = (
            "the broker reports the cost paid; our basis also carries a loss disallowed on a "
            "sale in another account or at another broker, which the broker cannot see "
            "(IRC §1091(d)): code B on Form 8949"
        )
    elif row.relief is LotRelief.FIFO:
        reason = (
            "the sale named no lot and Activity relieved the earliest purchase (FIFO); the "
            "broker may have sold another lot: name the lot in Activity"
        )
    else:
        reason = (
            "basis differs: check the purchase's cost in Activity, and any earlier wash sale "
            "the broker applied that Activity does not show"
        )
    return FieldDifference(Difference.COST_BASIS, ours, broker, reason)


def _wash_difference(row: Form8949Row, lot: BrokerLot) -> FieldDifference | None:
    broker = ZERO if lot.wash_disallowed is None else _cents(lot.wash_disallowed)
    ours = row.wash_disallowed
    if broker == ours:
        return None
    if ours < broker:
        reason = (
            "the broker disallowed more: it saw a purchase within 30 days that Activity "
            "lacks, or matched other shares; check Activity's purchases around the sale"
        )
    elif row.lost_for_good and ours - broker <= row.lost_for_good:
        reason = (
            "the replacement was bought in an IRA or Roth IRA, which the broker cannot see: "
            "the loss is disallowed and lost for good (Rev. Rul. 2008-5): code W"
        )
    elif row.lost_for_good:
        reason = (
            "replacements were bought in another account and in an IRA, which the broker "
            "cannot see: code W (the IRA part is lost for good, Rev. Rul. 2008-5)"
        )
    else:
        reason = (
            "the replacement was bought in another account, at another broker or by a "
            "spouse, which the broker cannot see: code W, and the loss moves into the "
            "replacement's basis (IRC §1091(a), (d))"
        )
    return FieldDifference(Difference.WASH_DISALLOWED, ours, broker, reason)


def _cents(amount: Decimal) -> Decimal:
    return money(amount)
