"""The refresh core: read the input sheets, run the engine, write the outputs.

It talks to the workbook only through :class:`~harvest_xl.excel.book.BookAdapter`, so the
same code runs headless (``harvest-xl refresh``, openpyxl) and behind the ribbon's Refresh
button (xlwings). Steps of :func:`refresh_workbook`:

1. Read Profile, Accounts, Holdings, Activity, Recurring and Securities
   (:mod:`.inputs`, tables via :mod:`.input_tables`). Every bad value is a
   :class:`~harvest_xl.excel.problems.Problem` naming sheet, row, column and the fix; a bad
   row is left out of the portfolio evaluation and everything else is still computed.
2. Give every formula cell of the Holdings calculated columns and of the Withdrawal
   calculator its value (:meth:`BookAdapter.write_results`), computed by calling the same
   ``HX_`` functions with the same arguments the formula passes (:mod:`.formula_values`).
3. Evaluate the portfolio once (:func:`harvest_xl.engine.portfolio.evaluate_lots`, the
   model-level form of ``evaluate_portfolio``: the rows are already converted, with their
   problems located by cell) and write the Plan, Wash sales and Summary sheets as values
   (:mod:`.output_sheets`; every Holdings computed column is a formula, valued in step 2).

Input cells are never written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.excel import layout as L
from harvest_xl.excel.book import Block, BookAdapter
from harvest_xl.excel.input_tables import find_header, norm
from harvest_xl.excel.inputs import Inputs, read_inputs
from harvest_xl.excel.output_sheets import write_plan, write_summary, write_wash_sales
from harvest_xl.excel.problems import Problem

# ---------------------------------------------------------------------------- results


@dataclass
class RefreshResult:
    """What a refresh found and wrote."""

    inputs: Inputs
    portfolio: Any = None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return self.inputs.problems

    @property
    def ok(self) -> bool:
        return not self.problems


# ------------------------------------------------------------------------ the refresh


def refresh_workbook(
    book: BookAdapter, *, today: date | None = None, goal: str | None = None
) -> RefreshResult:
    """Refresh ``book``: read inputs, give formula cells their values, write the outputs.

    ``today`` only words the fix for an empty as-of date (the computation never uses a
    clock). ``goal`` overrides the Profile's *Plan goal*.
    """
    inputs = read_inputs(book)
    result = RefreshResult(inputs)
    problems = inputs.problems
    if today is not None:
        for i, p in enumerate(problems):
            if p.sheet == L.PROFILE and p.column == "As-of date":
                problems[i] = Problem(
                    p.sheet,
                    p.row,
                    p.column,
                    p.problem,
                    f"type the day you would sell, e.g. {today.isoformat()}",
                    p.column_number,
                )
    profile_block = book.read_block(L.PROFILE) if L.PROFILE in book.sheet_names() else None
    names = _defined_name_cells(profile_block)
    _write_holdings_formulas(book, inputs, names, profile_block)
    _write_withdrawal(book, names, profile_block)
    portfolio = None
    if inputs.profile is not None:
        plan_goal = goal if goal is not None else _cell(profile_block, L.PLAN_GOAL_ROW, 2)
        try:
            portfolio = _evaluate(inputs, plan_goal)
        except HarvestInputError as error:
            problems.append(
                Problem(
                    L.PROFILE,
                    L.PLAN_GOAL_ROW if error.argument == "goal" else None,
                    L.PLAN_GOAL_KEY if error.argument == "goal" else error.argument,
                    error.problem,
                    "correct the value and refresh again",
                    2,
                )
            )
    result.portfolio = portfolio
    write_plan(book, portfolio)
    write_wash_sales(book, portfolio)
    result.summary = write_summary(book, inputs, portfolio)
    return result


def _cell(block: Block | None, row: int, column: int) -> Any:
    if block is None:
        return None
    i, j = row - block.row, column - block.column
    if 0 <= i < len(block.values) and 0 <= j < len(block.values[i]):
        return block.values[i][j]
    return None


def _defined_name_cells(block: Block | None) -> dict[str, Any]:
    """What each Profile defined name refers to (Profile!$B$n), as Excel would read it."""
    return {name: _cell(block, L.PROFILE_ROWS[key], 2) for name, key in L.PROFILE_NAMES.items()}


def _profile_range(block: Block | None) -> list[list[Any]]:
    return [
        [_cell(block, r, 1), _cell(block, r, 2)]
        for r in range(L.FIRST_DATA_ROW, L.PROFILE_LAST_ROW + 1)
    ]


def _write_holdings_formulas(
    book: BookAdapter, inputs: Inputs, names: dict[str, Any], profile_block: Block | None
) -> None:
    """Values of the Holdings calculated columns, row by row, as the formulas compute them."""
    from harvest_xl.excel.formula_values import holdings_row

    table = inputs.holdings
    if table is None:
        return
    block = book.read_block(L.HOLDINGS)
    accounts_table: list[list[Any]] = []
    if L.ACCOUNTS in book.sheet_names():
        accounts_table = _table_body(book.read_block(L.ACCOUNTS), L.ACCOUNTS_COLUMNS)
    ranges: dict[str, Any] = {"Profile": _profile_range(profile_block)}
    for sheet, header in L.TABLE_INPUTS.items():  # Table[#All]: header row, then the body
        if sheet != L.HOLDINGS and sheet in book.sheet_names():
            ranges[sheet] = [list(header), *_table_body(book.read_block(sheet), header)]
    from harvest_xl.excel.template import HOLDINGS_FORMULAS

    formulas = {f.column for f in HOLDINGS_FORMULAS if f.formula is not None}
    computed = [c for c in L.HOLDINGS_COMPUTED if c in table.columns and c in formulas]
    first = table.header_row + 1
    columns: dict[str, list[list[Any]]] = {c: [] for c in computed}
    rows: list[dict[str, Any]] = []
    for row in range(first, table.last_row + 1):
        line = block.values[row - block.row] if row - block.row < len(block.values) else []
        rows.append(
            {
                name: (line[c - block.column] if c - block.column < len(line) else None)
                for name, c in table.columns.items()
                if name in L.HOLDINGS_INPUTS
            }
        )
    ranges["Holdings inputs"] = [
        list(L.HOLDINGS_INPUTS),
        *([cells.get(name) for name in L.HOLDINGS_INPUTS] for cells in rows),
    ]
    for cells in rows:
        values = holdings_row(cells, names, accounts_table, ranges)
        for c in computed:
            columns[c].append([_result_cell(values.get(c, ""))])
    for c in computed:
        if columns[c]:
            book.write_results(L.HOLDINGS, first, table.columns[c], columns[c])


def _table_body(block: Block, columns: Sequence[str]) -> list[list[Any]]:
    """A table's data rows with its columns in ``columns`` order (for VLOOKUP-like reads)."""
    index = find_header(block, columns)
    if index is None:
        return []
    header = [norm(v) for v in block.values[index]]
    positions = [header.index(norm(c)) if norm(c) in header else None for c in columns]
    body = []
    for line in block.values[index + 1 :]:
        body.append([line[p] if p is not None and p < len(line) else None for p in positions])
    return body


def _result_cell(value: Any) -> Any:
    from harvest_xl.excel.formula_values import CellError

    if isinstance(value, CellError):
        return value
    if isinstance(value, list):  # an array result in a single cell: its top-left value
        first = value[0] if value else None
        return _result_cell(first[0] if isinstance(first, list) and first else first)
    return value


def _write_withdrawal(
    book: BookAdapter, names: dict[str, Any], profile_block: Block | None
) -> None:
    from harvest_xl.excel.formula_values import withdrawal_results
    from harvest_xl.excel.template import (
        WITHDRAWAL_INPUT_ROW,
        WITHDRAWAL_INPUTS,
        WITHDRAWAL_OUTPUT_ROW,
    )

    if L.WITHDRAWAL not in book.sheet_names():
        return
    block = book.read_block(L.WITHDRAWAL)
    cells = [_cell(block, WITHDRAWAL_INPUT_ROW + i, 2) for i in range(len(WITHDRAWAL_INPUTS))]
    values = withdrawal_results(cells, names, _profile_range(profile_block))
    book.write_results(L.WITHDRAWAL, WITHDRAWAL_OUTPUT_ROW, 2, [[_result_cell(v)] for v in values])


def _evaluate(inputs: Inputs, goal: Any) -> Any:
    from harvest_xl.engine.lots import IdenticalGroups, identical_groups
    from harvest_xl.engine.plan import PlanGoal
    from harvest_xl.engine.portfolio import evaluate_lots

    assert inputs.profile is not None
    try:
        groups = identical_groups(inputs.securities)
    except HarvestInputError as error:
        inputs.problems.append(
            Problem(
                L.SECURITIES,
                None,
                "Identical group",
                error.problem,
                "put each ticker in one identical group only",
            )
        )
        groups = IdenticalGroups()
    return evaluate_lots(
        inputs.profile,
        inputs.lots,
        inputs.activity,
        inputs.recurring,
        inputs.securities,
        {a.name: a for a in inputs.accounts},
        groups,
        PlanGoal.parse(goal),
        # Every Holdings withdrawal cell is an HX_LOT_ formula (valued by its own call);
        # the plan, Wash sales and Summary sheets never read the pass's withdrawal costs.
        withdrawals=False,
    )
