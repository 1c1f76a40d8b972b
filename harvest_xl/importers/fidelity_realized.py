"""Fidelity realized gain/loss: ``Realized_Gain_Loss_Account_X….csv`` (Accounts & Trade > Tax
Information > Realized Gain/Loss > Download): one row per closed lot.

``Symbol(CUSIP)`` joins ticker and CUSIP (``VEA(100000000)``); money is quoted with a trailing
space (``"$12.00 "``). The account number is only in the file's name, so the lots carry no
account. The file gives short- and long-term gain columns but no term; the term is set only when
exactly one of the two is filled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import Broker, FileKind, ImportResult, SkipReason
from harvest_xl.importers.source import csv_records
from harvest_xl.importers.table import (
    Columns,
    FileBuilder,
    cell,
    find_header,
    has_columns,
    is_blank,
    looks_like_footer,
    term_from_gains,
)

_TICKER_AND_CUSIP = re.compile(r"^\s*([^()]*?)\s*(?:\(([^()]*)\))?\s*$")


def detect(header_cells: Sequence[str]) -> bool:
    """``Symbol(CUSIP)``, ``Date Acquired`` and ``Date Sold``."""
    return has_columns(header_cells, "symbol(cusip)", "date acquired", "date sold")


def read(text: str, source_name: str) -> ImportResult:
    """Read a Fidelity realized gain/loss download."""
    out = FileBuilder(source_name, Broker.FIDELITY, FileKind.REALIZED, LAYOUT.name)
    values = out.values
    records = csv_records(text, source_name)
    _, _, header = find_header(records, detect, source_name)
    columns = Columns(header)
    symbol_at = columns.need("symbol(cusip)")
    description_at = columns.find("security description", "description")
    quantity_at = columns.need("quantity")
    acquired_at = columns.need("date acquired")
    sold_at = columns.need("date sold")
    proceeds_at = columns.find("proceeds")
    basis_at = columns.find("cost basis")
    short_at = columns.find("short term gain/loss")
    long_at = columns.find("long term gain/loss")
    for line, cells in records:
        if is_blank(cells):
            continue
        out.row()
        if looks_like_footer(cells):
            out.skip(SkipReason.FOOTER)
            continue
        try:
            match = _TICKER_AND_CUSIP.match(cell(cells, symbol_at))
            ticker = match[1] if match else cell(cells, symbol_at)
            short_gain = values.number(cell(cells, short_at), "Short Term Gain/Loss")
            long_gain = values.number(cell(cells, long_at), "Long Term Gain/Loss")
            out.add_realized(
                line,
                account=None,
                ticker=ticker,
                description=values.text(cell(cells, description_at)),
                shares=values.shares(cell(cells, quantity_at), "Quantity"),
                acquired=values.day(cell(cells, acquired_at), "Date Acquired"),
                sold=values.day(cell(cells, sold_at), "Date Sold"),
                proceeds=values.number(cell(cells, proceeds_at), "Proceeds"),
                cost_basis=values.number(cell(cells, basis_at), "Cost Basis"),
                short_term_gain=short_gain,
                long_term_gain=long_gain,
                term=term_from_gains(short_gain, long_gain),
            )
        except HarvestInputError as error:
            out.problem(line, error)
    return out.result()


LAYOUT = Layout(
    broker=Broker.FIDELITY,
    kind=FileKind.REALIZED,
    name="Realized_Gain_Loss_Account.csv",
    where="Accounts & Trade > Tax Information > Realized Gain/Loss > Download",
    detect=detect,
    read=read,
)
