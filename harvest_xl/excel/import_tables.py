"""Writing imported rows into the workbook's input tables (openpyxl): rows appended at the
end of each Excel Table, whose range grows to hold them, with the table's cell styles and
calculated-column formulas, as Excel does when a row is added to a table; imported Holdings
rows updated in place; notes (cell comments) for the user to act on.

A table's blank rows at its end (the template's empty first row) are filled first. A table
only grows into empty rows: anything below it in its columns stops the import before
anything is written (:class:`TableBlocked`), as Excel would refuse to grow the table.

Rows past the sheet's last one (all of a long history's) are not made openpyxl cells: their
values go to the import's :class:`~.appended_rows.AppendedRows`, which the refresh reads and
the save writes with the sheet's cells (:mod:`.appended_rows`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.comments import Comment
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter, range_boundaries

from harvest_xl.engine.names import fold
from harvest_xl.excel.appended_rows import (
    DATE_FORMAT,
    AppendedRows,
    RowBlock,
    block_of_columns,
    is_block_value,
    stored_text,
    stored_texts,
)
from harvest_xl.excel.formula_text import FORMULA_TRIGGERS, set_cell_text
from harvest_xl.excel.safe_read import HarvestFileError
from harvest_xl.inputs.cells import is_empty

NOTE_AUTHOR = "harvest-xl import"


class TableBlocked(HarvestFileError):
    """A table cannot take the rows (something below it, a header missing): nothing is
    written. A :class:`HarvestFileError`, so it reaches the user as a sentence."""


@dataclass
class TableArea:
    """Where a table is: its sheet, its Excel Table (None for a plain range), its header
    row, its columns by header, its column span and its last row."""

    ws: Any
    table: Any
    header_row: int
    columns: dict[str, int]
    first_column: int
    last_column: int
    last_row: int

    @property
    def name(self) -> str:
        return str(self.ws.title)


def table_area(workbook: Any, sheet: str, headers: Sequence[str]) -> TableArea:
    """The table on ``sheet`` (its Excel Table named like the sheet, or its only one; else
    the header row found by the table reader), with every one of ``headers``."""
    if sheet not in workbook.sheetnames:
        raise TableBlocked(sheet, f"the workbook has no '{sheet}' sheet to import into")
    ws = workbook[sheet]
    tables = list(ws.tables.values())
    table = next((t for t in tables if t.displayName == sheet), None)
    if table is None and len(tables) == 1:
        table = tables[0]
    if table is not None and table.totalsRowCount:
        raise TableBlocked(
            sheet,
            f"the {sheet} table has a total row, below which no row can be added; turn it off "
            "(Table Design > Total Row) and import again",
        )
    if table is not None:
        first, header_row, last, last_row = range_boundaries(table.ref)
    else:
        first, header_row, last, last_row = _plain_range(ws, headers)
    found: dict[str, int] = {}
    for column in range(first, last + 1):
        value = ws._cells.get((header_row, column))
        text = value._value if value is not None else None
        if isinstance(text, str) and text.strip():
            found.setdefault(fold(text), column)
    missing = [name for name in headers if fold(name) not in found]
    if missing:
        raise TableBlocked(
            sheet,
            f"the {sheet} table has no column {', '.join(repr(m) for m in missing)} in its "
            "header row; put the template's headers back and import again",
        )
    columns = {name: found[fold(name)] for name in headers}
    return TableArea(ws, table, header_row, columns, first, last, last_row)


def _plain_range(ws: Any, headers: Sequence[str]) -> tuple[int, int, int, int]:
    """A table without an Excel Table: the first row naming ``headers[0]`` among the first
    20, the columns of that row, down to the sheet's last used row."""
    wanted = fold(headers[0])
    for (row, _column), cell in sorted(ws._cells.items()):
        if row > 20:
            break
        if isinstance(cell._value, str) and fold(cell._value) == wanted:
            used = [c for (r, c), v in ws._cells.items() if r == row and v._value is not None]
            last_row = max((r for r, _ in ws._cells), default=row)
            return min(used), row, max(used), last_row
    raise TableBlocked(
        ws.title, f"no header row naming '{headers[0]}' in the first 20 rows of {ws.title}"
    )


def _filled(ws: Any, row: int, columns: Sequence[int]) -> bool:
    cells = ws._cells
    return any(
        cell is not None and not is_empty(cell._value)
        for cell in (cells.get((row, c)) for c in columns)
    )


def first_free_row(area: TableArea) -> int:
    """The row after the table's last row that holds an input value (the table's blank rows
    at its end are filled first)."""
    inputs = list(area.columns.values())
    row = area.last_row
    while row > area.header_row and not _filled(area.ws, row, inputs):
        row -= 1
    return row + 1


def check_room(area: TableArea, rows: int) -> None:
    """Raise :class:`TableBlocked` when the ``rows`` rows a table grows into are not empty
    across its columns."""
    end = first_free_row(area) + rows - 1
    if end <= area.last_row:
        return
    first, last = area.first_column, area.last_column
    below = [
        row
        for (row, column), cell in area.ws._cells.items()
        if row > area.last_row and first <= column <= last and not is_empty(cell._value)
    ]
    if below and min(below) <= end:
        raise TableBlocked(
            area.name,
            f"the {area.name} table cannot grow by {rows} rows: row {min(below)} below it is "
            f"not empty; move what is below the table (columns {get_column_letter(first)}-"
            f"{get_column_letter(last)}) and import again. Nothing was written",
        )


def append_rows(
    area: TableArea, rows: Sequence[Mapping[str, Any]], appended: AppendedRows
) -> list[int]:
    """Write ``rows`` ({header: value}) from the first free row on, grow the table over them
    and give them its styles and calculated columns; returns the rows written.

    Rows the sheet already has (the table's blank rows) are filled cell by cell, each cell
    keeping its own style; rows past the sheet's last one are added to ``appended`` as
    plain values (:mod:`.appended_rows`), with the calculated columns' formulas as cells."""
    if not rows:
        return []
    check_room(area, len(rows))
    ws = area.ws
    start = first_free_row(area)
    style_row = start if start <= area.last_row else area.last_row
    if style_row <= area.header_row:
        style_row = area.header_row + 1
    styles = {}
    for column in range(area.first_column, area.last_column + 1):
        above = ws._cells.get((style_row, column))
        styles[column] = above._style if above is not None and above.has_style else None
    formulas = _calculated_columns(area)
    for formula in formulas.values():
        Cell(ws).value = formula  # openpyxl's checks, once per formula (may raise)
    date_columns = {c for c in styles if _formats_dates(ws, styles[c])}
    written = list(range(start, start + len(rows)))
    sheet_end = max(ws.max_row, appended.last_row(area.name))
    in_sheet = max(0, min(len(rows), sheet_end - start + 1))
    for row, values in zip(written[:in_sheet], rows[:in_sheet], strict=True):
        for name, value in values.items():
            if value is not None:
                column = area.columns[name]
                _put(ws, row, column, value, styles[column], column in date_columns)
        _put_formulas(ws, row, formulas, styles)
    if in_sheet < len(rows):
        block = _block(area, rows[in_sheet:], written[in_sheet], styles)
        appended.add(area.name, block)
        given = {c: block.columns.index(c) for c in formulas if c in block.columns}
        for row, line in zip(written[in_sheet:], block.rows, strict=True) if formulas else ():
            # a value given for a calculated column stays (as it would in a cell)
            blank = {c: f for c, f in formulas.items() if c not in given or line[given[c]] is None}
            _put_formulas(ws, row, blank, styles)
    ws._current_row = max(ws._current_row, written[-1])
    if written[-1] > area.last_row:
        area.last_row = written[-1]
        _grow(area)
    return written


def _put_formulas(ws: Any, row: int, formulas: Mapping[int, str], styles: Any) -> None:
    """The calculated columns' formulas in a new row's empty cells (checked before)."""
    for column, formula in formulas.items():
        if (row, column) not in ws._cells or ws._cells[(row, column)]._value is None:
            cell = Cell(ws, row=row, column=column, style_array=styles[column])
            cell._value, cell.data_type = formula, "f"
            ws._cells[(row, column)] = cell


def _block(
    area: TableArea, rows: Sequence[Mapping[str, Any]], first_row: int, styles: Any
) -> RowBlock:
    """Rows past the sheet's last one as a block of values in the table's columns; a value
    a block does not hold (anything but a number, a date or text) is a cell of its own.
    Column by column: a column of one kind of value is taken as it is, in one pass."""
    columns = tuple(sorted(set(area.columns.values())))
    name_of = {number: name for name, number in area.columns.items()}
    held = [
        _block_column(area.ws, [row.get(name_of[c]) for row in rows], first_row, c, styles[c])
        for c in columns
    ]
    return block_of_columns(area.ws, first_row, columns, held, {c: styles[c] for c in columns})


_BLOCK_KINDS = frozenset({int, float, date, str})
"""The kinds of value a block holds (:func:`~.appended_rows.is_block_value`)."""


def _block_column(ws: Any, values: list[Any], first_row: int, column: int, style: Any) -> list[Any]:
    """One column of a block: text as a cell stores it (:func:`stored_texts`), numbers and
    dates as they are; any other value is put in a cell of its own, and the block holds
    nothing there."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if kinds == {str}:
        return stored_texts(values)
    if kinds <= _BLOCK_KINDS - {str}:
        return values
    held: list[Any] = []
    for row, value in enumerate(values, start=first_row):
        if type(value) is str:
            held.append(stored_text(value))
        elif value is None or is_block_value(value):
            held.append(value)
        else:
            new_cell(ws, row, column, value, style)
            held.append(None)
    return held


def update_row(area: TableArea, row: int, values: Mapping[str, Any]) -> None:
    """Replace the input values of one row, keeping its cells' styles."""
    ws = area.ws
    for name, value in values.items():
        column = area.columns[name]
        cell = ws.cell(row, column)
        if value is None:
            cell.value = None
        elif isinstance(value, str):
            set_cell_text(cell, value)
        else:
            cell.value = value
            if isinstance(value, date) and not is_date_format(cell.number_format):
                cell.number_format = DATE_FORMAT


def add_note(
    area: TableArea, row: int, column_name: str, text: str, appended: AppendedRows
) -> None:
    """A comment on a cell for the user to act on (replacing an earlier one of ours); a
    value ``appended`` there becomes the cell's (a note needs a cell)."""
    column = area.columns[column_name]
    taken = appended.take(area.name, row, column)
    if taken is not None:
        new_cell(area.ws, row, column, *taken)
    cell = area.ws.cell(row, column)
    comment = Comment(text, NOTE_AUTHOR)
    comment.width, comment.height = 320, 110
    cell.comment = comment


def _put(ws: Any, row: int, column: int, value: Any, style: Any, dates: bool) -> None:
    existing = ws._cells.get((row, column))  # a blank table row's cell keeps its own style
    if existing is not None and existing.has_style:
        style, dates = existing._style, _formats_dates(ws, existing._style)
    cell = new_cell(ws, row, column, value, style)
    if type(value) is date and not dates:
        cell.number_format = DATE_FORMAT


def new_cell(ws: Any, row: int, column: int, value: Any, style: Any = None) -> Any:
    """A cell holding ``value`` (a number, a date or text from a broker file), put in the
    sheet. openpyxl's per-value checks are done here once per kind of value: text keeps no
    character Excel refuses (:func:`~.appended_rows.stored_text`), and text that would read
    as a formula is stored as plain text (an error code's text is an error cell)."""
    cell = Cell(ws, row=row, column=column, style_array=style)
    ws._cells[(row, column)] = cell
    kind = type(value)
    if kind is float or kind is int:
        cell._value = value
    elif kind is date:
        cell._value, cell.data_type = value, "d"
    elif kind is str:
        text = stored_text(value)
        if text.startswith(FORMULA_TRIGGERS) or text in ERROR_CODES:
            set_cell_text(cell, text)  # text from a broker file never becomes a formula
        else:
            cell._value, cell.data_type = text, "s"
    else:
        cell.value = value  # anything else: openpyxl's own checks
    return cell


def _formats_dates(ws: Any, style: Any) -> bool:
    if style is None:
        return False
    probe = Cell(ws, style_array=style)
    return bool(is_date_format(probe.number_format))


def _calculated_columns(area: TableArea) -> dict[int, str]:
    if area.table is None:
        return {}
    return {
        area.first_column + i: "=" + column.calculatedColumnFormula.attr_text
        for i, column in enumerate(area.table.tableColumns)
        if column.calculatedColumnFormula is not None and column.calculatedColumnFormula.attr_text
    }


def _grow(area: TableArea) -> None:
    if area.table is None:
        return
    ref = (
        f"{get_column_letter(area.first_column)}{area.header_row}:"
        f"{get_column_letter(area.last_column)}{area.last_row}"
    )
    area.table.ref = ref
    if area.table.autoFilter is not None:
        area.table.autoFilter.ref = ref
