"""Tax on taxable income: the rate schedule, the Tax Table and the QDCGT worksheet.

Convention (tax-rules.md §5.5, §9 item 4): below the Tax Table limit the tax is the Tax
Table's (tax on the midpoint of the row, whole dollars, half up); at or above it the Tax
Computation Worksheet's exact bracket formula. The QDCGT worksheet uses the same rule on
its lines 22 and 24.
"""

from __future__ import annotations

from bisect import bisect_left
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from harvest_xl.engine.schedule import TaxSchedule

ZERO = Decimal(0)
ONE_DOLLAR = Decimal(1)
HALF = Decimal("0.5")


def bracket_tax(taxable_income: Decimal, s: TaxSchedule) -> Decimal:
    """Tax by the rate schedule ("$X plus R% of the excess over $B"), exact to the cent.

    Authority: IRC §1(j)(2); Form 1040 instructions, Tax Computation Worksheet.
    """
    if taxable_income <= 0:
        return ZERO
    i = bisect_left(s.bracket_tops, taxable_income)
    return s.base_tax[i] + s.rates[i] * (taxable_income - s.bracket_starts[i])


def tax_table_midpoint(taxable_income: Decimal, s: TaxSchedule) -> Decimal:
    """The midpoint of the Tax Table row that holds ``taxable_income``.

    Authority: Form 1040 instructions, Tax Table (rows of $5/$10, $25, then $50).
    """
    for start, end, width in s.tax_table_rows:
        if taxable_income < end:
            row = start + ((taxable_income - start) // width) * width
            return row + width * HALF
    raise ValueError(f"{taxable_income} is beyond the Tax Table")


def tax_table_tax(taxable_income: Decimal, s: TaxSchedule) -> Decimal:
    """The Tax Table amount: tax on the row midpoint, rounded half up to whole dollars.

    Authority: Form 1040 instructions, line 16 and the Tax Table.
    """
    mid = tax_table_midpoint(taxable_income if taxable_income > 0 else ZERO, s)
    return bracket_tax(mid, s).quantize(ONE_DOLLAR, ROUND_HALF_UP)


def line_16_tax(taxable_income: Decimal, s: TaxSchedule) -> Decimal:
    """Tax on an amount as Form 1040 line 16 computes it: Tax Table under the limit,
    Tax Computation Worksheet at or above.

    Authority: Form 1040 instructions, line 16 ("less than $100,000 ... Tax Table").
    """
    if taxable_income < s.tax_table_limit:
        return tax_table_tax(taxable_income, s)
    return bracket_tax(taxable_income, s)


# NamedTuple, not a frozen dataclass: as immutable, and several times cheaper to build
# (federal_tax runs on every recalculation of every HX_ cell).
class QdcgtWorksheet(NamedTuple):
    """The Qualified Dividends and Capital Gain Tax Worksheet, lines 1-25."""

    lines: tuple[Decimal, ...]
    """``lines[n]`` is worksheet line ``n`` (``lines[0]`` is unused and 0)."""

    @property
    def tax(self) -> Decimal:
        """Line 25: the tax."""
        return self.lines[25]


def qdcgt_worksheet(
    taxable_income: Decimal,
    qualified_dividends: Decimal,
    net_capital_gain: Decimal,
    s: TaxSchedule,
) -> QdcgtWorksheet:
    """Tax with net capital gain and qualified dividends at 0/15/20%, line by line.

    ``net_capital_gain`` is line 3: the smaller of Schedule D lines 15 and 16, 0 unless
    both are gains.

    Authority: IRC §1(h)(1), §1(h)(11), §1(j)(5); Form 1040 instructions, Qualified
    Dividends and Capital Gain Tax Worksheet—Line 16.
    """
    # "smaller of"/"larger of" as conditional expressions: builtin min/max cost more here
    l1 = taxable_income
    l2 = qualified_dividends
    l3 = net_capital_gain
    l4 = l2 + l3
    l5 = l1 - l4 if l1 > l4 else ZERO  # ordinary income, stacked first
    l6 = s.zero_rate_max
    l7 = l1 if l1 < l6 else l6
    l8 = l5 if l5 < l7 else l7
    l9 = l7 - l8  # taxed at 0%
    l10 = l1 if l1 < l4 else l4
    l11 = l9
    l12 = l10 - l11
    l13 = s.fifteen_rate_max
    l14 = l1 if l1 < l13 else l13
    l15 = l5 + l9
    l16 = l14 - l15 if l14 > l15 else ZERO
    l17 = l12 if l12 < l16 else l16  # taxed at 15%
    l18 = l17 * s.ltcg_rates[1]
    l19 = l9 + l17
    l20 = l10 - l19  # taxed at 20%
    l21 = l20 * s.ltcg_rates[2]
    l22 = line_16_tax(l5, s)
    l23 = l18 + l21 + l22
    l24 = line_16_tax(l1, s)
    l25 = l23 if l23 < l24 else l24
    return QdcgtWorksheet(
        (ZERO, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14, l15, l16, l17,
         l18, l19, l20, l21, l22, l23, l24, l25)
    )  # fmt: skip
