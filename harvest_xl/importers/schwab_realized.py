"""Schwab realized gain/loss (Accounts > Realized Gain/Loss > Export), README §2.5: the current
"Lot Details" layout (one row per closed lot, with its opened date, term and wash-sale
disallowance; short- and long-term come as separate downloads and name no account), and the
2021 layout (no opened date; the unquoted title names the account).
"""

from __future__ import annotations

from collections.abc import Sequence

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import Broker, FileKind, ImportResult, SkipReason
from harvest_xl.importers.schwab_common import title_account
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
    term_from_gains,
    term_from_text,
)

_COMMON = ("symbol", "name", "closed date", "quantity", "proceeds")


def detect(header_cells: Sequence[str]) -> bool:
    """The lot-details header: ``Opened Date`` and ``Cost Basis (CB)``."""
    return has_columns(header_cells, *_COMMON, "opened date", "cost basis (cb)")


def detect_2021(header_cells: Sequence[str]) -> bool:
    """The 2021 header: ``CostBasis`` and no ``Opened Date``."""
    return has_columns(header_cells, *_COMMON, "costbasis") and "opened date" not in (
        header_names(header_cells)
    )


def read(text: str, source_name: str) -> ImportResult:
    """Read a Schwab realized gain/loss lot-details download."""
    return _read(text, source_name, LAYOUT)


def read_2021(text: str, source_name: str) -> ImportResult:
    """Read a Schwab realized gain/loss download in the 2021 layout."""
    return _read(text, source_name, LAYOUT_2021)


def _read(text: str, source_name: str, layout: Layout) -> ImportResult:
    out = FileBuilder(source_name, Broker.SCHWAB, FileKind.REALIZED, layout.name)
    values = out.values
    records = csv_records(text, source_name)
    preamble, _, header = find_header(records, layout.detect, source_name)
    account = None
    if layout is LAYOUT_2021:
        for line, cells in preamble:
            if cells and cells[0].lower().startswith("realized gain/loss for"):
                account = out.account(*title_account(cells[0]), line)
    columns = Columns(header)
    for line, cells in records:
        if is_blank(cells):
            continue
        out.row()
        first = cells[0].strip().lower()
        if first in ("total", "totals") or first.startswith("total "):
            out.skip(SkipReason.TOTAL)
            continue
        if looks_like_footer(cells):
            out.skip(SkipReason.FOOTER)
            continue
        try:
            wash = cell(cells, columns.find("wash sale?")).strip().lower()
            disallowed = values.number(cell(cells, columns.find("disallowed loss")), "Disallowed")
            short_gain = values.number(
                cell(cells, columns.find("short term gain/loss", "short term gain/loss ($)")),
                "Short Term Gain/Loss",
            )
            long_gain = values.number(
                cell(cells, columns.find("long term gain/loss", "long term gain/loss ($)")),
                "Long Term Gain/Loss",
            )
            term = term_from_text(cell(cells, columns.find("term")))
            if term is None and columns.find("term") is None:
                term = term_from_gains(short_gain, long_gain)
            out.add_realized(
                line,
                account=account,
                ticker=cell(cells, columns.need("symbol")),
                description=values.text(cell(cells, columns.find("name"))),
                shares=values.shares(cell(cells, columns.need("quantity")), "Quantity"),
                acquired=values.day(cell(cells, columns.find("opened date")), "Opened Date"),
                sold=values.day(cell(cells, columns.need("closed date")), "Closed Date"),
                proceeds=values.number(cell(cells, columns.need("proceeds")), "Proceeds"),
                cost_basis=values.number(
                    cell(cells, columns.find("cost basis (cb)", "costbasis")), "Cost Basis"
                ),
                gain=values.number(
                    cell(cells, columns.find("gain/loss ($)", "total gain/loss ($)")), "Gain/Loss"
                ),
                short_term_gain=short_gain,
                long_term_gain=long_gain,
                wash_sale_disallowed=disallowed if wash == "yes" else None,
                term=term,
            )
        except HarvestInputError as error:
            out.problem(line, error)
    return out.result()


LAYOUT = Layout(
    broker=Broker.SCHWAB,
    kind=FileKind.REALIZED,
    name="Realized Gain/Loss Lot Details.csv",
    where="Accounts > Realized Gain/Loss > Export",
    detect=detect,
    read=read,
)
LAYOUT_2021 = Layout(
    broker=Broker.SCHWAB,
    kind=FileKind.REALIZED,
    name="GainLoss_Realized.csv (2021 layout)",
    where="Accounts > Realized Gain/Loss > Export",
    detect=detect_2021,
    read=read_2021,
)
