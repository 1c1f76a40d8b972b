"""The worked examples of tax-rules.md §8, typed into the HX_ functions as cells.

Expected values are the fixture catalogue's (sources in tax-rules.md §8.1, §8.3, §8.7), not
computed by the code under test. Cells are given the way a user types them: text dates,
floats, account-type spellings.
"""

from __future__ import annotations

import pytest

from harvest_xl import udfs

# ----------------------------------------------------------------------- §8.1 wash sales



def buy(when, shares, price, account="Brokerage", kind="Taxable", ticker="X"):
    return [when, account, kind, "BUY", ticker, shares, price, None, None]


def sell(when, shares, price, basis, acquired, account="Brokerage", kind="Taxable", ticker="X"):
    return [when, account, kind, "SELL", ticker, shares, price, basis, acquired]


def matches(activity, identical=None, policy="conservative"):
    """(shares, disallowed, permanently lost, replacement date, basis increase) per match."""
    table = udfs.HX_WASH_SALES(activity, identical, policy)
    assert table[0] == list(udfs.WASH_SALES_HEADER), table
    return [(r[3], r[4], r[5], r[6].isoformat(), r[8]) for r in table[1:]]


WASH_FIXTURES = [
    pytest.param(
        [buy("2024-01-02", 100, 10.0), sell("2024-03-01", 100, 7.5, 1000, "2024-01-02"),
         buy("2024-03-15", 100, 8.0)],
        # $250 disallowed; new basis $800 + $250 = $1,050.
        [(100.0, 250.0, False, "2024-03-15", 250.0)],
        id="WS-1 Pub. 550 / VITA case study: new basis 1,050",
    ),
    pytest.param(
        [buy("12/1/1954", 100, 100.0, ticker="M"), buy("12/15/1954", 100, 90.0, ticker="M"),
         sell("1/3/1955", 100, 90.0, 10000, "12/1/1954", ticker="M")],
        # Whole $1,000 loss disallowed by the purchase 19 days before; basis 9,000 -> 10,000.
        [(100.0, 1000.0, False, "1954-12-15", 1000.0)],
        id="WS-2 Reg. 1.1091-1(h) ex. 1: replacement bought before the sale",
    ),
    pytest.param(
        [buy("1954-09-21", 100, 50.0), buy("1954-12-21", 50, 55.0), buy("1954-12-27", 25, 45.0),
         sell("1955-01-03", 100, 40.0, 5000, "1954-09-21")],
        # 75 shares replaced: $750 disallowed, $250 deductible; bases 3,250 and 1,375.
        [(50.0, 500.0, False, "1954-12-21", 500.0), (25.0, 250.0, False, "1954-12-27", 250.0)],
        id="WS-3 Reg. 1.1091-1(h) ex. 2: partial replacement",
    ),
    pytest.param(
        [buy("1954-09-15", 100, 50.0), sell("1956-02-01", 100, 40.0, 5000, "1954-09-15"),
         buy("1956-02-15", 50, 40.0), buy("1956-02-16", 50, 40.0), buy("1956-02-17", 50, 40.0),
         buy("1956-02-18", 50, 40.0)],
        # The first 100 shares acquired (2/15 and 2/16) replace; each basis 2,000 + 500.
        [(50.0, 500.0, False, "1956-02-15", 500.0), (50.0, 500.0, False, "1956-02-16", 500.0)],
        id="WS-4 Reg. 1.1091-1(h) ex. 3: earliest replacements first",
    ),
    pytest.param(
        [buy("2024-01-02", 1, 100.0), sell("2024-06-03", 1, 80.0, 100, "2024-01-02"),
         buy("2024-06-10", 1, 90.0)],
        [(1.0, 20.0, False, "2024-06-10", 20.0)],  # new basis 90 + 20 = 110
        id="WS-5 Reg. 1.1091-2(a) ex. 1: new basis 110",
    ),
    pytest.param(
        [buy("2024-01-02", 1, 100.0), sell("2024-06-03", 1, 80.0, 100, "2024-01-02"),
         buy("2024-06-10", 1, 70.0)],
        [(1.0, 20.0, False, "2024-06-10", 20.0)],  # new basis 70 + 20 = 90
        id="WS-6 Reg. 1.1091-2(a) ex. 2: new basis 90",
    ),
    pytest.param(
        [sell("12/20/2007", 100, 6.0, 1000, "2007-01-02"),
         buy("12/21/2007", 100, 6.0, account="My IRA", kind="IRA")],
        [(100.0, 400.0, True, "2007-12-21", 0.0)],  # lost for good, no basis increase
        id="WS-7 Rev. Rul. 2008-5: IRA purchase, loss lost permanently",
    ),
    pytest.param(
        [buy("2007-03-01", 100, 158.0), buy("2007-06-01", 100, 100.0),
         buy("2007-09-04", 100, 95.0),
         sell("2012-12-27", 100, 125.0, 15800, "2007-03-01"),
         sell("2012-12-27", 100, 125.0, 10000, "2007-06-01"),
         sell("2012-12-27", 100, 125.0, 9500, "2007-09-04"),
         buy("2013-01-09", 250, 120.0)],
        # Only the first block's $3,300 loss is disallowed; the gains stay; 100 new shares
        # carry the adjustment.
        [(100.0, 3300.0, False, "2013-01-09", 3300.0)],
        id="WS-8 Pub. 550: loss and gains on the same day",
    ),
    pytest.param(
        [buy("2023-12-01", 10, 10.0), sell("2024-01-31", 10, 8.0, 100, "2023-12-01"),
         buy("2024-03-01", 10, 8.0)],
        [(10.0, 20.0, False, "2024-03-01", 20.0)],
        id="WS-9a day +30 (leap year) is a wash sale",
    ),
    pytest.param(
        [buy("2023-12-01", 10, 10.0), sell("2024-01-31", 10, 8.0, 100, "2023-12-01"),
         buy("2024-03-02", 10, 8.0)],
        [],
        id="WS-9b day +31 is not a wash sale",
    ),
    pytest.param(
        [buy("2024-01-31", 10, 8.0), sell("2024-03-01", 10, 8.0, 100, "2023-12-01")],
        [(10.0, 20.0, False, "2024-01-31", 20.0)],
        id="WS-9c day -30 (leap year) is a wash sale",
    ),
]


@pytest.mark.parametrize(("activity", "expected"), WASH_FIXTURES)
def test_wash_sale_fixtures_through_hx_wash_sales(activity, expected):
    """WS-1...WS-9 typed as an Activity range give the catalogue's matches."""
    assert matches(activity) == expected


def test_ws_8_shuffled_rows_give_the_same_table():
    """The order of Activity rows never changes the result."""
    activity = WASH_FIXTURES[7].values[0]
    assert matches(list(reversed(activity))) == matches(activity)


def test_safe_rebuy_is_the_day_after_the_window():
    """HX_SAFE_REBUY gives the first day outside WS-9's window: sale + 31 days."""
    assert udfs.HX_SAFE_REBUY("2024-01-31").isoformat() == "2024-03-02"


# ------------------------------------------------------------- §8.7 holding boundaries


@pytest.mark.parametrize(
    ("acquired", "sold", "term"),
    [
        pytest.param("2023-03-01", "2024-03-01", "Short-term", id="HP-1 exactly one year"),
        pytest.param("2023-03-01", "2024-03-02", "Long-term", id="HP-2 one year and a day"),
        pytest.param("2024-02-29", "2025-02-28", "Short-term", id="HP-3 Feb 29 anniversary"),
        pytest.param("2024-02-29", "2025-03-01", "Long-term", id="HP-4 Feb 29 first LT day"),
        # Convention-dependent (tax-rules.md §9 item 7): harvest-xl pins the anniversary
        # reading, under which Feb 28 + one year is Feb 28 and Feb 29 is after it.
        pytest.param("2023-02-28", "2024-02-29", "Long-term", id="HP-5 anniversary reading"),
        pytest.param(45000.0, 45366.0, "Short-term", id="serials 2023-03-15 to 2024-03-15"),
        pytest.param("3/15/2023", "3/16/2024", "Long-term", id="US text dates, day after"),
    ],
)
def test_holding_boundaries_through_hx_term(acquired, sold, term):
    """HP-1...HP-5 give the catalogue's term through HX_TERM."""
    assert udfs.HX_TERM(acquired, sold) == term


# ------------------------------------------------------------- §8.3 early withdrawals


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(("IRA", 3000, "1990-06-01", "2025-06-15"), 300.0, id="EW-1 Tom Jones"),
        pytest.param(
            ("SIMPLE IRA", 10000, "1985-01-01", "2025-09-01", "", None, "2025-03-01"),
            2500.0,
            id="EW-2 SIMPLE IRA first two years: 25%",
        ),
        pytest.param(("401k", 2000, "1983-05-01", "2025-06-01"), 200.0,
                     id="EW-4 Jordan: 10% on the 2,000 not rolled over"),
        pytest.param(("Roth IRA", 5000, "1984-01-01", "2025-06-01"), 500.0,
                     id="EW-5 Roth IRA: 10% on the 5,000 of earnings"),
        pytest.param(("Roth 401k", 600, "1976-01-01", "2026-06-01"), 60.0,
                     id="EW-7 Roth 401(k): 10% on the 600 includible"),
        pytest.param(("HSA", 5000, "1976-01-01", "2026-06-01"), 1000.0,
                     id="EW-8 HSA non-medical at 50: 20%"),
        pytest.param(("HSA", 5000, "1960-01-01", "2026-06-01"), 0.0,
                     id="EW-8 HSA non-medical at 66: none"),
        pytest.param(("457b", 20000, "1981-01-01", "2026-06-01"), 0.0,
                     id="EW-9 governmental 457(b) with nothing rolled in: none"),
        pytest.param(("401k", 40000, "1970-01-01", "2026-06-01", "separation", "2026-03-01"),
                     0.0, id="EW-10 separation at 56, from the plan: none"),
        pytest.param(("IRA", 40000, "1970-01-01", "2026-06-01", "separation", "2026-03-01"),
                     4000.0, id="EW-10 the same from an IRA: 10%"),
        pytest.param(("IRA", 15000, "1990-01-01", "2025-06-01", "first_home"), 500.0,
                     id="EW-11 first home from an IRA: 10% over the 10,000 cap"),
        pytest.param(("401k", 15000, "1990-01-01", "2025-06-01", "09"), 1500.0,
                     id="EW-11 first home from a 401(k): exception ignored"),
    ],
)
def test_early_withdrawal_fixtures_through_hx_penalty(args, expected):
    """EW fixtures give the catalogue's additional tax through HX_PENALTY."""
    assert udfs.HX_PENALTY(*args) == expected


def test_ew_4_withholding_through_hx_withdrawal_cost():
    """EW-4: an eligible rollover distribution of 10,000 from a 401(k) has 2,000 withheld."""
    profile = [["Tax year", 2025], ["Filing status", "single"], ["Ordinary income", 60000]]
    column = udfs.HX_WITHDRAWAL_COST("401k", 10000, "1983-05-01", "2025-06-01", profile)
    assert column[1] == [1000.0]  # the 10% on the whole 10,000 taken out and kept
    assert column[5] == [2000.0]


@pytest.mark.parametrize(
    ("amount", "expected_taxable", "expected_penalty"),
    [
        pytest.param(22000, 0.0, 0.0, id="EW-5 22,000 from 65,000 of contributions"),
        pytest.param(70000, 5000.0, 500.0, id="EW-5 70,000: 5,000 of earnings"),
    ],
)
def test_ew_5_roth_ordering(amount, expected_taxable, expected_penalty):
    """EW-5 through HX_ROTH_TAXABLE and HX_ROTH_PENALTY (age 41, no conversions)."""
    args = (amount, 65000, "1984-06-01", "2025-06-15")
    assert udfs.HX_ROTH_TAXABLE(*args) == expected_taxable
    assert udfs.HX_ROTH_PENALTY(*args) == expected_penalty


@pytest.mark.parametrize(
    ("when", "expected"),
    [pytest.param("2026-06-01", 1000.0, id="EW-6 2026: within 5 years"),
     pytest.param("2028-06-01", 0.0, id="EW-6 2028: after 5 years")],
)
def test_ew_6_conversion_five_years(when, expected):
    """EW-6: a 2023 conversion withdrawn at 50 is not income; the 10% depends on 5 years."""
    args = (10000, 0, "1976-01-01", when, [[2023, 40000, 0]])
    assert udfs.HX_ROTH_TAXABLE(*args) == 0.0
    assert udfs.HX_ROTH_PENALTY(*args) == expected


def test_ew_3_medical_expenses_through_hx_penalty():
    """EW-3: AGI 75,000, medical expenses 6,600, 10,000 from an IRA at 45: floor 5,625, 975
    excepted, 10% of 9,025 = 902.50. Without the AGI the exception cannot be measured."""
    args = ("IRA", 10000, "1981-01-01", "2026-06-01", "medical", None, None)
    assert udfs.HX_PENALTY(*args, 6600, 75000) == 902.5
    why = udfs.HX_PENALTY_WHY(*args, 6600, 75000)
    assert "line 2 $975.00" in why and "$902.50" in why
    assert udfs.HX_PENALTY(*args, 5625, 75000) == 1000.0  # expenses at the floor: none excepted
    assert udfs.HX_PENALTY(*args).startswith("#VALUE! ")


def test_ew_9_governmental_457b_rolled_in_through_hx_penalty():
    """EW-9: 20,000 from a governmental 457(b) at 45, 5,000 of it rolled in: 10% of 5,000."""
    args = ("Governmental 457(b)", 20000, "1981-01-01", "2026-06-01", "", None, None)
    assert udfs.HX_PENALTY(*args, None, None, 5000) == 500.0
    assert udfs.HX_PENALTY(*args, None, None, 0) == 0.0
    assert "$500.00" in udfs.HX_PENALTY_WHY(*args, None, None, 5000)


@pytest.mark.parametrize(
    ("udf", "expected"),
    [
        pytest.param("HX_ROTH401K_TAXABLE", 600.0, id="DR-1 600 of income"),
        pytest.param("HX_ROTH401K_PENALTY", 60.0, id="DR-1 / EW-7 10% of 600"),
    ],
)
def test_dr_1_roth_401k_pro_rata(udf, expected):
    """DR-1: 12,000 from 21,850 basis + 1,150 income, non-qualified, at 50, no exception."""
    assert getattr(udfs, udf)(12000, 21850, 23000, "1976-01-01", "2026-06-01") == expected


def test_dr_2_rolled_over_part_is_income_first():
    """DR-2: 14,000 (11,000 basis / 3,000 income), 7,000 rolled over: nothing includible;
    without the rollover the 3,000 of income is."""
    args = (14000, 11000, 14000, "1975-01-01", "2025-06-01", None, "")
    assert udfs.HX_ROTH401K_TAXABLE(*args, 7000) == 0.0
    assert udfs.HX_ROTH401K_PENALTY(*args, 7000) == 0.0
    assert udfs.HX_ROTH401K_TAXABLE(*args) == 3000.0
    assert udfs.HX_ROTH401K_PENALTY(*args) == 300.0
