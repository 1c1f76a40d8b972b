"""Schedule D of the realized year, from the Form 8949 rows and the prior-year carryovers.

Netting, the §1211(b) limit and the §1212(b) carryover are :mod:`harvest_xl.engine.netting`'s;
this module only totals the rows per box and hands the two sums to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.form8949 import Box, Form8949Row
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.netting import CarryoverWorksheet, capital_loss_carryover, schedule_d_lines
from harvest_xl.engine.params import capital_loss_limit

ZERO = Decimal(0)


class ScheduleDLine(NamedTuple):
    """Totals of one Schedule D line: columns (d), (e), (g) and (h) (line 1a/8a: no (g))."""

    proceeds: Decimal
    cost_basis: Decimal
    adjustment: Decimal
    gain_or_loss: Decimal


_NO_LINE = ScheduleDLine(ZERO, ZERO, ZERO, ZERO)


@dataclass(frozen=True, slots=True)
class ScheduleDReport:
    """Schedule D lines 1a-3, 6-10, 14-16 and 21 of the realized year (signed: a loss is
    negative; lines 6 and 14 are the carryovers entered as losses).

    Lines 1a and 8a are empty: every sale is listed on Form 8949 (always permitted;
    realized-year.md §1.8). Lines 4, 5 and 11-13 (other forms, K-1s, capital gain
    distributions) are not itemised here: ``other_short_term``/``other_long_term`` are the
    gains and losses the caller knows of outside Form 8949 (the Profile's realized amounts
    outside Activity), counted in lines 7 and 15 as those lines would.
    ``realized_short_term``/``realized_long_term`` are the Form 8949 totals (lines 1b+2+3
    and 8b+9+10, column (h)) that the saving computation adds to the return;
    ``unknown_basis_rows`` counts rows left out of every total because their basis is
    unknown (then the report is incomplete).
    ``carryover`` is the worksheet for next year, when a taxable income was given.
    """

    line_1a: ScheduleDLine
    line_1b: ScheduleDLine
    line_2: ScheduleDLine
    line_3: ScheduleDLine
    line_6: Decimal
    line_7: Decimal
    line_8a: ScheduleDLine
    line_8b: ScheduleDLine
    line_9: ScheduleDLine
    line_10: ScheduleDLine
    line_14: Decimal
    line_15: Decimal
    line_16: Decimal
    line_21: Decimal
    realized_short_term: Decimal
    realized_long_term: Decimal
    unknown_basis_rows: int
    carryover: CarryoverWorksheet | None
    other_short_term: Decimal = ZERO
    other_long_term: Decimal = ZERO

    @property
    def complete(self) -> bool:
        """True when every row's basis is known, so the totals are the return's."""
        return self.unknown_basis_rows == 0


def schedule_d_line_totals(rows: Iterable[Form8949Row]) -> tuple[dict[Box, ScheduleDLine], int]:
    """Per box, the sums of columns (d), (e), (g) and (h) of its rows (one pass), and the
    number of rows of unknown basis, which no total includes.

    Authority: Schedule D (2025) lines 1b, 2, 3, 8b, 9, 10 ("totals for all transactions
    reported on Form(s) 8949 with Box A/B/C/D/E/F checked"); Form 8949 line 2.
    """
    sums = {box: [ZERO, ZERO, ZERO, ZERO] for box in Box}
    unknown = 0
    for row in rows:
        if row.box is None or row.cost_basis is None or row.gain_or_loss is None:
            unknown += 1
            continue
        total = sums[row.box]
        total[0] += row.proceeds
        total[1] += row.cost_basis
        if row.adjustment is not None:
            total[2] += row.adjustment
        total[3] += row.gain_or_loss
    return {box: ScheduleDLine(*total) for box, total in sums.items()}, unknown


def schedule_d_report(
    rows: Iterable[Form8949Row],
    *,
    filing_status: FilingStatus,
    year: int,
    st_carryover: Decimal = ZERO,
    lt_carryover: Decimal = ZERO,
    taxable_income: Decimal | None = None,
    other_st: Decimal = ZERO,
    other_lt: Decimal = ZERO,
) -> ScheduleDReport:
    """Schedule D of the realized year: Form 8949 totals, the carryovers, netting, the
    §1211(b) limit and, given the year's taxable income (Form 1040 line 15 without its zero
    floor), the §1212(b) carryover to next year.

    The carryovers are positive amounts of loss (worksheet lines 8 and 13 of last year).
    ``other_st``/``other_lt`` are signed net gains reported outside Form 8949 (lines 1a, 4,
    5 and 8a, 11-13), combined into lines 7 and 15.

    Authority: Schedule D (2025) lines 1a-21; IRC §1211(b), §1212(b); Schedule D
    instructions, Capital Loss Carryover Worksheet.
    """
    if st_carryover < 0 or lt_carryover < 0:
        raise HarvestInputError("carryover", "enter a carryover as a positive amount of loss")
    lines, unknown = schedule_d_line_totals(rows)
    realized_st = lines[Box.A].gain_or_loss + lines[Box.B].gain_or_loss + lines[Box.C].gain_or_loss
    realized_lt = lines[Box.D].gain_or_loss + lines[Box.E].gain_or_loss + lines[Box.F].gain_or_loss
    limit = capital_loss_limit(filing_status, year)
    netted = schedule_d_lines(
        realized_st + other_st, realized_lt + other_lt, st_carryover, lt_carryover, limit
    )
    carryover = None
    if taxable_income is not None:
        carryover = capital_loss_carryover(
            taxable_income, netted.line_7, netted.line_15, netted.line_21
        )
    return ScheduleDReport(
        line_1a=_NO_LINE,
        line_1b=lines[Box.A],
        line_2=lines[Box.B],
        line_3=lines[Box.C],
        line_6=netted.line_6,
        line_7=netted.line_7,
        line_8a=_NO_LINE,
        line_8b=lines[Box.D],
        line_9=lines[Box.E],
        line_10=lines[Box.F],
        line_14=netted.line_14,
        line_15=netted.line_15,
        line_16=netted.line_16,
        line_21=netted.line_21,
        realized_short_term=realized_st,
        realized_long_term=realized_lt,
        unknown_basis_rows=unknown,
        carryover=carryover,
        other_short_term=other_st,
        other_long_term=other_lt,
    )
