"""The share-by-share ledger of one identical group: lot relief and realized wash sales.

Trades are taken in trade order: by date, then as the Activity table lists them. Every
purchase and transfer in becomes a source of held shares (``share_sources.py``); a sale
or transfer out takes its named lot's shares, or with no lot named the account's oldest
shares first, and each block it takes is a realized block with its own basis, carried
adjustment and holding start.

At the end of each day the day's taxable loss blocks are matched, in order of their
original acquisition (Reg. §1.1091-1(b): dispositions on one day are taken as made at the
same time), each against the shares acquired from 30 days before to 30 days after the
sale, earliest acquisition first (Reg. §1.1091-1(c), (d)), each share used once (Reg.
§1.1091-1(e)). A replacement share is a share of a *purchase* that is still held at the end
of the loss sale's day or is acquired after it (see :mod:`harvest_xl.engine.wash_sale` for
this reading); transfers in, splits and the other shares of the loss block's own purchase
never are. A taxable replacement takes the disallowed loss into its basis and the sold
shares' holding period (IRC §1091(d), §1223(3)); an IRA replacement loses it for good
(Rev. Rul. 2008-5); employer plans and HSAs follow the user's policy (tax-rules.md §3.7).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from harvest_xl.engine.holding import tacked_holding, tacked_start
from harvest_xl.engine.ledger_logs import BlockLog, MatchFacts, MatchLog
from harvest_xl.engine.lots import Action, Activity, Owner
from harvest_xl.engine.models import AccountType, WashReplacement, WashSalePolicy
from harvest_xl.engine.realized_block import LotRelief, RealizedBlock
from harvest_xl.engine.share_sources import (
    Adjusted,
    Holding,
    Source,
    Sources,
    Taken,
    acquired_date,
    held_carry,
    runs,
    share_of,
    split_holding,
    take,
)
from harvest_xl.engine.wash_records import HeldBlock, ReplacementShares, WashSaleMatch
from harvest_xl.engine.wash_rules import (
    ZERO,
    money,
    replacement_reason,
    replacement_treatment,
    wash_window,
)

HeldKey = tuple[str, str, date]
"""(account, ticker, acquired date): how a Holdings lot names its shares."""


@dataclass(slots=True, eq=False)
class _Loss:
    """A taxable loss block while its day is open (the day's losses are matched at its end):
    its sale and the sale's place in trade order, its place in the block log, the source its
    shares came from, and what is disallowed so far."""

    sale: Activity
    order: int
    place: int
    source: Source | None
    shares: Decimal
    acquired: date
    holding_start: date
    loss: Decimal
    disallowed: Decimal = ZERO
    lost_for_good: Decimal = ZERO


class GroupLedger:
    """The ledger of one identical group under one policy: :meth:`run` takes the group's
    rows in trade order; the results are then read from its lists and methods."""

    def __init__(self, rows: Sequence[Activity], policy: WashSalePolicy) -> None:
        self.rows = rows
        self.policy = policy
        treatments = {kind: replacement_treatment(kind, policy) for kind in AccountType}
        self.treatments = treatments
        self.sources = Sources(rows, treatments)
        self.holdings: dict[tuple[str, str], Holding] = {}
        self._matches = MatchLog()
        self._blocks = BlockLog()
        self.transferred_out: list[HeldBlock] = []
        self.deferred = ZERO
        self.lost_for_good = ZERO
        self._adjusted: list[Source] = []  # purchases some of whose shares took a loss
        self._reasons: dict[tuple[AccountType, Owner], str] = {}
        # The kinds whose sales reach Schedule D, tested by identity (no enum hashing per row).
        self.taxable_kinds = tuple(kind for kind in AccountType if kind.has_tax_effect)
        # The kinds whose purchases take a disallowed loss into their basis, likewise.
        adjusts = WashReplacement.ADJUSTS_BASIS
        self.adjusting_kinds = tuple(k for k, t in treatments.items() if t is adjusts)
        # Every purchase is known before the run (a loss is matched with purchases up to
        # 30 days later): those counted as replacements and those the policy leaves out, by
        # their rows' places in trade order, with their dates for bisection. ``skip`` jumps
        # over counted purchases with no free share left (none ever gets one back).
        buy = Action.BUY
        uncounted = tuple(kind for kind, treatment in treatments.items() if treatment is None)
        # One pass over the purchases: the account type is tested against the few kinds
        # left out (an identity test), not looked up per row.
        counted: list[int] = []
        counted_dates: list[date] = []
        ignored: list[int] = []
        ignored_dates: list[date] = []
        for order, act in enumerate(rows):
            if act.action is buy:
                if uncounted and act.account_type in uncounted:
                    ignored.append(order)
                    ignored_dates.append(act.date)
                else:
                    counted.append(order)
                    counted_dates.append(act.date)
        self.counted, self.counted_dates = counted, counted_dates
        self.ignored, self.ignored_dates = ignored, ignored_dates
        self.skip = list(range(len(counted) + 1))

    def run(self) -> None:
        """Every row in trade order; each day's loss blocks are matched at its end."""
        buy, sell = Action.BUY, Action.SELL
        holdings = self.holdings
        day: date | None = None
        losses: list[_Loss] = []
        for order, act in enumerate(self.rows):
            if act.date != day:
                if losses:
                    self._close_day(losses)
                    losses = []
                day = act.date
            action = act.action
            if action is buy:
                key = (act.account, act.ticker)
                holding = holdings.get(key)
                if holding is None:
                    holding = holdings[key] = Holding()
                holding.add(order, day)
            elif action is sell:
                self._sell(order, act, losses)
            else:
                self._move(order, act)
        if losses:
            self._close_day(losses)

    def _holding(self, act: Activity) -> Holding:
        key = (act.account, act.ticker)
        found = self.holdings.get(key)
        if found is None:
            found = self.holdings[key] = Holding()
        return found

    # ------------------------------------------------------------------ lot relief

    def _lot(self, act: Activity) -> Iterator[Source]:
        """The sources a SELL or TRANSFER OUT takes from, in order: those of the named lot
        (the account's shares of the ticker acquired on the named date, in trade order),
        or with no lot named the account's oldest first. Each source's state is made as it
        is reached."""
        holding = self.holdings.get((act.account, act.ticker))
        if holding is None:
            return
        if act.acquired is None:
            orders: Iterable[int] = holding.oldest_first(self.sources)
        else:
            orders = holding.acquired_on(self.sources, act.acquired)
        for order in orders:
            yield self.sources.state(order)

    def _relieve(self, act: Activity, cut_used: bool = False) -> list[Taken]:
        """The shares a SELL or TRANSFER OUT takes away (:meth:`_lot`); any beyond the named
        lot's were bought before the table, any beyond the account's known shares are
        unknown. A named lot's basis is the row's, shared by place. ``cut_used``: blocks
        also end where the shares that replaced a loss end.

        Authority: Reg. §1.1012-1(c)(1) (shares identified, otherwise first in first out).
        """
        named = act.acquired
        taken, rest = take(self._lot(act), act.shares, named is None, cut_used)
        if rest > ZERO:
            taken.append(Taken(None, rest, named, named, None, ZERO, ZERO, False))
        if act.cost_basis is not None:
            basis, start = money(act.cost_basis), ZERO
            for run in taken:
                end = start + run.shares
                run.basis_paid = share_of(basis, act.shares, start, end)
                start = end
        return taken

    def _sell(self, order: int, sale: Activity, losses: list[_Loss]) -> None:
        """Relieve the sold shares, one realized block per run, each with its share of the
        proceeds by place; keep the taxable loss blocks to match at the end of the day (a
        loss in an account with no tax effect is never washed: tax-rules.md §3.7)."""
        taxable = sale.account_type in self.taxable_kinds
        basis = sale.cost_basis
        if basis is not None:
            # Only a taxable sale's proceeds can make a loss to match. Rounding to cents
            # keeps ``>=``, so the cents are compared only when the amounts themselves are not.
            no_loss = (
                not taxable or (amount := sale.amount) >= basis or money(amount) >= money(basis)
            )
            if no_loss:
                holding = self.holdings.get((sale.account, sale.ticker))
                assert sale.acquired is not None  # a row with a cost basis names its lot
                if holding is None or not holding.holds_on(self.sources, sale.acquired):
                    # All bought before the table and no loss to match: the ledger is
                    # unchanged, and the row itself says all its one block holds
                    # (see _row_block).
                    self._blocks.add_row(order, sale.date)
                    return
        proceeds = money(sale.amount)
        start = ZERO
        named = LotRelief.NAMED if sale.acquired is not None else LotRelief.FIFO
        for run in self._relieve(sale):
            end = start + run.shares
            share = share_of(proceeds, sale.shares, start, end)
            start = end
            place = self._blocks.add(
                order,
                sale.date,
                shares=run.shares,
                acquired=run.acquired,
                holding_start=run.holding_start,
                relief=named if run.acquired is not None else LotRelief.UNKNOWN,
                proceeds=share,
                basis_paid=run.basis_paid,
                adjustment=run.adjustment,
                same_account_adjustment=run.same_account_adjustment,
            )
            if taxable and run.basis_paid is not None:
                loss = run.basis_paid + run.adjustment - share
                if loss > ZERO:
                    assert run.acquired is not None and run.holding_start is not None
                    losses.append(
                        _Loss(
                            sale,
                            order,
                            place,
                            run.source,
                            run.shares,
                            run.acquired,
                            run.holding_start,
                            loss,
                        )
                    )

    def _move(self, order: int, act: Activity) -> None:
        """A transfer in (shares with their own date and basis), a transfer out (shares
        leave with their basis, adjustments and holding period: no gain or loss) or a split
        (``share_sources.split_holding``)."""
        if act.action is Action.TRANSFER_IN:
            self._holding(act).add(order, acquired_date(act))
        elif act.action is Action.TRANSFER_OUT:
            moved = self._relieve(act, cut_used=True)
            self.transferred_out += [_held(act, run) for run in moved if run.source]
        else:
            holding = self.holdings.get((act.account, act.ticker))
            if holding is not None:
                split_holding(holding, self.sources, act.shares)

    # ------------------------------------------------------------------ wash sales

    def _close_day(self, losses: list[_Loss]) -> None:
        """Match the day's loss blocks, earliest original acquisition first.

        Authority: Reg. §1.1091-1(b) (losses in order of disposition; dispositions at the
        same time in order of original acquisition)."""
        for piece in sorted(losses, key=_loss_acquired):
            self._match(piece)
            self._blocks.settle(piece.place, piece.disallowed, piece.lost_for_good)

    def _match(self, piece: _Loss) -> None:
        """Replacement shares for one loss block, earliest acquisition first, each used once;
        the loss is shared among the sold shares by place.

        Authority: IRC §1091(a), (d); Reg. §1.1091-1(a), (c)-(e); Rev. Rul. 2008-5;
        IRC §1223(3).
        """
        loss, shares = piece.loss, piece.shares
        first, last = wash_window(piece.sale.date)
        matched = ZERO
        i = self._next(bisect.bisect_left(self.counted_dates, first))
        own = None if piece.source is None else piece.source.order
        while matched < shares and i < len(self.counted) and self.counted_dates[i] <= last:
            order = self.counted[i]
            free = self.sources.free(order)
            if free <= ZERO:
                self.skip[i] = i + 1
            elif order != own:
                count = min(free, shares - matched)
                self._replace(piece, loss, matched, order, count)
                matched += count
            i = self._next(i + 1)
        self._note_uncounted(piece, first, last)

    def _next(self, i: int) -> int:
        """The first counted purchase at or after ``i`` that may have free shares."""
        skip = self.skip
        root = i
        while skip[root] != root:
            root = skip[root]
        while skip[i] != root:  # shorten the path for the next search
            skip[i], i = root, skip[i]
        return root

    def _replace(
        self, piece: _Loss, loss: Decimal, offset: Decimal, order: int, shares: Decimal
    ) -> None:
        """``shares`` of the purchase at ``order`` replace the loss block's shares from place
        ``offset`` on: their part of the loss is disallowed, and deferred into the replacement
        shares' basis with the sold shares' holding period (taxable) or lost for good."""
        amount = share_of(loss, piece.shares, offset, offset + shares)
        start = self.sources.use(order, shares)
        sale, bought = piece.sale, self.rows[order]
        piece.disallowed += amount
        sold_start = None
        if bought.account_type in self.adjusting_kinds:
            source = self.sources.state(order)
            sold_start = piece.holding_start
            assert sold_start is not None  # a loss block's basis is known
            tacked = tacked_start(sold_start, sale.date, bought.date)
            same = sale.account == bought.account and sale.ticker == bought.ticker
            run = Adjusted(start, start + shares, loss, piece.shares, offset, tacked, same)
            source.adjusted += (run,)
            self._adjusted.append(source)
            self.deferred += amount
        else:
            piece.lost_for_good += amount
            self.lost_for_good += amount
        self._matches.add(
            sale=piece.order,
            purchase=order,
            shares=shares,
            disallowed=amount,
            sold_holding_start=sold_start,
            counted=True,
        )

    def _note_uncounted(self, piece: _Loss, first: date, last: date) -> None:
        """Purchases the policy does not count are shown next to the loss they would have
        hit (tax-rules.md §3.7: "shown as a wash-sale risk"): each in the window with shares
        held at the end of the day or bought after it, up to the loss block's shares."""
        own = None if piece.source is None else piece.source.order
        lo = bisect.bisect_left(self.ignored_dates, first)
        for order in self.ignored[lo : bisect.bisect_right(self.ignored_dates, last, lo)]:
            held = self.sources.held(order)
            if order != own and held > ZERO:
                self._matches.add(
                    sale=piece.order,
                    purchase=order,
                    shares=min(held, piece.shares),
                    disallowed=ZERO,
                    sold_holding_start=None,
                    counted=False,
                )

    def matches(self) -> list[WashSaleMatch]:
        """Every match, in the order they were made."""
        return [self._match_row(facts) for facts in self._matches]

    def _match_row(self, facts: MatchFacts) -> WashSaleMatch:
        sale, bought = self.rows[facts.sale], self.rows[facts.purchase]
        sold_start = facts.sold_holding_start
        tacked = None
        if sold_start is not None:
            tacked = tacked_holding(sold_start, sale.date, bought.date)
        return WashSaleMatch(
            sale.date,
            sale.account,
            sale.ticker,
            facts.shares,
            facts.disallowed,
            facts.counted and tacked is None,
            bought.date,
            bought.account,
            bought.ticker,
            bought.account_type,
            ZERO if tacked is None else facts.disallowed,
            tacked,
            self._reason(bought.account_type, bought.owner),
            facts.counted,
            sale.row,
            bought.row,
        )

    def _reason(self, kind: AccountType, owner: Owner) -> str:
        found = self._reasons.get((kind, owner))
        if found is None:
            found = self._reasons[(kind, owner)] = replacement_reason(kind, self.policy, owner)
        return found

    # ------------------------------------------------------------------ what is left

    def realized_blocks(self, first: date = date.min, last: date = date.max) -> list[RealizedBlock]:
        """Every block of every sale made from ``first`` to ``last`` (default: all), in
        trade order; blocks outside the dates are not built."""
        rows = self.rows
        out = []
        for order, facts in self._blocks.between(first, last):
            sale = rows[order]
            if facts is None:
                out.append(_row_block(sale))
                continue
            block = RealizedBlock(
                sale.row,
                sale.account,
                sale.account_type,
                sale.ticker,
                facts.shares,
                facts.acquired,
                facts.holding_start,
                sale.date,
                facts.proceeds,
                facts.basis_paid,
                facts.adjustment,
                facts.same_account_adjustment,
                facts.disallowed,
                facts.lost_for_good,
                facts.relief,
                sale.owner is Owner.SPOUSE,
            )
            out.append(block)
        return out

    def held_blocks(self) -> list[HeldBlock]:
        """The shares still held, one block per basis and holding start."""
        out = []
        for holding in self.holdings.values():
            for order in holding.oldest_first(self.sources):
                out += [_held(self.rows[order], run) for run in self._held_runs(order, True)]
        return out

    def _held_runs(self, order: int, with_basis: bool) -> list[Taken]:
        """The held shares of one purchase or transfer in, one run per block (cut where
        the shares that replaced a loss end)."""
        source = self.sources.state(order)
        return runs(source, source.sold, source.shares, with_basis, cut_used=True)

    def carried(self) -> dict[HeldKey, tuple[Decimal, Decimal, set[date]]]:
        """For each (account, ticker, acquired date) whose held shares carry a wash-sale
        adjustment or a tacked holding start: all its held shares, the adjustment they carry
        and their holding starts."""
        out: dict[HeldKey, tuple[Decimal, Decimal, set[date]]] = {}
        seen: set[HeldKey] = set()
        for adjusted in self._adjusted:
            act = adjusted.activity
            key = (act.account, act.ticker, adjusted.acquired)
            if key in seen:
                continue
            seen.add(key)
            held = adjustment = ZERO
            starts: set[date] = set()
            holding = self.holdings[(act.account, act.ticker)]
            for order in holding.acquired_on(self.sources, key[2]):
                source = self.sources.state(order)
                carried, its_starts = held_carry(source)
                held += source.held
                adjustment += carried
                starts |= its_starts
            if held > ZERO and (adjustment or starts != {adjusted.acquired}):
                out[key] = (held, adjustment, starts)
        return out

    def replacement_shares(self, first: date, last: date) -> list[ReplacementShares]:
        """The purchases dated ``first`` to ``last`` with the shares each could still
        replace, in trade order."""
        found: list[int] = []
        for orders, dates in (
            (self.counted, self.counted_dates),
            (self.ignored, self.ignored_dates),
        ):
            lo = bisect.bisect_left(dates, first)
            found += orders[lo : bisect.bisect_right(dates, last, lo)]
        return [ReplacementShares(self.rows[o], self.sources.free(o)) for o in sorted(found)]


def _loss_acquired(piece: _Loss) -> date:
    return piece.acquired


def _row_block(sale: Activity) -> RealizedBlock:
    """The one block of a sale naming a lot all bought before the table: its basis and
    acquired date are the row's, nothing is carried in or disallowed."""
    assert sale.cost_basis is not None and sale.acquired is not None  # a named lot
    return RealizedBlock(
        sale.row,
        sale.account,
        sale.account_type,
        sale.ticker,
        sale.shares,
        sale.acquired,
        sale.acquired,
        sale.date,
        money(sale.amount),
        money(sale.cost_basis),
        ZERO,
        ZERO,
        ZERO,
        ZERO,
        LotRelief.NAMED,
        sale.owner is Owner.SPOUSE,
    )


def _held(act: Activity, run: Taken) -> HeldBlock:
    """A run of a source's shares as a held (or transferred-out) block of ``act``'s account."""
    assert run.acquired is not None and run.holding_start is not None
    assert run.basis_paid is not None and run.source is not None
    return HeldBlock(
        act.account,
        act.account_type,
        act.ticker,
        run.shares,
        run.acquired,
        run.holding_start,
        run.basis_paid,
        run.adjustment,
        run.replaced_a_loss,
        act.owner,
        run.source.activity.row,
    )
