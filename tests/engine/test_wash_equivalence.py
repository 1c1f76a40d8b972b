"""Differential test: the engine's wash-sale matching equals the naive reference.

The reference (wash_reference.py) transcribes the rules with plain loops; the engine uses
sorted pools, bisection and skip pointers. Every match (including the rows it points
at), risk, per-sale result and carried adjustment must be equal, in the same order.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harvest_xl.engine.lots import Action, Activity, IdenticalGroups, Owner, identical_groups
from harvest_xl.engine.models import AccountType, WashSalePolicy
from harvest_xl.engine.wash_sale import (
    PurchaseAdjustment,
    SaleResult,
    WashSaleMatch,
    WashSaleResult,
    WashSaleRisk,
    analyse_wash_sales,
)

from ..bench.portfolio_data import activity as household_activity
from ..bench.portfolio_data import securities
from .wash_reference import RefResult, reference_analysis

START = date(2024, 1, 1)
# Every account type, two taxable accounts of the taxpayer and one of the spouse.
ACCOUNTS = [("Brokerage", AccountType.TAXABLE), ("Joint", AccountType.TAXABLE)] + [
    (kind.value, kind) for kind in AccountType if kind is not AccountType.TAXABLE
]
SPOUSE_ACCOUNT = ("Spouse brokerage", AccountType.TAXABLE)
TICKERS = ["VTI", "ITOT", "VOO", "IVV", "BND", "AGG"]
GROUPS = IdenticalGroups.from_pairs(
    [("VTI", "total"), ("ITOT", "total"), ("VOO", "sp500"), ("IVV", "sp500")]
)

whole_or_fractional = st.one_of(
    st.integers(1, 60).map(Decimal),
    st.integers(1, 60_000).map(lambda n: Decimal(n) / 1000),
)
prices = st.integers(0, 20_000).map(lambda n: Decimal(n) / 100)


@st.composite
def purchase(draw: st.DrawFn, tickers: list[str]) -> Activity:
    spouse = draw(st.integers(0, 5)) == 0
    account, kind = SPOUSE_ACCOUNT if spouse else draw(st.sampled_from(ACCOUNTS))
    return Activity(
        START + timedelta(days=draw(st.integers(0, 60))),
        account,
        kind,
        Action.BUY,
        draw(st.sampled_from(tickers)),
        draw(whole_or_fractional),
        draw(prices),
        owner=Owner.SPOUSE if spouse else draw(st.sampled_from(list(Owner))),
    )


@st.composite
def activity_tables(draw: st.DrawFn) -> list[Activity]:
    """Purchases (some repeated on one day in one account), then sales: of shares bought
    in the table (chained wash sales), or of shares bought before it."""
    tickers = draw(st.lists(st.sampled_from(TICKERS), min_size=1, max_size=3, unique=True))
    buys = draw(st.lists(purchase(tickers), max_size=25))
    for b in draw(st.lists(st.sampled_from(buys), max_size=4)) if buys else []:
        shares = draw(whole_or_fractional)
        buys.append(
            Activity(b.date, b.account, b.account_type, Action.BUY, b.ticker, shares, b.price)
        )
    sells = []
    for _ in range(draw(st.integers(0, 20))):
        if buys and draw(st.booleans()):
            src = draw(st.sampled_from(buys))
            when = src.date + timedelta(days=draw(st.integers(0, 60)))
            account, kind, ticker, acquired = src.account, src.account_type, src.ticker, src.date
            # Now and then the sale's row says taxable though the purchase's says otherwise
            # (a relabelled account): a taxable loss whose own shares sit in the pool of
            # purchases the policy does not count.
            kind = kind if draw(st.integers(0, 4)) else AccountType.TAXABLE
            owner = src.owner
            shares = draw(st.sampled_from([src.shares, src.shares / 2, src.shares * 2]))
            shares = shares if draw(st.booleans()) else draw(whole_or_fractional)
            price = src.price * Decimal(draw(st.integers(50, 120))) / 100
        else:
            when = START + timedelta(days=draw(st.integers(0, 60)))
            taxable = draw(st.booleans())
            account, kind = draw(
                st.sampled_from(ACCOUNTS[:2] if taxable else [*ACCOUNTS, SPOUSE_ACCOUNT])
            )
            ticker = draw(st.sampled_from(tickers))
            acquired = when - timedelta(days=draw(st.integers(0, 400)))
            owner = draw(st.sampled_from(list(Owner)))
            shares = draw(whole_or_fractional)
            price = draw(prices)
        basis = shares * price * Decimal(draw(st.integers(60, 200))) / 100
        basis = basis.quantize(Decimal("0.01")) if draw(st.booleans()) else basis
        sells.append(
            Activity(
                when, account, kind, Action.SELL, ticker, shares, price, basis, acquired, owner
            )
        )
    rows = draw(st.permutations(buys + sells))
    return [_with_row(a, i) for i, a in enumerate(rows)]


def _with_row(a: Activity, row: int) -> Activity:
    return Activity(
        a.date,
        a.account,
        a.account_type,
        a.action,
        a.ticker,
        a.shares,
        a.price,
        a.cost_basis,
        a.acquired,
        a.owner,
        row=row,
    )


def expected_result(ref: RefResult) -> tuple[list[object], ...]:
    """The reference's findings in the engine's types (rows included)."""
    matches = [
        (
            WashSaleMatch(
                m.sale.date,
                m.sale.account,
                m.sale.ticker,
                m.shares,
                m.disallowed,
                m.permanently_lost,
                m.purchase.date,
                m.purchase.account,
                m.purchase.ticker,
                m.purchase.account_type,
                m.basis_increase,
                m.tacked,
                m.reason,
                m.already_sold,
                m.sale.row,
                m.purchase.row,
            ),
            m.sale.row,
            m.purchase.row,
        )
        for m in ref.matches
    ]
    risks = [
        WashSaleRisk(
            r.sale.date,
            r.sale.account,
            r.sale.ticker,
            r.loss,
            r.purchase.date,
            r.purchase.account,
            r.purchase.ticker,
            r.purchase.account_type,
            r.purchase.shares,
            r.reason,
        )
        for r in ref.risks
    ]
    sales = [
        (SaleResult(s.sale, s.adjusted_basis, s.gain_loss, s.disallowed, s.tacked_from), s.sale.row)
        for s in ref.sales
    ]
    adjustments = [
        PurchaseAdjustment(
            a.purchase.account,
            a.purchase.ticker,
            a.purchase.date,
            a.held_shares,
            a.basis_increase,
            a.effective_acquired,
        )
        for a in ref.adjustments
    ]
    return matches, risks, sales, adjustments


def actual_result(result: WashSaleResult) -> tuple[list[object], ...]:
    return (
        [(m, m.sale_row, m.replacement_row) for m in result.matches],
        list(result.risks),
        [(s, s.activity.row) for s in result.sales],
        list(result.adjustments),
    )


def assert_same(acts: list[Activity], groups: IdenticalGroups, policy: WashSalePolicy) -> None:
    result = analyse_wash_sales(acts, groups, policy)
    expected = expected_result(reference_analysis(acts, groups, policy))
    actual = actual_result(result)
    names = ("matches", "risks", "sales", "adjustments")
    for name, want, got in zip(names, expected, actual, strict=True):
        assert got == want, name
    assert [m.flags for m in result.matches] == [m.flags for m, _, _ in expected[0]]
    # Built field by field in the engine: the same object its constructor makes.
    assert list(map(repr, result.matches)) == [repr(m) for m, _, _ in expected[0]]
    assert result.policy is policy
    assert_same_totals(result, reference_analysis(acts, groups, policy))


def assert_same_totals(result: WashSaleResult, ref: RefResult) -> None:
    """The totals the run keeps as it matches (the realized loss disallowed, deferred and
    lost; the shares of each purchase used as replacements, over any span of days) equal
    the reference's matches summed."""
    deferred = sum((m.basis_increase for m in ref.matches), Decimal(0))
    lost = sum((m.disallowed for m in ref.matches if m.permanently_lost), Decimal(0))
    assert result.realized == (deferred + lost, deferred, lost)
    # A result made without the run's sums (built by hand) sums its matches instead.
    assert dataclasses.replace(result, _realized=None).realized == result.realized
    assert sum((m.disallowed for m in ref.matches), Decimal(0)) == deferred + lost
    days = sorted({m.purchase.date for m in ref.matches})
    month = timedelta(days=30)
    spans = [(date.min, date.max), (START - month, START), (START, START + month)]
    spans += [(day - month, day) for day in days[:: max(1, len(days) // 3)]]
    spans += [(day, day + month) for day in days[:: max(1, len(days) // 3)]]
    for first, last in spans:
        used: dict[tuple[str, str, date], Decimal] = {}
        for m in ref.matches:
            if first <= m.purchase.date <= last:
                key = (m.purchase.account, m.purchase.ticker, m.purchase.date)
                used[key] = used.get(key, Decimal(0)) + m.shares
        assert result.used_between(first, last) == used, (first, last)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(activity_tables(), st.sampled_from(list(WashSalePolicy)))
def test_engine_equals_reference(acts: list[Activity], policy: WashSalePolicy) -> None:
    """Several groups, same-day ties, fractional shares, chained and spouse purchases,
    every account type and policy: the engine finds exactly what the reference finds."""
    assert_same(acts, GROUPS, policy)


@pytest.mark.parametrize("policy", list(WashSalePolicy), ids=lambda p: p.name)
@pytest.mark.parametrize(("seed", "days"), [(2, 90), (5, 45)])
def test_engine_equals_reference_on_a_household(
    seed: int, days: int, policy: WashSalePolicy
) -> None:
    """2,000 rows of the benchmark's synthetic household over a short span (dense windows)."""
    acts = household_activity(2000, seed=seed, days=days)
    result = analyse_wash_sales(acts, identical_groups(securities()), policy)
    assert len(result.matches) > 100  # the comparison below is not vacuous
    if policy is WashSalePolicy.IGNORE:
        assert result.risks
    else:  # the totals below are not vacuous either
        assert result.realized[1] > 0 and result.realized[2] > 0
        assert result.used_between(date.min, date.max)
    assert_same(acts, identical_groups(securities()), policy)
