"""The same cell gives the same answer in ``HX_EVALUATE`` and in the workbook refresh.

Both read the tables through the one table reader (``harvest_xl.inputs.tables``) and its
cell rules (``harvest_xl.inputs.cells``). Here the demo household's tables, with one cell
changed, go to both: ``HX_EVALUATE`` as ranges with their header rows, the refresh as a
workbook (in memory). A bad cell must be the same problem (table, row, column, message)
in both; a cell typed in another accepted form must change nothing in either.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from harvest_xl import demo, udfs
from harvest_xl.excel import layout as L
from harvest_xl.excel.book import OpenpyxlBook
from harvest_xl.excel.refresh import refresh_workbook
from harvest_xl.results import FIRST_ROW_NUMBER

TABLES: dict[str, list[list[Any]]] = {
    L.ACCOUNTS: demo.ACCOUNTS,
    L.HOLDINGS: demo.HOLDINGS,
    L.ACTIVITY: demo.ACTIVITY,
    L.RECURRING: demo.RECURRING,
    L.SECURITIES: demo.SECURITIES,
}


def _tables(sheet: str, index: int, column: str, value: Any) -> dict[str, list[list[Any]]]:
    tables = {name: [list(row) for row in rows] for name, rows in TABLES.items()}
    tables[sheet][index][L.TABLE_INPUTS[sheet].index(column)] = value
    return tables


def _evaluate(tables: dict[str, list[list[Any]]]) -> tuple[set[tuple[Any, ...]], list[Any]]:
    """HX_EVALUATE's problems as (table, data row index, column, message), and its rows."""
    ranges = {name: [list(L.TABLE_INPUTS[name]), *rows] for name, rows in tables.items()}
    profile = [[key, value] for key, value in demo.PROFILE.items()]
    out = udfs.HX_EVALUATE(
        ranges[L.HOLDINGS],
        ranges[L.ACCOUNTS],
        ranges[L.ACTIVITY],
        ranges[L.RECURRING],
        ranges[L.SECURITIES],
        profile,
    )
    problems = set()
    for line in out[1:]:
        text = line[-1]
        if isinstance(text, str) and text.startswith("#VALUE! "):
            where, message = text.removeprefix("#VALUE! ").split(": ", 1)
            table, rest = where.split(" row ", 1)
            number, column = rest.split(", ", 1)
            problems.add((table, int(number) - FIRST_ROW_NUMBER, column, message))
    return problems, [line[:-1] for line in out[1 : len(tables[L.HOLDINGS]) + 1]]


def _refresh(tables: dict[str, list[list[Any]]]) -> tuple[set[tuple[Any, ...]], Any]:
    """The refresh's problems as (sheet, data row index, column, message), and its plan."""
    from harvest_xl.excel.template import build_template

    wb = build_template()
    demo.fill_workbook(wb, tables, demo.PROFILE)
    result = refresh_workbook(OpenpyxlBook(wb))
    problems = {
        (p.sheet, p.row - L.FIRST_DATA_ROW, p.column, p.problem)
        for p in result.problems
        if p.row is not None
    }
    plan = [(r.lot.account, r.lot.ticker, r.shares, r.saving) for r in result.portfolio.plan.rows]
    return problems, plan


BAD = [
    (L.HOLDINGS, 1, "Shares", "ten"),
    (L.HOLDINGS, 1, "Shares", -5),
    (L.HOLDINGS, 1, "Cost basis", "(1,2)"),
    (L.HOLDINGS, 1, "Acquired", "13/02/2025"),
    (L.HOLDINGS, 1, "Acquired", date(2027, 1, 5)),
    (L.HOLDINGS, 1, "Account", "Savings"),
    (L.HOLDINGS, 1, "Price", "#N/A"),
    (L.HOLDINGS, 1, "Price", 1e20),
    (L.ACTIVITY, 0, "Acquired", date(2026, 11, 6)),
    (L.ACTIVITY, 0, "Cost basis", None),
    (L.ACTIVITY, 1, "Action", "HOLD"),
    (L.ACTIVITY, 1, "Date", "2026-13-01"),
    (L.ACCOUNTS, 1, "Type", "Piggy bank"),
    (L.RECURRING, 0, "Frequency", "sometimes"),
    (L.SECURITIES, 1, "Substitute", 3.5),
]


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value"), BAD, ids=[f"{s}-{c}-{v!r}" for s, _, c, v in BAD]
)
def test_a_bad_cell_is_the_same_problem_in_both(
    sheet: str, index: int, column: str, value: Any
) -> None:
    tables = _tables(sheet, index, column, value)
    from_function, _ = _evaluate(tables)
    from_refresh, _ = _refresh(tables)
    assert from_function, "HX_EVALUATE found nothing"
    mine = {p for p in from_refresh if p[0] == sheet and p[1] == index and p[2] == column}
    assert mine, from_refresh
    assert mine <= from_function


@pytest.fixture(scope="module")
def baseline() -> tuple[Any, ...]:
    return (*_evaluate(TABLES), *_refresh(TABLES))


GOOD = [
    (L.HOLDINGS, 1, "Cost basis", "$26,000.00"),
    (L.HOLDINGS, 1, "Shares", "400"),
    (L.HOLDINGS, 1, "Acquired", "12/1/2025"),
    (L.HOLDINGS, 1, "Acquired", "1-Dec-2025"),
    (L.HOLDINGS, 1, "Acquired", 45992.0),  # the Excel serial of 2025-12-01
    (L.HOLDINGS, 1, "Account", "JOINT brokerage"),
    (L.ACTIVITY, 0, "Cost basis", "16,500"),
    (L.ACTIVITY, 1, "Action", "Payroll contribution"),
]


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value"), GOOD, ids=[f"{s}-{c}-{v!r}" for s, _, c, v in GOOD]
)
def test_another_accepted_form_changes_nothing_in_either(
    sheet: str, index: int, column: str, value: Any, baseline: tuple[Any, ...]
) -> None:
    base_function, base_rows, base_refresh, base_plan = baseline
    tables = _tables(sheet, index, column, value)
    problems, rows = _evaluate(tables)
    assert (problems, rows) == (base_function, base_rows)
    problems, plan = _refresh(tables)
    assert (problems, plan) == (base_refresh, base_plan)


PROFILE_BAD = [
    ("As-of date", date(9999, 12, 31)),
    ("As-of date", "tomorrow"),
    ("Birth date", "#N/A"),
    ("State tax rate", 5),
    ("Tax year", "soon"),
    ("Filing status", "married"),
    ("Ordinary income", "(1,2)"),
]


@pytest.mark.parametrize(("key", "value"), PROFILE_BAD, ids=[f"{k}-{v!r}" for k, v in PROFILE_BAD])
def test_a_bad_profile_value_is_the_same_problem_in_both(key: str, value: Any) -> None:
    """``HX_EVALUATE`` refuses the whole profile (one ``#VALUE!``), the refresh names the
    cell; the problem is worded the same."""
    from harvest_xl.excel.template import build_template

    ranges = {name: [list(L.TABLE_INPUTS[name]), *rows] for name, rows in TABLES.items()}
    profile = [[k, value if k == key else v] for k, v in demo.PROFILE.items()]
    out = udfs.HX_EVALUATE(
        ranges[L.HOLDINGS],
        ranges[L.ACCOUNTS],
        ranges[L.ACTIVITY],
        ranges[L.RECURRING],
        ranges[L.SECURITIES],
        profile,
    )
    wb = build_template()
    demo.fill_workbook(wb, TABLES, {**demo.PROFILE, key: value})
    problems = refresh_workbook(OpenpyxlBook(wb)).problems
    [mine] = [p for p in problems if p.column == key]
    assert (mine.sheet, mine.row) == (L.PROFILE, L.PROFILE_ROWS[key])
    assert out == [[f"#VALUE! profile: {key}: {mine.problem}"]]
