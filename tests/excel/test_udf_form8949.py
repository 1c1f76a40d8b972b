"""HX_FORM8949: the tax year's Form 8949 rows from the Activity and Accounts tables.

The tables are handed over as Excel hands ``Activity[#All]`` and ``Accounts[#All]``: header
row first, numbers as floats, dates as ``date``. Expected rows are typed in from RY-1 and
RY-2 (realized-year.md §3); one test checks that the function and the refreshed Form 8949
sheet show the same cells (one shaping for both, results.form8949_table).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from harvest_xl import udfs
from harvest_xl.excel import layout as L
from harvest_xl.excel.headless import refresh_file

from .test_form8949_sheet import ACCOUNTS, ACTIVITY, PROFILE, household

ACTIVITY_HEADER = list(L.TABLE_INPUTS[L.ACTIVITY])
ACCOUNTS_HEADER = list(L.TABLE_INPUTS[L.ACCOUNTS])
HEADER = [
    "Part", "Box", "Description", "Date acquired", "Date sold", "Proceeds", "Cost basis",
    "Code", "Adjustment", "Gain or loss", "Account", "Activity row", "Notes",
]  # fmt: skip


def excel_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """Cells as Excel hands them to a UDF: numbers as floats."""
    return [[float(v) if isinstance(v, int) else v for v in row] for row in rows]


def activity(*rows: list[Any]) -> list[list[Any]]:
    return [ACTIVITY_HEADER, *excel_rows(list(rows))]


ACCOUNTS_TABLE = [ACCOUNTS_HEADER, *excel_rows(ACCOUNTS)]
RY2 = [
    [date(2025, 11, 3), "Brokerage", "BUY", "XYZ", 100, 50, None, None],
    [date(2026, 3, 10), "Brokerage", "SELL", "XYZ", 100, 40, 5000, date(2025, 11, 3)],
    [date(2026, 3, 20), "IRA", "BUY", "XYZ", 100, 41, None, None],
]


def test_ry2_gives_one_w_row_lost_for_good() -> None:
    """RY-2 from the tables: the header, then Part I box A, W 1,000, (h) 0, Activity row 3,
    noted lost for good in the IRA."""
    assert udfs.HX_FORM8949(activity(*RY2), ACCOUNTS_TABLE) == [
        HEADER,
        ["I", "A", "100 sh XYZ", date(2025, 11, 3), date(2026, 3, 10), 4000.0, 5000.0, "W",
         1000.0, 0.0, "Brokerage", 3, "replacement in an IRA: lost for good"],
    ]  # fmt: skip


def test_basis_reported_no_puts_the_row_in_box_b() -> None:
    """The Accounts table's Basis reported = No (the old broker) gives box B, not A."""
    accounts = [ACCOUNTS_HEADER, ["Brokerage", "Taxable", None, None, None, None, "No"]]
    rows = udfs.HX_FORM8949(activity(*RY2[:2]), accounts)
    assert [(r[0], r[1]) for r in rows[1:]] == [("I", "B")]


def test_the_function_shows_what_the_refreshed_sheet_shows(tmp_path: Path) -> None:
    """For the same tables, HX_FORM8949 and the Form 8949 sheet after a refresh hold the
    same cells (the sheet's dates read back as datetimes). The function has no as-of date:
    Activity covers the days up to its last trade, so the Profile's is set to that day."""
    book = tmp_path / "book.xlsx"
    household({**PROFILE, "As-of date": date(2026, 6, 1)}).save(book)
    report = refresh_file(book, tmp_path / "out.xlsx")
    assert report.target is not None
    ws = openpyxl.load_workbook(report.target, data_only=True)[L.FORM_8949]
    sheet = [
        [v.date() if isinstance(v, datetime) else v for v in row]
        for row in ws.iter_rows(min_row=L.OUTPUT_HEADER_ROW, values_only=True)
        if any(v is not None for v in row)
    ]
    assert udfs.HX_FORM8949(activity(*ACTIVITY), ACCOUNTS_TABLE, None, 2026) == sheet


def test_the_year_defaults_to_the_latest_sale() -> None:
    """Without a year, the rows of the year of the last sale; another year is asked for."""
    trades = [*RY2[:2], [date(2027, 2, 1), "Brokerage", "SELL", "XYZ", 1, 60, 50, date(2026, 1, 2)]]
    latest = udfs.HX_FORM8949(activity(*trades), ACCOUNTS_TABLE)
    assert [r[4] for r in latest[1:]] == [date(2027, 2, 1)]
    earlier = udfs.HX_FORM8949(activity(*trades), ACCOUNTS_TABLE, None, 2026.0)
    assert [r[4] for r in earlier[1:]] == [date(2026, 3, 10)]


def test_no_sale_gives_the_header_only() -> None:
    """Purchases only: nothing to report, the header row alone."""
    assert udfs.HX_FORM8949(activity(RY2[0]), ACCOUNTS_TABLE) == [HEADER]


def test_a_bad_row_is_listed_below_and_the_rest_computed() -> None:
    """A trade in an account missing from Accounts is listed in the Notes column under the
    rows; the good trades still give their row."""
    bad = [date(2026, 3, 21), "Nowhere", "BUY", "XYZ", 5, 41, None, None]
    rows = udfs.HX_FORM8949(activity(*RY2, bad), ACCOUNTS_TABLE)
    assert [r[2] for r in rows[1:-1]] == ["100 sh XYZ"]
    assert rows[-1] == [None] * 12 + [
        "#VALUE! Activity row 5, Account: 'Nowhere' is not on the Accounts sheet"
    ]


def test_unknown_basis_is_a_flagged_row() -> None:
    """A FIFO sale of shares Activity never shows bought: a row with no basis and no gain,
    noted basis unknown (never a zero basis)."""
    rows = udfs.HX_FORM8949(
        activity([date(2026, 4, 1), "Brokerage", "SELL", "QQQ", 10, 400, None, None]),
        ACCOUNTS_TABLE,
    )
    assert rows[1] == [None, None, "10 sh QQQ", None, date(2026, 4, 1), 4000.0, None, None,
                       None, None, "Brokerage", 2, "basis unknown"]  # fmt: skip


def test_bad_arguments_give_one_error_value() -> None:
    """A year that is no number, or an Accounts range without its header: one cell."""
    assert udfs.HX_FORM8949(activity(*RY2), ACCOUNTS_TABLE, None, "next") == [
        ["#VALUE! year: 'next' is not a number"]
    ]
    assert udfs.HX_FORM8949(activity(*RY2), [["Brokerage", "Taxable"]]) == [
        ["#VALUE! accounts: has no 'Account' column in its header row"]
    ]
