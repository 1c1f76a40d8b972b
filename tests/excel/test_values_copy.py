"""`harvest-xl refresh --values`: a shareable copy whose formula cells hold their results as
plain values (for people without the add-in, or on a Mac), equal cell for cell to what the
normal refresh caches; the workbook itself is untouched."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from harvest_xl.cli import main
from harvest_xl.demo import (
    ACCOUNTS,
    ACTIVITY,
    AS_OF,
    HOLDINGS,
    PROFILE,
    RECURRING,
    SECURITIES,
    fill_workbook,
)
from harvest_xl.excel import layout as L
from harvest_xl.excel.headless import VALUES_NOTE, VALUES_STAMP
from harvest_xl.excel.template import build_template

from ..cached_values import set_cached_values

TABLES = {
    "Accounts": ACCOUNTS,
    "Holdings": HOLDINGS,
    "Activity": ACTIVITY,
    "Recurring": RECURRING,
    "Securities": SECURITIES,
}
USER_FORMULAS = {("Profile", 15, 2): "=DATE(2026,11,27)", ("Holdings", 3, 6): "=24*2"}
"""Two inputs typed as formulas, with the values Excel stored for them."""
EXCEL_SAVED = {("Profile", 15, 2): AS_OF, ("Holdings", 3, 6): 48.0}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo book with two user formulas, refreshed normally and with --values."""
    folder = tmp_path_factory.mktemp("values")
    wb = build_template()
    fill_workbook(wb, TABLES, PROFILE)
    for (sheet, row, column), formula in USER_FORMULAS.items():
        wb[sheet].cell(row, column).value = formula
    plain = folder / "plain.xlsx"
    wb.save(plain)
    book = folder / "book.xlsx"
    book.write_bytes(set_cached_values(plain.read_bytes(), EXCEL_SAVED))
    before = book.read_bytes()
    normal = folder / "normal.xlsx"
    assert main(["refresh", str(book), "-o", str(normal)]) == 0
    assert main(["refresh", str(book), "--values"]) == 0
    assert book.read_bytes() == before  # the original is untouched
    return {"book": book, "normal": normal, "values": folder / "book.values.xlsx"}


def _sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {
            n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")
        }


def _cells(path: Path) -> dict[tuple[str, str], Any]:
    """Every non-empty cell value as openpyxl reads it with data_only (cached values)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    return {
        (ws.title, cell.coordinate): cell.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value not in (None, "")
    }


def test_no_formula_and_no_hx_call_is_left(books: dict[str, Path]) -> None:
    """No sheet XML holds a formula (<f>) or the text HX_, no table keeps a calculated
    column formula, and there is no dynamic-array metadata: nothing can turn #NAME?."""
    sheets = _sheet_xml(books["values"])
    assert len(sheets) == len(L.SHEETS)
    for name, xml in sheets.items():
        assert "HX_" not in xml, name
        assert re.search(r"<f[ >]", xml) is None, name
    with zipfile.ZipFile(books["values"]) as z:
        tables = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/tables/")]
        assert tables and not any("calculatedColumnFormula" in t for t in tables)
        assert "xl/metadata.xml" not in z.namelist()
    normal = _sheet_xml(books["normal"])  # the normal refresh does hold them
    assert sum("HX_" in xml for xml in normal.values()) == 2  # Evaluation, Withdrawal


def test_values_equal_the_normal_refresh_cell_for_cell(books: dict[str, Path]) -> None:
    """Every cell of every sheet reads the same in the copy as the normal refresh's cached
    value, except the Refreshed stamp's label and the notes that named the functions."""
    normal, values = _cells(books["normal"]), _cells(books["values"])
    stamp_row = L.SUMMARY_FIRST_ROW + L.SUMMARY_ROWS.index("Refreshed")
    refresh_time = (L.SUMMARY, f"B{stamp_row}")  # differs when the clock ticked between
    expected_differences = {
        (L.SUMMARY, f"C{stamp_row}"),
        (L.WITHDRAWAL, "A2"),
        (L.EVALUATION, "A2"),
    }
    differing = {k for k in normal.keys() | values.keys() if normal.get(k) != values.get(k)}
    assert differing - {refresh_time} == expected_differences
    assert values[(L.SUMMARY, f"C{stamp_row}")] == VALUES_STAMP
    assert values[(L.WITHDRAWAL, "A2")] == values[(L.EVALUATION, "A2")] == VALUES_NOTE
    # The comparison covers the computed cells, not only the inputs:
    assert values[(L.HOLDINGS, "J3")].startswith("Harvest")
    assert values[(L.EVALUATION, "A3")] == "Market value"
    assert values[(L.WITHDRAWAL, "B16")] == 7400  # Total cost of the $20,000 withdrawal


def test_the_users_formulas_keep_their_stored_values(books: dict[str, Path]) -> None:
    """An input the user typed as a formula holds, in the copy, the value Excel stored for
    it, and the lots computed from it use that value."""
    wb = openpyxl.load_workbook(books["values"])  # not data_only: what the file holds
    assert wb["Profile"]["B15"].value.date() == AS_OF
    assert wb["Holdings"]["F3"].value == 48
    assert wb["Holdings"]["G3"].value == 400 * 48.0


def test_formats_are_kept(books: dict[str, Path]) -> None:
    """Computed cells keep their number formats (a date stays a date, money stays money)."""
    normal = openpyxl.load_workbook(books["normal"])
    values = openpyxl.load_workbook(books["values"])
    for sheet in (L.HOLDINGS, L.WITHDRAWAL, L.PLAN):
        for row in normal[sheet].iter_rows(min_row=1, max_row=20):
            for cell in row:
                assert values[sheet][cell.coordinate].number_format == cell.number_format


def test_values_with_in_place_is_refused(
    books: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """--values writes a copy: with --in-place it is a usage error (exit 2), nothing changes."""
    before = books["book"].read_bytes()
    assert main(["refresh", str(books["book"]), "--values", "--in-place"]) == 2
    assert "--values" in capsys.readouterr().err
    assert books["book"].read_bytes() == before


def test_values_to_an_existing_o_needs_force(
    books: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--values -o OUT follows the -o rules: an existing OUT needs --force."""
    out = tmp_path / "share.xlsx"
    out.write_bytes(b"keep me")
    assert main(["refresh", str(books["book"]), "--values", "-o", str(out)]) == 2
    assert out.read_bytes() == b"keep me"
    assert main(["refresh", str(books["book"]), "--values", "-o", str(out), "--force"]) == 0
    assert not any(re.search(r"<f[ >]", xml) for xml in _sheet_xml(out).values())
