"""Interactive Brokers Flex Query CSV (Performance & Reports > Flex Queries > a query with the
Trades or Cash Transactions section, CSV format), README §5.3. The user picks the columns, so
they are found by name; rows may start with a section code and ``HEADER``/``DATA``, and
``BOF``/``EOF`` trailer rows may be on. Dates are ``yyyyMMdd`` (``;HHmmss`` for date-times).

Trades: ``Buy/Sell`` with a signed quantity; a row without a symbol and ISIN (or of asset class
``CASH``) is a currency conversion. When the query has no ``Symbol`` column the ISIN stands in
for the ticker. Cash transactions (dividends, withholding, interest…) are all skipped by reason.
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
    header_name,
    header_names,
    is_blank,
)

_LINE_DESCRIPTORS = ("HEADER", "DATA")
_TRAILERS = ("BOF", "EOF", "BOA", "EOA", "BOS", "EOS")
_CASH_TYPES: dict[str, SkipReason] = {
    "dividends": SkipReason.DIVIDEND,
    "payment in lieu of dividends": SkipReason.DIVIDEND,
    "withholding tax": SkipReason.TAX_WITHHELD,
    "broker interest received": SkipReason.INTEREST,
    "broker interest paid": SkipReason.INTEREST,
    "bond interest received": SkipReason.INTEREST,
    "deposits/withdrawals": SkipReason.CASH_MOVEMENT,
    "deposits & withdrawals": SkipReason.CASH_MOVEMENT,
    "other fees": SkipReason.FEE,
    "commission adjustments": SkipReason.FEE,
}


def _payload(cells: Sequence[str]) -> Sequence[str]:
    """A row without its optional ``HEADER``/``DATA`` line descriptor and section code."""
    if cells and cells[0].strip().upper() in _LINE_DESCRIPTORS:
        return cells[2:]
    return cells


def detect_trades(header_cells: Sequence[str]) -> bool:
    """``Buy/Sell``, ``Quantity``, a trade price and a trade date."""
    cells = _payload(header_cells)
    names = set(header_names(cells))
    return (
        {"buy/sell", "quantity"} <= names
        and bool(names & {"tradeprice", "price"})
        and bool(names & {"tradedate", "date/time"})
    )


def detect_cash(header_cells: Sequence[str]) -> bool:
    """``Type``, ``Amount``, ``CurrencyPrimary`` and a date, and no ``Buy/Sell``."""
    cells = _payload(header_cells)
    names = set(header_names(cells))
    return (
        {"type", "amount", "currencyprimary"} <= names
        and bool(names & {"settledate", "date/time", "reportdate", "date"})
        and "buy/sell" not in names
    )


def read_trades(text: str, source_name: str) -> ImportResult:
    """Read a Flex Query's trades."""
    out = FileBuilder(source_name, Broker.IBKR, FileKind.HISTORY, TRADES_LAYOUT.name)
    values = out.values
    records = csv_records(text, source_name)
    _, _, header = find_header(records, detect_trades, source_name)
    columns = Columns(_payload(header))
    for line, raw in records:
        if is_blank(raw):
            continue
        out.row()
        if raw[0].strip().upper() in _TRAILERS:
            out.skip(SkipReason.SECTION)
            continue
        cells = _payload(raw)
        if header_name(cell(cells, 0)) == columns.names[0] and detect_trades(cells):
            out.skip(SkipReason.SECTION)
            continue
        try:
            account = out.account(None, cell(cells, columns.find("clientaccountid")), line)
            side = cell(cells, columns.need("buy/sell")).strip().upper()
            asset = cell(cells, columns.find("assetclass")).strip().upper()
            ticker = (
                cell(cells, columns.find("symbol")).strip()
                or cell(cells, columns.find("isin")).strip()
            )
            if asset == "CASH" or not ticker:
                out.skip(SkipReason.CURRENCY)
                continue
            if asset in ("OPT", "FOP", "FUT"):
                out.skip(SkipReason.OPTION)
                continue
            if asset not in ("", "STK"):
                out.skip(UNRECOGNISED_ACTION + asset)
                continue
            if side.startswith("BUY"):
                kind = TradeKind.BUY
            elif side.startswith("SELL"):
                kind = TradeKind.SELL
            else:
                out.skip(UNRECOGNISED_ACTION + side)
                continue
            shares = values.shares(cell(cells, columns.need("quantity")), "Quantity")
            out.add_trade(
                line,
                account=account,
                kind=kind,
                trade_date=values.day(
                    cell(cells, columns.need("tradedate", "date/time")), "TradeDate"
                ),
                ticker=ticker,
                shares=None if shares is None else abs(shares),
                action=side,
                price=values.number(cell(cells, columns.need("tradeprice", "price")), "Price"),
                amount=values.number(cell(cells, columns.find("trademoney", "proceeds")), "Money"),
                fees=values.number(
                    cell(cells, columns.find("ibcommission", "commission")), "Commission"
                ),
            )
        except HarvestInputError as error:
            out.problem(line, error)
    return out.result()


def read_cash(text: str, source_name: str) -> ImportResult:
    """Read a Flex Query's cash transactions: every row is skipped by its type."""
    out = FileBuilder(source_name, Broker.IBKR, FileKind.HISTORY, CASH_LAYOUT.name)
    records = csv_records(text, source_name)
    _, _, header = find_header(records, detect_cash, source_name)
    columns = Columns(_payload(header))
    for _, raw in records:
        if is_blank(raw):
            continue
        out.row()
        repeated = header_name(cell(_payload(raw), 0)) == columns.names[0] and detect_cash(raw)
        if raw[0].strip().upper() in _TRAILERS or repeated:
            out.skip(SkipReason.SECTION)
            continue
        type_text = " ".join(cell(_payload(raw), columns.need("type")).split())
        out.skip(_CASH_TYPES.get(type_text.lower(), UNRECOGNISED_ACTION + type_text))
    return out.result()


TRADES_LAYOUT = Layout(
    broker=Broker.IBKR,
    kind=FileKind.HISTORY,
    name="Flex Query CSV (Trades)",
    where="Performance & Reports > Flex Queries > a Trades query > CSV",
    detect=detect_trades,
    read=read_trades,
)
CASH_LAYOUT = Layout(
    broker=Broker.IBKR,
    kind=FileKind.HISTORY,
    name="Flex Query CSV (Cash Transactions)",
    where="Performance & Reports > Flex Queries > a Cash Transactions query > CSV",
    detect=detect_cash,
    read=read_cash,
)
