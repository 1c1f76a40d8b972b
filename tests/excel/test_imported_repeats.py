"""Trades a broker file lists twice are two trades: after an import, the refresh warns "the
same trade as row N" only for a row beyond those the file listed (one the user typed
again), wherever the user has sorted the rows (harvest_xl.excel.imported_copies)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from harvest_xl.excel import layout as L
from harvest_xl.excel.book import OpenpyxlBook
from harvest_xl.excel.headless import refresh_file
from harvest_xl.excel.import_ledger import LEDGER_COLUMNS
from harvest_xl.excel.import_records import PlannedRows
from harvest_xl.excel.import_values import _canonical_other, activity_fingerprint, canonical
from harvest_xl.excel.import_workbook import import_files
from harvest_xl.excel.imported_copies import imported_copies, repeats_beyond_imported

from .import_helpers import HISTORY_HEADER, NOW, csv, d, ledger, table, template, write

ACCOUNT = "Individual - TOD,Z1"
REINVESTED = (
    f"03/16/2026,{ACCOUNT},REINVESTMENT VANGUARD TOTAL BOND (BND) (Cash),BND,FUND,Cash,72.5,"
    "0.4,,,-29,"
)
"""One line of a Fidelity history: 0.4 shares of BND at 72.50 reinvested on 2026-03-16."""
BOUGHT = f"03/02/2026,{ACCOUNT},YOU BOUGHT FUND (VTI) (Cash),VTI,FUND,Cash,250,2,,,-500,"
SAME = "warning: the same trade as row"


def _imported(tmp_path: Path, *lines: str) -> tuple[Path, list[str]]:
    """The template with ``lines`` of a history imported; the path and the refresh's
    problems."""
    history = write(tmp_path, "Accounts_History.csv", csv(HISTORY_HEADER, *lines))
    out = tmp_path / "imported.xlsx"
    report = import_files(template(tmp_path), [history], out, now=NOW)
    assert report.error is None, report.error
    return out, report.problems


def _refreshed(book: Path) -> list[str]:
    report = refresh_file(book, book.with_name("refreshed.xlsx"), now=NOW)
    assert report.error is None, report.error
    return report.problems


def _edit_activity(book: Path, edit: Any) -> None:
    """``edit(rows)`` on the Activity table's data rows (lists of its 8 inputs, in order),
    written back over the same rows and below them, as the user would."""
    workbook = openpyxl.load_workbook(book)
    ws = workbook[L.ACTIVITY]
    rows = [list(line) for line in ws.iter_rows(min_row=2, max_col=8, values_only=True)]
    rows = edit([row for row in rows if any(v is not None for v in row)])
    for number, line in enumerate(rows, start=2):
        for column, value in enumerate(line, start=1):
            ws.cell(number, column).value = value
    workbook.save(book)


def _same_trade(problems: list[str]) -> list[str]:
    return [p for p in problems if SAME in p]


def _typed_twice(row: int, first: int) -> str:
    """The refresh's warning on Activity row ``row``, repeating row ``first``."""
    return (
        f"Activity!A{row} (Date): warning: the same trade as row {first}; both rows are "
        "counted. Fix: delete one row if it was typed twice (two identical trades can be "
        "real: then leave both)"
    )


def test_a_line_the_file_lists_twice_is_two_rows_and_no_warning(tmp_path: Path) -> None:
    """Two identical reinvestment lines become two Activity rows; neither the import's
    refresh nor a later refresh warns that one repeats the other."""
    book, problems = _imported(tmp_path, BOUGHT, REINVESTED, REINVESTED)
    assert table(book, L.ACTIVITY) == [
        (d("2026-03-02"), "Individual - TOD", "BUY", "VTI", 2, 250, None, None),
        (d("2026-03-16"), "Individual - TOD", "BUY", "BND", 0.4, 72.5, None, None),
        (d("2026-03-16"), "Individual - TOD", "BUY", "BND", 0.4, 72.5, None, None),
    ]
    assert _same_trade(problems) == []
    assert _same_trade(_refreshed(book)) == []


def test_the_ledger_marks_only_the_repeated_rows_with_their_digest(tmp_path: Path) -> None:
    """The two BND rows' ledger entries carry one digest (of the values written); the VTI
    row, which nothing repeats, carries none."""
    book, _ = _imported(tmp_path, BOUGHT, REINVESTED, REINVESTED)
    activity = {entry[2]: entry for entry in ledger(book) if entry[1] == L.ACTIVITY}
    assert sorted(activity) == [2, 3, 4]
    assert activity[2][5] is None
    bnd = {
        "Date": d("2026-03-16"), "Account": "Individual - TOD", "Action": "BUY",
        "Ticker": "BND", "Shares": 0.4, "Price": 72.5, "Cost basis": None, "Acquired": None,
    }
    assert activity[3][5] == activity[4][5] == activity_fingerprint(bnd)


def test_a_copy_typed_after_the_import_is_warned_about(tmp_path: Path) -> None:
    """A third BND row typed by the user is one row beyond the two the file listed: one
    warning, on the row typed."""
    book, _ = _imported(tmp_path, BOUGHT, REINVESTED, REINVESTED)
    _edit_activity(book, lambda rows: [*rows, list(rows[1])])
    assert _same_trade(_refreshed(book)) == [_typed_twice(5, 3)]


def test_sorting_the_table_moves_no_warning_on_or_off(tmp_path: Path) -> None:
    """Rows sorted newest first: the two imported BND rows still raise nothing; with a
    typed copy among them, still exactly one warning."""
    book, _ = _imported(tmp_path, BOUGHT, REINVESTED, REINVESTED)
    _edit_activity(book, lambda rows: rows[::-1])
    assert [row[3] for row in table(book, L.ACTIVITY)] == ["BND", "BND", "VTI"]
    assert _same_trade(_refreshed(book)) == []
    _edit_activity(book, lambda rows: [rows[0], rows[2], list(rows[0]), rows[1]])
    assert len(_same_trade(_refreshed(book))) == 1


def test_a_typed_copy_of_a_row_imported_once_is_warned_about(tmp_path: Path) -> None:
    """The VTI purchase was one line of the file: the same row typed again is warned
    about, as any repeated row is."""
    book, _ = _imported(tmp_path, BOUGHT, REINVESTED, REINVESTED)
    _edit_activity(book, lambda rows: [*rows, list(rows[0])])
    assert _same_trade(_refreshed(book)) == [_typed_twice(5, 2)]


def test_a_deleted_ledger_leaves_every_repeat_warned_about(tmp_path: Path) -> None:
    """Without the ledger (the user deleted the sheet), nothing vouches for the two BND
    rows: the second is warned about."""
    book, _ = _imported(tmp_path, BOUGHT, REINVESTED, REINVESTED)
    workbook = openpyxl.load_workbook(book)
    del workbook["Imported"]
    workbook.save(book)
    assert len(_same_trade(_refreshed(book))) == 1


# ------------------------------------------------------------------ the parts, alone


def test_a_group_stands_for_as_many_rows_as_the_ledger_counts() -> None:
    """Rows 2, 5, 9 alike and the ledger counting two of them: row 9 keeps its warning;
    counting none: rows 5 and 9; counting three or more: none. Rows 3 and 4 alike with
    another digest, not counted: row 4 keeps its warning."""
    values = {2: {"Ticker": "A"}, 5: {"Ticker": "A"}, 9: {"Ticker": "A"}, 3: {"Ticker": "B"}}
    a = activity_fingerprint({"Ticker": "A"})
    repeats = [(4, 3), (5, 2), (9, 2)]
    values[4] = values[3]

    def left(count: int) -> list[tuple[int | None, int | None]]:
        copies = Counter({a: count}) if count else Counter()
        return repeats_beyond_imported(repeats, values.__getitem__, lambda: copies)

    assert left(2) == [(4, 3), (9, 2)]
    assert left(0) == [(4, 3), (5, 2), (9, 2)]
    assert left(3) == left(7) == [(4, 3)]
    assert repeats_beyond_imported(
        [(5, 2), (4, 3), (9, 2)], values.__getitem__, lambda: Counter({a: 2})
    ) == [(4, 3), (9, 2)]  # in the order given


def test_the_ledger_is_read_only_when_a_row_repeats_another() -> None:
    """No repeat: the ledger is not read at all."""

    def unread() -> Counter[str]:
        raise AssertionError("the ledger was read")

    assert repeats_beyond_imported([], lambda row: {}, unread) == []


def test_mark_repeats_marks_the_repeated_plain_rows_only() -> None:
    """Rows 0 and 2 alike and rows 1, 3 and 4 alike get their group's digest; row 5,
    alone, none; the count says five rows were marked."""
    rows = PlannedRows(L.ACTIVITY)
    for n, ticker in enumerate(["A", "B", "A", "B", "B", "C"]):
        rows.add({"Ticker": ticker, "Shares": 1}, f"key-{n}", f"f.csv, line {n + 2}")
    assert rows.mark_repeats(L.ACTIVITY_COLUMNS, activity_fingerprint) == 5
    digests = rows.entry_columns()[5]
    a = activity_fingerprint({"Ticker": "A", "Shares": 1})
    b = activity_fingerprint({"Ticker": "B", "Shares": 1})
    assert digests == [a, b, a, b, b, None]
    assert a != b
    assert [row.entry.fingerprint for row in rows] == digests


_CELL_VALUES = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(min_value=-(10**17), max_value=10**17),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(),
)


@given(_CELL_VALUES)
def test_canonical_by_exact_type_agrees_with_the_general_rules(value: object) -> None:
    """None, text, whole numbers, floats, dates and datetimes read by their exact type
    give the very text the general rules (blank test, float to 15 digits, date) give."""
    assert canonical(value) == _canonical_other(value)


@pytest.mark.parametrize("value", [True, None, "   ", 0.0, -0.0])
def test_canonical_of_edge_values(value: object) -> None:
    """A bool, a blank and both zeros read as the general rules say."""
    assert canonical(value) == _canonical_other(value)


@pytest.mark.parametrize("order", ["new line last", "new line first"])
def test_a_later_export_listing_a_line_once_more_adds_that_trade(tmp_path: Path, order) -> None:
    """An export listed the reinvestment once; a later, overlapping one lists it twice (a
    second reinvestment came after the first download): the second is a trade of its own,
    added as a row, never taken for the row the first import wrote. (Nothing vouches for
    the pair, written by two imports: the repeat is warned about, once.)"""
    early = write(tmp_path, "early.csv", csv(HISTORY_HEADER, BOUGHT, REINVESTED))
    lines = [REINVESTED, BOUGHT, REINVESTED] if order == "new line first" else [
        BOUGHT, REINVESTED, REINVESTED
    ]
    late = write(tmp_path, "late.csv", csv(HISTORY_HEADER, *lines))
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    assert import_files(template(tmp_path), [early], first, now=NOW).error is None
    report = import_files(first, [late], second, now=NOW)
    assert report.error is None, report.error
    assert [row[3] for row in table(second, L.ACTIVITY)] == ["VTI", "BND", "BND"]
    assert report.outcomes[0].added[L.ACTIVITY] == 1
    assert report.outcomes[0].present[L.ACTIVITY] == 2
    assert len(_same_trade(report.problems)) == 1
    again = import_files(second, [late], tmp_path / "third.xlsx", now=NOW)
    assert again.error is None and again.changes == 0


def test_only_the_ledgers_activity_digests_are_counted() -> None:
    """imported_copies counts the Activity entries carrying a digest (not a Holdings
    entry's, not an entry without one); a sheet named Imported that is not the ledger
    counts nothing."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Imported"
    ws.append(list(LEDGER_COLUMNS))
    ws.append(["k1", "Activity", 3, "f.csv, line 2", None, "d1", None, None])
    ws.append(["k2", "Activity", 4, "f.csv, line 3", None, "d1", None, None])
    ws.append(["k3", "Activity", 5, "f.csv, line 4", None, None, None, None])
    ws.append(["k4", "Holdings", 2, "g.csv, line 2", "h", "d1", None, None])
    assert imported_copies(OpenpyxlBook(workbook)) == Counter({"d1": 2})
    ws["A1"] = "My notes"
    assert imported_copies(OpenpyxlBook(workbook)) == Counter()
