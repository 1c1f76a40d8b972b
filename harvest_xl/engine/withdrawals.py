"""Early withdrawals: the §72(t) / §223(f)(4) additional tax, exception by exception.

``early_withdrawal_additional_tax`` is the engine behind ``HX_PENALTY``;
``explain_penalty`` says in words why it came out as it did; ``assess_early_withdrawal``
returns the whole Form 5329 Part I (lines 1-4) with the outcome of the exception.
``withdrawal_cost`` (in :mod:`harvest_xl.engine.withdrawal_cost`) adds income tax, state
tax and withholding.

An exception that the law does not apply to the account type (the first-home exception
for a 401(k), the age-55 rule for an IRA) is **ignored, and the penalty is still counted**;
the assessment says so. Dates and ages follow :mod:`harvest_xl.engine.ages`.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from harvest_xl.engine.ages import (
    MONTHS_PER_YEAR,
    anniversary,
    date_reaching_age,
    first_day_after_ssa_age,
    year_reaching_age,
)
from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.exceptions import (
    NOT_FOR_ACCOUNT_REASON,
    WithdrawalException,
    parse_exception,
)
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.money import money, usd
from harvest_xl.engine.params import raw_parameters

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class WithdrawalParams:
    """Every rate, age and cap of the withdrawal rules, parsed once from the parameter file."""

    early_rate: Decimal
    simple_rate: Decimal
    simple_period_years: int
    hsa_rate: Decimal
    hsa_exempt_age: int
    age_59_half_years: int
    age_59_half_months: int
    separation_age: int
    public_safety_age: int
    public_safety_years_of_service: Decimal
    medical_floor: Decimal
    first_home_cap: Decimal
    birth_adoption_cap_per_child: Decimal
    emergency_cap: Decimal
    emergency_balance_floor: Decimal
    domestic_abuse_caps: dict[int, Decimal]
    domestic_abuse_balance_fraction: Decimal
    disaster_cap: Decimal
    withholding_eligible_rollover: Decimal
    withholding_ira_default: Decimal
    roth_five_years: int
    birth_adoption_from: date
    terminal_illness_from: date
    emergency_from: date


def _value(block: dict[str, Any], name: str) -> Decimal:
    return Decimal(str(block[name]["value"]))


@functools.cache
def withdrawal_params() -> WithdrawalParams:
    """The ``penalties_and_limits`` figures the withdrawal rules use (cached: read once).

    Authority: harvest_xl/data/tax-parameters.json, each value with its source.
    """
    block = raw_parameters()["penalties_and_limits"]
    age = _value(block, "age_threshold_72t")
    age_months = age * MONTHS_PER_YEAR
    if age_months != int(age_months):
        raise ValueError(f"age_threshold_72t {age} is not a whole number of months")
    years, months = divmod(int(age_months), MONTHS_PER_YEAR)
    return WithdrawalParams(
        early_rate=_value(block, "early_distribution_additional_tax_rate"),
        simple_rate=_value(block, "simple_ira_first_2_years_rate"),
        simple_period_years=int(_value(block, "simple_ira_higher_rate_period_years")),
        hsa_rate=_value(block, "hsa_nonmedical_additional_tax_rate"),
        hsa_exempt_age=int(_value(block, "hsa_penalty_exempt_age")),
        age_59_half_years=years,
        age_59_half_months=months,
        separation_age=int(_value(block, "separation_from_service_age")),
        public_safety_age=int(_value(block, "separation_from_service_age_public_safety")),
        public_safety_years_of_service=_value(
            block, "separation_from_service_years_of_service_public_safety"
        ),
        medical_floor=_value(block, "medical_expense_agi_floor"),
        first_home_cap=_value(block, "first_time_homebuyer_lifetime_limit"),
        birth_adoption_cap_per_child=_value(block, "birth_or_adoption_limit_per_child"),
        emergency_cap=_value(block, "emergency_personal_expense_limit_per_year"),
        emergency_balance_floor=_value(block, "emergency_personal_expense_balance_floor"),
        domestic_abuse_caps={
            int(year): Decimal(str(entry["value"]))
            for year, entry in block["domestic_abuse_victim_limit"].items()
        },
        domestic_abuse_balance_fraction=_value(block, "domestic_abuse_victim_balance_fraction"),
        disaster_cap=_value(block, "qualified_disaster_recovery_distribution_limit_per_disaster"),
        withholding_eligible_rollover=_value(
            block, "mandatory_withholding_eligible_rollover_distribution"
        ),
        withholding_ira_default=_value(block, "default_withholding_nonperiodic_ira"),
        roth_five_years=int(_value(block, "roth_five_year_period")),
        birth_adoption_from=_first_day(block, "birth_or_adoption_first_distribution_date"),
        terminal_illness_from=_first_day(block, "terminal_illness_first_distribution_date"),
        emergency_from=_first_day(block, "emergency_personal_expense_first_distribution_date"),
    )


def _first_day(block: dict[str, Any], name: str) -> date:
    return date.fromisoformat(str(block[name]["value"]))


class Outcome(enum.Enum):
    """What happened to the exception the user entered."""

    NONE = "no exception entered"
    APPLIED = "applied in full"
    CAPPED = "applied up to its limit"
    NOT_FOR_ACCOUNT = "ignored: the law does not apply it to this account type"
    CONDITION_NOT_MET = "ignored: its conditions are not met"
    NOT_NEEDED = "not needed: no additional tax is due anyway"


# Enum members as module constants: attribute access on an Enum class is slow in
# Python 3.11, and these run on every HX_PENALTY call.
_TAXABLE = AccountType.TAXABLE
_HSA = AccountType.HSA
_SIMPLE_IRA = AccountType.SIMPLE_IRA
_GOVERNMENTAL_457B_ACCOUNT = AccountType.GOVERNMENTAL_457B
_AGE_59_HALF = WithdrawalException.AGE_59_HALF
_BIRTH_ADOPTION = WithdrawalException.BIRTH_ADOPTION
_DISASTER = WithdrawalException.DISASTER
_DOMESTIC_ABUSE = WithdrawalException.DOMESTIC_ABUSE
_EDUCATION = WithdrawalException.EDUCATION
_EMERGENCY = WithdrawalException.EMERGENCY
_FIRST_HOME = WithdrawalException.FIRST_HOME
_GOVERNMENTAL_457B = WithdrawalException.GOVERNMENTAL_457B
_HEALTH_INSURANCE = WithdrawalException.HEALTH_INSURANCE
_MEDICAL = WithdrawalException.MEDICAL
_PUBLIC_SAFETY = WithdrawalException.PUBLIC_SAFETY
_SEPARATION = WithdrawalException.SEPARATION
_SEPP = WithdrawalException.SEPP
_TERMINAL_ILLNESS = WithdrawalException.TERMINAL_ILLNESS
_DATED = (_BIRTH_ADOPTION, _EMERGENCY, _TERMINAL_ILLNESS)
_NONE = Outcome.NONE
_APPLIED = Outcome.APPLIED
_CAPPED = Outcome.CAPPED
_NOT_FOR_ACCOUNT = Outcome.NOT_FOR_ACCOUNT
_CONDITION_NOT_MET = Outcome.CONDITION_NOT_MET
_NOT_NEEDED = Outcome.NOT_NEEDED


@dataclass(frozen=True, slots=True)
class PenaltyAssessment:
    """Form 5329 Part I for one withdrawal (HSA: Form 8889 line 17b), with the reasons.

    ``early_distribution`` is line 1 (the amount the additional tax can reach),
    ``excepted`` line 2, ``subject`` line 3 and ``additional_tax`` line 4 (at ``rate``).
    """

    account: AccountType
    amount: Decimal
    withdrawal_date: date
    early_distribution: Decimal
    excepted: Decimal
    subject: Decimal
    rate: Decimal
    additional_tax: Decimal
    exception: WithdrawalException | None
    outcome: Outcome
    reasons: tuple[str, ...]


# ---------------------------------------------------------------------------- input checks


def as_money(value: object, argument: str) -> Decimal:
    """A dollar amount as Decimal (int, float via its shortest repr, str, Decimal)."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise HarvestInputError(argument, f"{value!r} is not an amount")
    elif isinstance(value, int | float | str):
        try:
            result = Decimal(str(value).strip())
        except ArithmeticError:
            raise HarvestInputError(argument, f"{value!r} is not an amount") from None
    else:
        raise HarvestInputError(argument, f"{value!r} is not an amount")
    if not result.is_finite():
        raise HarvestInputError(argument, f"{value!r} is not an amount")
    return result


def _non_negative(value: object, argument: str) -> Decimal:
    result = as_money(value, argument)
    if result < 0:
        raise HarvestInputError(argument, "must not be negative")
    return result


def as_date(value: object, argument: str) -> date:
    """A ``datetime.date`` (a datetime is cut to its date)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise HarvestInputError(argument, f"{value!r} is not a date")


def _optional_date(value: object, argument: str) -> date | None:
    return None if value is None else as_date(value, argument)


# ---------------------------------------------------------------------------- the rules


def date_reaching_59_half(birth_date: date) -> date:
    """The date a person born on ``birth_date`` reaches age 59½.

    Six calendar months after the 59th birthday, month ends clamped (born Aug 31 → Feb 28,
    or Feb 29 in a leap year); see :mod:`harvest_xl.engine.ages`.

    Authority: IRC §72(t)(2)(A)(i); tax-rules.md §6.1.
    """
    p = withdrawal_params()
    return date_reaching_age(birth_date, p.age_59_half_years, p.age_59_half_months)


def hsa_penalty_free_from(birth_date: date) -> date:
    """The first day an HSA non-medical withdrawal escapes the 20% (the 65th birthday).

    Authority: IRC §223(f)(4)(C); Social Security Act §1811; 20 CFR §404.102.
    """
    return first_day_after_ssa_age(birth_date, withdrawal_params().hsa_exempt_age)


def simple_ira_rate(participation_start: date, withdrawal_date: date) -> Decimal:
    """25% within the two years that begin on the first day of SIMPLE participation, else 10%.

    The period ends the day before the second anniversary of ``participation_start``: a
    withdrawal on the anniversary itself pays 10%.

    Authority: IRC §72(t)(6); Form 1099-R code S.
    """
    p = withdrawal_params()
    if withdrawal_date < _simple_period_end(participation_start):
        return p.simple_rate
    return p.early_rate


def _simple_period_end(participation_start: date) -> date:
    return anniversary(participation_start, withdrawal_params().simple_period_years)


def separated_in_or_after_year_of_age(birth_date: date, separation_date: date, age: int) -> bool:
    """Separation in or after the calendar year the employee reaches ``age`` (55, or 50).

    Authority: IRC §72(t)(2)(A)(v), (10); Notice 87-13, Q&A-20; Form 5329 exception 01.
    """
    return separation_date.year >= year_reaching_age(birth_date, age)


def medical_expense_excess(expenses: Decimal, agi: Decimal) -> Decimal:
    """Medical expenses over 7.5% of AGI: the §213 amount, itemizing or not.

    Authority: IRC §72(t)(2)(B); IRC §213(a); Form 5329 exception 05.
    """
    return max(ZERO, expenses - withdrawal_params().medical_floor * agi)


def domestic_abuse_limit(year: int) -> Decimal | None:
    """The indexed dollar limit for ``year``; ``None`` before the first year in the table.

    Authority: IRC §72(t)(2)(K) (SECURE 2.0 §314); Notices 2024-80, 2025-67 (as summarised).
    """
    caps = withdrawal_params().domestic_abuse_caps
    if year in caps:
        return caps[year]
    if year < min(caps):
        return None
    raise HarvestInputError(
        "withdrawal_date",
        f"the domestic-abuse limit for {year} is not in the parameter table "
        f"({min(caps)}-{max(caps)}); it is indexed and never extrapolated",
    )


@dataclass(slots=True)
class _ExceptionFacts:
    separation_date: date | None
    expenses: Decimal | None
    agi: Decimal | None
    prior_use: Decimal
    children: int
    vested_balance: Decimal | None
    years_of_service: Decimal | None


def _remaining(cap: Decimal, prior_use: Decimal) -> Decimal:
    return max(ZERO, cap - prior_use)


def _exception_limit(
    exception: WithdrawalException,
    account: AccountType,
    birth_date: date,
    withdrawal_date: date,
    facts: _ExceptionFacts,
) -> tuple[Decimal | None, Callable[[], str]]:
    """How much the exception can except (``None`` = everything), and why (text on demand).

    Authority: IRC §72(t)(2)-(11) as listed in tax-rules.md §6.5.
    """
    p = withdrawal_params()
    if exception in (_SEPARATION, _PUBLIC_SAFETY):
        sep = facts.separation_date
        if sep is None:
            raise HarvestInputError(
                "separation_date", f"needed for the exception {exception.display}"
            )
        if sep > withdrawal_date:
            return ZERO, lambda: f"separation on {sep} is after the withdrawal"
        if exception is _PUBLIC_SAFETY:
            service = facts.years_of_service
            if service is not None and service >= p.public_safety_years_of_service:
                return None, lambda: f"{service} years of service (IRC §72(t)(10))"
            age = p.public_safety_age
        else:
            age = p.separation_age
        first_year = year_reaching_age(birth_date, age)
        if separated_in_or_after_year_of_age(birth_date, sep, age):
            return None, lambda: (
                f"separated in {sep.year}, in or after {first_year}, the year of turning {age}"
            )
        return ZERO, lambda: (
            f"separated in {sep.year}, before {first_year}, the year of turning {age}"
        )
    if exception is _SEPP and account in _SEPARATION.accounts:
        sep = facts.separation_date
        if sep is None or sep > withdrawal_date:
            return (
                ZERO,
                lambda: (
                    "from an employer plan, payments must begin after separation from service "
                    "(IRC §72(t)(3)(B)); give the separation_date"
                ),
            )
        return None, lambda: f"payments after separation on {sep}"
    if exception is _MEDICAL:
        if facts.expenses is None:
            raise HarvestInputError("expenses", "needed for the medical exception 05")
        if facts.agi is None:
            raise HarvestInputError("agi", "needed for the medical exception 05 (7.5% of AGI)")
        excess = medical_expense_excess(facts.expenses, facts.agi)
        return (
            excess,
            lambda: (
                f"medical expenses {usd(facts.expenses)} over {p.medical_floor:%} of AGI "
                f"{usd(facts.agi)} = {usd(excess)}"
            ),
        )
    if exception is _AGE_59_HALF:
        return ZERO, lambda: f"age 59½ is reached only on {date_reaching_59_half(birth_date)}"
    if exception is _GOVERNMENTAL_457B:
        return ZERO, lambda: "it covers non-rollover money only; amounts rolled in stay subject"
    if exception is _FIRST_HOME:
        return _remaining(
            p.first_home_cap, facts.prior_use
        ), lambda: f"lifetime limit {usd(p.first_home_cap)}, {usd(facts.prior_use)} used before"
    if exception in _DATED and withdrawal_date < _first_distribution_day(exception):
        first = _first_distribution_day(exception)
        return ZERO, lambda: f"it applies to distributions from {first} on"
    if exception is _BIRTH_ADOPTION:
        cap = p.birth_adoption_cap_per_child * facts.children
        return (
            _remaining(cap, facts.prior_use),
            lambda: (
                f"limit {usd(p.birth_adoption_cap_per_child)} per child × {facts.children}, "
                f"{usd(facts.prior_use)} used before"
            ),
        )
    if exception is _EMERGENCY:
        cap = p.emergency_cap
        if facts.vested_balance is not None:
            cap = min(cap, max(ZERO, facts.vested_balance - p.emergency_balance_floor))
        return (
            _remaining(cap, facts.prior_use),
            lambda: (
                f"limit {usd(cap)} a calendar year, {usd(facts.prior_use)} used before this year"
            ),
        )
    if exception is _DOMESTIC_ABUSE:
        limit = domestic_abuse_limit(withdrawal_date.year)
        if limit is None:
            first_year = min(p.domestic_abuse_caps)
            return ZERO, lambda: f"it applies to distributions from {first_year} on"
        if facts.vested_balance is not None:
            limit = min(limit, p.domestic_abuse_balance_fraction * facts.vested_balance)
        year = withdrawal_date.year
        left = _remaining(limit, facts.prior_use)
        return left, lambda: f"limit {usd(limit)} for {year}, {usd(facts.prior_use)} used"
    if exception is _DISASTER:
        cap = p.disaster_cap
        return _remaining(
            cap, facts.prior_use
        ), lambda: f"limit {usd(cap)} per disaster, {usd(facts.prior_use)} used before"
    if exception in (_HEALTH_INSURANCE, _EDUCATION) and facts.expenses is not None:
        return facts.expenses, lambda: f"qualifying expenses {usd(facts.expenses)}"
    return None, lambda: exception.label


def _first_distribution_day(exception: WithdrawalException) -> date:
    """The first day a statute-dated exception applies (SECURE Act / SECURE 2.0 effective dates).

    Authority: SECURE Act §113(c); SECURE 2.0 §§115(b), 326(c).
    """
    p = withdrawal_params()
    if exception is _BIRTH_ADOPTION:
        return p.birth_adoption_from
    if exception is _EMERGENCY:
        return p.emergency_from
    return p.terminal_illness_from


def _account(value: object) -> AccountType:
    return AccountType.parse(value)


_HSA_NOT_72T = (
    "an HSA is not a §72(t) plan and IRC §223(f)(4)(B) excepts only death and "
    "disability (money spent on qualified medical expenses is not includible at "
    "all: enter only the non-medical amount)"
)


def _assess(
    account_type: object,
    amount: object,
    birth_date: object,
    withdrawal_date: object,
    exception: object,
    separation_date: object,
    participation_start: object,
    facts: dict[str, Any],
    explain: bool,
) -> tuple[
    AccountType, Decimal, date, Decimal, Decimal, Decimal,
    WithdrawalException | None, Outcome, list[str],
]:  # fmt: skip
    """The rules of :func:`assess_early_withdrawal`; reasons are written only if ``explain``.

    Returns (account, amount, withdrawal date, line 1, rate, line 2, exception, outcome,
    reasons). Kept free of string formatting on the ``HX_PENALTY`` path (issue 4: < 25 µs).
    """
    account = _account(account_type)
    amount_d = _non_negative(amount, "amount")
    if birth_date is None:
        raise HarvestInputError("birth_date", "is needed to know the age at withdrawal")
    born = as_date(birth_date, "birth_date")
    when = as_date(withdrawal_date, "withdrawal_date")
    if when < born:
        raise HarvestInputError("withdrawal_date", "is before the birth date")
    chosen = parse_exception(exception)
    p = withdrawal_params()
    reasons: list[str] = []
    quiet = _NONE if chosen is None else _NOT_NEEDED

    def done(base: Decimal, rate: Decimal, excepted: Decimal, outcome: Outcome) -> tuple[
        AccountType, Decimal, date, Decimal, Decimal, Decimal,
        WithdrawalException | None, Outcome, list[str],
    ]:  # fmt: skip
        return account, amount_d, when, base, rate, excepted, chosen, outcome, reasons

    if account is _TAXABLE:
        if explain:
            reasons.append("a taxable account is not a retirement account: no additional tax")
        return done(ZERO, ZERO, ZERO, quiet)

    if account is _HSA:
        free_from = hsa_penalty_free_from(born)
        if when >= free_from:
            if explain:
                reasons.append(
                    f"HSA: no 20% from the 65th birthday, {free_from} (IRC §223(f)(4)(C))"
                )
            return done(ZERO, ZERO, ZERO, quiet)
        rate = p.hsa_rate
        if explain:
            reasons.append(
                f"HSA non-medical withdrawal before 65 ({free_from}): "
                f"{rate:.0%} (IRC §223(f)(4)(A))"
            )
        base = amount_d
    else:
        reached = date_reaching_59_half(born)
        if account is _GOVERNMENTAL_457B_ACCOUNT:
            base = min(amount_d, _non_negative(facts.get("rolled_in", ZERO), "rolled_in"))
            if explain:
                reasons.append(
                    f"governmental 457(b): only the {usd(base)} attributable to rollovers in "
                    "is subject (IRC §72(t)(9))"
                )
        else:
            base = amount_d
        if when >= reached:
            if explain:
                reasons.append(
                    f"age 59½ reached on {reached}: no additional tax (IRC §72(t)(2)(A)(i))"
                )
            return done(ZERO, ZERO, ZERO, quiet)
        if explain:
            reasons.append(f"before age 59½ (reached on {reached})")
        if account is _SIMPLE_IRA:
            if participation_start is None:
                raise HarvestInputError(
                    "participation_start",
                    "is needed for a SIMPLE IRA (25% in the first two years of participation)",
                )
            start = as_date(participation_start, "participation_start")
            if start > when:
                raise HarvestInputError("participation_start", "is after the withdrawal date")
            rate = simple_ira_rate(start, when)
            if explain:
                reasons.append(
                    f"SIMPLE IRA, participation from {start}: {rate:.0%} (IRC §72(t)(6))"
                )
        else:
            rate = p.early_rate
        if base == 0:
            return done(ZERO, rate, ZERO, quiet)

    if chosen is None:
        return done(base, rate, ZERO, _NONE)
    if account not in chosen.accounts:
        if explain:
            why = _HSA_NOT_72T if account is _HSA else NOT_FOR_ACCOUNT_REASON[chosen]
            reasons.append(
                f"exception {chosen.display} ignored for the account type {account.value}: {why}"
            )
        return done(base, rate, ZERO, _NOT_FOR_ACCOUNT)
    limit, why_text = _exception_limit(
        chosen, account, born, when, _exception_facts(separation_date, facts)
    )
    if limit is None or limit >= base:
        if explain:
            reasons.append(f"exception {chosen.display} applies: {why_text()}")
        return done(base, rate, base, _APPLIED)
    if limit <= 0:
        if explain:
            reasons.append(f"exception {chosen.display} ignored: {why_text()}")
        return done(base, rate, ZERO, _CONDITION_NOT_MET)
    if explain:
        reasons.append(f"exception {chosen.display} covers {usd(limit)} only: {why_text()}")
    return done(base, rate, limit, _CAPPED)


_FACT_NAMES = frozenset(
    {
        "rolled_in",
        "expenses",
        "agi",
        "prior_use",
        "children",
        "vested_balance",
        "years_of_service",
    }
)


def _exception_facts(separation_date: object, facts: dict[str, Any]) -> _ExceptionFacts:
    if not facts:  # the HX_PENALTY path: nothing to convert
        sep = None if separation_date is None else as_date(separation_date, "separation_date")
        return _ExceptionFacts(sep, None, None, ZERO, 1, None, None)
    expenses = facts.get("expenses")
    agi = facts.get("agi")
    vested = facts.get("vested_balance")
    service = facts.get("years_of_service")
    return _ExceptionFacts(
        separation_date=_optional_date(separation_date, "separation_date"),
        expenses=None if expenses is None else _non_negative(expenses, "expenses"),
        agi=None if agi is None else as_money(agi, "agi"),
        prior_use=_non_negative(facts.get("prior_use", ZERO), "prior_use"),
        children=_children(facts.get("children", 1)),
        vested_balance=None if vested is None else _non_negative(vested, "vested_balance"),
        years_of_service=None if service is None else _non_negative(service, "years_of_service"),
    )


def _check_fact_names(facts: dict[str, Any]) -> None:
    unknown = facts.keys() - _FACT_NAMES
    if unknown:
        raise TypeError(f"unexpected argument(s): {', '.join(sorted(unknown))}")


def assess_early_withdrawal(
    account_type: object,
    amount: object,
    birth_date: object,
    withdrawal_date: object,
    exception: object = None,
    separation_date: object = None,
    participation_start: object = None,
    **facts: Any,
) -> PenaltyAssessment:
    """Form 5329 Part I for a withdrawal of ``amount`` (the includible amount), with reasons.

    Args:
        account_type: an :class:`AccountType` or its name.
        amount: the includible amount (HSA: the non-medical amount).
        birth_date, withdrawal_date: dates; ages are computed exactly (see ages.py).
        exception: Form 5329 code or readable name (see exceptions.py), or blank.
        separation_date: for separation / public_safety, and SEPP from a plan.
        participation_start: first day of SIMPLE participation (SIMPLE IRA only: required).
        **facts: optional keyword facts:
            ``rolled_in`` governmental 457(b): the part attributable to amounts rolled in
            (default 0); ``expenses`` medical (05) expenses, or premiums (07) /
            education costs (08) when less than the withdrawal; ``agi`` for the medical
            exception; ``prior_use`` amount already excepted against the same cap (first
            home: lifetime; birth/adoption: these children; emergency: this calendar year;
            disaster: this disaster; domestic abuse: earlier distributions);
            ``children`` births/adoptions the birth_adoption limit covers (default 1);
            ``vested_balance`` before the withdrawal (emergency, domestic abuse);
            ``years_of_service`` for public_safety (25 years instead of age 50).

    Authority: IRC §72(t)(1), (2), (3), (6), (8), (9), (10); IRC §223(f)(4); Form 5329 Part I.
    """
    _check_fact_names(facts)
    account, amount_d, when, base, rate, excepted, chosen, outcome, reasons = _assess(
        account_type, amount, birth_date, withdrawal_date, exception,
        separation_date, participation_start, facts, True,
    )  # fmt: skip
    subject = base - excepted
    return PenaltyAssessment(
        account, amount_d, when, base, excepted, subject, rate,
        money(subject * rate), chosen, outcome, tuple(reasons),
    )  # fmt: skip


def _children(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise HarvestInputError("children", f"{value!r} is not a number of children")
    if value != int(value) or value < 1:
        raise HarvestInputError("children", "must be a whole number, at least 1")
    return int(value)


def early_withdrawal_additional_tax(
    account_type: object,
    amount: object,
    birth_date: object,
    withdrawal_date: object,
    exception: object = None,
    separation_date: object = None,
    participation_start: object = None,
    **facts: Any,
) -> Decimal:
    """The additional tax in dollars (cents, half-up) on ``amount``, the includible amount.

    Arguments as :func:`assess_early_withdrawal` (``HX_PENALTY`` maps onto the first seven).
    An exception the law does not apply to the account type is ignored: the penalty
    still counts; :func:`explain_penalty` says why.

    Authority: IRC §72(t)(1), (6), (9); IRC §223(f)(4)(A); Form 5329 Part I line 4.
    """
    if facts:
        _check_fact_names(facts)
    result = _assess(
        account_type, amount, birth_date, withdrawal_date, exception,
        separation_date, participation_start, facts, False,
    )  # fmt: skip
    base, rate, excepted = result[3], result[4], result[5]
    return money((base - excepted) * rate)


def explain_penalty(
    account_type: object,
    amount: object,
    birth_date: object,
    withdrawal_date: object,
    exception: object = None,
    separation_date: object = None,
    participation_start: object = None,
    **facts: Any,
) -> str:
    """Why :func:`early_withdrawal_additional_tax` gives what it gives, in one paragraph.

    Authority: as :func:`assess_early_withdrawal`.
    """
    a = assess_early_withdrawal(
        account_type,
        amount,
        birth_date,
        withdrawal_date,
        exception,
        separation_date,
        participation_start,
        **facts,
    )
    lines = [f"{a.account.value}, {usd(a.amount)} withdrawn on {a.withdrawal_date}"]
    lines.extend(a.reasons)
    if a.early_distribution:
        lines.append(
            f"Form 5329: line 1 {usd(a.early_distribution)}, line 2 {usd(a.excepted)}, "
            f"line 3 {usd(a.subject)}, line 4 {a.rate:.0%} = {usd(a.additional_tax)}"
        )
    lines.append(f"additional tax {usd(a.additional_tax)}")
    return "; ".join(lines) + "."
