"""From total income to taxable income: taxable Social Security, AGI, the standard or
itemized deduction, the senior deduction, and what Form 6251 adds back.

The order is household-return.md §1: Schedule D feeds Form 1040 line 7; the Social
Security Benefits Worksheet uses every other income line; AGI; the line-12 deduction
(standard with the §63(f) amounts, or Schedule A after its AGI limits and §68); the
Schedule 1-A senior deduction, itemizing or not. Both choices of line 12 are computed
to the end (harvest_xl.engine.tax picks the cheaper), so a harvest that lowers AGI can
flip the choice.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from harvest_xl.engine.itemized import ScheduleA, schedule_a
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.schedule import TaxSchedule
from harvest_xl.engine.social_security import taxable_social_security

if TYPE_CHECKING:
    from harvest_xl.engine.tax import TaxReturn

ZERO = Decimal(0)


# NamedTuple, not a frozen dataclass: as immutable and cheaper to build (once per return).
class Deductions(NamedTuple):
    """AGI and everything subtracted from it on the way to taxable income."""

    agi: Decimal
    """Form 1040 line 11 (also MAGI for the senior deduction, the SALT cap and the NIIT)."""
    taxable_social_security: Decimal
    """Form 1040 line 6b."""
    standard: Decimal
    """The standard deduction: basic amount + §63(f) amounts (0 for a married person
    filing separately whose spouse itemizes)."""
    line_12: Decimal
    """The deduction taken on line 12: the standard deduction (+ the §170(p) amount of a
    non-itemizer, 2021 and 2026+) or the allowed itemized deductions."""
    senior: Decimal
    """Schedule 1-A line 37 (Form 1040 line 13b), 2025-2028."""
    schedule_a: ScheduleA | None
    """Schedule A on the itemized route; ``None`` on the standard one."""
    itemizes: bool
    amt_addback: Decimal
    """What Form 6251 adds to taxable income (line 2a and the senior deduction), less the
    §68 reduction the AMT does not apply."""


def standard_deduction(s: TaxSchedule, aged_or_blind: int = 0) -> Decimal:
    """The basic standard deduction plus the additional amount per aged/blind box.

    Authority: IRC §63(c)(2), §63(f); Form 1040 line 12.
    """
    return s.standard_deduction + s.aged_or_blind_addition * aged_or_blind


def senior_deduction(magi: Decimal, qualified_individuals: int, s: TaxSchedule) -> Decimal:
    """The 2025-2028 deduction for seniors: $6,000 per qualified individual, each reduced
    by 6% of MAGI over $75,000 ($150,000 joint), not below zero; none for a married person
    filing separately, none outside 2025-2028.

    Authority: IRC §151(d)(5)(C) as added by P.L. 119-21 §70103; Schedule 1-A Part V;
    household-return.md §3.2.
    """
    start = s.senior_phaseout_start
    amount = s.senior_deduction_amount
    if qualified_individuals <= 0 or start is None or amount <= 0:
        return ZERO
    if magi > start:
        amount -= s.senior_phaseout_rate * (magi - start)
        if amount <= 0:
            return ZERO
    return amount * qualified_individuals


def nonitemizer_charitable_deduction(gifts: Decimal, s: TaxSchedule) -> Decimal:
    """The charitable deduction of a household that does not itemize: cash gifts up to
    $300 (2020; 2021: $600 joint) or $1,000 ($2,000 joint, 2026+); none in other years.
    Charitable gifts are taken to be qualifying cash gifts to public charities.

    Authority: IRC §62(a)(22) (2020, CARES Act §2204); IRC §170(p) (2021, P.L. 116-260
    Div. EE §212; 2026+, P.L. 119-21 §70424); IRC §63(b); household-return.md §5.5.
    """
    most = s.charity_nonitemizer_max
    if gifts <= 0 or most <= 0:
        return ZERO
    return gifts if gifts < most else most


def itemizes_anything(ret: TaxReturn) -> bool:
    """Whether the return has any Schedule A amount (or must itemize)."""
    return bool(
        ret.medical_expenses > 0
        or ret.state_local_taxes > 0
        or ret.mortgage_interest > 0
        or ret.charitable_gifts > 0
        or ret.other_itemized > 0
        or ret.spouse_itemizes
    )


def deduction_choices(
    ret: TaxReturn, income: Decimal, s: TaxSchedule
) -> tuple[Deductions | None, Deductions | None]:
    """The return's two ways to line 15: ``(standard, itemized)``.

    ``income`` is total income without Social Security: Form 1040 lines 1z, 2b, 3b, 4b,
    5b, 7 and 8 (worksheet line 3). ``itemized`` is ``None`` when the household has no
    Schedule A amount; ``standard`` is ``None`` when a married person filing separately's
    spouse itemizes (the standard deduction is then zero and the return must itemize).
    The return then takes whichever costs less tax (see :func:`harvest_xl.engine.tax`).

    Authority: IRC §§62, 63(b)-(f), 86, 151(d)(5)(C), 56(b)(1)(A), (E), (F); Form 1040
    lines 6b-15; Form 6251 line 2a; household-return.md §§1, 5.7, 6.
    """
    spouse_itemizes = ret.spouse_itemizes and s.status is FilingStatus.MFS
    lived_apart = ret.mfs_lived_apart
    ss = taxable_social_security(
        ret.social_security, income, ret.tax_exempt_interest, ZERO, s, lived_apart
    )
    agi = income + ss
    senior = senior_deduction(agi, ret.seniors, s)
    standard = None
    if not spouse_itemizes:
        base = standard_deduction(s, ret.aged_or_blind)
        charity = nonitemizer_charitable_deduction(ret.charitable_gifts, s)
        if charity and s.charity_nonitemizer_above_the_line:  # 2020: Form 1040 line 10b
            ss_std = taxable_social_security(
                ret.social_security, income, ret.tax_exempt_interest, charity, s, lived_apart
            )
            agi_std = income + ss_std - charity
            senior_std = senior_deduction(agi_std, ret.seniors, s)
            standard = Deductions(
                agi_std, ss_std, base, base, senior_std, None, False, base + senior_std
            )
        else:  # §170(p) (2021, 2026+) is deducted from AGI; Form 6251 keeps it (§6.2)
            standard = Deductions(agi, ss, base, base + charity, senior, None, False, base + senior)
    if not itemizes_anything(ret):
        return standard, None
    sched = schedule_a(
        ret.medical_expenses,
        ret.state_local_taxes,
        ret.mortgage_interest,
        ret.charitable_gifts,
        ret.other_itemized,
        agi,
        senior,
        s,
    )
    addback = sched.taxes - sched.limitation + senior  # §56(b)(1)(A)(ii), (F)
    base = ZERO if standard is None else standard.standard
    itemized = Deductions(agi, ss, base, sched.allowed, senior, sched, True, addback)
    return standard, itemized
