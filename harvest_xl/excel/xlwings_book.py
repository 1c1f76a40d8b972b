""":class:`XlwingsBook`: the refresh core's :class:`~harvest_xl.excel.book.BookAdapter` over a
live Excel workbook, through xlwings.

Only the xlwings object model is used (``Book.sheets``, ``Sheet.used_range``, ``Sheet.range``,
``Range.options``/``value``/``formula``/``clear_contents``), never COM or AppleScript directly,
so the same adapter works on Windows and macOS and is tested on Linux with a small double.

Reads and writes go in whole blocks: every xlwings call is a cross-process round trip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from harvest_xl.excel.book import Block, Value
from harvest_xl.excel.formula_text import neutralise_formula_text

__all__ = ["XlwingsBook"]


class XlwingsBook:
    """:class:`~harvest_xl.excel.book.BookAdapter` over an ``xlwings.Book``.

    ``formulas_live``: whether the workbook's formulas compute themselves (Windows, where the
    HX_ functions are classic UDFs). Then :meth:`write_results` leaves formula cells alone and
    Excel's recalculation fills them. Where they cannot compute (Excel for Mac has no classic
    UDFs), the results are written into those cells as values, so the user sees numbers.
    """

    def __init__(self, book: Any, *, formulas_live: bool) -> None:
        self.book = book
        self.formulas_live = formulas_live

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def read_block(self, sheet: str) -> Block:
        ws = self.book.sheets[sheet]
        last = ws.used_range.last_cell
        n_rows, n_cols = last.row, last.column
        values = ws.range((1, 1), (n_rows, n_cols)).options(ndim=2).value
        if n_rows == 1 and n_cols == 1 and values[0][0] is None:
            return Block(1, 1, [])
        return Block(1, 1, [list(row) for row in values])

    def write_values(
        self, sheet: str, row: int, column: int, values: Sequence[Sequence[Value]]
    ) -> None:
        block = _excel_block(values)
        if block:
            self._range(sheet, row, column, len(block), len(block[0])).value = block

    def clear(self, sheet: str, row: int, column: int, n_rows: int, n_columns: int) -> None:
        if n_rows > 0 and n_columns > 0:
            self._range(sheet, row, column, n_rows, n_columns).clear_contents()

    def write_results(
        self, sheet: str, row: int, column: int, values: Sequence[Sequence[Value]]
    ) -> None:
        block = _excel_block(values)
        if not block:
            return
        if not self.formulas_live:
            self.write_values(sheet, row, column, block)
            return
        width = len(block[0])
        formulas = _grid(self._range(sheet, row, column, len(block), width).formula)
        for i, line in enumerate(block):
            for start, stop in _runs_without_formulas(formulas[i]):
                self._range(sheet, row + i, column + start, 1, stop - start).value = [
                    line[start:stop]
                ]

    def _range(self, sheet: str, row: int, column: int, n_rows: int, n_columns: int) -> Any:
        return self.book.sheets[sheet].range(
            (row, column), (row + n_rows - 1, column + n_columns - 1)
        )


def _excel_value(value: Value) -> Value:
    """What xlwings can hand to Excel unchanged: Decimal becomes float, empty text an empty
    cell, and text that Excel would read as a formula is marked as text."""
    if isinstance(value, Decimal):
        return float(value)
    if value == "":
        return None
    if isinstance(value, str):
        return neutralise_formula_text(value)  # Excel parses "=…" typed or set as a formula
    if isinstance(value, dt.date | dt.datetime | int | float | bool) or value is None:
        return value
    return str(value)


def _excel_block(values: Sequence[Sequence[Value]]) -> list[list[Value]]:
    """A rectangular list of rows (short rows padded with empty cells)."""
    rows = [list(map(_excel_value, line)) for line in values]
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        return []
    return [r + [None] * (width - len(r)) for r in rows]


def _grid(formula: Any) -> list[list[str]]:
    """``Range.formula`` as a list of rows: one cell gives a string, a block nested tuples."""
    if isinstance(formula, str):
        return [[formula]]
    return [[str(f) for f in line] for line in formula]


def _runs_without_formulas(formulas: Sequence[str]) -> list[tuple[int, int]]:
    """``[start, stop)`` column runs of a row whose cells hold no formula."""
    runs: list[tuple[int, int]] = []
    start = None
    for j, text in enumerate(formulas):
        is_formula = text.startswith("=")
        if not is_formula and start is None:
            start = j
        elif is_formula and start is not None:
            runs.append((start, j))
            start = None
    if start is not None:
        runs.append((start, len(formulas)))
    return runs
