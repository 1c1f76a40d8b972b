"""Read Profile, Accounts, Holdings, Activity, Recurring and Securities into engine models.

Every bad value is a :class:`~harvest_xl.excel.problems.Problem` naming sheet, row, column
and the fix; a bad row is left out of the portfolio evaluation and everything else is still
read. The values are read by the one reader of each input (:mod:`harvest_xl.inputs`: the
Profile reader and the table readers the Excel functions use too); only locating the cells
is done here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from openpyxl.utils import get_column_letter

from harvest_xl.engine.form8949 import BasisReporting
from harvest_xl.engine.lots import Account, Activity, IdenticalGroups, Lot, Recurring, Security
from harvest_xl.engine.profile import Profile
from harvest_xl.excel import layout as L
from harvest_xl.excel.book import BookAdapter
from harvest_xl.excel.imported_copies import imported_copies, repeats_beyond_imported
from harvest_xl.excel.input_tables import TableRows, read_table
from harvest_xl.excel.problems import Problem
from harvest_xl.inputs.profile import read_profile as read_profile_pairs
from harvest_xl.inputs.tables import RowProblem, duplicates, read_tables

_VALUE_COLUMN = 2
_KEY_COLUMN = 1


@dataclass
class Inputs:
    """Everything read from the input sheets, converted; bad rows are left out."""

    profile: Profile | None = None
    accounts: list[Account] = field(default_factory=list)
    lots: list[Lot] = field(default_factory=list)
    activity: list[Activity] = field(default_factory=list)
    recurring: list[Recurring] = field(default_factory=list)
    securities: list[Security] = field(default_factory=list)
    identical: IdenticalGroups = field(default_factory=IdenticalGroups)
    holdings: TableRows | None = None
    problems: list[Problem] = field(default_factory=list)
    profile_cells: dict[str, Any] = field(default_factory=dict)
    plan_goal: Any = None
    """The Profile sheet's *Plan goal* cell (below the Profile keys; not a Profile field)."""
    basis_reporting: dict[str, BasisReporting] = field(default_factory=dict)
    """Account -> the Accounts sheet's *Basis reported* (Form 8949 box), where filled in."""


def read_profile(
    book: BookAdapter, problems: list[Problem]
) -> tuple[Profile | None, dict[str, Any], Any]:
    """The Profile (None when it cannot be built), the key -> cell value map and the *Plan
    goal* cell, from the Profile sheet (keys in column A, values in column B)."""
    if L.PROFILE not in book.sheet_names():
        problems.append(
            Problem(
                L.PROFILE,
                None,
                None,
                "the sheet is missing",
                "add a 'Profile' sheet with keys in column A, values in B",
            )
        )
        return None, {}, None
    block = book.read_block(L.PROFILE)
    pairs = [
        (line[0] if line else None, line[1] if len(line) > 1 else None, block.row + i)
        for i, line in enumerate(block.values)
    ]
    reading = read_profile_pairs(pairs, other_keys=(L.PLAN_GOAL_KEY,))
    for p in reading.problems:
        problems.append(_located(p))
    # The template's formulas read the Profile through defined names bound to fixed cells.
    for key, row in reading.rows.items():
        expected = L.PROFILE_ROWS.get(key)
        if expected is not None and row != expected and key in L.PROFILE_NAMES.values():
            problems.append(
                Problem(
                    L.PROFILE,
                    row,
                    key,
                    f"'{key}' has moved from row {expected}; the Holdings formulas still read "
                    f"row {expected}",
                    f"move it back to row {expected}",
                    _KEY_COLUMN,
                )
            )
    return reading.profile, reading.values, reading.others.get(L.PLAN_GOAL_KEY)


def _located(p: RowProblem) -> Problem:
    """A Profile problem at its cell: the key's (column A) when the key itself is wrong
    (missing, repeated, renamed, unknown), the value's (column B) otherwise."""
    row = p.row or L.PROFILE_ROWS.get(p.field)
    if p.message.startswith(_KEY_PROBLEMS):
        message = p.message
        if message.startswith("expected the key") and row is not None:
            message += f" in A{row}"
        return Problem(L.PROFILE, row, p.field, message, p.fix, _KEY_COLUMN)
    return Problem(L.PROFILE, row, p.field, p.message, p.fix, _VALUE_COLUMN)


_KEY_PROBLEMS = ("is given twice", "expected the key", "is missing", "is not a Profile key")




def read_inputs(book: BookAdapter) -> Inputs:
    """Read and convert every input sheet, collecting problems located by cell.

    The tables are read by :func:`harvest_xl.inputs.tables.read_tables`, the code the Excel
    functions use; only finding the tables and locating their problems is done here.
    """
    problems: list[Problem] = []
    profile, profile_cells, plan_goal = read_profile(book, problems)
    inputs = Inputs(
        profile=profile, problems=problems, profile_cells=profile_cells, plan_goal=plan_goal
    )

    def read(sheet: str, columns: Sequence[str], needed: Sequence[str]) -> TableRows | None:
        table = read_table(book, sheet, columns, needed, problems)
        if table is not None:
            _check_merged(book, table, problems)
        return table

    found = {
        L.ACCOUNTS: read(L.ACCOUNTS, L.ACCOUNTS_COLUMNS, ("Account", "Type")),
        L.HOLDINGS: read(L.HOLDINGS, L.HOLDINGS_COLUMNS, L.HOLDINGS_INPUTS),
        L.ACTIVITY: read(L.ACTIVITY, L.ACTIVITY_COLUMNS, L.ACTIVITY_COLUMNS),
        L.RECURRING: read(L.RECURRING, L.RECURRING_COLUMNS, L.RECURRING_COLUMNS),
        L.SECURITIES: read(L.SECURITIES, L.SECURITIES_COLUMNS, ("Ticker",)),
    }
    inputs.holdings = found[L.HOLDINGS]

    def records(sheet: str) -> Sequence[dict[str, Any]]:
        table = found[sheet]
        if table is None:
            return []
        return table.records.only(L.TABLE_INPUTS[sheet])

    tables = read_tables(
        accounts=records(L.ACCOUNTS),
        holdings=records(L.HOLDINGS),
        activity=records(L.ACTIVITY),
        recurring=records(L.RECURRING),
        securities=records(L.SECURITIES),
        as_of=profile.as_of if profile is not None else None,
        numbers={sheet: table.numbers for sheet, table in found.items() if table is not None},
    )
    for p in tables.problems:
        if found[L.ACCOUNTS] is None and _unknown_account(p):
            continue  # one problem says the Accounts table is missing; not one per row
        table = found.get(p.table)
        column = table.columns.get(p.field) if table is not None else None
        problems.append(Problem(p.table, p.row, p.field, p.message, p.fix, column))
    inputs.accounts = list(tables.accounts.values())
    inputs.lots = tables.lots
    inputs.activity = tables.activity
    inputs.recurring = tables.recurring
    inputs.securities = tables.securities
    inputs.identical = tables.identical
    inputs.basis_reporting = tables.basis_reporting
    rows_of: tuple[tuple[str, Sequence[Lot | Activity | Recurring], str], ...] = (
        (L.HOLDINGS, inputs.lots, "lot"),
        (L.ACTIVITY, inputs.activity, "trade"),
        (L.RECURRING, inputs.recurring, "scheduled purchase"),
    )
    for sheet, models, what in rows_of:
        table = found[sheet]
        if table is None:
            continue
        first = L.TABLE_INPUTS[sheet][0]
        column = table.columns.get(first)
        fix = (
            f"delete one row if it was typed twice (two identical {what}s can be "
            "real: then leave both)"
        )
        repeats = [(model.row, earlier.row) for model, earlier in duplicates(models)]
        if sheet == L.ACTIVITY and repeats:
            copies = partial(imported_copies, book)  # the ledger, read only when needed
            repeats = repeats_beyond_imported(repeats, table.values_at, copies)
        for row, earlier_row in repeats:
            problems.append(
                Problem(
                    sheet,
                    row,
                    first,
                    f"warning: the same {what} as row {earlier_row}; both rows are counted",
                    fix,
                    column,
                    warning=True,
                )
            )
    return inputs


def _unknown_account(problem: RowProblem) -> bool:
    return problem.field == "Account" and problem.message.endswith("is not on the Accounts sheet")


def _check_merged(book: BookAdapter, table: TableRows, problems: list[Problem]) -> None:
    """Merged cells in a table's header or data: only the first cell keeps a value."""
    merged = getattr(book, "merged_ranges", None)
    if merged is None:  # an adapter that cannot tell (live Excel reads the values as shown)
        return
    inputs = L.TABLE_INPUTS[table.sheet]
    by_number = {number: name for name, number in table.columns.items() if name in inputs}
    for top, left, bottom, right in merged(table.sheet):
        if bottom < table.header_row or top > table.last_row:
            continue
        names = [by_number[c] for c in range(left, right + 1) if c in by_number]
        if not names:
            continue
        span = f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}"
        problems.append(
            Problem(
                table.sheet,
                top,
                names[0],
                f"cells {span} are merged, so only {get_column_letter(left)}{top} has a "
                "value and the other cells read as empty",
                "unmerge them (Home > Merge & Center) and type a value in each cell",
                left,
            )
        )
