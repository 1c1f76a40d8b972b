"""Realized wash sales across every account: §1091 and Reg. §1.1091-1(b)-(e).

Design (tax-rules.md §3.9). Activity is split by identical group (a ticker is always
identical to itself). Within a group, purchases are sorted once by a total key and
loss sales are processed in the order they were made (Reg. §1.1091-1(b); same-day sales
in order of original acquisition). Each loss sale takes replacement shares from the
purchases dated 30 days before to 30 days after it, earliest first (Reg. §1.1091-1(c),
(d)); a share used once is never used again (Reg. §1.1091-1(e)), which a skip-pointer
structure makes cheap, so the whole run is O(n log n).

Speed (10^5 rows is a normal advisor table): purchases are sorted by date with a C-level
key and same-day purchases are put in their full order only when first read in order;
only sales that can change something (a taxable loss, or shares bought in the table) are
sorted and processed, the others' plain results are built when ``.sales`` is read.
tests/engine/test_wash_equivalence.py checks all of this against a naive O(n^2)
transcription of the rules.

Share identity inside one purchase follows one fixed order: replacement shares are
assigned, and later sales draw shares, from the front of the purchase. A sale therefore
carries the adjustments (and tacked holding period) of exactly the shares it takes, so a
chained wash sale comes out right. The purchase of the very shares being sold (same
account, same ticker, bought on the sale's acquisition date) is never their replacement.
"""

from __future__ import annotations

import bisect
import functools
from collections import defaultdict
from collections.abc import Iterable, KeysView
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import compress, islice
from operator import attrgetter, eq
from typing import NamedTuple

from harvest_xl.engine.holding import TackedHolding, tacked_holding
from harvest_xl.engine.lots import Action, Activity, IdenticalGroups, Lot, Owner
from harvest_xl.engine.models import AccountType, WashReplacement, WashSalePolicy
from harvest_xl.engine.params import penalty_parameter
from harvest_xl.engine.records import maker, strict_equality

ZERO = Decimal(0)
CENT = Decimal("0.01")


def money(amount: Decimal) -> Decimal:
    """Dollars and cents, half-up (Form 8949 columns are in dollars and cents)."""
    return amount.quantize(CENT, ROUND_HALF_UP)  # positional: a keyword costs twice the call


@functools.cache
def wash_window_days() -> int:
    """Days before and after a loss sale in which a purchase is a replacement.

    Authority: IRC §1091(a); Reg. §1.1091-1(a) (the 61-day period).
    """
    return int(penalty_parameter("wash_sale_window_days_before_after"))


def wash_window(sale_date: date) -> tuple[date, date]:
    """First and last day (inclusive) of the §1091(a) window around ``sale_date``.

    Authority: IRC §1091(a); Reg. §1.1091-1(a); tax-rules.md §3.1 (WS-9).
    """
    days = _window_delta()
    return sale_date - days, sale_date + days


@functools.cache
def _window_delta() -> timedelta:
    return timedelta(days=wash_window_days())


def safe_rebuy_date(sale_date: date) -> date:
    """First day after the window: a substantially identical purchase is then safe.

    Authority: IRC §1091(a); tax-rules.md §3.9 ("sale date + 31").
    """
    return wash_window(sale_date)[1] + timedelta(days=1)


def replacement_treatment(
    account_type: AccountType, policy: WashSalePolicy
) -> WashReplacement | None:
    """How a purchase in ``account_type`` counts as a replacement; None = not counted.

    Authority: IRC §1091(a), (d); Rev. Rul. 2008-5 (IRA/Roth IRA: disallowed, no basis
    increase); tax-rules.md §3.7 (employer plans and HSAs: the user's policy).
    """
    kind = account_type.wash_replacement
    if kind is WashReplacement.BY_POLICY:
        return WashReplacement.PERMANENTLY_LOST if policy is WashSalePolicy.CONSERVATIVE else None
    return kind


@functools.cache
def replacement_reason(account_type: AccountType, policy: WashSalePolicy, owner: Owner) -> str:
    """Plain-English reason for a match, naming the authority it rests on."""
    whose = "spouse's " if owner is Owner.SPOUSE else ""
    kind = account_type.wash_replacement
    if kind is WashReplacement.ADJUSTS_BASIS:
        text = (
            f"{whose}taxable purchase: loss deferred into its basis, holding period tacked "
            "(IRC §1091(d), §1223(3))"
        )
    elif kind is WashReplacement.PERMANENTLY_LOST:
        text = f"{whose}{account_type.value} purchase: loss permanently lost (Rev. Rul. 2008-5)"
    elif policy is WashSalePolicy.CONSERVATIVE:
        text = (
            f"{whose}{account_type.value} purchase: treated as permanently lost on a "
            "conservative reading; no ruling applies §1091 to this account (policy conservative)"
        )
    else:
        text = (
            f"{whose}{account_type.value} purchase: risk only; no ruling applies §1091 to "
            "this account (policy ignore)"
        )
    if owner is Owner.SPOUSE:
        text += "; a spouse's purchase counts (Pub. 550)"
    return text


class WashSaleMatch(NamedTuple):
    """One (loss sale, replacement purchase) pair: the shares matched and their effect.

    A named tuple, not a dataclass: a table-level run makes one per match (10^4 on the
    benchmark) and a frozen slotted dataclass cost ~10 us each to build, a fifth of the
    whole run. Equality and hash leave out the two row indexes, which only point back at
    the input (as the dataclass's ``compare=False`` fields did)."""

    sale_date: date
    sale_account: str
    ticker: str
    shares: Decimal
    disallowed_loss: Decimal
    permanently_lost: bool
    replacement_date: date
    replacement_account: str
    replacement_ticker: str
    replacement_account_type: AccountType
    basis_increase: Decimal
    tacked: TackedHolding | None
    reason: str
    replacement_already_sold: Decimal = ZERO
    sale_row: int | None = None
    replacement_row: int | None = None

    @property
    def flags(self) -> tuple[str, ...]:
        """Cases the user must review (tax-rules.md §3.9: flag, do not guess)."""
        if self.replacement_already_sold <= 0:
            return ()
        return (
            f"replacement already sold: {self.replacement_already_sold} of these shares were "
            "sold before this loss was matched; the basis increase belongs to that earlier "
            "sale and is not carried (brokers differ; no authority) — review",
        )

    # Only a match equals a match: returning NotImplemented would let tuple's own
    # comparison (rows included) answer for a bare tuple.
    def __eq__(self, other: object) -> bool:
        return type(other) is WashSaleMatch and self[:_COMPARED] == other[:_COMPARED]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self[:_COMPARED])


_COMPARED = WashSaleMatch._fields.index("sale_row")
"""Fields before the row indexes: those equality and hash compare."""

_ADJUSTS_BASIS = WashReplacement.ADJUSTS_BASIS
"""A module constant: on CPython 3.11 ``EnumClass.MEMBER`` goes through the metaclass's
``__getattr__`` hook (about 0.5 us), and ``_match`` reads it once per match."""

_new_match = maker(WashSaleMatch)
"""``WashSaleMatch(*values)`` (all 16, in field order) in one C call: one is made per match."""


@dataclass(frozen=True, slots=True)
class WashSaleRisk:
    """A purchase that would have matched a loss sale, counted as a risk only (policy ignore)."""

    sale_date: date
    sale_account: str
    ticker: str
    loss: Decimal
    purchase_date: date
    purchase_account: str
    purchase_ticker: str
    purchase_account_type: AccountType
    shares: Decimal
    reason: str


class SaleResult(NamedTuple):
    """One sale after wash-sale adjustments carried from earlier matches (a named tuple:
    one is made for every sale, so it must be cheap)."""

    activity: Activity
    adjusted_basis: Decimal
    gain_loss: Decimal
    disallowed: Decimal
    tacked_from: date | None

    @property
    def allowed(self) -> Decimal:
        return self.gain_loss + self.disallowed


_SaleRecord = tuple[Activity, Decimal, Decimal, Decimal, "date | None"]


class _SaleGroup:
    """The sales of one identical group, and the results of those the run had to process.

    A sale the run never needs (no purchase of its shares in the table, and not a taxable
    loss) has the plain result: its basis as paid, its gain, nothing disallowed. Those are
    made only when ``WashSaleResult.sales`` is read, so a table-level run neither sorts
    nor prices them. The processed sales are a stably sorted subsequence of all sales,
    so walking both in order pairs each record with its sale.
    """

    __slots__ = ("sells", "records")

    def __init__(self, sells: list[Activity], records: list[_SaleRecord]) -> None:
        self.sells = sells
        self.records = records

    def results(self) -> list[SaleResult]:
        records = iter(self.records)
        record = next(records, None)
        out = []
        for sale in sorted(self.sells, key=_sell_order):
            if record is not None and record[0] is sale:
                out.append(SaleResult(*record))
                record = next(records, None)
            else:
                assert sale.cost_basis is not None  # checked by Activity
                basis = sale.cost_basis + ZERO
                out.append(
                    SaleResult(sale, basis, money(sale.shares * sale.price - basis), ZERO, None)
                )
        assert record is None, "every processed sale is one of the group's sales"
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _SaleGroup):
            return NotImplemented
        return self.results() == other.results()

    __hash__ = None  # type: ignore[assignment]


@strict_equality
class PurchaseAdjustment(NamedTuple):
    """Wash-sale adjustments still carried by the unsold shares of one purchase (a record,
    harvest_xl.engine.records: a table-level run makes 3,015 on the benchmark)."""

    account: str
    ticker: str
    acquired: date
    held_shares: Decimal
    basis_increase: Decimal
    effective_acquired: date | None


_new_adjustment = maker(PurchaseAdjustment)


@dataclass(frozen=True, slots=True)
class WashSaleResult:
    matches: tuple[WashSaleMatch, ...]
    risks: tuple[WashSaleRisk, ...]
    sale_groups: tuple[_SaleGroup, ...] = field(repr=False)
    adjustments: tuple[PurchaseAdjustment, ...]
    policy: WashSalePolicy
    _by_purchase: dict[tuple[str, str, date], list[PurchaseAdjustment]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _purchases: tuple[tuple[str, list[date], list[Activity], list[Decimal]], ...] = field(
        default=(), compare=False, repr=False
    )
    """Every purchase by identical group, in date order (a pool's dates, rows and shares
    used as replacements), kept so a table pass finds the purchases around its as-of date
    without a second pass over every activity row."""
    _realized: tuple[Decimal, Decimal] | None = field(default=None, compare=False, repr=False)
    """(deferred, lost for good), summed as the matches were made."""

    def __post_init__(self) -> None:
        for a in self.adjustments:
            self._by_purchase.setdefault((a.account, a.ticker, a.acquired), []).append(a)

    @property
    def sales(self) -> tuple[SaleResult, ...]:
        """One result per sale, in processing order: groups by key, sales by
        ``_sell_order`` (built on demand: a table-level run rarely reads them)."""
        return tuple(result for group in self.sale_groups for result in group.results())

    @property
    def adjusted_purchases(self) -> KeysView[tuple[str, str, date]]:
        """(account, ticker, date) of the purchases whose unsold shares carry an adjustment:
        for any other lot :meth:`adjustment_for` gives no increase and no tacked date."""
        return self._by_purchase.keys()

    def adjustment_for(self, lot: Lot) -> tuple[Decimal, date | None]:
        """Basis increase and tacked acquisition date for a held lot (matched by account,
        ticker and acquisition date), scaled to the lot's shares."""
        found = self._by_purchase.get((lot.account, lot.ticker, lot.acquired))
        if not found:
            return ZERO, None
        held = sum((a.held_shares for a in found), ZERO)
        if held <= 0:
            return ZERO, None
        increase = sum((a.basis_increase for a in found), ZERO) * min(lot.shares, held) / held
        dates = {a.effective_acquired for a in found}
        tacked = dates.pop() if len(dates) == 1 else None
        return money(increase), tacked

    @property
    def realized(self) -> tuple[Decimal, Decimal, Decimal]:
        """The realized wash sales' loss disallowed, the part deferred into a replacement's
        basis and the part lost for good (IRC §1091(a), (d); Rev. Rul. 2008-5)."""
        if self._realized is None:
            deferred = sum((m.basis_increase for m in self.matches), ZERO)
            lost = sum((m.disallowed_loss for m in self.matches if m.permanently_lost), ZERO)
        else:
            deferred, lost = self._realized
        return deferred + lost, deferred, lost

    def purchases_between(self, first: date, last: date) -> dict[str, list[Activity]]:
        """The purchases dated ``first`` to ``last`` (inclusive) by identical group key, in
        date order (same-day purchases in no set order); groups without one are left out."""
        out: dict[str, list[Activity]] = {}
        for key, dates, acts, _ in self._purchases:
            lo = bisect.bisect_left(dates, first)
            hi = bisect.bisect_right(dates, last, lo)
            if hi > lo:
                out.setdefault(key, []).extend(acts[lo:hi])
        return out

    def used_between(self, first: date, last: date) -> dict[tuple[str, str, date], Decimal]:
        """Shares of the purchases dated ``first`` to ``last`` already used to replace a
        realized loss, by (account, ticker, date) (Reg. §1.1091-1(e)): what
        ``used_replacement_shares`` gives for the matches whose replacement is in those
        days, read from the run's own count instead of a pass over every match."""
        used: dict[tuple[str, str, date], Decimal] = {}
        for _, dates, acts, taken in self._purchases:
            lo = bisect.bisect_left(dates, first)
            for i in range(lo, bisect.bisect_right(dates, last, lo)):
                if taken[i]:
                    act = acts[i]
                    key = (act.account, act.ticker, act.date)
                    used[key] = used.get(key, ZERO) + taken[i]
        return used


class _Segment(NamedTuple):
    """Shares [start, end) of a purchase that absorbed a disallowed loss."""

    start: Decimal
    end: Decimal
    increase: Decimal
    effective: date


_new_segment = maker(_Segment)


# Total orders on rows by content, so input order never matters. Sales: Reg. §1.1091-1(b)
# order of disposition, same day by original acquisition. The date comes first as its
# day number: CPython compares tuples whose first items are ints much faster than dates.
def _buy_order(a: Activity) -> tuple[object, ...]:
    return (
        a.day,
        a.account,
        a.ticker,
        a.account_type._value_,
        a.owner._value_,
        a.shares,
        a.price,
    )


def _sell_order(a: Activity) -> tuple[object, ...]:
    return (
        a.day,
        a.acquired,
        a.account,
        a.ticker,
        a.account_type._value_,
        a.owner._value_,
        a.shares,
        a.price,
        a.cost_basis,
    )


_DAY = attrgetter("day")
"""Sort key: the day number orders as the date does, and ints compare several times faster."""


class _Pool:
    """The purchases of one identical group in a total order, with their running state
    in parallel lists (shares used as replacements, shares sold from the front, and the
    segments that absorbed a loss) and skip pointers over used-up purchases.

    The purchases arrive sorted by date only (a C-level key: the full ``_buy_order`` key
    is the costliest part of a large run). Purchases sharing a date are put in full order
    the first time any of them is read in order (``settle``); until then all of them have
    their initial state, so the reordering is invisible. Every reader of purchases by
    position (matching, drawing a sale's shares) settles first."""

    __slots__ = ("acts", "dates", "used", "sold", "next", "segments", "unsettled")

    def __init__(self, acts: list[Activity], in_full_order: bool = False) -> None:
        self.acts = acts
        self.dates: list[date] = [a.date for a in acts]
        self.used = [ZERO] * len(acts)
        self.sold = [ZERO] * len(acts)
        self.next = list(range(len(acts) + 1))
        self.segments: dict[int, list[_Segment]] = {}
        dates = self.dates
        # Dates with more than one purchase (neighbours in date order are equal).
        self.unsettled: set[date] = (
            set() if in_full_order else set(compress(dates, map(eq, dates, islice(dates, 1, None))))
        )

    def settle(self, day: date) -> None:
        """Put the purchases made on ``day`` in their full order (``_buy_order``)."""
        self.unsettled.discard(day)
        dates = self.dates
        lo = bisect.bisect_left(dates, day)
        hi = bisect.bisect_right(dates, day, lo)
        self.acts[lo:hi] = sorted(self.acts[lo:hi], key=_buy_order)

    def find(self, i: int) -> int:
        """The first purchase at or after ``i`` with shares still free to replace."""
        nxt = self.next
        root = i
        while nxt[root] != root:
            root = nxt[root]
        while nxt[i] != root:
            nxt[i], i = root, nxt[i]
        return root

    def sources(self, account: str, ticker: str, acquired: date) -> list[int]:
        """Purchases that are the shares a sale sold: same account, ticker and date."""
        dates = self.dates
        lo = bisect.bisect_left(dates, acquired)
        if lo == len(dates) or dates[lo] != acquired:
            return []
        if acquired in self.unsettled:
            self.settle(acquired)
        acts = self.acts
        hi = bisect.bisect_right(dates, acquired, lo)
        return [i for i in range(lo, hi) if acts[i].account == account and acts[i].ticker == ticker]

    def take(self, i: int, shares: Decimal) -> tuple[Decimal, date | None, bool]:
        """Sell ``shares`` from the front of purchase ``i``; return the adjustments they
        carry (increase, tacked date if every share has one, whether every share has one)."""
        start = self.sold[i]
        end = start + shares
        self.sold[i] = end
        segments = self.segments.get(i)
        if not segments:
            return ZERO, None, False
        increase, effective = ZERO, None
        covered = ZERO
        for seg in segments:
            lo, hi = max(start, seg.start), min(end, seg.end)
            if hi > lo:
                increase += seg.increase * (hi - lo) / (seg.end - seg.start)
                effective = seg.effective if effective is None else min(effective, seg.effective)
                covered += hi - lo
        whole = covered == shares
        return increase, effective if whole else None, whole


def match_wash_sales(
    activity: Iterable[Activity],
    identical: IdenticalGroups | None = None,
    policy: WashSalePolicy = WashSalePolicy.CONSERVATIVE,
) -> list[WashSaleMatch]:
    """Every (loss sale, replacement) match in ``activity``, in sale order.

    Authority: IRC §1091(a), (d); Reg. §1.1091-1(a)-(e); Rev. Rul. 2008-5; IRC §1223(3).
    """
    return list(analyse_wash_sales(activity, identical, policy).matches)


def analyse_wash_sales(
    activity: Iterable[Activity],
    identical: IdenticalGroups | None = None,
    policy: WashSalePolicy = WashSalePolicy.CONSERVATIVE,
) -> WashSaleResult:
    """Matches, risks (policy ignore), per-sale results and adjustments still carried.

    Authority: IRC §1091(a), (d); Reg. §1.1091-1(a)-(e); Rev. Rul. 2008-5; IRC §1223(3);
    tax-rules.md §3.
    """
    return _analyse(activity, identical or IdenticalGroups(), policy)


class _Run:
    """One analysis: the policy's treatment and reason per account type, and the output."""

    __slots__ = (
        "policy",
        "window",
        "treatments",
        "reasons",
        "taxable",
        "matches",
        "risks",
        "sales",
        "adjustments",
        "purchases",
        "deferred",
        "lost",
    )

    def __init__(self, policy: WashSalePolicy) -> None:
        self.policy = policy
        self.window = _window_delta()
        # Keyed by the enum values (str hashes are cached; Enum.__hash__ is Python code).
        self.treatments = {t._value_: replacement_treatment(t, policy) for t in AccountType}
        self.taxable = frozenset(t._value_ for t in AccountType if t.has_tax_effect)
        self.reasons = {
            (t._value_, o._value_): replacement_reason(t, policy, o)
            for t in AccountType
            for o in Owner
        }
        self.matches: list[WashSaleMatch] = []
        self.risks: list[WashSaleRisk] = []
        self.sales: list[_SaleGroup] = []
        self.adjustments: list[PurchaseAdjustment] = []
        self.purchases: list[tuple[str, list[date], list[Activity], list[Decimal]]] = []
        self.deferred = self.lost = ZERO  # the realized wash sales' loss, as matched


def _analyse(
    activity: Iterable[Activity], identical: IdenticalGroups, policy: WashSalePolicy
) -> WashSaleResult:
    bought: dict[str, list[Activity]] = defaultdict(list)
    sold_by: dict[str, list[Activity]] = defaultdict(list)
    buy = Action.BUY
    for act in activity:
        (bought if act.action is buy else sold_by)[act.ticker].append(act)
    buys, sells = _by_group(bought, identical), _by_group(sold_by, identical)
    run = _Run(policy)
    not_counted = {value for value, treatment in run.treatments.items() if treatment is None}
    for name in sorted(buys.keys() | sells.keys()):
        counted = sorted(buys.get(name, ()), key=_DAY)  # full order: see _Pool
        ignored: list[Activity] = []
        if not_counted:  # the policy leaves some account types out: split those off
            ignored = [a for a in counted if a.account_type._value_ in not_counted]
            if ignored:
                counted = [a for a in counted if a.account_type._value_ not in not_counted]
                ignored.sort(key=_buy_order)  # risks are listed in this order
        group, ignored_pool = _Pool(counted), _Pool(ignored, in_full_order=True)
        sold = sells.get(name, [])
        records: list[_SaleRecord] = []
        needed, sources = _sales_to_process(sold, (group, ignored_pool), run.taxable)
        if needed:
            _process_sales(
                sorted(needed, key=_sell_order), group, ignored_pool, sources, run, records
            )
        run.sales.append(_SaleGroup(sold, records))
        if group.segments:
            _record_adjustments(group, run.adjustments)
        for pool in (group, ignored_pool):
            if pool.acts:
                run.purchases.append((name, pool.dates, pool.acts, pool.used))
    return WashSaleResult(
        tuple(run.matches),
        tuple(run.risks),
        tuple(run.sales),
        tuple(run.adjustments),
        policy,
        _purchases=tuple(run.purchases),
        _realized=(run.deferred, run.lost),
    )


def _by_group(
    by_ticker: dict[str, list[Activity]], identical: IdenticalGroups
) -> dict[str, list[Activity]]:
    """Rows by identical group: the rows of each of its tickers, in input order, one
    ticker after another. Nothing depends on the order across tickers: rows of different
    tickers never tie in ``_buy_order`` or ``_sell_order``, by which every result is
    ordered, and the date-only sort of purchases is settled by ``_buy_order`` before
    purchases are read in order (``_Pool``)."""
    out: dict[str, list[Activity]] = {}
    for ticker, rows in by_ticker.items():
        out.setdefault(identical.key(ticker), []).extend(rows)
    return out


def _sales_to_process(
    sales: list[Activity], pools: tuple[_Pool, _Pool], taxable: frozenset[str]
) -> tuple[list[Activity], set[tuple[str, str, date]]]:
    """The sales that can change anything, in input order: those whose shares were bought
    in the table (they carry, and use up, what those shares absorbed) and taxable sales
    whose proceeds are below their basis as paid (they can be wash sales; a carried
    increase only deepens a loss, and only a sale with a purchase in the table gets one).
    Any other sale has its plain result and is left to ``_SaleGroup.results``. The test
    may let in a few sales that turn out to change nothing; processing decides exactly.
    Also returns the (account, ticker, date) of the purchases some sale sold from.

    One pass over the pool finds the purchases made on a day some sale's shares were
    acquired (the dates' hashes are cached in the date objects, but reading them is a
    memory access per purchase, so the pool is walked once, not once for the days and
    again for the purchases). Fields are read in comprehensions: on CPython 3.11 a
    specialised attribute load beats ``attrgetter`` about two to one.
    """
    acquired: set[date | None] = {s.acquired for s in sales}  # a sale's is never None
    sources: set[tuple[str, str, date]] = set()
    for pool in pools:
        bought = zip(pool.acts, pool.dates, strict=True)
        sources.update([(a.account, a.ticker, day) for a, day in bought if day in acquired])
    days = {key[2] for key in sources}
    needed = [
        s
        for s in sales
        if (s.acquired in days and (s.account, s.ticker, s.acquired) in sources)
        or (s.account_type._value_ in taxable and s.shares * s.price < s.cost_basis)  # type: ignore[operator]
    ]
    return needed, sources


def _process_sales(
    sales: list[Activity],
    group: _Pool,
    ignored: _Pool,
    sources: set[tuple[str, str, date]],
    run: _Run,
    records: list[_SaleRecord],
) -> None:
    """Each sale in order: draw its shares from their purchase (carrying the adjustments
    those shares absorbed), then match a taxable loss against replacements."""
    record = records.append
    taxable = run.taxable
    for sale in sales:
        acquired = sale.acquired
        assert acquired is not None and sale.cost_basis is not None  # checked by Activity
        if (sale.account, sale.ticker, acquired) in sources:
            increase, tacked_from = _draw_from_source(sale, acquired, group, ignored)
        else:
            increase, tacked_from = ZERO, None  # no purchase of these shares in the table
        basis = sale.cost_basis + increase
        gain_loss = (sale.shares * sale.price - basis).quantize(CENT, ROUND_HALF_UP)
        disallowed = ZERO
        if gain_loss < ZERO and sale.account_type._value_ in taxable:
            loss = -gain_loss
            if group.acts:
                disallowed = _match(sale, acquired, loss, group, run)
            if ignored.acts:
                _note_risks(sale, loss, (sale.account, sale.ticker, acquired), ignored, run)
        record((sale, basis, gain_loss, disallowed, tacked_from))


def _draw_from_source(
    sale: Activity, acquired: date, group: _Pool, ignored: _Pool
) -> tuple[Decimal, date | None]:
    """Take the sold shares from their purchase(s); return the adjustments they carry."""
    account, ticker = sale.account, sale.ticker
    pool = [(group, i) for i in group.sources(account, ticker, acquired)] if group.acts else []
    if ignored.acts:
        pool += [(ignored, i) for i in ignored.sources(account, ticker, acquired)]
    if not pool:
        return ZERO, None
    remaining, increase, effective, whole = sale.shares, ZERO, None, True
    for owner, i in pool:
        if remaining <= ZERO:
            break
        free = owner.acts[i].shares - owner.sold[i]
        if free <= ZERO:
            continue
        taken = min(free, remaining)
        more, eff, all_tacked = owner.take(i, taken)
        increase += more
        whole = whole and all_tacked
        if eff is not None:
            effective = eff if effective is None else min(effective, eff)
        remaining -= taken
    if remaining > ZERO:
        whole = False
    return increase, effective if whole else None


def _match(sale: Activity, acquired: date, loss: Decimal, group: _Pool, run: _Run) -> Decimal:
    """Earliest-first replacement shares for one loss, each used once; records each match.

    Authority: IRC §1091(a), (d); Reg. §1.1091-1(c)-(e); Rev. Rul. 2008-5; IRC §1223(3).

    One loop with its state in locals (it runs once per match: ~10^4 times in a large
    table), so the recording is inline rather than a helper."""
    sale_date = sale.date
    dates = group.dates
    lo = bisect.bisect_left(dates, sale_date - run.window)
    hi = bisect.bisect_right(dates, sale_date + run.window, lo)
    i = group.find(lo)
    if i >= hi:
        return ZERO
    acts, used, sold, nxt, unsettled = (
        group.acts,
        group.used,
        group.sold,
        group.next,
        group.unsettled,
    )
    treatments, reasons, matches = run.treatments, run.reasons, run.matches
    account, ticker, shares, sale_row = sale.account, sale.ticker, sale.shares, sale.row
    remaining, cumulative, disallowed, deferred = shares, ZERO, ZERO, ZERO
    while i < hi and remaining > ZERO:
        if unsettled and dates[i] in unsettled:
            group.settle(dates[i])
        act = acts[i]
        if act.date == acquired and act.account == account and act.ticker == ticker:
            i = group.find(i + 1)  # the purchase of the very shares being sold
            continue
        start = used[i]
        bought = act.shares
        free = bought - start
        if free <= remaining:
            taken = free
            nxt[i] = i + 1  # used up: skip it from now on
        else:
            taken = remaining
        end = start + taken
        used[i] = end
        remaining -= taken
        if remaining:
            cumulative += taken
            amount = (loss * cumulative / shares).quantize(CENT, ROUND_HALF_UP) - disallowed
        else:  # the last share: the rest of the loss (a whole number of cents)
            amount = loss - disallowed
        disallowed += amount
        kind = act.account_type._value_
        reason = reasons[(kind, act.owner._value_)]
        # Shares of this range sold before the match (sales draw from the front too).
        sold_i = sold[i]
        already_sold = ZERO if sold_i <= start else min(end, sold_i) - start
        tacked: TackedHolding | None
        if treatments[kind] is _ADJUSTS_BASIS:  # deferred into the replacement's basis
            tacked = tacked_holding(acquired, sale_date, act.date)
            if already_sold < taken:
                group.segments.setdefault(i, []).append(
                    _new_segment((start, end, amount, tacked.effective_acquired))
                )
            lost_for_good, increase = False, amount
            deferred += amount
        else:
            tacked, lost_for_good, increase = None, True, ZERO
        matches.append(
            _new_match(
                (
                    sale_date,
                    account,
                    ticker,
                    taken,
                    amount,
                    lost_for_good,
                    act.date,
                    act.account,
                    act.ticker,
                    act.account_type,
                    increase,
                    tacked,
                    reason,
                    already_sold,
                    sale_row,
                    act.row,
                )
            )
        )
        i += 1
        if nxt[i] != i:
            i = group.find(i)
    run.deferred += deferred
    run.lost += disallowed - deferred
    return disallowed


def _note_risks(
    sale: Activity,
    loss: Decimal,
    source_key: tuple[str, str, date],
    ignored: _Pool,
    run: _Run,
) -> None:
    first, last = wash_window(sale.date)
    lo = bisect.bisect_left(ignored.dates, first)
    hi = bisect.bisect_right(ignored.dates, last)
    for act in ignored.acts[lo:hi]:
        if (act.account, act.ticker, act.date) == source_key:
            continue
        run.risks.append(
            WashSaleRisk(
                sale.date,
                sale.account,
                sale.ticker,
                loss,
                act.date,
                act.account,
                act.ticker,
                act.account_type,
                act.shares,
                run.reasons[(act.account_type._value_, act.owner._value_)],
            )
        )


def _record_adjustments(group: _Pool, out: list[PurchaseAdjustment]) -> None:
    """The adjustments still carried by the unsold shares of each purchase, in order."""
    for i in sorted(group.segments):
        act = group.acts[i]
        held = act.shares - group.sold[i]
        segments = group.segments[i]
        if held <= ZERO or not segments:
            continue
        start, end = group.sold[i], act.shares
        increase, covered, effective = ZERO, ZERO, None
        for seg in segments:
            lo, hi = max(start, seg.start), min(end, seg.end)
            if hi > lo:
                increase += seg.increase * (hi - lo) / (seg.end - seg.start)
                covered += hi - lo
                effective = seg.effective if effective is None else max(effective, seg.effective)
        if increase == ZERO:
            continue
        out.append(
            _new_adjustment(
                (
                    act.account,
                    act.ticker,
                    act.date,
                    held,
                    increase,
                    effective if covered == held else None,
                )
            )
        )
