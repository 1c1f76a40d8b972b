"""Rate schedule, Tax Table and QDCGT worksheet (tax-rules.md §5.5, §5.6, §8.5, §8.6)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.rates import (
    bracket_tax,
    line_16_tax,
    qdcgt_worksheet,
    tax_table_midpoint,
    tax_table_tax,
)
from harvest_xl.engine.schedule import tax_schedule

S, MFJ, MFS, HOH, QSS = (
    FilingStatus.SINGLE,
    FilingStatus.MFJ,
    FilingStatus.MFS,
    FilingStatus.HOH,
    FilingStatus.QSS,
)

# tax-rules.md §8.5: base tax at the start of the 12%, 22%, 24%, 32%, 35%, 37% brackets,
# as printed in Rev. Procs. 2023-34, 2024-40 and 2025-32 (corrected Oct. 17, 2025).
REV_PROC_BASE_TAX = {
    (2024, S): ("1160", "5426", "17168.50", "39110.50", "55678.50", "183647.25"),
    (2024, MFJ): ("2320", "10852", "34337", "78221", "111357", "196669.50"),
    (2024, HOH): ("1655", "7241", "15469", "37417", "53977", "181954.50"),
    (2025, S): ("1192.50", "5578.50", "17651", "40199", "57231", "188769.75"),
    (2025, MFJ): ("2385", "11157", "35302", "80398", "114462", "202154.50"),
    (2025, HOH): ("1700", "7442", "15912", "38460", "55484", "187031.50"),
    (2026, S): ("1240", "5800", "17966", "41024", "58448", "192979.25"),
    (2026, MFJ): ("2480", "11600", "35932", "82048", "116896", "206583.50"),
    (2026, HOH): ("1770", "7740", "16155", "39207", "56631", "191171"),
}
REV_PROC_MFS_37 = {2024: "98334.75", 2025: "101077.25", 2026: "103291.75"}


@pytest.mark.parametrize(
    ("year", "status"),
    list(REV_PROC_BASE_TAX),
    ids=[f"{y}-{s.value}" for y, s in REV_PROC_BASE_TAX],
)
def test_bracket_arithmetic_reproduces_rev_proc_base_tax(year, status):
    """Bracket tops in the data file reproduce every printed "$X plus R%" constant."""
    expected = tuple(D(x) for x in REV_PROC_BASE_TAX[(year, status)])
    assert tax_schedule(year, status).base_tax[1:] == expected
    if status is MFJ:  # QSS uses the joint schedule
        assert tax_schedule(year, QSS).base_tax[1:] == expected


@pytest.mark.parametrize("year", sorted(REV_PROC_MFS_37))
def test_mfs_base_tax_matches_single_except_37(year):
    """MFS = single in every bracket but the 37% one, whose start is lower (§8.5)."""
    mfs, single = tax_schedule(year, MFS).base_tax, tax_schedule(year, S).base_tax
    assert mfs[1:6] == single[1:6]
    assert mfs[6] == D(REV_PROC_MFS_37[year])


def test_bracket_tax_examples():
    """Exact formula: 2025 single $50,000 = 5,578.50 + 22% x 1,525 = 5,914.00 (§5.5)."""
    s = tax_schedule(2025, S)
    assert bracket_tax(D(50_000), s) == D("5914.00")
    assert bracket_tax(D(0), s) == 0
    assert bracket_tax(D(-10), s) == 0
    # on and one dollar past a bracket top (2025 single 10% top 11,925)
    assert bracket_tax(D(11_925), s) == D("1192.50")
    assert bracket_tax(D(11_926), s) == D("1192.62")


@pytest.mark.parametrize(
    ("income", "midpoint", "tax"),
    [
        ("0", "2.5", 0),  # row 0-5: 10% x 2.50 = 0.25 -> $0
        ("4.99", "2.5", 0),
        ("5", "10", 1),  # row 5-15
        ("14", "10", 1),
        ("15", "20", 2),  # row 15-25
        ("25", "37.5", 4),  # first $25 row: 3.75 -> $4
        ("2999", "2987.5", 299),  # 298.75 -> $299
        ("3000", "3025", 303),  # first $50 row: 302.50 -> $303 (half up)
        ("50000", "50025", 5920),
    ],
)
def test_tax_table_rows_and_half_up_rounding(income, midpoint, tax):
    """Tax Table rows (5/10/25/50 wide), tax on the midpoint, whole dollars half up (§5.5)."""
    s = tax_schedule(2025, S)
    assert tax_table_midpoint(D(income), s) == D(midpoint)
    assert tax_table_tax(D(income), s) == D(tax)


def test_tax_table_below_limit_worksheet_at_limit():
    """$99,999 uses the Tax Table (midpoint 99,975); $100,000 the exact worksheet."""
    s = tax_schedule(2024, S)
    # 2024 single: 5,426 + 22% x (99,975 - 47,150) = 17,047.50 -> 17,048
    assert line_16_tax(D(99_999), s) == D(17_048)
    # 5,426 + 22% x (100,000 - 47,150) = 17,053.00
    assert line_16_tax(D(100_000), s) == D("17053.00")
    assert line_16_tax(D("99999.99"), s) == D(17_048)


def test_qd1_2024_single():
    """QD-1: TI 60,000 with LTCG 20,000 -> L9 7,025, L17 12,975, L22 4,571, L25 6,517.25."""
    w = qdcgt_worksheet(D(60_000), D(0), D(20_000), tax_schedule(2024, S)).lines
    assert (w[5], w[9], w[17], w[18], w[22], w[25]) == (
        D(40_000),
        D(7_025),
        D(12_975),
        D("1946.25"),
        D(4_571),
        D("6517.25"),
    )


def test_qd2_2026_single():
    """QD-2: 2026 single TI 53,900, all LTCG -> L5 0, L9 49,450, L17 4,450, tax $667.50."""
    w = qdcgt_worksheet(D(53_900), D(0), D(53_900), tax_schedule(2026, S)).lines
    assert (w[5], w[9], w[17], w[25]) == (D(0), D(49_450), D(4_450), D("667.50"))


def test_qd3_2026_mfj():
    """QD-3: 2026 MFJ TI 117,800 with LTCG 50,000 -> L22 7,643, L25 10,478.00."""
    w = qdcgt_worksheet(D(117_800), D(0), D(50_000), tax_schedule(2026, MFJ)).lines
    assert (w[5], w[9], w[17], w[18], w[22], w[25]) == (
        D(67_800),
        D(31_100),
        D(18_900),
        D(2_835),
        D(7_643),
        D("10478.00"),
    )


def test_qdcgt_twenty_percent_band():
    """Above the 15% maximum the rest of the preferential income is taxed at 20%."""
    # 2024 single, TI 600,000 all qualified dividends: 0% to 47,025, 15% to 518,900, 20% above
    w = qdcgt_worksheet(D(600_000), D(600_000), D(0), tax_schedule(2024, S)).lines
    assert w[9] == D(47_025)
    assert w[17] == D(518_900 - 47_025)
    assert w[20] == D(600_000 - 518_900)
    assert w[25] == D("70781.25") + D("16220.00")  # 471,875 x 15% + 81,100 x 20%


@pytest.mark.parametrize(
    ("ordinary", "zero_band"), [(47_024, 1), (47_025, 0), (47_026, 0)], ids=["-1", "at", "+1"]
)
def test_zero_rate_breakpoint_both_sides(ordinary, zero_band):
    """2024 single 0% maximum 47,025: $1 of gain is taxed at 0% only below it."""
    w = qdcgt_worksheet(D(ordinary + 1), D(0), D(1), tax_schedule(2024, S)).lines
    assert w[9] == zero_band
    assert w[17] == 1 - zero_band
