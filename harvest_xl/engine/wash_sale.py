"""Realized wash sales across every account: §1091 and Reg. §1.1091-1(b)-(e).

Design (tax-rules.md §3.9). Activity is split by identical group (a ticker is always
identical to itself). Within a group, purchases are sorted once by a total key and
loss sales are processed in the order they were made (Reg. §1.1091-1(b); same-day sales
in order of original acquisition). Each loss sale takes replacement shares from the
purchases dated 30 days before to 30 days after it, earliest first (Reg. §1.1091-1(c),
(d)); a share used once is never used again (Reg. §1.1091-1(e)), which a skip-pointer
structure makes cheap, so the whole run is O(n log n).

Share identity inside one purchase follows one fixed order: replacement shares are
assigned, and later sales draw shares, from the front of the purchase. A sale therefore
carries the adjustments (and tacked holding period) of exactly the shares it takes, so a
chained wash sale comes out right. The purchase of the very shares being sold (same
account, same ticker, bought on the sale's acquisition date) is never their replacement.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

from harvest_xl.engine.holding import TackedHolding, tacked_holding
from harvest_xl.engine.lots import Action, Activity, IdenticalGroups, Lot, Owner
from harvest_xl.engine.models import AccountType, WashReplacement, WashSalePolicy
from harvest_xl.engine.params import penalty_parameter

ZERO = Decimal(0)
_NONE: list[_Purchase] = []
CENT = Decimal("0.01")


def money(amount: Decimal) -> Decimal:
    """Dollars and cents, half-up (Form 8949 columns are in dollars and cents)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


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


@dataclass(frozen=True, slots=True)
class WashSaleMatch:
    """One (loss sale, replacement purchase) pair: the shares matched and their effect."""

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
    sale_row: int | None = field(default=None, compare=False)
    replacement_row: int | None = field(default=None, compare=False)

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


@dataclass(frozen=True, slots=True)
class SaleResult:
    """One sale after wash-sale adjustments carried from earlier matches."""

    activity: Activity
    adjusted_basis: Decimal
    gain_loss: Decimal
    disallowed: Decimal
    tacked_from: date | None

    @property
    def allowed(self) -> Decimal:
        return self.gain_loss + self.disallowed


@dataclass(frozen=True, slots=True)
class PurchaseAdjustment:
    """Wash-sale adjustments still carried by the unsold shares of one purchase."""

    account: str
    ticker: str
    acquired: date
    held_shares: Decimal
    basis_increase: Decimal
    effective_acquired: date | None


@dataclass(frozen=True, slots=True)
class WashSaleResult:
    matches: tuple[WashSaleMatch, ...]
    risks: tuple[WashSaleRisk, ...]
    sales: tuple[SaleResult, ...]
    adjustments: tuple[PurchaseAdjustment, ...]
    policy: WashSalePolicy
    _by_purchase: dict[tuple[str, str, date], list[PurchaseAdjustment]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for a in self.adjustments:
            self._by_purchase.setdefault((a.account, a.ticker, a.acquired), []).append(a)

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


class _Segment:
    """Shares [start, end) of a purchase that absorbed a disallowed loss."""

    __slots__ = ("start", "end", "increase", "effective")

    def __init__(self, start: Decimal, end: Decimal, increase: Decimal, effective: date) -> None:
        self.start, self.end, self.increase, self.effective = start, end, increase, effective


class _Purchase:
    __slots__ = ("act", "treatment", "used", "sold", "segments", "source_key")

    def __init__(self, act: Activity, treatment: WashReplacement | None) -> None:
        self.act = act
        self.source_key = (act.account, act.ticker, act.date)
        self.treatment = treatment
        self.used = ZERO
        self.sold = ZERO
        self.segments: list[_Segment] | None = None  # created on the first match

    def take(self, shares: Decimal) -> tuple[Decimal, date | None, bool]:
        """Sell ``shares`` from the front; return the adjustments they carry."""
        start, end = self.sold, self.sold + shares
        self.sold = end
        if not self.segments:
            return ZERO, None, False
        increase, effective, whole = ZERO, None, True
        covered = ZERO
        for seg in self.segments or ():
            lo, hi = max(start, seg.start), min(end, seg.end)
            if hi > lo:
                increase += seg.increase * (hi - lo) / (seg.end - seg.start)
                effective = seg.effective if effective is None else min(effective, seg.effective)
                covered += hi - lo
        whole = covered == shares
        return increase, effective if whole else None, whole


# Total orders on rows by content (C-level keys), so input order never matters.
# Sales: Reg. §1.1091-1(b) order of disposition, same day by original acquisition.
_BUY_ORDER = attrgetter(
    "date", "account", "ticker", "account_type._value_", "owner._value_", "shares", "price"
)
_SELL_ORDER = attrgetter(
    "date",
    "acquired",
    "account",
    "ticker",
    "account_type._value_",
    "owner._value_",
    "shares",
    "price",
    "cost_basis",
)


class _Group:
    """All purchases of one identical group, with skip pointers over used-up purchases."""

    def __init__(self, purchases: list[_Purchase]) -> None:
        self.purchases = purchases
        self.dates = [p.act.date for p in purchases]
        self.next = list(range(len(purchases) + 1))
        self.sources: dict[tuple[str, str, date], list[_Purchase]] = defaultdict(list)
        for p in purchases:
            self.sources[p.source_key].append(p)

    def find(self, i: int) -> int:
        root = i
        while self.next[root] != root:
            root = self.next[root]
        while self.next[i] != root:
            self.next[i], i = root, self.next[i]
        return root

    def exhaust(self, i: int) -> None:
        self.next[i] = i + 1


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
    with gc_paused():
        return _analyse(activity, identical or IdenticalGroups(), policy)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one table-level run, then restore it.

    A run over 10^5 rows allocates ~10^5 short-lived objects that form no reference
    cycles; full collections scanning them cost about a fifth of the run at that size
    and make the time grow faster than the row count. Reference counting still frees
    everything at once. The collector is re-enabled on exit (also on error) only if it
    was enabled before, so nested and concurrent runs leave it as they found it.
    No result depends on this.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _analyse(
    activity: Iterable[Activity], identical: IdenticalGroups, policy: WashSalePolicy
) -> WashSaleResult:
    buys: dict[str, list[Activity]] = defaultdict(list)
    sells: dict[str, list[Activity]] = defaultdict(list)
    key = identical.key
    for act in activity:
        (buys if act.action is Action.BUY else sells)[key(act.ticker)].append(act)
    matches: list[WashSaleMatch] = []
    risks: list[WashSaleRisk] = []
    sales: list[SaleResult] = []
    adjustments: list[PurchaseAdjustment] = []
    treatments = {t: replacement_treatment(t, policy) for t in AccountType}
    for name in sorted(buys.keys() | sells.keys()):
        counted: list[_Purchase] = []
        ignored: list[_Purchase] = []
        for act in sorted(buys.get(name, ()), key=_BUY_ORDER):
            treatment = treatments[act.account_type]
            (counted if treatment is not None else ignored).append(_Purchase(act, treatment))
        group, ignored_group = _Group(counted), _Group(ignored)
        for act in sorted(sells.get(name, ()), key=_SELL_ORDER):
            sales.append(_process_sale(act, group, ignored_group, policy, matches, risks))
        for p in counted:
            if p.segments:
                _record_adjustment(p, adjustments)
    return WashSaleResult(tuple(matches), tuple(risks), tuple(sales), tuple(adjustments), policy)


def _process_sale(
    sale: Activity,
    group: _Group,
    ignored: _Group,
    policy: WashSalePolicy,
    matches: list[WashSaleMatch],
    risks: list[WashSaleRisk],
) -> SaleResult:
    assert sale.acquired is not None and sale.cost_basis is not None  # checked by Activity
    source_key = (sale.account, sale.ticker, sale.acquired)
    increase, tacked_from = _draw_from_source(sale, group, ignored)
    basis = sale.cost_basis + increase
    gain_loss = money(sale.shares * sale.price - basis)
    loss = -gain_loss
    disallowed = ZERO
    if loss > 0 and sale.account_type.has_tax_effect:
        disallowed = _match(sale, loss, source_key, group, policy, matches)
        if ignored.purchases:
            _note_risks(sale, loss, source_key, ignored, policy, risks)
    return SaleResult(sale, basis, gain_loss, disallowed, tacked_from)


def _draw_from_source(
    sale: Activity, group: _Group, ignored: _Group
) -> tuple[Decimal, date | None]:
    """Take the sold shares from their purchase(s); return the adjustments they carry."""
    key = (sale.account, sale.ticker, sale.acquired or date.min)
    pool = group.sources.get(key, _NONE) + ignored.sources.get(key, _NONE)
    if not pool:
        return ZERO, None
    remaining, increase, effective, whole = sale.shares, ZERO, None, True
    for purchase in pool:
        if remaining <= 0:
            break
        free = purchase.act.shares - purchase.sold
        if free <= 0:
            continue
        taken = min(free, remaining)
        more, eff, all_tacked = purchase.take(taken)
        increase += more
        whole = whole and all_tacked
        if eff is not None:
            effective = eff if effective is None else min(effective, eff)
        remaining -= taken
    if remaining > 0:
        whole = False
    return increase, effective if whole else None


def _match(
    sale: Activity,
    loss: Decimal,
    source_key: tuple[str, str, date | None],
    group: _Group,
    policy: WashSalePolicy,
    matches: list[WashSaleMatch],
) -> Decimal:
    first, last = wash_window(sale.date)
    lo = bisect.bisect_left(group.dates, first)
    hi = bisect.bisect_right(group.dates, last)
    remaining, cumulative, disallowed = sale.shares, ZERO, ZERO
    i = group.find(lo)
    while i < hi and remaining > 0:
        purchase = group.purchases[i]
        if purchase.source_key == source_key:
            i = group.find(i + 1)
            continue
        taken = min(purchase.act.shares - purchase.used, remaining)
        start = purchase.used
        purchase.used += taken
        if purchase.used >= purchase.act.shares:
            group.exhaust(i)
        remaining -= taken
        cumulative += taken
        amount = money(loss * cumulative / sale.shares) - disallowed
        disallowed += amount
        matches.append(_record_match(sale, purchase, start, taken, amount, policy))
        i = group.find(i + 1)
    return disallowed


def _record_match(
    sale: Activity,
    purchase: _Purchase,
    start: Decimal,
    taken: Decimal,
    amount: Decimal,
    policy: WashSalePolicy,
) -> WashSaleMatch:
    assert sale.acquired is not None
    act = purchase.act
    adjusts = purchase.treatment is WashReplacement.ADJUSTS_BASIS
    already_sold = max(ZERO, min(start + taken, purchase.sold) - start)
    tacked = tacked_holding(sale.acquired, sale.date, act.date) if adjusts else None
    if adjusts and tacked is not None and already_sold < taken:
        if purchase.segments is None:
            purchase.segments = []
        purchase.segments.append(_Segment(start, start + taken, amount, tacked.effective_acquired))
    return WashSaleMatch(
        sale_date=sale.date,
        sale_account=sale.account,
        ticker=sale.ticker,
        shares=taken,
        disallowed_loss=amount,
        permanently_lost=not adjusts,
        replacement_date=act.date,
        replacement_account=act.account,
        replacement_ticker=act.ticker,
        replacement_account_type=act.account_type,
        basis_increase=amount if adjusts else ZERO,
        tacked=tacked,
        reason=replacement_reason(act.account_type, policy, act.owner),
        replacement_already_sold=already_sold,
        sale_row=sale.row,
        replacement_row=act.row,
    )


def _note_risks(
    sale: Activity,
    loss: Decimal,
    source_key: tuple[str, str, date | None],
    ignored: _Group,
    policy: WashSalePolicy,
    risks: list[WashSaleRisk],
) -> None:
    first, last = wash_window(sale.date)
    lo = bisect.bisect_left(ignored.dates, first)
    hi = bisect.bisect_right(ignored.dates, last)
    for purchase in ignored.purchases[lo:hi]:
        if purchase.source_key == source_key:
            continue
        act = purchase.act
        risks.append(
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
                replacement_reason(act.account_type, policy, act.owner),
            )
        )


def _record_adjustment(purchase: _Purchase, out: list[PurchaseAdjustment]) -> None:
    held = purchase.act.shares - purchase.sold
    if held <= 0 or not purchase.segments:
        return
    start, end = purchase.sold, purchase.act.shares
    increase, covered, effective = ZERO, ZERO, None
    for seg in purchase.segments:
        lo, hi = max(start, seg.start), min(end, seg.end)
        if hi > lo:
            increase += seg.increase * (hi - lo) / (seg.end - seg.start)
            covered += hi - lo
            effective = seg.effective if effective is None else max(effective, seg.effective)
    if increase == 0:
        return
    act = purchase.act
    out.append(
        PurchaseAdjustment(
            act.account,
            act.ticker,
            act.date,
            held,
            increase,
            effective if covered == held else None,
        )
    )
