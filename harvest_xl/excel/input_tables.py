"""Reading an input table: finding its header row, its columns, and its non-blank data rows.

A renamed or missing column is one located :class:`~harvest_xl.excel.problems.Problem` for the
whole sheet, naming the header most like it (or the one standing where the template has it).
"""

from __future__ import annotations

import difflib
import operator
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from harvest_xl.engine.names import fold
from harvest_xl.excel import layout as L
from harvest_xl.excel.book import Block, BookAdapter
from harvest_xl.excel.problems import Problem
from harvest_xl.inputs.cells import is_empty
from harvest_xl.inputs.table_columns import TableColumns


@dataclass(frozen=True, slots=True)
class TableRows:
    """One input table as read: where each header is, and each non-blank data row: its
    worksheet row (``numbers``) and its values by header (``records``).

    The two are kept apart, not as (row, values) pairs: a pair holding a dict is one more
    object per row the cycle collector scans for as long as the table is kept."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # header -> 1-based column number
    numbers: list[int]  # each data row's worksheet row
    records: TableColumns  # each data row's {header: value}, kept as the columns
    last_row: int  # last worksheet row of the used range

    @property
    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        """(worksheet row, {header: value}) of each data row."""
        return list(zip(self.numbers, self.records, strict=True))

    def values_at(self, row: int | None) -> dict[str, Any]:
        """{header: value} of the data row at worksheet row ``row`` (a KeyError when
        there is none): found by bisection, the rows being in worksheet order."""
        position = bisect_left(self.numbers, row) if row is not None else len(self.numbers)
        if position == len(self.numbers) or self.numbers[position] != row:
            raise KeyError(row)
        return self.records[position]


def norm(text: object) -> str:
    """A header as compared: the one rule for names (:func:`~harvest_xl.engine.names.fold`);
    anything but text is no header."""
    return fold(text) if isinstance(text, str) else ""


def read_table(
    book: BookAdapter,
    sheet: str,
    expected: Sequence[str],
    inputs: Sequence[str],
    problems: list[Problem],
) -> TableRows | None:
    """Read a table whose header is the first row holding ``expected[0]``.

    A missing ``inputs`` column is one problem for the whole sheet (the table is then not
    used); rows whose input cells (``layout.TABLE_INPUTS``) are all empty are skipped.
    """
    if sheet not in book.sheet_names():
        problems.append(
            Problem(
                sheet,
                None,
                None,
                "the sheet is missing",
                f"add a sheet named '{sheet}' "
                "with the template's columns (harvest-xl template writes a fresh one)",
            )
        )
        return None
    block = book.read_block(sheet)
    header_index = find_header(block, expected)
    if header_index is None:
        first = block.values[0] if block.values else []
        seen = _headers(first) or "nothing"
        problems.append(
            Problem(
                sheet,
                L.HEADER_ROW,
                expected[0],
                f"no header row: expected {', '.join(expected)}; row {L.HEADER_ROW} has {seen}",
                f"put the headers {', '.join(expected)} in row {L.HEADER_ROW}",
                block.column,
            )
        )
        return None
    header_row = block.row + header_index
    header = block.values[header_index]
    found: dict[str, int] = {}
    for j, v in enumerate(header):  # a header typed twice: the first one is the column
        if norm(v):
            found.setdefault(norm(v), block.column + j)
    columns: dict[str, int] = {}
    missing = False
    unclaimed = {
        key: number for key, number in found.items() if key not in {norm(e) for e in expected}
    }
    for name in expected:
        number = found.get(norm(name))
        if number is None:
            if name in inputs:
                problems.append(_missing_column(sheet, header_row, name, header, unclaimed, block))
                missing = True
            continue
        columns[name] = number
    if missing:
        return None
    body = block.values[header_index + 1 :]
    first_number = header_row + 1
    # Column by column: a column of lines as long as the table is taken in one C-level
    # step (a short line reads empty past its end).
    width = max((c - block.column for c in columns.values()), default=-1) + 1
    full = min(map(len, body), default=width) >= width
    by_header: dict[str, list[Any]] = {}
    for name, number in columns.items():
        offset = number - block.column
        if full:
            by_header[name] = list(map(operator.itemgetter(offset), body))
        else:
            by_header[name] = [line[offset] if offset < len(line) else None for line in body]
    records = TableColumns(by_header, len(body))
    # A row whose input cells are all empty is no row; the first input column filled
    # keeps a row without a closer look.
    filled = [by_header[name] for name in L.TABLE_INPUTS.get(sheet, inputs) if name in columns]
    if filled:
        blank = [
            i
            for i, value in enumerate(filled[0])
            if is_empty(value) and all(is_empty(column[i]) for column in filled[1:])
        ]
        if blank:
            left_out = set(blank)
            records = records.take(i for i in range(len(body)) if i not in left_out)
            numbers = [first_number + i for i in range(len(body)) if i not in left_out]
        else:
            numbers = list(range(first_number, first_number + len(body)))
    else:
        numbers = list(range(first_number, first_number + len(body)))
    last_row = block.row + len(block.values) - 1
    return TableRows(sheet, header_row, columns, numbers, records, last_row)


_QUOTE_LIMIT = 40
_HEADERS_LISTED = 12


def quote(value: object) -> str:
    """A typed text quoted for a message, cut short (a cell can hold 32,767 characters)."""
    text = " ".join(str(value).split())
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 3] + "..."
    return f"'{text}'"


def _headers(line: Sequence[Any]) -> str:
    """The headers found in a row, quoted, for a message (at most a dozen)."""
    names = [quote(v) for v in line if norm(v)]
    more = f" and {len(names) - _HEADERS_LISTED} more" if len(names) > _HEADERS_LISTED else ""
    return ", ".join(names[:_HEADERS_LISTED]) + more


def find_header(block: Block, expected: Sequence[str]) -> int | None:
    """The header row among the first 20: the one naming most of ``expected`` (the first
    such row on a tie); None when no row names any."""
    keys = {norm(name) for name in expected}
    best, best_score = None, 0
    for i, line in enumerate(block.values[:_HEADER_SEARCH_ROWS]):
        score = len(keys & {norm(v) for v in line})
        if score > best_score:
            best, best_score = i, score
    return best


_HEADER_SEARCH_ROWS = 20


def _missing_column(
    sheet: str,
    header_row: int,
    name: str,
    header: Sequence[Any],
    unclaimed: dict[str, int],
    block: Block,
) -> Problem:
    """The problem for an expected column not in the header row: the header most like it,
    or else the unknown header standing where the template has it, is taken as renamed."""
    close = difflib.get_close_matches(norm(name), list(unclaimed), n=1, cutoff=0.5)
    template = L.TABLE_COLUMNS.get(sheet, ())
    if not close and name in template:  # another word where the template has the column
        where = block.column + template.index(name)
        close = [key for key, number in unclaimed.items() if number == where]
    if close:
        number = unclaimed[close[0]]
        typed = quote(header[number - block.column])
        cell = f"{get_column_letter(number)}{header_row}"
        return Problem(
            sheet,
            header_row,
            name,
            f"expected a column '{name}' but found {typed} in {cell}",
            f"rename {typed} back to '{name}' (the headers are the template's names)",
            number,
        )
    seen = _headers(header) or "no headers"
    return Problem(
        sheet,
        header_row,
        name,
        f"the column '{name}' is missing (row {header_row} has {seen})",
        f"add a column named '{name}' to the table (harvest-xl template shows the layout)",
    )
