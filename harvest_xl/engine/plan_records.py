"""The plan's records: goals, candidates, rows, the lots left unsold and the plan itself.

:mod:`harvest_xl.engine.plan` chooses the rows; these records only carry the figures, each
row's saving being federal tax before it minus federal tax after it on the one household
return (tax-rules.md §2.6) plus the state rate on what it moves on Form 1040 line 7.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.lots import Lot
from harvest_xl.engine.models import Term
from harvest_xl.engine.money import money
from harvest_xl.engine.names import fold
from harvest_xl.engine.sale_timing import SaleTiming
from harvest_xl.engine.tax import TaxResult

ZERO = Decimal(0)
ONE = Decimal(1)
SHARE_STEP = Decimal("0.0001")
"""The smallest part of a fractional lot the plan sells (whole shares for a whole lot)."""
PER_DOLLAR = Decimal("0.0001")
"""Saving per dollar of loss is shown to a hundredth of a cent."""


class PlanGoal(enum.Enum):
    """What the plan harvests."""

    OFFSET_GAINS = "offset gains"
    """Losses up to this year's net realized gains (after carryovers)."""
    OFFSET_GAINS_AND_DEDUCTION = "offset gains + deduction"
    """…plus the §1211(b) deduction against ordinary income ($3,000; $1,500 MFS)."""
    ALL = "all losses"
    """Every loss above the thresholds that is not blocked, even one that saves nothing."""
    FILL_ZERO_BRACKET = "fill 0% bracket"
    """Losses as ``offset gains``, then long-term gains sold and bought back the same day,
    as much as leaves this year's federal tax unchanged."""

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
        (
            PlanGoal.FILL_ZERO_BRACKET,
            (
                "fill 0% bracket",
                "fill 0%",
                "fill 0 bracket",
                "fill zero bracket",
                "0% bracket",
                "gain harvesting",
                "harvest gains",
            ),
        ),
    )
    for words in synonyms
}
"""Goal words as compared (a ``+`` is read as "and": "offset gains + deduction")."""


class PlanAction(enum.Enum):
    """What a plan row asks the user to do."""

    SELL = "Sell"
    """Sell at a loss (buy a substitute, or the same security from the safe rebuy date)."""
    SELL_AND_BUY_BACK = "Sell and buy back"
    """Sell at a long-term gain and buy the same shares back the same day: the gain is
    taxed at 0% and the new basis is the price paid (a gain sale is never a wash sale)."""


@dataclass(frozen=True, slots=True)
class PlanCandidate:
    """A lot the plan may sell: its wash-adjusted basis, term and single-lot saving.

    A losing lot comes with its :class:`SaleTiming` when a purchase around the as-of date
    would disallow part of its loss (one that :attr:`waits` is listed as not sold today),
    and with the substitute to hold meanwhile (``None``: none known, ``substitute_note``
    says why). A long-term winning lot is a candidate for
    the gain harvest; ``rebuy_blocked`` says why buying it back today is refused (it would
    replace a loss sale of its identical group). ``group`` is the lot's identical-group key.
    """

    lot: Lot
    adjusted_basis: Decimal
    term: Term
    saving: Decimal
    safe_rebuy: date
    substitute: str | None
    timing: SaleTiming | None = None
    group: str = ""
    substitute_note: str = ""
    rebuy_blocked: str = ""

    @property
    def loss(self) -> Decimal:
        """The whole lot's loss (negative: a gain), in cents."""
        return money(self.adjusted_basis - self.lot.market_value)

    @property
    def gain(self) -> Decimal:
        return -self.loss

    @property
    def share_step(self) -> Decimal:
        """Whole shares for a whole-share lot, else ten-thousandths."""
        shares = self.lot.shares
        return ONE if shares == shares.to_integral_value() else SHARE_STEP

    @property
    def waits(self) -> bool:
        """A losing lot better sold later: waiting keeps more loss this year."""
        return self.timing is not None and not self.timing.sell_now

    @property
    def shares_disallowed(self) -> Decimal:
        return ZERO if self.timing is None else self.timing.shares_disallowed

    def allowed_loss(self, shares: Decimal) -> Decimal:
        """The loss allowed this year when the first ``shares`` of the lot are sold today."""
        if self.timing is not None:
            return self.timing.kept_selling(shares)
        if shares == self.lot.shares:
            return self.loss
        return money(self.loss * shares / self.lot.shares)

    def realized_gain(self, shares: Decimal) -> Decimal:
        """The gain of selling the first ``shares`` of a winning lot, in cents."""
        if shares == self.lot.shares:
            return self.gain
        return money(self.gain * shares / self.lot.shares)

    def first_counting_shares(self) -> Decimal:
        """The fewest shares (on the lot's grid) whose sale keeps some loss: one step more
        than the shares a purchase would replace."""
        step = self.share_step
        after = (self.shares_disallowed / step).to_integral_value(rounding=ROUND_FLOOR) + 1
        return min(after * step, self.lot.shares)

    def shares_for(self, needed: Decimal) -> Decimal:
        """Fewest shares (on the lot's grid) whose allowed loss covers ``needed``."""
        lot = self.lot
        step = self.share_step
        per_share = self.loss / lot.shares
        if per_share <= ZERO:
            return lot.shares
        first = self.first_counting_shares()
        wanted = (needed / per_share + self.shares_disallowed) / step
        shares = max(first, wanted.to_integral_value(rounding=ROUND_CEILING) * step)
        while shares < lot.shares and self.allowed_loss(shares) < needed:
            shares += step  # a cent short after rounding each part half up
        return min(shares, lot.shares)


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One sale of the plan and what it does to this year's return (marginal: on the
    return that already holds the rows above it).

    A loss row (``action`` Sell) harvests ``loss``; a gain row (Sell and buy back) realizes
    ``gain`` and its ``state`` is the state tax it costs (negative). ``carryover`` is the
    change in the loss carried to next year (negative: a gain row used some). The wash
    figures are those of selling now (``shares_disallowed`` of the shares sold lose their
    loss, ``disallowed`` dollars, ``lost_for_good`` of them for good); ``wait_until`` and
    ``keeps_if_waiting`` the alternative. ``flag`` warns in words (a loss that saves no
    federal tax, gain taxed at 0% it cancels, a loss carryover a gain uses).
    """

    lot: Lot
    shares: Decimal
    loss: Decimal
    term: Term
    federal: Decimal
    state: Decimal
    carryover: Decimal
    safe_rebuy: date
    substitute: str | None
    action: PlanAction = PlanAction.SELL
    gain: Decimal = ZERO
    shares_disallowed: Decimal = ZERO
    disallowed: Decimal = ZERO
    lost_for_good: Decimal = ZERO
    wait_until: date | None = None
    keeps_if_waiting: Decimal | None = None
    flag: str = ""
    substitute_note: str = ""

    @property
    def saving(self) -> Decimal:
        return self.federal + self.state

    @property
    def saving_per_dollar(self) -> Decimal | None:
        """Saving (federal + state) per dollar of loss harvested; None for a gain row."""
        if self.loss <= ZERO:
            return None
        return (self.saving / self.loss).quantize(PER_DOLLAR, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class UnsoldLot:
    """A candidate the plan did not sell, and why (a loss that would save no federal tax
    this year under a goal that spends only losses that do; a winner that cannot be
    bought back today)."""

    candidate: PlanCandidate
    reason: str


@dataclass(frozen=True, slots=True)
class GainFill:
    """The gain harvest of goal ``fill 0% bracket``: the long-term gain realized (all of
    it at unchanged federal tax), and the proof it is the largest on the lots' share grid:
    ``next_share`` is the lot whose next share would be sold next, and ``next_share_tax``
    the federal tax that one more share adds (None when every share is sold)."""

    gain: Decimal
    tax_before: Decimal
    tax_after: Decimal
    next_share: Lot | None
    next_share_tax: Decimal | None


@dataclass(frozen=True, slots=True)
class HarvestPlan:
    goal: PlanGoal
    target: Decimal | None
    rows: tuple[PlanRow, ...]
    before: TaxResult
    after: TaxResult
    state_saving: Decimal
    unsold: tuple[UnsoldLot, ...] = ()
    gain_fill: GainFill | None = None
    notes: tuple[str, ...] = ()

    @property
    def total_loss(self) -> Decimal:
        return sum((r.loss for r in self.rows), ZERO)

    @property
    def total_gain(self) -> Decimal:
        return sum((r.gain for r in self.rows), ZERO)

    @property
    def federal_saving(self) -> Decimal:
        return self.before.total - self.after.total

    @property
    def total_saving(self) -> Decimal:
        return self.federal_saving + self.state_saving
