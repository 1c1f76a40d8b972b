"""The bundled workbook template, generated with openpyxl (committed as
``workbook/harvest-xl-template.xlsx``; ``harvest-xl template [PATH]`` regenerates it).

Input sheets hold Excel Tables whose computed columns are ``HX_`` formulas written as
table *calculated columns* (excel-integration.md §7.3), so a row the user adds in Excel
gets them too. Formulas use the canonical structured-reference form Excel stores on disk
(``Holdings[[#This Row],[Shares]]``, never ``[@Shares]``) and reach the Profile through
workbook-scoped defined names (``AsOfDate``, ``MinLoss`` …). UDF calls are stored with the
plain name, as Excel does for functions in the workbook's own VBA (§8.6); the add-in makes
them available. No post-2010 function is used, so nothing needs an ``_xlfn.`` prefix.

Every formula the template writes is declared once, in :data:`HOLDINGS_FORMULAS` and
:data:`WITHDRAWAL_FORMULAS`; :mod:`harvest_xl.excel.formula_values` mirrors each one in
Python (same HX_ calls, same arguments) so the headless refresh can store every formula
cell's value, and a test checks the mirror against the independent ``formulas`` engine.
Every Holdings computed column is a formula; the ones whose value needs more than the row
pass whole tables: the wash-sale risk reads Activity, Accounts, Recurring, Securities and
the Holdings input columns (``Table[#All]``, header included); the withdrawal columns read
the account's separation and SIMPLE start dates from Accounts.

The output is byte-deterministic (fixed document timestamps and zip entry times), so the
committed template can be compared with a fresh build.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableColumn, TableFormula, TableStyleInfo

from harvest_xl.engine.models import AccountType, FilingStatus, WashSalePolicy
from harvest_xl.engine.params import raw_parameters
from harvest_xl.engine.plan import PlanGoal
from harvest_xl.engine.profile import PROFILE_KEYS
from harvest_xl.excel import layout as L

TEMPLATE_NAME = "harvest-xl-template.xlsx"
PLAN_GOALS: tuple[str, ...] = tuple(g.value for g in PlanGoal)
FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)
"""Document created/modified stamp and zip entry time: a fresh build equals the commit."""

FONT_NAME = "Calibri"
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = '"$"#,##0.00;[Red]-"$"#,##0.00'
MONEY_WHOLE_FORMAT = '"$"#,##0;[Red]-"$"#,##0'
SHARES_FORMAT = "#,##0.####"
RATE_FORMAT = "0.00%"
TABLE_ROWS = 1
"""Data rows each input table ships with (blank, carrying the calculated columns)."""
FORMAT_ROWS = 1000
"""Rows below the header that get input formats, validation and conditional formatting."""

_WHITE = "FFFFFF"
INPUT_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
COMPUTED_HEADER_FILL = PatternFill("solid", fgColor="375623")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
"""Inputs: pale yellow, the spreadsheet convention for cells you type in."""
COMPUTED_FILL = PatternFill("solid", fgColor="EDEDED")
"""Computed: pale grey, filled by formulas or by Refresh."""
HARVEST_FILL = PatternFill("solid", fgColor="C6EFCE")
NO_TAX_FILL = PatternFill("solid", fgColor="D9D9D9")
RISK_FILL = PatternFill("solid", fgColor="FFC7CE")
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True, color="1F4E78")
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True, color=_WHITE)
BODY_FONT = Font(name=FONT_NAME, size=11)
NOTE_FONT = Font(name=FONT_NAME, size=10, italic=True, color="595959")
BOLD_FONT = Font(name=FONT_NAME, size=11, bold=True)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


# ------------------------------------------------------------------------ formulas


def this_row(table: str, column: str) -> str:
    """Canonical on-disk structured reference to ``column`` in the formula's own row."""
    return f"{table}[[#This Row],[{_escape(column)}]]"


def _escape(column: str) -> str:
    """Escape the characters Excel escapes with ``'`` inside a structured reference."""
    return "".join("'" + ch if ch in "[]#'" else ch for ch in column)


def _h(column: str) -> str:
    return this_row(L.HOLDINGS, column)


def _guard(expression: str) -> str:
    """Blank rows stay blank: no error text in an empty table row."""
    return f'IF({_h("Ticker")}="","",{expression})'


@dataclass(frozen=True, slots=True)
class ColumnFormula:
    """A computed column: its Excel formula (no ``=``), its number format, the UDFs it calls.

    ``formula`` None would mean Refresh writes the column from its engine pass; no column
    of the template needs that any more.
    """

    column: str
    formula: str | None
    number_format: str = "General"
    udfs: tuple[str, ...] = ()


ACCOUNT_NOT_FOUND = "#VALUE! account: not on the Accounts sheet"
"""Account type shown when a holding names an account the Accounts sheet lacks."""

WITHDRAWAL_COST_ROWS = (
    "Extra income tax",
    "Additional tax (penalty)",
    "State tax",
    "Total cost",
    "Net after all taxes",
    "Withheld at payment",
)
_TOTAL_COST_INDEX = WITHDRAWAL_COST_ROWS.index("Total cost") + 1


def _holdings_formulas() -> tuple[ColumnFormula, ...]:
    harvest, gain = _h("Harvest"), _h("Gain/Loss")
    return (
        ColumnFormula("Market value", _guard(f"{_h('Shares')}*{_h('Price')}"), MONEY_FORMAT),
        ColumnFormula(
            "Gain/Loss", _guard(f"{_h('Market value')}-{_h('Cost basis')}"), MONEY_FORMAT
        ),
        ColumnFormula("Term", _guard(f"HX_TERM({_h('Acquired')},AsOfDate)"), udfs=("HX_TERM",)),
        ColumnFormula(
            "Harvest",
            _guard(
                f"HX_LOT_HARVEST({_h('Account')},{_h('Ticker')},{_h('Shares')},"
                f"{_h('Cost basis')},{_h('Price')},{_h('Acquired')},AsOfDate,"
                f"{_all(L.ACTIVITY)},{_all(L.ACCOUNTS)},{_all(L.RECURRING)},"
                f"{_all(L.SECURITIES)},WashPolicy,{_holdings_inputs()},MinLoss,MinPct)"
            ),
            udfs=("HX_LOT_HARVEST",),
        ),
        ColumnFormula(
            "Wash-sale risk",
            _guard(
                f"HX_LOT_WASH_RISK({_h('Account')},{_h('Ticker')},{_h('Shares')},"
                f"{_h('Cost basis')},{_h('Price')},{_h('Acquired')},AsOfDate,"
                f"{_all(L.ACTIVITY)},{_all(L.ACCOUNTS)},{_all(L.RECURRING)},"
                f"{_all(L.SECURITIES)},WashPolicy,{_holdings_inputs()})"
            ),
            udfs=("HX_LOT_WASH_RISK",),
        ),
        ColumnFormula(
            "Safe rebuy",
            _guard(f'IF({_loss_to_sell(harvest)},HX_SAFE_REBUY(AsOfDate),"")'),
            DATE_FORMAT,
            udfs=("HX_SAFE_REBUY",),
        ),
        ColumnFormula(
            "Tax saving",
            _guard(
                f'IF(OR({_loss_to_sell(harvest)},LEFT({harvest},4)="Hold"),'
                f'IF({gain}<0,HX_SAVING(-{gain},{_h("Term")},ProfileRange),""),"")'
            ),
            MONEY_FORMAT,
            udfs=("HX_SAVING",),
        ),
        ColumnFormula(
            "Withdrawal penalty",
            _guard(
                f"HX_LOT_PENALTY({_h('Account')},{_h('Market value')},ProfileRange,"
                f"{_all(L.ACCOUNTS)})"
            ),
            MONEY_FORMAT,
            udfs=("HX_LOT_PENALTY",),
        ),
        ColumnFormula(
            "Withdrawal cost",
            _guard(
                f"HX_LOT_WITHDRAWAL_COST({_h('Account')},{_h('Market value')},ProfileRange,"
                f"{_all(L.ACCOUNTS)})"
            ),
            MONEY_FORMAT,
            udfs=("HX_LOT_WITHDRAWAL_COST",),
        ),
        ColumnFormula("Account type", _guard(_account_lookup("Type", ACCOUNT_NOT_FOUND))),
    )


WASH_BLOCKED_PREFIXES = ("Blocked", "At risk")
"""How the Harvest column starts for a loss a purchase of something substantially
identical would disallow (HX_LOT_HARVEST): the lot still has a loss to sell, so its
Safe rebuy and Tax saving are shown as for a harvestable lot."""


def _loss_to_sell(
    harvest: str, prefixes: tuple[str, ...] = ("Harvest", *WASH_BLOCKED_PREFIXES)
) -> str:
    """Excel: the Harvest cell starts with one of ``prefixes`` (by default Harvest, Blocked
    or At risk: a loss a sale today would realize)."""
    tests = [f'LEFT({harvest},{len(p)})="{p}"' for p in prefixes]
    return f"OR({','.join(tests)})"


def _all(table: str) -> str:
    """A whole table with its header row, as a UDF's table argument."""
    return f"{table}[#All]"


def _holdings_inputs() -> str:
    """The Holdings input columns with the header row (no computed column: no cycle)."""
    first, last = L.HOLDINGS_INPUTS[0], L.HOLDINGS_INPUTS[-1]
    return f"{L.HOLDINGS}[[#All],[{_escape(first)}]:[{_escape(last)}]]"


def _account_lookup(column: str, missing: str) -> str:
    index = L.ACCOUNTS_COLUMNS.index(column) + 1
    last = L.ACCOUNTS_COLUMNS[index - 1]
    return (
        f"IFERROR(VLOOKUP({_h('Account')},Accounts[[Account]:[{_escape(last)}]],{index},FALSE),"
        f'"{missing}")'
    )


HOLDINGS_FORMULAS: tuple[ColumnFormula, ...] = _holdings_formulas()
assert tuple(f.column for f in HOLDINGS_FORMULAS) == L.HOLDINGS_COMPUTED


# Withdrawal sheet: a what-if calculator for one withdrawal.
WITHDRAWAL_INPUT_ROW = 4
WITHDRAWAL_INPUTS: tuple[tuple[str, object, str, str], ...] = (
    # label, template value, number format, note
    (
        "Account type",
        "Traditional 401(k)",
        "General",
        "Any account type the Accounts sheet accepts.",
    ),
    ("Amount", 20000, MONEY_FORMAT, "Gross amount withdrawn (the includible amount)."),
    ("Birth date", None, DATE_FORMAT, "Blank: the Profile's birth date."),
    ("Withdrawal date", None, DATE_FORMAT, "Blank: the Profile's as-of date."),
    (
        "Exception",
        None,
        "General",
        "Form 5329 code or name (separation, sepp, medical …); blank = none.",
    ),
    ("Separation date", None, DATE_FORMAT, "Employer plans: when you left the employer."),
    ("SIMPLE start date", None, DATE_FORMAT, "SIMPLE IRA: first day of participation."),
)
WITHDRAWAL_OUTPUT_ROW = WITHDRAWAL_INPUT_ROW + len(WITHDRAWAL_INPUTS) + 1


def _withdrawal_cell(label: str) -> str:
    for i, (name, *_rest) in enumerate(WITHDRAWAL_INPUTS):
        if name == label:
            return f"$B${WITHDRAWAL_INPUT_ROW + i}"
    raise KeyError(label)


def _withdrawal_formulas() -> tuple[tuple[str, str], ...]:
    def w(label: str) -> str:
        cell = _withdrawal_cell(label)
        default = {"Birth date": "BirthDate", "Withdrawal date": "AsOfDate"}.get(label)
        return f'IF({cell}="",{default},{cell})' if default else cell

    cost = (
        f"HX_WITHDRAWAL_COST({w('Account type')},{w('Amount')},{w('Birth date')},"
        f"{w('Withdrawal date')},ProfileRange,{w('Exception')})"
    )
    rows = [
        (
            "Additional tax, this exception and dates",
            f"HX_PENALTY({w('Account type')},{w('Amount')},{w('Birth date')},"
            f"{w('Withdrawal date')},{w('Exception')},{w('Separation date')},"
            f"{w('SIMPLE start date')})",
        )
    ]
    rows += [(label, f"INDEX({cost},{i})") for i, label in enumerate(WITHDRAWAL_COST_ROWS, 1)]
    return tuple(rows)


WITHDRAWAL_FORMULAS: tuple[tuple[str, str], ...] = _withdrawal_formulas()
"""(label, formula) of each Withdrawal output row, from WITHDRAWAL_OUTPUT_ROW down."""


# --------------------------------------------------------------------------- build


def build_template() -> Workbook:
    """The template workbook (not saved)."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "harvest-xl"
    wb.properties.title = "harvest-xl: tax-loss harvesting and withdrawal costs"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "harvest-xl"
    for name in L.SHEETS:
        wb.create_sheet(name)
    _start(wb[L.START])
    _profile(wb)
    _table_sheet(wb[L.ACCOUNTS], L.ACCOUNTS, {}, _ACCOUNT_FORMATS, _ACCOUNT_NOTES)
    _table_sheet(
        wb[L.HOLDINGS],
        L.HOLDINGS,
        {f.column: f for f in HOLDINGS_FORMULAS},
        _HOLDINGS_FORMATS,
        _HOLDINGS_NOTES,
    )
    _table_sheet(wb[L.ACTIVITY], L.ACTIVITY, {}, _ACTIVITY_FORMATS, _ACTIVITY_NOTES)
    _table_sheet(wb[L.RECURRING], L.RECURRING, {}, _RECURRING_FORMATS, _RECURRING_NOTES)
    _table_sheet(wb[L.SECURITIES], L.SECURITIES, {}, {}, _SECURITIES_NOTES)
    _validations(wb)
    _holdings_highlights(wb[L.HOLDINGS])
    _output_sheet(
        wb[L.PLAN],
        "Harvest plan",
        "Lots to sell, best first, on the as-of date (specific identification). "
        "Written by Refresh.",
        L.PLAN_COLUMNS,
        _PLAN_FORMATS,
    )
    _plan_highlights(wb[L.PLAN])
    _output_sheet(
        wb[L.WASH_SALES],
        "Wash sales",
        "Loss sales caught by the 61-day rule (IRC §1091) in the Activity sheet. "
        "Written by Refresh.",
        L.WASH_SALES_COLUMNS,
        _WASH_FORMATS,
    )
    _wash_highlights(wb[L.WASH_SALES])
    _withdrawal(wb[L.WITHDRAWAL])
    _summary(wb[L.SUMMARY])
    _sources(wb[L.SOURCES])
    wb.active = 0
    return wb


def save_template(path: str | Path) -> Path:
    """Build the template and write it byte-deterministically to ``path``."""
    path = Path(path)
    buffer = io.BytesIO()
    build_template().save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(deterministic_zip(buffer.getvalue()))
    return path


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_FIXED_MODIFIED = rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>"


def deterministic_zip(data: bytes) -> bytes:
    """The same package with fixed entry times (content and order unchanged)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = _MODIFIED.sub(_FIXED_MODIFIED, content)
            dst.writestr(fixed, content)
    return out.getvalue()


# ------------------------------------------------------------------------- sheets

_ACCOUNT_FORMATS = {
    "Separation date": DATE_FORMAT,
    "SIMPLE start date": DATE_FORMAT,
    "Roth first contribution year": "0",
}
_ACCOUNT_NOTES = {
    "Account": "A name you choose; Holdings, Activity and Recurring refer to it.",
    "Type": "Taxable, Traditional 401(k), Roth 401(k), 403(b), Governmental 457(b), "
    "Traditional IRA, Roth IRA, SEP IRA, SIMPLE IRA or HSA.",
    "Owner": "self or spouse (a spouse's purchases count for wash sales).",
    "Separation date": "Employer plans: the date you left that employer (age-55 rule).",
    "SIMPLE start date": "SIMPLE IRA: first day of participation (25% penalty for 2 years).",
    "Roth first contribution year": "Roth accounts: year of the first contribution (5-year rule).",
}
_HOLDINGS_FORMATS = {
    "Shares": SHARES_FORMAT,
    "Acquired": DATE_FORMAT,
    "Cost basis": MONEY_FORMAT,
    "Price": MONEY_FORMAT,
}
_HOLDINGS_NOTES = {
    "Account": "An account from the Accounts sheet.",
    "Ticker": "Symbol as your broker shows it.",
    "Shares": "Shares in this lot.",
    "Acquired": "Trade date you bought the lot.",
    "Cost basis": "Total cost of the lot as paid (before wash-sale adjustments).",
    "Price": "Current price per share.",
    "Harvest": "Harvest …: selling now realizes a loss worth harvesting. Blocked / At risk …: "
    "a purchase within 30 days (named) would make it a wash sale. Hold …: gain or small loss. "
    "No tax effect …: sales inside a 401(k), IRA, Roth or HSA never reach your return.",
    "Wash-sale risk": "What would turn a sale today into a wash sale: purchases of the same or "
    "a substantially identical security in the last 30 days or scheduled in the next 30.",
    "Tax saving": "Federal + state tax saved by selling this lot alone today.",
    "Withdrawal penalty": "Additional tax (10%/25%/20%) if this lot's value were withdrawn "
    "on the as-of date, with the account's dates from Accounts (— for a taxable account).",
    "Withdrawal cost": "Total tax cost (income tax, penalty, state) of withdrawing this value "
    "on the as-of date. A Roth's depends on its contributions and conversions: use "
    "HX_ROTH_TAXABLE / HX_ROTH_PENALTY (Roth IRA) or HX_ROTH401K_TAXABLE / "
    "HX_ROTH401K_PENALTY (Roth 401(k)).",
}
_ACTIVITY_FORMATS = {
    "Date": DATE_FORMAT,
    "Shares": SHARES_FORMAT,
    "Price": MONEY_FORMAT,
    "Cost basis": MONEY_FORMAT,
    "Acquired": DATE_FORMAT,
}
_ACTIVITY_NOTES = {
    "Date": "Trade date.",
    "Action": "BUY (incl. dividend reinvestment, contributions) or SELL.",
    "Cost basis": "SELL rows: total cost of the shares sold, as paid.",
    "Acquired": "SELL rows: date the sold shares were bought.",
}
_RECURRING_FORMATS = {"Amount": MONEY_FORMAT, "Next date": DATE_FORMAT}
_RECURRING_NOTES = {
    "Amount": "Dollars invested each time.",
    "Frequency": "weekly, biweekly, semimonthly, monthly, quarterly, semiannually or annually.",
    "Next date": "Next scheduled purchase.",
}
_SECURITIES_NOTES = {
    "Identical group": "Tickers with the same group name are substantially identical "
    "(e.g. share classes of one fund). harvest-xl never guesses.",
    "Substitute": "A similar but not identical fund to hold while waiting out the 30 days.",
}


def _font_all(ws: Any, font: Font = BODY_FONT) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if cell.font is None or cell.font.name != FONT_NAME:
                cell.font = font


def _title(ws: Any, title: str, note: str | None = None) -> None:
    ws["A1"] = title
    ws["A1"].font = TITLE_FONT
    if note:
        ws["A2"] = note
        ws["A2"].font = NOTE_FONT


def _start(ws: Any) -> None:
    _title(
        ws,
        "harvest-xl",
        "What each holding is worth harvesting, what a wash sale costs, "
        "and what an early withdrawal really costs.",
    )
    steps = [
        (
            "1. Profile",
            "Fill the Profile sheet: tax year, filing status, income so far, "
            "carryovers, state rate, thresholds and the as-of date (the day you would sell).",
        ),
        (
            "2. Accounts",
            "List every account (yours and your spouse's) with its type: "
            "Taxable, 401(k), IRA, Roth, HSA …",
        ),
        (
            "3. Holdings",
            "Type each lot: account, ticker, shares, acquired date, cost basis, "
            "current price. Yellow cells are yours; grey cells are computed.",
        ),
        (
            "4. Activity, Recurring, Securities",
            "Recent trades (last 60 days), scheduled "
            "purchases (401(k) payroll, dividend reinvestment) and which tickers are identical.",
        ),
        (
            "5. Refresh",
            "Harvest tab > Refresh in Excel, or `harvest-xl refresh BOOK.xlsx` "
            "without Excel. Then read Plan, Wash sales, Withdrawal and Summary.",
        ),
    ]
    for i, (step, text) in enumerate(steps, start=4):
        ws.cell(i, 1, step).font = BOLD_FONT
        ws.cell(i, 2, text).font = BODY_FONT
        ws.cell(i, 2).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(i, 1).alignment = Alignment(vertical="top")
        ws.row_dimensions[i].height = 32
    row = 4 + len(steps) + 1
    legend = [
        ("Input", INPUT_FILL, "Cells you type in."),
        ("Computed", COMPUTED_FILL, "Formulas or Refresh output; do not type here."),
        ("Harvest", HARVEST_FILL, "Selling realizes a loss worth harvesting."),
        ("No tax effect", NO_TAX_FILL, "Inside a retirement account or HSA: no loss to harvest."),
        ("Wash-sale risk", RISK_FILL, "A purchase would disallow the loss."),
    ]
    ws.cell(row, 1, "Colours").font = BOLD_FONT
    for i, (label, fill, text) in enumerate(legend, start=row + 1):
        ws.cell(i, 1, label).fill = fill
        ws.cell(i, 1).font = BODY_FONT
        ws.cell(i, 2, text).font = BODY_FONT
    row += len(legend) + 2
    notes = [
        "Errors: a cell with an error message names the argument and what to fix in that row; "
        "the Summary sheet lists every problem Refresh found, by sheet, row and column.",
        "Every tax figure used is listed, with its legal source, on the Sources sheet.",
        "harvest-xl is a calculator, not tax advice. Rates are fractions: 5% = 0.05.",
    ]
    for i, text in enumerate(notes, start=row):
        ws.cell(i, 1, text).font = NOTE_FONT
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 110
    _font_all(ws)


_PROFILE_DEFAULTS: dict[str, tuple[object, str, str]] = {
    # key: (template value, number format, note)
    "Tax year": (2026, "0", "2018 to 2026."),
    "Filing status": (
        "Married filing jointly",
        "General",
        "single, mfj, mfs, hoh, qss or the long names.",
    ),
    "Birth date": (None, DATE_FORMAT, "For age 55 / 59½ / 65 rules."),
    "Ordinary income": (
        0,
        MONEY_FORMAT,
        "Wages, interest, IRA withdrawals … before the standard deduction.",
    ),
    "Qualified dividends": (0, MONEY_FORMAT, "This year's qualified dividends."),
    "Realized short-term gains": (0, MONEY_FORMAT, "Net, this year so far (negative = loss)."),
    "Realized long-term gains": (0, MONEY_FORMAT, "Net, this year so far (negative = loss)."),
    "Short-term carryover": (0, MONEY_FORMAT, "Loss carried in from last year (positive)."),
    "Long-term carryover": (0, MONEY_FORMAT, "Loss carried in from last year (positive)."),
    "State tax rate": (0, RATE_FORMAT, "Flat state rate on capital gains and withdrawals."),
    "Minimum loss ($)": (0, MONEY_FORMAT, "Skip losses smaller than this."),
    "Minimum loss (%)": (0, RATE_FORMAT, "Skip losses smaller than this share of cost."),
    "Employer plan wash-sale policy": (
        "conservative",
        "General",
        "conservative or ignore: how 401(k)/HSA buys count.",
    ),
    "As-of date": (None, DATE_FORMAT, "The day you would sell (no clock is used)."),
}
assert tuple(_PROFILE_DEFAULTS) == tuple(PROFILE_KEYS)


def _profile(wb: Workbook) -> None:
    ws = wb[L.PROFILE]
    for c, text in enumerate(L.PROFILE_HEADER, start=1):
        cell = ws.cell(L.HEADER_ROW, c, text)
        cell.font = HEADER_FONT
        cell.fill = INPUT_HEADER_FILL
    for key, row in L.PROFILE_ROWS.items():
        value, fmt, note = _PROFILE_DEFAULTS[key]
        ws.cell(row, 1, key).font = BOLD_FONT
        cell = ws.cell(row, 2, value)
        cell.number_format = fmt
        cell.fill = INPUT_FILL
        cell.border = BOX
        ws.cell(row, 3, note).font = NOTE_FONT
    goal_row = L.PLAN_GOAL_ROW
    ws.cell(goal_row, 1, L.PLAN_GOAL_KEY).font = BOLD_FONT
    goal = ws.cell(goal_row, 2, PLAN_GOALS[1])
    goal.fill, goal.border = INPUT_FILL, BOX
    ws.cell(goal_row, 3, "How much loss the Plan harvests: " + ", ".join(PLAN_GOALS) + ".")
    ws.cell(goal_row, 3).font = NOTE_FONT
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 70
    ws.freeze_panes = "A2"
    for name, key in L.PROFILE_NAMES.items():
        ref = f"'{L.PROFILE}'!$B${L.PROFILE_ROWS[key]}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    last = L.PROFILE_LAST_ROW
    wb.defined_names[L.PROFILE_RANGE_NAME] = DefinedName(
        L.PROFILE_RANGE_NAME, attr_text=f"'{L.PROFILE}'!$A${L.FIRST_DATA_ROW}:$B${last}"
    )
    _font_all(ws)


def _table_sheet(
    ws: Any,
    name: str,
    formulas: dict[str, ColumnFormula],
    formats: dict[str, str],
    notes: dict[str, str],
) -> None:
    columns = L.TABLE_COLUMNS[name]
    last_row = L.HEADER_ROW + TABLE_ROWS
    table_columns = []
    for c, header in enumerate(columns, start=1):
        computed = header in formulas
        formula = formulas[header].formula if computed else None
        cell = ws.cell(L.HEADER_ROW, c, header)
        cell.font = HEADER_FONT
        cell.fill = COMPUTED_HEADER_FILL if computed else INPUT_HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if header in notes:
            cell.comment = Comment(notes[header], "harvest-xl", width=300, height=90)
        fmt = formulas[header].number_format if computed else formats.get(header, "General")
        fill = COMPUTED_FILL if computed else INPUT_FILL
        ws.column_dimensions[get_column_letter(c)].number_format = fmt
        for r in range(L.FIRST_DATA_ROW, last_row + 1):
            target = ws.cell(r, c)
            target.number_format = fmt
            target.fill = fill
            target.font = BODY_FONT
        column = TableColumn(id=c, name=header)
        if formula is not None:
            column.calculatedColumnFormula = TableFormula(attr_text=formula)
            for r in range(L.FIRST_DATA_ROW, last_row + 1):
                ws.cell(r, c).value = "=" + formula
        table_columns.append(column)
        ws.column_dimensions[get_column_letter(c)].width = _width(header, computed)
    ref = f"A{L.HEADER_ROW}:{get_column_letter(len(columns))}{last_row}"
    table = Table(
        displayName=name,
        ref=ref,
        tableStyleInfo=TableStyleInfo(name="TableStyleLight1", showRowStripes=False),
    )
    table._initialise_columns()
    table.tableColumns = table_columns
    ws.add_table(table)
    ws.freeze_panes = "C2" if name == L.HOLDINGS else "A2"
    ws.row_dimensions[L.HEADER_ROW].height = 30


_WIDE = {
    "Harvest": 46,
    "Wash-sale risk": 46,
    "Account": 18,
    "Roth first contribution year": 16,
    "Withdrawal penalty": 19,  # fits "Needs Roth history"
    "Withdrawal cost": 19,
}


def _width(header: str, computed: bool) -> float:
    return _WIDE.get(header, max(12, len(header) + 4 if not computed else 15))


def _list_validation(values: list[str], prompt: str) -> DataValidation:
    text = ",".join(values)
    if len(text) > 253:  # Excel's literal-list limit is 255 characters with the quotes
        raise ValueError(f"validation list too long: {text}")
    # "warning": the list is a guide; the synonyms harvest-xl accepts stay allowed.
    return DataValidation(
        type="list",
        formula1=f'"{text}"',
        allow_blank=True,
        errorStyle="warning",
        showErrorMessage=True,
        error=prompt,
        errorTitle="harvest-xl",
    )


def _column_range(name: str, column: str) -> str:
    c = get_column_letter(L.TABLE_COLUMNS[name].index(column) + 1)
    return f"{c}{L.FIRST_DATA_ROW}:{c}{L.FIRST_DATA_ROW + FORMAT_ROWS - 1}"


def _validations(wb: Workbook) -> None:
    types = [t.value for t in AccountType]
    dv = _list_validation(types, "Not a listed account type; harvest-xl accepts common synonyms.")
    dv.add(_column_range(L.ACCOUNTS, "Type"))
    wb[L.ACCOUNTS].add_data_validation(dv)
    owners = _list_validation(["self", "spouse"], "self or spouse")
    owners.add(_column_range(L.ACCOUNTS, "Owner"))
    wb[L.ACCOUNTS].add_data_validation(owners)

    profile = wb[L.PROFILE]
    statuses = [
        "Single",
        "Married filing jointly",
        "Married filing separately",
        "Head of household",
        "Qualifying surviving spouse",
    ]
    for status in statuses:  # every listed spelling must parse
        FilingStatus.parse(status)
    fs = _list_validation(statuses, "Not a listed filing status.")
    fs.add(f"B{L.PROFILE_ROWS['Filing status']}")
    profile.add_data_validation(fs)
    goals = _list_validation(list(PLAN_GOALS), "Not a listed goal.")
    goals.add(f"B{L.PLAN_GOAL_ROW}")
    profile.add_data_validation(goals)
    policy = _list_validation([p.value for p in WashSalePolicy], "conservative or ignore")
    policy.add(f"B{L.PROFILE_ROWS['Employer plan wash-sale policy']}")
    profile.add_data_validation(policy)

    actions = _list_validation(["BUY", "SELL"], "BUY or SELL (reinvestments are BUY).")
    actions.add(_column_range(L.ACTIVITY, "Action"))
    wb[L.ACTIVITY].add_data_validation(actions)
    freq = _list_validation(
        ["weekly", "biweekly", "semimonthly", "monthly", "quarterly", "semiannually", "annually"],
        "Not a listed frequency.",
    )
    freq.add(_column_range(L.RECURRING, "Frequency"))
    wb[L.RECURRING].add_data_validation(freq)
    wtype = _list_validation(types, "Not a listed account type.")
    wtype.add(f"B{WITHDRAWAL_INPUT_ROW}")
    wb[L.WITHDRAWAL].add_data_validation(wtype)


def _holdings_highlights(ws: Any) -> None:
    def col(name: str) -> str:
        return str(get_column_letter(L.HOLDINGS_COLUMNS.index(name) + 1))

    first, last = L.FIRST_DATA_ROW, L.FIRST_DATA_ROW + FORMAT_ROWS - 1
    harvest, risk = col("Harvest"), col("Wash-sale risk")
    row_range = f"A{first}:{get_column_letter(len(L.HOLDINGS_COLUMNS))}{last}"
    # Whole row pale green when harvestable, grey when it has no tax effect.
    ws.conditional_formatting.add(
        f"{harvest}{first}:{harvest}{last}",
        FormulaRule(
            formula=[f'LEFT(${harvest}{first},7)="Harvest"'],
            fill=HARVEST_FILL,
            font=Font(name=FONT_NAME, bold=True, color="006100"),
            stopIfTrue=True,
        ),
    )
    # A loss a wash sale would take away: the Harvest cell itself in the risk colours.
    ws.conditional_formatting.add(
        f"{harvest}{first}:{harvest}{last}",
        FormulaRule(
            formula=[_loss_to_sell(f"${harvest}{first}", WASH_BLOCKED_PREFIXES)],
            fill=RISK_FILL,
            font=Font(name=FONT_NAME, bold=True, color="9C0006"),
            stopIfTrue=True,
        ),
    )
    ws.conditional_formatting.add(
        row_range,
        FormulaRule(
            formula=[f'LEFT(${harvest}{first},13)="No tax effect"'],
            fill=NO_TAX_FILL,
            font=Font(name=FONT_NAME, color="595959"),
        ),
    )
    ws.conditional_formatting.add(
        f"{risk}{first}:{risk}{last}",
        FormulaRule(
            formula=[
                f'AND(${risk}{first}<>"",LEFT(${risk}{first},4)<>"None",'
                f'LEFT(${risk}{first},2)<>"No")'
            ],
            fill=RISK_FILL,
            font=Font(name=FONT_NAME, bold=True, color="9C0006"),
        ),
    )


_PLAN_FORMATS = {
    "Shares": SHARES_FORMAT,
    "Acquired": DATE_FORMAT,
    "Loss": MONEY_FORMAT,
    "Tax saving": MONEY_FORMAT,
    "Loss carried to next year": MONEY_FORMAT,
    "Safe rebuy": DATE_FORMAT,
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


def _output_sheet(
    ws: Any, title: str, note: str, columns: tuple[str, ...], formats: dict[str, str]
) -> None:
    _title(ws, title, note)
    for c, header in enumerate(columns, start=1):
        cell = ws.cell(L.OUTPUT_HEADER_ROW, c, header)
        cell.font = HEADER_FONT
        cell.fill = COMPUTED_HEADER_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        fmt = formats.get(header)
        width = (
            14 if header not in ("Why", "Account", "Sale account", "Replacement account") else 22
        )
        if header == "Why":
            width = 60
        ws.column_dimensions[get_column_letter(c)].width = width
        if fmt:
            ws.column_dimensions[get_column_letter(c)].number_format = fmt
    ws.freeze_panes = f"A{L.OUTPUT_HEADER_ROW + 1}"
    ws.row_dimensions[L.OUTPUT_HEADER_ROW].height = 30


def _plan_highlights(ws: Any) -> None:
    first = L.OUTPUT_HEADER_ROW + 1
    last = first + OUTPUT_ROWS - 1
    end = get_column_letter(len(L.PLAN_COLUMNS))
    ws.conditional_formatting.add(
        f"A{first}:{end}{last}",
        FormulaRule(formula=[f"ISNUMBER($A{first})"], fill=HARVEST_FILL),
    )


def _wash_highlights(ws: Any) -> None:
    first = L.OUTPUT_HEADER_ROW + 1
    last = first + OUTPUT_ROWS - 1
    lost = get_column_letter(L.WASH_SALES_COLUMNS.index("Permanently lost") + 1)
    end = get_column_letter(len(L.WASH_SALES_COLUMNS))
    ws.conditional_formatting.add(
        f"A{first}:{end}{last}",
        FormulaRule(formula=[f"${lost}{first}=TRUE"], fill=RISK_FILL),
    )


def _withdrawal(ws: Any) -> None:
    _title(
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
    for i, (label, formula) in enumerate(WITHDRAWAL_FORMULAS):
        r = WITHDRAWAL_OUTPUT_ROW + i
        ws.cell(r, 1, label).font = BOLD_FONT if label == "Total cost" else BODY_FONT
        cell = ws.cell(r, 2, "=" + formula)
        cell.number_format = MONEY_FORMAT
        cell.fill = COMPUTED_FILL
        cell.border = BOX
        if label == "Total cost":
            cell.font = BOLD_FONT
    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 70
    _font_all(ws)


def _summary(ws: Any) -> None:
    _title(ws, "Summary", "Schedule D with and without the harvest plan. Written by Refresh.")
    money = L.SUMMARY_ROWS.index(L.SUMMARY_MONEY_FROM)
    for i, label in enumerate(L.SUMMARY_ROWS):
        r = L.SUMMARY_FIRST_ROW + i
        ws.cell(r, 1, label).font = BOLD_FONT if label == "Total tax saving" else BODY_FONT
        cell = ws.cell(r, 2)
        cell.fill = COMPUTED_FILL
        cell.border = BOX
        if money <= i < L.SUMMARY_ROWS.index("Wash sales found") or label.startswith("Loss perm"):
            cell.number_format = MONEY_FORMAT
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
    _font_all(ws)


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


def _sources(ws: Any) -> None:
    _title(
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
