"""The import's vocabulary: the ledger entry of a record, the rows it plans to write, and
the report of what became of each file and each account (plain records, no workbook)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any, Protocol, overload

from harvest_xl.engine.models import AccountType
from harvest_xl.excel import layout as L
from harvest_xl.importers import Broker, ImportReport

TableRows = Sequence[tuple[int, Mapping[str, Any]]]
"""A table as read: (worksheet row, {header: value}) for each non-blank data row."""

SKIP_NO_ACCOUNT = "the file names no account: give it (harvest-xl import --account NAME)"
SKIP_REVERSE_SPLIT = "reverse splits (shares removed): adjust the lots by hand"
SKIP_TOTAL_WITH_LOTS = "position totals whose lots are imported with them"
SKIP_CLOSED_LOTS = "closed lots not needed for a SELL row (no workbook table holds them)"
SKIP_TOTAL_WITH_REBUILT = (
    "position totals whose lots were rebuilt from the history (their rows take its price)"
)

MATCHED = "matched a row already there"
"""The ledger note of a record found in a row the import did not write (the user's, or
another file's): that row is never updated."""
UPDATED = "updated from a later snapshot"
PRICED = "price from a positions file"
"""The ledger note of a row rebuilt from the history that took a positions file's price:
a later rebuild keeps that price."""
SUPERSEDED = "superseded by a positions or lots file"
"""The ledger note marking a holding rebuilt from the history that a positions or lots
file has replaced: the history no longer writes it."""


LedgerFields = tuple[str, str, int | None, str, str | None, str | None, str | None, str | None]
"""A :class:`LedgerEntry`'s values in the order of its fields (:meth:`LedgerEntry.fields`)."""
LedgerColumns = list[list[Any]]
"""Ledger entries as the ledger's columns: one list per field of :class:`LedgerEntry`, in
the order of its fields, each holding one value per entry."""


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

    def fields(self) -> LedgerFields:
        """The entry's values in the order of its fields (the ledger's columns)."""
        return (
            self.key,
            self.table,
            self.row,
            self.source,
            self.holding_key,
            self.fingerprint,
            self.account,
            self.note,
        )

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


def ledger_columns(entries: Iterable[LedgerEntry]) -> LedgerColumns:
    """``entries`` as the ledger's columns (:data:`LedgerColumns`)."""
    fields = [entry.fields() for entry in entries]
    return [list(map(itemgetter(i), fields)) for i in range(_FIELDS)]


def joined_columns(parts: Sequence[LedgerColumns]) -> LedgerColumns:
    """The entries of ``parts``, one part after the other, as one set of columns."""
    return [list(chain.from_iterable(part[i] for part in parts)) for i in range(_FIELDS)]


_FIELDS = len(LedgerEntry.__slots__)


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """A row to append to ``table``: ``values`` by header; ``note`` is a comment for the
    cell of the ``note_column``; ``entry`` is its ledger entry (the row is set on writing)."""

    table: str
    values: dict[str, Any]
    entry: LedgerEntry
    note: str | None = None
    note_column: str | None = None


class PlannedRows(Sequence[PlannedRow]):
    """The rows to append to one table, in order: each a :class:`PlannedRow`.

    A long history plans tens of thousands of Activity rows, each only its values and the
    key and source of its ledger entry: those (:meth:`add`) are kept as plain values, the
    values by header and the two texts, which the cycle collector does not scan, and are
    made a :class:`PlannedRow` only when asked for; a row with more to it (a note, a
    holding's key and fingerprint) is kept as the PlannedRow given (:meth:`append`)."""

    __slots__ = ("table", "_values", "_keys", "_sources", "_whole", "_fingerprints")

    def __init__(self, table: str) -> None:
        self.table = table
        self._values: list[dict[str, Any]] = []
        self._keys: list[str] = []
        self._sources: list[str] = []
        self._whole: dict[int, PlannedRow] = {}  # position -> the row appended whole
        self._fingerprints: dict[int, str] = {}  # position -> its entry's fingerprint

    def add(self, values: dict[str, Any], key: str, source: str) -> None:
        """A row of ``values`` whose ledger entry is only the record's ``key`` and
        ``source`` (the row is set on writing)."""
        self._values.append(values)
        self._keys.append(key)
        self._sources.append(source)

    def append(self, planned: PlannedRow) -> None:
        """A row as planned, kept as it is."""
        self._whole[len(self._values)] = planned
        self.add(planned.values, planned.entry.key, planned.entry.source)

    def mark_repeats(
        self, columns: Sequence[str], digest: Callable[[Mapping[str, Any]], str]
    ) -> int:
        """Give the ledger entry of each plain row whose values in ``columns`` another
        plain row repeats the ``digest`` of those values (made once for all of them);
        the number of rows marked.

        Two rows the import writes alike come from two lines of the broker's files (two
        fills at one price, two equal reinvestments on one day): two trades, not one typed
        twice. The refresh counts the entries carrying a digest to tell them from a row
        the user repeats (:mod:`harvest_xl.excel.imported_copies`). Only repeated rows
        are marked: the rest need no digest, and a long history is spared one per row."""
        first: dict[tuple[Any, ...], int] = {}  # values -> the first row holding them
        group: dict[int, int] = {}  # each row of a repeated kind -> the first of its kind
        for position, values in enumerate(self._values):
            if position in self._whole:
                continue
            earlier = first.setdefault(tuple(map(values.get, columns)), position)
            if earlier != position:
                group[earlier] = group[position] = earlier
        del first
        digests: dict[int, str] = {}  # the first row of a kind -> the digest of its values
        for position, earlier in group.items():
            found = digests.get(earlier)
            if found is None:
                found = digests[earlier] = digest(self._values[earlier])
            self._fingerprints[position] = found
        return len(group)

    def __len__(self) -> int:
        return len(self._values)

    @overload
    def __getitem__(self, index: int) -> PlannedRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[PlannedRow]: ...

    def __getitem__(self, index: int | slice) -> PlannedRow | list[PlannedRow]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(len(self._values))[index]]
        return self._row(range(len(self._values))[index])

    def __iter__(self) -> Iterator[PlannedRow]:
        return map(self._row, range(len(self._values)))

    def _row(self, position: int) -> PlannedRow:
        whole = self._whole.get(position)
        if whole is not None:
            return whole
        entry = LedgerEntry(
            self._keys[position],
            self.table,
            None,
            self._sources[position],
            fingerprint=self._fingerprints.get(position),
        )
        return PlannedRow(self.table, self._values[position], entry)

    def values(self) -> list[dict[str, Any]]:
        """Each row's values by header, in order."""
        return self._values

    def entry_columns(self) -> LedgerColumns:
        """The rows' ledger entries as the ledger's columns (:func:`ledger_columns`): a
        plain row's without making the entry."""
        n = len(self._keys)
        columns: LedgerColumns = [
            list(self._keys),
            [self.table] * n,
            [None] * n,
            list(self._sources),
            [None] * n,
            list(map(self._fingerprints.get, range(n))),
            [None] * n,
            [None] * n,
        ]
        for position, row in self._whole.items():
            for column, value in zip(columns, row.entry.fields(), strict=True):
                column[position] = value
        return columns

    def noted(self) -> list[tuple[int, PlannedRow]]:
        """(position, row) of each row with a note for a cell of its ``note_column``."""
        return [
            (position, row)
            for position, row in sorted(self._whole.items())
            if row.note and row.note_column
        ]


@dataclass(frozen=True, slots=True)
class RowUpdate:
    """An imported Holdings row that takes a later snapshot's values (``values``: the
    columns that change); ``notes``: (column, comment) for cells whose comment changes,
    None to remove ours."""

    table: str
    row: int
    values: dict[str, Any]
    entry: LedgerEntry
    notes: tuple[tuple[str, str | None], ...] = ()


class HoldingCounts(Protocol):
    """What became of the Holdings records of one file (or one rebuilt account)."""

    added: Counter[str]
    present: Counter[str]
    updated: int
    kept: int


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
    took_over: int = 0
    priced: int = 0
    superseded_rows: list[int] = field(default_factory=list)

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
        if self.took_over:
            out.append(
                f"  {self.took_over} Holdings row(s) rebuilt from the history now hold this "
                "file's lots (a positions or lots file comes first)"
            )
        if self.priced:
            out.append(f"  {self.priced} Holdings row(s) rebuilt from the history take its price")
        if self.superseded_rows:
            out.append(
                f"  Holdings {_rows(self.superseded_rows)}: rebuilt from the history, not in "
                "this file: delete them if the shares are gone"
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
class RebuiltAccount:
    """What ``--lots-from-history`` did for one account the history covers: the lots it
    rebuilt and what became of them in Holdings, the tickers left out and why, the rows an
    earlier rebuild wrote that the history no longer holds; or why the account was not
    rebuilt at all (``not_rebuilt``)."""

    name: str
    lots: int = 0
    tickers: int = 0
    added: Counter[str] = field(default_factory=Counter)
    present: Counter[str] = field(default_factory=Counter)
    updated: int = 0
    kept: int = 0
    left_out: list[str] = field(default_factory=list)
    stale_rows: list[int] = field(default_factory=list)
    not_rebuilt: str | None = None

    @property
    def needs_you(self) -> bool:
        """A ticker was left out, or a row the history no longer holds is to delete."""
        return bool(self.left_out or self.stale_rows)

    def lines(self) -> list[str]:
        """The account's part of the report."""
        if self.not_rebuilt is not None:
            return [f"  {self.name}: not rebuilt: {self.not_rebuilt}"]
        table = L.HOLDINGS
        line = (
            f"  {self.name}: {self.lots} lot(s) of {self.tickers} ticker(s) rebuilt; "
            f"{table}: added {self.added[table]}, already present {self.present[table]}"
        )
        if self.updated:
            line += f", updated {self.updated}"
        if self.kept:
            line += f", kept {self.kept} as you have them"
        out = [line]
        out += [f"    {reason}" for reason in self.left_out]
        if self.stale_rows:
            out.append(
                f"    {table} {_rows(self.stale_rows)}: rebuilt earlier, no longer held "
                "according to the history: delete them"
            )
        return out


def _rows(numbers: Sequence[int]) -> str:
    return ("row " if len(numbers) == 1 else "rows ") + ", ".join(str(n) for n in numbers)


@dataclass
class ImportPlan:
    """Everything an import will write, and its report (``rebuilt``: per account, what
    ``--lots-from-history`` did; empty without it)."""

    rows: dict[str, PlannedRows]
    updates: list[RowUpdate]
    links: list[LedgerEntry]
    files: list[FileOutcome]
    accounts: list[AccountOutcome]
    rebuilt: list[RebuiltAccount] = field(default_factory=list)

    @property
    def changes(self) -> int:
        """Rows added or updated (0: the workbook's tables stay as they are)."""
        return sum(len(rows) for rows in self.rows.values()) + len(self.updates)
