"""Ranges as an Excel function receives them: a list of rows of cell values.

A range may carry its header row (``Table[#All]``) or not (``A2:I200``); these helpers turn
it into plain rows, or into one ``{header: value}`` record per data row for the table
readers of :mod:`harvest_xl.inputs.tables`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.names import fold
from harvest_xl.inputs.cells import is_empty, to_date


def row_is_blank(row: Sequence[Any]) -> bool:
    return all(is_empty(cell) for cell in row)


def to_table(value: object, argument: str, columns: int | None = None) -> list[list[Any]]:
    """A range as a list of rows, trailing blank rows dropped.

    A single value becomes ``[[value]]`` and a flat list one row. With ``columns``, every
    row must have at least that many cells (extra cells to the right are ignored, so
    a note column does not hurt) and rows are cut to exactly ``columns``.
    """
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        rows: list[list[Any]] = [[value]]
    elif not value:
        return []
    elif all(not isinstance(cell, list | tuple) for cell in value):  # one flat row
        rows = [list(value)]
    else:
        rows = []
        for row in value:
            if not isinstance(row, list | tuple) or any(
                isinstance(cell, list | tuple) for cell in row
            ):
                raise HarvestInputError(argument, "is not a range of rows and columns")
            rows.append(list(row))
    while rows and row_is_blank(rows[-1]):
        rows.pop()
    if columns is not None and rows:
        for number, row in enumerate(rows, start=1):
            if len(row) < columns:
                raise HarvestInputError(
                    argument,
                    f"needs {columns} columns but row {number} has {len(row)}",
                )
        rows = [row[:columns] for row in rows]
    return rows


def drop_header(
    rows: list[list[Any]],
    date_column: int | None = None,
    header_names: frozenset[str] = frozenset(),
) -> list[list[Any]]:
    """Rows without a header row, if the first row is one.

    The first row is a header when all its filled cells are text and either its
    ``date_column`` cell is not a date or its first cell is one of ``header_names``
    (compared as names are, :func:`~harvest_xl.engine.names.fold`). A table whose data is
    all text needs ``header_names``; otherwise its first data row would look like a header.
    """
    if not rows:
        return rows
    first = rows[0]
    filled = [cell for cell in first if not is_empty(cell)]
    if not filled or not all(type(cell) is str for cell in filled):
        return rows
    if header_names and type(first[0]) is str and fold(first[0]) in header_names:
        return rows[1:]
    if date_column is not None and date_column < len(first):
        try:
            to_date(first[date_column], "header")
        except HarvestInputError:
            return rows[1:]
    return rows


def has_header(rows: Sequence[Sequence[Any]], names: Sequence[str]) -> bool:
    """True when the first row holds every one of ``names`` as a header (any case/spacing)."""
    if not rows:
        return False
    found = {fold(cell) for cell in rows[0] if isinstance(cell, str)}
    return all(fold(name) in found for name in names)


def records_from_table(
    rows: object, argument: str, required: tuple[str, ...] = ()
) -> list[dict[str, object]]:
    """A table range *with its header row* as one ``{header: value}`` dict per data row.

    Blank rows inside the table stay (as empty records), so record ``i`` is always the
    table's data row ``i + 1``; trailing blank rows are dropped. Values are the cells as
    given: the table readers convert them. ``required`` headers must be present (an empty
    range is no rows).
    """
    table = to_table(rows, argument)
    if not table:
        return []
    header = table[0]
    if not all(cell is None or type(cell) is str for cell in header):
        raise HarvestInputError(
            argument, "the first row must be the table's header row (select Table[#All])"
        )
    names = [cell.strip() if type(cell) is str else "" for cell in header]
    folded = {fold(name) for name in names}
    for name in required:
        if fold(name) not in folded:
            raise HarvestInputError(argument, f"has no {name!r} column in its header row")
    return [
        {name: value for name, value in zip(names, row, strict=False) if name}
        for row in table[1:]
    ]
