"""The harvest decision for one lot, and what a harvest saves.

``harvest_status`` is the HX_HARVEST rule: a status code and a reason whose text starts
with ``Harvest``, ``Hold`` or ``No tax effect``. The saving of a harvest is always
federal tax without it minus federal tax with it (tax-rules.md §2.6), never a marginal
rate guess, plus the user's flat state rate on the part deducted this year; the part
that only becomes a carryover is reported separately.
"""

from __future__ import annotations

import enum
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.holding import holding_term
from harvest_xl.engine.models import AccountType, Term
from harvest_xl.engine.netting import schedule_d
from harvest_xl.engine.params import capital_loss_limit
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.records import maker, strict_equality
from harvest_xl.engine.tax import TaxResult, TaxReturn, federal_tax, return_from_profile
from harvest_xl.engine.wash_sale import money

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
CENT = Decimal("0.01")


class HarvestCode(enum.Enum):
    """Short status codes (conditional formatting keys on them)."""

    HARVEST = "Harvest"
    HOLD_GAIN = "Hold (gain)"
    HOLD_SMALL = "Hold (below threshold)"
    AT_RISK = "At risk"
    BLOCKED = "Blocked"
    NO_TAX_EFFECT = "No tax effect"


class HarvestStatus(NamedTuple):
    """The decision for one lot: ``text`` starts with the code's first word(s). A named
    tuple: one is made per lot and per HX_HARVEST call, so it must be cheap."""

    code: HarvestCode
    text: str
    gain: Decimal
    term: Term | None


_new_status = tuple.__new__
"""``_new_status(HarvestStatus, (code, text, gain, term))`` is ``HarvestStatus(code, text,
gain, term)`` without the Python-level ``__new__`` a named tuple's class call runs."""


# The members as module constants: a class-attribute lookup on an Enum goes through its
# metaclass, several times the cost of a global, and these are read for every lot.
_HARVEST = HarvestCode.HARVEST
_HOLD_GAIN = HarvestCode.HOLD_GAIN
_HOLD_SMALL = HarvestCode.HOLD_SMALL
_NO_TAX_EFFECT = HarvestCode.NO_TAX_EFFECT

_TAXED_KINDS: tuple[AccountType, ...] = tuple(kind for kind in AccountType if kind.has_tax_effect)
"""The account types whose sales reach Schedule D (``in`` a tuple compares by identity
first; the property is a Python call)."""


def usd(amount: Decimal) -> str:
    """$1,234.56: dollars and cents, half-up (no locale: the engine never sets one)."""
    sign = "-$" if amount < ZERO else "$"
    cents = abs(amount.quantize(CENT, ROUND_HALF_UP))  # wash_sale.money, without the call
    # str() of a Decimal with exponent -2 is plain digits and two decimals, and cheaper
    # than format() with a separator (usd of $123.45 takes a third less time); so below
    # $1,000,000 the one separator is put in by hand.
    text = str(cents)
    size = len(text)
    if size <= _UNDER_A_THOUSAND:
        return sign + text
    if size <= _UNDER_A_MILLION:
        return f"{sign}{text[:-6]},{text[-6:]}"
    return f"{sign}{cents:,.2f}"


_UNDER_A_THOUSAND = len("999.99")
_UNDER_A_MILLION = len("999999.99")


def percent(fraction: Decimal) -> str:
    """12.3%: a fraction as a percentage to a tenth (the context's rounding)."""
    return str((fraction * HUNDRED).quantize(TENTH)) + "%"


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
    # Memoised by the enum's value: a str hashes from its cache, an Enum member in Python
    # code, and the table pass asks once per sheltered lot.
    found = _NO_TAX_REASONS.get(account_type._value_)
    if found is None:
        found = _NO_TAX_REASONS[account_type._value_] = _no_tax_effect_text(account_type)
    return found


_NO_TAX_REASONS: dict[str, str] = {}


def _no_tax_effect_text(account_type: AccountType) -> str:
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


_TERM_LABELS = {t._value_: t._value_.lower() for t in Term}


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
    kind = account_type if type(account_type) is AccountType else AccountType.parse(account_type)
    if cost_basis < ZERO:
        _check_money(cost_basis, "cost_basis")
    if market_value < ZERO:
        _check_money(market_value, "market_value")
    if min_loss < ZERO or min_pct < ZERO or min_pct > ONE:
        check_thresholds(min_loss, min_pct)
    term = holding_term(acquired, as_of)
    gain = market_value - cost_basis
    code, text = harvest_decision(kind, cost_basis, gain, term, min_loss, min_pct)
    return _new_status(HarvestStatus, (code, text, gain, term))


def check_thresholds(min_loss: Decimal, min_pct: Decimal) -> None:
    """Refuse a negative minimum loss or a minimum share outside 0..1. The thresholds are
    the user's preference, not law: they only decide which losses are worth a Harvest.

    Raises:
        HarvestInputError: naming ``min_loss`` or ``min_pct``.
    """
    if min_loss < ZERO:
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
    gain (market value minus ``cost_basis``) and term are known. The table pass checks
    the thresholds once, computes each acquisition date's term once and keeps the gain.

    Authority: IRC §165(f), §1211(b); IRC §1222; tax-rules.md §4.
    """
    if kind not in _TAXED_KINDS:
        return sheltered_decision(kind)
    return taxable_decision(cost_basis, gain, term, min_loss, min_pct)


def sheltered_decision(kind: AccountType) -> tuple[HarvestCode, str]:
    """No tax effect, and why, for a lot in a tax-deferred or tax-exempt account.

    Authority: IRC §408(e)(1), §501(a), §223(e)(1); tax-rules.md §4.
    """
    return _NO_TAX_EFFECT, no_tax_effect_reason(kind)


def taxable_decision(
    cost_basis: Decimal, gain: Decimal, term: Term, min_loss: Decimal, min_pct: Decimal
) -> tuple[HarvestCode, str]:
    """Harvest or Hold for a lot in a taxable account: a loss of at least ``min_loss``
    dollars and ``min_pct`` of the basis is worth harvesting.

    Authority: IRC §165(f), §1211(b) (a realized capital loss is deductible); IRC §1222.
    """
    if gain >= ZERO:
        what = f"{_TERM_LABELS[term._value_]} gain of {usd(gain)}" if gain else "no loss"
        return _HOLD_GAIN, f"Hold: {what}; selling would not save tax"
    # loss_code, and loss_reason's Harvest text, written out: every HX_HARVEST call of a
    # loss comes here (tests/engine/test_harvest_fast_paths.py holds the two ways equal).
    loss = -gain
    share = loss / cost_basis if cost_basis else ONE
    if loss < min_loss or share < min_pct:
        return _HOLD_SMALL, loss_reason(_HOLD_SMALL, term, loss, share, min_loss, min_pct)
    label = _TERM_LABELS[term._value_]
    return _HARVEST, f"Harvest: {label} loss of {usd(loss)} ({percent(share)} of cost)"


def loss_code(
    cost_basis: Decimal, loss: Decimal, min_loss: Decimal, min_pct: Decimal
) -> tuple[HarvestCode, Decimal]:
    """Harvest when a (positive) ``loss`` is at least ``min_loss`` dollars and ``min_pct`` of
    the basis, else Hold (below threshold); with the loss's share of the basis.

    Authority: IRC §165(f), §1211(b); the thresholds are the user's (tax-rules.md §4).
    """
    share = loss / cost_basis if cost_basis else ONE
    if loss < min_loss or share < min_pct:
        return _HOLD_SMALL, share
    return _HARVEST, share


def loss_reason(
    code: HarvestCode,
    term: Term,
    loss: Decimal,
    share: Decimal,
    min_loss: Decimal,
    min_pct: Decimal,
) -> str:
    """The reason of :func:`loss_code`'s decision (the table pass writes it only when no
    wash-sale risk replaces it)."""
    label = _TERM_LABELS[term._value_]
    if code is _HOLD_SMALL:
        return (
            f"Hold: {label} loss of {usd(loss)} ({percent(share)}) is below your threshold "
            f"({usd(min_loss)} and {percent(min_pct)})"
        )
    return f"Harvest: {label} loss of {usd(loss)} ({percent(share)} of cost)"


@strict_equality
class HarvestSaving(NamedTuple):
    """What harvesting ``loss`` of ``term`` character saves this year, and what carries over
    (a record, harvest_xl.engine.records: the table pass makes one per losing lot)."""

    loss: Decimal
    term: Term
    federal: Decimal
    state: Decimal
    deducted_now: Decimal
    carryover: Decimal

    @property
    def total(self) -> Decimal:
        return self.federal + self.state


_new_saving = maker(HarvestSaving)


def _carryover(result: TaxResult) -> Decimal:
    return result.st_carryover_out + result.lt_carryover_out


def _with_loss(ret: TaxReturn, loss: Decimal, term: Term) -> TaxReturn:
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
        self._cache: dict[tuple[str, Decimal], HarvestSaving] = {}

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
            return _new_saving((loss, term, federal, state, deducted, loss - deducted))
        return self._compute(loss, term)

    def _compute(self, loss: Decimal, term: Term) -> HarvestSaving:
        key = (term._value_, loss)  # an Enum member hashes in Python code, its str value not
        found = self._cache.get(key)
        if found is None:
            with_ = federal_tax(_with_loss(self.ret, loss, term))
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
