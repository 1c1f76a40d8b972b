"""Genuine workbooks load through load_workbook_safely as they would through openpyxl."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from harvest_xl.excel.atomic_write import workbook_to_bytes
from harvest_xl.excel.safe_read import (
    DEFAULT_MAX_RATIO,
    HarvestFileError,
    load_workbook_safely,
    read_package_safely,
)

from . import corpus


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    path.write_bytes(corpus.genuine_workbook())
    return path


def test_package_facts(book: Path) -> None:
    """The checked package reports its main part, type, parts and cell count."""
    package = read_package_safely(book)
    assert package.main_part == "xl/workbook.xml"
    assert package.main_content_type == corpus.XLSX_MAIN and not package.macro_enabled
    assert "xl/worksheets/sheet1.xml" in package.parts
    # 3 rows x 4 columns, plus the few <c...>-named elements of styles.xml (an upper bound)
    assert 12 <= package.cells <= 12 + 10
    assert package.data == book.read_bytes()


def test_read_only_and_data_only_are_passed_through(book: Path) -> None:
    """read_only gives openpyxl's streaming sheets; data_only reads cached values."""
    workbook = load_workbook_safely(book, read_only=True, data_only=True)
    rows = list(workbook["Holdings"].iter_rows(values_only=True))
    assert rows == [
        ("Lot", "Symbol", "Shares", "Basis"),
        ("L1", "VTI", 10, 2000.5),
        ("L2", "BND", 25, 1800),
    ]
    assert workbook.read_only


def test_plain_workbook_is_not_loaded_with_vba_so_it_stays_xlsx(book: Path) -> None:
    """keep_vba defaults to 'only for macro-enabled files': an .xlsx is saved as .xlsx."""
    saved = workbook_to_bytes(load_workbook_safely(book))
    with zipfile.ZipFile(io.BytesIO(saved)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    assert corpus.XLSX_MAIN in types and corpus.XLSM_MAIN not in types


def test_forcing_keep_vba_on_xlsx_would_change_its_type(book: Path) -> None:
    """Why the default: openpyxl's keep_vba=True on an .xlsx writes a macro-enabled main part,
    which Excel refuses under an .xlsx name."""
    saved = workbook_to_bytes(load_workbook_safely(book, keep_vba=True))
    with zipfile.ZipFile(io.BytesIO(saved)) as archive:
        assert corpus.XLSM_MAIN in archive.read("[Content_Types].xml").decode()


def test_openpyxl_uses_defusedxml_here() -> None:
    """defusedxml is installed and openpyxl picked it up (its second line of defence)."""
    from defusedxml.ElementTree import fromstring as defused_fromstring
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML is True
    assert functions.fromstring is defused_fromstring or not openpyxl.LXML


def test_openpyxl_alone_refuses_entities_through_defusedxml(tmp_path: Path) -> None:
    """Bypassing our scan, openpyxl + defusedxml still refuses billion laughs in workbook.xml."""
    from defusedxml import DefusedXmlException

    with pytest.raises(ValueError, match="Unable to read workbook") as refused:
        openpyxl.load_workbook(io.BytesIO(corpus.billion_laughs_in_workbook_xml()))
    assert isinstance(refused.value.__cause__, DefusedXmlException)


def test_openpyxl_failure_after_the_checks_becomes_a_clear_refusal(tmp_path: Path) -> None:
    """A package that passes the zip checks but that openpyxl cannot read (sheet XML not
    well-formed) is refused as a HarvestFileError, not a traceback."""
    path = tmp_path / "broken.xlsx"
    path.write_bytes(corpus.with_part(corpus.SHEET, b"<worksheet><sheetData><row></sheetData>"))
    with pytest.raises(HarvestFileError, match="could not be read .* save it again"):
        load_workbook_safely(path)


def test_ratio_just_under_the_limit_is_accepted(tmp_path: Path) -> None:
    """Both sides of the ratio limit: stored (ratio 1) passes; the honest bomb above is refused."""
    path = tmp_path / "stored.xlsx"
    parts = corpus.parts_of(corpus.genuine_workbook())
    parts["xl/media/padding.bin"] = bytes(2 * 1024 * 1024)
    path.write_bytes(corpus.zip_of(parts, zipfile.ZIP_STORED))
    assert read_package_safely(path).parts
    path.write_bytes(corpus.zip_of(parts))
    with pytest.raises(HarvestFileError, match="zip bomb"):
        read_package_safely(path)
    assert read_package_safely(path, max_ratio=DEFAULT_MAX_RATIO * 100).parts


def test_dimension_at_the_cell_limit_is_accepted(tmp_path: Path) -> None:
    """A dimension of exactly max_cells passes; one more column is refused."""
    path = tmp_path / "dim.xlsx"
    body = '<row r="1"><c r="A1"><v>1</v></c></row>'
    path.write_bytes(
        corpus.with_part(corpus.SHEET, corpus.sheet_xml(body, dimension="A1:B500").encode())
    )
    assert read_package_safely(path, max_cells=1000).parts  # A1:B500 is exactly 1,000 cells
    path.write_bytes(
        corpus.with_part(corpus.SHEET, corpus.sheet_xml(body, dimension="A1:C500").encode())
    )
    with pytest.raises(HarvestFileError, match="A1:C500"):
        read_package_safely(path, max_cells=1000)
