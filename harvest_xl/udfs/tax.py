# mypy: allow-untyped-defs, allow-untyped-calls
# (UDF parameters stay unannotated: the classic xlwings decorator turns a parameter's
# annotation into a converter, and cells arrive as anything at all.)
"""Tax of a year: HX_TAX (a plain standard-deduction return), HX_PROFILE_TAX (the household's
whole return), HX_LOSS_DEDUCTION, HX_CARRYOVER, HX_SAVING."""

from __future__ import annotations

from decimal import Decimal

import xlwings as xw

from harvest_xl.engine.harvest import harvest_saving
from harvest_xl.engine.household import household_tax
from harvest_xl.engine.models import FilingStatus, Term
from harvest_xl.engine.netting import carryover_to_next_year, loss_deduction
from harvest_xl.engine.tax import TaxReturn, federal_tax
from harvest_xl.inputs.cells import to_choice, to_decimal, to_int, to_money
from harvest_xl.inputs.profile import profile_from_range
from harvest_xl.results import number
from harvest_xl.udfs._common import (
    CATEGORY,
    DOC_FILING_STATUS,
    DOC_PROFILE,
    RANGE,
    VALUE,
    ContentCache,
    excel_safe,
    fixed_shape,
    scalar,
)
from harvest_xl.udfs.realized import (
    DOC_COUNTED_ACCOUNTS,
    DOC_COUNTED_ACTIVITY,
    DOC_COUNTED_SECURITIES,
    profile_with_trades,
)

ZERO = Decimal(0)


def _money_or_zero(value, argument):
    """An amount where an empty cell means 0, as in Excel arithmetic."""
    return to_money(value, argument, ZERO)


def _filing_status(value):
    return to_choice(value, "filing_status", FilingStatus.parse)


_PROFILES = ContentCache("profile")


def profile_of(rows):
    """The Profile of a ``profile`` range, read once per distinct content: a sheet of
    per-row formulas passes the same small range to every call."""
    return _PROFILES.get((rows,), lambda: profile_from_range(rows))


@xw.func(category=CATEGORY)
@xw.arg("year", doc="Tax year, 2018 to 2026.", **VALUE)
@xw.arg("filing_status", doc=DOC_FILING_STATUS, **VALUE)
@xw.arg(
    "ordinary_income",
    doc="All income except capital gains and qualified dividends (wages, interest, "
    "IRA withdrawals...), before the standard deduction. An empty cell counts as 0.",
    **VALUE,
)
@xw.arg(
    "st_gain",
    doc="This year's net short-term capital gain; a negative number is a net loss.",
    **VALUE,
)
@xw.arg(
    "lt_gain",
    doc="This year's net long-term capital gain; a negative number is a net loss.",
    **VALUE,
)
@xw.arg(
    "qualified_dividends", doc="Qualified dividends (optional, 0 if omitted).", **VALUE
)
@excel_safe(scalar)
def HX_TAX(year, filing_status, ordinary_income, st_gain, lt_gain, qualified_dividends=0):
    """Federal income tax (regular tax plus AMT) plus the 3.8% net investment income tax, with the standard deduction, for a year's income and net capital gains or losses."""  # noqa: E501 (Excel help text: one line)
    result = federal_tax(
        TaxReturn(
            year=to_int(year, "year"),
            filing_status=_filing_status(filing_status),
            ordinary_income=_money_or_zero(ordinary_income, "ordinary_income"),
            st_gain=_money_or_zero(st_gain, "st_gain"),
            lt_gain=_money_or_zero(lt_gain, "lt_gain"),
            qualified_dividends=_money_or_zero(qualified_dividends, "qualified_dividends"),
        )
    )
    return number(result.total)


@xw.func(category=CATEGORY)
@xw.arg("filing_status", doc=DOC_FILING_STATUS, **VALUE)
@xw.arg(
    "net_st",
    doc="Net short-term gain or loss for the year, including any short-term loss carried "
    "in (Schedule D line 7); a loss is negative.",
    **VALUE,
)
@xw.arg(
    "net_lt",
    doc="Net long-term gain or loss for the year, including any long-term loss carried "
    "in (Schedule D line 15); a loss is negative.",
    **VALUE,
)
@excel_safe(scalar)
def HX_LOSS_DEDUCTION(filing_status, net_st, net_lt):
    """Capital loss you can deduct from other income this year: up to $3,000 ($1,500 married filing separately); 0 when you have a net gain."""  # noqa: E501 (Excel help text: one line)
    return number(
        loss_deduction(
            _filing_status(filing_status),
            _money_or_zero(net_st, "net_st"),
            _money_or_zero(net_lt, "net_lt"),
        )
    )


@xw.func(category=CATEGORY)
@xw.arg("filing_status", doc=DOC_FILING_STATUS, **VALUE)
@xw.arg(
    "taxable_income",
    doc="Taxable income of the loss year (Form 1040 line 15), before it is floored at zero: "
    "a negative number is allowed.",
    **VALUE,
)
@xw.arg(
    "net_st",
    doc="Net short-term gain or loss of the loss year (Schedule D line 7); a loss is negative.",
    **VALUE,
)
@xw.arg(
    "net_lt",
    doc="Net long-term gain or loss of the loss year (Schedule D line 15); a loss is negative.",
    **VALUE,
)
@excel_safe(fixed_shape(1, 2))
def HX_CARRYOVER(filing_status, taxable_income, net_st, net_lt):
    """Capital loss carried to next year, as two cells side by side: short-term carryover, long-term carryover (Capital Loss Carryover Worksheet)."""  # noqa: E501 (Excel help text: one line)
    short_term, long_term = carryover_to_next_year(
        _filing_status(filing_status),
        to_decimal(taxable_income, "taxable_income", ZERO),
        _money_or_zero(net_st, "net_st"),
        _money_or_zero(net_lt, "net_lt"),
    )
    return [[number(short_term), number(long_term)]]


@xw.func(category=CATEGORY)
@xw.arg(
    "loss", doc="The loss you would realize, as a positive amount (cost minus value).", **VALUE
)
@xw.arg("term", doc="Long-term or Short-term, as HX_TERM gives it.", **VALUE)
@xw.arg("profile", doc=DOC_PROFILE, **RANGE)
@xw.arg("activity", doc=DOC_COUNTED_ACTIVITY, **RANGE)
@xw.arg("accounts", doc=DOC_COUNTED_ACCOUNTS, **RANGE)
@xw.arg("securities", doc=DOC_COUNTED_SECURITIES, **RANGE)
@excel_safe(scalar)
def HX_SAVING(loss, term, profile, activity=None, accounts=None, securities=None):
    """Tax this year's return saves if you realize this loss now: federal tax without it minus with it, plus your state rate on the part deducted this year (the rest carries over)."""  # noqa: E501 (Excel help text: one line)
    settings = profile_with_trades(profile_of(profile), activity, accounts, securities)
    saving = harvest_saving(settings, to_money(loss, "loss"), to_choice(term, "term", Term.parse))
    return number(saving.total)


@xw.func(category=CATEGORY)
@xw.arg("profile", doc=DOC_PROFILE, **RANGE)
@xw.arg(
    "extra_ordinary",
    doc="Optional: ordinary income to add (an IRA withdrawal, a bonus); negative subtracts.",
    **VALUE,
)
@xw.arg(
    "extra_st",
    doc="Optional: short-term capital gain to add; a negative number is a loss.",
    **VALUE,
)
@xw.arg(
    "extra_lt",
    doc="Optional: long-term capital gain to add; a negative number is a loss.",
    **VALUE,
)
@xw.arg("activity", doc=DOC_COUNTED_ACTIVITY, **RANGE)
@xw.arg("accounts", doc=DOC_COUNTED_ACCOUNTS, **RANGE)
@xw.arg("securities", doc=DOC_COUNTED_SECURITIES, **RANGE)
@excel_safe(scalar)
def HX_PROFILE_TAX(
    profile, extra_ordinary=0, extra_st=0, extra_lt=0, activity=None, accounts=None,
    securities=None,
):
    """Your household's federal income tax (regular tax plus AMT) plus NIIT from your Profile: ages, Social Security, itemized deductions and realized gains included, with optional amounts added."""  # noqa: E501 (Excel help text: one line)
    result = household_tax(
        profile_with_trades(profile_of(profile), activity, accounts, securities),
        _money_or_zero(extra_ordinary, "extra_ordinary"),
        _money_or_zero(extra_st, "extra_st"),
        _money_or_zero(extra_lt, "extra_lt"),
    )
    return number(result.total)
