"""Fidelity monthly statement CSV: ``StatementMMDDYYYY.csv`` (Statements > a statement >
Download as CSV).

Two blocks: one row per account (``Account Type,Account,Beginning mkt Value,…``: the name and
number), then the holdings (``Symbol/CUSIP,Description,Quantity,Price,Beginning Value,Ending
Value,Cost Basis``) under section lines: the account number, then the asset class (``Stocks``,
``Core Account``…), each closed by a ``Subtotal of …`` row. Every holding is a position total with
its cost; the core account is cash. The statement date is only in the file's name.
"""

from __future__ import annotations

from collections.abc import Sequence

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.importers.fidelity_common import is_core
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import Broker, FileKind, ImportResult, SkipReason
from harvest_xl.importers.source import csv_records
from harvest_xl.importers.table import (
    Columns,
    FileBuilder,
    cell,
    filled,
    find_header,
    has_columns,
    header_names,
    is_blank,
)

_HOLDINGS = ("symbol/cusip", "description", "quantity", "price", "ending value", "cost basis")
_SKIPPED_SECTIONS = {"core account": SkipReason.CORE_CASH, "options": SkipReason.OPTION}


def detect(header_cells: Sequence[str]) -> bool:
    """The holdings block's header."""
    return has_columns(header_cells, *_HOLDINGS)


def read(text: str, source_name: str) -> ImportResult:
    """Read a Fidelity statement CSV."""
    out = FileBuilder(source_name, Broker.FIDELITY, FileKind.POSITIONS, LAYOUT.name)
    values = out.values
    records = csv_records(text, source_name)
    preamble, _, header = find_header(records, detect, source_name)
    names = _account_names(preamble)
    columns = Columns(header)
    symbol_at = columns.need("symbol/cusip")
    description_at = columns.need("description")
    quantity_at = columns.need("quantity")
    price_at = columns.need("price")
    value_at = columns.need("ending value")
    basis_at = columns.need("cost basis")
    account: str | None = None
    section = ""
    for line, cells in records:
        if is_blank(cells):
            continue
        out.row()
        first = cells[0].strip()
        if filled(cells) == 1:
            if first in names:
                account = out.account(names[first], first, line)
            else:
                section = first.lower()
            out.skip(SkipReason.SECTION)
            continue
        if first.lower().startswith("subtotal") or first.lower().startswith("total"):
            out.skip(SkipReason.TOTAL)
            continue
        description = cell(cells, description_at).strip()
        if section in _SKIPPED_SECTIONS:
            out.skip(_SKIPPED_SECTIONS[section])
            continue
        if is_core(first, description):
            out.skip(SkipReason.CORE_CASH)
            continue
        try:
            out.add_lot(
                line,
                account=account,
                ticker=cell(cells, symbol_at),
                shares=values.shares(cell(cells, quantity_at), "Quantity"),
                cost_basis=values.number(cell(cells, basis_at), "Cost Basis"),
                price=values.number(cell(cells, price_at), "Price"),
                value=values.number(cell(cells, value_at), "Ending Value"),
                is_position_total=True,
                description=description or None,
            )
        except HarvestInputError as error:
            out.problem(line, error)
    return out.result()


def _account_names(preamble: list[tuple[int, list[str]]]) -> dict[str, str]:
    """Account number -> name, from the account block before the holdings."""
    names: dict[str, str] = {}
    columns: Columns | None = None
    for _, cells in preamble:
        if "account type" in header_names(cells) and "account" in header_names(cells):
            columns = Columns(cells)
            continue
        if columns is not None and filled(cells) > 2:
            number = cell(cells, columns.need("account")).strip()
            if number:
                names[number] = cell(cells, columns.need("account type")).strip()
    return names


LAYOUT = Layout(
    broker=Broker.FIDELITY,
    kind=FileKind.POSITIONS,
    name="StatementMMDDYYYY.csv",
    where="Statements > a monthly statement > Download as CSV",
    detect=detect,
    read=read,
)
