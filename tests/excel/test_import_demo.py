"""The demo rebuilt from broker files (tests/fixtures/demo_brokers): importing them into a
fresh template gives the demo's accounts, lots and trades (harvest_xl.demo), and, once the
user has typed what no broker file holds, the same plan, wash sales and summary."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from harvest_xl import demo
from harvest_xl.excel import layout as L
from harvest_xl.excel.formulas import WITHDRAWAL_INPUT_ROW, WITHDRAWAL_INPUTS
from harvest_xl.excel.headless import refresh_file
from harvest_xl.excel.import_workbook import import_files

from .import_helpers import DEMO_BROKERS, DEMO_FILES, NOW, table, template


def _plain_rows(rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    whole = lambda v: int(v) if isinstance(v, float) and v.is_integer() else v  # noqa: E731
    return [tuple(whole(v) for v in r) for r in rows]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    report = import_files(
        template(folder), [DEMO_BROKERS / name for name in DEMO_FILES], folder / "out.xlsx",
        now=NOW,
    )
    assert report.error is None, report.error
    assert report.bad_rows == 0
    return folder / "out.xlsx"


def test_the_demo_accounts_come_from_the_files_with_their_types(rebuilt: Path) -> None:
    """The six accounts, named and typed as the demo has them (each type inferred)."""
    assert table(rebuilt, L.ACCOUNTS) == [
        (name, kind, None, None, None, None, None) for name, kind, *_ in demo.ACCOUNTS
    ]


def test_the_demo_lots_come_from_the_lot_downloads(rebuilt: Path) -> None:
    """The eleven lots, with the demo's dates, cost bases and prices, in the demo's order."""
    assert table(rebuilt, L.HOLDINGS) == _plain_rows(demo.HOLDINGS)


def test_the_demo_trades_come_from_the_history_and_the_realized_export(rebuilt: Path) -> None:
    """The four trades, oldest first; the QQQ sale carries the lot of the realized gain/loss
    export (basis $16,500, bought 2025-12-15)."""
    assert table(rebuilt, L.ACTIVITY) == _plain_rows(demo.ACTIVITY)


def _type_what_no_broker_file_holds(path: Path) -> None:
    """What the user types after the import, as the demo has it: the Roth IRA's first
    contribution year, the SIMPLE IRA's start, the Recurring and Securities tables and the
    withdrawal what-if. Owner stays empty (read as self, as the demo's 'self')."""
    wb = openpyxl.load_workbook(path)
    accounts = wb[L.ACCOUNTS]
    header = [c.value for c in accounts[1]]
    for row in accounts.iter_rows(min_row=2):
        name = row[0].value
        for account in demo.ACCOUNTS:
            if account[0] == name:
                row[header.index("SIMPLE start date")].value = account[4]
                row[header.index("Roth first contribution year")].value = account[5]
    demo.fill_workbook(wb, {L.RECURRING: demo.RECURRING, L.SECURITIES: demo.SECURITIES}, {})
    labels = [row[0] for row in WITHDRAWAL_INPUTS]
    ws = wb[L.WITHDRAWAL]
    ws.cell(WITHDRAWAL_INPUT_ROW + labels.index("Account type"), 2).value = "Traditional 401(k)"
    ws.cell(WITHDRAWAL_INPUT_ROW + labels.index("Amount"), 2).value = demo.WITHDRAWAL_AMOUNT
    wb.save(path)


def _outputs(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(path, data_only=True)
    summary = [
        row
        for row in wb[L.SUMMARY].iter_rows(min_row=L.SUMMARY_FIRST_ROW, max_col=2, values_only=True)
        if row[0] != "Refreshed"
    ]
    return {
        L.PLAN: list(wb[L.PLAN].iter_rows(min_row=L.OUTPUT_HEADER_ROW, values_only=True)),
        L.WASH_SALES: list(
            wb[L.WASH_SALES].iter_rows(min_row=L.OUTPUT_HEADER_ROW, values_only=True)
        ),
        L.SUMMARY: summary,
    }


def test_the_rebuilt_workbook_gives_the_demo_results(rebuilt: Path, tmp_path: Path) -> None:
    """With the user's part typed in, the refreshed rebuild and the demo have the same Plan,
    Wash sales and Summary (every figure, to the cent)."""
    typed = Path(shutil.copy(rebuilt, tmp_path / "typed.xlsx"))
    _type_what_no_broker_file_holds(typed)
    mine = refresh_file(typed, tmp_path / "rebuilt.xlsx", now=NOW)
    reference = demo.write_demo(tmp_path / "demo.xlsx")
    assert mine.error is None and reference.error is None
    assert mine.problems == reference.problems == []
    assert _outputs(mine.target) == _outputs(reference.target)
