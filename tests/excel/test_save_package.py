"""The refreshed package as written: each part compressed once, a part carried from the
original stored as the original stored it; text kept as text is never taken for the
user's formula."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

from harvest_xl.demo import ACCOUNTS, PROFILE, fill_workbook
from harvest_xl.excel.headless import refresh_file
from harvest_xl.excel.import_workbook import import_files
from harvest_xl.excel.package import finish_package, finish_saved_package
from harvest_xl.excel.safe_read import load_workbook_safely, read_package_safely
from harvest_xl.excel.sheet_writer import save_with_values
from harvest_xl.excel.template import build_template
from harvest_xl.excel.unowned_parts import copy_unowned_parts

from .import_helpers import HISTORY_HEADER, NOW, csv, template

CARRIED_STORED = "customXml/item1.xml"
CARRIED_DEFLATED = "customXml/item2.xml"


def _book(path: Path) -> Path:
    workbook = build_template()
    fill_workbook(workbook, {"Accounts": ACCOUNTS}, PROFILE)
    workbook.save(path)
    return path


def _with_parts(path: Path) -> None:
    """Two parts openpyxl does not own added to the package, one stored, one deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(CARRIED_STORED, b"<a>" + b"x" * 5000 + b"</a>", zipfile.ZIP_STORED)
        target.writestr(CARRIED_DEFLATED, b"<b>" + b"y" * 5000 + b"</b>", zipfile.ZIP_DEFLATED)
    path.write_bytes(buffer.getvalue())


def test_parts_are_compressed_and_a_stored_carried_part_stays_stored(tmp_path: Path) -> None:
    """Every part harvest-xl writes is deflated; a part carried from the original keeps the
    original's compression, stored or deflated, and its bytes."""
    book = _book(tmp_path / "book.xlsx")
    _with_parts(book)
    report = refresh_file(book, tmp_path / "out.xlsx")
    assert report.error is None, report.error
    with zipfile.ZipFile(tmp_path / "out.xlsx") as out:
        kinds = {info.filename: info.compress_type for info in out.infolist()}
        assert out.read(CARRIED_STORED) == b"<a>" + b"x" * 5000 + b"</a>"
    assert kinds.pop(CARRIED_STORED) == zipfile.ZIP_STORED
    assert kinds.pop(CARRIED_DEFLATED) == zipfile.ZIP_DEFLATED
    assert "xl/worksheets/sheet1.xml" in kinds
    assert set(kinds.values()) == {zipfile.ZIP_DEFLATED}


def test_an_account_named_like_a_formula_imports(tmp_path: Path) -> None:
    """A broker file's account named '=SUM(1)' is imported as that text: the refresh that
    follows takes the quoted text for no formula of the user's (it looked for its cached
    value in the workbook as read, which has no ledger sheet yet, and failed)."""
    history = tmp_path / "Accounts_History.csv"
    history.write_text(
        csv(
            HISTORY_HEADER,
            '03/02/2026,"=SUM(1)",X1,YOU BOUGHT VTI (Cash),VTI,FUND,Cash,100,1,,,-100,',
        ),
        encoding="utf-8",
    )
    report = import_files(template(tmp_path), [history], tmp_path / "out.xlsx", now=NOW)
    assert report.error is None, report.error
    cell = openpyxl.load_workbook(tmp_path / "out.xlsx")["Activity"]["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=SUM(1)", "s", True)


def test_the_one_pass_finish_gives_the_parts_of_the_steps_it_replaces(tmp_path: Path) -> None:
    """finish_saved_package: the parts (names in order, bytes, times, attributes) of carrying
    the unowned parts, then marking the dynamic array, each a rewrite of the package before;
    only the compression differs: every part deflated but the carried one stored."""
    book = _book(tmp_path / "book.xlsx")
    _with_parts(book)
    package = read_package_safely(book)
    workbook = load_workbook_safely(package)
    saved = save_with_values(workbook, {}, compression=zipfile.ZIP_STORED)
    steps = finish_package(copy_unowned_parts(package.data, saved))
    one = finish_saved_package(saved, package.data)

    def members(data: bytes) -> list[tuple[object, ...]]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [
                (info.filename, archive.read(info), info.date_time, info.external_attr)
                for info in archive.infolist()
            ]

    assert members(one) == members(steps)
    assert members(one)[-1][0] == "xl/metadata.xml"  # the dynamic array's, added last
    with zipfile.ZipFile(io.BytesIO(one)) as archive:
        stored = [i.filename for i in archive.infolist() if i.compress_type == zipfile.ZIP_STORED]
    assert stored == [CARRIED_STORED]
