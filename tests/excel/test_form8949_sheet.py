"""The Form 8949 sheet and the Summary's realized-year rows, written by Refresh (issue 17).

A small household typed into the template: RY-1's trades in a taxable account whose broker
reports basis by the covered-security rule (blank *Basis reported*), a FIFO gain in an old
account whose broker reports no basis (*Basis reported* = No: box E), and a Profile that
counts Activity's sales on top of realized gains typed for outside Activity. Every expected
cell is typed in here from the reference's RY-1 rows and worked by hand.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from harvest_xl.demo import fill_workbook
from harvest_xl.engine.form8949 import FORM_8949_HEADERS
from harvest_xl.excel import layout as L
from harvest_xl.excel.book import OpenpyxlBook
from harvest_xl.excel.headless import refresh_file
from harvest_xl.excel.refresh import refresh_workbook
from harvest_xl.excel.template import build_template

PROFILE: dict[str, Any] = {
    "Tax year": 2026,
    "Filing status": "Single",
    "Ordinary income": 90000,
    "Realized short-term gains": 1000,
    "Realized long-term gains": 500,
    "As-of date": date(2026, 12, 31),
    "Count Activity sales": "Yes",
}
ACCOUNTS = [
    ["Brokerage", "Taxable", "self", None, None, None, None],
    ["Old broker", "Taxable", "self", None, None, None, "No"],
    ["IRA", "Traditional IRA", "self", None, None, None, None],
]
ACTIVITY = [
    # RY-1 (rows 2-5) and a FIFO long-term gain of 500 at the old broker (rows 6-7).
    [date(2025, 11, 3), "Brokerage", "BUY", "XYZ", 100, 50, None, None],
    [date(2026, 3, 10), "Brokerage", "SELL", "XYZ", 100, 40, 5000, date(2025, 11, 3)],
    [date(2026, 3, 20), "Brokerage", "BUY", "XYZ", 100, 41, None, None],
    [date(2026, 6, 1), "Brokerage", "SELL", "XYZ", 100, 43, 4100, date(2026, 3, 20)],
    [date(2024, 1, 10), "Old broker", "BUY", "ABC", 10, 100, None, None],
    [date(2026, 2, 2), "Old broker", "SELL", "ABC", 10, 150, None, None],
]
HOLDINGS = [["Brokerage", "VXUS", 100, date(2025, 1, 6), 6000, 55]]
EXPECTED_ROWS = [
    ["I", "A", "100 sh XYZ", datetime(2025, 11, 3), datetime(2026, 3, 10), 4000, 5000, "W",
     1000, 0, "Brokerage", 3, None],
    ["I", "A", "100 sh XYZ", datetime(2025, 11, 13), datetime(2026, 6, 1), 4300, 5100, None,
     None, -800, "Brokerage", 5, None],
    ["II", "E", "10 sh ABC", datetime(2024, 1, 10), datetime(2026, 2, 2), 1500, 1000, None,
     None, 500, "Old broker", 7, "lot relieved FIFO"],
]  # fmt: skip


def household(profile: dict[str, Any] | None = None) -> openpyxl.Workbook:
    wb = build_template()
    fill_workbook(
        wb,
        {L.ACCOUNTS: ACCOUNTS, L.ACTIVITY: ACTIVITY, L.HOLDINGS: HOLDINGS},
        PROFILE if profile is None else profile,
    )
    return wb


def sheet_rows(path: Path) -> list[list[Any]]:
    ws = openpyxl.load_workbook(path, data_only=True)[L.FORM_8949]
    rows = ws.iter_rows(min_row=L.OUTPUT_HEADER_ROW + 1, values_only=True)
    return [list(r) for r in rows if any(v is not None for v in r)]


def summary(path: Path) -> dict[str, Any]:
    ws = openpyxl.load_workbook(path, data_only=True)[L.SUMMARY]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("form8949")
    book = folder / "book.xlsx"
    household().save(book)
    report = refresh_file(book, folder / "out.xlsx")
    assert report.error is None and report.problems == []
    assert report.target is not None
    return report.target


def test_the_sheet_has_the_public_header_row() -> None:
    """Row 4 of the template's Form 8949 sheet: the form's eleven public names, then the
    Activity row and the notes."""
    ws = build_template()[L.FORM_8949]
    header = [c.value for c in ws[L.OUTPUT_HEADER_ROW] if c.value is not None]
    assert header == [
        "Part", "Box", "Description", "Date acquired", "Date sold", "Proceeds", "Cost basis",
        "Code", "Adjustment", "Gain or loss", "Account", "Activity row", "Notes",
    ]  # fmt: skip
    assert tuple(header[:11]) == FORM_8949_HEADERS


def test_new_templates_count_activity_sales_and_ask_for_basis_reported() -> None:
    """The template says Yes to Count Activity sales and has the Basis reported column."""
    wb = build_template()
    assert wb[L.PROFILE].cell(L.PROFILE_ROWS["Count Activity sales"], 2).value == "Yes"
    header = [c.value for c in wb[L.ACCOUNTS][1]]
    assert header[-1] == "Basis reported"


def test_refresh_writes_one_row_per_lot_sold_in_the_forms_order(refreshed: Path) -> None:
    """RY-1's two rows in box A (W 1,000 then (800) with 127 days tacked), the old broker's
    FIFO gain in box E (No: basis not reported), each with its Activity row."""
    assert sheet_rows(refreshed) == EXPECTED_ROWS


def test_the_line_above_the_rows_gives_the_part_totals(refreshed: Path) -> None:
    """Row 3: the count and the (h) totals of Part I and Part II."""
    ws = openpyxl.load_workbook(refreshed, data_only=True)[L.FORM_8949]
    assert ws["A3"].value == (
        "Tax year 2026: 3 row(s). Part I (short-term) -$800.00, Part II (long-term) $500.00 "
        "(column (h), Schedule D lines 1b-3 and 8b-10)."
    )


def test_summary_shows_the_realized_year(refreshed: Path) -> None:
    """Part I (800), Part II 500; with the 1,000 / 500 realized outside Activity: line 7
    200, line 15 1,000, line 16 1,200, line 21 0, nothing carried over; the rows come just
    before the Refreshed stamp."""
    values = summary(refreshed)
    assert [values[label] for label in L.REALIZED_SUMMARY_ROWS] == [
        -800, 500, 200, 1000, 1200, 0, 0, 0, 0
    ]
    labels = list(values)  # in row order
    assert labels.index("Refreshed") == labels.index(L.REALIZED_SUMMARY_ROWS[-1]) + 1


def test_the_realized_year_is_the_return_the_savings_start_from(refreshed: Path) -> None:
    """Counting Activity's sales, the Summary's 'without harvesting' return has the realized
    year's Schedule D: Yes makes the savings start from what Form 8949 reports."""
    wb = household()
    result = refresh_workbook(OpenpyxlBook(wb))
    assert result.portfolio is not None and result.realized is not None
    before = result.portfolio.summary.before.schedule_d
    report = result.realized.schedule_d
    assert (before.line_7, before.line_15, before.line_16) == (
        report.line_7,
        report.line_15,
        report.line_16,
    )


def test_a_second_refresh_replaces_the_rows() -> None:
    """Rows from an earlier refresh are cleared when the Activity has fewer sales."""
    wb = household()
    book = OpenpyxlBook(wb)
    refresh_workbook(book)
    ws = wb[L.ACTIVITY]
    for row in ws.iter_rows(min_row=L.FIRST_DATA_ROW):
        for cell in row:
            cell.value = None
    refresh_workbook(OpenpyxlBook(wb))
    rows = wb[L.FORM_8949].iter_rows(min_row=L.OUTPUT_HEADER_ROW + 1, values_only=True)
    assert [r for r in rows if any(v is not None for v in r)] == []
    assert wb[L.FORM_8949]["A3"].value.startswith("Tax year 2026: 0 row(s).")


def test_without_a_profile_the_sheet_says_why() -> None:
    """A Profile that cannot be read (no tax year): no rows, and row 3 says what to fix."""
    wb = household({**PROFILE, "Tax year": None})
    refresh_workbook(OpenpyxlBook(wb))
    assert wb[L.FORM_8949]["A3"].value.startswith("No Form 8949: fix the Profile problems")


def test_an_older_workbook_without_the_sheet_refreshes(tmp_path: Path) -> None:
    """A workbook made before the sheet existed (no Form 8949 sheet, no Count Activity sales
    key) refreshes without a problem; its Summary is written as before."""
    wb = household({k: v for k, v in PROFILE.items() if k != "Count Activity sales"})
    del wb[L.FORM_8949]
    ws = wb[L.PROFILE]
    ws.cell(L.PROFILE_ROWS["Count Activity sales"], 1).value = None
    ws.cell(L.PROFILE_ROWS["Count Activity sales"], 2).value = None
    buffer = io.BytesIO()
    wb.save(buffer)
    book = tmp_path / "old.xlsx"
    book.write_bytes(buffer.getvalue())
    report = refresh_file(book, tmp_path / "out.xlsx")
    assert report.error is None and report.problems == []
    assert L.FORM_8949 not in openpyxl.load_workbook(tmp_path / "out.xlsx").sheetnames


def test_not_counting_keeps_the_profiles_figures_in_the_savings() -> None:
    """Count Activity sales = No: the 'without harvesting' return uses the realized figures
    as typed (1,000 / 500), not Activity's; the Form 8949 sheet is written all the same."""
    wb = household({**PROFILE, "Count Activity sales": "No"})
    result = refresh_workbook(OpenpyxlBook(wb))
    assert result.portfolio is not None
    before = result.portfolio.summary.before.schedule_d
    assert (before.line_7, before.line_15) == (1000, 500)
    rows = wb[L.FORM_8949].iter_rows(min_row=L.OUTPUT_HEADER_ROW + 1, values_only=True)
    assert len([r for r in rows if r[0] is not None]) == 3


# ------------------------------------------- the Profile-range functions count it too

def _profile_range(profile: dict[str, Any]) -> list[list[Any]]:
    return [["Setting", "Value"], *([k, v] for k, v in profile.items())]


TABLES = {
    "activity": [list(L.ACTIVITY_COLUMNS), *ACTIVITY],
    "accounts": [list(L.ACCOUNTS_COLUMNS), *ACCOUNTS],
    "securities": [list(L.SECURITIES_COLUMNS)],
}
WITH_BIRTH = {**PROFILE, "Birth date": date(1970, 5, 1)}
TYPED = {
    **WITH_BIRTH,
    "Count Activity sales": "No",
    # Activity's year by hand (EXPECTED_ROWS, column (h)): short-term 0 - 800, long-term
    # 500; added to the figures typed for outside Activity (1,000 and 500).
    "Realized short-term gains": 1000 - 800,
    "Realized long-term gains": 500 + 500,
}


def test_profile_range_functions_count_activitys_sales_when_given_the_tables() -> None:
    """HX_SAVING, HX_PROFILE_TAX and HX_WITHDRAWAL_COST given Activity, Accounts and
    Securities with Count Activity sales = Yes give what they give on a Profile whose
    realized figures include Activity's year typed by hand: the same return as Holdings."""
    from harvest_xl import udfs

    counted, typed = _profile_range(WITH_BIRTH), _profile_range(TYPED)
    tables = (TABLES["activity"], TABLES["accounts"], TABLES["securities"])
    assert udfs.HX_SAVING(3000, "Short-term", counted, *tables) == udfs.HX_SAVING(
        3000, "Short-term", typed
    )
    assert udfs.HX_PROFILE_TAX(counted, 0, 0, 0, *tables) == udfs.HX_PROFILE_TAX(typed)
    withdrawal = ("IRA", 20000, date(1970, 5, 1), date(2026, 12, 1))
    assert udfs.HX_WITHDRAWAL_COST(*withdrawal, counted, "", *tables) == (
        udfs.HX_WITHDRAWAL_COST(*withdrawal, typed)
    )
    # and the tables matter: without them the Profile's outside figures alone are used
    assert udfs.HX_PROFILE_TAX(counted) != udfs.HX_PROFILE_TAX(typed)


def test_not_counting_the_tables_change_nothing() -> None:
    """Count Activity sales = No (or absent): the tables are not read into the return."""
    from harvest_xl import udfs

    profile = _profile_range({**WITH_BIRTH, "Count Activity sales": "No"})
    tables = (TABLES["activity"], TABLES["accounts"], TABLES["securities"])
    assert udfs.HX_PROFILE_TAX(profile, 0, 0, 0, *tables) == udfs.HX_PROFILE_TAX(profile)
    assert udfs.HX_SAVING(3000, "Long-term", profile, *tables) == udfs.HX_SAVING(
        3000, "Long-term", profile
    )


def test_a_bad_trade_row_is_the_functions_error() -> None:
    """A bad Activity row is named, not silently left out of the return; Activity without
    Accounts says Accounts is needed."""
    from harvest_xl import udfs

    bad = [list(L.ACTIVITY_COLUMNS), [*ACTIVITY[0][:4], "ten", *ACTIVITY[0][5:]]]
    counted = _profile_range(WITH_BIRTH)
    assert udfs.HX_PROFILE_TAX(counted, 0, 0, 0, bad, TABLES["accounts"]) == (
        "#VALUE! activity: Activity row 2, Shares: 'ten' is not a number"
    )
    message = udfs.HX_SAVING(3000, "Long-term", counted, TABLES["activity"])
    assert message.startswith("#VALUE! accounts: is needed with activity")


def test_the_withdrawal_sheet_counts_activitys_sales() -> None:
    """Refreshed, the Withdrawal sheet's six costs are HX_WITHDRAWAL_COST's given the
    tables (its formula passes them), and differ from the Profile-only cost. By hand (2026
    single: standard deduction 16,100, 22% up to 105,700): with the withdrawal, ordinary
    taxable income is 90,000 + 31,000 + 1,000 - 16,100 = 105,900 on the Profile alone, 200
    of it at 24%; counting Activity's $800 short-term loss it is 105,100, none at 24%: the
    extra income tax is 200 x 2% = $4 less."""
    from harvest_xl import udfs
    from harvest_xl.excel import formulas as F

    wb = household(WITH_BIRTH)
    wb[L.WITHDRAWAL].cell(F.WITHDRAWAL_INPUT_ROW + 1, 2).value = 31000  # Amount
    book = OpenpyxlBook(wb)
    refresh_workbook(book)
    first = F.WITHDRAWAL_COST_FIRST_ROW
    shown = [
        book.results[(L.WITHDRAWAL, first + i, 2)] for i in range(len(F.WITHDRAWAL_COST_ROWS))
    ]
    inputs = ("Traditional 401(k)", 31000, date(1970, 5, 1), PROFILE["As-of date"])
    counted = _profile_range(WITH_BIRTH)
    tables = (TABLES["activity"], TABLES["accounts"], TABLES["securities"])
    expected = udfs.HX_WITHDRAWAL_COST(*inputs, counted, "", *tables)
    assert shown == [row[0] for row in expected]
    profile_only = udfs.HX_WITHDRAWAL_COST(*inputs, counted)
    assert profile_only[0][0] - expected[0][0] == 4.0  # extra income tax
