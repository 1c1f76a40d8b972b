"""The whole portfolio in one call: every lot's columns, realized wash sales, the plan and a
Schedule D summary. This is what Refresh, the headless CLI and the table-level UDF use.

Order of work (each step once, so 10,000 lots against 100,000 activity rows stays fast):
parse rows (collecting problems), match realized wash sales across every account, index
the purchases around the as-of date, then evaluate each lot (adjusted basis and tacked
holding period, status, prospective risk, saving), then plan and summarise.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple, ParamSpec, TypeVar

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.harvest import (
    HarvestCode,
    HarvestSaving,
    SavingCalculator,
    check_thresholds,
    harvest_status,
    loss_code,
    loss_reason,
    sheltered_decision,
    taxable_decision,
)
from harvest_xl.engine.holding import holding_facts
from harvest_xl.engine.lots import (
    Account,
    Activity,
    IdenticalGroups,
    Lot,
    Recurring,
    Security,
    identical_groups,
    substitutes_table,
)
from harvest_xl.engine.models import AccountType, Term, WashSalePolicy
from harvest_xl.engine.plan import HarvestPlan, PlanCandidate, PlanGoal, plan_from_candidates
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.records import maker
from harvest_xl.engine.rows import (
    Row,
    RowProblem,
    parse_accounts,
    parse_activity,
    parse_lots,
    parse_recurring,
    parse_securities,
)
from harvest_xl.engine.tax import TaxResult
from harvest_xl.engine.wash_risk import (
    PurchaseIndex,
    WashRisk,
    loss_exposure,
)
from harvest_xl.engine.wash_sale import (
    WashSaleResult,
    analyse_wash_sales,
    money,
)
from harvest_xl.engine.withdrawal_cost import withdrawal_cost

ZERO = Decimal(0)


class LotRow(NamedTuple):
    """Every computed column of one Holdings row (None where it does not apply). A named
    tuple: one is made per lot, so it must be cheap."""

    row: int
    lot: Lot
    market_value: Decimal
    cost_basis: Decimal
    basis_adjustment: Decimal
    gain: Decimal
    term: Term
    days_to_long_term: int
    status: HarvestCode
    status_text: str
    wash_risk: str
    safe_rebuy: date | None
    federal_saving: Decimal | None
    state_saving: Decimal | None
    carryover: Decimal | None
    withdrawal_penalty: Decimal | None
    withdrawal_cost: Decimal | None
    withdrawal_note: str

    @property
    def tax_saving(self) -> Decimal | None:
        if self.federal_saving is None or self.state_saving is None:
            return None
        return self.federal_saving + self.state_saving


@dataclass(frozen=True, slots=True)
class Summary:
    """Schedule D view before and after the plan, and the realized wash sales."""

    before: TaxResult
    after: TaxResult
    state_saving: Decimal
    harvested_loss: Decimal
    wash_disallowed: Decimal
    wash_deferred: Decimal
    wash_lost_for_good: Decimal
    policy: WashSalePolicy

    @property
    def federal_saving(self) -> Decimal:
        return self.before.total - self.after.total

    @property
    def total_saving(self) -> Decimal:
        return self.federal_saving + self.state_saving


@dataclass(frozen=True, slots=True)
class PortfolioResult:
    rows: tuple[LotRow, ...]
    wash: WashSaleResult
    plan: HarvestPlan
    summary: Summary
    problems: tuple[RowProblem, ...]
    notes: tuple[str, ...]


def evaluate_portfolio(
    profile: Profile,
    accounts: Sequence[Row],
    lots: Sequence[Row],
    activity: Sequence[Row],
    recurring: Sequence[Row] = (),
    securities: Sequence[Row] = (),
    goal: PlanGoal | str | None = None,
    withdrawals: bool = True,
) -> PortfolioResult:
    """Evaluate header-keyed table rows (Accounts, Holdings, Activity, Recurring, Securities).

    Bad rows become :class:`RowProblem` entries and are left out; the rest is computed.

    Raises:
        HarvestInputError: the profile has no as-of date.
    """
    if profile.as_of is None:
        raise HarvestInputError("As-of date", "the profile has no as-of date")
    problems: list[RowProblem] = []
    by_name = parse_accounts(accounts, problems)
    lot_models = parse_lots(lots, by_name, profile.as_of, problems)
    acts = parse_activity(activity, by_name, problems)
    plans = parse_recurring(recurring, by_name, problems)
    secs = parse_securities(securities, problems)
    try:
        groups = identical_groups(secs)
    except HarvestInputError as error:
        problems.append(RowProblem("Securities", 0, "Identical group", error.problem))
        groups = IdenticalGroups()
    result = evaluate_lots(
        profile, lot_models, acts, plans, secs, by_name, groups, PlanGoal.parse(goal), withdrawals
    )
    return PortfolioResult(
        result.rows, result.wash, result.plan, result.summary, tuple(problems), result.notes
    )


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _cycle_collection_paused(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``fn`` with CPython's cycle collector paused, and resumed (if it was on) when
    ``fn`` returns or raises.

    A table pass allocates ~10^5 small objects (matches, rows, tuples) while ~10^5
    activity rows stay alive, so each automatic collection walks all of them again: 5-10%
    of a 10,000-lot x 100,000-row pass (A/B in one run: 0.715 -> 0.646 s, 0.699 -> 0.662 s).
    The pass builds no reference cycles, so nothing is left waiting for the collector.
    """

    @functools.wraps(fn)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():  # already paused (by the caller, or a pass on another thread)
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@_cycle_collection_paused
def evaluate_lots(
    profile: Profile,
    lots: Sequence[Lot],
    activity: Sequence[Activity],
    recurring: Sequence[Recurring] = (),
    securities: Sequence[Security] = (),
    accounts: Mapping[str, Account] | None = None,
    identical: IdenticalGroups | None = None,
    goal: PlanGoal = PlanGoal.OFFSET_GAINS_AND_DEDUCTION,
    withdrawals: bool = True,
) -> PortfolioResult:
    """Evaluate engine models (see :func:`evaluate_portfolio` for table rows).

    Authority: as the rules it combines: IRC §1091, §1222, §1211(b), §1212(b); tax-rules.md.
    """
    if profile.as_of is None:
        raise HarvestInputError("As-of date", "the profile has no as-of date")
    as_of = profile.as_of
    groups = identical or identical_groups(securities)
    policy = profile.wash_policy
    wash = analyse_wash_sales(activity, groups, policy)
    prices: dict[str, Decimal] = {}
    for lot in lots:  # the highest price per ticker (of equal prices, the last row's)
        known = prices.get(lot.ticker)
        if known is None or lot.price >= known:
            prices[lot.ticker] = lot.price
    index = PurchaseIndex.from_wash(wash, recurring, groups, as_of, prices)
    calc = SavingCalculator(profile)
    substitutes = substitutes_table(securities, groups)
    notes: list[str] = [f"Employer plan and HSA purchases: wash-sale policy '{policy.value}'"]
    if lots:  # as the first lot's harvest_status would, once for all lots
        check_thresholds(profile.min_loss, profile.min_pct)
    rows, candidates = _lot_rows(
        lots, profile, wash, index, calc, substitutes, accounts or {}, withdrawals
    )
    plan = plan_from_candidates(profile, candidates, goal, calc)
    if not any(a.owner.value == "spouse" for a in (accounts or {}).values()):
        notes.append(
            "No spouse accounts given: a spouse's purchases also make wash sales "
            "(Pub. 550); add them to Accounts with Owner = spouse"
        )
    summary = _summary(plan, wash.realized, policy)
    return PortfolioResult(tuple(rows), wash, plan, summary, (), tuple(notes))


_HARVEST = HarvestCode.HARVEST
"""Read once: ``EnumClass.MEMBER`` goes through the metaclass's ``__getattr__`` hook on
CPython 3.11 (about 0.5 us), and the lot pass asks for every losing lot."""

_NO_WITHDRAWAL: tuple[None, None, str] = (None, None, "")


def _lot_rows(
    lots: Sequence[Lot],
    profile: Profile,
    wash: WashSaleResult,
    index: PurchaseIndex,
    calc: SavingCalculator,
    substitutes: Mapping[str, tuple[str, ...]],
    accounts: Mapping[str, Account],
    withdrawals: bool,
) -> tuple[list[LotRow], list[PlanCandidate]]:
    """Every lot's columns, and the lots the plan may choose from.

    What is the same for every lot of a run is looked up once, and each acquisition
    date's term and days to long-term are computed once (10,000 lots share a few hundred
    dates). Each row is what the per-lot functions give for the lot (harvest_status,
    wash_risk_for, with_wash_risk, the SavingCalculator): they share the rules below,
    and tests/engine/test_portfolio_differential.py compares them lot by lot.
    """
    as_of = index.as_of
    adjustment_for = wash.adjustment_for
    adjusted = wash.adjusted_purchases  # most lots carry no adjustment: skip the call
    min_loss, min_pct = profile.min_loss, profile.min_pct
    safe_rebuy = index.safe_rebuy
    holding: dict[date, tuple[Term, int]] = {}
    # By account type value (Enum members hash in Python code): None for a taxable account,
    # else the sheltered lot's (code, reason).
    sheltered: dict[str, tuple[HarvestCode, str] | None] = {}
    rows: list[LotRow] = []
    candidates: list[PlanCandidate] = []
    no_withdrawal = _NO_WITHDRAWAL
    for lot in lots:
        if (lot.account, lot.ticker, lot.acquired) in adjusted:
            increase, tacked = adjustment_for(lot)
        else:
            increase, tacked = ZERO, None
        basis = lot.cost_basis + increase
        acquired = tacked or lot.acquired
        market_value = lot.market_value  # never negative: Lot refuses a negative price
        kind = lot.account_type
        if increase and basis < ZERO:  # harvest_status raises the error naming it
            harvest_status(kind, basis, market_value, acquired, as_of)
        held = holding.get(acquired)
        if held is None:
            held = holding[acquired] = holding_facts(acquired, as_of)
        term = held[0]
        gain = market_value - basis
        risk_text, federal, state, carry = "", None, None, None
        if kind._value_ in sheltered:
            decided = sheltered[kind._value_]
        else:
            decided = sheltered[kind._value_] = (
                None if kind.has_tax_effect else sheltered_decision(kind)
            )
        if decided is not None:
            code, text = decided
            federal = state = ZERO
        elif gain >= ZERO:
            code, text = taxable_decision(basis, gain, term, min_loss, min_pct)
        else:
            code, text, risk_text, saving, substitute = _loss_columns(
                lot, basis, gain, term, profile, index, calc, substitutes
            )
            federal, state, carry = saving.federal, saving.state, saving.carryover
            if code is _HARVEST:
                candidates.append(
                    PlanCandidate(lot, basis, term, saving.total, safe_rebuy, substitute)
                )
        penalty, cost, note = (
            _withdrawal(lot, profile, accounts, True) if withdrawals else no_withdrawal
        )
        row = lot.row
        values = (
            -1 if row is None else row,
            lot,
            market_value,
            basis,
            increase,
            gain,
            term,
            held[1],
            code,
            text,
            risk_text,
            safe_rebuy,
            federal,
            state,
            carry,
            penalty,
            cost,
            note,
        )
        rows.append(_lot_row(values))
    return rows, candidates


def _loss_columns(
    lot: Lot,
    basis: Decimal,
    gain: Decimal,
    term: Term,
    profile: Profile,
    index: PurchaseIndex,
    calc: SavingCalculator,
    substitutes: Mapping[str, tuple[str, ...]],
) -> tuple[HarvestCode, str, str, HarvestSaving, str | None]:
    """A taxable lot at a loss: its status and reason after the wash-sale risk (the
    Harvest reason is written only when no risk replaces it), the risk text, the saving
    of the part of the loss no purchase would catch, and its first substitute.

    Authority: IRC §165(f), §1211(b); IRC §1091(a); Reg. §1.1091-1(a), (c)-(e);
    tax-rules.md §2.6, §3.
    """
    code, share = loss_code(basis, -gain, profile.min_loss, profile.min_pct)
    subs = substitutes.get(lot.ticker, ())
    loss = -money(gain)
    risk = loss_exposure(lot, loss, index, profile.wash_policy, subs)
    loss_at_risk, risk_text = risk[2], risk[5]
    if code is _HARVEST and loss_at_risk > ZERO:
        code, text = risk_status(risk[4], risk_text)
    else:
        text = loss_reason(code, term, -gain, share, profile.min_loss, profile.min_pct)
    saving = calc.saving(loss - loss_at_risk, term)
    return code, text, risk_text, saving, subs[0] if subs else None


_lot_row = maker(LotRow)
"""``LotRow(*values)`` in one C call (one per lot)."""


def lot_with_basis(lot: Lot, basis: Decimal) -> Lot:
    """The lot with its wash-adjusted basis (risk is measured on the real loss)."""
    if basis == lot.cost_basis:
        return lot
    return Lot(
        lot.account,
        lot.account_type,
        lot.ticker,
        lot.shares,
        lot.acquired,
        basis,
        lot.price,
        lot.as_of,
        lot.owner,
        lot.row,
    )


def with_wash_risk(code: HarvestCode, text: str, risk: WashRisk) -> tuple[HarvestCode, str]:
    """Overlay a wash-sale risk on a Harvest status: Blocked (a past purchase) or At risk
    (a scheduled one), naming the purchase. Shared with the per-lot worksheet functions so
    the Holdings Harvest column and the table pass give the same status.

    Authority: IRC §1091(a); Reg. §1.1091-1(a).
    """
    if code is not HarvestCode.HARVEST or not risk.at_risk:
        return code, text
    return risk_status(risk.blocked, risk.text)


def risk_status(blocked: bool, risk_text: str) -> tuple[HarvestCode, str]:
    """The status of a Harvest lot whose loss a purchase would catch: Blocked when a counted
    purchase is already made, At risk when only scheduled ones would be.

    Authority: IRC §1091(a); Reg. §1.1091-1(a).
    """
    if blocked:
        return HarvestCode.BLOCKED, f"Blocked: {risk_text}"
    return HarvestCode.AT_RISK, f"At risk: {risk_text}"


def _withdrawal(
    lot: Lot,
    profile: Profile,
    accounts: Mapping[str, Account],
    wanted: bool,
) -> tuple[Decimal | None, Decimal | None, str]:
    if not wanted or lot.account_type is AccountType.TAXABLE:
        return None, None, ""
    if lot.account_type.is_roth:
        return None, None, "Roth: needs the contribution history (use the Withdrawal sheet)"
    account = accounts.get(lot.account)
    try:
        cost = withdrawal_cost(
            profile,
            lot.account_type,
            lot.market_value,
            lot.as_of,
            None,
            account.separation_date if account else None,
            account.simple_start_date if account else None,
        )
    except HarvestInputError as error:
        return None, None, f"{error.argument}: {error.problem}"
    return cost.additional_tax, cost.total_cost, ""


def _summary(
    plan: HarvestPlan, realized: tuple[Decimal, Decimal, Decimal], policy: WashSalePolicy
) -> Summary:
    disallowed, deferred, lost = realized
    return Summary(
        plan.before,
        plan.after,
        plan.state_saving,
        plan.total_loss,
        disallowed,
        deferred,
        lost,
        policy,
    )


def harvest_plan(
    profile: Profile,
    lots: Sequence[Lot],
    activity: Sequence[Activity] = (),
    recurring: Sequence[Recurring] = (),
    securities: Sequence[Security] = (),
    goal: PlanGoal | str | None = None,
    identical: IdenticalGroups | None = None,
) -> HarvestPlan:
    """The harvest plan alone: lots to sell (specific identification) to reach ``goal``,
    ranked by saving, leaving out wash-sale blocked and at-risk lots.

    Authority: as :func:`harvest_xl.engine.plan.plan_from_candidates`.
    """
    result = evaluate_lots(
        profile,
        lots,
        activity,
        recurring,
        securities,
        None,
        identical,
        PlanGoal.parse(goal),
        withdrawals=False,
    )
    return result.plan
