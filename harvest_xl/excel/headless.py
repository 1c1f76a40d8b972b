"""Headless refresh: ``harvest-xl refresh BOOK.xlsx`` without Excel.

The workbook is read with :func:`~harvest_xl.excel.safe_read.load_workbook_safely`, rows typed
just below an input table are taken into it (:func:`absorb_rows_below_tables`), the refresh
core runs over an :class:`~harvest_xl.excel.book.OpenpyxlBook`, and the result is saved with
every formula kept **and** its computed value stored as the cell's cached value
(:func:`~harvest_xl.excel.sheet_writer.save_with_values`: openpyxl cannot write cached
values, so our own writer emits the worksheet XML), so Excel, LibreOffice,
``openpyxl(data_only=True)`` and any viewer show the results. Parts harvest-xl does not
own (VBA, ribbons, custom XML) are carried over byte for byte.

Where the result goes: ``-o OUT`` if given (an existing OUT is replaced only with
``overwrite``, the CLI's ``--force``); otherwise ``BOOK.refreshed.xlsx`` next to the input.
An output name ends in ``.xlsx`` or ``.xlsm`` and the saved package declares the matching
kind (:mod:`.output_names`). The input is never modified unless ``in_place`` is asked for;
then it is replaced atomically and the previous version is kept as ``BOOK.xlsx.bak``.

``values=True`` (``refresh --values``) writes a shareable copy instead, ``BOOK.values.xlsx``
by default: every formula cell, the template's and the user's own, holds its result as a
plain value (:func:`replace_formulas_with_values`), for people without the add-in or on a
Mac, where a formula cell would turn ``#NAME?`` at the first recalculation.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from harvest_xl.excel import layout as L

REFRESHED_SUFFIX = ".refreshed"
VALUES_SUFFIX = ".values"
VALUES_NOTE = (
    "Values only (harvest-xl refresh --values): a copy without formulas, for sharing. "
    "Nothing here recalculates; change the original workbook and refresh it."
)
"""The note a values copy gets in place of a sheet note that describes its functions."""
VALUES_STAMP = "harvest-xl refresh --values"


@dataclass
class FileReport:
    """The outcome of refreshing one file."""

    source: Path
    target: Path | None = None
    problems: list[str] = field(default_factory=list)
    absorbed: dict[str, int] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and not self.problems


def output_path_for(
    path: str | Path, *, values: bool = False, macro_enabled: bool = False
) -> Path:
    """``BOOK.xlsx`` -> ``BOOK.refreshed.xlsx`` (or ``BOOK.values.xlsx`` for ``values``),
    same folder, same extension; a name without a workbook extension gets ``.xlsx`` (or
    ``.xlsm`` when ``macro_enabled``)."""
    from harvest_xl.excel.output_names import WORKBOOK_SUFFIXES

    p = Path(path)
    suffix = p.suffix if p.suffix.lower() in WORKBOOK_SUFFIXES else ""
    if not suffix:
        suffix = ".xlsm" if macro_enabled else ".xlsx"
    return p.with_name(p.stem + (VALUES_SUFFIX if values else REFRESHED_SUFFIX) + suffix)


def refresh_file(
    path: str | Path,
    output: str | Path | None = None,
    *,
    in_place: bool = False,
    goal: str | None = None,
    now: datetime | None = None,
    overwrite: bool = True,
    values: bool = False,
) -> FileReport:
    """Refresh one workbook file; never raises for a bad workbook (see ``FileReport.error``).

    ``overwrite=False`` refuses an existing ``output`` (the default output beside the input
    is harvest-xl's own and is replaced). ``values`` writes the values-only copy. Nothing
    is written when the report has an error."""
    from harvest_xl.excel.output_names import has_macros, kind_problem, name_problem
    from harvest_xl.excel.safe_read import (
        HarvestFileError,
        load_workbook_safely,
        read_package_safely,
    )

    start = time.perf_counter()
    source = Path(path)
    report = FileReport(source)
    report.error = _usage_problem(source, output, in_place, overwrite, values)
    if report.error:
        return report
    try:
        package = read_package_safely(source)
        macros = has_macros(package.parts)
        if in_place:
            target = source
        elif output is not None:
            target = Path(output)
        else:
            target = output_path_for(source, values=values, macro_enabled=macros)
        if not in_place:
            report.error = name_problem(target) or kind_problem(target, macros)
            if report.error:
                return report
        workbook = load_workbook_safely(package)
        report.absorbed = absorb_rows_below_tables(workbook)
        stamp = now or datetime.now()
        by = VALUES_STAMP if values else "harvest-xl refresh"
        book, result = refresh_in_memory(workbook, package, stamp, by, goal=goal)
        if values:
            replace_formulas_with_values(workbook, book.results)
            book.results.clear()
        replace = in_place or output is None or overwrite
        save_refreshed(workbook, package, book, target, in_place=in_place, overwrite=replace)
    except HarvestFileError as error:
        report.error = str(error)
        return report
    report.target = target
    report.problems = [str(p) for p in result.problems]
    report.summary = result.summary
    report.seconds = time.perf_counter() - start
    return report


def refresh_in_memory(
    workbook: Any,
    package: Any,
    now: datetime,
    by: str,
    *,
    goal: str | None = None,
    appended: Any = None,
) -> tuple[Any, Any]:
    """The refresh of a loaded workbook, in memory: the current formulas in the cells
    harvest-xl owns, one evaluation, the *Refreshed* stamp (``now``, ``by``). Returns the
    :class:`~harvest_xl.excel.book.OpenpyxlBook` holding the formulas' results (and the
    rows an import ``appended``, :mod:`.appended_rows`), and the refresh's result.
    (``harvest-xl refresh`` and ``harvest-xl import`` both run it.)"""
    from harvest_xl.excel.book import OpenpyxlBook
    from harvest_xl.excel.current_formulas import use_current_formulas
    from harvest_xl.excel.package import set_current_calculation
    from harvest_xl.excel.refresh import refresh_workbook

    use_current_formulas(workbook)
    set_current_calculation(workbook)
    book = OpenpyxlBook(workbook, appended)
    # The user's own formulas (an as-of date of =TODAY(), a price from another sheet)
    # read as the values Excel last stored, and keep them in the output.
    book.results.update(user_formula_values(workbook, package))
    result = refresh_workbook(book, today=now.date(), goal=goal)
    _stamp(book, now, by)
    return book, result


def save_refreshed(
    workbook: Any, package: Any, book: Any, target: Path, *, in_place: bool, overwrite: bool
) -> None:
    """The refreshed workbook with its formulas' values (and the rows an import appended, as
    ``book`` holds them) and the parts harvest-xl does not own carried over, under the
    package kind ``target``'s name needs, written atomically (a .bak of the replaced file
    when ``in_place``)."""
    from harvest_xl.excel.atomic_write import atomic_write_bytes
    from harvest_xl.excel.output_names import with_kind_of
    from harvest_xl.excel.package import finish_saved_parts
    from harvest_xl.excel.sheet_writer import save_parts

    # Saved as parts, then finished (and each part compressed) in one pass.
    parts = save_parts(workbook, book.results, book.appended)
    data = finish_saved_parts(parts, package.data)
    if not in_place:
        data = with_kind_of(target, data)
    atomic_write_bytes(target, data, backup=in_place, overwrite=overwrite)


def _usage_problem(
    source: Path, output: str | Path | None, in_place: bool, overwrite: bool, values: bool
) -> str | None:
    """What is wrong with where the result would go, before anything is read or written."""
    from harvest_xl.excel.output_names import name_problem

    if in_place and output is not None:
        return "give either -o OUT or --in-place, not both"
    if in_place and values:
        return "--values writes a copy; it cannot replace the workbook (--in-place)"
    if output is None:
        return None
    target = Path(output)
    if _same_file(source, target):
        return f"{target} is the input: harvest-xl never overwrites it unless you add --in-place"
    problem = name_problem(target)
    if problem:
        return problem
    if not overwrite and os.path.lexists(target):
        return f"{target} already exists; add --force to replace it (nothing was written)"
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _stamp(book: Any, when: datetime, by: str) -> None:
    from harvest_xl.excel.styles import STAMP_FORMAT

    if L.SUMMARY not in book.sheet_names():
        return
    row = L.SUMMARY_FIRST_ROW + L.SUMMARY_ROWS.index("Refreshed")
    book.write_values(L.SUMMARY, row, 2, [[when.replace(microsecond=0), by]])
    book.workbook[L.SUMMARY].cell(row, 2).number_format = STAMP_FORMAT


# ------------------------------------------------------------------ values-only copy


def replace_formulas_with_values(workbook: Any, results: dict[tuple[str, int, int], Any]) -> int:
    """Make every formula cell of ``workbook`` hold its result (``results``, as the refresh
    computed it or, for the user's own formulas, as Excel last stored it) as a plain value;
    returns how many cells changed.

    Values are stored as the refreshed file caches them (a date as its serial number, so a
    cell keeps its own number format), table calculated columns lose their formula (new
    rows stay empty), and a sheet note that names the functions says it is a values copy.
    """
    from harvest_xl.excel.formula_text import set_cell_text
    from harvest_xl.inputs.cells import EXCEL_EPOCH

    epoch = datetime.combine(EXCEL_EPOCH, datetime.min.time())
    changed = 0
    for ws in workbook.worksheets:
        for (row, column), cell in list(ws._cells.items()):
            if not _is_formula(cell._value):
                continue
            value = results.get((ws.title, row, column))
            if isinstance(value, datetime):
                value = (value - epoch).total_seconds() / 86400
            elif isinstance(value, date):
                value = (value - epoch.date()).days
            set_cell_text(cell, value)
            changed += 1
        for table in ws.tables.values():
            for table_column in table.tableColumns or ():
                table_column.calculatedColumnFormula = None
        note = ws.cell(2, 1).value if ws.title in (L.WITHDRAWAL, L.EVALUATION) else None
        if isinstance(note, str) and "HX_" in note:
            ws.cell(2, 1).value = VALUES_NOTE
    return changed


def _is_formula(value: Any) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in {"ArrayFormula", "DataTableFormula"}


# ------------------------------------------------------------------ rows below tables


def absorb_rows_below_tables(workbook: Any) -> dict[str, int]:
    """Take rows typed just below each table into it; returns rows added per table.

    A row counts when any of the table's input columns (those without a calculated-column
    formula) holds a value; rows are taken until the first empty one. New rows get the
    calculated-column formulas (where the cell is empty) and the last row's cell styles,
    as Excel does when you type below a table.
    """
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.utils import get_column_letter, range_boundaries

    added: dict[str, int] = {}
    for ws in workbook.worksheets:
        bottom: int | None = None
        for table in ws.tables.values():
            if table.totalsRowCount or not table.tableColumns:
                continue
            min_col, min_row, max_col, max_row = range_boundaries(table.ref)
            formulas = {
                min_col + i: "=" + column.calculatedColumnFormula.attr_text
                for i, column in enumerate(table.tableColumns)
                if column.calculatedColumnFormula is not None
                and column.calculatedColumnFormula.attr_text
            }
            inputs = [c for c in range(min_col, max_col + 1) if c not in formulas]
            if bottom is None:
                bottom = ws.max_row  # max_row scans every cell: read it once per sheet
            # Look cells up without creating them (ws.cell would); the rows taken in get
            # every cell below, and the first row left out gets its input cells, as before.
            cells = ws._cells
            last = max_row
            while last < bottom and any(
                not _empty(cell.value)
                for cell in (cells.get((last + 1, c)) for c in inputs)
                if cell is not None
            ):
                last += 1
            if last < bottom:
                for c in inputs:
                    ws.cell(last + 1, c)
            if last == max_row:
                continue
            styles = {}
            for c in range(min_col, max_col + 1):
                above = ws.cell(max_row, c)
                styles[c] = above._style if above.has_style else None
            for formula in formulas.values():
                Cell(ws).value = formula  # openpyxl's checks, once per formula (may raise)
            columns = [(c, styles[c], formulas.get(c)) for c in range(min_col, max_col + 1)]
            for r in range(max_row + 1, last + 1):
                for c, style, formula in columns:
                    cell = cells.get((r, c))
                    if cell is None:  # a new cell, with the style above (Cell copies it)
                        cell = cells[(r, c)] = Cell(ws, row=r, column=c, style_array=style)
                    elif type(cell) is MergedCell:  # under a merge: read-only
                        continue
                    elif style is not None and not cell.has_style:
                        cell._style = StyleArray(style)  # a copy
                    if formula is not None and _empty(cell._value):
                        cell._value, cell.data_type = formula, "f"  # as checked above
            ws._current_row = max(ws._current_row, last)  # as ws._add_cell keeps it
            ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{last}"
            table.ref = ref
            if table.autoFilter is not None:
                table.autoFilter.ref = ref
            added[table.displayName] = last - max_row
    return added


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ------------------------------------------------------------ the user's formulas


def user_formula_values(workbook: Any, package: Any) -> dict[tuple[str, int, int], Any]:
    """Cached values (as Excel last saved them) of every formula cell that is not one of
    harvest-xl's own, ``{(sheet, row, column): value}``; empty when there are none.

    openpyxl drops cached values on load, so the package is read a second time with
    ``data_only=True``, and only when such a formula exists.
    """
    from harvest_xl.excel.current_formulas import owned_formulas
    from harvest_xl.excel.safe_read import load_workbook_safely
    from harvest_xl.excel.sheet_writer import CellError

    ours = owned_formulas()
    wanted: list[tuple[str, int, int]] = []
    for ws in workbook.worksheets:
        for (row, column), cell in ws._cells.items():  # iter_rows would create every cell
            value = cell._value
            # text kept as text (quoted: an account named "=x") is no formula
            formula = type(value) is str and value[:1] == "=" and cell.data_type == "f"
            if formula and value not in ours:
                wanted.append((ws.title, row, column))
    if not wanted:
        return {}
    cached = load_workbook_safely(package, data_only=True)
    values: dict[tuple[str, int, int], Any] = {}
    for s, r, c in wanted:
        cell = cached[s].cell(r, c)
        values[(s, r, c)] = CellError(cell.value) if cell.data_type == "e" else cell.value
    return values
