"""``harvest-xl import --lots-from-history`` on real files: a synthetic Fidelity history into
a template, read back with openpyxl: the Holdings rows and their notes, the refresh's view of
a wash sale's replacement (basis as paid in the cell, adjusted in the result), the report,
idempotence, a positions file taking over, and the command's flag."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from harvest_xl.cli import build_parser, main
from harvest_xl.excel import layout as L
from harvest_xl.excel.import_workbook import import_files

from .import_helpers import (
    HISTORY_HEADER,
    LOTS_HEADER,
    NOW,
    POSITIONS_HEADER,
    csv,
    d,
    ledger,
    table,
    template,
    write,
)

ACCOUNT = "Individual - TOD,Z1"
NAME = "Individual - TOD"


def _trade(day: str, verb: str, ticker: str, shares: int, price: int) -> str:
    sign = "" if verb == "SOLD" else "-"
    quantity = -shares if verb == "SOLD" else shares
    return (
        f"{day},{ACCOUNT},YOU {verb} FUND ({ticker}) (Cash),{ticker},FUND,Cash,{price},"
        f"{quantity},,,{sign}{shares * price},"
    )


WASH = (  # newest first, as Fidelity lists them
    _trade("02/20/2026", "BOUGHT", "VTI", 10, 85),
    _trade("02/02/2026", "SOLD", "VTI", 10, 80),
    _trade("01/05/2026", "BOUGHT", "VTI", 10, 100),
)


def _import(book: Path, files: list[Path], out: Path | None = None, **options):  # type: ignore[no-untyped-def]
    report = import_files(book, files, out, now=NOW, lots_from_history=True, **options)
    assert report.error is None, report.error
    return report


def test_a_wash_sale_replacement_shows_its_basis_as_paid_and_the_refresh_adjusts_it(
    tmp_path: Path,
) -> None:
    """The held replacement's row: Acquired its trade date, Cost basis 850 as paid (10 x
    85); the refresh adds the 200 loss disallowed (10 x (100 - 80)) from Activity, so its
    Gain/Loss is 850 - 1,050 = -200, not 0."""
    files = [write(tmp_path, "Accounts_History.csv", csv(HISTORY_HEADER, *WASH))]
    out = tmp_path / "out.xlsx"
    report = _import(template(tmp_path), files, out)
    assert table(out, L.HOLDINGS) == [(NAME, "VTI", 10, d("2026-02-20"), 850, 85)]
    values = openpyxl.load_workbook(out, data_only=True)[L.HOLDINGS]
    assert (values["G2"].value, values["H2"].value) == (850, -200)  # Market value, Gain/Loss
    assert not [p for p in report.problems if p.startswith("Holdings!")]


def test_the_price_cell_says_where_the_price_came_from(tmp_path: Path) -> None:
    """The Price cell of a rebuilt lot carries a note: the last trade's date, to update;
    the ledger names the purchase the lot came from."""
    files = [write(tmp_path, "Accounts_History.csv", csv(HISTORY_HEADER, *WASH))]
    out = tmp_path / "out.xlsx"
    _import(template(tmp_path), files, out)
    cell = openpyxl.load_workbook(out)[L.HOLDINGS]["F2"]
    assert cell.comment is not None and cell.comment.author == "harvest-xl import"
    assert cell.comment.text == (
        "Price of the last trade on 2026-02-20: update it. Lot rebuilt from the history "
        "(--lots-from-history): Accounts_History.csv, line 2."
    )
    [entry] = [e for e in ledger(out) if e[1] == L.HOLDINGS]
    assert entry[0].startswith("history-lot ") and entry[2] == 2
    assert entry[3] == "Accounts_History.csv, line 2 (rebuilt from the history)"


def test_the_report_says_per_account_what_was_rebuilt_and_left_out(tmp_path: Path) -> None:
    """The report has a section per account: lots and tickers rebuilt, what became of the
    rows, and each ticker left out with why."""
    lines = [*WASH, _trade("03/01/2026", "SOLD", "QQQ", 2, 400)]
    files = [write(tmp_path, "Accounts_History.csv", csv(HISTORY_HEADER, *lines))]
    report = _import(template(tmp_path), files, tmp_path / "out.xlsx")
    text = report.lines()
    start = text.index(
        "Holdings rebuilt from the history (--lots-from-history: it covers each account "
        "since it was opened):"
    )
    assert text[start + 1 : start + 3] == [
        f"  {NAME}: 1 lot(s) of 1 ticker(s) rebuilt; Holdings: added 1, already present 0",
        "    history incomplete for QQQ: 2 shares sold that it never shows bought",
    ]
    assert text[start + 3].startswith("The refresh found 1 problem")  # the QQQ sale's basis


def test_importing_again_in_place_leaves_the_workbook_as_it_is(tmp_path: Path) -> None:
    """The same history with the option again: nothing new, the workbook's bytes stay."""
    files = [write(tmp_path, "Accounts_History.csv", csv(HISTORY_HEADER, *WASH))]
    book = template(tmp_path)
    _import(book, files, in_place=True)
    before = book.read_bytes()
    report = _import(book, files, in_place=True)
    assert report.changes == 0 and not report.written
    assert book.read_bytes() == before


def test_a_later_positions_file_takes_over_and_drops_the_price_note(tmp_path: Path) -> None:
    """A positions total that differs from the rebuilt lots goes into the rebuilt row: the
    row becomes the file's (Acquired emptied and noted, the history's price note gone)."""
    history = write(tmp_path, "Accounts_History.csv", csv(HISTORY_HEADER, *WASH))
    book = template(tmp_path)
    _import(book, [history], in_place=True)
    total = write(
        tmp_path,
        "Portfolio_Positions.csv",
        csv(POSITIONS_HEADER, "Z1,Individual - TOD,VTI,FUND,12,90.00,1080.00,1020.00"),
    )
    report = import_files(book, [total], None, True, now=NOW)
    assert report.error is None
    assert table(book, L.HOLDINGS) == [(NAME, "VTI", 12, None, 1020, 90)]
    ws = openpyxl.load_workbook(book)[L.HOLDINGS]
    assert ws["F2"].comment is None
    assert ws["D2"].comment is not None and "position total" in ws["D2"].comment.text
    assert (
        "  1 Holdings row(s) rebuilt from the history now hold this file's lots (a positions "
        "or lots file comes first)"
    ) in report.lines()
    assert report.outcomes[0].superseded_rows == []  # the one rebuilt row took the total


def test_without_the_option_a_history_writes_no_holdings(tmp_path: Path) -> None:
    """The same history imported without the option: Activity only, no rebuilt section."""
    files = [write(tmp_path, "Accounts_History.csv", csv(HISTORY_HEADER, *WASH))]
    out = tmp_path / "out.xlsx"
    report = import_files(template(tmp_path), files, out, now=NOW)
    assert table(out, L.HOLDINGS) == [] and len(table(out, L.ACTIVITY)) == 3
    assert not any("rebuilt" in line for line in report.lines())


def test_the_command_takes_the_flag(tmp_path: Path, capsys) -> None:
    """``harvest-xl import BOOK FILE --lots-from-history`` rebuilds the lots and says so."""
    assert build_parser().parse_args(["import", "b.xlsx", "h.csv"]).lots_from_history is False
    files = [write(tmp_path, "Accounts_History.csv", csv(HISTORY_HEADER, *WASH))]
    out = tmp_path / "out.xlsx"
    code = main(
        ["import", str(template(tmp_path)), str(files[0]), "-o", str(out), "--lots-from-history"]
    )
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert table(out, L.HOLDINGS) == [(NAME, "VTI", 10, d("2026-02-20"), 850, 85)]
    assert f"  {NAME}: 1 lot(s) of 1 ticker(s) rebuilt; Holdings: added 1" in printed


def test_a_ticker_left_out_exits_1(tmp_path: Path, capsys) -> None:
    """A ticker left out of the rebuild needs the user even when the refresh finds nothing
    wrong (here the user's own VTI row comes first): exit 1, the reason printed."""
    book = template(
        tmp_path,
        tables={
            L.ACCOUNTS: [[NAME, "Taxable"]],
            L.HOLDINGS: [[NAME, "VTI", 3, d("2025-06-02"), 240, 80]],
        },
    )
    files = [write(tmp_path, "Accounts_History.csv", csv(HISTORY_HEADER, *WASH))]
    out = tmp_path / "out.xlsx"
    report = import_files(book, files, out, now=NOW, lots_from_history=True)
    assert report.problems == [] and report.bad_rows == 0 and not report.ok
    code = main(["import", str(book), str(files[0]), "-o", str(out), "-f", "--lots-from-history"])
    assert code == 1
    assert "VTI left out: Holdings already has 1 row(s) of it" in capsys.readouterr().out


def test_rebuilt_rows_a_lots_file_leaves_over_are_named_and_need_the_user(
    tmp_path: Path,
) -> None:
    """Two rebuilt lots, then a lot-detail file with one: its lot goes into the first row,
    the second row is named for deletion (not deleted) and the import is not 'ok'."""
    lines = [
        _trade("02/05/2026", "BOUGHT", "VTI", 5, 210),
        _trade("01/05/2026", "BOUGHT", "VTI", 10, 200),
    ]
    history = write(tmp_path, "Accounts_History.csv", csv(HISTORY_HEADER, *lines))
    book = template(tmp_path)
    _import(book, [history], in_place=True)
    detail = write(
        tmp_path,
        "Unrealized_Lots.csv",
        csv(LOTS_HEADER, "Z1,Individual - TOD,VTI,FUND,01/05/2026,Short,10,$300,$3000,$200,$2000"),
    )
    report = import_files(book, [detail], None, True, now=NOW)
    assert report.error is None and not report.ok
    assert table(book, L.HOLDINGS) == [
        (NAME, "VTI", 10, d("2026-01-05"), 2000, 300),
        (NAME, "VTI", 5, d("2026-02-05"), 1050, 210),
    ]
    assert (
        "  Holdings row 3: rebuilt from the history, not in this file: delete them if the "
        "shares are gone"
    ) in report.lines()
