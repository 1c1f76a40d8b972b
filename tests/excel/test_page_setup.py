"""Every sheet prints landscape, one page wide, with its header row repeated (issue 19), read
from the XML of the saved template and of a refreshed demo (the refresh keeps the setup).
The page count the setup gives is measured in test_render.py (LibreOffice's PDF)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from harvest_xl.demo import write_demo
from harvest_xl.excel import layout as L
from harvest_xl.excel.template import save_template

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
TITLE_ROWS = {
    L.PROFILE: 1,
    L.ACCOUNTS: 1,
    L.HOLDINGS: 1,
    L.ACTIVITY: 1,
    L.RECURRING: 1,
    L.SECURITIES: 1,
    L.PLAN: 4,
    L.WASH_SALES: 4,
    L.FORM_8949: 4,
    L.SOURCES: 4,
    L.EVALUATION: 3,
}
"""The header row of each table and output sheet (Start, Withdrawal and Summary have none)."""


def _parts(path: Path) -> tuple[ElementTree.Element, dict[str, ElementTree.Element]]:
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    book = ElementTree.fromstring(parts["xl/workbook.xml"])
    rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    sheets = {}
    for sheet in book.iter(f"{M}sheet"):
        target = targets[sheet.get(f"{R}id")].lstrip("/")
        sheets[sheet.get("name", "")] = ElementTree.fromstring(
            parts[target if target.startswith("xl/") else "xl/" + target]
        )
    return book, sheets


@pytest.fixture(scope="module", params=["template", "refreshed demo"])
def saved(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ElementTree.Element, dict[str, ElementTree.Element]]:
    folder = tmp_path_factory.mktemp("pages")
    if request.param == "template":
        return _parts(save_template(folder / "template.xlsx"))
    report = write_demo(folder / "demo.xlsx")
    assert report.error is None
    return _parts(report.target)


Saved = tuple[ElementTree.Element, dict[str, ElementTree.Element]]


def test_every_sheet_is_there(saved: Saved) -> None:
    """The setup below is checked on every public sheet."""
    _book, sheets = saved
    assert list(sheets) == list(L.SHEETS)


@pytest.mark.parametrize("sheet", list(L.SHEETS))
def test_landscape_letter_fit_to_one_page_wide(saved: Saved, sheet: str) -> None:
    """pageSetup: landscape, US Letter, fitToWidth 1 and fitToHeight 0 (as many pages long
    as needed), with sheetPr/pageSetUpPr fitToPage on so Excel honours the fit."""
    ws = saved[1][sheet]
    setup = ws.find(f"{M}pageSetup")
    assert setup is not None
    assert setup.get("orientation") == "landscape"
    assert setup.get("paperSize") == "1"
    assert setup.get("fitToWidth") == "1" and setup.get("fitToHeight") == "0"
    fit = ws.find(f"{M}sheetPr/{M}pageSetUpPr")
    assert fit is not None and fit.get("fitToPage") in ("1", "true")


@pytest.mark.parametrize("sheet", list(L.SHEETS))
def test_margins_are_sensible_and_the_footer_names_the_sheet(saved: Saved, sheet: str) -> None:
    """Margins between a quarter and one inch, header/footer inside them; the footer shows
    the sheet's name and the page number."""
    ws = saved[1][sheet]
    margins = ws.find(f"{M}pageMargins")
    assert margins is not None
    sides = {k: float(margins.get(k, "nan")) for k in ("left", "right", "top", "bottom")}
    assert all(0.25 <= v <= 1.0 for v in sides.values()), sides
    assert float(margins.get("footer", "nan")) < sides["bottom"]
    assert float(margins.get("header", "nan")) < sides["top"]
    footer = ws.find(f"{M}headerFooter/{M}oddFooter")
    assert footer is not None and footer.text is not None
    assert "&A" in footer.text and "&P" in footer.text


def test_print_titles_repeat_each_header_row(saved: Saved) -> None:
    """Each table and output sheet has a _xlnm.Print_Titles name (scoped to that sheet)
    holding its header row; the one-page sheets have none."""
    book, sheets = saved
    names = list(sheets)
    titles = {}
    for name in book.iter(f"{M}definedName"):
        if name.get("name") == "_xlnm.Print_Titles":
            sheet = names[int(name.get("localSheetId", "-1"))]
            titles[sheet] = name.text
    assert titles == {sheet: f"'{sheet}'!${row}:${row}" for sheet, row in TITLE_ROWS.items()}
