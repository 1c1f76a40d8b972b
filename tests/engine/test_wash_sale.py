"""Realized wash sales: fixtures WS-1…WS-9 (tax-rules.md §8.1) and the design notes of §3.9."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from harvest_xl.engine.lots import IdenticalGroups, Lot, Owner
from harvest_xl.engine.models import AccountType, WashSalePolicy
from harvest_xl.engine.wash_sale import (
    analyse_wash_sales,
    match_wash_sales,
    safe_rebuy_date,
    wash_window,
)

from .wash_helpers import D, buy, sell

AS_OF = D("2024-12-31")


def held(account: str, when: str, shares: int, basis: int, ticker: str = "X") -> Lot:
    return Lot(
        account,
        AccountType.TAXABLE,
        ticker,
        Decimal(shares),
        D(when),
        Decimal(basis),
        Decimal(1),
        max(D(when), AS_OF),
    )


def test_ws1_vita_case_study() -> None:
    """WS-1: $250 disallowed; new basis $1,050; holding period tacks."""
    acts = [
        buy("2024-01-02", 100, 10),
        sell("2024-03-01", 100, "7.50", basis=1000, acquired="2024-01-02"),
        buy("2024-03-15", 100, 8),
    ]
    result = analyse_wash_sales(acts)
    [m] = result.matches
    assert (m.shares, m.disallowed_loss, m.basis_increase, m.permanently_lost) == (
        Decimal(100),
        Decimal("250.00"),
        Decimal("250.00"),
        False,
    )
    assert m.tacked is not None and m.tacked.sold_holding_start == D("2024-01-02")
    increase, tacked = result.adjustment_for(held("Brokerage", "2024-03-15", 100, 800))
    assert Decimal(800) + increase == Decimal(1050)
    # Held 2024-01-02 -> 2024-03-01 (59 days) added in front of 2024-03-15.
    assert tacked == D("2024-01-16")


def test_ws2_replacement_bought_before_the_sale() -> None:
    """WS-2 (Reg. §1.1091-1(h) ex. 1): $1,000 disallowed; 12/15 lot basis $10,000."""
    acts = [
        buy("1954-12-01", 100, 100),
        buy("1954-12-15", 100, 90),
        sell("1955-01-03", 100, 90, basis=10000, acquired="1954-12-01"),
    ]
    result = analyse_wash_sales(acts)
    [m] = result.matches
    assert m.replacement_date == D("1954-12-15")
    assert m.disallowed_loss == Decimal("1000.00")
    increase, _ = result.adjustment_for(held("Brokerage", "1954-12-15", 100, 9000))
    assert Decimal(9000) + increase == Decimal(10000)


def test_ws3_fewer_shares_bought_than_sold() -> None:
    """WS-3 (Reg. §1.1091-1(h) ex. 2): $750 disallowed, $250 allowed; bases $3,250 and $1,375."""
    acts = [
        buy("1954-09-21", 100, 50),
        buy("1954-12-21", 50, 55),
        buy("1954-12-27", 25, 45),
        sell("1955-01-03", 100, 40, basis=5000, acquired="1954-09-21"),
    ]
    result = analyse_wash_sales(acts)
    assert [(m.shares, m.disallowed_loss) for m in result.matches] == [
        (Decimal(50), Decimal("500.00")),
        (Decimal(25), Decimal("250.00")),
    ]
    [sale] = result.realized_blocks
    assert (sale.gain_loss, sale.disallowed, sale.allowed) == (
        Decimal("-1000.00"),
        Decimal("750.00"),
        Decimal("-250.00"),
    )
    inc50, _ = result.adjustment_for(held("Brokerage", "1954-12-21", 50, 2750))
    inc25, _ = result.adjustment_for(held("Brokerage", "1954-12-27", 25, 1125))
    assert (Decimal(2750) + inc50, Decimal(1125) + inc25) == (Decimal(3250), Decimal(1375))


def test_ws4_more_shares_bought_than_sold_earliest_first() -> None:
    """WS-4 (Reg. §1.1091-1(h) ex. 3): the 2/15 and 2/16 lots replace; each basis $2,500."""
    acts = [
        buy("1954-09-15", 100, 50),
        sell("1956-02-01", 100, 40, basis=5000, acquired="1954-09-15"),
    ]
    acts += [buy(f"1956-02-{day}", 50, 40) for day in (15, 16, 17, 18)]
    result = analyse_wash_sales(acts)
    assert [m.replacement_date for m in result.matches] == [D("1956-02-15"), D("1956-02-16")]
    assert sum(m.disallowed_loss for m in result.matches) == Decimal(1000)
    for day, expected in (("15", 2500), ("16", 2500), ("17", 2000), ("18", 2000)):
        increase, _ = result.adjustment_for(held("Brokerage", f"1956-02-{day}", 50, 2000))
        assert Decimal(2000) + increase == expected
    for m in result.matches:
        assert m.tacked is not None
        assert (m.tacked.sold_holding_start, m.tacked.sale_date) == (
            D("1954-09-15"),
            D("1956-02-01"),
        )


@pytest.mark.parametrize(
    ("new_price", "new_basis"),
    [
        pytest.param(90, 110, id="WS-5 Reg. 1.1091-2(a) ex. 1"),
        pytest.param(70, 90, id="WS-6 Reg. 1.1091-2(a) ex. 2"),
    ],
)
def test_ws5_ws6_basis_is_cost_plus_disallowed(new_price: int, new_basis: int) -> None:
    """WS-5/WS-6: replacement basis = its cost + the disallowed loss (§1091(d))."""
    acts = [
        sell("2024-05-01", 1, 80, basis=100, acquired="2023-01-01"),
        buy("2024-05-10", 1, new_price),
    ]
    result = analyse_wash_sales(acts)
    increase, _ = result.adjustment_for(held("Brokerage", "2024-05-10", 1, new_price))
    assert Decimal(new_price) + increase == new_basis


@pytest.mark.parametrize(
    "ira", [AccountType.TRADITIONAL_IRA, AccountType.ROTH_IRA], ids=["WS-7 IRA", "WS-7 Roth IRA"]
)
def test_ws7_ira_purchase_loses_the_loss_for_good(ira: AccountType) -> None:
    """WS-7 (Rev. Rul. 2008-5): $400 disallowed permanently, no basis increase anywhere."""
    acts = [
        sell("2007-12-20", 100, 6, basis=1000, acquired="2007-01-05"),
        buy("2007-12-21", 100, 6, account="IRA", account_type=ira),
    ]
    [m] = match_wash_sales(acts)
    assert (m.disallowed_loss, m.permanently_lost, m.basis_increase) == (
        Decimal("400.00"),
        True,
        Decimal(0),
    )
    assert "Rev. Rul. 2008-5" in m.reason


def test_ws8_loss_and_gains_on_the_same_day() -> None:
    """WS-8: the $3,300 loss is disallowed and cannot reduce the same-day gains; gain $5,500."""
    acts = [
        sell("2012-12-27", 100, 125, basis=15800, acquired="2007-01-10"),
        sell("2012-12-27", 100, 125, basis=10000, acquired="2007-03-10"),
        sell("2012-12-27", 100, 125, basis=9500, acquired="2007-06-10"),
        buy("2013-01-09", 250, 120),
    ]
    result = analyse_wash_sales(acts)
    [m] = result.matches
    assert (m.shares, m.disallowed_loss) == (Decimal(100), Decimal("3300.00"))
    assert sum(b.allowed for b in result.realized_blocks) == Decimal(5500)
    increase, _ = result.adjustment_for(held("Brokerage", "2013-01-09", 250, 30000))
    assert increase == Decimal("3300.00")


def test_ws8_one_sale_of_three_blocks() -> None:
    """WS-8 as one FIFO sale of the three blocks: each block has its own result, the first
    block's $3,300 loss is disallowed and does not reduce the others' gains ($5,500)."""
    acts = [
        buy("2007-01-10", 100, 158),
        buy("2007-03-10", 100, 100),
        buy("2007-06-10", 100, 95),
        sell("2012-12-27", 300, 125),
        buy("2013-01-09", 250, 120),
    ]
    result = analyse_wash_sales(acts)
    blocks = result.realized_blocks
    assert [(b.gain_loss, b.disallowed) for b in blocks] == [
        (Decimal(-3300), Decimal(3300)),
        (Decimal(2500), 0),
        (Decimal(3000), 0),
    ]
    assert sum(b.allowed for b in blocks) == Decimal(5500)
    assert result.adjustment_for(held("Brokerage", "2013-01-09", 250, 30000))[0] == 3300


@pytest.mark.parametrize(
    ("sale", "purchase", "is_wash"),
    [
        pytest.param("2024-01-31", "2024-03-01", True, id="WS-9a day +30 across Feb 29"),
        pytest.param("2024-01-31", "2024-03-02", False, id="WS-9b day +31"),
        pytest.param("2024-03-01", "2024-01-31", True, id="WS-9c day -30"),
        pytest.param("2024-03-01", "2024-01-30", False, id="WS-9c' day -31"),
    ],
)
def test_ws9_window_edges(sale: str, purchase: str, is_wash: bool) -> None:
    """WS-9: days ±30 are inside the window, days ±31 outside."""
    acts = [sell(sale, 10, 5, basis=100, acquired="2023-01-01"), buy(purchase, 10, 5)]
    assert bool(match_wash_sales(acts)) is is_wash


def test_window_and_safe_rebuy() -> None:
    """The window is sale ±30 days; the first safe purchase is sale + 31."""
    assert wash_window(D("2024-01-31")) == (D("2024-01-01"), D("2024-03-01"))
    assert safe_rebuy_date(D("2024-01-31")) == D("2024-03-02")


def test_chained_wash_sale_carries_the_earlier_disallowed_loss() -> None:
    """A replacement later sold at a loss carries the first loss, which is disallowed again,
    and the second replacement's holding period counts both earlier periods (§1223(3))."""
    acts = [
        buy("2024-01-02", 100, 10),
        sell("2024-02-01", 100, 8, basis=1000, acquired="2024-01-02"),
        buy("2024-02-10", 100, 8),
        sell("2024-03-01", 100, 7, basis=800, acquired="2024-02-10"),
        buy("2024-03-15", 100, 7),
    ]
    result = analyse_wash_sales(acts)
    assert [m.disallowed_loss for m in result.matches] == [Decimal(200), Decimal(300)]
    assert result.realized_blocks[1].basis == Decimal(1000)
    increase, tacked = result.adjustment_for(held("Brokerage", "2024-03-15", 100, 700))
    assert increase == Decimal(300)
    # First: held 2024-01-02 -> 02-01 (30 days), so the 02-10 shares count from 01-11.
    # Second: they are sold 03-01, held from 01-11 (50 days): the 03-15 shares count from
    # 2024-01-25 (add_days, realized-year.md §1.6). The old test only asked tacked < date.
    assert result.realized_blocks[1].holding_start == D("2024-01-11")
    assert tacked == D("2024-01-25")


def test_own_purchase_is_never_its_replacement_even_in_small_sales() -> None:
    """Selling a fresh lot off in ten small loss sales is not a wash sale against itself."""
    acts = [buy("2024-05-01", 100, 10)]
    acts += [
        sell(f"2024-05-{day:02d}", 10, 9, basis=100, acquired="2024-05-01") for day in range(2, 12)
    ]
    assert match_wash_sales(acts) == []


def test_own_purchase_excluded_but_another_account_counts() -> None:
    """The same ticker bought the same day in another account is a replacement."""
    acts = [
        buy("2024-05-01", 100, 10),
        buy("2024-05-01", 40, 10, account="Joint"),
        sell("2024-05-20", 100, 9, basis=1000, acquired="2024-05-01"),
    ]
    [m] = match_wash_sales(acts)
    assert (m.replacement_account, m.shares, m.disallowed_loss) == ("Joint", 40, Decimal(40))


def test_sale_inside_an_ira_is_never_a_wash_sale() -> None:
    """An IRA loss is no deduction, so a taxable repurchase disallows nothing (§3.7)."""
    acts = [
        sell(
            "2024-05-01",
            10,
            5,
            basis=100,
            acquired="2023-01-01",
            account="IRA",
            account_type=AccountType.TRADITIONAL_IRA,
        ),
        buy("2024-05-02", 10, 5),
    ]
    assert match_wash_sales(acts) == []


def test_gain_sale_is_never_a_wash_sale() -> None:
    """§1091 disallows losses only."""
    acts = [sell("2024-05-01", 10, 12, basis=100, acquired="2023-01-01"), buy("2024-05-02", 10, 12)]
    assert match_wash_sales(acts) == []


def test_each_replacement_share_is_used_once() -> None:
    """Reg. §1.1091-1(e): a purchase that replaced one loss is disregarded for the next."""
    acts = [
        sell("2024-05-01", 10, 5, basis=100, acquired="2023-01-01"),
        sell("2024-05-02", 10, 5, basis=100, acquired="2023-02-01"),
        buy("2024-05-10", 10, 5),
    ]
    result = analyse_wash_sales(acts)
    [m] = result.matches
    assert m.sale_date == D("2024-05-01")
    assert [b.disallowed for b in result.realized_blocks] == [Decimal(50), Decimal(0)]


def test_identical_group_links_different_tickers_case_insensitively() -> None:
    """A user-declared group makes VOO a replacement for VTI; tickers ignore case."""
    groups = IdenticalGroups.from_pairs([("vti", "Total market"), ("VOO", "total market")])
    acts = [
        sell("2024-05-01", 10, 5, basis=100, acquired="2023-01-01", ticker="VTI"),
        buy("2024-05-10", 10, 5, ticker="voo"),
    ]
    [m] = match_wash_sales(acts, groups)
    assert (m.ticker, m.replacement_ticker) == ("VTI", "VOO")
    assert match_wash_sales(acts) == []


@pytest.mark.parametrize(
    "plan", [AccountType.TRADITIONAL_401K, AccountType.HSA, AccountType.TRADITIONAL_403B]
)
def test_employer_plan_conservative_policy_loses_the_loss_and_says_so(plan: AccountType) -> None:
    """Policy conservative: treated like Rev. Rul. 2008-5, flagged as a conservative reading."""
    acts = [
        sell("2024-05-01", 10, 5, basis=100, acquired="2023-01-01"),
        buy("2024-05-10", 10, 5, account="Plan", account_type=plan),
    ]
    [m] = match_wash_sales(acts, policy=WashSalePolicy.CONSERVATIVE)
    assert m.permanently_lost and m.basis_increase == 0 and m.disallowed_loss == 50
    assert "conservative" in m.reason


def test_employer_plan_ignore_policy_reports_a_risk_only() -> None:
    """Policy ignore: nothing disallowed by the 401(k) purchase, which is still reported with
    its reason, and a later taxable purchase matches."""
    acts = [
        sell("2024-05-01", 10, 5, basis=100, acquired="2023-01-01"),
        buy("2024-05-05", 10, 5, account="401k", account_type=AccountType.TRADITIONAL_401K),
        buy("2024-05-10", 4, 5),
    ]
    result = analyse_wash_sales(acts, policy=WashSalePolicy.IGNORE)
    [m] = [m for m in result.matches if m.counted]
    assert (m.replacement_account, m.shares, m.disallowed_loss) == ("Brokerage", 4, 20)
    [risk] = result.risks
    assert (risk.replacement_account, risk.shares, risk.disallowed_loss) == ("401k", 10, 0)
    assert "policy ignore" in risk.reason and not risk.counted


def test_spouse_purchase_counts() -> None:
    """Pub. 550: a spouse's purchase makes a wash sale, and the reason says so."""
    acts = [
        sell("2024-05-01", 10, 5, basis=100, acquired="2023-01-01"),
        buy("2024-05-10", 10, 5, account="Spouse", owner=Owner.SPOUSE),
    ]
    [m] = match_wash_sales(acts)
    assert "spouse" in m.reason


def test_shares_bought_and_sold_before_the_loss_sale_are_no_replacement() -> None:
    """The only purchase in the window was sold again before the loss sale: it is no
    replacement (the reading wash_sale.py documents), so the loss stays allowed and no
    dollar is parked on shares nobody holds. (The old test flagged a basis increase that
    no lot carried: defect 1 of issue 15.)"""
    acts = [
        buy("2024-05-01", 10, 10),
        sell("2024-05-03", 10, 11, basis=100, acquired="2024-05-01"),
        sell("2024-05-10", 10, 5, basis=100, acquired="2023-01-01"),
    ]
    result = analyse_wash_sales(acts)
    assert result.matches == ()
    assert [b.allowed for b in result.realized_blocks] == [Decimal(10), Decimal(-50)]
    assert result.held_blocks == ()


def test_input_order_does_not_matter() -> None:
    """Same rows in reverse order give the same matches (WS-3 facts)."""
    acts = [
        buy("1954-09-21", 100, 50),
        buy("1954-12-21", 50, 55),
        buy("1954-12-27", 25, 45),
        sell("1955-01-03", 100, 40, basis=5000, acquired="1954-09-21"),
    ]
    assert match_wash_sales(acts) == match_wash_sales(list(reversed(acts)))


def test_partial_share_rounding_sums_to_the_whole() -> None:
    """Per-match amounts are cents that add up exactly to the disallowed total."""
    acts = [sell("2024-05-01", 3, "3.33", basis=20, acquired="2023-01-01")]
    acts += [buy(f"2024-05-0{d}", 1, 3) for d in (2, 3, 4)]
    matches = match_wash_sales(acts)
    assert sum(m.disallowed_loss for m in matches) == Decimal("10.01")
    assert all(m.disallowed_loss == m.disallowed_loss.quantize(Decimal("0.01")) for m in matches)


def test_date_type_is_date() -> None:
    """Match dates are plain dates (adapters format them)."""
    acts = [sell("2024-05-01", 1, 5, basis=10, acquired="2023-01-01"), buy("2024-05-02", 1, 5)]
    assert type(match_wash_sales(acts)[0].replacement_date) is date


def test_matches_compare_by_content_not_by_row() -> None:
    """A match is a value: equal (and hashed alike) whatever rows its sale and purchase
    came from, unequal when any finding differs, and never equal to a bare tuple."""
    acts = [sell("2024-05-01", 2, 5, basis=20, acquired="2023-01-01"), buy("2024-05-02", 2, 5)]
    [match] = match_wash_sales(acts)
    moved = dataclasses.replace(match, sale_row=40, replacement_row=41)
    assert (match.sale_row, match.replacement_row) != (40, 41)
    assert moved == match and not moved != match and hash(moved) == hash(match)
    for name, other in (("shares", Decimal(1)), ("reason", "x"), ("counted", False)):
        changed = dataclasses.replace(match, **{name: other})
        assert changed != match and not changed == match, name
    assert match != dataclasses.astuple(match) and dataclasses.astuple(match) != match
