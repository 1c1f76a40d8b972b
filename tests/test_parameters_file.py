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
    for key in YEAR_KEYS - {"source", "amt"}:
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
