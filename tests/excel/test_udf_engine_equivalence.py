"""Each HX_ function returns exactly what its engine function returns on the same inputs.

The UDFs receive cell-like values (floats, text, serials, datetimes); the engine is called
here directly with the equivalent typed values. Any difference means the adapter added or
lost something.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from harvest_xl import udfs
from harvest_xl.engine.harvest import harvest_saving, harvest_status
from harvest_xl.engine.holding import holding_term
from harvest_xl.engine.lots import Action, Activity, IdenticalGroups
from harvest_xl.engine.models import AccountType, FilingStatus, Term, WashSalePolicy
from harvest_xl.engine.netting import carryover_to_next_year, loss_deduction
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.tax import TaxReturn, federal_tax
from harvest_xl.engine.wash_sale import match_wash_sales, safe_rebuy_date
from harvest_xl.engine.withdrawal_cost import withdrawal_cost
from harvest_xl.engine.withdrawals import early_withdrawal_additional_tax, explain_penalty

D = Decimal


@pytest.mark.parametrize(
    ("cells", "ret"),
    [
        (
            (2026.0, "Single", "$95,000", -1500.0, 4000.0),
            TaxReturn(2026, FilingStatus.SINGLE, D(95000), D(-1500), D(4000)),
        ),
        (
            (2024.0, "Married filing jointly", 250000.0, 10000.0, 300000.0, 12000.0),
            TaxReturn(2024, FilingStatus.MFJ, D(250000), D(10000), D(300000), D(12000)),
        ),
        (
            ("2019", "hoh", 0.0, -20000.0, None),
            TaxReturn(2019, FilingStatus.HOH, D(0), D(-20000), D(0)),
        ),
    ],
)
def test_hx_tax_equals_engine(cells, ret):
    """HX_TAX = federal_tax(...).total."""
    assert udfs.HX_TAX(*cells) == float(federal_tax(ret).total)


@pytest.mark.parametrize(
    ("cells", "args"),
    [
        (("single", -7000.0, 0.0), (FilingStatus.SINGLE, D(-7000), D(0))),
        (("mfs", "(4,000)", -500.0), (FilingStatus.MFS, D(-4000), D(-500))),
        (("mfj", 5000.0, -1000.0), (FilingStatus.MFJ, D(5000), D(-1000))),
    ],
)
def test_hx_loss_deduction_equals_engine(cells, args):
    """HX_LOSS_DEDUCTION = loss_deduction(...)."""
    assert udfs.HX_LOSS_DEDUCTION(*cells) == float(loss_deduction(*args))


@pytest.mark.parametrize(
    ("cells", "args"),
    [
        (("single", 2000.0, -7000.0, 0.0), (FilingStatus.SINGLE, D(2000), D(-7000), D(0))),
        (("single", -1500.0, -5000.0, 0.0), (FilingStatus.SINGLE, D(-1500), D(-5000), D(0))),
        (("mfs", 30000.0, -1000.0, -4000.0), (FilingStatus.MFS, D(30000), D(-1000), D(-4000))),
    ],
)
def test_hx_carryover_equals_engine(cells, args):
    """HX_CARRYOVER = [carryover_to_next_year(...)] as one row."""
    st, lt = carryover_to_next_year(*args)
    assert udfs.HX_CARRYOVER(*cells) == [[float(st), float(lt)]]


@pytest.mark.parametrize(
    ("acquired", "as_of", "a", "b"),
    [
        (45000.0, "2024-03-16", date(2023, 3, 15), date(2024, 3, 16)),
        (datetime(2024, 2, 29, 10), "2/28/2025", date(2024, 2, 29), date(2025, 2, 28)),
    ],
)
def test_hx_term_equals_engine(acquired, as_of, a, b):
    """HX_TERM = holding_term(...).value."""
    assert udfs.HX_TERM(acquired, as_of) == holding_term(a, b).value


def test_hx_safe_rebuy_equals_engine():
    """HX_SAFE_REBUY = safe_rebuy_date(...)."""
    assert udfs.HX_SAFE_REBUY("2024-01-31") == safe_rebuy_date(date(2024, 1, 31))


@pytest.mark.parametrize(
    ("cells", "args"),
    [
        (
            ("Brokerage", "$10,000", 8000.0, "2025-01-02", "2026-06-01", 500.0, "5%"),
            (AccountType.TAXABLE, D(10000), D(8000), date(2025, 1, 2), date(2026, 6, 1),
             D(500), D("0.05")),
        ),
        (
            ("401k", 10000.0, 8000.0, "2025-01-02", "2026-06-01"),
            (AccountType.TRADITIONAL_401K, D(10000), D(8000), date(2025, 1, 2),
             date(2026, 6, 1)),
        ),
        (
            ("Taxable", 10000.0, 9900.0, "2026-01-02", "2026-06-01", None, 0.05),
            (AccountType.TAXABLE, D(10000), D(9900), date(2026, 1, 2), date(2026, 6, 1),
             D(0), D("0.05")),
        ),
    ],
)
def test_hx_harvest_equals_engine(cells, args):
    """HX_HARVEST = harvest_status(...).text."""
    assert udfs.HX_HARVEST(*cells) == harvest_status(*args).text


PROFILE_CELLS = [
    ["Setting", "Value"],  # the Profile sheet's header row: skipped when the range has it
    ["Tax year", 2026.0],
    ["Filing status", "single"],
    ["Ordinary income", 90000.0],
    ["Realized short-term gains", 1000.0],
    ["State tax rate", 0.05],
]
PROFILE = Profile(
    tax_year=2026,
    filing_status=FilingStatus.SINGLE,
    ordinary_income=D(90000),
    realized_st=D(1000),
    state_rate=D("0.05"),
)


def test_hx_saving_equals_engine():
    """HX_SAVING = harvest_saving(...).total."""
    cells = PROFILE_CELLS[1:]
    for loss, term in ((2000.0, Term.LONG), (6000.0, Term.SHORT)):
        expected = harvest_saving(PROFILE, D(loss), term).total
        assert udfs.HX_SAVING(loss, term.value, cells) == float(expected)


@pytest.mark.parametrize(
    ("cells", "args"),
    [
        (("IRA", 3000.0, "1990-05-01", "2026-05-01"),
         (AccountType.TRADITIONAL_IRA, D(3000), date(1990, 5, 1), date(2026, 5, 1))),
        (("401k", 15000.0, "1990-05-01", "2026-05-01", "first_home"),
         (AccountType.TRADITIONAL_401K, D(15000), date(1990, 5, 1), date(2026, 5, 1),
          "first_home")),
        (("SIMPLE IRA", 10000.0, "1986-01-01", "2026-01-02", "", None, "2025-06-01"),
         (AccountType.SIMPLE_IRA, D(10000), date(1986, 1, 1), date(2026, 1, 2), None, None,
          date(2025, 6, 1))),
        (("401k", 40000.0, "1970-03-01", "2026-05-01", 1.0, "2026-04-01"),
         (AccountType.TRADITIONAL_401K, D(40000), date(1970, 3, 1), date(2026, 5, 1), "1",
          date(2026, 4, 1))),
    ],
)
def test_hx_penalty_and_why_equal_engine(cells, args):
    """HX_PENALTY = early_withdrawal_additional_tax(...); HX_PENALTY_WHY = explain_penalty(...)."""
    assert udfs.HX_PENALTY(*cells) == float(early_withdrawal_additional_tax(*args))
    assert udfs.HX_PENALTY_WHY(*cells) == explain_penalty(*args)


def test_hx_withdrawal_cost_equals_engine():
    """HX_WITHDRAWAL_COST = withdrawal_cost(...).column(), top to bottom."""
    cells = [*PROFILE_CELLS, ["Birth date", "1960-01-01"]]  # overridden by birth_date
    result = udfs.HX_WITHDRAWAL_COST("401k", 10000.0, "1985-07-01", "2026-06-01", cells)
    profile = Profile(**{**_fields(PROFILE), "birth_date": date(1985, 7, 1)})
    expected = withdrawal_cost(
        profile, AccountType.TRADITIONAL_401K, D(10000), date(2026, 6, 1), None
    ).column()
    assert result == [[float(v)] for v in expected]


def _fields(profile):
    return {name: getattr(profile, name) for name in profile.__dataclass_fields__}


def test_hx_wash_sales_equals_engine():
    """HX_WASH_SALES rows = match_wash_sales(...), after the header row."""
    cells = [
        ["Date", "Account", "Type", "Action", "Ticker", "Shares", "Price", "Basis", "Acquired"],
        [date(2024, 1, 2), "Brokerage", "Taxable", "BUY", "VTI", 100.0, 10.0, None, None],
        [date(2024, 3, 1), "Brokerage", "Taxable", "SELL", "VTI", 100.0, 7.5, 1000.0,
         date(2024, 1, 2)],
        [date(2024, 3, 10), "Roth", "Roth IRA", "buy", "voo", 40.0, 8.0, None, None],
        [date(2024, 3, 20), "Brokerage", "Taxable", "BUY", "VTI", 100.0, 8.0, None, None],
        [None, None, None, None, None, None, None, None, None],
    ]
    identical = [["Ticker", "Group"], ["VTI", "US total"], ["VOO", "us total"]]
    activity = [
        Activity(date(2024, 1, 2), "Brokerage", AccountType.TAXABLE, Action.BUY, "VTI", D(100),
                 D(10)),
        Activity(date(2024, 3, 1), "Brokerage", AccountType.TAXABLE, Action.SELL, "VTI",
                 D(100), D("7.5"), D(1000), date(2024, 1, 2)),
        Activity(date(2024, 3, 10), "Roth", AccountType.ROTH_IRA, Action.BUY, "VOO", D(40),
                 D(8)),
        Activity(date(2024, 3, 20), "Brokerage", AccountType.TAXABLE, Action.BUY, "VTI",
                 D(100), D(8)),
    ]
    groups = IdenticalGroups({"VTI": "US TOTAL", "VOO": "US TOTAL"})
    matches = match_wash_sales(activity, groups, WashSalePolicy.CONSERVATIVE)
    assert len(matches) == 2  # the Roth IRA purchase first, then the taxable one
    result = udfs.HX_WASH_SALES(cells, identical)
    assert result[0] == list(udfs.WASH_SALES_HEADER)
    assert result[1:] == [
        [m.sale_date, m.sale_account, m.ticker, float(m.shares), float(m.disallowed_loss),
         m.permanently_lost, m.replacement_date, m.replacement_account, float(m.basis_increase),
         m.reason]
        for m in matches
    ]
    assert result[0][-1] == "Reason" and "Rev. Rul. 2008-5" in result[1][-1]


def test_hx_wash_sales_empty_is_header_only():
    """No wash sale: the header row alone."""
    cells = [[date(2024, 1, 2), "B", "Taxable", "BUY", "VTI", 1.0, 1.0, None, None]]
    assert udfs.HX_WASH_SALES(cells) == [list(udfs.WASH_SALES_HEADER)]
    assert udfs.HX_WASH_SALES(None) == [list(udfs.WASH_SALES_HEADER)]


def test_hx_wash_risk_equals_engine():
    """HX_WASH_RISK = prospective_wash_risk(...).text for a lot sold on as_of."""
    from harvest_xl.engine.lots import Lot
    from harvest_xl.engine.wash_risk import prospective_wash_risk

    cells = [[date(2026, 5, 20), "IRA", "IRA", "BUY", "VTI", 10.0, 100.0, None, None]]
    lot = Lot("this lot", AccountType.TAXABLE, "VTI", D(100), date(2025, 1, 2), D(12000),
              D(100), date(2026, 6, 1))
    activity = [Activity(date(2026, 5, 20), "IRA", AccountType.TRADITIONAL_IRA, Action.BUY,
                         "VTI", D(10), D(100))]
    expected = prospective_wash_risk(lot, date(2026, 6, 1), activity).text
    assert expected  # the purchase is inside the window, so there is a risk to report
    result = udfs.HX_WASH_RISK("Taxable", "VTI", 100.0, 12000.0, 10000.0, "2025-01-02",
                               "2026-06-01", cells)
    assert result == expected


def test_hx_roth_taxable_equals_engine():
    """HX_ROTH_TAXABLE = roth_ira_distribution(...).taxable."""
    from harvest_xl.engine.roth import Conversion, roth_ira_distribution

    expected = roth_ira_distribution(
        D(70000), D(60000), [Conversion(2023, D(4000), D(1000))],
        birth_date=date(1985, 1, 1), withdrawal_date=date(2026, 6, 1),
    ).taxable
    result = udfs.HX_ROTH_TAXABLE(70000.0, "$60,000", "1985-01-01", "2026-06-01",
                                  [["Year", "Taxable", "Non-taxable"], [2023.0, 4000.0, 1000.0]])
    assert result == float(expected) == 5000.0


def test_hx_evaluate_equals_engine():
    """HX_EVALUATE rows = the Python API's evaluation of the same tables, aligned with the
    Holdings rows; bad rows are numbered as the worksheet numbers them (header in row 1)."""
    from harvest_xl import api

    holdings = [
        ["Account", "Ticker", "Shares", "Acquired", "Cost basis", "Price"],
        ["Brokerage", "AAA", 100.0, date(2025, 6, 2), 5000.0, 20.0],
        [None, None, None, None, None, None],
        ["Brokerage", "BBB", 100.0, "1/5/2023", "$10,000", 60.0],
        ["401k", "AAA", 50.0, 45000.0, 5000.0, 20.0],
        ["Brokerage", "CCC", "ten", date(2025, 6, 2), 5000.0, 20.0],
    ]
    accounts = [["Account", "Type", "Owner"], ["Brokerage", "Individual", "self"],
                ["401k", "401(k)", "self"]]
    activity = [["Date", "Account", "Action", "Ticker", "Shares", "Price"],
                [date(2025, 11, 20), "Brokerage", "Bought", "aaa", 10.0, 20.0],
                ["2025-13-01", "Brokerage", "BUY", "X", 1.0, 1.0]]
    recurring = [["Account", "Ticker", "Amount", "Frequency", "Next date"]]
    securities = [["Ticker", "Identical group", "Substitute"], ["BBB", "b", "BBX"]]
    profile_cells = [["Tax year", 2025.0], ["Filing status", "single"],
                     ["Ordinary income", 120000.0], ["As-of date", date(2025, 11, 28)],
                     ["Birth date", date(1980, 3, 1)], ["State tax rate", 0.05]]
    profile = Profile(tax_year=2025, filing_status=FilingStatus.SINGLE,
                      ordinary_income=D(120000), as_of=date(2025, 11, 28),
                      birth_date=date(1980, 3, 1), state_rate=D("0.05"))

    def records(header, rows):
        return [dict(zip(header, row, strict=False)) for row in rows]

    engine_holdings = records(
        holdings[0],
        [["Brokerage", "AAA", 100, date(2025, 6, 2), 5000, 20], [None] * 6,
         ["Brokerage", "BBB", 100, date(2023, 1, 5), D(10000), 60],
         ["401k", "AAA", 50, date(2023, 3, 15), 5000, 20],
         ["Brokerage", "CCC", "ten", date(2025, 6, 2), 5000, 20]],
    )
    result = api.evaluate_tables(
        profile, records(accounts[0], accounts[1:]), engine_holdings,
        records(activity[0], activity[1:2]),  # the bad-date row only adds a problem
        (), records(securities[0], securities[1:]),
    ).result
    got = udfs.HX_EVALUATE(holdings, accounts, activity, recurring, securities, profile_cells)
    assert got[0] == list(udfs.EVALUATE_COLUMNS)
    assert len(got) == len(holdings) + 1  # header, 5 holdings rows, one Activity problem
    by_row = {r.row: r for r in result.rows}
    assert sorted(by_row) == [0, 2, 3]
    for index, r in by_row.items():
        assert got[index + 1] == [
            float(r.market_value), float(r.gain), r.term.value, r.status_text, r.wash_risk,
            r.safe_rebuy, float(r.tax_saving) if r.tax_saving is not None else None,
            float(r.withdrawal_penalty) if r.withdrawal_penalty is not None else None,
            float(r.withdrawal_cost) if r.withdrawal_cost is not None else None,
            r.lot.account_type.value, r.withdrawal_note or None,
        ]
    assert got[2] == [None] * len(udfs.EVALUATE_COLUMNS)  # the blank Holdings row stays blank
    assert got[5][-1] == "#VALUE! Holdings row 6, Shares: 'ten' is not a number"
    assert got[5][:-1] == [None] * (len(udfs.EVALUATE_COLUMNS) - 1)
    assert got[6][-1] == "#VALUE! Activity row 3, Date: '2025-13-01' is not a date"


@pytest.mark.parametrize(
    ("exception", "cells", "facts"),
    [
        ("medical", (6600.0, "$75,000", None), {"expenses": D(6600), "agi": D(75000)}),
        ("", (None, None, 5000.0), {"rolled_in": D(5000)}),
        (
            "medical",
            (1200.5, 20000.0, 0.0),
            {"expenses": D("1200.5"), "agi": D(20000), "rolled_in": D(0)},
        ),
    ],
)
@pytest.mark.parametrize("account", ["IRA", "Governmental 457(b)", "401k"])
def test_hx_penalty_facts_equal_engine(exception, cells, facts, account):
    """HX_PENALTY / HX_PENALTY_WHY with expenses, agi, rolled_in = the engine with those
    keyword facts (an empty cell is a fact not given)."""
    args = (account, 10000.0, "1981-01-01", "2026-06-01", exception, None, None)
    typed = (account, D(10000), date(1981, 1, 1), date(2026, 6, 1), exception, None, None)
    assert udfs.HX_PENALTY(*args, *cells) == float(
        early_withdrawal_additional_tax(*typed, **facts)
    )
    assert udfs.HX_PENALTY_WHY(*args, *cells) == explain_penalty(*typed, **facts)


@pytest.mark.parametrize(
    ("cells", "kwargs"),
    [
        ((12000.0, 21850.0, 23000.0, "1976-01-01", "2026-06-01"), {}),
        (
            (14000.0, "$11,000", 14000.0, datetime(1975, 1, 1), "2025-06-01", None, "", 7000.0),
            {"rolled_over": D(7000)},
        ),
        (
            (5000.0, 20000.0, 30000.0, "1960-01-01", "2026-06-01", 2019.0, "disability"),
            {"first_contribution_year": 2019, "exception": "disability"},
        ),
    ],
)
def test_hx_roth401k_equals_engine(cells, kwargs):
    """HX_ROTH401K_TAXABLE / _PENALTY = designated_roth_distribution(...).includible /
    .additional_tax."""
    from harvest_xl.engine.roth import designated_roth_distribution
    from harvest_xl.inputs.cells import to_date, to_money

    amount, basis, balance = (to_money(c, "x") for c in cells[:3])
    expected = designated_roth_distribution(
        amount, basis, balance, birth_date=to_date(cells[3], "b"),
        withdrawal_date=to_date(cells[4], "w"), **kwargs,
    )  # fmt: skip
    assert udfs.HX_ROTH401K_TAXABLE(*cells) == float(expected.includible)
    assert udfs.HX_ROTH401K_PENALTY(*cells) == float(expected.additional_tax)
