"""Interactive Brokers "Transaction History" statement CSV (Performance & Reports > Statements >
Transaction History), README §5.2: ``Statement``/``Summary`` rows, then
``Transaction History,Header,Date,Account,Description,Transaction Type,Symbol,Quantity,Price,
Gross Amount ,Commission,Net Amount`` and its data rows; ``-`` means blank, dates are ISO.
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
)

_SECTION = "Transaction History"
_COLUMNS = ("date", "account", "transaction type", "symbol", "quantity", "net amount")
_TYPES: dict[str, TradeKind | SkipReason] = {
    "buy": TradeKind.BUY,
    "sell": TradeKind.SELL,
    "dividend": SkipReason.DIVIDEND,
    "payment in lieu": SkipReason.DIVIDEND,
    "foreign tax withholding": SkipReason.TAX_WITHHELD,
    "withholding tax": SkipReason.TAX_WITHHELD,
    "credit interest": SkipReason.INTEREST,
    "debit interest": SkipReason.INTEREST,
    "deposit": SkipReason.CASH_MOVEMENT,
    "withdrawal": SkipReason.CASH_MOVEMENT,
    "forex trade component": SkipReason.CURRENCY,
    "adjustment": SkipReason.ADJUSTMENT,
    "other fee": SkipReason.FEE,
    "commission adjustment": SkipReason.FEE,
}


def detect(header_cells: Sequence[str]) -> bool:
    """``Transaction History,Header,Date,Account,…,Transaction Type,Symbol,Quantity,…``."""
    return (
        len(header_cells) > 2
        and header_cells[0].strip() == _SECTION
        and header_cells[1].strip() == "Header"
        and has_columns(header_cells[2:], *_COLUMNS)
    )


def read(text: str, source_name: str) -> ImportResult:
    """Read a Transaction History statement."""
    out = FileBuilder(source_name, Broker.IBKR, FileKind.HISTORY, LAYOUT.name)
    values = out.values
    records = csv_records(text, source_name)
    _, _, header = find_header(records, detect, source_name)
    columns = Columns(header[2:])
    for line, cells in records:
        if is_blank(cells):
            continue
        out.row()
        if cells[0].strip() != _SECTION or cell(cells, 1).strip() != "Data":
            out.skip(SkipReason.OTHER_SECTION)
            continue
        row = cells[2:]
        try:
            account = out.account(None, cell(row, columns.need("account")), line)
            type_text = " ".join(cell(row, columns.need("transaction type")).split())
            outcome = _TYPES.get(type_text.lower())
            if outcome is None:
                out.skip(UNRECOGNISED_ACTION + type_text)
                continue
            if isinstance(outcome, SkipReason):
                out.skip(outcome)
                continue
            shares = values.shares(cell(row, columns.need("quantity")), "Quantity")
            out.add_trade(
                line,
                account=account,
                kind=outcome,
                trade_date=values.day(cell(row, columns.need("date")), "Date"),
                ticker=cell(row, columns.need("symbol")),
                shares=None if shares is None else abs(shares),
                action=type_text,
                price=values.number(cell(row, columns.find("price")), "Price"),
                amount=values.number(cell(row, columns.need("net amount")), "Net Amount"),
                fees=values.number(cell(row, columns.find("commission")), "Commission"),
            )
        except HarvestInputError as error:
            out.problem(line, error)
    return out.result()


LAYOUT = Layout(
    broker=Broker.IBKR,
    kind=FileKind.HISTORY,
    name="Transaction History CSV",
    where="Performance & Reports > Statements > Transaction History > Download CSV",
    detect=detect,
    read=read,
)
