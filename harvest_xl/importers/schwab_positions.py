"""Schwab positions: ``…-Positions-YYYY-MM-DD-HHMMSS.csv`` (Accounts > Positions > Export),
every era of README §2.1: 2020 (25 columns, trailing commas, All-Accounts files with a sub-header
per account), 2021-23, 2025 (``Qty (Quantity)``-style names) and 2026 (``Asset Type``).

Columns are user-configurable, so they are found by name. The title line names the account and
the date (``Positions for account Individual ...234 as of 12:52 PM ET, 2023/04/23``). Each row is
a position total; ``Cash & Cash Investments`` and ``Account Total`` rows and options are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import Broker, FileKind, ImportResult, SkipReason
from harvest_xl.importers.schwab_common import split_name_number, title_account, title_date_text
from harvest_xl.importers.source import csv_records
from harvest_xl.importers.table import (
    Columns,
    FileBuilder,
    cell,
    filled,
    header_name,
    header_names,
    is_blank,
    is_listed_option,
)

_QUANTITY = ("quantity", "qty (quantity)")
_MARKET_VALUE = ("market value", "mkt val (market value)")


def detect(header_cells: Sequence[str]) -> bool:
    """``Symbol``, ``Description``, a quantity, ``Price``, a market value and ``Cost Basis``."""
    names = set(header_names(header_cells))
    return (
        {"symbol", "description", "price", "cost basis"} <= names
        and any(name in names for name in _QUANTITY)
        and any(name in names for name in _MARKET_VALUE)
    )


def read(text: str, source_name: str) -> ImportResult:
    """Read a Schwab positions download."""
    out = FileBuilder(source_name, Broker.SCHWAB, FileKind.POSITIONS, LAYOUT.name)
    values = out.values
    columns: Columns | None = None
    account: str | None = None
    as_of: date | None = None
    for line, cells in csv_records(text, source_name):
        if is_blank(cells):
            continue
        first = cells[0].strip()
        if header_name(first) == "symbol" and detect(cells):
            if columns is not None:
                out.row()
                out.skip(SkipReason.SECTION)
            columns = Columns(cells)
            continue
        if columns is not None:
            out.row()
        if first.lower().startswith("positions for"):
            name, number = title_account(first)
            account = out.account(name, number, line)
            date_text = title_date_text(first)
            as_of = values.day(date_text, "title") if date_text else None
            if columns is not None:
                out.skip(SkipReason.SECTION)
            continue
        if filled(cells) == 1:  # an All-Accounts sub-header: "Brokerage XXXX-1234"
            name, number = split_name_number(first)
            account = out.account(name, number, line)
            if columns is not None:
                out.skip(SkipReason.SECTION)
            continue
        if columns is None:
            continue
        try:
            _read_row(out, columns, line, cells, account, as_of)
        except HarvestInputError as error:
            out.problem(line, error)
    return out.result()


def _read_row(
    out: FileBuilder,
    columns: Columns,
    line: int,
    cells: list[str],
    account: str | None,
    as_of: date | None,
) -> None:
    values = out.values
    symbol = cell(cells, columns.need("symbol")).strip()
    kind_of_security = cell(cells, columns.find("security type", "asset type")).lower()
    if symbol.lower().startswith("account total") or symbol.lower() == "total":
        out.skip(SkipReason.TOTAL)
        return
    if symbol.lower().startswith("cash & cash investments") or "cash and money market" in (
        kind_of_security
    ):
        out.skip(SkipReason.CORE_CASH)
        return
    if "option" in kind_of_security or is_listed_option(symbol):
        out.skip(SkipReason.OPTION)
        return
    shares = values.shares(cell(cells, columns.need(*_QUANTITY)), "Quantity")
    if shares is not None and shares < 0:
        out.skip(SkipReason.SHORT)
        return
    out.add_lot(
        line,
        account=account,
        ticker=symbol,
        shares=shares,
        cost_basis=values.number(cell(cells, columns.find("cost basis")), "Cost Basis"),
        price=values.number(cell(cells, columns.find("price")), "Price"),
        value=values.number(cell(cells, columns.find(*_MARKET_VALUE)), "Market Value"),
        is_position_total=True,
        as_of=as_of,
        description=values.text(cell(cells, columns.find("description"))),
    )


LAYOUT = Layout(
    broker=Broker.SCHWAB,
    kind=FileKind.POSITIONS,
    name="Positions.csv",
    where="Accounts > Positions > Export",
    detect=detect,
    read=read,
)
