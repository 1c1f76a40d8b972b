"""The harvest plan: which lots to sell (specific identification) to reach the user's goal.

Candidates are lots whose status is Harvest (wash-sale blocked or at-risk lots are left
out). They are ranked by the saving each would bring alone; the plan takes them in that
order until the goal is met, selling only part of the last lot if that is enough. Each
row's saving is marginal: federal tax before it minus federal tax after it, on the
return that already includes the rows above (tax-rules.md §2.6), plus the state rate
on the part deducted this year.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.harvest import SavingCalculator, with_loss
from harvest_xl.engine.lots import Lot
from harvest_xl.engine.models import Term
from harvest_xl.engine.money import money
from harvest_xl.engine.names import fold
from harvest_xl.engine.netting import schedule_d
from harvest_xl.engine.params import capital_loss_limit
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.tax import TaxResult, federal_tax

ZERO = Decimal(0)
SHARE_STEP = Decimal("0.0001")


class PlanGoal(enum.Enum):
    """How much loss the plan should harvest."""

    OFFSET_GAINS = "offset gains"
    """Losses up to this year's net realized gains (after carryovers)."""
    OFFSET_GAINS_AND_DEDUCTION = "offset gains + deduction"
    """…plus the §1211(b) deduction against ordinary income ($3,000; $1,500 MFS)."""
    ALL = "all losses"
    """Every loss above the thresholds that is not blocked."""

    @classmethod
    def parse(cls, value: object, argument: str = "goal") -> PlanGoal:
        if isinstance(value, PlanGoal):
            return value
        if value is None or (isinstance(value, str) and not value.strip()):
            return cls.OFFSET_GAINS_AND_DEDUCTION
        if isinstance(value, str):
            found = _GOALS.get(fold(value.replace("+", " and ")))
            if found is not None:
                return found
        raise HarvestInputError(
            argument, f"{value!r} is not one of {', '.join(g.value for g in cls)}"
        )


_GOALS = {
    fold(words): goal
    for goal, synonyms in (
        (PlanGoal.OFFSET_GAINS, ("offset gains", "gains")),
        (
            PlanGoal.OFFSET_GAINS_AND_DEDUCTION,
            ("offset gains and deduction", "gains and deduction", "deduction"),
        ),
        (PlanGoal.ALL, ("all", "all losses", "every loss")),
    )
    for words in synonyms
}
"""Goal words as compared (a ``+`` is read as "and": "offset gains + deduction")."""


@dataclass(frozen=True, slots=True)
class PlanCandidate:
    """A harvestable lot: its wash-adjusted basis, term and single-lot saving."""

    lot: Lot
    adjusted_basis: Decimal
    term: Term
    saving: Decimal
    safe_rebuy: date
    substitute: str | None

    @property
    def loss(self) -> Decimal:
        return money(self.adjusted_basis - self.lot.market_value)


@dataclass(frozen=True, slots=True)
class PlanRow:
    lot: Lot
    shares: Decimal
    loss: Decimal
    term: Term
    federal: Decimal
    state: Decimal
    carryover: Decimal
    safe_rebuy: date
    substitute: str | None

    @property
    def saving(self) -> Decimal:
        return self.federal + self.state


@dataclass(frozen=True, slots=True)
class HarvestPlan:
    goal: PlanGoal
    target: Decimal | None
    rows: tuple[PlanRow, ...]
    before: TaxResult
    after: TaxResult
    state_saving: Decimal

    @property
    def total_loss(self) -> Decimal:
        return sum((r.loss for r in self.rows), ZERO)

    @property
    def federal_saving(self) -> Decimal:
        return self.before.total - self.after.total

    @property
    def total_saving(self) -> Decimal:
        return self.federal_saving + self.state_saving


def plan_target(profile: Profile, goal: PlanGoal) -> Decimal | None:
    """Loss needed to reach ``goal`` (None: no limit).

    Authority: Schedule D line 16 (net gain after carryovers, lines 6 and 14);
    IRC §1211(b) (the deduction against ordinary income).
    """
    if goal is PlanGoal.ALL:
        return None
    sd = schedule_d(
        profile.realized_st,
        profile.realized_lt,
        profile.st_carryover,
        profile.lt_carryover,
        profile.filing_status,
    )
    extra = (
        capital_loss_limit(profile.filing_status)
        if goal is PlanGoal.OFFSET_GAINS_AND_DEDUCTION
        else ZERO
    )
    return max(ZERO, sd.line_16 + extra)


def _shares_for(candidate: PlanCandidate, needed: Decimal) -> Decimal:
    """Fewest shares whose loss covers ``needed`` (whole shares for a whole-share lot)."""
    lot = candidate.lot
    per_share = candidate.loss / lot.shares
    step = Decimal(1) if lot.shares == lot.shares.to_integral_value() else SHARE_STEP
    shares = (needed / per_share / step).to_integral_value(rounding=ROUND_CEILING) * step
    return min(shares, lot.shares)


def plan_from_candidates(
    profile: Profile,
    candidates: Sequence[PlanCandidate],
    goal: PlanGoal,
    calculator: SavingCalculator | None = None,
) -> HarvestPlan:
    """Choose lots from ``candidates`` to reach ``goal``; marginal saving per row.

    Authority: Reg. §1.1012-1(c) (specific identification of the shares sold);
    tax-rules.md §2.6 (with/without saving); IRC §1211(b), §1212(b).
    """
    calc = calculator or SavingCalculator(profile)
    target = plan_target(profile, goal)
    ranked = sorted(
        (c for c in candidates if c.loss > 0),
        key=lambda c: (-c.saving, -c.loss, c.lot.account, c.lot.ticker, c.lot.acquired),
    )
    rows: list[PlanRow] = []
    ret, current = calc.ret, calc.base
    cumulative, state_total = ZERO, ZERO
    stale = False
    for c in ranked:
        if target is not None and cumulative >= target:
            break
        shares = c.lot.shares if target is None else _shares_for(c, target - cumulative)
        loss = c.loss if shares == c.lot.shares else money(c.loss * shares / c.lot.shares)
        ret = with_loss(ret, loss, c.term)
        if cumulative >= calc.saturation:
            federal, carry = ZERO, loss  # line 21 is at the limit: this year is unchanged
            stale = True
        else:
            after = federal_tax(ret)
            federal = current.total - after.total
            carry = (
                after.st_carryover_out
                + after.lt_carryover_out
                - current.st_carryover_out
                - current.lt_carryover_out
            )
            current = after
        state = money(profile.state_rate * (loss - carry))
        state_total += state
        cumulative += loss
        rows.append(
            PlanRow(c.lot, shares, loss, c.term, federal, state, carry, c.safe_rebuy, c.substitute)
        )
    if stale:
        current = federal_tax(ret)  # same tax; the carryovers out now include every row
    return HarvestPlan(goal, target, tuple(rows), calc.base, current, state_total)
