"""The bundled workbook template, generated with openpyxl (committed as
``workbook/harvest-xl-template.xlsx``; ``harvest-xl template [PATH]`` regenerates it).

This module builds the input sheets (Start, Profile, the Accounts, Holdings, Activity,
Recurring and Securities tables, their validation and highlights) and puts the workbook
together; the output sheets are :mod:`.template_outputs`, every formula is declared in
:mod:`.formulas`, the look in :mod:`.styles`, and the zip-level finishing (fixed times, the
dynamic array, the calculation settings) in :mod:`.package`.

Input sheets hold Excel Tables; the Holdings computed columns are table *calculated
columns* (excel-integration.md §7.3), so a row the user adds in Excel gets them too.

The output is byte-deterministic (fixed document timestamps and zip entry times), so the
committed template can be compared with a fresh build.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableColumn, TableFormula, TableStyleInfo

from harvest_xl.engine.lots import Action
from harvest_xl.engine.models import AccountType, FilingStatus, WashSalePolicy
from harvest_xl.engine.plan import PlanGoal
from harvest_xl.engine.profile import PROFILE_KEYS
from harvest_xl.excel import layout as L
from harvest_xl.excel import styles
from harvest_xl.excel import template_outputs as outputs
from harvest_xl.excel.formulas import (
    HOLDINGS_FORMULAS,
    WASH_BLOCKED_PREFIXES,
    WITHDRAWAL_INPUT_ROW,
    ColumnFormula,
    starts_with_any,
)
from harvest_xl.excel.package import FIXED_TIME, finish_package, set_current_calculation
from harvest_xl.excel.realized_sheets import form8949_sheet
from harvest_xl.excel.styles import (
    BODY_FONT,
    BOLD_FONT,
    BOX,
    COMPUTED_FILL,
    COMPUTED_HEADER_FILL,
    DATE_FORMAT,
    FONT_NAME,
    HARVEST_FILL,
    HEADER_FONT,
    INPUT_FILL,
    INPUT_HEADER_FILL,
    MONEY_FORMAT,
    NO_TAX_FILL,
    NOTE_FONT,
    RATE_FORMAT,
    RISK_FILL,
    SHARES_FORMAT,
    YEAR_FORMAT,
    font_all,
    print_setup,
    whole_shares_rule,
)

TEMPLATE_NAME = "harvest-xl-template.xlsx"
PLAN_GOALS: tuple[str, ...] = tuple(g.value for g in PlanGoal)
TABLE_ROWS = 1
"""Data rows each input table ships with (blank, carrying the calculated columns)."""
FORMAT_ROWS = 1000
"""Rows below the header that get input formats, validation and conditional formatting."""


def build_template() -> Workbook:
    """The template workbook (not saved)."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "harvest-xl"
    wb.properties.title = "harvest-xl: tax-loss harvesting and withdrawal costs"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "harvest-xl"
    set_current_calculation(wb)
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
    outputs.output_sheet(
        wb[L.PLAN],
        "Harvest plan",
        "Lots to sell, best first, on the as-of date (specific identification). "
        "Written by Refresh.",
        L.PLAN_COLUMNS,
        outputs._PLAN_FORMATS,
    )
    outputs.plan_highlights(wb[L.PLAN])
    outputs.output_sheet(
        wb[L.WASH_SALES],
        "Wash sales",
        "Loss sales caught by the 61-day rule (IRC §1091) in the Activity sheet. "
        "Written by Refresh.",
        L.WASH_SALES_COLUMNS,
        outputs._WASH_FORMATS,
    )
    outputs.wash_highlights(wb[L.WASH_SALES])
    form8949_sheet(wb[L.FORM_8949])
    outputs.withdrawal(wb[L.WITHDRAWAL])
    outputs.summary(wb[L.SUMMARY])
    outputs.sources(wb[L.SOURCES])
    outputs.evaluation(wb[L.EVALUATION], TABLE_ROWS)
    for ws in wb.worksheets:
        print_setup(ws, PRINT_TITLE_ROWS.get(ws.title))
    wb.active = 0
    return wb


PRINT_TITLE_ROWS: dict[str, int] = {
    L.PROFILE: L.HEADER_ROW,
    **{name: L.HEADER_ROW for name in L.TABLE_COLUMNS},
    L.PLAN: L.OUTPUT_HEADER_ROW,
    L.WASH_SALES: L.OUTPUT_HEADER_ROW,
    L.FORM_8949: L.OUTPUT_HEADER_ROW,
    L.SOURCES: L.OUTPUT_HEADER_ROW,
    L.EVALUATION: L.EVALUATION_HEADER_ROW,
}
"""The header row each table and output sheet repeats on every printed page (Start,
Withdrawal and Summary are one page, with no header row)."""


def save_template(path: str | Path, *, overwrite: bool = True) -> Path:
    """Build the template and write it byte-deterministically (and atomically) to ``path``;
    an ``.xlsm`` name gets a macro-enabled package. ``overwrite=False`` refuses an existing
    file (:class:`~harvest_xl.excel.atomic_write.FileExists`)."""
    from harvest_xl.excel.atomic_write import atomic_write_bytes
    from harvest_xl.excel.output_names import with_kind_of

    path = Path(path)
    buffer = io.BytesIO()
    build_template().save(buffer)
    data = with_kind_of(path, finish_package(buffer.getvalue(), deterministic=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, data, backup=False, overwrite=overwrite)
    return path


_ACCOUNT_FORMATS = {
    "Separation date": DATE_FORMAT,
    "SIMPLE start date": DATE_FORMAT,
    "Roth first contribution year": YEAR_FORMAT,
}
_ACCOUNT_NOTES = {
    "Account": "A name you choose; Holdings, Activity and Recurring refer to it.",
    "Type": "Taxable, Traditional 401(k), Roth 401(k), 403(b), Governmental 457(b), "
    "Traditional IRA, Roth IRA, SEP IRA, SIMPLE IRA or HSA.",
    "Owner": "self or spouse (a spouse's purchases count for wash sales).",
    "Separation date": "Employer plans: the date you left that employer (age-55 rule).",
    "SIMPLE start date": "SIMPLE IRA: first day of participation (25% penalty for 2 years).",
    "Roth first contribution year": "Roth accounts: year of the first contribution (5-year rule).",
    "Basis reported": "Taxable accounts, for Form 8949: Yes if the broker's 1099-B reports "
    "the cost basis to the IRS (box A/D), No if not (box B/E), no 1099-B (box C/F). Blank: "
    "by purchase date (reported for stock bought since 2011, funds since 2012).",
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


def _start(ws: Any) -> None:
    styles.title(
        ws,
        "harvest-xl",
        "What each holding is worth harvesting, what a wash sale costs, "
        "and what an early withdrawal really costs.",
    )
    steps = [
        (
            "1. Profile",
            "Fill the Profile sheet: tax year, filing status, income so far, carryovers, "
            "state rate, thresholds, the as-of date (the day you would sell), and the "
            "household's ages, Social Security and itemized deductions.",
        ),
        (
            "2. Import",
            "Harvest tab > Import, or `harvest-xl import BOOK.xlsx FILE...`: your broker's "
            "position, lot and history downloads fill Accounts, Holdings and Activity. "
            "Check each account's type.",
        ),
        (
            "3. Accounts, Holdings",
            "Or type them: every account (yours and your spouse's) with its type, and each lot "
            "(account, ticker, shares, acquired date, cost basis, price). Yellow cells are "
            "yours; grey cells are computed.",
        ),
        (
            "4. Activity, Recurring, Securities",
            "This year's trades (at least the last 60 days), scheduled purchases (401(k) "
            "payroll, dividend reinvestment) and which tickers are substantially identical.",
        ),
        (
            "5. Refresh",
            "Harvest tab > Refresh in Excel, or `harvest-xl refresh BOOK.xlsx` "
            "without Excel. Then read Plan, Wash sales, Form 8949, Withdrawal and Summary.",
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
    font_all(ws)


_PROFILE_DEFAULTS: dict[str, tuple[object, str, str]] = {
    # key: (template value, number format, note)
    "Tax year": (2026, YEAR_FORMAT, "2018 to 2026."),
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
    "Realized short-term gains": (
        0,
        MONEY_FORMAT,
        "Net, realized this year OUTSIDE the Activity sheet (negative = loss); with Count "
        "Activity sales = No, all of this year's.",
    ),
    "Realized long-term gains": (
        0,
        MONEY_FORMAT,
        "Net, realized this year OUTSIDE the Activity sheet (negative = loss); with Count "
        "Activity sales = No, all of this year's.",
    ),
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
    "Spouse birth date": (None, DATE_FORMAT, "Joint returns: for the 65-or-older amounts."),
    "Blind (people)": (0, "0", "How many people on the return are blind (0, 1 or 2)."),
    "Social Security benefits": (
        0,
        MONEY_FORMAT,
        "This year's benefits (SSA-1099 box 5); up to 85% is taxed (IRC §86).",
    ),
    "Tax-exempt interest": (0, MONEY_FORMAT, "Municipal bond interest (counts for §86)."),
    "State and local taxes": (
        0,
        MONEY_FORMAT,
        "Itemized: state income (or sales) tax plus property tax, before the cap.",
    ),
    "Mortgage interest": (0, MONEY_FORMAT, "Itemized: home mortgage interest (Form 1098)."),
    "Charitable gifts": (0, MONEY_FORMAT, "Gifts to charity this year."),
    "Other itemized deductions": (0, MONEY_FORMAT, "Any other Schedule A deductions."),
    "Count Activity sales": (
        "Yes",
        "General",
        "Yes: the Activity sheet's sales of the tax year (after wash sales) count in every "
        "saving, added to the realized gains above. No: only the figures typed above count.",
    ),
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
    ws.cell(
        goal_row,
        3,
        "What the Plan harvests: "
        + ", ".join(PLAN_GOALS)
        + " (losses first, then long-term gains taxed at 0%, sold and bought back).",
    )
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
    font_all(ws)


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
        if fmt == SHARES_FORMAT:
            whole_shares_rule(ws, c, L.FIRST_DATA_ROW, L.FIRST_DATA_ROW + FORMAT_ROWS - 1)
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
    reported = _list_validation(["Yes", "No", "no 1099-B"], "Yes, No or no 1099-B (or blank)")
    reported.add(_column_range(L.ACCOUNTS, "Basis reported"))
    wb[L.ACCOUNTS].add_data_validation(reported)

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
    counting = _list_validation(["Yes", "No"], "Yes or No")
    counting.add(f"B{L.PROFILE_ROWS['Count Activity sales']}")
    profile.add_data_validation(counting)

    actions = _list_validation(
        [a.value for a in Action],
        "BUY or SELL (reinvestments are BUY); TRANSFER IN / OUT and SPLIT from broker files.",
    )
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
            formula=[starts_with_any(f"${harvest}{first}", WASH_BLOCKED_PREFIXES)],
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


