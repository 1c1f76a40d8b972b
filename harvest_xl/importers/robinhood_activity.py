"""Robinhood account activity report (Account > Reports and statements > Reports > Generate
report), README §4: every field quoted, dates ``M/D/YYYY``, descriptions over several lines
(``Apple\nCUSIP: 037833100\nMarket Buy``), negatives in parentheses, option counts like ``2S``,
and a trailer: an empty ``""`` record and a disclaimer row. The report names no account.
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

_COLUMNS = ("activity date", "process date", "instrument", "trans code", "quantity", "amount")
_CODES: dict[str, TradeKind | SkipReason] = {
    "BUY": TradeKind.BUY,
    "SELL": TradeKind.SELL,
    "SPL": TradeKind.SPLIT,
    "SPR": TradeKind.SPLIT,
    "REC": TradeKind.TRANSFER_IN,
    "BTO": SkipReason.OPTION,
    "STO": SkipReason.OPTION,
    "BTC": SkipReason.OPTION,
    "STC": SkipReason.OPTION,
    "OEXP": SkipReason.OPTION,
    "OASGN": SkipReason.OPTION,
    "OEXCS": SkipReason.OPTION,
    "OCA": SkipReason.OPTION,
    "CDIV": SkipReason.DIVIDEND,
    "MDIV": SkipReason.DIVIDEND,
    "DIV": SkipReason.DIVIDEND,
    "INT": SkipReason.INTEREST,
    "SLIP": SkipReason.INTEREST,
    "ACH": SkipReason.CASH_MOVEMENT,
    "RTP": SkipReason.CASH_MOVEMENT,
    "XENT": SkipReason.CASH_MOVEMENT,
    "DEP": SkipReason.CASH_MOVEMENT,
    "WIRE": SkipReason.CASH_MOVEMENT,
    "GOLD": SkipReason.FEE,
    "DFEE": SkipReason.FEE,
    "AFEE": SkipReason.FEE,
    "DTAX": SkipReason.TAX_WITHHELD,
    "JNLC": SkipReason.JOURNAL,
    "JNLS": SkipReason.JOURNAL,
    "SXCH": SkipReason.CORPORATE_ACTION,
    "MRGS": SkipReason.CORPORATE_ACTION,
    "MRGC": SkipReason.CORPORATE_ACTION,
}


def detect(header_cells: Sequence[str]) -> bool:
    """``Activity Date,Process Date,Settle Date,Instrument,Description,Trans Code,…``."""
    return has_columns(header_cells, *_COLUMNS)


def read(text: str, source_name: str) -> ImportResult:
    """Read a Robinhood activity report."""
    out = FileBuilder(source_name, Broker.ROBINHOOD, FileKind.HISTORY, LAYOUT.name)
    values = out.values
    records = csv_records(text, source_name)
    _, _, header = find_header(records, detect, source_name)
    columns = Columns(header)
    for line, cells in records:
        if is_blank(cells):
            continue
        out.row()
        if looks_like_footer(cells):
            out.skip(SkipReason.FOOTER)
            continue
        try:
            code = cell(cells, columns.need("trans code")).strip().upper()
            outcome = _CODES.get(code)
            if outcome is None:
                out.skip(UNRECOGNISED_ACTION + code)
                continue
            if isinstance(outcome, SkipReason):
                out.skip(outcome)
                continue
            shares = values.shares(cell(cells, columns.need("quantity")), "Quantity")
            out.add_trade(
                line,
                account=None,
                kind=outcome,
                trade_date=values.day(cell(cells, columns.need("activity date")), "Date"),
                ticker=cell(cells, columns.need("instrument")),
                shares=shares if shares is None or outcome is TradeKind.SPLIT else abs(shares),
                action=code,
                price=values.number(cell(cells, columns.find("price")), "Price"),
                amount=values.number(cell(cells, columns.need("amount")), "Amount"),
            )
        except HarvestInputError as error:
            out.problem(line, error)
    return out.result()


LAYOUT = Layout(
    broker=Broker.ROBINHOOD,
    kind=FileKind.HISTORY,
    name="account activity report CSV",
    where="Account > Reports and statements > Reports > Generate report",
    detect=detect,
    read=read,
)
