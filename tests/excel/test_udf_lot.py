"""The per-row Holdings functions equal the table-level engine pass, lot by lot.

HX_LOT_HARVEST, HX_LOT_WASH_RISK, HX_LOT_PENALTY and HX_LOT_WITHDRAWAL_COST are what the
template's Harvest, Wash-sale risk, Withdrawal penalty and Withdrawal cost columns call;
each must report, for its lot, what ``evaluate_portfolio`` reports for that lot (issues 3
and 6). The expected values
come from ``evaluate_portfolio`` on the same tables, never from the functions under test;
the scenario is built so that every path is taken (a realized wash sale that adjusts a
held lot's basis, a purchase in an IRA, scheduled payroll purchases of another ticker of
the same identical group, dividend reinvestment, a spouse's account, each account type).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest

from harvest_xl import api, results, udfs
from harvest_xl.engine.wash_risk import shares_text
from harvest_xl.engine.withdrawal_cost import ROTH_NOTE
from harvest_xl.excel import layout as L
from harvest_xl.inputs.profile import profile_from_range as profile_from_pairs

PortfolioResult = Any


def evaluate_portfolio(profile, accounts, holdings, activity, recurring=(), securities=()):  # type: ignore[no-untyped-def]
    """The table-level pass through the Python API (rows keyed by header): the expected
    values, computed without the functions under test."""
    found = api.evaluate_tables(profile, accounts, holdings, activity, recurring, securities)
    result = found.result
    return SimpleNamespace(rows=result.rows, plan=result.plan, problems=found.problems)


AS_OF = date(2026, 11, 27)
PROFILE = [
    ["Tax year", 2026.0],
    ["Filing status", "mfj"],
    ["Birth date", date(1980, 5, 1)],
    ["Ordinary income", 180000.0],
    ["State tax rate", 0.05],
    ["Employer plan wash-sale policy", "conservative"],
    ["As-of date", AS_OF],
]
ACCOUNTS = [
    ["Account", "Type", "Owner", "Separation date", "SIMPLE start date",
     "Roth first contribution year"],
    ["Joint", "Taxable", "self", None, None, None],
    ["Spouse brokerage", "Taxable", "spouse", None, None, None],
    ["IRA", "Traditional IRA", "self", None, None, None],
    ["401k", "Traditional 401(k)", "self", date(2026, 3, 1), None, None],
    ["SIMPLE", "SIMPLE IRA", "self", None, date(2025, 6, 1), None],
    ["Roth", "Roth IRA", "self", None, None, 2015.0],
    ["HSA", "HSA", "self", None, None, None],
]  # fmt: skip
HOLDINGS = [
    ["Account", "Ticker", "Shares", "Acquired", "Cost basis", "Price"],
    ["Joint", "SPY", 100.0, date(2025, 1, 10), 70000.0, 600.0],
    ["Joint", "VXUS", 50.0, date(2026, 2, 2), 4000.0, 70.0],
    ["Spouse brokerage", "VOO", 20.0, date(2026, 10, 20), 12000.0, 550.0],
    ["401k", "FXAIX", 300.0, date(2020, 1, 2), 40000.0, 200.0],
    ["IRA", "QQQ", 10.0, date(2024, 3, 1), 5000.0, 450.0],
    ["SIMPLE", "VTI", 10.0, date(2025, 7, 1), 2000.0, 300.0],
    ["Roth", "VTI", 10.0, date(2019, 7, 1), 1500.0, 300.0],
    ["HSA", "VTSAX", 100.0, date(2022, 7, 1), 10000.0, 140.0],
    ["Joint", "ARKK", 200.0, date(2026, 1, 5), 14000.0, 50.0],
    ["Joint", "INTC", 100.0, date(2023, 1, 5), 2000.0, 35.0],
]
ACTIVITY = [
    ["Date", "Account", "Action", "Ticker", "Shares", "Price", "Cost basis", "Acquired"],
    [date(2025, 5, 1), "Joint", "BUY", "VOO", 10.0, 600.0, None, None],
    [date(2026, 10, 20), "Spouse brokerage", "BUY", "VOO", 20.0, 600.0, None, None],
    [date(2026, 10, 25), "Joint", "SELL", "VOO", 10.0, 500.0, 6000.0, date(2025, 5, 1)],
    [date(2026, 11, 10), "IRA", "BUY", "SPY", 5.0, 590.0, None, None],
]
RECURRING = [
    ["Account", "Ticker", "Amount", "Frequency", "Next date"],
    ["401k", "FXAIX", 500.0, "biweekly", date(2026, 12, 4)],
    ["Joint", "VXUS", 150.0, "quarterly", date(2026, 12, 18)],
]
SECURITIES = [
    ["Ticker", "Identical group", "Substitute"],
    ["SPY", "sp500", "SCHX"],
    ["VOO", "sp500", "SCHX"],
    ["FXAIX", "sp500", None],
    ["VXUS", None, "VEU"],
]


def _records(table: list[list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(table[0], row, strict=True)) for row in table[1:]]


@pytest.fixture(scope="module")
def engine() -> PortfolioResult:
    """The table-level pass over the same tables: the expected values."""
    result = evaluate_portfolio(
        profile_from_pairs(PROFILE),
        _records(ACCOUNTS),
        _records(HOLDINGS),
        _records(ACTIVITY),
        _records(RECURRING),
        _records(SECURITIES),
    )
    assert result.problems == ()
    assert len(result.rows) == len(HOLDINGS) - 1
    return result


def _wash_risk(row: list[Any]) -> Any:
    account, ticker, shares, acquired, basis, price = row
    return udfs.HX_LOT_WASH_RISK(
        account, ticker, shares, basis, price, acquired, AS_OF, ACTIVITY, ACCOUNTS,
        RECURRING, SECURITIES, "conservative", HOLDINGS,
    )  # fmt: skip


def _lot_harvest(row: list[Any], min_loss: Any = 0, min_pct: Any = 0, policy: Any = None) -> Any:
    account, ticker, shares, acquired, basis, price = row
    return udfs.HX_LOT_HARVEST(
        account, ticker, shares, basis, price, acquired, AS_OF, ACTIVITY, ACCOUNTS,
        RECURRING, SECURITIES, policy, HOLDINGS, min_loss, min_pct,
    )  # fmt: skip


def _engine_with(thresholds: dict[str, float], policy: str = "conservative") -> PortfolioResult:
    pairs = [row for row in PROFILE if row[0] != "Employer plan wash-sale policy"]
    pairs += [["Employer plan wash-sale policy", policy]]
    pairs += [[key, value] for key, value in thresholds.items()]
    result = evaluate_portfolio(
        profile_from_pairs(pairs),
        _records(ACCOUNTS),
        _records(HOLDINGS),
        _records(ACTIVITY),
        _records(RECURRING),
        _records(SECURITIES),
    )
    assert result.problems == ()
    return result


def _expected_withdrawal(value: Decimal | None, note: str) -> Any:
    if note:
        assert note == ROTH_NOTE
        return results.NEEDS_ROTH_HISTORY
    return results.NOT_APPLICABLE if value is None else float(value)


def test_the_scenario_takes_every_path(engine: PortfolioResult) -> None:
    """Not vacuous: risks from a purchase and from schedules, a basis adjusted by a realized
    wash sale, lots with no risk, penalties, a Roth note and taxable accounts."""
    rows = {HOLDINGS[r.row + 1][1] + "@" + r.lot.account: r for r in engine.rows}
    assert rows["SPY@Joint"].wash_risk.startswith("Wash sale: bought 5 SPY in IRA")
    assert rows["VXUS@Joint"].wash_risk.startswith("Wash sale: scheduled purchase of 2.1429 VXUS")
    assert rows["VOO@Spouse brokerage"].basis_adjustment == Decimal(1000)
    # 5 SPY bought in the IRA + 2 x 2.5 FXAIX scheduled in the 401k (500 / 200, the 401k
    # lot's price) = 10 of the 20 shares: half of the 2,000 loss after the adjustment.
    assert "$1,000.00 of the loss would be disallowed" in rows["VOO@Spouse brokerage"].wash_risk
    assert rows["ARKK@Joint"].wash_risk == "" and rows["INTC@Joint"].wash_risk == ""
    assert rows["FXAIX@401k"].withdrawal_penalty == Decimal("6000.00")
    assert rows["VTI@SIMPLE"].withdrawal_penalty == Decimal("750.00")  # 25%: within 2 years
    assert rows["VTI@Roth"].withdrawal_note == ROTH_NOTE
    assert rows["SPY@Joint"].withdrawal_cost is None


def test_hx_lot_wash_risk_equals_the_portfolio_pass(engine: PortfolioResult) -> None:
    """Each lot's HX_LOT_WASH_RISK = evaluate_portfolio's wash_risk ("None" for none)."""
    for r in engine.rows:
        expected = r.wash_risk or results.NO_WASH_RISK
        assert _wash_risk(HOLDINGS[r.row + 1]) == expected, HOLDINGS[r.row + 1]


def test_hx_lot_harvest_equals_the_portfolio_pass(engine: PortfolioResult) -> None:
    """Each lot's HX_LOT_HARVEST = evaluate_portfolio's status text: one status per lot,
    Blocked / At risk (naming the purchase) where the table pass puts them."""
    for r in engine.rows:
        assert _lot_harvest(HOLDINGS[r.row + 1]) == r.status_text, HOLDINGS[r.row + 1]
    codes = {HOLDINGS[r.row + 1][1] + "@" + r.lot.account: r.status.value for r in engine.rows}
    assert codes["SPY@Joint"] == "Blocked"  # 5 SPY bought in the IRA: lost for good
    # A scheduled purchase in the taxable account replaces 2.1429 of 50 shares; the safe
    # date (2027-01-18) is next year, so selling now keeps more this year (issue 20).
    assert codes["VXUS@Joint"] == "Harvest"
    vxus = _lot_harvest(HOLDINGS[2])
    # $500 loss over 50 shares = $10 a share; $150 / $70 = 2.1429 shares -> $21.43.
    assert "sell now: 2.1429 of 50 shares' loss ($21.43) is disallowed, deferred" in vxus
    assert codes["ARKK@Joint"] == "Harvest" and codes["INTC@Joint"] == "Hold (gain)"
    assert codes["FXAIX@401k"] == "No tax effect"
    spy = _lot_harvest(HOLDINGS[1])
    assert spy.startswith("Blocked: Wash sale: bought 5 SPY in IRA (Traditional IRA) on 2026-11-10")
    assert udfs.HX_HARVEST("Taxable", 70000.0, 60000.0, date(2025, 1, 10), AS_OF).startswith(
        "Harvest"
    )  # what the Harvest column showed before: the wash sale unseen


@pytest.mark.parametrize(
    ("min_loss", "min_pct", "policy"),
    [(1000.0, 0.0, "conservative"), (0.0, 0.2, "conservative"), (0.0, 0.0, "ignore")],
)
def test_hx_lot_harvest_thresholds_and_policy_equal_the_portfolio_pass(
    min_loss: float, min_pct: float, policy: str
) -> None:
    """The thresholds and the policy reach the status as the Profile's do in the table pass
    (a loss below threshold is Hold even when a purchase would also disallow it)."""
    engine = _engine_with({"Minimum loss ($)": min_loss, "Minimum loss (%)": min_pct}, policy)
    for r in engine.rows:
        got = _lot_harvest(HOLDINGS[r.row + 1], min_loss, min_pct, policy)
        assert got == r.status_text, HOLDINGS[r.row + 1]
    codes = [r.status.value for r in engine.rows]
    assert "Hold (below threshold)" in codes or policy == "ignore"


def test_hx_lot_harvest_uses_the_wash_adjusted_basis_and_tacked_holding_period() -> None:
    """WS-style chain: 10 XYZ bought 2025-01-02 for $1,000, sold 2026-11-01 for $800 and
    rebought 2026-11-05 for $820. The $200 disallowed loss joins the new lot's basis
    (§1091(d)) and its holding period is tacked (§1223(3)), so at $70 a share the lot is a
    long-term loss of $320 (31.4% of $1,020), as the table pass says; HX_HARVEST on the raw
    row sees a short-term loss of $120."""
    accounts = [["Account", "Type"], ["Joint", "Taxable"]]
    activity = [
        ["Date", "Account", "Action", "Ticker", "Shares", "Price", "Cost basis", "Acquired"],
        [date(2025, 1, 2), "Joint", "BUY", "XYZ", 10.0, 100.0, None, None],
        [date(2026, 11, 1), "Joint", "SELL", "XYZ", 10.0, 80.0, 1000.0, date(2025, 1, 2)],
        [date(2026, 11, 5), "Joint", "BUY", "XYZ", 10.0, 82.0, None, None],
    ]
    holdings = [HOLDINGS[0], ["Joint", "XYZ", 10.0, date(2026, 11, 5), 820.0, 70.0]]
    engine = evaluate_portfolio(
        profile_from_pairs(PROFILE), _records(accounts), _records(holdings), _records(activity)
    )
    (row,) = engine.rows
    assert (row.basis_adjustment, row.term.value) == (Decimal("200.00"), "Long-term")
    got = udfs.HX_LOT_HARVEST(
        "Joint", "XYZ", 10.0, 820.0, 70.0, date(2026, 11, 5), AS_OF, activity, accounts,
        None, None, None, holdings,
    )  # fmt: skip
    assert got == row.status_text == "Harvest: long-term loss of $320.00 (31.4% of cost)"
    raw = udfs.HX_HARVEST("Taxable", 820.0, 700.0, date(2026, 11, 5), AS_OF)
    assert raw == "Harvest: short-term loss of $120.00 (14.6% of cost)"


@pytest.mark.parametrize(
    ("udf", "field"),
    [("HX_LOT_PENALTY", "withdrawal_penalty"), ("HX_LOT_WITHDRAWAL_COST", "withdrawal_cost")],
)
def test_hx_lot_withdrawal_equals_the_portfolio_pass(
    engine: PortfolioResult, udf: str, field: str
) -> None:
    """Each lot's penalty and cost = evaluate_portfolio's (Roth: its note; taxable: —)."""
    for r in engine.rows:
        account, _ticker, shares, _acquired, _basis, price = HOLDINGS[r.row + 1]
        got = getattr(udfs, udf)(account, shares * price, PROFILE, ACCOUNTS)
        assert got == _expected_withdrawal(getattr(r, field), r.withdrawal_note), account


def test_without_holdings_only_the_lots_own_ticker_is_priced() -> None:
    """The optional holdings range prices scheduled purchases of other tickers; without it a
    schedule of another ticker has no share count and catches the whole lot."""
    row = HOLDINGS[3]  # the spouse's VOO lot; the 401k buys FXAIX (same group) on schedule
    account, ticker, shares, acquired, basis, price = row
    alone = udfs.HX_LOT_WASH_RISK(
        account, ticker, shares, basis, price, acquired, AS_OF, ACTIVITY, ACCOUNTS, RECURRING,
        SECURITIES,
    )  # fmt: skip
    assert alone.startswith("Wash sale: bought 5 SPY in IRA")
    assert "$2,000.00 of the loss would be disallowed" in alone  # all of it: no share count
    assert "$1,000.00 of the loss would be disallowed" in _wash_risk(row)


def test_hx_lot_wash_risk_reuses_parsed_tables_only_for_the_same_ranges() -> None:
    """The same range objects hit the cache; equal new lists, another date or policy give
    the same answers as a fresh parse (so the cache never changes a result)."""
    first = _wash_risk(HOLDINGS[1])
    copies = [[list(r) for r in t] for t in (ACTIVITY, ACCOUNTS, RECURRING, SECURITIES, HOLDINGS)]
    account, ticker, shares, acquired, basis, price = HOLDINGS[1]
    fresh = udfs.HX_LOT_WASH_RISK(
        account, ticker, shares, basis, price, acquired, AS_OF, *copies[:4], None, copies[4]
    )
    assert fresh == first
    ignore = udfs.HX_LOT_WASH_RISK(
        account, ticker, shares, basis, price, acquired, AS_OF, *copies[:4], "ignore", copies[4]
    )
    assert "$1,000.00 of the loss would be disallowed" in first  # IRA + 401k purchases
    assert "$500.00 of the loss would be disallowed" in ignore  # the IRA purchase only
    later = udfs.HX_LOT_WASH_RISK(
        account, ticker, shares, basis, price, acquired, date(2027, 3, 1), *copies[:4],
        "ignore", copies[4],
    )  # fmt: skip
    # The IRA purchase is out of the new window; the 401k schedule is shown, not counted.
    assert later.startswith("Risk only: scheduled purchase of 2.5 FXAIX in 401k")
    assert "safe to rebuy from 2027-04-01" in later


def test_fresh_lists_of_the_same_cells_are_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel hands every call new lists: equal values of equal types reuse the tables read
    (one read per recalculation, not per row); TRUE for 1 is a new read, a list changed in
    place after a call is a new read too (the cache keeps copies, never the caller's
    lists), and every answer equals a fresh read's."""
    import harvest_xl.udfs.tables as tables_module
    from harvest_xl.udfs._common import ContentCache

    builds: list[int] = []
    real = tables_module.read_tables

    def counted(*args: Any, **kwargs: Any) -> Any:
        builds.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(tables_module, "read_tables", counted)
    monkeypatch.setattr(tables_module, "_CONTEXTS", ContentCache("lot context"))
    account, ticker, shares, acquired, basis, price = HOLDINGS[1]

    def ask(tables: list[list[list[Any]]]) -> str:
        return udfs.HX_LOT_WASH_RISK(
            account, ticker, shares, basis, price, acquired, AS_OF, *tables[:4], None, tables[4]
        )

    def copies() -> list[list[list[Any]]]:
        return [[list(r) for r in t] for t in (ACTIVITY, ACCOUNTS, RECURRING, SECURITIES, HOLDINGS)]

    first = ask(copies())
    again = copies()
    assert ask(again) == first and len(builds) == 1
    assert ask(again) == first and len(builds) == 1
    # (Activity row, column, value in the base, the equal value of another type): the IRA
    # purchase's shares 1.0 / TRUE.
    base = copies()
    base[0][4][4] = 1.0
    changed = copies()
    changed[0][4][4] = True
    assert changed[0] == base[0]  # equal to Python, yet not the same cells
    ask(base)
    before = len(builds)
    assert ask([[list(r) for r in t] for t in base]) is not None and len(builds) == before
    answer = ask(changed)
    assert len(builds) == before + 1
    monkeypatch.setattr(tables_module, "_CONTEXTS", ContentCache("lot context"))
    assert answer == ask([[list(r) for r in t] for t in changed])
    # A list changed in place after the call: its new content is read, not the old one.
    edited = copies()
    ask(edited)
    before = len(builds)
    edited[0][4][4] = 50.0  # the IRA bought 50 SPY, not 5
    assert ask(edited) != first and len(builds) == before + 1


def test_the_risk_shared_by_harvest_and_wash_risk_is_the_lots_own() -> None:
    """HX_LOT_HARVEST and HX_LOT_WASH_RISK of one row compute the risk once; another
    row, or the same row with another price, gets its own (equal to a fresh parse)."""
    vxus = HOLDINGS[2]
    assert _lot_harvest(vxus).startswith("Harvest") and "sell now" in _lot_harvest(vxus)
    shared = _wash_risk(vxus)
    higher = [*vxus[:5], 90.0]  # 50 x 90 = 4,500 > the 4,000 basis: a gain, no risk
    assert _wash_risk(higher) == results.NO_WASH_RISK
    copies = [[list(r) for r in t] for t in (ACTIVITY, ACCOUNTS, RECURRING, SECURITIES, HOLDINGS)]
    account, ticker, shares, acquired, basis, price = vxus
    fresh = udfs.HX_LOT_WASH_RISK(
        account, ticker, shares, basis, price, acquired, AS_OF, *copies[:4], None, copies[4]
    )
    assert shared == fresh and shared.startswith("Wash sale")
    for row in HOLDINGS[1:]:
        _lot_harvest(row)
        assert _wash_risk(row) == udfs.HX_LOT_WASH_RISK(
            row[0], row[1], row[2], row[4], row[5], row[3], AS_OF, *copies[:4], None, copies[4]
        )


def test_lot_functions_name_their_problems() -> None:
    """An unknown account, a Roth, a taxable account and a profile without an as-of date."""
    assert udfs.HX_LOT_PENALTY("Savings", 100.0, PROFILE, ACCOUNTS) == (
        "#VALUE! account: 'Savings' is not on the Accounts sheet (or its row there has a problem)"
    )
    assert udfs.HX_LOT_PENALTY(" roth ", 100.0, PROFILE, ACCOUNTS) == "Needs Roth history"
    assert udfs.HX_LOT_WITHDRAWAL_COST("joint", 100.0, PROFILE, ACCOUNTS) == "—"
    no_date = [row for row in PROFILE if row[0] != "As-of date"]
    assert udfs.HX_LOT_PENALTY("IRA", 100.0, no_date, ACCOUNTS) == (
        "#VALUE! As-of date: the profile has no as-of date"
    )
    assert udfs.HX_LOT_WASH_RISK(
        "Nowhere", "SPY", 1.0, 1.0, 1.0, date(2026, 1, 2), AS_OF, ACTIVITY, ACCOUNTS
    ) == "#VALUE! account: 'Nowhere' is not on the Accounts sheet (or its row there has a problem)"
    assert udfs.HX_LOT_HARVEST(
        "Nowhere", "SPY", 1.0, 1.0, 1.0, date(2026, 1, 2), AS_OF, ACTIVITY, ACCOUNTS
    ) == "#VALUE! account: 'Nowhere' is not on the Accounts sheet (or its row there has a problem)"


@pytest.mark.parametrize("function", [udfs.HX_LOT_WASH_RISK, udfs.HX_LOT_HARVEST])
def test_lot_dates_follow_the_refresh_rule(function: Any) -> None:
    """as_of and acquired are row dates (1900-01-01 .. 9998-12-31, as the refresh reads
    them): 9999-12-31 plus the 30-day window would be past the calendar, so it is a #VALUE!
    naming the argument, not an overflow; the last accepted date still gives an answer."""
    account, ticker, shares, acquired, basis, price = HOLDINGS[1]
    args = (ACTIVITY, ACCOUNTS, RECURRING, SECURITIES, None, HOLDINGS)

    def call(acquired_on: date, as_of: date) -> Any:
        return function(account, ticker, shares, basis, price, acquired_on, as_of, *args)

    assert call(acquired, date(9999, 12, 31)) == (
        "#VALUE! as_of: 9999-12-31 is too far in the future"
    )
    assert call(date(9999, 12, 31), AS_OF) == (
        "#VALUE! acquired: 9999-12-31 is too far in the future"
    )
    assert call(date(1899, 12, 31), AS_OF) == "#VALUE! acquired: 1899-12-31 is before 1900"
    assert not str(call(acquired, date(9998, 12, 31))).startswith("#")
    assert not str(call(date(1900, 1, 1), AS_OF)).startswith("#")


def test_shares_in_the_risk_text_are_rounded_to_four_places() -> None:
    """A scheduled purchase of 150 / 58 shares reads 2.5862, not 2.586206896551724…"""
    assert shares_text(Decimal(150) / Decimal(58)) == "2.5862"
    assert shares_text(Decimal("3.50")) == "3.5"
    assert shares_text(Decimal("100")) == "100"
    assert shares_text(Decimal("0.00004")) == "0"


# ----------------------------------------------------------- the refreshed demo workbook


def _sheet_records(ws: Any) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    header = [h for h in rows[0] if h is not None]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def test_the_demo_columns_equal_the_portfolio_pass(tmp_path: Path) -> None:
    """In the refreshed demo, the cached Harvest, Wash-sale risk, Withdrawal penalty and
    Withdrawal cost of every Holdings row equal evaluate_portfolio over the demo's own
    tables (its Profile's thresholds and policy included)."""
    from harvest_xl.demo import write_demo

    report = write_demo(tmp_path / "demo.xlsx")
    assert report.error is None and report.problems == []
    wb = openpyxl.load_workbook(report.target, data_only=True)
    profile_ws = wb[L.PROFILE]
    pairs = [
        [profile_ws.cell(r, 1).value, profile_ws.cell(r, 2).value]
        for r in range(L.FIRST_DATA_ROW, L.PROFILE_LAST_ROW + 1)
    ]
    tables = {name: _sheet_records(wb[name]) for name in L.TABLE_COLUMNS}
    holdings = [{k: row[k] for k in L.HOLDINGS_INPUTS} for row in tables[L.HOLDINGS]]
    result = evaluate_portfolio(
        profile_from_pairs(pairs),
        tables[L.ACCOUNTS],
        holdings,
        tables[L.ACTIVITY],
        tables[L.RECURRING],
        tables[L.SECURITIES],
    )
    assert result.problems == ()
    assert len(result.rows) == len(holdings) >= 10
    risky = 0
    for r in result.rows:
        cached = tables[L.HOLDINGS][r.row]
        assert cached["Harvest"] == r.status_text
        assert cached["Wash-sale risk"] == (r.wash_risk or results.NO_WASH_RISK)
        penalty = _expected_withdrawal(r.withdrawal_penalty, r.withdrawal_note)
        cost = _expected_withdrawal(r.withdrawal_cost, r.withdrawal_note)
        assert (cached["Withdrawal penalty"], cached["Withdrawal cost"]) == (penalty, cost)
        risky += bool(r.wash_risk)
    assert risky >= 2
    shown = {r.status.value for r in result.rows}
    # The demo's only scheduled purchase in a loss lot's group (VXUS, taxable, in three
    # weeks) replaces a few of its shares and its safe date is next year: selling now
    # keeps more this year, so that lot reads Harvest, not At risk (issue 20).
    assert {"Blocked", "Harvest", "No tax effect"} <= shown
    assert any(r.status_text.startswith("Harvest") and "sell now:" in r.status_text
               for r in result.rows)
