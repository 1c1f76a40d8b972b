"""The Python side of the *Harvest* tab's buttons (the table is :mod:`.ribbon_ui`).

Each Python button runs ``import harvest_xl; harvest_xl.<entry>()`` in a fresh Python process
(xlwings ``RunPython``), where ``xw.Book.caller()`` is the workbook that was active:

* ``refresh()`` (and ``main()``, what earlier add-ins ran): :func:`refresh_book`;
* ``plan()``: the same refresh, then the Plan sheet is shown;
* ``about()``: which Python, harvest-xl and xlwings this is, and whether the loaded add-in
  and its HX_ functions are this version's;
* ``import_files()``: :func:`import_button` (below).

Refresh:

1. refuses a workbook without a Summary sheet (not a harvest-xl workbook), writing nothing;
2. on Windows, checks that the HX_ functions the add-in carries are this version's
   (:func:`functions_status`). If not, the fallback imports them into the workbook, which
   needs *Trust access to the VBA project object model* and an ``.xlsm``; when that fails too,
   the formulas are left alone and **not** recalculated, and the message says how to fix it.
   Excel for Mac has no Python worksheet functions: the results are written as values;
3. runs the refresh core (as ``harvest-xl refresh`` does) through :class:`XlwingsBook`;
4. recalculates fully (Windows, when the functions are there: they are not volatile, so a
   plain recalculation would skip those whose inputs did not change);
5. stamps the Summary's *Refreshed* row and tells the user: on Windows in the status bar, with
   a message box when something needs attention; on a Mac always in a message box (xlwings
   resets the status bar when Python ends there).

Everything except :func:`run_button`'s ``xw.Book.caller()`` takes the workbook as an argument,
so it is tested on Linux with a small double of the xlwings objects.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from harvest_xl.excel import layout
from harvest_xl.excel.addin import ADDIN_FILE_NAME, addin_udf_source, addin_version
from harvest_xl.excel.ribbon_ui import STATUS_PREFIX
from harvest_xl.excel.xlwings_book import XlwingsBook

__all__ = [
    "Feedback",
    "import_button",
    "import_feedback",
    "import_into_active_workbook",
    "FunctionsStatus",
    "NotAHarvestWorkbook",
    "RibbonRefresh",
    "about_python",
    "functions_status",
    "refresh_active_workbook",
    "show_about",
    "show_plan",
    "import_functions",
    "plan_book",
    "refresh_book",
    "run_button",
    "tell",
]

UDF_MODULE = "harvest_xl.udfs"
TITLE = "harvest-xl"
PROBLEMS_SHOWN = 5

FROM_ADDIN = "HX_ functions: from the add-in."
MAC_NO_FUNCTIONS = (
    "Excel for Mac has no Python worksheet functions: results were written as values."
)
ADDIN_FIX = "Run 'harvest-xl addin install' in a terminal, then restart Excel."
IMPORT_FIX = (
    "Or allow the import: File > Options > Trust Center > Trust Center Settings > Macro "
    "Settings > 'Trust access to the VBA project object model', and save the workbook as .xlsm."
)


class NotAHarvestWorkbook(Exception):
    """The active workbook is not one harvest-xl made; nothing was written to it."""


@dataclass(frozen=True, slots=True)
class FunctionsStatus:
    """Whether the workbook's HX_ formulas can compute now (``live``), and the one-line note
    stamped into the Summary and shown to the user."""

    live: bool
    note: str


@dataclass(frozen=True)
class RibbonRefresh:
    """What one Refresh did: the time stamped, the functions' status, the core's report."""

    refreshed_at: dt.datetime
    functions: FunctionsStatus
    core_report: Any


@dataclass(frozen=True, slots=True)
class Feedback:
    """What a button tells the user: one line for the status bar; ``details`` for a message
    box, shown when ``attention`` is set, when ``box`` asks for it, and always on a Mac."""

    line: str
    attention: bool = False
    details: str = ""
    box: bool = False


# --- the buttons ------------------------------------------------------------------------------


def run_button(action: Callable[[Any, str, dt.datetime], Feedback], what: str) -> None:
    """Run one button's ``action`` on the calling workbook and tell the user the outcome.

    Any failure becomes a message naming ``what`` failed and why, never a traceback box.
    """
    import xlwings as xw  # only here: importing harvest_xl must stay cheap

    book = xw.Book.caller()
    try:
        feedback = action(book, sys.platform, dt.datetime.now())
    except NotAHarvestWorkbook as exc:
        feedback = Feedback(f"{what}: not a harvest-xl workbook.", True, str(exc))
    except Exception as exc:  # noqa: BLE001 - every failure must reach the user as a message
        import traceback

        traceback.print_exc()  # for a terminal or log; the user gets the message below
        feedback = Feedback(
            f"{what} failed: {type(exc).__name__}.", True, f"{what} failed: {exc}"
        )
    tell(book, feedback, sys.platform)


def refresh_active_workbook() -> None:
    """``harvest_xl.refresh()``: refresh the workbook that was active."""
    run_button(refresh_button, "Refresh")


def show_plan() -> None:
    """``harvest_xl.plan()``: refresh the active workbook and show its Plan sheet."""
    run_button(plan_book, "Plan")


def show_about() -> None:
    """``harvest_xl.about()``: say which Python and versions run the add-in's buttons."""
    run_button(about_button, "About")


def refresh_button(book: Any, platform: str, now: dt.datetime) -> Feedback:
    return refresh_feedback(refresh_book(book, platform=platform, now=now))


def about_button(book: Any, platform: str, now: dt.datetime) -> Feedback:
    return about_python(book, platform)


def tell(book: Any, feedback: Feedback, platform: str) -> None:
    """Status bar line on Windows (plus a message box when it needs attention); a message box
    on a Mac, where xlwings clears the status bar when Python ends."""
    app = book.app
    if platform == "win32":
        app.status_bar = STATUS_PREFIX + feedback.line
        if not (feedback.attention or feedback.box):
            return
    app.alert(
        feedback.details or feedback.line,
        title=TITLE,
        mode="critical" if feedback.attention else "info",
    )


# --- Refresh ----------------------------------------------------------------------------------


def refresh_book(
    book: Any,
    *,
    platform: str,
    now: dt.datetime,
    status_of: Callable[[Any], FunctionsStatus] | None = None,
) -> RibbonRefresh:
    """Refresh ``book`` (an ``xlwings.Book``); see the module docstring for the steps.

    ``now`` is the local time to stamp (the adapter decides what "now" is, never the engine).
    ``status_of`` replaces :func:`addin_functions_status` (tests).
    """
    from harvest_xl.excel.refresh import refresh_workbook

    sheets = [sheet.name for sheet in book.sheets]
    if layout.SUMMARY not in sheets:
        name = getattr(book, "name", "The active workbook")
        raise NotAHarvestWorkbook(
            f"{name} has no {layout.SUMMARY} sheet, so it is not a harvest-xl workbook: "
            "nothing was refreshed. Open a workbook made by 'harvest-xl template BOOK.xlsx' "
            "(or 'harvest-xl demo BOOK.xlsx') and press Refresh there."
        )
    if platform == "win32":
        status = (status_of or addin_functions_status)(book)
        adapter = XlwingsBook(book, formulas_live=True)  # never replace the user's formulas
    else:
        status = FunctionsStatus(False, MAC_NO_FUNCTIONS)
        adapter = XlwingsBook(book, formulas_live=False)
    report = refresh_workbook(adapter, today=now.date())
    if platform == "win32":
        if status.live:
            book.app.api.CalculateFull()
    else:
        book.app.calculate()
    stamp_refreshed(adapter, now, status.note)
    return RibbonRefresh(now, status, report)


def refresh_feedback(outcome: RibbonRefresh, what: str = "refreshed") -> Feedback:
    """The status line (time, what to harvest, what it saves, problems) and, when something
    needs the user, the details: the functions' note and the first problems."""
    summary = outcome.core_report.summary
    problems = [str(p) for p in outcome.core_report.problems]
    line = f"{what} at {outcome.refreshed_at:%H:%M:%S}"
    lots = summary.get("Lots to harvest")
    if lots is not None:
        line += f"; {lots} lot{'s' if lots != 1 else ''} to harvest"
        saving = summary.get("Total tax saving")
        if isinstance(saving, Decimal | int | float):
            line += f", tax saving ${Decimal(saving):,.0f}"
    if problems:
        line += f"; {len(problems)} problem{'s' if len(problems) != 1 else ''} (see Summary)"
    functions = outcome.functions
    attention = bool(problems) or (not functions.live and functions.note != MAC_NO_FUNCTIONS)
    details = [f"{line[:1].upper()}{line[1:]}.", "", functions.note]
    if problems:
        details += ["", *problems[:PROBLEMS_SHOWN]]
        if len(problems) > PROBLEMS_SHOWN:
            details.append(f"... and {len(problems) - PROBLEMS_SHOWN} more on the Summary sheet.")
    return Feedback(line + ".", attention, "\n".join(details))


def plan_book(book: Any, platform: str, now: dt.datetime) -> Feedback:
    """Refresh ``book`` and bring its Plan sheet to the front."""
    feedback = refresh_feedback(refresh_book(book, platform=platform, now=now), "plan refreshed")
    if layout.PLAN in [sheet.name for sheet in book.sheets]:
        book.sheets[layout.PLAN].activate()
    return feedback


# --- the HX_ functions ------------------------------------------------------------------------


def functions_status(
    carried: str | None, expected: str, import_into_book: Callable[[], None], version: str
) -> FunctionsStatus:
    """Decide where the HX_ functions come from (Windows).

    ``carried`` is the add-in's ``xlwings_udfs`` source (None: it has none), ``expected`` what
    xlwings generates for this harvest-xl. Equal: the add-in's functions are current. Otherwise
    ``import_into_book`` (the per-workbook fallback) runs; if it raises, the functions are not
    live and the note says what to fix.
    """
    if carried is not None and carried == expected:
        return FunctionsStatus(True, FROM_ADDIN)
    reason = (
        "the loaded add-in has no HX_ functions"
        if carried is None
        else f"the add-in's HX_ functions are not those of harvest-xl {version}"
    )
    try:
        import_into_book()
    except Exception as exc:  # noqa: BLE001 - any COM refusal becomes the note the user reads
        return FunctionsStatus(
            False,
            f"HX_ formulas were not recalculated: {reason}, and importing them into this "
            f"workbook failed ({type(exc).__name__}: {exc}). {ADDIN_FIX} {IMPORT_FIX}",
        )
    return FunctionsStatus(
        True, f"HX_ functions imported into this workbook, because {reason}. {ADDIN_FIX}"
    )


def addin_functions_status(book: Any) -> FunctionsStatus:
    """Windows: :func:`functions_status` for the loaded add-in and this harvest-xl."""
    from harvest_xl import __version__

    try:
        carried = addin_udf_source(loaded_addin_path(book).read_bytes())
    except Exception:  # noqa: BLE001 - unreadable or not loaded: treated as "no functions"
        carried = None
    try:
        expected = expected_udf_source()
    except Exception as exc:  # noqa: BLE001 - cannot compare: trust an add-in that has them
        if carried is not None:
            note = f"HX_ functions: from the add-in (not compared with this version: {exc})."
            return FunctionsStatus(True, note)
        expected = ""
    return functions_status(carried, expected, lambda: import_functions(book), __version__)


def loaded_addin_path(book: Any) -> Path:
    """Where the loaded ``harvest_xl.xlam`` is (Windows, through COM)."""
    return Path(str(book.app.api.Workbooks(ADDIN_FILE_NAME).FullName))


def expected_udf_source() -> str:
    """What xlwings generates for this harvest-xl's functions (Windows, where ``harvest_xl.udfs``
    is imported with xlwings' classic decorators)."""
    import importlib

    from harvest_xl.excel.udf_vba import udf_module_in_process

    return udf_module_in_process(importlib.import_module(UDF_MODULE)).vba_source()


def import_functions(book: Any) -> None:
    """The fallback: import the HX_ functions into ``book`` as xlwings' "Import Functions"
    does, with a VBA reference to the add-in (whose xlwings code they call). Raises on
    failure (no trust access to the VBA project, an ``.xlsx``...)."""
    reference_addin(book)
    import xlwings

    # A real function on Windows only; elsewhere a stub that raises (pywin32 missing).
    import_udfs: Any = xlwings.import_udfs
    import_udfs(UDF_MODULE, book.api)


def reference_addin(book: Any) -> None:
    """Give ``book``'s VBA project a reference to the loaded ``harvest_xl.xlam`` (once)."""
    addin_path = str(book.app.api.Workbooks(ADDIN_FILE_NAME).FullName)
    references = book.api.VBProject.References
    for i in range(1, int(references.Count) + 1):
        if str(references.Item(i).FullPath).lower() == addin_path.lower():
            return
    references.AddFromFile(addin_path)


# --- About ------------------------------------------------------------------------------------


def about_python(book: Any, platform: str) -> Feedback:
    """Which Python runs the buttons and with which harvest-xl and xlwings; on Windows also
    whether the loaded add-in, and the HX_ functions in it, are this version's."""
    import xlwings

    from harvest_xl import __version__

    lines = [
        f"Python: {sys.executable}",
        f"harvest-xl {__version__}, xlwings {xlwings.__version__}.",
    ]
    attention = False
    if platform == "win32":
        try:
            path = loaded_addin_path(book)
            data = path.read_bytes()
            built_for, carried = addin_version(data), addin_udf_source(data)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            lines.append(f"The loaded add-in could not be read ({exc}).")
            attention = True
        else:
            if built_for != __version__:
                lines.append(f"The add-in {path} is harvest-xl {built_for}. {ADDIN_FIX}")
                attention = True
            elif carried != expected_udf_source():
                lines.append(f"The add-in's HX_ functions are not this version's. {ADDIN_FIX}")
                attention = True
            else:
                lines.append(f"The add-in {path} and its HX_ functions match.")
    return Feedback(
        f"Python {sys.executable} runs harvest-xl {__version__}.",
        attention,
        "\n".join(lines),
        box=True,
    )


# --- the Summary stamp ------------------------------------------------------------------------

REFRESHED_LABEL = "Refreshed"


def stamp_refreshed(adapter: XlwingsBook, now: dt.datetime, note: str) -> bool:
    """Write the time into the Summary's *Refreshed* value cell (column B of the row labelled
    ``Refreshed`` in column A) and ``note`` next to it. False when the book has no such row."""
    if layout.SUMMARY not in adapter.sheet_names():
        return False
    for i, line in enumerate(adapter.read_block(layout.SUMMARY).values):
        if line and isinstance(line[0], str) and line[0].strip() == REFRESHED_LABEL:
            adapter.write_values(layout.SUMMARY, 1 + i, 2, [[now.replace(microsecond=0), note]])
            return True
    return False


# --- Import -----------------------------------------------------------------------------------

BROKER_FILE_FILTER = "Broker downloads (*.csv;*.json),*.csv;*.json"
IMPORT_TITLE = "harvest-xl: choose the broker files to import"
MAC_IMPORT = (
    "Excel for Mac cannot show harvest-xl's file dialog. Import from a terminal:\n"
    "harvest-xl import BOOK.xlsx FILE... --in-place\n(close the workbook in Excel first)."
)
SAVE_FIRST = (
    "Import works on a workbook saved as a file on this computer: save it (File > Save As > "
    "Browse, as an Excel Workbook), then press Import again."
)
REPORT_LINES_SHOWN = 30


@dataclass(frozen=True, slots=True)
class _Excel:
    """What :func:`tell` needs (``.app``) once the workbook that called has been closed."""

    app: Any


def import_into_active_workbook() -> None:
    """``harvest_xl.import_files()``: import broker files into the workbook that was active
    and tell the user (the status bar, and a message box with the report)."""
    import xlwings as xw  # only here: importing harvest_xl must stay cheap

    book = xw.Book.caller()
    app = book.app
    try:
        feedback = import_button(book, sys.platform, dt.datetime.now())
    except NotAHarvestWorkbook as exc:
        feedback = Feedback("Import: not a harvest-xl workbook.", True, str(exc))
    except Exception as exc:  # noqa: BLE001 - every failure must reach the user as a message
        import traceback

        traceback.print_exc()
        feedback = Feedback(
            f"Import failed: {type(exc).__name__}.", True, f"Import failed: {exc}"
        )
    tell(_Excel(app), feedback, sys.platform)


def import_button(
    book: Any,
    platform: str,
    now: dt.datetime,
    *,
    choose: Callable[[Any], list[str]] | None = None,
    name_account: Callable[[Any, list[str]], str | None] | None = None,
) -> Feedback:
    """Ask for broker files and import them into ``book`` (an ``xlwings.Book``).

    The import is ``harvest-xl import BOOK FILE... --in-place`` (:func:`import_files`): the
    workbook is saved, closed (Excel keeps an open file locked), imported into atomically
    (the previous version kept as ``BOOK.xlsx.bak``), refreshed, and opened again; when
    the import stops on a bad file, the workbook is opened again unchanged. Files that name
    no account are given the one the user types. ``choose`` and ``name_account`` replace the
    Excel dialogs (tests); without them this works on Windows only.
    """
    from harvest_xl.excel.import_workbook import files_naming_no_account, import_files

    sheets = [sheet.name for sheet in book.sheets]
    if layout.SUMMARY not in sheets:
        raise NotAHarvestWorkbook(
            f"{getattr(book, 'name', 'The active workbook')} has no {layout.SUMMARY} sheet, so "
            "it is not a harvest-xl workbook: nothing was imported."
        )
    if choose is None and platform != "win32":
        return Feedback("Import: use the command line on a Mac.", True, MAC_IMPORT)
    path = Path(str(book.fullname))
    if not path.is_file():
        return Feedback("Import: save the workbook first.", True, SAVE_FIRST)
    files = (choose or choose_files)(book.app)
    if not files:
        return Feedback("Import cancelled: no file chosen.")
    unnamed = files_naming_no_account(files)
    account = (name_account or ask_account)(book.app, unnamed) if unnamed else None
    app = book.app
    book.save()
    book.close()
    try:
        report = import_files(path, files, in_place=True, account=account, now=now)
    finally:
        reopened = app.books.open(str(path))
    if report.written and layout.HOLDINGS in sheets:
        reopened.sheets[layout.HOLDINGS].activate()
    return import_feedback(report, now)


def import_feedback(report: Any, now: dt.datetime) -> Feedback:
    """The status line and the report shown in a message box (the types inferred are for
    the user to check, so the box is always shown)."""
    lines = report.lines()
    if len(lines) > REPORT_LINES_SHOWN:
        lines = lines[:REPORT_LINES_SHOWN] + ["... (the Summary sheet lists every problem)"]
    if report.error is not None:
        return Feedback("Import: nothing imported.", True, "\n".join(lines), box=True)
    line = (
        f"imported at {now:%H:%M:%S}: {report.changes} row(s) added or updated from "
        f"{len(report.files)} file(s)"
    )
    attention = bool(report.bad_rows or report.problems)
    if report.problems:
        count = len(report.problems)
        line += f"; {count} problem{'s' if count != 1 else ''} (see Summary)"
    return Feedback(line + ".", attention, "\n".join(lines), box=True)


def choose_files(app: Any) -> list[str]:
    """Excel's Open dialog (Windows), several files at once; [] when cancelled."""
    chosen = app.api.GetOpenFilename(
        FileFilter=BROKER_FILE_FILTER, Title=IMPORT_TITLE, MultiSelect=True
    )
    if chosen is None or chosen is False:
        return []
    if isinstance(chosen, str):
        return [chosen]
    return [str(path) for path in chosen]


def ask_account(app: Any, files: list[str]) -> str | None:
    """Excel's input box (Windows): the account of files that name none; None when
    cancelled (their rows are then skipped and counted in the report)."""
    names = ", ".join(Path(f).name for f in files)
    answer = app.api.InputBox(
        Prompt=f"{names} do not say which account they are from. Type the account's name "
        "(as on the Accounts sheet, or a new one):",
        Title=TITLE,
        Type=2,
    )
    return answer.strip() if isinstance(answer, str) and answer.strip() else None


# --- Form 8949 ---------------------------------------------------------------------------------

FORM_8949_SAVE_FIRST = (
    "Form 8949 writes its files beside the workbook: save it as a file on this computer "
    "first, then press Form 8949 again."
)
FORM_8949_SUFFIXES = (".form8949.csv", ".form8949.txf")
"""``BOOK.form8949.csv`` (the CLI's default output) and the TXF beside it."""


def export_form8949() -> None:
    """``harvest_xl.form8949()``: refresh the active workbook, show its Form 8949 sheet and
    write the rows beside the workbook as CSV and TXF."""
    run_button(form8949_book, "Form 8949")


def form8949_book(book: Any, platform: str, now: dt.datetime) -> Feedback:
    """Refresh ``book`` (so the Form 8949 sheet is current), bring that sheet to the front and
    write ``BOOK.form8949.csv`` and ``BOOK.form8949.txf`` beside the workbook (harvest-xl's
    own files, replaced each time, as ``harvest-xl form8949 BOOK`` does)."""
    from harvest_xl.excel.atomic_write import atomic_write_bytes
    from harvest_xl.excel.realized_cli import export_bytes

    path = Path(str(book.fullname))
    if not path.is_file():
        return Feedback("Form 8949: save the workbook first.", True, FORM_8949_SAVE_FIRST)
    outcome = refresh_book(book, platform=platform, now=now)
    realized = outcome.core_report.realized
    if realized is None:
        feedback = refresh_feedback(outcome, "refreshed")
        return Feedback(
            "Form 8949: nothing written (the Profile has a problem).", True, feedback.details
        )
    if layout.FORM_8949 in [sheet.name for sheet in book.sheets]:
        book.sheets[layout.FORM_8949].activate()
    rows = realized.form8949.rows
    written: list[str] = []
    fixes: list[str] = []
    for suffix in FORM_8949_SUFFIXES:
        target = path.with_name(path.stem + suffix)
        data, to_fix = export_bytes(rows, target, now.date())
        atomic_write_bytes(target, data, backup=False, overwrite=True)
        written.append(target.name)
        fixes += to_fix
    line = (
        f"Form 8949 at {now:%H:%M:%S}: {len(rows)} row(s) of tax year "
        f"{realized.form8949.year} written to {' and '.join(written)}"
    )
    details = [f"{line}, in {path.parent}."]
    if fixes:
        details += ["", "After importing the TXF file, fix by hand:", *fixes]
    problems = [str(p) for p in outcome.core_report.problems]
    if problems:
        details += ["", *problems[:PROBLEMS_SHOWN]]
    return Feedback(line + ".", bool(problems or fixes), "\n".join(details), box=True)
