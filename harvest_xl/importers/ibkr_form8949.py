"""Interactive Brokers "Worksheet for Form 8949" CSV (the 2011 tax-year layout of README §5.4):
``Title``, ``Account``, ``Part,I``/``Part,II`` (short/long term), ``Box,A|B|C``, ``Header``,
``Data`` rows (``100 sh GOOGLE INC``, dates or ``VARIOUS``) and a ``Footer`` total per box.
The security is named only by description; the lots carry no ticker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import Term
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import Broker, FileKind, ImportResult, SkipReason
from harvest_xl.importers.source import csv_records
from harvest_xl.importers.table import Columns, FileBuilder, cell, has_columns, is_blank

_COLUMNS = ("description", "date acquired", "date sold", "sales price", "cost basis")
_SHARES_AND_NAME = re.compile(r"^\s*([\d,.]+)\s+sh\s+(.+?)\s*$", re.IGNORECASE)
_PARTS = {"I": Term.SHORT, "II": Term.LONG}


def detect(header_cells: Sequence[str]) -> bool:
    """``Header,Description,Code,Date Acquired,Date Sold,Sales Price,Cost Basis,Adjustment``."""
    return (
        len(header_cells) > 1
        and header_cells[0].strip() == "Header"
        and has_columns(header_cells[1:], *_COLUMNS)
    )


def read(text: str, source_name: str) -> ImportResult:
    """Read a Form 8949 worksheet."""
    out = FileBuilder(source_name, Broker.IBKR, FileKind.REALIZED, LAYOUT.name)
    columns: Columns | None = None
    account: str | None = None
    term: Term | None = None
    box: str | None = None
    for line, cells in csv_records(text, source_name):
        if is_blank(cells):
            continue
        tag = cells[0].strip()
        if columns is not None:
            out.row()
        if tag == "Account":
            account = out.account(cell(cells, 2), cell(cells, 1), line)
        elif tag == "Part":
            term = _PARTS.get(cell(cells, 1).strip().upper())
        elif tag == "Box":
            box = cell(cells, 1).strip().upper() or None
        elif detect(cells):
            if columns is not None:
                out.skip(SkipReason.SECTION)
            columns = Columns(cells[1:])
            continue
        elif tag == "Footer" and columns is not None:
            out.skip(SkipReason.TOTAL)
            continue
        elif tag == "Data" and columns is not None:
            try:
                _data(out, columns, line, cells[1:], account, term, box)
            except HarvestInputError as error:
                out.problem(line, error)
            continue
        if columns is not None:
            out.skip(SkipReason.SECTION)
    return out.result()


def _data(
    out: FileBuilder,
    columns: Columns,
    line: int,
    cells: list[str],
    account: str | None,
    term: Term | None,
    box: str | None,
) -> None:
    values = out.values
    described = cell(cells, columns.need("description"))
    match = _SHARES_AND_NAME.match(described)
    if match is None:
        raise HarvestInputError("Description", f"{described!r} does not say '<shares> sh <name>'")
    code = cell(cells, columns.find("code")).strip().upper() or None
    adjustment = values.number(cell(cells, columns.find("adjustment")), "Adjustment")
    out.add_realized(
        line,
        account=account,
        ticker=None,
        description=match[2],
        shares=values.number(match[1], "Description (shares)"),
        acquired=_date(out, cell(cells, columns.need("date acquired")), "Date Acquired"),
        sold=_date(out, cell(cells, columns.need("date sold")), "Date Sold"),
        proceeds=values.number(cell(cells, columns.need("sales price")), "Sales Price"),
        cost_basis=values.number(cell(cells, columns.need("cost basis")), "Cost Basis"),
        wash_sale_disallowed=adjustment if code and "W" in code else None,
        term=term,
        form_box=box,
        adjustment=adjustment,
        adjustment_code=code,
    )


def _date(out: FileBuilder, text: str, column: str) -> date | None:
    """A date, or ``None`` for ``VARIOUS`` (several lots bought or sold on different days)."""
    return None if text.strip().upper() == "VARIOUS" else out.values.day(text, column)


LAYOUT = Layout(
    broker=Broker.IBKR,
    kind=FileKind.REALIZED,
    name="Worksheet for Form 8949 CSV (2011 layout)",
    where="Reports > Tax > Form 8949 worksheet > CSV",
    detect=detect,
    read=read,
)
