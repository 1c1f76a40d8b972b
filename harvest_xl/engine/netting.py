"""Schedule D netting, the §1211(b) loss limit and the §1212(b) carryover worksheet.

Signs follow Schedule D: a gain is positive and a loss negative on lines 7, 15, 16 and 21.
Carryovers coming in (lines 6 and 14) and going out (worksheet lines 8 and 13) are
positive amounts of loss, as the user types them on the Profile sheet.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.params import capital_loss_limit

ZERO = Decimal(0)


# NamedTuple, not a frozen dataclass: as immutable, and several times cheaper to build
# (federal_tax runs on every recalculation of every HX_ cell).
class ScheduleD(NamedTuple):
    """The Schedule D lines the engine needs (signed: a loss is negative)."""

    line_6: Decimal
    """Short-term capital loss carryover, as the negative amount entered on line 6."""
    line_7: Decimal
    """Net short-term capital gain or (loss)."""
    line_14: Decimal
    """Long-term capital loss carryover, as the negative amount entered on line 14."""
    line_15: Decimal
    """Net long-term capital gain or (loss)."""
    line_16: Decimal
    """Line 7 + line 15."""
    line_21: Decimal
    """The allowed loss (negative), or 0 when line 16 is not a loss."""

    @property
    def capital_gain_in_income(self) -> Decimal:
        """Form 1040 line 7: the line-16 gain, or the line-21 (limited) loss."""
        return self.line_16 if self.line_16 > 0 else self.line_21

    @property
    def net_capital_gain(self) -> Decimal:
        """IRC §1222(11): the smaller of lines 15 and 16, 0 unless both are gains (QDCGT line 3)."""
        if self.line_15 <= 0 or self.line_16 <= 0:
            return ZERO
        return self.line_15 if self.line_15 < self.line_16 else self.line_16


def apply_capital_loss_limit(line_16: Decimal, limit: Decimal) -> Decimal:
    """Schedule D line 21: the line-16 loss, but no more than ``limit`` (returned negative).

    Authority: IRC §1211(b); Schedule D line 21 ($3,000, or $1,500 married filing separately).
    """
    if line_16 >= 0:
        return ZERO
    return line_16 if line_16 > -limit else -limit


def schedule_d(
    st_gain: Decimal,
    lt_gain: Decimal,
    st_carryover: Decimal,
    lt_carryover: Decimal,
    filing_status: FilingStatus,
    year: int | None = None,
) -> ScheduleD:
    """Net this year's short- and long-term results with the prior-year carryovers.

    ``st_gain``/``lt_gain`` are this year's net short-/long-term gains (lines 1a-5 and
    8a-13; negative for a loss); the carryovers are positive prior-year losses.

    Authority: Schedule D lines 6, 7, 14, 15, 16 and 21; IRC §1211(b), §1212(b)(1).
    """
    limit = capital_loss_limit(filing_status, year)
    return schedule_d_lines(st_gain, lt_gain, st_carryover, lt_carryover, limit)


def schedule_d_lines(
    st_gain: Decimal, lt_gain: Decimal, st_carryover: Decimal, lt_carryover: Decimal, limit: Decimal
) -> ScheduleD:
    """:func:`schedule_d` with the §1211(b) ``limit`` already looked up."""
    line_6 = -st_carryover
    line_7 = st_gain + line_6
    line_14 = -lt_carryover
    line_15 = lt_gain + line_14
    line_16 = line_7 + line_15
    line_21 = apply_capital_loss_limit(line_16, limit)
    return ScheduleD(line_6, line_7, line_14, line_15, line_16, line_21)


class CarryoverWorksheet(NamedTuple):
    """The Capital Loss Carryover Worksheet, lines 1-13, for the audit trail."""

    lines: tuple[Decimal, ...]
    """``lines[n]`` is worksheet line ``n`` (``lines[0]`` is unused and 0)."""

    @property
    def short_term(self) -> Decimal:
        """Line 8: the short-term carryover to next year's Schedule D line 6."""
        return self.lines[8]

    @property
    def long_term(self) -> Decimal:
        """Line 13: the long-term carryover to next year's Schedule D line 14."""
        return self.lines[13]


def capital_loss_carryover(
    taxable_income: Decimal, line_7: Decimal, line_15: Decimal, line_21: Decimal
) -> CarryoverWorksheet:
    """The §1212(b) carryover to next year, with its character, line by line.

    ``taxable_income`` is the loss year's Form 1040 line 15 *without* the zero floor
    (negative taxable income of §1212(b)(2)(B)); ``line_7``, ``line_15`` and ``line_21``
    are that year's signed Schedule D lines. The worksheet's "go to" branches need no
    code of their own: the zero floors give the same result (tax-rules.md §2.4).

    Authority: IRC §1212(b); Schedule D instructions, Capital Loss Carryover Worksheet.
    """
    if line_21 >= 0:
        return CarryoverWorksheet((ZERO,) * 14)
    l1 = taxable_income
    l2 = -line_21
    l3 = max(l1 + l2, ZERO)
    l4 = min(l2, l3)  # the deemed short-term gain of §1212(b)(2)(A)
    l5 = max(-line_7, ZERO)
    l6 = max(line_15, ZERO)
    l7 = l4 + l6
    l8 = max(l5 - l7, ZERO)
    l9 = max(-line_15, ZERO)
    l10 = max(line_7, ZERO)
    l11 = max(l4 - l5, ZERO)
    l12 = l10 + l11
    l13 = max(l9 - l12, ZERO)
    return CarryoverWorksheet((ZERO, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13))


def loss_deduction(
    filing_status: FilingStatus, net_st: Decimal, net_lt: Decimal, year: int | None = None
) -> Decimal:
    """The capital loss deducted against other income: Schedule D line 21 as a positive number.

    ``net_st``/``net_lt`` are Schedule D lines 7 and 15 (carryovers already included).
    0 when line 16 is a gain. The limit is not indexed, so ``year`` may be omitted.

    Authority: IRC §1211(b); Schedule D lines 16 and 21.
    """
    limit = capital_loss_limit(filing_status, year)
    return -apply_capital_loss_limit(net_st + net_lt, limit)


def carryover_to_next_year(
    filing_status: FilingStatus, taxable_income: Decimal, net_st: Decimal, net_lt: Decimal
) -> tuple[Decimal, Decimal]:
    """``(short-term, long-term)`` loss carried to next year's Schedule D lines 6 and 14.

    ``taxable_income`` is the loss year's Form 1040 line 15, negative allowed;
    ``net_st``/``net_lt`` its Schedule D lines 7 and 15.

    Authority: IRC §1212(b); Schedule D instructions, Capital Loss Carryover Worksheet.
    """
    line_21 = -loss_deduction(filing_status, net_st, net_lt)
    sheet = capital_loss_carryover(taxable_income, net_st, net_lt, line_21)
    return sheet.short_term, sheet.long_term
