"""The refresh core: read the inputs once, evaluate once, write every result.

It talks to the workbook only through :class:`~harvest_xl.excel.book.BookAdapter`, so the
same code runs headless (``harvest-xl refresh``, openpyxl) and behind the ribbon's Refresh
button (xlwings). Steps of :func:`refresh_workbook`:

1. Read Profile, Accounts, Holdings, Activity, Recurring and Securities (:mod:`.inputs`,
   through the one reader of each input). Every bad value is a
   :class:`~harvest_xl.excel.problems.Problem` naming sheet, row, column and the fix; a bad
   row is left out of the evaluation and everything else is still computed.
2. Evaluate the portfolio once (:func:`harvest_xl.engine.portfolio.evaluate_lots`).
3. Give the formula cells the template owns their values from that one evaluation, shaped
   as the functions shape them (:mod:`harvest_xl.results`): the Evaluation sheet's
   ``HX_HOLDINGS`` array, the Holdings computed columns that look it up, and the
   Withdrawal calculator. No worksheet function is called and xlwings is never imported.
4. Write the Plan, Wash sales and Summary sheets as values (:mod:`.output_sheets`), and
   the realized year: the Form 8949 sheet and the Summary's realized-year rows
   (:mod:`.realized_sheets`, from the same ledger).

Input cells are never written. A computed cell that shows an error (``#VALUE! ...``) is a
problem too, so the exit status of a refresh tells the truth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.plan import PlanGoal
from harvest_xl.engine.portfolio import PortfolioResult, evaluate_lots
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.realized_year import RealizedYear, counting_activity_sales
from harvest_xl.engine.wash_sale import analyse_wash_sales
from harvest_xl.engine.withdrawal_cost import withdrawal_cost
from harvest_xl.engine.withdrawals import early_withdrawal_additional_tax
from harvest_xl.excel import formulas as F
from harvest_xl.excel import layout as L
from harvest_xl.excel.book import Block, BookAdapter
from harvest_xl.excel.inputs import Inputs, read_inputs
from harvest_xl.excel.output_sheets import write_plan, write_summary, write_wash_sales
from harvest_xl.excel.problems import Problem
from harvest_xl.excel.realized_sheets import write_form8949, write_realized_summary
from harvest_xl.inputs.cells import to_choice, to_date, to_money, to_text
from harvest_xl.inputs.profile import profile_from_range
from harvest_xl.inputs.tables import RowProblem
from harvest_xl.results import (
    HOLDINGS_RESULT_COLUMNS,
    error_text,
    holdings_by_row,
    number,
    problem_text,
    withdrawal_column,
)


@dataclass
class RefreshResult:
    """What a refresh found and wrote."""

    inputs: Inputs
    portfolio: PortfolioResult | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    realized: RealizedYear | None = None
    """The tax year's Form 8949 rows and Schedule D (None without a Profile)."""

    @property
    def problems(self) -> list[Problem]:
        return self.inputs.problems

    @property
    def ok(self) -> bool:
        return not self.problems


def refresh_workbook(
    book: BookAdapter, *, today: date | None = None, goal: str | None = None
) -> RefreshResult:
    """Refresh ``book``: read inputs, evaluate once, give formula cells their values, write
    the outputs.

    ``today`` only words the fix for an empty as-of date (the computation never uses a
    clock). ``goal`` overrides the Profile's *Plan goal*.
    """
    inputs = read_inputs(book)
    result = RefreshResult(inputs)
    problems = inputs.problems
    if today is not None:
        problems[:] = [
            replace(p, fix=f"type the day you would sell, e.g. {today.isoformat()}")
            if p.sheet == L.PROFILE and p.column == "As-of date"
            else p
            for p in problems
        ]
    if inputs.profile is not None:
        if inputs.profile.as_of is None:
            problems.append(
                Problem(
                    L.PROFILE,
                    L.PROFILE_ROWS["As-of date"],
                    "As-of date",
                    "is empty (it is required)",
                    f"type the day you would sell, e.g. {(today or date(2026, 11, 27))}",
                    2,
                )
            )
        else:
            result.portfolio = _evaluate(inputs, goal if goal is not None else inputs.plan_goal)
    _write_holdings(book, inputs, result.portfolio)
    _write_withdrawal(book, inputs, result.portfolio)
    write_plan(book, result.portfolio)
    write_wash_sales(book, result.portfolio)
    result.realized = write_form8949(book, inputs, result.portfolio)  # before its problems
    result.summary = write_summary(book, inputs, result.portfolio)  # lists the problems
    result.summary.update(write_realized_summary(book, result.realized))
    return result


def _evaluate(inputs: Inputs, goal: Any) -> PortfolioResult | None:
    assert inputs.profile is not None
    try:
        return evaluate_lots(
            inputs.profile,
            inputs.lots,
            inputs.activity,
            inputs.recurring,
            inputs.securities,
            {a.name: a for a in inputs.accounts},
            inputs.identical,
            PlanGoal.parse(goal),
        )
    except HarvestInputError as error:
        is_goal = error.argument == "goal"
        inputs.problems.append(
            Problem(
                L.PROFILE,
                L.PLAN_GOAL_ROW if is_goal else L.PROFILE_ROWS.get(error.argument),
                L.PLAN_GOAL_KEY if is_goal else error.argument,
                error.problem,
                "correct the value and refresh again",
                2,
            )
        )
        return None


# ------------------------------------------------------------------- Holdings results


def _write_holdings(book: BookAdapter, inputs: Inputs, portfolio: PortfolioResult | None) -> None:
    """The Evaluation array and the Holdings computed columns, from the one evaluation.

    A row's cells are keyed by its worksheet row (the readers number rows so); the array
    holds one row per Holdings data row, blank rows included, as ``HX_HOLDINGS`` receives
    the table. An error a computed cell shows is reported as a problem at that cell."""
    table = inputs.holdings
    if table is None:
        return
    row_problems = [
        RowProblem(p.sheet, p.row, p.column or "", p.problem, p.fix)
        for p in inputs.problems
        if p.sheet == L.HOLDINGS and p.row is not None and not p.warning
    ]
    if portfolio is not None:
        by_row = holdings_by_row(portfolio.rows, row_problems)
    else:  # as HX_HOLDINGS shows it: each lot's own cells, and why nothing else is
        by_row = holdings_by_row((), row_problems, inputs.lots, _why_not_evaluated(book))
    first, last = table.header_row + 1, table.last_row
    width = len(HOLDINGS_RESULT_COLUMNS) - 1
    blank: list[Any] = [""] * width
    cells = [by_row.get(r, blank) for r in range(first, last + 1)]
    others = [
        [None] * width + [problem_text(RowProblem(p.sheet, p.row, p.column or "", p.problem))]
        for p in inputs.problems
        if p.sheet in _LISTED_BELOW and p.row is not None and not p.warning
    ]
    if L.EVALUATION in book.sheet_names() and not book.formulas_live:
        # Live Excel spills HX_HOLDINGS itself: a value in its range would block the spill.
        header = L.EVALUATION_HEADER_ROW
        array = [list(HOLDINGS_RESULT_COLUMNS)]
        array += [[*line, None] for line in cells] + others
        old = book.read_block(L.EVALUATION)
        old_last = old.row + len(old.values) - 1
        if old_last > header:
            book.clear(L.EVALUATION, header + 1, 1, old_last - header, len(array[0]))
        book.write_results(L.EVALUATION, header, 1, array)
    for j, column in enumerate(L.HOLDINGS_COMPUTED):
        number_ = table.columns.get(column)
        if number_ is not None and cells:
            book.write_results(L.HOLDINGS, first, number_, [[line[j]] for line in cells])
    for r, line in zip(range(first, last + 1), cells, strict=True):
        for j, value in enumerate(line):
            if isinstance(value, str) and value.startswith("#VALUE!") and (
                r not in {p.row for p in row_problems}
            ):
                column = L.HOLDINGS_COMPUTED[j]
                inputs.problems.append(
                    Problem(
                        L.HOLDINGS,
                        r,
                        column,
                        f"the cell shows {value}",
                        "fill in what it names (the Profile's Birth date for a withdrawal)",
                        table.columns.get(column),
                    )
                )


def _why_not_evaluated(book: BookAdapter) -> str:
    """What HX_HOLDINGS says when it cannot evaluate: the first problem of its ``profile``
    range (ProfileRange), or the missing as-of date."""
    try:
        profile = profile_from_range(_profile_range(book), "profile")
        if profile.as_of is None:
            raise HarvestInputError("As-of date", "the profile has no as-of date")
    except HarvestInputError as error:
        return error_text(error)
    return error_text(HarvestInputError("profile", "the Profile has a problem (see the list)"))


_LISTED_BELOW = frozenset({L.ACCOUNTS, L.ACTIVITY, L.RECURRING, L.SECURITIES})
"""Tables whose bad rows HX_HOLDINGS lists below the holdings (the Profile's make it fail)."""


# ----------------------------------------------------------------------- Withdrawal


def _counting_activity_sales(
    profile: Profile, inputs: Inputs, portfolio: PortfolioResult | None
) -> Profile:
    """The Profile with Activity's realized year when it counts Activity's sales (as
    HX_WITHDRAWAL_COST computes it from the tables); the evaluation's wash-sale analysis is
    reused when there is one (it ran under the same Profile's policy)."""
    if not profile.count_activity_sales:
        return profile
    if portfolio is not None:
        wash = portfolio.wash
    else:
        wash = analyse_wash_sales(inputs.activity, inputs.identical, profile.wash_policy)
    return counting_activity_sales(profile, wash)


def _cell(block: Block | None, row: int, column: int) -> Any:
    if block is None:
        return None
    i, j = row - block.row, column - block.column
    if 0 <= i < len(block.values) and 0 <= j < len(block.values[i]):
        return block.values[i][j]
    return None


_PROFILE_DEFAULTS = {
    label: L.PROFILE_NAMES[name] for label, name in F.WITHDRAWAL_DEFAULTS.items()
}
"""Withdrawal input -> the Profile key whose cell it falls back to."""


def _profile_range(book: BookAdapter) -> list[list[Any]]:
    """The ProfileRange cells (Profile column A:B, one row per Profile key), as the function's
    ``profile`` reads them."""
    block = book.read_block(L.PROFILE) if L.PROFILE in book.sheet_names() else None
    return [
        [_cell(block, r, 1), _cell(block, r, 2)]
        for r in range(L.FIRST_DATA_ROW, L.PROFILE_LAST_ROW + 1)
    ]


def _write_withdrawal(
    book: BookAdapter, inputs: Inputs, portfolio: PortfolioResult | None
) -> None:
    """The Withdrawal calculator's two results: HX_PENALTY's value and HX_WITHDRAWAL_COST's
    six, from its input cells as those functions read them (the cost on the Profile that
    counts Activity's sales when it says so, from the evaluation's wash-sale analysis)."""
    if L.WITHDRAWAL not in book.sheet_names():
        return
    block = book.read_block(L.WITHDRAWAL)
    given = {
        label: _cell(block, F.WITHDRAWAL_INPUT_ROW + i, 2)
        for i, (label, *_rest) in enumerate(F.WITHDRAWAL_INPUTS)
    }
    # A blank input takes the Profile cell its defined name points at (BirthDate, AsOfDate).
    cell = {
        label: inputs.profile_cells.get(_PROFILE_DEFAULTS[label])
        if given[label] in (None, "") and label in _PROFILE_DEFAULTS
        else given[label]
        for label in given
    }
    try:
        penalty: Any = number(
            early_withdrawal_additional_tax(
                to_choice(cell["Account type"], "account_type", AccountType.parse),
                to_money(cell["Amount"], "amount"),
                to_date(cell["Birth date"], "birth_date"),
                to_date(cell["Withdrawal date"], "withdrawal_date"),
                to_text(cell["Exception"], "exception", None),
                to_date(cell["Separation date"], "separation_date", None),
                to_date(cell["SIMPLE start date"], "participation_start", None),
            )
        )
    except Exception as error:  # noqa: BLE001 - shown in the cell, as the function would
        penalty = error_text(error)
    try:
        profile = _counting_activity_sales(
            profile_from_range(_profile_range(book), "profile"), inputs, portfolio
        )
        cost: Sequence[Sequence[Any]] = withdrawal_column(
            withdrawal_cost(
                replace(profile, birth_date=to_date(cell["Birth date"], "birth_date")),
                to_choice(cell["Account type"], "account_type", AccountType.parse),
                to_money(cell["Amount"], "amount"),
                to_date(cell["Withdrawal date"], "withdrawal_date"),
                to_text(cell["Exception"], "exception", None),
            )
        )
    except Exception as error:  # noqa: BLE001 - shown in the cells, as the function would
        cost = [[error_text(error)]] + [[""]] * (len(F.WITHDRAWAL_COST_ROWS) - 1)
    book.write_results(L.WITHDRAWAL, F.WITHDRAWAL_OUTPUT_ROW, 2, [[penalty], *cost])
    if L.EVALUATION in book.sheet_names() and not book.formulas_live:
        column = F.WITHDRAWAL_ARRAY_COLUMN_NUMBER
        book.write_results(L.EVALUATION, F.WITHDRAWAL_ARRAY_FIRST_ROW, column, cost)
