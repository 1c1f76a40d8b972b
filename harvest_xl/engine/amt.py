"""The alternative minimum tax (Form 6251).

The returns harvest-xl models have no preference items, so AMTI is taxable income plus
one add-back (Form 6251 line 2a): the standard deduction of a non-itemizer, or the taxes
of an itemizer less the §68 reduction the AMT does not apply; plus the senior deduction
(tax-rules.md §5.7, household-return.md §6).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from harvest_xl.engine.schedule import TaxSchedule

ZERO = Decimal(0)


# NamedTuple, not a frozen dataclass: as immutable, and several times cheaper to build
# (federal_tax runs on every recalculation of every HX_ cell).
class Form6251(NamedTuple):
    """The Form 6251 figures the audit trail shows."""

    amti: Decimal
    """Line 4, including the married-filing-separately add-back."""
    exemption: Decimal
    """Line 5, after the phase-out."""
    amt_base: Decimal
    """Line 6."""
    tentative_minimum_tax: Decimal
    """Line 9 (line 7: Part III or the plain 26%/28% tax)."""
    amt: Decimal
    """Line 11: tentative minimum tax over regular tax, not below zero."""


def amti_for_standard_deduction_return(
    taxable_income_unfloored: Decimal, standard_deduction: Decimal, s: TaxSchedule
) -> Decimal:
    """Form 6251 line 4: taxable income + the standard deduction (+ the MFS add-back).

    Authority: IRC §55(b)(2), §56(b)(1)(E); §55(d)(2); Form 6251 lines 1, 2a and 4.
    """
    return alternative_minimum_taxable_income(taxable_income_unfloored, standard_deduction, s)


def alternative_minimum_taxable_income(
    taxable_income_unfloored: Decimal, addback: Decimal, s: TaxSchedule
) -> Decimal:
    """Form 6251 line 4: taxable income + the deductions the AMT disallows (+ the MFS
    add-back). ``addback`` is line 2a (the standard deduction, or an itemizer's taxes)
    and the other disallowed deductions (the senior deduction), less the §68 reduction.

    Authority: IRC §55(b)(2); §56(b)(1)(A)(ii), (E), (F); §55(d)(2); Form 6251 lines 1-4.
    """
    amti = taxable_income_unfloored + addback
    end = s.amt_mfs_addback_end
    if end is not None and amti > end:
        amti += min(s.amt_mfs_addback_rate * (amti - end), s.amt_mfs_addback_cap)
    return amti


def amt_exemption(amti: Decimal, s: TaxSchedule) -> Decimal:
    """Form 6251 line 5: the exemption less the phase-out, not below zero.

    Authority: IRC §55(d)(1), (3); P.L. 119-21 §70107 (50% phase-out rate from 2026).
    """
    over = amti - s.amt_phaseout_start
    if over <= 0:
        return s.amt_exemption
    exemption = s.amt_exemption - s.amt_phaseout_rate * over
    return exemption if exemption > 0 else ZERO


def amt_on_base(base: Decimal, s: TaxSchedule) -> Decimal:
    """26% of the base up to the 28% threshold, 28% of the rest (Form 6251 lines 18, 39).

    Authority: IRC §55(b)(1)(A).
    """
    low, high = s.amt_rates
    threshold = s.amt_rate_28_threshold
    if base <= threshold:
        return base * low
    return threshold * low + (base - threshold) * high


def part_iii_tax(
    base: Decimal, preferential: Decimal, ordinary: Decimal, s: TaxSchedule
) -> Decimal:
    """Form 6251 Part III (lines 12-40): preferential income keeps its 0/15/20% rates.

    ``preferential`` is QDCGT worksheet line 4, ``ordinary`` its line 5 (the regular-tax
    stacking). No unrecaptured §1250 or 28% gain (out of scope), so line 36 is 0.

    Authority: IRC §55(b)(3); Form 6251 Part III.
    """
    l16 = base if base < preferential else preferential  # lines 13-16
    l17 = base - l16
    l18 = amt_on_base(l17, s)
    l20 = ordinary if ordinary > 0 else ZERO
    l21 = s.amt_zero_rate_max - l20 if s.amt_zero_rate_max > l20 else ZERO
    l22 = l16
    l23 = l21 if l21 < l22 else l22  # taxed at 0%
    l24 = l22 - l23
    l28 = l21 + l20  # lines 26-28
    l29 = s.amt_fifteen_rate_max - l28 if s.amt_fifteen_rate_max > l28 else ZERO
    l30 = l24 if l24 < l29 else l29
    l31 = l30 * s.ltcg_rates[1]
    l32 = l23 + l30
    l33 = l22 - l32
    l34 = l33 * s.ltcg_rates[2]
    l38 = l18 + l31 + l34
    l39 = amt_on_base(base, s)
    return l38 if l38 < l39 else l39  # line 40


def form_6251(
    taxable_income_unfloored: Decimal,
    addback: Decimal,
    preferential: Decimal,
    ordinary: Decimal,
    regular_tax: Decimal,
    s: TaxSchedule,
) -> Form6251:
    """The alternative minimum tax; ``addback`` as in
    :func:`alternative_minimum_taxable_income`.

    Authority: IRC §55; Form 6251 lines 1-11 and Part III.
    """
    amti = alternative_minimum_taxable_income(taxable_income_unfloored, addback, s)
    exemption = amt_exemption(amti, s)
    base = amti - exemption
    if base <= 0:
        return Form6251(amti, exemption, ZERO, ZERO, ZERO)
    if preferential > 0:
        tmt = part_iii_tax(base, preferential, ordinary, s)
    else:
        tmt = amt_on_base(base, s)
    amt = tmt - regular_tax
    return Form6251(amti, exemption, base, tmt, amt if amt > 0 else ZERO)
