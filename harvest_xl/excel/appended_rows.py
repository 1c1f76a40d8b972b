"""Rows an import appends to a sheet, held as plain values rather than as openpyxl cells.

An import of a long history appends tens of thousands of rows (Activity, and the ledger's
entries): as openpyxl cells, each value is an object with its own style array, and making
and saving 600,000 of them took most of an import's time. Here the new rows stay plain
values in :class:`RowBlock` s, one per run of rows appended to a sheet, with each column's
style, and every part of harvest-xl that reads or writes a headless workbook knows them:

* :class:`~harvest_xl.excel.book.OpenpyxlBook` reads them with the sheet's cells (the
  refresh that follows an import);
* :func:`~harvest_xl.excel.sheet_writer.save_with_values` writes them into the sheet's
  ``<sheetData>`` with the sheet's cells, as openpyxl would write the same cells (openpyxl's
  own ``Workbook.save`` does not know them: a workbook with appended rows is saved with
  ``save_with_values``, as ``harvest-xl import`` does).

A position is a cell or a block's value, never both: a block holds only positions where the
sheet had no cell (the rows past its last one), and only plain values (numbers, dates,
text); the cells an import must still make (a table's calculated-column formulas, a note,
rows the sheet already has) stay openpyxl cells in the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from operator import itemgetter
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import is_date_format

from harvest_xl.excel.formula_text import FORMULA_TRIGGERS

MAX_TEXT = 32_767
"""The most characters a cell holds (Excel specifications and limits)."""
DATE_FORMAT = "yyyy-mm-dd"
"""The number format a date gets in a column not formatted for dates."""

PLAIN, DATED, QUOTED = "plain", "dated", "quoted"
"""How a value's style differs from its column's: not at all; a date in a column not
formatted for dates (:data:`DATE_FORMAT`); text that would read as a formula, kept as text
with Excel's quote prefix (as :func:`~harvest_xl.excel.formula_text.set_cell_text`)."""


def is_block_value(value: object) -> bool:
    """A value a block holds: a number, a date (not a datetime) or text."""
    kind = type(value)
    return kind is int or kind is float or kind is date or kind is str


def stored_text(value: str) -> str:
    """Text as a cell stores it: at most :data:`MAX_TEXT` characters, without the control
    characters Excel refuses."""
    if value.isprintable() and len(value) <= MAX_TEXT:  # no control character at all
        return value
    text: str = ILLEGAL_CHARACTERS_RE.sub("", value[:MAX_TEXT])
    return text


def stored_texts(values: Sequence[str | None]) -> list[str | None]:
    """:func:`stored_text` of each text of ``values`` (None stays None): a column of plain
    text, as a ledger's keys and sources are, is seen to be so in one pass over all of it."""
    texts = list(filter(None, values))
    if "".join(texts).isprintable() and max(map(len, texts), default=0) <= MAX_TEXT:
        return list(values)
    return [None if value is None else stored_text(value) for value in values]


_TEXT, _QUOTED_TEXT, _ERROR = ("s", PLAIN), ("s", QUOTED), ("e", PLAIN)
_DATE, _NUMBER = ("d", DATED), ("n", PLAIN)


def data_type(value: object) -> tuple[str, str]:
    """(openpyxl data type, style variant) of a value a block holds, as an openpyxl cell
    given the value would have them: text naming an error code is an error cell, text
    starting with a formula trigger a quoted text cell."""
    kind = type(value)
    if kind is str:
        if value.startswith(FORMULA_TRIGGERS):  # type: ignore[attr-defined]
            return _QUOTED_TEXT
        if value in ERROR_CODES:
            return _ERROR
        return _TEXT
    if kind is date:
        return _DATE
    return _NUMBER


@dataclass
class RowBlock:
    """Rows from ``first_row`` on, each a tuple with one value per column of ``columns``
    (ascending column numbers; None: no cell there). Tuples of plain values, which Python's
    cycle collector leaves alone: an import holds 120,000 of them."""

    first_row: int
    columns: tuple[int, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    styles: dict[tuple[int, str], StyleArray | None] = field(default_factory=dict)
    """The style of each column's values, by variant (see :data:`PLAIN`)."""
    quoted: frozenset[int] | None = None
    """The columns holding text that starts with a formula trigger (:data:`QUOTED`), as
    found when the block was made (:func:`block_of_columns`); None: not known. A reader
    looking for text that reads as a formula need not look at any other column."""

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1

    def style(self, column: int, variant: str) -> StyleArray | None:
        """The style array of a value of ``variant`` in ``column`` (shared: never change it)."""
        return self.styles.get((column, variant), self.styles.get((column, PLAIN)))

    def items(self) -> Iterator[tuple[int, int, Any]]:
        """(row, column, value) of every value held, row by row."""
        columns = self.columns
        for offset, values in enumerate(self.rows):
            row = self.first_row + offset
            for column, value in zip(columns, values, strict=True):
                if value is not None:
                    yield row, column, value


def by_column(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """The columns of ``rows`` (each ``width`` long), each as a list. (Not ``zip(*rows)``:
    that makes an iterator object per row, 120,000 objects for the cycle collector.)"""
    return [list(map(itemgetter(position), rows)) for position in range(width)]


def by_data_type(values: Iterable[Any]) -> dict[tuple[str, str], list[Any]]:
    """The distinct values among ``values`` (None left out) by :func:`data_type`, each list
    in the order first met; a column of one type is sorted out in one pass."""
    distinct = dict.fromkeys(values)
    distinct.pop(None, None)
    if not distinct:
        return {}
    types = set(map(type, distinct))
    if types == {str}:
        if not any(map(str.startswith, distinct, repeat(FORMULA_TRIGGERS))) and not any(
            code in distinct for code in ERROR_CODES
        ):
            return {_TEXT: list(distinct)}
    elif types <= {int, float}:
        return {_NUMBER: list(distinct)}
    elif types == {date}:
        return {_DATE: list(distinct)}
    found: dict[tuple[str, str], list[Any]] = {}
    for value in distinct:
        found.setdefault(data_type(value), []).append(value)
    return found


def variants(columns: Sequence[int], rows: Sequence[Sequence[Any]]) -> list[tuple[int, str]]:
    """The (column, variant) of every value of ``rows`` whose style differs from its column's
    (dates, and text that would read as a formula), in the order first met, row by row."""
    return column_variants(columns, by_column(rows, len(columns)))


def column_variants(
    columns: Sequence[int], values_by_column: Sequence[Sequence[Any]]
) -> list[tuple[int, str]]:
    """:func:`variants` of rows given as their columns (``values_by_column``: each of
    ``columns``' values, row by row), for a caller that holds them so."""
    found: list[tuple[int, int, str]] = []  # (first row, position, variant)
    for position, values in enumerate(values_by_column):
        if values.count(None) == len(values):
            continue
        kinds = list(map(type, values))
        if date in kinds:
            found.append((kinds.index(date), position, DATED))
        if str in kinds:
            quoted = _first_quoted(values, kinds)
            if quoted is not None:
                found.append((quoted, position, QUOTED))
    return [(columns[position], variant) for _, position, variant in sorted(found)]


def _first_quoted(values: Sequence[Any], kinds: list[type]) -> int | None:
    """The position of the first text in ``values`` that would read as a formula."""
    texts = values if kinds.count(str) == len(kinds) else [v for v in values if type(v) is str]
    if not _TRIGGERS & set(map(itemgetter(slice(1)), texts)):  # no text starts with one
        return None
    return next(
        position
        for position, (kind, value) in enumerate(zip(kinds, values, strict=True))
        if kind is str and value.startswith(FORMULA_TRIGGERS)
    )


_TRIGGERS = frozenset(FORMULA_TRIGGERS)


def block_of_columns(
    ws: Any,
    first_row: int,
    columns: tuple[int, ...],
    values_by_column: Sequence[Sequence[Any]],
    styles: dict[int, StyleArray | None],
) -> RowBlock:
    """The block of rows given as their columns (``values_by_column``: each of ``columns``'
    values, row by row), with each column's style (``styles``) and the styles of the
    variants its values need (:func:`column_styles`)."""
    needed = column_variants(columns, values_by_column)
    rows = list(zip(*values_by_column, strict=True)) if values_by_column else []
    return RowBlock(
        first_row,
        columns,
        rows,
        column_styles(ws, styles, needed),
        frozenset(column for column, variant in needed if variant == QUOTED),
    )


def column_styles(
    ws: Any, styles: dict[int, StyleArray | None], needed: Sequence[tuple[int, str]]
) -> dict[tuple[int, str], StyleArray | None]:
    """Each column's style (``styles``: the column's own), and the style of each variant
    ``needed`` (see :func:`variants`), made as openpyxl makes it when such a value is
    written into a cell of the column's style; the date format is registered with the
    workbook here, as a cell would."""
    out: dict[tuple[int, str], StyleArray | None] = {
        (column, PLAIN): style for column, style in styles.items()
    }
    for column, variant in needed:
        style = styles[column]
        probe = Cell(ws, style_array=style)
        if variant == DATED:
            if is_date_format(probe.number_format):
                continue  # the column's own style formats dates
            probe.number_format = DATE_FORMAT
        else:
            probe.quotePrefix = True
        out[(column, variant)] = probe._style
    return out


@dataclass
class AppendedRows:
    """The blocks appended to each sheet of one workbook, by sheet title."""

    blocks: dict[str, list[RowBlock]] = field(default_factory=dict)

    def add(self, sheet: str, block: RowBlock) -> None:
        if block.rows:
            self.blocks.setdefault(sheet, []).append(block)

    def of(self, sheet: str) -> list[RowBlock]:
        return self.blocks.get(sheet, [])

    def take(self, sheet: str, row: int, column: int) -> tuple[Any, StyleArray | None] | None:
        """The value a block of ``sheet`` holds at (``row``, ``column``) and its style, taken
        out of the block (for a cell to hold it instead); None when no block holds one."""
        for block in self.of(sheet):
            if block.first_row <= row <= block.last_row and column in block.columns:
                offset = row - block.first_row
                values = block.rows[offset]
                index = block.columns.index(column)
                value = values[index]
                if value is None:
                    return None
                block.rows[offset] = values[:index] + (None,) + values[index + 1 :]
                return value, block.style(column, data_type(value)[1])
        return None

    def last_row(self, sheet: str) -> int:
        """The last row a block of ``sheet`` holds (0: none)."""
        return max((block.last_row for block in self.of(sheet)), default=0)

    def last_column(self, sheet: str) -> int:
        """The last column a block of ``sheet`` holds (0: none)."""
        return max((max(block.columns) for block in self.of(sheet)), default=0)
