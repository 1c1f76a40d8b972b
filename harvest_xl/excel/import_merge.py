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

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from harvest_xl.excel import layout as L
from harvest_xl.excel.import_accounts import AccountRows
from harvest_xl.excel.import_records import (
    MATCHED,
    SKIP_CLOSED_LOTS,
    SKIP_NO_ACCOUNT,
    SKIP_REVERSE_SPLIT,
    SKIP_TOTAL_WITH_LOTS,
    UPDATED,
    FileOutcome,
    ImportPlan,
    LedgerEntry,
    PlannedRow,
    RowUpdate,
    TableRows,
)
from harvest_xl.excel.import_values import (
    RowsByValue,
    activity_match,
    cell_value,
    fingerprint,
    holding_match,
)
from harvest_xl.importers import (
    Broker,
    ImportedAccount,
    ImportedLot,
    ImportedRealizedLot,
    ImportedTrade,
    ImportResult,
    TradeKind,
)

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

NOTE_POSITION_TOTAL = (
    "Imported as a position total ({source}): the file gives no acquisition date. "
    "Type the date the shares were bought, or replace this row by one row per lot."
)
NOTE_NO_DATE = (
    "Imported ({source}) without an acquisition date: the file does not give it. "
    "Type the date the shares were bought."
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
        self.by_value = RowsByValue(rows, holding_match)
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
    accounts = AccountRows(tables.get(L.ACCOUNTS, ()), ledger, list(unique.values()), account)
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
    accounts: AccountRows,
) -> _ActivityPlan:
    """Trades into Activity rows, oldest first across the files (same-day trades in the
    order they happened), each trade once."""
    keys = {e.key for e in ledger if e.table == L.ACTIVITY}
    by_value = RowsByValue(tables.get(L.ACTIVITY, ()), activity_match)
    closed = _ClosedLots(lot for result in results for lot in result.realized)
    trades: list[ImportedTrade] = []  # each file's trades in order, file after file
    files: list[int] = []  # the file of each
    for index, result in enumerate(results):
        chronological = _chronological(result.trades)
        trades += chronological
        files += [index] * len(chronological)
    # By date, then file, then place in the file (positions, not records, are sorted).
    ordered = sorted(range(len(trades)), key=lambda i: (trades[i].trade_date, files[i], i))
    rows: list[PlannedRow] = []
    links: list[LedgerEntry] = []
    seen: set[str] = set()
    for position in ordered:
        trade, index = trades[position], files[position]
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
                LedgerEntry(trade.key, L.ACTIVITY, row, source, note=MATCHED) for row in taken
            ]
            outcome.present[L.ACTIVITY] += 1
            continue
        if lots:
            outcome.sells_with_lots += 1
            source += f" (lots: {', '.join(str(lot.source) for lot in lots)})"
        for v in values:
            rows.append(PlannedRow(L.ACTIVITY, v, LedgerEntry(trade.key, L.ACTIVITY, None, source)))
        outcome.added[L.ACTIVITY] += 1
    return _ActivityPlan(rows, links, closed.used)
