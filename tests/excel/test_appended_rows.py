"""Rows an import appends as plain values (harvest_xl.excel.appended_rows) read, refresh and
save exactly as the same values written into openpyxl cells would."""

from __future__ import annotations

import io
import zipfile
from copy import copy
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.styles import Font
from openpyxl.styles.cell_style import StyleArray

from harvest_xl.excel.appended_rows import (
    MAX_TEXT,
    AppendedRows,
    RowBlock,
    block_of_columns,
    column_styles,
    data_type,
    stored_text,
    stored_texts,
    variants,
)
from harvest_xl.excel.book import OpenpyxlBook
from harvest_xl.excel.formula_text import set_cell_text
from harvest_xl.excel.import_tables import new_cell
from harvest_xl.excel.import_workbook import merge_into, refresh_imported
from harvest_xl.excel.safe_read import load_workbook_safely, read_package_safely
from harvest_xl.excel.sheet_writer import save_with_values
from harvest_xl.importers import read_file

from .import_helpers import DEMO_BROKERS, DEMO_FILES, HISTORY_HEADER, NOW, csv, template, write

ODD_ACCOUNTS = ("=SUM(1)", "-Joint", "+Trust", "@Home", "#N/A", "Plain")
"""Account names a broker file may hold that a cell must keep as text (a formula trigger,
an error code's text)."""


def _odd_history(folder: Path) -> Path:
    rows = []
    for n, name in enumerate(ODD_ACCOUNTS):
        day = f"03/{n + 2:02d}/2026"
        rows.append(
            f'{day},"{name}",X{n},YOU BOUGHT VTI (Cash),VTI,FUND,Cash,{100 + n}.25,{n + 1},,,'
            f"-{(n + 1) * (100 + n)},"
        )
    return write(folder, "Accounts_History.csv", csv(HISTORY_HEADER, *rows))


def _cells_instead(workbook: openpyxl.Workbook, appended: AppendedRows) -> None:
    """Every appended value written into an openpyxl cell of its column's style, as a user's
    value is written (text never becomes a formula); the blocks are emptied."""
    for sheet, blocks in appended.blocks.items():
        ws = workbook[sheet]
        for block in blocks:
            for row, column, value in block.items():
                cell = ws.cell(row, column)
                style = block.style(column, "plain")
                if style is not None:
                    cell._style = copy(style)
                set_cell_text(cell, value)
    appended.blocks.clear()


def _imported(book: Path, files: list[Path], as_cells: bool) -> dict[str, bytes]:
    package = read_package_safely(book)
    workbook = load_workbook_safely(package)
    appended = AppendedRows()
    merge_into(workbook, [read_file(f) for f in files], None, appended)
    assert appended.blocks  # the import did append values
    if as_cells:
        _cells_instead(workbook, appended)
    adapter, _ = refresh_imported(workbook, package, NOW, appended)
    data = save_with_values(workbook, adapter.results, adapter.appended)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name != "docProps/core.xml"  # the save time
        }


def _unformatted_dates(book: Path) -> None:
    """The Activity table's Date and Acquired columns in the General format."""
    workbook = openpyxl.load_workbook(book)
    for column in ("A", "H"):
        workbook["Activity"][f"{column}2"].number_format = "General"
    workbook.save(book)


@pytest.mark.parametrize("which", ["demo", "odd text", "dates in a General column"])
def test_appended_values_refresh_and_save_as_cells_holding_them(tmp_path: Path, which) -> None:
    """An import refreshed and saved from appended values gives the very same package, part
    by part and byte by byte, as when every value is first written into an openpyxl cell."""
    book = template(tmp_path)
    if which == "odd text":
        files = [_odd_history(tmp_path)]
    else:
        files = [DEMO_BROKERS / name for name in DEMO_FILES]
    if which == "dates in a General column":
        _unformatted_dates(book)
    values = _imported(book, files, as_cells=False)
    cells = _imported(book, files, as_cells=True)
    assert values.keys() == cells.keys()
    for name in cells:
        assert values[name] == cells[name], name


def test_odd_text_reads_back_as_the_text_the_file_held(tmp_path: Path) -> None:
    """Formula triggers and error codes' text stay text (or an error cell for '#N/A', as a
    cell given that text is), with the quote prefix Excel gives typed text."""
    book = template(tmp_path)
    package = read_package_safely(book)
    workbook = load_workbook_safely(package)
    appended = AppendedRows()
    merge_into(workbook, [read_file(_odd_history(tmp_path))], None, appended)
    adapter, _ = refresh_imported(workbook, package, NOW, appended)
    data = save_with_values(workbook, adapter.results, adapter.appended)
    ws = openpyxl.load_workbook(io.BytesIO(data))["Activity"]
    accounts = {ws.cell(row, 2).value: ws.cell(row, 2) for row in range(2, ws.max_row + 1)}
    assert accounts.keys() == set(ODD_ACCOUNTS)
    assert accounts["=SUM(1)"].data_type == "s" and accounts["=SUM(1)"].quotePrefix
    assert accounts["-Joint"].quotePrefix and not accounts["Plain"].quotePrefix
    assert accounts["#N/A"].data_type == "e"
    assert ws.cell(2, 1).number_format == "yyyy-mm-dd"


def test_the_book_reads_a_block_among_the_sheets_cells() -> None:
    """A block's values read where they stand, around the cells of the same rows; a None in
    a block is no value, and the sheet's cells keep theirs."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Sheet"
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = "Date", "Name", "Note", "Amount"
    ws["C3"] = "typed"
    appended = AppendedRows()
    appended.add("Sheet", RowBlock(2, (1, 2, 4), [(date(2026, 1, 2), "a", 1.5), (None, "b", 2)]))
    appended.add("Sheet", RowBlock(4, (2,), [("c",)]))
    block = OpenpyxlBook(workbook, appended).read_block("Sheet")
    assert [list(line) for line in block.values] == [
        ["Date", "Name", "Note", "Amount"],
        [date(2026, 1, 2), "a", None, 1.5],
        [None, "b", "typed", 2],
        [None, "c", None, None],
    ]


def test_blocks_side_by_side_in_the_same_rows_read_together() -> None:
    """Two blocks of neighbouring columns in the same rows (the later one with a None: no
    value there) read as one row each, around a cell typed in the same rows."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Sheet"
    ws["A1"], ws["E1"] = "head", "end"
    ws["A3"] = "typed"
    appended = AppendedRows()
    appended.add("Sheet", RowBlock(2, (2, 3), [("b2", "c2"), ("b3", "c3")]))
    appended.add("Sheet", RowBlock(2, (4, 5), [("d2", None), (None, "e3")]))
    block = OpenpyxlBook(workbook, appended).read_block("Sheet")
    assert [list(line) for line in block.values] == [
        ["head", None, None, None, "end"],
        [None, "b2", "c2", "d2", None],
        ["typed", "b3", "c3", None, "e3"],
    ]


def test_block_text_starting_with_equals_reads_as_the_same_cells_would() -> None:
    """Text starting with "=" in a block reads as a formula in a cell does (its known result,
    else None): in a row of block values only, in a row that also has a cell, and not where
    a later block put another value; other values read as they are."""
    rows = [("=A1", "x", 1), ("y", "=B2", 2), ("=A1", "z", 3)]

    def read(as_block: bool, made: bool = False) -> list[list[object]]:
        workbook = openpyxl.Workbook()
        ws = workbook.active
        ws.title = "Sheet"
        ws["A1"] = "head"
        ws["D3"] = "typed"
        appended = AppendedRows()
        if made:  # as an import makes them: the columns holding such text are known
            columns = [[line[j] for line in rows] for j in range(3)]
            block = block_of_columns(ws, 2, (1, 2, 3), columns, dict.fromkeys((1, 2, 3)))
            assert block.rows == rows and block.quoted == {1, 2}
            appended.add("Sheet", block)
            plain = block_of_columns(ws, 4, (1,), [["plain"]], {1: None})
            assert plain.quoted == frozenset()
            appended.add("Sheet", plain)
        elif as_block:
            appended.add("Sheet", RowBlock(2, (1, 2, 3), rows))
            appended.add("Sheet", RowBlock(4, (1,), [("plain",)]))
        else:
            for row, line in enumerate(rows, start=2):
                for column, value in enumerate(line, start=1):
                    ws.cell(row, column).value = value
            ws.cell(4, 1).value = "plain"
        book = OpenpyxlBook(workbook, appended)
        book.results[("Sheet", 2, 1)] = 42
        return [list(line) for line in book.read_block("Sheet").values]

    expected = [
        ["head", None, None, None],
        [42, "x", 1, None],
        ["y", None, 2, "typed"],
        ["plain", "z", 3, None],
    ]
    assert read(as_block=True) == expected
    assert read(as_block=True, made=True) == expected
    assert read(as_block=False) == expected


def test_a_cell_written_over_an_appended_value_is_refused() -> None:
    """A position is a cell or an appended value, never both: saving such a sheet fails
    rather than dropping one of them."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "Sheet"
    ws["B2"] = "cell"
    appended = AppendedRows()
    appended.add("Sheet", RowBlock(2, (1, 2), [("x", "value")]))
    with pytest.raises(RuntimeError, match="Sheet!B2"):
        save_with_values(workbook, {}, appended)


def test_a_value_taken_out_of_a_block_leaves_no_value_there() -> None:
    """take() hands over a block's value and its style (for a cell to hold it, with a
    note), and the block no longer holds it."""
    appended = AppendedRows()
    appended.add("Sheet", RowBlock(5, (2, 3), [("a", date(2026, 1, 2))]))
    assert appended.take("Sheet", 5, 3) == (date(2026, 1, 2), None)
    assert appended.take("Sheet", 5, 3) is None
    assert appended.take("Sheet", 6, 2) is None
    assert appended.of("Sheet")[0].rows == [("a", None)]


def _odd_block_sheet(iso_dates: bool, as_cells: bool) -> dict[str, bytes]:
    """A sheet with a block of every kind of value a block holds (see the test), or the same
    values in cells of the styles the block gives them, saved; its parts by name."""
    workbook = openpyxl.Workbook()
    workbook.iso_dates = iso_dates
    ws = workbook.active
    ws.title = "Sheet"
    for column, header in enumerate(("Text", "When", "Day", "Amount", "Gaps"), start=1):
        ws.cell(1, column).value = header
        ws.cell(2, column).font = Font(bold=True)  # the column's style, registered above
    ws.cell(2, 3).number_format = "mm/dd/yyyy"  # Day is formatted for dates; When is not
    ws.cell(2, 5).font = Font(underline="single")
    columns = (1, 2, 3, 4, 5)
    lines = [
        ("plain", None, date(2026, 1, 2), 0, None),
        ("a & b <c>", date(2025, 12, 31), date(2026, 1, 2), -0.0, None),
        ("=SUM(1)", None, None, 1.5, ""),
        (" padded ", date(2025, 12, 31), date(2024, 2, 29), 10**12, "#N/A"),
        (None, None, None, None, None),  # a row of no value: no row
        ("-Joint", None, date(2026, 1, 2), 0.0, "@x"),
    ]
    styles = {column: StyleArray(ws.cell(2, column)._style) for column in columns}
    # New styles, first met in this order: When's dates (row 4), Text's quoted text (row
    # 5), Gaps' quoted text (row 8); and a row the sheet has a cell in, of a style new to
    # the workbook too, registered after the values of its row.
    ws.cell(8, 7).value = "cell"
    ws.cell(8, 7).font = Font(italic=True)
    block = RowBlock(3, columns, lines)
    block.styles = column_styles(ws, styles, variants(columns, lines))
    appended = AppendedRows()
    appended.add("Sheet", block)
    if as_cells:
        for row, column, value in block.items():
            new_cell(ws, row, column, value, block.style(column, data_type(value)[1]))
        appended.blocks.clear()
    with zipfile.ZipFile(io.BytesIO(save_with_values(workbook, {}, appended))) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name != "docProps/core.xml"  # the save time
        }


@pytest.mark.parametrize("iso_dates", [False, True], ids=["serial dates", "ISO dates"])
def test_every_kind_of_block_value_saves_as_the_cells_holding_it(iso_dates: bool) -> None:
    """Escaped and padded text, a formula's and an error code's text, empty text, zeros of
    both signs, big numbers, dates in columns formatted for them or not, columns with gaps,
    a row of no value, a row the sheet has a cell in, and styles new to the workbook first
    met in a later column than another's: the package is the same, part by part and byte
    by byte (style ids included), as when the values are cells."""
    values = _odd_block_sheet(iso_dates, as_cells=False)
    cells = _odd_block_sheet(iso_dates, as_cells=True)
    assert values.keys() == cells.keys()
    for name in cells:
        assert values[name] == cells[name], name


@given(st.lists(st.one_of(st.none(), st.text(max_size=8)), max_size=6))
def test_a_column_of_texts_is_stored_as_each_text_would_be(values) -> None:
    """stored_texts gives what stored_text gives each text (None stays None), whether the
    column is all plain or holds a control character."""
    assert stored_texts(values) == [None if v is None else stored_text(v) for v in values]


def test_a_text_too_long_for_a_cell_is_cut_in_a_column_too() -> None:
    """A text over Excel's 32,767 characters is cut to them, its neighbours kept."""
    long = "x" * (MAX_TEXT + 5)
    assert stored_texts(["a", None, long, "b\x07"]) == ["a", None, "x" * MAX_TEXT, "b"]
