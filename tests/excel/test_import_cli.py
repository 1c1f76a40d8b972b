"""``harvest-xl import``: the command, its report and exit codes; and the Activity words the
import writes, as the refresh reads them."""

from __future__ import annotations

from pathlib import Path

from harvest_xl.cli import COMMAND_MODULES, build_parser, main
from harvest_xl.excel import layout as L
from harvest_xl.excel.import_workbook import import_files

from .import_helpers import (
    DEMO_BROKERS,
    HISTORY_HEADER,
    IMPORTER_FIXTURES,
    NOW,
    POSITIONS_HEADER,
    csv,
    table,
    template,
    write,
)

FIDELITY_DEMO = [
    DEMO_BROKERS / "Fidelity_Unrealized_Lots.csv",
    DEMO_BROKERS / "Fidelity_Accounts_History.csv",
    DEMO_BROKERS / "Fidelity_Realized_Gain_Loss_Account_Z10000001.csv",
]


def test_import_is_a_registered_command() -> None:
    """'import' is registered with its options."""
    assert "harvest_xl.excel.import_cli" in COMMAND_MODULES
    args = build_parser().parse_args(
        ["import", "b.xlsx", "one.csv", "two.csv", "-o", "o.xlsx", "--account", "Roth IRA"]
    )
    assert (args.book, args.files, args.output, args.account, args.in_place) == (
        "b.xlsx", ["one.csv", "two.csv"], "o.xlsx", "Roth IRA", False,
    )


def test_a_clean_import_exits_0_and_prints_the_report(tmp_path: Path, capsys) -> None:
    """Lots, history and realized files of typed accounts: imported, nothing to fix, exit 0;
    the report names each file, its broker and kind, and each account's type."""
    book, out = template(tmp_path), tmp_path / "out.xlsx"
    code = main(["import", str(book), *map(str, FIDELITY_DEMO), "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert f"Imported into {out} (from {book}; book.xlsx is unchanged)" in printed
    assert "Fidelity_Accounts_History.csv: Fidelity history (Accounts_History.csv)" in printed
    assert "  Activity: added 4, already present 0" in printed
    assert "  skipped 1: cash interest" in printed
    assert (
        "  Roth IRA (Fidelity 210000001): Roth IRA; inferred from the name 'Roth IRA'; "
        "added: check the type"
    ) in printed


def test_rows_left_to_the_user_exit_1(tmp_path: Path, capsys) -> None:
    """A position total (its Acquired date left to the user) imports, and exits 1 with the
    refresh's problem listed."""
    positions = write(tmp_path, "p.csv", csv(
        POSITIONS_HEADER, "Z1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00"
    ))
    code = main(["import", str(template(tmp_path)), str(positions)])
    printed = capsys.readouterr().out
    assert code == 1
    assert "  Holdings!D2 (Acquired): is empty." in printed


def test_nothing_imported_exits_2_with_the_reason(tmp_path: Path, capsys) -> None:
    """An unknown file: exit 2, the reason on stderr, no output file."""
    odd = write(tmp_path, "odd.csv", "a,b,c\n1,2,3\n")
    book = template(tmp_path)
    code = main(["import", str(book), str(odd)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"Nothing imported into {book}: odd.csv: no known broker layout")
    assert not (tmp_path / "book.imported.xlsx").exists()


def test_output_and_in_place_together_exit_2(tmp_path: Path, capsys) -> None:
    """-o and --in-place exclude each other."""
    code = main(
        ["import", str(template(tmp_path)), str(FIDELITY_DEMO[0]), "-o", "x.xlsx", "--in-place"]
    )
    assert code == 2
    assert "give either -o OUT or --in-place, not both" in capsys.readouterr().err


def test_account_names_the_account_of_files_that_name_none(tmp_path: Path, capsys) -> None:
    """--account gives a file without account names its account (added, type inferred)."""
    schwab = IMPORTER_FIXTURES / "schwab" / "cgt-calc__schwab_transactions_2023.csv"
    out = tmp_path / "out.xlsx"
    main(["import", str(template(tmp_path)), str(schwab), "-o", str(out), "--account", "Roth"])
    capsys.readouterr()
    assert table(out, L.ACCOUNTS) == [("Roth", "Roth IRA", None, None, None, None, None)]
    assert {row[1] for row in table(out, L.ACTIVITY)} == {"Roth"}


def test_transfer_and_split_rows_are_read_by_the_refresh(tmp_path: Path) -> None:
    """The words written for transfers and splits are Actions the Activity reader knows:
    the refresh reports no Action problem for them."""
    history = write(tmp_path, "h.csv", csv(
        HISTORY_HEADER,
        "03/12/2026,Individual - TOD,Z1,TRANSFERRED FROM VANGUARD (VXUS) (Cash),VXUS,INTL,Cash,"
        ",40,,,0.00,",
        "03/13/2026,Individual - TOD,Z1,TRANSFERRED TO 222 (VXUS) (Cash),VXUS,INTL,Cash,"
        ",-10,,,0.00,",
        "03/16/2026,Individual - TOD,Z1,DISTRIBUTION NVIDIA CORP (NVDA) (Cash),NVDA,NVIDIA,Cash,"
        ",90,,,,",
    ))
    report = import_files(template(tmp_path), [history], tmp_path / "out.xlsx", now=NOW)
    assert report.error is None
    assert [r[2] for r in table(tmp_path / "out.xlsx", L.ACTIVITY)] == [
        "TRANSFER IN", "TRANSFER OUT", "SPLIT",
    ]
    assert [p for p in report.problems if "(Action)" in p] == []


def test_the_import_readme_lists_every_download_known() -> None:
    """The README's "What to download" table has one row per layout, with the broker's menu
    path (harvest_xl.importers.LAYOUTS, the source of download_instructions())."""
    from harvest_xl.importers import LAYOUTS

    readme = Path(__file__).resolve().parents[2] / "README.md"
    section = readme.read_text(encoding="utf-8").split("### What to download", 1)[1]
    section = section.split("\n#", 1)[0]
    rows = {
        tuple(cell.strip() for cell in line.strip().strip("|").split("|"))
        for line in section.splitlines()
        if line.startswith("| ") and not line.startswith("| Broker")
    }
    assert rows == {
        (layout.broker.value, layout.kind.value, layout.where, layout.name) for layout in LAYOUTS
    }


def test_an_existing_output_needs_force(tmp_path: Path, capsys) -> None:
    """-o naming an existing file is refused without --force (nothing written) and
    replaced with it, as 'harvest-xl refresh -o' does."""
    book, out = template(tmp_path), tmp_path / "out.xlsx"
    out.write_bytes(b"mine")
    code = main(["import", str(book), str(FIDELITY_DEMO[0]), "-o", str(out)])
    assert code == 2 and out.read_bytes() == b"mine"
    assert "already exists; add --force to replace it" in capsys.readouterr().err
    assert main(["import", str(book), str(FIDELITY_DEMO[0]), "-o", str(out), "--force"]) == 0
    assert len(table(out, L.HOLDINGS)) == 10


def test_the_output_is_named_as_a_workbook(tmp_path: Path) -> None:
    """An output not named .xlsx/.xlsm is refused before anything is written."""
    out = tmp_path / "out.csv"
    report = import_files(template(tmp_path), FIDELITY_DEMO, out, now=NOW)
    assert report.error is not None and "a workbook's name must end in .xlsx" in report.error
    assert not out.exists()


def test_a_plain_workbook_imported_as_xlsm_is_a_macro_enabled_package(tmp_path: Path) -> None:
    """As `harvest-xl refresh` writes it: an .xlsm output declares the macro-enabled main
    content type (Excel refuses an .xlsm that declares a plain workbook), with no macros."""
    import zipfile

    from harvest_xl.excel.output_names import MACRO_MAIN_TYPE

    out = tmp_path / "out.xlsm"
    report = import_files(template(tmp_path), FIDELITY_DEMO, out, now=NOW)
    assert report.error is None and out.exists()
    with zipfile.ZipFile(out) as package:
        assert MACRO_MAIN_TYPE in package.read("[Content_Types].xml").decode()
        assert not any(n.lower().endswith("vbaproject.bin") for n in package.namelist())


def test_a_book_with_macros_is_not_imported_into_an_xlsx(tmp_path: Path) -> None:
    """The macros would be lost: refused before reading the tables, nothing written, the
    message names .xlsm (the same book to .xlsm gets as far as its tables)."""
    from ..hostile import corpus

    book = tmp_path / "book.xlsm"
    book.write_bytes(corpus.macro_workbook())
    refused = import_files(book, FIDELITY_DEMO, tmp_path / "out.xlsx", now=NOW)
    assert refused.error is not None and "name the output .xlsm" in refused.error
    assert not (tmp_path / "out.xlsx").exists()
    as_xlsm = import_files(book, FIDELITY_DEMO, tmp_path / "out.xlsm", now=NOW)
    assert as_xlsm.error is not None and "Accounts: the sheet is missing" in as_xlsm.error
