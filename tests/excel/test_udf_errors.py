"""Bad input in a cell gives one short Excel-style error naming the argument, never a traceback."""
# ruff: noqa: E501  (one bad-input case per line, with the exact message users see)

from __future__ import annotations

import logging
from datetime import date

import pytest

from harvest_xl import udfs

TAX_OK = (2026, "single", 80000.0, 0.0, 0.0)
TERM_OK = (date(2025, 1, 2), date(2026, 1, 2))
PENALTY_OK = ("IRA", 3000.0, date(1990, 5, 1), date(2026, 5, 1))
HARVEST_OK = ("Taxable", 10000.0, 8000.0, date(2025, 1, 2), date(2026, 6, 1))
PROFILE_OK = [["Tax year", 2026.0], ["Filing status", "single"], ["Ordinary income", 90000.0]]
ACCOUNT_TYPES = "(Taxable, Traditional 401(k), Roth 401(k), 403(b), Governmental 457(b), Traditional IRA, Roth IRA, SEP IRA, SIMPLE IRA, HSA)"
WASH_RISK_OK = ("Taxable", "VTI", 100.0, 12000.0, 10000.0, date(2025, 1, 2), date(2026, 6, 1), None)
ROTH_OK = (70000.0, 60000.0, date(1985, 1, 1), date(2026, 6, 1))
HOLDINGS_HEADER = ["Account", "Ticker", "Shares", "Acquired", "Cost basis", "Price"]
PROFILE_ASOF = [*PROFILE_OK, ["As-of date", date(2026, 6, 1)]]
ROTH401K_OK = (12000.0, 21850.0, 23000.0, date(1976, 1, 1), date(2026, 6, 1))
IRA_ACCOUNTS = [["Account", "Type"], ["B", "IRA"]]
LOT_RISK_OK = ("B", "VTI", 1.0, 1.0, 1.0, date(2026, 1, 2), date(2026, 6, 1),
               [["Date", "Account", "Action", "Ticker", "Shares", "Price"]],
               [["Account", "Type"], ["B", "Taxable"]])  # fmt: skip
ACTIVITY_OK = [
    [date(2024, 1, 2), "Brokerage", "Taxable", "BUY", "VTI", 10.0, 100.0, None, None],
    [date(2024, 2, 1), "Brokerage", "Taxable", "SELL", "VTI", 10.0, 90.0, 1000.0, date(2024, 1, 2)],
]


def _replace(args, index, value):
    args = list(args)
    args[index] = value
    return args


def _cases():
    """(function, args, expected message) for every kind of bad input, per function."""
    yield "HX_TAX", _replace(TAX_OK, 0, 2017), "#VALUE! year: 2017 is outside the supported tax years 2018-2026"
    yield "HX_TAX", _replace(TAX_OK, 0, 2026.5), "#VALUE! year: 2026.5 is not a whole number"
    yield "HX_TAX", _replace(TAX_OK, 0, None), "#VALUE! year: is required but the cell is empty"
    yield "HX_TAX", _replace(TAX_OK, 1, "married"), "#VALUE! filing_status: 'married' is not one of single, mfj, mfs, hoh, qss"
    yield "HX_TAX", _replace(TAX_OK, 1, None), "#VALUE! filing_status: is required but the cell is empty"
    yield "HX_TAX", _replace(TAX_OK, 2, "lots"), "#VALUE! ordinary_income: 'lots' is not a number"
    yield "HX_TAX", _replace(TAX_OK, 3, "#N/A"), "#VALUE! st_gain: the cell holds the error #N/A"
    yield "HX_TAX", _replace(TAX_OK, 4, float("nan")), "#VALUE! lt_gain: nan is not a number"
    yield "HX_TAX", [*TAX_OK, -5.0], "#VALUE! qualified_dividends: must not be negative"
    yield "HX_TAX", _replace(TAX_OK, 2, [[1.0, 2.0]]), "#VALUE! ordinary_income: [[1.0, 2.0]] is not a number"
    yield "HX_LOSS_DEDUCTION", ["hog", -5000.0, 0.0], "#VALUE! filing_status: 'hog' is not one of single, mfj, mfs, hoh, qss"
    yield "HX_LOSS_DEDUCTION", ["single", "$5,00", 0.0], "#VALUE! net_st: '$5,00' is not a number"
    yield "HX_LOSS_DEDUCTION", ["single", 0.0, True], "#VALUE! net_lt: True is not a number"
    yield "HX_TERM", _replace(TERM_OK, 0, "2026-13-01"), "#VALUE! acquired: '2026-13-01' is not a date"
    yield "HX_TERM", _replace(TERM_OK, 1, None), "#VALUE! as_of: is required but the cell is empty"
    yield "HX_TERM", _replace(TERM_OK, 1, 60.0), "#VALUE! as_of: 1900-02-29 (Excel serial 60) is not a real date"
    yield "HX_TERM", [date(2026, 1, 2), date(2025, 1, 2)], "#VALUE! as_of: 2025-01-02 is before acquired 2026-01-02"
    yield "HX_TERM", [[[date(2026, 1, 2)]], date(2026, 1, 2)], "#VALUE! acquired: [[datetime.date(2026, 1, 2)]] is not..."
    yield "HX_SAFE_REBUY", ["soon"], "#VALUE! sale_date: 'soon' is not a date"
    yield "HX_SAFE_REBUY", [None], "#VALUE! sale_date: is required but the cell is empty"
    yield "HX_PENALTY", _replace(PENALTY_OK, 0, "Savings"), "#VALUE! account_type: 'Savings' is not an account type (Taxable, Traditional 401(k), Roth 401(k), 403(b), Governmental 457(b), Traditional IRA, Roth IRA, SEP IRA, SIMPLE IRA, HSA)"
    yield "HX_PENALTY", _replace(PENALTY_OK, 1, "ten"), "#VALUE! amount: 'ten' is not a number"
    yield "HX_PENALTY", _replace(PENALTY_OK, 1, None), "#VALUE! amount: is required but the cell is empty"
    yield "HX_PENALTY", _replace(PENALTY_OK, 2, "1990-02-30"), "#VALUE! birth_date: '1990-02-30' is not a date"
    yield "HX_PENALTY", _replace(PENALTY_OK, 3, None), "#VALUE! withdrawal_date: is required but the cell is empty"
    yield "HX_PENALTY", [*PENALTY_OK, 2.5], "#VALUE! exception: 2.5 is not text"
    yield "HX_PENALTY", [*PENALTY_OK, "", "last year"], "#VALUE! separation_date: 'last year' is not a date"
    yield "HX_HARVEST", _replace(HARVEST_OK, 0, "Checking"), f"#VALUE! account_type: 'Checking' is not an account type {ACCOUNT_TYPES}"
    yield "HX_HARVEST", _replace(HARVEST_OK, 1, "$10,000.0.0"), "#VALUE! cost_basis: '$10,000.0.0' is not a number"
    yield "HX_HARVEST", _replace(HARVEST_OK, 2, None), "#VALUE! market_value: is required but the cell is empty"
    yield "HX_HARVEST", _replace(HARVEST_OK, 2, -5.0), "#VALUE! market_value: -5 is negative"
    yield "HX_HARVEST", _replace(HARVEST_OK, 3, "2025-02-29"), "#VALUE! acquired: '2025-02-29' is not a date"
    yield "HX_HARVEST", _replace(HARVEST_OK, 4, "#REF!"), "#VALUE! as_of: the cell holds the error #REF!"
    yield "HX_HARVEST", [*HARVEST_OK, 0.0, 5.0], "#VALUE! min_pct: 5 is not a rate between 0% and 100% (type 5% or 0.05)"
    yield "HX_HARVEST", [*HARVEST_OK, [[1.0], [2.0]]], "#VALUE! min_loss: [[1.0], [2.0]] is not a number"
    yield "HX_SAVING", [2000.0, "medium", PROFILE_OK], "#VALUE! term: 'medium' is not Long-term or Short-term"
    yield "HX_SAVING", [-2000.0, "Long-term", PROFILE_OK], "#VALUE! loss: -2000 is negative: enter a loss as a positive amount"
    yield "HX_SAVING", ["x", "Long-term", PROFILE_OK], "#VALUE! loss: 'x' is not a number"
    yield "HX_SAVING", [2000.0, "LT", [["Tax year", 2026.0]]], "#VALUE! profile: Filing status: is missing (it is required)"
    yield "HX_SAVING", [2000.0, "LT", [["Tax year", 2016.0], ["Filing status", "s"]]], "#VALUE! profile: Tax year: 2016 is outside the supported tax years 2018-2026"
    yield "HX_SAVING", [2000.0, "LT", None], "#VALUE! profile: Tax year: is missing (it is required)"
    yield "HX_WASH_RISK", _replace(WASH_RISK_OK, 0, "Piggy bank"), f"#VALUE! account_type: 'Piggy bank' is not an account type {ACCOUNT_TYPES}"
    yield "HX_WASH_RISK", _replace(WASH_RISK_OK, 1, None), "#VALUE! ticker: is required but the cell is empty"
    yield "HX_WASH_RISK", _replace(WASH_RISK_OK, 2, 0.0), "#VALUE! shares: 0 is not a positive number of shares"
    yield "HX_WASH_RISK", _replace(WASH_RISK_OK, 3, "x"), "#VALUE! cost_basis: 'x' is not a number"
    yield "HX_WASH_RISK", _replace(WASH_RISK_OK, 5, "2025-02-29"), "#VALUE! acquired: '2025-02-29' is not a date"
    yield "HX_WASH_RISK", _replace(WASH_RISK_OK, 7, [[date(2026, 5, 1), "B", "Taxable", "SWAP", "VTI", 1.0, 1.0]]), "#VALUE! activity: row 1, Action: 'SWAP' is not BUY or SELL"
    yield "HX_WASH_RISK", [*WASH_RISK_OK, None, "maybe"], "#VALUE! policy: 'maybe' is not one of conservative, ignore"
    yield "HX_ROTH_TAXABLE", _replace(ROTH_OK, 0, "a lot"), "#VALUE! amount: 'a lot' is not a number"
    yield "HX_ROTH_TAXABLE", _replace(ROTH_OK, 1, "#N/A"), "#VALUE! contributions: the cell holds the error #N/A"
    yield "HX_ROTH_TAXABLE", _replace(ROTH_OK, 2, "1985-13-01"), "#VALUE! birth_date: '1985-13-01' is not a date"
    yield "HX_ROTH_TAXABLE", _replace(ROTH_OK, 3, None), "#VALUE! withdrawal_date: is required but the cell is empty"
    yield "HX_ROTH_TAXABLE", [*ROTH_OK, [[2023.5, 100.0]]], "#VALUE! conversions: row 1, year: 2023.5 is not a whole number"
    yield "HX_ROTH_TAXABLE", [*ROTH_OK, [[2023.0]]], "#VALUE! conversions: needs columns: year, taxable, non-taxable"
    yield "HX_ROTH_TAXABLE", [*ROTH_OK, None, "two thousand"], "#VALUE! first_contribution_year: 'two thousand' is not a number"
    yield "HX_PENALTY", [*PENALTY_OK, "medical", None, None, "x", 50000.0], "#VALUE! expenses: 'x' is not a number"
    yield "HX_PENALTY", [*PENALTY_OK, "medical", None, None, -5.0, 50000.0], "#VALUE! expenses: must not be negative"
    yield "HX_PENALTY_WHY", [*PENALTY_OK, "", None, None, None, "#N/A"], "#VALUE! agi: the cell holds the error #N/A"
    yield "HX_PENALTY", [*PENALTY_OK, "", None, None, None, None, "lots"], "#VALUE! rolled_in: 'lots' is not a number"
    yield "HX_ROTH401K_TAXABLE", [12000.0, 23001.0, *ROTH401K_OK[2:]], "#VALUE! basis: is more than the balance"
    yield "HX_ROTH401K_TAXABLE", [24000.0, *ROTH401K_OK[1:]], "#VALUE! amount: is more than the balance"
    yield "HX_ROTH401K_PENALTY", [*ROTH401K_OK, None, "", 13000.0], "#VALUE! rolled_over: is more than the distribution"
    yield "HX_ROTH401K_PENALTY", _replace(ROTH401K_OK, 3, date(1960, 1, 1)), "#VALUE! first_contribution_year: is needed to know whether the 5 years have passed"
    yield "HX_ROTH401K_TAXABLE", [*ROTH401K_OK, "soon"], "#VALUE! first_contribution_year: 'soon' is not a number"
    yield "HX_ROTH401K_TAXABLE", _replace(ROTH401K_OK, 2, None), "#VALUE! balance: is required but the cell is empty"
    yield "HX_LOT_WASH_RISK", _replace(LOT_RISK_OK, 2, 0.0), "#VALUE! shares: 0 is not a positive number of shares"
    yield "HX_LOT_WASH_RISK", _replace(LOT_RISK_OK, 7, [[1.0, 2.0]]), "#VALUE! activity: the first row must be the table's header row (select Table[#All])"
    yield "HX_LOT_WASH_RISK", _replace(LOT_RISK_OK, 8, [["Acct"]]), "#VALUE! accounts: has no 'Account' column in its header row"
    yield "HX_LOT_WASH_RISK", _replace(LOT_RISK_OK, 5, date(2026, 7, 2)), "#VALUE! acquired: 2026-07-02 is after the as-of date 2026-06-01"
    yield "HX_LOT_WASH_RISK", [*LOT_RISK_OK, None, None, "maybe"], "#VALUE! policy: 'maybe' is not one of conservative, ignore"
    yield "HX_LOT_WASH_RISK", _replace(LOT_RISK_OK, 1, None), "#VALUE! ticker: is required but the cell is empty"
    yield "HX_LOT_WASH_RISK", _replace(LOT_RISK_OK, 4, "x"), "#VALUE! price: 'x' is not a number"
    yield "HX_LOT_WASH_RISK", _replace(LOT_RISK_OK, 0, "Savings"), "#VALUE! account: 'Savings' is not on the Accounts sheet (or its row there has a problem)"
    yield "HX_LOT_HARVEST", _replace(LOT_RISK_OK, 2, 0.0), "#VALUE! shares: 0 is not a positive number of shares"
    yield "HX_LOT_HARVEST", _replace(LOT_RISK_OK, 7, [[1.0, 2.0]]), "#VALUE! activity: the first row must be the table's header row (select Table[#All])"
    yield "HX_LOT_HARVEST", _replace(LOT_RISK_OK, 8, [["Acct"]]), "#VALUE! accounts: has no 'Account' column in its header row"
    yield "HX_LOT_HARVEST", _replace(LOT_RISK_OK, 5, date(2026, 7, 2)), "#VALUE! acquired: 2026-07-02 is after the as-of date 2026-06-01"
    yield "HX_LOT_HARVEST", _replace(LOT_RISK_OK, 6, None), "#VALUE! as_of: is required but the cell is empty"
    yield "HX_LOT_HARVEST", [*LOT_RISK_OK, None, None, "maybe"], "#VALUE! policy: 'maybe' is not one of conservative, ignore"
    yield "HX_LOT_HARVEST", _replace(LOT_RISK_OK, 3, -1.0), "#VALUE! cost_basis: -1 is negative"
    yield "HX_LOT_HARVEST", _replace(LOT_RISK_OK, 0, "Savings"), "#VALUE! account: 'Savings' is not on the Accounts sheet (or its row there has a problem)"
    yield "HX_LOT_HARVEST", [*LOT_RISK_OK, None, None, None, None, -5.0], "#VALUE! min_loss: -5 is negative"
    yield "HX_LOT_HARVEST", [*LOT_RISK_OK, None, None, None, None, "lots"], "#VALUE! min_loss: 'lots' is not a number"
    yield "HX_LOT_HARVEST", [*LOT_RISK_OK, None, None, None, None, 0.0, 1.5], "#VALUE! min_pct: 1.5 is not a rate between 0% and 100% (type 5% or 0.05)"
    yield "HX_LOT_HARVEST", [*LOT_RISK_OK, None, None, None, None, 0.0, "#N/A"], "#VALUE! min_pct: the cell holds the error #N/A"
    yield "HX_LOT_PENALTY", ["B", 1.0, PROFILE_ASOF, IRA_ACCOUNTS], "#VALUE! birth_date: the profile has no birth date"
    yield "HX_LOT_PENALTY", ["B", "x", PROFILE_ASOF, IRA_ACCOUNTS], "#VALUE! market_value: 'x' is not a number"
    yield "HX_LOT_WITHDRAWAL_COST", ["B", 1.0, [["Tax year", 2025.0], *PROFILE_ASOF[1:], ["Birth date", date(1980, 1, 1)]], IRA_ACCOUNTS], "#VALUE! As-of date: is in 2026, but the profile describes tax year 2025"
    yield "HX_LOT_WITHDRAWAL_COST", ["B", 1.0, PROFILE_ASOF, None], "#VALUE! account: 'B' is not on the Accounts sheet (or its row there has a problem)"
    yield "HX_LOT_WITHDRAWAL_COST", ["B", 1.0, PROFILE_OK, IRA_ACCOUNTS], "#VALUE! As-of date: the profile has no as-of date"
    yield "HX_PENALTY_WHY", _replace(PENALTY_OK, 0, 401), "#VALUE! account_type: 401 is not an account type (Taxable, Traditional 401(k), Roth 401(k), 403(b), Governmental 457(b), Traditional IRA, Roth IRA, SEP IRA, SIMPLE IRA, HSA)"


def _array_cases():
    yield "HX_CARRYOVER", ["single", "x", -7000.0, 0.0], "#VALUE! taxable_income: 'x' is not a number", (1, 2)
    yield "HX_CARRYOVER", ["qx", 2000.0, -7000.0, 0.0], "#VALUE! filing_status: 'qx' is not one of single, mfj, mfs, hoh, qss", (1, 2)
    yield "HX_WITHDRAWAL_COST", ["IRA", 1000.0, "1990-01-01", "2026-03-01", [["Tax year", 2026.0], ["Filing", "single"]]], "#VALUE! profile: Filing status: expected the key 'Filing status' but found 'Filing'", (6, 1)
    yield "HX_WITHDRAWAL_COST", ["IRA", 1000.0, "1990-01-01", "2025-03-01", PROFILE_OK], "#VALUE! withdrawal_date: is in 2025, but the profile describes tax year 2026", (6, 1)
    yield "HX_WITHDRAWAL_COST", ["Bank", 1000.0, "1990-01-01", "2026-03-01", PROFILE_OK], f"#VALUE! account_type: 'Bank' is not an account type {ACCOUNT_TYPES}", (6, 1)
    yield "HX_WITHDRAWAL_COST", ["IRA", "lots", "1990-01-01", "2026-03-01", PROFILE_OK], "#VALUE! amount: 'lots' is not a number", (6, 1)
    yield "HX_WITHDRAWAL_COST", ["IRA", 1000.0, None, "2026-03-01", PROFILE_OK], "#VALUE! birth_date: is required but the cell is empty", (6, 1)
    yield "HX_WITHDRAWAL_COST", ["IRA", 1000.0, "1990-01-01", "2026-03-01", PROFILE_OK, "lottery"], "#VALUE! exception: ", (6, 1)
    yield "HX_EVALUATE", [[["Brokerage", "VTI", 1.0]], None, None, None, None, PROFILE_ASOF], "#VALUE! holdings: the first row must be the table's header row (select Table[#All])", (1, 1)
    yield "HX_EVALUATE", [[["Acct", "Ticker"]], None, None, None, None, PROFILE_ASOF], "#VALUE! holdings: has no 'Account' column in its header row", (1, 1)
    yield "HX_EVALUATE", [[HOLDINGS_HEADER], None, None, None, None, PROFILE_OK], "#VALUE! As-of date: the profile has no as-of date", (1, 1)
    yield "HX_EVALUATE", [[HOLDINGS_HEADER], [[1.0, 2.0]], None, None, None, PROFILE_ASOF], "#VALUE! accounts: the first row must be the table's header row (select Table[#All])", (1, 1)
    yield "HX_EVALUATE", [[HOLDINGS_HEADER], None, None, None, None, [["Tax year", "soon"]]], "#VALUE! profile: Tax year: 'soon' is not a number", (1, 1)
    yield "HX_EVALUATE", [[[[HOLDINGS_HEADER]]], None, None, None, None, PROFILE_ASOF], "#VALUE! holdings: is not a range of rows and columns", (1, 1)
    yield "HX_WASH_SALES", [[[1, 2], [3]]], "#VALUE! activity: row 1 has 2 columns; 9 are needed", (1, 1)
    yield "HX_WASH_SALES", [[[*ACTIVITY_OK[0][:3], "HOLD", *ACTIVITY_OK[0][4:]]]], "#VALUE! activity: row 1, Action: 'HOLD' is not BUY or SELL", (1, 1)
    yield "HX_WASH_SALES", [[ACTIVITY_OK[0], [*ACTIVITY_OK[1][:2], "Checking", *ACTIVITY_OK[1][3:]]]], "#VALUE! activity: row 2, Type: 'Checking' is not an account type (Taxable, Traditional 401(k), Roth 401(k), 403(b), Governmental 457(b), Traditional IRA, Roth IRA, SEP IRA, SIMPLE IRA, HSA)", (1, 1)
    yield "HX_WASH_SALES", [[["Date", "Account"], ["2024-13-01", "B", "Taxable", "BUY", "X", 1.0, 1.0]]], "#VALUE! activity: row 2, Date: '2024-13-01' is not a date", (1, 1)
    yield "HX_WASH_SALES", [[ACTIVITY_OK[0], [*ACTIVITY_OK[1][:5], "ten", *ACTIVITY_OK[1][6:]]]], "#VALUE! activity: row 2, Shares: 'ten' is not a number", (1, 1)
    yield "HX_WASH_SALES", [[ACTIVITY_OK[0], [*ACTIVITY_OK[1][:7], None, ACTIVITY_OK[1][8]]]], "#VALUE! activity: row 2, Cost basis: a SELL row needs the cost basis it names", (1, 1)
    yield "HX_WASH_SALES", [[[[1]]]], "#VALUE! activity: is not a range of rows and columns", (1, 1)
    yield "HX_WASH_SALES", [ACTIVITY_OK, [["VTI"]]], "#VALUE! identical: needs two columns: ticker and group", (1, 1)
    yield "HX_WASH_SALES", [ACTIVITY_OK, [["VTI", "a"], ["VTI", "b"]]], "#VALUE! identical: VTI is in two groups", (1, 1)
    yield "HX_WASH_SALES", [ACTIVITY_OK, None, "strict"], "#VALUE! policy: 'strict' is not one of conservative, ignore", (1, 1)


CASES = list(_cases())
ARRAY_CASES = list(_array_cases())


@pytest.mark.parametrize(
    ("name", "args", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_bad_input_gives_one_error_text(name, args, expected):
    """Each kind of bad input (date, number, category, missing, shape) names its argument."""
    result = getattr(udfs, name)(*args)
    if expected.endswith("..."):
        assert isinstance(result, str) and result.startswith(expected[:-3])
    else:
        assert result == expected
    assert len(result) <= 255


@pytest.mark.parametrize(
    ("name", "args", "expected", "shape"),
    ARRAY_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(ARRAY_CASES)],
)
def test_array_function_puts_the_error_in_its_first_cell(name, args, expected, shape):
    """An array function returns its usual shape with the error text in the first cell."""
    result = getattr(udfs, name)(*args)
    if expected.endswith(": "):
        assert result[0][0].startswith(expected), result[0][0]
    else:
        assert result[0][0] == expected
    assert (len(result), len(result[0])) == shape
    assert all(cell == "" for row in result for cell in row[1:] + [r[0] for r in result[1:]])


def test_unexpected_exception_is_logged_and_short(monkeypatch, caplog):
    """A bug inside the engine becomes '#VALUE! unexpected error: ...' plus a logged traceback."""

    def broken(*args):
        raise ZeroDivisionError("division by zero\nmore detail")

    from harvest_xl.udfs import holdings as holdings_module

    monkeypatch.setattr(holdings_module, "holding_term", broken)
    with caplog.at_level(logging.ERROR, logger="xlwings.udfs.harvest_xl"):
        result = udfs.HX_TERM(date(2025, 1, 2), date(2026, 1, 2))
    assert result == "#VALUE! unexpected error: ZeroDivisionError: division by zero"
    assert "HX_TERM" in caplog.text
    assert caplog.records[0].exc_info is not None


def test_error_text_is_cut_to_255():
    """A very long problem is cut so Excel shows it whole."""
    from harvest_xl.engine.errors import HarvestInputError

    text = udfs.error_text(HarvestInputError("activity", "x" * 400))
    assert len(text) == 255 and text.endswith("...")
