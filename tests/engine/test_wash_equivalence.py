"""Differential test: the share-by-share ledger equals the naive per-share reference.

The reference (wash_reference.py) keeps one object per share and scans lists; the engine
keeps runs of shares per purchase, bisects and skips. Every match, realized block, held
block, transferred-out block and total must be equal, in the same order.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harvest_xl.engine.lots import Activity, IdenticalGroups, identical_groups
from harvest_xl.engine.models import WashSalePolicy
from harvest_xl.engine.wash_sale import WashSaleResult, analyse_wash_sales

from ..bench.portfolio_data import activity as household_activity
from ..bench.portfolio_data import securities
from .wash_reference import RefResult, reference_analysis
from .wash_strategies import GROUPS, activity_tables


def expected(ref: RefResult) -> dict[str, object]:
    """The reference's findings as plain tuples, in the engine's field order."""
    return {
        "matches": [
            (
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
                m.counted,
                m.sale.row,
                m.purchase.row,
            )
            for m in ref.matches
        ],
        "blocks": [
            (
                b.sale_row,
                b.account,
                b.account_type,
                b.ticker,
                b.shares,
                b.acquired,
                b.holding_start,
                b.sold,
                b.proceeds,
                b.basis_paid,
                b.wash_adjustment,
                b.wash_adjustment_same_account,
                b.disallowed,
                b.lost_for_good,
                b.relief,
                b.spouse,
            )
            for b in ref.blocks
        ],
        "held": sorted(map(repr, map(_held_facts, ref.held))),
        "transferred_out": [_held_facts(h) for h in ref.transferred_out],
        "totals": (ref.deferred + ref.lost_for_good, ref.deferred, ref.lost_for_good),
    }


def _held_facts(h: object) -> tuple[object, ...]:
    names = (
        "account",
        "ticker",
        "shares",
        "acquired",
        "holding_start",
        "basis_paid",
        "wash_adjustment",
        "replaced_a_loss",
    )
    return tuple(getattr(h, name) for name in names)


def actual(result: WashSaleResult) -> dict[str, object]:
    """The engine's findings as plain tuples."""
    return {
        "matches": [
            (
                m.sale_date,
                m.sale_account,
                m.ticker,
                m.shares,
                m.disallowed_loss,
                m.permanently_lost,
                m.replacement_date,
                m.replacement_account,
                m.replacement_ticker,
                m.replacement_account_type,
                m.basis_increase,
                None
                if m.tacked is None
                else (
                    m.tacked.sold_holding_start,
                    m.tacked.sale_date,
                    m.tacked.replacement_date,
                    m.tacked.holding_start,
                ),
                m.counted,
                m.sale_row,
                m.replacement_row,
            )
            for m in result.matches
        ],
        "blocks": [
            tuple(getattr(b, f.name) for f in dataclasses.fields(b))[:14]
            + (b.relief.value, b.spouse)
            for b in result.realized_blocks
        ],
        "held": sorted(map(repr, map(_held_facts, result.held_blocks))),
        "transferred_out": [_held_facts(h) for h in result.transferred_out],
        "totals": tuple(result.realized),
    }


def assert_same(acts: list[Activity], groups: IdenticalGroups, policy: WashSalePolicy) -> None:
    result = analyse_wash_sales(acts, groups, policy)
    want = expected(reference_analysis(acts, groups, policy))
    got = actual(result)
    for name in want:
        assert got[name] == want[name], name
    for m in result.matches:  # the reason names the rule it rests on
        assert ("spouse" in m.reason) is m.reason.startswith("spouse's"), m.reason
        if not m.counted:
            assert "not counted (policy ignore)" in m.reason
        elif m.permanently_lost:
            assert "Rev. Rul. 2008-5" in m.reason
        else:
            assert "IRC §1091(d), §1223(3)" in m.reason


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(activity_tables(), st.sampled_from(list(WashSalePolicy)))
def test_engine_equals_reference(acts: list[Activity], policy: WashSalePolicy) -> None:
    """Identical groups, same-day trades, whole, partial and piecemeal sales, chains, named
    and FIFO relief, transfers, spouse and every account type, both policies: the ledger
    finds exactly what the per-share reference finds."""
    assert_same(acts, GROUPS, policy)


@pytest.mark.parametrize("policy", list(WashSalePolicy), ids=lambda p: p.name)
def test_engine_equals_reference_on_a_household(policy: WashSalePolicy) -> None:
    """600 rows of the benchmark's synthetic household over 30 days (dense windows)."""
    acts = household_activity(600, seed=5, days=30)
    groups = identical_groups(securities())
    result = analyse_wash_sales(acts, groups, policy)
    assert sum(m.counted for m in result.matches) > 20  # the comparison is not vacuous
    assert_same(acts, groups, policy)
