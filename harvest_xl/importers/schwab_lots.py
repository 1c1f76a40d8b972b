"""Schwab unrealized lot details, one file per symbol (Accounts > Positions > a position's cost
basis > Lot Details > Export), README §2.2.

The title names the symbol, the account and the date
(``"SCHA Lot Details for XXXX-4321 as of 02:45 AM ET, 09/25/2020"``); each row is an open lot
with its open date (and time), quantity, cost and holding period; a ``Total`` row closes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.importers.errors import BrokerFileError
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import Broker, FileKind, ImportResult, SkipReason
from harvest_xl.importers.schwab_common import split_name_number, title_date_text
from harvest_xl.importers.source import csv_records
from harvest_xl.importers.table import (
    Columns,
    FileBuilder,
    cell,
    find_header,
    has_columns,
    is_blank,
    term_from_text,
)

_TITLE = re.compile(r"^\s*(\S+)\s+Lot Details for\s+(.+?)\s+as of\s", re.IGNORECASE)


def detect(header_cells: Sequence[str]) -> bool:
    """``Open Date``, ``Quantity``, ``Cost/Share``, ``Cost Basis`` and ``Holding Period``."""
    return has_columns(
        header_cells, "open date", "quantity", "cost/share", "cost basis", "holding period"
    )


def read(text: str, source_name: str) -> ImportResult:
    """Read a Schwab lot-details download."""
    out = FileBuilder(source_name, Broker.SCHWAB, FileKind.LOT_DETAIL, LAYOUT.name)
    values = out.values
    records = csv_records(text, source_name)
    preamble, _, header = find_header(records, detect, source_name)
    ticker, account, as_of = _title(out, preamble, source_name)
    columns = Columns(header)
    opened_at = columns.need("open date")
    quantity_at = columns.need("quantity")
    for line, cells in records:
        if is_blank(cells):
            continue
        out.row()
        if cells[0].strip().lower() == "total":
            out.skip(SkipReason.TOTAL)
            continue
        try:
            out.add_lot(
                line,
                account=account,
                ticker=ticker,
                shares=values.shares(cell(cells, quantity_at), "Quantity"),
                acquired=values.day(cell(cells, opened_at), "Open Date"),
                cost_basis=values.number(cell(cells, columns.find("cost basis")), "Cost Basis"),
                cost_per_share=values.number(cell(cells, columns.find("cost/share")), "Cost/Share"),
                price=values.number(cell(cells, columns.find("price")), "Price"),
                value=values.number(cell(cells, columns.find("market value")), "Market Value"),
                is_position_total=False,
                term=term_from_text(cell(cells, columns.find("holding period"))),
                as_of=as_of,
            )
        except HarvestInputError as error:
            out.problem(line, error)
    return out.result()


def _title(
    out: FileBuilder, preamble: list[tuple[int, list[str]]], source_name: str
) -> tuple[str, str | None, date | None]:
    for line, cells in preamble:
        match = _TITLE.match(cells[0]) if cells else None
        if match:
            name, number = split_name_number(match[2])
            account = out.account(name, number, line)
            date_text = title_date_text(cells[0])
            as_of = out.values.day(date_text, "title") if date_text else None
            return match[1].upper(), account, as_of
    raise BrokerFileError(
        source_name,
        'the title line naming the symbol ("XYZ Lot Details for … as of …") is missing',
    )


LAYOUT = Layout(
    broker=Broker.SCHWAB,
    kind=FileKind.LOT_DETAIL,
    name="Lot Details.csv (one file per symbol)",
    where="Accounts > Positions > a position's cost basis > Lot Details > Export",
    detect=detect,
    read=read,
)
