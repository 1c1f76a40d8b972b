"""The import's vocabulary: the ledger entry of a record, the rows it plans to write, and
the report of what became of each file and each account (plain records, no workbook)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from harvest_xl.engine.models import AccountType
from harvest_xl.excel import layout as L
from harvest_xl.importers import Broker, ImportReport

TableRows = Sequence[tuple[int, Mapping[str, Any]]]
"""A table as read: (worksheet row, {header: value}) for each non-blank data row."""

SKIP_NO_ACCOUNT = "the file names no account: give it (harvest-xl import --account NAME)"
SKIP_REVERSE_SPLIT = "reverse splits (shares removed): adjust the lots by hand"
SKIP_TOTAL_WITH_LOTS = "position totals whose lots are imported with them"
SKIP_CLOSED_LOTS = "closed lots not needed for a SELL row (no workbook table holds them)"

MATCHED = "matched a row already there"
"""The ledger note of a record found in a row the import did not write (the user's, or
another file's): that row is never updated."""
UPDATED = "updated from a later snapshot"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One row of the *Imported* sheet: a record written to (or found in) a table row.

    ``key`` is the record's identity key; ``row`` the worksheet row it went to then (rows
    move when the user sorts: Holdings rows are found again by ``fingerprint``, the digest
    of the input values written); ``holding_key`` the holding a lot belongs to;
    ``account`` the Accounts row's name an account record stands for; ``note`` says when
    the row was not simply added ("updated", "matched a row already there")."""

    key: str
    table: str
    row: int | None
    source: str
    holding_key: str | None = None
    fingerprint: str | None = None
    account: str | None = None
    note: str | None = None

    def at(self, row: int) -> LedgerEntry:
        """This entry for the row it was written to."""
        return LedgerEntry(
            self.key,
            self.table,
            row,
            self.source,
            self.holding_key,
            self.fingerprint,
            self.account,
            self.note,
        )


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """A row to append to ``table``: ``values`` by header; ``note`` is a comment for the
    cell of the ``note_column``; ``entry`` is its ledger entry (the row is set on writing)."""

    table: str
    values: dict[str, Any]
    entry: LedgerEntry
    note: str | None = None
    note_column: str | None = None


@dataclass(frozen=True, slots=True)
class RowUpdate:
    """An imported Holdings row that takes a later snapshot's values."""

    table: str
    row: int
    values: dict[str, Any]
    entry: LedgerEntry


@dataclass
class FileOutcome:
    """What became of one file's records: the reader's report (rows read, skipped by the
    reader, bad rows) and, per table, rows added, already present, updated and kept."""

    report: ImportReport
    added: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)
    updated: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    sells_with_lots: int = 0

    def lines(self) -> list[str]:
        """The file's part of the report."""
        report = self.report
        out = [
            f"{report.source_name}: {report.broker.value} {report.kind.value} ({report.layout})",
            f"  rows read {report.rows_read}: records {report.records_made}, "
            f"skipped {sum(n for _, n in report.skipped)}, bad {len(report.problems)}",
        ]
        for table in (L.ACCOUNTS, L.HOLDINGS, L.ACTIVITY):
            added, present = self.added[table], self.present[table]
            if added or present or (table == L.HOLDINGS and (self.updated or self.kept)):
                line = f"  {table}: added {added}, already present {present}"
                if table == L.HOLDINGS and self.updated:
                    line += f", updated {self.updated} (a later snapshot)"
                if table == L.HOLDINGS and self.kept:
                    line += f", kept {self.kept} as you have them"
                out.append(line)
        if self.sells_with_lots:
            out.append(
                f"  {self.sells_with_lots} SELL row(s) given their lots from the closed lots "
                "imported with them"
            )
        out += [f"  skipped {count}: {reason}" for reason, count in self.report.skipped]
        out += [f"  skipped {count}: {reason}" for reason, count in self.skipped.items()]
        out += [f"  bad row: {problem}" for problem in report.problems]
        return out


@dataclass(frozen=True, slots=True)
class AccountOutcome:
    """An account named in the files: its row in the Accounts table and how it got there."""

    name: str
    broker: Broker | None
    identity: str | None
    inferred: AccountType | None
    inferred_from: str
    status: str

    def line(self) -> str:
        where = f" ({self.broker.value} {self.identity})" if self.broker else ""
        kind = self.inferred.value if self.inferred is not None else "type not inferred"
        return f"  {self.name}{where}: {kind}; {self.inferred_from}; {self.status}"


@dataclass
class ImportPlan:
    """Everything an import will write, and its report."""

    rows: dict[str, list[PlannedRow]]
    updates: list[RowUpdate]
    links: list[LedgerEntry]
    files: list[FileOutcome]
    accounts: list[AccountOutcome]

    @property
    def changes(self) -> int:
        """Rows added or updated (0: the workbook's tables stay as they are)."""
        return sum(len(rows) for rows in self.rows.values()) + len(self.updates)
