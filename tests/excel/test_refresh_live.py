"""A refresh behind the ribbon, where Excel computes the formulas itself: the Evaluation
sheet's spill range gets no value from the refresh (a value there would block the spill,
#SPILL!), while a file's refresh gives it the function's values."""

from __future__ import annotations

from typing import Any

from harvest_xl.demo import demo_workbook
from harvest_xl.excel import layout as L
from harvest_xl.excel.book import OpenpyxlBook
from harvest_xl.excel.current_formulas import use_current_formulas
from harvest_xl.excel.headless import absorb_rows_below_tables
from harvest_xl.excel.refresh import refresh_workbook


class LiveBook(OpenpyxlBook):
    """The workbook as live Excel shows it to the refresh: formulas compute themselves."""

    formulas_live = True

    def __init__(self, workbook: Any) -> None:
        super().__init__(workbook)
        self.sheets_written: list[str] = []

    def write_results(self, sheet: str, row: int, column: int, values: Any) -> None:
        self.sheets_written.append(sheet)
        super().write_results(sheet, row, column, values)

    def clear(self, sheet: str, row: int, column: int, n_rows: int, n_columns: int) -> None:
        self.sheets_written.append(sheet)
        super().clear(sheet, row, column, n_rows, n_columns)


def _book(live: bool) -> OpenpyxlBook:
    wb = demo_workbook()
    absorb_rows_below_tables(wb)
    use_current_formulas(wb)
    return LiveBook(wb) if live else OpenpyxlBook(wb)


def test_live_excel_keeps_its_spill_range() -> None:
    """With live formulas the Evaluation sheet is neither cleared nor written."""
    book = _book(live=True)
    result = refresh_workbook(book)
    assert result.portfolio is not None and result.problems == []
    assert isinstance(book, LiveBook) and L.EVALUATION not in book.sheets_written
    assert L.PLAN in book.sheet_names()


def test_a_file_gets_the_arrays_values() -> None:
    """Headless, every cell of the array gets the function's value (the anchor as its
    formula's cached value, the others as values)."""
    book = _book(live=False)
    refresh_workbook(book)
    assert book.results[(L.EVALUATION, L.EVALUATION_HEADER_ROW, 1)] == "Market value"
    ws = book.workbook[L.EVALUATION]
    assert ws.cell(L.EVALUATION_HEADER_ROW, 4).value == "Harvest"
    assert str(ws.cell(L.EVALUATION_HEADER_ROW + 2, 4).value).startswith("Harvest: short-term")
