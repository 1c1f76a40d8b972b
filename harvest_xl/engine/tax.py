"""Federal income tax of a simple Form 1040, to the dollar, and the with/without difference.

A return here is: ordinary income (everything but capital gains and qualified dividends),
this year's net short- and long-term gains (negative = loss), qualified dividends and the
prior-year loss carryovers; the standard deduction; no other adjustments. Total tax is
regular tax (Tax Table / Tax Computation Worksheet / QDCGT worksheet) + AMT + NIIT.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from harvest_xl.engine.amt import form_6251
from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.netting import ScheduleD, capital_loss_carryover, schedule_d_lines
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.rates import QdcgtWorksheet, line_16_tax, qdcgt_worksheet
from harvest_xl.engine.schedule import TaxSchedule, tax_schedule

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class TaxReturn:
    """The inputs of one simple Form 1040 (money in dollars).

    ``st_gain``/``lt_gain`` are this year's net realized gains (negative = loss), before
    the carryovers; ``st_carryover``/``lt_carryover`` are positive prior-year losses
    (Schedule D lines 6 and 14). ``aged_or_blind`` counts the 65-or-older and blind boxes.
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


# NamedTuple, not a frozen dataclass: as immutable, and several times cheaper to build
# (federal_tax runs on every recalculation of every HX_ cell).
class TaxResult(NamedTuple):
    """Federal tax of a :class:`TaxReturn`, with the figures an auditor checks."""

    agi: Decimal
    standard_deduction: Decimal
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


class TaxDelta(NamedTuple):
    """The tax of a return without and with extra income; ``change`` = with - without."""

    without: TaxResult
    with_: TaxResult
    change: Decimal


def standard_deduction(s: TaxSchedule, aged_or_blind: int = 0) -> Decimal:
    """The basic standard deduction plus the additional amount per aged/blind box.

    Authority: IRC §63(c)(2), §63(f); Form 1040 line 12.
    """
    return s.standard_deduction + s.aged_or_blind_addition * aged_or_blind


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


def _check(qd: Decimal, st_carryover: Decimal, lt_carryover: Decimal, aged_or_blind: int) -> None:
    if qd < 0:
        raise HarvestInputError("qualified_dividends", "must not be negative")
    if st_carryover < 0:
        raise HarvestInputError("st_carryover", _CARRYOVER_SIGN)
    if lt_carryover < 0:
        raise HarvestInputError("lt_carryover", _CARRYOVER_SIGN)
    if aged_or_blind < 0:
        raise HarvestInputError("aged_or_blind", "counts checked boxes: must not be negative")


def federal_tax(ret: TaxReturn) -> TaxResult:
    """Regular tax + AMT + NIIT of ``ret``, following Form 1040 line by line.

    Authority: Form 1040 lines 7, 11, 12, 15, 16; Schedule D; QDCGT worksheet;
    Form 6251; Form 8960; IRC §§1, 55, 63, 1211, 1212, 1411.
    """
    return tax_with_schedule(ret, tax_schedule(ret.year, ret.filing_status))


def tax_with_schedule(ret: TaxReturn, s: TaxSchedule) -> TaxResult:
    """:func:`federal_tax` with the figures of ``s`` (the law's, or a what-if variant)."""
    return _form_1040(
        s,
        ret.ordinary_income,
        ret.st_gain,
        ret.lt_gain,
        ret.qualified_dividends,
        ret.st_carryover,
        ret.lt_carryover,
        ret.aged_or_blind,
    )


def _form_1040(
    s: TaxSchedule,
    ordinary_income: Decimal,
    st_gain: Decimal,
    lt_gain: Decimal,
    qd: Decimal,
    st_carryover: Decimal,
    lt_carryover: Decimal,
    aged_or_blind: int,
) -> TaxResult:
    _check(qd, st_carryover, lt_carryover, aged_or_blind)
    sd = schedule_d_lines(st_gain, lt_gain, st_carryover, lt_carryover, s.loss_limit)
    capital_income = sd.capital_gain_in_income  # Form 1040 line 7
    agi = ordinary_income + qd + capital_income  # line 11
    deduction = standard_deduction(s, aged_or_blind) if aged_or_blind else s.standard_deduction
    unfloored = agi - deduction
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
    f6251 = form_6251(unfloored, deduction, preferential, ordinary, regular, s)
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
        deduction,
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
        ret.ordinary_income + extra_ordinary,
        ret.st_gain + extra_st,
        ret.lt_gain + extra_lt,
        ret.qualified_dividends,
        ret.st_carryover,
        ret.lt_carryover,
        ret.aged_or_blind,
    )
    return TaxDelta(without, with_, with_.total - without.total)


def return_from_profile(profile: Profile) -> TaxReturn:
    """The :class:`TaxReturn` a Profile describes (its realized gains and carryovers)."""
    return TaxReturn(
        year=profile.tax_year,
        filing_status=profile.filing_status,
        ordinary_income=profile.ordinary_income,
        st_gain=profile.realized_st,
        lt_gain=profile.realized_lt,
        qualified_dividends=profile.qualified_dividends,
        st_carryover=profile.st_carryover,
        lt_carryover=profile.lt_carryover,
    )
