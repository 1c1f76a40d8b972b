"""E*TRADE positions: ``PortfolioDownload.csv`` (Portfolios > a view > Download), README §3.3,
with lots collapsed (2026 sample) or expanded (2019 layout: each lot follows its symbol's row,
the acquisition date in the first column indented by 5 spaces, ``--`` when unknown).

The ``Account Summary`` block names the account; ``Generated at …`` dates the positions. A
collapsed row is a position total with its cost per share (``Price Paid $``); an expanded
symbol's lots replace its total. ``CASH`` and ``TOTAL`` rows and options are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from harvest_xl.engine.errors import HarvestInputError
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
    looks_like_footer,
)

_COLUMNS = ("symbol", "last price $", "quantity", "price paid $", "value $")
_GENERATED = re.compile(r"^\s*Generated at\s+(.+?)\s*$", re.MULTILINE)
_ACCOUNT = re.compile(r"^(.*?)\s*-\s*([\dX*#]+)\s*$")
_OPTION = re.compile(r"\$[\d.]+\s+(?:Call|Put)\s*$", re.IGNORECASE)


def detect(header_cells: Sequence[str]) -> bool:
    """``Symbol``, ``Last Price $``, ``Quantity``, ``Price Paid $`` and ``Value $``."""
    return has_columns(header_cells, *_COLUMNS)


class _Positions:
    """The reading state: the current symbol's summary row, until its lots (if any) are seen."""

    def __init__(self, out: FileBuilder, columns: Columns, account: str | None, as_of: date | None):
        self.out = out
        self.columns = columns
        self.account = account
        self.as_of = as_of
        self.pending: tuple[int, list[str]] | None = None  # a summary row not yet emitted
        self.symbol: str | None = None  # the symbol lots belong to (None: lots are skipped)
        self.lot_skip: SkipReason | None = None

    def summary(self, line: int, cells: list[str]) -> None:
        self.flush()
        symbol = cells[0].strip()
        shares = self.out.values.shares(cell(cells, self.columns.need("quantity")), "Quantity")
        reason = None
        if symbol.upper() == "CASH":
            reason = SkipReason.CORE_CASH
        elif _OPTION.search(symbol):
            reason = SkipReason.OPTION
        elif shares is not None and shares < 0:
            reason = SkipReason.SHORT
        if reason is not None:
            self.out.skip(reason)
            self.symbol, self.lot_skip = None, reason
            return
        self.pending, self.symbol, self.lot_skip = (line, cells), symbol, None

    def lot(self, line: int, cells: list[str]) -> None:
        if self.symbol is None:
            self.out.skip(self.lot_skip or SkipReason.POSITION_EXPANDED)
            return
        if self.pending is not None:  # its lots follow: the total is not a holding of its own
            self.out.skip(SkipReason.POSITION_EXPANDED)
            self.pending = None
        opened = cells[0].strip()
        acquired = None if opened == "--" else self.out.values.day(opened, "Symbol (lot date)")
        self._add(line, cells, self.symbol, acquired, is_total=False)

    def flush(self) -> None:
        """Emit the pending summary row as a position total (no lots followed it)."""
        if self.pending is None:
            return
        line, cells = self.pending
        self.pending = None
        try:
            self._add(line, cells, cells[0].strip(), None, is_total=True)
        except HarvestInputError as error:
            self.out.problem(line, error)

    def _add(
        self, line: int, cells: list[str], symbol: str, acquired: date | None, *, is_total: bool
    ) -> None:
        values, columns = self.out.values, self.columns
        self.out.add_lot(
            line,
            account=self.account,
            ticker=symbol,
            shares=values.shares(cell(cells, columns.need("quantity")), "Quantity"),
            acquired=acquired,
            cost_per_share=values.number(cell(cells, columns.need("price paid $")), "Price Paid"),
            price=values.number(cell(cells, columns.need("last price $")), "Last Price"),
            value=values.number(cell(cells, columns.need("value $")), "Value"),
            is_position_total=is_total,
            as_of=self.as_of,
        )


def read(text: str, source_name: str) -> ImportResult:
    """Read an E*TRADE positions download."""
    out = FileBuilder(source_name, Broker.ETRADE, FileKind.POSITIONS, LAYOUT.name)
    generated = _GENERATED.search(text)
    as_of = out.values.day(generated[1], "Generated at") if generated else None
    records = csv_records(text, source_name)
    preamble, _, header = find_header(records, detect, source_name)
    positions = _Positions(out, Columns(header), _account(out, preamble), as_of)
    for line, cells in records:
        if is_blank(cells):
            continue
        out.row()
        first = cells[0]
        try:
            if first.startswith(" ") and filled(cells) > 1:
                positions.lot(line, cells)
                continue
            positions.flush()
            if looks_like_footer(cells):
                out.skip(SkipReason.FOOTER)
            elif first.strip().upper() == "TOTAL":
                out.skip(SkipReason.TOTAL)
            else:
                positions.summary(line, cells)
        except HarvestInputError as error:
            out.problem(line, error)
    positions.flush()
    return out.result()


def _account(out: FileBuilder, preamble: list[tuple[int, list[str]]]) -> str | None:
    """The account row under the ``Account,Net Account Value,…`` header, if the file has one."""
    after_header = False
    for line, cells in preamble:
        names = header_names(cells)
        if names[:2] == ("account", "net account value"):
            after_header = True
            continue
        if after_header and filled(cells) >= 2:
            shown = cells[0].strip()
            match = _ACCOUNT.match(shown)
            name, number = (match[1], match[2]) if match else (shown, None)
            return out.account(name, number, line)
        if after_header and filled(cells) == 1:
            return None
    return None


LAYOUT = Layout(
    broker=Broker.ETRADE,
    kind=FileKind.POSITIONS,
    name="PortfolioDownload.csv",
    where="Portfolios > a view > Download",
    detect=detect,
    read=read,
)
