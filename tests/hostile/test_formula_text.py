"""Text we write from user data never becomes a formula: CSV exports and openpyxl cells."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from harvest_xl.excel.formula_text import neutralise_formula_text, set_cell_text

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_triggers_get_a_leading_quote(text: str) -> None:
    """OWASP's triggers (= + - @ tab CR) get one leading single quote; the rest is unchanged."""
    assert neutralise_formula_text(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [
        "VTI",
        "Lot 1 = the first",
        "'=already quoted",
        "",
        " =1",
        12,
        -5,
        Decimal("-1.5"),
        None,
        date(2024, 1, 2),
    ],
)
def test_everything_else_is_unchanged(value: object) -> None:
    """Plain text, numbers (negative too), None and dates pass through untouched."""
    assert neutralise_formula_text(value) == value


def test_csv_export_holds_only_inert_text() -> None:
    """Written through the csv module, every hostile cell starts with a quote."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([neutralise_formula_text(text) for text in HOSTILE] + [-5])
    row = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert all(cell.startswith("'") for cell in row[:-1]) and row[-1] == "-5"


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_plain_openpyxl_assignment_makes_a_formula(tmp_path: Path) -> None:
    """Why set_cell_text exists: openpyxl stores an assigned '=...' string as a formula."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = HOSTILE[0]
    workbook.save(tmp_path / "plain.xlsx")
    assert "<f>" in _sheet_xml(tmp_path / "plain.xlsx")


@pytest.mark.parametrize("text", HOSTILE)
def test_set_cell_text_stores_the_text_unchanged_as_a_string(tmp_path: Path, text: str) -> None:
    """The cell is a string with quotePrefix: no <f> on disk, the same text read back."""
    workbook = openpyxl.Workbook()
    set_cell_text(workbook.active["A1"], text)
    path = tmp_path / "safe.xlsx"
    workbook.save(path)
    assert "<f>" not in _sheet_xml(path)
    with zipfile.ZipFile(path) as archive:
        assert 'quotePrefix="1"' in archive.read("xl/styles.xml").decode()
    cell = openpyxl.load_workbook(path).active["A1"]
    # XML 1.0 section 2.11 reads a raw CR as LF and openpyxl does not escape it, so a leading CR
    # comes back as LF: still inert, and the only change.
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text.replace("\r", "\n"), "s", True)


def test_set_cell_text_survives_a_second_load_and_save(tmp_path: Path) -> None:
    """A refresh that loads and saves again keeps the cell a string."""
    workbook = openpyxl.Workbook()
    set_cell_text(workbook.active["A1"], HOSTILE[0])
    workbook.save(tmp_path / "one.xlsx")
    openpyxl.load_workbook(tmp_path / "one.xlsx").save(tmp_path / "two.xlsx")
    assert "<f>" not in _sheet_xml(tmp_path / "two.xlsx")
    assert openpyxl.load_workbook(tmp_path / "two.xlsx").active["A1"].value == HOSTILE[0]


@pytest.mark.parametrize("value", ["VTI", 10, Decimal("2.5"), None])
def test_set_cell_text_leaves_ordinary_values_alone(value: object) -> None:
    """Ordinary values are assigned as openpyxl would, with no quotePrefix."""
    cell = openpyxl.Workbook().active["A1"]
    set_cell_text(cell, value)
    assert cell.value == value and not cell.quotePrefix


def test_rewriting_a_cell_clears_the_quote_prefix() -> None:
    """A cell that held trigger text and now gets a number loses the quotePrefix again."""
    cell = openpyxl.Workbook().active["A1"]
    set_cell_text(cell, "-")
    assert cell.quotePrefix
    set_cell_text(cell, -12.5)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (-12.5, "n", False)
