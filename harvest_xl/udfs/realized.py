# mypy: allow-untyped-defs, allow-untyped-calls
# (UDF parameters stay unannotated: the classic xlwings decorator turns a parameter's
# annotation into a converter, and cells arrive as anything at all.)
"""The realized year from the workbook's tables: HX_FORM8949.

It reads the Activity, Accounts and Securities tables with their header rows, as the other
table functions do (:mod:`harvest_xl.inputs.tables`), runs the share-by-share ledger and
returns the Form 8949 rows as the Form 8949 sheet shows them
(:func:`harvest_xl.results.form8949_table`). A bad row is left out and listed below the
rows, in the Notes column; everything else is still computed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import xlwings as xw

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.form8949 import Form8949Row, form8949_rows
from harvest_xl.engine.lots import Action
from harvest_xl.engine.models import WashSalePolicy
from harvest_xl.engine.realized_year import counting_activity_sales
from harvest_xl.engine.wash_sale import analyse_wash_sales
from harvest_xl.inputs.cells import to_choice, to_int
from harvest_xl.inputs.ranges import records_from_table
from harvest_xl.inputs.tables import read_tables
from harvest_xl.results import FIRST_ROW_NUMBER, form8949_table
from harvest_xl.udfs._common import CATEGORY, DOC_ACCOUNTS, RANGE, VALUE, excel_safe, table

ZERO = Decimal(0)

_DOC_ACTIVITY = (
    "Your Activity table with its header row (Activity[#All]): Date, Account, Action, "
    "Ticker, Shares, Price, Cost basis, Acquired. Every account's trades, IRAs too (an IRA "
    "purchase can wash a loss)."
)
_DOC_ACCOUNTS = DOC_ACCOUNTS[:-1] + ", Basis reported (Yes/No: Form 8949 box A or B)."
_DOC_SECURITIES = (
    "Optional: your Securities table with its header row (Securities[#All]): which tickers "
    "are substantially identical."
)
_DOC_YEAR = "Optional: the tax year (default: the year of the latest sale in Activity)."
_DOC_POLICY = (
    'Optional: "conservative" (default) or "ignore", for purchases in a 401(k), 403(b), '
    "457(b) or HSA."
)


def read_trade_tables(activity, accounts, securities=None):
    """The Activity, Accounts and Securities tables given with their header rows, read by the
    workbook's table readers, rows numbered as the worksheet numbers them."""
    records = {
        "Accounts": records_from_table(accounts, "accounts", ("Account", "Type")),
        "Activity": records_from_table(activity, "activity"),
        "Securities": () if securities is None else records_from_table(securities, "securities"),
    }
    return read_tables(
        accounts=records["Accounts"],
        activity=records["Activity"],
        securities=records["Securities"],
        numbers={
            name: range(FIRST_ROW_NUMBER, FIRST_ROW_NUMBER + len(rows))
            for name, rows in records.items()
        },
    )


def profile_with_trades(profile, activity, accounts, securities):
    """``profile`` as every saving sees it: with Activity's realized year added when the
    Profile's *Count Activity sales* is Yes and the tables are given
    (:func:`~harvest_xl.engine.realized_year.with_activity_sales`, as the Holdings columns
    compute it); otherwise ``profile`` itself. A bad Activity or Accounts row is the error:
    a saving that silently left out a sale would be wrong."""
    if activity is None or not profile.count_activity_sales:
        return profile
    if accounts is None:
        raise HarvestInputError(
            "accounts", "is needed with activity (Accounts[#All] gives each account its type)"
        )
    tables = read_trade_tables(activity, accounts, securities)
    if tables.problems:
        p = tables.problems[0]
        raise HarvestInputError("activity", f"{p.table} row {p.row}, {p.field}: {p.message}")
    wash = analyse_wash_sales(tables.activity, tables.identical, profile.wash_policy)
    return counting_activity_sales(profile, wash)


DOC_COUNTED_ACTIVITY = (
    "Optional: your Activity table with its header row (Activity[#All]). With the Profile's "
    "Count Activity sales = Yes, its sales of the tax year count, as on the Holdings sheet."
)
DOC_COUNTED_ACCOUNTS = "Optional (needed with activity): your Accounts table (Accounts[#All])."
DOC_COUNTED_SECURITIES = (
    "Optional: your Securities table (Securities[#All]): which tickers are identical."
)


@xw.func(category=CATEGORY)
@xw.arg("activity", doc=_DOC_ACTIVITY, **RANGE)
@xw.arg("accounts", doc=_DOC_ACCOUNTS, **RANGE)
@xw.arg("securities", doc=_DOC_SECURITIES, **RANGE)
@xw.arg("year", doc=_DOC_YEAR, **VALUE)
@xw.arg("policy", doc=_DOC_POLICY, **VALUE)
@excel_safe(table)
def HX_FORM8949(activity, accounts, securities=None, year=None, policy="conservative"):
    """Form 8949 rows of a tax year from your trades: part, box, description, dates, proceeds, basis, code W with the wash-sale adjustment, gain or loss, per lot sold in a taxable account."""  # noqa: E501 (Excel help text: one line)
    tables = read_trade_tables(activity, accounts, securities)
    chosen = to_choice(policy, "policy", WashSalePolicy.parse, WashSalePolicy.CONSERVATIVE)
    sales = [a.date for a in tables.activity if a.action is Action.SELL]
    tax_year = to_int(year, "year", None)
    if tax_year is None:
        tax_year = max(sales).year if sales else None
    rows: tuple[Form8949Row, ...] = ()
    if tax_year is not None:
        wash = analyse_wash_sales(tables.activity, tables.identical, chosen)
        rows = form8949_rows(
            wash.realized_in_year(tax_year),
            tax_year,
            activity_through=max(
                (a.date for a in tables.activity), default=date(tax_year, 12, 31)
            ),
            reporting=tables.basis_reporting,
        ).rows
    return form8949_table(rows, tables.problems)
