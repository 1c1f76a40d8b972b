"""Roth distributions: what is taxable and what the 10% can reach.

* Roth IRA (§408A; Reg. §1.408A-6): qualified after the 5-taxable-year period that starts
  Jan 1 of the first year any Roth IRA contribution was made, and at 59½, death,
  disability or as a first-home distribution (lifetime limit). Otherwise the ordering
  rules: regular contributions, then conversions oldest first (taxable part first within
  each, its own 5-year clock for the 10%), then earnings.
* Designated Roth account (Roth 401(k); §402A; Reg. §1.402A-1): qualified after five
  taxable years of participation in that plan and at 59½, death or disability (no
  first-home prong). Otherwise pro-rata basis recovery under §72(e)(8).

The additional tax itself comes from
:func:`harvest_xl.engine.withdrawals.assess_early_withdrawal`, so every §72(t) exception
applies to the part the 10% can reach.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.exceptions import WithdrawalException, parse_exception
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.withdrawals import (
    PenaltyAssessment,
    as_date,
    as_money,
    assess_early_withdrawal,
    date_reaching_59_half,
    withdrawal_params,
)

ZERO = Decimal(0)
CENT = Decimal("0.01")

_QUALIFYING_EVENTS = (WithdrawalException.DEATH, WithdrawalException.DISABILITY)


@dataclass(frozen=True, slots=True)
class Conversion:
    """One year's Roth IRA conversions: the part taxed at conversion and the rest."""

    year: int
    taxable: Decimal
    nontaxable: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class ConversionDraw:
    """What a distribution takes out of one conversion year."""

    year: int
    taxable: Decimal
    nontaxable: Decimal
    within_five_years: bool
    """True if the distribution falls inside the conversion's own 5-taxable-year period."""


@dataclass(frozen=True, slots=True)
class RothIraDistribution:
    """A Roth IRA distribution split by the §408A(d)(4)(B) ordering rules."""

    amount: Decimal
    qualified: Decimal
    """The part that is a qualified distribution (all of it, none, or a first-home part)."""
    from_contributions: Decimal
    from_conversions: tuple[ConversionDraw, ...]
    from_earnings: Decimal
    taxable: Decimal
    """Includible in gross income: the non-qualified earnings."""
    early_distribution: Decimal
    """What the 10% can reach before exceptions: taxable earnings plus taxable conversion
    amounts inside their 5 years (Form 5329 lines 1 and 2 combined, as Form 8606 feeds them)."""
    penalty: PenaltyAssessment
    additional_tax: Decimal


def _conversion(item: Conversion | tuple[Any, ...]) -> Conversion:
    if isinstance(item, Conversion):
        return item
    if not isinstance(item, tuple | list) or len(item) not in (2, 3):
        raise HarvestInputError("conversions", f"{item!r} is not (year, taxable, nontaxable)")
    year = _year(item[0], "conversions")
    taxable = as_money(item[1], "conversions")
    nontaxable = as_money(item[2], "conversions") if len(item) == 3 else ZERO
    if taxable < 0 or nontaxable < 0:
        raise HarvestInputError("conversions", "amounts must not be negative")
    return Conversion(year, taxable, nontaxable)


def _blank_row(item: object) -> bool:
    """An empty row of a worksheet range (every cell None or blank text)."""
    if isinstance(item, Conversion) or not isinstance(item, tuple | list):
        return False
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in item)


def roth_five_year_period_met(first_year: int, withdrawal_date: date) -> bool:
    """Whether the 5-taxable-year period that starts Jan 1 of ``first_year`` has ended.

    Authority: IRC §408A(d)(2)(B), §408A(d)(3)(F); Reg. §1.408A-6 A-2, A-5(c);
    IRC §402A(d)(2)(B); Reg. §1.402A-1 A-4.
    """
    return withdrawal_date.year >= first_year + withdrawal_params().roth_five_years


def _year(value: object, argument: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise HarvestInputError(argument, f"{value!r} is not a year")
    if value != int(value):
        raise HarvestInputError(argument, f"{value!r} is not a year")
    return int(value)


def _qualifying_event(birth: date, when: date, exception: WithdrawalException | None) -> bool:
    return when >= date_reaching_59_half(birth) or exception in _QUALIFYING_EVENTS


def roth_ira_distribution(
    amount: object,
    contributions: object,
    conversions: Iterable[Conversion | tuple[Any, ...]] = (),
    earnings: object = None,
    *,
    birth_date: object,
    withdrawal_date: object,
    first_contribution_year: object = None,
    exception: object = None,
    prior_use: object = ZERO,
    **facts: Any,
) -> RothIraDistribution:
    """Split a Roth IRA distribution into its ordering layers, taxable part and the 10%.

    Args:
        amount: the distribution (this year's distributions, aggregated).
        contributions: regular contributions not yet distributed.
        conversions: ``(year, taxable, nontaxable)`` per conversion year, not yet distributed
            (rows of a worksheet range work: a float year like 2023.0 is accepted, wholly
            blank rows are skipped).
        earnings: the rest of the balance; ``None`` = whatever ``amount`` exceeds the rest.
        first_contribution_year: first year of any Roth IRA contribution (5-year clock);
            needed only when 59½, death, disability or a first home could qualify it.
        exception, prior_use, facts: as ``assess_early_withdrawal`` (``prior_use`` also
            counts first-home money used before against the lifetime limit).

    A first-home distribution after the 5 years is qualified up to the lifetime limit; the
    rest is not. harvest-xl's convention (no authority found): the qualified part is
    taken from the last layers (earnings first), so the non-qualified remainder keeps
    the earliest layers.

    Authority: IRC §408A(d)(1), (2), (3)(F), (4)(B), (5); Reg. §1.408A-6 A-1, A-2, A-5, A-8, A-9.
    """
    total = _positive_or_zero(amount, "amount")
    contrib = _positive_or_zero(contributions, "contributions")
    convs = sorted(
        (_conversion(c) for c in conversions if not _blank_row(c)), key=lambda c: c.year
    )
    born = as_date(birth_date, "birth_date")
    when = as_date(withdrawal_date, "withdrawal_date")
    chosen = parse_exception(exception)
    prior = _positive_or_zero(prior_use, "prior_use")
    in_conversions = sum((c.taxable + c.nontaxable for c in convs), ZERO)
    if earnings is None:
        earn_available = max(ZERO, total - contrib - in_conversions)
    else:
        earn_available = _positive_or_zero(earnings, "earnings")
    if total > contrib + in_conversions + earn_available:
        raise HarvestInputError("amount", "is more than the Roth IRA holds")

    # Qualified part (§408A(d)(2)).
    qualified = ZERO
    first_home = chosen is WithdrawalException.FIRST_HOME
    if _qualifying_event(born, when, chosen) or first_home:
        if first_contribution_year is None:
            raise HarvestInputError(
                "first_contribution_year", "is needed to know whether the 5 years have passed"
            )
        first_year = _year(first_contribution_year, "first_contribution_year")
        if roth_five_year_period_met(first_year, when):
            if first_home and not _qualifying_event(born, when, None):
                qualified = min(total, max(ZERO, withdrawal_params().first_home_cap - prior))
            else:
                qualified = total

    # Ordering (§408A(d)(4)(B); Reg. §1.408A-6 A-8).
    left = total
    from_contrib = min(left, contrib)
    left -= from_contrib
    draws: list[tuple[Conversion, Decimal, Decimal]] = []
    for conv in convs:
        taxable_part = min(left, conv.taxable)
        left -= taxable_part
        nontaxable_part = min(left, conv.nontaxable)
        left -= nontaxable_part
        draws.append((conv, taxable_part, nontaxable_part))
    from_earnings = left

    # The qualified part comes off the last layers: earnings, then conversions newest first.
    to_clear = qualified
    earn_cleared = min(to_clear, from_earnings)
    to_clear -= earn_cleared
    reachable_conversions = ZERO
    conversion_draws: list[ConversionDraw] = []
    for conv, taxable_part, nontaxable_part in reversed(draws):
        cleared = min(to_clear, taxable_part + nontaxable_part)
        to_clear -= cleared
        # within a conversion the taxable part comes out first, so it is cleared last
        cleared_taxable = max(ZERO, cleared - nontaxable_part)
        within = not roth_five_year_period_met(conv.year, when)
        if within:
            reachable_conversions += taxable_part - cleared_taxable
        conversion_draws.append(ConversionDraw(conv.year, taxable_part, nontaxable_part, within))
    conversion_draws.reverse()

    taxable = from_earnings - earn_cleared
    early = taxable + reachable_conversions
    penalty = assess_early_withdrawal(
        AccountType.ROTH_IRA,
        early,
        born,
        when,
        chosen,
        prior_use=prior + (qualified if first_home else ZERO),
        **facts,
    )
    return RothIraDistribution(
        amount=total,
        qualified=qualified,
        from_contributions=from_contrib,
        from_conversions=tuple(conversion_draws),
        from_earnings=from_earnings,
        taxable=taxable,
        early_distribution=early,
        penalty=penalty,
        additional_tax=penalty.additional_tax,
    )


@dataclass(frozen=True, slots=True)
class DesignatedRothDistribution:
    """A designated Roth account (Roth 401(k)) distribution: basis and income parts."""

    amount: Decimal
    qualified: bool
    basis_recovered: Decimal
    income: Decimal
    """The income (earnings) part by §72(e)(8) pro rata (zero tax if qualified)."""
    includible: Decimal
    """Income included in gross income: non-qualified income not rolled over."""
    basis_after: Decimal
    income_after: Decimal
    penalty: PenaltyAssessment
    additional_tax: Decimal


def designated_roth_distribution(
    amount: object,
    basis: object,
    balance: object,
    *,
    birth_date: object,
    withdrawal_date: object,
    first_contribution_year: object = None,
    exception: object = None,
    rolled_over: object = ZERO,
    separation_date: object = None,
    **facts: Any,
) -> DesignatedRothDistribution:
    """Split a Roth 401(k) distribution pro rata into basis and income; tax and 10%.

    Args:
        amount: the distribution.
        basis: designated Roth contributions in the account (investment in the contract).
        balance: the account balance before the distribution (basis + income).
        first_contribution_year: first year of designated Roth contributions to this
            plan (its own 5-year clock); needed when 59½, death or disability could
            qualify the distribution.
        rolled_over: part of a non-qualified distribution rolled over in 60 days; it is
            taken from the income part first.
        exception, separation_date, facts: as ``assess_early_withdrawal``.

    Authority: IRC §402A(d)(1), (2), (4); IRC §72(e)(8); Reg. §1.402A-1 A-2, A-3, A-4,
    A-5(d), A-7.
    """
    total = _positive_or_zero(amount, "amount")
    basis_d = _positive_or_zero(basis, "basis")
    balance_d = _positive_or_zero(balance, "balance")
    rolled = _positive_or_zero(rolled_over, "rolled_over")
    if basis_d > balance_d:
        raise HarvestInputError("basis", "is more than the balance")
    if total > balance_d:
        raise HarvestInputError("amount", "is more than the balance")
    if rolled > total:
        raise HarvestInputError("rolled_over", "is more than the distribution")
    born = as_date(birth_date, "birth_date")
    when = as_date(withdrawal_date, "withdrawal_date")
    chosen = parse_exception(exception)

    qualified = False
    if _qualifying_event(born, when, chosen):
        if first_contribution_year is None:
            raise HarvestInputError(
                "first_contribution_year", "is needed to know whether the 5 years have passed"
            )
        year = _year(first_contribution_year, "first_contribution_year")
        qualified = roth_five_year_period_met(year, when)

    # §72(e)(8)(B): basis recovered = amount × basis / account balance (Reg. ).
    if balance_d == 0:
        basis_part = ZERO
    else:
        basis_part = (total * basis_d / balance_d).quantize(CENT, ROUND_HALF_UP)
    income = total - basis_part
    # Reg. A-5(d): an amount rolled over is income first.
    includible = ZERO if qualified else max(ZERO, income - rolled)
    penalty = assess_early_withdrawal(
        AccountType.ROTH_401K, includible, born, when, chosen, separation_date, **facts
    )
    return DesignatedRothDistribution(
        amount=total,
        qualified=qualified,
        basis_recovered=basis_part,
        income=income,
        includible=includible,
        basis_after=basis_d - basis_part,
        income_after=balance_d - basis_d - income,
        penalty=penalty,
        additional_tax=penalty.additional_tax,
    )


def _positive_or_zero(value: object, argument: str) -> Decimal:
    result = as_money(value, argument)
    if result < 0:
        raise HarvestInputError(argument, "must not be negative")
    return result


@dataclass(frozen=True, slots=True)
class RothIraHistory:
    """What :func:`roth_ira_distribution` needs beyond the withdrawal itself."""

    contributions: Decimal
    conversions: tuple[Conversion, ...] = ()
    earnings: Decimal | None = None
    first_contribution_year: int | None = None


@dataclass(frozen=True, slots=True)
class DesignatedRothAccount:
    """What :func:`designated_roth_distribution` needs beyond the withdrawal itself."""

    basis: Decimal
    balance: Decimal
    first_contribution_year: int | None = None
    rolled_over: Decimal = ZERO
