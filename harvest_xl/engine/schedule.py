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
    tops = p.ordinary_bracket_tops[status]
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
    )
