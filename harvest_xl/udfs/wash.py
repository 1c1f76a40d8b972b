# mypy: allow-untyped-defs, allow-untyped-calls
# (UDF parameters stay unannotated: the classic xlwings decorator turns a parameter's
# annotation into a converter, and cells arrive as anything at all.)
"""Wash sales from a range of trades: HX_WASH_SALES, HX_WASH_RISK.

Both take the trades in either of two shapes:

* **table form** — the Activity table with its header row (``Activity[#All]``): then the
  second argument is the Accounts table (``Accounts[#All]``, which gives each account its
  type and owner), the third the Securities table (its identical groups), the fourth the
  policy;
* **positional form** — nine columns per row: date, account, account type, action, ticker,
  shares, price, cost basis, acquired (a header row is fine): then the second argument is a
  two-column range of identical groups and the third the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import xlwings as xw

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.lots import Activity, IdenticalGroups, Lot
from harvest_xl.engine.models import AccountType, WashSalePolicy
from harvest_xl.engine.names import fold
from harvest_xl.engine.wash_risk import prospective_wash_risk
from harvest_xl.engine.wash_sale import analyse_wash_sales
from harvest_xl.inputs.cells import to_choice, to_date, to_decimal, to_money, to_text
from harvest_xl.inputs.ranges import drop_header, records_from_table, row_is_blank, to_table
from harvest_xl.inputs.tables import (
    ACTIVITY_POSITIONS,
    RowProblem,
    activity_from_positions,
    identical_from_rows,
    read_tables,
)
from harvest_xl.results import WASH_SALES_HEADER, wash_sale_rows
from harvest_xl.udfs._common import (
    CATEGORY,
    DATE,
    DOC_ACCOUNT_TYPE,
    RANGE,
    VALUE,
    excel_safe,
    scalar,
    table,
)

ZERO = Decimal(0)

_TYPE_HEADERS = frozenset({"type", "account type"})

_DOC_ACTIVITY = (
    "Your trades: the Activity table with its header row (Activity[#All]), or nine columns "
    "per row: date, account, account type, action (BUY or SELL), ticker, shares, price, "
    "cost basis and acquired date (both for SELL rows)."
)
_DOC_IDENTICAL = (
    "With Activity[#All]: your Accounts table (Accounts[#All]). With nine columns: optional "
    "two columns, ticker and group name, of substantially identical securities."
)
_DOC_POLICY = (
    'With Activity[#All]: optional, your Securities table (Securities[#All]). With nine '
    'columns: optional, "conservative" (default) or "ignore" for purchases in a 401(k), '
    "403(b), 457(b) or HSA."
)
_DOC_WASH_POLICY = (
    'With Activity[#All]: optional, "conservative" (default) or "ignore" for purchases in '
    "a 401(k), 403(b), 457(b) or HSA."
)


@dataclass(frozen=True, slots=True)
class _Trades:
    activity: list[Activity]
    identical: IdenticalGroups
    policy: WashSalePolicy


def _raise_first(problems: list[RowProblem], argument: str) -> None:
    """The first bad row as the function's error: ``activity: row 3, Shares: ...`` (a row
    of another table names its table)."""
    if problems:
        p = problems[0]
        table = "" if p.table == "Activity" else f"{p.table} "
        raise HarvestInputError(argument, f"{table}row {p.row}, {p.field}: {p.message}")


def _is_table_form(rows: list[list[object]]) -> bool:
    """The Activity table with its header row: a header naming Action, and no account type
    column (the type then comes from the Accounts table)."""
    if not rows or drop_header(rows, date_column=0) is rows:
        return False
    names = {fold(cell) for cell in rows[0] if isinstance(cell, str)}
    return "action" in names and not names & _TYPE_HEADERS


def read_trades(activity, second, third, fourth):
    """The trades, identical groups and policy of a wash-sale function's arguments, in
    either form (see the module docstring); every row read by the Activity table's rules."""
    rows = to_table(activity, "activity")
    if _is_table_form(rows):
        tables = read_tables(
            accounts=records_from_table(second, "accounts", ("Account", "Type")),
            activity=records_from_table(rows, "activity"),
            securities=records_from_table(third, "securities") if third is not None else (),
            numbers={
                name: range(2, 2 + len(to_table(value, name)))
                for name, value in (("Accounts", second), ("Activity", rows), ("Securities", third))
            },
        )
        _raise_first(tables.problems, "activity")
        return _Trades(tables.activity, tables.identical, _policy(fourth))
    body = drop_header(rows, date_column=0)
    first = 1 if body is rows else 2
    for number, row in enumerate(body, start=first):
        if len(row) < len(ACTIVITY_POSITIONS) - 2 and not row_is_blank(row):
            raise HarvestInputError(
                "activity",
                f"row {number} has {len(row)} columns; {len(ACTIVITY_POSITIONS)} are needed",
            )
    tables = activity_from_positions(body, first)
    _raise_first(tables.problems, "activity")
    return _Trades(tables.activity, identical_from_rows(to_table(second, "identical")),
                   _policy(third))


def _policy(value):
    return to_choice(value, "policy", WashSalePolicy.parse, WashSalePolicy.CONSERVATIVE)


@xw.func(category=CATEGORY)
@xw.arg("activity", doc=_DOC_ACTIVITY, **RANGE)
@xw.arg("identical", doc=_DOC_IDENTICAL, **RANGE)
@xw.arg("policy", doc=_DOC_POLICY, **RANGE)
@xw.arg("wash_policy", doc=_DOC_WASH_POLICY, **VALUE)
@excel_safe(table)
def HX_WASH_SALES(activity, identical=None, policy="conservative", wash_policy=None):
    """Every wash sale in your trades across all accounts: one row per loss sale and replacement purchase, with the loss disallowed, whether it is lost for good (IRA) and the basis added to the replacement."""  # noqa: E501 (Excel help text: one line)
    trades = read_trades(activity, identical, _scalar_or_range(policy), wash_policy)
    result = analyse_wash_sales(trades.activity, trades.identical, trades.policy)
    return [list(WASH_SALES_HEADER), *wash_sale_rows(result.matches)]


def _scalar_or_range(value):
    """``policy`` as given: a range in the table form (Securities), a word otherwise. With
    ``ndim=2`` xlwings hands even one cell as ``[[value]]``."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        if len(value[0]) == 1 and not isinstance(value[0][0], list):
            return value[0][0]
    return value


@xw.func(category=CATEGORY)
@xw.arg("account_type", doc=DOC_ACCOUNT_TYPE, **VALUE)
@xw.arg("ticker", doc="Ticker of the lot you would sell.", **VALUE)
@xw.arg("shares", doc="Number of shares in the lot.", **VALUE)
@xw.arg("cost_basis", doc="What you paid for the lot in total.", **VALUE)
@xw.arg("market_value", doc="What the lot is worth now.", **VALUE)
@xw.arg("acquired", doc="Date you bought the lot.", **DATE)
@xw.arg("as_of", doc="Date you would sell, e.g. today.", **DATE)
@xw.arg("activity", doc=_DOC_ACTIVITY, **RANGE)
@xw.arg("identical", doc=_DOC_IDENTICAL, **RANGE)
@xw.arg("policy", doc=_DOC_POLICY, **RANGE)
@xw.arg("wash_policy", doc=_DOC_WASH_POLICY, **VALUE)
@excel_safe(scalar)
def HX_WASH_RISK(
    account_type, ticker, shares, cost_basis, market_value, acquired, as_of, activity,
    identical=None, policy="conservative", wash_policy=None,
):
    """Would selling this lot today be a wash sale? Names the purchases within 30 days before or after (in any account) that would disallow the loss, how much, and the first safe date to buy back."""  # noqa: E501 (Excel help text: one line)
    count = to_decimal(shares, "shares")
    sale_date = to_date(as_of, "as_of")
    lot = Lot(
        account="this lot",
        account_type=to_choice(account_type, "account_type", AccountType.parse),
        ticker=to_text(ticker, "ticker"),
        shares=count,
        acquired=to_date(acquired, "acquired"),
        cost_basis=to_money(cost_basis, "cost_basis"),
        price=to_money(market_value, "market_value") / count if count else ZERO,
        as_of=sale_date,
    )
    trades = read_trades(activity, identical, _scalar_or_range(policy), wash_policy)
    risk = prospective_wash_risk(
        lot, sale_date, trades.activity, (), trades.identical, trades.policy
    )
    return risk.text or "No wash-sale risk: no identical purchase within 30 days"
