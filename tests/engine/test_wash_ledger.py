"""The share-by-share ledger: RY-1…RY-5 facts (realized-year.md §3), lot relief, transfers,
splits, and what held shares still carry."""

from __future__ import annotations

from decimal import Decimal

from harvest_xl.engine.holding import holding_term
from harvest_xl.engine.lots import Lot
from harvest_xl.engine.models import AccountType, Term, WashSalePolicy
from harvest_xl.engine.realized_block import LotRelief
from harvest_xl.engine.wash_sale import analyse_wash_sales

from .wash_helpers import D, buy, numbered, sell, split, transfer_in, transfer_out

IRA = AccountType.TRADITIONAL_IRA


def _facts(block: object, *names: str) -> tuple[object, ...]:
    return tuple(getattr(block, name) for name in names)


def test_ry1_taxable_replacement_in_the_same_account() -> None:
    """RY-1: $1,000 disallowed; the replacement's basis $5,100 from 2025-11-13 (127 days
    before 2026-03-20); sold for $4,300: a short-term loss of $800."""
    acts = [
        buy("2025-11-03", 100, 50),
        sell("2026-03-10", 100, 40, basis=5000, acquired="2025-11-03"),
        buy("2026-03-20", 100, 41),
        sell("2026-06-01", 100, 43, basis=4100, acquired="2026-03-20"),
    ]
    first, second = analyse_wash_sales(acts).realized_blocks
    names = ("acquired", "holding_start", "proceeds", "basis_paid", "disallowed", "allowed")
    assert _facts(first, *names) == (
        D("2025-11-03"),
        D("2025-11-03"),
        Decimal(4000),
        Decimal(5000),
        Decimal(1000),
        Decimal(0),
    )
    assert _facts(second, *names, "wash_adjustment", "wash_adjustment_same_account") == (
        D("2026-03-20"),
        D("2025-11-13"),
        Decimal(4300),
        Decimal(4100),
        Decimal(0),
        Decimal(-800),
        Decimal(1000),
        Decimal(1000),
    )
    assert second.basis == Decimal(5100)
    assert holding_term(D("2025-11-13"), D("2026-06-01")) is Term.SHORT


def test_ry1b_replacement_at_another_broker_is_not_the_brokers_adjustment() -> None:
    """RY-1b: the same figures, but the carried $1,000 came from another account, so none
    of it is what the replacement's broker applies itself (Form 8949 code B)."""
    acts = [
        buy("2025-11-03", 100, 50),
        sell("2026-03-10", 100, 40, basis=5000, acquired="2025-11-03"),
        buy("2026-03-20", 100, 41, account="Other broker"),
        sell("2026-06-01", 100, 43, basis=4100, acquired="2026-03-20", account="Other broker"),
    ]
    second = analyse_wash_sales(acts).realized_blocks[1]
    assert _facts(second, "wash_adjustment", "wash_adjustment_same_account", "allowed") == (
        Decimal(1000),
        Decimal(0),
        Decimal(-800),
    )


def test_ry2_ira_replacement_loses_the_loss_for_good() -> None:
    """RY-2: $1,000 disallowed and lost for good; the IRA shares keep their cost, $4,100."""
    acts = [
        buy("2025-11-03", 100, 50),
        sell("2026-03-10", 100, 40, basis=5000, acquired="2025-11-03"),
        buy("2026-03-20", 100, 41, account="IRA", account_type=IRA),
    ]
    result = analyse_wash_sales(acts)
    [sold] = result.realized_blocks
    assert _facts(sold, "disallowed", "lost_for_good", "allowed") == (1000, 1000, 0)
    [held] = result.held_blocks
    assert _facts(held, "basis", "holding_start", "replaced_a_loss") == (
        Decimal(4100),
        D("2026-03-20"),
        True,
    )
    assert tuple(result.realized) == (Decimal(1000), Decimal(0), Decimal(1000))


def test_ry3_partial_replacement() -> None:
    """RY-3: 40 of 100 shares replaced: $400 disallowed, $600 allowed; year-end lot of 40
    shares, basis $1,240, holding from 2026-01-20 (100 days before 04-30), carry-in $400."""
    acts = [
        buy("2026-01-05", 100, 30),
        sell("2026-04-15", 100, 20, basis=3000, acquired="2026-01-05"),
        buy("2026-04-30", 40, 21),
    ]
    result = analyse_wash_sales(acts)
    [sold] = result.realized_blocks
    assert _facts(sold, "disallowed", "allowed") == (Decimal(400), Decimal(-600))
    [held] = result.held_blocks
    assert _facts(held, "shares", "basis", "holding_start", "wash_adjustment") == (
        40,
        Decimal(1240),
        D("2026-01-20"),
        Decimal(400),
    )


def test_ry4_gain_and_loss_without_wash_sales() -> None:
    """RY-4: a long-term gain of $2,500 and a short-term loss of $8,000, nothing washed."""
    acts = [
        sell("2026-05-01", 50, 90, basis=2000, acquired="2023-02-01", ticker="LTG"),
        sell("2026-06-15", 200, 20, basis=12000, acquired="2025-12-01", ticker="STL"),
    ]
    result = analyse_wash_sales(acts)
    blocks = sorted(result.realized_blocks, key=lambda b: b.ticker)
    assert [(b.ticker, b.allowed, b.disallowed) for b in blocks] == [
        ("LTG", Decimal(2500), 0),
        ("STL", Decimal(-8000), 0),
    ]
    assert [holding_term(b.holding_start, b.sold) for b in blocks] == [Term.LONG, Term.SHORT]
    assert result.matches == ()


def test_ry5_tacking_turns_the_replacement_long_term() -> None:
    """RY-5: the replacement counts from 2025-01-25 (360 days before 2026-01-20); sold
    2026-05-01 it is a long-term loss of $100."""
    acts = [
        buy("2025-01-15", 100, 60),
        sell("2026-01-10", 100, 55, basis=6000, acquired="2025-01-15"),
        buy("2026-01-20", 100, 54),
        sell("2026-05-01", 100, 58, basis=5400, acquired="2026-01-20"),
    ]
    first, second = analyse_wash_sales(acts).realized_blocks
    assert _facts(first, "disallowed", "allowed") == (Decimal(500), Decimal(0))
    assert _facts(second, "holding_start", "basis", "allowed") == (
        D("2025-01-25"),
        Decimal(5900),
        Decimal(-100),
    )
    assert holding_term(second.holding_start, second.sold) is Term.LONG
    assert holding_term(second.acquired, second.sold) is Term.SHORT


# ------------------------------------------------------------------------ lot relief


def test_a_sale_naming_no_lot_is_first_in_first_out() -> None:
    """No lot named: the oldest shares go first, each block with its own basis and date."""
    acts = [buy("2025-01-10", 10, 10), buy("2025-02-10", 10, 20), sell("2025-03-10", 15, 30)]
    blocks = analyse_wash_sales(acts).realized_blocks
    assert [
        _facts(b, "relief", "shares", "acquired", "basis_paid", "proceeds") for b in blocks
    ] == [
        (LotRelief.FIFO, 10, D("2025-01-10"), Decimal(100), Decimal(300)),
        (LotRelief.FIFO, 5, D("2025-02-10"), Decimal(100), Decimal(150)),
    ]


def test_shares_beyond_those_known_have_an_unknown_basis_never_zero() -> None:
    """A FIFO sale of more shares than the table bought: the rest has no basis and no gain."""
    acts = [buy("2025-01-10", 10, 10), sell("2025-03-10", 15, 30)]
    known, unknown = analyse_wash_sales(acts).realized_blocks
    assert (known.relief, known.gain_loss) == (LotRelief.FIFO, Decimal(200))
    assert _facts(unknown, "relief", "shares", "basis_paid", "acquired", "gain_loss") == (
        LotRelief.UNKNOWN,
        5,
        None,
        None,
        None,
    )


def test_a_named_lot_partly_bought_before_the_table() -> None:
    """Named lot: the table's 10 shares of that date first, 5 more from before the table;
    the named basis and the proceeds are shared by place."""
    acts = [
        buy("2025-01-10", 10, 10),
        sell("2025-03-10", 15, 30, basis="150.00", acquired="2025-01-10"),
    ]
    ours, before = analyse_wash_sales(acts).realized_blocks
    assert _facts(ours, "relief", "shares", "basis_paid", "proceeds") == (
        LotRelief.NAMED,
        10,
        Decimal(100),
        Decimal(300),
    )
    assert _facts(before, "relief", "shares", "basis_paid", "holding_start") == (
        LotRelief.NAMED,
        5,
        Decimal(50),
        D("2025-01-10"),
    )


def test_cents_shared_by_place_add_up() -> None:
    """$100.00 of proceeds over 3 shares sold as 1 + 2 blocks: 33.33 and 66.67."""
    acts = [
        buy("2025-01-10", 1, 10),
        buy("2025-01-11", 2, 10),
        sell("2025-03-10", 3, "33.333333"),
    ]
    blocks = analyse_wash_sales(acts).realized_blocks
    assert [b.proceeds for b in blocks] == [Decimal("33.33"), Decimal("66.67")]


# ------------------------------------------------------------------ transfers, splits


def test_a_transfer_in_is_held_with_its_own_date_and_basis_and_never_replaces() -> None:
    """Shares transferred in keep their acquired date and basis, are sold first in first out
    by that date, and are no replacement for a loss (they were not purchased)."""
    acts = [
        buy("2025-03-01", 10, 20),
        transfer_in("2025-03-05", 10, basis=300, acquired="2024-01-02"),
        sell("2025-03-10", 10, 15, basis=300, acquired="2023-06-01", account="Joint"),
        sell("2025-04-01", 15, 25),
    ]
    result = analyse_wash_sales(acts)
    [m] = result.matches  # the 03-01 purchase replaces the Joint loss, not the transfer
    assert (m.replacement_date, m.shares) == (D("2025-03-01"), 10)
    fifo = [b for b in result.realized_blocks if b.relief is LotRelief.FIFO]
    assert [_facts(b, "acquired", "shares", "basis_paid") for b in fifo] == [
        (D("2024-01-02"), 10, Decimal(300)),
        (D("2025-03-01"), 5, Decimal(100)),
    ]


def test_a_transfer_out_carries_its_adjustment_away_without_gain_or_loss() -> None:
    """The replacement shares leave with their basis, adjustment and holding start."""
    acts = [
        sell("2025-05-01", 10, 5, basis=100, acquired="2024-01-02"),
        buy("2025-05-10", 10, 5),
        transfer_out("2025-06-01", 10),
    ]
    result = analyse_wash_sales(acts)
    assert len(result.realized_blocks) == 1 and result.held_blocks == ()
    [moved] = result.transferred_out
    assert _facts(moved, "shares", "basis_paid", "wash_adjustment", "holding_start") == (
        10,
        Decimal(50),
        Decimal(50),
        D("2024-01-11"),  # 2024-01-02 -> 2025-05-01 is 485 days before 2025-05-10
    )


def test_a_split_grows_every_held_block_and_keeps_its_basis() -> None:
    """A 2-for-1 split (100 received on 100 held): 200 shares, the same total basis and
    adjustment; a later sale of half takes half of each; a split is no purchase."""
    acts = [
        sell("2025-05-01", 40, 5, basis=400, acquired="2024-01-02"),
        buy("2025-05-10", 100, 6),
        split("2025-05-20", 100),
        sell("2025-08-01", 100, 4),
    ]
    result = analyse_wash_sales(acts)
    [m] = result.matches
    assert (m.shares, m.disallowed_loss) == (40, Decimal(200))
    sold = result.realized_blocks[1:]
    assert [_facts(b, "shares", "basis_paid", "wash_adjustment") for b in sold] == [
        (80, Decimal(240), Decimal(200)),
        (20, Decimal(60), Decimal(0)),
    ]
    [held] = result.held_blocks
    assert _facts(held, "shares", "basis_paid", "wash_adjustment") == (100, Decimal(300), 0)


def test_a_split_with_nothing_known_held_changes_nothing() -> None:
    """Shares bought before the table cannot grow: the split is ignored."""
    result = analyse_wash_sales([split("2025-05-20", 100)])
    assert result.held_blocks == () and result.realized_blocks == ()


# -------------------------------------------------------------- what held shares carry


def _lot(acquired: str, shares: int, account: str = "Brokerage") -> Lot:
    return Lot(
        account,
        AccountType.TAXABLE,
        "X",
        Decimal(shares),
        D(acquired),
        Decimal(shares * 6),
        Decimal(5),
        D("2025-12-31"),
    )


def test_adjustment_for_a_holdings_lot() -> None:
    """A Holdings lot of an adjusted purchase gets its share of the adjustment and, when all
    its shares share one, the tacked holding start; any other lot gets nothing."""
    acts = [
        sell("2025-05-01", 10, 5, basis=100, acquired="2024-01-02"),
        buy("2025-05-10", 10, 6),
    ]
    result = analyse_wash_sales(acts)
    assert ("Brokerage", "X", D("2025-05-10")) in result.adjusted_purchases
    assert result.adjustment_for(_lot("2025-05-10", 10)) == (Decimal(50), D("2024-01-11"))
    assert result.adjustment_for(_lot("2025-05-10", 4)) == (Decimal(20), D("2024-01-11"))
    assert result.adjustment_for(_lot("2025-05-11", 10)) == (0, None)


def test_adjustment_for_a_lot_partly_replacement_has_no_single_holding_start() -> None:
    """Of 100 held shares only 10 replaced a loss: the increase is shared over the lot, and
    no single tacked date applies to all of them."""
    acts = [
        sell("2025-05-01", 10, 5, basis=100, acquired="2024-01-02"),
        buy("2025-05-10", 100, 6),
    ]
    result = analyse_wash_sales(acts)
    assert result.adjustment_for(_lot("2025-05-10", 100)) == (Decimal(50), None)


def test_replacements_between_gives_the_shares_each_purchase_can_still_replace() -> None:
    """Purchases in the span, in trade order, each with its shares held and not used."""
    acts = numbered(
        [
            buy("2025-05-02", 10, 5),
            buy("2025-05-02", 10, 5, account="401k", account_type=AccountType.TRADITIONAL_401K),
            sell("2025-05-05", 4, 5, basis=20, acquired="2025-05-02"),
            sell("2025-05-06", 3, 4, basis=30, acquired="2024-01-02"),
            buy("2025-07-01", 10, 5),
        ]
    )
    result = analyse_wash_sales(acts, policy=WashSalePolicy.IGNORE)
    found = result.replacements_between(D("2025-05-01"), D("2025-05-31"))
    assert [(r.purchase.row, r.available) for r in found["ticker:X"]] == [(1, 3), (2, 10)]
    assert result.replacements_between(D("2025-06-01"), D("2025-06-30")) == {}


def test_realized_in_year_is_the_years_blocks_of_every_group_and_no_other() -> None:
    """A tax year's blocks are those of every sale made from January 1 to December 31:
    the same blocks, in the same order, as all blocks filtered by sale year."""
    acts = numbered(
        [
            buy("2024-12-20", 10, 50),
            buy("2024-12-20", 10, 50, ticker="Y"),
            sell("2024-12-31", 4, 40),  # Dec 31: the earlier year
            sell("2025-01-01", 3, 45, ticker="Y"),  # Jan 1: the later year
            sell("2025-01-02", 2, 40, basis=90, acquired="2023-03-01"),  # a named lot
            sell("2025-12-31", 6, 60),
            sell("2026-01-01", 7, 55, ticker="Y"),
        ]
    )
    result = analyse_wash_sales(acts)
    for year in (2024, 2025, 2026):
        expected = tuple(b for b in result.realized_blocks if b.sold.year == year)
        assert result.realized_in_year(year) == expected
    assert sorted({b.sale_row for b in result.realized_in_year(2025)}) == [4, 5, 6]
    assert [b.sale_row for b in result.realized_in_year(2024)] == [3]
