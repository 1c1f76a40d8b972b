"""Sell now or wait: a partial wash sale priced into a lot's status (issue 20).

A purchase of substantially identical stock within 30 days disallows the loss of only as
many sold shares as it bought (Reg. §1.1091-1(c)): 5 shares bought in a spouse's Roth IRA
cost 5 of 100 shares' loss, not all of it. So a lot under a purchase has two choices:

* **sell now**, keeping the loss of the shares no purchase replaces;
* **wait** until the day after the window of the latest counted purchase (the purchase date
  plus 31 days), keeping whatever the purchases around *that* day leave (scheduled ones
  may still be there), at today's price.

Only this year's return is priced, so the choice is made on the loss kept **this year**: a
wait that ends after December 31 of the sale's year keeps nothing this year. Selling now
wins when it keeps some loss and at least as much this year as waiting; otherwise the lot
stays Blocked (a purchase made) or At risk (a scheduled one) and its status says until when
to wait and what that keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.harvest import HarvestCode
from harvest_xl.engine.lots import Lot
from harvest_xl.engine.models import WashSalePolicy
from harvest_xl.engine.money import money, usd
from harvest_xl.engine.wash_risk import (
    Exposure,
    PurchaseIndex,
    WashRisk,
    loss_exposure,
    shares_text,
)

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class SaleTiming:
    """A losing lot's two choices under a wash-sale risk: sell now or wait.

    ``loss`` is the whole loss of the lot's ``shares`` (positive, in cents); selling now
    disallows the loss of ``shares_disallowed`` of them, ``disallowed`` dollars, of which
    ``lost_for_good`` go to no basis (an IRA or, by policy, an employer-plan purchase).
    Waiting until ``wait_until`` keeps ``keeps_if_waiting`` (None when nothing is at risk).
    """

    loss: Decimal
    shares: Decimal
    shares_disallowed: Decimal
    disallowed: Decimal
    lost_for_good: Decimal
    wait_until: date | None
    keeps_if_waiting: Decimal | None
    year_end: date
    shares_disallowed_waiting: Decimal = ZERO
    """The shares the purchases around ``wait_until`` would still replace."""

    def __post_init__(self) -> None:
        if not ZERO <= self.lost_for_good <= self.disallowed <= self.loss:
            raise HarvestInputError(
                "disallowed", "must satisfy 0 <= lost for good <= disallowed <= loss"
            )
        if not ZERO <= self.shares_disallowed <= self.shares:
            raise HarvestInputError("shares_disallowed", "must be between 0 and the lot's shares")

    @property
    def kept_now(self) -> Decimal:
        """The loss allowed when the whole lot is sold today."""
        return self.loss - self.disallowed

    @property
    def waiting_this_year(self) -> bool:
        """Waiting still sells within the sale's tax year."""
        return self.wait_until is not None and self.wait_until <= self.year_end

    @property
    def kept_waiting_this_year(self) -> Decimal:
        """What waiting keeps on this year's return (nothing when the wait ends after it)."""
        if self.keeps_if_waiting is None or not self.waiting_this_year:
            return ZERO
        return self.keeps_if_waiting

    def kept_selling(self, shares: Decimal) -> Decimal:
        """The loss allowed when only the first ``shares`` of the lot are sold today: the
        purchases replace the first shares sold (Reg. §1.1091-1(c)), so the disallowed
        shares are the same as for the whole lot once at least that many are sold."""
        return _kept(self.loss, self.shares, shares, self.shares_disallowed)

    def kept_waiting(self, shares: Decimal) -> Decimal | None:
        """What selling only ``shares`` at ``wait_until`` would keep (None: no wait)."""
        if self.keeps_if_waiting is None:
            return None
        if shares == self.shares:
            return self.keeps_if_waiting
        return _kept(self.loss, self.shares, shares, self.shares_disallowed_waiting)

    @property
    def sell_now(self) -> bool:
        """Selling today keeps some loss and at least as much this year as waiting.

        Authority: IRC §1091(a) (a loss is disallowed only for the shares replaced, Reg.
        §1.1091-1(c)); IRC §165(a), §1211(b) (a loss counts in the year of the sale).
        """
        return self.kept_now > ZERO and self.kept_now >= self.kept_waiting_this_year


def _kept(loss: Decimal, lot_shares: Decimal, sold: Decimal, replaced: Decimal) -> Decimal:
    """The allowed loss of the first ``sold`` of ``lot_shares`` shares (whole ``loss``)
    when ``replaced`` of the shares sold lose theirs: each part in cents, half up, as the
    risk rounds the disallowed part."""
    caught = sold if replaced > sold else replaced
    return _portion(loss, sold, lot_shares) - _portion(loss, caught, lot_shares)


def _portion(loss: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    if part == whole:
        return loss
    if not part:
        return ZERO
    return money(loss * part / whole)


def sale_timing(
    lot: Lot,
    loss: Decimal,
    risk: WashRisk,
    index: PurchaseIndex,
    policy: WashSalePolicy,
) -> SaleTiming:
    """Price selling ``lot`` (its loss ``loss``, on the index's as-of date) now against
    waiting.

    A purchase stops counting the day after its window (its date + 31 days), so the days
    worth waiting for are those; each is priced by the same matching on the purchases
    around it (scheduled ones included). The wait kept is the one that keeps the most loss
    this year, then the most loss, then the earliest. ``risk`` is the lot's risk on the
    as-of date (:func:`wash_risk_for` of ``lot``). When purchases can only leave the window
    as the day moves on (none scheduled, none dated after the as-of date), what a wait keeps
    never falls, and that day is found by a search instead of pricing every day.

    Authority: IRC §1091(a) (30 days before and after the sale); Reg. §1.1091-1(c)-(e);
    Rev. Rul. 2008-5; tax-rules.md §3.9 (the safe date: sale date + 31).
    """
    year_end = date(index.as_of.year, 12, 31)
    best: tuple[Decimal, Decimal, date, Decimal] | None = None
    if risk.loss_at_risk > ZERO:
        days = [day for day in index.safe_days(lot, policy) if day > index.as_of]
        exposures: dict[date, Exposure] = {}

        def keeps(day: date) -> Decimal:
            if day not in exposures:
                later = index.at(day)
                exposures[day] = loss_exposure(lot, loss, later, policy, (), described=False)
            return loss - exposures[day].loss_at_risk

        if index.waiting_only_sheds(lot.ticker):
            day = _best_day_when_keeping_grows(days, year_end, keeps)
            candidates = [] if day is None else [day]
        else:
            candidates = days
        for day in candidates:  # earliest first: a later day must keep strictly more
            kept = keeps(day)
            this_year = kept if day <= year_end else ZERO
            if best is None or (this_year, kept) > (best[0], best[1]):
                best = (this_year, kept, day, exposures[day].shares_at_risk)
    wait_until = None if best is None else best[2]
    return SaleTiming(
        loss,
        lot.shares,
        risk.shares_at_risk,
        risk.loss_at_risk,
        risk.loss_lost_for_good,
        wait_until,
        None if best is None else best[1],
        year_end,
        ZERO if best is None else best[3],
    )


def _best_day_when_keeping_grows(
    days: list[date], year_end: date, keeps: Callable[[date], Decimal]
) -> date | None:
    """The day the full scan of ``days`` would choose (most kept this year, then most kept,
    then earliest) when what a wait keeps never falls from one day to the next: the earliest
    day keeping what the last day of this year keeps, if that is anything; otherwise the
    earliest day keeping what the last day keeps (:func:`_earliest_keeping`)."""
    if not days:
        return None
    this_year = [d for d in days if d <= year_end]
    if this_year and keeps(this_year[-1]) > ZERO:
        return _earliest_keeping(this_year, keeps(this_year[-1]), keeps)
    return _earliest_keeping(days, keeps(days[-1]), keeps)


def _earliest_keeping(days: list[date], most: Decimal, keeps: Callable[[date], Decimal]) -> date:
    """The first of ``days`` (on which ``keeps`` never falls) keeping ``most``, which the
    last day keeps. Searched back from the last day with doubling steps, then by bisection
    within the last step: a wait usually has to clear every purchase in the window, so the
    day is usually the last or near it, found in a few steps."""
    hi = len(days) - 1  # keeps(days[hi]) >= most
    below, step = -1, 1  # keeps(days[below]) < most, or below = -1: not known
    while hi - step >= 0:
        if keeps(days[hi - step]) < most:
            below = hi - step
            break
        hi -= step
        step *= 2
    lo = below + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if keeps(days[mid]) >= most:
            hi = mid
        else:
            lo = mid + 1
    return days[lo]


def timed_status(
    code: HarvestCode, text: str, risk: WashRisk, timing: SaleTiming | None
) -> tuple[HarvestCode, str]:
    """Overlay a wash-sale risk on a Harvest status, priced: Harvest when selling now keeps
    more this year (the text then says what is disallowed and what waiting would keep),
    otherwise Blocked (a purchase made) or At risk (a scheduled one), naming the purchase
    and until when to wait.

    Authority: IRC §1091(a); Reg. §1.1091-1(a), (c); Rev. Rul. 2008-5.
    """
    if code is not HarvestCode.HARVEST or not risk.at_risk or timing is None:
        return code, text
    if timing.sell_now:
        return HarvestCode.HARVEST, f"{text}; sell now: {_disallowed_text(timing)}"
    wait = HarvestCode.BLOCKED if risk.blocked else HarvestCode.AT_RISK
    return wait, f"{wait.value}: {risk.text}; {wait_text(timing)}"


def _fate(t: SaleTiming) -> str:
    if t.lost_for_good == t.disallowed:
        return "lost for good"
    if t.lost_for_good == ZERO:
        return "deferred into the replacement's basis"
    return f"{usd(t.lost_for_good)} of it lost for good"


def _disallowed_text(t: SaleTiming) -> str:
    """What selling now gives up, what it keeps, and what waiting would have kept."""
    shares = f"{shares_text(t.shares_disallowed)} of {shares_text(t.shares)} shares"
    text = (
        f"{shares}' loss ({usd(t.disallowed)}) is disallowed, {_fate(t)}; "
        f"{usd(t.kept_now)} kept this year"
    )
    if t.wait_until is not None and t.keeps_if_waiting is not None:
        text += f"; waiting until {t.wait_until} would keep {usd(t.keeps_if_waiting)}"
        text += ", but not this year" if not t.waiting_this_year else ""
    return text


def wait_text(t: SaleTiming) -> str:
    """Until when to wait, what that keeps, and what selling now would keep instead (the
    status of a lot better sold later, and the Plan's reason for not selling it today)."""
    keeps = usd(t.keeps_if_waiting or ZERO)
    when = "this year" if t.waiting_this_year else f"in {t.year_end.year + 1}"
    now = usd(t.kept_now) if t.kept_now else "nothing"
    return f"wait until {t.wait_until} to keep {keeps} {when} (selling now keeps {now})"
