"""Where held shares came from, and how runs of them are cut into blocks.

A *source* is shares that came into one account together: a purchase or a transfer in. Its
shares are numbered from the front, 0 to its share count: sales and transfers out take the
front-most shares still held, and a replacement takes the front-most shares still held and
not yet used (so shares before ``sold`` are gone, and the held shares before ``used`` have
replaced a loss). A *block* is a run of a source's shares with one basis and one holding
start: a source is one block until part of it is sold or absorbs a disallowed loss.

Money by place: every amount belongs to a *whole* (a purchase's cost over its shares, a
sale's proceeds over the shares sold, a loss over the shares of its block), and share k of
the whole carries ``portion(total, k + 1, n) - portion(total, k, n)`` cents
(:func:`~harvest_xl.engine.wash_rules.portion`). So a run's cents depend only on which
shares it holds, never on how often it was cut, and the pieces of a whole add up exactly.

These are the mutable records of one ledger run (never shared between runs, never returned).
A purchase's :class:`Source` is made only when something happens to its shares.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from harvest_xl.engine.lots import Action, Activity
from harvest_xl.engine.models import AccountType, WashReplacement
from harvest_xl.engine.wash_rules import ZERO, money, portion

SHARE_STEP = Decimal("0.00000001")
"""Shares after a split that does not divide evenly are kept to eight decimals."""


def share_of(total: Decimal, whole: Decimal, start: Decimal, end: Decimal) -> Decimal:
    """The cents carried by places [start, end) of ``whole`` shares that carry ``total``."""
    if start == ZERO and end == whole:
        return total
    return portion(total, end, whole) - portion(total, start, whole)


@dataclass(slots=True)
class Adjusted:
    """Shares [start, end) of a source that absorbed a disallowed loss (IRC §1091(d)): the
    holding start tacked onto them (IRC §1223(3)), whether the loss sale was in the same
    account and ticker (a broker applies those itself), and the loss by place: they are
    places [offset, offset + end - start) of a loss of ``loss`` over ``loss_shares``."""

    start: Decimal
    end: Decimal
    loss: Decimal
    loss_shares: Decimal
    offset: Decimal
    holding_start: date
    same_account: bool

    def adjustment(self, lo: Decimal, hi: Decimal) -> Decimal:
        """The disallowed loss carried by the source's shares [lo, hi) of this run."""
        first = self.offset - self.start
        return share_of(self.loss, self.loss_shares, first + lo, first + hi)


@dataclass(slots=True, eq=False)
class Source:
    """What has happened to the shares of one purchase or transfer in.

    ``order`` is its row's place in trade order; ``treatment`` how the purchase counts as
    a replacement (None: a transfer in, or a purchase the policy does not count);
    ``stated_cost`` the cost of all ``shares`` when it is not the purchase's shares x price
    (a transfer in's basis; the held shares' basis after a split).
    """

    activity: Activity
    order: int
    acquired: date
    shares: Decimal
    treatment: WashReplacement | None
    stated_cost: Decimal | None = None
    sold: Decimal = ZERO
    used: Decimal = ZERO
    adjusted: tuple[Adjusted, ...] = ()

    @property
    def cost(self) -> Decimal:
        """The cost, as paid, of all ``shares``, in cents."""
        if self.stated_cost is not None:
            return self.stated_cost
        return money(self.activity.amount)

    @property
    def held(self) -> Decimal:
        return self.shares - self.sold

    @property
    def free(self) -> Decimal:
        """Shares held and not used: those that can still replace a loss."""
        return self.shares - max(self.used, self.sold)


def acquired_date(act: Activity) -> date:
    """When the shares of a purchase or transfer in were acquired."""
    return act.date if act.acquired is None or act.action is Action.BUY else act.acquired


class Sources:
    """The purchases and transfers in of one ledger run, by their rows' places in trade
    order. A :class:`Source` is made the first time something happens to a row's shares
    (sold, transferred out, taking a loss into its basis, split); until then the row says it
    all, with, for a purchase whose shares only replaced losses lost for good, how many of
    them did (``used``). Most purchases of a large table never need more, and most
    replacements are of that kind (IRA purchases)."""

    def __init__(
        self,
        rows: Sequence[Activity],
        treatments: Mapping[AccountType, WashReplacement | None],
    ) -> None:
        self.rows = rows
        self.treatments = treatments
        self.states: dict[int, Source] = {}
        self.used: dict[int, Decimal] = {}  # the used shares of purchases with no Source

    def state(self, order: int) -> Source:
        found = self.states.get(order)
        if found is None:
            act = self.rows[order]
            if act.action is Action.BUY:
                treatment = self.treatments[act.account_type]
                found = Source(act, order, act.date, act.shares, treatment)
                found.used = self.used.pop(order, ZERO)
            else:
                assert act.cost_basis is not None  # a transfer in: checked by Activity
                cost = money(act.cost_basis)
                found = Source(act, order, acquired_date(act), act.shares, None, cost)
            self.states[order] = found
        return found

    def use(self, order: int, shares: Decimal) -> Decimal:
        """Mark the next ``shares`` free shares of a purchase used as replacements (Reg.
        §1.1091-1(e): each share replaces once); the place of the first of them."""
        found = self.states.get(order)
        if found is None:
            start = self.used.get(order, ZERO)
            self.used[order] = start + shares
            return start
        start = max(found.used, found.sold)
        found.used = start + shares
        return start

    def held(self, order: int) -> Decimal:
        found = self.states.get(order)
        return self.rows[order].shares if found is None else found.held

    def free(self, order: int) -> Decimal:
        """Shares held and not used (Reg. §1.1091-1(e))."""
        found = self.states.get(order)
        if found is None:
            return self.rows[order].shares - self.used.get(order, ZERO)
        return found.free


@dataclass(slots=True)
class Holding:
    """The purchases and transfers in of one account and ticker (their rows' places in trade
    order) first in, first out: by acquired date (``dates``, for bisection), then arrival.
    Those before ``first`` are sold out."""

    orders: list[int] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    first: int = 0

    def add(self, order: int, acquired: date) -> None:
        dates = self.dates
        if not dates or dates[-1] <= acquired:  # purchases arrive in date order
            self.orders.append(order)
            dates.append(acquired)
            return
        place = bisect.bisect_right(dates, acquired)  # a transfer in of older shares
        self.orders.insert(place, order)
        dates.insert(place, acquired)
        self.first = min(self.first, place)

    def oldest_first(self, sources: Sources) -> Iterator[int]:
        """The rows still holding shares, oldest first."""
        orders = self.orders
        while self.first < len(orders) and sources.held(orders[self.first]) <= ZERO:
            self.first += 1
        for i in range(self.first, len(orders)):
            if sources.held(orders[i]) > ZERO:
                yield orders[i]

    def holds_on(self, sources: Sources, day: date) -> bool:
        """Whether any row acquired on ``day`` still holds shares."""
        dates = self.dates
        lo = bisect.bisect_left(dates, day)
        if lo == len(dates) or dates[lo] != day:
            return False
        for order in self.orders[lo : bisect.bisect_right(dates, day, lo)]:
            if sources.held(order) > ZERO:
                return True
        return False

    def acquired_on(self, sources: Sources, day: date) -> list[int]:
        """The rows acquired on ``day`` still holding shares, in order of arrival."""
        dates = self.dates
        lo = bisect.bisect_left(dates, day)
        if lo == len(dates) or dates[lo] != day:
            return []
        hi = bisect.bisect_right(dates, day, lo)
        return [o for o in self.orders[lo:hi] if sources.held(o) > ZERO]


@dataclass(slots=True, eq=False)
class Taken:
    """A run of shares taken from one source (source None: bought before the table, or
    unknown). ``basis_paid`` is None when it is unknown or the row's to give."""

    source: Source | None
    shares: Decimal
    acquired: date | None
    holding_start: date | None
    basis_paid: Decimal | None
    adjustment: Decimal
    same_account_adjustment: Decimal
    replaced_a_loss: bool


def take(
    sources: Iterable[Source], shares: Decimal, with_basis: bool, cut_used: bool = False
) -> tuple[list[Taken], Decimal]:
    """Up to ``shares`` from the front of each of ``sources`` in turn, one run per block,
    and the shares not found. ``with_basis``: each run's share of its source's cost
    (otherwise the row gives the basis); ``cut_used``: as for :func:`runs`."""
    taken: list[Taken] = []
    for source in sources:
        if shares <= ZERO:
            break
        count = min(source.held, shares)
        taken += runs(source, source.sold, source.sold + count, with_basis, cut_used)
        source.sold += count
        if source.adjusted:  # runs wholly sold are done with
            source.adjusted = tuple(a for a in source.adjusted if a.end > source.sold)
        shares -= count
    return taken, shares


def runs(
    source: Source, start: Decimal, end: Decimal, with_basis: bool, cut_used: bool = False
) -> list[Taken]:
    """Shares [start, end) of ``source`` cut into blocks: those inside one adjusted run
    carry its adjustment and holding start, the others the source's own. ``cut_used``:
    also cut where the shares that replaced a loss end (for held blocks, which say so)."""
    used_inside = cut_used and start < source.used < end
    if not source.adjusted and not used_inside:
        return [_run(source, start, end, with_basis)]  # one block, the usual case
    cuts = {start, end}
    for a in source.adjusted:
        cuts.update(x for x in (a.start, a.end) if start < x < end)
    if used_inside:
        cuts.add(source.used)
    points = sorted(cuts)
    return [_run(source, lo, hi, with_basis) for lo, hi in zip(points, points[1:], strict=False)]


def held_carry(source: Source) -> tuple[Decimal, set[date]]:
    """The disallowed loss the held shares of ``source`` carry and their holding starts:
    what the blocks of :func:`runs` of those shares add up to, without cutting them (a
    loss's cents by place add up however its shares are cut; adjusted runs never overlap).

    Authority: IRC §1091(d), §1223(3).
    """
    sold, shares = source.sold, source.shares
    adjustment, covered = ZERO, ZERO
    starts: set[date] = set()
    for a in source.adjusted:
        lo, hi = max(a.start, sold), min(a.end, shares)
        if lo < hi:
            adjustment += a.adjustment(lo, hi)
            starts.add(a.holding_start)
            covered += hi - lo
    if covered < shares - sold:  # some held shares carry none: their own start
        starts.add(source.acquired)
    return adjustment, starts


def _run(source: Source, lo: Decimal, hi: Decimal, with_basis: bool) -> Taken:
    """Shares [lo, hi) of ``source``, all in one block: their share of its cost and of the
    adjusted run they lie in, if any."""
    basis = share_of(source.cost, source.shares, lo, hi) if with_basis else None
    adjustment, same, holding_start = ZERO, ZERO, source.acquired
    for a in source.adjusted:
        if a.start <= lo and hi <= a.end:
            adjustment = a.adjustment(lo, hi)
            same = adjustment if a.same_account else ZERO
            holding_start = a.holding_start
            break
    used = lo < source.used
    return Taken(source, hi - lo, source.acquired, holding_start, basis, adjustment, same, used)


def split_holding(holding: Holding, sources: Sources, received: Decimal) -> None:
    """A split: the held shares of every source grow in proportion to ``received`` new
    shares over all of them; each source's basis and adjustments stay whole.

    Authority: IRC §307(a); Reg. §1.307-1(a) (the basis is spread over old and new shares).
    """
    states = [sources.state(order) for order in holding.oldest_first(sources)]
    held = sum((s.held for s in states), ZERO)
    if held == ZERO:
        return  # nothing known to grow: the split shares were bought before the table
    total = held + received
    before = after = ZERO
    for i, source in enumerate(states):
        before += source.held
        upto = total if i == len(states) - 1 else (total * before / held).quantize(SHARE_STEP)
        _rebase(source, upto - after)
        after = upto


def _rebase(source: Source, new_held: Decimal) -> None:
    """The held shares become ``new_held`` shares numbered from 0, with the same total basis
    and adjustments (the sold shares are forgotten; each adjusted run becomes a whole)."""
    start, old_held = source.sold, source.held

    def scaled(place: Decimal) -> Decimal:
        if place >= source.shares:
            return new_held
        return ((place - start) * new_held / old_held).quantize(SHARE_STEP)

    adjusted = []
    for a in source.adjusted:
        lo = max(a.start, start)
        kept = a.adjustment(lo, a.end)
        new_lo, new_hi = scaled(lo), scaled(a.end)
        whole = new_hi - new_lo
        run = Adjusted(new_lo, new_hi, kept, whole, ZERO, a.holding_start, a.same_account)
        adjusted.append(run)
    source.stated_cost = share_of(source.cost, source.shares, start, source.shares)
    source.used = scaled(max(source.used, start))
    source.adjusted = tuple(adjusted)
    source.shares, source.sold = new_held, ZERO
