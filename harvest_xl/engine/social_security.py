"""Taxable Social Security benefits: the Form 1040 Social Security Benefits Worksheet.

IRC §86 taxes up to 85% of the benefits, by how far "provisional income" (every other
income line, tax-exempt interest and half the benefits, less the adjustments) exceeds
the base amounts. A harvested loss lowers provisional income through Form 1040 line 7,
so it lowers taxable benefits as well: $0.50 or $0.85 per dollar inside the two bands
(household-return.md §4.3).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.schedule import TaxSchedule

ZERO = Decimal(0)
_NO_LINES = (ZERO,) * 19


# NamedTuple, not a frozen dataclass: as immutable and cheaper to build (once per return).
class SocialSecurityWorksheet(NamedTuple):
    """The Social Security Benefits Worksheet—Lines 6a and 6b, lines 1-18."""

    lines: tuple[Decimal, ...]
    """``lines[n]`` is worksheet line ``n`` (``lines[0]`` is unused and 0)."""

    @property
    def taxable_benefits(self) -> Decimal:
        """Line 18: taxable benefits, Form 1040 line 6b."""
        return self.lines[18]


def social_security_worksheet(
    benefits: Decimal,
    other_income: Decimal,
    tax_exempt_interest: Decimal,
    adjustments: Decimal,
    s: TaxSchedule,
    lived_apart_all_year: bool = False,
) -> SocialSecurityWorksheet:
    """Taxable Social Security benefits, line by line.

    ``other_income`` is worksheet line 3: Form 1040 lines 1z, 2b, 3b, 4b, 5b, 7 and 8
    (everything in total income but the benefits; line 7 is the capital gain or the
    §1211(b)-limited loss). ``adjustments`` is line 6 (Schedule 1 adjustments).
    A married person filing separately who lived with the spouse at any time in the year
    skips lines 8-15 and includes 85% of line 7 (base amounts of zero, §86(c)(1)(C)).

    Authority: IRC §86(a), (b)(2), (c); Form 1040 instructions, Social Security Benefits
    Worksheet—Lines 6a and 6b; Pub. 915 Worksheet 1; household-return.md §4.2.
    """
    if benefits <= 0:
        return SocialSecurityWorksheet(_NO_LINES)
    half, most = s.ss_rates  # 50% (lines 2, 13) and 85% (lines 15, 16, 17)
    l1 = benefits
    l2 = l1 * half
    l3 = other_income
    l4 = tax_exempt_interest
    l5 = l2 + l3 + l4
    l6 = adjustments
    if l6 >= l5:  # line 7: none of the benefits is taxable
        return SocialSecurityWorksheet((ZERO, l1, l2, l3, l4, l5, l6) + (ZERO,) * 12)
    l7 = l5 - l6
    l17 = l1 * most
    if s.status is FilingStatus.MFS and not lived_apart_all_year:
        l16 = l7 * most  # line 8: skip lines 8 through 15
        l18 = l16 if l16 < l17 else l17
        return SocialSecurityWorksheet(
            (ZERO, l1, l2, l3, l4, l5, l6, l7) + (ZERO,) * 8 + (l16, l17, l18)
        )
    if lived_apart_all_year:
        l8, adjusted = s.ss_base_amount_lived_apart, s.ss_adjusted_base_amount_lived_apart
    else:
        l8, adjusted = s.ss_base_amount, s.ss_adjusted_base_amount
    if l8 >= l7:  # line 9: none of the benefits is taxable
        return SocialSecurityWorksheet((ZERO, l1, l2, l3, l4, l5, l6, l7, l8) + (ZERO,) * 10)
    l9 = l7 - l8
    l10 = adjusted - l8  # $9,000; $12,000 joint
    l11 = l9 - l10 if l9 > l10 else ZERO
    l12 = l9 if l9 < l10 else l10
    l13 = l12 * half
    l14 = l2 if l2 < l13 else l13
    l15 = l11 * most
    l16 = l14 + l15
    l18 = l16 if l16 < l17 else l17
    return SocialSecurityWorksheet(
        (ZERO, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14, l15, l16, l17, l18)
    )


def taxable_social_security(
    benefits: Decimal,
    other_income: Decimal,
    tax_exempt_interest: Decimal,
    adjustments: Decimal,
    s: TaxSchedule,
    lived_apart_all_year: bool = False,
) -> Decimal:
    """Form 1040 line 6b: the worksheet's line 18 (see :func:`social_security_worksheet`).

    Authority: IRC §86; Social Security Benefits Worksheet line 18.
    """
    if benefits <= 0:
        return ZERO
    return social_security_worksheet(
        benefits, other_income, tax_exempt_interest, adjustments, s, lived_apart_all_year
    ).lines[18]
