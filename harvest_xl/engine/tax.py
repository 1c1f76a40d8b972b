"""Federal income tax of a Form 1040, to the dollar, and the with/without difference.

A return here is: ordinary income (everything but capital gains, qualified dividends and
Social Security), this year's net short- and long-term gains (negative = loss), qualified
dividends and the prior-year loss carryovers; and, for the whole household (issue 16,
household-return.md), the §63(f) boxes, the seniors of §151(d)(5)(C), Social Security
benefits with tax-exempt interest, and Schedule A amounts. Every household field
defaults to "not applicable", which is the standard-deduction return with no ages of
HX_TAX. Total tax is regular tax (Tax Table / Tax Computation Worksheet / QDCGT
worksheet) + AMT + NIIT. A household with Schedule A amounts is computed both ways and
takes the cheaper (:func:`cheaper_return`).

Reading of an open question (household-return.md §6.3): the senior deduction is a §151
deduction, which §56(b)(1)(E) disallows for the AMT, so Form 6251 adds it back (as
Tax-Calculator 6.8 reads the 2025 form; PolicyEngine-US allows it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from harvest_xl.engine.amt import form_6251
from harvest_xl.engine.deductions import (
    Deductions,
    deduction_choices,
    standard_deduction,
)
from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.itemized import ScheduleA
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.netting import ScheduleD, capital_loss_carryover, schedule_d_lines
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.rates import QdcgtWorksheet, line_16_tax, qdcgt_worksheet
from harvest_xl.engine.schedule import TaxSchedule, tax_schedule

__all__ = [
    "TaxDelta",
    "TaxResult",
    "TaxReturn",
    "cheaper_return",
    "federal_tax",
    "net_investment_income_tax",
    "return_from_profile",
    "standard_deduction",
    "tax_difference",
    "tax_with_schedule",
    "taxes_after_deductions",
]

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class TaxReturn:
    """The inputs of one simple Form 1040 (money in dollars).

    ``st_gain``/``lt_gain`` are this year's net realized gains (negative = loss), before
    the carryovers; ``st_carryover``/``lt_carryover`` are positive prior-year losses
    (Schedule D lines 6 and 14). ``aged_or_blind`` counts the 65-or-older and blind boxes.

    The household fields (all "not applicable" by default): ``seniors`` counts the
    qualified individuals of the senior deduction (65 or older, with a valid SSN; the
    spouse only on a joint return); ``social_security`` is the benefits received (Form 1040
    line 6a) and ``tax_exempt_interest`` line 2a; ``mfs_lived_apart`` says a married person
    filing separately lived apart from the spouse all year (§86(c)(1)(C)); the Schedule A
    amounts are the year's medical expenses, state and local taxes paid (line 5d),
    deductible home mortgage interest (line 8e), charitable gifts (cash gifts to public
    charities, within the §170(b) ceilings) and other itemized deductions (line 16);
    ``spouse_itemizes`` makes a married person filing separately itemize (§63(c)(6)(A)).
    """

    year: int
    filing_status: FilingStatus
    ordinary_income: Decimal
    st_gain: Decimal = ZERO
    lt_gain: Decimal = ZERO
    qualified_dividends: Decimal = ZERO
    st_carryover: Decimal = ZERO
    lt_carryover: Decimal = ZERO
    aged_or_blind: int = 0
    seniors: int = 0
    social_security: Decimal = ZERO
    tax_exempt_interest: Decimal = ZERO
    mfs_lived_apart: bool = False
    medical_expenses: Decimal = ZERO
    state_local_taxes: Decimal = ZERO
    mortgage_interest: Decimal = ZERO
    charitable_gifts: Decimal = ZERO
    other_itemized: Decimal = ZERO
    spouse_itemizes: bool = False


# NamedTuple, not a frozen dataclass: as immutable, and several times cheaper to build
# (federal_tax runs on every recalculation of every HX_ cell).
class TaxResult(NamedTuple):
    """Federal tax of a :class:`TaxReturn`, with the figures an auditor checks."""

    agi: Decimal
    standard_deduction: Decimal
    """The standard deduction (basic + §63(f) amounts), whether or not it is taken."""
    taxable_income: Decimal
    """Form 1040 line 15 (floored at zero)."""
    taxable_income_unfloored: Decimal
    """Line 15 without the floor: Capital Loss Carryover Worksheet line 1."""
    regular_tax: Decimal
    """Form 1040 line 16."""
    amt: Decimal
    niit: Decimal
    total: Decimal
    """Regular tax + AMT + NIIT."""
    loss_deduction: Decimal
    """Schedule D line 21 as a positive number."""
    st_carryover_out: Decimal
    lt_carryover_out: Decimal
    net_investment_income: Decimal
    schedule_d: ScheduleD
    qdcgt: QdcgtWorksheet | None
    """The QDCGT worksheet when it applies, else ``None`` (rate schedule / Tax Table)."""
    amti: Decimal
    tentative_minimum_tax: Decimal
    taxable_social_security: Decimal
    """Form 1040 line 6b."""
    deduction: Decimal
    """Form 1040 line 12 as taken: the standard deduction (+ a non-itemizer's §170(p)
    amount) or the allowed itemized deductions."""
    senior_deduction: Decimal
    """Schedule 1-A line 37 (Form 1040 line 13b)."""
    itemizes: bool
    schedule_a: ScheduleA | None
    """Schedule A (after its limits and §68) when the return itemizes, else ``None``."""


class TaxDelta(NamedTuple):
    """The tax of a return without and with extra income; ``change`` = with - without."""

    without: TaxResult
    with_: TaxResult
    change: Decimal


def net_investment_income_tax(
    agi: Decimal, net_investment_income: Decimal, s: TaxSchedule
) -> Decimal:
    """3.8% of the lesser of net investment income and MAGI over the threshold (MAGI = AGI).

    Authority: IRC §1411(a)(1), (b); Form 8960 lines 13-17.
    """
    excess = agi - s.niit_threshold
    if excess <= 0 or net_investment_income <= 0:
        return ZERO
    return s.niit_rate * min(net_investment_income, excess)


_CARRYOVER_SIGN = "is a loss carried in: enter it as a positive amount"
_COUNT = "counts people: must be 0, 1 or 2"


def _check(ret: TaxReturn) -> None:
    if ret.qualified_dividends < 0:
        raise HarvestInputError("qualified_dividends", "must not be negative")
    if ret.st_carryover < 0:
        raise HarvestInputError("st_carryover", _CARRYOVER_SIGN)
    if ret.lt_carryover < 0:
        raise HarvestInputError("lt_carryover", _CARRYOVER_SIGN)
    if ret.aged_or_blind < 0:
        raise HarvestInputError("aged_or_blind", "counts checked boxes: must not be negative")
    if not 0 <= ret.seniors <= 2:
        raise HarvestInputError("seniors", _COUNT)
    for name in _HOUSEHOLD_AMOUNTS:
        if getattr(ret, name) < 0:
            raise HarvestInputError(name, "must not be negative")


_HOUSEHOLD_AMOUNTS = (
    "social_security",
    "tax_exempt_interest",
    "medical_expenses",
    "state_local_taxes",
    "mortgage_interest",
    "charitable_gifts",
    "other_itemized",
)


def federal_tax(ret: TaxReturn) -> TaxResult:
    """Regular tax + AMT + NIIT of ``ret``, following Form 1040 line by line.

    Authority: Form 1040 lines 6b, 7, 11, 12, 13b, 15, 16; Social Security Benefits
    Worksheet; Schedules A, D and 1-A; QDCGT worksheet; Form 6251; Form 8960;
    IRC §§1, 55, 56, 63, 68, 86, 151(d)(5)(C), 164, 170, 213, 1211, 1212, 1411.
    """
    return tax_with_schedule(ret, tax_schedule(ret.year, ret.filing_status))


def tax_with_schedule(ret: TaxReturn, s: TaxSchedule) -> TaxResult:
    """:func:`federal_tax` with the figures of ``s`` (the law's, or a what-if variant)."""
    return _form_1040(s, ret, ret.ordinary_income, ret.st_gain, ret.lt_gain)


def _form_1040(
    s: TaxSchedule,
    ret: TaxReturn,
    ordinary_income: Decimal,
    st_gain: Decimal,
    lt_gain: Decimal,
) -> TaxResult:
    _check(ret)
    qd = ret.qualified_dividends
    sd = schedule_d_lines(st_gain, lt_gain, ret.st_carryover, ret.lt_carryover, s.loss_limit)
    capital_income = sd.capital_gain_in_income  # Form 1040 line 7
    income = ordinary_income + qd + capital_income  # lines 1z-8 but 6b
    standard, itemized = deduction_choices(ret, income, s)
    if itemized is None:
        assert standard is not None  # deduction_choices gives at least one
        return taxes_after_deductions(s, sd, qd, standard)
    by_itemizing = taxes_after_deductions(s, sd, qd, itemized)
    if standard is None:
        return by_itemizing
    return cheaper_return(taxes_after_deductions(s, sd, qd, standard), by_itemizing)


def cheaper_return(standard: TaxResult, itemized: TaxResult) -> TaxResult:
    """Itemize when that costs less income tax (regular + AMT + NIIT); on equal tax, when
    it gives the lower taxable income (more negative taxable income keeps more capital
    loss for next year, §1212(b)(2)); otherwise keep the standard deduction. Without the
    AMT this is "itemize when larger"; with it the larger deduction can cost more, since
    the AMT adds back the whole standard deduction but only an itemizer's taxes.

    Authority: IRC §63(e) (the election to itemize); Form 1040 instructions, line 12;
    Schedule A line 18; household-return.md §5.7.
    """
    if itemized.total < standard.total:
        return itemized
    if itemized.total == standard.total and (
        itemized.taxable_income_unfloored < standard.taxable_income_unfloored
    ):
        return itemized
    return standard


def taxes_after_deductions(s: TaxSchedule, sd: ScheduleD, qd: Decimal, d: Deductions) -> TaxResult:
    """Form 1040 lines 14-16, Form 6251 and Form 8960 once AGI and the deductions are known
    (``sd`` is Schedule D, ``qd`` the qualified dividends).

    Authority: Form 1040 lines 14-16; QDCGT worksheet; Form 6251; Form 8960; Capital Loss
    Carryover Worksheet; IRC §§1(h), 55, 1211, 1212, 1411.
    """
    capital_income = sd.capital_gain_in_income  # Form 1040 line 7
    agi = d.agi  # line 11
    unfloored = agi - d.line_12 - d.senior  # lines 12, 13b, 14
    taxable = unfloored if unfloored > 0 else ZERO  # line 15
    net_gain = sd.net_capital_gain
    preferential = qd + net_gain  # QDCGT line 4
    if preferential > 0:
        worksheet = qdcgt_worksheet(taxable, qd, net_gain, s)
        sheet: QdcgtWorksheet | None = worksheet
        regular = worksheet.lines[25]
        ordinary = worksheet.lines[5]  # the regular-tax stacking Form 6251 Part III reuses
    else:
        sheet = None
        regular = line_16_tax(taxable, s)
        ordinary = taxable
    f6251 = form_6251(unfloored, d.amt_addback, preferential, ordinary, regular, s)
    nii = qd + capital_income
    if nii < 0:
        nii = ZERO  # Treas. Reg. §1.1411-4(d): net gain is never below zero
    niit = net_investment_income_tax(agi, nii, s)
    loss = -sd.line_21
    if loss:
        carry = capital_loss_carryover(unfloored, sd.line_7, sd.line_15, sd.line_21)
        st_out, lt_out = carry.short_term, carry.long_term
    else:
        st_out = lt_out = ZERO
    return TaxResult(
        agi,
        d.standard,
        taxable,
        unfloored,
        regular,
        f6251.amt,
        niit,
        regular + f6251.amt + niit,
        loss,
        st_out,
        lt_out,
        nii,
        sd,
        sheet,
        f6251.amti,
        f6251.tentative_minimum_tax,
        d.taxable_social_security,
        d.line_12,
        d.senior,
        d.itemizes,
        d.schedule_a,
    )


def _exact_key(ret: TaxReturn) -> tuple[object, ...]:
    """``ret``'s figures as typed: Decimal('1.0') equals Decimal('1') but prints otherwise,
    so the cache below never hands back a result built from differently written figures."""
    return (
        str(ret.ordinary_income),
        str(ret.st_gain),
        str(ret.lt_gain),
        str(ret.qualified_dividends),
        str(ret.st_carryover),
        str(ret.lt_carryover),
        str(ret.social_security),
        str(ret.tax_exempt_interest),
        str(ret.medical_expenses),
        str(ret.state_local_taxes),
        str(ret.mortgage_interest),
        str(ret.charitable_gifts),
        str(ret.other_itemized),
    )


@functools.lru_cache(maxsize=64)
def _tax_without(key: tuple[object, ...], ret: TaxReturn) -> TaxResult:
    """The baseline side of :func:`tax_difference`, once per return: every lot's withdrawal
    cost and harvest saving compares against the same profile's return (pure, and a
    TaxResult is immutable, so sharing it is safe)."""
    return federal_tax(ret)


def tax_difference(
    ret: TaxReturn,
    extra_st: Decimal = ZERO,
    extra_lt: Decimal = ZERO,
    extra_ordinary: Decimal = ZERO,
) -> TaxDelta:
    """Tax with and without extra short-/long-term gain (negative = loss) and ordinary income.

    Both sides use the same convention (tax-rules.md §2.6, §9 item 4); a harvested loss
    enters as a negative ``extra_st``/``extra_lt`` and nets through Schedule D.

    Authority: tax-rules.md §2.6 (with/without method).
    """
    s = tax_schedule(ret.year, ret.filing_status)
    without = _tax_without(_exact_key(ret), ret)
    with_ = _form_1040(
        s,
        ret,
        ret.ordinary_income + extra_ordinary,
        ret.st_gain + extra_st,
        ret.lt_gain + extra_lt,
    )
    return TaxDelta(without, with_, with_.total - without.total)


def return_from_profile(profile: Profile) -> TaxReturn:
    """The whole household's :class:`TaxReturn` a Profile describes (its ages, Social
    Security, itemized amounts, realized gains and carryovers).

    The same as :func:`harvest_xl.engine.household.household_return`, kept under this
    name for its callers; imported here at call time because the household module builds
    on this one.
    """
    from harvest_xl.engine.household import household_return

    return household_return(profile)
