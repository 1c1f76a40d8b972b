"""The whole cost of a withdrawal: income tax, additional tax, state tax, withholding, net.

The extra federal income tax is the with/without difference of the user's return through
:func:`harvest_xl.engine.tax.tax_difference`, so brackets, the capital-gain stacking, AMT
and NIIT all move as they would on the real return. This is the engine behind
``HX_WITHDRAWAL_COST``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.exceptions import WithdrawalException, parse_exception
from harvest_xl.engine.lots import Account
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.money import money
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.roth import (
    DesignatedRothAccount,
    RothIraHistory,
    designated_roth_distribution,
    roth_ira_distribution,
)
from harvest_xl.engine.tax import TaxDelta, return_from_profile, tax_difference
from harvest_xl.engine.withdrawals import (
    PenaltyAssessment,
    as_date,
    as_money,
    assess_early_withdrawal,
    withdrawal_params,
)

ZERO = Decimal(0)

# Distributions that are not eligible rollover distributions, so the 20% does not apply
# and the 10% default does (tax-rules.md §6.9): SEPP series (§402(c)(4)(A)) and the
# SECURE 2.0 repayable distributions (birth/adoption: §72(t)(2)(H)(vi)(II) [P];
# emergency, domestic abuse, disaster [S]).
_NOT_ELIGIBLE_ROLLOVER = frozenset(
    {
        WithdrawalException.SEPP,
        WithdrawalException.BIRTH_ADOPTION,
        WithdrawalException.EMERGENCY,
        WithdrawalException.DOMESTIC_ABUSE,
        WithdrawalException.DISASTER,
    }
)


def withholding_rate(account: AccountType, exception: WithdrawalException | None) -> Decimal:
    """Federal withholding at payment: 20% on an eligible rollover distribution from an
    employer plan, the 10% default on other plan distributions and on IRAs, none on an HSA.

    Authority: IRC §3405(c)(1) (mandatory 20%), §3405(b)(1) (10% default, W-4R),
    §402(f)(2)(A) (IRAs excluded), §3405(e)(1)(A) (an HSA pays no designated distribution);
    tax-rules.md §6.9.
    """
    p = withdrawal_params()
    if account.is_employer_plan:
        if exception in _NOT_ELIGIBLE_ROLLOVER:
            return p.withholding_ira_default
        return p.withholding_eligible_rollover
    if account.is_ira:
        return p.withholding_ira_default
    return ZERO


@dataclass(frozen=True, slots=True)
class WithdrawalCost:
    """What a withdrawal costs, and what arrives in the bank account.

    ``column()`` is the ``HX_WITHDRAWAL_COST`` result, top to bottom.
    """

    amount: Decimal
    includible: Decimal
    extra_income_tax: Decimal
    additional_tax: Decimal
    state_tax: Decimal
    total_cost: Decimal
    net_after_taxes: Decimal
    withheld: Decimal
    withholding_rate: Decimal
    penalty: PenaltyAssessment
    tax: TaxDelta

    def column(self) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal, Decimal]:
        """Extra income tax, additional tax, state tax, total cost, net, amount withheld."""
        return (
            self.extra_income_tax,
            self.additional_tax,
            self.state_tax,
            self.total_cost,
            self.net_after_taxes,
            self.withheld,
        )


def _cents(value: Decimal) -> Decimal:
    return money(value)


def _includible_and_penalty(
    account: AccountType,
    amount: Decimal,
    born: date,
    when: date,
    exception: WithdrawalException | None,
    separation_date: object,
    participation_start: object,
    roth: RothIraHistory | DesignatedRothAccount | None,
    facts: dict[str, Any],
) -> tuple[Decimal, PenaltyAssessment]:
    if account is AccountType.ROTH_IRA:
        if not isinstance(roth, RothIraHistory):
            raise HarvestInputError(
                "account_type",
                "a Roth IRA withdrawal's cost depends on its contributions and conversions: "
                "give the Roth IRA history",
            )
        r = roth_ira_distribution(
            amount,
            roth.contributions,
            roth.conversions,
            roth.earnings,
            birth_date=born,
            withdrawal_date=when,
            first_contribution_year=roth.first_contribution_year,
            exception=exception,
            separation_date=separation_date,
            **facts,
        )
        return r.taxable, r.penalty
    if account is AccountType.ROTH_401K:
        if not isinstance(roth, DesignatedRothAccount):
            raise HarvestInputError(
                "account_type",
                "a Roth 401(k) withdrawal's cost depends on its basis and balance: "
                "give the designated Roth account",
            )
        d = designated_roth_distribution(
            amount,
            roth.basis,
            roth.balance,
            birth_date=born,
            withdrawal_date=when,
            first_contribution_year=roth.first_contribution_year,
            exception=exception,
            rolled_over=roth.rolled_over,
            separation_date=separation_date,
            **facts,
        )
        return d.includible, d.penalty
    penalty = assess_early_withdrawal(
        account, amount, born, when, exception, separation_date, participation_start, **facts
    )
    return amount, penalty


def withdrawal_cost(
    profile: Profile,
    account_type: object,
    amount: object,
    withdrawal_date: object,
    exception: object = None,
    separation_date: object = None,
    participation_start: object = None,
    *,
    roth: RothIraHistory | DesignatedRothAccount | None = None,
    **facts: Any,
) -> WithdrawalCost:
    """The whole cost of withdrawing ``amount`` on ``withdrawal_date``, on ``profile``'s return.

    The includible amount is ``amount`` for pre-tax accounts and non-medical HSA money;
    for Roth accounts it comes from ``roth`` (a :class:`RothIraHistory` or a
    :class:`DesignatedRothAccount`, required). ``facts`` are the optional arguments of
    :func:`harvest_xl.engine.withdrawals.assess_early_withdrawal` (``rolled_in``,
    ``expenses``, ``agi``, ``prior_use``, ``children``, ``vested_balance``,
    ``years_of_service``). For the medical exception, ``agi`` defaults to the AGI of the
    return *with* the withdrawal. State tax is the profile's flat rate on the includible
    amount; withholding is a prepayment and is not part of the cost.

    Authority: IRC §61, §72, §402A, §408A, §223(f); tax_difference (tax-rules.md §2.6);
    IRC §72(t), §223(f)(4); IRC §3405(b), (c).
    """
    account = AccountType.parse(account_type)
    if account is AccountType.TAXABLE:
        raise HarvestInputError(
            "account_type", "a taxable account is not a retirement account: no withdrawal tax"
        )
    if profile.birth_date is None:
        raise HarvestInputError("birth_date", "the profile has no birth date")
    born = as_date(profile.birth_date, "birth_date")
    when = as_date(withdrawal_date, "withdrawal_date")
    if when.year != profile.tax_year:
        raise HarvestInputError(
            "withdrawal_date",
            f"is in {when.year}, but the profile describes tax year {profile.tax_year}",
        )
    gross = as_money(amount, "amount")
    if gross < 0:
        raise HarvestInputError("amount", "must not be negative")
    chosen = parse_exception(exception)
    args = (account, gross, born, when)

    if chosen is WithdrawalException.MEDICAL and facts.get("agi") is None:
        # The includible amount does not depend on the medical exception; AGI does.
        includible, _ = _includible_and_penalty(
            *args, None, separation_date, participation_start, roth, {}
        )
        delta = tax_difference(return_from_profile(profile), extra_ordinary=includible)
        facts = {**facts, "agi": delta.with_.agi}
        includible, penalty = _includible_and_penalty(
            *args, chosen, separation_date, participation_start, roth, facts
        )
    else:
        includible, penalty = _includible_and_penalty(
            *args, chosen, separation_date, participation_start, roth, facts
        )
        delta = tax_difference(return_from_profile(profile), extra_ordinary=includible)

    extra_income_tax = delta.change
    state_tax = _cents(profile.state_rate * includible)
    additional = penalty.additional_tax
    total = extra_income_tax + additional + state_tax
    rate = withholding_rate(account, chosen)
    return WithdrawalCost(
        amount=gross,
        includible=includible,
        extra_income_tax=extra_income_tax,
        additional_tax=additional,
        state_tax=state_tax,
        total_cost=total,
        net_after_taxes=gross - total,
        withheld=_cents(rate * includible),
        withholding_rate=rate,
        penalty=penalty,
        tax=delta,
    )


ROTH_NOTE = "Roth: needs the contribution history (use the Withdrawal sheet)"
"""What a Roth lot's withdrawal columns say: its cost depends on the contributions,
conversions and earnings, which the Accounts table does not hold."""


@dataclass(frozen=True, slots=True)
class LotWithdrawal:
    """Withdrawing a lot's value on the as-of date: None where it does not apply."""

    additional_tax: Decimal | None
    total_cost: Decimal | None
    note: str


def lot_withdrawal(profile: Profile, account: Account, market_value: Decimal) -> LotWithdrawal:
    """The additional tax and the total tax cost of withdrawing ``market_value`` from
    ``account`` on the profile's as-of date, with the account's separation and SIMPLE
    start dates. A taxable account has none; a Roth account needs its contribution
    history (:data:`ROTH_NOTE`).

    Raises:
        HarvestInputError: the profile lacks the as-of or birth date, or the as-of date
            is outside the profile's tax year.

    Authority: as :func:`withdrawal_cost` (IRC §72(t), §223(f)(4), §61).
    """
    kind = account.account_type
    if kind is AccountType.TAXABLE:
        return LotWithdrawal(None, None, "")
    if kind.is_roth:
        return LotWithdrawal(None, None, ROTH_NOTE)
    if profile.as_of is None:
        raise HarvestInputError("As-of date", "the profile has no as-of date")
    try:
        cost = withdrawal_cost(
            profile,
            kind,
            market_value,
            profile.as_of,
            None,
            account.separation_date,
            account.simple_start_date,
        )
    except HarvestInputError as error:
        if error.argument != "withdrawal_date":
            raise
        raise HarvestInputError("As-of date", error.problem) from None  # what the user typed
    return LotWithdrawal(cost.additional_tax, cost.total_cost, "")
