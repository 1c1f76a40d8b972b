"""Holdings rows rebuilt from a history (``harvest-xl import --lots-from-history``) among the
rows of earlier imports and the user's: which rows are the rebuild's own, the rebuilt lots as
import records with their price, and the plan of one rebuild (:func:`plan_rebuilt`).

Which rows come first, per account and ticker:

* **A lot-detail file imported with the history**: its account is not rebuilt.
* **A positions file imported with the history** lists every holding of its account: a
  ticker's lots are written only when they hold the file's total (then with its price,
  and the total is not written); otherwise the total is written as any total is, and the
  lots are left out.
* **Rows already in Holdings** (typed by the user, or from a positions or lots file) for an
  account and ticker the history has not rebuilt before: they come first, and the ticker is
  left out, unless they are exactly the lots the history gives (then they are those lots,
  and stay the user's rows).
* **A positions or lots file imported later** takes the rebuilt rows of its account and
  ticker (:class:`~harvest_xl.excel.import_merge` writes its rows into them); the
  history then leaves that ticker alone. A position total that the rebuilt rows add up to
  only gives them its price.
* **A rebuilt row the user edited** is the user's, as every imported row: never changed.

A rebuilt lot's holding key is :data:`HISTORY_HOLDING`, the digest of its account and
ticker, and its purchase's key; the ledger (the hidden *Imported* sheet) keeps it with the
row's fingerprint, so a rebuilt row is found again wherever the user sorted it.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from harvest_xl.engine.names import fold
from harvest_xl.excel.import_history import (
    HistoryTrade,
    LastTrade,
    RebuiltLot,
    rebuild_from_history,
    share_text,
)
from harvest_xl.excel.import_records import (
    MATCHED,
    SKIP_TOTAL_WITH_REBUILT,
    SUPERSEDED,
    FileOutcome,
    LedgerEntry,
    RebuiltAccount,
    TableRows,
)
from harvest_xl.excel.import_values import canonical, holding_match
from harvest_xl.importers import ImportedLot, ImportResult

HISTORY_HOLDING = "history-lot"
"""How the holding key of a lot rebuilt from the history starts."""

NOTE_LAST_TRADE = "Price of the last trade on {day}: update it."
NOTE_FILE_PRICE = "Price from {source}{as_of}."
NOTE_NO_PRICE = "No trade of {ticker} in the history gives a price: type its price."
NOTE_SPLIT_PRICE = (
    "The last trade of {ticker} in the history ({day}) was before its split on {split}: "
    "type its price."
)
NOTE_REBUILT = "{price} Lot rebuilt from the history (--lots-from-history): {source}."


def holding_digest(account: str, ticker: str) -> str:
    """A short digest of an account (as compared, :func:`fold`) and a ticker."""
    text = f"{fold(account)}\x1f{ticker.upper()}"
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def history_digest(holding_key: str) -> str | None:
    """The account-and-ticker digest of a rebuilt lot's holding key (None for any other)."""
    if holding_key.startswith(HISTORY_HOLDING + " "):
        return holding_key.split(" ", 2)[1]
    return None


def as_of_text(day: date | None) -> str:
    return f" as of {day.isoformat()}" if day is not None else ""


class RebuiltRows:
    """The Holdings rows earlier rebuilds wrote, as the ledger and the table hold them now.

    ``latest`` is each holding's last ledger entry; ``untouched`` finds (and claims) the
    row still holding exactly what an entry wrote. Each rebuilt holding's row is claimed
    once, here, so no other record takes it."""

    def __init__(
        self,
        latest: Mapping[str, LedgerEntry],
        rows: TableRows,
        untouched: Callable[[LedgerEntry], int | None],
    ) -> None:
        self.rows = rows
        self.row_of: dict[str, int] = {}  # holding key -> its untouched row, until claimed
        self.keys_of: dict[str, list[str]] = {}  # digest -> its holdings, by row
        self.digests: set[str] = set()  # every (account, ticker) rebuilt, ever
        self.superseded: set[str] = set()  # ... and taken over by a file since
        self.values_at: dict[int, Mapping[str, Any]] = {}
        self._by_holding: dict[tuple[str, ...], list[tuple[str, ...]]] | None = None
        for key, entry in latest.items():
            digest = history_digest(key)
            if digest is None:
                continue
            self.digests.add(digest)
            if entry.note == SUPERSEDED:
                self.superseded.add(digest)
            elif entry.note != MATCHED:  # a matched row is the user's
                self.keys_of.setdefault(digest, []).append(key)
                row = untouched(entry)
                if row is not None:
                    self.row_of[key] = row
        if self.keys_of:
            self.values_at = dict(rows)
            last = max(self.values_at, default=0) + 1
            for keys in self.keys_of.values():
                keys.sort(key=lambda k: self.row_of.get(k, last))

    def __bool__(self) -> bool:
        return bool(self.keys_of)

    def owned(self) -> set[int]:
        """The rows that are a rebuild's own (no other record is matched with them)."""
        return set(self.row_of.values())

    def claim(self, key: str) -> int | None:
        """The untouched row of the rebuilt holding ``key`` (None when the user changed
        it or it was claimed), claimed now."""
        return self.row_of.pop(key, None)

    def peek(self, key: str) -> int | None:
        return self.row_of.get(key)

    def unclaimed(self, account: str, ticker: str) -> list[tuple[str, int]]:
        """The rebuilt holdings of ``ticker`` in ``account`` with an untouched row not
        claimed yet, by row."""
        keys = self.keys_of.get(holding_digest(account, ticker), ())
        return [(key, self.row_of[key]) for key in keys if key in self.row_of]

    def release(self, digest: str) -> list[tuple[str, int | None]]:
        """Every rebuilt holding of ``digest`` (a file took its account and ticker over),
        each with its row if no record claimed it; forgotten here."""
        return [(key, self.row_of.pop(key, None)) for key in self.keys_of.pop(digest, ())]

    def conflict(
        self, account: str, ticker: str, values: Sequence[Mapping[str, Any]]
    ) -> str | None:
        """Why the history's lots (their rows' ``values``) of ``ticker`` in ``account`` are
        not written, or None (see the module docstring)."""
        digest = holding_digest(account, ticker)
        if digest in self.superseded:
            return (
                f"{ticker} left out: its holdings come from a positions or lots file imported "
                "after the history"
            )
        if digest in self.digests:
            return None
        if self._by_holding is None:
            self._by_holding = defaultdict(list)
            owned = self.owned()
            for number, row in self.rows:
                if number not in owned:
                    match = holding_match(row)
                    self._by_holding[match[:2]].append(match)
        there = self._by_holding.get(holding_match({"Account": account, "Ticker": ticker})[:2])
        if not there or Counter(map(holding_match, values)) == Counter(there):
            return None
        return (
            f"{ticker} left out: Holdings already has {len(there)} row(s) of it in this "
            "account that the history does not give (typed, or from a positions or lots "
            "file); they come first. Delete them to take the history's lots"
        )

    def stale(self, account: str, left_out: set[str]) -> list[int]:
        """The untouched rows earlier rebuilds wrote for ``account`` that this rebuild did
        not claim: the history no longer holds those shares (tickers ``left_out`` aside)."""
        folded = fold(account)
        stale = []
        for row in self.row_of.values():
            values = self.values_at[row]
            if fold(canonical(values.get("Account"))) != folded:
                continue
            if canonical(values.get("Ticker")) not in left_out:
                stale.append(row)
        return sorted(stale)


class PositionTotal(NamedTuple):
    """A positions file's total of a holding in an account the history covers, with the
    Accounts row name and the file's outcome: the rebuild compares it with the lots."""

    lot: ImportedLot
    account: str
    outcome: FileOutcome


class RebuildTarget(Protocol):
    """Where a rebuild's lots go: the Holdings plan (:class:`.import_merge._Holdings`)."""

    def add_rebuilt(
        self, lot: ImportedLot, account: str, outcome: RebuiltAccount, note: str
    ) -> None: ...

    def add_file_lot(self, lot: ImportedLot, account: str, outcome: FileOutcome) -> None: ...

    def history_conflict(
        self, account: str, ticker: str, lots: Sequence[ImportedLot]
    ) -> str | None: ...

    def stale_rebuilt(self, account: str, left_out: set[str]) -> list[int]: ...


def plan_rebuilt(
    results: Sequence[ImportResult],
    history: Sequence[HistoryTrade],
    target: RebuildTarget,
    lot_files: Mapping[str, str],
    totals: Sequence[PositionTotal],
) -> list[RebuiltAccount]:
    """``--lots-from-history``: the lots the history still holds in each account it covers
    into ``target``, per account and ticker, unless ``lot_files`` (folded account -> file)
    says a lot-detail file of the account comes with it.

    A positions file's ``totals`` of an account come first: a ticker's lots are written
    only when they hold the total's shares (then with its price, and the total is not
    written), and not when the file shows none; otherwise the total is written as any
    total is. Returns, per account, what was rebuilt and each ticker left out with why
    (:func:`~harvest_xl.excel.import_history.rebuild_from_history`)."""
    report: dict[str, RebuiltAccount] = {}
    covered: list[HistoryTrade] = []
    for item in history:
        outcome = report.get(item.account)
        if outcome is None:
            outcome = report[item.account] = RebuiltAccount(item.account)
            file = lot_files.get(fold(item.account))
            if file is not None:
                outcome.not_rebuilt = f"its holdings come from {file}, imported with it"
        if outcome.not_rebuilt is None:
            covered.append(item)
    found = rebuild_from_history(covered)
    lots: dict[tuple[str, str], list[RebuiltLot]] = defaultdict(list)
    for lot in found.lots:
        lots[(lot.account, lot.ticker)].append(lot)
    by_holding: dict[tuple[str, str], list[int]] = defaultdict(list)
    files: dict[str, str] = {}  # folded account -> its positions file
    for index, total in enumerate(totals):
        by_holding[(fold(total.account), total.lot.ticker)].append(index)
        files.setdefault(fold(total.account), total.lot.source.file)
    used: set[int] = set()  # the totals the rebuilt lots hold
    prices = file_prices(results)
    for account, tickers in found.tickers.items():
        outcome = report[account]
        left_out: set[str] = set()
        for ticker in tickers:
            mine = [totals[i] for i in by_holding.get((fold(account), ticker), ())]
            held = lots[(account, ticker)]
            why = found.left_out.get((account, ticker))
            if why is not None:
                why = f"history incomplete for {ticker}: {why}"
            elif fold(account) in files:
                why = against_totals(ticker, held, mine, files[fold(account)])
            given = {ticker: mine[0].lot} if mine else prices
            price, note = price_of(ticker, given, found.last_trades)
            records = [rebuilt_record(lot, price) for lot in held]
            if why is None:
                why = target.history_conflict(account, ticker, records)
            if why is not None:
                outcome.left_out.append(why)
                left_out.add(ticker)
                continue
            for index in by_holding.get((fold(account), ticker), ()):
                used.add(index)
                totals[index].outcome.skipped[SKIP_TOTAL_WITH_REBUILT] += 1
            outcome.lots += len(records)
            outcome.tickers += 1 if records else 0
            for record in records:
                text = NOTE_REBUILT.format(price=note, source=record.source)
                target.add_rebuilt(record, account, outcome, text)
        outcome.stale_rows = target.stale_rebuilt(account, left_out)
    for index, total in enumerate(totals):
        if index not in used:
            target.add_file_lot(total.lot, total.account, total.outcome)
    return list(report.values())


def against_totals(
    ticker: str, lots: Sequence[RebuiltLot], totals: Sequence[PositionTotal], file: str
) -> str | None:
    """Why lots the history leaves do not agree with the positions file of their account
    (which lists every holding), or None when the file's total holds exactly their shares
    (or neither holds any)."""
    held = sum((lot.shares for lot in lots), Decimal(0))
    if not totals:
        if not held:
            return None
        return f"{ticker} left out: the history leaves {share_text(held)} shares, {file} shows none"
    shown = totals[0].lot.shares
    if all(total.lot.shares == held for total in totals):
        return None
    return (
        f"{ticker} left out: the history leaves {share_text(held)} shares, {file} shows "
        f"{share_text(shown)} (its total is written instead)"
    )


def rebuilt_record(lot: RebuiltLot, price: Decimal | None) -> ImportedLot:
    """A lot rebuilt from the history as the import's record of a lot: its holding is its
    purchase in its account (:data:`HISTORY_HOLDING`), its key that and its values."""
    purchase = lot.purchase
    holding = f"{HISTORY_HOLDING} {holding_digest(lot.account, lot.ticker)} {purchase.key}"
    said = (lot.shares, lot.acquired, lot.cost_basis)
    digest = hashlib.blake2b("\x1f".join(map(canonical, said)).encode(), digest_size=8)
    return ImportedLot(
        broker=purchase.broker,
        account=purchase.account,
        ticker=lot.ticker,
        shares=lot.shares,
        acquired=lot.acquired,
        cost_basis=lot.cost_basis,
        cost_per_share=None,
        price=price,
        value=None,
        is_position_total=False,
        term=None,
        as_of=None,
        description=None,
        source=purchase.source,
        key=f"{holding} {digest.hexdigest()}",
        holding_key=holding,
    )


def file_prices(results: Sequence[ImportResult]) -> dict[str, ImportedLot]:
    """Each ticker's lot with a price in the positions and lots files, the latest as-of
    date first (else the last listed)."""
    found: dict[str, ImportedLot] = {}
    for result in results:
        for lot in result.lots:
            if lot.price is None:
                continue
            known = found.get(lot.ticker)
            if known is None or (known.as_of or date.min) <= (lot.as_of or date.min):
                found[lot.ticker] = lot
    return found


def price_of(
    ticker: str, files: Mapping[str, ImportedLot], trades: Mapping[str, LastTrade]
) -> tuple[Decimal | None, str]:
    """A rebuilt lot's price, and the note that says where it came from: a positions or
    lots file's price of the ticker, else its last trade's in the history, else none (the
    user types it; so too when a split came after that trade)."""
    lot = files.get(ticker)
    if lot is not None:
        return lot.price, NOTE_FILE_PRICE.format(source=lot.source, as_of=as_of_text(lot.as_of))
    trade = trades.get(ticker)
    if trade is None:
        return None, NOTE_NO_PRICE.format(ticker=ticker)
    if trade.split_after is not None:
        return None, NOTE_SPLIT_PRICE.format(ticker=ticker, day=trade.day, split=trade.split_after)
    return trade.price, NOTE_LAST_TRADE.format(day=trade.day.isoformat())
