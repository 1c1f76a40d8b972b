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

from harvest_xl.engine.names import fold
from harvest_xl.excel import layout as L
from harvest_xl.excel.import_accounts import AccountRows
from harvest_xl.excel.import_history import HistoryTrade
from harvest_xl.excel.import_rebuilt import (
    NOTE_FILE_PRICE,
    PositionTotal,
    RebuiltRows,
    as_of_text,
    history_digest,
    holding_digest,
    plan_rebuilt,
)
from harvest_xl.excel.import_records import (
    MATCHED,
    PRICED,
    SKIP_CLOSED_LOTS,
    SKIP_NO_ACCOUNT,
    SKIP_REVERSE_SPLIT,
    SKIP_TOTAL_WITH_LOTS,
    SKIP_TOTAL_WITH_REBUILT,
    SUPERSEDED,
    UPDATED,
    FileOutcome,
    HoldingCounts,
    ImportPlan,
    LedgerEntry,
    PlannedRow,
    PlannedRows,
    RebuiltAccount,
    RowUpdate,
    TableRows,
)
from harvest_xl.excel.import_values import (
    RowsByValue,
    activity_fingerprint,
    activity_match,
    canonical,
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
    updated by a later snapshot of the same holding.

    Rows rebuilt from a history (``--lots-from-history``, :mod:`.import_rebuilt`) are the
    import's own while the user leaves them as written: a later rebuild updates them, and a
    positions or lots file of the same account and ticker takes them over
    (:meth:`_take_over`). None of that work is done for a ledger without such rows."""

    def __init__(self, rows: TableRows, ledger: Sequence[LedgerEntry]) -> None:
        self.keys = {e.key for e in ledger if e.table == L.HOLDINGS}
        self.latest: dict[str, LedgerEntry] = {}
        for entry in ledger:  # append-only: the last entry of a holding is its current one
            if entry.table == L.HOLDINGS and entry.holding_key:
                self.latest[entry.holding_key] = entry
        self.by_fingerprint: dict[str, list[int]] = defaultdict(list)
        for number, values in rows:
            self.by_fingerprint[fingerprint(values, L.HOLDINGS_INPUTS)].append(number)
        self.rebuilt = RebuiltRows(self.latest, rows, self._untouched)
        owned = self.rebuilt.owned()
        self.by_value = RowsByValue(
            [row for row in rows if row[0] not in owned] if owned else rows, holding_match
        )
        self.taken_over: dict[str, FileOutcome] = {}
        self.new_rows = PlannedRows(L.HOLDINGS)
        self.updates: list[RowUpdate] = []
        self.links: list[LedgerEntry] = []
        self.seen: set[str] = set()

    def add(
        self,
        lot: ImportedLot,
        account: str,
        outcome: HoldingCounts,
        *,
        values: dict[str, Any] | None = None,
        note: str | None = None,
        note_column: str | None = None,
        source: str | None = None,
    ) -> None:
        """One lot of a file (or rebuilt from the history, :meth:`add_rebuilt`, with its
        ``values``, its ``note`` and ``source``)."""
        values = values or _lot_values(lot, account)
        written = fingerprint(values, L.HOLDINGS_INPUTS)
        source = source or str(lot.source)
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
            row = self._row_of(earlier)
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
                notes = ((note_column, note),) if note and note_column else ()
                self.updates.append(RowUpdate(L.HOLDINGS, row, values, entry, notes))
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
        if self.rebuilt and isinstance(outcome, FileOutcome):
            if self._take_over(lot, account, values, written, outcome):
                return
        if note is None and lot.acquired is None:
            note, note_column = _acquired_note(lot), "Acquired"
        self.new_rows.append(
            PlannedRow(
                L.HOLDINGS,
                values,
                LedgerEntry(lot.key, L.HOLDINGS, None, source, lot.holding_key, written),
                note=note,
                note_column=note_column if note else None,
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

    def _row_of(self, entry: LedgerEntry) -> int | None:
        """The untouched row of the holding whose latest entry is ``entry`` (a rebuilt
        holding's was found once, by :class:`~.import_rebuilt.RebuiltRows`)."""
        key = entry.holding_key
        if key is not None and history_digest(key) is not None:
            return self.rebuilt.claim(key)
        return self._untouched(entry)

    # ------------------------------------------- a positions or lots file over rebuilt rows

    def _take_over(
        self,
        lot: ImportedLot,
        account: str,
        values: dict[str, Any],
        written: str,
        outcome: FileOutcome,
    ) -> bool:
        """A positions or lots file's lot of an account and ticker whose rows were rebuilt
        from the history goes into the first such row the user left as written (the file
        comes first; the history's price note goes). The holding's other rebuilt rows are
        named when the files are done (:meth:`finish_take_overs`)."""
        unclaimed = self.rebuilt.unclaimed(account, lot.ticker)
        if not unclaimed:
            return False
        key, row = unclaimed[0]
        self.rebuilt.claim(key)
        self.taken_over.setdefault(holding_digest(account, lot.ticker), outcome)
        entry = LedgerEntry(lot.key, L.HOLDINGS, row, str(lot.source), lot.holding_key, written)
        self.latest[lot.holding_key] = entry
        outcome.took_over += 1
        if fingerprint(self.rebuilt.values_at[row], L.HOLDINGS_INPUTS) == written:
            self.links.append(entry)
            return True
        notes: tuple[tuple[str, str | None], ...] = (("Price", None),)
        if lot.acquired is None:
            notes += (("Acquired", _acquired_note(lot)),)
        self.updates.append(RowUpdate(L.HOLDINGS, row, values, entry, notes))
        return True

    def finish_take_overs(self) -> None:
        """Mark every rebuilt holding of an account and ticker a file took over as
        superseded (a later rebuild leaves it to the file); its rows no lot of the file
        went into are named for the user to delete, never deleted."""
        for digest, outcome in self.taken_over.items():
            for key, row in self.rebuilt.release(digest):
                if row is not None:
                    outcome.superseded_rows.append(row)
                marker = LedgerEntry(
                    f"{key} superseded",
                    L.HOLDINGS,
                    row,
                    outcome.report.source_name,
                    key,
                    note=SUPERSEDED,
                )
                self.links.append(marker)
                self.latest[key] = marker
            outcome.superseded_rows.sort()

    def price_rebuilt(self, lot: ImportedLot, account: str, outcome: FileOutcome) -> bool:
        """A position total whose shares the untouched rows rebuilt from the history hold
        exactly: those rows are its lots, so the total is not written and the rows take
        its price (fresher than a history's last trade). False when they do not add up to
        it (the total then takes them over as any file's lot does)."""
        if not self.rebuilt:
            return False
        held = self.rebuilt.unclaimed(account, lot.ticker)
        values_at = self.rebuilt.values_at
        shares = sum((_number(values_at[row].get("Shares")) for _, row in held), Decimal(0))
        if not held or shares != _number(cell_value(lot.shares)):
            return False
        outcome.skipped[SKIP_TOTAL_WITH_REBUILT] += 1
        price = cell_value(lot.price)
        if price is None:
            return True
        note = NOTE_FILE_PRICE.format(source=lot.source, as_of=as_of_text(lot.as_of))
        for key, row in held:
            if canonical(values_at[row].get("Price")) == canonical(price):
                continue
            now = dict(values_at[row]) | {"Price": price}
            values_at[row] = now
            digest = fingerprint(now, L.HOLDINGS_INPUTS)
            entry = LedgerEntry(
                self.latest[key].key, L.HOLDINGS, row, str(lot.source), key, digest, note=PRICED
            )
            self.latest[key] = entry
            self.updates.append(
                RowUpdate(L.HOLDINGS, row, {"Price": price}, entry, (("Price", note),))
            )
            outcome.priced += 1
        return True

    def add_file_lot(self, lot: ImportedLot, account: str, outcome: FileOutcome) -> None:
        """A positions or lots file's lot (a total the rebuilt rows hold only prices them)."""
        if not (lot.is_position_total and self.price_rebuilt(lot, account, outcome)):
            self.add(lot, account, outcome)

    # ----------------------------------------------- lots rebuilt from the history

    def add_rebuilt(
        self, lot: ImportedLot, account: str, outcome: RebuiltAccount, note: str
    ) -> None:
        """A lot rebuilt from the history. A row that took a positions file's price keeps
        it (a history's last trade is older news)."""
        values = _lot_values(lot, account)
        earlier = self.latest.get(lot.holding_key)
        if earlier is not None and earlier.note == PRICED:
            row = self.rebuilt.peek(lot.holding_key)
            if row is not None:
                values["Price"] = self.rebuilt.values_at[row].get("Price")
        source = f"{lot.source} (rebuilt from the history)"
        self.add(
            lot, account, outcome, values=values, note=note, note_column="Price", source=source
        )

    def history_conflict(
        self, account: str, ticker: str, lots: Sequence[ImportedLot]
    ) -> str | None:
        """Why the history's ``lots`` of ``ticker`` in ``account`` are not written, or None
        (:meth:`~.import_rebuilt.RebuiltRows.conflict`)."""
        values = [_lot_values(lot, account) for lot in lots]
        return self.rebuilt.conflict(account, ticker, values)

    def stale_rebuilt(self, account: str, left_out: set[str]) -> list[int]:
        return self.rebuilt.stale(account, left_out)


def _number(value: object) -> Decimal:
    """A Shares cell as compared (a cell that is not a number adds up to no total)."""
    try:
        return Decimal(canonical(value))
    except ArithmeticError:
        return Decimal(-1)


def _acquired_note(lot: ImportedLot) -> str:
    template = NOTE_POSITION_TOTAL if lot.is_position_total else NOTE_NO_DATE
    return template.format(source=lot.source)


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
        if not self.lots:
            return None
        for account in (trade.account, None):
            lots = self.lots.get((trade.broker, account, trade.ticker, trade.trade_date))
            if lots and sum(lot.shares for lot in lots) == trade.shares:
                del self.lots[(trade.broker, account, trade.ticker, trade.trade_date)]
                self.used.update(lot.key for lot in lots)
                return lots
        return None


def _trade_rows(
    trade: ImportedTrade,
    account: str,
    closed: list[ImportedRealizedLot] | None,
    numbers: dict[Decimal, Any] | None = None,
) -> list[dict[str, Any]]:
    """The Activity rows of one trade: one, or one per closed lot of a SELL. ``numbers``
    remembers each number's cell value across the trades of an import (equal numbers
    have one)."""
    price = trade.price
    if price is None and trade.kind in NO_CASH_KINDS:
        price = Decimal(0)
    if numbers is None:
        numbers = {}
    shares = numbers.get(trade.shares)
    if shares is None:
        shares = numbers[trade.shares] = cell_value(trade.shares)
    if price is None:
        price_value = None
    else:
        price_value = numbers.get(price)
        if price_value is None:
            price_value = numbers[price] = cell_value(price)
    row = {
        "Date": trade.trade_date,
        "Account": account,
        "Action": ACTION_WORDS[trade.kind],
        "Ticker": trade.ticker,
        "Shares": shares,
        "Price": price_value,
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
    lots_from_history: bool = False,
) -> ImportPlan:
    """Decide what importing ``results`` into tables holding ``tables`` (Accounts, Holdings
    and Activity rows as read) changes, given the ``ledger`` of earlier imports; records of
    files that name no account go to ``account`` (skipped when it is None).

    ``lots_from_history``: the files' history covers each account since it was opened (or
    since it last held nothing), so the Holdings of each account it covers, and for which
    no lot-detail file comes with it, are the lots it still holds; a positions file's
    total of a ticker in such an account is compared with them first
    (:func:`~harvest_xl.excel.import_rebuilt.plan_rebuilt`)."""
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
    traded = _traded_accounts(results, accounts) if lots_from_history else set()
    lot_files: dict[str, str] = {}  # folded account -> the first lot-detail file of it
    totals: list[PositionTotal] = []  # position totals a rebuild compares first
    for result, outcome in zip(results, outcomes, strict=True):
        for lot in result.lots:
            name = accounts.name_of(lot.broker, lot.account)
            if name is None:
                outcome.skipped[SKIP_NO_ACCOUNT] += 1
                continue
            if not lot.is_position_total and lots_from_history:
                lot_files.setdefault(fold(name), lot.source.file)
            if lot.is_position_total and (lot.broker, lot.account, lot.ticker) in with_lots:
                outcome.skipped[SKIP_TOTAL_WITH_LOTS] += 1
            elif lot.is_position_total and fold(name) in traded:
                totals.append(PositionTotal(lot, name, outcome))
            else:
                holdings.add_file_lot(lot, name, outcome)

    history: list[HistoryTrade] | None = [] if lots_from_history else None
    activity_rows = _plan_activity(results, outcomes, tables, ledger, accounts, history)
    rebuilt = []
    if history is not None:
        rebuilt = plan_rebuilt(results, history, holdings, lot_files, totals)
    holdings.finish_take_overs()
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
        rebuilt=rebuilt,
    )


def _traded_accounts(results: Sequence[ImportResult], accounts: AccountRows) -> set[str]:
    """The accounts (folded names) the files' trades are of: those a rebuild covers."""
    names = set()
    for result in results:
        for trade in result.trades:
            name = accounts.name_of(trade.broker, trade.account)
            if name is not None:
                names.add(fold(name))
    return names


@dataclass
class _ActivityPlan:
    rows: PlannedRows
    links: list[LedgerEntry]
    closed_used: set[str]


def _plan_activity(
    results: Sequence[ImportResult],
    outcomes: Sequence[FileOutcome],
    tables: Mapping[str, TableRows],
    ledger: Sequence[LedgerEntry],
    accounts: AccountRows,
    history: list[HistoryTrade] | None = None,
) -> _ActivityPlan:
    """Trades into Activity rows, oldest first across the files (same-day trades in the
    order they happened), each trade once. ``history``, when given, receives every trade
    of a named account once, in that order, with its Activity rows (added now or
    already there) for the rebuild."""
    keys = {e.key for e in ledger if e.table == L.ACTIVITY}
    by_value = RowsByValue(tables.get(L.ACTIVITY, ()), activity_match)
    closed = _ClosedLots(lot for result in results for lot in result.realized)
    trades: list[ImportedTrade] = []  # each file's trades in order, file after file
    files: list[int] = []  # the file of each
    for index, result in enumerate(results):
        chronological = _chronological(result.trades)
        trades += chronological
        files += [index] * len(chronological)
    # By date, then file, then place in the file: the files' trades, each file's oldest
    # first, follow one another, so a stable sort by date alone gives that order
    # (positions, not records, are sorted).
    dates = [trade.trade_date for trade in trades]
    ordered = sorted(range(len(trades)), key=dates.__getitem__)
    del dates
    rows = PlannedRows(L.ACTIVITY)
    links: list[LedgerEntry] = []
    seen: set[str] = set()
    known: _WrittenTrades | None = None
    # Each file's accounts by the identity its records give (one broker per file), and
    # each distinct number as a cell holds it: worked out once, not once per trade.
    names: list[dict[str | None, str | None]] = [{} for _ in results]
    numbers: dict[Decimal, Any] = {}
    matching = bool(tables.get(L.ACTIVITY))
    claimed = False  # the rows of the trades imported before are claimed (once, if needed)
    for position in ordered:
        trade, index = trades[position], files[position]
        outcome = outcomes[index]
        if trade.kind is TradeKind.SPLIT and trade.shares < 0:
            outcome.skipped[SKIP_REVERSE_SPLIT] += 1
            if history is not None and trade.key not in seen:
                name = accounts.name_of(trade.broker, trade.account)
                if name is not None:  # it keeps its ticker from being rebuilt
                    seen.add(trade.key)
                    history.append(HistoryTrade(name, trade, ()))
            continue
        known_names = names[index]
        if trade.account in known_names:
            name = known_names[trade.account]
        else:
            name = known_names[trade.account] = accounts.name_of(trade.broker, trade.account)
        if name is None:
            outcome.skipped[SKIP_NO_ACCOUNT] += 1
            continue
        if trade.key in seen or trade.key in keys:
            if history is not None and trade.key not in seen:  # imported before: history too
                seen.add(trade.key)
                if known is None:
                    known = _WrittenTrades(tables.get(L.ACTIVITY, ()), ledger)
                found = known.rows(trade, name)
                if found is None:
                    lots = closed.take(trade) if trade.kind is TradeKind.SELL else None
                    found = _trade_rows(trade, name, lots)
                history.append(HistoryTrade(name, trade, tuple(found)))
            outcome.present[L.ACTIVITY] += 1
            continue
        seen.add(trade.key)
        lots = None
        if trade.kind is TradeKind.SELL and trade.acquired is None:
            lots = closed.take(trade)
        values = _trade_rows(trade, name, lots, numbers)
        if history is not None:
            history.append(HistoryTrade(name, trade, tuple(values)))
        source = str(trade.source)
        if matching and not claimed and by_value.holds(values):
            claimed = True
            _claim_present_rows(trades, files, keys, names, accounts, by_value)
        taken = by_value.take_all(values) if matching else None
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
            rows.add(v, trade.key, source)
        outcome.added[L.ACTIVITY] += 1
    rows.mark_repeats(L.ACTIVITY_COLUMNS, activity_fingerprint)
    return _ActivityPlan(rows, links, closed.used)


def _claim_present_rows(
    trades: Sequence[ImportedTrade],
    files: Sequence[int],
    keys: set[str],
    names: list[dict[str | None, str | None]],
    accounts: AccountRows,
    by_value: RowsByValue,
) -> None:
    """Take out of ``by_value`` a row holding each trade an earlier import wrote (its key
    in the ledger): that row stands for that trade, so a new trade of the same values (a
    later export listing the line once more: a second trade) is a row of its own, not
    matched to it. By value, not by the ledger's row numbers, which sorting changes."""
    for trade, index in zip(trades, files, strict=True):
        if trade.key not in keys:
            continue
        known_names = names[index]
        if trade.account not in known_names:
            known_names[trade.account] = accounts.name_of(trade.broker, trade.account)
        name = known_names[trade.account]
        if name is not None:
            for values in _trade_rows(trade, name, None):
                by_value.take(values)


class _WrittenTrades:
    """The Activity rows an earlier import wrote (or matched) for a trade, as the table
    holds them now: what the refresh reads, so what a rebuild must read."""

    def __init__(self, rows: TableRows, ledger: Sequence[LedgerEntry]) -> None:
        self.values = dict(rows)
        self.rows_of: dict[str, list[int]] = defaultdict(list)
        for entry in ledger:
            if entry.table == L.ACTIVITY and entry.row is not None:
                self.rows_of[entry.key].append(entry.row)

    def rows(self, trade: ImportedTrade, account: str) -> list[dict[str, Any]] | None:
        """The trade's rows (in the trade's account), or None when one is gone or no
        longer holds the trade's date, action and ticker (the user moved or changed it)."""
        found = []
        expected = _trade_rows(trade, account, None)[0]
        wanted = activity_match(expected)
        for row in self.rows_of.get(trade.key, ()):
            values = self.values.get(row)
            if values is None:
                return None
            values = dict(values) | {"Account": account}
            match = activity_match(values)
            if (match[0], match[2], match[3]) != (wanted[0], wanted[2], wanted[3]):
                return None
            found.append(values)
        return found or None
