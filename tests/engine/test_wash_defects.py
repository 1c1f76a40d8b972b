"""Issue 15's six defects, each with the issue's own minimal input and exact figures.

Holding starts follow realized-year.md §1.6 (``add_days``): the replacement's trade date
minus the days the sold shares were held (the day after their holding start through the
sale date); the day counts are written out next to each expected date.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from harvest_xl.engine.models import AccountType, WashSalePolicy
from harvest_xl.engine.realized_block import LotRelief
from harvest_xl.engine.wash_sale import analyse_wash_sales

from .wash_helpers import D, buy, numbered, sell

IRA = AccountType.TRADITIONAL_IRA


def test_defect_1_replacement_comes_from_shares_still_held() -> None:
    """Defect 1: of a purchase partly sold before the loss sale, the held shares replace:
    10 of the 70 still held carry the $50, and the earlier sale of 30 is untouched."""
    acts = [
        buy("2025-05-01", 100, 10),
        sell("2025-05-03", 30, 11, basis=300, acquired="2025-05-01"),
        sell("2025-05-10", 10, 5, basis=100, acquired="2023-01-01"),
    ]
    result = analyse_wash_sales(acts)
    [m] = result.matches
    assert (m.shares, m.disallowed_loss, m.basis_increase) == (10, Decimal(50), Decimal(50))
    first, loss = result.realized_blocks
    assert (first.shares, first.wash_adjustment, first.allowed) == (30, 0, Decimal(30))
    assert (loss.disallowed, loss.allowed) == (Decimal(50), Decimal(0))
    held = [
        (b.shares, b.basis_paid, b.wash_adjustment, b.holding_start) for b in result.held_blocks
    ]
    # Sold shares held 2023-01-01 -> 2025-05-10: 860 days before 2025-05-01.
    assert held == [
        (10, Decimal(100), Decimal(50), D("2022-12-23")),
        (60, Decimal(600), Decimal(0), D("2025-05-01")),
    ]
    assert sum(b.wash_adjustment for b in result.held_blocks) == result.realized.deferred


def test_defect_2_each_block_of_a_sale_has_its_own_gain_or_loss() -> None:
    """Defect 2: the 40 adjusted shares lose $100 (washed again by the 09-10 purchase) and
    the other 60 gain $150: two realized blocks, not one net gain of $50."""
    acts = [
        buy("2025-01-02", 40, 10),
        buy("2025-05-01", 100, 10),
        sell("2025-05-15", 40, 5, basis=400, acquired="2025-01-02"),
        sell("2025-09-03", 100, "12.50", basis=1000, acquired="2025-05-01"),
        buy("2025-09-10", 100, "12.50"),
    ]
    result = analyse_wash_sales(acts)
    assert [(m.sale_date, m.shares, m.disallowed_loss) for m in result.matches] == [
        (D("2025-05-15"), 40, Decimal(200)),
        (D("2025-09-03"), 40, Decimal(100)),
    ]
    _, adjusted, plain = result.realized_blocks
    # 01-02 -> 05-15 is 133 days: the 40 shares of 05-01 count from 2024-12-19.
    assert (adjusted.shares, adjusted.proceeds, adjusted.basis, adjusted.gain_loss) == (
        40,
        Decimal(500),
        Decimal(600),
        Decimal(-100),
    )
    assert (adjusted.holding_start, adjusted.disallowed, adjusted.allowed) == (
        D("2024-12-19"),
        Decimal(100),
        Decimal(0),
    )
    assert (plain.shares, plain.gain_loss, plain.holding_start) == (
        60,
        Decimal(150),
        D("2025-05-01"),
    )
    # 2024-12-19 -> 09-03 is 258 days: 40 of the 09-10 shares count from 2024-12-26.
    held = [(b.shares, b.wash_adjustment, b.holding_start) for b in result.held_blocks]
    assert held == [(40, Decimal(100), D("2024-12-26")), (60, Decimal(0), D("2025-09-10"))]


def test_defect_3_a_separate_same_day_purchase_replaces() -> None:
    """Defect 3: two purchases of 100 on 06-03; the first is sold at a $200 loss and the
    second, still held, replaces it: $200 into its basis."""
    acts = [
        buy("2025-06-03", 100, 10),
        buy("2025-06-03", 100, 10),
        sell("2025-06-14", 100, 8, basis=1000, acquired="2025-06-03"),
    ]
    result = analyse_wash_sales(numbered(acts))
    [m] = result.matches
    assert (m.shares, m.disallowed_loss, m.replacement_row) == (100, Decimal(200), 2)
    [sold] = result.realized_blocks
    assert (sold.relief, sold.disallowed, sold.allowed) == (LotRelief.NAMED, Decimal(200), 0)
    [held] = result.held_blocks
    # Held 06-03 -> 06-14, 11 days: the second purchase counts from 2025-05-23.
    assert (held.row, held.basis, held.holding_start) == (2, Decimal(1200), D("2025-05-23"))


@pytest.mark.parametrize(
    ("listed", "deferred", "lost"),
    [
        pytest.param(
            ["Zeta brokerage", "Alpha IRA"], Decimal(100), Decimal(0), id="taxable listed first"
        ),
        pytest.param(
            ["Alpha IRA", "Zeta brokerage"], Decimal(0), Decimal(100), id="IRA listed first"
        ),
    ],
)
def test_defect_4_same_day_purchases_in_table_order_not_by_name(
    listed: list[str], deferred: Decimal, lost: Decimal
) -> None:
    """Defect 4: of two 50-share purchases on 06-10, the one the table lists first replaces
    the loss, whatever the accounts are called (and however the rows are passed in)."""
    kinds = {"Zeta brokerage": AccountType.TAXABLE, "Alpha IRA": IRA}
    rows = numbered(
        [buy("2025-06-10", 50, 10, account=name, account_type=kinds[name]) for name in listed]
        + [sell("2025-06-20", 50, 8, basis=500, acquired="2024-01-02")]
    )
    for given in (rows, rows[::-1]):
        result = analyse_wash_sales(given)
        [m] = result.matches
        assert m.replacement_account == listed[0]
        assert tuple(result.realized)[1:] == (deferred, lost)


def test_defect_5_chained_wash_sales_carry_every_earlier_period() -> None:
    """Defect 5: each replacement in a chain counts the holding period of the shares it
    replaced, themselves tacked: §1223(3) applied again at each link, exact dates."""
    acts = [
        buy("2024-01-02", 100, 10),
        sell("2024-02-01", 100, 8, basis=1000, acquired="2024-01-02"),
        buy("2024-02-10", 100, 8),
        sell("2024-03-01", 100, 7, basis=800, acquired="2024-02-10"),
        buy("2024-03-15", 100, 7),
        sell("2024-04-01", 100, 6, basis=700, acquired="2024-03-15"),
        buy("2024-04-10", 100, 6),
    ]
    result = analyse_wash_sales(acts)
    starts = [
        (m.tacked.sold_holding_start, m.tacked.holding_start) for m in result.matches if m.tacked
    ]
    # 01-02 -> 02-01: 30 days before 02-10 = 01-11; 01-11 -> 03-01: 50 days before 03-15 =
    # 01-25; 01-25 -> 04-01: 67 days before 04-10 = 02-03.
    assert starts == [
        (D("2024-01-02"), D("2024-01-11")),
        (D("2024-01-11"), D("2024-01-25")),
        (D("2024-01-25"), D("2024-02-03")),
    ]
    assert [b.holding_start for b in result.realized_blocks] == [
        D("2024-01-02"),
        D("2024-01-11"),
        D("2024-01-25"),
    ]
    assert [m.disallowed_loss for m in result.matches] == [Decimal(200), Decimal(300), Decimal(400)]
    [held] = result.held_blocks
    assert (held.holding_start, held.basis) == (D("2024-02-03"), Decimal(1000))


@pytest.mark.parametrize(
    ("policy", "counted", "disallowed", "reason"),
    [
        pytest.param(
            WashSalePolicy.IGNORE,
            False,
            Decimal(0),
            "Traditional 401(k) purchase not counted (policy ignore)",
            id="ignore",
        ),
        pytest.param(
            WashSalePolicy.CONSERVATIVE,
            True,
            Decimal(50),
            "Traditional 401(k) purchase counted (conservative policy)",
            id="conservative",
        ),
    ],
)
def test_defect_6_every_row_says_why(
    policy: WashSalePolicy, counted: bool, disallowed: Decimal, reason: str
) -> None:
    """Defect 6: a realized loss with a 401(k) repurchase is a row under either policy;
    under ignore nothing is disallowed, and the reason says which policy decided."""
    acts = [
        sell("2025-05-01", 10, 5, basis=100, acquired="2023-01-01"),
        buy("2025-05-10", 10, 5, account="401k", account_type=AccountType.TRADITIONAL_401K),
    ]
    result = analyse_wash_sales(acts, policy=policy)
    [m] = result.matches
    assert (m.counted, m.disallowed_loss, m.basis_increase) == (counted, disallowed, 0)
    assert m.reason.startswith(reason)
    assert result.realized_blocks[0].disallowed == disallowed
