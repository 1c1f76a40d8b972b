"""The whole portfolio in one pass: every lot's columns, realized wash sales, the plan and a
Schedule D summary. Refresh, the headless CLI, ``HX_EVALUATE``, the per-lot ``HX_LOT_``
functions and the Python API all evaluate through here.

Order of work: match the realized wash sales across every account once, index the purchases
around the as-of date once (:func:`lot_context`), then evaluate each lot with
:func:`evaluate_lot` — its wash-adjusted basis and tacked holding period, the harvest
decision, the prospective wash-sale risk, the saving and the withdrawal cost — then plan
and summarise. A per-lot function asks :func:`evaluate_lot` too, so a lot gets the same
answer wherever it is asked about.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.harvest import (
    HarvestCode,
    SavingCalculator,
    check_thresholds,
    harvest_decision,
)
from harvest_xl.engine.holding import holding_facts
from harvest_xl.engine.lots import (
    Account,
    Activity,
    IdenticalGroups,
    Lot,
    Owner,
    Recurring,
    Security,
    identical_groups,
    substitutes_table,
)
from harvest_xl.engine.models import AccountType, Term, WashSalePolicy
from harvest_xl.engine.money import money
from harvest_xl.engine.plan import HarvestPlan, PlanCandidate, PlanGoal, plan_from_candidates
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.realized_year import counting_activity_sales
from harvest_xl.engine.sale_timing import sale_timing, timed_status
from harvest_xl.engine.substitute import choose_substitute, recent_loss_groups
from harvest_xl.engine.tax import TaxResult
from harvest_xl.engine.wash_risk import PurchaseIndex, WashRisk, loss_wash_risk
from harvest_xl.engine.wash_sale import WashSaleResult, analyse_wash_sales
from harvest_xl.engine.withdrawal_cost import lot_withdrawal

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class LotRow:
    """Every computed column of one Holdings row (None where it does not apply)."""

    row: int
    lot: Lot
    market_value: Decimal
    cost_basis: Decimal
    """The wash-adjusted basis: as paid plus the disallowed losses these shares carry."""
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
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LotContext:
    """What every lot of one evaluation shares: the realized wash sales, the purchases
    around the as-of date, the thresholds, the saving calculator and the accounts.

    ``saving`` is None when no tax return is known (a per-lot status asked without a
    Profile): the lot's status and risk are still given, its saving is not. ``profile`` is
    None likewise, and then no withdrawal is costed.
    """

    as_of: date
    policy: WashSalePolicy
    min_loss: Decimal
    min_pct: Decimal
    wash: WashSaleResult
    index: PurchaseIndex
    substitutes: Mapping[str, tuple[str, ...]]
    accounts: Mapping[str, Account]
    saving: SavingCalculator | None = None
    profile: Profile | None = None
    holding: dict[date, tuple[Term, int]] = field(default_factory=dict, compare=False)
    """Term and days to long-term per acquisition date, computed once per date."""
    recent_losses: frozenset[str] = frozenset()
    """Identical groups with a loss sold in the 30 days up to the as-of date: buying them
    today (a substitute, a winner bought back) would replace that loss."""


def lot_context(
    as_of: date,
    activity: Sequence[Activity],
    recurring: Sequence[Recurring] = (),
    securities: Sequence[Security] = (),
    accounts: Mapping[str, Account] | None = None,
    identical: IdenticalGroups | None = None,
    prices: Mapping[str, Decimal] | None = None,
    *,
    policy: WashSalePolicy = WashSalePolicy.CONSERVATIVE,
    min_loss: Decimal = ZERO,
    min_pct: Decimal = ZERO,
    profile: Profile | None = None,
) -> LotContext:
    """Match the realized wash sales and index the purchases around ``as_of``, once.

    ``prices`` (per ticker) size the scheduled purchases of the Recurring table; without a
    price a scheduled purchase counts as replacing every share of a lot.

    The context's profile is the one every saving is computed against: ``profile`` with
    Activity's realized year added when it counts Activity's sales
    (:func:`~harvest_xl.engine.realized_year.counting_activity_sales`, issue 17).

    Authority: IRC §1091(a), (d); Reg. §1.1091-1(c)-(e); Rev. Rul. 2008-5 (as
    analyse_wash_sales and wash_risk_for).
    """
    check_thresholds(min_loss, min_pct)
    groups = identical or identical_groups(securities)
    wash = analyse_wash_sales(activity, groups, policy)
    if profile is not None:
        profile = counting_activity_sales(profile, wash)
    index = PurchaseIndex.from_wash(wash, recurring, groups, as_of, prices or {})
    recent = recent_loss_groups(wash, groups, as_of) if profile is not None else frozenset()
    return LotContext(
        as_of=as_of,
        policy=policy,
        min_loss=min_loss,
        min_pct=min_pct,
        wash=wash,
        index=index,
        substitutes=substitutes_table(securities, groups),
        accounts=accounts or {},
        saving=SavingCalculator(profile) if profile is not None else None,
        profile=profile,
        recent_losses=recent,
    )


def held_prices(lots: Sequence[Lot]) -> dict[str, Decimal]:
    """The price of each ticker held: the highest of its lots' prices (a scheduled
    purchase's shares are its amount over the price, so the highest price is the fewest
    shares a purchase could replace... and prices of one ticker differ only by typo)."""
    prices: dict[str, Decimal] = {}
    for lot in lots:
        prices[lot.ticker] = max(lot.price, prices.get(lot.ticker, lot.price))
    return prices


def evaluate_lot(
    context: LotContext, lot: Lot, withdrawals: bool = True
) -> tuple[LotRow, PlanCandidate | None]:
    """Every column of one Holdings lot on the as-of date, and the lot as a plan candidate:
    a loss worth harvesting (sold now, or listed as better sold later), or a long-term
    winner for the 0% gain harvest.

    The basis is first adjusted for realized wash sales this lot replaced and its holding
    period tacked (IRC §1091(d), §1223(3)); the decision is :func:`harvest_decision` on that
    basis; a loss a purchase in the window would partly disallow is priced both ways
    (:func:`~harvest_xl.engine.sale_timing.sale_timing`): Harvest when selling now keeps
    more this year, else Blocked (a purchase made) or At risk (a scheduled one); the saving
    is that of the part of the loss no purchase would catch.

    Authority: IRC §165(f), §1211(b), §1222; IRC §1091(a), (d), §1223(3);
    Reg. §1.1091-1(c)-(e); Rev. Rul. 2008-5; tax-rules.md §2.6, §3-§4.
    """
    increase, tacked = context.wash.adjustment_for(lot)
    basis = lot.cost_basis + increase
    if basis < ZERO:
        raise HarvestInputError("cost_basis", f"{basis} is negative")
    acquired = tacked or lot.acquired
    term, days_to_long_term = _holding(context, acquired)
    market_value = lot.market_value
    gain = market_value - basis
    kind = lot.account_type
    code, text = harvest_decision(kind, basis, gain, term, context.min_loss, context.min_pct)
    risk_text, federal, state, carry = "", None, None, None
    candidate = None
    if not kind.has_tax_effect:
        federal = state = ZERO
    elif gain < ZERO:
        substitutes = context.substitutes.get(lot.ticker, ())
        # The risk and the timing read the lot's shares and names, never its basis: the
        # loss on the wash-adjusted basis is given, so no adjusted copy of the lot is made.
        loss = -money(gain)
        risk = loss_wash_risk(lot, loss, context.index, context.policy, substitutes)
        risk_text = risk.text
        timing = None
        if risk.at_risk and code is HarvestCode.HARVEST:
            timing = sale_timing(lot, loss, risk, context.index, context.policy)
        code, text = timed_status(code, text, risk, timing)
        if context.saving is not None:
            saving = context.saving.saving(loss - risk.loss_at_risk, term)
            federal, state, carry = saving.federal, saving.state, saving.carryover
            if code is HarvestCode.HARVEST or timing is not None:
                substitute, why = choose_substitute(
                    substitutes, context.index, context.recent_losses
                )
                candidate = PlanCandidate(
                    lot,
                    basis,
                    term,
                    saving.total,
                    context.index.safe_rebuy,
                    substitute,
                    timing=timing,
                    group=context.index.identical.key(lot.ticker),
                    substitute_note=why,
                )
    elif gain > ZERO and term is Term.LONG and context.saving is not None:
        candidate = gain_candidate(context, lot, basis)
    penalty, cost, note = _withdrawal(context, lot) if withdrawals else (None, None, "")
    row = LotRow(
        row=-1 if lot.row is None else lot.row,
        lot=lot,
        market_value=market_value,
        cost_basis=basis,
        basis_adjustment=increase,
        gain=gain,
        term=term,
        days_to_long_term=days_to_long_term,
        status=code,
        status_text=text,
        wash_risk=risk_text,
        safe_rebuy=context.index.safe_rebuy,
        federal_saving=federal,
        state_saving=state,
        carryover=carry,
        withdrawal_penalty=penalty,
        withdrawal_cost=cost,
        withdrawal_note=note,
    )
    return row, candidate


def gain_candidate(context: LotContext, lot: Lot, basis: Decimal) -> PlanCandidate:
    """A long-term winner as a candidate for the 0% gain harvest: sold and bought back on
    the as-of date, unless buying it back would replace a loss sold in its identical group
    in the last 30 days.

    Authority: IRC §1(h)(1)(B); IRC §1091(a) (a purchase within 30 days after a loss sale).
    """
    group = context.index.identical.key(lot.ticker)
    blocked = ""
    if group in context.recent_losses:
        blocked = (
            "Not sold: buying it back today would replace a loss sold in its identical "
            "group within 30 days (IRC §1091(a))"
        )
    return PlanCandidate(
        lot, basis, Term.LONG, ZERO, context.as_of, None, group=group, rebuy_blocked=blocked
    )


def _holding(context: LotContext, acquired: date) -> tuple[Term, int]:
    found = context.holding.get(acquired)
    if found is None:
        found = context.holding[acquired] = holding_facts(acquired, context.as_of)
    return found


def _withdrawal(context: LotContext, lot: Lot) -> tuple[Decimal | None, Decimal | None, str]:
    """A retirement lot's withdrawal penalty and cost, or the reason there is none."""
    if lot.account_type is AccountType.TAXABLE or context.profile is None:
        return None, None, ""
    account = context.accounts.get(lot.account) or Account(
        lot.account, lot.account_type, lot.owner
    )
    try:
        found = lot_withdrawal(context.profile, account, lot.market_value)
    except HarvestInputError as error:
        return None, None, f"{error.argument}: {error.problem}"
    return found.additional_tax, found.total_cost, found.note


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
    """Evaluate every lot against ``profile``, plan the harvest and summarise.

    Raises:
        HarvestInputError: the profile has no as-of date, or a threshold is out of range.

    Authority: as the rules it combines: IRC §1091, §1222, §1211(b), §1212(b); tax-rules.md.
    """
    if profile.as_of is None:
        raise HarvestInputError("As-of date", "the profile has no as-of date")
    context = lot_context(
        profile.as_of,
        activity,
        recurring,
        securities,
        accounts,
        identical,
        held_prices(lots),
        policy=profile.wash_policy,
        min_loss=profile.min_loss,
        min_pct=profile.min_pct,
        profile=profile,
    )
    rows: list[LotRow] = []
    candidates: list[PlanCandidate] = []
    for lot in lots:
        row, candidate = evaluate_lot(context, lot, withdrawals)
        rows.append(row)
        if candidate is not None:
            candidates.append(candidate)
    assert context.saving is not None and context.profile is not None
    plan = plan_from_candidates(context.profile, candidates, goal, context.saving)
    notes = [f"Employer plan and HSA purchases: wash-sale policy '{profile.wash_policy.value}'"]
    if not any(a.owner is Owner.SPOUSE for a in context.accounts.values()):
        notes.append(
            "No spouse accounts given: a spouse's purchases also make wash sales "
            "(Pub. 550); add them to Accounts with Owner = spouse"
        )
    disallowed, deferred, lost = context.wash.realized
    summary = Summary(
        plan.before,
        plan.after,
        plan.state_saving,
        plan.total_loss,
        disallowed,
        deferred,
        lost,
        profile.wash_policy,
    )
    return PortfolioResult(tuple(rows), context.wash, plan, summary, tuple(notes))


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
    (a scheduled one), naming the purchase.

    Authority: IRC §1091(a); Reg. §1.1091-1(a).
    """
    if code is not HarvestCode.HARVEST or not risk.at_risk:
        return code, text
    if risk.blocked:
        return HarvestCode.BLOCKED, f"Blocked: {risk.text}"
    return HarvestCode.AT_RISK, f"At risk: {risk.text}"
