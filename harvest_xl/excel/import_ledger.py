"""The ledger of imports: a hidden sheet *Imported* with one row per record written to (or found
in) the Accounts, Holdings and Activity tables.

Why a sheet. The keys must survive the user's editing, a refresh (openpyxl keeps every sheet;
Excel keeps every sheet) and a save from Excel, and they can number 100,000 for a long
history: a document property holds 255 characters in Excel, and a custom XML part would need
its own writer on both the file and the Excel side. A hidden sheet is kept by everything
that keeps the workbook, is read and written with the tables in the same pass, and can be
unhidden to see where any row came from (*Source*: the broker file and line). The table rows
themselves stay the user's: nothing is added to them.

The ledger is append-only: a later snapshot that updates a Holdings row adds an entry, and
the last entry of a holding is its current one. Deleting a ledger row lets its record be
imported again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Font

from harvest_xl.engine.names import fold
from harvest_xl.excel.appended_rows import (
    AppendedRows,
    block_of_columns,
    stored_texts,
)
from harvest_xl.excel.import_records import LedgerColumns, LedgerEntry
from harvest_xl.excel.safe_read import HarvestFileError

LEDGER_SHEET = "Imported"
"""The ledger's sheet name (a public name: change it only with a release note)."""
LEDGER_COLUMNS: tuple[str, ...] = (
    "Key",
    "Table",
    "Row",
    "Source",
    "Holding key",
    "Fingerprint",
    "Account",
    "Note",
)
LEDGER_NOTE = (
    "harvest-xl's record of what 'harvest-xl import' wrote: a record listed here is not "
    "imported again. Keep this sheet; delete a row to let its record be imported again."
)
_WIDTHS = {"A": 34, "B": 10, "C": 8, "D": 44, "E": 34, "F": 18, "G": 24, "H": 28}


def read_ledger(workbook: Any) -> list[LedgerEntry]:
    """The ledger's entries in the order written (none when the sheet is missing).

    Raises :class:`HarvestFileError` when a sheet of that name is not a ledger (the user's
    own sheet called *Imported*): nothing is imported then, rather than guessing."""
    if LEDGER_SHEET not in workbook.sheetnames:
        return []
    ws = workbook[LEDGER_SHEET]
    width = len(LEDGER_COLUMNS)
    rows: dict[int, list[Any]] = {}
    for (row, column), cell in ws._cells.items():  # iter_rows would create every empty cell
        if column <= width and cell._value is not None:
            rows.setdefault(row, [None] * width)[column - 1] = cell._value
    header = rows.pop(1, [])
    if [fold(str(v)) if v is not None else "" for v in header] != [
        fold(name) for name in LEDGER_COLUMNS
    ]:
        raise HarvestFileError(
            LEDGER_SHEET,
            f"the workbook has a sheet '{LEDGER_SHEET}' that is not harvest-xl's record of "
            f"imports (its first row should be {', '.join(LEDGER_COLUMNS)}); rename that "
            "sheet and import again",
        )
    entries = []
    for _, values in sorted(rows.items()):
        key, table, row, source, holding, digest, account, note = values
        if not key or not table:
            continue
        entries.append(
            LedgerEntry(
                str(key),
                str(table),
                int(row) if isinstance(row, int | float) else None,
                "" if source is None else str(source),
                None if holding is None else str(holding),
                None if digest is None else str(digest),
                None if account is None else str(account),
                None if note is None else str(note),
            )
        )
    return entries


def append_ledger(
    workbook: Any,
    entries: LedgerColumns,
    rows: Sequence[int | None],
    appended: AppendedRows,
) -> None:
    """Add ``entries`` (given as the ledger's columns) below the ledger's last row, each
    with ``rows``' row (where its record went; None: the entry's own), as a block of
    values (:mod:`.appended_rows`); the sheet is made, hidden, when missing."""
    keys, tables, owns, sources, holdings, digests, accounts, notes = entries
    if not keys:
        return
    # Column by column: each text column is checked in one pass (stored_texts).
    at = [own if row is None else row for own, row in zip(owns, rows, strict=True)]
    held: list[list[Any]] = [stored_texts(keys), stored_texts(tables), at, stored_texts(sources)]
    held += [stored_texts(column) for column in (holdings, digests, accounts, notes)]
    if LEDGER_SHEET in workbook.sheetnames:
        ws = workbook[LEDGER_SHEET]
    else:
        ws = workbook.create_sheet(LEDGER_SHEET)
        ws.sheet_state = "hidden"
        for column, name in enumerate(LEDGER_COLUMNS, start=1):
            ws.cell(1, column).value = name
            ws.cell(1, column).font = Font(bold=True)
        ws.cell(1, len(LEDGER_COLUMNS) + 2).value = LEDGER_NOTE
        for letter, width in _WIDTHS.items():
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A2"
    last = max(max((row for row, _ in ws._cells), default=1), appended.last_row(LEDGER_SHEET))
    columns = tuple(range(1, len(LEDGER_COLUMNS) + 1))
    block = block_of_columns(ws, last + 1, columns, held, dict.fromkeys(columns))
    appended.add(LEDGER_SHEET, block)
    ws._current_row = max(ws._current_row, last + len(keys))
