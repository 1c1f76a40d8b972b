"""Hypothesis invariants of realized wash-sale matching (tax-rules.md §3.9)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from harvest_xl.engine.lots import Action, Activity, IdenticalGroups
from harvest_xl.engine.models import AccountType, WashSalePolicy
from harvest_xl.engine.wash_sale import analyse_wash_sales

START = date(2024, 1, 1)
ACCOUNTS = [
    ("Brokerage", AccountType.TAXABLE),
    ("Joint", AccountType.TAXABLE),
    ("IRA", AccountType.TRADITIONAL_IRA),
    ("Roth", AccountType.ROTH_IRA),
    ("401k", AccountType.TRADITIONAL_401K),
    ("HSA", AccountType.HSA),
]
GROUPS = IdenticalGroups.from_pairs([("VTI", "total"), ("ITOT", "total")])


@st.composite
def rows(draw: st.DrawFn) -> Activity:
    account, kind = draw(st.sampled_from(ACCOUNTS))
    when = START + timedelta(days=draw(st.integers(0, 120)))
    ticker = draw(st.sampled_from(["VTI", "ITOT", "BND"]))
    shares = Decimal(draw(st.integers(1, 60)))
    price = Decimal(draw(st.integers(100, 20000))) / 100
    if draw(st.booleans()):
        acquired = when - timedelta(days=draw(st.integers(0, 90)))
        basis = Decimal(draw(st.integers(100, 1_000_000))) / 100
        return Activity(when, account, kind, Action.SELL, ticker, shares, price, basis, acquired)
    return Activity(when, account, kind, Action.BUY, ticker, shares, price)


activities = st.lists(rows(), max_size=40)
policies = st.sampled_from(list(WashSalePolicy))


@settings(max_examples=120, deadline=None)
@given(activities, policies)
def test_disallowed_never_exceeds_the_realized_loss(acts: list[Activity], policy) -> None:
    """Per sale: 0 <= disallowed <= realized loss, and disallowed + allowed = the gain/loss."""
    result = analyse_wash_sales(acts, GROUPS, policy)
    for sale in result.sales:
        loss = max(Decimal(0), -sale.gain_loss)
        assert 0 <= sale.disallowed <= loss
        assert sale.allowed - sale.disallowed == sale.gain_loss
    per_sale: dict[tuple[object, ...], Decimal] = defaultdict(Decimal)
    for m in result.matches:
        per_sale[(m.sale_date, m.sale_account, m.ticker)] += m.disallowed_loss
    assert sum(per_sale.values(), Decimal(0)) == sum(s.disallowed for s in result.sales)


@settings(max_examples=120, deadline=None)
@given(activities, policies)
def test_each_replacement_share_absorbs_at_most_one_loss(acts: list[Activity], policy) -> None:
    """Reg. §1.1091-1(e): shares matched to one purchase never exceed the shares it bought."""
    result = analyse_wash_sales(acts, GROUPS, policy)
    bought: dict[tuple[str, str, date], Decimal] = defaultdict(Decimal)
    for a in acts:
        if a.action is Action.BUY:
            bought[(a.account, a.ticker, a.date)] += a.shares
    used: dict[tuple[str, str, date], Decimal] = defaultdict(Decimal)
    for m in result.matches:
        used[(m.replacement_account, m.replacement_ticker, m.replacement_date)] += m.shares
        assert m.shares > 0
    for key, shares in used.items():
        assert shares <= bought[key]
    sold: dict[tuple[date, str, str], Decimal] = defaultdict(Decimal)
    for m in result.matches:
        sold[(m.sale_date, m.sale_account, m.ticker)] += m.shares
    sales: dict[tuple[date, str, str], Decimal] = defaultdict(Decimal)
    for s in result.sales:
        sales[(s.activity.date, s.activity.account, s.activity.ticker)] += s.activity.shares
    for key, shares in sold.items():
        assert shares <= sales[key]


@settings(max_examples=120, deadline=None)
@given(activities, policies)
def test_every_disallowed_dollar_is_deferred_or_lost(acts: list[Activity], policy) -> None:
    """Basis increases plus permanently lost amounts equal the total disallowed."""
    result = analyse_wash_sales(acts, GROUPS, policy)
    total = sum((m.disallowed_loss for m in result.matches), Decimal(0))
    deferred = sum((m.basis_increase for m in result.matches), Decimal(0))
    lost = sum((m.disallowed_loss for m in result.matches if m.permanently_lost), Decimal(0))
    assert deferred + lost == total
    for m in result.matches:
        assert m.basis_increase == (0 if m.permanently_lost else m.disallowed_loss)
        taxable = m.replacement_account_type is AccountType.TAXABLE
        assert m.permanently_lost is not taxable


@settings(max_examples=120, deadline=None)
@given(activities, policies, st.randoms(use_true_random=False))
def test_shuffling_rows_changes_nothing(acts: list[Activity], policy, rnd) -> None:
    """Results do not depend on the order of the input rows."""
    shuffled = list(acts)
    rnd.shuffle(shuffled)
    a = analyse_wash_sales(acts, GROUPS, policy)
    b = analyse_wash_sales(shuffled, GROUPS, policy)
    assert a.matches == b.matches
    assert a.adjustments == b.adjustments
    assert a.risks == b.risks
    assert sorted(map(repr, a.sales)) == sorted(map(repr, b.sales))


@settings(max_examples=100, deadline=None)
@given(activities)
def test_no_loss_inside_a_sheltered_account_is_ever_disallowed(acts: list[Activity]) -> None:
    """Only taxable sales can have a wash sale (tax-rules.md §3.7, reverse direction)."""
    result = analyse_wash_sales(acts, GROUPS)
    for s in result.sales:
        if not s.activity.account_type.has_tax_effect:
            assert s.disallowed == 0
    taxable_sales = {
        (s.activity.date, s.activity.account)
        for s in result.sales
        if s.activity.account_type is AccountType.TAXABLE
    }
    assert all((m.sale_date, m.sale_account) in taxable_sales for m in result.matches)
