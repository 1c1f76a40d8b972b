"""``harvest-xl form8949`` and ``harvest-xl reconcile`` (issue 17).

The workbooks are the template with a small household typed in. The broker files are the
realized gain/loss exports already in the repository with their provenance and licences:
tests/importers/fixtures/fidelity (finporterfido, Apache-2.0), tests/importers/fixtures/schwab
(net_alpha, MIT; see SOURCES.md there) and the demo household's Fidelity export
(tests/fixtures/demo_brokers, the project's own). Expected text is typed in from the rows
worked out in each test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from harvest_xl.cli import main
from harvest_xl.demo import fill_workbook
from harvest_xl.excel import layout as L
from harvest_xl.excel.template import build_template

from ..exports.txf_parser import parse_txf
from .test_form8949_sheet import ACCOUNTS, ACTIVITY, HOLDINGS, PROFILE

REPO = Path(__file__).resolve().parents[2]
FIDELITY = REPO / "tests/importers/fixtures/fidelity/finporterfido__Realized_Gain_Loss_Account_inline.csv"  # noqa: E501
SCHWAB = REPO / "tests/importers/fixtures/schwab/net_alpha__schwab_realized_gl_lot_details_min.csv"
DEMO_FIDELITY = REPO / "tests/fixtures/demo_brokers/Fidelity_Realized_Gain_Loss_Account_Z10000001.csv"  # noqa: E501
HEADER = (
    "Part,Box,Description,Date acquired,Date sold,Proceeds,Cost basis,Code,Adjustment,"
    "Gain or loss,Account,Notes"
)


def book(
    folder: Path,
    activity: list[list[Any]] | None = None,
    accounts: list[list[Any]] | None = None,
    profile: dict[str, Any] | None = None,
    name: str = "book.xlsx",
) -> Path:
    wb = build_template()
    fill_workbook(
        wb,
        {
            L.ACCOUNTS: ACCOUNTS if accounts is None else accounts,
            L.ACTIVITY: ACTIVITY if activity is None else activity,
            L.HOLDINGS: HOLDINGS,
        },
        PROFILE if profile is None else profile,
    )
    path = folder / name
    wb.save(path)
    return path


# ---------------------------------------------------------------------- form8949


def test_default_output_is_a_csv_beside_the_book(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without -o: BOOK.form8949.csv with the sheet's headers and Notes, dates MM/DD/YYYY,
    two-decimal amounts; RY-1's two rows and the old broker's FIFO gain in box E."""
    path = book(tmp_path)
    assert main(["form8949", str(path)]) == 0
    out = tmp_path / "book.form8949.csv"
    assert out.read_bytes().decode("utf-8").split("\r\n") == [
        HEADER,
        "I,A,100 sh XYZ,11/03/2025,03/10/2026,4000.00,5000.00,W,1000.00,0.00,Brokerage,",
        "I,A,100 sh XYZ,11/13/2025,06/01/2026,4300.00,5100.00,,,-800.00,Brokerage,",
        "II,E,10 sh ABC,01/10/2024,02/02/2026,1500.00,1000.00,,,500.00,Old broker,"
        "lot relieved FIFO",
        "",
    ]
    said = capsys.readouterr().out
    assert "3 row(s) of tax year 2026; Part I -$800.00, Part II $500.00" in said


def test_txf_output_round_trips_through_the_spec_reader(tmp_path: Path) -> None:
    """-o OUT.txf: a TXF V042 file dated --date; read back by the spec's reader, RY-1's
    records (N321, the W row in format 5) and the box E record (N713)."""
    path = book(tmp_path)
    out = tmp_path / "year.txf"
    assert main(["form8949", str(path), "-o", str(out), "--date", "2027-01-15"]) == 0
    header, records = parse_txf(out.read_bytes())
    assert header.export_date == date(2027, 1, 15) and header.program.startswith("harvest-xl")
    assert [(r.reference, r.description, r.cost, r.proceeds, r.wash) for r in records] == [
        (321, "100 sh XYZ", 5000, 4000, 1000),
        (321, "100 sh XYZ", 5100, 4300, None),
        (713, "10 sh ABC", 1000, 1500, None),
    ]


def test_dash_prints_the_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """-o - writes the CSV to standard output and no file."""
    path = book(tmp_path)
    assert main(["form8949", str(path), "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith(HEADER + "\r\n")
    assert list(tmp_path.iterdir()) == [path]


def test_an_existing_output_needs_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o OUT that exists is refused (exit 2, untouched) unless --force is given."""
    path = book(tmp_path)
    out = tmp_path / "mine.csv"
    out.write_text("keep me")
    assert main(["form8949", str(path), "-o", str(out)]) == 2
    assert out.read_text() == "keep me"
    assert "already exists; add --force" in capsys.readouterr().err
    assert main(["form8949", str(path), "-o", str(out), "--force"]) == 0
    assert out.read_bytes().decode("utf-8").startswith(HEADER)


@pytest.mark.parametrize("name", ["out.xlsx", "out", "book.xlsx"])
def test_an_output_that_is_not_csv_or_txf_is_refused(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only .csv and .txf (and -): anything else, the workbook itself included, exits 2."""
    path = book(tmp_path)
    before = path.read_bytes()
    assert main(["form8949", str(path), "-o", str(tmp_path / name)]) == 2
    assert path.read_bytes() == before
    assert "nothing was written" in capsys.readouterr().err or name == "book.xlsx"


def test_text_that_a_spreadsheet_would_run_is_neutralised(tmp_path: Path) -> None:
    """An account named '@Joint' or '-Old' gets a leading apostrophe in the CSV."""
    accounts = [
        ["@Joint", "Taxable", "self", None, None, None, None],
        ["-Old", "Taxable", "self", None, None, None, None],
        ["Brokerage", "Taxable", "self", None, None, None, None],
    ]
    activity = [
        [date(2026, 1, 5), "@Joint", "BUY", "XYZ", 1, 10, None, None],
        [date(2026, 2, 5), "@Joint", "SELL", "XYZ", 1, 12, None, None],
        [date(2026, 1, 6), "-Old", "BUY", "XYZ", 1, 10, None, None],
        [date(2026, 2, 6), "-Old", "SELL", "XYZ", 1, 12, None, None],
    ]
    path = book(tmp_path, activity, accounts)
    assert main(["form8949", str(path)]) == 0
    lines = (tmp_path / "book.form8949.csv").read_bytes().decode("utf-8").split("\r\n")
    assert [line.split(",")[10] for line in lines[1:3]] == ["'@Joint", "'-Old"]


def test_a_sale_of_shares_never_bought_is_listed_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO SELL of 10 QQQ Activity never shows bought: the row is written (basis unknown),
    the problem names the Activity cell, exit 1."""
    activity = [*ACTIVITY, [date(2026, 7, 1), "Brokerage", "SELL", "QQQ", 10, 400, None, None]]
    path = book(tmp_path, activity)
    assert main(["form8949", str(path)]) == 1
    lines = (tmp_path / "book.form8949.csv").read_bytes().decode("utf-8").split("\r\n")
    assert ",,10 sh QQQ,,07/01/2026,4000.00,,,,,Brokerage,basis unknown" in lines
    err = capsys.readouterr().err
    assert (
        "Activity!E8 (Shares): sells 10 QQQ on 2026-07-01, but Activity shows only 0 bought "
        "in Brokerage before the sale" in err
    )


def test_a_workbook_without_a_tax_year_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No Profile to read the tax year from: exit 2, the Profile problem said, no file."""
    path = book(tmp_path, profile={**PROFILE, "Tax year": None})
    assert main(["form8949", str(path)]) == 2
    assert "Tax year" in capsys.readouterr().err
    assert not (tmp_path / "book.form8949.csv").exists()


def test_year_option_chooses_another_tax_year(tmp_path: Path) -> None:
    """--year 2025: no sale of that year in this Activity: the header alone."""
    path = book(tmp_path)
    assert main(["form8949", str(path), "--year", "2025"]) == 0
    assert (tmp_path / "book.form8949.csv").read_bytes().decode("utf-8") == HEADER + "\r\n"


# --------------------------------------------------------------------- reconcile


def test_schwab_realized_lots_match_or_say_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Schwab's lot details (WRD 100 sh, 824.96 / 800.66; a CRCL call sold at a 130.33 loss
    the broker disallowed): WRD matches; for CRCL Activity shows no repurchase, so the broker
    disallowed more and the reason says what to look for; a sale only in Activity is listed.
    """
    call = "CRCL 06/18/2026 150.00 C"
    accounts = [["Schwab", "Taxable", "self", None, None, None, None]]
    activity = [
        [date(2026, 2, 11), "Schwab", "BUY", "WRD", 100, 8.0066, None, None],
        [date(2026, 4, 20), "Schwab", "SELL", "WRD", 100, 8.2496, None, None],
        [date(2026, 4, 17), "Schwab", "BUY", call, 1, 460.66, None, None],
        [date(2026, 4, 20), "Schwab", "SELL", call, 1, 330.33, None, None],
        [date(2026, 5, 4), "Schwab", "BUY", "VTI", 2, 300, None, None],
        [date(2026, 6, 1), "Schwab", "SELL", "VTI", 2, 310, None, None],
    ]
    path = book(tmp_path, activity, accounts)
    assert main(["reconcile", str(path), str(SCHWAB)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{call} 1 sh sold 2026-04-20 (Schwab):"
    assert out[1].startswith(
        "  wash sale disallowed: ours $0.00, broker's $130.33: the broker disallowed more: it "
        "saw a purchase within 30 days that Activity lacks"
    )
    assert out[2] == "VTI 2 sh sold 2026-06-01 (Schwab):"
    assert out[3].startswith("  not in the broker's file: ours $620.00, broker's none:")
    assert out[-1] == "Tax year 2026: 2 broker lot(s) compared; 2 sale(s) differ."
    assert not any(line.startswith("WRD") for line in out)


def test_fidelity_realized_lot_with_other_proceeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fidelity's export (VEA 3 sh, bought 2020-08-31, sold 2021-01-29, 12.00 / 10.00)
    against a sale typed at 4.01 a share: only the proceeds differ (12.03 vs 12.00)."""
    accounts = [["Fidelity", "Taxable", "self", None, None, None, "Yes"]]
    activity = [[date(2021, 1, 29), "Fidelity", "SELL", "VEA", 3, 4.01, 10, date(2020, 8, 31)]]
    profile = {**PROFILE, "Tax year": 2021, "As-of date": date(2021, 12, 31)}
    holdings_free = book(tmp_path, activity, accounts, profile)
    assert main(["reconcile", str(holdings_free), str(FIDELITY), "--account", "Fidelity"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "VEA 3 sh sold 2021-01-29 (Fidelity):",
        "  proceeds: ours $12.03, broker's $12.00: proceeds differ: the broker reports them net "
        "of commissions and fees; check the sale's price, shares and fees in Activity",
    ]
    assert out[2] == "Tax year 2021: 1 broker lot(s) compared; 1 sale(s) differ."


def test_the_demo_ira_wash_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The demo's QQQ sale against its Fidelity export: the broker (net of a 3-cent fee)
    shows no wash sale; ours disallows 2,100 because the IRA bought QQQ a week later."""
    from harvest_xl.demo import write_demo

    report = write_demo(tmp_path / "demo.xlsx")
    assert report.error is None
    assert main(["reconcile", str(report.target), str(DEMO_FIDELITY)]) == 1
    out = capsys.readouterr().out
    assert (
        "wash sale disallowed: ours $2,100.00, broker's $0.00: the replacement was bought in "
        "an IRA or Roth IRA, which the broker cannot see" in out
    )


def test_a_file_without_realized_lots_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A positions file is not a realized gain/loss export: exit 2, named."""
    positions = REPO / "tests/fixtures/demo_brokers/Fidelity_Unrealized_Lots.csv"
    assert main(["reconcile", str(book(tmp_path)), str(positions)]) == 2
    assert "not a realized gain/loss export" in capsys.readouterr().err
