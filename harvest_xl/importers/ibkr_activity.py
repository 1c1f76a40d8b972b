"""Interactive Brokers Activity Statement CSV (Performance & Reports > Statements > Activity >
Download CSV), README §5.1: every row is ``<Section>,<Header|Data|SubTotal|Total|Notes>,…``.

The ``Trades`` section is read. ``Order`` rows are trades (a ``Trade`` row under an order is one
of its executions, skipped when the statement has order rows); ``ClosedLot`` rows after a
closing trade are the lots it closed, each with its open date, quantity, basis, realized P/L and
``ST``/``LT`` code: realized lots sold on the closing trade's date. ``Account Information`` names
the account. Options and forex rows, other sections and subtotals are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

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
    term_from_text,
)

_TRADE_COLUMNS = ("datadiscriminator", "asset category", "symbol", "date/time", "quantity")
_STOCKS = "stocks"
_OPTIONS = ("equity and index options", "options on futures", "futures options")


def detect(header_cells: Sequence[str]) -> bool:
    """``Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,…``."""
    return (
        len(header_cells) > 2
        and header_cells[0].strip() == "Trades"
        and header_cells[1].strip() == "Header"
        and has_columns(header_cells[2:], *_TRADE_COLUMNS)
    )


def read(text: str, source_name: str) -> ImportResult:
    """Read an Activity Statement's trades and closed lots."""
    out = FileBuilder(source_name, Broker.IBKR, FileKind.HISTORY, LAYOUT.name)
    records = [
        (line, cells) for line, cells in csv_records(text, source_name) if not is_blank(cells)
    ]
    has_orders = any(
        len(cells) > 2 and cells[0] == "Trades" and cells[2] == "Order" for _, cells in records
    )
    account = _account(out, records)
    columns: Columns | None = None
    closing: dict[str, date] = {}  # symbol -> date of the latest trade that can close lots
    for line, cells in records:
        section, row_type = cells[0].strip(), cell(cells, 1).strip()
        if detect(cells):
            if columns is not None:
                out.row()
                out.skip(SkipReason.SECTION)
            columns = Columns(cells[2:])
            continue
        if columns is None:
            continue  # the statement's sections before the trades: the preamble
        out.row()
        if section != "Trades":
            out.skip(SkipReason.OTHER_SECTION)
            continue
        if row_type in ("SubTotal", "Total"):
            out.skip(SkipReason.TOTAL)
            continue
        if row_type != "Data":
            out.skip(SkipReason.OTHER_SECTION)
            continue
        try:
            _trade_row(out, columns, line, cells[2:], account, has_orders, closing)
        except HarvestInputError as error:
            out.problem(line, error)
    if out.realized and not out.trades:
        out.kind = FileKind.REALIZED
    return out.result()


def _account(out: FileBuilder, records: list[tuple[int, list[str]]]) -> str | None:
    """The ``Account Information`` section's account number, with its account type as the
    name the type is inferred from (the holder's name is not kept)."""
    number: str | None = None
    kind_of_account: str | None = None
    found_at = 0
    for line, cells in records:
        if cells[0].strip() == "Account Information" and cell(cells, 1).strip() == "Data":
            field = cell(cells, 2).strip().lower()
            if field == "account":
                number, found_at = cell(cells, 3).strip(), line
            elif field == "account type":
                kind_of_account = cell(cells, 3).strip()
    return out.account(kind_of_account, number, found_at) if number else None


def _trade_row(
    out: FileBuilder,
    columns: Columns,
    line: int,
    cells: list[str],
    account: str | None,
    has_orders: bool,
    closing: dict[str, date],
) -> None:
    values = out.values
    discriminator = cell(cells, columns.need("datadiscriminator")).strip()
    category = cell(cells, columns.need("asset category")).strip().lower()
    symbol = cell(cells, columns.need("symbol")).strip()
    if category == "forex":
        out.skip(SkipReason.CURRENCY)
        return
    if category in _OPTIONS:
        out.skip(SkipReason.OPTION)
        return
    if category != _STOCKS:
        out.skip(UNRECOGNISED_ACTION + cell(cells, columns.need("asset category")).strip())
        return
    when = values.day(cell(cells, columns.need("date/time")), "Date/Time")
    shares = values.shares(cell(cells, columns.need("quantity")), "Quantity")
    basis = values.number(cell(cells, columns.find("basis")), "Basis")
    if discriminator == "ClosedLot":
        sold = closing.get(symbol)
        if sold is None:
            raise HarvestInputError("ClosedLot", "no closing trade of this symbol precedes the lot")
        out.add_realized(
            line,
            account=account,
            ticker=symbol,
            shares=None if shares is None else abs(shares),
            acquired=when,
            sold=sold,
            cost_basis=None if basis is None else abs(basis),
            gain=values.number(cell(cells, columns.find("realized p/l")), "Realized P/L"),
            term=term_from_text(_term_code(cell(cells, columns.find("code")))),
        )
        return
    if discriminator == "Trade" and has_orders:
        out.skip(SkipReason.EXECUTION_DETAIL)
        return
    if discriminator not in ("Order", "Trade"):
        out.skip(UNRECOGNISED_ACTION + discriminator)
        return
    if shares is None or shares == 0:
        raise HarvestInputError("Quantity", "the trade gives no quantity")
    kind = TradeKind.BUY if shares > 0 else TradeKind.SELL
    if when is not None:
        closing[symbol] = when
    out.add_trade(
        line,
        account=account,
        kind=kind,
        trade_date=when,
        ticker=symbol,
        shares=abs(shares),
        action=f"{discriminator} {kind.value}",
        price=values.number(cell(cells, columns.find("t. price")), "T. Price"),
        amount=values.number(cell(cells, columns.find("proceeds")), "Proceeds"),
        fees=values.number(cell(cells, columns.find("comm/fee")), "Comm/Fee"),
        cost_basis=None if basis is None else abs(basis),
    )


def _term_code(code: str) -> str:
    """``ST`` or ``LT`` among a row's ``;``-separated codes (``C;LT``), else the text."""
    for part in code.split(";"):
        if part.strip().upper() in ("ST", "LT"):
            return part.strip()
    return ""


LAYOUT = Layout(
    broker=Broker.IBKR,
    kind=FileKind.HISTORY,
    name="Activity Statement CSV (trades, closed lots)",
    where="Performance & Reports > Statements > Activity > Download CSV",
    detect=detect,
    read=read,
)
