"""Table-level evaluation: rows in, per-lot columns, plan and summary out; bad rows reported."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from harvest_xl import api
from harvest_xl.engine.harvest import HarvestCode
from harvest_xl.engine.models import FilingStatus, Term
from harvest_xl.engine.plan import PlanGoal
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.tax import TaxReturn, federal_tax, tax_difference


def evaluate_portfolio(  # type: ignore[no-untyped-def]
    profile, accounts, holdings, activity, recurring=(), securities=(), goal=None
):
    """The workbook tables' evaluation through the Python API (rows keyed by header)."""
    found = api.evaluate_tables(profile, accounts, holdings, activity, recurring, securities, goal)
    result = found.result
    return SimpleNamespace(
        rows=result.rows,
        wash=result.wash,
        plan=result.plan,
        summary=result.summary,
        notes=result.notes,
        problems=found.problems,
    )


AS_OF = date(2025, 11, 28)
PROFILE = Profile(
    tax_year=2025,
    filing_status=FilingStatus.SINGLE,
    birth_date=date(1980, 3, 1),
    ordinary_income=Decimal(120000),
    qualified_dividends=Decimal(1000),
    realized_st=Decimal(5000),
    realized_lt=Decimal(0),
    state_rate=Decimal("0.05"),
    min_loss=Decimal(50),
    min_pct=Decimal("0.01"),
    as_of=AS_OF,
)
ACCOUNTS = [
    {"Account": "Brokerage", "Type": "Individual", "Owner": "self"},
    {"Account": "Spouse brokerage", "Type": "Joint", "Owner": "Spouse"},
    {"Account": "401k", "Type": "401(k)", "Owner": "self", "Separation date": None},
    {"Account": "Roth", "Type": "Roth IRA"},
]


def lot(
    account: str, ticker: str, shares: object, acquired: object, basis: object, price: object
) -> dict[str, object]:
    return {
        "Account": account,
        "Ticker": ticker,
        "Shares": shares,
        "Acquired": acquired,
        "Cost basis": basis,
        "Price": price,
    }


HOLDINGS = [
    lot("Brokerage", "AAA", 100, date(2025, 6, 2), 5000, 20),  # ST loss 3,000
    lot("Brokerage", "BBB", 100, "2023-01-05", 10000, 60),  # LT loss 4,000
    lot("Brokerage", "CCC", 10, date(2020, 1, 2), 500, 90),  # gain
    lot("401k", "AAA", 50, date(2024, 2, 1), 5000, 20),  # no tax effect
    lot("Brokerage", "DDD", 100, date(2025, 1, 2), 10000, 70),  # blocked by spouse buy
    lot("Roth", "EEE", 10, date(2024, 2, 1), 1000, 50),
    lot("Brokerage", "FFF", 100, date(2025, 3, 3), 1000, "9.95"),  # $5 loss: below threshold
]
ACTIVITY = [
    {
        "Date": datetime(2025, 11, 20),
        "Account": "Spouse brokerage",
        "Action": "Bought",
        "Ticker": "ddd",
        "Shares": 100,
        "Price": 70,
    },
    {
        "Date": "2025-13-01",
        "Account": "Brokerage",
        "Action": "BUY",
        "Ticker": "AAA",
        "Shares": 1,
        "Price": 1,
    },
    {
        "Date": "2025-10-01",
        "Account": "Nowhere",
        "Action": "BUY",
        "Ticker": "AAA",
        "Shares": 1,
        "Price": 1,
    },
    {
        "Date": "2025-10-01",
        "Account": "Brokerage",
        "Action": "Gift",
        "Ticker": "AAA",
        "Shares": 1,
        "Price": 1,
    },
    {"Date": None, "Account": None, "Action": None},  # blank row: skipped silently
]
SECURITIES = [{"Ticker": "AAA", "Identical group": None, "Substitute": "ZZZ"}]


def evaluate(goal: object = "offset gains", profile: Profile = PROFILE):
    return evaluate_portfolio(profile, ACCOUNTS, HOLDINGS, ACTIVITY, [], SECURITIES, goal)


def same_return(p: Profile) -> TaxReturn:
    return TaxReturn(
        p.tax_year,
        p.filing_status,
        p.ordinary_income,
        p.realized_st,
        p.realized_lt,
        p.qualified_dividends,
        p.st_carryover,
        p.lt_carryover,
    )


def test_one_row_per_lot_with_status_codes() -> None:
    """Each holding gets its code: harvest, hold, no tax effect, blocked, below threshold."""
    result = evaluate()
    codes = [r.status for r in result.rows]
    assert codes == [
        HarvestCode.HARVEST,
        HarvestCode.HARVEST,
        HarvestCode.HOLD_GAIN,
        HarvestCode.NO_TAX_EFFECT,
        HarvestCode.BLOCKED,
        HarvestCode.NO_TAX_EFFECT,
        HarvestCode.HOLD_SMALL,
    ]
    assert [r.row for r in result.rows] == list(range(7))


def test_blocked_row_names_the_spouse_purchase() -> None:
    """The conflicting purchase is named, with its account and date, and the rebuy date."""
    blocked = evaluate().rows[4]
    assert blocked.status_text.startswith("Blocked")
    assert "Spouse brokerage" in blocked.status_text and "2025-11-20" in blocked.status_text
    assert blocked.safe_rebuy == date(2025, 12, 29)
    assert blocked.federal_saving == 0  # the whole loss would be disallowed


def test_lot_saving_equals_tax_difference_on_the_profile() -> None:
    """The AAA row's saving is the with/without difference of its $3,000 short-term loss."""
    row = evaluate().rows[0]
    delta = tax_difference(same_return(PROFILE), extra_st=Decimal(-3000))
    assert row.term is Term.SHORT and row.gain == Decimal(-3000)
    assert row.federal_saving == -delta.change
    assert row.state_saving == Decimal("150.00") and row.carryover == 0
    assert row.tax_saving == row.federal_saving + row.state_saving


def test_plan_offsets_gains_with_specific_shares() -> None:
    """Goal 'offset gains' ($5,000): the biggest saver (BBB, $4,000 alone) first, then the
    fewest whole shares of AAA ($30 loss each) that cover the last $1,000: 34 shares."""
    plan = evaluate("offset gains").plan
    assert plan.target == Decimal(5000)
    assert [(r.lot.ticker, r.shares, r.loss) for r in plan.rows] == [
        ("BBB", Decimal(100), Decimal("4000.00")),
        ("AAA", Decimal(34), Decimal("1020.00")),
    ]
    expected = tax_difference(
        same_return(PROFILE), extra_st=Decimal(-1020), extra_lt=Decimal(-4000)
    )
    assert plan.federal_saving == -expected.change
    assert sum(r.federal for r in plan.rows) == plan.federal_saving
    assert plan.rows[1].substitute == "ZZZ" and plan.rows[1].safe_rebuy == date(2025, 12, 29)


def test_plan_all_losses_counts_the_carryover() -> None:
    """Goal 'all losses': both lots in full; the tax after equals a direct computation."""
    plan = evaluate("all losses").plan
    assert sum(r.loss for r in plan.rows) == Decimal(7000)
    direct = federal_tax(
        replace(same_return(PROFILE), st_gain=Decimal(2000), lt_gain=Decimal(-4000))
    )
    assert plan.after.total == direct.total
    assert plan.after.lt_carryover_out + plan.after.st_carryover_out == Decimal(0)
    assert sum(r.carryover for r in plan.rows) == 0


def test_plan_beyond_the_limit_reports_carryover_not_saving() -> None:
    """With no gains and a $1,000 deduction room left, the rest of the loss only carries over."""
    p = replace(PROFILE, realized_st=Decimal(-2000))
    plan = evaluate("all losses", p).plan
    direct = federal_tax(replace(same_return(p), st_gain=Decimal(-5000), lt_gain=Decimal(-4000)))
    assert plan.after.total == direct.total
    assert sum(r.carryover for r in plan.rows) == Decimal(6000)
    assert plan.state_saving == Decimal("50.00")  # 5% of the $1,000 deducted this year


def test_no_tax_effect_row_says_why_and_has_withdrawal_cost() -> None:
    """The 401(k) lot: no tax effect, zero saving, and the withdrawal columns filled."""
    row = evaluate().rows[3]
    assert row.status_text.startswith("No tax effect") and "401(k)" in row.status_text
    assert row.federal_saving == 0
    assert row.withdrawal_penalty == Decimal("100.00")  # 10% of $1,000 at age 45
    assert row.withdrawal_cost is not None and row.withdrawal_cost > row.withdrawal_penalty
    roth = evaluate().rows[5]
    assert roth.withdrawal_cost is None and "Roth" in roth.withdrawal_note


def test_bad_rows_are_reported_and_the_rest_computed() -> None:
    """Bad date, unknown account and unknown action each give (table, row, field, message)."""
    problems = {(p.table, p.row, p.field) for p in evaluate().problems}
    assert problems == {
        ("Activity", 1, "Date"),
        ("Activity", 2, "Account"),
        ("Activity", 3, "Action"),
    }


def test_bad_holdings_row_does_not_stop_the_others() -> None:
    """A holding with a text share count is reported; the other rows are evaluated."""
    rows = [*HOLDINGS, lot("Brokerage", "GGG", "many", date(2025, 1, 2), 100, 1)]
    result = evaluate_portfolio(PROFILE, ACCOUNTS, rows, [], [], [], None)
    assert [(p.table, p.row, p.field) for p in result.problems] == [("Holdings", 7, "Shares")]
    assert len(result.rows) == 7


def test_summary_and_notes() -> None:
    """The summary carries the plan's before/after and states the wash-sale policy used."""
    result = evaluate()
    assert result.summary.federal_saving == result.plan.federal_saving
    assert any("conservative" in n for n in result.notes)


def test_missing_as_of_is_an_error() -> None:
    """The engine never assumes today."""
    with pytest.raises(ValueError, match="As-of date"):
        evaluate_portfolio(replace(PROFILE, as_of=None), ACCOUNTS, HOLDINGS, [], [], [])


def test_realized_wash_sale_raises_the_held_replacement_basis() -> None:
    """A replacement bought after a loss sale carries the disallowed loss in its basis."""
    activity = [
        {
            "Date": date(2025, 11, 1),
            "Account": "Brokerage",
            "Action": "Sell",
            "Ticker": "HHH",
            "Shares": 10,
            "Price": 80,
            "Cost basis": 1000,
            "Acquired": date(2024, 1, 2),
        },
        {
            "Date": date(2025, 11, 10),
            "Account": "Brokerage",
            "Action": "Buy",
            "Ticker": "HHH",
            "Shares": 10,
            "Price": 82,
        },
    ]
    holdings = [lot("Brokerage", "HHH", 10, date(2025, 11, 10), 820, 81)]
    result = evaluate_portfolio(PROFILE, ACCOUNTS, holdings, activity, [], [], None)
    [row] = result.rows
    assert (row.basis_adjustment, row.cost_basis) == (Decimal(200), Decimal(1020))
    assert row.term is Term.LONG  # tacked: held since 2024-01-02 + 9 days
    assert result.summary.wash_deferred == Decimal(200)


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("Offset gains", PlanGoal.OFFSET_GAINS),
        ("offset gains + deduction", PlanGoal.OFFSET_GAINS_AND_DEDUCTION),
        ("", PlanGoal.OFFSET_GAINS_AND_DEDUCTION),
        ("All losses", PlanGoal.ALL),
    ],
)
def test_goal_spellings(text: str, goal: PlanGoal) -> None:
    """Goals parse from what people type; blank means gains plus the deduction."""
    assert PlanGoal.parse(text) is goal


def test_unknown_goal_is_an_error() -> None:
    """An unknown goal names the argument."""
    with pytest.raises(ValueError, match="goal"):
        PlanGoal.parse("get rich")


def test_harvest_plan_leaves_out_blocked_lots() -> None:
    """The plan never includes a lot a recent identical purchase blocks."""
    from harvest_xl.engine.lots import Action, Activity, Lot
    from harvest_xl.engine.models import AccountType

    def held(ticker: str) -> Lot:
        return Lot(
            "Brokerage",
            AccountType.TAXABLE,
            ticker,
            Decimal(10),
            date(2024, 1, 2),
            Decimal(1000),
            Decimal(50),
            AS_OF,
        )

    buy = Activity(
        date(2025, 11, 20),
        "IRA",
        AccountType.TRADITIONAL_IRA,
        Action.BUY,
        "BAD",
        Decimal(10),
        Decimal(50),
    )
    plan = api.harvest_plan(PROFILE, [held("BAD"), held("OK")], [buy], goal="all losses")
    assert [r.lot.ticker for r in plan.rows] == ["OK"]


