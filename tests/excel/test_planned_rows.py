"""The import's planned rows kept as columns (PlannedRows), a ledger entry as its fields, and
a table read as its rows' numbers and values (TableRows): each reads back exactly as the
records it stands for."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from harvest_xl.excel import layout as L
from harvest_xl.excel.book import Block
from harvest_xl.excel.import_records import (
    LedgerEntry,
    PlannedRow,
    PlannedRows,
    joined_columns,
    ledger_columns,
)
from harvest_xl.excel.input_tables import read_table


def _rows() -> tuple[PlannedRows, PlannedRow]:
    rows = PlannedRows(L.HOLDINGS)
    rows.add({"Ticker": "VTI"}, "key-1", "a.csv, line 2")
    whole = PlannedRow(
        L.HOLDINGS,
        {"Ticker": "BND"},
        LedgerEntry("key-2", L.HOLDINGS, None, "a.csv, line 3", "holding-2", "print-2"),
        note="type the date",
        note_column="Acquired",
    )
    rows.append(whole)
    rows.add({"Ticker": "VXUS"}, "key-3", "a.csv, line 4")
    return rows, whole


def test_a_plain_row_reads_back_as_its_planned_row() -> None:
    """A row added as values, key and source is the PlannedRow with the ledger entry of
    that key and source (its row set on writing), in its place among the others."""
    rows, whole = _rows()
    assert len(rows) == 3
    assert rows[0] == PlannedRow(
        L.HOLDINGS, {"Ticker": "VTI"}, LedgerEntry("key-1", L.HOLDINGS, None, "a.csv, line 2")
    )
    assert rows[1] is whole
    assert rows[-1].values == {"Ticker": "VXUS"}
    assert [row.entry.key for row in rows] == ["key-1", "key-2", "key-3"]
    assert [row.entry.key for row in rows[1:]] == ["key-2", "key-3"]
    assert rows.values() == [{"Ticker": "VTI"}, {"Ticker": "BND"}, {"Ticker": "VXUS"}]


def test_entry_columns_are_the_entries_fields_in_order() -> None:
    """entry_columns gives the rows' ledger entries as columns: column i holds field i of
    each row's entry (LedgerEntry.fields, the entry's values in the order of its fields),
    as ledger_columns makes of the entries; joined_columns puts parts one after the other;
    noted lists only rows with a note."""
    rows, whole = _rows()
    entries = [row.entry for row in rows]
    columns = rows.entry_columns()
    assert [tuple(column[n] for column in columns) for n in range(3)] == [
        entry.fields() for entry in entries
    ]
    assert ledger_columns(entries) == columns
    assert joined_columns([columns, ledger_columns(entries[:1])]) == ledger_columns(
        [*entries, entries[0]]
    )
    assert whole.entry.fields() == (
        "key-2", L.HOLDINGS, None, "a.csv, line 3", "holding-2", "print-2", None, None
    )
    assert rows.noted() == [(1, whole)]


class _Lines:
    """A book whose one sheet reads as the given lines (of any length), as an adapter
    other than openpyxl's may give them."""

    def __init__(self, lines: list[list[object]]) -> None:
        self.lines = lines

    def sheet_names(self) -> list[str]:
        return [L.ACTIVITY]

    def read_block(self, sheet: str) -> Block:
        return Block(1, 1, self.lines)


def test_read_table_keeps_rows_with_any_input_and_pads_short_lines() -> None:
    """A row is kept when any input cell holds something (not only the first), a blank
    row is left out, and a line shorter than the table reads its missing cells as None;
    rows pairs each row's worksheet number with its values."""
    full = [date(2026, 1, 2), "Brokerage", "BUY", "VTI", 1, 100, None, None]
    lines: list[list[object]] = [
        list(L.ACTIVITY_COLUMNS),
        full,
        [None, None, None, None, None, 5, None, None],
        [None, " ", None, None, None, None, None, None],
        [date(2026, 1, 3), "Brokerage"],
        [],
    ]
    book: Any = _Lines(lines)
    table = read_table(book, L.ACTIVITY, L.ACTIVITY_COLUMNS, (), [])
    assert table is not None
    empty = dict.fromkeys(L.ACTIVITY_COLUMNS)
    assert table.rows == [
        (2, dict(zip(L.ACTIVITY_COLUMNS, full, strict=True))),
        (3, empty | {"Price": 5}),
        (5, empty | {"Date": date(2026, 1, 3), "Account": "Brokerage"}),
    ]
    assert table.numbers == [2, 3, 5]
    assert table.last_row == 6
    assert table.values_at(5) == empty | {"Date": date(2026, 1, 3), "Account": "Brokerage"}
    for not_read in (1, 4, 6, None):  # the header, a blank row, past the rows, no row
        with pytest.raises(KeyError):
            table.values_at(not_read)
