"""The import's plan (harvest_xl.excel.import_merge), on plain values: which rows are added,
which are already present, which imported Holdings rows a later snapshot updates, how
accounts are matched and named. Broker files are small texts written here; every expected
row is written by hand from them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from harvest_xl.excel import layout as L
from harvest_xl.excel.import_merge import plan_import
from harvest_xl.excel.import_records import (
    SKIP_CLOSED_LOTS,
    SKIP_NO_ACCOUNT,
    SKIP_REVERSE_SPLIT,
    SKIP_TOTAL_WITH_LOTS,
    ImportPlan,
    LedgerEntry,
)
from harvest_xl.excel.import_values import canonical, fingerprint
from harvest_xl.importers import ImportResult, read_text

from .import_helpers import HISTORY_HEADER, LOTS_HEADER, POSITIONS_HEADER, REALIZED_HEADER, csv

D = date.fromisoformat
ACCOUNT = "Individual - TOD,Z1"


def history(*rows: str, name: str = "Accounts_History.csv") -> ImportResult:
    return read_text(csv(HISTORY_HEADER, *rows), name)


def positions(*rows: str, name: str = "Portfolio_Positions.csv") -> ImportResult:
    return read_text(csv(POSITIONS_HEADER, *rows), name)


def lots(*rows: str, name: str = "Unrealized_Lots.csv") -> ImportResult:
    return read_text(csv(LOTS_HEADER, *rows), name)


def bought(day: str, ticker: str, shares: str, price: str, account: str = ACCOUNT) -> str:
    amount = -Decimal(shares) * Decimal(price)
    return (
        f"{day},{account},YOU BOUGHT FUND ({ticker}) (Cash),{ticker},FUND,Cash,{price},{shares},"
        f",,{amount},"
    )


def sold(day: str, ticker: str, shares: str, price: str, account: str = ACCOUNT) -> str:
    amount = Decimal(shares) * Decimal(price)
    return (
        f"{day},{account},YOU SOLD FUND ({ticker}) (Cash),{ticker},FUND,Cash,{price},-{shares},"
        f",,{amount},"
    )


def rows(plan: ImportPlan, table: str) -> list[tuple[Any, ...]]:
    columns = {
        L.ACCOUNTS: ("Account", "Type"),
        L.HOLDINGS: L.HOLDINGS_INPUTS,
        L.ACTIVITY: L.ACTIVITY_COLUMNS,
    }[table]
    return [tuple(r.values.get(c) for c in columns) for r in plan.rows[table]]


class Book:
    """The three tables and the ledger as plain values, with a plan applied as the workbook
    writer applies it (rows appended in order, updates in place, ledger appended)."""

    def __init__(self, tables: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.tables: dict[str, dict[int, dict[str, Any]]] = {
            sheet: {2 + i: dict(r) for i, r in enumerate((tables or {}).get(sheet, []))}
            for sheet in (L.ACCOUNTS, L.HOLDINGS, L.ACTIVITY)
        }
        self.ledger: list[LedgerEntry] = []

    def plan(
        self, *results: ImportResult, account: str | None = None, lots_from_history: bool = False
    ) -> ImportPlan:
        current = {sheet: sorted(t.items()) for sheet, t in self.tables.items()}
        return plan_import(results, current, self.ledger, account, lots_from_history)

    def apply(self, plan: ImportPlan) -> ImportPlan:
        for update in plan.updates:
            self.tables[update.table][update.row].update(update.values)
            self.ledger.append(update.entry)
        for sheet, planned in plan.rows.items():
            table = self.tables[sheet]
            for p in planned:
                row = max(table, default=1) + 1
                table[row] = dict(p.values)
                self.ledger.append(p.entry.at(row))
        self.ledger += plan.links
        return plan

    def values(self, sheet: str, *columns: str) -> list[tuple[Any, ...]]:
        return [tuple(r.get(c) for c in columns) for _, r in sorted(self.tables[sheet].items())]


# --------------------------------------------------------------------------- actions


def test_each_kind_of_trade_gets_its_activity_word() -> None:
    """BUY and REINVEST are BUY, SELL is SELL, transfers are TRANSFER IN / OUT, a split is
    SPLIT with the shares received; a reverse split is skipped and counted."""
    result = history(
        bought("03/02/2026", "VTI", "4", "250.00"),
        f"03/06/2026,{ACCOUNT},REINVESTMENT FUND (VTI) (Cash),VTI,FUND,Cash,251.00,0.5,,,-125.50,",
        sold("03/10/2026", "VTI", "2", "260.00"),
        f"03/12/2026,{ACCOUNT},TRANSFERRED FROM VANGUARD (VXUS) (Cash),VXUS,INTL,Cash,,40,,,0.00,",
        f"03/13/2026,{ACCOUNT},TRANSFERRED TO 222 (VXUS) (Cash),VXUS,INTL,Cash,,-10,,,0.00,",
        f"03/16/2026,{ACCOUNT},DISTRIBUTION NVIDIA CORP (NVDA) (Cash),NVDA,NVIDIA,Cash,,90,,,,",
        f"03/17/2026,{ACCOUNT},REVERSE SPLIT XYZ CORP (XYZ) (Cash),XYZ,XYZ CORP,Cash,,-45,,,,",
    )
    plan = Book().plan(result)
    assert rows(plan, L.ACTIVITY) == [
        (D("2026-03-02"), "Individual - TOD", "BUY", "VTI", 4, 250, None, None),
        (D("2026-03-06"), "Individual - TOD", "BUY", "VTI", 0.5, 251, None, None),
        (D("2026-03-10"), "Individual - TOD", "SELL", "VTI", 2, 260, None, None),
        (D("2026-03-12"), "Individual - TOD", "TRANSFER IN", "VXUS", 40, 0, None, None),
        (D("2026-03-13"), "Individual - TOD", "TRANSFER OUT", "VXUS", 10, 0, None, None),
        (D("2026-03-16"), "Individual - TOD", "SPLIT", "NVDA", 90, 0, None, None),
    ]
    assert plan.files[0].skipped == {SKIP_REVERSE_SPLIT: 1}
    assert plan.files[0].added[L.ACTIVITY] == 6


def test_a_purchase_without_a_price_keeps_the_price_empty() -> None:
    """Price 0 is written only where no cash changes hands; a BUY the file gives no price
    for has an empty Price (the refresh then asks for it), never a derived one."""
    result = history(
        f"03/02/2026,{ACCOUNT},YOU BOUGHT FUND (VTI) (Cash),VTI,FUND,Cash,,4,,,-1000.00,",
    )
    assert rows(Book().plan(result), L.ACTIVITY) == [
        (D("2026-03-02"), "Individual - TOD", "BUY", "VTI", 4, None, None, None),
    ]


def test_a_newest_first_history_is_written_oldest_first() -> None:
    """Most brokers list history newest first: the rows go in oldest first, and trades of
    one day keep the order they happened in (the file's order, read backwards)."""
    result = history(
        sold("03/10/2026", "VTI", "1", "261.00"),
        bought("03/10/2026", "VTI", "3", "259.00"),
        bought("03/02/2026", "VTI", "4", "250.00"),
    )
    assert [(r[0], r[2], r[4]) for r in rows(Book().plan(result), L.ACTIVITY)] == [
        (D("2026-03-02"), "BUY", 4),
        (D("2026-03-10"), "BUY", 3),
        (D("2026-03-10"), "SELL", 1),
    ]


# --------------------------------------------------------------------------- SELL lots


def test_a_sell_takes_its_lots_from_the_realized_export_imported_with_it() -> None:
    """A SELL without a lot is split into one row per closed lot of the realized gain/loss
    export (same ticker and sale date, shares adding up), each with its basis and date."""
    sale = history(sold("11/05/2026", "QQQ", "30", "480.00"))
    closed = read_text(
        csv(
            REALIZED_HEADER,
            'QQQ(46090E103),INVESCO QQQ,10,12/15/2025,11/05/2026,"$4,800.00","$5,500.00",'
            '"-$700.00",',
            'QQQ(46090E103),INVESCO QQQ,20,01/20/2026,11/05/2026,"$9,600.00","$11,000.00",'
            '"-$1,400.00",',
        ),
        "Realized_Gain_Loss_Account.csv",
    )
    plan = Book().plan(sale, closed)
    assert rows(plan, L.ACTIVITY) == [
        (D("2026-11-05"), "Individual - TOD", "SELL", "QQQ", 10, 480, 5500, D("2025-12-15")),
        (D("2026-11-05"), "Individual - TOD", "SELL", "QQQ", 20, 480, 11000, D("2026-01-20")),
    ]
    assert plan.files[0].sells_with_lots == 1
    assert plan.files[0].added[L.ACTIVITY] == 1
    assert plan.files[1].skipped == {}


def test_closed_lots_that_do_not_add_up_leave_the_sell_to_fifo() -> None:
    """Closed lots of fewer shares than the sale are not used: the SELL keeps Cost basis and
    Acquired empty (relieved first in, first out), and the lots are counted as not used."""
    sale = history(sold("11/05/2026", "QQQ", "30", "480.00"))
    closed = read_text(
        csv(
            REALIZED_HEADER,
            'QQQ(46090E103),INVESCO QQQ,10,12/15/2025,11/05/2026,"$4,800.00","$5,500.00",'
            '"-$700.00",',
        ),
        "Realized_Gain_Loss_Account.csv",
    )
    plan = Book().plan(sale, closed)
    assert rows(plan, L.ACTIVITY) == [
        (D("2026-11-05"), "Individual - TOD", "SELL", "QQQ", 30, 480, None, None),
    ]
    assert plan.files[1].skipped == {SKIP_CLOSED_LOTS: 1}


# ------------------------------------------------------------------------------ accounts


def test_new_accounts_get_the_inferred_type_and_a_note() -> None:
    """Each account named gets a row: the name as shown, the type inferred, a note saying
    why; a name that says nothing leaves the Type empty."""
    result = positions(
        "222333444,ROTH IRA,VTI,FUND,10,300.00,3000.00,2500.00",
        "Z00000001,BBBB,VXUS,FUND,5,60.00,300.00,320.00",
    )
    plan = Book().plan(result)
    assert rows(plan, L.ACCOUNTS) == [("ROTH IRA", "Roth IRA"), ("BBBB", None)]
    notes = [r.note for r in plan.rows[L.ACCOUNTS]]
    assert notes[0] == (
        "inferred from the name 'ROTH IRA' (Portfolio_Positions.csv, line 2). Check the type "
        "and change it if it is wrong."
    )
    assert notes[1] is not None and notes[1].startswith("not inferred: the name 'BBBB'")
    assert [r.note_column for r in plan.rows[L.ACCOUNTS]] == ["Type", "Type"]


def test_an_account_the_user_typed_keeps_its_row_and_type() -> None:
    """An account whose number (or name) is already on the Accounts sheet is that row: no
    row is added, the user's name and type stay, and the holdings use the user's name."""
    book = Book({L.ACCOUNTS: [{"Account": "222333444", "Type": "Traditional IRA"}]})
    result = positions("222333444,ROTH IRA,VTI,FUND,10,300.00,3000.00,2500.00")
    plan = book.apply(book.plan(result))
    assert book.values(L.ACCOUNTS, "Account", "Type") == [("222333444", "Traditional IRA")]
    assert book.values(L.HOLDINGS, "Account", "Ticker") == [("222333444", "VTI")]
    assert [a.status for a in plan.accounts] == ["matched your row (your type is kept)"]
    assert plan.files[0].present[L.ACCOUNTS] == 1


def test_an_account_is_matched_by_its_name_folded() -> None:
    """'roth-ira' typed by the user is the file's 'ROTH IRA' (names compared with fold)."""
    book = Book({L.ACCOUNTS: [{"Account": "roth-ira", "Type": "Roth IRA"}]})
    book.apply(book.plan(positions("222333444,ROTH IRA,VTI,FUND,10,300.00,3000.00,2500.00")))
    assert book.values(L.HOLDINGS, "Account") == [("roth-ira",)]
    assert len(book.tables[L.ACCOUNTS]) == 1


def test_two_accounts_with_one_name_are_told_apart_by_number() -> None:
    """Two accounts named alike in the files get the name and the number each, and a
    row the user typed under that name is not taken for either."""
    book = Book({L.ACCOUNTS: [{"Account": "Individual - TOD", "Type": "Taxable"}]})
    result = positions(
        "Z1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00",
        "Z2,Individual - TOD,VXUS,FUND,5,60.00,300.00,320.00",
    )
    plan = book.plan(result)
    assert rows(plan, L.ACCOUNTS) == [
        ("Individual - TOD Z1", "Taxable"),
        ("Individual - TOD Z2", "Taxable"),
    ]


def test_a_name_another_imported_account_holds_is_not_reused() -> None:
    """An account of another broker with the name of an account imported earlier gets a
    row of its own (name and number), never the earlier account's row."""
    book = Book()
    book.apply(book.plan(positions("Z1,ROTH IRA,VTI,FUND,10,300.00,3000.00,2500.00")))
    schwab = read_text(
        '"Positions for account Roth IRA XXXX-5678 as of 09:43 PM ET, 2020/10/05"\n'
        '"Symbol","Description","Quantity","Price","Market Value","Cost Basis"\n'
        '"SCHB","SCHWAB US BROAD MARKET ETF","50","$85.00","$4,250.00","$4,000.00"\n',
        "Roth-Positions-2020-10-05.csv",
    )
    plan = book.plan(schwab)
    assert rows(plan, L.ACCOUNTS) == [("Roth IRA XXXX-5678", "Roth IRA")]


def test_records_without_an_account_need_one_given() -> None:
    """A file that names no account is skipped and counted without ``account``; with it,
    its rows go to that account, added with the type its name suggests."""
    text = (
        "Date,Action,Symbol,Description,Quantity,Price,Fees & Comm,Amount\n"
        "03/02/2026,Buy,VTI,FUND,4,$250.00,,-$1000.00\n"
    )
    result = read_text(text, "Schwab_Transactions.csv")
    assert all(t.account is None for t in result.trades)
    skipped = Book().plan(result)
    assert rows(skipped, L.ACTIVITY) == [] and skipped.files[0].skipped == {SKIP_NO_ACCOUNT: 1}
    plan = Book().plan(result, account="Roth IRA at Schwab")
    assert rows(plan, L.ACCOUNTS) == [("Roth IRA at Schwab", "Roth IRA")]
    assert rows(plan, L.ACTIVITY) == [
        (D("2026-03-02"), "Roth IRA at Schwab", "BUY", "VTI", 4, 250, None, None),
    ]


# ------------------------------------------------------------------------------ holdings


def test_a_position_total_has_no_acquired_date_and_a_note() -> None:
    """A positions file's row is a holding with its total basis and an empty Acquired cell,
    noted for the user (never a guessed date)."""
    plan = Book().plan(positions("Z1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00"))
    assert rows(plan, L.HOLDINGS) == [("Individual - TOD", "VTI", 10, None, 2500, 300)]
    planned = plan.rows[L.HOLDINGS][0]
    assert planned.note_column == "Acquired"
    assert planned.note is not None and planned.note.startswith(
        "Imported as a position total (Portfolio_Positions.csv, line 2): the file gives no "
        "acquisition date."
    )


def test_lots_come_with_their_dates_and_total_basis() -> None:
    """A lot-detail row is a holding with its acquired date, its total basis and price."""
    plan = Book().plan(
        lots("Z1,Individual - TOD,VTI,FUND,03/14/2022,Long,10,$245.12,$2451.20,$218.40,$2184.00")
    )
    assert rows(plan, L.HOLDINGS) == [
        ("Individual - TOD", "VTI", 10, D("2022-03-14"), 2184, 245.12)
    ]
    assert plan.rows[L.HOLDINGS][0].note is None


def test_a_position_total_is_left_out_when_its_lots_come_with_it() -> None:
    """Positions and lot detail of one holding imported together: the lots, not the total."""
    total = positions("Z1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00")
    detail = lots("Z1,Individual - TOD,VTI,FUND,03/14/2022,Long,10,$300,$3000,$250,$2500")
    plan = Book().plan(total, detail)
    assert rows(plan, L.HOLDINGS) == [("Individual - TOD", "VTI", 10, D("2022-03-14"), 2500, 300)]
    assert plan.files[0].skipped == {SKIP_TOTAL_WITH_LOTS: 1}


def test_a_later_snapshot_updates_the_row_an_earlier_import_wrote() -> None:
    """The same holding in a later positions file (new shares, basis, price) replaces the
    values of the row imported earlier, in place, when the user left it as written."""
    book = Book()
    book.apply(book.plan(positions("Z1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00")))
    later = positions("Z1,Individual - TOD,VTI,FUND,12,310.00,3720.00,3100.00")
    plan = book.apply(book.plan(later))
    assert book.values(L.HOLDINGS, *L.HOLDINGS_INPUTS) == [
        ("Individual - TOD", "VTI", 12, None, 3100, 310)
    ]
    assert plan.files[0].updated == 1 and not plan.rows[L.HOLDINGS]


def test_a_new_price_alone_updates_the_row_too() -> None:
    """A snapshot with the same shares and basis but a new price (the same record key)
    still updates the imported row's Price."""
    book = Book()
    book.apply(book.plan(positions("Z1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00")))
    book.apply(book.plan(positions("Z1,Individual - TOD,VTI,FUND,10,290.00,2900.00,2500.00")))
    assert book.values(L.HOLDINGS, "Shares", "Price") == [(10, 290)]


def test_a_row_the_user_edited_is_kept_as_the_user_made_it() -> None:
    """Once the user changes an imported row (here: types the acquired date), a later
    snapshot leaves it alone and says so; nothing is added in its place."""
    book = Book()
    book.apply(book.plan(positions("Z1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00")))
    book.tables[L.HOLDINGS][2]["Acquired"] = D("2021-05-03")
    plan = book.apply(book.plan(positions("Z1,Individual - TOD,VTI,FUND,12,310,3720,3100")))
    assert book.values(L.HOLDINGS, *L.HOLDINGS_INPUTS) == [
        ("Individual - TOD", "VTI", 10, D("2021-05-03"), 2500, 300)
    ]
    assert plan.files[0].kept == 1 and plan.changes == 0


def test_a_row_the_user_typed_is_never_updated_by_a_snapshot() -> None:
    """A holding the user typed exactly as the file has it counts as present; a later
    snapshot of it changes nothing in the user's row (it is kept), even though the row
    still holds the values the file had."""
    typed = {
        "Account": "Individual - TOD",
        "Ticker": "VTI",
        "Shares": 10,
        "Acquired": None,
        "Cost basis": 2500,
        "Price": 300,
    }
    book = Book(
        {
            L.ACCOUNTS: [{"Account": "Individual - TOD", "Type": "Taxable"}],
            L.HOLDINGS: [typed],
        }
    )
    first = book.apply(book.plan(positions("Z1,Individual - TOD,VTI,FUND,10,300,3000,2500")))
    assert first.files[0].present[L.HOLDINGS] == 1 and first.changes == 0
    later = book.apply(book.plan(positions("Z1,Individual - TOD,VTI,FUND,10,290,2900,2500")))
    assert later.changes == 0 and later.files[0].kept == 1
    assert book.values(L.HOLDINGS, *L.HOLDINGS_INPUTS) == [
        ("Individual - TOD", "VTI", 10, None, 2500, 300)
    ]


def test_an_imported_row_moved_by_a_sort_is_still_found() -> None:
    """Rows are found by what they hold: after the user sorts the table, the snapshot
    updates the imported row where it now is."""
    book = Book({L.HOLDINGS: [{"Account": "Mine", "Ticker": "AAA", "Shares": 1}]})
    book.apply(book.plan(positions("Z1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00")))
    holdings = book.tables[L.HOLDINGS]
    holdings[2], holdings[3] = holdings[3], holdings[2]  # the user sorts
    plan = book.apply(book.plan(positions("Z1,Individual - TOD,VTI,FUND,10,290,2900,2500")))
    assert plan.updates[0].row == 2
    assert book.values(L.HOLDINGS, "Ticker", "Price") == [("VTI", 290), ("AAA", None)]


# ----------------------------------------------------------------------------- identity


def test_the_same_file_twice_adds_nothing_the_second_time() -> None:
    """A second import of the same files plans no change at all, and says every record
    is already present."""
    files = (
        positions("Z1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00"),
        history(bought("03/02/2026", "VTI", "4", "250.00"), sold("03/10/2026", "VTI", "2", "260")),
    )
    book = Book()
    book.apply(book.plan(*files))
    again = book.plan(*files)
    assert again.changes == 0 and not again.links
    assert [dict(f.present) for f in again.files] == [
        {L.ACCOUNTS: 1, L.HOLDINGS: 1},
        {L.ACTIVITY: 2},
    ]


def test_rows_the_user_typed_are_not_added_again() -> None:
    """A trade the user already typed (same values, any spelling of the action) counts as
    present, one typed row per trade: of three identical purchases, two typed, one is added."""
    typed = {
        "Date": D("2026-03-02"),
        "Account": "Individual - TOD",
        "Action": "Bought",
        "Ticker": "vti",
        "Shares": 4.0,
        "Price": "$250.00",
    }
    book = Book(
        {
            L.ACCOUNTS: [{"Account": "Individual - TOD", "Type": "Taxable"}],
            L.ACTIVITY: [typed, typed],
        }
    )
    trade = bought("03/02/2026", "VTI", "4", "250.00")
    plan = book.apply(book.plan(history(trade, trade, trade)))
    assert plan.files[0].present[L.ACTIVITY] == 2 and plan.files[0].added[L.ACTIVITY] == 1
    assert [e.note for e in plan.links] == ["matched a row already there"] * 3  # account too


_DAY0 = date(2026, 1, 1)
trades = st.lists(
    st.tuples(
        st.integers(0, 40),  # day
        st.sampled_from(["VTI", "VXUS", "BND"]),
        st.sampled_from(["BUY", "SELL"]),
        st.integers(1, 3),  # shares
        st.sampled_from(["100.00", "101.50"]),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(trades, st.integers(0, 40), st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
def test_overlapping_exports_add_each_trade_once(
    made: list[tuple[int, str, str, int, str]], a: int, b: int, c: int, e: int
) -> None:
    """Two exports covering date ranges that may overlap, imported one after the other,
    leave exactly the trades of the union of the ranges, each once."""
    made.sort()
    first, second = (min(a, b), max(a, b)), (min(c, e), max(c, e))

    def export(span: tuple[int, int]) -> ImportResult:
        chosen = [t for t in made if span[0] <= t[0] <= span[1]]
        lines = [
            (bought if action == "BUY" else sold)(
                (_DAY0 + timedelta(days=day)).strftime("%m/%d/%Y"), ticker, str(n), price
            )
            for day, ticker, action, n, price in reversed(chosen)  # newest first
        ]
        return history(*lines)

    book = Book()
    book.apply(book.plan(export(first)))
    book.apply(book.plan(export(second)))
    union = [
        (_DAY0 + timedelta(days=day), action, ticker, n)
        for day, ticker, action, n, _ in made
        if first[0] <= day <= first[1] or second[0] <= day <= second[1]
    ]
    got = book.values(L.ACTIVITY, "Date", "Action", "Ticker", "Shares")
    assert sorted(got) == sorted(union)


# ------------------------------------------------------------------------------- values


def test_canonical_values_compare_as_excel_keeps_them() -> None:
    """Numbers compare to 15 significant digits, a midnight datetime as its date, text with
    even spaces; so a value read back from a saved workbook matches the value written."""
    from datetime import datetime

    assert canonical(0.1 + 0.2) == canonical(Decimal("0.3")) == "0.3"
    assert canonical(datetime(2026, 3, 2)) == canonical(D("2026-03-02")) == "2026-03-02"
    assert canonical("  Roth   IRA ") == "Roth IRA"
    assert canonical(None) == canonical("  ") == ""
    row = {"Account": "A", "Ticker": "VTI", "Shares": 10, "Price": 300.0}
    assert fingerprint(row, L.HOLDINGS_INPUTS) == fingerprint(
        row | {"Shares": 10.0, "Price": 300}, L.HOLDINGS_INPUTS
    )
    assert fingerprint(row, L.HOLDINGS_INPUTS) != fingerprint(
        row | {"Price": 300.01}, L.HOLDINGS_INPUTS
    )
