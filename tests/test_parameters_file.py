"""The parameter file itself: complete, sourced, ordered and internally consistent.

tax-rules.md §5.1 and STYLE.md §2.3. The Rev. Proc. base-tax constants are in
tests/engine/test_rates.py.
"""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources

import pytest

from harvest_xl.engine.errors import MissingTaxYear
from harvest_xl.engine.params import year_params

DATA = json.loads(
    resources.files("harvest_xl").joinpath("data", "tax-parameters.json").read_text("utf-8"),
    parse_float=Decimal,
)
STATUSES = {"single", "mfj", "mfs", "hoh", "qss"}
YEARS = list(DATA["years"])
YEAR_KEYS = {
    "source",
    "ordinary_bracket_tops",
    "ltcg_zero_rate_max",
    "ltcg_fifteen_rate_max",
    "standard_deduction",
    "additional_standard_deduction_aged_or_blind",
    "amt",
    "household",
}
HOUSEHOLD_KEYS = {
    "senior_deduction_amount",
    "senior_deduction_phaseout_start",
    "senior_deduction_phaseout_rate",
    "salt_cap",
    "salt_cap_phasedown_threshold",
    "salt_cap_phasedown_rate",
    "salt_cap_floor",
    "medical_expense_agi_floor",
    "charitable_contribution_floor_rate",
    "charitable_nonitemizer_deduction_max",
    "charitable_nonitemizer_deduction_above_the_line",
    "itemized_deduction_limitation",
    "mortgage_acquisition_debt_limit",
}
AMT_KEYS = {
    "exemption",
    "exemption_phaseout_start",
    "exemption_phaseout_rate",
    "rate_28_threshold",
    "mfs_amti_addback_end",
    "source",
}


def _by_status_blocks(year: str):
    block = DATA["years"][year]
    for key in YEAR_KEYS - {"source", "amt", "household"}:
        yield key, block[key]
    for key in AMT_KEYS - {"source", "exemption_phaseout_rate", "mfs_amti_addback_end"}:
        yield f"amt.{key}", block["amt"][key]


def test_top_level_and_year_keys_are_closed():
    """No unknown or missing keys: a misspelt key fails instead of being ignored."""
    assert set(DATA) == {"about", "statutory", "years", "penalties_and_limits"}
    for year in YEARS:
        optional = {"standard_deduction_note"} if year == "2025" else set()  # P.L. 119-21 §70102
        assert set(DATA["years"][year]) - optional == YEAR_KEYS, year
        assert set(DATA["years"][year]["amt"]) == AMT_KEYS, year
        assert set(DATA["years"][year]["household"]) == HOUSEHOLD_KEYS, year


def test_years_are_sorted_contiguous_2018_to_2026():
    """Years are unique, in order and without gaps."""
    years = [int(y) for y in YEARS]
    assert years == list(range(2018, 2027))


def test_every_value_has_a_source():
    """Every statutory and penalty parameter, year block and AMT block cites its source."""
    for block in ("statutory", "penalties_and_limits"):
        for name, entry in DATA[block].items():
            # either one value, or one value per year (indexed limits)
            for item in [entry] if "value" in entry else entry.values():
                assert set(item) >= {"value", "source"}, name
                assert item["source"].strip(), name
    for year in YEARS:
        assert DATA["years"][year]["source"].strip()
        assert DATA["years"][year]["amt"]["source"].strip()
        for name, entry in DATA["years"][year]["household"].items():
            assert set(entry) == {"value", "source"}, (year, name)
            assert entry["source"].strip(), (year, name)


@pytest.mark.parametrize("year", YEARS)
def test_filing_status_sets_are_complete(year):
    """Every by-status breakdown has exactly single, mfj, mfs, hoh and qss."""
    for key, block in _by_status_blocks(year):
        assert set(block) == STATUSES, key
    for name in ("capital_loss_limit", "niit_threshold"):
        assert set(DATA["statutory"][name]["value"]) == STATUSES


@pytest.mark.parametrize("year", YEARS)
def test_qss_equals_mfj(year):
    """A qualifying surviving spouse uses the joint figures (§1(j)(2)(A), §63(c)(2), §63(f))."""
    for key, block in _by_status_blocks(year):
        assert block["qss"] == block["mfj"], key


@pytest.mark.parametrize("year", YEARS)
def test_bracket_tops_increase_and_match_the_rates(year):
    """Six tops per status, strictly increasing; seven increasing rates."""
    rates = DATA["statutory"]["ordinary_rates"]["value"]
    assert len(rates) == 7
    assert rates == sorted(rates)
    for status, tops in DATA["years"][year]["ordinary_bracket_tops"].items():
        assert len(tops) == len(rates) - 1, status
        assert all(a < b for a, b in zip(tops, tops[1:], strict=False)), status


@pytest.mark.parametrize("year", YEARS)
def test_mfs_is_half_the_joint_schedule(year):
    """Every MFS bracket top is half the joint one; MFS equals single below the 37% start."""
    tops = DATA["years"][year]["ordinary_bracket_tops"]
    assert [2 * t for t in tops["mfs"]] == tops["mfj"]
    assert tops["mfs"][:5] == tops["single"][:5]
    assert tops["mfs"][5] < tops["single"][5]


@pytest.mark.parametrize("year", YEARS)
def test_zero_rate_breakpoint_below_fifteen(year):
    """The 0% maximum is below the 15% maximum for every status."""
    block = DATA["years"][year]
    for status in STATUSES:
        assert 0 < block["ltcg_zero_rate_max"][status] < block["ltcg_fifteen_rate_max"][status]


@pytest.mark.parametrize("year", YEARS)
def test_amt_figures_are_consistent(year):
    """MFS AMT figures are half the joint; the add-back ends where the MFS exemption is zero."""
    amt = DATA["years"][year]["amt"]
    assert 2 * amt["exemption"]["mfs"] == amt["exemption"]["mfj"]
    assert 2 * amt["exemption_phaseout_start"]["mfs"] == amt["exemption_phaseout_start"]["mfj"]
    assert 2 * amt["rate_28_threshold"]["mfs"] == amt["rate_28_threshold"]["single"]
    rate = amt["exemption_phaseout_rate"]
    end = amt["exemption_phaseout_start"]["mfs"] + amt["exemption"]["mfs"] / rate
    assert amt["mfs_amti_addback_end"] == end


def test_unindexed_statutory_amounts():
    """§1211(b) 3,000/1,500 and §1411(b) 200,000/250,000/125,000 are fixed by statute."""
    assert DATA["statutory"]["capital_loss_limit"]["value"] == {
        "single": 3000, "mfj": 3000, "mfs": 1500, "hoh": 3000, "qss": 3000
    }  # fmt: skip
    assert DATA["statutory"]["niit_threshold"]["value"] == {
        "single": 200000, "mfj": 250000, "mfs": 125000, "hoh": 200000, "qss": 250000
    }  # fmt: skip


def test_tax_table_rows_cover_zero_to_the_limit():
    """The Tax Table row bands are contiguous from $0 to the $100,000 limit."""
    rows = DATA["statutory"]["tax_table_rows"]["value"]
    assert rows[0]["from"] == 0
    assert all(a["to"] == b["from"] for a, b in zip(rows, rows[1:], strict=False))
    assert rows[-1]["to"] == DATA["statutory"]["tax_table_limit"]["value"]
    for row in rows:
        assert (row["to"] - row["from"]) % row["width"] == 0


@pytest.mark.parametrize("year", [2017, 2027, 1999, "2024", True, 2024.0])
def test_missing_tax_year(year):
    """A year outside the table (or not an int) is an error, never an extrapolation."""
    with pytest.raises(MissingTaxYear):
        year_params(year)


def test_first_and_last_year_load():
    """2018 and 2026 load."""
    assert year_params(2018).year == 2018
    assert year_params(2026).year == 2026


def test_2023_unmarried_additional_standard_deduction_is_1850():
    """Rev. Proc. 2022-38 §3.15(3): $1,500, or $1,850 unmarried (corrected from $1,800)."""
    amounts = DATA["years"]["2023"]["additional_standard_deduction_aged_or_blind"]
    assert amounts == {"single": 1850, "hoh": 1850, "mfj": 1500, "mfs": 1500, "qss": 1500}


def test_the_other_three_corrections_of_december_2026():
    """2023 MFS 35% top 346,875; QSS 65+/blind = married 2022-24; 2026 MFS AMT end 640,200."""
    assert DATA["years"]["2023"]["ordinary_bracket_tops"]["mfs"][5] == 346875
    for year, married in (("2022", 1400), ("2023", 1500), ("2024", 1550)):
        assert DATA["years"][year]["additional_standard_deduction_aged_or_blind"]["qss"] == married
    assert DATA["years"]["2026"]["amt"]["mfs_amti_addback_end"] == 640200


def _household(year: str, name: str):
    return DATA["years"][year]["household"][name]["value"]


@pytest.mark.parametrize("year", YEARS)
def test_household_provisions_are_in_effect_only_in_their_years(year):
    """Senior deduction 2025+ ($6,000, 6%, $75,000/$150,000, none MFS); SALT $10,000/$5,000
    until 2024, then $40,000 (2025) / $40,400 (2026) phased down 30% over $500,000 /
    $505,000 (halved MFS) to $10,000; charity floor and §68 from 2026; medical floor 7.5%."""
    y = int(year)
    senior = _household(year, "senior_deduction_amount")
    assert senior == (6000 if y >= 2025 else 0)
    if y >= 2025:
        assert _household(year, "senior_deduction_phaseout_rate") == Decimal("0.06")
        assert _household(year, "senior_deduction_phaseout_start") == {
            "single": 75000, "mfj": 150000, "mfs": None, "hoh": 75000, "qss": 75000
        }  # fmt: skip
    cap = {2025: 40000, 2026: 40400}.get(y, 10000)
    assert _household(year, "salt_cap") == {
        "single": cap, "mfj": cap, "mfs": cap // 2, "hoh": cap, "qss": cap
    }  # fmt: skip
    threshold = _household(year, "salt_cap_phasedown_threshold")
    if y < 2025:
        assert threshold is None and _household(year, "salt_cap_floor") is None
    else:
        start = {2025: 500000, 2026: 505000}[y]
        assert threshold == {
            "single": start, "mfj": start, "mfs": start // 2, "hoh": start, "qss": start
        }  # fmt: skip
        assert _household(year, "salt_cap_phasedown_rate") == Decimal("0.3")
        assert _household(year, "salt_cap_floor")["mfs"] == 5000
    assert _household(year, "medical_expense_agi_floor") == Decimal("0.075")
    floor = _household(year, "charitable_contribution_floor_rate")
    assert floor == (Decimal("0.005") if y >= 2026 else 0)
    limitation = _household(year, "itemized_deduction_limitation")
    if y >= 2026:
        assert (limitation["numerator"], limitation["denominator"]) == (2, 37)
    else:
        assert limitation is None


def test_nonitemizer_charity_amounts():
    """§62(a)(22) 2020: $300 ($150 MFS) above the line; §170(p) 2021 $300/$600 joint;
    2026 $1,000/$2,000 joint; none in the other years. A qualifying surviving spouse does
    not file a joint return, so takes the $300/$1,000 (the shared reference has the joint
    amount; the statute says "in the case of a joint return")."""
    expected = {
        "2020": {"single": 300, "mfj": 300, "mfs": 150, "hoh": 300, "qss": 300},
        "2021": {"single": 300, "mfj": 600, "mfs": 300, "hoh": 300, "qss": 300},
        "2026": {"single": 1000, "mfj": 2000, "mfs": 1000, "hoh": 1000, "qss": 1000},
    }
    for year in YEARS:
        amounts = _household(year, "charitable_nonitemizer_deduction_max")
        assert amounts == expected.get(year, dict.fromkeys(STATUSES, 0)), year
        above = _household(year, "charitable_nonitemizer_deduction_above_the_line")
        assert above is (year == "2020"), year


def test_social_security_and_age_statutory_figures():
    """§86(c): 25,000/32,000 and 34,000/44,000 (0 MFS together; 25,000/34,000 apart);
    50%/85%; age 65 (§63(f), §151(d)(5)(C))."""
    st = DATA["statutory"]
    assert st["social_security_base_amount"]["value"] == {
        "single": 25000, "mfj": 32000, "mfs": 0, "hoh": 25000, "qss": 25000
    }  # fmt: skip
    assert st["social_security_adjusted_base_amount"]["value"] == {
        "single": 34000, "mfj": 44000, "mfs": 0, "hoh": 34000, "qss": 34000
    }  # fmt: skip
    assert st["social_security_base_amount"]["mfs_lived_apart_all_year"] == 25000
    assert st["social_security_adjusted_base_amount"]["mfs_lived_apart_all_year"] == 34000
    assert st["social_security_inclusion_rates"]["value"] == [Decimal("0.5"), Decimal("0.85")]
    assert st["aged_or_blind_age"]["value"] == 65
