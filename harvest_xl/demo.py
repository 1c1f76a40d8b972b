"""``harvest-xl demo``: an example household, written into the template and refreshed.

The household (all dates fixed; the as-of date is 2026-11-27, no clock is read):

* a joint taxable account with winners (VTI) and losers (ARKK, INTC, VXUS, SPY);
* a traditional 401(k) buying an S&P 500 index fund (FXAIX) with every biweekly paycheck;
* a Roth IRA, a rollover (traditional) IRA, an HSA, and a SIMPLE IRA opened last year;
* recent trades: QQQ sold at a loss in the taxable account and bought back a week later
  in the IRA (the Rev. Rul. 2008-5 trap: the loss is lost for good), and 401(k) payroll
  purchases of FXAIX, which the Securities sheet marks as identical to SPY;
* a quarterly VXUS dividend reinvestment scheduled three weeks after the as-of date.

The Profile counts Activity's sales (*Count Activity sales* = Yes), so its realized gains
are those made outside Activity; the QQQ sale is the realized year's Form 8949 row: code W,
its whole $2,100 loss disallowed and lost for good.

A second household, a retired couple (``harvest-xl demo --retiree``), shows the Plan goal
``fill 0% bracket``: long-term gain sold and bought back at no federal tax.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from harvest_xl.engine.money import usd
from harvest_xl.excel import layout as L

AS_OF = date(2026, 11, 27)

PROFILE: dict[str, Any] = {
    "Tax year": 2026,
    "Filing status": "Married filing jointly",
    "Birth date": date(1982, 3, 14),
    "Ordinary income": 185000,
    "Qualified dividends": 2400,
    "Realized short-term gains": 4200,
    "Realized long-term gains": 9800,
    "Short-term carryover": 0,
    "Long-term carryover": 0,
    "State tax rate": 0.05,
    "Minimum loss ($)": 200,
    "Minimum loss (%)": 0.02,
    "Employer plan wash-sale policy": "conservative",
    "As-of date": AS_OF,
    "Count Activity sales": "Yes",
}

ACCOUNTS: list[list[Any]] = [
    # Account, Type, Owner, Separation date, SIMPLE start date, Roth first contribution year
    ["Joint brokerage", "Taxable", "self", None, None, None],
    ["401(k) Acme", "Traditional 401(k)", "self", None, None, None],
    ["Roth IRA", "Roth IRA", "self", None, None, 2015],
    ["Rollover IRA", "Traditional IRA", "self", None, None, None],
    ["HSA", "HSA", "self", None, None, None],
    ["SIMPLE IRA", "SIMPLE IRA", "self", None, date(2025, 3, 1), None],
]

HOLDINGS: list[list[Any]] = [
    # Account, Ticker, Shares, Acquired, Cost basis, Price
    ["Joint brokerage", "VTI", 120, date(2024, 2, 12), 26400, 300.0],
    ["Joint brokerage", "ARKK", 400, date(2025, 12, 1), 26000, 48.0],
    ["Joint brokerage", "INTC", 500, date(2024, 4, 2), 21500, 21.0],
    ["Joint brokerage", "VXUS", 300, date(2023, 6, 15), 18600, 58.0],
    ["Joint brokerage", "SPY", 50, date(2026, 3, 10), 33500, 640.0],
    ["401(k) Acme", "FXAIX", 900, date(2020, 1, 15), 90000, 230.0],
    ["401(k) Acme", "FXNAX", 2000, date(2021, 6, 1), 24000, 10.5],
    ["Roth IRA", "VTI", 200, date(2019, 5, 20), 30000, 300.0],
    ["Rollover IRA", "QQQ", 30, date(2026, 11, 12), 15300, 515.0],
    ["HSA", "VTSAX", 100, date(2022, 8, 1), 9500, 150.0],
    ["SIMPLE IRA", "VFIAX", 20, date(2025, 4, 1), 9600, 600.0],
]

ACTIVITY: list[list[Any]] = [
    # Date, Account, Action, Ticker, Shares, Price, Cost basis, Acquired
    [date(2026, 11, 5), "Joint brokerage", "SELL", "QQQ", 30, 480.0, 16500, date(2025, 12, 15)],
    [date(2026, 11, 6), "401(k) Acme", "BUY", "FXAIX", 3.5, 226.0, None, None],
    [date(2026, 11, 12), "Rollover IRA", "BUY", "QQQ", 30, 510.0, None, None],
    [date(2026, 11, 20), "401(k) Acme", "BUY", "FXAIX", 3.5, 228.0, None, None],
]

RECURRING: list[list[Any]] = [
    # Account, Ticker, Amount, Frequency, Next date
    ["401(k) Acme", "FXAIX", 800, "biweekly", date(2026, 12, 4)],
    ["Joint brokerage", "VXUS", 150, "quarterly", date(2026, 12, 18)],
]

SECURITIES: list[list[Any]] = [
    # Ticker, Identical group, Substitute
    ["SPY", "S&P 500", "SCHX"],
    ["VOO", "S&P 500", None],
    ["IVV", "S&P 500", None],
    ["FXAIX", "S&P 500", None],
    ["VFIAX", "S&P 500", None],
    ["QQQ", "Nasdaq-100", "VGT"],
    ["QQQM", "Nasdaq-100", None],
    ["VXUS", "Total international", "VEU"],
    ["IXUS", "Total international", None],
    ["ARKK", None, "IWO"],
    ["INTC", None, "SMH"],
]

WITHDRAWAL_AMOUNT = 20000
"""The what-if on the Withdrawal sheet: $20,000 from the 401(k)."""

# ------------------------------------------------------------------ the retired couple
# ``harvest-xl demo --retiree``: a couple of 68 and 69 living on Social Security ($48,000)
# and IRA withdrawals ($12,000), with a long-held fund far above its cost. Their deductions
# ($35,500 standard with the 65+ amounts, $12,000 senior) cover their ordinary income, so
# long-term gain is taxed at 0% — until each dollar of it has made enough Social Security
# taxable (50%, then 85% of the dollar) to lift ordinary income above the deductions. The
# Plan (goal ``fill 0% bracket``) finds that point on the exact return; a bracket table
# would put it at the $98,900 breakpoint. Their bond fund's loss would only cancel gains
# taxed at 0%, so the plan keeps it.
RETIREE_GOAL = "fill 0% bracket"
RETIREE_PROFILE: dict[str, Any] = {
    "Tax year": 2026,
    "Filing status": "Married filing jointly",
    "Birth date": date(1957, 6, 10),
    "Spouse birth date": date(1958, 9, 22),
    "Ordinary income": 12000,
    "Qualified dividends": 2000,
    "Realized short-term gains": 0,
    "Realized long-term gains": 5000,
    "Short-term carryover": 0,
    "Long-term carryover": 0,
    "Social Security benefits": 48000,
    "State tax rate": 0.04,
    "Minimum loss ($)": 200,
    "Minimum loss (%)": 0.02,
    "Employer plan wash-sale policy": "conservative",
    "As-of date": AS_OF,
}
RETIREE_ACCOUNTS: list[list[Any]] = [
    ["Joint brokerage", "Taxable", "self", None, None, None],
    ["Rollover IRA", "Traditional IRA", "self", None, None, None],
    ["Roth IRA", "Roth IRA", "spouse", None, None, 2012],
]
RETIREE_HOLDINGS: list[list[Any]] = [
    ["Joint brokerage", "VTI", 400, date(2012, 3, 5), 32000, 300.0],
    ["Joint brokerage", "VXUS", 500, date(2016, 8, 1), 25000, 62.0],
    ["Joint brokerage", "BND", 300, date(2021, 9, 1), 25500, 72.0],
    ["Rollover IRA", "VTI", 300, date(2014, 1, 2), 30000, 300.0],
    ["Roth IRA", "VXUS", 200, date(2019, 4, 2), 10400, 62.0],
]
RETIREE_SECURITIES: list[list[Any]] = [
    ["VTI", "US total market", "SCHB"],
    ["VXUS", "Total international", "VEU"],
    ["BND", None, "AGG"],
]


def fill_workbook(
    workbook: Any, tables: dict[str, list[list[Any]]], profile: dict[str, Any]
) -> None:
    """Type ``profile`` and ``tables`` into a template workbook, as a user (or another tool)
    would: values into the input cells, table rows from row 2 down. Rows past the table's
    end are left for the refresh to take in; a row may leave its last columns out (blank)."""
    ws = workbook[L.PROFILE]
    for key, value in profile.items():
        ws.cell(L.PROFILE_ROWS[key], 2).value = value
    for sheet, rows in tables.items():
        ws = workbook[sheet]
        header = [c.value for c in ws[L.HEADER_ROW]]
        inputs = L.TABLE_INPUTS[sheet]
        for i, row in enumerate(rows):
            if len(row) > len(inputs):
                raise ValueError(f"{sheet} row {i + 2}: {len(row)} values, {len(inputs)} columns")
            for name, value in zip(inputs, row, strict=False):
                ws.cell(L.FIRST_DATA_ROW + i, header.index(name) + 1).value = value


def demo_workbook() -> Any:
    """The template filled with the demo household (not refreshed)."""
    from harvest_xl.excel.formulas import WITHDRAWAL_INPUT_ROW, WITHDRAWAL_INPUTS
    from harvest_xl.excel.template import build_template

    wb = build_template()
    fill_workbook(
        wb,
        {
            L.ACCOUNTS: ACCOUNTS,
            L.HOLDINGS: HOLDINGS,
            L.ACTIVITY: ACTIVITY,
            L.RECURRING: RECURRING,
            L.SECURITIES: SECURITIES,
        },
        PROFILE,
    )
    labels = [row[0] for row in WITHDRAWAL_INPUTS]
    ws = wb[L.WITHDRAWAL]
    ws.cell(WITHDRAWAL_INPUT_ROW + labels.index("Account type"), 2).value = "Traditional 401(k)"
    ws.cell(WITHDRAWAL_INPUT_ROW + labels.index("Amount"), 2).value = WITHDRAWAL_AMOUNT
    return wb


def retiree_workbook() -> Any:
    """The template filled with the retired couple (not refreshed), Plan goal ``fill 0%
    bracket``."""
    from harvest_xl.excel.template import build_template

    wb = build_template()
    fill_workbook(
        wb,
        {
            L.ACCOUNTS: RETIREE_ACCOUNTS,
            L.HOLDINGS: RETIREE_HOLDINGS,
            L.ACTIVITY: [],
            L.RECURRING: [],
            L.SECURITIES: RETIREE_SECURITIES,
        },
        RETIREE_PROFILE,
    )
    wb[L.PROFILE].cell(L.PLAN_GOAL_ROW, 2).value = RETIREE_GOAL
    return wb


def write_demo(path: str | Path = "harvest-xl-demo.xlsx", *, overwrite: bool = True) -> Any:
    """Write the demo workbook, refreshed, to ``path`` (``.xlsx`` or ``.xlsm``); returns the
    refresh's FileReport. Nothing is written when the report has an error: a name that is
    not a workbook's, or an existing file with ``overwrite=False``."""
    return _write(demo_workbook(), path, overwrite)


def write_retiree_demo(
    path: str | Path = "harvest-xl-retiree-demo.xlsx", *, overwrite: bool = True
) -> Any:
    """:func:`write_demo` for the retired couple: a gain-harvesting plan."""
    return _write(retiree_workbook(), path, overwrite)


def _write(workbook: Any, path: str | Path, overwrite: bool) -> Any:
    from harvest_xl.excel.headless import FileReport, refresh_file
    from harvest_xl.excel.output_names import name_problem

    target = Path(path)
    problem = name_problem(target)
    if problem:
        return FileReport(target, error=problem)
    target.parent.mkdir(parents=True, exist_ok=True)
    unrefreshed = target.with_name(f".{target.name}.input.xlsx")
    buffer = io.BytesIO()
    workbook.save(buffer)
    unrefreshed.write_bytes(buffer.getvalue())
    try:
        return refresh_file(unrefreshed, target, overwrite=overwrite)
    finally:
        unrefreshed.unlink(missing_ok=True)


def demo_text(report: Any) -> str:
    """A short summary of the refreshed demo workbook, read back from its cells."""
    from openpyxl import load_workbook

    from harvest_xl.excel.formulas import PENALTY_LABEL, WITHDRAWAL_COST_ROWS, WITHDRAWAL_OUTPUT_ROW
    from harvest_xl.results import NO_WASH_RISK

    wb = load_workbook(report.target, data_only=True)
    lines = [f"Demo workbook written: {report.target}", "", "What to harvest (Plan sheet):"]
    lines += plan_lines(wb)
    summary = wb[L.SUMMARY]
    values = {
        summary.cell(r, 1).value: summary.cell(r, 2).value
        for r in range(L.SUMMARY_FIRST_ROW, L.SUMMARY_FIRST_ROW + len(L.SUMMARY_ROWS))
    }
    lines.append(
        f"Tax saved: {_usd(values['Total tax saving'])} "
        f"(federal {_usd(values['Federal saving'])}, state {_usd(values['State saving'])})"
    )
    lines += ["", "Wash-sale warnings:"]
    wash = wb[L.WASH_SALES]
    for row in wash.iter_rows(min_row=L.OUTPUT_HEADER_ROW + 1, values_only=True):
        if row[0] is None:
            break
        rec = dict(zip(L.WASH_SALES_COLUMNS, row, strict=False))
        fate = "lost for good" if rec["Permanently lost"] else "added to the new shares' basis"
        lines.append(
            f"  realized: {rec['Ticker']} sold {_day(rec['Sale date'])} in {rec['Sale account']},"
            f" rebought {_day(rec['Replacement date'])} in {rec['Replacement account']}: "
            f"{_usd(rec['Disallowed loss'])} of loss disallowed, {fate}"
        )
    holdings = wb[L.HOLDINGS]
    header = [c.value for c in holdings[L.HEADER_ROW]]
    risk_col, ticker_col = header.index("Wash-sale risk"), header.index("Ticker")
    for row in holdings.iter_rows(min_row=L.FIRST_DATA_ROW, values_only=True):
        if row[risk_col] and row[risk_col] != NO_WASH_RISK:
            lines.append(f"  {row[ticker_col]}: {row[risk_col]}")
    lines += ["", "Realized this year (Form 8949 sheet):", *_form8949_lines(wb)]
    ws = wb[L.WITHDRAWAL]
    costs = {
        label: ws.cell(WITHDRAWAL_OUTPUT_ROW + i, 2).value
        for i, label in enumerate((PENALTY_LABEL, *WITHDRAWAL_COST_ROWS))
    }
    lines += [
        "",
        f"Withdrawing {_usd(WITHDRAWAL_AMOUNT)} from the 401(k) now (Withdrawal sheet): "
        f"income tax {_usd(costs['Extra income tax'])}, penalty "
        f"{_usd(costs['Additional tax (penalty)'])}, state {_usd(costs['State tax'])}: "
        f"total {_usd(costs['Total cost'])}; you keep {_usd(costs['Net after all taxes'])}.",
    ]
    return "\n".join(lines)


def _form8949_lines(wb: Any) -> list[str]:
    """One line per Form 8949 row of the refreshed demo, as a person reads the form."""
    from harvest_xl.results import FORM_8949_COLUMNS

    out = []
    for row in wb[L.FORM_8949].iter_rows(min_row=L.OUTPUT_HEADER_ROW + 1, values_only=True):
        if row[2] is None:
            break
        rec = dict(zip(FORM_8949_COLUMNS, row, strict=False))
        code = f", code {rec['Code']} {_usd(rec['Adjustment'])}" if rec["Code"] else ""
        note = f" ({rec['Notes']})" if rec["Notes"] else ""
        out.append(
            f"  Part {rec['Part']} box {rec['Box']}: {rec['Description']} sold "
            f"{_day(rec['Date sold'])} in {rec['Account']}: proceeds {_usd(rec['Proceeds'])}, "
            f"basis {_usd(rec['Cost basis'])}{code}, gain or loss "
            f"{_usd(rec['Gain or loss'])}{note}"
        )
    return out


def plan_lines(wb: Any) -> list[str]:
    """The Plan sheet's planned rows, one line each, read back from the cells."""
    lines = []
    for row in wb[L.PLAN].iter_rows(min_row=L.OUTPUT_HEADER_ROW + 1, values_only=True):
        if row[0] is None:
            break
        rec = dict(zip(L.PLAN_COLUMNS, row, strict=False))
        if rec["Action"] == "Sell and buy back":
            lines.append(
                f"  {rec['Rank']}. sell {rec['Shares']:g} {rec['Ticker']} in {rec['Account']} "
                f"and buy them back today: long-term gain {_usd(rec['Gain realized'])} at no "
                f"federal tax (state tax {_usd(rec['State tax on gain'])})"
            )
            continue
        sub = f"; hold {rec['Substitute']} meanwhile" if rec["Substitute"] != "None known" else ""
        lines.append(
            f"  {rec['Rank']}. sell {rec['Shares']:g} {rec['Ticker']} in {rec['Account']} "
            f"({rec['Term']}): loss {_usd(rec['Loss'])}, saves {_usd(rec['Tax saving'])}; "
            f"rebuy from {_day(rec['Safe rebuy'])}{sub}"
        )
    return lines


def retiree_text(report: Any) -> str:
    """A short summary of the refreshed retiree workbook: its plan, read back from the
    cells, and the Plan sheet's own line."""
    from openpyxl import load_workbook

    wb = load_workbook(report.target, data_only=True)
    lines = [
        f"Retiree demo workbook written: {report.target}",
        "",
        f"Plan goal '{RETIREE_GOAL}' (Plan sheet):",
        *plan_lines(wb),
        "",
        str(wb[L.PLAN].cell(3, 1).value),
    ]
    for row in wb[L.PLAN].iter_rows(min_row=L.OUTPUT_HEADER_ROW + 1, values_only=True):
        rec = dict(zip(L.PLAN_COLUMNS, row, strict=False))
        if rec["Action"] == "Not sold":
            lines.append(f"  not sold: {rec['Ticker']} in {rec['Account']}: {rec['Flag']}")
    return "\n".join(lines)


def _day(value: Any) -> str:
    return value.date().isoformat() if hasattr(value, "date") else str(value)


def _usd(value: Any) -> str:
    """An amount read back from a cell, written as every amount is (engine.money.usd); a
    cell holding text (an error message) is shown as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return usd(Decimal(str(value)))
    return str(value)
