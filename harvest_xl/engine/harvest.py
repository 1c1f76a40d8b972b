"""The harvest decision for one lot, and what a harvest saves.

``harvest_status`` is the HX_HARVEST rule: a status code and a reason whose text starts
with ``Harvest``, ``Hold`` or ``No tax effect``. The saving of a harvest is always
federal tax without it minus federal tax with it (tax-rules.md §2.6), never a marginal
rate guess, plus the user's flat state rate on the part deducted this year; the part
that only becomes a carryover is reported separately.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.holding import holding_term
from harvest_xl.engine.models import AccountType, Term
from harvest_xl.engine.money import money, percent, usd
from harvest_xl.engine.netting import schedule_d
from harvest_xl.engine.params import capital_loss_limit
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.tax import TaxResult, TaxReturn, federal_tax, return_from_profile

ZERO = Decimal(0)
ONE = Decimal(1)


class HarvestCode(enum.Enum):
    """Short status codes (conditional formatting keys on them)."""

    HARVEST = "Harvest"
    HOLD_GAIN = "Hold (gain)"
    HOLD_SMALL = "Hold (below threshold)"
    AT_RISK = "At risk"
    BLOCKED = "Blocked"
    NO_TAX_EFFECT = "No tax effect"


class HarvestStatus(NamedTuple):
    """The decision for one lot: ``text`` starts with the code's first word(s)."""

    code: HarvestCode
    text: str
    gain: Decimal
    term: Term | None


_SHELTER: dict[AccountType, str] = {
    AccountType.TRADITIONAL_IRA: "an IRA is exempt from tax (IRC §408(e)(1))",
    AccountType.SEP_IRA: "a SEP IRA is an IRA, exempt from tax (IRC §408(e)(1), §408(k))",
    AccountType.SIMPLE_IRA: "a SIMPLE IRA is an IRA, exempt from tax (IRC §408(e)(1), §408(p))",
    AccountType.ROTH_IRA: "a Roth IRA is exempt from tax (IRC §408A(a), §408(e)(1))",
    AccountType.TRADITIONAL_401K: "a 401(k) trust is exempt from tax (IRC §501(a), §401(a))",
    AccountType.ROTH_401K: "a Roth 401(k) is exempt from tax (IRC §402A, §501(a))",
    AccountType.TRADITIONAL_403B: "a 403(b) account is not taxed until paid out (IRC §403(b))",
    AccountType.GOVERNMENTAL_457B: "a 457(b) plan is not taxed until paid out (IRC §457(a))",
    AccountType.HSA: "an HSA is exempt from tax (IRC §223(e)(1))",
}


def no_tax_effect_reason(account_type: AccountType) -> str:
    """Why a gain or loss inside a tax-deferred or tax-exempt account has no tax effect.

    Authority: IRC §408(e)(1), §501(a), §223(e)(1); IRC §67(g)/(h) as amended by
    P.L. 119-21 §70110 (no deduction for a loss on IRA basis after 2017); tax-rules.md §4.
    """
    return _NO_TAX_EFFECT_REASONS[account_type]


def _no_tax_effect_text(account_type: AccountType) -> str:
    """The text of :func:`no_tax_effect_reason`, written once per account type."""
    shelter = _SHELTER[account_type]
    if account_type.is_roth:
        section = "§408A(d)" if account_type.is_ira else "§402A(d)"
        later = f"gains come out tax-free in a qualified distribution (IRC {section})"
    elif account_type is AccountType.HSA:
        later = "gains come out tax-free when spent on medical care (IRC §223(f)(1))"
    else:
        later = "only withdrawals are taxed, as ordinary income (IRC §72)"
    ira_note = " (no IRA-loss deduction since 2018, IRC §67(h))" if account_type.is_ira else ""
    return (
        f"No tax effect: {shelter}, so a sale inside it never reaches Schedule D; its loss "
        f"is not deductible{ira_note} and {later}"
    )


_NO_TAX_EFFECT_REASONS: dict[AccountType, str] = {
    kind: _no_tax_effect_text(kind) for kind in _SHELTER
}
"""Each sheltered account type's reason (a table pass states it for every such lot)."""


def _check_money(value: Decimal, argument: str) -> None:
    if value < 0:
        raise HarvestInputError(argument, f"{value} is negative")


def harvest_status(
    account_type: AccountType | str,
    cost_basis: Decimal,
    market_value: Decimal,
    acquired: date,
    as_of: date,
    min_loss: Decimal = ZERO,
    min_pct: Decimal = ZERO,
) -> HarvestStatus:
    """Harvest, Hold or No tax effect for a lot worth ``market_value`` on ``as_of``.

    ``min_pct`` is a fraction of the cost basis (0.05 = 5%). A loss qualifies when it is
    at least ``min_loss`` dollars and at least ``min_pct`` of the basis.

    Authority: IRC §165(f), §1211(b) (a realized capital loss is deductible, taxable
    accounts only); IRC §1222 (term); tax-rules.md §4 (no tax effect in sheltered accounts).
    """
    kind = AccountType.parse(account_type)
    _check_money(cost_basis, "cost_basis")
    _check_money(market_value, "market_value")
    check_thresholds(min_loss, min_pct)
    term = holding_term(acquired, as_of)
    gain = market_value - cost_basis
    code, text = harvest_decision(kind, cost_basis, gain, term, min_loss, min_pct)
    return HarvestStatus(code=code, text=text, gain=gain, term=term)


def check_thresholds(min_loss: Decimal, min_pct: Decimal) -> None:
    """Refuse a negative minimum loss or a minimum share outside 0..1. The thresholds are
    the user's preference, not law: they only decide which losses are worth a Harvest.

    Raises:
        HarvestInputError: naming ``min_loss`` or ``min_pct``.
    """
    _check_money(min_loss, "min_loss")
    if min_pct < ZERO or min_pct > ONE:
        raise HarvestInputError(
            "min_pct", f"{min_pct} is not a fraction between 0 and 1 (5% = 0.05)"
        )


def harvest_decision(
    kind: AccountType,
    cost_basis: Decimal,
    gain: Decimal,
    term: Term,
    min_loss: Decimal,
    min_pct: Decimal,
) -> tuple[HarvestCode, str]:
    """The code and reason of :func:`harvest_status` once the inputs are checked and the
    gain (market value minus ``cost_basis``) and term are known: what the table pass calls
    for every lot, with each acquisition date's term computed once.

    Authority: IRC §165(f), §1211(b); IRC §1222; tax-rules.md §4.
    """
    if not kind.has_tax_effect:
        return HarvestCode.NO_TAX_EFFECT, no_tax_effect_reason(kind)
    return taxable_decision(cost_basis, gain, term, min_loss, min_pct)


def taxable_decision(
    cost_basis: Decimal, gain: Decimal, term: Term, min_loss: Decimal, min_pct: Decimal
) -> tuple[HarvestCode, str]:
    """Harvest or Hold for a lot in a taxable account: a loss of at least ``min_loss``
    dollars and ``min_pct`` of the basis is worth harvesting.

    Authority: IRC §165(f), §1211(b) (a realized capital loss is deductible); IRC §1222.
    """
    label = term.value.lower()
    if gain >= ZERO:
        what = f"{label} gain of {usd(gain)}" if gain else "no loss"
        return HarvestCode.HOLD_GAIN, f"Hold: {what}; selling would not save tax"
    loss = -gain
    share = loss / cost_basis if cost_basis else ONE
    if loss < min_loss or share < min_pct:
        return HarvestCode.HOLD_SMALL, (
            f"Hold: {label} loss of {usd(loss)} ({percent(share)}) is below your threshold "
            f"({usd(min_loss)} and {percent(min_pct)})"
        )
    return HarvestCode.HARVEST, f"Harvest: {label} loss of {usd(loss)} ({percent(share)} of cost)"


@dataclass(frozen=True, slots=True)
class HarvestSaving:
    """What harvesting ``loss`` of ``term`` character saves this year, and what carries over."""

    loss: Decimal
    term: Term
    federal: Decimal
    state: Decimal
    deducted_now: Decimal
    carryover: Decimal

    @property
    def total(self) -> Decimal:
        return self.federal + self.state


def _carryover(result: TaxResult) -> Decimal:
    return result.st_carryover_out + result.lt_carryover_out


def with_loss(ret: TaxReturn, loss: Decimal, term: Term) -> TaxReturn:
    if term is Term.SHORT:
        return replace(ret, st_gain=ret.st_gain - loss)
    return replace(ret, lt_gain=ret.lt_gain - loss)


class SavingCalculator:
    """Savings of many single-lot harvests against one profile, computed with/without.

    The baseline is computed once. Once the loss takes Schedule D line 16 to the full
    §1211(b) limit, this year's return no longer changes (line 21 is capped, net capital
    gain is zero), so every larger loss saves the same federal and state amount and the
    excess only carries over; those losses reuse one computation.

    Authority: tax-rules.md §2.6; IRC §1211(b), §1212(b); Schedule D line 21.
    """

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.ret = return_from_profile(profile)
        self.base = federal_tax(self.ret)
        sd = schedule_d(
            self.ret.st_gain,
            self.ret.lt_gain,
            self.ret.st_carryover,
            self.ret.lt_carryover,
            self.ret.filing_status,
        )
        limit = capital_loss_limit(self.ret.filing_status)
        self.saturation = max(ZERO, sd.line_16 + limit)
        self._cache: dict[tuple[Term, Decimal], HarvestSaving] = {}

    def saving(self, loss: Decimal, term: Term) -> HarvestSaving:
        """The saving of harvesting ``loss`` (a positive amount) of ``term`` character."""
        if loss < ZERO:
            raise HarvestInputError(
                "loss", f"{loss} is negative: enter a loss as a positive amount"
            )
        if loss > self.saturation:
            at_cap = self._compute(self.saturation, term) if self.saturation > 0 else None
            federal = at_cap.federal if at_cap else ZERO
            state = at_cap.state if at_cap else ZERO
            deducted = at_cap.deducted_now if at_cap else ZERO
            return HarvestSaving(loss, term, federal, state, deducted, loss - deducted)
        return self._compute(loss, term)

    def _compute(self, loss: Decimal, term: Term) -> HarvestSaving:
        key = (term, loss)
        found = self._cache.get(key)
        if found is None:
            with_ = federal_tax(with_loss(self.ret, loss, term))
            carry = _carryover(with_) - _carryover(self.base)
            deducted = loss - carry
            state = money(self.profile.state_rate * deducted)
            found = HarvestSaving(loss, term, self.base.total - with_.total, state, deducted, carry)
            self._cache[key] = found
        return found


def harvest_saving(profile: Profile, loss: Decimal, term: Term) -> HarvestSaving:
    """Federal (with/without) plus state saving of harvesting ``loss`` alone.

    Authority: tax-rules.md §2.6; Schedule D; IRC §1211(b), §1212(b).
    """
    return SavingCalculator(profile).saving(loss, term)
