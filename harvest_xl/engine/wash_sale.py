"""Realized wash sales across every account and owner: §1091 and Reg. §1.1091-1, share by share.

:func:`analyse_wash_sales` splits the Activity rows by identical group (a ticker is always
identical to itself, tax-rules.md §3.3), puts each group in trade order (by date, then as
the table lists the rows: ``Activity.row``, else input order; never by account name, size
or price) and runs its share-by-share ledger (:mod:`harvest_xl.engine.ledger`). The result
holds every match, every realized block (the Form 8949 rows' facts), what held shares
still carry, and the shares that could still replace a loss.

**Shares bought and disposed of before the loss sale are not replacements.** §1091(a)
speaks of substantially identical stock the taxpayer "has acquired" in the 61 days, and
§1091(d) then gives the disallowed loss to the basis of the stock "the acquisition of which
resulted in the nondeductibility". The engine reads the two together: a replacement is a
share acquired in the window that the taxpayer still holds at the end of the loss sale's
day, or acquires after it. Shares bought and sold (or transferred out) before then
continue no position and can carry no basis increase: taking them as replacements would
reopen an earlier disposition (possibly of an earlier, filed year) against the order of
disposition of Reg. §1.1091-1(b), and tax-rules.md §3.9 records that brokers differ and no
authority decides it. Under this reading no dollar is lost: either a held replacement
carries the disallowed loss in its basis, or the loss stays allowed on its sale. A purchase
of which only some shares are still held replaces with those shares (the issue's defect 1).

Other conventions: same-day dispositions are treated as simultaneous, so a day's loss
blocks are matched together at its end in order of original acquisition (Reg.
§1.1091-1(b)); the shares of the loss block's own purchase never replace it (a same-day
*separate* purchase does); transfers in and splits are not purchases, so never
replacements; a SELL that names no lot is relieved first in, first out (Reg.
§1.1012-1(c)(1)).
"""

from __future__ import annotations

from collections.abc import Iterable, KeysView, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import NamedTuple

from harvest_xl.engine.ledger import GroupLedger, HeldKey
from harvest_xl.engine.lots import Activity, IdenticalGroups, Lot
from harvest_xl.engine.models import WashSalePolicy
from harvest_xl.engine.realized_block import RealizedBlock
from harvest_xl.engine.wash_records import HeldBlock, ReplacementShares, WashSaleMatch
from harvest_xl.engine.wash_rules import (
    ZERO,
    money,
    replacement_reason,
    replacement_treatment,
    safe_rebuy_date,
    wash_window,
    wash_window_days,
)

__all__ = [
    "HeldBlock",
    "HeldKey",
    "ReplacementShares",
    "WashSaleMatch",
    "WashSaleResult",
    "WashTotals",
    "analyse_wash_sales",
    "match_wash_sales",
    "money",
    "replacement_reason",
    "replacement_treatment",
    "safe_rebuy_date",
    "wash_window",
    "wash_window_days",
]


class WashTotals(NamedTuple):
    """The realized wash sales' loss disallowed, the part deferred into replacements' basis
    and the part lost for good (IRC §1091(a), (d); Rev. Rul. 2008-5)."""

    disallowed: Decimal
    deferred: Decimal
    lost_for_good: Decimal


class Carried(NamedTuple):
    """What the held shares of one (account, ticker, acquired date) carry: how many there
    are, the disallowed loss in their basis, and their holding start when they all share
    one (None when they differ)."""

    held_shares: Decimal
    adjustment: Decimal
    holding_start: date | None


class CarriedTable:
    """:class:`Carried` by (account, ticker, acquired date), kept as one dict per fact of
    plain values (a result keeps it for as long as it lives: no object per entry for the
    cycle collector to scan); :meth:`get` builds the record."""

    __slots__ = ("adjustment", "held_shares", "holding_start")

    def __init__(self) -> None:
        self.held_shares: dict[HeldKey, Decimal] = {}
        self.adjustment: dict[HeldKey, Decimal] = {}
        self.holding_start: dict[HeldKey, date | None] = {}

    def put(self, key: HeldKey, carried: Carried) -> None:
        self.held_shares[key] = carried.held_shares
        self.adjustment[key] = carried.adjustment
        self.holding_start[key] = carried.holding_start

    def get(self, key: HeldKey) -> Carried | None:
        held = self.held_shares.get(key)
        if held is None:
            return None
        return Carried(
            held_shares=held,
            adjustment=self.adjustment[key],
            holding_start=self.holding_start[key],
        )

    def keys(self) -> KeysView[HeldKey]:
        return self.held_shares.keys()


@dataclass(frozen=True, slots=True)
class WashSaleResult:
    """What the ledger found. ``transferred_out``: the blocks moved out by TRANSFER OUT
    rows, with what they carry; ``realized``: the totals; :attr:`matches` and the blocks
    are read from the ledgers when asked for."""

    transferred_out: tuple[HeldBlock, ...]
    realized: WashTotals
    policy: WashSalePolicy
    _ledgers: Mapping[str, GroupLedger] = field(default_factory=dict, compare=False, repr=False)
    """Each identical group's ledger, by group key in key order."""
    _carried: CarriedTable = field(default_factory=CarriedTable, compare=False, repr=False)
    _read: dict[str, tuple[WashSaleMatch, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """The matches once built (an evaluation never reads them; a sheet reads them twice)."""

    @property
    def matches(self) -> tuple[WashSaleMatch, ...]:
        """Every loss block x replacement (and, with ``counted`` False, each purchase the
        policy does not count), by identical group in the order they were matched."""
        found = self._read.get("matches")
        if found is None:
            found = self._read["matches"] = tuple(
                match for ledger in self._ledgers.values() for match in ledger.matches()
            )
        return found

    @property
    def realized_blocks(self) -> tuple[RealizedBlock, ...]:
        """Every block of every sale (Form 8949's facts), by identical group in trade order."""
        return tuple(
            block for ledger in self._ledgers.values() for block in ledger.realized_blocks()
        )

    def realized_between(self, first: date, last: date) -> tuple[RealizedBlock, ...]:
        """The blocks of the sales made from ``first`` to ``last``: :attr:`realized_blocks`
        of those days only, without building the others."""
        return tuple(
            block
            for ledger in self._ledgers.values()
            for block in ledger.realized_blocks(first, last)
        )

    def realized_in_year(self, year: int) -> tuple[RealizedBlock, ...]:
        """The blocks of the sales made in ``year``: all that year's Form 8949 and
        Schedule D read (IRC §1222: a sale counts in the year it is made)."""
        return self.realized_between(date(year, 1, 1), date(year, 12, 31))

    @property
    def risks(self) -> tuple[WashSaleMatch, ...]:
        """The rows of purchases the policy does not count (employer plans and HSAs under
        policy ignore): shown with their reason, nothing disallowed."""
        return tuple(m for m in self.matches if not m.counted)

    @property
    def held_blocks(self) -> tuple[HeldBlock, ...]:
        """Every block still held at the end of the table, in every account."""
        return tuple(block for ledger in self._ledgers.values() for block in ledger.held_blocks())

    @property
    def adjusted_purchases(self) -> KeysView[HeldKey]:
        """(account, ticker, acquired) of the held shares that carry a wash-sale adjustment
        or a tacked holding period: for any other lot :meth:`adjustment_for` gives none."""
        return self._carried.keys()

    def adjustment_for(self, lot: Lot) -> tuple[Decimal, date | None]:
        """The basis increase and tacked holding start of a held lot, from the ledger's held
        shares of its account, ticker and acquired date: the increase pro rata to the lot's
        shares (a Holdings table may list one purchase on several rows); the holding start
        when every such share has the same one.

        Authority: IRC §1091(d), §1223(3).
        """
        found = self._carried.get((lot.account, lot.ticker, lot.acquired))
        if found is None or found.held_shares <= ZERO:
            return ZERO, None
        increase = found.adjustment
        if lot.shares < found.held_shares:
            increase = increase * lot.shares / found.held_shares
        start = found.holding_start
        return money(increase), None if start == lot.acquired else start

    def replacements_between(self, first: date, last: date) -> dict[str, list[ReplacementShares]]:
        """The purchases dated ``first`` to ``last`` (inclusive) by identical-group key, in
        trade order, each with the shares it could still replace (held at the end of the
        table and not used: Reg. §1.1091-1(e)); groups without one are left out."""
        out = {}
        for key in self._ledgers:
            found = self.group_replacements_between(key, first, last)
            if found:
                out[key] = found
        return out

    def group_replacements_between(
        self, key: str, first: date, last: date
    ) -> list[ReplacementShares]:
        """:meth:`replacements_between` of one identical group (its key), without reading
        the others: a sale priced on a later day asks about its own group only."""
        ledger = self._ledgers.get(key)
        return [] if ledger is None else ledger.replacement_shares(first, last)


def analyse_wash_sales(
    activity: Iterable[Activity],
    identical: IdenticalGroups | None = None,
    policy: WashSalePolicy = WashSalePolicy.CONSERVATIVE,
) -> WashSaleResult:
    """Run the share-by-share ledger over every identical group of ``activity``.

    Authority: IRC §1091(a), (d); Reg. §1.1091-1(a)-(e); Rev. Rul. 2008-5; IRC §1223(3);
    Reg. §1.1012-1(c); tax-rules.md §3.
    """
    ledgers = []
    for key, rows in sorted(trade_order(activity, identical or IdenticalGroups()).items()):
        ledger = GroupLedger(rows, policy)
        ledger.run()
        ledgers.append((key, ledger))
    deferred = sum((ledger.deferred for _, ledger in ledgers), ZERO)
    lost = sum((ledger.lost_for_good for _, ledger in ledgers), ZERO)
    carried = CarriedTable()
    for _, ledger in ledgers:
        for held_key, (held, adjustment, starts) in ledger.carried().items():
            start = starts.pop() if len(starts) == 1 else None
            carried.put(held_key, Carried(held, adjustment, start))
    return WashSaleResult(
        tuple(block for _, ledger in ledgers for block in ledger.transferred_out),
        WashTotals(deferred + lost, deferred, lost),
        policy,
        dict(ledgers),
        carried,
    )


def trade_order(
    activity: Iterable[Activity], identical: IdenticalGroups
) -> dict[str, list[Activity]]:
    """The rows of each identical group in trade order: by date, then as the table lists
    them (``Activity.row``, else the input position; equal ones in input order)."""
    rows = list(activity)
    groups, in_table_order = _by_group(rows, identical)
    if not in_table_order:  # rows not given in table order: put them in it, and group again
        listed_at = [i if act.row is None else act.row for i, act in enumerate(rows)]
        rows = [rows[i] for i in sorted(range(len(rows)), key=listed_at.__getitem__)]
        groups, _ = _by_group(rows, identical)
    for group in groups.values():
        group.sort(key=attrgetter("date"))  # stable: same-day rows stay in table order
    return groups


def _by_group(
    rows: list[Activity], identical: IdenticalGroups
) -> tuple[dict[str, list[Activity]], bool]:
    """The rows of each identical group in input order (one pass; each ticker's group is
    looked up once), and whether the input is in table order."""
    groups: dict[str, list[Activity]] = {}
    of_ticker: dict[str, list[Activity]] = {}
    previous, in_table_order = -1, True
    for position, act in enumerate(rows):
        listed = position if act.row is None else act.row
        in_table_order = in_table_order and listed >= previous
        previous = listed
        group = of_ticker.get(act.ticker)
        if group is None:
            group = of_ticker[act.ticker] = groups.setdefault(identical.key(act.ticker), [])
        group.append(act)
    return groups, in_table_order


def match_wash_sales(
    activity: Iterable[Activity],
    identical: IdenticalGroups | None = None,
    policy: WashSalePolicy = WashSalePolicy.CONSERVATIVE,
) -> list[WashSaleMatch]:
    """Every (loss block, replacement) match in ``activity``, with the rows of purchases
    the policy does not count.

    Authority: IRC §1091(a), (d); Reg. §1.1091-1(a)-(e); Rev. Rul. 2008-5; IRC §1223(3).
    """
    return list(analyse_wash_sales(activity, identical, policy).matches)
