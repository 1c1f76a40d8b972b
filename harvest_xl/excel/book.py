"""The port between the refresh core and a workbook: :class:`BookAdapter`.

The refresh core (``harvest_xl.excel.refresh``) reads inputs and writes outputs only
through this small protocol, so the same code runs headless (openpyxl, implemented here
as :class:`OpenpyxlBook`) and live in Excel (xlwings, implemented by the add-in).

Coordinates are 1-based worksheet rows and columns, as Excel numbers them. A block is a
list of rows, each a list of cell values (``None`` for an empty cell); dates arrive as
``datetime.datetime`` or ``datetime.date`` (or whatever the cell really holds: the core
converts and reports).

Two kinds of writes:

* :meth:`BookAdapter.write_values` replaces cell contents with plain values (the Plan,
  Wash sales and Summary outputs; never input cells).
* :meth:`BookAdapter.write_results` gives the *results* of formula cells that the book
  keeps as formulas (the Holdings calculated columns, the Withdrawal calculator).
  Headless, these become the cells' cached values next to their formulas; in live Excel,
  where the formulas compute themselves, an adapter may ignore them (Windows) or write
  them as values (macOS, where classic UDFs do not exist).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from harvest_xl.excel.appended_rows import AppendedRows, RowBlock
from harvest_xl.excel.formula_text import set_cell_text

if TYPE_CHECKING:  # pragma: no cover - typing only
    from openpyxl.workbook.workbook import Workbook

Value = Any
"""A cell value: None, str, int, float, bool, date or datetime."""


@dataclass(frozen=True, slots=True)
class Block:
    """A rectangle of cell values whose top-left cell is (``row``, ``column``)."""

    row: int
    column: int
    values: list[Sequence[Value]] = field(default_factory=list)
    """Rows of values, lists or tuples: read them, never change them (a book may keep
    them to read again)."""

    @property
    def n_rows(self) -> int:
        return len(self.values)


@runtime_checkable
class BookAdapter(Protocol):
    """What the refresh core needs from a workbook, and nothing more."""

    formulas_live: bool
    """Whether the workbook's formulas compute themselves (live Excel on Windows, where the
    HX_ functions are worksheet functions): then the refresh leaves them to Excel, and
    writes no value into a range a formula spills into."""

    def sheet_names(self) -> list[str]:
        """The workbook's sheet names, in tab order."""
        ...

    def read_block(self, sheet: str) -> Block:
        """The sheet's used range as values, starting at A1 (an empty sheet: no rows).

        Formula cells give their current value (live Excel) or their cached value
        (headless; usually None for a book never calculated).
        """
        ...

    def write_values(
        self, sheet: str, row: int, column: int, values: Sequence[Sequence[Value]]
    ) -> None:
        """Write plain values with their top-left cell at (row, column)."""
        ...

    def clear(self, sheet: str, row: int, column: int, n_rows: int, n_columns: int) -> None:
        """Empty a rectangle (values only; formats stay)."""
        ...

    def write_results(
        self, sheet: str, row: int, column: int, values: Sequence[Sequence[Value]]
    ) -> None:
        """Give the computed results of formula cells (see the module docstring)."""
        ...


class OpenpyxlBook:
    """:class:`BookAdapter` over an openpyxl ``Workbook`` (headless refresh).

    Results given to :meth:`write_results` are collected in :attr:`results`
    (``{(sheet, row, column): value}``) for the writer that stores them as cached values.
    A result for an empty cell (the cells of an array formula's range) is written as a plain
    value; a cell the user typed a value into keeps it. A cell hidden under a merged range
    (openpyxl's read-only ``MergedCell``) is skipped, as Excel keeps only a merge's first cell.
    Rows an import ``appended`` as plain values (:mod:`.appended_rows`) read as the sheet's
    cells do; the refresh writes none of their values.
    """

    formulas_live = False
    """A file's formulas never compute: the refresh gives each its value (cached)."""

    def __init__(self, workbook: Workbook, appended: AppendedRows | None = None) -> None:
        self.workbook = workbook
        self.appended = appended or AppendedRows()
        self.results: dict[tuple[str, int, int], Value] = {}
        self._raw: dict[str, list[Sequence[Value]]] = {}  # cell contents per sheet, until a write
        # Per sheet: the raw contents read and the (row, column) indexes of its formulas.
        self._formulas: dict[str, tuple[list[Sequence[Value]], list[tuple[int, int]]]] = {}

    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheetnames)

    def merged_ranges(self, sheet: str) -> list[tuple[int, int, int, int]]:
        """The sheet's merged ranges as (top, left, bottom, right); optional in the protocol
        (the refresh reports merged input cells when the adapter can tell)."""
        ranges = self.workbook[sheet].merged_cells.ranges
        return [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ranges]

    def read_block(self, sheet: str) -> Block:
        raw = self._raw.get(sheet)
        if raw is None:
            ws = self.workbook[sheet]
            blocks = self.appended.of(sheet)
            n_rows, n_cols = ws.max_row, ws.max_column  # each scans every cell: once
            if blocks:
                n_rows = max(n_rows, self.appended.last_row(sheet))
                n_cols = max(n_cols, self.appended.last_column(sheet))
            if n_rows == 1 and n_cols == 1 and ws.cell(1, 1).value is None:
                raw = []
            else:
                # Straight from openpyxl's cell store: iter_rows would create (and later
                # save) a cell object for every empty position of the rectangle. Rows are
                # tuples (an appended block's own, when it spans the row) until a cell
                # makes one a list.
                empty: tuple[Value, ...] = (None,) * n_cols
                raw = [empty] * n_rows
                for block in blocks:  # first: a block's None is no cell, and may be one
                    _put_block(raw, block, empty)
                for (r, c), cell in ws._cells.items():
                    line = raw[r - 1]
                    if type(line) is tuple:
                        line = raw[r - 1] = list(line)
                    line[c - 1] = cell._value
            self._raw[sheet] = raw
        return Block(1, 1, self._formula_results(sheet, raw))

    def _formula_results(
        self, sheet: str, raw: list[Sequence[Value]]
    ) -> list[Sequence[Value]]:
        """The rows where formulas read as their known result (or None), never as ``=…``:
        a row holding a formula is a copy, the others are the rows read (never changed).

        Where the formulas are is found once per read of the sheet (a refresh reads an
        input sheet several times, each time with more results known)."""
        found = self._formulas.get(sheet)
        if found is None or found[0] is not raw:
            positions = _formula_positions(raw, self.appended.of(sheet))
            found = self._formulas[sheet] = (raw, positions)
        values = list(raw)
        results = self.results
        for r, c in found[1]:
            line = values[r]
            if line is raw[r]:
                line = values[r] = list(line)
            line[c] = results.get((sheet, r + 1, c + 1))  # type: ignore[index]
        return values

    def write_values(
        self, sheet: str, row: int, column: int, values: Sequence[Sequence[Value]]
    ) -> None:
        """Write values; a cell without its own style takes its column's number format,
        as Excel does when you type into a formatted column."""
        self._raw.pop(sheet, None)
        ws = self.workbook[sheet]
        for j in range(max((len(line) for line in values), default=0)):
            letter = get_column_letter(column + j)
            dim = ws.column_dimensions[letter] if letter in ws.column_dimensions else None
            fmt = dim.number_format if dim is not None and dim.has_style else None
            for i, line in enumerate(values):
                if j >= len(line):
                    continue
                cell = ws.cell(row + i, column + j)
                if type(cell) is MergedCell:  # covered by a merge: only its first cell holds
                    continue
                set_cell_text(cell, line[j])  # user text never becomes a formula
                if fmt and not cell.has_style:
                    cell.number_format = fmt

    def clear(self, sheet: str, row: int, column: int, n_rows: int, n_columns: int) -> None:
        self._raw.pop(sheet, None)
        ws = self.workbook[sheet]
        for r in range(row, row + n_rows):
            for c in range(column, column + n_columns):
                if ws.cell(r, c).value is not None:
                    ws.cell(r, c).value = None

    def write_results(
        self, sheet: str, row: int, column: int, values: Sequence[Sequence[Value]]
    ) -> None:
        ws = self.workbook[sheet]
        cells = ws._cells  # a lookup; ws.cell would also create a missing cell
        for i, line in enumerate(values):
            for j, value in enumerate(line):
                cell = cells.get((row + i, column + j)) or ws.cell(row + i, column + j)
                if type(cell) is MergedCell:
                    continue
                if _is_formula(cell.value):
                    self.results[(sheet, row + i, column + j)] = value
                elif cell.value is None and value is not None and value != "":
                    self._raw.pop(sheet, None)
                    set_cell_text(cell, value)


def _put_block(
    raw: list[Sequence[Value]], block: RowBlock, empty: tuple[Value, ...]
) -> None:
    """A block's values into the rows of ``raw`` (0-based rows and columns; ``empty``: a
    row of no value, as ``raw`` holds it)."""
    width = len(empty)
    top = block.first_row - 1
    if block.columns == tuple(range(1, width + 1)):  # the block spans the rows: its own
        raw[top : top + len(block.rows)] = block.rows
        return
    first, n = block.columns[0] - 1, len(block.columns)
    if block.columns == tuple(range(first + 1, first + n + 1)):  # side by side: row slices
        before, after = empty[:first], empty[first + n :]
        for offset, values in enumerate(block.rows, start=top):
            if raw[offset] is empty:  # no other block in the row: the slices are the row
                raw[offset] = before + tuple(values) + after
            else:
                raw[offset] = _merged(raw[offset], first, values)
        return
    positions = [column - 1 for column in block.columns]
    for offset, values in enumerate(block.rows):
        line = list(raw[top + offset])
        for position, value in zip(positions, values, strict=True):
            if value is not None:
                line[position] = value
        raw[top + offset] = tuple(line)


def _merged(line: Sequence[Value], first: int, values: Sequence[Value]) -> tuple[Value, ...]:
    """``line`` with ``values`` from its position ``first`` on, where they are not None."""
    merged = list(line)
    for position, value in enumerate(values, start=first):
        if value is not None:
            merged[position] = value
    return tuple(merged)


_PLAIN = (str, int, float, bool)


def _formula_like(value: object) -> bool:
    """A value read as a formula: text starting with ``=``, or a formula object."""
    return (type(value) is str and value[:1] == "=") or (
        value is not None and type(value) not in _PLAIN and _is_formula(value)
    )


def _formula_positions(raw: list[Sequence[Value]], blocks: list[RowBlock]) -> list[tuple[int, int]]:
    """(row, column), 0-based, of every formula in ``raw``, row by row.

    A row that is still a tuple holds only values of appended blocks (``raw`` starts as
    one empty tuple per row; a cell makes its row a list): those are found in the blocks,
    column by column, each distinct value of a column looked at once (a long Activity
    table's 60,000 rows repeat a few texts), then checked in ``raw`` (a later block may
    have put another value there). Rows that are lists are read value by value."""
    positions = [
        (r, c)
        for r, line in enumerate(raw)
        if type(line) is not tuple
        for c, value in enumerate(line)
        if _formula_like(value)
    ]
    for block in blocks:
        top = block.first_row - 1
        for position, column in enumerate(block.columns):
            if block.quoted is not None and column not in block.quoted:
                continue  # no text of the column starts with "=" (nor any formula trigger)
            values = list(map(itemgetter(position), block.rows))
            distinct = dict.fromkeys(values)
            if not _may_read_as_formula(distinct):
                continue
            formulas = [v for v in distinct if _formula_like(v)]
            if not formulas:
                continue
            c = column - 1
            for offset, value in enumerate(values):
                r = top + offset
                if value in formulas and type(raw[r]) is tuple and _formula_like(raw[r][c]):
                    positions.append((r, c))
    return sorted(set(positions)) if blocks else positions


def _may_read_as_formula(distinct: Iterable[Value]) -> bool:
    """Whether a block's column, given its distinct values, may hold one that reads as a
    formula. A block holds plain values, so only text can, and a column of text only when
    one starts with "=": seen at once from the first characters (a ledger's column of
    60,000 distinct keys is not looked at value by value)."""
    kinds = set(map(type, distinct))
    kinds.discard(type(None))
    if str not in kinds:
        return False
    if kinds == {str}:
        return "=" in set(map(itemgetter(slice(1)), filter(None, distinct)))
    return True


def _is_formula(value: object) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    # ArrayFormula / DataTableFormula objects
    return type(value).__name__ in {"ArrayFormula", "DataTableFormula"}
