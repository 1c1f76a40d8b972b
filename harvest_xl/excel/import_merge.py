"""What an import changes in the Accounts, Holdings and Activity tables, decided before
anything is written (plain values in, a plan out: no workbook library here).

:func:`plan_import` takes the records read from the broker files, the tables' rows as they
are now and the ledger of earlier imports (the hidden *Imported* sheet,
:mod:`.import_ledger`), and returns the rows to add, the imported Holdings rows a later
snapshot updates, the ledger entries to record and the report. The rules:

* **Identity.** A record whose key the ledger holds is already present. So is a record whose
  row is already in the table, typed by the user or imported from another file (compared by
  value, each table row standing for one record): importing the same file twice, or an
  overlapping later export, adds only rows not seen before.
* **The user's rows are the user's.** Rows are only ever added at the end. The one update:
  a Holdings row an earlier import wrote takes a later snapshot's values for the same holding
  (``holding_key``), and only while it still holds exactly what was written (its
  fingerprint); a row the user edited is left as it is and counted as kept.
* **Accounts** are matched to the table by the number or the name (compared with
  :func:`~harvest_xl.engine.names.fold`); an account the user typed keeps the user's type.
  A new account row gets the type inferred from its name, with a note to check it; when
  the name says nothing, the Type is left empty (the refresh then asks for it).
* **Never a guessed value.** A position total is a Holdings row with an empty Acquired cell
  and a note; a SELL gets a cost basis and an acquired date only from the broker (the row
  itself, or the closed lots of a realized gain/loss export imported with it).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.lots import Action
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.names import fold
from harvest_xl.excel import layout as L
from harvest_xl.importers import (
    Broker,
    ImportedAccount,
    ImportedLot,
    ImportedRealizedLot,
    ImportedTrade,
    ImportReport,
    ImportResult,
    TradeKind,
    infer_account_type,
)
from harvest_xl.inputs import cells

TableRows = Sequence[tuple[int, Mapping[str, Any]]]
"""A table as read: (worksheet row, {header: value}) for each non-blank data row."""

ACTION_WORDS: dict[TradeKind, str] = {
    TradeKind.BUY: "BUY",
    TradeKind.REINVEST: "BUY",  # a reinvested dividend buys shares: it starts wash-sale windows
    TradeKind.SELL: "SELL",
    TradeKind.TRANSFER_IN: "TRANSFER IN",
    TradeKind.TRANSFER_OUT: "TRANSFER OUT",
    TradeKind.SPLIT: "SPLIT",
}
"""The Activity table's Action word for each kind of imported trade."""

NO_CASH_KINDS = frozenset({TradeKind.SPLIT, TradeKind.TRANSFER_IN, TradeKind.TRANSFER_OUT})
"""Rows where no cash changes hands: a file that gives no price gets Price 0 (the Activity
table needs a number; nothing is bought or sold at it)."""

SKIP_NO_ACCOUNT = "the file names no account: give it (harvest-xl import --account NAME)"
SKIP_REVERSE_SPLIT = "reverse splits (shares removed): adjust the lots by hand"
SKIP_TOTAL_WITH_LOTS = "position totals whose lots are imported with them"
SKIP_CLOSED_LOTS = "closed lots not needed for a SELL row (no workbook table holds them)"

MATCHED = "matched a row already there"
"""The ledger note of a record found in a row the import did not write (the user's, or
another file's): that row is never updated."""
UPDATED = "updated from a later snapshot"

NOTE_POSITION_TOTAL = (
    "Imported as a position total ({source}): the file gives no acquisition date. "
    "Type the date the shares were bought, or replace this row by one row per lot."
)
NOTE_NO_DATE = (
    "Imported ({source}) without an acquisition date: the file does not give it. "
    "Type the date the shares were bought."
)
NOTE_ACCOUNT_TYPE = "{why} ({source}). Check the type and change it if it is wrong."
NOTE_NO_ACCOUNT_TYPE = "{why} ({source})."

_MIDNIGHT = datetime.min.time()


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


# ----------------------------------------------------------------------------- values


def cell_value(value: Decimal | float | int | date | str | None) -> Any:
    """A value as written to a cell: a Decimal becomes an int when whole, else a float (Excel
    keeps 15 significant digits, more than any share count or amount a broker gives)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def canonical(value: object) -> str:
    """A cell's value as compared: numbers to Excel's 15 significant digits, a datetime at
    midnight as its date, text with its spaces evened out."""
    if cells.is_empty(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return "0" if number == 0 else format(number, ".15g")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == _MIDNIGHT else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def fingerprint(values: Mapping[str, Any], columns: Sequence[str]) -> str:
    """The digest of a row's input values: equal exactly when every value compares equal."""
    text = "\x1f".join(canonical(values.get(name)) for name in columns)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def _number(value: object) -> str:
    try:
        return canonical(cells.to_decimal(value, "value"))
    except HarvestInputError:
        return canonical(value)


def _day(value: object) -> str:
    try:
        return cells.to_date(value, "value").isoformat()
    except HarvestInputError:
        return canonical(value)


def _action(value: object) -> str:
    try:
        return Action.parse(value).value
    except HarvestInputError:
        return fold(str(value)) if value is not None else ""


def _name(value: object) -> str:
    return fold(canonical(value))


def _holding_match(values: Mapping[str, Any]) -> tuple[str, ...]:
    """A Holdings row as matched by value: the lot (account, ticker, shares, acquired,
    basis), not its price, which moves every day."""
    return (
        _name(values.get("Account")),
        canonical(values.get("Ticker")).upper(),
        _number(values.get("Shares")),
        _day(values.get("Acquired")),
        _number(values.get("Cost basis")),
    )


def _activity_match(values: Mapping[str, Any]) -> tuple[str, ...]:
    """An Activity row as matched by value: every column, as the table reads it."""
    return (
        _day(values.get("Date")),
        _name(values.get("Account")),
        _action(values.get("Action")),
        canonical(values.get("Ticker")).upper(),
        _number(values.get("Shares")),
        _number(values.get("Price")),
        _number(values.get("Cost basis")),
        _day(values.get("Acquired")),
    )


class _RowsByValue:
    """The rows of a table by their matched values; each row stands for one record. Built
    on first use: an import whose records the ledger already holds never needs it."""

    def __init__(self, rows: TableRows, match: Any) -> None:
        self._source = rows
        self._match = match
        self._index: dict[tuple[str, ...], list[int]] | None = None

    def _rows(self) -> dict[tuple[str, ...], list[int]]:
        if self._index is None:
            self._index = defaultdict(list)
            for number, values in self._source:
                self._index[self._match(values)].append(number)
        return self._index

    def take(self, values: Mapping[str, Any]) -> int | None:
        """The first row holding ``values`` not taken yet (taken now), or None."""
        if not self._source:
            return None
        found = self._rows().get(self._match(values))
        return found.pop(0) if found else None

    def take_all(self, rows: Sequence[Mapping[str, Any]]) -> list[int] | None:
        """A row for each of ``rows`` (all taken now), or None (none taken) when any of
        them is not there."""
        if not self._source:
            return None
        index = self._rows()
        matches = [self._match(values) for values in rows]
        wanted = Counter(matches)
        if any(len(index.get(match, ())) < n for match, n in wanted.items()):
            return None
        return [index[match].pop(0) for match in matches]


# ---------------------------------------------------------------------------- accounts


class _Accounts:
    """The Accounts row each imported account stands for (see the module docstring)."""

    def __init__(
        self,
        rows: TableRows,
        ledger: Sequence[LedgerEntry],
        accounts: Sequence[ImportedAccount],
        given: str | None,
    ) -> None:
        self.names: dict[str, str] = {}  # folded name -> the name in the table
        for _, values in rows:
            shown = canonical(values.get("Account"))
            if shown:
                self.names.setdefault(fold(shown), shown)
        self.linked: dict[str, str] = {}  # account key -> the row name it was given
        self.claimed: dict[str, str] = {}  # folded row name -> the account key it stands for
        for entry in ledger:
            if entry.table == L.ACCOUNTS and entry.account:
                self.linked[entry.key] = entry.account
                self.claimed[fold(entry.account)] = entry.key
        self.shared = Counter(fold(a.name) for a in accounts if a.name)
        self.given = given
        self.resolved: dict[str, str] = {}  # account key -> name
        self.added: set[str] = set()  # keys of the accounts given a new row
        self.new_rows: list[PlannedRow] = []
        self.links: list[LedgerEntry] = []
        self.outcomes: list[AccountOutcome] = []
        self._by_identity = {(a.broker, a.account): a for a in accounts}

    def name_of(self, broker: Broker, identity: str | None) -> str | None:
        """The Accounts row name for a record's account (None: no account known)."""
        if identity is None:
            return self._given()
        account = self._by_identity[(broker, identity)]
        name = self.resolved.get(account.key)
        if name is None:
            name = self.resolved[account.key] = self._resolve(account)
        return name

    def _free(self, folded: str, key: str) -> bool:
        return self.claimed.get(folded) in (None, key)

    def _resolve(self, account: ImportedAccount) -> str:
        key = account.key
        linked = self.linked.get(key)
        if linked is not None and fold(linked) in self.names:
            name = self.names[fold(linked)]
            self._outcome(account, name, "already in the Accounts table")
            return name
        candidates = [account.number] if account.number else []
        if account.name and self.shared[fold(account.name)] == 1:
            candidates.append(account.name)
        for candidate in candidates:
            folded = fold(candidate)
            if folded in self.names and self._free(folded, key):
                name = self.names[folded]
                self.claimed[folded] = key
                self.links.append(
                    LedgerEntry(
                        key,
                        L.ACCOUNTS,
                        None,
                        str(account.source),
                        account=name,
                        note=MATCHED,
                    )
                )
                self._outcome(account, name, "matched your row (your type is kept)")
                return name
        name = self._new_name(account)
        self._add(key, name, account.account_type, account.inferred_from, str(account.source))
        self._outcome(account, name, "added: check the type")
        return name

    def _new_name(self, account: ImportedAccount) -> str:
        """The name as shown, or the number when there is none; with the number too when
        the name is taken or two of the accounts imported share it."""
        base = account.name or account.account
        if account.name and account.number:
            folded = fold(account.name)
            if self.shared[folded] > 1 or folded in self.names:
                base = f"{account.name} {account.number}"
        name, n = base, 1
        while fold(name) in self.names:
            n += 1
            name = f"{base} ({account.broker.value}{'' if n == 2 else f' {n - 1}'})"
        return name

    def _add(self, key: str, name: str, kind: AccountType | None, why: str, source: str) -> None:
        self.names[fold(name)] = name
        self.claimed[fold(name)] = key
        self.added.add(key)
        template = NOTE_ACCOUNT_TYPE if kind is not None else NOTE_NO_ACCOUNT_TYPE
        self.new_rows.append(
            PlannedRow(
                L.ACCOUNTS,
                {"Account": name, "Type": None if kind is None else kind.value},
                LedgerEntry(key, L.ACCOUNTS, None, source, account=name),
                note=template.format(why=why, source=source),
                note_column="Type",
            )
        )

    def _given(self) -> str | None:
        """The account named by the user for records whose file names none."""
        if self.given is None:
            return None
        key = f"given-account-{fold(self.given)}"
        name = self.resolved.get(key)
        if name is not None:
            return name
        folded = fold(self.given)
        kind, why = infer_account_type(self.given)
        if folded in self.names:
            name = self.names[folded]
            status = "already in the Accounts table (your type is kept)"
        else:
            name = self.given.strip()
            self._add(key, name, kind, why, "the account you named")
            status = "added: check the type"
        self.resolved[key] = name
        self.outcomes.append(AccountOutcome(name, None, None, kind, why, status))
        return name

    def _outcome(self, account: ImportedAccount, name: str, status: str) -> None:
        self.outcomes.append(
            AccountOutcome(
                name,
                account.broker,
                account.account,
                account.account_type,
                account.inferred_from,
                status,
            )
        )


# ------------------------------------------------------------------------------- lots


def _lot_values(lot: ImportedLot, account: str) -> dict[str, Any]:
    basis = lot.cost_basis
    if basis is None and lot.cost_per_share is not None:
        basis = lot.cost_per_share * lot.shares  # the file's per-share cost, for the lot
    return {
        "Account": account,
        "Ticker": lot.ticker,
        "Shares": cell_value(lot.shares),
        "Acquired": lot.acquired,
        "Cost basis": cell_value(basis),
        "Price": cell_value(lot.price),
    }


class _Holdings:
    """Lots into Holdings rows: added, already present, or an earlier import's row
    updated by a later snapshot of the same holding."""

    def __init__(self, rows: TableRows, ledger: Sequence[LedgerEntry]) -> None:
        self.keys = {e.key for e in ledger if e.table == L.HOLDINGS}
        self.latest: dict[str, LedgerEntry] = {}
        for entry in ledger:  # append-only: the last entry of a holding is its current one
            if entry.table == L.HOLDINGS and entry.holding_key:
                self.latest[entry.holding_key] = entry
        self.by_fingerprint: dict[str, list[int]] = defaultdict(list)
        for number, values in rows:
            self.by_fingerprint[fingerprint(values, L.HOLDINGS_INPUTS)].append(number)
        self.by_value = _RowsByValue(rows, _holding_match)
        self.new_rows: list[PlannedRow] = []
        self.updates: list[RowUpdate] = []
        self.links: list[LedgerEntry] = []
        self.seen: set[str] = set()

    def add(self, lot: ImportedLot, account: str, outcome: FileOutcome) -> None:
        values = _lot_values(lot, account)
        written = fingerprint(values, L.HOLDINGS_INPUTS)
        source = str(lot.source)
        if lot.key in self.seen:
            outcome.present[L.HOLDINGS] += 1
            return
        self.seen.add(lot.key)
        # The holding first: a later snapshot with the same shares and basis has the same
        # key, yet its price is news.
        earlier = self.latest.get(lot.holding_key)
        if earlier is not None and earlier.note == MATCHED:  # a row the import did not write
            if earlier.fingerprint == written:
                outcome.present[L.HOLDINGS] += 1
            else:
                outcome.kept += 1
            return
        if earlier is not None:
            row = self._untouched(earlier)
            if row is None:
                outcome.kept += 1
            elif earlier.fingerprint == written:
                outcome.present[L.HOLDINGS] += 1
            else:
                entry = LedgerEntry(
                    lot.key,
                    L.HOLDINGS,
                    row,
                    source,
                    lot.holding_key,
                    written,
                    note=UPDATED,
                )
                self.updates.append(RowUpdate(L.HOLDINGS, row, values, entry))
                self.latest[lot.holding_key] = entry
                outcome.updated += 1
            return
        if lot.key in self.keys:
            outcome.present[L.HOLDINGS] += 1
            return
        row = self.by_value.take(values)
        if row is not None:
            self.links.append(
                LedgerEntry(
                    lot.key,
                    L.HOLDINGS,
                    row,
                    source,
                    lot.holding_key,
                    written,
                    note=MATCHED,
                )
            )
            outcome.present[L.HOLDINGS] += 1
            return
        note = None
        if lot.acquired is None:
            note = (NOTE_POSITION_TOTAL if lot.is_position_total else NOTE_NO_DATE).format(
                source=source
            )
        self.new_rows.append(
            PlannedRow(
                L.HOLDINGS,
                values,
                LedgerEntry(lot.key, L.HOLDINGS, None, source, lot.holding_key, written),
                note=note,
                note_column="Acquired" if note else None,
            )
        )
        outcome.added[L.HOLDINGS] += 1

    def _untouched(self, entry: LedgerEntry) -> int | None:
        """The row still holding exactly what ``entry`` wrote (where it was written, else
        the first such row), or None when the user changed or deleted it."""
        rows = self.by_fingerprint.get(entry.fingerprint or "", [])
        if not rows:
            return None
        row = entry.row if entry.row in rows else rows[0]
        rows.remove(row)
        return row


# ----------------------------------------------------------------------------- trades


class _ClosedLots:
    """Closed lots from realized gain/loss exports (or a statement's closed-lot rows), by
    the sale they belong to, for SELL rows that give no lot of their own."""

    def __init__(self, realized: Iterable[ImportedRealizedLot]) -> None:
        self.lots: dict[tuple[Broker, str | None, str, date], list[ImportedRealizedLot]] = (
            defaultdict(list)
        )
        for lot in realized:
            if lot.ticker and lot.sold and lot.acquired and lot.cost_basis is not None:
                self.lots[(lot.broker, lot.account, lot.ticker, lot.sold)].append(lot)
        self.used: set[str] = set()

    def take(self, trade: ImportedTrade) -> list[ImportedRealizedLot] | None:
        """The closed lots of ``trade``'s sale when they add up to its shares exactly (the
        file's account's, or a one-account export's), each used once; else None."""
        for account in (trade.account, None):
            lots = self.lots.get((trade.broker, account, trade.ticker, trade.trade_date))
            if lots and sum(lot.shares for lot in lots) == trade.shares:
                del self.lots[(trade.broker, account, trade.ticker, trade.trade_date)]
                self.used.update(lot.key for lot in lots)
                return lots
        return None


def _trade_rows(
    trade: ImportedTrade, account: str, closed: list[ImportedRealizedLot] | None
) -> list[dict[str, Any]]:
    """The Activity rows of one trade: one, or one per closed lot of a SELL."""
    price = trade.price
    if price is None and trade.kind in NO_CASH_KINDS:
        price = Decimal(0)
    row = {
        "Date": trade.trade_date,
        "Account": account,
        "Action": ACTION_WORDS[trade.kind],
        "Ticker": trade.ticker,
        "Shares": cell_value(trade.shares),
        "Price": cell_value(price),
        "Cost basis": None,
        "Acquired": None,
    }
    if closed:
        return [
            row
            | {
                "Shares": cell_value(lot.shares),
                "Cost basis": cell_value(lot.cost_basis),
                "Acquired": lot.acquired,
            }
            for lot in closed
        ]
    if trade.cost_basis is not None and trade.acquired is not None:
        row["Cost basis"] = cell_value(trade.cost_basis)
        row["Acquired"] = trade.acquired
    return [row]


def _chronological(trades: Sequence[ImportedTrade]) -> list[ImportedTrade]:
    """A file's trades oldest first, same-day trades in the order they happened: a file
    listed newest first (most brokers' history) is read backwards."""
    if len(trades) > 1 and trades[0].trade_date > trades[-1].trade_date:
        trades = trades[::-1]
    return sorted(trades, key=lambda t: t.trade_date)


# ------------------------------------------------------------------------------- plan


def plan_import(
    results: Sequence[ImportResult],
    tables: Mapping[str, TableRows],
    ledger: Sequence[LedgerEntry],
    account: str | None = None,
) -> ImportPlan:
    """Decide what importing ``results`` into tables holding ``tables`` (Accounts, Holdings
    and Activity rows as read) changes, given the ``ledger`` of earlier imports; records of
    files that name no account go to ``account`` (skipped when it is None)."""
    outcomes = [FileOutcome(result.report) for result in results]
    unique: dict[str, ImportedAccount] = {}
    for result in results:
        for imported in result.accounts:
            unique.setdefault(imported.key, imported)
    accounts = _Accounts(tables.get(L.ACCOUNTS, ()), ledger, list(unique.values()), account)
    for imported in unique.values():  # every account the files name, in the order seen
        accounts.name_of(imported.broker, imported.account)

    holdings = _Holdings(tables.get(L.HOLDINGS, ()), ledger)
    with_lots = {
        (lot.broker, lot.account, lot.ticker)
        for result in results
        for lot in result.lots
        if not lot.is_position_total
    }
    for result, outcome in zip(results, outcomes, strict=True):
        for lot in result.lots:
            name = accounts.name_of(lot.broker, lot.account)
            if name is None:
                outcome.skipped[SKIP_NO_ACCOUNT] += 1
            elif lot.is_position_total and (lot.broker, lot.account, lot.ticker) in with_lots:
                outcome.skipped[SKIP_TOTAL_WITH_LOTS] += 1
            else:
                holdings.add(lot, name, outcome)

    activity_rows = _plan_activity(results, outcomes, tables, ledger, accounts)
    for result, outcome in zip(results, outcomes, strict=True):
        unused = sum(1 for lot in result.realized if lot.key not in activity_rows.closed_used)
        if unused:
            outcome.skipped[SKIP_CLOSED_LOTS] += unused
    counted: set[str] = set()
    for result, outcome in zip(results, outcomes, strict=True):
        for imported in result.accounts:  # each account counted in the first file naming it
            if imported.key not in counted:
                counted.add(imported.key)
                added = imported.key in accounts.added
                (outcome.added if added else outcome.present)[L.ACCOUNTS] += 1
    return ImportPlan(
        rows={
            L.ACCOUNTS: accounts.new_rows,
            L.HOLDINGS: holdings.new_rows,
            L.ACTIVITY: activity_rows.rows,
        },
        updates=holdings.updates,
        links=accounts.links + holdings.links + activity_rows.links,
        files=outcomes,
        accounts=accounts.outcomes,
    )


@dataclass
class _ActivityPlan:
    rows: list[PlannedRow]
    links: list[LedgerEntry]
    closed_used: set[str]


def _plan_activity(
    results: Sequence[ImportResult],
    outcomes: Sequence[FileOutcome],
    tables: Mapping[str, TableRows],
    ledger: Sequence[LedgerEntry],
    accounts: _Accounts,
) -> _ActivityPlan:
    """Trades into Activity rows, oldest first across the files (same-day trades in the
    order they happened), each trade once."""
    keys = {e.key for e in ledger if e.table == L.ACTIVITY}
    by_value = _RowsByValue(tables.get(L.ACTIVITY, ()), _activity_match)
    closed = _ClosedLots(lot for result in results for lot in result.realized)
    ordered: list[tuple[date, int, int, ImportedTrade]] = []
    for index, result in enumerate(results):
        for position, trade in enumerate(_chronological(result.trades)):
            ordered.append((trade.trade_date, index, position, trade))
    ordered.sort(key=lambda item: item[:3])
    rows: list[PlannedRow] = []
    links: list[LedgerEntry] = []
    seen: set[str] = set()
    for _, index, _, trade in ordered:
        outcome = outcomes[index]
        if trade.kind is TradeKind.SPLIT and trade.shares < 0:
            outcome.skipped[SKIP_REVERSE_SPLIT] += 1
            continue
        name = accounts.name_of(trade.broker, trade.account)
        if name is None:
            outcome.skipped[SKIP_NO_ACCOUNT] += 1
            continue
        if trade.key in seen or trade.key in keys:
            outcome.present[L.ACTIVITY] += 1
            continue
        seen.add(trade.key)
        lots = None
        if trade.kind is TradeKind.SELL and trade.acquired is None:
            lots = closed.take(trade)
        values = _trade_rows(trade, name, lots)
        source = str(trade.source)
        taken = by_value.take_all(values)
        if taken is not None:
            links += [
                LedgerEntry(trade.key, L.ACTIVITY, row, source, note=MATCHED)
                for row in taken
            ]
            outcome.present[L.ACTIVITY] += 1
            continue
        if lots:
            outcome.sells_with_lots += 1
            source += f" (lots: {', '.join(str(lot.source) for lot in lots)})"
        rows += [
            PlannedRow(L.ACTIVITY, v, LedgerEntry(trade.key, L.ACTIVITY, None, source))
            for v in values
        ]
        outcome.added[L.ACTIVITY] += 1
    return _ActivityPlan(rows, links, closed.used)
