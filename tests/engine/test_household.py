"""The whole household's return (issue 16): the worked examples HH-1 ... HH-5 and the
rule fixtures of household-return.md §§7-8, the issue's five households through the
saving, and both sides of every boundary the household rules add."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from harvest_xl.engine.ages import aged_at_year_end
from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.harvest import harvest_saving
from harvest_xl.engine.household import household_return, household_tax, household_tax_difference
from harvest_xl.engine.models import FilingStatus, Term
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.tax import TaxReturn, federal_tax, tax_difference

S, MFJ, MFS, HOH = FilingStatus.SINGLE, FilingStatus.MFJ, FilingStatus.MFS, FilingStatus.HOH
LOSS = D(-3_000)


# --------------------------------------------------------------- HH-1 ... HH-5 (§7)

HH1 = Profile(2026, S, birth_date=date(1959, 6, 15), ordinary_income=D(30_000),
              social_security=D(24_000))  # fmt: skip
HH2 = Profile(2026, MFJ, birth_date=date(1960, 4, 1), spouse_birth_date=date(1960, 4, 1),
              ordinary_income=D(140_000), realized_lt=D(10_000))  # fmt: skip
HH5 = Profile(2026, MFJ, birth_date=date(1960, 4, 1), spouse_birth_date=date(1960, 4, 1),
              ordinary_income=D(150_000), realized_lt=D(10_000))  # fmt: skip
HH3 = Profile(2026, MFJ, birth_date=date(1971, 1, 1), spouse_birth_date=date(1971, 1, 1),
              ordinary_income=D(550_000), state_local_taxes=D(60_000),
              mortgage_interest=D(25_000))  # fmt: skip
# HH-4 has medical expenses, which only the engine's TaxReturn takes (no Profile key).
HH4 = TaxReturn(2024, MFJ, D(180_000), medical_expenses=D(15_000),
                state_local_taxes=D(9_500), mortgage_interest=D(14_000),
                charitable_gifts=D(6_000))  # fmt: skip

# id: (agi, taxable SS, line 12, senior deduction, taxable income, regular tax, total tax)
HH_ROWS = {
    "HH-1 W": (HH1, 0, "41300", "11300", "18150", "6000", "17150", "1813"),
    "HH-1 H": (HH1, -3000, "35750", "8750", "18150", "6000", "11600", "1163"),
    "HH-2 W": (HH2, 0, "150000", "0", "35500", "12000", "102500", "11147"),
    "HH-2 H": (HH2, -3000, "147000", "0", "35500", "12000", "99500", "10697"),
    "HH-5 W": (HH5, 0, "160000", "0", "35500", "10800", "113700", "13738.00"),
    "HH-5 H": (HH5, -3000, "157000", "0", "35500", "11160", "110340", "13208.80"),
    "HH-3 W": (HH3, 0, "550000", "0", "51900", "0", "498100", "112304.00"),
    "HH-3 H": (HH3, -3000, "547000", "0", "52800", "0", "494200", "111056.00"),
}


@pytest.mark.parametrize("row", HH_ROWS, ids=list(HH_ROWS))
def test_hh_worked_example_lines(row):
    """Each HH row of the §7.6 fixture table, line by line (AMT and NIIT are 0)."""
    profile, loss, agi, ss, line_12, senior, ti, tax = HH_ROWS[row]
    r = household_tax(profile, extra_st=D(loss))
    assert (r.agi, r.taxable_social_security, r.deduction) == (D(agi), D(ss), D(line_12))
    assert (r.senior_deduction, r.taxable_income) == (D(senior), D(ti))
    assert r.regular_tax == D(tax)
    assert r.amt == 0 and r.niit == 0
    assert r.total == D(tax)


@pytest.mark.parametrize(
    ("profile", "saving"),
    [(HH1, "650"), (HH2, "450"), (HH5, "529.20"), (HH3, "1248")],
    ids=["HH-1", "HH-2", "HH-5", "HH-3"],
)
def test_hh_saving_of_a_3000_harvest(profile, saving):
    """§7: the saving of a $3,000 short-term harvest is tax without minus tax with."""
    assert -household_tax_difference(profile, extra_st=LOSS).change == D(saving)
    assert harvest_saving(profile, D(3_000), Term.SHORT).federal == D(saving)


def test_hh1_social_security_worksheet_lines():
    """HH-1 §7.1: SSBW lines 3, 7, 9, 11, 15, 16, 17 without and with the harvest."""
    from harvest_xl.engine.schedule import tax_schedule
    from harvest_xl.engine.social_security import social_security_worksheet

    s = tax_schedule(2026, S)
    w = social_security_worksheet(D(24_000), D(30_000), D(0), D(0), s).lines
    assert (w[2], w[3], w[7], w[8], w[9]) == (12_000, 30_000, 42_000, 25_000, 17_000)
    assert (w[10], w[11], w[12], w[13], w[14]) == (9_000, 8_000, 9_000, 4_500, 4_500)
    assert (w[15], w[16], w[17], w[18]) == (6_800, 11_300, 20_400, 11_300)
    h = social_security_worksheet(D(24_000), D(27_000), D(0), D(0), s).lines
    assert (h[9], h[11], h[15], h[16], h[18]) == (14_000, 5_000, 4_250, 8_750, 8_750)


def test_hh3_amt_lines():
    """HH-3 §7.4: AMTI = TI + SALT (525,000 / 522,000), tentative minimum tax below regular."""
    without = household_tax(HH3)
    with_ = household_tax(HH3, extra_st=LOSS)
    assert (without.amti, with_.amti) == (D(525_000), D(522_000))
    assert (without.tentative_minimum_tax, with_.tentative_minimum_tax) == (
        D("102854.00"), D("102014.00"),
    )  # fmt: skip
    assert without.itemizes and with_.itemizes
    assert without.schedule_a is not None and with_.schedule_a is not None
    assert (without.schedule_a.taxes, with_.schedule_a.taxes) == (D(26_900), D(27_800))


def test_hh4_medical_floor_and_itemizing():
    """HH-4 §7.5: medical 1,500 -> 1,725; itemized 31,000 -> 31,225; saving 709.50."""
    delta = tax_difference(HH4, extra_st=LOSS)
    w, h = delta.without, delta.with_
    assert w.schedule_a is not None and h.schedule_a is not None
    assert (w.schedule_a.medical, h.schedule_a.medical) == (D(1_500), D(1_725))
    assert (w.deduction, h.deduction) == (D(31_000), D(31_225))
    assert (w.taxable_income, h.taxable_income) == (D(149_000), D(145_775))
    assert (w.regular_tax, h.regular_tax) == (D("22886.00"), D("22176.50"))
    assert (w.amti, h.amti) == (D(158_500), D(155_275))
    assert w.amt == h.amt == 0
    assert -delta.change == D("709.50")


# ----------------------------------------------------- the issue's five households

ISSUE = {
    "single 67 $68k": (Profile(2026, S, birth_date=date(1959, 3, 1),
                               ordinary_income=D(68_000)), "360"),
    "single 67 $60k + $10k LT gains": (Profile(2026, S, birth_date=date(1959, 3, 1),
                                               ordinary_income=D(60_000),
                                               realized_lt=D(10_000)), "0"),
    "single $40k IRA + $24k SS": (Profile(2026, S, ordinary_income=D(40_000),
                                          social_security=D(24_000)), "666"),
    "MFJ both 67 $200k": (Profile(2026, MFJ, birth_date=date(1959, 3, 1),
                                  spouse_birth_date=date(1959, 5, 1),
                                  ordinary_income=D(200_000)), "739.20"),
    "MFJ $550k SALT $60k mortgage $25k": (Profile(2026, MFJ, ordinary_income=D(550_000),
                                                  state_local_taxes=D(60_000),
                                                  mortgage_interest=D(25_000)), "1248"),
}  # fmt: skip


@pytest.mark.parametrize("name", ISSUE, ids=list(ISSUE))
def test_issue_16_households_through_the_saving(name):
    """The issue's "correct" column: a $3,000 harvest's federal + state saving (no state
    tax here). $739.20 is the issue's $739; the HH examples agree with every row."""
    profile, saving = ISSUE[name]
    result = harvest_saving(profile, D(3_000), Term.SHORT)
    assert result.total == D(saving)
    assert result.state == 0


def test_issue_16_second_household_any_loss_saves_nothing():
    """With the senior deduction the $10,000 gain sits in the 0% band: harvesting all of
    it saves nothing either (the issue's "harvesting them")."""
    profile = ISSUE["single 67 $60k + $10k LT gains"][0]
    assert household_tax_difference(profile, extra_lt=D(-10_000)).change == 0


# --------------------------------------------------------------- ages (§2.3, AGE-1..4)


@pytest.mark.parametrize(
    ("born", "year", "died", "aged"),
    [
        (date(1962, 1, 1), 2026, None, True),  # AGE-1: 65 on Dec 31, 2026
        (date(1962, 1, 2), 2026, None, False),  # AGE-2
        (date(1962, 1, 2), 2027, None, True),  # AGE-2, next year
        (date(1961, 1, 1), 2025, None, True),  # AGE-3
        (date(1961, 12, 12), 2026, date(2026, 11, 24), False),  # AGE-4 (Armando)
        (date(1961, 12, 12), 2026, date(2026, 12, 11), True),  # dies on the day he is 65
        (date(1961, 12, 12), 2026, date(2026, 12, 10), False),  # ... and the day before
    ],
    ids=[
        "AGE-1",
        "AGE-2",
        "AGE-2 next year",
        "AGE-3",
        "AGE-4",
        "death on the day",
        "death the day before",
    ],
)
def test_aged_at_year_end(born, year, died, aged):
    """65 on the day before the 65th birthday; dying before that day does not qualify."""
    assert aged_at_year_end(born, year, 65, died) is aged


@pytest.mark.parametrize(("born", "addition", "senior"), [
    (date(1962, 1, 1), 2_050, 6_000),  # the day before the 65th birthday is Dec 31, 2026
    (date(1962, 1, 2), 0, 0),  # the day before is Jan 1, 2027
])  # fmt: skip
def test_birthday_boundary_through_the_return(born, addition, senior):
    """AGE-1/AGE-2 on a 2026 single return: the §63(f) $2,050 and the $6,000 together."""
    r = household_tax(Profile(2026, S, birth_date=born, ordinary_income=D(40_000)))
    assert r.standard_deduction == D(16_100 + addition)
    assert r.senior_deduction == D(senior)


def test_blind_people_add_boxes_and_are_checked():
    """Each blind person adds a §63(f) box; more blind people than on the return is refused."""
    r = household_tax(Profile(2026, MFJ, ordinary_income=D(90_000), blind_people=2))
    assert r.standard_deduction == D(32_200 + 2 * 1_650)
    assert r.senior_deduction == 0  # blindness is not age
    with pytest.raises(HarvestInputError) as caught:
        household_return(Profile(2026, S, ordinary_income=D(1), blind_people=2))
    assert caught.value.argument == "Blind (people)"


def test_spouse_birth_date_counts_only_on_a_joint_return():
    """A separate filer's or a surviving spouse's spouse adds no box and no senior deduction."""
    for status in (MFS, FilingStatus.QSS, S):
        ret = household_return(Profile(2026, status, spouse_birth_date=date(1950, 1, 1)))
        assert (ret.aged_or_blind, ret.seniors) == (0, 0)


# ------------------------------------------------------ senior deduction (SR-1..SR-5)


def test_sr1_two_seniors_in_the_phase_out():
    """SR-1: 2025 mfj both 66, MAGI 180,000 -> 2 x (6,000 - 6% x 30,000) = 8,400."""
    r = federal_tax(TaxReturn(2025, MFJ, D(180_000), aged_or_blind=2, seniors=2))
    assert r.senior_deduction == D(8_400)


def test_sr2_phased_out_at_175000():
    """SR-2: 2026 single, 70, MAGI 175,000 -> 0."""
    r = household_tax(Profile(2026, S, birth_date=date(1956, 5, 5), ordinary_income=D(175_000)))
    assert r.senior_deduction == 0


def test_sr3_married_filing_separately_gets_none():
    """SR-3: 2026 mfs, 70, MAGI 50,000 -> 0; standard deduction 16,100 + 1,650."""
    r = household_tax(Profile(2026, MFS, birth_date=date(1956, 5, 5), ordinary_income=D(50_000)))
    assert r.senior_deduction == 0
    assert r.standard_deduction == D(17_750)


def test_sr4_one_qualified_individual():
    """SR-4: 2026 mfj, 66 and 60, pension 100,000 -> 6,000; TI 60,150; tax 6,725 (Table)."""
    r = household_tax(
        Profile(
            2026,
            MFJ,
            birth_date=date(1960, 2, 2),
            spouse_birth_date=date(1966, 2, 2),
            ordinary_income=D(100_000),
        )
    )
    assert (r.senior_deduction, r.standard_deduction) == (D(6_000), D(33_850))
    assert (r.taxable_income, r.regular_tax) == (D(60_150), D(6_725))


def test_sr5_head_of_household():
    """SR-5: 2026 hoh, 65, pension 80,000 -> 5,700; standard 26,200; TI 48,100; tax 5,421."""
    r = household_tax(Profile(2026, HOH, birth_date=date(1961, 6, 30), ordinary_income=D(80_000)))
    assert (r.senior_deduction, r.standard_deduction) == (D(5_700), D(26_200))
    assert (r.taxable_income, r.regular_tax) == (D(48_100), D(5_421))


@pytest.mark.parametrize(("magi", "per_person"), [
    (74_999, "6000"), (75_000, "6000"), (75_001, "5999.94"),
    (174_999, "0.06"), (175_000, "0"), (175_001, "0"),
])  # fmt: skip
def test_senior_phase_out_both_sides(magi, per_person):
    """§151(d)(5)(C)(iii): the 6% reduction starts above $75,000 and ends at $175,000."""
    r = federal_tax(TaxReturn(2026, S, D(magi), aged_or_blind=1, seniors=1))
    assert r.senior_deduction == D(per_person)


@pytest.mark.parametrize("year", [2018, 2024])
def test_no_senior_deduction_before_2025(year):
    """The deduction starts with taxable years beginning after December 31, 2024."""
    r = federal_tax(TaxReturn(year, S, D(40_000), aged_or_blind=1, seniors=1))
    assert r.senior_deduction == 0


def test_senior_deduction_is_added_back_for_the_amt():
    """§6.3 (the engine's reading): AMTI = TI + standard deduction + senior deduction."""
    r = household_tax(HH1)
    assert r.amti == r.agi == D(41_300)


# ----------------------------------------------------- Social Security (SS-1..SS-4)


def test_ss1_married_filing_separately_living_together():
    """SS-1: 2026 mfs lived with spouse; SS 20,000, pension 10,000 -> 85% of line 7: 17,000."""
    r = federal_tax(TaxReturn(2026, MFS, D(10_000), social_security=D(20_000)))
    assert r.taxable_social_security == D(17_000)
    apart = federal_tax(TaxReturn(2026, MFS, D(10_000), social_security=D(20_000),
                                  mfs_lived_apart=True))  # fmt: skip
    assert apart.taxable_social_security == 0  # line 7 = 20,000 below the 25,000 base


def test_ss2_tax_exempt_interest_is_provisional_income():
    """SS-2: 2026 single 68; SS 30,000, tax-exempt interest 20,000, IRA 10,000 -> 13,850."""
    r = household_tax(
        Profile(
            2026,
            S,
            birth_date=date(1958, 1, 1),
            ordinary_income=D(10_000),
            social_security=D(30_000),
            tax_exempt_interest=D(20_000),
        )
    )
    assert r.taxable_social_security == D(13_850)
    assert r.agi == D(23_850)


def test_ss3_fifty_percent_band():
    """SS-3: 2026 mfj both 70; SS 40,000, pension 20,000 -> 4,000; a 3,000 loss -> 2,500."""
    profile = Profile(
        2026,
        MFJ,
        birth_date=date(1956, 1, 5),
        spouse_birth_date=date(1956, 1, 5),
        ordinary_income=D(20_000),
        social_security=D(40_000),
    )
    delta = household_tax_difference(profile, extra_st=LOSS)
    assert delta.without.taxable_social_security == D(4_000)
    assert delta.with_.taxable_social_security == D(2_500)


def test_ss4_eighty_five_percent_cap_binds():
    """SS-4: 2026 single 70; SS 20,000, IRA 100,000 -> 17,000 with and without a loss."""
    profile = Profile(
        2026, S, birth_date=date(1956, 1, 5), ordinary_income=D(100_000), social_security=D(20_000)
    )
    delta = household_tax_difference(profile, extra_st=LOSS)
    assert delta.without.taxable_social_security == delta.with_.taxable_social_security
    assert delta.with_.taxable_social_security == D(17_000)


@pytest.mark.parametrize(
    ("status", "base", "adjusted"), [(S, 25_000, 34_000), (MFJ, 32_000, 44_000)]
)
def test_social_security_base_amounts_both_sides(status, base, adjusted):
    """§86(c): nothing taxable at the base amount, 50 cents per dollar just above it; the
    85% rate starts just above the adjusted base amount."""
    benefits = D(30_000)  # half of it (line 2) never binds here

    def taxable(provisional: int) -> D:
        other = D(provisional) - benefits / 2
        ret = TaxReturn(2026, status, other, social_security=benefits)
        return federal_tax(ret).taxable_social_security

    assert taxable(base - 1) == 0
    assert taxable(base) == 0
    assert taxable(base + 1) == D("0.5")
    at_adjusted = D(adjusted - base) / 2
    assert taxable(adjusted) == at_adjusted
    assert taxable(adjusted + 1) == at_adjusted + D("0.85")


def test_an_ira_withdrawal_moves_taxable_benefits():
    """Extra ordinary income (an IRA withdrawal) is provisional income: in the 85% band a
    $1,000 withdrawal adds $1,850 of AGI (household-return.md §4.3)."""
    delta = household_tax_difference(HH1, extra_ordinary=D(1_000))
    assert delta.with_.agi - delta.without.agi == D(1_850)


# --------------------------------------------------------------- SALT (SALT-1..SALT-6)


def _salt(year, status, magi, salt, mortgage):
    r = federal_tax(TaxReturn(year, status, D(magi), state_local_taxes=D(salt),
                              mortgage_interest=D(mortgage)))  # fmt: skip
    assert r.schedule_a is not None and r.itemizes
    return r.schedule_a.taxes


@pytest.mark.parametrize(
    ("year", "status", "magi", "salt", "mortgage", "allowed"),
    [
        (2026, MFJ, 600_000, 60_000, 30_000, "11900"),  # SALT-1
        (2026, MFJ, 700_000, 60_000, 30_000, "10000"),  # SALT-2 (floor)
        (2025, MFJ, 600_000, 60_000, 30_000, "10000"),  # SALT-3
        (2026, MFS, 300_000, 30_000, 15_000, "5950"),  # SALT-4, reading B (see itemized.py)
        (2026, MFJ, 505_000, 60_000, 30_000, "40400"),  # SALT-5 (at the threshold)
        (2024, MFS, 100_000, 8_000, 15_000, "5000"),  # SALT-6
    ],
    ids=["SALT-1", "SALT-2", "SALT-3", "SALT-4", "SALT-5", "SALT-6"],
)
def test_salt_fixtures(year, status, magi, salt, mortgage, allowed):
    """§5.3: the cap of each year, its 2025+ phase-down and floor."""
    assert _salt(year, status, magi, salt, mortgage) == D(allowed)


def test_salt_phase_down_threshold_both_sides():
    """2026 joint: $40,400 up to MAGI $505,000, 30 cents less per dollar above it."""
    assert _salt(2026, MFJ, 504_999, 60_000, 30_000) == D(40_400)
    assert _salt(2026, MFJ, 505_000, 60_000, 30_000) == D(40_400)
    assert _salt(2026, MFJ, 505_001, 60_000, 30_000) == D("40399.70")


# ------------------------------------------------------------ charity (CH-1, CH-2)


def test_ch1_charity_floor_for_itemizers():
    """CH-1: 2026 single, AGI 200,000, gifts 5,000 -> 4,000; Schedule A 34,000."""
    r = federal_tax(
        TaxReturn(
            2026,
            S,
            D(200_000),
            state_local_taxes=D(20_000),
            mortgage_interest=D(10_000),
            charitable_gifts=D(5_000),
        )
    )
    assert r.schedule_a is not None
    assert (r.schedule_a.gifts, r.deduction) == (D(4_000), D(34_000))


def test_charity_floor_both_sides():
    """0.5% of AGI 200,000 = 1,000: gifts of 1,000 deduct nothing, 1,001 deduct 1."""
    for gifts, deductible in ((1_000, 0), (1_001, 1)):
        r = federal_tax(TaxReturn(2026, S, D(200_000), mortgage_interest=D(30_000),
                                  charitable_gifts=D(gifts)))  # fmt: skip
        assert r.schedule_a is not None and r.schedule_a.gifts == D(deductible)


def test_ch2_non_itemizer_charity_deduction():
    """CH-2: 2026 single, wages 60,000, gifts 1,500 -> §170(p) 1,000; TI 42,900."""
    r = federal_tax(TaxReturn(2026, S, D(60_000), charitable_gifts=D(1_500)))
    assert not r.itemizes
    assert r.deduction == D(16_100 + 1_000)
    assert r.taxable_income == D(42_900)
    assert r.amti == D(60_000 - 1_000)  # the §170(p) amount is not added back (§6.2)


def test_2020_non_itemizer_charity_is_above_the_line():
    """2020 (§62(a)(22)): the $300 lowers AGI itself; 2021 (§170(p)) lowers only TI."""
    r2020 = federal_tax(TaxReturn(2020, S, D(60_000), charitable_gifts=D(500)))
    assert (r2020.agi, r2020.deduction) == (D(59_700), D(12_400))
    r2021 = federal_tax(TaxReturn(2021, MFJ, D(60_000), charitable_gifts=D(500)))
    assert (r2021.agi, r2021.deduction) == (D(60_000), D(25_100 + 500))


# ------------------------------------------------------------------ §68 (P68-1, P68-2)


@pytest.mark.parametrize(
    ("agi", "allowed"), [(1_000_000, "94594.59"), (700_000, "96789.19")], ids=["P68-1", "P68-2"]
)
def test_section_68_limitation(agi, allowed):
    """§5.6: 2/37 of the lesser of the itemized deductions and the excess over $640,600."""
    r = federal_tax(TaxReturn(2026, S, D(agi), other_itemized=D(100_000)))
    assert r.deduction == D(allowed)


def test_section_68_is_not_applied_for_the_amt():
    """§56(b)(1)(F): AMTI = TI + taxes - the §68 reduction (P68-1 with SALT at its floor)."""
    r = federal_tax(TaxReturn(2026, S, D(1_000_000), state_local_taxes=D(20_000),
                              other_itemized=D(90_000)))  # fmt: skip
    assert r.schedule_a is not None
    reduction = r.schedule_a.limitation
    assert r.schedule_a.taxes == D(10_000)  # the 2026 cap is at its floor above $606,333
    assert reduction == D("5405.41")
    assert r.amti == r.taxable_income + r.schedule_a.taxes - reduction


def test_section_68_suspended_before_2026():
    """2018-2025: §68(f) suspends the limitation."""
    r = federal_tax(TaxReturn(2025, S, D(1_000_000), other_itemized=D(100_000)))
    assert r.deduction == D(100_000)


# --------------------------------------------------- itemize or not (ITEM-1, ITEM-2)


def test_item1_spouse_itemizes():
    """ITEM-1: 2026 mfs whose spouse itemizes: standard deduction 0, itemized 3,000."""
    r = federal_tax(TaxReturn(2026, MFS, D(50_000), other_itemized=D(3_000),
                              spouse_itemizes=True))  # fmt: skip
    assert r.itemizes and r.deduction == D(3_000) and r.standard_deduction == 0
    assert r.amti == r.taxable_income  # no taxes, no standard deduction to add back


def test_item2_harvest_keeps_itemizing_and_raises_salt():
    """ITEM-2: HH-3 itemizes with and without the harvest; the SALT deduction rises 900."""
    delta = household_tax_difference(HH3, extra_st=LOSS)
    assert delta.without.itemizes and delta.with_.itemizes
    assert delta.with_.deduction - delta.without.deduction == D(900)


def test_itemize_versus_standard_at_equality():
    """Itemized equal to the standard deduction: the standard deduction is kept (same tax);
    one dollar more itemizes. AMT add-back differs, so the choice is pinned."""
    tie = federal_tax(TaxReturn(2026, S, D(80_000), mortgage_interest=D(16_100)))
    more = federal_tax(TaxReturn(2026, S, D(80_000), mortgage_interest=D(16_101)))
    assert not tie.itemizes and tie.deduction == D(16_100)
    assert more.itemizes and more.deduction == D(16_101)
    assert tie.taxable_income - more.taxable_income == 1


def test_a_harvest_can_flip_the_choice_to_itemize():
    """A lower AGI raises the medical deduction (HH-4's mechanism) past the standard one."""
    ret = TaxReturn(2024, MFJ, D(100_000), medical_expenses=D(30_000),
                    state_local_taxes=D(5_000), mortgage_interest=D(2_000))  # fmt: skip
    # AGI 100,000: 30,000 - 7,500 + 7,000 = 29,500 > 29,200 itemizes; the loss adds 225
    delta = tax_difference(ret, extra_st=LOSS)
    assert delta.with_.deduction - delta.without.deduction == D(225)
    # AGI 104,000: 22,200 + 6,900 = 29,100 < 29,200; at 101,000: 22,425 + 6,900 = 29,325
    base = TaxReturn(2024, MFJ, D(104_000), medical_expenses=D(30_000),
                     state_local_taxes=D(5_000), mortgage_interest=D(1_900))  # fmt: skip
    flip = tax_difference(base, extra_st=LOSS)
    assert not flip.without.itemizes and flip.with_.itemizes


def test_old_returns_are_unchanged_by_the_new_fields():
    """A TaxReturn without household fields is the standard-deduction return of HX_TAX."""
    r = federal_tax(TaxReturn(2026, S, D(116_100)))
    assert (r.deduction, r.senior_deduction, r.taxable_social_security) == (D(16_100), 0, 0)
    assert r.schedule_a is None and not r.itemizes
    assert r.taxable_income == D(100_000)


@pytest.mark.parametrize(
    "field",
    [
        "social_security",
        "tax_exempt_interest",
        "medical_expenses",
        "state_local_taxes",
        "mortgage_interest",
        "charitable_gifts",
        "other_itemized",
    ],
)
def test_negative_household_amounts_are_refused(field):
    """A negative benefit or deduction amount is an input error naming the field."""
    with pytest.raises(HarvestInputError) as caught:
        federal_tax(TaxReturn(2026, S, D(1), **{field: D(-1)}))
    assert caught.value.argument == field


def test_withdrawal_cost_runs_on_the_household_return():
    """An IRA withdrawal in the 85% band of §86 costs 12% of $1,850, not of $1,000: 2026
    single, 64, IRA 30,000 + SS 24,000: TI 25,200 -> 27,050, Table tax 2,779 -> 3,001."""
    from harvest_xl.engine.withdrawal_cost import withdrawal_cost

    profile = Profile(2026, S, birth_date=date(1962, 6, 1), ordinary_income=D(30_000),
                      social_security=D(24_000))  # fmt: skip
    cost = withdrawal_cost(profile, "Traditional IRA", D(1_000), date(2026, 7, 1))
    assert cost.tax.without.total == D(2_779)
    assert cost.tax.with_.total == D(3_001)
    assert cost.extra_income_tax == D(222)
    assert cost.additional_tax == 0  # 59½ or older
