# mypy: allow-untyped-defs, allow-untyped-calls
# (UDF parameters must stay unannotated: the classic xlwings decorator turns a parameter's
# annotation into a converter, and cells arrive as anything at all.)
"""harvest-xl's Excel worksheet functions (xlwings classic UDFs): thin adapters only.

Each function converts its cells (``harvest_xl.excel.convert``), calls one engine function
and converts the result back to numbers, text or a 2-D list. No tax rule lives here.

Conventions every function follows (excel-integration.md §2-§6):

* ``@xw.func(category="harvest-xl")`` is the outermost decorator; ``@xw.arg`` gives each
  argument its Insert Function help (at most 255 characters) and the converter options
  (dates as ``datetime.date``, error cells as their text, ranges with ``ndim=2``).
* The docstring is the Insert Function description: one short paragraph, at most 255
  characters, written for an investor.
* Bad input never raises into Excel: :func:`_excel_safe` turns it into one text value,
  ``#VALUE! argument: problem``; an array function returns that text in its first cell.
  (HX_HARVEST, the busiest per-cell function, has the same ``try`` written into its body.)
  Anything unexpected becomes ``#VALUE! unexpected error: ...`` and its traceback is logged
  on the ``xlwings.udfs.harvest_xl`` logger (a child of the logger xlwings' UDF server uses).
* Nothing is volatile, nothing uses the legacy ``expand`` option: arrays spill in Excel 365 /
  2021; in older Excel enter them as array formulas (Ctrl+Shift+Enter) over the right size.

The function names are upper case on purpose: Excel shows a UDF's name exactly as Python
spells it, and ``HX_`` keeps names from parsing as cell addresses.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal
from typing import Any

import xlwings as xw

from harvest_xl.engine.cells import to_row_date
from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.harvest import harvest_saving, harvest_status
from harvest_xl.engine.holding import holding_term
from harvest_xl.engine.models import WashSalePolicy
from harvest_xl.engine.netting import carryover_to_next_year, loss_deduction
from harvest_xl.engine.tax import TaxReturn, federal_tax
from harvest_xl.engine.wash_sale import match_wash_sales, safe_rebuy_date
from harvest_xl.engine.withdrawals import early_withdrawal_additional_tax, explain_penalty
from harvest_xl.excel.convert import (
    activity_from_rows,
    conversions_from_rows,
    identical_from_rows,
    profile_from_pairs,
    records_from_table,
    to_account_type,
    to_date,
    to_decimal,
    to_filing_status,
    to_int,
    to_money,
    to_rate,
    to_term,
    to_text,
)

CATEGORY = "harvest-xl"

_LAZY = None
"""The engine modules behind the table-level and withdrawal-cost functions (portfolio, plan,
wash risk, withdrawal cost, Roth) are imported inside those functions, on their first call:
Excel's UDF server imports this module at start-up, and those modules hold most of the
engine's import time. After the first call the import is a dictionary lookup (well under a
microsecond against milliseconds of work). The per-row functions (HX_TERM, HX_HARVEST,
HX_PENALTY, HX_TAX...) use module-level imports only."""
LOG = logging.getLogger("xlwings.udfs.harvest_xl")

ZERO = Decimal(0)

_UNEXPECTED_DETAIL_CHARS = 120


# --------------------------------------------------------------------------- error handling


def _scalar(message: str) -> str:
    return message


def _fixed_shape(rows: int, columns: int) -> Callable[[str], list[list[Any]]]:
    """An error shaped like the function's normal result: message first, blanks elsewhere."""

    def shape(message: str) -> list[list[Any]]:
        block: list[list[Any]] = [[""] * columns for _ in range(rows)]
        block[0][0] = message
        return block

    return shape


def _table(message: str) -> list[list[Any]]:
    return [[message]]


def error_text(error: BaseException) -> str:
    """The cell text for an exception: ``#VALUE! argument: problem`` (at most 255 chars)."""
    if isinstance(error, HarvestInputError):
        text = f"#VALUE! {error.argument}: {error.problem}"
    else:
        detail = str(error).splitlines()[0] if str(error) else ""
        detail = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
        text = f"#VALUE! unexpected error: {detail[:_UNEXPECTED_DETAIL_CHARS]}"
    return text if len(text) <= 255 else text[:252] + "..."


def _excel_safe(shape: Callable[[str], Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Turn every exception of a UDF body into an Excel-style error value of ``shape``."""

    def decorate(body: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(body)
        def udf(*args: Any) -> Any:
            try:
                return body(*args)
            except Exception as error:
                return _error_value(error, body.__name__, args, shape)

        return udf

    return decorate


def _error_value(
    error: Exception, name: str, args: tuple[Any, ...], shape: Callable[[str], Any]
) -> Any:
    """What UDF ``name`` returns when its body raised ``error``: the error's text, shaped.
    Call it in the ``except`` clause: an error that is not the user's input is a bug, and
    is logged with its traceback (Excel stays alive)."""
    if not isinstance(error, HarvestInputError):
        LOG.exception("harvest-xl: %s failed on %r", name, args)
    return shape(error_text(error))


# --------------------------------------------------------------------------- conversions out


def _number(value: Decimal) -> float:
    """Money out: a plain Excel number."""
    return float(value)


def _money_or_zero(value: object, argument: str) -> Decimal:
    """An amount where an empty cell means 0, as in Excel arithmetic."""
    return to_money(value, argument, ZERO)


_DATE = {"dates": dt.date, "err_to_str": True}
_VALUE = {"err_to_str": True}
_RANGE = {"ndim": 2, "dates": dt.date, "err_to_str": True}

_DOC_FILING_STATUS = (
    "Filing status: single, mfj (married filing jointly), mfs (married filing separately), "
    "hoh (head of household) or qss (qualifying surviving spouse); the full names work too."
)


# --------------------------------------------------------------------------- tax


@xw.func(category=CATEGORY)
@xw.arg("year", doc="Tax year, 2018 to 2026.", **_VALUE)
@xw.arg("filing_status", doc=_DOC_FILING_STATUS, **_VALUE)
@xw.arg(
    "ordinary_income",
    doc="All income except capital gains and qualified dividends (wages, interest, "
    "IRA withdrawals...), before the standard deduction. An empty cell counts as 0.",
    **_VALUE,
)
@xw.arg(
    "st_gain",
    doc="This year's net short-term capital gain; a negative number is a net loss.",
    **_VALUE,
)
@xw.arg(
    "lt_gain",
    doc="This year's net long-term capital gain; a negative number is a net loss.",
    **_VALUE,
)
@xw.arg(
    "qualified_dividends", doc="Qualified dividends (optional, 0 if omitted).", **_VALUE
)
@_excel_safe(_scalar)
def HX_TAX(year, filing_status, ordinary_income, st_gain, lt_gain, qualified_dividends=0):
    """Federal income tax (regular tax plus AMT) plus the 3.8% net investment income tax, with the standard deduction, for a year's income and net capital gains or losses."""  # noqa: E501 (Excel help text: one line)
    result = federal_tax(
        TaxReturn(
            year=to_int(year, "year"),
            filing_status=to_filing_status(filing_status),
            ordinary_income=_money_or_zero(ordinary_income, "ordinary_income"),
            st_gain=_money_or_zero(st_gain, "st_gain"),
            lt_gain=_money_or_zero(lt_gain, "lt_gain"),
            qualified_dividends=_money_or_zero(qualified_dividends, "qualified_dividends"),
        )
    )
    return _number(result.total)


@xw.func(category=CATEGORY)
@xw.arg("filing_status", doc=_DOC_FILING_STATUS, **_VALUE)
@xw.arg(
    "net_st",
    doc="Net short-term gain or loss for the year, including any short-term loss carried "
    "in (Schedule D line 7); a loss is negative.",
    **_VALUE,
)
@xw.arg(
    "net_lt",
    doc="Net long-term gain or loss for the year, including any long-term loss carried "
    "in (Schedule D line 15); a loss is negative.",
    **_VALUE,
)
@_excel_safe(_scalar)
def HX_LOSS_DEDUCTION(filing_status, net_st, net_lt):
    """Capital loss you can deduct from other income this year: up to $3,000 ($1,500 married filing separately); 0 when you have a net gain."""  # noqa: E501 (Excel help text: one line)
    return _number(
        loss_deduction(
            to_filing_status(filing_status),
            _money_or_zero(net_st, "net_st"),
            _money_or_zero(net_lt, "net_lt"),
        )
    )


@xw.func(category=CATEGORY)
@xw.arg("filing_status", doc=_DOC_FILING_STATUS, **_VALUE)
@xw.arg(
    "taxable_income",
    doc="Taxable income of the loss year (Form 1040 line 15), before it is floored at zero: "
    "a negative number is allowed.",
    **_VALUE,
)
@xw.arg(
    "net_st",
    doc="Net short-term gain or loss of the loss year (Schedule D line 7); a loss is negative.",
    **_VALUE,
)
@xw.arg(
    "net_lt",
    doc="Net long-term gain or loss of the loss year (Schedule D line 15); a loss is negative.",
    **_VALUE,
)
@_excel_safe(_fixed_shape(1, 2))
def HX_CARRYOVER(filing_status, taxable_income, net_st, net_lt):
    """Capital loss carried to next year, as two cells side by side: short-term carryover, long-term carryover (Capital Loss Carryover Worksheet)."""  # noqa: E501 (Excel help text: one line)
    short_term, long_term = carryover_to_next_year(
        to_filing_status(filing_status),
        to_decimal(taxable_income, "taxable_income", ZERO),
        _money_or_zero(net_st, "net_st"),
        _money_or_zero(net_lt, "net_lt"),
    )
    return [[_number(short_term), _number(long_term)]]


# --------------------------------------------------------------------------- holdings


@xw.func(category=CATEGORY)
@xw.arg("acquired", doc="Date you bought the shares (trade date).", **_DATE)
@xw.arg("as_of", doc="Date you would sell them (trade date), e.g. today.", **_DATE)
@_excel_safe(_scalar)
def HX_TERM(acquired, as_of):
    """Long-term or Short-term: the holding period of shares bought on one date and sold on another (long-term means held more than one year)."""  # noqa: E501 (Excel help text: one line)
    return holding_term(to_date(acquired, "acquired"), to_date(as_of, "as_of")).value


@xw.func(category=CATEGORY)
@xw.arg("sale_date", doc="Date you sell (or sold) at a loss.", **_DATE)
@_excel_safe(_scalar)
def HX_SAFE_REBUY(sale_date):
    """First date you can buy the same or a substantially identical security again without a wash sale: 31 days after the sale. Format the cell as a date."""  # noqa: E501 (Excel help text: one line)
    return safe_rebuy_date(to_date(sale_date, "sale_date"))


WASH_SALES_HEADER = (
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


@xw.func(category=CATEGORY)
@xw.arg(
    "activity",
    doc="Your trades in every account, one per row: date, account, account type, action "
    "(BUY or SELL), ticker, shares, price per share, cost basis and acquired date (both "
    "for SELL rows). A header row is fine.",
    **_RANGE,
)
@xw.arg(
    "identical",
    doc="Optional: two columns, ticker and group name. Tickers in the same group count as "
    "substantially identical (e.g. two S&P 500 funds). A ticker always matches itself.",
    **_RANGE,
)
@xw.arg(
    "policy",
    doc='Optional: how purchases in a 401(k), 403(b), 457(b) or HSA count: "conservative" '
    '(default; treated like an IRA purchase, the loss is lost) or "ignore" (not counted).',
    **_VALUE,
)
@_excel_safe(_table)
def HX_WASH_SALES(activity, identical=None, policy="conservative"):
    """Every wash sale in your trades across all accounts: one row per loss sale and replacement purchase, with the loss disallowed, whether it is lost for good (IRA) and the basis added to the replacement."""  # noqa: E501 (Excel help text: one line)
    matches = match_wash_sales(
        activity_from_rows(activity),
        identical_from_rows(identical),
        WashSalePolicy.parse(policy),
    )
    rows: list[list[Any]] = [list(WASH_SALES_HEADER)]
    for m in matches:
        rows.append(
            [
                m.sale_date,
                m.sale_account,
                m.ticker,
                float(m.shares),
                _number(m.disallowed_loss),
                m.permanently_lost,
                m.replacement_date,
                m.replacement_account,
                _number(m.basis_increase),
                m.reason,
            ]
        )
    return rows


# --------------------------------------------------------------------------- withdrawals

_DOC_ACCOUNT_TYPE = (
    "Account type: Taxable, 401k, Roth 401k, 403b, 457b, IRA, Roth IRA, SEP IRA, "
    "SIMPLE IRA or HSA (common spellings such as Brokerage or Traditional IRA work too)."
)
_DOC_EXCEPTION = (
    "Optional: the exception you qualify for, as a Form 5329 code (01-23) or a name: "
    "separation, sepp, death, disability, medical, first_home, education, birth_adoption, "
    "emergency, qdro, levy, reservist, terminal_illness, domestic_abuse, disaster..."
)
_DOC_SEPARATION = (
    "Optional: date you left the employer, for the leave-at-55 rule "
    "(age 50 for public safety employees). Employer plans only."
)
_DOC_PARTICIPATION = (
    "Optional: date you first joined the SIMPLE IRA plan (25% instead of 10% in the first "
    "two years). Needed for a SIMPLE IRA."
)


def _penalty_args(
    account_type, amount, birth_date, withdrawal_date, exception, separation_date,
    participation_start,
):
    return (
        to_account_type(account_type),
        to_money(amount, "amount"),
        to_date(birth_date, "birth_date"),
        to_date(withdrawal_date, "withdrawal_date"),
        to_text(exception, "exception", None),
        to_date(separation_date, "separation_date", None),
        to_date(participation_start, "participation_start", None),
    )


def _penalty_facts(expenses, agi, rolled_in):
    """The optional facts some exceptions need; an empty cell means "not given"."""
    given = {
        "expenses": to_money(expenses, "expenses", None),
        "agi": to_money(agi, "agi", None),
        "rolled_in": to_money(rolled_in, "rolled_in", None),
    }
    return {name: value for name, value in given.items() if value is not None}


_DOC_EXPENSES = (
    "Optional: for the medical exception, your unreimbursed medical expenses for the year "
    "(only the part above 7.5% of AGI is excepted)."
)
_DOC_AGI = (
    "Optional: for the medical exception, your adjusted gross income for the year, "
    "including this withdrawal."
)
_DOC_ROLLED_IN = (
    "Optional: governmental 457(b) only, the part of the withdrawal that comes from money "
    "rolled in from a 401(k), IRA or other plan (the 10% applies to that part only)."
)


_PENALTY_ARGS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("account_type", _DOC_ACCOUNT_TYPE, _VALUE),
    (
        "amount",
        "Amount withdrawn that counts as income (for a Roth or HSA: the taxable or "
        "non-medical part).",
        _VALUE,
    ),
    ("birth_date", "Your date of birth (the age 59½ and 55 rules use it).", _DATE),
    ("withdrawal_date", "Date of the withdrawal.", _DATE),
    ("exception", _DOC_EXCEPTION, _VALUE),
    ("separation_date", _DOC_SEPARATION, _DATE),
    ("participation_start", _DOC_PARTICIPATION, _DATE),
    ("expenses", _DOC_EXPENSES, _VALUE),
    ("agi", _DOC_AGI, _VALUE),
    ("rolled_in", _DOC_ROLLED_IN, _VALUE),
)
"""Argument help shared by HX_PENALTY and HX_PENALTY_WHY (the same arguments, in order)."""


def _with_args(table: tuple[tuple[str, str, dict[str, Any]], ...]) -> Callable[..., Any]:
    """Apply ``table`` as ``@xw.arg`` decorators, made fresh for each function (xlwings'
    classic ``arg`` pops ``doc`` from its options when applied, so one decorator object
    cannot serve two functions)."""

    def decorate(body: Callable[..., Any]) -> Callable[..., Any]:
        for name, doc, options in reversed(table):
            body = xw.arg(name, doc=doc, **options)(body)
        return body

    return decorate


@xw.func(category=CATEGORY)
@_with_args(_PENALTY_ARGS)
@_excel_safe(_scalar)
def HX_PENALTY(
    account_type, amount, birth_date, withdrawal_date, exception="", separation_date=None,
    participation_start=None, expenses=None, agi=None, rolled_in=None,
):
    """Additional tax on an early withdrawal from a retirement account or HSA: 10% before 59½ (25% early in a SIMPLE IRA, 20% for an HSA before 65), less the exceptions that apply to that account."""  # noqa: E501 (Excel help text: one line)
    return _number(
        early_withdrawal_additional_tax(
            *_penalty_args(
                account_type, amount, birth_date, withdrawal_date, exception,
                separation_date, participation_start,
            ),
            **_penalty_facts(expenses, agi, rolled_in),
        )
    )


@xw.func(category=CATEGORY)
@_with_args(_PENALTY_ARGS)
@_excel_safe(_scalar)
def HX_PENALTY_WHY(
    account_type, amount, birth_date, withdrawal_date, exception="", separation_date=None,
    participation_start=None, expenses=None, agi=None, rolled_in=None,
):
    """Explains HX_PENALTY in plain English: your age at withdrawal, which exception applies or why it does not for this account, and the Form 5329 lines."""  # noqa: E501 (Excel help text: one line)
    return explain_penalty(
        *_penalty_args(
            account_type, amount, birth_date, withdrawal_date, exception, separation_date,
            participation_start,
        ),
        **_penalty_facts(expenses, agi, rolled_in),
    )


_DOC_PROFILE = (
    "Your Profile: a two-column range of settings and values (Tax year, Filing status, "
    "Ordinary income, Qualified dividends, realized gains, carryovers, State tax rate...), "
    "as on the Profile sheet."
)


@xw.func(category=CATEGORY)
@xw.arg("account_type", doc=_DOC_ACCOUNT_TYPE, **_VALUE)
@xw.arg("amount", doc="Amount you would withdraw.", **_VALUE)
@xw.arg("birth_date", doc="Your date of birth (the age 59½ and 55 rules use it).", **_DATE)
@xw.arg(
    "withdrawal_date",
    doc="Date of the withdrawal; it must fall in the Profile's tax year.",
    **_DATE,
)
@xw.arg("profile", doc=_DOC_PROFILE, **_RANGE)
@xw.arg("exception", doc=_DOC_EXCEPTION, **_VALUE)
@_excel_safe(_fixed_shape(6, 1))
def HX_WITHDRAWAL_COST(account_type, amount, birth_date, withdrawal_date, profile, exception=""):
    """What an early withdrawal really costs, as 6 cells down: extra federal income tax, additional tax, state tax, total cost, what you keep after all taxes, and the amount withheld when paid."""  # noqa: E501 (Excel help text: one line)
    from harvest_xl.engine.withdrawal_cost import withdrawal_cost  # first use: see _LAZY

    cost = withdrawal_cost(
        replace(profile_from_pairs(profile), birth_date=to_date(birth_date, "birth_date")),
        to_account_type(account_type),
        to_money(amount, "amount"),
        to_date(withdrawal_date, "withdrawal_date"),
        to_text(exception, "exception", None),
    )
    return [[_number(value)] for value in cost.column()]


# --------------------------------------------------------------------------- harvesting


@xw.func(category=CATEGORY)
@xw.arg("account_type", doc=_DOC_ACCOUNT_TYPE, **_VALUE)
@xw.arg("cost_basis", doc="What you paid for the lot in total (its cost basis).", **_VALUE)
@xw.arg("market_value", doc="What the lot is worth now: shares times today's price.", **_VALUE)
@xw.arg("acquired", doc="Date you bought the lot.", **_DATE)
@xw.arg("as_of", doc="Date you would sell, e.g. today.", **_DATE)
@xw.arg(
    "min_loss",
    doc="Optional: smallest loss in dollars worth harvesting (0 if omitted).",
    **_VALUE,
)
@xw.arg(
    "min_pct",
    doc="Optional: smallest loss worth harvesting, as a percentage of cost (5% or 0.05; "
    "0 if omitted).",
    **_VALUE,
)
def HX_HARVEST(account_type, cost_basis, market_value, acquired, as_of, min_loss=0, min_pct=0):
    """Should you sell this lot to harvest its loss? Harvest, Hold (a gain, or a loss below your threshold) or No tax effect (a 401(k), IRA, Roth or HSA), with the reason."""  # noqa: E501 (Excel help text: one line)
    # A per-cell function (issue 7: < 25 us a call): it catches its errors itself, exactly
    # as @_excel_safe(_scalar) would, and takes a date cell as it is (to_date's first case),
    # which saves three Python calls a cell.
    try:
        return harvest_status(
            to_account_type(account_type),
            to_money(cost_basis, "cost_basis"),
            to_money(market_value, "market_value"),
            acquired if type(acquired) is dt.date else to_date(acquired, "acquired"),
            as_of if type(as_of) is dt.date else to_date(as_of, "as_of"),
            to_money(min_loss, "min_loss", ZERO),
            to_rate(min_pct, "min_pct", ZERO),
        ).text
    except Exception as error:
        args = (account_type, cost_basis, market_value, acquired, as_of, min_loss, min_pct)
        return _error_value(error, "HX_HARVEST", args, _scalar)


@xw.func(category=CATEGORY)
@xw.arg(
    "loss", doc="The loss you would realize, as a positive amount (cost minus value).", **_VALUE
)
@xw.arg("term", doc="Long-term or Short-term, as HX_TERM gives it.", **_VALUE)
@xw.arg("profile", doc=_DOC_PROFILE, **_RANGE)
@_excel_safe(_scalar)
def HX_SAVING(loss, term, profile):
    """Tax this year's return saves if you realize this loss now: federal tax without it minus with it, plus your state rate on the part deducted this year (the rest carries over)."""  # noqa: E501 (Excel help text: one line)
    settings = _parsed("profile", (profile,), (), lambda: profile_from_pairs(profile))
    saving = harvest_saving(settings, to_money(loss, "loss"), to_term(term, "term"))
    return _number(saving.total)


# --------------------------------------------------------------------------- table level

EVALUATE_COLUMNS = (
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
    "Problem",
)
"""HX_EVALUATE's columns: the Holdings sheet's computed columns, then a per-row problem."""


def _optional_number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@xw.func(category=CATEGORY)
@xw.arg(
    "holdings",
    doc="Your Holdings table with its header row (Holdings[#All]): Account, Ticker, Shares, "
    "Acquired, Cost basis, Price.",
    **_RANGE,
)
@xw.arg(
    "accounts",
    doc="Your Accounts table with its header row (Accounts[#All]): Account, Type, Owner, "
    "Separation date, SIMPLE start date.",
    **_RANGE,
)
@xw.arg(
    "activity",
    doc="Your Activity table with its header row (Activity[#All]): Date, Account, Action, "
    "Ticker, Shares, Price, Cost basis, Acquired.",
    **_RANGE,
)
@xw.arg(
    "recurring",
    doc="Your Recurring purchases table with its header row (Recurring[#All]): Account, "
    "Ticker, Amount, Frequency, Next date.",
    **_RANGE,
)
@xw.arg(
    "securities",
    doc="Your Securities table with its header row (Securities[#All]): Ticker, Identical "
    "group, Substitute.",
    **_RANGE,
)
@xw.arg("profile", doc=_DOC_PROFILE + " It needs the As-of date.", **_RANGE)
@_excel_safe(_table)
def HX_EVALUATE(holdings, accounts, activity, recurring, securities, profile):
    """Every holding evaluated in one call (fast for big sheets): a header row, then one row per Holdings row with value, gain, term, harvest status, wash-sale risk, safe rebuy, tax saving, withdrawal penalty and cost."""  # noqa: E501 (Excel help text: one line)
    from harvest_xl.engine.portfolio import evaluate_portfolio  # first use: see _LAZY

    lots = records_from_table(holdings, "holdings", ("Account", "Ticker"))
    result = evaluate_portfolio(
        profile_from_pairs(profile),
        records_from_table(accounts, "accounts"),
        lots,
        records_from_table(activity, "activity"),
        records_from_table(recurring, "recurring"),
        records_from_table(securities, "securities"),
    )
    out: list[list[Any]] = [list(EVALUATE_COLUMNS)]
    out.extend([None] * len(EVALUATE_COLUMNS) for _ in lots)
    for r in result.rows:
        out[r.row + 1] = [
            float(r.market_value),
            float(r.gain),
            r.term.value,
            r.status_text,
            r.wash_risk,
            r.safe_rebuy,
            _optional_number(r.tax_saving),
            _optional_number(r.withdrawal_penalty),
            _optional_number(r.withdrawal_cost),
            r.lot.account_type.value,
            r.withdrawal_note or None,
        ]
    for p in result.problems:
        text = f"#VALUE! {p.table} row {p.row + 1}, {p.field}: {p.message}"
        if p.table == "Holdings" and 0 <= p.row < len(lots):
            out[p.row + 1][-1] = text
        else:  # another table's problem: listed below the holdings, Problem column only
            out.append([None] * (len(EVALUATE_COLUMNS) - 1) + [text])
    return out


@xw.func(category=CATEGORY)
@xw.arg("account_type", doc=_DOC_ACCOUNT_TYPE, **_VALUE)
@xw.arg("ticker", doc="Ticker of the lot you would sell.", **_VALUE)
@xw.arg("shares", doc="Number of shares in the lot.", **_VALUE)
@xw.arg("cost_basis", doc="What you paid for the lot in total.", **_VALUE)
@xw.arg("market_value", doc="What the lot is worth now.", **_VALUE)
@xw.arg("acquired", doc="Date you bought the lot.", **_DATE)
@xw.arg("as_of", doc="Date you would sell, e.g. today.", **_DATE)
@xw.arg(
    "activity",
    doc="Your trades in every account (same columns as HX_WASH_SALES), including purchases "
    "already scheduled in the next 30 days.",
    **_RANGE,
)
@xw.arg(
    "identical",
    doc="Optional: two columns, ticker and group name, of substantially identical securities.",
    **_RANGE,
)
@xw.arg(
    "policy",
    doc='Optional: "conservative" (default) or "ignore", for purchases in a 401(k), 403(b), '
    "457(b) or HSA.",
    **_VALUE,
)
@_excel_safe(_scalar)
def HX_WASH_RISK(
    account_type, ticker, shares, cost_basis, market_value, acquired, as_of, activity,
    identical=None, policy="conservative",
):
    """Would selling this lot today be a wash sale? Names the purchases within 30 days before or after (in any account) that would disallow the loss, how much, and the first safe date to buy back."""  # noqa: E501 (Excel help text: one line)
    from harvest_xl.engine.lots import Lot  # first use: see _LAZY
    from harvest_xl.engine.wash_risk import prospective_wash_risk

    count = to_decimal(shares, "shares")
    sale_date = to_date(as_of, "as_of")
    lot = Lot(
        account="this lot",
        account_type=to_account_type(account_type),
        ticker=to_text(ticker, "ticker"),
        shares=count,
        acquired=to_date(acquired, "acquired"),
        cost_basis=to_money(cost_basis, "cost_basis"),
        price=to_money(market_value, "market_value") / count if count else ZERO,
        as_of=sale_date,
    )
    risk = prospective_wash_risk(
        lot,
        sale_date,
        activity_from_rows(activity),
        (),
        identical_from_rows(identical),
        WashSalePolicy.parse(policy),
    )
    return risk.text or "No wash-sale risk: no identical purchase within 30 days"


def _roth_arguments(func):
    """The argument help shared by HX_ROTH_TAXABLE and HX_ROTH_PENALTY."""
    decorators = [
        xw.arg("amount", doc="Amount you would withdraw from the Roth IRA.", **_VALUE),
        xw.arg(
            "contributions",
            doc="Your regular Roth IRA contributions not yet withdrawn (they come out first, "
            "tax free).",
            **_VALUE,
        ),
        xw.arg("birth_date", doc="Your date of birth.", **_DATE),
        xw.arg("withdrawal_date", doc="Date of the withdrawal.", **_DATE),
        xw.arg(
            "conversions",
            doc="Optional: your conversions not yet withdrawn, one row per year: year, taxable "
            "amount, non-taxable amount.",
            **_RANGE,
        ),
        xw.arg(
            "first_contribution_year",
            doc="Optional: year of your first Roth IRA contribution (starts the 5-year clock).",
            **_VALUE,
        ),
        xw.arg("exception", doc=_DOC_EXCEPTION, **_VALUE),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def _roth_distribution(
    amount, contributions, birth_date, withdrawal_date, conversions, first_contribution_year,
    exception,
):
    from harvest_xl.engine.roth import roth_ira_distribution  # first use: see _LAZY

    return roth_ira_distribution(
        to_money(amount, "amount"),
        to_money(contributions, "contributions", ZERO),
        conversions_from_rows(conversions),
        birth_date=to_date(birth_date, "birth_date"),
        withdrawal_date=to_date(withdrawal_date, "withdrawal_date"),
        first_contribution_year=to_int(first_contribution_year, "first_contribution_year", None),
        exception=to_text(exception, "exception", None),
    )


@xw.func(category=CATEGORY)
@_roth_arguments
@_excel_safe(_scalar)
def HX_ROTH_TAXABLE(
    amount, contributions, birth_date, withdrawal_date, conversions=None,
    first_contribution_year=None, exception="",
):
    """Taxable part of a Roth IRA withdrawal: contributions come out first tax free, then conversions, then earnings, which are taxable unless the withdrawal is qualified (59½ and 5 years)."""  # noqa: E501 (Excel help text: one line)
    return _number(
        _roth_distribution(
            amount, contributions, birth_date, withdrawal_date, conversions,
            first_contribution_year, exception,
        ).taxable
    )


@xw.func(category=CATEGORY)
@_roth_arguments
@_excel_safe(_scalar)
def HX_ROTH_PENALTY(
    amount, contributions, birth_date, withdrawal_date, conversions=None,
    first_contribution_year=None, exception="",
):
    """Additional 10% tax on a Roth IRA withdrawal before 59½: on taxable earnings, and on converted amounts taken out within 5 years of their conversion, less the exceptions that apply."""  # noqa: E501 (Excel help text: one line)
    return _number(
        _roth_distribution(
            amount, contributions, birth_date, withdrawal_date, conversions,
            first_contribution_year, exception,
        ).additional_tax
    )


def _roth401k_arguments(func):
    """The argument help shared by HX_ROTH401K_TAXABLE and HX_ROTH401K_PENALTY."""
    decorators = [
        xw.arg("amount", doc="Amount you would withdraw from the Roth 401(k).", **_VALUE),
        xw.arg(
            "basis",
            doc="Your designated Roth contributions in the account (its basis), before the "
            "withdrawal.",
            **_VALUE,
        ),
        xw.arg(
            "balance",
            doc="The account balance before the withdrawal (contributions plus earnings).",
            **_VALUE,
        ),
        xw.arg("birth_date", doc="Your date of birth.", **_DATE),
        xw.arg("withdrawal_date", doc="Date of the withdrawal.", **_DATE),
        xw.arg(
            "first_contribution_year",
            doc="Optional: year of your first Roth contribution to this plan (its own 5-year "
            "clock); needed from age 59½.",
            **_VALUE,
        ),
        xw.arg("exception", doc=_DOC_EXCEPTION, **_VALUE),
        xw.arg(
            "rolled_over",
            doc="Optional: part of the withdrawal you roll over within 60 days (it counts as "
            "earnings first).",
            **_VALUE,
        ),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def _roth401k_distribution(
    amount, basis, balance, birth_date, withdrawal_date, first_contribution_year, exception,
    rolled_over,
):
    from harvest_xl.engine.roth import designated_roth_distribution  # first use: see _LAZY

    return designated_roth_distribution(
        to_money(amount, "amount"),
        to_money(basis, "basis"),
        to_money(balance, "balance"),
        birth_date=to_date(birth_date, "birth_date"),
        withdrawal_date=to_date(withdrawal_date, "withdrawal_date"),
        first_contribution_year=to_int(first_contribution_year, "first_contribution_year", None),
        exception=to_text(exception, "exception", None),
        rolled_over=to_money(rolled_over, "rolled_over", ZERO),
    )


@xw.func(category=CATEGORY)
@_roth401k_arguments
@_excel_safe(_scalar)
def HX_ROTH401K_TAXABLE(
    amount, basis, balance, birth_date, withdrawal_date, first_contribution_year=None,
    exception="", rolled_over=0,
):
    """Taxable part of a Roth 401(k) withdrawal: a pro-rata share of earnings (basis comes out in proportion), none if qualified (59½ and 5 years) or rolled over."""  # noqa: E501 (Excel help text: one line)
    return _number(
        _roth401k_distribution(
            amount, basis, balance, birth_date, withdrawal_date, first_contribution_year,
            exception, rolled_over,
        ).includible
    )


@xw.func(category=CATEGORY)
@_roth401k_arguments
@_excel_safe(_scalar)
def HX_ROTH401K_PENALTY(
    amount, basis, balance, birth_date, withdrawal_date, first_contribution_year=None,
    exception="", rolled_over=0,
):
    """Additional 10% tax on a Roth 401(k) withdrawal before 59½: on its taxable earnings part, less the exceptions that apply to an employer plan."""  # noqa: E501 (Excel help text: one line)
    return _number(
        _roth401k_distribution(
            amount, basis, balance, birth_date, withdrawal_date, first_contribution_year,
            exception, rolled_over,
        ).additional_tax
    )


# --------------------------------------------------------------------------- one Holdings row

NO_WASH_RISK = "None"
"""HX_LOT_WASH_RISK when selling the lot today risks no wash sale (never empty text:
LibreOffice shows an empty cached text as a formula to recalculate)."""
NOT_APPLICABLE = "—"
"""HX_LOT_PENALTY / HX_LOT_WITHDRAWAL_COST for a taxable account: no withdrawal tax."""
NEEDS_ROTH_HISTORY = "Needs Roth history"
"""HX_LOT_PENALTY / HX_LOT_WITHDRAWAL_COST for a Roth account: what a withdrawal costs
depends on its contributions, conversions and earnings, which the Accounts table does not
hold (HX_ROTH_TAXABLE / HX_ROTH_PENALTY and HX_ROTH401K_TAXABLE / _PENALTY take them)."""

_DOC_ACCOUNT = (
    "The lot's account, as named on the Accounts sheet (its type and owner come from there)."
)
_DOC_ACCOUNTS = (
    "Your Accounts table with its header row (Accounts[#All]): Account, Type, Owner, "
    "Separation date, SIMPLE start date."
)

_PARSED: dict[str, tuple[tuple[Any, ...], tuple[Any, ...], Any]] = {}
"""The last parse of the ranges a per-row function reads (the workbook's tables, the
Profile), one slot per kind, keyed by the range values passed (held here, so an id is
never reused) and the scalars the parse depends on. Ranges are read-only values. The
headless refresh passes the same lists for every Holdings row (a hit by identity);
Excel hands every call fresh lists of the same cells, which hit when they hold the same
values of the same types (a comparison costs far less than parsing the tables again, so
a recalculation parses them once, not once per Holdings row)."""


def _parsed(slot, objects, scalars, build):
    hit = _PARSED.get(slot)
    if hit is not None and hit[1] == scalars:
        if all(a is b for a, b in zip(hit[0], objects, strict=True)):
            return hit[2]
        if all(_same_cells(a, b) for a, b in zip(hit[0], objects, strict=True)):
            # Keep the objects just seen: the next call with them hits by identity.
            _PARSED[slot] = (objects, scalars, hit[2])
            return hit[2]
    value = build()
    _PARSED[slot] = (objects, scalars, value)
    return value


def _same_cells(a, b):
    """The same object, or two ranges (lists of rows) holding equal values of the same
    types: TRUE is not 1, and -0.0 is not 0.0 (either may parse differently)."""
    if a is b:
        return True
    if type(a) is not list or type(b) is not list or a != b:
        return False
    # Equal already: only the types, and the sign of a float zero, can still differ.
    pairs: Iterable[tuple[Any, Any]]
    for row_a, row_b in zip(a, b, strict=True):
        if type(row_a) is not type(row_b):
            return False
        if type(row_a) is list:  # a row of cells: types compared in C, zeros looked at
            if list(map(type, row_a)) != list(map(type, row_b)):
                return False
            pairs = zip(row_a, row_b, strict=True) if 0.0 in row_a else ()
        else:
            pairs = ((row_a, row_b),)
        for x, y in pairs:
            if type(x) is float and x == 0 and repr(x) != repr(y):
                return False
    return True


def _lot_tables(as_of, policy, accounts, activity, recurring, securities, holdings):
    from harvest_xl.engine.lot_questions import lot_tables  # first use: see _LAZY

    def build():
        return lot_tables(
            as_of,
            policy,
            records_from_table(accounts, "accounts", ("Account",)),
            records_from_table(activity, "activity"),
            records_from_table(recurring, "recurring"),
            records_from_table(securities, "securities"),
            None if holdings is None else records_from_table(holdings, "holdings", ("Ticker",)),
        )

    return _parsed(
        "wash", (accounts, activity, recurring, securities, holdings), (as_of, policy), build
    )


def _row_lot(tables, account, ticker, shares, cost_basis, price, acquired):
    """One Holdings row's lot and its cache key, converted once for the row's Harvest and
    Wash-sale risk cells: keyed by the parsed tables (the same object) and the lot's cells
    as given (type and repr, so 0.0 and -0.0 or 1 and TRUE are different keys). A cell
    that does not convert raises, and nothing is kept."""
    from harvest_xl.engine.lot_questions import held_lot  # first use: see _LAZY

    cells = (account, ticker, shares, cost_basis, price, acquired)
    key = tuple((type(v), repr(v)) for v in cells)
    lot = _parsed(
        "lot",
        (tables,),
        key,
        lambda: held_lot(
            tables,
            to_text(account, "account"),
            to_text(ticker, "ticker"),
            to_decimal(shares, "shares"),
            to_row_date(acquired, "acquired"),
            to_money(cost_basis, "cost_basis"),
            to_money(price, "price"),
        ),
    )
    return lot, key


def _lot_risk(tables, lot, key, compute):
    """The wash-sale risk of one Holdings lot (keyed as :func:`_row_lot`), computed once
    for its Harvest and Wash-sale risk cells."""
    return _parsed("risk", (tables,), key, lambda: compute(tables, lot))


_LOT_TABLE_ARGS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("account", _DOC_ACCOUNT, _VALUE),
    ("ticker", "Ticker of the lot you would sell.", _VALUE),
    ("shares", "Number of shares in the lot.", _VALUE),
    ("cost_basis", "What you paid for the lot in total, as paid.", _VALUE),
    ("price", "Today's price per share.", _VALUE),
    ("acquired", "Date you bought the lot.", _DATE),
    ("as_of", "Date you would sell, e.g. today (the Profile's As-of date).", _DATE),
    (
        "activity",
        "Your Activity table with its header row (Activity[#All]): Date, Account, Action, "
        "Ticker, Shares, Price, Cost basis, Acquired.",
        _RANGE,
    ),
    ("accounts", _DOC_ACCOUNTS, _RANGE),
    (
        "recurring",
        "Optional: your Recurring purchases table with its header row (Recurring[#All]): "
        "Account, Ticker, Amount, Frequency, Next date.",
        _RANGE,
    ),
    (
        "securities",
        "Optional: your Securities table with its header row (Securities[#All]): Ticker, "
        "Identical group, Substitute.",
        _RANGE,
    ),
    (
        "policy",
        'Optional: "conservative" (default) or "ignore", for purchases in a 401(k), 403(b), '
        "457(b) or HSA.",
        _VALUE,
    ),
    (
        "holdings",
        "Optional: your Holdings input columns with the header row "
        "(Holdings[[#All],[Account]:[Price]]), to price scheduled purchases of other tickers.",
        _RANGE,
    ),
)
"""Argument help shared by the per-lot functions that read the workbook's own tables."""


@xw.func(category=CATEGORY)
@_with_args(_LOT_TABLE_ARGS)
@_excel_safe(_scalar)
def HX_LOT_WASH_RISK(
    account, ticker, shares, cost_basis, price, acquired, as_of, activity, accounts,
    recurring=None, securities=None, policy="conservative", holdings=None,
):
    """Would selling this Holdings lot today be a wash sale? Reads your Activity, Recurring and Securities tables; names the purchase, the loss disallowed and the safe rebuy date, or None."""  # noqa: E501 (Excel help text: one line)
    from harvest_xl.engine.lot_questions import lot_wash_risk  # first use: see _LAZY

    sale_date = to_row_date(as_of, "as_of")
    tables = _lot_tables(
        sale_date, WashSalePolicy.parse(policy), accounts, activity, recurring, securities,
        holdings,
    )
    lot, key = _row_lot(tables, account, ticker, shares, cost_basis, price, acquired)
    risk = _lot_risk(tables, lot, key, lot_wash_risk)
    return risk.text if risk is not None and risk.text else NO_WASH_RISK


@xw.func(category=CATEGORY)
@_with_args(_LOT_TABLE_ARGS)
@xw.arg(
    "min_loss",
    doc="Optional: smallest loss in dollars worth harvesting (0 if omitted).",
    **_VALUE,
)
@xw.arg(
    "min_pct",
    doc="Optional: smallest loss worth harvesting, as a percentage of cost (5% or 0.05; "
    "0 if omitted).",
    **_VALUE,
)
@_excel_safe(_scalar)
def HX_LOT_HARVEST(
    account, ticker, shares, cost_basis, price, acquired, as_of, activity, accounts,
    recurring=None, securities=None, policy="conservative", holdings=None, min_loss=0,
    min_pct=0,
):
    """Should you sell this Holdings lot to harvest its loss? Harvest, Hold, No tax effect, or Blocked / At risk when a purchase within 30 days (your tables) would make it a wash sale."""  # noqa: E501 (Excel help text: one line)
    from harvest_xl.engine.lot_questions import (  # first use: see _LAZY
        harvest_status_with_risk,
        lot_wash_risk,
    )

    sale_date = to_row_date(as_of, "as_of")
    tables = _lot_tables(
        sale_date, WashSalePolicy.parse(policy), accounts, activity, recurring, securities,
        holdings,
    )
    lot, key = _row_lot(tables, account, ticker, shares, cost_basis, price, acquired)
    return harvest_status_with_risk(
        tables,
        lot,
        to_money(min_loss, "min_loss", ZERO),
        to_rate(min_pct, "min_pct", ZERO),
        lambda: _lot_risk(tables, lot, key, lot_wash_risk),
    ).text


def _lot_withdrawal(account, market_value, profile, accounts):
    from harvest_xl.engine.lot_questions import (  # first use: see _LAZY
        account_named,
        accounts_by_name,
        lot_withdrawal,
    )

    settings = _parsed("profile", (profile,), (), lambda: profile_from_pairs(profile))
    by_name = _parsed(
        "accounts",
        (accounts,),
        (),
        lambda: accounts_by_name(records_from_table(accounts, "accounts", ("Account",))),
    )
    found = account_named(by_name, to_text(account, "account"))
    amount = to_money(market_value, "market_value")
    # HX_LOT_PENALTY and HX_LOT_WITHDRAWAL_COST of one row ask the same question: answered
    # once (the key holds the converted account and amount, and the same profile object).
    return _parsed(
        "withdrawal",
        (settings,),
        (found, type(amount), str(amount)),
        lambda: lot_withdrawal(settings, found, amount),
    )


@xw.func(category=CATEGORY)
@xw.arg("account", doc=_DOC_ACCOUNT, **_VALUE)
@xw.arg("market_value", doc="What the lot is worth now: the amount you would withdraw.", **_VALUE)
@xw.arg("profile", doc=_DOC_PROFILE + " It needs the Birth date and As-of date.", **_RANGE)
@xw.arg("accounts", doc=_DOC_ACCOUNTS, **_RANGE)
@_excel_safe(_scalar)
def HX_LOT_PENALTY(account, market_value, profile, accounts):
    """Additional tax if this lot's value were withdrawn on the as-of date, with the account's separation and SIMPLE start dates from Accounts; "Needs Roth history" for a Roth, — if taxable."""  # noqa: E501 (Excel help text: one line)
    result = _lot_withdrawal(account, market_value, profile, accounts)
    if result.note:
        return NEEDS_ROTH_HISTORY
    if result.additional_tax is None:
        return NOT_APPLICABLE
    return _number(result.additional_tax)


@xw.func(category=CATEGORY)
@xw.arg("account", doc=_DOC_ACCOUNT, **_VALUE)
@xw.arg("market_value", doc="What the lot is worth now: the amount you would withdraw.", **_VALUE)
@xw.arg("profile", doc=_DOC_PROFILE + " It needs the Birth date and As-of date.", **_RANGE)
@xw.arg("accounts", doc=_DOC_ACCOUNTS, **_RANGE)
@_excel_safe(_scalar)
def HX_LOT_WITHDRAWAL_COST(account, market_value, profile, accounts):
    """Total tax cost (extra income tax, additional tax, state tax) of withdrawing this lot's value on the as-of date; "Needs Roth history" for a Roth, — for a taxable account."""  # noqa: E501 (Excel help text: one line)
    result = _lot_withdrawal(account, market_value, profile, accounts)
    if result.note:
        return NEEDS_ROTH_HISTORY
    if result.total_cost is None:
        return NOT_APPLICABLE
    return _number(result.total_cost)
