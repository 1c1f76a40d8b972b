"""``--lots-from-history`` on plain values (harvest_xl.excel.import_merge.plan_import with
``lots_from_history=True`` and harvest_xl.excel.import_history): the Holdings rows of the
lots a complete history still holds, the tickers left out and why, idempotence and the
precedence of positions and lots files and of the user's rows.

Every history is a small synthetic Fidelity Accounts_History text written here; every
expected row is worked out by hand in the test's comments (basis as paid: shares x price,
a partial lot's share of its purchase's cost)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from harvest_xl.excel import layout as L
from harvest_xl.excel.import_history import HistoryTrade, rebuild_from_history
from harvest_xl.excel.import_records import (
    PRICED,
    SKIP_TOTAL_WITH_REBUILT,
    SUPERSEDED,
    ImportPlan,
    RebuiltAccount,
)
from harvest_xl.importers import ImportResult, TradeKind, read_text

from .import_helpers import REALIZED_HEADER, csv
from .test_import_merge import ACCOUNT, Book, bought, history, lots, positions, sold

D = date.fromisoformat
NAME = "Individual - TOD"
HOLDING = L.HOLDINGS_INPUTS


def rebuild(book: Book, *results: ImportResult) -> ImportPlan:
    """Plan an import with --lots-from-history and apply it to ``book``."""
    return book.apply(book.plan(*results, lots_from_history=True))


def holdings(book: Book) -> list[tuple[Any, ...]]:
    return book.values(L.HOLDINGS, *HOLDING)


def only(plan: ImportPlan) -> RebuiltAccount:
    [account] = plan.rebuilt
    return account


def realized(*rows: str) -> ImportResult:
    return read_text(csv(REALIZED_HEADER, *rows), "Realized_Gain_Loss_Account.csv")


def split(day: str, ticker: str, shares: str) -> str:
    action = f"DISTRIBUTION {ticker} CORP ({ticker}) (Cash)"
    return f"{day},{ACCOUNT},{action},{ticker},X,Cash,,{shares},,,,"


def with_transfer_in(
    result: ImportResult, day: str, ticker: str, shares: str, basis: str, acquired: str
) -> ImportResult:
    """``result`` with a TRANSFER IN that states its basis and acquired date (as a broker
    that gives them would: the record carries what the file says)."""
    model = result.trades[0]
    transfer = model._replace(
        kind=TradeKind.TRANSFER_IN,
        trade_date=D(day),
        ticker=ticker,
        shares=Decimal(shares),
        price=None,
        amount=None,
        cost_basis=Decimal(basis),
        acquired=D(acquired),
        action="TRANSFERRED FROM VANGUARD",
        key=f"test-transfer-{day}-{ticker}",
    )
    return dataclasses.replace(result, trades=(transfer, *result.trades))


# --------------------------------------------------------------------- what is rebuilt


def test_buys_and_a_partial_fifo_sale_leave_the_later_lot_in_part() -> None:
    """Bought 10 VTI at 200 and 5 at 210, sold 12 first in, first out: the first purchase is
    gone and 3 shares of the second are held at 3/5 of its 1,050 (630); each lot has the
    price of the ticker's last trade."""
    book = Book()
    plan = rebuild(
        book,
        history(
            bought("01/05/2026", "VTI", "10", "200.00"),
            bought("02/05/2026", "VTI", "5", "210.00"),
            sold("03/10/2026", "VTI", "12", "220.00"),
            bought("03/12/2026", "BND", "3", "70.10"),
        ),
    )
    assert holdings(book) == [
        (NAME, "BND", 3, D("2026-03-12"), 210.3, 70.1),  # 3 x 70.10
        (NAME, "VTI", 3, D("2026-02-05"), 630, 220),  # 1,050 x 3/5; the sale's price
    ]
    assert len(book.tables[L.ACTIVITY]) == 4  # the trades go to Activity as ever
    account = only(plan)
    assert (account.name, account.lots, account.tickers) == (NAME, 2, 2)
    assert account.added[L.HOLDINGS] == 2 and account.left_out == []
    notes = [(row.note_column, row.note) for row in plan.rows[L.HOLDINGS]]
    assert notes[1] == (
        "Price",
        "Price of the last trade on 2026-03-10: update it. Lot rebuilt from the history "
        "(--lots-from-history): Accounts_History.csv, line 3.",
    )


def test_a_sale_of_a_named_lot_relieves_that_lot() -> None:
    """A SELL given its lot by the realized gain/loss export imported with it (4 shares
    acquired 2026-02-05) takes them from that purchase, not the oldest: the February lot
    keeps 6 of 10 shares at 6/10 of 4,500 (2,700), the January lot all 10 at 4,000."""
    book = Book()
    rebuild(
        book,
        history(
            bought("01/05/2026", "QQQ", "10", "400.00"),
            bought("02/05/2026", "QQQ", "10", "450.00"),
            sold("11/05/2026", "QQQ", "4", "480.00"),
        ),
        realized(
            'QQQ(46090E103),INVESCO QQQ,4,02/05/2026,11/05/2026,"$1,920.00","$1,800.00","$120.00",'
        ),
    )
    assert holdings(book) == [
        (NAME, "QQQ", 10, D("2026-01-05"), 4000, 480),
        (NAME, "QQQ", 6, D("2026-02-05"), 2700, 480),
    ]


def test_a_split_grows_each_lot_and_keeps_its_basis() -> None:
    """10 NVDA at 300 and 5 at 310; 3 sold first in, first out (7 of the first left, at
    7/10 of 3,000 = 2,100); a 2-for-1 split adds 12 shares: 14 and 10 shares, bases
    unchanged (IRC §307). The last trade was before the split, so no price is written."""
    book = Book()
    plan = rebuild(
        book,
        history(
            bought("01/05/2026", "NVDA", "10", "300.00"),
            bought("02/02/2026", "NVDA", "5", "310.00"),
            sold("03/02/2026", "NVDA", "3", "320.00"),
            split("06/10/2026", "NVDA", "12"),
        ),
    )
    assert holdings(book) == [
        (NAME, "NVDA", 14, D("2026-01-05"), 2100, None),
        (NAME, "NVDA", 10, D("2026-02-02"), 1550, None),
    ]
    assert plan.rows[L.HOLDINGS][0].note == (
        "The last trade of NVDA in the history (2026-03-02) was before its split on "
        "2026-06-10: type its price. Lot rebuilt from the history (--lots-from-history): "
        "Accounts_History.csv, line 2."
    )


def test_a_trade_after_the_split_gives_the_price() -> None:
    """A purchase after the split is the last trade: its price is the lots' price."""
    book = Book()
    rebuild(
        book,
        history(
            bought("01/05/2026", "NVDA", "10", "300.00"),
            split("06/10/2026", "NVDA", "10"),
            bought("06/20/2026", "NVDA", "1", "160.00"),
        ),
    )
    assert holdings(book) == [
        (NAME, "NVDA", 20, D("2026-01-05"), 3000, 160),
        (NAME, "NVDA", 1, D("2026-06-20"), 160, 160),
    ]


def test_a_transfer_in_with_its_basis_is_a_lot_of_its_own_date() -> None:
    """20 VTI transferred in with basis 2,000, acquired 2019-06-03, are older than the 10
    bought on 2026-01-05 (1,500): a sale of 25 first in, first out takes the 20, then 5 of
    the purchase (5 left at 750). 40 VXUS transferred in and never traded keep their
    date and basis; no trade gives their price, so the Price is left to the user."""
    result = history(
        bought("01/05/2026", "VTI", "10", "150.00"),
        sold("03/02/2026", "VTI", "25", "240.00"),
    )
    result = with_transfer_in(result, "2026-01-10", "VTI", "20", "2000", "2019-06-03")
    result = with_transfer_in(result, "2026-01-12", "VXUS", "40", "1234.56", "2018-02-01")
    book = Book()
    plan = rebuild(book, result)
    assert holdings(book) == [
        (NAME, "VTI", 5, D("2026-01-05"), 750, 240),
        (NAME, "VXUS", 40, D("2018-02-01"), 1234.56, None),
    ]
    assert plan.rows[L.HOLDINGS][1].note is not None
    assert plan.rows[L.HOLDINGS][1].note.startswith(
        "No trade of VXUS in the history gives a price: type its price."
    )


def test_a_wash_sale_replacement_keeps_the_basis_as_paid() -> None:
    """10 bought at 100, sold at 80 (a 200 loss), 10 bought back at 85 within 30 days:
    the replacement is held with Acquired its own trade date and Cost basis 850 as paid
    (the refresh adds the 200 and tacks the holding period itself, from Activity)."""
    book = Book()
    rebuild(
        book,
        history(
            bought("01/05/2026", "VTI", "10", "100.00"),
            sold("02/02/2026", "VTI", "10", "80.00"),
            bought("02/20/2026", "VTI", "10", "85.00"),
        ),
    )
    assert holdings(book) == [(NAME, "VTI", 10, D("2026-02-20"), 850, 85)]


def test_a_purchase_partly_replacing_a_loss_is_one_row() -> None:
    """4 of 10 sold at a loss, 10 bought back: 4 of the new shares replace the loss (the
    ledger cuts the purchase into two blocks, 4 adjusted and 6 not), yet the purchase is
    one row: 10 shares at 850 as paid; the 6 unsold shares of the first purchase keep
    6/10 of 1,000."""
    book = Book()
    rebuild(
        book,
        history(
            bought("01/05/2026", "VTI", "10", "100.00"),
            sold("02/02/2026", "VTI", "4", "80.00"),
            bought("02/20/2026", "VTI", "10", "85.00"),
        ),
    )
    assert holdings(book) == [
        (NAME, "VTI", 6, D("2026-01-05"), 600, 85),
        (NAME, "VTI", 10, D("2026-02-20"), 850, 85),
    ]


def test_a_sold_out_ticker_gives_no_row() -> None:
    """Shares all sold leave nothing to hold: the ticker is counted as covered, no row."""
    book = Book()
    plan = rebuild(
        book,
        history(bought("01/05/2026", "VTI", "4", "100"), sold("01/06/2026", "VTI", "4", "101")),
    )
    assert holdings(book) == []
    assert (only(plan).lots, only(plan).tickers, only(plan).left_out) == (0, 0, [])


def test_a_positions_file_price_comes_before_the_last_trade() -> None:
    """A positions file imported with the history (of another account) prices the
    ticker: the rebuilt lot takes that price, with a note naming the file."""
    book = Book()
    plan = rebuild(
        book,
        history(bought("01/05/2026", "VTI", "4", "100.00")),
        positions("Z9,ROTH IRA,VTI,FUND,10,300.00,3000.00,2500.00"),
    )
    rebuilt = [row for row in holdings(book) if row[0] == NAME]
    assert rebuilt == [(NAME, "VTI", 4, D("2026-01-05"), 400, 300)]
    note = plan.rows[L.HOLDINGS][1].note
    assert note is not None and note.startswith("Price from Portfolio_Positions.csv, line 2.")


def test_without_the_option_nothing_is_rebuilt() -> None:
    """Without --lots-from-history a history writes Activity only, as before."""
    book = Book()
    plan = book.apply(book.plan(history(bought("01/05/2026", "VTI", "4", "100.00"))))
    assert holdings(book) == [] and plan.rebuilt == []


# ------------------------------------------------------------------- refusing to guess


def test_more_shares_sold_than_bought_leaves_the_ticker_out() -> None:
    """2 QQQ bought, 5 sold: the history is visibly incomplete for QQQ (3 shares were
    bought before it starts): no QQQ row, said per account and ticker; VTI, complete,
    is rebuilt."""
    book = Book()
    plan = rebuild(
        book,
        history(
            bought("01/05/2026", "QQQ", "2", "400.00"),
            sold("02/05/2026", "QQQ", "5", "410.00"),
            bought("02/06/2026", "VTI", "1", "250.00"),
        ),
    )
    assert holdings(book) == [(NAME, "VTI", 1, D("2026-02-06"), 250, 250)]
    assert only(plan).left_out == [
        "history incomplete for QQQ: 3 shares sold that it never shows bought"
    ]
    assert [line.strip() for line in only(plan).lines()] == [
        f"{NAME}: 1 lot(s) of 1 ticker(s) rebuilt; Holdings: added 1, already present 0",
        "history incomplete for QQQ: 3 shares sold that it never shows bought",
    ]


def test_a_sale_of_a_lot_the_history_never_bought_leaves_the_ticker_out() -> None:
    """A sale whose closed lot was acquired 2019-03-01, before the history starts, with
    enough other shares held: the count adds up, but the named lot was never bought."""
    book = Book()
    plan = rebuild(
        book,
        history(
            bought("01/05/2026", "QQQ", "10", "400.00"),
            sold("11/05/2026", "QQQ", "4", "480.00"),
        ),
        realized(
            'QQQ(46090E103),INVESCO QQQ,4,03/01/2019,11/05/2026,"$1,920.00","$800.00","$1,120.00",'
        ),
    )
    assert holdings(book) == []
    assert only(plan).left_out == [
        "history incomplete for QQQ: 4 shares sold as lots (acquired dates) it never shows bought"
    ]


def test_a_transfer_in_without_basis_leaves_the_ticker_out() -> None:
    """Shares transferred in with no basis or date (as Fidelity's history gives them):
    never a guessed basis."""
    book = Book()
    plan = rebuild(
        book,
        history(
            f"03/12/2026,{ACCOUNT},TRANSFERRED FROM VANGUARD (VXUS) (Cash),VXUS,INTL,Cash,,40,"
            ",,0.00,"
        ),
    )
    assert holdings(book) == []
    assert only(plan).left_out == [
        "history incomplete for VXUS: 40 shares transferred in on 2026-03-12 "
        "(Accounts_History.csv, line 2) without their cost basis and acquisition date"
    ]


def test_shares_transferred_out_beyond_those_held_leave_the_ticker_out() -> None:
    """3 bought, 5 moved out in kind: 2 shares left that never came in."""
    book = Book()
    plan = rebuild(
        book,
        history(
            bought("01/05/2026", "VTI", "3", "100.00"),
            f"03/13/2026,{ACCOUNT},TRANSFERRED TO 222 (VTI) (Cash),VTI,FUND,Cash,,-5,,,0.00,",
        ),
    )
    assert only(plan).left_out == [
        "history incomplete for VTI: 2 shares sold or transferred out that it never shows bought"
    ]


def test_a_split_of_shares_never_held_leaves_the_ticker_out() -> None:
    """A split adding 90 shares to an account the history shows holding none."""
    book = Book()
    plan = rebuild(book, history(split("03/16/2026", "NVDA", "90")))
    assert only(plan).left_out == [
        "history incomplete for NVDA: a split on 2026-03-16 of shares it never shows held"
    ]


def test_a_reverse_split_leaves_the_ticker_out() -> None:
    """The Activity table cannot hold a reverse split (the import skips it), so the lots
    after it are not known."""
    book = Book()
    plan = rebuild(
        book,
        history(
            bought("01/05/2026", "XYZ", "90", "10.00"),
            f"03/17/2026,{ACCOUNT},REVERSE SPLIT XYZ CORP (XYZ) (Cash),XYZ,XYZ CORP,Cash,,-45,,,,",
        ),
    )
    assert holdings(book) == []
    assert only(plan).left_out == [
        "history incomplete for XYZ: a reverse split on 2026-03-17 (Accounts_History.csv, "
        "line 3), which the Activity table cannot hold: enter the lots by hand"
    ]


def test_a_purchase_without_a_price_leaves_the_ticker_out() -> None:
    """A purchase of unknown cost (no price in the file) cannot give a basis."""
    book = Book()
    plan = rebuild(
        book,
        history(f"03/02/2026,{ACCOUNT},YOU BOUGHT FUND (VTI) (Cash),VTI,FUND,Cash,,4,,,-1000.00,"),
    )
    assert holdings(book) == []
    assert only(plan).left_out == [
        "history incomplete for VTI: its row from Accounts_History.csv, line 2 cannot be read "
        "(Price is empty)"
    ]


# -------------------------------------------------------------------- importing again


FIRST = (
    bought("01/05/2026", "VTI", "10", "200.00"),
    bought("02/05/2026", "VTI", "5", "210.00"),
)


def test_the_same_history_again_changes_nothing() -> None:
    """A second import of the same history with the option plans no change: every lot
    is already present."""
    book = Book()
    rebuild(book, history(*FIRST))
    again = book.plan(history(*FIRST), lots_from_history=True)
    assert again.changes == 0 and not again.links
    assert only(again).present[L.HOLDINGS] == 2 and only(again).added[L.HOLDINGS] == 0


def test_a_later_history_updates_the_rows_it_rebuilt_and_names_the_sold_ones() -> None:
    """The history again, now with a sale of 12: the February row (left as written) takes
    its 3 shares at 630 in place; the January lot, all sold, is not deleted but its row
    is named for the user to delete."""
    book = Book()
    rebuild(book, history(*FIRST))
    plan = rebuild(book, history(*FIRST, sold("03/10/2026", "VTI", "12", "220.00")))
    assert holdings(book) == [
        (NAME, "VTI", 10, D("2026-01-05"), 2000, 210),
        (NAME, "VTI", 3, D("2026-02-05"), 630, 220),
    ]
    account = only(plan)
    assert (account.updated, account.stale_rows) == (1, [2])
    assert account.lines()[-1] == (
        "    Holdings row 2: rebuilt earlier, no longer held according to the history: delete them"
    )


def test_a_rebuild_reads_the_activity_rows_as_the_user_left_them() -> None:
    """A SELL of 5 imported earlier names no lot (first in, first out: 5 of January's 10
    left); the user then typed the lot it sold (February's 5) on its Activity row.
    Imported again, the rebuild reads that row as the refresh does: January's row takes its
    10 shares at 2,000 again, February's lot is sold (its row named for deletion)."""
    trades = (*FIRST, sold("03/10/2026", "VTI", "5", "220.00"))
    book = Book()
    rebuild(book, history(*trades))
    assert holdings(book) == [
        (NAME, "VTI", 5, D("2026-01-05"), 1000, 220),
        (NAME, "VTI", 5, D("2026-02-05"), 1050, 220),
    ]
    sale = next(row for row in book.tables[L.ACTIVITY].values() if row["Action"] == "SELL")
    sale |= {"Cost basis": 1050, "Acquired": D("2026-02-05")}
    plan = rebuild(book, history(*trades))
    assert holdings(book) == [
        (NAME, "VTI", 10, D("2026-01-05"), 2000, 220),
        (NAME, "VTI", 5, D("2026-02-05"), 1050, 220),
    ]
    assert (only(plan).updated, only(plan).stale_rows) == (1, [3])


def test_a_row_the_user_edited_is_kept() -> None:
    """The user typed a price into a rebuilt row: it is the user's now, a later rebuild
    leaves it as it is (kept) and updates only the untouched one."""
    book = Book()
    rebuild(book, history(*FIRST))
    book.tables[L.HOLDINGS][3]["Price"] = 215
    later = (*FIRST, bought("03/02/2026", "VTI", "1", "230.00"))
    plan = rebuild(book, history(*later))
    assert holdings(book) == [
        (NAME, "VTI", 10, D("2026-01-05"), 2000, 230),
        (NAME, "VTI", 5, D("2026-02-05"), 1050, 215),
        (NAME, "VTI", 1, D("2026-03-02"), 230, 230),
    ]
    account = only(plan)
    assert (account.updated, account.kept, account.added[L.HOLDINGS]) == (1, 1, 1)


def test_rows_the_user_typed_come_first() -> None:
    """The Holdings table already has a VTI row of this account that the history does not
    give: VTI is left out (the typed row stays as it is); BND is rebuilt."""
    typed = {"Account": NAME, "Ticker": "VTI", "Shares": 15, "Acquired": D("2025-01-01")}
    book = Book({L.ACCOUNTS: [{"Account": NAME, "Type": "Taxable"}], L.HOLDINGS: [typed]})
    plan = rebuild(book, history(*FIRST, bought("03/12/2026", "BND", "3", "70.00")))
    assert holdings(book) == [
        (NAME, "VTI", 15, D("2025-01-01"), None, None),
        (NAME, "BND", 3, D("2026-03-12"), 210, 70),
    ]
    assert only(plan).left_out == [
        "VTI left out: Holdings already has 1 row(s) of it in this account that the history "
        "does not give (typed, or from a positions or lots file); they come first. Delete "
        "them to take the history's lots"
    ]


def test_typed_rows_that_are_the_historys_lots_count_as_present() -> None:
    """Rows the user typed exactly as the history gives them (price aside) are the lots:
    nothing is added, and the rows stay the user's: a later rebuild whose last trade
    gives a new price keeps them as they are."""
    typed = [
        {"Account": NAME, "Ticker": "VTI", "Shares": 10, "Acquired": D("2026-01-05"),
         "Cost basis": 2000, "Price": 199},
        {"Account": NAME, "Ticker": "VTI", "Shares": 5, "Acquired": D("2026-02-05"),
         "Cost basis": 1050, "Price": 199},
    ]  # fmt: skip
    book = Book({L.ACCOUNTS: [{"Account": NAME, "Type": "Taxable"}], L.HOLDINGS: typed})
    plan = rebuild(book, history(*FIRST))
    assert not plan.rows[L.HOLDINGS] and only(plan).present[L.HOLDINGS] == 2
    again = rebuild(book, history(*FIRST, bought("03/02/2026", "VTI", "1", "230.00")))
    assert only(again).kept == 2 and only(again).added[L.HOLDINGS] == 1
    assert [row[5] for row in holdings(book)] == [199, 199, 230]  # the user's prices stay


# ----------------------------------------------------- positions and lots files first


def test_an_account_with_a_lots_file_in_the_same_import_is_not_rebuilt() -> None:
    """A lot-detail file gives the account's holdings: its history is not used for them."""
    book = Book()
    plan = rebuild(
        book,
        history(*FIRST),
        lots("Z1,Individual - TOD,VTI,FUND,01/05/2026,Short,15,$300,$4500,$203.33,$3050.00"),
    )
    assert holdings(book) == [(NAME, "VTI", 15, D("2026-01-05"), 3050, 300)]
    assert only(plan).lines() == [
        f"  {NAME}: not rebuilt: its holdings come from Unrealized_Lots.csv, imported with it"
    ]


def test_a_positions_total_the_lots_hold_gives_them_its_price() -> None:
    """A positions file imported with the history whose total (15 VTI) is what the
    history leaves: the lots are written with the file's price, not the total."""
    book = Book()
    total = positions("Z1,Individual - TOD,VTI,FUND,15,300.00,4500.00,3050.00")
    plan = rebuild(book, history(*FIRST), total)
    assert holdings(book) == [
        (NAME, "VTI", 10, D("2026-01-05"), 2000, 300),
        (NAME, "VTI", 5, D("2026-02-05"), 1050, 300),
    ]
    assert plan.files[1].skipped == {SKIP_TOTAL_WITH_REBUILT: 1}
    note = plan.rows[L.HOLDINGS][0].note
    assert note is not None and note.startswith("Price from Portfolio_Positions.csv, line 2.")
    again = book.plan(history(*FIRST), total, lots_from_history=True)
    assert again.changes == 0 and again.files[1].skipped == {SKIP_TOTAL_WITH_REBUILT: 1}


def test_a_positions_total_that_differs_is_written_and_the_lots_are_not() -> None:
    """The positions file shows 12 VTI where the history leaves 15: the file comes first,
    its total is written (Acquired left to the user) and VTI's lots are left out."""
    book = Book()
    plan = rebuild(
        book,
        history(*FIRST),
        positions("Z1,Individual - TOD,VTI,FUND,12,300.00,3600.00,2450.00"),
    )
    assert holdings(book) == [(NAME, "VTI", 12, None, 2450, 300)]
    assert only(plan).left_out == [
        "VTI left out: the history leaves 15 shares, Portfolio_Positions.csv shows 12 (its "
        "total is written instead)"
    ]


def test_a_ticker_the_positions_file_does_not_show_is_left_out() -> None:
    """A positions file lists every holding of its account: a ticker the history leaves
    shares of but the file does not show is not written; the file's own total is."""
    book = Book()
    plan = rebuild(
        book,
        history(*FIRST, bought("03/12/2026", "BND", "3", "70.00")),
        positions("Z1,Individual - TOD,VTI,FUND,15,300.00,4500.00,3050.00"),
    )
    assert [row[1:3] for row in holdings(book)] == [("VTI", 10), ("VTI", 5)]
    assert only(plan).left_out == [
        "BND left out: the history leaves 3 shares, Portfolio_Positions.csv shows none"
    ]


def test_a_later_position_total_of_the_rebuilt_lots_only_prices_them() -> None:
    """A positions file whose total (15 shares) is what the rebuilt rows hold: the total
    is not written, the rows take its price (noted); a later rebuild keeps that price."""
    book = Book()
    rebuild(book, history(*FIRST))
    total = positions("Z1,Individual - TOD,VTI,FUND,15,300.00,4500.00,3050.00")
    plan = book.apply(book.plan(total))
    assert holdings(book) == [
        (NAME, "VTI", 10, D("2026-01-05"), 2000, 300),
        (NAME, "VTI", 5, D("2026-02-05"), 1050, 300),
    ]
    assert plan.files[0].skipped == {SKIP_TOTAL_WITH_REBUILT: 1}
    assert plan.files[0].priced == 2 and not plan.rows[L.HOLDINGS]
    assert [u.notes for u in plan.updates][0] == (
        ("Price", "Price from Portfolio_Positions.csv, line 2."),
    )
    assert [u.entry.note for u in plan.updates] == [PRICED, PRICED]
    assert book.plan(total).changes == 0  # the same positions again
    again = rebuild(book, history(*FIRST))
    assert again.changes == 0 and only(again).present[L.HOLDINGS] == 2


def test_a_later_lots_file_takes_over_the_rebuilt_rows() -> None:
    """A lot-detail file of the account and ticker comes first: its lot goes into the first
    rebuilt row (in place), the other rebuilt row is named for deletion, and a later
    rebuild leaves the ticker to the file."""
    book = Book()
    rebuild(book, history(*FIRST))
    detail = lots("Z1,Individual - TOD,VTI,FUND,01/05/2026,Short,10,$300,$3000,$200.50,$2005.00")
    plan = book.apply(book.plan(detail))
    assert holdings(book) == [
        (NAME, "VTI", 10, D("2026-01-05"), 2005, 300),
        (NAME, "VTI", 5, D("2026-02-05"), 1050, 210),
    ]
    outcome = plan.files[0]
    assert (outcome.took_over, outcome.superseded_rows) == (1, [3])
    assert [e.note for e in plan.links] == [SUPERSEDED, SUPERSEDED]
    assert plan.updates[0].notes == (("Price", None),)  # the history's price note goes
    assert book.plan(detail).changes == 0  # the same lots again: present
    again = rebuild(book, history(*FIRST, bought("03/02/2026", "VTI", "1", "230.00")))
    assert not again.rows[L.HOLDINGS] and not again.updates
    assert only(again).left_out == [
        "VTI left out: its holdings come from a positions or lots file imported after the history"
    ]


def test_a_later_position_total_that_differs_takes_over_the_rows() -> None:
    """A total of 12 shares where the rebuilt rows hold 15: the file comes first: the total
    goes into the first rebuilt row (its Acquired emptied and noted), the other is named."""
    book = Book()
    rebuild(book, history(*FIRST))
    plan = book.apply(
        book.plan(positions("Z1,Individual - TOD,VTI,FUND,12,300.00,3600.00,2450.00"))
    )
    assert holdings(book) == [
        (NAME, "VTI", 12, None, 2450, 300),
        (NAME, "VTI", 5, D("2026-02-05"), 1050, 210),
    ]
    assert plan.files[0].superseded_rows == [3]
    columns = [column for column, _ in plan.updates[0].notes]
    assert columns == ["Price", "Acquired"]


# ---------------------------------------------------------------------- the rebuild alone


def test_the_rebuild_reads_rows_as_the_activity_table_holds_them() -> None:
    """rebuild_from_history on Activity rows: a named TRANSFER OUT of the later lot moves
    it out with its basis; the rest is the earlier lot."""
    trade = history(bought("01/05/2026", "VTI", "1", "1")).trades[0]

    def row(day: str, action: str, shares: int, price: int, **lot: Any) -> HistoryTrade:
        values = {"Date": D(day), "Account": "A", "Action": action, "Ticker": "VTI",
                  "Shares": shares, "Price": price} | lot  # fmt: skip
        return HistoryTrade("A", trade, (values,))

    found = rebuild_from_history(
        [
            row("2026-01-05", "BUY", 10, 100),
            row("2026-02-05", "BUY", 4, 120),
            row(
                "2026-03-05",
                "TRANSFER OUT",
                4,
                0,
                **{"Cost basis": 480, "Acquired": D("2026-02-05")},
            ),
        ]  # fmt: skip
    )
    assert [(lot.shares, lot.acquired, lot.cost_basis) for lot in found.lots] == [
        (10, D("2026-01-05"), 1000)
    ]
    assert found.left_out == {} and found.tickers == {"A": ["VTI"]}


_START = date(2026, 1, 2)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(1, 9), st.integers(1, 400)),  # buy?, shares, $
        max_size=20,
    )
)
def test_fifo_lots_match_a_hand_model(moves: list[tuple[bool, int, int]]) -> None:
    """Any history of whole-share buys and first-in-first-out sales that never sells more
    than it holds rebuilds exactly the lots a plain FIFO queue leaves: each purchase's
    remaining shares at its whole-dollar price each (no rounding can occur)."""
    lines, queue, day = [], [], _START
    for is_buy, shares, price in moves:
        text = day.strftime("%m/%d/%Y")
        if is_buy:
            lines.append(bought(text, "VTI", str(shares), f"{price}.00"))
            queue.append([day, shares, price])
        else:
            held = sum(lot[1] for lot in queue)
            shares = min(shares, held)
            if shares == 0:
                continue
            lines.append(sold(text, "VTI", str(shares), f"{price}.00"))
            left = shares
            while left:
                take = min(left, queue[0][1])
                queue[0][1] -= take
                left -= take
                if queue[0][1] == 0:
                    queue.pop(0)
        day = date.fromordinal(day.toordinal() + 1)
    if not lines:
        return
    book = Book()
    rebuild(book, history(*reversed(lines)))  # newest first, as Fidelity lists them
    expected = [(when, shares, shares * price) for when, shares, price in queue]
    assert [(row[3], row[2], row[4]) for row in holdings(book)] == expected
