"""No command replaces a file without being asked, every workbook name ends in .xlsx/.xlsm
(with the package kind that name needs), and new files get the user's umask mode (issue 19)."""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from harvest_xl.cli import main
from harvest_xl.demo import PROFILE, fill_workbook
from harvest_xl.excel.output_names import MACRO_MAIN_TYPE, PLAIN_MAIN_TYPE
from harvest_xl.excel.template import build_template

from ..hostile import corpus

FILLED_IN = b"a filled-in workbook the user cares about"


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _main_type(path: Path) -> str:
    types = zipfile.ZipFile(path).read("[Content_Types].xml").decode()
    (found,) = re.findall(r'PartName="/xl/workbook\.xml" ContentType="([^"]+)"', types)
    return found


def _book(path: Path) -> Path:
    """A template with the demo Profile (no lots): refreshes without problems."""
    wb = build_template()
    fill_workbook(wb, {}, PROFILE)
    wb.save(path)
    return path


# -------------------------------------------------------------- template and demo


@pytest.mark.parametrize("command", ["template", "demo"])
def test_an_existing_file_is_refused_without_force(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`template PATH` / `demo PATH` onto an existing file exit 2, say --force, and leave the
    folder exactly as it was (no scratch file either)."""
    target = tmp_path / "mine.xlsx"
    target.write_bytes(FILLED_IN)
    assert main([command, str(target)]) == 2
    assert "--force" in capsys.readouterr().err
    assert _listing(tmp_path) == {"mine.xlsx": FILLED_IN}


@pytest.mark.parametrize("command", ["template", "demo"])
def test_force_replaces_the_file(tmp_path: Path, command: str) -> None:
    """With --force the existing file is replaced by a real workbook."""
    target = tmp_path / "mine.xlsx"
    target.write_bytes(FILLED_IN)
    assert main([command, str(target), "--force"]) == 0
    assert "Holdings" in openpyxl.load_workbook(target).sheetnames


@pytest.mark.parametrize("command", ["template", "demo"])
@pytest.mark.parametrize("name", ["x.csv", "x.xls", "x", "x.xlsx.txt"])
def test_a_name_that_is_not_a_workbooks_is_refused(
    tmp_path: Path, command: str, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name not ending in .xlsx/.xlsm: exit 2, the message says so, nothing is written
    (`demo x.csv` used to write the file, then crash)."""
    assert main([command, str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert ".xlsx" in err and "Traceback" not in err
    assert _listing(tmp_path) == {}


@pytest.mark.parametrize("command", ["template", "demo"])
@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_new_files_get_the_umask_mode(tmp_path: Path, command: str, umask: int) -> None:
    """A new workbook is 0666 less the umask (0644 for 022), not a temporary file's 0600."""
    target = tmp_path / "new.xlsx"
    previous = os.umask(umask)
    try:
        assert main([command, str(target)]) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_template_as_xlsm_is_a_macro_enabled_package(tmp_path: Path) -> None:
    """`template book.xlsm` declares the macro-enabled main type Excel requires of an .xlsm;
    `template book.xlsx` the plain one."""
    assert main(["template", str(tmp_path / "t.xlsm")]) == 0
    assert main(["template", str(tmp_path / "t.xlsx")]) == 0
    assert _main_type(tmp_path / "t.xlsm") == MACRO_MAIN_TYPE
    assert _main_type(tmp_path / "t.xlsx") == PLAIN_MAIN_TYPE
    assert openpyxl.load_workbook(tmp_path / "t.xlsm").sheetnames[0] == "Start"


# ------------------------------------------------------------------------- refresh


def test_refresh_o_refuses_an_existing_output_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`refresh BOOK -o OUT` onto an existing OUT exits 2 and writes nothing; --force
    replaces it; the input is never changed."""
    book = _book(tmp_path / "book.xlsx")
    before = book.read_bytes()
    out = tmp_path / "out.xlsx"
    out.write_bytes(FILLED_IN)
    assert main(["refresh", str(book), "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert _listing(tmp_path) == {"book.xlsx": before, "out.xlsx": FILLED_IN}
    assert main(["refresh", str(book), "-o", str(out), "--force"]) == 0
    assert "Summary" in openpyxl.load_workbook(out).sheetnames
    assert book.read_bytes() == before


def test_refresh_default_output_is_refreshed_again(tmp_path: Path) -> None:
    """Without -o the result goes to BOOK.refreshed.xlsx, harvest-xl's own file, which a
    second refresh replaces (no --force needed for it)."""
    book = _book(tmp_path / "book.xlsx")
    earlier = tmp_path / "book.refreshed.xlsx"
    earlier.write_bytes(b"an earlier refresh")
    assert main(["refresh", str(book)]) == 0
    assert "Summary" in openpyxl.load_workbook(earlier).sheetnames


@pytest.mark.parametrize("name", ["out.csv", "out.xls", "out"])
def test_refresh_o_needs_a_workbook_name(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o with a name that is not .xlsx/.xlsm: exit 2, message, nothing written."""
    book = _book(tmp_path / "book.xlsx")
    before = _listing(tmp_path)
    assert main(["refresh", str(book), "-o", str(tmp_path / name)]) == 2
    assert ".xlsx" in capsys.readouterr().err
    assert _listing(tmp_path) == before


def test_refresh_o_new_file_gets_the_umask_mode(tmp_path: Path, umask_022: None) -> None:
    """The refreshed copy is a new file with the umask mode (0644 under 022)."""
    book = _book(tmp_path / "book.xlsx")
    assert main(["refresh", str(book), "-o", str(tmp_path / "out.xlsx")]) == 0
    assert stat.S_IMODE((tmp_path / "out.xlsx").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "book.xlsx").stat().st_mode) == 0o644


def test_refresh_to_xlsm_makes_a_macro_enabled_package(tmp_path: Path) -> None:
    """A plain book refreshed to -o OUT.xlsm gets the macro-enabled main type (and so opens
    in Excel); to .xlsx it stays plain."""
    book = _book(tmp_path / "book.xlsx")
    assert main(["refresh", str(book), "-o", str(tmp_path / "out.xlsm")]) == 0
    assert _main_type(tmp_path / "out.xlsm") == MACRO_MAIN_TYPE
    assert main(["refresh", str(book), "-o", str(tmp_path / "out.xlsx")]) == 0
    assert _main_type(tmp_path / "out.xlsx") == PLAIN_MAIN_TYPE


def test_a_book_with_macros_is_not_written_as_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A workbook with a VBA project refreshed to -o OUT.xlsx is refused (the macros would
    be lost): exit 2, the message says to use .xlsm, nothing written; .xlsm works."""
    book = tmp_path / "book.xlsm"
    book.write_bytes(corpus.macro_workbook())
    assert main(["refresh", str(book), "-o", str(tmp_path / "out.xlsx")]) == 2
    assert ".xlsm" in capsys.readouterr().err
    assert not (tmp_path / "out.xlsx").exists()
    assert main(["refresh", str(book), "-o", str(tmp_path / "out.xlsm")]) in (0, 1)
    assert "xl/vbaProject.bin" in zipfile.ZipFile(tmp_path / "out.xlsm").namelist()
