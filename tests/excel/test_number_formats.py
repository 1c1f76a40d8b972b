"""Number formats Excel renders as intended, read from the saved XML (issue 19).

Excel always shows the ``.`` of a format code, so ``#,##0.####`` shows 120 as ``120.``;
LibreOffice hides that dot, so no render can catch it (excel-integration.md R2.10). These
tests read the format codes the template and a refreshed demo actually store: every code a
cell, column or conditional format uses is one of the intended codes, the only code that
can show a bare point is the shares format, and every cell and column with it is covered by
the whole-shares conditional format (differential numFmt ``#,##0``).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl.utils import get_column_letter, range_boundaries

from harvest_xl.demo import write_demo
from harvest_xl.excel import layout as L
from harvest_xl.excel.formulas import HOLDINGS_FORMULAS
from harvest_xl.excel.template import save_template
from harvest_xl.results import HOLDINGS_RESULT_COLUMNS

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
BUILT_IN = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    14: "mm-dd-yy",
    22: "m/d/yy h:mm",
}
"""Built-in ids openpyxl uses for these codes (ECMA-376 Part 1 §18.8.30); any other code is
listed in the workbook's numFmts."""

SHARES = "#,##0.####"
WHOLE = "#,##0"
MONEY = '"$"#,##0.00;[Red]-"$"#,##0.00'
INTENDED = {
    "General",
    "0",  # years, counts
    "yyyy-mm-dd",
    "yyyy-mm-dd hh:mm",  # the Refreshed stamp
    MONEY,
    '"$"#,##0;[Red]-"$"#,##0',  # Summary chart data
    "0.00%",
    SHARES,
    WHOLE,  # the whole-shares conditional format
}
SHARES_COLUMNS = {
    L.HOLDINGS: ("Shares", L.TABLE_COLUMNS[L.HOLDINGS], L.FIRST_DATA_ROW),
    L.ACTIVITY: ("Shares", L.TABLE_COLUMNS[L.ACTIVITY], L.FIRST_DATA_ROW),
    L.PLAN: ("Shares", L.PLAN_COLUMNS, L.OUTPUT_HEADER_ROW + 1),
    L.WASH_SALES: ("Shares matched", L.WASH_SALES_COLUMNS, L.OUTPUT_HEADER_ROW + 1),
}
"""Every column of shares: (header, the sheet's columns, first data row)."""


def shows_a_bare_point(code: str) -> bool:
    """True when some section of ``code`` has a decimal point with no ``0`` after it, so
    Excel shows ``120.`` for a whole number (quoted text and [..] tokens are not format)."""
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)
    return any(re.search(r"\.(?![#?,]*0)", section) for section in plain.split(";"))


def test_the_bare_point_detector() -> None:
    """The detector flags codes that show a bare point and passes those that cannot."""
    for code in ("#,##0.####", "0.", "#.?", '"$"0.00;-0.#'):
        assert shows_a_bare_point(code), code
    for code in ("#,##0", "0.00", MONEY, "0.00%", "yyyy-mm-dd", '"a.b"0', "General", "0.0#"):
        assert not shows_a_bare_point(code), code


class Book:
    """The number formats a saved workbook stores, per sheet."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        styles = ElementTree.fromstring(parts["xl/styles.xml"])
        cell_xfs = styles.find(f"{M}cellXfs")
        assert cell_xfs is not None
        listed = {
            int(f.get("numFmtId", "")): f.get("formatCode", "")
            for f in (styles.find(f"{M}numFmts") or [])
        }
        self.listed = listed
        self.xf_codes = [self._code(int(xf.get("numFmtId", "0"))) for xf in cell_xfs]
        dxfs = styles.find(f"{M}dxfs")
        self.dxf_formats: list[tuple[int, str] | None] = []
        for dxf in dxfs if dxfs is not None else []:
            fmt = dxf.find(f"{M}numFmt")
            self.dxf_formats.append(
                None if fmt is None else (int(fmt.get("numFmtId", "")), fmt.get("formatCode", ""))
            )
        book = ElementTree.fromstring(parts["xl/workbook.xml"])
        rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        self.sheets: dict[str, ElementTree.Element] = {}
        for sheet in book.iter(f"{M}sheet"):
            target = targets[sheet.get(f"{R}id")].lstrip("/")
            name = target if target.startswith("xl/") else "xl/" + target
            self.sheets[sheet.get("name", "")] = ElementTree.fromstring(parts[name])

    def _code(self, num_fmt_id: int) -> str:
        return self.listed.get(num_fmt_id) or BUILT_IN[num_fmt_id]

    def cell_codes(self, sheet: str) -> dict[str, str]:
        """{cell: format code} of every cell the sheet stores (an empty cell with a style
        shows its format once something is typed in)."""
        return {
            c.get("r", ""): self.xf_codes[int(c.get("s", "0"))]
            for c in self.sheets[sheet].iter(f"{M}c")
        }

    def column_codes(self, sheet: str) -> dict[int, str]:
        """{column number: format code} of the columns with a style (<col style>)."""
        found = {}
        for col in self.sheets[sheet].iter(f"{M}col"):
            if col.get("style") is not None:
                for c in range(int(col.get("min", "")), int(col.get("max", "")) + 1):
                    found[c] = self.xf_codes[int(col.get("style", ""))]
        return found

    def format_rules(self, sheet: str) -> list[tuple[str, str, tuple[int, str]]]:
        """(sqref, formula, (numFmtId, code)) of each conditional format that sets a number
        format."""
        rules = []
        for cf in self.sheets[sheet].iter(f"{M}conditionalFormatting"):
            for rule in cf.iter(f"{M}cfRule"):
                if rule.get("dxfId") is None:
                    continue
                fmt = self.dxf_formats[int(rule.get("dxfId", ""))]
                if fmt is not None:
                    formula = rule.find(f"{M}formula")
                    text = formula.text if formula is not None and formula.text else ""
                    rules.append((cf.get("sqref", ""), text, fmt))
        return rules


@pytest.fixture(scope="module", params=["template", "refreshed demo"])
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Book:
    folder = tmp_path_factory.mktemp("formats")
    if request.param == "template":
        return Book(save_template(folder / "template.xlsx"))
    report = write_demo(folder / "demo.xlsx")
    assert report.error is None
    return Book(report.target)


def test_every_format_code_is_an_intended_one(book: Book) -> None:
    """Cells, styled columns and conditional formats use only the intended codes."""
    used = set()
    for sheet in book.sheets:
        used |= set(book.cell_codes(sheet).values()) | set(book.column_codes(sheet).values())
        used |= {fmt[1] for _ref, _formula, fmt in book.format_rules(sheet)}
    assert used <= INTENDED, used - INTENDED
    assert SHARES in used and WHOLE in used


def test_only_the_shares_format_can_show_a_bare_point(book: Book) -> None:
    """Of every code in use, only #,##0.#### has Excel's trailing-dot trap."""
    used = set()
    for sheet in book.sheets:
        used |= set(book.cell_codes(sheet).values()) | set(book.column_codes(sheet).values())
    assert {code for code in used if shows_a_bare_point(code)} == {SHARES}


def _covers(sqref: str, column: int, row: int) -> bool:
    for ref in sqref.split():
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_col <= column <= max_col and min_row <= row <= max_row:
            return True
    return False


def _whole_shares_rules(book: Book, sheet: str) -> list[str]:
    """The sqrefs of the sheet's whole-shares rules: an expression that tests the number is
    whole at four decimals, with the differential format #,##0."""
    found = []
    for sqref, formula, (num_fmt_id, code) in book.format_rules(sheet):
        first = sqref.split(":")[0]
        if code == WHOLE and f"MOD(ROUND({first},4),1)=0" in formula.replace("$", ""):
            assert book.listed.get(num_fmt_id, WHOLE) == WHOLE  # the id names no other code
            assert num_fmt_id >= 164
            found.append(sqref)
    return found


@pytest.mark.parametrize("sheet", list(SHARES_COLUMNS))
def test_every_shares_column_has_the_whole_shares_rule(book: Book, sheet: str) -> None:
    """Holdings, Activity, Plan and Wash sales: the shares column has the #,##0.#### format
    and a whole-shares rule over it from the first data row, for at least 500 rows."""
    header, columns, first = SHARES_COLUMNS[sheet]
    column = columns.index(header) + 1
    assert book.column_codes(sheet)[column] == SHARES
    letter = get_column_letter(column)
    rules = _whole_shares_rules(book, sheet)
    assert any(
        ref.startswith(f"{letter}{first}:{letter}")
        and range_boundaries(ref)[3] - first + 1 >= 500
        for ref in rules
    ), rules


def test_every_cell_and_column_with_the_shares_format_is_covered(book: Book) -> None:
    """No cell or styled column shows #,##0.#### outside a whole-shares rule (so no whole
    number of shares anywhere reads "120.")."""
    checked = 0
    for sheet in book.sheets:
        rules = _whole_shares_rules(book, sheet)
        for ref, code in book.cell_codes(sheet).items():
            if code == SHARES:
                column, row = range_boundaries(ref)[:2]
                assert any(_covers(r, column, row) for r in rules), (sheet, ref)
                checked += 1
        for column, code in book.column_codes(sheet).items():
            if code == SHARES:
                assert rules and any(range_boundaries(r)[0] == column for r in rules), sheet
    assert checked > 0


def test_evaluation_numbers_show_as_the_holdings_columns(book: Book) -> None:
    """The Evaluation array's cells have no style of their own; a rule per money and date
    column gives their numbers the Holdings column's format (a date, not a serial)."""
    wanted = {f.column: f.number_format for f in HOLDINGS_FORMULAS if f.number_format != "General"}
    rules = book.format_rules(L.EVALUATION)
    first = L.EVALUATION_HEADER_ROW + 1
    for header, code in wanted.items():
        letter = get_column_letter(HOLDINGS_RESULT_COLUMNS.index(header) + 1)
        assert any(
            sqref.startswith(f"{letter}{first}:") and fmt[1] == code and "ISNUMBER" in formula
            for sqref, formula, fmt in rules
        ), header
    assert {f[1] for _s, _f, f in rules} == {MONEY, "yyyy-mm-dd"}
