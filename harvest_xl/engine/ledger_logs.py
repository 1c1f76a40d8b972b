"""What a wash-sale ledger keeps once a day is closed: its matches and its realized blocks,
as columns of plain values (one list per fact, not one object per match or block).

A result keeps every ledger for as long as it lives, and most evaluations read only a few of
these (the blocks of one year; no match at all): an object per entry would be one more for
Python's cycle collector to scan over and over, for nothing. The records handed out
(:class:`~harvest_xl.engine.wash_records.WashSaleMatch`,
:class:`~harvest_xl.engine.realized_block.RealizedBlock`) are built from these columns when
they are read (``ledger.py``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from harvest_xl.engine.realized_block import LotRelief


class MatchFacts(NamedTuple):
    """One match as the ledger knows it: the loss sale's and the purchase's places in trade
    order, the replacement shares, the loss disallowed, the sold shares' holding start when
    the loss moved into the purchase's basis (None: lost for good, or not counted) and
    whether the policy counts the purchase."""

    sale: int
    purchase: int
    shares: Decimal
    disallowed: Decimal
    sold_holding_start: date | None
    counted: bool


class MatchLog:
    """The matches of one ledger, in the order they were made."""

    __slots__ = ("counted", "disallowed", "purchases", "sales", "shares", "sold_holding_starts")

    def __init__(self) -> None:
        self.sales: list[int] = []
        self.purchases: list[int] = []
        self.shares: list[Decimal] = []
        self.disallowed: list[Decimal] = []
        self.sold_holding_starts: list[date | None] = []
        self.counted: list[bool] = []

    def add(self, facts: MatchFacts) -> None:
        self.sales.append(facts.sale)
        self.purchases.append(facts.purchase)
        self.shares.append(facts.shares)
        self.disallowed.append(facts.disallowed)
        self.sold_holding_starts.append(facts.sold_holding_start)
        self.counted.append(facts.counted)

    def __iter__(self) -> Iterator[MatchFacts]:
        columns = zip(
            self.sales,
            self.purchases,
            self.shares,
            self.disallowed,
            self.sold_holding_starts,
            self.counted,
            strict=True,
        )
        for sale, purchase, shares, disallowed, sold_start, counted in columns:
            yield MatchFacts(
                sale=sale,
                purchase=purchase,
                shares=shares,
                disallowed=disallowed,
                sold_holding_start=sold_start,
                counted=counted,
            )


class BlockFacts(NamedTuple):
    """One realized block as the ledger knows it: its sale's place in trade order and the
    block's own facts (``relief`` None: the sale's whole row is one block of a lot bought
    before the table, and the row says all of it)."""

    sale: int
    shares: Decimal | None = None
    acquired: date | None = None
    holding_start: date | None = None
    relief: LotRelief | None = None
    proceeds: Decimal | None = None
    basis_paid: Decimal | None = None
    adjustment: Decimal | None = None
    same_account_adjustment: Decimal | None = None
    disallowed: Decimal | None = None
    lost_for_good: Decimal | None = None


class BlockLog:
    """The realized blocks of one ledger, in trade order. A loss block's disallowed and
    lost-for-good amounts are known when its day is closed: :meth:`settle` writes them."""

    __slots__ = (
        "acquired",
        "adjustment",
        "basis_paid",
        "dates",
        "disallowed",
        "holding_start",
        "lost_for_good",
        "proceeds",
        "relief",
        "sales",
        "same_account_adjustment",
        "shares",
    )

    def __init__(self) -> None:
        self.dates: list[date] = []  # each block's sale date, for bisection
        self.sales: list[int] = []
        self.shares: list[Decimal | None] = []
        self.acquired: list[date | None] = []
        self.holding_start: list[date | None] = []
        self.relief: list[LotRelief | None] = []
        self.proceeds: list[Decimal | None] = []
        self.basis_paid: list[Decimal | None] = []
        self.adjustment: list[Decimal | None] = []
        self.same_account_adjustment: list[Decimal | None] = []
        self.disallowed: list[Decimal | None] = []
        self.lost_for_good: list[Decimal | None] = []

    def add(self, sale_date: date, facts: BlockFacts) -> int:
        """Keep a block; its place, for :meth:`settle`."""
        self.dates.append(sale_date)
        self.sales.append(facts.sale)
        self.shares.append(facts.shares)
        self.acquired.append(facts.acquired)
        self.holding_start.append(facts.holding_start)
        self.relief.append(facts.relief)
        self.proceeds.append(facts.proceeds)
        self.basis_paid.append(facts.basis_paid)
        self.adjustment.append(facts.adjustment)
        self.same_account_adjustment.append(facts.same_account_adjustment)
        self.disallowed.append(facts.disallowed)
        self.lost_for_good.append(facts.lost_for_good)
        return len(self.sales) - 1

    def settle(self, place: int, disallowed: Decimal, lost_for_good: Decimal) -> None:
        """The block at ``place``: its loss disallowed, and the part of that lost for good."""
        self.disallowed[place] = disallowed
        self.lost_for_good[place] = lost_for_good

    def between(self, first: date, last: date) -> Iterator[BlockFacts]:
        """The blocks of the sales made from ``first`` to ``last``, in trade order."""
        lo = bisect.bisect_left(self.dates, first)
        hi = bisect.bisect_right(self.dates, last, lo)
        for i in range(lo, hi):
            yield BlockFacts(
                sale=self.sales[i],
                shares=self.shares[i],
                acquired=self.acquired[i],
                holding_start=self.holding_start[i],
                relief=self.relief[i],
                proceeds=self.proceeds[i],
                basis_paid=self.basis_paid[i],
                adjustment=self.adjustment[i],
                same_account_adjustment=self.same_account_adjustment[i],
                disallowed=self.disallowed[i],
                lost_for_good=self.lost_for_good[i],
            )
