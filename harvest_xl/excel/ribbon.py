"""The ribbon's *Refresh* button: ``harvest_xl.main()`` → :func:`refresh_active_workbook`.

The add-in's VBA runs ``import harvest_xl; harvest_xl.main()`` in a fresh Python process
(xlwings ``RunPython``), and ``xw.Book.caller()`` is the workbook that was active. Refresh then:

1. makes the HX_ functions available in that workbook (Windows only: it imports them as the
   VBA module ``xlwings_udfs``, with a VBA reference to the add-in, whose xlwings code they
   call). Excel for Mac has no Python worksheet functions, so there the computed results are
   written into the formula cells as values instead;
2. runs the same refresh core as ``harvest-xl refresh`` (read inputs → engine → write Plan,
   Wash sales, Summary), through :class:`~harvest_xl.excel.xlwings_book.XlwingsBook`;
3. recalculates the whole workbook (a *full* recalculation: the HX_ functions are not
   volatile, so a plain recalculation would skip those whose inputs did not change);
4. stamps the Summary sheet's *Refreshed* row with the time and what happened.

Everything except the one ``xw.Book.caller()`` call takes the workbook as an argument, so the
logic is tested on Linux with a small double of the xlwings objects.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harvest_xl.excel import layout
from harvest_xl.excel.addin import ADDIN_FILE_NAME
from harvest_xl.excel.xlwings_book import XlwingsBook

__all__ = ["RibbonRefresh", "import_functions", "refresh_active_workbook", "refresh_book"]

UDF_MODULE = "harvest_xl.udfs"

FUNCTIONS_IMPORTED = "HX_ functions imported."
MAC_NO_FUNCTIONS = (
    "Excel for Mac has no Python worksheet functions: results were written as values."
)


@dataclass(frozen=True)
class RibbonRefresh:
    """What one Refresh did: the time stamped, the functions note, and the core's report."""

    refreshed_at: dt.datetime
    functions_note: str
    core_report: Any


def refresh_active_workbook() -> None:
    """Refresh the workbook that was active when the ribbon button was pressed."""
    import xlwings as xw  # only here: importing harvest_xl must stay cheap

    refresh_book(xw.Book.caller(), platform=sys.platform, now=dt.datetime.now())


def refresh_book(
    book: Any,
    *,
    platform: str,
    now: dt.datetime,
    import_udfs: Callable[[Any], str] | None = None,
) -> RibbonRefresh:
    """Refresh ``book`` (an ``xlwings.Book``); see the module docstring for the steps.

    ``now`` is the local time to stamp (the adapter decides what "now" is, never the engine).
    ``import_udfs`` replaces :func:`import_functions` (tests).
    """
    from harvest_xl.excel.refresh import refresh_workbook

    if platform == "win32":
        note = (import_udfs or import_functions)(book)
        adapter = XlwingsBook(book, formulas_live=True)
    else:
        note = MAC_NO_FUNCTIONS
        adapter = XlwingsBook(book, formulas_live=False)
    report = refresh_workbook(adapter, today=now.date())
    recalculate(book, platform)
    stamp_refreshed(adapter, now, note)
    return RibbonRefresh(now, note, report)


def import_functions(book: Any) -> str:
    """Windows: import the HX_ functions into ``book``; return a one-line note of the outcome.

    Needs *Trust access to the VBA project object model*. The generated VBA calls xlwings'
    ``XLPy`` from the add-in's VBA project, so the workbook first gets a reference to the
    add-in. A failure is reported, not raised: the Plan, Wash sales and Summary outputs do not
    need the functions, and functions imported earlier keep working.
    """
    try:
        reference_addin(book)
        import xlwings

        # A real function on Windows only; elsewhere a stub that raises (pywin32 missing).
        import_udfs: Any = xlwings.import_udfs
        import_udfs(UDF_MODULE, book.api)
    except Exception as exc:  # noqa: BLE001 - any COM failure becomes the note the user reads
        return (
            f"HX_ functions not imported ({type(exc).__name__}: {exc}). Enable File > Options"
            " > Trust Center > Macro Settings > 'Trust access to the VBA project object model'"
            " and save the workbook as .xlsm."
        )
    return FUNCTIONS_IMPORTED


def reference_addin(book: Any) -> None:
    """Give ``book``'s VBA project a reference to the loaded ``harvest_xl.xlam`` (once)."""
    addin_path = str(book.app.api.Workbooks(ADDIN_FILE_NAME).FullName)
    references = book.api.VBProject.References
    for i in range(1, int(references.Count) + 1):
        if str(references.Item(i).FullPath).lower() == addin_path.lower():
            return
    references.AddFromFile(addin_path)


def recalculate(book: Any, platform: str) -> None:
    """Full recalculation on Windows (non-volatile UDFs included); Excel's own elsewhere."""
    if platform == "win32":
        book.app.api.CalculateFull()
    else:
        book.app.calculate()


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
