"""Shared helpers for the import tests: small broker files written in the test, a template
to import into, and the tables read back as plain rows.

The broker files follow the layouts the importers read (tests/importers/fixtures); every
expected row in the tests is written out by hand from these texts.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import range_boundaries

from harvest_xl.demo import PROFILE, fill_workbook
from harvest_xl.excel import layout as L
from harvest_xl.excel.template import build_template

REPO = Path(__file__).resolve().parents[2]
IMPORTER_FIXTURES = REPO / "tests" / "importers" / "fixtures"
DEMO_BROKERS = REPO / "tests" / "fixtures" / "demo_brokers"
DEMO_FILES = (
    "Fidelity_Unrealized_Lots.csv",
    "ETRADE_PortfolioDownload.csv",
    "Fidelity_Accounts_History.csv",
    "Fidelity_Realized_Gain_Loss_Account_Z10000001.csv",
)
NOW = datetime(2026, 11, 27, 18, 30)

POSITIONS_HEADER = (
    "Account Number,Account Name,Symbol,Description,Quantity,Last Price,Current Value,"
    "Cost Basis Total"
)
LOTS_HEADER = (
    "Account Number,Account Name,Symbol,Description,Date Acquired,Term,Quantity,Last Price,"
    "Current Value,Cost Basis Per Share,Cost Basis Total"
)
HISTORY_HEADER = (
    "Run Date,Account,Account Number,Action,Symbol,Description,Type,Price,Quantity,"
    "Commission,Fees,Amount,Settlement Date"
)
REALIZED_HEADER = (
    "Symbol(CUSIP),Security Description,Quantity,Date Acquired,Date Sold,Proceeds,Cost Basis,"
    "Short Term Gain/Loss,Long Term Gain/Loss"
)


def csv(header: str, *rows: str) -> str:
    return "\n".join((header, *rows)) + "\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def template(folder: Path, *, profile: bool = True, tables: dict[str, Any] | None = None) -> Path:
    """A fresh template (with the demo's Profile, so the refresh evaluates) saved in ``folder``;
    ``tables`` are typed into it first, as a user would."""
    wb = build_template()
    fill_workbook(wb, tables or {}, PROFILE if profile else {})
    path = folder / "book.xlsx"
    wb.save(path)
    return path


def _plain(value: Any) -> Any:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def table(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    """The input columns of a table's rows (within its Excel Table), blank rows left out;
    dates as ``date``, whole numbers as ``int``."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    first, top, _, bottom = range_boundaries(ws.tables[sheet].ref)
    width = len(L.TABLE_INPUTS[sheet])
    rows = []
    for row in ws.iter_rows(
        min_row=top + 1, max_row=bottom, min_col=first, max_col=first + width - 1,
        values_only=True,
    ):
        if any(v is not None for v in row):
            rows.append(tuple(_plain(v) for v in row))
    return rows


def table_ref(path: Path, sheet: str) -> str:
    return str(openpyxl.load_workbook(path)[sheet].tables[sheet].ref)


def ledger(path: Path) -> list[tuple[Any, ...]]:
    wb = openpyxl.load_workbook(path)
    if "Imported" not in wb.sheetnames:
        return []
    return [row[:8] for row in wb["Imported"].iter_rows(min_row=2, values_only=True)]


def d(text: str) -> date:
    return date.fromisoformat(text)
