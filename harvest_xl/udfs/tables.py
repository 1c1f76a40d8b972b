# mypy: allow-untyped-defs, allow-untyped-calls
# (UDF parameters stay unannotated: the classic xlwings decorator turns a parameter's
# annotation into a converter, and cells arrive as anything at all.)
"""The workbook's own tables: HX_HOLDINGS and HX_EVALUATE (every lot in one call), and the
per-lot HX_LOT_ functions.

Every table is read by :mod:`harvest_xl.inputs.tables` and every lot evaluated by
:func:`harvest_xl.engine.portfolio.evaluate_lot`, as the workbook refresh does, so a cell
shows what a refresh writes. The template's Holdings columns look up one ``HX_HOLDINGS``
call: one Python call per recalculation, however many lots. The per-lot functions serve
sheets of one's own; each reads the tables once per distinct content (:class:`ContentCache`).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import xlwings as xw

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.harvest import check_thresholds
from harvest_xl.engine.lots import Lot
from harvest_xl.engine.models import WashSalePolicy
from harvest_xl.engine.portfolio import (
    LotContext,
    evaluate_lot,
    evaluate_lots,
    held_prices,
    lot_context,
)
from harvest_xl.engine.withdrawal_cost import lot_withdrawal
from harvest_xl.inputs.cells import to_choice, to_date, to_decimal, to_money, to_rate, to_text
from harvest_xl.inputs.ranges import records_from_table
from harvest_xl.inputs.tables import Tables, read_tables
from harvest_xl.results import (
    FIRST_ROW_NUMBER,
    NEEDS_ROTH_HISTORY,
    NO_WASH_RISK,
    NOT_APPLICABLE,
    error_text,
    evaluation_table,
    holdings_by_row,
    holdings_table,
    number,
)
from harvest_xl.udfs._common import (
    CATEGORY,
    DATE,
    DOC_ACCOUNTS,
    DOC_MIN_LOSS,
    DOC_MIN_PCT,
    DOC_PROFILE,
    RANGE,
    VALUE,
    ContentCache,
    excel_safe,
    scalar,
    table,
    with_args,
)
from harvest_xl.udfs.tax import profile_of

ZERO = Decimal(0)

_TABLE_ARGS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "holdings",
        "Your Holdings table with its header row (Holdings[#All]): Account, Ticker, Shares, "
        "Acquired, Cost basis, Price.",
        RANGE,
    ),
    ("accounts", DOC_ACCOUNTS, RANGE),
    (
        "activity",
        "Your Activity table with its header row (Activity[#All]): Date, Account, Action, "
        "Ticker, Shares, Price, Cost basis, Acquired.",
        RANGE,
    ),
    (
        "recurring",
        "Your Recurring purchases table with its header row (Recurring[#All]): Account, "
        "Ticker, Amount, Frequency, Next date.",
        RANGE,
    ),
    (
        "securities",
        "Your Securities table with its header row (Securities[#All]): Ticker, Identical "
        "group, Substitute.",
        RANGE,
    ),
    ("profile", DOC_PROFILE + " It needs the As-of date.", RANGE),
)
"""Arguments of the one-call evaluations (HX_EVALUATE, HX_HOLDINGS), in order."""


def _read(holdings, accounts, activity, recurring, securities, as_of):
    """Every table read once, rows numbered as the worksheet numbers them."""
    records = {
        "Accounts": records_from_table(accounts, "accounts"),
        "Holdings": records_from_table(holdings, "holdings", ("Account", "Ticker")),
        "Activity": records_from_table(activity, "activity"),
        "Recurring": records_from_table(recurring, "recurring"),
        "Securities": records_from_table(securities, "securities"),
    }
    tables = read_tables(
        accounts=records["Accounts"],
        holdings=records["Holdings"],
        activity=records["Activity"],
        recurring=records["Recurring"],
        securities=records["Securities"],
        as_of=as_of,
        numbers={
            name: range(FIRST_ROW_NUMBER, FIRST_ROW_NUMBER + len(rows))
            for name, rows in records.items()
        },
    )
    return len(records["Holdings"]), tables


def _evaluate(settings, tables):
    return evaluate_lots(
        settings,
        tables.lots,
        tables.activity,
        tables.recurring,
        tables.securities,
        tables.accounts,
        tables.identical,
    )


@xw.func(category=CATEGORY)
@with_args(_TABLE_ARGS)
@excel_safe(table)
def HX_EVALUATE(holdings, accounts, activity, recurring, securities, profile):
    """Every holding evaluated in one call (fast for big sheets): a header row, then one row per Holdings row with value, gain, term, harvest status, wash-sale risk, safe rebuy, tax saving, withdrawal penalty and cost."""  # noqa: E501 (Excel help text: one line)
    settings = profile_of(profile)
    count, tables = _read(holdings, accounts, activity, recurring, securities, settings.as_of)
    return evaluation_table(count, _evaluate(settings, tables).rows, tables.problems)


@xw.func(category=CATEGORY)
@with_args(_TABLE_ARGS)
@excel_safe(table)
def HX_HOLDINGS(holdings, accounts, activity, recurring, securities, profile):
    """The Holdings sheet's computed columns for every lot in one call, as that sheet shows them: gain, term, harvest status, wash-sale risk, safe rebuy, tax saving, withdrawal penalty and cost, problem."""  # noqa: E501 (Excel help text: one line)
    try:
        settings = profile_of(profile)
        if settings.as_of is None:
            raise HarvestInputError("As-of date", "the profile has no as-of date")
    except HarvestInputError as error:  # each lot's own cells are still shown
        count, tables = _read(holdings, accounts, activity, recurring, securities, None)
        by_row = holdings_by_row((), tables.problems, tables.lots, error_text(error))
        return holdings_table(count, by_row, tables.problems)
    count, tables = _read(holdings, accounts, activity, recurring, securities, settings.as_of)
    by_row = holdings_by_row(_evaluate(settings, tables).rows, tables.problems)
    return holdings_table(count, by_row, tables.problems)


# --------------------------------------------------------------------------- one lot

_DOC_ACCOUNT = (
    "The lot's account, as named on the Accounts sheet (its type and owner come from there)."
)

_LOT_TABLE_ARGS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("account", _DOC_ACCOUNT, VALUE),
    ("ticker", "Ticker of the lot you would sell.", VALUE),
    ("shares", "Number of shares in the lot.", VALUE),
    ("cost_basis", "What you paid for the lot in total, as paid.", VALUE),
    ("price", "Today's price per share.", VALUE),
    ("acquired", "Date you bought the lot.", DATE),
    ("as_of", "Date you would sell, e.g. today (the Profile's As-of date).", DATE),
    (
        "activity",
        "Your Activity table with its header row (Activity[#All]): Date, Account, Action, "
        "Ticker, Shares, Price, Cost basis, Acquired.",
        RANGE,
    ),
    ("accounts", DOC_ACCOUNTS, RANGE),
    (
        "recurring",
        "Optional: your Recurring purchases table with its header row (Recurring[#All]): "
        "Account, Ticker, Amount, Frequency, Next date.",
        RANGE,
    ),
    (
        "securities",
        "Optional: your Securities table with its header row (Securities[#All]): Ticker, "
        "Identical group, Substitute.",
        RANGE,
    ),
    (
        "policy",
        'Optional: "conservative" (default) or "ignore", for purchases in a 401(k), 403(b), '
        "457(b) or HSA.",
        VALUE,
    ),
    (
        "holdings",
        "Optional: your Holdings input columns with the header row "
        "(Holdings[[#All],[Account]:[Price]]), to price scheduled purchases of other tickers.",
        RANGE,
    ),
)
"""Argument help shared by the per-lot functions that read the workbook's own tables."""

_CONTEXTS = ContentCache("lot context")
_ACCOUNTS = ContentCache("accounts")


def _lot_context(as_of, policy, accounts, activity, recurring, securities, holdings):
    """The tables read and the wash sales matched, once per distinct content."""
    sale_date = to_date(as_of, "as_of")
    chosen = to_choice(policy, "policy", WashSalePolicy.parse, WashSalePolicy.CONSERVATIVE)

    def build() -> tuple[Tables, LotContext]:
        tables = read_tables(
            accounts=records_from_table(accounts, "accounts", ("Account",)),
            holdings=()
            if holdings is None
            else records_from_table(holdings, "holdings", ("Ticker",)),
            activity=records_from_table(activity, "activity"),
            recurring=records_from_table(recurring, "recurring"),
            securities=records_from_table(securities, "securities"),
            as_of=sale_date,
        )
        context = lot_context(
            sale_date,
            tables.activity,
            tables.recurring,
            tables.securities,
            tables.accounts,
            tables.identical,
            held_prices(tables.lots),
            policy=chosen,
        )
        return tables, context

    return _CONTEXTS.get(
        ([[sale_date, chosen.value]], accounts, activity, recurring, securities, holdings),
        build,
    )


def _lot_row(tables, context, account, ticker, shares, cost_basis, price, acquired):
    found = tables.account(to_text(account, "account"))
    lot = Lot(
        found.name,
        found.account_type,
        to_text(ticker, "ticker"),
        to_decimal(shares, "shares"),
        to_date(acquired, "acquired"),
        to_money(cost_basis, "cost_basis"),
        to_money(price, "price"),
        context.as_of,
        found.owner,
    )
    row, _ = evaluate_lot(context, lot, withdrawals=False)
    return row


@xw.func(category=CATEGORY)
@with_args(_LOT_TABLE_ARGS)
@excel_safe(scalar)
def HX_LOT_WASH_RISK(
    account, ticker, shares, cost_basis, price, acquired, as_of, activity, accounts,
    recurring=None, securities=None, policy="conservative", holdings=None,
):
    """Would selling this Holdings lot today be a wash sale? Reads your Activity, Recurring and Securities tables; names the purchase, the loss disallowed and the safe rebuy date, or None."""  # noqa: E501 (Excel help text: one line)
    tables, context = _lot_context(
        as_of, policy, accounts, activity, recurring, securities, holdings
    )
    row = _lot_row(tables, context, account, ticker, shares, cost_basis, price, acquired)
    return row.wash_risk or NO_WASH_RISK


@xw.func(category=CATEGORY)
@with_args(_LOT_TABLE_ARGS)
@xw.arg("min_loss", doc=DOC_MIN_LOSS, **VALUE)
@xw.arg("min_pct", doc=DOC_MIN_PCT, **VALUE)
@excel_safe(scalar)
def HX_LOT_HARVEST(
    account, ticker, shares, cost_basis, price, acquired, as_of, activity, accounts,
    recurring=None, securities=None, policy="conservative", holdings=None, min_loss=0,
    min_pct=0,
):
    """Should you sell this Holdings lot to harvest its loss? Harvest, Hold, No tax effect, or Blocked / At risk when a purchase within 30 days (your tables) would make it a wash sale."""  # noqa: E501 (Excel help text: one line)
    tables, context = _lot_context(
        as_of, policy, accounts, activity, recurring, securities, holdings
    )
    smallest_loss = to_money(min_loss, "min_loss", ZERO)
    smallest_share = to_rate(min_pct, "min_pct", ZERO)
    check_thresholds(smallest_loss, smallest_share)
    thresholds = replace(context, min_loss=smallest_loss, min_pct=smallest_share)
    row = _lot_row(tables, thresholds, account, ticker, shares, cost_basis, price, acquired)
    return row.status_text


def _lot_withdrawal(account, market_value, profile, accounts):
    settings = profile_of(profile)
    tables = _ACCOUNTS.get(
        (accounts,),
        lambda: read_tables(accounts=records_from_table(accounts, "accounts", ("Account",))),
    )
    found = tables.account(to_text(account, "account"))
    return lot_withdrawal(settings, found, to_money(market_value, "market_value"))


@xw.func(category=CATEGORY)
@xw.arg("account", doc=_DOC_ACCOUNT, **VALUE)
@xw.arg("market_value", doc="What the lot is worth now: the amount you would withdraw.", **VALUE)
@xw.arg("profile", doc=DOC_PROFILE + " It needs the Birth date and As-of date.", **RANGE)
@xw.arg("accounts", doc=DOC_ACCOUNTS, **RANGE)
@excel_safe(scalar)
def HX_LOT_PENALTY(account, market_value, profile, accounts):
    """Additional tax if this lot's value were withdrawn on the as-of date, with the account's separation and SIMPLE start dates from Accounts; "Needs Roth history" for a Roth, — if taxable."""  # noqa: E501 (Excel help text: one line)
    result = _lot_withdrawal(account, market_value, profile, accounts)
    if result.note:
        return NEEDS_ROTH_HISTORY
    if result.additional_tax is None:
        return NOT_APPLICABLE
    return number(result.additional_tax)


@xw.func(category=CATEGORY)
@xw.arg("account", doc=_DOC_ACCOUNT, **VALUE)
@xw.arg("market_value", doc="What the lot is worth now: the amount you would withdraw.", **VALUE)
@xw.arg("profile", doc=DOC_PROFILE + " It needs the Birth date and As-of date.", **RANGE)
@xw.arg("accounts", doc=DOC_ACCOUNTS, **RANGE)
@excel_safe(scalar)
def HX_LOT_WITHDRAWAL_COST(account, market_value, profile, accounts):
    """Total tax cost (extra income tax, additional tax, state tax) of withdrawing this lot's value on the as-of date; "Needs Roth history" for a Roth, — for a taxable account."""  # noqa: E501 (Excel help text: one line)
    result = _lot_withdrawal(account, market_value, profile, accounts)
    if result.note:
        return NEEDS_ROTH_HISTORY
    if result.total_cost is None:
        return NOT_APPLICABLE
    return number(result.total_cost)
