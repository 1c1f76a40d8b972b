"""The ribbon buttons' Python side on Linux: XlwingsBook, Refresh, Plan, About and the
feedback, against a double of the xlwings objects (Book, Sheet, Range, App) that records what
Excel would be told."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest

from harvest_xl.excel.book import Block, BookAdapter
from harvest_xl.excel.xlwings_book import XlwingsBook

# --- a minimal double of the xlwings object model -----------------------------------------


class FakeRange:
    """sheet.range((r1, c1), (r2, c2)): value / formula / options(ndim=2) / clear_contents."""

    def __init__(self, sheet: FakeSheet, top_left: tuple[int, int], bottom_right: tuple[int, int]):
        self.sheet = sheet
        (self.r1, self.c1), (self.r2, self.c2) = top_left, bottom_right
        self.ndim: int | None = None

    def options(self, ndim: int | None = None) -> FakeRange:
        self.ndim = ndim
        return self

    def _cells(self) -> list[list[tuple[int, int]]]:
        return [
            [(r, c) for c in range(self.c1, self.c2 + 1)] for r in range(self.r1, self.r2 + 1)
        ]

    @property
    def value(self) -> Any:
        grid = [[self.sheet.shown(rc) for rc in row] for row in self._cells()]
        if self.ndim == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        return grid

    @value.setter
    def value(self, data: Any) -> None:
        self.sheet.book.calls.append(("write", self.sheet.name, self.r1, self.c1, data))
        assert isinstance(data, list) and all(isinstance(r, list) for r in data), data
        assert len({len(r) for r in data}) == 1, "xlwings needs a rectangle"
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                self.sheet.set((self.r1 + i, self.c1 + j), v)

    @property
    def formula(self) -> Any:
        grid = tuple(
            tuple(self.sheet.formulas.get(rc, _text(self.sheet.cells.get(rc))) for rc in row)
            for row in self._cells()
        )
        return grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid

    def clear_contents(self) -> None:
        self.sheet.book.calls.append(("clear", self.sheet.name, self.r1, self.c1, self.r2, self.c2))
        for row in self._cells():
            for rc in row:
                self.sheet.cells.pop(rc, None)
                self.sheet.formulas.pop(rc, None)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class FakeSheet:
    def __init__(self, book: FakeBook, name: str):
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], Any] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.computed: dict[tuple[int, int], Any] = {}  # what Excel shows for formula cells

    def shown(self, rc: tuple[int, int]) -> Any:
        return self.computed.get(rc) if rc in self.formulas else self.cells.get(rc)

    def set(self, rc: tuple[int, int], value: Any) -> None:
        self.formulas.pop(rc, None)
        self.cells.pop(rc, None)
        if isinstance(value, str) and value.startswith("="):
            self.formulas[rc] = value  # what Excel does with text starting with "="
        elif value is not None:
            self.cells[rc] = value

    def activate(self) -> None:
        self.book.calls.append(("activate", self.name))

    def range(self, a: tuple[int, int], b: tuple[int, int] | None = None) -> FakeRange:
        return FakeRange(self, a, b or a)

    @property
    def used_range(self) -> Any:
        keys = set(self.cells) | set(self.formulas) or {(1, 1)}
        last = (max(r for r, _ in keys), max(c for _, c in keys))

        class _Used:
            last_cell = type("Cell", (), {"row": last[0], "column": last[1]})

        return _Used()


class FakeSheets:
    def __init__(self, sheets: list[FakeSheet]):
        self._sheets = sheets

    def __iter__(self):
        return iter(self._sheets)

    def __getitem__(self, name: str) -> FakeSheet:
        return next(s for s in self._sheets if s.name == name)


class FakeApp:
    def __init__(self, book: FakeBook):
        self.book = book
        outer = self

        class _Api:
            def CalculateFull(self) -> None:  # noqa: N802 - COM name
                outer.book.calls.append(("CalculateFull",))

        self.api = _Api()

        self.status_bar: str | bool = False
        self.alerts: list[tuple[str, str | None, str | None]] = []

    def calculate(self) -> None:
        self.book.calls.append(("calculate",))

    def alert(
        self, prompt: str, title: str | None = None, buttons: str = "ok",
        mode: str | None = None, callback: str | None = None,
    ) -> str:
        self.alerts.append((prompt, title, mode))
        return "ok"


class FakeBook:
    def __init__(self, names: list[str]):
        self.name = "Book1.xlsx"
        self.calls: list[tuple[Any, ...]] = []
        self.sheets = FakeSheets([FakeSheet(self, n) for n in names])
        self.app = FakeApp(self)


# --- XlwingsBook -----------------------------------------------------------------------------


def test_xlwings_book_satisfies_the_protocol() -> None:
    """XlwingsBook is a BookAdapter (runtime protocol check of every method)."""
    assert isinstance(XlwingsBook(FakeBook(["A"]), formulas_live=True), BookAdapter)


def test_sheet_names_in_tab_order() -> None:
    """sheet_names lists the book's sheets in order."""
    assert XlwingsBook(FakeBook(["B", "A", "C"]), formulas_live=True).sheet_names() == [
        "B",
        "A",
        "C",
    ]


def test_read_block_from_a1_to_the_last_used_cell() -> None:
    """read_block starts at A1 even when the used range starts lower, and shows formula results."""
    book = FakeBook(["S"])
    sheet = book.sheets["S"]
    sheet.cells[(2, 2)] = "x"
    sheet.cells[(3, 1)] = dt.datetime(2025, 3, 1)
    sheet.formulas[(3, 3)] = "=HX_TERM(A3)"
    sheet.computed[(3, 3)] = "Short"
    block = XlwingsBook(book, formulas_live=True).read_block("S")
    assert block == Block(
        1, 1, [[None, None, None], [None, "x", None], [dt.datetime(2025, 3, 1), None, "Short"]]
    )


def test_read_block_of_an_empty_sheet_has_no_rows() -> None:
    """An empty sheet reads as a block with no rows, like the openpyxl adapter."""
    assert XlwingsBook(FakeBook(["S"]), formulas_live=True).read_block("S") == Block(1, 1, [])


def test_read_block_of_one_cell_is_still_two_dimensional() -> None:
    """A sheet with only A1 filled gives [[value]], not a scalar."""
    book = FakeBook(["S"])
    book.sheets["S"].cells[(1, 1)] = 7.0
    assert XlwingsBook(book, formulas_live=True).read_block("S").values == [[7.0]]


def test_write_values_in_one_call_with_excel_safe_values() -> None:
    """One rectangular write: Decimal -> float, ragged rows padded, '=' text kept as text."""
    book = FakeBook(["S"])
    XlwingsBook(book, formulas_live=True).write_values(
        "S", 5, 2, [[Decimal("1.50"), "=cmd|' /C calc'!A0"], ["AAPL"]]
    )
    assert book.calls == [("write", "S", 5, 2, [[1.5, "'=cmd|' /C calc'!A0"], ["AAPL", None]])]
    assert book.sheets["S"].formulas == {}


def test_write_nothing_makes_no_call() -> None:
    """An empty block costs no round trip to Excel."""
    book = FakeBook(["S"])
    adapter = XlwingsBook(book, formulas_live=True)
    adapter.write_values("S", 1, 1, [])
    adapter.write_results("S", 1, 1, [[]])
    adapter.clear("S", 1, 1, 0, 3)
    assert book.calls == []


def test_clear_one_rectangle() -> None:
    """clear empties exactly the rectangle asked for, in one call."""
    book = FakeBook(["S"])
    sheet = book.sheets["S"]
    for rc in [(4, 1), (5, 2), (6, 3), (7, 1)]:
        sheet.cells[rc] = 1
    XlwingsBook(book, formulas_live=True).clear("S", 4, 1, 3, 2)
    assert book.calls == [("clear", "S", 4, 1, 6, 2)]
    assert sheet.cells == {(6, 3): 1, (7, 1): 1}


def test_results_leave_live_formulas_alone() -> None:
    """Where formulas compute themselves, results go only into the cells without a formula."""
    book = FakeBook(["S"])
    sheet = book.sheets["S"]
    sheet.formulas[(2, 2)] = "=HX_TERM(A2)"
    sheet.formulas[(2, 4)] = "=HX_TAX(A2)"
    XlwingsBook(book, formulas_live=True).write_results("S", 2, 1, [[1, 2, 3, 4, 5]])
    assert sheet.formulas == {(2, 2): "=HX_TERM(A2)", (2, 4): "=HX_TAX(A2)"}
    assert sheet.cells == {(2, 1): 1, (2, 3): 3, (2, 5): 5}
    assert [c for c in book.calls if c[0] == "write"] == [
        ("write", "S", 2, 1, [[1]]),
        ("write", "S", 2, 3, [[3]]),
        ("write", "S", 2, 5, [[5]]),
    ]


def test_results_replace_formulas_that_cannot_compute() -> None:
    """Without live formulas (Excel for Mac) the results are written as values, in one call."""
    book = FakeBook(["S"])
    sheet = book.sheets["S"]
    sheet.formulas[(2, 2)] = "=HX_TERM(A2)"
    XlwingsBook(book, formulas_live=False).write_results("S", 2, 1, [["a", "Long"]])
    assert sheet.formulas == {}
    assert sheet.cells == {(2, 1): "a", (2, 2): "Long"}
    assert book.calls == [("write", "S", 2, 1, [["a", "Long"]])]


# --- the HX_ functions: from the add-in, or the per-workbook fallback -----------------------

from types import SimpleNamespace  # noqa: E402

from harvest_xl.excel import ribbon  # noqa: E402
from harvest_xl.excel.ribbon import Feedback, FunctionsStatus, NotAHarvestWorkbook  # noqa: E402


class FakeReferences:
    def __init__(self, paths: list[str]):
        self.paths = list(paths)
        self.added: list[str] = []

    @property
    def Count(self) -> int:  # noqa: N802 - COM name
        return len(self.paths)

    def Item(self, i: int) -> Any:  # noqa: N802 - COM name (1-based)
        return type("Ref", (), {"FullPath": self.paths[i - 1]})

    def AddFromFile(self, path: str) -> None:  # noqa: N802 - COM name
        self.paths.append(path)
        self.added.append(path)


def _windows_book(references: list[str], addin_path: str = r"C:\XLSTART\harvest_xl.xlam"):
    book = FakeBook([])
    refs = FakeReferences(references)
    book.api = type("WbApi", (), {"VBProject": type("P", (), {"References": refs})})()
    addin = type("Addin", (), {"FullName": addin_path})

    def workbooks(name: str) -> Any:
        assert name == "harvest_xl.xlam"
        return addin

    book.app.api.Workbooks = workbooks
    return book


def test_reference_to_the_addin_is_added_once() -> None:
    """The workbook gets a VBA reference to the loaded add-in, and only if it has none."""
    book = _windows_book([r"C:\Windows\system32\stdole2.tlb"])
    ribbon.reference_addin(book)
    ribbon.reference_addin(book)
    assert book.api.VBProject.References.added == [r"C:\XLSTART\harvest_xl.xlam"]


def test_existing_reference_is_matched_case_insensitively() -> None:
    """A reference already present in another letter case is not added again."""
    book = _windows_book([r"c:\xlstart\HARVEST_XL.xlam"])
    ribbon.reference_addin(book)
    assert book.api.VBProject.References.added == []


def test_import_functions_imports_the_udf_module(monkeypatch: Any) -> None:
    """The fallback imports harvest_xl.udfs into the workbook's COM object."""
    import xlwings

    seen: list[tuple[str, Any]] = []
    monkeypatch.setattr(
        xlwings, "import_udfs", lambda mod, wb: seen.append((mod, wb)), raising=False
    )
    book = _windows_book([])
    ribbon.import_functions(book)
    assert seen == [("harvest_xl.udfs", book.api)]


def test_import_functions_raises_a_refusal() -> None:
    """A COM refusal (no trust access to the VBA project) is raised for the caller to word."""
    book = _windows_book([])

    class _Refused:
        @property
        def References(self) -> Any:  # noqa: N802 - COM name
            raise PermissionError("Programmatic access to Visual Basic Project is not trusted")

    book.api.VBProject = _Refused()
    with pytest.raises(PermissionError):
        ribbon.import_functions(book)


def _never() -> None:
    raise AssertionError("the fallback must not run")


def test_current_functions_in_the_addin_need_no_import() -> None:
    """When the add-in carries this version's module, the functions are live and nothing is
    imported into the workbook."""
    status = ribbon.functions_status("text", "text", _never, "0.1.0")
    assert status == FunctionsStatus(True, "HX_ functions: from the add-in.")


def test_missing_functions_fall_back_to_the_per_workbook_import() -> None:
    """An add-in without the module: the fallback imports them, and the note says why and
    how to fix the add-in."""
    imported: list[bool] = []
    status = ribbon.functions_status(None, "text", lambda: imported.append(True), "0.1.0")
    assert imported == [True]
    assert status.live
    assert status.note == (
        "HX_ functions imported into this workbook, because the loaded add-in has no HX_ "
        "functions. Run 'harvest-xl addin install' in a terminal, then restart Excel."
    )


def test_failed_fallback_is_not_live_and_says_what_to_fix() -> None:
    """Out-of-date functions and a refused import: not live, and the note names the reason,
    the error, and both fixes (reinstall the add-in, or allow the import)."""

    def refused() -> None:
        raise PermissionError("not trusted")

    status = ribbon.functions_status("old", "new", refused, "0.1.0")
    assert not status.live
    assert status.note.startswith(
        "HX_ formulas were not recalculated: the add-in's HX_ functions are not those of "
        "harvest-xl 0.1.0, and importing them into this workbook failed (PermissionError: "
        "not trusted). Run 'harvest-xl addin install'"
    )
    assert "Trust access to the VBA project object model" in status.note


@pytest.fixture(scope="module")
def built_addin(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from harvest_xl.excel.addin import build_addin

    return build_addin(tmp_path_factory.mktemp("addin"))


def test_addin_status_reads_the_loaded_addin_file(built_addin: Any) -> None:
    """Windows: the loaded add-in (found through COM) carries what xlwings generates for this
    harvest-xl, so Refresh uses it without importing anything."""
    book = _windows_book([], addin_path=str(built_addin))
    assert ribbon.addin_functions_status(book) == FunctionsStatus(True, ribbon.FROM_ADDIN)


def test_addin_status_of_the_plain_template_tries_the_fallback(monkeypatch: Any) -> None:
    """An add-in file without the functions (the xlwings template) makes Refresh try the
    per-workbook import; here it is refused, so the functions are not live."""
    from harvest_xl.excel.addin import template_path

    book = _windows_book([], addin_path=str(template_path()))
    def refused(book: Any) -> None:
        raise PermissionError("not trusted")

    monkeypatch.setattr(ribbon, "import_functions", refused)
    status = ribbon.addin_functions_status(book)
    assert not status.live and "the loaded add-in has no HX_ functions" in status.note


# --- Refresh ----------------------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 28, 10, 45, 3)
LIVE = FunctionsStatus(True, "from the add-in (test)")
NOT_LIVE = FunctionsStatus(False, "HX_ formulas were not recalculated (test)")


def _fake_from_openpyxl(workbook: Any) -> FakeBook:
    """A FakeBook holding what Excel would hold after opening ``workbook``: constants as
    values, formulas as formulas (their results unknown until Excel calculates)."""
    book = FakeBook(list(workbook.sheetnames))
    for ws in workbook.worksheets:
        sheet = book.sheets[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None:
                    continue
                if isinstance(value, str) and value.startswith("="):
                    sheet.formulas[(cell.row, cell.column)] = value
                elif type(value).__name__ == "ArrayFormula":
                    sheet.formulas[(cell.row, cell.column)] = value.text
                else:
                    sheet.cells[(cell.row, cell.column)] = value
    return book


def _input_cells(book: FakeBook) -> dict[tuple[str, int, int], Any]:
    """Every input cell: Profile values and the input columns of each input table."""
    from harvest_xl.excel import layout as L

    found: dict[tuple[str, int, int], Any] = {}
    profile = book.sheets[L.PROFILE]
    for (r, c), v in profile.cells.items():
        if c <= 2:
            found[(L.PROFILE, r, c)] = v
    for table, inputs in L.TABLE_INPUTS.items():
        sheet = book.sheets[table]
        header = {sheet.cells.get((L.HEADER_ROW, c)): c for c in range(1, 40)}
        columns = {header[name] for name in inputs}
        for (r, c), v in sheet.cells.items():
            if c in columns:
                found[(table, r, c)] = v
    return found


@pytest.fixture(scope="module")
def demo_sources() -> tuple[Any, Any]:
    """The demo household unrefreshed (openpyxl) and, for comparison, refreshed headless."""
    from harvest_xl.demo import demo_workbook
    from harvest_xl.excel.book import OpenpyxlBook
    from harvest_xl.excel.refresh import refresh_workbook

    headless = OpenpyxlBook(demo_workbook())
    refresh_workbook(headless, today=NOW.date())
    return demo_workbook(), headless


@pytest.fixture
def demo_pair(demo_sources: tuple[Any, Any]) -> tuple[FakeBook, Any]:
    """A fresh live book (fake xlwings) holding the demo household, and the headless result."""
    unrefreshed, headless = demo_sources
    return _fake_from_openpyxl(unrefreshed), headless


def _sheet_values(book: FakeBook, name: str) -> dict[tuple[int, int], Any]:
    return dict(book.sheets[name].cells)


def _openpyxl_values(headless: Any, name: str) -> dict[tuple[int, int], Any]:
    ws = headless.workbook[name]
    return {
        (c.row, c.column): c.value
        for row in ws.iter_rows()
        for c in row
        if c.value is not None and not (isinstance(c.value, str) and c.value.startswith("="))
    }


def test_a_book_without_summary_is_refused_untouched() -> None:
    """Refresh on a workbook with no Summary sheet writes nothing and says it is not a
    harvest-xl workbook and how to get one."""
    book = FakeBook(["Sheet1"])
    with pytest.raises(NotAHarvestWorkbook) as refused:
        ribbon.refresh_book(book, platform="win32", now=NOW, status_of=lambda b: LIVE)
    assert str(refused.value).startswith(
        "Book1.xlsx has no Summary sheet, so it is not a harvest-xl workbook: nothing was "
        "refreshed."
    )
    assert "harvest-xl template" in str(refused.value)
    assert book.calls == []


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_refresh_writes_the_outputs_the_headless_refresh_writes(
    platform: str, demo_pair: tuple[FakeBook, Any]
) -> None:
    """Plan, Wash sales and Summary hold what `harvest-xl refresh` writes, plus the stamp."""
    from harvest_xl.excel import layout as L

    live, headless = demo_pair
    outcome = ribbon.refresh_book(live, platform=platform, now=NOW, status_of=lambda b: LIVE)
    assert outcome.core_report.ok, [str(p) for p in outcome.core_report.problems]
    plan = _sheet_values(live, L.PLAN)
    assert plan == _openpyxl_values(headless, L.PLAN)
    assert len([k for k in plan if k[0] > L.OUTPUT_HEADER_ROW]) > 0, "the demo plans harvests"
    assert _sheet_values(live, L.WASH_SALES) == _openpyxl_values(headless, L.WASH_SALES)
    summary = _sheet_values(live, L.SUMMARY)
    stamp_row = next(r for (r, c), v in summary.items() if c == 1 and v == "Refreshed")
    note = LIVE.note if platform == "win32" else ribbon.MAC_NO_FUNCTIONS
    assert (summary.pop((stamp_row, 2)), summary.pop((stamp_row, 3))) == (NOW, note)
    assert summary == _openpyxl_values(headless, L.SUMMARY)


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_refresh_never_changes_an_input_cell(
    platform: str, demo_pair: tuple[FakeBook, Any]
) -> None:
    """Profile values and every input column of every input table are left exactly as typed."""
    live, _ = demo_pair
    before = _input_cells(live)
    assert len(before) > 50
    ribbon.refresh_book(live, platform=platform, now=NOW, status_of=lambda b: LIVE)
    assert _input_cells(live) == before


def test_windows_keeps_formulas_and_recalculates_fully_after_writing(
    demo_pair: tuple[FakeBook, Any],
) -> None:
    """Windows with live functions: every HX_ formula stays; one full recalculation comes
    after the last output write and before the stamp; the functions are checked first."""
    live, _ = demo_pair
    formulas_before = {s.name: dict(s.formulas) for s in live.sheets}
    order: list[str] = []

    def status_of(book: Any) -> FunctionsStatus:
        order.append(f"status, {len(book.calls)} calls before")
        return LIVE

    ribbon.refresh_book(live, platform="win32", now=NOW, status_of=status_of)
    assert {s.name: dict(s.formulas) for s in live.sheets} == formulas_before
    kinds = [c[0] for c in live.calls]
    assert kinds.count("CalculateFull") == 1 and "calculate" not in kinds
    full = kinds.index("CalculateFull")
    assert full > 0 and all(k != "write" for k in kinds[full + 1 : -1])
    assert live.calls[-1][:2] == ("write", "Summary")
    assert order == ["status, 0 calls before"]


def test_windows_without_functions_never_recalculates(demo_pair: tuple[FakeBook, Any]) -> None:
    """When the functions are not available, Refresh still writes the outputs and stamps the
    note, keeps every formula, and does not recalculate as if they were."""
    from harvest_xl.excel import layout as L

    live, headless = demo_pair
    formulas_before = {s.name: dict(s.formulas) for s in live.sheets}
    ribbon.refresh_book(live, platform="win32", now=NOW, status_of=lambda b: NOT_LIVE)
    kinds = [c[0] for c in live.calls]
    assert "CalculateFull" not in kinds and "calculate" not in kinds
    assert {s.name: dict(s.formulas) for s in live.sheets} == formulas_before
    assert _sheet_values(live, L.PLAN) == _openpyxl_values(headless, L.PLAN)
    summary = _sheet_values(live, L.SUMMARY)
    stamp_row = next(r for (r, c), v in summary.items() if c == 1 and v == "Refreshed")
    assert summary[(stamp_row, 3)] == NOT_LIVE.note


def _computed_holdings(headless: Any) -> dict[tuple[int, int], Any]:
    """Every Holdings computed cell the headless refresh filled: cached formula results and
    values it wrote into rows typed below the table (which have no formulas yet)."""
    from harvest_xl.excel import layout as L

    ws = headless.workbook[L.HOLDINGS]
    header = [c.value for c in ws[L.HEADER_ROW]]
    columns = [header.index(name) + 1 for name in L.HOLDINGS_COMPUTED if name in header]
    found = {}
    for r in range(L.FIRST_DATA_ROW, ws.max_row + 1):
        for c in columns:
            value = ws.cell(r, c).value
            if isinstance(value, str) and value.startswith("="):
                value = headless.results.get((L.HOLDINGS, r, c))
            found[(r, c)] = None if value == "" else value  # "" is an empty cell in Excel
    return found


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_holdings_computed_cells_match_the_headless_refresh(
    platform: str, demo_pair: tuple[FakeBook, Any]
) -> None:
    """Mac: every Holdings computed cell shows the headless value (formulas replaced).
    Windows: formula cells keep their formula for Excel to compute; the others get the value."""
    from harvest_xl.excel import layout as L

    live, headless = demo_pair
    holdings = live.sheets[L.HOLDINGS]
    expected = _computed_holdings(headless)
    formula_cells = {rc for rc in expected if rc in holdings.formulas}
    assert formula_cells, "the template's Holdings rows carry HX_ formulas"
    ribbon.refresh_book(live, platform=platform, now=NOW, status_of=lambda b: LIVE)
    assert sum(v is not None for v in expected.values()) > 40, "the demo fills Holdings"
    for rc, value in expected.items():
        if platform == "win32" and rc in holdings.formulas:
            continue
        assert holdings.cells.get(rc) == value, rc
    still_formulas = {rc for rc in expected if rc in holdings.formulas}
    assert still_formulas == (set() if platform == "darwin" else formula_cells)
    assert [c[0] for c in live.calls].count("calculate") == (platform == "darwin")


def test_plan_refreshes_and_shows_the_plan_sheet(demo_pair: tuple[FakeBook, Any]) -> None:
    """Plan refreshes the book, then activates its Plan sheet, and says so."""
    live, _ = demo_pair
    feedback = ribbon.plan_book(live, "darwin", NOW)
    assert live.calls[-1] == ("activate", "Plan")
    assert feedback.line.startswith("plan refreshed at 10:45:03; ")


def test_form8949_writes_csv_and_txf_beside_the_saved_workbook(
    demo_pair: tuple[FakeBook, Any], tmp_path: Any
) -> None:
    """Form 8949 refreshes the book, shows its Form 8949 sheet and writes BOOK.form8949.csv
    and BOOK.form8949.txf beside it: the demo's one sale (QQQ, code W, lost to the IRA)."""
    live, _ = demo_pair
    saved = tmp_path / "Taxes.xlsx"
    saved.write_bytes(b"the workbook as saved")
    live.fullname = str(saved)
    feedback = ribbon.form8949_book(live, "darwin", NOW)
    assert live.calls[-1] == ("activate", "Form 8949")
    assert feedback.line.startswith("Form 8949 at 10:45:03: 1 row(s) of tax year 2026 written")
    csv_text = (tmp_path / "Taxes.form8949.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0].startswith("Part,Box,Description,Date acquired,Date sold")
    assert ",W," in csv_text and "QQQ" in csv_text
    txf = (tmp_path / "Taxes.form8949.txf").read_text(encoding="ascii")
    assert txf.startswith("V042") and "QQQ" in txf
    assert saved.read_bytes() == b"the workbook as saved"  # the workbook is only read


def test_form8949_on_an_unsaved_workbook_says_save_first(tmp_path: Any) -> None:
    """An unsaved workbook has no folder to write beside: nothing is written, the user is
    told to save it."""
    book = FakeBook(["Summary"])
    book.fullname = "Book1"
    feedback = ribbon.form8949_book(book, "win32", NOW)
    assert feedback.attention and "save the workbook first" in feedback.line
    assert book.calls == []


# --- what the user is told --------------------------------------------------------------------


def _outcome(summary: dict[str, Any], problems: list[str], functions: FunctionsStatus) -> Any:
    report = SimpleNamespace(summary=summary, problems=problems)
    return ribbon.RibbonRefresh(NOW, functions, report)


def test_clean_refresh_is_one_status_line() -> None:
    """No problems and live functions: one line with the time, the lots and the saving."""
    outcome = _outcome({"Lots to harvest": 3, "Total tax saving": Decimal("1234.56")}, [], LIVE)
    feedback = ribbon.refresh_feedback(outcome)
    assert feedback.line == "refreshed at 10:45:03; 3 lots to harvest, tax saving $1,235."
    assert not feedback.attention


def test_one_lot_and_no_saving_read_naturally() -> None:
    """One lot is 'lot', and a missing saving is left out rather than shown as $0."""
    feedback = ribbon.refresh_feedback(_outcome({"Lots to harvest": 1}, [], LIVE))
    assert feedback.line == "refreshed at 10:45:03; 1 lot to harvest."


def test_problems_need_attention_and_list_the_first_five() -> None:
    """Seven problems: the line counts them, the message box lists five and says where the
    others are."""
    problems = [f"Holdings!C{i}: bad. Fix: type it" for i in range(2, 9)]
    feedback = ribbon.refresh_feedback(_outcome({"Lots to harvest": 0}, problems, LIVE))
    assert feedback.attention
    assert feedback.line == "refreshed at 10:45:03; 0 lots to harvest; 7 problems (see Summary)."
    details = feedback.details.split("\n")
    assert details[4:9] == problems[:5]
    assert details[-1] == "... and 2 more on the Summary sheet."


def test_functions_not_available_need_attention() -> None:
    """Windows without the functions: the message box carries the note with the fix."""
    feedback = ribbon.refresh_feedback(_outcome({}, [], NOT_LIVE))
    assert feedback.attention and NOT_LIVE.note in feedback.details


def test_mac_note_is_information_not_a_problem() -> None:
    """On a Mac values instead of live functions is expected, not a problem."""
    feedback = ribbon.refresh_feedback(
        _outcome({}, [], FunctionsStatus(False, ribbon.MAC_NO_FUNCTIONS))
    )
    assert not feedback.attention


def test_windows_tells_success_in_the_status_bar_only() -> None:
    """Windows: a clean outcome goes to the status bar and shows no message box."""
    book = FakeBook([])
    ribbon.tell(book, Feedback("refreshed at 10:45:03."), "win32")
    assert book.app.status_bar == "harvest-xl: refreshed at 10:45:03."
    assert book.app.alerts == []


def test_windows_shows_a_box_when_attention_is_needed() -> None:
    """Windows: a problem goes to the status bar and to a critical message box."""
    book = FakeBook([])
    ribbon.tell(book, Feedback("3 problems.", True, "details"), "win32")
    assert book.app.status_bar == "harvest-xl: 3 problems."
    assert book.app.alerts == [("details", "harvest-xl", "critical")]


def test_mac_always_shows_a_box() -> None:
    """Mac: xlwings clears the status bar when Python ends, so even success is a box."""
    book = FakeBook([])
    ribbon.tell(book, Feedback("refreshed."), "darwin")
    assert book.app.alerts == [("refreshed.", "harvest-xl", "info")]
    assert book.app.status_bar is False


def test_a_failing_button_becomes_a_message(monkeypatch: Any) -> None:
    """Any exception in a button's action is shown as one message naming the button and the
    error, never raised (no traceback box)."""
    import xlwings

    book = FakeBook([])
    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(lambda: book))
    monkeypatch.setattr("sys.platform", "win32")

    def broken(b: Any, platform: str, now: dt.datetime) -> Feedback:
        raise ValueError("no such table")

    ribbon.run_button(broken, "Refresh")
    assert book.app.status_bar == "harvest-xl: Refresh failed: ValueError."
    assert book.app.alerts == [("Refresh failed: no such table", "harvest-xl", "critical")]


def test_refresh_button_on_a_foreign_book_says_so(monkeypatch: Any) -> None:
    """harvest_xl.refresh() on a workbook without Summary: a message, nothing written."""
    import xlwings

    import harvest_xl

    book = FakeBook(["Sheet1"])
    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(lambda: book))
    monkeypatch.setattr("sys.platform", "darwin")
    harvest_xl.refresh()
    assert book.calls == []
    assert len(book.app.alerts) == 1 and "not a harvest-xl workbook" in book.app.alerts[0][0]


def test_main_refreshes_the_calling_book(
    demo_pair: tuple[FakeBook, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """harvest_xl.main() (what earlier add-ins ran) refreshes xw.Book.caller(), stamps it and
    tells the user."""
    import xlwings

    import harvest_xl
    from harvest_xl.excel import layout as L

    live, headless = demo_pair
    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(lambda: live))
    monkeypatch.setattr("sys.platform", "darwin")
    before = dt.datetime.now().replace(microsecond=0)
    harvest_xl.main()
    summary = live.sheets[L.SUMMARY].cells
    stamp_row = next(r for (r, c), v in summary.items() if c == 1 and v == "Refreshed")
    assert before <= summary[(stamp_row, 2)] <= dt.datetime.now()
    assert summary[(stamp_row, 3)] == ribbon.MAC_NO_FUNCTIONS
    assert _sheet_values(live, L.PLAN) == _openpyxl_values(headless, L.PLAN)
    assert [a[0].startswith("Refreshed at ") for a in live.app.alerts] == [True]


def test_about_names_this_python_and_versions() -> None:
    """About (Mac): this Python's path, harvest-xl and xlwings versions, always in a box."""
    import sys

    import xlwings

    import harvest_xl

    feedback = ribbon.about_python(FakeBook([]), "darwin")
    assert feedback.box and not feedback.attention
    assert feedback.details.split("\n") == [
        f"Python: {sys.executable}",
        f"harvest-xl {harvest_xl.__version__}, xlwings {xlwings.__version__}.",
    ]


def test_about_on_windows_compares_the_loaded_addin(built_addin: Any, tmp_path: Any) -> None:
    """About (Windows): the loaded add-in of this version with current functions 'match'; an
    add-in of another version is named with the fix."""
    book = _windows_book([], addin_path=str(built_addin))
    assert ribbon.about_python(book, "win32").details.endswith("and its HX_ functions match.")
    older = tmp_path / "harvest_xl.xlam"
    with zipfile.ZipFile(built_addin) as zin, zipfile.ZipFile(older, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"harvest-xl [0-9][^<]*<", b"harvest-xl 0.0.1<", data)
            zout.writestr(info, data)
    feedback = ribbon.about_python(_windows_book([], addin_path=str(older)), "win32")
    assert feedback.attention
    assert f"The add-in {older} is harvest-xl 0.0.1. Run 'harvest-xl addin install'" in (
        feedback.details
    )


def test_import_harvest_xl_stays_cheap() -> None:
    """`import harvest_xl` (the first thing every button runs) imports no xlwings, openpyxl,
    engine or Excel module: the entry points import theirs when called."""
    import subprocess
    import sys

    code = (
        "import sys, harvest_xl\n"
        "print([m for m in ('xlwings', 'openpyxl', 'numpy', 'harvest_xl.excel',"
        " 'harvest_xl.engine') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_addin_status_trusts_the_addin_when_it_cannot_compare(
    built_addin: Any, monkeypatch: Any
) -> None:
    """If this Python cannot generate the expected text, an add-in that has the functions is
    used (and the note says they were not compared); nothing is imported."""
    def cannot() -> str:
        raise RuntimeError("no metadata")

    monkeypatch.setattr(ribbon, "expected_udf_source", cannot)
    monkeypatch.setattr(ribbon, "import_functions", lambda book: _never())
    status = ribbon.addin_functions_status(_windows_book([], addin_path=str(built_addin)))
    assert status.live
    assert status.note == (
        "HX_ functions: from the add-in (not compared with this version: no metadata)."
    )
