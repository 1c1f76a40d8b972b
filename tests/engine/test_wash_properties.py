"""Hypothesis invariants of the wash-sale ledger (tax-rules.md §3.9; realized-year.md §1.10).

The first is issue 15's conservation: no dollar of a loss ever vanishes. With losses as
negative amounts, over the blocks sold in taxable accounts (basis known):

    sum(allowed) - carried by shares still held - carried away by transfers out
        - lost for good = sum(proceeds - basis as paid)

exactly, to the cent (the held and moved-out shares' adjustments are losses still to come).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harvest_xl.engine.lots import Action, Activity
from harvest_xl.engine.models import WashSalePolicy
from harvest_xl.engine.wash_sale import WashSaleResult, analyse_wash_sales

from .wash_strategies import GROUPS, activity_tables

ZERO = Decimal(0)
policies = st.sampled_from(list(WashSalePolicy))
tables = activity_tables(whole_shares=False, splits=True)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def conservation_gap(result: WashSaleResult) -> Decimal:
    """The conservation identity's two sides, subtracted (zero when it holds)."""
    taxable = [
        b
        for b in result.realized_blocks
        if b.account_type.has_tax_effect and b.basis_paid is not None
    ]
    economic = sum((b.proceeds - b.basis_paid for b in taxable if b.basis_paid is not None), ZERO)
    recognized = sum((b.allowed for b in taxable if b.allowed is not None), ZERO)
    held = sum((b.wash_adjustment for b in result.held_blocks), ZERO)
    moved = sum((b.wash_adjustment for b in result.transferred_out), ZERO)
    return recognized - held - moved - result.realized.lost_for_good - economic


@SETTINGS
@given(tables, policies)
def test_no_loss_vanishes(acts: list[Activity], policy: WashSalePolicy) -> None:
    """Conservation: recognized results, adjustments still carried (held or moved out) and
    losses lost for good account for the economic result of the shares sold, to the cent."""
    assert conservation_gap(analyse_wash_sales(acts, GROUPS, policy)) == 0


@SETTINGS
@given(tables, policies)
def test_every_block_obeys_form_8949_arithmetic(
    acts: list[Activity], policy: WashSalePolicy
) -> None:
    """Per block: 0 <= lost for good <= disallowed <= the loss; (h) = (d) - (e) + (g) with
    (e) the adjusted basis; nothing disallowed outside a taxable account; amounts in cents."""
    for b in analyse_wash_sales(acts, GROUPS, policy).realized_blocks:
        assert b.proceeds == b.proceeds.quantize(Decimal("0.01"))
        if b.basis is None:
            assert (b.disallowed, b.gain_loss, b.allowed) == (0, None, None)
            continue
        loss = max(ZERO, -b.gain_loss) if b.gain_loss is not None else ZERO
        assert 0 <= b.lost_for_good <= b.disallowed <= loss
        assert b.allowed == b.proceeds - b.basis + b.disallowed
        assert 0 <= b.wash_adjustment_same_account <= b.wash_adjustment
        if not b.account_type.has_tax_effect:
            assert b.disallowed == 0


@SETTINGS
@given(tables, policies)
def test_matches_add_up_to_the_blocks(acts: list[Activity], policy: WashSalePolicy) -> None:
    """Each match defers its amount or loses it; per sale row the matches' disallowed equals
    its blocks'; the totals are the matches'; no purchase replaces more shares than it had
    (Reg. §1.1091-1(e); a split grows the shares, so tables with one are left out of that
    check); uncounted rows disallow nothing."""
    result = analyse_wash_sales(acts, GROUPS, policy)
    by_sale: dict[object, Decimal] = defaultdict(Decimal)
    by_purchase: dict[object, Decimal] = defaultdict(Decimal)
    for m in result.matches:
        if not m.counted:
            assert (m.disallowed_loss, m.basis_increase, m.permanently_lost) == (0, 0, False)
            continue
        assert m.basis_increase == (0 if m.permanently_lost else m.disallowed_loss)
        assert m.disallowed_loss >= 0 and m.shares > 0
        by_sale[m.sale_row] += m.disallowed_loss
        by_purchase[m.replacement_row] += m.shares
    blocks: dict[object, Decimal] = defaultdict(Decimal)
    for b in result.realized_blocks:
        blocks[b.sale_row] += b.disallowed
    assert {k: v for k, v in blocks.items() if v} == {k: v for k, v in by_sale.items() if v}
    if not any(a.action is Action.SPLIT for a in acts):
        bought = {a.row: a.shares for a in acts if a.action is Action.BUY}
        assert all(shares <= bought[row] for row, shares in by_purchase.items())
    counted = [m for m in result.matches if m.counted]
    deferred = sum((m.basis_increase for m in counted), ZERO)
    lost = sum((m.disallowed_loss for m in counted if m.permanently_lost), ZERO)
    assert tuple(result.realized) == (deferred + lost, deferred, lost)


@SETTINGS
@given(tables, policies, st.randoms(use_true_random=False))
def test_input_order_changes_nothing_once_rows_are_numbered(
    acts: list[Activity], policy: WashSalePolicy, rnd
) -> None:
    """With row numbers (the table's order), the order rows are passed in does not matter."""
    shuffled = list(acts)
    rnd.shuffle(shuffled)
    a = analyse_wash_sales(acts, GROUPS, policy)
    b = analyse_wash_sales(shuffled, GROUPS, policy)
    assert a.matches == b.matches
    assert a.realized_blocks == b.realized_blocks
    assert a.held_blocks == b.held_blocks
    assert a.realized == b.realized


@SETTINGS
@given(tables, policies, st.data())
def test_blocks_between_two_days_are_those_sold_on_them(
    acts: list[Activity], policy: WashSalePolicy, data: st.DataObject
) -> None:
    """realized_between(first, last) is realized_blocks filtered to the sales made from
    first to last, both days included, in the same order (the ledger bisects its log)."""
    result = analyse_wash_sales(acts, GROUPS, policy)
    days = sorted({b.sold for b in result.realized_blocks}) or [date(2025, 1, 1)]
    first = data.draw(st.sampled_from(days))
    last = data.draw(st.sampled_from([d for d in days if d >= first]))
    expected = tuple(b for b in result.realized_blocks if first <= b.sold <= last)
    assert result.realized_between(first, last) == expected
    assert result.realized_between(last, first) == (() if first < last else expected)
