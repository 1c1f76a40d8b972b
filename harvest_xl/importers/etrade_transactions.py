"""E*TRADE transaction history, the ``DownloadTxnHistory.csv`` layout (Accounts > Transactions >
Download), README §3.1: ``For Account:,####2456`` first, dates ``MM/DD/YY``, signed quantities
(negative when sold), ``0`` for a price that does not apply.

A reinvested dividend is two ``Dividend`` rows: shares bought (+quantity, -amount), the
reinvestment, and the cash dividend (0 quantity), skipped as cash paid.
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
    find_header,
    has_columns,
    is_blank,
    looks_like_footer,
)

_COLUMNS = ("transactiondate", "transactiontype", "securitytype", "symbol", "quantity", "amount")
_BY_SIGN = "by sign"
_REINVESTED_IF_SHARES = "dividend"
_TYPES: dict[str, TradeKind | SkipReason | str] = {
    "bought": TradeKind.BUY,
    "sold": TradeKind.SELL,
    "dividend": _REINVESTED_IF_SHARES,
    "interest": SkipReason.INTEREST,
    "fee": SkipReason.FEE,
    "wire": SkipReason.CASH_MOVEMENT,
    "direct debit": SkipReason.CASH_MOVEMENT,
    "direct deposit": SkipReason.CASH_MOVEMENT,
    "deposit": SkipReason.CASH_MOVEMENT,
    "withdrawal": SkipReason.CASH_MOVEMENT,
    "transfer": _BY_SIGN,
    "adjustment": SkipReason.ADJUSTMENT,
    "reorganization": SkipReason.CORPORATE_ACTION,
    "sold short": SkipReason.SHORT,
    "bought to cover": SkipReason.SHORT,
    "option expired": SkipReason.OPTION,
}


def detect(header_cells: Sequence[str]) -> bool:
    """``TransactionDate,TransactionType,SecurityType,Symbol,Quantity,Amount,…``."""
    return has_columns(header_cells, *_COLUMNS)


def read(text: str, source_name: str) -> ImportResult:
    """Read an E*TRADE transaction history download."""
    out = FileBuilder(source_name, Broker.ETRADE, FileKind.HISTORY, LAYOUT.name)
    values = out.values
    records = csv_records(text, source_name)
    preamble, _, header = find_header(records, detect, source_name)
    account = None
    for line, cells in preamble:
        if cells and cells[0].strip().lower().startswith("for account"):
            account = out.account(None, cell(cells, 1), line)
    columns = Columns(header)
    for line, cells in records:
        if is_blank(cells):
            continue
        out.row()
        if looks_like_footer(cells):
            out.skip(SkipReason.FOOTER)
            continue
        try:
            type_text = " ".join(cell(cells, columns.need("transactiontype")).split())
            outcome = _TYPES.get(type_text.lower())
            if outcome is None:
                out.skip(UNRECOGNISED_ACTION + type_text)
                continue
            if isinstance(outcome, SkipReason):
                out.skip(outcome)
                continue
            if "opt" in cell(cells, columns.find("securitytype")).lower():
                out.skip(SkipReason.OPTION)
                continue
            shares = values.shares(cell(cells, columns.need("quantity")), "Quantity")
            if outcome == _REINVESTED_IF_SHARES:
                if not shares:
                    out.skip(SkipReason.DIVIDEND)
                    continue
                kind = TradeKind.REINVEST
            elif outcome == _BY_SIGN:
                if not shares:
                    out.skip(SkipReason.CASH_MOVEMENT)
                    continue
                kind = TradeKind.TRANSFER_IN if shares > 0 else TradeKind.TRANSFER_OUT
            else:
                assert isinstance(outcome, TradeKind)
                kind = outcome
            price = values.number(cell(cells, columns.find("price")), "Price")
            out.add_trade(
                line,
                account=account,
                kind=kind,
                trade_date=values.day(cell(cells, columns.need("transactiondate")), "Date"),
                ticker=cell(cells, columns.need("symbol")),
                shares=None if shares is None else abs(shares),
                action=type_text,
                price=price or None,  # 0 means "does not apply"
                amount=values.number(cell(cells, columns.need("amount")), "Amount"),
                fees=values.number(cell(cells, columns.find("commission")), "Commission"),
            )
        except HarvestInputError as error:
            out.problem(line, error)
    return out.result()


LAYOUT = Layout(
    broker=Broker.ETRADE,
    kind=FileKind.HISTORY,
    name="DownloadTxnHistory.csv",
    where="Accounts > Transactions > Download",
    detect=detect,
    read=read,
)
