"""One year's and one filing status's tax figures, flattened and derived once.

The tax functions run thousands of times per recalculation, so the per-(year, status)
figures they need (bracket starts, cumulative base tax, breakpoints, AMT figures) are
derived from :mod:`harvest_xl.engine.params` once and cached.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal

from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.params import (
    capital_loss_limit,
    social_security_params,
    statutory_value,
    tax_table_rows,
    year_params,
)


@dataclass(frozen=True, slots=True)
class TaxSchedule:
    """Everything the Form 1040 computation reads for one year and filing status."""

    year: int
    status: FilingStatus
    bracket_starts: tuple[Decimal, ...]
    """Taxable income at which each ordinary bracket begins (0, then each bracket top)."""
    bracket_tops: tuple[Decimal, ...]
    """Top of each bracket but the last ("not over"), as in the Revenue Procedure."""
    rates: tuple[Decimal, ...]
    base_tax: tuple[Decimal, ...]
    """Tax on ``bracket_starts[i]``: the "$X plus R% of the excess over $B" constants."""
    tax_table_limit: Decimal
    tax_table_rows: tuple[tuple[Decimal, Decimal, Decimal], ...]
    zero_rate_max: Decimal
    fifteen_rate_max: Decimal
    ltcg_rates: tuple[Decimal, ...]
    standard_deduction: Decimal
    aged_or_blind_addition: Decimal
    loss_limit: Decimal
    niit_rate: Decimal
    niit_threshold: Decimal
    amt_exemption: Decimal
    amt_phaseout_start: Decimal
    amt_phaseout_rate: Decimal
    amt_rate_28_threshold: Decimal
    amt_rates: tuple[Decimal, Decimal]
    amt_mfs_addback_end: Decimal | None
    """Only for married filing separately (IRC §55(d)(2)); ``None`` otherwise."""
    amt_mfs_addback_rate: Decimal
    amt_mfs_addback_cap: Decimal
    """IRC §55(d)(2)(B): the add-back is at most the exemption amount."""
    amt_zero_rate_max: Decimal
    """Form 6251 line 19: the §1(h) maximum 0% amount again."""
    amt_fifteen_rate_max: Decimal
    """Form 6251 line 25: the §1(h) maximum 15% amount again."""
    # The household return (household-return.md): ages, Social Security, Schedule A.
    aged_age: int
    """§63(f), §151(d)(5)(C): attained this age before the close of the year (65)."""
    senior_deduction_amount: Decimal
    """§151(d)(5)(C)(i) per qualified individual; 0 outside 2025-2028."""
    senior_phaseout_start: Decimal | None
    """MAGI where the 6% reduction starts; ``None``: no senior deduction (married filing
    separately, §151(d)(5)(C)(v))."""
    senior_phaseout_rate: Decimal
    ss_base_amount: Decimal
    """§86(c)(1), worksheet line 8 (married filing separately: living together, 0)."""
    ss_adjusted_base_amount: Decimal
    """§86(c)(2): worksheet line 8 + line 10."""
    ss_base_amount_lived_apart: Decimal
    """Worksheet line 8 for married filing separately, lived apart all year (others: as
    ``ss_base_amount``)."""
    ss_adjusted_base_amount_lived_apart: Decimal
    ss_rates: tuple[Decimal, Decimal]
    """§86(a)(1) one-half and §86(a)(2) 85 percent."""
    salt_cap: Decimal
    """§164(b)(6)(B): the applicable limitation amount (halved for MFS)."""
    salt_phasedown_threshold: Decimal | None
    """§164(b)(7)(B)(ii) (halved for MFS); ``None`` before 2025."""
    salt_phasedown_rate: Decimal
    salt_cap_floor: Decimal
    """§164(b)(7)(B)(iii): the phased-down cap is never below this ($10,000; $5,000 MFS)."""
    medical_floor_rate: Decimal
    """§213(a): 7.5% of AGI."""
    charity_floor_rate: Decimal
    """§170(b)(1)(I) (2026+): 0.5% of the contribution base; 0 before."""
    charity_nonitemizer_max: Decimal
    """§170(p) / §62(a)(22): the non-itemizer's charitable deduction; 0 when none."""
    charity_nonitemizer_above_the_line: bool
    """2020 only: the non-itemizer amount is an adjustment to income (§62(a)(22))."""
    itemized_limitation: tuple[Decimal, Decimal] | None
    """§68 (2026+): the reduction fraction (2, 37); ``None`` while §68 is suspended."""
    itemized_limitation_start: Decimal
    """§68(a)(2): where the 37% bracket begins (the top of the 35% bracket)."""


def base_taxes(starts: tuple[Decimal, ...], rates: tuple[Decimal, ...]) -> tuple[Decimal, ...]:
    """Cumulative tax at the start of each bracket (bracket arithmetic).

    Authority: IRC §1(j)(2); the base-tax constants printed in each Revenue Procedure.
    """
    taxes = [Decimal(0)]
    for i in range(1, len(starts)):
        taxes.append(taxes[-1] + rates[i - 1] * (starts[i] - starts[i - 1]))
    return tuple(taxes)


@functools.cache
def tax_schedule(year: int, status: FilingStatus) -> TaxSchedule:
    """The cached :class:`TaxSchedule`; :class:`MissingTaxYear` outside the table."""
    p = year_params(year)
    h = p.household
    ss = social_security_params()
    tops = p.ordinary_bracket_tops[status]
    lived_apart = status is FilingStatus.MFS
    starts = (Decimal(0), *tops)
    amt = p.amt
    return TaxSchedule(
        year=year,
        status=status,
        bracket_starts=starts,
        bracket_tops=tops,
        rates=p.ordinary_rates,
        base_tax=base_taxes(starts, p.ordinary_rates),
        tax_table_limit=p.tax_table_limit,
        tax_table_rows=tax_table_rows(),
        zero_rate_max=p.ltcg_zero_rate_max[status],
        fifteen_rate_max=p.ltcg_fifteen_rate_max[status],
        ltcg_rates=p.ltcg_rates,
        standard_deduction=p.standard_deduction[status],
        aged_or_blind_addition=p.additional_standard_deduction_aged_or_blind[status],
        loss_limit=capital_loss_limit(status),
        niit_rate=p.niit_rate,
        niit_threshold=p.niit_threshold[status],
        amt_exemption=amt.exemption[status],
        amt_phaseout_start=amt.exemption_phaseout_start[status],
        amt_phaseout_rate=amt.exemption_phaseout_rate,
        amt_rate_28_threshold=amt.rate_28_threshold[status],
        amt_rates=amt.rates,
        amt_mfs_addback_end=amt.mfs_amti_addback_end if status is FilingStatus.MFS else None,
        amt_mfs_addback_rate=Decimal(statutory_value("amt_mfs_addback_rate")),
        amt_mfs_addback_cap=amt.exemption[status],
        amt_zero_rate_max=p.ltcg_zero_rate_max[status],
        amt_fifteen_rate_max=p.ltcg_fifteen_rate_max[status],
        aged_age=int(statutory_value("aged_or_blind_age")),
        senior_deduction_amount=h.senior_deduction_amount,
        senior_phaseout_start=h.senior_deduction_phaseout_start[status],
        senior_phaseout_rate=h.senior_deduction_phaseout_rate,
        ss_base_amount=ss.base_amount[status],
        ss_adjusted_base_amount=ss.adjusted_base_amount[status],
        ss_base_amount_lived_apart=(
            ss.base_amount_mfs_lived_apart if lived_apart else ss.base_amount[status]
        ),
        ss_adjusted_base_amount_lived_apart=(
            ss.adjusted_base_amount_mfs_lived_apart
            if lived_apart
            else ss.adjusted_base_amount[status]
        ),
        ss_rates=ss.inclusion_rates,
        salt_cap=h.salt_cap[status],
        salt_phasedown_threshold=(
            None
            if h.salt_cap_phasedown_threshold is None
            else h.salt_cap_phasedown_threshold[status]
        ),
        salt_phasedown_rate=h.salt_cap_phasedown_rate,
        salt_cap_floor=h.salt_cap[status] if h.salt_cap_floor is None else h.salt_cap_floor[status],
        medical_floor_rate=h.medical_expense_agi_floor,
        charity_floor_rate=h.charitable_contribution_floor_rate,
        charity_nonitemizer_max=h.charitable_nonitemizer_deduction_max[status],
        charity_nonitemizer_above_the_line=h.charitable_nonitemizer_above_the_line,
        itemized_limitation=h.itemized_limitation,
        itemized_limitation_start=tops[-1],
    )
