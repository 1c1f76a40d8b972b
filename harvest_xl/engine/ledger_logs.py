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

ZERO = Decimal(0)


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

    def add(
        self,
        *,
        sale: int,
        purchase: int,
        shares: Decimal,
        disallowed: Decimal,
        sold_holding_start: date | None,
        counted: bool,
    ) -> None:
        """Keep one match (the facts of :class:`MatchFacts`)."""
        self.sales.append(sale)
        self.purchases.append(purchase)
        self.shares.append(shares)
        self.disallowed.append(disallowed)
        self.sold_holding_starts.append(sold_holding_start)
        self.counted.append(counted)

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
    """A realized block's own facts, as the ledger knows them (its sale is a row)."""

    shares: Decimal
    acquired: date | None
    holding_start: date | None
    relief: LotRelief
    proceeds: Decimal
    basis_paid: Decimal | None
    adjustment: Decimal
    same_account_adjustment: Decimal
    disallowed: Decimal
    lost_for_good: Decimal


class BlockLog:
    """The realized blocks of one ledger, in trade order: for each, its sale's place in trade
    order and date (for bisection), and the place of its facts in the columns, or None for a
    sale whose whole row is one block of a lot bought before the table (the row says all of
    it; most sales of a large table). A loss block's disallowed and lost-for-good amounts are
    known when its day is closed: :meth:`settle` writes them."""

    __slots__ = (
        "acquired",
        "adjustment",
        "basis_paid",
        "dates",
        "disallowed",
        "facts",
        "holding_start",
        "lost_for_good",
        "proceeds",
        "relief",
        "sales",
        "same_account_adjustment",
        "shares",
    )

    def __init__(self) -> None:
        self.sales: list[int] = []
        self.dates: list[date] = []
        self.facts: list[int | None] = []
        self.shares: list[Decimal] = []
        self.acquired: list[date | None] = []
        self.holding_start: list[date | None] = []
        self.relief: list[LotRelief] = []
        self.proceeds: list[Decimal] = []
        self.basis_paid: list[Decimal | None] = []
        self.adjustment: list[Decimal] = []
        self.same_account_adjustment: list[Decimal] = []
        self.disallowed: list[Decimal] = []
        self.lost_for_good: list[Decimal] = []

    def add_row(self, sale: int, sale_date: date) -> None:
        """A sale that is one block of a lot bought before the table."""
        self.sales.append(sale)
        self.dates.append(sale_date)
        self.facts.append(None)

    def add(
        self,
        sale: int,
        sale_date: date,
        *,
        shares: Decimal,
        acquired: date | None,
        holding_start: date | None,
        relief: LotRelief,
        proceeds: Decimal,
        basis_paid: Decimal | None,
        adjustment: Decimal,
        same_account_adjustment: Decimal,
    ) -> int:
        """A block of a sale (the facts of :class:`BlockFacts` but the loss disallowed,
        nothing until :meth:`settle`); the place of its facts, for :meth:`settle`."""
        place = len(self.shares)
        self.sales.append(sale)
        self.dates.append(sale_date)
        self.facts.append(place)
        self.shares.append(shares)
        self.acquired.append(acquired)
        self.holding_start.append(holding_start)
        self.relief.append(relief)
        self.proceeds.append(proceeds)
        self.basis_paid.append(basis_paid)
        self.adjustment.append(adjustment)
        self.same_account_adjustment.append(same_account_adjustment)
        self.disallowed.append(ZERO)
        self.lost_for_good.append(ZERO)
        return place

    def settle(self, place: int, disallowed: Decimal, lost_for_good: Decimal) -> None:
        """The block whose facts are at ``place``: its loss disallowed, and the part of that
        lost for good."""
        self.disallowed[place] = disallowed
        self.lost_for_good[place] = lost_for_good

    def between(self, first: date, last: date) -> Iterator[tuple[int, BlockFacts | None]]:
        """The blocks of the sales made from ``first`` to ``last``, in trade order: each
        sale's place in trade order and the block's facts (None: the whole row)."""
        lo = bisect.bisect_left(self.dates, first)
        hi = bisect.bisect_right(self.dates, last, lo)
        for sale, i in zip(self.sales[lo:hi], self.facts[lo:hi], strict=True):
            if i is None:
                yield sale, None
                continue
            facts = BlockFacts(
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
            yield sale, facts
