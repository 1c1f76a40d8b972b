"""The loss part of the plan: which losing lots to sell, and how many shares of each.

Candidates are taken best first (single-lot saving) until the goal's loss is reached,
selling only as many shares of the last one as that needs. Every row is priced on the one
return that already holds the rows above it: its federal saving is the tax before it minus
the tax after it, its state saving the state rate on the part deducted this year.

**Losses that save nothing are not spent** (issue 20), unless the goal is ``all losses``.
A loss that only cancels gains taxed at 0% (or gains the deductions already absorb), or
that could only be carried over, saves no federal tax this year, while the same loss kept
for a later year is worth 15-24%. So a candidate whose first share would save nothing is
left unsold, and a row is cut to the fewest shares that save as much as all of them, and
before any stretch of its loss that would only cancel gain taxed at 0% (even if the $3,000
deduction waits behind it). Which dollars save nothing is judged on the exact bracket
formula (no Tax Table), so the Table's $50 rows never make a share look worthless; the
savings shown are the return's own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from harvest_xl.engine.harvest import SavingCalculator, with_loss
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.money import money, usd
from harvest_xl.engine.plan_records import PlanCandidate, PlanRow, UnsoldLot
from harvest_xl.engine.schedule import TaxSchedule, tax_schedule
from harvest_xl.engine.tax import TaxResult, TaxReturn, federal_tax, tax_with_schedule
from harvest_xl.engine.wash_risk import shares_text

ZERO = Decimal(0)


@functools.lru_cache(maxsize=32)
def exact_schedule(year: int, status: FilingStatus) -> TaxSchedule:
    """The year's figures with the Tax Table switched off: the Tax Computation Worksheet's
    exact bracket formula at every income (what-if only; never a return's tax).

    Authority: Form 1040 instructions, Tax Computation Worksheet; tax-rules.md §5.5.
    """
    return replace(tax_schedule(year, status), tax_table_limit=ZERO)


def zero_rate_gain(result: TaxResult) -> Decimal:
    """Preferential income (net capital gain and qualified dividends) taxed at 0%: what
    the QDCGT worksheet taxes at 0% (line 9) plus what the deductions absorb before it is
    taxed at all (line 4 minus line 10).

    Authority: Form 1040 instructions, Qualified Dividends and Capital Gain Tax Worksheet
    lines 4, 9, 10, 17, 20 (line 4 - line 17 - line 20); IRC §1(h)(1)(B).
    """
    sheet = result.qdcgt
    if sheet is None:
        return ZERO
    lines = sheet.lines
    return lines[4] - lines[17] - lines[20]


@dataclass(frozen=True, slots=True)
class LossPass:
    """The loss rows, the candidates left unsold, and the return after the rows."""

    rows: tuple[PlanRow, ...]
    unsold: tuple[UnsoldLot, ...]
    ret: TaxReturn
    after: TaxResult
    sold_groups: frozenset[str]
    """The identical-group keys of the lots sold (buying one back today would replace)."""


def harvest_losses(
    ranked: Sequence[PlanCandidate],
    target: Decimal | None,
    calc: SavingCalculator,
    spend_only_savings: bool,
) -> LossPass:
    """Sell ``ranked`` candidates in order until ``target`` (None: every one).

    Authority: Reg. §1.1012-1(c) (specific identification of the shares sold);
    tax-rules.md §2.6 (with/without saving); IRC §1211(b), §1212(b); IRC §1(h)(1)(B)
    (gain taxed at 0% saves nothing when cancelled).
    """
    state_rate = calc.profile.state_rate
    exact = exact_schedule(calc.ret.year, calc.ret.filing_status)
    ret, current = calc.ret, calc.base
    exact_now: TaxResult | None = None
    cumulative = ZERO
    rows: list[PlanRow] = []
    unsold: list[UnsoldLot] = []
    groups: set[str] = set()
    stale = False
    for c in ranked:
        if target is not None and cumulative >= target:
            break
        shares = c.lot.shares if target is None else c.shares_for(target - cumulative)
        if spend_only_savings:
            if exact_now is None:
                exact_now = tax_with_schedule(ret, exact)
            why = _saves_nothing(c, ret, exact_now, exact)
            if why:
                unsold.append(UnsoldLot(c, why))
                continue
            shares = _useful_shares(c, shares, ret, exact, exact_now)
        loss = c.allowed_loss(shares)
        ret = with_loss(ret, loss, c.term)
        exact_now = None
        if cumulative >= calc.saturation:
            federal, carry = ZERO, loss  # line 21 is at the limit: this year is unchanged
            stale, cancelled = True, ZERO
        else:
            after = federal_tax(ret)
            federal = current.total - after.total
            carry = _carried(after) - _carried(current)
            cancelled = zero_rate_gain(current) - zero_rate_gain(after)
            current = after
        cumulative += loss
        groups.add(c.group)
        state = money(state_rate * (loss - carry))
        rows.append(_loss_row(c, shares, loss, federal, state, carry, cancelled))
    if stale:
        current = federal_tax(ret)  # same tax; the carryovers out now include every row
    return LossPass(tuple(rows), tuple(unsold), ret, current, frozenset(groups))


def sentence(parts: Sequence[str]) -> str:
    """Flags joined by semicolons, the first letter upper case ('' for none)."""
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _carried(result: TaxResult) -> Decimal:
    return result.st_carryover_out + result.lt_carryover_out


def _saves_nothing(
    c: PlanCandidate, ret: TaxReturn, exact_now: TaxResult, exact: TaxSchedule
) -> str:
    """Why the candidate's first share would save no federal tax this year ('' if it
    saves some), on the exact formula."""
    first = c.allowed_loss(c.first_counting_shares())
    probe = tax_with_schedule(with_loss(ret, first, c.term), exact)
    if probe.total < exact_now.total:
        return ""
    cancelled = zero_rate_gain(exact_now) - zero_rate_gain(probe)
    if cancelled > ZERO:
        return (
            "Not sold: its loss would only cancel gains taxed at 0% this year (keep it for "
            "a year it saves tax, or pick the goal 'all losses')"
        )
    if _carried(probe) - _carried(exact_now) >= first:
        return "Not sold: its loss would only be carried to next year"
    return "Not sold: its loss would save no federal tax this year"


class _ExactProbe:
    """The exact-formula return after selling the first shares of one candidate, on the
    lot's grid (step ``k`` sells ``first + k * step`` shares, the last step the whole
    ``shares``), each step computed once."""

    def __init__(
        self, c: PlanCandidate, shares: Decimal, ret: TaxReturn, exact: TaxSchedule
    ) -> None:
        self.c, self.shares, self.ret, self.exact = c, shares, ret, exact
        self.step = c.share_step
        self.first = c.first_counting_shares()
        span = shares - self.first
        self.top = int(span / self.step) + (0 if span % self.step == 0 else 1)
        self._seen: dict[int, TaxResult] = {}

    def sold(self, k: int) -> Decimal:
        return min(self.first + self.step * k, self.shares)

    def at(self, k: int) -> TaxResult:
        found = self._seen.get(k)
        if found is None:
            loss = self.c.allowed_loss(self.sold(k))
            found = tax_with_schedule(with_loss(self.ret, loss, self.c.term), self.exact)
            self._seen[k] = found
        return found

    def first_step(self, holds: Callable[[int], bool], top: int) -> int:
        """The least step in 0..``top`` where ``holds`` (true at ``top``, and from some
        step on up to it) is true: bisection."""
        lo, hi = -1, top
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if holds(mid):
                hi = mid
            else:
                lo = mid
        return hi


def _useful_shares(
    c: PlanCandidate, shares: Decimal, ret: TaxReturn, exact: TaxSchedule, exact_now: TaxResult
) -> Decimal:
    """``shares`` cut to the shares whose loss saves federal tax this year, on the exact
    formula: the fewest that save as much as all of them (the tax never rises with a larger
    loss), and, when the row reaches gain taxed at 0% and cancelling it saves nothing, only
    the shares before that stretch (the loss beyond them would be spent for nothing, even
    if a deduction waits after it)."""
    probe = _ExactProbe(c, shares, ret, exact)
    if probe.top <= 0:
        return shares
    goal = probe.at(probe.top).total
    end = probe.first_step(lambda k: probe.at(k).total <= goal, probe.top)
    untouched = zero_rate_gain(exact_now)
    if zero_rate_gain(probe.at(end)) < untouched:
        crossing = probe.first_step(lambda k: zero_rate_gain(probe.at(k)) < untouched, end)
        if crossing < end and probe.at(crossing + 1).total >= probe.at(crossing).total:
            reached = probe.at(crossing).total
            end = probe.first_step(lambda k: probe.at(k).total <= reached, crossing)
    return probe.sold(end)


def _loss_row(
    c: PlanCandidate,
    shares: Decimal,
    loss: Decimal,
    federal: Decimal,
    state: Decimal,
    carry: Decimal,
    cancelled: Decimal,
) -> PlanRow:
    timing = c.timing
    flags = []
    if federal <= ZERO and loss > carry:
        flags.append("saves no federal tax this year")
    if cancelled > ZERO:
        flags.append(f"{usd(cancelled)} of it cancels gains taxed at 0%")
    if loss and carry >= loss:
        flags.append("all of it carried to next year")
    disallowed = lost = ZERO
    wait_until, keeps = None, None
    if timing is not None:
        disallowed, lost = timing.disallowed, timing.lost_for_good
        wait_until, keeps = timing.wait_until, timing.kept_waiting(shares)
        if disallowed:
            fate = "lost for good" if lost == disallowed else "disallowed"
            flags.append(
                f"partial wash sale: {shares_text(timing.shares_disallowed)} shares' loss {fate}"
            )
    return PlanRow(
        c.lot,
        shares,
        loss,
        c.term,
        federal,
        state,
        carry,
        c.safe_rebuy,
        c.substitute,
        shares_disallowed=c.shares_disallowed,
        disallowed=disallowed,
        lost_for_good=lost,
        wait_until=wait_until,
        keeps_if_waiting=keeps,
        flag=sentence(flags),
        substitute_note=c.substitute_note,
    )
