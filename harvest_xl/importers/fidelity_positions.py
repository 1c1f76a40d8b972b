"""Fidelity positions: ``Portfolio_Positions_Mmm-dd-yyyy.csv`` (Accounts & Trade > Portfolio >
Positions > Download), every era the README documents: title case (2021-24), lower case (2025-26)
and the older ``Cost Basis,Cost Basis Per Share`` ending.

One row per position and account, with the position's total cost only: each becomes an
:class:`ImportedLot` flagged ``is_position_total`` with no acquisition date. Core (cash) rows
(``SPAXX**``), ``Pending Activity`` rows and option positions are skipped; the quoted disclaimer
and the ``Date downloaded`` line end the file (its date is the positions' "as of" date).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.importers.fidelity_common import is_core, is_option
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import Broker, FileKind, ImportResult, SkipReason
from harvest_xl.importers.source import csv_records
from harvest_xl.importers.table import (
    Columns,
    FileBuilder,
    cell,
    find_header,
    has_columns,
    header_names,
    is_blank,
    looks_like_footer,
    term_from_text,
)

_DOWNLOADED = re.compile(
    r"Date downloaded\s+([A-Za-z]{3}-\d{1,2}-\d{4}|\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE
)
_POSITION_COLUMNS = ("account number", "account name", "symbol", "quantity", "current value")


def detect(header_cells: Sequence[str]) -> bool:
    """The positions header: account, symbol, quantity, value, and no acquisition date."""
    return has_columns(header_cells, *_POSITION_COLUMNS) and "date acquired" not in header_names(
        header_cells
    )


def read(text: str, source_name: str) -> ImportResult:
    """Read a Fidelity positions download."""
    return read_positions(text, source_name, detect, LAYOUT.kind, LAYOUT.name, lots=False)


def read_positions(
    text: str,
    source_name: str,
    header_test: Callable[[Sequence[str]], bool],
    kind: FileKind,
    layout_name: str,
    *,
    lots: bool,
) -> ImportResult:
    """The positions reader, shared with the lot-level layout (``lots=True``: rows are lots
    with their acquisition date and term)."""
    out = FileBuilder(source_name, Broker.FIDELITY, kind, layout_name)
    values = out.values
    downloaded = _DOWNLOADED.search(text)
    as_of: date | None = values.day(downloaded[1], "Date downloaded") if downloaded else None
    records = csv_records(text, source_name)
    _, _, header = find_header(records, header_test, source_name)
    columns = Columns(header)
    number_at = columns.need("account number")
    name_at = columns.need("account name")
    symbol_at = columns.need("symbol")
    description_at = columns.find("description")
    quantity_at = columns.need("quantity")
    price_at = columns.find("last price")
    value_at = columns.need("current value")
    basis_at = columns.find("cost basis total", "cost basis")
    per_share_at = columns.find("average cost basis", "cost basis per share")
    acquired_at = columns.find("date acquired")
    term_at = columns.find("term")
    finished = False
    for line, cells in records:
        if is_blank(cells):
            continue
        out.row()
        if finished or looks_like_footer(cells):
            finished = True
            out.skip(SkipReason.FOOTER)
            continue
        symbol = cell(cells, symbol_at).strip()
        description = cell(cells, description_at).strip()
        # Every account named is registered, even one holding only cash.
        account = out.account(cell(cells, name_at), cell(cells, number_at), line)
        if "pending" in symbol.lower() or "pending" in cell(cells, number_at).lower():
            out.skip(SkipReason.PENDING)
            continue
        if is_core(symbol, description):
            out.skip(SkipReason.CORE_CASH)
            continue
        if is_option(symbol):
            out.skip(SkipReason.OPTION)
            continue
        try:
            shares = values.shares(cell(cells, quantity_at), "Quantity")
            if shares is not None and shares < 0:
                out.skip(SkipReason.SHORT)
                continue
            acquired = values.day(cell(cells, acquired_at), "Date Acquired") if lots else None
            out.add_lot(
                line,
                account=account,
                ticker=symbol,
                shares=shares,
                acquired=acquired,
                cost_basis=values.number(cell(cells, basis_at), "Cost Basis Total"),
                cost_per_share=values.number(cell(cells, per_share_at), "Average Cost Basis"),
                price=values.number(cell(cells, price_at), "Last Price"),
                value=values.number(cell(cells, value_at), "Current Value"),
                is_position_total=not lots,
                term=term_from_text(cell(cells, term_at)) if lots else None,
                as_of=as_of,
                description=description or None,
            )
        except HarvestInputError as error:
            out.problem(line, error)
    return out.result()


LAYOUT = Layout(
    broker=Broker.FIDELITY,
    kind=FileKind.POSITIONS,
    name="Portfolio_Positions.csv",
    where="Accounts & Trade > Portfolio > Positions > Download",
    detect=detect,
    read=read,
)
