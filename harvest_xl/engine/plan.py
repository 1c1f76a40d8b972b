"""The harvest plan: which lots to sell (specific identification) to reach the user's goal.

Loss candidates are lots whose status is Harvest: no purchase around the as-of date
touches them, or selling now keeps more of the loss this year than waiting would (a
partial wash sale, :mod:`harvest_xl.engine.sale_timing`); a lot better sold later is
listed as not sold today, with the day to wait for and what that keeps. They are ranked
by the saving each would bring alone and sold in that order until the goal is met, only
part of the last lot if that is enough (:mod:`harvest_xl.engine.plan_losses`); a loss
that would save no federal tax this year is left unsold unless the goal is ``all
losses``. Goal ``fill 0% bracket`` then sells and buys back long-term winners for the
largest gain that leaves the federal tax unchanged (:mod:`harvest_xl.engine.gain_harvest`).
Each row's saving is marginal: federal tax before it minus federal tax after it, on the
return that already includes the rows above (tax-rules.md §2.6), plus the state rate on
the part it moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from harvest_xl.engine.gain_harvest import fill_zero_rate, gain_order
from harvest_xl.engine.harvest import SavingCalculator
from harvest_xl.engine.money import usd
from harvest_xl.engine.netting import schedule_d
from harvest_xl.engine.params import capital_loss_limit
from harvest_xl.engine.plan_losses import harvest_losses
from harvest_xl.engine.plan_records import (
    SHARE_STEP,
    GainFill,
    HarvestPlan,
    PlanAction,
    PlanCandidate,
    PlanGoal,
    PlanRow,
    UnsoldLot,
)
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.sale_timing import wait_text

__all__ = [
    "SHARE_STEP",
    "GainFill",
    "HarvestPlan",
    "PlanAction",
    "PlanCandidate",
    "PlanGoal",
    "PlanRow",
    "UnsoldLot",
    "plan_from_candidates",
    "plan_target",
]

ZERO = Decimal(0)


def plan_target(profile: Profile, goal: PlanGoal) -> Decimal | None:
    """Loss needed to reach ``goal`` (None: no limit). Goal ``fill 0% bracket`` harvests
    the loss of ``offset gains``: a loss deducted against ordinary income would only be
    cancelled by the gain harvested after it (Schedule D line 16).

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


def _ranked(candidates: Sequence[PlanCandidate]) -> list[PlanCandidate]:
    return sorted(
        (c for c in candidates if c.loss > 0 and not c.waits),
        key=lambda c: (-c.saving, -c.loss, c.lot.account, c.lot.ticker, c.lot.acquired),
    )


def plan_from_candidates(
    profile: Profile,
    candidates: Sequence[PlanCandidate],
    goal: PlanGoal,
    calculator: SavingCalculator | None = None,
) -> HarvestPlan:
    """Choose lots from ``candidates`` to reach ``goal``; marginal saving per row.

    With a ``calculator``, its Profile is the one planned on (the realized gains it was
    built with set the goal's loss), so the plan and the lots' savings share one return.

    Authority: Reg. §1.1012-1(c) (specific identification of the shares sold);
    tax-rules.md §2.6 (with/without saving); IRC §1211(b), §1212(b); IRC §1(h)(1)(B).
    """
    calc = calculator or SavingCalculator(profile)
    profile = calc.profile
    target = plan_target(profile, goal)
    losses = harvest_losses(_ranked(candidates), target, calc, goal is not PlanGoal.ALL)
    rows: list[PlanRow] = list(losses.rows)
    unsold: list[UnsoldLot] = [
        UnsoldLot(c, f"Not sold today: {wait_text(c.timing)}")
        for c in candidates
        if c.timing is not None and c.waits
    ]
    unsold += losses.unsold
    after = losses.after
    fill: GainFill | None = None
    notes: list[str] = []
    if goal is PlanGoal.FILL_ZERO_BRACKET:
        winners = []
        for c in gain_order(candidates):
            if c.rebuy_blocked:
                unsold.append(UnsoldLot(c, c.rebuy_blocked))
            elif c.group and c.group in losses.sold_groups:
                unsold.append(UnsoldLot(c, _REBUY_WASHES_PLAN))
            else:
                winners.append(c)
        gain_rows, fill, after, _ = fill_zero_rate(
            losses.ret, losses.after, winners, profile.state_rate
        )
        rows += gain_rows
        notes.append(fill_note(fill))
    state = sum((r.state for r in rows), ZERO)
    return HarvestPlan(
        goal, target, tuple(rows), calc.base, after, state, tuple(unsold), fill, tuple(notes)
    )


_REBUY_WASHES_PLAN = (
    "Not sold: buying it back today would replace a loss this plan harvests in its "
    "identical group (IRC §1091(a))"
)


def fill_note(fill: GainFill) -> str:
    """The gain harvest in one sentence, with the share that would raise the tax."""
    if fill.gain <= ZERO:
        text = "No long-term gain can be realized without raising this year's federal tax"
    else:
        text = (
            f"Long-term gain of {usd(fill.gain)} realized at an unchanged federal tax of "
            f"{usd(fill.tax_after)}"
        )
    if fill.next_share is not None and fill.next_share_tax is not None:
        text += f"; one more share of {fill.next_share.ticker} would add {usd(fill.next_share_tax)}"
    return text + "."
