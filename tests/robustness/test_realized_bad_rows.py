"""Bad Activity rows and the realized year: each named by sheet, row and column, and every
other sale still on the Form 8949 sheet (issue 17's list).

The household is tests/excel/test_form8949_sheet.py's: RY-1's four trades (rows 2-5) and a
FIFO gain at an old broker (rows 6-7), three Form 8949 rows. Each case changes one thing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from harvest_xl.excel import layout as L
from harvest_xl.excel.book import OpenpyxlBook
from harvest_xl.excel.refresh import refresh_workbook

from ..excel.test_form8949_sheet import ACTIVITY, household

XYZ_LOSS, XYZ_REPLACEMENT, ABC_GAIN = ("100 sh XYZ", 3), ("100 sh XYZ", 5), ("10 sh ABC", 7)


def refreshed(activity: list[list[Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The problems (as the Summary lists them) and the Form 8949 sheet's (description,
    Activity row, notes) after refreshing the household with ``activity``."""
    wb = household()
    ws = wb[L.ACTIVITY]
    for row in ws.iter_rows(min_row=L.FIRST_DATA_ROW):
        for cell in row:
            cell.value = None
    for i, values in enumerate(activity):
        for j, value in enumerate(values, start=1):
            ws.cell(L.FIRST_DATA_ROW + i, j).value = value
    result = refresh_workbook(OpenpyxlBook(wb))
    sheet = wb[L.FORM_8949].iter_rows(min_row=L.OUTPUT_HEADER_ROW + 1, values_only=True)
    rows = [(r[2], r[11], r[12]) for r in sheet if r[2] is not None]
    return [str(p) for p in result.problems], rows


def changed(row: int, column: str, value: Any) -> list[list[Any]]:
    """The household's Activity with one cell changed (``row`` as the worksheet numbers)."""
    activity = [list(r) for r in ACTIVITY]
    activity[row - L.FIRST_DATA_ROW][L.ACTIVITY_COLUMNS.index(column)] = value
    return activity


def only(rows: list[tuple[Any, ...]]) -> list[tuple[str, int]]:
    return [(description, row) for description, row, _ in rows]


def test_the_household_has_no_problem() -> None:
    """The baseline: three rows, nothing to fix."""
    problems, rows = refreshed(ACTIVITY)
    assert problems == []
    assert only(rows) == [XYZ_LOSS, XYZ_REPLACEMENT, ABC_GAIN]


def test_a_sale_of_more_shares_than_bought() -> None:
    """A FIFO SELL of 5 more ABC than were bought: named at its Shares cell; its row is on
    Form 8949 flagged 'basis unknown'; the other rows are unchanged."""
    extra = [date(2026, 3, 1), "Old broker", "SELL", "ABC", 5, 150, None, None]
    problems, rows = refreshed([*ACTIVITY, extra])
    assert problems == [
        "Activity!E8 (Shares): sells 5 ABC on 2026-03-01, but Activity shows only 0 bought in "
        "Old broker before the sale: 5 have an unknown basis (their Form 8949 row says so and "
        "Schedule D leaves it out). Fix: add the missing purchase to Activity, or type the "
        "sold lot's Cost basis and Acquired on this row (from the broker's 1099-B)"
    ]
    assert rows[-1] == ("5 sh ABC", 8, "basis unknown")
    assert only(rows)[:3] == [XYZ_LOSS, XYZ_REPLACEMENT, ABC_GAIN]


def test_a_sale_before_its_lots_acquisition() -> None:
    """RY-1's loss sale naming a lot acquired the day after the sale: named at its Acquired
    cell and left out; the replacement, no longer washed, and the ABC gain stay."""
    problems, rows = refreshed(changed(3, "Acquired", date(2026, 3, 11)))
    assert len(problems) == 1 and problems[0].startswith(
        "Activity!H3 (Acquired): 2026-03-11 is after the sale 2026-03-10."
    )
    assert only(rows) == [XYZ_REPLACEMENT, ABC_GAIN]


def test_negative_proceeds() -> None:
    """A negative price on the ABC sale: named at its Price cell, that sale left out, RY-1's
    rows still there."""
    problems, rows = refreshed(changed(7, "Price", -150))
    assert len(problems) == 1 and problems[0].startswith("Activity!F7 (Price): -150 is negative.")
    assert only(rows) == [XYZ_LOSS, XYZ_REPLACEMENT]


def test_a_duplicate_sale_row() -> None:
    """The ABC sale typed twice: a warning at the second row's Date (both are counted), and
    the second sale finds no shares left: named at its Shares cell, flagged on Form 8949."""
    problems, rows = refreshed([*ACTIVITY, list(ACTIVITY[-1])])
    assert [p.split(":")[0] for p in problems] == ["Activity!A8 (Date)", "Activity!E8 (Shares)"]
    assert "warning: the same trade as row 7" in problems[0]
    assert only(rows) == [XYZ_LOSS, XYZ_REPLACEMENT, ABC_GAIN, ("10 sh ABC", 8)]


@pytest.mark.parametrize("cell", [("Shares", "ten"), ("Date", "yesterday")])
def test_an_unreadable_cell_leaves_only_its_sale_out(cell: tuple[str, Any]) -> None:
    """Text where a number or date belongs on the ABC sale: one problem, RY-1's rows stay."""
    column, value = cell
    problems, rows = refreshed(changed(7, column, value))
    assert len(problems) == 1 and f"({column})" in problems[0]
    assert only(rows) == [XYZ_LOSS, XYZ_REPLACEMENT]
