"""The template's output sheets: Plan, Wash sales, Withdrawal, Summary (with its charts),
Sources and Evaluation. Refresh writes Plan, Wash sales and Summary as values; Withdrawal
and Evaluation hold formulas (:mod:`harvest_xl.excel.formulas`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from harvest_xl.engine.params import raw_parameters
from harvest_xl.excel import layout as L
from harvest_xl.excel import styles
from harvest_xl.excel.formulas import (
    EVALUATION_FORMULA,
    HOLDINGS_FORMULAS,
    PENALTY_FORMULA,
    PENALTY_LABEL,
    WITHDRAWAL_ARRAY_ANCHOR,
    WITHDRAWAL_ARRAY_COLUMN,
    WITHDRAWAL_COST_FIRST_ROW,
    WITHDRAWAL_COST_FORMULA,
    WITHDRAWAL_COST_REF,
    WITHDRAWAL_COST_ROWS,
    WITHDRAWAL_INPUT_ROW,
    WITHDRAWAL_INPUTS,
    WITHDRAWAL_OUTPUT_ROW,
    WITHDRAWAL_RESULTS,
)
from harvest_xl.excel.styles import (
    BODY_FONT,
    BOLD_FONT,
    BOX,
    COMPUTED_FILL,
    COMPUTED_HEADER_FILL,
    DATE_FORMAT,
    HARVEST_FILL,
    HEADER_FONT,
    INPUT_FILL,
    MONEY_FORMAT,
    MONEY_WHOLE_FORMAT,
    NOTE_FONT,
    RISK_FILL,
    SHARES_FORMAT,
    font_all,
    format_rule,
    whole_shares_rule,
)
from harvest_xl.results import HOLDINGS_RESULT_COLUMNS

_PLAN_FORMATS = {
    "Shares": SHARES_FORMAT,
    "Acquired": DATE_FORMAT,
    "Loss": MONEY_FORMAT,
    "Tax saving": MONEY_FORMAT,
    "Loss carried to next year": MONEY_FORMAT,
    "Safe rebuy": DATE_FORMAT,
    "Saving per $ of loss": MONEY_FORMAT,
    "Shares disallowed": SHARES_FORMAT,
    "Loss disallowed": MONEY_FORMAT,
    "Lost for good": MONEY_FORMAT,
    "Wait until": DATE_FORMAT,
    "Keeps if waiting": MONEY_FORMAT,
    "Gain realized": MONEY_FORMAT,
    "State tax on gain": MONEY_FORMAT,
}
_WASH_FORMATS = {
    "Sale date": DATE_FORMAT,
    "Shares matched": SHARES_FORMAT,
    "Disallowed loss": MONEY_FORMAT,
    "Replacement date": DATE_FORMAT,
    "Basis increase": MONEY_FORMAT,
}
OUTPUT_ROWS = 500
"""Rows below an output header that carry its formats."""
EVALUATION_FORMAT_ROWS = 1000
"""Evaluation rows (one per Holdings row) whose numbers get the Holdings columns' formats."""


def output_sheet(
    ws: Any, title: str, note: str, columns: tuple[str, ...], formats: dict[str, str]
) -> None:
    styles.title(ws, title, note)
    for c, header in enumerate(columns, start=1):
        cell = ws.cell(L.OUTPUT_HEADER_ROW, c, header)
        cell.font = HEADER_FONT
        cell.fill = COMPUTED_HEADER_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        fmt = formats.get(header)
        width = (
            14 if header not in ("Why", "Account", "Sale account", "Replacement account") else 22
        )
        if header in ("Why", "Flag"):
            width = 60
        ws.column_dimensions[get_column_letter(c)].width = width
        if fmt:
            ws.column_dimensions[get_column_letter(c)].number_format = fmt
        if fmt == SHARES_FORMAT:
            first = L.OUTPUT_HEADER_ROW + 1
            whole_shares_rule(ws, c, first, first + OUTPUT_ROWS - 1)
    ws.freeze_panes = f"A{L.OUTPUT_HEADER_ROW + 1}"
    ws.row_dimensions[L.OUTPUT_HEADER_ROW].height = 30


def plan_highlights(ws: Any) -> None:
    first = L.OUTPUT_HEADER_ROW + 1
    last = first + OUTPUT_ROWS - 1
    end = get_column_letter(len(L.PLAN_COLUMNS))
    ws.conditional_formatting.add(
        f"A{first}:{end}{last}",
        FormulaRule(formula=[f"ISNUMBER($A{first})"], fill=HARVEST_FILL),
    )


def wash_highlights(ws: Any) -> None:
    first = L.OUTPUT_HEADER_ROW + 1
    last = first + OUTPUT_ROWS - 1
    lost = get_column_letter(L.WASH_SALES_COLUMNS.index("Permanently lost") + 1)
    end = get_column_letter(len(L.WASH_SALES_COLUMNS))
    ws.conditional_formatting.add(
        f"A{first}:{end}{last}",
        FormulaRule(formula=[f"${lost}{first}=TRUE"], fill=RISK_FILL),
    )


def withdrawal(ws: Any) -> None:
    styles.title(
        ws,
        "What would a withdrawal cost?",
        "Change the yellow cells; the grey cells compute (HX_PENALTY, HX_WITHDRAWAL_COST) "
        "against your Profile.",
    )
    ws.cell(WITHDRAWAL_INPUT_ROW - 1, 1, "Withdrawal").font = BOLD_FONT
    for i, (label, value, fmt, note) in enumerate(WITHDRAWAL_INPUTS):
        r = WITHDRAWAL_INPUT_ROW + i
        ws.cell(r, 1, label).font = BODY_FONT
        cell = ws.cell(r, 2, value)
        cell.number_format = fmt
        cell.fill = INPUT_FILL
        cell.border = BOX
        ws.cell(r, 3, note).font = NOTE_FONT
    ws.cell(WITHDRAWAL_OUTPUT_ROW - 1, 1, "Cost").font = BOLD_FONT
    ws.cell(WITHDRAWAL_OUTPUT_ROW, 1, PENALTY_LABEL).font = BODY_FONT
    ws.cell(WITHDRAWAL_OUTPUT_ROW, 2, "=" + PENALTY_FORMULA)
    for i, formula in enumerate(WITHDRAWAL_RESULTS):
        ws.cell(WITHDRAWAL_COST_FIRST_ROW + i, 2, "=" + formula)
    for i, label in enumerate(WITHDRAWAL_COST_ROWS):
        r = WITHDRAWAL_COST_FIRST_ROW + i
        ws.cell(r, 1, label).font = BOLD_FONT if label == "Total cost" else BODY_FONT
    for r in range(WITHDRAWAL_OUTPUT_ROW, WITHDRAWAL_COST_FIRST_ROW + len(WITHDRAWAL_COST_ROWS)):
        cell = ws.cell(r, 2)
        cell.number_format = MONEY_FORMAT
        cell.fill = COMPUTED_FILL
        cell.border = BOX
        if ws.cell(r, 1).value == "Total cost":
            cell.font = BOLD_FONT
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 70
    font_all(ws)


def summary(ws: Any) -> None:
    styles.title(ws, "Summary", "Schedule D with and without the harvest plan. Written by Refresh.")
    money = L.SUMMARY_ROWS.index(L.SUMMARY_MONEY_FROM)
    for i, label in enumerate(L.SUMMARY_ROWS):
        r = L.SUMMARY_FIRST_ROW + i
        ws.cell(r, 1, label).font = BOLD_FONT if label == "Total tax saving" else BODY_FONT
        cell = ws.cell(r, 2)
        cell.fill = COMPUTED_FILL
        cell.border = BOX
        if money <= i < L.SUMMARY_ROWS.index("Wash sales found") or label.startswith("Loss perm"):
            cell.number_format = MONEY_FORMAT
        elif label in L.REALIZED_SUMMARY_ROWS and label != L.REALIZED_SUMMARY_ROWS[-1]:
            cell.number_format = MONEY_FORMAT  # the realized year's figures (the last: a count)
        elif label == "As-of date":
            cell.number_format = DATE_FORMAT
    ws.cell(L.SUMMARY_FIRST_ROW + L.SUMMARY_ROWS.index("Total tax saving"), 2).font = BOLD_FONT
    a, lot = L.SUMMARY_BY_ACCOUNT_COLUMN, L.SUMMARY_BY_LOT_COLUMN
    head = L.SUMMARY_FIRST_ROW - 1
    for c, text in enumerate(("Account", "Gain/Loss", "Unrealized losses"), start=a):
        cell = ws.cell(head, c, text)
        cell.font, cell.fill = HEADER_FONT, COMPUTED_HEADER_FILL
    for c, text in enumerate(("Planned lot", "Tax saving"), start=lot):
        cell = ws.cell(head, c, text)
        cell.font, cell.fill = HEADER_FONT, COMPUTED_HEADER_FILL
    for r in range(L.SUMMARY_FIRST_ROW, L.SUMMARY_FIRST_ROW + L.SUMMARY_CHART_ROWS):
        ws.cell(r, a + 1).number_format = MONEY_WHOLE_FORMAT
        ws.cell(r, a + 2).number_format = MONEY_WHOLE_FORMAT
        ws.cell(r, lot + 1).number_format = MONEY_WHOLE_FORMAT
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 3
    ws.column_dimensions[get_column_letter(a)].width = 24
    ws.column_dimensions[get_column_letter(a + 1)].width = 14
    ws.column_dimensions[get_column_letter(a + 2)].width = 16
    ws.column_dimensions[get_column_letter(a + 3)].width = 3
    ws.column_dimensions[get_column_letter(lot)].width = 36
    ws.column_dimensions[get_column_letter(lot + 1)].width = 14
    last = L.SUMMARY_FIRST_ROW + L.SUMMARY_CHART_ROWS - 1

    by_account = BarChart()
    by_account.type = "bar"
    by_account.title = "Gains and losses by account"
    by_account.x_axis.tickLblPos = "low"  # labels clear of the negative bars
    data = Reference(ws, min_col=a + 1, max_col=a + 2, min_row=head, max_row=last)
    by_account.add_data(data, titles_from_data=True)
    by_account.set_categories(Reference(ws, min_col=a, min_row=L.SUMMARY_FIRST_ROW, max_row=last))
    by_account.height, by_account.width = 8, 16
    ws.add_chart(by_account, f"A{L.SUMMARY_FIRST_ROW + len(L.SUMMARY_ROWS) + 2}")

    by_lot = BarChart()
    by_lot.type = "bar"
    by_lot.title = "Tax saving by planned lot"
    by_lot.add_data(
        Reference(ws, min_col=lot + 1, min_row=head, max_row=last), titles_from_data=True
    )
    by_lot.set_categories(Reference(ws, min_col=lot, min_row=L.SUMMARY_FIRST_ROW, max_row=last))
    by_lot.legend = None
    by_lot.x_axis.tickLblPos = "low"
    by_lot.height, by_lot.width = 8, 16
    ws.add_chart(by_lot, f"D{L.SUMMARY_FIRST_ROW + len(L.SUMMARY_ROWS) + 2}")
    font_all(ws)


SOURCES_COLUMNS = ("Parameter", "Year", "Value", "Source")


def sources_rows() -> list[tuple[str, str, str, str]]:
    """Every parameter in the data file with its source, as the Sources sheet lists it."""
    data = raw_parameters()
    rows: list[tuple[str, str, str, str]] = []
    for name, entry in data["statutory"].items():
        rows.append((name, "all", _show(entry["value"]), entry["source"]))
    for name, entry in data["penalties_and_limits"].items():
        if "value" in entry:
            rows.append((name, "all", _show(entry["value"]), entry["source"]))
        else:  # indexed by year
            for year, sub in sorted(entry.items()):
                rows.append((name, year, _show(sub["value"]), sub["source"]))
    for year, block in sorted(data["years"].items()):
        for name, value in block.items():
            if name == "source":
                continue
            if name == "amt":
                for sub, v in value.items():
                    if sub != "source":
                        rows.append((f"amt.{sub}", year, _show(v), value["source"]))
                continue
            rows.append((name, year, _show(value), block["source"]))
    return rows


def _show(value: object) -> str:
    """A parameter value as compact text (filing-status maps as 'single 1; mfj 2')."""
    if isinstance(value, dict):
        return "; ".join(f"{k} {_show(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str)


def sources(ws: Any) -> None:
    styles.title(
        ws,
        "Sources",
        "Every tax parameter harvest-xl uses, with its legal source "
        "(generated from harvest_xl/data/tax-parameters.json; do not edit).",
    )
    for c, text in enumerate(SOURCES_COLUMNS, start=1):
        cell = ws.cell(L.OUTPUT_HEADER_ROW, c, text)
        cell.font, cell.fill = HEADER_FONT, COMPUTED_HEADER_FILL
    for r, row in enumerate(sources_rows(), start=L.OUTPUT_HEADER_ROW + 1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c, value)
            cell.font = BODY_FONT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 6
    ws.column_dimensions["C"].width = 60
    ws.column_dimensions["D"].width = 90
    ws.freeze_panes = f"A{L.OUTPUT_HEADER_ROW + 1}"


def evaluation(ws: Any, rows: int) -> None:
    """The Evaluation sheet: one HX_HOLDINGS call whose rows the Holdings columns look up,
    entered as an array over the header and ``rows`` Holdings data rows (Excel 365 spills
    it to the table's size by itself; older Excel keeps the size Refresh last gave it)."""
    styles.title(
        ws,
        "Evaluation",
        "Every holding evaluated in one call (HX_HOLDINGS); the Holdings computed columns "
        "read their row here. Do not type on this sheet.",
    )
    last = get_column_letter(len(HOLDINGS_RESULT_COLUMNS))
    end = L.EVALUATION_HEADER_ROW + rows
    ws[L.EVALUATION_ANCHOR] = ArrayFormula(
        f"{L.EVALUATION_ANCHOR}:{last}{end}", "=" + EVALUATION_FORMULA
    )
    ws[WITHDRAWAL_ARRAY_ANCHOR] = ArrayFormula(WITHDRAWAL_COST_REF, "=" + WITHDRAWAL_COST_FORMULA)
    ws.cell(L.EVALUATION_HEADER_ROW - 1, column_index_from_string(WITHDRAWAL_ARRAY_COLUMN),
            "Withdrawal cost (the Withdrawal sheet shows it)").font = BOLD_FONT
    ws.column_dimensions[WITHDRAWAL_ARRAY_COLUMN].width = 16
    for i in range(len(WITHDRAWAL_COST_ROWS)):
        ws[f"{WITHDRAWAL_ARRAY_COLUMN}{L.EVALUATION_HEADER_ROW + i}"].number_format = MONEY_FORMAT
    # Hidden: its cells are the Holdings and Withdrawal results, shown there; a reader that
    # recalculates array formulas on opening (LibreOffice) would print errors here.
    ws.sheet_state = "hidden"
    formats = {f.column: f.number_format for f in HOLDINGS_FORMULAS}
    first = L.EVALUATION_HEADER_ROW + 1
    for c, header in enumerate(HOLDINGS_RESULT_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = (
            46 if header in ("Harvest", "Wash-sale risk", "Problem") else 16
        )
        if formats.get(header, "General") != "General":
            # The array's cells have no style of their own: numbers show as the Holdings
            # column shows them (a date, not its serial number; money with its $).
            last = first + EVALUATION_FORMAT_ROWS - 1
            format_rule(ws, c, first, last, formats[header], "ISNUMBER({cell})")
    font_all(ws)
