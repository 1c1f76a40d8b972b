"""``harvest-xl import`` and the ribbon's *Import*: broker downloads into a workbook's Accounts,
Holdings and Activity tables, then a refresh, in one safe read and one atomic write.

    report = import_files("Taxes.xlsx", ["Accounts_History.csv", "Portfolio_Positions.csv"])
    print("\\n".join(report.lines()))

Where the result goes (as ``harvest-xl refresh``): ``output`` if given (an existing file is
replaced only with ``overwrite``, the command's ``--force``); otherwise ``BOOK.imported.xlsx``
beside the workbook, harvest-xl's own file, so a first import can be looked at before it
replaces anything. An output is named ``.xlsx``, or ``.xlsm`` for a macro-enabled workbook,
as the workbook is. The workbook is replaced only with ``in_place`` (atomically; the previous
version is kept as ``BOOK.xlsx.bak``), and then only when the import changes something. The
broker files are only ever read.

Steps of :func:`import_files`:

1. Read every broker file (:func:`harvest_xl.importers.read_file`, which recognises the
   broker and the kind of file by its content and refuses zips, binaries and oversized
   files). A file refused, or of no known layout, stops the import: nothing is written. A bad
   row is reported with its file and line, and the rest imports.
2. Read the workbook safely (:mod:`.safe_read`) and take in rows typed just below its tables,
   as a refresh does.
3. Read the tables and the ledger of earlier imports (:mod:`.import_ledger`), and decide what
   changes (:mod:`.import_merge`): rows to add, imported Holdings rows a later snapshot
   updates, rows already present.
4. Write the rows at the end of each table (:mod:`.import_tables`), notes for the user to
   check, and the ledger entries; new rows stay plain values (:mod:`.appended_rows`).
5. Refresh (the refresh core, as ``harvest-xl refresh`` runs it) so every result is current,
   and save atomically.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.excel import layout as L
from harvest_xl.excel.appended_rows import AppendedRows
from harvest_xl.excel.import_merge import plan_import
from harvest_xl.excel.import_records import (
    AccountOutcome,
    FileOutcome,
    ImportPlan,
    LedgerColumns,
    RebuiltAccount,
    joined_columns,
    ledger_columns,
)
from harvest_xl.excel.output_names import kind_problem, name_problem

IMPORTED_SUFFIX = ".imported"
STAMP_NOTE = "harvest-xl import"
PROBLEMS_LISTED = 20

_WRITTEN_COLUMNS: dict[str, tuple[str, ...]] = {
    L.ACCOUNTS: ("Account", "Type"),
    L.HOLDINGS: L.HOLDINGS_INPUTS,
    L.ACTIVITY: L.ACTIVITY_COLUMNS,
}
_READ: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # sheet: (the columns read, the columns that must be there)
    L.ACCOUNTS: (L.ACCOUNTS_COLUMNS, ("Account", "Type")),
    L.HOLDINGS: (L.HOLDINGS_COLUMNS, L.HOLDINGS_INPUTS),
    L.ACTIVITY: (L.ACTIVITY_COLUMNS, L.ACTIVITY_COLUMNS),
}


@dataclass
class WorkbookImport:
    """What one import did: per file and per account, the refresh's problems, or the error
    that stopped it (then nothing was written)."""

    book: Path
    files: list[Path]
    target: Path | None = None
    outcomes: list[FileOutcome] = field(default_factory=list)
    accounts: list[AccountOutcome] = field(default_factory=list)
    lots_from_history: bool = False
    rebuilt: list[RebuiltAccount] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    changes: int = 0
    written: bool = False
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Imported, with no bad row in a file, no problem found by the refresh, no ticker
        left out of ``lots_from_history`` and no row rebuilt from a history to delete."""
        left_to_you = any(account.needs_you for account in self.rebuilt) or any(
            outcome.superseded_rows for outcome in self.outcomes
        )
        return self.error is None and not self.bad_rows and not self.problems and not left_to_you

    @property
    def bad_rows(self) -> int:
        return sum(len(outcome.report.problems) for outcome in self.outcomes)

    def lines(self) -> list[str]:
        """The report, as lines of text (printed by the command, shown by the button)."""
        if self.error is not None:
            return [f"Nothing imported into {self.book}: {self.error}"]
        if self.written:
            head = f"Imported into {self.target}"
            if self.target != self.book:
                head += f" (from {self.book}; {self.book.name} is unchanged)"
        else:
            head = f"Nothing new to import: {self.book} is unchanged"
        out = [f"{head}, {self.changes} row(s) added or updated, in {self.seconds:.2f} s."]
        for outcome in self.outcomes:
            out += outcome.lines()
        if self.accounts:
            out.append("Accounts (the type inferred from the name: check it):")
            out += [account.line() for account in self.accounts]
        if self.lots_from_history:
            out.append(
                "Holdings rebuilt from the history (--lots-from-history: it covers each "
                "account since it was opened):"
            )
            out += [line for account in self.rebuilt for line in account.lines()]
            if not self.rebuilt:
                out.append("  no trade in the files: nothing rebuilt")
        if self.problems:
            out.append(
                f"The refresh found {len(self.problems)} problem(s) to fix (all on the "
                f"{L.SUMMARY} sheet):"
            )
            out += [f"  {problem}" for problem in self.problems[:PROBLEMS_LISTED]]
            if len(self.problems) > PROBLEMS_LISTED:
                out.append(f"  ... and {len(self.problems) - PROBLEMS_LISTED} more")
        return out


def output_path_for(path: str | Path) -> Path:
    """``BOOK.xlsx`` -> ``BOOK.imported.xlsx`` (same folder, same extension)."""
    p = Path(path)
    return p.with_name(p.stem + IMPORTED_SUFFIX + p.suffix)


def import_files(
    book_path: str | Path,
    files: Sequence[str | Path],
    output: str | Path | None = None,
    in_place: bool = False,
    *,
    account: str | None = None,
    now: datetime | None = None,
    overwrite: bool = True,
    lots_from_history: bool = False,
) -> WorkbookImport:
    """Import broker ``files`` into the workbook at ``book_path`` and refresh it (see the
    module docstring). ``account`` names the account of files that name none;
    ``overwrite=False`` refuses an existing ``output``. ``lots_from_history``: the history
    in the files covers each account since it was opened (or since it held nothing), so
    each account it covers without a lot-detail file gets, in Holdings, the lots the
    history still holds, where a positions file imported with it agrees
    (:mod:`.import_rebuilt`). Never raises for bad input: the returned report's ``error``
    says why nothing was written."""
    from harvest_xl.excel.safe_read import load_workbook_safely, read_package_safely
    from harvest_xl.importers import read_file

    start = time.perf_counter()
    book = Path(book_path)
    report = WorkbookImport(book, [Path(f) for f in files], lots_from_history=lots_from_history)
    target = _target(book, output, in_place, overwrite)
    if isinstance(target, str):
        report.error = target
        return report
    if not files:
        report.error = "no broker file given"
        return report
    if _overwrites_a_broker_file(target, report.files):
        report.error = f"{target} is one of the broker files: they are only ever read"
        return report
    try:
        results = [read_file(path) for path in report.files]
        package = read_package_safely(book)
        problem = None if in_place else kind_problem(target, package.macro_enabled)
        if problem:
            raise HarvestInputError(str(target), problem)
        workbook = load_workbook_safely(package)
        appended = AppendedRows()
        plan = merge_into(workbook, results, account, appended, lots_from_history)
        report.outcomes, report.accounts, report.changes = plan.files, plan.accounts, plan.changes
        report.rebuilt = plan.rebuilt
        nothing_new = not plan.changes and not plan.links
        # Each step keeps only what the next needs: after the merge, the files' records and
        # the plan (two objects per row of a long history) are the cycle collector's work.
        del results, plan
        if in_place and nothing_new:
            report.target = book  # nothing new: the workbook (and its .bak) stay as they are
        else:
            stamp = now or datetime.now()
            book_results, result = refresh_imported(workbook, package, stamp, appended)
            problems = [str(p) for p in result.problems]
            del result  # the inputs and the evaluation: the save needs only the book
            save_imported(workbook, package, book_results, target, in_place)
            report.problems = problems
            report.target, report.written = target, True
    except HarvestInputError as error:  # a refused file (broker or workbook), a full table
        report.error = str(error)
    report.seconds = time.perf_counter() - start
    return report


def files_naming_no_account(files: Sequence[str | Path]) -> list[str]:
    """The files whose lots or trades name no account (they need ``account``); a file that
    cannot be read is left to :func:`import_files` to report."""
    from harvest_xl.importers import read_file

    unnamed = []
    for path in files:
        try:
            result = read_file(path)
        except HarvestInputError:
            continue
        if any(lot.account is None for lot in result.lots) or any(
            trade.account is None for trade in result.trades
        ):
            unnamed.append(str(path))
    return unnamed


def _target(book: Path, output: str | Path | None, in_place: bool, overwrite: bool) -> Path | str:
    """Where the result goes, or why the request cannot be done (checked before any work,
    so a refusal writes nothing)."""
    if in_place and output is not None:
        return "give either -o OUT or --in-place, not both"
    target = book if in_place else Path(output) if output is not None else output_path_for(book)
    if not in_place and _same_file(book, target):
        return f"{target} is the workbook itself: harvest-xl replaces it only with --in-place"
    problem = name_problem(target)
    if problem:
        return problem
    if output is not None and not overwrite and os.path.lexists(target):
        return f"{target} already exists; add --force to replace it (nothing was written)"
    return target


def _overwrites_a_broker_file(target: Path, files: Sequence[Path]) -> bool:
    return any(_same_file(target, path) for path in files)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def merge_into(
    workbook: Any,
    results: Sequence[Any],
    account: str | None,
    appended: AppendedRows,
    lots_from_history: bool = False,
) -> ImportPlan:
    """Plan the import against the workbook's tables and ledger, and write it in: the new
    rows past each sheet's last one into ``appended`` (:mod:`.appended_rows`), for the
    refresh and the save that follow."""
    from harvest_xl.excel.book import OpenpyxlBook
    from harvest_xl.excel.headless import absorb_rows_below_tables
    from harvest_xl.excel.import_ledger import append_ledger, read_ledger
    from harvest_xl.excel.import_tables import (
        TableBlocked,
        add_note,
        append_rows,
        check_room,
        table_area,
        update_row,
    )
    from harvest_xl.excel.input_tables import read_table

    absorb_rows_below_tables(workbook)
    ledger = read_ledger(workbook)
    reader = OpenpyxlBook(workbook)
    tables = {}
    for sheet, (columns, needed) in _READ.items():
        problems: list[Any] = []
        table = read_table(reader, sheet, columns, needed, problems)
        if table is None:
            raise TableBlocked(sheet, "; ".join(f"{p.problem}. Fix: {p.fix}" for p in problems))
        tables[sheet] = table.rows
    plan = plan_import(results, tables, ledger, account, lots_from_history)
    areas = {sheet: table_area(workbook, sheet, _WRITTEN_COLUMNS[sheet]) for sheet in _READ}
    for sheet, rows in plan.rows.items():
        check_room(areas[sheet], len(rows))  # every table before any is written
    # The ledger's entries in order, as its columns (a planned row's entry is never made),
    # each with where its record went (None: its own row).
    entries: list[LedgerColumns] = []
    entry_rows: list[int | None] = []
    for update in plan.updates:
        area = areas[update.table]
        update_row(area, update.row, update.values)
        for column, note in update.notes:
            if note is None:
                area.ws.cell(update.row, area.columns[column]).comment = None
            else:
                add_note(area, update.row, column, note, appended)
    entries.append(ledger_columns(update.entry for update in plan.updates))
    entry_rows += [None] * len(plan.updates)
    for sheet, rows in plan.rows.items():
        area = areas[sheet]
        written = append_rows(area, rows.values(), appended)
        entries.append(rows.entry_columns())
        entry_rows += written
        for position, planned in rows.noted():
            assert planned.note is not None and planned.note_column is not None
            add_note(area, written[position], planned.note_column, planned.note, appended)
    entries.append(ledger_columns(plan.links))
    entry_rows += [None] * len(plan.links)
    append_ledger(workbook, joined_columns(entries), entry_rows, appended)
    return plan


def refresh_imported(
    workbook: Any, package: Any, now: datetime, appended: AppendedRows
) -> tuple[Any, Any]:
    """The refresh over the imported workbook in memory, as ``harvest-xl refresh`` runs it:
    the book adapter holding the formulas' results (and the ``appended`` rows), and the
    refresh's result."""
    from harvest_xl.excel.headless import refresh_in_memory

    return refresh_in_memory(workbook, package, now, STAMP_NOTE, appended=appended)


def save_imported(workbook: Any, package: Any, book: Any, target: Path, in_place: bool) -> None:
    """The workbook with its formulas' values, written atomically (a .bak of the replaced file
    with ``in_place``); an existing ``-o`` output was refused before, unless forced."""
    from harvest_xl.excel.headless import save_refreshed

    save_refreshed(workbook, package, book, target, in_place=in_place, overwrite=True)

