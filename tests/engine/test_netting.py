"""Schedule D netting, the §1211(b) limit and the §1212(b) carryover (tax-rules.md §2, §8.2)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from harvest_xl.engine.errors import MissingTaxYear
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.netting import (
    apply_capital_loss_limit,
    capital_loss_carryover,
    carryover_to_next_year,
    loss_deduction,
    schedule_d,
)

S, MFS, MFJ = FilingStatus.SINGLE, FilingStatus.MFS, FilingStatus.MFJ

# (id, status, worksheet line 1 = unfloored taxable income, Sch D L7, L15, L21, ST out, LT out)
CARRYOVER_CASES = [
    ("CL-1 Sampson, Pub. 544", MFJ, 2_000, -7_000, 0, -3_000, 4_000, 0),
    ("CL-2 the $3,000 uses the ST loss first", S, 50_000, -2_000, -6_000, -3_000, 0, 5_000),
    ("CL-3 negative taxable income", S, -1_500, -5_000, 0, -3_000, 3_500, 0),
    ("CL-4 MFS $1,500 limit", MFS, 30_000, -1_000, -4_000, -1_500, 0, 3_500),
    ("CL-5 ST gain, LT loss", S, 30_000, 1_000, -8_000, -3_000, 0, 4_000),
    ("CL-6 ST loss, LT gain", S, 20_000, -10_000, 1_000, -3_000, 6_000, 0),
    ("CL-7 nothing used", S, -3_000, -4_000, -4_000, -3_000, 4_000, 4_000),
]


@pytest.mark.parametrize(
    ("status", "ti", "l7", "l15", "l21", "st_out", "lt_out"),
    [c[1:] for c in CARRYOVER_CASES],
    ids=[c[0] for c in CARRYOVER_CASES],
)
def test_capital_loss_carryover_worksheet(status, ti, l7, l15, l21, st_out, lt_out):
    """Worksheet lines 8 and 13 give the fixture's carryovers, by character."""
    sheet = capital_loss_carryover(D(ti), D(l7), D(l15), D(l21))
    assert (sheet.short_term, sheet.long_term) == (D(st_out), D(lt_out))
    assert carryover_to_next_year(status, D(ti), D(l7), D(l15)) == (D(st_out), D(lt_out))
    assert loss_deduction(status, D(l7), D(l15)) == -D(l21)


def test_carryover_worksheet_lines_cl3():
    """CL-3's audit trail: only $1,500 of the $3,000 is 'used' (line 4) when TI is -1,500."""
    lines = capital_loss_carryover(D(-1_500), D(-5_000), D(0), D(-3_000)).lines
    assert lines[1:9] == (
        D(-1_500),
        D(3_000),
        D(1_500),
        D(1_500),
        D(5_000),
        D(0),
        D(1_500),
        D(3_500),
    )
    assert lines[13] == 0


def test_no_carryover_without_a_line_21_loss():
    """A net gain (line 21 is 0) carries nothing over."""
    assert carryover_to_next_year(S, D(50_000), D(-2_000), D(5_000)) == (D(0), D(0))
    assert capital_loss_carryover(D(50_000), D(-2_000), D(5_000), D(0)).lines == (D(0),) * 14


def test_sd1_netting_then_carryover():
    """SD-1: ST {+5,000, -8,000}, LT {-2,000} -> L7 -3,000, L15 -2,000, L16 -5,000, L21 -3,000."""
    sd = schedule_d(D(5_000 - 8_000), D(-2_000), D(0), D(0), S)
    assert (sd.line_7, sd.line_15, sd.line_16, sd.line_21) == (
        D(-3_000),
        D(-2_000),
        D(-5_000),
        D(-3_000),
    )
    # worksheet with TI 40,000: the $3,000 absorbs the ST loss; LT 2,000 carries over
    assert carryover_to_next_year(S, D(40_000), sd.line_7, sd.line_15) == (D(0), D(2_000))


def test_sd2_net_capital_gain():
    """SD-2: ST -1,000 and LT +6,000 -> L16 +5,000 and net capital gain 5,000."""
    sd = schedule_d(D(-1_000), D(6_000), D(0), D(0), S)
    assert sd.line_16 == D(5_000)
    assert sd.net_capital_gain == D(5_000)
    assert sd.line_21 == 0
    assert sd.capital_gain_in_income == D(5_000)


def test_sd3_mfs_limit():
    """SD-3 (MFS): ST -4,000, LT -500 -> L16 -4,500, L21 -1,500."""
    sd = schedule_d(D(-4_000), D(-500), D(0), D(0), MFS)
    assert (sd.line_16, sd.line_21) == (D(-4_500), D(-1_500))
    assert sd.capital_gain_in_income == D(-1_500)


def test_carryovers_enter_on_lines_6_and_14():
    """Prior-year losses net against gains of their own character first."""
    sd = schedule_d(D(1_000), D(10_000), D(4_000), D(2_500), S)
    assert (sd.line_6, sd.line_7, sd.line_14, sd.line_15) == (
        D(-4_000),
        D(-3_000),
        D(-2_500),
        D(7_500),
    )
    assert sd.line_16 == D(4_500)
    assert sd.net_capital_gain == D(4_500)  # smaller of L15 and L16


def test_net_capital_gain_zero_when_line_15_is_a_loss():
    """No 0/15/20% income when the long-term side is a loss, even with a net gain."""
    sd = schedule_d(D(9_000), D(-1_000), D(0), D(0), S)
    assert sd.line_16 == D(8_000)
    assert sd.net_capital_gain == 0


@pytest.mark.parametrize(
    ("status", "line_16", "expected"),
    [
        (S, -2_999, -2_999),
        (S, -3_000, -3_000),
        (S, -3_001, -3_000),
        (MFS, -1_499, -1_499),
        (MFS, -1_500, -1_500),
        (MFS, -1_501, -1_500),
        (MFS, -3_000, -1_500),
        (MFJ, -3_001, -3_000),
        (S, 0, 0),
        (S, 1, 0),
    ],
)
def test_loss_limit_both_sides(status, line_16, expected):
    """§1211(b): $3,000 ($1,500 MFS), at the limit and one dollar either side."""
    sd = schedule_d(D(line_16), D(0), D(0), D(0), status)
    assert sd.line_21 == D(expected)
    assert loss_deduction(status, D(line_16), D(0)) == -D(expected)


def test_apply_capital_loss_limit_direct():
    """Line 21 is the smaller loss of line 16 and the limit; a gain gives 0."""
    assert apply_capital_loss_limit(D("-1234.56"), D(3_000)) == D("-1234.56")
    assert apply_capital_loss_limit(D(-10_000), D(1_500)) == D(-1_500)
    assert apply_capital_loss_limit(D(500), D(3_000)) == 0


def test_loss_deduction_year_is_checked_when_given():
    """The limit is not indexed, but a year outside the table is still an error."""
    assert loss_deduction(S, D(-5_000), D(0), 2026) == D(3_000)
    with pytest.raises(MissingTaxYear):
        loss_deduction(S, D(-5_000), D(0), 2017)
