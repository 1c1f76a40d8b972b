"""Invariants of the tax engine over random returns (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.netting import capital_loss_carryover, loss_deduction, schedule_d
from harvest_xl.engine.params import capital_loss_limit
from harvest_xl.engine.tax import TaxReturn, federal_tax, tax_difference

CENTS = Decimal("0.01")


def money(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low * 100, high * 100).map(lambda c: Decimal(c) * CENTS)


statuses = st.sampled_from(list(FilingStatus))
returns = st.builds(
    TaxReturn,
    year=st.integers(2018, 2026),
    filing_status=statuses,
    ordinary_income=money(-20_000, 2_000_000),
    st_gain=money(-300_000, 1_000_000),
    lt_gain=money(-300_000, 2_000_000),
    qualified_dividends=money(0, 300_000),
    st_carryover=money(0, 100_000),
    lt_carryover=money(0, 100_000),
)
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


@PROPERTY_SETTINGS
@given(ret=returns, more=money(0, 200_000))
def test_tax_never_decreases_when_ordinary_income_rises(ret, more):
    """More ordinary income never lowers regular tax, AMT + regular tax, or the total."""
    before = federal_tax(ret)
    after = tax_difference(ret, extra_ordinary=more).with_
    assert after.regular_tax >= before.regular_tax
    assert after.regular_tax + after.amt >= before.regular_tax + before.amt
    assert after.total >= before.total


@PROPERTY_SETTINGS
@given(status=statuses, net_st=money(-500_000, 500_000), net_lt=money(-500_000, 500_000))
def test_loss_deduction_never_exceeds_the_limit(status, net_st, net_lt):
    """0 <= deduction <= $3,000 ($1,500 MFS), and it is the whole net loss when smaller."""
    deduction = loss_deduction(status, net_st, net_lt)
    limit = capital_loss_limit(status)
    assert 0 <= deduction <= limit
    assert deduction == min(limit, max(-(net_st + net_lt), Decimal(0)))


@PROPERTY_SETTINGS
@given(
    status=statuses,
    taxable_income=money(-100_000, 500_000),
    st_gain=money(-200_000, 200_000),
    lt_gain=money(-200_000, 200_000),
)
def test_carryover_plus_amount_used_equals_the_net_loss(status, taxable_income, st_gain, lt_gain):
    """ST carryover + LT carryover + the deduction used (worksheet line 4) = line 16 loss."""
    sd = schedule_d(st_gain, lt_gain, Decimal(0), Decimal(0), status)
    sheet = capital_loss_carryover(taxable_income, sd.line_7, sd.line_15, sd.line_21)
    net_loss = max(-sd.line_16, Decimal(0))
    assert sheet.short_term + sheet.long_term + sheet.lines[4] == net_loss
    assert sheet.short_term >= 0 and sheet.long_term >= 0
    if taxable_income >= 0:  # with no negative taxable income the whole deduction is used
        assert sheet.lines[4] == -sd.line_21


@PROPERTY_SETTINGS
@given(ret=returns)
def test_components_are_never_negative_and_add_up(ret):
    """Regular tax, AMT and NIIT are >= 0 and the total is their sum; no change, no delta."""
    r = federal_tax(ret)
    assert r.regular_tax >= 0 and r.amt >= 0 and r.niit >= 0
    assert r.total == r.regular_tax + r.amt + r.niit
    assert r.taxable_income == max(r.taxable_income_unfloored, Decimal(0))
    assert tax_difference(ret).change == 0
