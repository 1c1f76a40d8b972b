"""``import_files`` on real files: broker files into a template, the tables and the ledger
read back with openpyxl; safety (nothing written on a bad file, the broker files and the
input never modified), idempotence, the user's rows, the refresh that follows."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from harvest_xl.excel import layout as L
from harvest_xl.excel.headless import refresh_file
from harvest_xl.excel.import_ledger import LEDGER_COLUMNS, LEDGER_SHEET
from harvest_xl.excel.import_workbook import import_files, output_path_for

from .import_helpers import (
    DEMO_BROKERS,
    DEMO_FILES,
    HISTORY_HEADER,
    IMPORTER_FIXTURES,
    NOW,
    POSITIONS_HEADER,
    csv,
    d,
    ledger,
    table,
    table_ref,
    template,
    write,
)

ACCOUNT = "Individual - TOD,Z1"


def _bought(day: str, ticker: str, shares: int, price: int) -> str:
    return (
        f"{day},{ACCOUNT},YOU BOUGHT FUND ({ticker}) (Cash),{ticker},FUND,Cash,{price},{shares},"
        f",,-{shares * price},"
    )


@pytest.fixture
def demo_files() -> list[Path]:
    return [DEMO_BROKERS / name for name in DEMO_FILES]


def _import(book: Path, files: list[Path], out: Path | None = None, **options):  # type: ignore[no-untyped-def]
    report = import_files(book, files, out, now=NOW, **options)
    assert report.error is None, report.error
    return report


# ------------------------------------------------------------------------ the tables


def test_rows_go_at_the_end_of_each_table_which_grows(tmp_path: Path, demo_files) -> None:
    """The template's blank first row is filled, the tables' ranges grow over the new rows,
    and the default output is BOOK.imported.xlsx beside the untouched workbook."""
    book = template(tmp_path)
    before = book.read_bytes()
    report = _import(book, demo_files)
    out = tmp_path / "book.imported.xlsx"
    assert report.target == out == output_path_for(book) and report.written
    assert book.read_bytes() == before
    assert table_ref(out, L.ACCOUNTS) == "A1:G7"
    assert table_ref(out, L.HOLDINGS) == "A1:P12"
    assert table_ref(out, L.ACTIVITY) == "A1:H5"


def test_new_rows_carry_the_table_formats_and_calculated_columns(tmp_path: Path, demo_files):
    """Dates show as dates and money as money (the table's formats), and each new Holdings
    row has the computed columns' formulas with their values from the refresh."""
    out = tmp_path / "out.xlsx"
    _import(template(tmp_path), demo_files, out)
    wb = openpyxl.load_workbook(out)
    holdings, activity = wb[L.HOLDINGS], wb[L.ACTIVITY]
    assert holdings["D12"].number_format == "yyyy-mm-dd"
    assert holdings["E12"].number_format == holdings["E2"].number_format != "General"
    assert activity["A5"].number_format == activity["H2"].number_format == "yyyy-mm-dd"
    assert holdings["G12"].value.startswith("=IF(Holdings[[#This Row],[Ticker]]")
    values = openpyxl.load_workbook(out, data_only=True)[L.HOLDINGS]
    assert values["G12"].value == 12000  # 20 VFIAX at $600: the refresh's market value


def test_the_ledger_is_a_hidden_sheet_naming_each_rows_source(tmp_path: Path, demo_files):
    """Every row written has a ledger entry: its key, table, row and source file and line."""
    out = tmp_path / "out.xlsx"
    _import(template(tmp_path), demo_files, out)
    wb = openpyxl.load_workbook(out)
    assert wb[LEDGER_SHEET].sheet_state == "hidden"
    assert [c.value for c in wb[LEDGER_SHEET][1][: len(LEDGER_COLUMNS)]] == list(LEDGER_COLUMNS)
    entries = ledger(out)
    assert len(entries) == 6 + 11 + 4
    sell = next(e for e in entries if e[1] == L.ACTIVITY and e[2] == 2)
    assert sell[3] == (
        "Fidelity_Accounts_History.csv, line 7 (lots: "
        "Fidelity_Realized_Gain_Loss_Account_Z10000001.csv, line 2)"
    )
    assert sell[0].startswith("fidelity-trade-")


def test_a_position_total_is_flagged_in_its_acquired_cell(tmp_path: Path) -> None:
    """A positions file's holding has an empty Acquired cell with a note, and the refresh
    lists that cell as a problem to fix."""
    files = [write(tmp_path, "Portfolio_Positions.csv", csv(
        POSITIONS_HEADER, "Z1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00"
    ))]
    out = tmp_path / "out.xlsx"
    report = _import(template(tmp_path), files, out)
    assert table(out, L.HOLDINGS) == [("Individual - TOD", "VTI", 10, None, 2500, 300)]
    cell = openpyxl.load_workbook(out)[L.HOLDINGS]["D2"]
    assert cell.value is None and cell.comment is not None
    assert "position total" in cell.comment.text and cell.comment.author == "harvest-xl import"
    assert any(p.startswith("Holdings!D2 (Acquired): is empty") for p in report.problems)
    assert report.accounts[0].inferred is not None
    assert openpyxl.load_workbook(out)[L.ACCOUNTS]["B2"].comment.text.startswith(
        "inferred from 'individual' in the name 'Individual - TOD'"
    )


# ------------------------------------------------------------------------ idempotence


def test_importing_the_same_files_again_changes_no_table(tmp_path: Path, demo_files) -> None:
    """A second import of the same files adds nothing: the tables and the ledger of the
    second output are those of the first."""
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    _import(template(tmp_path), demo_files, first)
    report = _import(first, demo_files, second)
    assert report.changes == 0
    for sheet in (L.ACCOUNTS, L.HOLDINGS, L.ACTIVITY):
        assert table(second, sheet) == table(first, sheet), sheet
    assert ledger(second) == ledger(first)
    assert all(not o.added[L.ACTIVITY] and not o.added[L.HOLDINGS] for o in report.outcomes)


def test_in_place_with_nothing_new_leaves_the_workbook_and_backup(tmp_path: Path, demo_files):
    """--in-place writes the workbook (keeping the previous one as .bak); a second import
    with nothing new writes nothing at all, so the .bak still holds the original."""
    book = template(tmp_path)
    original = book.read_bytes()
    _import(book, demo_files, in_place=True)
    backup = tmp_path / "book.xlsx.bak"
    assert backup.read_bytes() == original
    imported = book.read_bytes()
    report = _import(book, demo_files, in_place=True)
    assert not report.written and report.target == book
    assert book.read_bytes() == imported and backup.read_bytes() == original
    assert report.lines()[0].startswith(f"Nothing new to import: {book} is unchanged")


def test_an_overlapping_later_export_adds_only_its_new_trades(tmp_path: Path) -> None:
    """January-February then February-March: the February trades are not added twice."""
    early = write(tmp_path, "early.csv", csv(
        HISTORY_HEADER,
        _bought("02/10/2026", "VTI", 2, 250),
        _bought("01/15/2026", "VTI", 1, 240),
    ))
    late = write(tmp_path, "late.csv", csv(
        HISTORY_HEADER,
        _bought("03/05/2026", "VXUS", 3, 60),
        _bought("02/10/2026", "VTI", 2, 250),
    ))
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    _import(template(tmp_path), [early], first)
    report = _import(first, [late], second)
    assert [(r[0], r[3], r[4]) for r in table(second, L.ACTIVITY)] == [
        (d("2026-01-15"), "VTI", 1),
        (d("2026-02-10"), "VTI", 2),
        (d("2026-03-05"), "VXUS", 3),
    ]
    assert report.outcomes[0].added[L.ACTIVITY] == 1
    assert report.outcomes[0].present[L.ACTIVITY] == 1


def test_the_ledger_survives_a_refresh(tmp_path: Path, demo_files) -> None:
    """After 'harvest-xl refresh' the ledger is still there (hidden), and importing the same
    files into the refreshed workbook adds nothing."""
    out = tmp_path / "out.xlsx"
    _import(template(tmp_path), demo_files, out)
    refreshed = refresh_file(out, tmp_path / "refreshed.xlsx")
    assert refreshed.error is None
    assert ledger(refreshed.target) == ledger(out)
    assert openpyxl.load_workbook(refreshed.target)[LEDGER_SHEET].sheet_state == "hidden"
    report = _import(refreshed.target, demo_files, tmp_path / "again.xlsx")
    assert report.changes == 0


# ------------------------------------------------------------------------ the user's rows


def test_rows_the_user_typed_stay_where_and_as_they_are(tmp_path: Path, demo_files) -> None:
    """Rows typed before the import keep their place and values; a typed lot identical to an
    imported one is not added again; the user's account type is kept."""
    typed_accounts = [["Joint brokerage", "Taxable", "spouse", None, None, None]]
    typed_holdings = [
        ["Joint brokerage", "VTI", 120, d("2024-02-12"), 26400, 299.0],  # the file's lot
        ["Joint brokerage", "GLD", 5, d("2020-01-02"), 700, 190.0],  # only the user's
    ]
    book = template(
        tmp_path, tables={L.ACCOUNTS: typed_accounts, L.HOLDINGS: typed_holdings}
    )
    out = tmp_path / "out.xlsx"
    report = _import(book, demo_files, out)
    holdings = table(out, L.HOLDINGS)
    assert holdings[:2] == [
        ("Joint brokerage", "VTI", 120, d("2024-02-12"), 26400, 299),
        ("Joint brokerage", "GLD", 5, d("2020-01-02"), 700, 190),
    ]
    assert len(holdings) == 2 + 10  # the file's VTI lot is the user's row
    accounts = openpyxl.load_workbook(out)[L.ACCOUNTS]
    assert [accounts["A2"].value, accounts["B2"].value, accounts["C2"].value] == [
        "Joint brokerage", "Taxable", "spouse",
    ]
    assert accounts["B2"].comment is None
    assert report.outcomes[0].present[L.HOLDINGS] == 1


def test_rows_typed_below_a_table_are_taken_in_first(tmp_path: Path) -> None:
    """A row typed just below the Activity table becomes part of it, and the imported rows
    go after it rather than over it."""
    book = template(tmp_path)
    wb = openpyxl.load_workbook(book)
    ws = wb[L.ACTIVITY]
    for column, value in enumerate(
        [d("2026-01-05"), "Individual - TOD", "BUY", "BND", 7, 72.5], start=1
    ):
        ws.cell(2, column).value = value
    for column, value in enumerate(
        [d("2026-01-06"), "Individual - TOD", "BUY", "BND", 1, 72.0], start=1
    ):
        ws.cell(3, column).value = value  # below the table's one row
    wb.save(book)
    history = write(tmp_path, "h.csv", csv(HISTORY_HEADER, _bought("02/10/2026", "VTI", 2, 250)))
    out = tmp_path / "out.xlsx"
    _import(book, [history], out)
    assert [r[3] for r in table(out, L.ACTIVITY)] == ["BND", "BND", "VTI"]
    assert table_ref(out, L.ACTIVITY) == "A1:H4"


def test_a_later_snapshot_updates_only_untouched_imported_rows(tmp_path: Path) -> None:
    """A later positions file updates the imported rows the user left alone and keeps the
    one the user edited (and says so)."""
    first = write(tmp_path, "p1.csv", csv(
        POSITIONS_HEADER,
        "Z1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00",
        "Z1,Individual - TOD,BND,FUND,20,70.00,1400.00,1500.00",
    ))
    later = write(tmp_path, "p2.csv", csv(
        POSITIONS_HEADER,
        "Z1,Individual - TOD,VTI,FUND,12,310.00,3720.00,3100.00",
        "Z1,Individual - TOD,BND,FUND,20,71.00,1420.00,1500.00",
    ))
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    _import(template(tmp_path), [first], one)
    wb = openpyxl.load_workbook(one)
    wb[L.HOLDINGS]["D3"].value = d("2019-06-03")  # the user dates the BND holding
    wb.save(one)
    report = _import(one, [later], two)
    assert table(two, L.HOLDINGS) == [
        ("Individual - TOD", "VTI", 12, None, 3100, 310),
        ("Individual - TOD", "BND", 20, d("2019-06-03"), 1500, 70),
    ]
    assert (report.outcomes[0].updated, report.outcomes[0].kept) == (1, 1)
    assert "updated 1 (a later snapshot), kept 1 as you have them" in "\n".join(
        report.lines()
    )


# ------------------------------------------------------------------------ bad input


def test_a_file_of_no_known_layout_writes_nothing(tmp_path: Path, demo_files) -> None:
    """One unknown file stops the whole import: the error names the header found and the
    layouts known, no output is written and the workbook is unchanged."""
    odd = write(tmp_path, "budget.csv", "Month,Groceries,Rent\nJan,400,1500\n")
    book = template(tmp_path)
    before = book.read_bytes()
    report = import_files(book, [*demo_files, odd], now=NOW)
    assert report.error is not None and not report.written
    assert "no known broker layout: the header found is 'Month,Groceries,Rent'" in report.error
    assert "Fidelity: Portfolio_Positions.csv" in report.error
    assert not output_path_for(book).exists() and book.read_bytes() == before
    assert report.lines() == [f"Nothing imported into {book}: {report.error}"]


def test_a_zip_given_as_a_broker_file_is_refused(tmp_path: Path) -> None:
    """A workbook (a zip) chosen by mistake is refused without being read as text."""
    book = template(tmp_path)
    report = import_files(book, [book], tmp_path / "out.xlsx", now=NOW)
    assert report.error is not None and "it is a zip archive" in report.error
    assert not (tmp_path / "out.xlsx").exists()


def test_a_bad_row_is_reported_by_file_and_line_and_the_rest_imports(tmp_path: Path) -> None:
    """A sample with rows that name no ticker: each is reported with its file and line, and
    the file's other trades are written."""
    sample = IMPORTER_FIXTURES / "fidelity" / "bean-jmw__History_requoted.csv"
    out = tmp_path / "out.xlsx"
    report = import_files(template(tmp_path), [sample], out, now=NOW)
    assert report.error is None and report.bad_rows == 8 and not report.ok
    assert len(table(out, L.ACTIVITY)) == 18
    text = "\n".join(report.lines())
    assert (
        "  bad row: bean-jmw__History_requoted.csv, line 7: Symbol: the row names no ticker "
        "(the security is 'VANG ST INV GR ADM'); enter it by hand"
    ) in text


def test_the_broker_files_are_never_modified(tmp_path: Path, demo_files) -> None:
    """The broker files keep their bytes and their modification times."""
    copies = [Path(shutil.copy(f, tmp_path / f.name)) for f in demo_files]
    stamps = [(p.read_bytes(), os.stat(p).st_mtime_ns) for p in copies]
    _import(template(tmp_path), copies)
    assert [(p.read_bytes(), os.stat(p).st_mtime_ns) for p in copies] == stamps


@pytest.mark.parametrize("where", ["book", "broker file"])
def test_the_output_is_never_the_book_or_a_broker_file(tmp_path: Path, demo_files, where):
    """-o naming the workbook itself (without --in-place) or a broker file is refused."""
    book = template(tmp_path)
    copy = Path(shutil.copy(demo_files[0], tmp_path / "lots.csv"))
    target = book if where == "book" else copy
    before = target.read_bytes()
    report = import_files(book, [copy], target, now=NOW)
    assert report.error is not None and target.read_bytes() == before


def test_a_table_that_cannot_grow_stops_the_import(tmp_path: Path, demo_files) -> None:
    """Something typed a few rows below a table (not adjacent, so not taken in) stands where
    the table must grow: nothing is written and the message says what to move."""
    book = template(tmp_path)
    wb = openpyxl.load_workbook(book)
    wb[L.HOLDINGS]["B6"].value = "my notes"
    wb.save(book)
    report = import_files(book, demo_files, tmp_path / "out.xlsx", now=NOW)
    assert report.error is not None
    assert "the Holdings table cannot grow by 11 rows: row 6 below it is not empty" in (
        report.error
    )
    assert not (tmp_path / "out.xlsx").exists()


def test_a_sheet_named_imported_that_is_not_the_ledger_is_left_alone(tmp_path: Path, demo_files):
    """The user's own sheet called 'Imported' is not taken for the ledger: nothing is
    written and the message says to rename it."""
    book = template(tmp_path)
    wb = openpyxl.load_workbook(book)
    wb.create_sheet(LEDGER_SHEET)["A1"] = "my imports"
    wb.save(book)
    report = import_files(book, demo_files, tmp_path / "out.xlsx", now=NOW)
    assert report.error is not None and "rename that sheet" in report.error


# ------------------------------------------------------------------------ every sample

# file, Accounts rows added, Holdings rows added, Activity rows added (a bare import into a
# template, with --account 'Given' for files naming none), counted from each fixture by hand.
SAMPLES = [
    ("etrade/bean-jmw__DownloadTxnHistory.csv", 1, 0, 12),
    ("etrade/quantfolio__PortfolioDownload_2026.csv", 1, 21, 0),
    ("etrade/synthetic__PortfolioDownload_lots_2019.csv", 1, 5, 0),
    ("fidelity/bean-jmw__History_requoted.csv", 4, 0, 18),
    ("fidelity/bean-jmw__Portfolio_Positions.csv", 3, 4, 0),
    ("fidelity/finporterfido__History_2021_cashmgmt_inline.csv", 3, 0, 0),
    ("fidelity/finporterfido__History_2021_inline.csv", 1, 0, 1),
    ("fidelity/finporterfido__Portfolio_Positions_2021_inline.csv", 2, 2, 0),
    ("fidelity/opensteuerauszug__Accounts_History.csv", 1, 0, 6),
    ("fidelity/opensteuerauszug__Statement12312025.csv", 1, 1, 0),
    ("fidelity/synthetic__Accounts_History_2026_18col.csv", 3, 0, 5),
    ("fidelity/synthetic__History_2023_one_account.csv", 1, 0, 2),
    ("fidelity/synthetic__Unrealized_Lots.csv", 3, 5, 0),
    ("ibkr/cgt-calc__ibkr_transaction_history.csv", 1, 0, 2),
    ("ibkr/export-to-ghostfolio__ibkr-flex-trades.csv", 1, 0, 8),
    ("ibkr/synthetic__activity_statement_closed_lots.csv", 1, 0, 5),  # a SELL of two lots
    ("ibkr/trade-normalizer__ibkr-flex-executions-synthetic.csv", 1, 0, 4),
    ("robinhood/synthetic__activity_with_trailer.csv", 1, 0, 3),
    ("robinhood/trade-normalizer__robinhood-equities-synthetic.csv", 1, 0, 13),
    ("schwab/cgt-calc__schwab_rsu_settlement_transactions.csv", 1, 0, 3),
    ("schwab/cgt-calc__schwab_transactions_2023.csv", 1, 0, 6),
    ("schwab/export-to-ghostfolio__schwab-transactions.csv", 1, 0, 47),
    ("schwab/finporterchuck__positions_2023_inline.csv", 1, 1, 0),
    ("schwab/finporterchuck__transactions_2021_two_accounts_inline.csv", 2, 0, 2),
    ("schwab/opensteuerauszug__positions_2025_docs_example.csv", 1, 1, 0),
    ("schwab/opensteuerauszug__positions_2026_asset_type_inline.csv", 1, 1, 0),
    ("schwab/synthetic__SCHA_Lot_Details.csv", 1, 2, 0),
    ("schwab/synthetic__positions_2020_all_accounts.csv", 2, 2, 0),
    ("vanguard/csv2txf__vanguard_simplified.csv", 1, 0, 4),
    ("vanguard/synthetic__OfxDownload_2024.csv", 2, 3, 5),
    ("vanguard/synthetic__OfxDownload_padded_2019.csv", 1, 1, 1),
]


@pytest.fixture(scope="module")
def bare_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return template(tmp_path_factory.mktemp("bare"))


@pytest.mark.parametrize(("name", "accounts", "holdings", "activity"), SAMPLES)
def test_every_sample_with_positions_lots_or_trades_imports(
    tmp_path: Path, bare_template: Path, name: str, accounts: int, holdings: int, activity: int
) -> None:
    """Each broker sample that holds positions, lots or trades fills the tables with its
    rows (accounts, holdings, activity) and a ledger entry per row."""
    out = tmp_path / "out.xlsx"
    report = import_files(
        bare_template, [IMPORTER_FIXTURES / name], out, account="Given", now=NOW
    )
    assert report.error is None, report.error
    counts = (
        len(table(out, L.ACCOUNTS)), len(table(out, L.HOLDINGS)), len(table(out, L.ACTIVITY))
    )
    assert counts == (accounts, holdings, activity)
    assert len(ledger(out)) == sum(counts)


def test_a_workbook_without_the_tables_is_refused(tmp_path: Path, demo_files) -> None:
    """A workbook that is not harvest-xl's (no Holdings sheet): nothing is written, and the
    message says what is missing."""
    book = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = L.ACCOUNTS
    wb[L.ACCOUNTS].append(["Account", "Type"])
    wb.save(book)
    report = import_files(book, demo_files, tmp_path / "out.xlsx", now=NOW)
    assert report.error is not None
    assert report.error.startswith("Holdings: the sheet is missing")
    assert not (tmp_path / "out.xlsx").exists()


def test_a_table_with_a_total_row_is_refused(tmp_path: Path, demo_files) -> None:
    """Rows cannot be added below a table's total row: nothing is written, and the message
    says how to turn it off."""
    book = template(tmp_path)
    wb = openpyxl.load_workbook(book)
    wb[L.ACTIVITY].tables[L.ACTIVITY].totalsRowCount = 1
    wb.save(book)
    report = import_files(book, demo_files, tmp_path / "out.xlsx", now=NOW)
    assert report.error is not None and "Table Design > Total Row" in report.error
    assert not (tmp_path / "out.xlsx").exists()
