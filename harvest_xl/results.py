"""Engine results as the cell values Excel shows: one shaping for the worksheet functions and
the workbook refresh.

A refresh stores the value of every formula cell it owns; the Excel functions compute the
same cells live. Both build those values here, from the same engine results, so a refreshed
file shows exactly what Excel would compute, and the refresh never needs xlwings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.form8949 import FORM_8949_HEADERS, Form8949Row
from harvest_xl.engine.harvest import HarvestCode
from harvest_xl.engine.lots import Lot
from harvest_xl.engine.portfolio import LotRow
from harvest_xl.engine.wash_sale import WashSaleMatch
from harvest_xl.engine.withdrawal_cost import WithdrawalCost
from harvest_xl.inputs.tables import RowProblem

NO_WASH_RISK = "None"
"""The risk column when selling the lot today risks no wash sale (never empty text:
LibreOffice shows an empty cached text as a formula to recalculate)."""
NOT_APPLICABLE = "—"
"""A computed cell that does not apply to the row: the withdrawal columns of a taxable
account, the safe rebuy date and saving of a lot that a sale would not realize a loss on,
the cells of a row left out for a problem (never empty text, as for :data:`NO_WASH_RISK`)."""
NEEDS_ROTH_HISTORY = "Needs Roth history"
"""A withdrawal column of a Roth account: what a withdrawal costs depends on its
contributions, conversions and earnings, which the Accounts table does not hold
(HX_ROTH_TAXABLE / HX_ROTH_PENALTY and HX_ROTH401K_TAXABLE / _PENALTY take them)."""


_UNEXPECTED_DETAIL_CHARS = 120
_EXCEL_TEXT_LIMIT = 255


def error_text(error: BaseException) -> str:
    """The cell text for an exception: ``#VALUE! argument: problem`` (at most 255 chars, the
    longest text Excel shows in a cell); anything but bad input is an unexpected error."""
    if isinstance(error, HarvestInputError):
        text = f"#VALUE! {error.argument}: {error.problem}"
    else:
        detail = str(error).splitlines()[0] if str(error) else ""
        detail = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
        text = f"#VALUE! unexpected error: {detail[:_UNEXPECTED_DETAIL_CHARS]}"
    if len(text) <= _EXCEL_TEXT_LIMIT:
        return text
    return text[: _EXCEL_TEXT_LIMIT - 3] + "..."


def number(value: Decimal) -> float:
    """An amount as the plain number a cell holds."""
    return float(value)


def optional_number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --------------------------------------------------------------------- the evaluation

HOLDINGS_COMPUTED: tuple[str, ...] = (
    "Market value",
    "Gain/Loss",
    "Term",
    "Harvest",
    "Wash-sale risk",
    "Safe rebuy",
    "Tax saving",
    "Withdrawal penalty",
    "Withdrawal cost",
    "Account type",
)
"""The Holdings sheet's computed columns (public headers), in order."""
EVALUATE_COLUMNS: tuple[str, ...] = (*HOLDINGS_COMPUTED, "Problem")
"""HX_EVALUATE's columns: the Holdings sheet's computed columns, then a per-row problem."""


FIRST_ROW_NUMBER = 2
"""The number of a table's first data row in messages: the row under the header, numbered
as the worksheet numbers it when the table starts in row 1 (as the template's do)."""


def problem_text(problem: RowProblem) -> str:
    """A table row's problem as a cell shows it: ``#VALUE! Activity row 3, Shares: ...``."""
    return f"#VALUE! {problem.table} row {problem.row}, {problem.field}: {problem.message}"


def evaluation_table(
    row_count: int, rows: Sequence[LotRow], problems: Sequence[RowProblem]
) -> list[list[Any]]:
    """HX_EVALUATE's result: a header row, then one row per Holdings data row (rows are
    numbered from :data:`FIRST_ROW_NUMBER`); a row that was left out shows only its problem.
    Problems of other tables are listed below, in the Problem column only."""
    width = len(EVALUATE_COLUMNS)
    out: list[list[Any]] = [list(EVALUATE_COLUMNS)]
    out.extend([None] * width for _ in range(row_count))
    for r in rows:
        out[r.row - FIRST_ROW_NUMBER + 1] = [
            number(r.market_value),
            number(r.gain),
            r.term.value,
            r.status_text,
            r.wash_risk,
            r.safe_rebuy,
            optional_number(r.tax_saving),
            optional_number(r.withdrawal_penalty),
            optional_number(r.withdrawal_cost),
            r.lot.account_type.value,
            r.withdrawal_note or None,
        ]
    _place_problems(out, row_count, problems)
    return out


def _place_problems(
    out: list[list[Any]], row_count: int, problems: Sequence[RowProblem]
) -> None:
    """A Holdings row's problem in that row's last column; other tables' below the rows."""
    width = len(out[0])
    for p in problems:
        text = problem_text(p)
        index = p.row - FIRST_ROW_NUMBER
        if p.table == "Holdings" and 0 <= index < row_count:
            out[index + 1][-1] = text
        else:
            out.append([None] * (width - 1) + [text])


HOLDINGS_RESULT_COLUMNS: tuple[str, ...] = (*HOLDINGS_COMPUTED, "Problem")
"""HX_HOLDINGS's columns: the Holdings sheet's computed columns as that sheet shows them,
then a problem of another table (listed below the rows)."""

_SELLS_A_LOSS = frozenset({HarvestCode.HARVEST, HarvestCode.BLOCKED, HarvestCode.AT_RISK})
"""Statuses of a loss a sale today would realize: their safe rebuy date is shown."""
_SAVING_SHOWN = _SELLS_A_LOSS | {HarvestCode.HOLD_SMALL}
"""Statuses whose tax saving is shown: every loss in a taxable account."""


def holdings_cells(row: LotRow) -> list[Any]:
    """One Holdings row's computed cells as the sheet shows them: the risk ``None`` when there
    is none, the safe rebuy date only for a loss a sale today would realize, the saving only
    for a loss (``—`` otherwise), ``—`` or ``Needs Roth history`` where no withdrawal cost
    applies."""
    return [
        number(row.market_value),
        number(row.gain),
        row.term.value,
        row.status_text,
        row.wash_risk or NO_WASH_RISK,
        row.safe_rebuy if row.status in _SELLS_A_LOSS else NOT_APPLICABLE,
        optional_number(row.tax_saving) if row.status in _SAVING_SHOWN else NOT_APPLICABLE,
        withdrawal_value(row, row.withdrawal_penalty),
        withdrawal_value(row, row.withdrawal_cost),
        row.lot.account_type.value,
    ]


def problem_cells(problem: RowProblem) -> list[Any]:
    """A Holdings row left out for a problem: the problem where the Harvest status would be."""
    cells: list[Any] = [NOT_APPLICABLE] * (len(HOLDINGS_RESULT_COLUMNS) - 1)
    cells[HOLDINGS_RESULT_COLUMNS.index("Harvest")] = f"#VALUE! {problem.field}: {problem.message}"
    return cells


def unevaluated_cells(lot: Lot, reason: str) -> list[Any]:
    """A Holdings row when nothing could be evaluated (the Profile has a problem): what its
    own cells give — market value, gain against the basis as paid, account type — and the
    reason where the term and the status would be."""
    cells: list[Any] = [NOT_APPLICABLE] * (len(HOLDINGS_RESULT_COLUMNS) - 1)
    cells[0], cells[1] = number(lot.market_value), number(lot.gain)
    cells[2] = cells[3] = reason
    cells[-1] = lot.account_type.value
    return cells


def holdings_by_row(
    rows: Sequence[LotRow],
    problems: Sequence[RowProblem],
    unevaluated: Sequence[Lot] = (),
    reason: str = "",
) -> dict[int, list[Any]]:
    """The computed cells of each Holdings row by the row's number (its ``row``): the
    evaluated lots, the lots read but not evaluated (with ``reason``), then the first
    problem of each row left out."""
    out = {r.row: holdings_cells(r) for r in rows}
    for lot in unevaluated:
        out.setdefault(-1 if lot.row is None else lot.row, unevaluated_cells(lot, reason))
    for p in problems:
        if p.table == "Holdings" and p.row not in out:
            out[p.row] = problem_cells(p)
    return out


def holdings_table(
    row_count: int, by_row: Mapping[int, list[Any]], problems: Sequence[RowProblem]
) -> list[list[Any]]:
    """HX_HOLDINGS's result: a header row, then the cells of each Holdings data row
    (:func:`holdings_by_row`; rows numbered from :data:`FIRST_ROW_NUMBER`; a blank row
    shows empty text), then the problems of the other tables, in the Problem column only."""
    width = len(HOLDINGS_RESULT_COLUMNS)
    out: list[list[Any]] = [list(HOLDINGS_RESULT_COLUMNS)]
    blank = [""] * (width - 1)
    for number in range(FIRST_ROW_NUMBER, FIRST_ROW_NUMBER + row_count):
        out.append([*by_row.get(number, blank), None])
    for p in problems:
        if p.table != "Holdings":
            out.append([None] * (width - 1) + [problem_text(p)])
    return out


def withdrawal_value(row: LotRow, amount: Decimal | None) -> Any:
    """A withdrawal column's cell: the amount, ``—`` for a taxable account, ``Needs Roth
    history`` for a Roth account, or the reason it could not be computed."""
    kind = row.lot.account_type
    if kind.has_tax_effect:
        return NOT_APPLICABLE
    if kind.is_roth:
        return NEEDS_ROTH_HISTORY
    if amount is None:
        return f"#VALUE! {row.withdrawal_note}"
    return number(amount)


# ------------------------------------------------------------------------ wash sales

WASH_SALES_HEADER: tuple[str, ...] = (
    "Sale date",
    "Sale account",
    "Ticker",
    "Shares matched",
    "Disallowed loss",
    "Permanently lost",
    "Replacement date",
    "Replacement account",
    "Basis increase",
    "Reason",
)
"""Reason (issue 15) says why each row counts or not: an IRA purchase's loss is lost for
good, a taxable one's deferred into the replacement, a 401(k)'s by the policy, a spouse's."""


def wash_sale_rows(matches: Sequence[WashSaleMatch]) -> list[list[Any]]:
    """HX_WASH_SALES's rows (and the Wash sales sheet's), one per match."""
    return [
        [
            m.sale_date,
            m.sale_account,
            m.ticker,
            float(m.shares),
            number(m.disallowed_loss),
            m.permanently_lost,
            m.replacement_date,
            m.replacement_account,
            number(m.basis_increase),
            m.reason,
        ]
        for m in matches
    ]


# ------------------------------------------------------------------------ Form 8949

FORM_8949_COLUMNS: tuple[str, ...] = (*FORM_8949_HEADERS, "Activity row", "Notes")
"""HX_FORM8949's columns and the Form 8949 sheet's header row: the form's (public names,
:data:`~harvest_xl.engine.form8949.FORM_8949_HEADERS`), then the Activity row of the sale
and the row's notes (basis unknown, lot relieved FIFO, lost for good, codes to add...)."""


def form8949_cells(row: Form8949Row) -> list[Any]:
    """One Form 8949 row as cells: part ``I``/``II``, box letter, dates, amounts as numbers;
    a blank cell where the form has none (no code: no adjustment; unknown basis: no part,
    box, basis or gain, and the note says so)."""
    return [
        None if row.part is None else row.part.value,
        None if row.box is None else row.box.value,
        row.description,
        row.date_acquired,
        row.date_sold,
        number(row.proceeds),
        optional_number(row.cost_basis),
        row.code or None,
        optional_number(row.adjustment),
        optional_number(row.gain_or_loss),
        row.account,
        row.sale_row,
        "; ".join(row.notes) or None,
    ]


def form8949_table(
    rows: Sequence[Form8949Row], problems: Sequence[RowProblem] = ()
) -> list[list[Any]]:
    """HX_FORM8949's result: the header row, one row per Form 8949 row in the form's order
    (Part I then II, by box), then each bad input row (left out) in the Notes column."""
    out: list[list[Any]] = [list(FORM_8949_COLUMNS)]
    out.extend(form8949_cells(row) for row in rows)
    width = len(FORM_8949_COLUMNS)
    out.extend([None] * (width - 1) + [problem_text(p)] for p in problems)
    return out


# ----------------------------------------------------------------------- withdrawals


def withdrawal_column(cost: WithdrawalCost) -> list[list[float]]:
    """HX_WITHDRAWAL_COST's 6x1 result: extra income tax, additional tax, state tax, total
    cost, net after all taxes, amount withheld."""
    return [[number(value)] for value in cost.column()]
