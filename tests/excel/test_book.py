"""The openpyxl BookAdapter: what the refresh core relies on."""

from __future__ import annotations

import openpyxl

from harvest_xl.excel.book import BookAdapter, OpenpyxlBook


def _book() -> OpenpyxlBook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Holdings"
    ws.append(["Shares", "Price", "Market value"])
    ws.append([10, 2.5, "=A2*B2"])
    wb.create_sheet("Plan")
    return OpenpyxlBook(wb)


def test_is_a_book_adapter() -> None:
    """OpenpyxlBook satisfies the BookAdapter protocol."""
    assert isinstance(_book(), BookAdapter)


def test_read_block_gives_values_and_formula_results() -> None:
    """Formula cells read as their known result, never as formula text."""
    book = _book()
    assert book.read_block("Holdings").values == [
        ["Shares", "Price", "Market value"],
        [10, 2.5, None],
    ]
    book.write_results("Holdings", 2, 3, [[25.0]])
    assert book.read_block("Holdings").values[1] == [10, 2.5, 25.0]
    assert book.workbook["Holdings"]["C2"].value == "=A2*B2"


def test_empty_sheet_reads_as_no_rows() -> None:
    """An empty sheet is an empty block, not one row of None."""
    assert _book().read_block("Plan").values == []


def test_write_and_clear_values() -> None:
    """Plain values land at the given corner and clear empties them."""
    book = _book()
    book.write_values("Plan", 2, 2, [["a", 1], ["b", 2]])
    ws = book.workbook["Plan"]
    assert (ws["B2"].value, ws["C3"].value) == ("a", 2)
    book.clear("Plan", 2, 2, 2, 2)
    assert ws["B2"].value is None and ws["C3"].value is None


def test_result_for_a_typed_cell_keeps_what_the_user_typed() -> None:
    """A result aimed at a cell the user typed a value into leaves it; aimed at an empty
    cell (a cell of an array formula's range) it becomes the cell's value."""
    book = _book()
    typed = book.workbook["Holdings"]["A2"].value
    assert typed is not None
    book.write_results("Holdings", 2, 1, [[11]])
    assert book.workbook["Holdings"]["A2"].value == typed
    book.write_results("Holdings", 40, 1, [[11]])
    assert book.workbook["Holdings"]["A40"].value == 11
    assert book.results == {}
