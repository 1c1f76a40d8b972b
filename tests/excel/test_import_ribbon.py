"""The ribbon's Import button, Python side, against a double of the xlwings objects: it asks
for the files, saves and closes the workbook, imports into it in place, opens it again and
tells the user; every refusal leaves the workbook as it was."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import harvest_xl
from harvest_xl.excel import layout as L
from harvest_xl.excel import ribbon
from harvest_xl.excel.ribbon_ui import RIBBON_BUTTONS

from .import_helpers import DEMO_BROKERS, IMPORTER_FIXTURES, table, template

NOW = dt.datetime(2026, 11, 27, 18, 30, 5)


class FakeSheet:
    def __init__(self, book: FakeBook, name: str) -> None:
        self.book, self.name = book, name

    def activate(self) -> None:
        self.book.app.calls.append(("activate", self.name))


class FakeSheets(list):  # type: ignore[type-arg]
    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return super().__getitem__(key)


class FakeBook:
    def __init__(self, app: FakeApp, path: Path, sheets: list[str]) -> None:
        self.app, self.fullname, self.name = app, str(path), path.name
        self.sheets = FakeSheets(FakeSheet(self, n) for n in sheets)

    def save(self) -> None:
        self.app.calls.append(("save", self.name))

    def close(self) -> None:
        self.app.calls.append(("close", self.name))


class FakeApi:
    def __init__(self, app: FakeApp) -> None:
        self.app = app

    def GetOpenFilename(self, **kwargs: Any) -> Any:  # noqa: N802 - the COM name
        self.app.calls.append(("GetOpenFilename", kwargs["MultiSelect"]))
        return self.app.chosen

    def InputBox(self, **kwargs: Any) -> Any:  # noqa: N802 - the COM name
        self.app.calls.append(("InputBox", kwargs["Prompt"]))
        return self.app.typed


class FakeBooks:
    def __init__(self, app: FakeApp) -> None:
        self.app = app

    def open(self, path: str) -> FakeBook:
        self.app.calls.append(("open", Path(path).name))
        return FakeBook(self.app, Path(path), [L.SUMMARY, L.HOLDINGS])


class FakeApp:
    def __init__(self, chosen: Any = False, typed: Any = False) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.chosen, self.typed = chosen, typed
        self.api, self.books = FakeApi(self), FakeBooks(self)
        self.status_bar: Any = False
        self.alerts: list[tuple[str, str | None, str | None]] = []

    def alert(self, prompt: str, title: str | None = None, mode: str | None = None, **_: Any):
        self.alerts.append((prompt, title, mode))


def _book(path: Path, chosen: Any, typed: Any = False) -> FakeBook:
    return FakeBook(FakeApp(chosen, typed), path, [L.SUMMARY, L.ACCOUNTS, L.HOLDINGS])


def test_the_import_button_runs_harvest_xl_import_files() -> None:
    """The ribbon table has an Import button running harvest_xl.import_files()."""
    button = next(b for b in RIBBON_BUTTONS if b.label == "Import")
    assert (button.callback, button.python_entry) == ("HxImport", "import_files")
    assert callable(harvest_xl.import_files)


def test_importing_saves_closes_imports_in_place_and_reopens(tmp_path: Path) -> None:
    """The files chosen are imported into the workbook itself (a .bak keeps the previous
    one), which is saved and closed first and opened again after, on its Holdings sheet;
    the report is shown."""
    path = template(tmp_path)
    original = path.read_bytes()
    chosen = (str(DEMO_BROKERS / "Fidelity_Unrealized_Lots.csv"),)
    book = _book(path, chosen)
    feedback = ribbon.import_button(book, "win32", NOW)
    assert book.app.calls == [
        ("GetOpenFilename", True),
        ("save", "book.xlsx"),
        ("close", "book.xlsx"),
        ("open", "book.xlsx"),
        ("activate", L.HOLDINGS),
    ]
    assert len(table(path, L.HOLDINGS)) == 10
    assert (tmp_path / "book.xlsx.bak").read_bytes() == original
    assert feedback.line == "imported at 18:30:05: 15 row(s) added or updated from 1 file(s)."
    assert feedback.box and not feedback.attention
    assert "Fidelity_Unrealized_Lots.csv: Fidelity lot detail" in feedback.details


def test_cancelling_the_dialog_touches_nothing(tmp_path: Path) -> None:
    """No file chosen: the workbook is neither saved nor closed."""
    book = _book(template(tmp_path), False)
    feedback = ribbon.import_button(book, "win32", NOW)
    assert feedback.line == "Import cancelled: no file chosen."
    assert book.app.calls == [("GetOpenFilename", True)]


def test_a_workbook_never_saved_is_asked_to_be_saved(tmp_path: Path) -> None:
    """A new workbook has no file to import into: the user is asked to save it first."""
    book = _book(tmp_path / "Book1", ("x.csv",))
    feedback = ribbon.import_button(book, "win32", NOW)
    assert feedback.attention and feedback.details == ribbon.SAVE_FIRST
    assert book.app.calls == []


def test_a_workbook_not_made_by_harvest_xl_is_refused(tmp_path: Path) -> None:
    """No Summary sheet: not a harvest-xl workbook; nothing is asked or written."""
    book = FakeBook(FakeApp(("x.csv",)), template(tmp_path), ["Sheet1"])
    with pytest.raises(ribbon.NotAHarvestWorkbook):
        ribbon.import_button(book, "win32", NOW)
    assert book.app.calls == []


def test_a_bad_file_reopens_the_workbook_unchanged(tmp_path: Path) -> None:
    """A file of no known layout: nothing is written, the workbook is opened again as it
    was, and the message box says why."""
    path = template(tmp_path)
    before = path.read_bytes()
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n")
    book = _book(path, (str(odd),))
    feedback = ribbon.import_button(book, "win32", NOW)
    assert path.read_bytes() == before and not (tmp_path / "book.xlsx.bak").exists()
    assert ("open", "book.xlsx") in book.app.calls
    assert feedback.attention and feedback.line == "Import: nothing imported."
    assert "no known broker layout" in feedback.details


def test_files_naming_no_account_ask_for_it(tmp_path: Path) -> None:
    """A history that names no account: the user is asked which account it is, and its
    trades go there."""
    schwab = Path(shutil.copy(
        IMPORTER_FIXTURES / "schwab" / "cgt-calc__schwab_transactions_2023.csv",
        tmp_path / "Roth_Transactions.csv",
    ))
    path = template(tmp_path)
    book = _book(path, (str(schwab),), typed="Roth at Schwab")
    ribbon.import_button(book, "win32", NOW)
    prompt = next(call[1] for call in book.app.calls if call[0] == "InputBox")
    assert prompt.startswith("Roth_Transactions.csv do not say which account they are from.")
    assert {row[1] for row in table(path, L.ACTIVITY)} == {"Roth at Schwab"}


def test_on_a_mac_the_button_points_to_the_command(tmp_path: Path) -> None:
    """Excel for Mac has no dialog the button can open: it says how to import instead."""
    book = _book(template(tmp_path), ("x.csv",))
    feedback = ribbon.import_button(book, "darwin", NOW)
    assert feedback.attention and "harvest-xl import BOOK.xlsx FILE... --in-place" in (
        feedback.details
    )
    assert book.app.calls == []


def test_the_status_line_counts_problems(tmp_path: Path) -> None:
    """Problems found by the refresh make the feedback ask for attention and count them."""
    positions = tmp_path / "p.csv"
    positions.write_text(
        "Account Number,Account Name,Symbol,Description,Quantity,Last Price,Current Value,"
        "Cost Basis Total\nZ1,Individual - TOD,VTI,FUND,10,300.00,3000.00,2500.00\n"
    )
    book = _book(template(tmp_path), (str(positions),))
    feedback = ribbon.import_button(book, "win32", NOW)
    assert feedback.attention
    assert feedback.line == (
        "imported at 18:30:05: 2 row(s) added or updated from 1 file(s); 1 problem "
        "(see Summary)."
    )


def test_import_harvest_xl_stays_cheap() -> None:
    """The new entry point imports nothing of the importers or openpyxl until it runs."""
    code = (
        "import sys, harvest_xl; "
        "print(any(m.startswith(('openpyxl', 'harvest_xl.importers', 'harvest_xl.excel')) "
        "for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_entry_point_tells_the_user_through_excel(tmp_path: Path, monkeypatch) -> None:
    """harvest_xl.import_files() runs the button on the calling workbook and tells the user
    through the Excel application (the workbook itself may have been closed meanwhile)."""
    import xlwings

    book = _book(template(tmp_path), ("x.csv",))
    monkeypatch.setattr(xlwings.Book, "caller", staticmethod(lambda: book))
    monkeypatch.setattr(sys, "platform", "darwin")
    harvest_xl.import_files()
    assert book.app.alerts == [(ribbon.MAC_IMPORT, ribbon.TITLE, "critical")]
