"""Prospective wash-sale risk of selling a lot on the as-of date (tax-rules.md §3.1, §3.7, §3.9)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from harvest_xl.engine.lots import (
    Frequency,
    IdenticalGroups,
    Lot,
    Recurring,
    Security,
    identical_groups,
    substitutes_for,
)
from harvest_xl.engine.models import AccountType, WashSalePolicy
from harvest_xl.engine.wash_risk import PurchaseIndex, prospective_wash_risk

from .wash_helpers import AS_OF, LOT, D, buy, numbered, sell


def test_recent_roth_purchase_blocks_and_loses_for_good() -> None:
    """A Roth IRA purchase 10 days ago: the whole loss is disallowed, permanently."""
    acts = [
        buy("2025-11-18", 100, 80, ticker="VTI", account="Roth", account_type=AccountType.ROTH_IRA)
    ]
    risk = prospective_wash_risk(LOT, AS_OF, acts)
    assert risk.blocked
    assert (risk.shares_at_risk, risk.loss_at_risk, risk.loss_lost_for_good) == (
        Decimal(100),
        Decimal("2000.00"),
        Decimal("2000.00"),
    )
    assert "Roth" in risk.text and "2025-11-18" in risk.text and "lost for good" in risk.text


@pytest.mark.parametrize(
    ("when", "counted"),
    [("2025-10-29", True), ("2025-10-28", False), ("2025-12-28", True), ("2025-12-29", False)],
    ids=["day -30", "day -31", "day +30", "day +31"],
)
def test_window_edges(when: str, counted: bool) -> None:
    """Purchases on days ±30 count; ±31 do not."""
    risk = prospective_wash_risk(LOT, AS_OF, [buy(when, 10, 80, ticker="VTI")])
    assert (risk.loss_at_risk == Decimal("200.00")) is counted
    assert risk.loss_at_risk in (Decimal(0), Decimal("200.00"))


def test_the_lots_own_purchase_is_not_a_conflict() -> None:
    """Buying the very lot being sold is not its replacement."""
    lot = Lot(
        "Brokerage",
        AccountType.TAXABLE,
        "VTI",
        Decimal(10),
        D("2025-11-20"),
        Decimal(1000),
        Decimal(80),
        AS_OF,
    )
    risk = prospective_wash_risk(lot, AS_OF, [buy("2025-11-20", 10, 100, ticker="VTI")])
    assert risk.conflicts == () and risk.text == ""


def test_scheduled_401k_contribution_is_a_partial_risk() -> None:
    """A biweekly $800 401(k) purchase in 5 days: 10 of 100 shares, $200 lost for good."""
    plan = Recurring(
        "401k",
        AccountType.TRADITIONAL_401K,
        "vti",
        Decimal(800),
        Frequency.BIWEEKLY,
        D("2025-12-03"),
    )
    risk = prospective_wash_risk(LOT, AS_OF, [], [plan], policy=WashSalePolicy.CONSERVATIVE)
    # Occurrences 12-03 and 12-17 fall in the window (12-31 does not): 20 shares.
    assert risk.shares_at_risk == Decimal(20)
    assert (risk.loss_at_risk, risk.loss_lost_for_good) == (Decimal("400.00"), Decimal("400.00"))
    assert not risk.blocked and risk.at_risk
    assert "scheduled" in risk.text and "conservative" in risk.conflicts[0].reason


def test_ignore_policy_reports_risk_only() -> None:
    """Policy ignore: a 401(k) purchase disallows nothing but is still shown."""
    plan = Recurring(
        "401k",
        AccountType.TRADITIONAL_401K,
        "VTI",
        Decimal(800),
        Frequency.MONTHLY,
        D("2025-12-03"),
    )
    risk = prospective_wash_risk(LOT, AS_OF, [], [plan], policy=WashSalePolicy.IGNORE)
    assert risk.loss_at_risk == 0 and risk.text.startswith("Risk only")


def test_identical_group_purchase_counts_and_substitutes_exclude_the_group() -> None:
    """VOO in the same group is a conflict; VOO is no substitute, SCHB is."""
    securities = [
        Security("VTI", "US total", "VOO"),
        Security("VOO", "US total", None),
        Security("VTI", "US total", "SCHB"),
    ]
    groups = identical_groups(securities)
    subs = substitutes_for("VTI", securities, groups)
    assert subs == ("SCHB",)
    risk = prospective_wash_risk(
        LOT, AS_OF, [buy("2025-11-25", 50, 80, ticker="VOO")], identical=groups, substitutes=subs
    )
    assert risk.loss_at_risk == Decimal("1000.00") and risk.loss_lost_for_good == 0
    assert risk.text.endswith("safe to rebuy from 2025-12-29; substitute SCHB")


def test_gain_lot_has_no_risk() -> None:
    """Selling at a gain cannot be a wash sale."""
    lot = Lot(
        "Brokerage",
        AccountType.TAXABLE,
        "VTI",
        Decimal(1),
        D("2024-01-02"),
        Decimal(50),
        Decimal(80),
        AS_OF,
    )
    risk = prospective_wash_risk(lot, AS_OF, [buy("2025-11-25", 5, 80, ticker="VTI")])
    assert risk.loss_at_risk == 0 and risk.text == ""
    assert risk.safe_rebuy == D("2025-12-29")


def test_different_ticker_without_group_is_not_identical() -> None:
    """Without a group, another ticker never matches (the engine does not guess)."""
    risk = prospective_wash_risk(
        LOT, AS_OF, [buy("2025-11-25", 50, 80, ticker="VOO")], identical=IdenticalGroups()
    )
    assert risk.conflicts == ()


@pytest.mark.parametrize(
    ("frequency", "dates"),
    [
        (Frequency.WEEKLY, ["2025-01-31", "2025-02-07", "2025-02-14"]),
        (Frequency.SEMIMONTHLY, ["2025-01-31", "2025-02-15", "2025-02-28"]),
        (Frequency.MONTHLY, ["2025-01-31", "2025-02-28", "2025-03-31"]),
        (Frequency.QUARTERLY, ["2025-01-31", "2025-04-30", "2025-07-31"]),
    ],
)
def test_recurring_dates(frequency: Frequency, dates: list[str]) -> None:
    """Schedules step in calendar units and clip to month ends."""
    plan = Recurring("A", AccountType.TAXABLE, "X", Decimal(1), frequency, D("2025-01-31"))
    got = list(plan.occurrences(D("2025-01-01"), D("2025-12-31")))[:3]
    assert got == [D(d) for d in dates]


@pytest.mark.parametrize("policy", list(WashSalePolicy), ids=lambda p: p.value)
def test_index_holds_the_window_purchases_in_trade_order(policy: WashSalePolicy) -> None:
    """The index of a sale on the as-of date holds the purchases of the window's days
    (both edges), counted and uncounted, in the table's order (never by account name), and
    leaves out the rest: days outside, sales, other groups."""
    k401 = {"account": "401k", "account_type": AccountType.TRADITIONAL_401K}
    acts = numbered(
        [
            buy("2025-10-28", 5, 80, ticker="VTI"),  # 31 days before: outside
            buy("2025-10-29", 6, 80, ticker="VTI"),  # 30 days before: inside
            buy("2025-11-20", 7, 80, ticker="ITOT", **k401),
            buy("2025-11-20", 8, 79, ticker="VTI", account="Joint"),
            buy("2025-11-20", 8, 79, ticker="VTI", account="Brokerage"),  # listed after Joint
            buy("2025-12-28", 9, 80, ticker="VTI"),  # 30 days after: inside
            buy("2025-12-29", 4, 80, ticker="VTI", **k401),  # 31 days after: outside
            buy("2025-11-01", 3, 50, ticker="QQQ"),
            buy("2025-06-01", 3, 50, ticker="IWM"),  # its group has nothing in the window
            sell("2024-11-10", 2, 70, basis=200, acquired="2024-01-02", ticker="VTI"),
        ]
    )
    groups = identical_groups([Security("VTI", "total"), Security("ITOT", "total")])
    index = PurchaseIndex.from_activity(acts, [], groups, AS_OF, {"VTI": Decimal(80)}, policy)
    assert {
        key: [(m.purchase.row, m.available) for m in index.buys(key)]
        for key in ("group:TOTAL", "ticker:QQQ", "ticker:IWM")
    } == {
        "group:TOTAL": [(2, 6), (3, 7), (4, 8), (5, 8), (6, 9)],
        "ticker:QQQ": [(8, 3)],
        "ticker:IWM": [],
    }
    assert [c.account for _, c in index.conflicts(LOT, policy)] == [
        "Brokerage",
        "401k",
        "Joint",
        "Brokerage",
        "Brokerage",
    ]


def test_shares_sold_or_already_used_are_no_risk() -> None:
    """A purchase in the window counts only with its shares still held and not used by a
    realized wash sale (Reg. §1.1091-1(e)): of 10 bought, 4 sold and 3 used, 3 are at risk."""
    acts = [
        buy("2025-11-10", 10, 80, ticker="VTI"),
        sell("2025-11-12", 4, 81, basis=320, acquired="2025-11-10", ticker="VTI"),
        sell("2025-11-14", 3, 70, basis=300, acquired="2024-01-02", ticker="VTI", account="Joint"),
    ]
    risk = prospective_wash_risk(LOT, AS_OF, acts)
    assert risk.shares_at_risk == Decimal(3)
    assert risk.loss_at_risk == Decimal("60.00")
