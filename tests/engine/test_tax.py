"""federal_tax, tax_difference and return_from_profile (Form 1040 end to end)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from harvest_xl.engine.errors import HarvestInputError, MissingTaxYear
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.tax import TaxReturn, federal_tax, return_from_profile, tax_difference

S, MFJ, MFS, HOH = FilingStatus.SINGLE, FilingStatus.MFJ, FilingStatus.MFS, FilingStatus.HOH


def test_amt_worked_example_2025():
    """§5.7: 2025 single, wages 361,839, LTCG 894,483 -> regular 260,209.45, AMT 5,854.52."""
    r = federal_tax(TaxReturn(2025, S, D(361_839), lt_gain=D(894_483)))
    assert r.regular_tax == D("260209.45")
    assert r.tentative_minimum_tax == D("266063.97")
    assert r.amt == D("5854.52")
    assert r.niit.quantize(D("0.01")) == D("33990.35")
    assert r.total == r.regular_tax + r.amt + r.niit


def test_niit_example():
    """§5.4: MFJ, MAGI 300,000, NII 80,000 -> 3.8% x 50,000 = 1,900."""
    r = federal_tax(TaxReturn(2024, MFJ, D(220_000), qualified_dividends=D(80_000)))
    assert r.agi == D(300_000)
    assert r.niit == D(1_900)


@pytest.mark.parametrize(("agi", "niit"), [(199_999, "0"), (200_000, "0"), (200_001, "0.038")])
def test_niit_threshold_both_sides(agi, niit):
    """Single $200,000 threshold (§1411(b)): NIIT starts with the first dollar above it."""
    r = federal_tax(TaxReturn(2024, S, D(agi - 10_000), lt_gain=D(10_000)))
    assert r.niit == D(niit)


def test_niit_uses_the_limited_loss_and_never_goes_negative():
    """NII is qualified dividends plus the §1211-limited gain or loss, floored at zero."""
    r = federal_tax(
        TaxReturn(2024, S, D(300_000), st_gain=D(-50_000), qualified_dividends=D(2_000))
    )
    assert r.net_investment_income == 0  # 2,000 - 3,000 < 0
    assert r.niit == 0
    r = federal_tax(
        TaxReturn(2024, S, D(300_000), st_gain=D(-50_000), qualified_dividends=D(5_000))
    )
    assert r.net_investment_income == D(2_000)
    assert r.niit == D("76.000")


def test_loss_reduces_ordinary_income_and_carries_over():
    """A $10,000 ST loss: $3,000 deducted, $7,000 ST carried to next year."""
    r = federal_tax(TaxReturn(2024, S, D(80_000), st_gain=D(-10_000)))
    assert r.agi == D(77_000)
    assert r.loss_deduction == D(3_000)
    assert (r.st_carryover_out, r.lt_carryover_out) == (D(7_000), D(0))
    assert r.taxable_income == D(77_000 - 14_600)


def test_negative_taxable_income_carries_more_over():
    """CL-3 through federal_tax: TI -1,500 uses only 1,500 of the allowed 3,000."""
    r = federal_tax(TaxReturn(2024, S, D(14_600 - 1_500 + 3_000), st_gain=D(-5_000)))
    assert r.taxable_income_unfloored == D(-1_500)
    assert r.taxable_income == 0
    assert r.regular_tax == 0
    assert r.st_carryover_out == D(3_500)


def test_carryover_in_offsets_gains():
    """Prior-year losses (lines 6 and 14) reduce this year's gains before any tax."""
    r = federal_tax(TaxReturn(2024, S, D(50_000), D(2_000), D(10_000), st_carryover=D(5_000)))
    assert r.schedule_d.line_16 == D(7_000)
    assert r.schedule_d.net_capital_gain == D(7_000)
    assert r.agi == D(57_000)


def test_tax_table_versus_worksheet_through_federal_tax():
    """Taxable income 99,999 uses the Tax Table, 100,000 the worksheet (2024 single)."""
    below = federal_tax(TaxReturn(2024, S, D(99_999 + 14_600)))
    at = federal_tax(TaxReturn(2024, S, D(100_000 + 14_600)))
    assert below.regular_tax == D(17_048)
    assert at.regular_tax == D("17053.00")


def test_aged_or_blind_boxes_raise_the_standard_deduction():
    """Each 65+/blind box adds the additional amount (2024 single $1,950, §63(f))."""
    r = federal_tax(TaxReturn(2024, S, D(50_000), aged_or_blind=2))
    assert r.standard_deduction == D(14_600 + 2 * 1_950)
    r = federal_tax(TaxReturn(2024, FilingStatus.QSS, D(50_000), aged_or_blind=1))
    assert r.standard_deduction == D(29_200 + 1_550)


def test_2026_single_against_rev_proc_2025_32():
    """2026 single, wages 116,100: TI 100,000, in the 22% bracket (Rev. Proc. 2025-32)."""
    r = federal_tax(TaxReturn(2026, S, D(116_100)))
    assert r.taxable_income == D(100_000)
    # Rev. Proc. 2025-32: 22% bracket $50,400-$105,700, base $5,800
    assert r.regular_tax == D(5_800) + D("0.22") * D(100_000 - 50_400)


def test_2026_amt_uses_fifty_percent_phase_out():
    """2026 (P.L. 119-21 §70107): the exemption phases out at 50% above $500,000 (single)."""
    r = federal_tax(TaxReturn(2026, S, D(600_000) + D(16_100)))
    assert r.amti == D(616_100)
    exemption = D(90_100) - D("0.5") * (D(616_100) - D(500_000))
    base = D(616_100) - exemption
    tmt = D(244_500) * D("0.26") + (base - D(244_500)) * D("0.28")
    assert r.tentative_minimum_tax == tmt
    assert r.amt == max(tmt - r.regular_tax, D(0))


def test_mfs_amti_add_back():
    """MFS AMTI above the add-back end rises by 25% of the excess, at most the exemption."""
    r = federal_tax(TaxReturn(2024, MFS, D(875_950 + 4_000)))
    assert r.amti == D(875_950 + 4_000 + 1_000)
    r = federal_tax(TaxReturn(2024, MFS, D(2_000_000)))
    assert r.amti == D(2_000_000 + 66_650)


def test_tax_difference_of_a_harvested_loss():
    """Harvesting a $5,000 LT loss against $20,000 of LT gain at 15% saves $750."""
    ret = TaxReturn(2024, S, D(80_000), lt_gain=D(20_000))
    delta = tax_difference(ret, extra_lt=D(-5_000))
    assert delta.change == D(-750)
    assert delta.with_.total - delta.without.total == delta.change
    assert delta.without == federal_tax(ret)


def test_tax_difference_crossing_the_limit():
    """An extra loss beyond the $3,000 limit changes this year's tax by nothing more."""
    ret = TaxReturn(2024, S, D(100_000), st_gain=D(-3_000))
    delta = tax_difference(ret, extra_st=D(-2_000))
    assert delta.change == 0
    assert delta.with_.st_carryover_out == D(2_000)


def test_tax_difference_extra_ordinary():
    """Extra ordinary income is taxed at the marginal rate (exact worksheet above $100,000)."""
    ret = TaxReturn(2024, S, D(150_000))
    assert tax_difference(ret, extra_ordinary=D(1_000)).change == D(240)


def test_return_from_profile():
    """The Profile's realized gains, dividends and carryovers become the return."""
    p = Profile(
        tax_year=2025,
        filing_status=HOH,
        ordinary_income=D(90_000),
        qualified_dividends=D(1_000),
        realized_st=D(-500),
        realized_lt=D(4_000),
        st_carryover=D(200),
        lt_carryover=D(300),
    )
    assert return_from_profile(p) == TaxReturn(
        2025, HOH, D(90_000), D(-500), D(4_000), D(1_000), D(200), D(300)
    )


def test_year_outside_the_table():
    """2017 and 2027 raise MissingTaxYear; 2018 and 2026 work."""
    for year in (2018, 2026):
        assert federal_tax(TaxReturn(year, S, D(50_000))).total > 0
    for year in (2017, 2027):
        with pytest.raises(MissingTaxYear):
            federal_tax(TaxReturn(year, S, D(50_000)))


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("qualified_dividends", {"qualified_dividends": D(-1)}),
        ("st_carryover", {"st_carryover": D(-1)}),
        ("lt_carryover", {"lt_carryover": D(-1)}),
        ("aged_or_blind", {"aged_or_blind": -1}),
    ],
)
def test_bad_inputs_name_the_argument(field, kwargs):
    """Negative dividends or carryovers are refused, naming the argument."""
    with pytest.raises(HarvestInputError) as err:
        federal_tax(TaxReturn(2024, S, D(50_000), **kwargs))
    assert err.value.argument == field


def test_zero_income():
    """No income, no tax."""
    r = federal_tax(TaxReturn(2024, MFJ, D(0)))
    assert (r.total, r.taxable_income, r.taxable_income_unfloored) == (0, 0, D(-29_200))


def test_tax_difference_baseline_is_the_returns_own_tax_however_written() -> None:
    """The without side is computed once per return (cached); equal returns written with
    other Decimal exponents still get results built from their own figures, and the
    baseline equals federal_tax of that return (AGI: 100,000 less the 3,000 loss limit)."""
    one = TaxReturn(2026, FilingStatus.SINGLE, D("100000"), D("-5000"))
    other = TaxReturn(2026, FilingStatus.SINGLE, D("100000.00"), D("-5000.00"))
    first = tax_difference(one, extra_ordinary=D(1000))
    second = tax_difference(other, extra_ordinary=D(1000))
    assert first.without == federal_tax(one) and second.without == federal_tax(other)
    assert str(first.without.agi) == "97000" and str(second.without.agi) == "97000.00"
    assert first.change == second.change
