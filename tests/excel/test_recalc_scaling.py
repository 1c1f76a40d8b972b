"""Recalculation that scales (issue 19): in a 500-lot book, one edit to a Holdings input or an
Activity cell makes Excel call Python once, where the previous template's per-row formulas
made it call 1,000 times and more.

The count is worked out from the saved workbook's formulas (tests/excel/recalc_graph.py:
Excel's dependency tree rebuilt from the file, every reference resolved through defined
names and table structured references). The previous template is the file committed at
c529001 (tests/excel/fixtures/, see PROVENANCE.md), given the same 500 lots the way Excel
would: rows typed below the table take its calculated columns.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from harvest_xl.demo import ACCOUNTS, ACTIVITY, PROFILE, RECURRING, SECURITIES, fill_workbook
from harvest_xl.excel import layout as L
from harvest_xl.excel.headless import absorb_rows_below_tables, refresh_file
from harvest_xl.excel.template import build_template

from .recalc_graph import EditCost, RecalcGraph, describe

LOTS = 500
PREVIOUS_TEMPLATE = Path(__file__).parent / "fixtures" / "harvest-xl-template-c529001.xlsx"
EDITED_ROW = L.FIRST_DATA_ROW + LOTS // 2
"""A lot in the middle of the table (any row gives the same counts)."""
ACTIVITY_EDIT = f"E{L.FIRST_DATA_ROW + 1}"
"""Shares of the second Activity row."""
TICKERS = ["VTI", "ARKK", "INTC", "VXUS", "SPY", "QQQ", "FXAIX", "VFIAX", "BND", "AAPL", "MSFT"]


def lots(n: int, seed: int = 19) -> list[list[Any]]:
    """``n`` valid lots over the demo's accounts (seeded: the same book every run)."""
    rng = random.Random(seed)
    names = [row[0] for row in ACCOUNTS]
    out = []
    for _ in range(n):
        shares = rng.randint(1, 500)
        price = round(rng.uniform(10, 600), 2)
        acquired = date(2020, 1, 1) + timedelta(days=rng.randint(0, 2450))
        basis = round(shares * price * rng.uniform(0.6, 1.5), 2)
        out.append([rng.choice(names), rng.choice(TICKERS), shares, acquired, basis, price])
    return out


def _fill(wb: Any) -> None:
    tables = {
        L.ACCOUNTS: ACCOUNTS,
        L.HOLDINGS: lots(LOTS),
        L.ACTIVITY: ACTIVITY,
        L.RECURRING: RECURRING,
        L.SECURITIES: SECURITIES,
    }
    fill_workbook(wb, tables, PROFILE)


@pytest.fixture(scope="module")
def current(tmp_path_factory: pytest.TempPathFactory) -> RecalcGraph:
    """Today's template with 500 lots, refreshed headless (as a user would get it)."""
    folder = tmp_path_factory.mktemp("recalc")
    wb = build_template()
    _fill(wb)
    wb.save(folder / "book.xlsx")
    report = refresh_file(folder / "book.xlsx", folder / "refreshed.xlsx")
    assert report.error is None and report.problems == []
    return RecalcGraph(report.target)


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> RecalcGraph:
    """The c529001 template with the same 500 lots; the rows typed below its Holdings
    table take the table's calculated columns, as Excel fills them."""
    folder = tmp_path_factory.mktemp("recalc-previous")
    wb = openpyxl.load_workbook(PREVIOUS_TEMPLATE)
    _fill(wb)
    absorb_rows_below_tables(wb)
    wb.save(folder / "previous.xlsx")
    return RecalcGraph(folder / "previous.xlsx")


def _edits() -> dict[str, tuple[str, str]]:
    """Every Holdings input cell of one row, and one Activity cell."""
    edits = {
        f"Holdings {name}": (L.HOLDINGS, f"{get_column_letter(c)}{EDITED_ROW}")
        for c, name in enumerate(L.HOLDINGS_COLUMNS, start=1)
        if name in L.HOLDINGS_INPUTS
    }
    edits["Activity Shares"] = (L.ACTIVITY, ACTIVITY_EDIT)
    return edits


TRADE_EDIT_CALLS = {"HX_HOLDINGS": 1, "HX_WITHDRAWAL_COST": 1}
"""An Activity cell also reaches the Withdrawal sheet's cost, which counts Activity's sales
when the Profile says so (issue 17): two calls, however many lots."""


def assert_one_call_per_edit(graph: RecalcGraph) -> dict[str, EditCost]:
    """The scaling contract: each Holdings edit recalculates exactly one HX_ call, taking
    the edit in its arguments (an Activity edit two: the evaluation and the withdrawal
    cost), and the whole book holds a fixed number of HX_ calls (one table-level evaluation
    and the Withdrawal sheet's two), however many lots. Returns the costs."""
    costs = {label: graph.edit(*where) for label, where in _edits().items()}
    for label, cost in costs.items():
        expected = TRADE_EDIT_CALLS if label.startswith("Activity") else {"HX_HOLDINGS": 1}
        count = sum(expected.values())
        assert (cost.recalculated, cost.argument_dependent) == (count, count), (
            label, describe(cost)
        )
        assert cost.calls_by_name == expected, label
    assert graph.hx_calls() == {"HX_HOLDINGS": 1, "HX_PENALTY": 1, "HX_WITHDRAWAL_COST": 1}
    return costs


def test_one_edit_calls_python_once(current: RecalcGraph) -> None:
    """Editing any Holdings input of a lot in a 500-lot book makes Excel call one HX_
    function once (HX_HOLDINGS, the table-level evaluation); an Activity cell, two calls."""
    assert_one_call_per_edit(current)


def test_the_one_call_takes_the_whole_book_once(current: RecalcGraph) -> None:
    """That one call receives every lot's inputs (501 rows x 6 columns) with the other
    tables: each edit passes the book to Python once."""
    cost = current.edit(L.HOLDINGS, f"C{EDITED_ROW}")
    assert (LOTS + 1) * len(L.HOLDINGS_INPUTS) < cost.cells_passed < 2 * (LOTS + 1) * 6


def test_the_previous_template_called_per_row(previous: RecalcGraph) -> None:
    """The same counting on the c529001 formulas: every row's HX_LOT_HARVEST and
    HX_LOT_WASH_RISK took whole tables, so one edit re-ran 2 x 500 calls whose arguments
    changed (plus the edited row's own), and Excel recalculated about 2,000 calls."""
    shares = previous.edit(L.HOLDINGS, f"C{EDITED_ROW}")
    # 500 + 500 whole-table calls, and the edited row's HX_SAVING (its gain), HX_LOT_PENALTY
    # and HX_LOT_WITHDRAWAL_COST (its market value).
    assert shares.argument_dependent == 2 * LOTS + 3
    assert shares.calls_by_name == {
        "HX_LOT_HARVEST": LOTS,
        "HX_LOT_WASH_RISK": LOTS,
        "HX_SAVING": 1,
        "HX_LOT_PENALTY": 1,
        "HX_LOT_WITHDRAWAL_COST": 1,
    }
    # Every row's Safe rebuy and Tax saving formulas test its Harvest cell: recalculated too.
    assert shares.recalculated == 4 * LOTS + 2
    activity = previous.edit(L.ACTIVITY, ACTIVITY_EDIT)
    assert activity.argument_dependent == 2 * LOTS
    assert activity.recalculated == 4 * LOTS
    with pytest.raises(AssertionError):
        assert_one_call_per_edit(previous)


def _per_row(graph: RecalcGraph, column: str, formula: str) -> RecalcGraph:
    """``graph`` with a Holdings computed column's formula replaced, in every row, by one
    that calls an HX_ function (what a per-row design would write)."""
    letter_index = L.HOLDINGS_COLUMNS.index(column) + 1
    host_rows = range(L.FIRST_DATA_ROW, L.FIRST_DATA_ROW + LOTS)
    replaced = 0
    for i, f in enumerate(graph.formulas):
        out = f.output
        if out.sheet == L.HOLDINGS and out.left == letter_index and out.top in host_rows:
            graph.formulas[i] = graph._formula(out, formula, _tokens(formula))
            replaced += 1
    assert replaced == LOTS
    graph._index()
    return graph


def _tokens(formula: str) -> Any:
    from openpyxl.formula.tokenizer import Tokenizer

    return Tokenizer(formula).items


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Today's template with the 500 lots taken into its tables and the Evaluation array
    sized to them, not refreshed (the formulas are what matters here)."""
    from harvest_xl.excel.current_formulas import use_current_formulas

    wb = build_template()
    _fill(wb)
    absorb_rows_below_tables(wb)
    use_current_formulas(wb)
    path = tmp_path_factory.mktemp("recalc-built") / "book.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("column", "formula"),
    [
        # A row-local call: each edit of that row's Acquired re-runs it.
        ("Term", "=HX_TERM(Holdings[[#This Row],[Acquired]],AsOfDate)"),
        # A call passing a whole table from every row: every edit re-runs all 500.
        ("Wash-sale risk", "=HX_WASH_RISK(Holdings[[#This Row],[Ticker]],Activity[#All])"),
        # A call on no input: no edit re-runs it, but a full recalculation runs 500.
        ("Safe rebuy", "=HX_SAFE_REBUY(AsOfDate)"),
    ],
)
def test_the_check_fails_for_a_per_row_hx_column(built: Path, column: str, formula: str) -> None:
    """The contract is not vacuous: a Holdings computed column calling an HX_ function per
    row, in any of these shapes, makes it fail."""
    graph = RecalcGraph(built)
    assert_one_call_per_edit(graph)  # the unmodified book passes
    with pytest.raises(AssertionError):
        assert_one_call_per_edit(_per_row(graph, column, formula))


def test_references_resolve_as_excel_reads_them(current: RecalcGraph) -> None:
    """The analyzer's reading of references, checked on the 500-lot book: table parts,
    [#This Row], column ranges, whole columns and defined names."""
    from .recalc_graph import MAX_ROW, Rect

    last = L.FIRST_DATA_ROW + LOTS - 1
    host = Rect(L.HOLDINGS, EDITED_ROW, 7, EDITED_ROW, 7)
    width = len(L.HOLDINGS_COLUMNS)
    assert current.resolve("Holdings[#All]", host) == [Rect(L.HOLDINGS, 1, 1, last, width)]
    assert current.resolve("Holdings[#Headers]", host) == [Rect(L.HOLDINGS, 1, 1, 1, width)]
    assert current.resolve("Holdings[[#This Row],[Ticker]]", host) == [
        Rect(L.HOLDINGS, EDITED_ROW, 2, EDITED_ROW, 2)
    ]
    assert current.resolve("Holdings[[#All],[Account]:[Price]]", host) == [
        Rect(L.HOLDINGS, 1, 1, last, 6)
    ]
    assert current.resolve("Activity[#All]", host) == [
        Rect(L.ACTIVITY, 1, 1, 1 + len(ACTIVITY), len(L.TABLE_COLUMNS[L.ACTIVITY]))
    ]
    assert current.resolve("Evaluation!$F:$F", host) == [Rect(L.EVALUATION, 1, 6, MAX_ROW, 6)]
    assert current.resolve("ProfileRange", host) == [
        Rect(L.PROFILE, L.FIRST_DATA_ROW, 1, L.PROFILE_LAST_ROW, 2)
    ]
    with pytest.raises(ValueError, match="not understood"):
        current.resolve("NoSuchName", host)
