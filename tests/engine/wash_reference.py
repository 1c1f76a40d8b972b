"""A deliberately naive reference for realized wash-sale matching (tests only).

A plain transcription of the rules in ``harvest_xl.engine.wash_sale``'s module docstring
and tax-rules.md §3, written without the engine's speed devices: no skip pointers, no
bisect, no pools split by policy, no per-run caches. Every window is found by scanning
every purchase of the group, every source by scanning every purchase, so it is O(n^2)
and meant for a few thousand rows at most. The differential test
(test_wash_equivalence.py) checks the engine against it.

The rules, as the engine states them and as transcribed here:

1. Rows are split by identical group (``IdenticalGroups.key``); groups are processed in
   the order of their keys.
2. Purchases of a group are ordered by (date, account, ticker, account type, owner,
   shares, price); sales by (date, acquired, account, ticker, account type, owner,
   shares, price, cost basis) — Reg. §1.1091-1(b): order of disposition, same day by
   original acquisition. Equal keys keep input order.
3. A purchase in an account type the policy does not count (employer plan or HSA under
   policy ignore) never replaces; it is shown as a risk next to each taxable loss whose
   window holds it, except the sale's own shares.
4. Each sale first takes its shares from the purchase(s) of those shares (same account,
   ticker, and purchase date = the sale's acquisition date; counted purchases before
   uncounted ones, each in purchase order), from the front of the purchase. The shares
   carry the basis increases recorded on them (pro rata inside each recorded range);
   the sale's holding period is tacked (earliest tacked date) only if every share it
   sold carried a tacked date.
5. The gain or loss is proceeds - (basis + increase), rounded to cents half-up.
6. A loss in a taxable account is matched against counted purchases dated 30 days before
   to 30 days after the sale (inclusive), earliest first (Reg. §1.1091-1(c), (d)), never
   against its own shares, each purchase share used once (Reg. §1.1091-1(e)), front of
   the purchase first. Disallowed cents: the running total is loss x matched / sold,
   rounded half-up, and each match gets the increment.
7. A taxable replacement takes the disallowed amount into the basis of the matched share
   range with a tacked holding period (§1091(d), §1223(3)); an IRA (or, under policy
   conservative, an employer-plan or HSA) replacement loses it (Rev. Rul. 2008-5).
   Matched shares that were already sold from the purchase when the loss was matched are
   flagged; if all were, nothing is recorded on the purchase.
8. What each purchase still carries after all sales: the unsold shares' part of each
   recorded range; the tacked date is the latest of those ranges', and only when every
   unsold share is covered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from harvest_xl.engine.holding import TackedHolding, tacked_holding
from harvest_xl.engine.lots import Action, Activity, IdenticalGroups
from harvest_xl.engine.models import AccountType, WashReplacement, WashSalePolicy
from harvest_xl.engine.params import penalty_parameter
from harvest_xl.engine.wash_sale import replacement_reason

ZERO = Decimal(0)


def cents(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Recorded:
    """A range [start, end) of a purchase's shares that took a disallowed loss."""

    start: Decimal
    end: Decimal
    increase: Decimal
    effective: date


@dataclass
class Purchase:
    act: Activity
    counted: bool
    used: Decimal = ZERO  # shares used as replacements, from the front
    sold: Decimal = ZERO  # shares sold, from the front
    recorded: list[Recorded] = field(default_factory=list)


@dataclass
class RefMatch:
    sale: Activity
    purchase: Activity
    shares: Decimal
    disallowed: Decimal
    permanently_lost: bool
    basis_increase: Decimal
    tacked: TackedHolding | None
    reason: str
    already_sold: Decimal


@dataclass
class RefRisk:
    sale: Activity
    loss: Decimal
    purchase: Activity
    reason: str


@dataclass
class RefSale:
    sale: Activity
    adjusted_basis: Decimal
    gain_loss: Decimal
    disallowed: Decimal
    tacked_from: date | None


@dataclass
class RefAdjustment:
    purchase: Activity
    held_shares: Decimal
    basis_increase: Decimal
    effective_acquired: date | None


@dataclass
class RefResult:
    matches: list[RefMatch] = field(default_factory=list)
    risks: list[RefRisk] = field(default_factory=list)
    sales: list[RefSale] = field(default_factory=list)
    adjustments: list[RefAdjustment] = field(default_factory=list)


def treatment(kind: AccountType, policy: WashSalePolicy) -> WashReplacement | None:
    """Taxable adjusts basis; IRAs lose the loss; other plans by policy (None = not counted)."""
    if kind is AccountType.TAXABLE:
        return WashReplacement.ADJUSTS_BASIS
    if kind in (
        AccountType.TRADITIONAL_IRA,
        AccountType.ROTH_IRA,
        AccountType.SEP_IRA,
        AccountType.SIMPLE_IRA,
    ):
        return WashReplacement.PERMANENTLY_LOST
    if policy is WashSalePolicy.CONSERVATIVE:
        return WashReplacement.PERMANENTLY_LOST
    return None


def buy_key(a: Activity) -> tuple[object, ...]:
    return (a.date, a.account, a.ticker, a.account_type.value, a.owner.value, a.shares, a.price)


def sell_key(a: Activity) -> tuple[object, ...]:
    return (
        a.date,
        a.acquired,
        a.account,
        a.ticker,
        a.account_type.value,
        a.owner.value,
        a.shares,
        a.price,
        a.cost_basis,
    )


def is_own_shares(p: Activity, sale: Activity) -> bool:
    return p.account == sale.account and p.ticker == sale.ticker and p.date == sale.acquired


def reference_analysis(
    activity: list[Activity], identical: IdenticalGroups, policy: WashSalePolicy
) -> RefResult:
    days = timedelta(days=int(penalty_parameter("wash_sale_window_days_before_after")))
    out = RefResult()
    keys = sorted({identical.key(a.ticker) for a in activity})
    for key in keys:
        rows = [a for a in activity if identical.key(a.ticker) == key]
        buys = sorted((a for a in rows if a.action is Action.BUY), key=buy_key)
        sells = sorted((a for a in rows if a.action is Action.SELL), key=sell_key)
        purchases = [Purchase(a, treatment(a.account_type, policy) is not None) for a in buys]
        for sale in sells:
            assert sale.cost_basis is not None and sale.acquired is not None
            increase, tacked_from = draw_own_shares(sale, purchases)
            basis = sale.cost_basis + increase
            gain_loss = cents(sale.shares * sale.price - basis)
            loss = -gain_loss
            disallowed = ZERO
            if loss > 0 and sale.account_type is AccountType.TAXABLE:
                disallowed = match_loss(sale, loss, purchases, policy, days, out)
                for p in purchases:
                    inside = sale.date - days <= p.act.date <= sale.date + days
                    if not p.counted and inside and not is_own_shares(p.act, sale):
                        out.risks.append(
                            RefRisk(
                                sale,
                                loss,
                                p.act,
                                replacement_reason(p.act.account_type, policy, p.act.owner),
                            )
                        )
            out.sales.append(RefSale(sale, basis, gain_loss, disallowed, tacked_from))
        for p in purchases:
            adjustment = still_carried(p)
            if adjustment is not None:
                out.adjustments.append(adjustment)
    return out


def draw_own_shares(sale: Activity, purchases: list[Purchase]) -> tuple[Decimal, date | None]:
    """Step 4: take the sold shares from the front of their purchases."""
    own = [p for p in purchases if p.counted and is_own_shares(p.act, sale)]
    own += [p for p in purchases if not p.counted and is_own_shares(p.act, sale)]
    if not own:
        return ZERO, None
    remaining = sale.shares
    increase = ZERO
    tacked_dates: list[date] = []
    every_share_tacked = True
    for p in own:
        if remaining <= 0:
            break
        free = p.act.shares - p.sold
        if free <= 0:
            continue
        taken = min(free, remaining)
        start, end = p.sold, p.sold + taken
        p.sold = end
        covered, piece_increase = ZERO, ZERO
        piece_dates = []
        for r in p.recorded:
            lo, hi = max(start, r.start), min(end, r.end)
            if hi > lo:
                piece_increase += r.increase * (hi - lo) / (r.end - r.start)
                piece_dates.append(r.effective)
                covered += hi - lo
        increase += piece_increase  # summed per purchase, then over purchases
        if p.recorded and covered == taken:
            tacked_dates += piece_dates
        else:
            every_share_tacked = False
        remaining -= taken
    if remaining > 0:
        every_share_tacked = False
    return increase, (min(tacked_dates) if every_share_tacked and tacked_dates else None)


def match_loss(
    sale: Activity,
    loss: Decimal,
    purchases: list[Purchase],
    policy: WashSalePolicy,
    days: timedelta,
    out: RefResult,
) -> Decimal:
    """Step 6-7: earliest-first replacement shares inside the window, each used once."""
    assert sale.acquired is not None
    remaining, matched, disallowed = sale.shares, ZERO, ZERO
    for p in purchases:
        if remaining <= 0:
            break
        if not p.counted or not (sale.date - days <= p.act.date <= sale.date + days):
            continue
        if is_own_shares(p.act, sale) or p.used >= p.act.shares:
            continue
        start = p.used
        taken = min(p.act.shares - start, remaining)
        p.used = start + taken
        remaining -= taken
        matched += taken
        amount = cents(loss * matched / sale.shares) - disallowed
        disallowed += amount
        adjusts = treatment(p.act.account_type, policy) is WashReplacement.ADJUSTS_BASIS
        already_sold = max(ZERO, min(start + taken, p.sold) - start)
        tacked = tacked_holding(sale.acquired, sale.date, p.act.date) if adjusts else None
        if tacked is not None and already_sold < taken:
            p.recorded.append(Recorded(start, start + taken, amount, tacked.effective_acquired))
        out.matches.append(
            RefMatch(
                sale,
                p.act,
                taken,
                amount,
                not adjusts,
                amount if adjusts else ZERO,
                tacked,
                replacement_reason(p.act.account_type, policy, p.act.owner),
                already_sold,
            )
        )
    return disallowed


def still_carried(p: Purchase) -> RefAdjustment | None:
    """Step 8: the unsold shares' part of every recorded range."""
    held = p.act.shares - p.sold
    if held <= 0 or not p.recorded:
        return None
    increase, covered = ZERO, ZERO
    dates = []
    for r in p.recorded:
        lo, hi = max(p.sold, r.start), min(p.act.shares, r.end)
        if hi > lo:
            increase += r.increase * (hi - lo) / (r.end - r.start)
            covered += hi - lo
            dates.append(r.effective)
    if increase == 0:
        return None
    return RefAdjustment(p.act, held, increase, max(dates) if covered == held else None)
