"""Give a workbook the current template's formulas before a headless refresh values them.

The formula cells of the Holdings computed columns, the Evaluation sheet and the Withdrawal
calculator belong to harvest-xl, not to the user: a workbook made from an older template
(whose Holdings columns called one function per row and column) gets the current formulas,
so one refresh brings it up to date and every later recalculation in Excel costs one Python
call. A cell the user typed a value into is never changed; only formula cells and empty
cells of those columns are written.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import TableFormula

from harvest_xl.excel import formulas as F
from harvest_xl.excel import layout as L
from harvest_xl.excel import template_outputs
from harvest_xl.results import HOLDINGS_RESULT_COLUMNS


def use_current_formulas(workbook: Any) -> None:
    """Write the current formulas into the cells harvest-xl owns (see the module doc)."""
    rows = _holdings_formulas(workbook)
    if rows is None:
        return
    if L.EVALUATION not in workbook.sheetnames:
        template_outputs.evaluation(workbook.create_sheet(L.EVALUATION), rows)
    _size_evaluation(workbook[L.EVALUATION], rows)
    if L.WITHDRAWAL in workbook.sheetnames:
        _withdrawal_formulas(workbook)


def _holdings_formulas(workbook: Any) -> int | None:
    """The Holdings table's computed columns with the current formulas; returns the number
    of data rows (None when the workbook has no Holdings table)."""
    if L.HOLDINGS not in workbook.sheetnames:
        return None
    ws = workbook[L.HOLDINGS]
    table = ws.tables.get(L.HOLDINGS)
    if table is None:
        return None
    min_col, min_row, _max_col, max_row = range_boundaries(table.ref)
    by_column = {f.column: f.formula for f in F.HOLDINGS_FORMULAS}
    for offset, column in enumerate(table.tableColumns):
        formula = by_column.get(column.name)
        if formula is None:
            continue
        column.calculatedColumnFormula = TableFormula(attr_text=formula)
        for r in range(min_row + 1, max_row + 1):
            cell = ws.cell(r, min_col + offset)
            if type(cell) is MergedCell:  # under a merge: only its first cell holds a value
                continue
            if _ours(cell):
                cell.value = "=" + formula
    rows: int = max_row - min_row
    return rows


def _size_evaluation(ws: Any, rows: int) -> None:
    """The HX_HOLDINGS array over its header and ``rows`` data rows."""
    last = get_column_letter(len(HOLDINGS_RESULT_COLUMNS))
    ref = f"{L.EVALUATION_ANCHOR}:{last}{L.EVALUATION_HEADER_ROW + rows}"
    ws[L.EVALUATION_ANCHOR] = ArrayFormula(ref, "=" + F.EVALUATION_FORMULA)


def _withdrawal_formulas(workbook: Any) -> None:
    """One HX_PENALTY on the Withdrawal sheet, one six-row HX_WITHDRAWAL_COST array on the
    Evaluation sheet, and the six Withdrawal cells that look it up (older templates called
    the cost function once per row, or held its array on the Withdrawal sheet)."""
    ws = workbook[L.WITHDRAWAL]
    penalty = ws.cell(F.WITHDRAWAL_OUTPUT_ROW, 2)
    if _ours(penalty):
        penalty.value = "=" + F.PENALTY_FORMULA
    first = F.WITHDRAWAL_COST_FIRST_ROW
    cells = [ws.cell(first + i, 2) for i in range(len(F.WITHDRAWAL_COST_ROWS))]
    if all(_ours(c) for c in cells):
        for cell, formula in zip(cells, F.WITHDRAWAL_RESULTS, strict=True):
            cell.value = "=" + formula
    evaluation = workbook[L.EVALUATION]
    evaluation[F.WITHDRAWAL_ARRAY_ANCHOR] = ArrayFormula(
        F.WITHDRAWAL_COST_REF, "=" + F.WITHDRAWAL_COST_FORMULA
    )


def _ours(cell: Any) -> bool:
    """An empty cell or a formula: never a value the user typed."""
    return cell.value is None or cell.data_type == "f" or isinstance(cell.value, ArrayFormula)


def owned_formulas() -> frozenset[str]:
    """Every formula text the template owns (the user's other formulas keep the values Excel
    last stored)."""
    ours = {"=" + f.formula for f in F.HOLDINGS_FORMULAS}
    ours |= {"=" + F.PENALTY_FORMULA, "=" + F.WITHDRAWAL_COST_FORMULA, "=" + F.EVALUATION_FORMULA}
    ours |= {"=" + formula for formula in F.WITHDRAWAL_RESULTS}
    return frozenset(ours)
