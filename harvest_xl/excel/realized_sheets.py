"""The realized year in the workbook (issue 17): the Form 8949 sheet and the Summary's
realized-year rows, written by Refresh, and the sheet's place in the template.

One computation, :func:`realized_of`, from what :func:`~harvest_xl.excel.inputs.read_inputs`
read (the Profile's tax year and filing status, Activity, Accounts' *Basis reported*, the
identical groups): the share-by-share ledger's realized blocks (the refresh hands over the
one its evaluation already ran) to Form 8949 rows and Schedule D
(:func:`harvest_xl.engine.realized_year.realized_year`). The refresh and the ``form8949``
command both call it; the rows are shaped into cells by :mod:`harvest_xl.results`, as
``HX_FORM8949`` shapes them.

What the user must fix or check becomes a :class:`~harvest_xl.excel.problems.Problem` at
the sale's Activity row: a sale whose shares Activity cannot account for (basis unknown)
is a problem; a provisional loss, a spouse's sale off a joint return and a type of gain to
check on the 1099-B are warnings. Every other row is still written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from harvest_xl.engine.form8949 import Form8949Row, IssueKind, RowIssue
from harvest_xl.engine.money import usd
from harvest_xl.engine.names import fold
from harvest_xl.engine.realized_year import RealizedYear, realized_year
from harvest_xl.engine.wash_sale import WashSaleResult, analyse_wash_sales
from harvest_xl.excel import layout as L
from harvest_xl.excel import styles
from harvest_xl.excel.book import BookAdapter
from harvest_xl.excel.inputs import Inputs
from harvest_xl.excel.problems import Problem
from harvest_xl.results import FORM_8949_COLUMNS, form8949_cells

ZERO = Decimal(0)
LINE_ROW = 3
"""The Form 8949 sheet's line of totals (what the rows add up to, what to check)."""
HEADER_ROW = L.OUTPUT_HEADER_ROW
FIRST_ROW = HEADER_ROW + 1
OUTPUT_ROWS = 500
"""Rows below the header that carry the template's formats and highlight."""

_FORMATS = {
    "Date acquired": styles.DATE_FORMAT,
    "Date sold": styles.DATE_FORMAT,
    "Proceeds": styles.MONEY_FORMAT,
    "Cost basis": styles.MONEY_FORMAT,
    "Adjustment": styles.MONEY_FORMAT,
    "Gain or loss": styles.MONEY_FORMAT,
    "Activity row": "0",
}
_WIDTHS = {"Part": 6, "Box": 6, "Description": 22, "Code": 7, "Account": 22, "Notes": 70}
_NO_PROFILE = "No Form 8949: fix the Profile problems listed on the Summary sheet and refresh."


# ------------------------------------------------------------------------ template


def form8949_sheet(ws: Any) -> None:
    """The template's Form 8949 sheet: title, note, header row; rows of unknown basis are
    shown in the risk colour."""
    styles.title(
        ws,
        "Form 8949",
        "Sales of the tax year in taxable accounts (Activity sheet), one row per lot sold, "
        "in Form 8949's columns (a)-(h). Written by Refresh. To import into tax software: "
        "harvest-xl form8949 BOOK (CSV) or -o OUT.txf (TXF).",
    )
    for c, header in enumerate(FORM_8949_COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, c, header)
        cell.font = styles.HEADER_FONT
        cell.fill = styles.COMPUTED_HEADER_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = _WIDTHS.get(header, 14)
        fmt = _FORMATS.get(header)
        if fmt:
            ws.column_dimensions[letter].number_format = fmt
    proceeds = get_column_letter(FORM_8949_COLUMNS.index("Proceeds") + 1)
    basis = get_column_letter(FORM_8949_COLUMNS.index("Cost basis") + 1)
    end = get_column_letter(len(FORM_8949_COLUMNS))
    last = FIRST_ROW + OUTPUT_ROWS - 1
    ws.conditional_formatting.add(
        f"A{FIRST_ROW}:{end}{last}",
        FormulaRule(
            formula=[f'AND(ISNUMBER(${proceeds}{FIRST_ROW}),${basis}{FIRST_ROW}="")'],
            fill=styles.RISK_FILL,
        ),
    )
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.row_dimensions[HEADER_ROW].height = 30
    styles.font_all(ws)


# --------------------------------------------------------------------- computation


def activity_through(inputs: Inputs, year: int) -> date:
    """The last day the Activity sheet covers: its last trade or the as-of date, whichever
    is later (the user has typed the trades up to the day they work on); without either,
    the last day of the tax year. A loss sold fewer than 31 days before it is provisional."""
    days = [a.date for a in inputs.activity]
    if inputs.profile is not None and inputs.profile.as_of is not None:
        days.append(inputs.profile.as_of)
    return max(days, default=date(year, 12, 31))


def realized_of(
    inputs: Inputs,
    wash: WashSaleResult | None = None,
    taxable_income: Decimal | None = None,
    *,
    whole_dollars: bool = False,
) -> RealizedYear | None:
    """The realized year of the Profile's tax year, or None without a Profile. ``wash`` is
    the ledger an evaluation already ran over the same Activity (else it is run here);
    ``taxable_income`` (Form 1040 line 15 without its floor) gives the carryover."""
    profile = inputs.profile
    if profile is None:
        return None
    if wash is None:
        wash = analyse_wash_sales(inputs.activity, inputs.identical, profile.wash_policy)
    return realized_year(
        wash.realized_in_year(profile.tax_year),
        profile,
        activity_through=activity_through(inputs, profile.tax_year),
        reporting=inputs.basis_reporting,
        taxable_income=taxable_income,
        whole_dollars=whole_dollars,
    )


# ----------------------------------------------------------------------- problems


_WARNINGS = {
    IssueKind.PROVISIONAL: (
        "Date",
        "add the purchases made up to 30 days after the sale to Activity (or refresh again "
        "once they are known); the row may still change",
    ),
    IssueKind.SPOUSE_NOT_ON_RETURN: (
        "Account",
        "nothing to do on this return: the spouse reports it (or file jointly)",
    ),
    IssueKind.TERM_ON_1099_UNCERTAIN: (
        "Acquired",
        "compare the type of gain on the 1099-B with the Form 8949 row's part",
    ),
}


def realized_problems(
    realized: RealizedYear, columns: dict[str, int] | None = None
) -> list[Problem]:
    """What the user must fix (a sale of shares Activity cannot account for) and check
    (provisional rows, a spouse's sale, a type of gain), each at the sale's Activity row.

    ``columns``: Activity header -> column number, to name the cell."""
    located = columns or {}
    rows = realized.form8949.rows
    problems: list[Problem] = []
    unknown_done: set[int | None] = set()
    for issue in realized.form8949.issues:
        if issue.kind is IssueKind.BASIS_UNKNOWN:
            if issue.sale_row in unknown_done:
                continue
            unknown_done.add(issue.sale_row)
            problems.append(_unknown_basis(issue, rows, located))
            continue
        column, fix = _WARNINGS[issue.kind]
        problems.append(
            Problem(
                L.ACTIVITY,
                issue.sale_row,
                column,
                f"warning: {issue.ticker} sold {issue.date_sold.isoformat()}: {issue.message}",
                fix,
                located.get(fold(column)),
                warning=True,
            )
        )
    return problems


def _unknown_basis(
    issue: RowIssue, rows: Sequence[Form8949Row], columns: dict[str, int]
) -> Problem:
    """A sale some of whose shares Activity does not show being bought (a SELL of more
    shares than bought, or before the purchase): their basis is unknown."""
    sale = [r for r in rows if r.sale_row == issue.sale_row and r.block.sold == issue.date_sold]
    unknown = sum((r.shares for r in sale if r.cost_basis is None), ZERO)
    known = sum((r.shares for r in sale if r.cost_basis is not None), ZERO)
    sold = unknown + known
    return Problem(
        L.ACTIVITY,
        issue.sale_row,
        "Shares",
        f"sells {_shares(sold)} {issue.ticker} on {issue.date_sold.isoformat()}, but Activity "
        f"shows only {_shares(known)} bought in {issue.account} before the sale: "
        f"{_shares(unknown)} have an unknown basis (their Form 8949 row says so and Schedule "
        "D leaves it out)",
        "add the missing purchase to Activity, or type the sold lot's Cost basis and Acquired "
        "on this row (from the broker's 1099-B)",
        columns.get(fold("Shares")),
    )


def _shares(value: Decimal) -> str:
    return format(value.normalize(), "f")


def activity_columns(book: BookAdapter) -> dict[str, int]:
    """The Activity table's header -> column number (headers compared folded)."""
    if L.ACTIVITY not in book.sheet_names():
        return {}
    block = book.read_block(L.ACTIVITY)
    if len(block.values) < L.HEADER_ROW:
        return {}
    header = block.values[L.HEADER_ROW - 1]
    return {fold(v): c for c, v in enumerate(header, start=1) if isinstance(v, str)}


# ------------------------------------------------------------------------ writers


def write_form8949(book: BookAdapter, inputs: Inputs, portfolio: Any) -> RealizedYear | None:
    """Compute the realized year, add its problems to ``inputs.problems`` and write the
    Form 8949 sheet (when the workbook has it): the line of totals, then the rows.

    ``portfolio``: the refresh's evaluation (its ledger is reused, and its return before
    the plan gives the taxable income for the carryover), or None."""
    wash = taxable_income = None
    if portfolio is not None:
        wash = portfolio.wash
        taxable_income = portfolio.summary.before.taxable_income_unfloored
    realized = realized_of(inputs, wash, taxable_income)
    if realized is not None:
        inputs.problems.extend(realized_problems(realized, activity_columns(book)))
    if L.FORM_8949 not in book.sheet_names():
        return realized
    rows = [] if realized is None else [form8949_cells(r) for r in realized.form8949.rows]
    _replace_rows(book, rows)
    line = _NO_PROFILE if realized is None else form8949_line(realized)
    book.write_values(L.FORM_8949, LINE_ROW, 1, [[line]])
    return realized


def _replace_rows(book: BookAdapter, rows: list[list[Any]]) -> None:
    block = book.read_block(L.FORM_8949)
    old_last = block.row + len(block.values) - 1
    if old_last >= FIRST_ROW:
        book.clear(L.FORM_8949, FIRST_ROW, 1, old_last - FIRST_ROW + 1, len(FORM_8949_COLUMNS))
    if rows:
        book.write_values(L.FORM_8949, FIRST_ROW, 1, rows)


def form8949_line(realized: RealizedYear) -> str:
    """The sheet's line 3: the year, the count, the two parts' totals and what to check."""
    report = realized.schedule_d
    rows = realized.form8949.rows
    text = (
        f"Tax year {realized.form8949.year}: {len(rows)} row(s). Part I (short-term) "
        f"{usd(report.realized_short_term)}, Part II (long-term) "
        f"{usd(report.realized_long_term)} (column (h), Schedule D lines 1b-3 and 8b-10)."
    )
    if report.unknown_basis_rows:
        text += f" {report.unknown_basis_rows} row(s) of unknown basis are left out."
    provisional = sum(1 for r in rows if r.provisional)
    if provisional:
        text += f" {provisional} row(s) provisional (see Notes)."
    return text


def summary_values(realized: RealizedYear | None) -> dict[str, Any]:
    """The Summary's realized-year rows by label (None where nothing is known: no Profile,
    or no carryover without an evaluation)."""
    values: dict[str, Any] = dict.fromkeys(L.REALIZED_SUMMARY_ROWS)
    if realized is None:
        return values
    report = realized.schedule_d
    labels = L.REALIZED_SUMMARY_ROWS
    figures: Iterable[Decimal | int | None] = (
        report.realized_short_term,
        report.realized_long_term,
        report.line_7,
        report.line_15,
        report.line_16,
        report.line_21,
        None if report.carryover is None else report.carryover.short_term,
        None if report.carryover is None else report.carryover.long_term,
        report.unknown_basis_rows,
    )
    for label, figure in zip(labels, figures, strict=True):
        values[label] = float(figure) if isinstance(figure, Decimal) else figure
    return values


def write_realized_summary(book: BookAdapter, realized: RealizedYear | None) -> dict[str, Any]:
    """Write the realized-year rows into the Summary's value column, each beside its label
    (a Summary without them, from an older workbook, is left alone); returns the values."""
    values = summary_values(realized)
    if L.SUMMARY not in book.sheet_names():
        return values
    block = book.read_block(L.SUMMARY)
    for i, line in enumerate(block.values):
        label = line[0] if line else None
        if isinstance(label, str) and label in values:
            book.write_values(L.SUMMARY, block.row + i, 2, [[values[label]]])
    return values
