"""Vanguard ``OfxDownload.csv`` (My Accounts > Download center > a date range > CSV), README §6:
two CSVs in one file, the holdings (``Account Number,Investment Name,Symbol,Shares,Share Price,
Total Value,``) and, after blank lines, the transactions (``Account Number,Trade Date,Settlement
Date,Transaction Type,…``), with trailing commas; an Excel re-save pads every line to 15 fields.
Also the trimmed transactions-only file of the csv2txf project (no account, no price).

Holdings are position totals (Vanguard's download has no cost basis); the settlement fund
(``VMFXX``) is cash. A ``Dividend`` row and its ``Reinvestment`` row are two rows: the dividend is
skipped as cash paid, the reinvestment is the purchase.
"""

from __future__ import annotations

from collections.abc import Sequence

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import (
    UNRECOGNISED_ACTION,
    Broker,
    FileKind,
    ImportResult,
    SkipReason,
    TradeKind,
)
from harvest_xl.importers.source import csv_records
from harvest_xl.importers.table import (
    Columns,
    FileBuilder,
    cell,
    has_columns,
    is_blank,
    looks_like_footer,
)

SETTLEMENT_FUNDS = frozenset({"VMFXX", "VMRXX"})
"""Vanguard's settlement (cash sweep) money-market funds: cash, not holdings."""

_HOLDINGS = ("account number", "investment name", "symbol", "shares", "share price", "total value")
_TRANSACTIONS = ("trade date", "transaction type", "symbol", "shares", "net amount")
_BY_SIGN = "by sign"
# Transaction types by their leading words (lower case), longest first.
_TYPES: tuple[tuple[str, TradeKind | SkipReason | str], ...] = tuple(
    sorted(
        (
            ("buy", TradeKind.BUY),
            ("sell", TradeKind.SELL),
            ("reinvestment", TradeKind.REINVEST),
            ("dividend", SkipReason.DIVIDEND),
            ("capital gain", SkipReason.DIVIDEND),
            ("return of capital", SkipReason.DIVIDEND),
            ("interest", SkipReason.INTEREST),
            ("sweep in", SkipReason.CORE_CASH),
            ("sweep out", SkipReason.CORE_CASH),
            ("funds received", SkipReason.CASH_MOVEMENT),
            ("funds withdrawn", SkipReason.CASH_MOVEMENT),
            ("withdrawal", SkipReason.CASH_MOVEMENT),
            ("deposit", SkipReason.CASH_MOVEMENT),
            ("wire", SkipReason.CASH_MOVEMENT),
            ("transfer", _BY_SIGN),
            ("stock split", TradeKind.SPLIT),
            ("conversion", SkipReason.CORPORATE_ACTION),
            ("corp action", SkipReason.CORPORATE_ACTION),
            ("exchange", SkipReason.CORPORATE_ACTION),
            ("fee", SkipReason.FEE),
            ("account service fee", SkipReason.FEE),
            ("tax withholding", SkipReason.TAX_WITHHELD),
        ),
        key=lambda item: -len(item[0]),
    )
)


def detect(header_cells: Sequence[str]) -> bool:
    """The holdings header or the transactions header."""
    return has_columns(header_cells, *_HOLDINGS) or has_columns(header_cells, *_TRANSACTIONS)


def read(text: str, source_name: str) -> ImportResult:
    """Read a Vanguard download."""
    out = FileBuilder(source_name, Broker.VANGUARD, FileKind.POSITIONS_AND_HISTORY, LAYOUT.name)
    holdings: Columns | None = None
    transactions: Columns | None = None
    started = False
    for line, cells in csv_records(text, source_name):
        if is_blank(cells):
            continue
        if not cells[0][:1].isdigit() and detect(cells):  # (a data row starts with a number)
            if started:
                out.row()
                out.skip(SkipReason.SECTION)
            started = True
            if has_columns(cells, *_HOLDINGS):
                holdings, transactions = Columns(cells), None
            else:
                holdings, transactions = None, Columns(cells)
            continue
        if not started:
            continue
        out.row()
        if looks_like_footer(cells):
            out.skip(SkipReason.FOOTER)
            continue
        try:
            if holdings is not None:
                _holding(out, holdings, line, cells)
            elif transactions is not None:
                _transaction(out, transactions, line, cells)
        except HarvestInputError as error:
            out.problem(line, error)
    out.kind = _kind(out)
    return out.result()


def _kind(out: FileBuilder) -> FileKind:
    if out.lots and not out.trades:
        return FileKind.POSITIONS
    if out.trades and not out.lots:
        return FileKind.HISTORY
    return FileKind.POSITIONS_AND_HISTORY


def _account(out: FileBuilder, columns: Columns, cells: list[str], line: int) -> str | None:
    return out.account(None, cell(cells, columns.find("account number")), line)


def _holding(out: FileBuilder, columns: Columns, line: int, cells: list[str]) -> None:
    values = out.values
    account = _account(out, columns, cells, line)
    symbol = cell(cells, columns.need("symbol")).strip().upper()
    if symbol in SETTLEMENT_FUNDS:
        out.skip(SkipReason.CORE_CASH)
        return
    shares = values.shares(cell(cells, columns.need("shares")), "Shares")
    if shares == 0:
        out.skip(SkipReason.EMPTY_POSITION)
        return
    out.add_lot(
        line,
        account=account,
        ticker=symbol,
        shares=shares,
        price=values.number(cell(cells, columns.need("share price")), "Share Price"),
        value=values.number(cell(cells, columns.need("total value")), "Total Value"),
        is_position_total=True,
        description=values.text(cell(cells, columns.need("investment name"))),
    )


def _transaction(out: FileBuilder, columns: Columns, line: int, cells: list[str]) -> None:
    values = out.values
    account = _account(out, columns, cells, line)
    kind_text = " ".join(cell(cells, columns.need("transaction type")).split())
    outcome = next(
        (found for prefix, found in _TYPES if kind_text.lower().startswith(prefix)), None
    )
    if outcome is None:
        out.skip(UNRECOGNISED_ACTION + kind_text)
        return
    if isinstance(outcome, SkipReason):
        out.skip(outcome)
        return
    symbol = cell(cells, columns.need("symbol")).strip().upper()
    shares = values.shares(cell(cells, columns.need("shares")), "Shares")
    if outcome == _BY_SIGN:
        if not shares:
            out.skip(SkipReason.CASH_MOVEMENT)
            return
        kind = TradeKind.TRANSFER_IN if shares > 0 else TradeKind.TRANSFER_OUT
    else:
        assert isinstance(outcome, TradeKind)
        kind = outcome
    if symbol in SETTLEMENT_FUNDS:
        out.skip(SkipReason.CORE_CASH)
        return
    out.add_trade(
        line,
        account=account,
        kind=kind,
        trade_date=values.day(cell(cells, columns.need("trade date")), "Trade Date"),
        ticker=symbol,
        shares=shares if shares is None or kind is TradeKind.SPLIT else abs(shares),
        action=kind_text,
        price=values.number(cell(cells, columns.find("share price")), "Share Price"),
        amount=values.number(cell(cells, columns.need("net amount")), "Net Amount"),
        fees=values.number(
            cell(cells, columns.find("commissions and fees", "commission fees")), "Fees"
        ),
    )


LAYOUT = Layout(
    broker=Broker.VANGUARD,
    kind=FileKind.POSITIONS_AND_HISTORY,
    name="OfxDownload.csv",
    where="My Accounts > Download center > a date range > CSV",
    detect=detect,
    read=read,
)
