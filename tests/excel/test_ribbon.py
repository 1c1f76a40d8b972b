"""The Refresh button's logic on Linux: XlwingsBook and refresh_book against a double of the
xlwings objects (Book, Sheet, Range, App) that records what Excel would be told."""

from __future__ import annotations

import datetime as dt
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

    def calculate(self) -> None:
        self.book.calls.append(("calculate",))


class FakeBook:
    def __init__(self, names: list[str]):
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


# --- the Refresh steps around the core ---------------------------------------------------

from harvest_xl.excel import ribbon  # noqa: E402


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


def _windows_book(references: list[str]) -> FakeBook:
    book = FakeBook([])
    refs = FakeReferences(references)
    book.api = type("WbApi", (), {"VBProject": type("P", (), {"References": refs})})()
    addin = type("Addin", (), {"FullName": r"C:\Users\u\XLSTART\harvest_xl.xlam"})

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
    refs = book.api.VBProject.References
    assert refs.added == [r"C:\Users\u\XLSTART\harvest_xl.xlam"]


def test_existing_reference_is_matched_case_insensitively() -> None:
    """A reference already present in another letter case is not added again."""
    book = _windows_book([r"c:\users\U\xlstart\HARVEST_XL.xlam"])
    ribbon.reference_addin(book)
    assert book.api.VBProject.References.added == []


def test_import_functions_imports_the_udf_module(monkeypatch: Any) -> None:
    """On success the udfs module is imported into the workbook's COM object, and said so."""
    import xlwings

    seen: list[tuple[str, Any]] = []
    monkeypatch.setattr(
        xlwings, "import_udfs", lambda mod, wb: seen.append((mod, wb)), raising=False
    )
    book = _windows_book([])
    assert ribbon.import_functions(book) == "HX_ functions imported."
    assert seen == [("harvest_xl.udfs", book.api)]


def test_import_functions_reports_a_refusal_instead_of_raising(monkeypatch: Any) -> None:
    """A COM refusal (no trust access to the VBA project) becomes the note, with the fix."""
    book = _windows_book([])

    class _Refused:
        @property
        def References(self) -> Any:  # noqa: N802 - COM name
            raise PermissionError("Programmatic access to Visual Basic Project is not trusted")

    book.api.VBProject = _Refused()
    note = ribbon.import_functions(book)
    assert note.startswith("HX_ functions not imported (PermissionError: Programmatic access")
    assert "Trust access to the VBA project object model" in note


@pytest.mark.parametrize(
    ("platform", "expected"), [("win32", ("CalculateFull",)), ("darwin", ("calculate",))]
)
def test_recalculate_is_full_on_windows(platform: str, expected: tuple[str]) -> None:
    """Windows recalculates everything (non-volatile UDFs too); the Mac uses Excel's calculate."""
    book = FakeBook([])
    ribbon.recalculate(book, platform)
    assert book.calls == [expected]


def test_stamp_goes_into_the_summary_refreshed_row() -> None:
    """The time (to the second) and the note land in Summary B/C of the 'Refreshed' row."""
    book = FakeBook(["Summary"])
    sheet = book.sheets["Summary"]
    sheet.cells.update({(1, 1): "Summary", (4, 1): "As-of date", (26, 1): "Refreshed"})
    adapter = XlwingsBook(book, formulas_live=True)
    assert ribbon.stamp_refreshed(adapter, dt.datetime(2026, 3, 2, 9, 15, 7, 123456), "note")
    assert sheet.cells == {
        (1, 1): "Summary",
        (4, 1): "As-of date",
        (26, 1): "Refreshed",
        (26, 2): dt.datetime(2026, 3, 2, 9, 15, 7),
        (26, 3): "note",
    }


def test_no_stamp_without_a_refreshed_row() -> None:
    """A book without Summary, or without its Refreshed label, is not written to."""
    book = FakeBook(["Summary", "Other"])
    book.sheets["Summary"].cells[(4, 1)] = "As-of date"
    adapter = XlwingsBook(book, formulas_live=True)
    assert not ribbon.stamp_refreshed(adapter, dt.datetime(2026, 1, 1), "x")
    assert not ribbon.stamp_refreshed(XlwingsBook(FakeBook(["Other"]), formulas_live=True),
                                      dt.datetime(2026, 1, 1), "x")
    assert book.calls == []


# --- the whole Refresh against the demo household -----------------------------------------

NOW = dt.datetime(2026, 11, 28, 10, 45, 3)


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


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_refresh_writes_the_outputs_the_headless_refresh_writes(
    platform: str, demo_pair: tuple[FakeBook, Any]
) -> None:
    """Plan, Wash sales and Summary hold what `harvest-xl refresh` writes, plus the stamp."""
    from harvest_xl.excel import layout as L

    live, headless = demo_pair
    outcome = ribbon.refresh_book(
        live, platform=platform, now=NOW, import_udfs=lambda book: "imported (test)"
    )
    assert outcome.core_report.ok, [str(p) for p in outcome.core_report.problems]
    plan = _sheet_values(live, L.PLAN)
    assert plan == _openpyxl_values(headless, L.PLAN)
    assert len([k for k in plan if k[0] > L.OUTPUT_HEADER_ROW]) > 0, "the demo plans harvests"
    assert _sheet_values(live, L.WASH_SALES) == _openpyxl_values(headless, L.WASH_SALES)
    summary = _sheet_values(live, L.SUMMARY)
    stamp_row = next(r for (r, c), v in summary.items() if c == 1 and v == "Refreshed")
    note = "imported (test)" if platform == "win32" else ribbon.MAC_NO_FUNCTIONS
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
    ribbon.refresh_book(live, platform=platform, now=NOW, import_udfs=lambda book: "ok")
    assert _input_cells(live) == before


def test_windows_keeps_formulas_and_recalculates_fully_after_writing(
    demo_pair: tuple[FakeBook, Any],
) -> None:
    """Windows: every HX_ formula stays; one full recalculation comes after the last output
    write and before the stamp; the functions are imported first."""
    live, _ = demo_pair
    formulas_before = {s.name: dict(s.formulas) for s in live.sheets}
    order: list[str] = []
    ribbon.refresh_book(
        live, platform="win32", now=NOW, import_udfs=lambda book: order.append("import") or "ok"
    )
    assert {s.name: dict(s.formulas) for s in live.sheets} == formulas_before
    kinds = [c[0] for c in live.calls]
    assert kinds.count("CalculateFull") == 1 and "calculate" not in kinds
    full = kinds.index("CalculateFull")
    assert full > 0 and all(k != "write" for k in kinds[full + 1 : -1])
    assert live.calls[-1][:2] == ("write", "Summary")
    assert order == ["import"]


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
    ribbon.refresh_book(live, platform=platform, now=NOW, import_udfs=lambda book: "ok")
    assert sum(v is not None for v in expected.values()) > 40, "the demo fills Holdings"
    for rc, value in expected.items():
        if platform == "win32" and rc in holdings.formulas:
            continue
        assert holdings.cells.get(rc) == value, rc
    still_formulas = {rc for rc in expected if rc in holdings.formulas}
    assert still_formulas == (set() if platform == "darwin" else formula_cells)
    assert [c[0] for c in live.calls].count("calculate") == (platform == "darwin")


def test_main_refreshes_the_calling_book(
    demo_pair: tuple[FakeBook, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """harvest_xl.main() (what the ribbon runs) refreshes xw.Book.caller() and stamps it."""
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
