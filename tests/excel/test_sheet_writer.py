"""The fast sheet writer writes what openpyxl's own writer writes, plus cached values.

Every part of the package is compared as parsed XML with openpyxl's ``Workbook.save`` of
the same workbook, over a sheet holding every kind of cell openpyxl can write; then the
cached values are checked through ``openpyxl(data_only=True)``.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.formula import ArrayFormula

from harvest_xl.excel.appended_rows import (
    AppendedRows,
    RowBlock,
    column_styles,
    data_type,
    variants,
)
from harvest_xl.excel.import_tables import new_cell
from harvest_xl.excel.sheet_writer import CellError, save_parts, save_with_values


def _every_kind_of_cell() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cells & <things>"
    ws["A1"] = "plain"
    ws["A2"] = "  padded  "
    ws["A3"] = "   "
    ws["A4"] = 'a & b < c > d "e"'
    ws["A5"] = "line\nbreak\ttab"
    ws["A6"] = 42
    ws["A7"] = 3.25
    ws["A8"] = Decimal("1.10")
    ws["A9"] = float("nan")
    ws["A10"] = True
    ws["A11"] = False
    ws["A12"] = "#N/A"
    ws["A13"] = date(2024, 2, 29)
    ws["A14"] = datetime(2024, 2, 29, 13, 45, 30)
    ws["A15"] = time(9, 30)
    ws["A16"] = None
    ws["A16"].font = Font(bold=True)  # styled but empty: still written
    ws["A17"] = "=SUM(A6:A7)"
    ws["A18"] = '=IF(A6>1,"big & <odd>","small")'
    ws["A19"] = ArrayFormula("A19:A20", "=A6:A7*2")
    ws["A21"] = CellRichText(["rich ", TextBlock(InlineFont(b=True), "bold")])
    ws["A22"] = "linked"
    ws["A22"].hyperlink = "https://example.com/?a=1&b=2"
    ws["A23"] = "commented"
    ws["A23"].comment = Comment("a note", "me")
    ws["A24"].fill = PatternFill("solid", fgColor="FFFF00")
    ws["B1"] = "=A6*2"
    ws["B2"] = "=A7+1"
    ws["B3"] = '=A1&"!"'
    ws["B4"] = "=1/0"
    ws["B5"] = "=TODAY()"
    ws["B6"] = "=NOW()"
    ws["B7"] = "=A10"
    ws["B8"] = "=A1"
    ws["B9"] = "=A6"
    ws["C1"] = "merged"
    ws.merge_cells("C1:D2")
    ws.row_dimensions[30].height = 30
    ws.row_dimensions[2].hidden = True
    other = wb.create_sheet("Second")
    other["A1"] = "=Second!B1"
    other["B1"] = 5
    return wb


RESULTS = {
    ("Cells & <things>", 1, 2): 84,
    ("Cells & <things>", 2, 2): 4.25,
    ("Cells & <things>", 3, 2): 'plain! & <"x">',
    ("Cells & <things>", 4, 2): CellError("#DIV/0!"),
    ("Cells & <things>", 5, 2): date(2026, 11, 2),
    ("Cells & <things>", 6, 2): datetime(2026, 11, 2, 12, 0),
    ("Cells & <things>", 7, 2): True,
    ("Cells & <things>", 8, 2): None,
    ("Cells & <things>", 9, 2): float("inf"),
    ("Cells & <things>", 17, 1): 45.25,
    ("Cells & <things>", 1, 1): 99,  # not a formula cell: left alone
    ("Second", 1, 1): 5,
}


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _canon(element: ElementTree.Element) -> tuple[object, ...]:
    text = element.text or ""
    return (
        element.tag,
        sorted(element.attrib.items()),
        text if len(element) == 0 else text.strip(),
        [_canon(child) for child in element],
    )


def _without_values(xml: bytes) -> tuple[object, ...]:
    """The sheet with every formula cell's cached value and type taken out."""
    root = ElementTree.fromstring(xml)
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    for cell in root.iter(f"{ns}c"):
        if cell.find(f"{ns}f") is not None:
            cell.attrib.pop("t", None)
            value = cell.find(f"{ns}v")
            if value is not None:
                value.text = None
    return _canon(root)


def test_every_part_parses_to_what_openpyxl_writes() -> None:
    plain = io.BytesIO()
    _every_kind_of_cell().save(plain)
    ours = _parts(save_with_values(_every_kind_of_cell(), RESULTS))
    theirs = _parts(plain.getvalue())
    assert ours.keys() == theirs.keys()
    for name, data in theirs.items():
        if name == "docProps/core.xml":  # the save time
            continue
        if name.startswith("xl/worksheets/sheet"):
            assert _without_values(ours[name]) == _without_values(data), name
        elif name == "xl/workbook.xml":
            mine = ElementTree.fromstring(ours[name])
            for calc in mine.iter():
                calc.attrib.pop("fullCalcOnLoad", None)
            original = ElementTree.fromstring(data)
            for calc in original.iter():
                calc.attrib.pop("fullCalcOnLoad", None)
            assert _canon(mine) == _canon(original)
            assert b"fullCalcOnLoad" not in ours[name]  # the values are current
        elif name.endswith((".xml", ".rels", ".vml")):
            assert _canon(ElementTree.fromstring(ours[name])) == _canon(
                ElementTree.fromstring(data)
            ), name
        else:
            assert ours[name] == data, name


def _read(data: bytes) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    out: dict[tuple[str, str], object] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, ArrayFormula):
                    value = ("array", value.ref, value.text)
                elif isinstance(value, CellRichText):
                    value = ("rich", str(value))
                out[(ws.title, cell.coordinate)] = (
                    value,
                    cell.number_format,
                    cell.font.b,
                )
    return out


def test_values_and_formulas_read_back() -> None:
    """Same cells as openpyxl's own save when read back; cached values where given."""
    plain = io.BytesIO()
    _every_kind_of_cell().save(plain)
    data = save_with_values(_every_kind_of_cell(), RESULTS)
    assert _read(data) == _read(plain.getvalue())
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    ws = values["Cells & <things>"]
    assert ws["B1"].value == 84
    assert ws["B2"].value == pytest.approx(4.25)
    assert ws["B3"].value == 'plain! & <"x">'
    assert ws["B4"].value == "#DIV/0!"
    assert ws["B5"].value == (date(2026, 11, 2) - date(1899, 12, 30)).days  # no date style
    assert ws["B6"].value == pytest.approx(46328.5)
    assert ws["B7"].value is True
    assert ws["B8"].value is None  # an empty text result: <v></v>, which openpyxl reads as None
    assert ws["B9"].value == "#NUM!"
    assert ws["A17"].value == pytest.approx(45.25)
    assert ws["A1"].value == "plain"
    assert ws["A2"].value == "  padded  "
    assert ws["A22"].hyperlink.target == "https://example.com/?a=1&b=2"
    assert ws["A23"].comment.text == "a note"
    assert values["Second"]["A1"].value == 5


def _members(data: bytes) -> list[tuple[str, bytes, int]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            (info.filename, archive.read(info), info.external_attr) for info in archive.infolist()
        ]


def test_the_parts_are_the_members_openpyxls_zip_holds() -> None:
    """save_parts: each part openpyxl's zip holds, in its order, with its bytes and the
    file attributes ZipFile.writestr gives a member written by name, as every part is."""
    plain = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = 1
    workbook.create_sheet("Two")["B2"] = "two"
    workbook.calculation.fullCalcOnLoad = None  # as save_parts saves it
    workbook.save(plain)
    parts = save_parts(workbook, {})
    theirs = _members(plain.getvalue())
    assert [name for name, _, _ in theirs] == list(parts)
    for name, data, _ in theirs:
        assert parts[name].external_attr == 0o600 << 16, name
        assert not parts[name].stored, name
        if name != "docProps/core.xml":  # the save time
            assert parts[name].data == data, name


def test_a_write_only_workbook_s_sheets_are_parts_too(tmp_path: Path) -> None:
    """A write-only workbook's sheets, which openpyxl adds from a file (ZipFile.write), are
    parts with the bytes openpyxl's own save writes."""

    def book() -> openpyxl.Workbook:
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("Rows")
        for row in range(1, 4):
            sheet.append([row, f"text {row}"])
        return workbook

    path = tmp_path / "plain.xlsx"
    book().save(path)
    parts = save_parts(book(), {})
    theirs = _members(path.read_bytes())
    assert [name for name, _, _ in theirs] == list(parts)
    sheet = "xl/worksheets/sheet1.xml"
    assert parts[sheet].data == dict((n, d) for n, d, _ in theirs)[sheet]
    assert b"<v>3</v>" in parts[sheet].data


_BLOCK_VALUE = st.one_of(
    st.none(),
    st.sampled_from([0, 0.0, -0.0, "", "=SUM(1)", "#N/A", " padded", "a & b"]),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet="ab <&", max_size=3),
    st.dates(date(1990, 1, 1), date(2030, 12, 31)),
)


def _block_sheet(lines: list[tuple[Any, ...]], shared: int | None, as_cells: bool) -> bytes:
    """A sheet holding ``lines`` as a block from row 2 (or as cells of the styles the block
    gives them), with a cell of its own in row ``shared`` (column 5), saved: its XML."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    columns = (1, 2, 3)
    for column in columns:
        ws.cell(1, column).font = Font(bold=True)
    if shared is not None:
        ws.cell(shared, 5).value = "cell"
        ws.cell(shared, 5).font = Font(italic=True)
    styles = {column: StyleArray(ws.cell(1, column)._style) for column in columns}
    block = RowBlock(2, columns, lines)
    block.styles = column_styles(ws, styles, variants(columns, lines))
    appended = AppendedRows()
    appended.add(ws.title, block)
    if as_cells:
        for row, column, value in block.items():
            new_cell(ws, row, column, value, block.style(column, data_type(value)[1]))
        appended.blocks.clear()
    with zipfile.ZipFile(io.BytesIO(save_with_values(workbook, {}, appended))) as archive:
        return archive.read("xl/worksheets/sheet1.xml") + archive.read("xl/styles.xml")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_BLOCK_VALUE, _BLOCK_VALUE, _BLOCK_VALUE), min_size=1, max_size=8),
    st.booleans(),
    st.data(),
)
def test_a_block_saves_as_the_cells_holding_its_values(lines, full, data) -> None:
    """A block of any values (columns full or with gaps, repeated, zeros of both signs,
    empty text, text read as a formula or an error), with a row the sheet has a cell in or
    not: the sheet and its styles are byte for byte those of the same values as cells.
    (A block's first and last rows hold a value, as an import's do: the used range counts
    a block's rows, values or not.)"""
    assume(lines[0] != (None,) * 3 and lines[-1] != (None,) * 3)
    if full:  # every column a value in every row: the rows laid out as one template's
        lines = [tuple(0 if value is None else value for value in line) for line in lines]
    shared = data.draw(st.one_of(st.none(), st.integers(1, len(lines) + 2)))
    assert _block_sheet(lines, shared, as_cells=False) == _block_sheet(lines, shared, True)


@pytest.mark.parametrize("shared", [None, 2, 4, 7])
def test_columns_of_plain_text_save_as_the_cells_holding_them(shared: int | None) -> None:
    """Columns of text in every row (each text its own, repeated, or read as a formula),
    with a row the sheet has a cell in or not: byte for byte the same values as cells."""
    lines = [(f"key-{row}", "Activity" if row % 3 else "Other", "=quoted") for row in range(6)]
    assert _block_sheet(lines, shared, as_cells=False) == _block_sheet(lines, shared, True)
