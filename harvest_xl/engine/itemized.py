"""Itemized deductions (Schedule A) and the 2026 overall limitation of §68.

Inputs are the household's amounts for the year, already within the limits the engine
does not model (the mortgage acquisition-debt limit, the §170(b) percentage-of-AGI
ceilings): medical expenses, state and local taxes paid, home mortgage interest,
charitable gifts and other itemized deductions. Every AGI-based limit uses the final AGI
of the return (household-return.md §1 step 4), so a harvested loss that lowers AGI can
raise the medical deduction, the SALT cap and the deductible part of the gifts.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from harvest_xl.engine.schedule import TaxSchedule

ZERO = Decimal(0)
CENT = Decimal("0.01")


# NamedTuple, not a frozen dataclass: as immutable and cheaper to build (once per return).
class ScheduleA(NamedTuple):
    """The Schedule A lines the return uses (positive amounts)."""

    medical: Decimal
    """Line 4: medical and dental expenses over 7.5% of AGI."""
    taxes: Decimal
    """Line 7 (= line 5e: state and local taxes after the cap; line 6 is not modelled)."""
    interest: Decimal
    """Line 10 (= line 8e: home mortgage interest and points)."""
    gifts: Decimal
    """Line 14, after the 2026+ 0.5% floor."""
    other: Decimal
    """Line 16."""
    total: Decimal
    """Line 17 before §68."""
    limitation: Decimal
    """The §68 reduction (2026+); 0 while §68 is suspended."""

    @property
    def allowed(self) -> Decimal:
        """Itemized deductions on Form 1040 line 12: line 17 less the §68 reduction."""
        return self.total - self.limitation


def medical_expense_deduction(expenses: Decimal, agi: Decimal, s: TaxSchedule) -> Decimal:
    """Schedule A line 4: medical expenses less 7.5% of AGI (line 3), not below zero.

    A negative AGI gives no negative floor (line 3 is a percentage of a loss otherwise).

    Authority: IRC §213(a); Schedule A lines 1-4.
    """
    if expenses <= 0:
        return ZERO
    floor = s.medical_floor_rate * agi if agi > 0 else ZERO  # line 3
    return expenses - floor if expenses > floor else ZERO


def salt_limitation(magi: Decimal, s: TaxSchedule) -> Decimal:
    """The most state and local tax Schedule A line 5e allows: the year's cap, reduced by
    30% of MAGI over the threshold from 2025, never below the floor.

    Married filing separately (household-return.md §5.3, open): this follows the reading
    of Tax-Calculator, PolicyEngine-US and the IRS summary ("will not be reduced below
    ... $5,000 if married filing separately" at MAGI $300,000 in 2025): 30% off the
    halved cap above the halved threshold (reading B). The literal alternative, 15% off
    the halved cap (reading A), gives more for MAGI between the threshold and threshold
    + $101,333. MAGI is AGI: the §§911, 931 and 933 exclusions are out of scope.

    Authority: IRC §164(b)(6)(B), §164(b)(7) as amended by P.L. 119-21 §70120; 2025
    Instructions for Schedule A, What's New.
    """
    cap = s.salt_cap
    threshold = s.salt_phasedown_threshold
    if threshold is None or magi <= threshold:
        return cap
    reduced = cap - s.salt_phasedown_rate * (magi - threshold)
    return reduced if reduced > s.salt_cap_floor else s.salt_cap_floor


def state_and_local_tax_deduction(taxes_paid: Decimal, magi: Decimal, s: TaxSchedule) -> Decimal:
    """Schedule A line 5e: the smaller of the taxes paid (line 5d) and the limitation.

    Authority: IRC §164(a), §164(b)(6), (7); Schedule A line 5e.
    """
    if taxes_paid <= 0:
        return ZERO
    cap = salt_limitation(magi, s)
    return taxes_paid if taxes_paid < cap else cap


def charitable_contribution_deduction(gifts: Decimal, agi: Decimal, s: TaxSchedule) -> Decimal:
    """Schedule A line 14: the gifts over 0.5% of the contribution base (2026+; no floor
    before). The contribution base is AGI (no net operating loss carryback here).

    Authority: IRC §170(a), §170(b)(1)(H), (I) as added by P.L. 119-21 §70425.
    """
    if gifts <= 0:
        return ZERO
    floor = s.charity_floor_rate * agi if agi > 0 else ZERO
    return gifts - floor if gifts > floor else ZERO


def itemized_deduction_limitation(
    itemized: Decimal, income_before_itemizing: Decimal, s: TaxSchedule
) -> Decimal:
    """The §68 reduction (2026+): 2/37 of the lesser of the itemized deductions and the
    taxable income (without §68, increased by the itemized deductions) over the start of
    the 37% bracket; 0 before 2026.

    ``income_before_itemizing`` is that taxable income plus the itemized deductions: AGI
    less the Schedule 1-A deductions. The fraction is kept exact and the reduction rounded
    once, half up to cents (how the 2026 form rounds is unverified, household-return.md §9
    item 7).

    Authority: IRC §68(a), (b) as amended by P.L. 119-21 §70111; household-return.md §5.6.
    """
    fraction = s.itemized_limitation
    if fraction is None or itemized <= 0:
        return ZERO
    excess = income_before_itemizing - s.itemized_limitation_start
    if excess <= 0:
        return ZERO
    numerator, denominator = fraction
    base = itemized if itemized < excess else excess
    return (base * numerator / denominator).quantize(CENT, ROUND_HALF_UP)


def schedule_a(
    medical_expenses: Decimal,
    state_local_taxes: Decimal,
    mortgage_interest: Decimal,
    charitable_gifts: Decimal,
    other_itemized: Decimal,
    agi: Decimal,
    schedule_1a_deductions: Decimal,
    s: TaxSchedule,
) -> ScheduleA:
    """Itemized deductions after every limit: medical floor, SALT cap, charitable floor,
    then §68. ``agi`` is Form 1040 line 11 (also MAGI for the SALT cap);
    ``schedule_1a_deductions`` the senior deduction (for §68's taxable income).

    Authority: IRC §§63(d), 68, 163(h), 164(b), 170, 213; Schedule A lines 1-17.
    """
    medical = medical_expense_deduction(medical_expenses, agi, s)  # line 4
    taxes = state_and_local_tax_deduction(state_local_taxes, agi, s)  # lines 5e, 7
    interest = mortgage_interest if mortgage_interest > 0 else ZERO  # lines 8e, 10
    gifts = charitable_contribution_deduction(charitable_gifts, agi, s)  # line 14
    other = other_itemized if other_itemized > 0 else ZERO  # line 16
    total = medical + taxes + interest + gifts + other  # line 17
    reduction = itemized_deduction_limitation(total, agi - schedule_1a_deductions, s)
    return ScheduleA(medical, taxes, interest, gifts, other, total, reduction)
