"""The whole portfolio in one call: every lot's columns, realized wash sales, the plan and a
Schedule D summary. This is what Refresh, the headless CLI and the table-level UDF use.

Order of work (each step once, so 10,000 lots against 100,000 activity rows stays fast):
parse rows (collecting problems), match realized wash sales across every account, index
the purchases around the as-of date, then evaluate each lot (adjusted basis and tacked
holding period, status, prospective risk, saving), then plan and summarise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.harvest import (
    HarvestCode,
    SavingCalculator,
    harvest_status,
)
from harvest_xl.engine.holding import days_until_long_term
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
    used_replacement_shares,
    wash_risk_for,
)
from harvest_xl.engine.wash_sale import WashSaleResult, analyse_wash_sales, money
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
    index = PurchaseIndex(
        activity, recurring, groups, as_of, prices, used_replacement_shares(wash.matches)
    )
    calc = SavingCalculator(profile)
    substitutes = substitutes_table(securities, groups)
    rows: list[LotRow] = []
    candidates: list[PlanCandidate] = []
    notes: list[str] = [f"Employer plan and HSA purchases: wash-sale policy '{policy.value}'"]
    by_name = accounts or {}
    for lot in lots:
        row, candidate = _evaluate(
            lot, profile, wash, index, calc, substitutes.get(lot.ticker, ()), by_name, withdrawals
        )
        rows.append(row)
        if candidate is not None:
            candidates.append(candidate)
    plan = plan_from_candidates(profile, candidates, goal, calc)
    if not any(a.owner.value == "spouse" for a in (accounts or {}).values()):
        notes.append(
            "No spouse accounts given: a spouse's purchases also make wash sales "
            "(Pub. 550); add them to Accounts with Owner = spouse"
        )
    return PortfolioResult(tuple(rows), wash, plan, _summary(plan, wash, policy), (), tuple(notes))


def _evaluate(
    lot: Lot,
    profile: Profile,
    wash: WashSaleResult,
    index: PurchaseIndex,
    calc: SavingCalculator,
    subs: tuple[str, ...],
    accounts: Mapping[str, Account],
    withdrawals: bool,
) -> tuple[LotRow, PlanCandidate | None]:
    as_of = index.as_of
    increase, tacked = wash.adjustment_for(lot)
    basis = lot.cost_basis + increase
    acquired = tacked or lot.acquired
    status = harvest_status(
        lot.account_type,
        basis,
        lot.market_value,
        acquired,
        as_of,
        profile.min_loss,
        profile.min_pct,
    )
    assert status.term is not None
    code, text, risk_text = status.code, status.text, ""
    federal = state = carry = None
    rebuy: date | None = None
    candidate = None
    if lot.account_type.has_tax_effect and status.gain < 0:
        risk = wash_risk_for(lot_with_basis(lot, basis), index, profile.wash_policy, subs)
        risk_text, rebuy = risk.text, risk.safe_rebuy
        code, text = with_wash_risk(code, text, risk)
        loss = -money(status.gain)
        saving = calc.saving(loss - risk.loss_at_risk, status.term)
        federal, state, carry = saving.federal, saving.state, saving.carryover
        if code is HarvestCode.HARVEST:
            candidate = PlanCandidate(
                lot, basis, status.term, saving.total, rebuy, subs[0] if subs else None
            )
    elif not lot.account_type.has_tax_effect:
        federal = state = ZERO
    penalty, cost, note = _withdrawal(lot, profile, accounts, withdrawals)
    row = LotRow(
        lot.row if lot.row is not None else -1,
        lot,
        lot.market_value,
        basis,
        increase,
        status.gain,
        status.term,
        days_until_long_term(acquired, as_of),
        code,
        text,
        risk_text,
        rebuy if rebuy is not None else index.safe_rebuy,
        federal,
        state,
        carry,
        penalty,
        cost,
        note,
    )
    return row, candidate


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
    if risk.blocked:
        return HarvestCode.BLOCKED, f"Blocked: {risk.text}"
    return HarvestCode.AT_RISK, f"At risk: {risk.text}"


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


def _summary(plan: HarvestPlan, wash: WashSaleResult, policy: WashSalePolicy) -> Summary:
    disallowed = sum((m.disallowed_loss for m in wash.matches), ZERO)
    deferred = sum((m.basis_increase for m in wash.matches), ZERO)
    lost = sum((m.disallowed_loss for m in wash.matches if m.permanently_lost), ZERO)
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
