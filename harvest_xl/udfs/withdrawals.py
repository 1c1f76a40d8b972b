# mypy: allow-untyped-defs, allow-untyped-calls
# (UDF parameters stay unannotated: the classic xlwings decorator turns a parameter's
# annotation into a converter, and cells arrive as anything at all.)
"""Early withdrawals: HX_PENALTY, HX_PENALTY_WHY, HX_WITHDRAWAL_COST and the Roth functions."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import xlwings as xw

from harvest_xl.engine.models import AccountType
from harvest_xl.engine.roth import designated_roth_distribution, roth_ira_distribution
from harvest_xl.engine.withdrawal_cost import withdrawal_cost
from harvest_xl.engine.withdrawals import early_withdrawal_additional_tax, explain_penalty
from harvest_xl.inputs.cells import to_choice, to_date, to_int, to_money, to_text
from harvest_xl.inputs.ranges import to_table
from harvest_xl.inputs.tables import conversions_from_rows
from harvest_xl.results import number, withdrawal_column
from harvest_xl.udfs._common import (
    CATEGORY,
    DATE,
    DOC_ACCOUNT_TYPE,
    DOC_EXCEPTION,
    DOC_PROFILE,
    RANGE,
    VALUE,
    excel_safe,
    fixed_shape,
    scalar,
    with_args,
)
from harvest_xl.udfs.realized import (
    DOC_COUNTED_ACCOUNTS,
    DOC_COUNTED_ACTIVITY,
    DOC_COUNTED_SECURITIES,
    profile_with_trades,
)
from harvest_xl.udfs.tax import profile_of

ZERO = Decimal(0)

_DOC_SEPARATION = (
    "Optional: date you left the employer, for the leave-at-55 rule "
    "(age 50 for public safety employees). Employer plans only."
)
_DOC_PARTICIPATION = (
    "Optional: date you first joined the SIMPLE IRA plan (25% instead of 10% in the first "
    "two years). Needed for a SIMPLE IRA."
)


def _account_type(value):
    return to_choice(value, "account_type", AccountType.parse)


def _penalty_args(
    account_type, amount, birth_date, withdrawal_date, exception, separation_date,
    participation_start,
):
    return (
        _account_type(account_type),
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
    ("account_type", DOC_ACCOUNT_TYPE, VALUE),
    (
        "amount",
        "Amount withdrawn that counts as income (for a Roth or HSA: the taxable or "
        "non-medical part).",
        VALUE,
    ),
    ("birth_date", "Your date of birth (the age 59½ and 55 rules use it).", DATE),
    ("withdrawal_date", "Date of the withdrawal.", DATE),
    ("exception", DOC_EXCEPTION, VALUE),
    ("separation_date", _DOC_SEPARATION, DATE),
    ("participation_start", _DOC_PARTICIPATION, DATE),
    ("expenses", _DOC_EXPENSES, VALUE),
    ("agi", _DOC_AGI, VALUE),
    ("rolled_in", _DOC_ROLLED_IN, VALUE),
)
"""Argument help shared by HX_PENALTY and HX_PENALTY_WHY (the same arguments, in order)."""


@xw.func(category=CATEGORY)
@with_args(_PENALTY_ARGS)
@excel_safe(scalar)
def HX_PENALTY(
    account_type, amount, birth_date, withdrawal_date, exception="", separation_date=None,
    participation_start=None, expenses=None, agi=None, rolled_in=None,
):
    """Additional tax on an early withdrawal from a retirement account or HSA: 10% before 59½ (25% early in a SIMPLE IRA, 20% for an HSA before 65), less the exceptions that apply to that account."""  # noqa: E501 (Excel help text: one line)
    return number(
        early_withdrawal_additional_tax(
            *_penalty_args(
                account_type, amount, birth_date, withdrawal_date, exception,
                separation_date, participation_start,
            ),
            **_penalty_facts(expenses, agi, rolled_in),
        )
    )


@xw.func(category=CATEGORY)
@with_args(_PENALTY_ARGS)
@excel_safe(scalar)
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


@xw.func(category=CATEGORY)
@xw.arg("account_type", doc=DOC_ACCOUNT_TYPE, **VALUE)
@xw.arg("amount", doc="Amount you would withdraw.", **VALUE)
@xw.arg("birth_date", doc="Your date of birth (the age 59½ and 55 rules use it).", **DATE)
@xw.arg(
    "withdrawal_date",
    doc="Date of the withdrawal; it must fall in the Profile's tax year.",
    **DATE,
)
@xw.arg("profile", doc=DOC_PROFILE, **RANGE)
@xw.arg("exception", doc=DOC_EXCEPTION, **VALUE)
@xw.arg("activity", doc=DOC_COUNTED_ACTIVITY, **RANGE)
@xw.arg("accounts", doc=DOC_COUNTED_ACCOUNTS, **RANGE)
@xw.arg("securities", doc=DOC_COUNTED_SECURITIES, **RANGE)
@excel_safe(fixed_shape(6, 1))
def HX_WITHDRAWAL_COST(
    account_type, amount, birth_date, withdrawal_date, profile, exception="", activity=None,
    accounts=None, securities=None,
):
    """What an early withdrawal really costs, as 6 cells down: extra federal income tax, additional tax, state tax, total cost, what you keep after all taxes, and the amount withheld when paid."""  # noqa: E501 (Excel help text: one line)
    settings = profile_with_trades(profile_of(profile), activity, accounts, securities)
    cost = withdrawal_cost(
        replace(settings, birth_date=to_date(birth_date, "birth_date")),
        _account_type(account_type),
        to_money(amount, "amount"),
        to_date(withdrawal_date, "withdrawal_date"),
        to_text(exception, "exception", None),
    )
    return withdrawal_column(cost)


def _roth_arguments(func):
    """The argument help shared by HX_ROTH_TAXABLE and HX_ROTH_PENALTY."""
    decorators = [
        xw.arg("amount", doc="Amount you would withdraw from the Roth IRA.", **VALUE),
        xw.arg(
            "contributions",
            doc="Your regular Roth IRA contributions not yet withdrawn (they come out first, "
            "tax free).",
            **VALUE,
        ),
        xw.arg("birth_date", doc="Your date of birth.", **DATE),
        xw.arg("withdrawal_date", doc="Date of the withdrawal.", **DATE),
        xw.arg(
            "conversions",
            doc="Optional: your conversions not yet withdrawn, one row per year: year, taxable "
            "amount, non-taxable amount.",
            **RANGE,
        ),
        xw.arg(
            "first_contribution_year",
            doc="Optional: year of your first Roth IRA contribution (starts the 5-year clock).",
            **VALUE,
        ),
        xw.arg("exception", doc=DOC_EXCEPTION, **VALUE),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def _roth_distribution(
    amount, contributions, birth_date, withdrawal_date, conversions, first_contribution_year,
    exception,
):
    return roth_ira_distribution(
        to_money(amount, "amount"),
        to_money(contributions, "contributions", ZERO),
        conversions_from_rows(to_table(conversions, "conversions")),
        birth_date=to_date(birth_date, "birth_date"),
        withdrawal_date=to_date(withdrawal_date, "withdrawal_date"),
        first_contribution_year=to_int(first_contribution_year, "first_contribution_year", None),
        exception=to_text(exception, "exception", None),
    )


@xw.func(category=CATEGORY)
@_roth_arguments
@excel_safe(scalar)
def HX_ROTH_TAXABLE(
    amount, contributions, birth_date, withdrawal_date, conversions=None,
    first_contribution_year=None, exception="",
):
    """Taxable part of a Roth IRA withdrawal: contributions come out first tax free, then conversions, then earnings, which are taxable unless the withdrawal is qualified (59½ and 5 years)."""  # noqa: E501 (Excel help text: one line)
    return number(
        _roth_distribution(
            amount, contributions, birth_date, withdrawal_date, conversions,
            first_contribution_year, exception,
        ).taxable
    )


@xw.func(category=CATEGORY)
@_roth_arguments
@excel_safe(scalar)
def HX_ROTH_PENALTY(
    amount, contributions, birth_date, withdrawal_date, conversions=None,
    first_contribution_year=None, exception="",
):
    """Additional 10% tax on a Roth IRA withdrawal before 59½: on taxable earnings, and on converted amounts taken out within 5 years of their conversion, less the exceptions that apply."""  # noqa: E501 (Excel help text: one line)
    return number(
        _roth_distribution(
            amount, contributions, birth_date, withdrawal_date, conversions,
            first_contribution_year, exception,
        ).additional_tax
    )


def _roth401k_arguments(func):
    """The argument help shared by HX_ROTH401K_TAXABLE and HX_ROTH401K_PENALTY."""
    decorators = [
        xw.arg("amount", doc="Amount you would withdraw from the Roth 401(k).", **VALUE),
        xw.arg(
            "basis",
            doc="Your designated Roth contributions in the account (its basis), before the "
            "withdrawal.",
            **VALUE,
        ),
        xw.arg(
            "balance",
            doc="The account balance before the withdrawal (contributions plus earnings).",
            **VALUE,
        ),
        xw.arg("birth_date", doc="Your date of birth.", **DATE),
        xw.arg("withdrawal_date", doc="Date of the withdrawal.", **DATE),
        xw.arg(
            "first_contribution_year",
            doc="Optional: year of your first Roth contribution to this plan (its own 5-year "
            "clock); needed from age 59½.",
            **VALUE,
        ),
        xw.arg("exception", doc=DOC_EXCEPTION, **VALUE),
        xw.arg(
            "rolled_over",
            doc="Optional: part of the withdrawal you roll over within 60 days (it counts as "
            "earnings first).",
            **VALUE,
        ),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def _roth401k_distribution(
    amount, basis, balance, birth_date, withdrawal_date, first_contribution_year, exception,
    rolled_over,
):
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
@excel_safe(scalar)
def HX_ROTH401K_TAXABLE(
    amount, basis, balance, birth_date, withdrawal_date, first_contribution_year=None,
    exception="", rolled_over=0,
):
    """Taxable part of a Roth 401(k) withdrawal: a pro-rata share of earnings (basis comes out in proportion), none if qualified (59½ and 5 years) or rolled over."""  # noqa: E501 (Excel help text: one line)
    return number(
        _roth401k_distribution(
            amount, basis, balance, birth_date, withdrawal_date, first_contribution_year,
            exception, rolled_over,
        ).includible
    )


@xw.func(category=CATEGORY)
@_roth401k_arguments
@excel_safe(scalar)
def HX_ROTH401K_PENALTY(
    amount, basis, balance, birth_date, withdrawal_date, first_contribution_year=None,
    exception="", rolled_over=0,
):
    """Additional 10% tax on a Roth 401(k) withdrawal before 59½: on its taxable earnings part, less the exceptions that apply to an employer plan."""  # noqa: E501 (Excel help text: one line)
    return number(
        _roth401k_distribution(
            amount, basis, balance, birth_date, withdrawal_date, first_contribution_year,
            exception, rolled_over,
        ).additional_tax
    )


