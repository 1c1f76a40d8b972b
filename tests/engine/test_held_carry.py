"""What held shares carry, added up without cutting them into blocks (share_sources.held_carry),
and the tacked holding start alone (holding.tacked_start)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harvest_xl.engine.holding import tacked_holding, tacked_start
from harvest_xl.engine.ledger import GroupLedger
from harvest_xl.engine.lots import Activity
from harvest_xl.engine.models import WashSalePolicy
from harvest_xl.engine.share_sources import held_carry, runs
from harvest_xl.engine.wash_sale import trade_order

from .wash_helpers import D
from .wash_strategies import GROUPS, activity_tables

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    activity_tables(whole_shares=False, splits=True),
    st.sampled_from(list(WashSalePolicy)),
)
def test_held_carry_is_what_the_held_blocks_add_up_to(
    acts: list[Activity], policy: WashSalePolicy
) -> None:
    """For every source of every ledger run, held_carry gives the sum of the held blocks'
    adjustments and the set of their holding starts, as runs() cuts them."""
    for rows in trade_order(acts, GROUPS).values():
        ledger = GroupLedger(rows, policy)
        ledger.run()
        for source in ledger.sources.states.values():
            if source.held <= 0:
                continue
            blocks = runs(source, source.sold, source.shares, False, cut_used=True)
            expected = sum((b.adjustment for b in blocks), Decimal(0))
            starts = {b.holding_start for b in blocks}
            assert held_carry(source) == (expected, starts)


def test_tacked_start_is_the_tacked_holdings_start() -> None:
    """tacked_start moves the replacement date back by the days the sold shares were held,
    the date tacked_holding's record gives (IRC §1223(3)): 100 days before 2024-04-20."""
    sold_start, sale, bought = D("2024-01-01"), D("2024-04-10"), D("2024-04-20")
    assert tacked_start(sold_start, sale, bought) == D("2024-01-11")
    record = tacked_holding(sold_start, sale, bought)
    assert tacked_start(sold_start, sale, bought) == record.holding_start
