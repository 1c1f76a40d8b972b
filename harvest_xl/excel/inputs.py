"""Read Profile, Accounts, Holdings, Activity, Recurring and Securities into engine models.

Every bad value is a :class:`~harvest_xl.excel.problems.Problem` naming sheet, row, column
and the fix; a bad row is left out of the portfolio evaluation and everything else is still
read. The tables go through the engine's row parsing (:mod:`harvest_xl.engine.rows`); only
locating the cells is done here.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from harvest_xl.engine import rows
from harvest_xl.engine.cells import to_row_date
from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.lots import Account, Activity, Lot, Recurring, Security
from harvest_xl.engine.models import FilingStatus, WashSalePolicy
from harvest_xl.engine.profile import PROFILE_KEYS, Profile
from harvest_xl.excel import convert
from harvest_xl.excel import layout as L
from harvest_xl.excel.book import BookAdapter
from harvest_xl.excel.input_tables import TableRows, norm, quote, read_table
from harvest_xl.excel.problems import Problem

# Fixes by kind of value expected in a column.
_FIX_DATE = "type a date such as 2026-11-27"
_FIX_MONEY = "type an amount in dollars, such as 1234.56"


@dataclass
class Inputs:
    """Everything read from the input sheets, converted; bad rows are left out."""

    profile: Profile | None = None
    accounts: list[Account] = field(default_factory=list)
    lots: list[Lot] = field(default_factory=list)
    activity: list[Activity] = field(default_factory=list)
    recurring: list[Recurring] = field(default_factory=list)
    securities: list[Security] = field(default_factory=list)
    holdings: TableRows | None = None
    problems: list[Problem] = field(default_factory=list)
    profile_cells: dict[str, Any] = field(default_factory=dict)


_PROFILE_CONVERTERS: dict[str, tuple[Callable[..., Any], str]] = {
    "tax_year": (convert.to_int, "type the tax year, 2018 to 2026"),
    "filing_status": (
        lambda v, a: FilingStatus.parse(v, a),
        "choose single, mfj, mfs, hoh or qss (or the long names) from the list",
    ),
    "birth_date": (to_row_date, _FIX_DATE),
    "ordinary_income": (convert.to_money, _FIX_MONEY),
    "qualified_dividends": (convert.to_money, _FIX_MONEY),
    "realized_st": (convert.to_money, _FIX_MONEY + " (negative for a net loss)"),
    "realized_lt": (convert.to_money, _FIX_MONEY + " (negative for a net loss)"),
    "st_carryover": (convert.to_money, _FIX_MONEY + " (the loss carried in, as a positive number)"),
    "lt_carryover": (convert.to_money, _FIX_MONEY + " (the loss carried in, as a positive number)"),
    "state_rate": (convert.to_rate, "type a rate such as 5% (stored as 0.05)"),
    "min_loss": (convert.to_money, _FIX_MONEY),
    "min_pct": (convert.to_rate, "type a percentage such as 2% (stored as 0.02)"),
    "wash_policy": (lambda v, a: WashSalePolicy.parse(v, a), "choose conservative or ignore"),
    "as_of": (to_row_date, _FIX_DATE + " (the day you would sell)"),
}
_PROFILE_REQUIRED = ("Tax year", "Filing status", "As-of date")


def read_profile(
    book: BookAdapter, problems: list[Problem]
) -> tuple[Profile | None, dict[str, Any]]:
    """The Profile (None when a required key is missing or bad) and the raw key -> cell map."""
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
        return None, {}
    block = book.read_block(L.PROFILE)
    by_key = {norm(k): k for k in PROFILE_KEYS}
    raw: dict[str, Any] = {}
    key_rows: dict[str, int] = {}
    unknown: dict[str, tuple[str, int]] = {}  # column A labels that are not keys -> (text, row)
    values: dict[str, Any] = {}
    for i, line in enumerate(block.values):
        if not line:
            continue
        key = by_key.get(norm(line[0]))
        row = block.row + i
        if key is None:
            if isinstance(line[0], str) and norm(line[0]):
                unknown.setdefault(norm(line[0]), (line[0].strip(), row))
            continue
        if key in key_rows:
            problems.append(
                Problem(
                    L.PROFILE,
                    row,
                    key,
                    f"'{key}' appears twice (also row {key_rows[key]})",
                    "delete one of the two rows",
                    1,
                )
            )
            continue
        key_rows[key] = row
        value = line[1] if len(line) > 1 else None
        raw[key] = value
        if convert.is_empty(value):
            continue
        field_name = PROFILE_KEYS[key]
        converter, fix = _PROFILE_CONVERTERS[field_name]
        try:
            values[field_name] = converter(value, key)
        except HarvestInputError as error:
            problems.append(Problem(L.PROFILE, row, key, error.problem, fix, 2))
    bad = False
    for key in _PROFILE_REQUIRED:
        field_name = PROFILE_KEYS[key]
        if field_name in values:
            continue
        if key not in key_rows:
            problems.append(_missing_profile_key(key, unknown))
        elif convert.is_empty(raw.get(key)):
            problems.append(
                Problem(
                    L.PROFILE,
                    key_rows[key],
                    key,
                    "is empty (it is required)",
                    _PROFILE_CONVERTERS[field_name][1],
                    2,
                )
            )
        bad = True
    # The template's formulas read the Profile through defined names bound to fixed cells.
    for key, row in key_rows.items():
        expected = L.PROFILE_ROWS[key]
        if row != expected and key in L.PROFILE_NAMES.values():
            problems.append(
                Problem(
                    L.PROFILE,
                    row,
                    key,
                    f"'{key}' has moved from row "
                    f"{expected}; the Holdings formulas still read row "
                    f"{expected}",
                    f"move it back to row {expected}",
                    1,
                )
            )
    if bad:
        return None, raw
    try:
        return Profile(**values), raw
    except (HarvestInputError, TypeError, ValueError) as error:
        problems.append(Problem(L.PROFILE, None, None, str(error), "check the Profile values"))
        return None, raw


def _missing_profile_key(key: str, unknown: dict[str, tuple[str, int]]) -> Problem:
    """A required key not found in column A: point at the closest label typed instead."""
    close = difflib.get_close_matches(norm(key), list(unknown), n=1, cutoff=0.6)
    if close:
        typed, row = unknown[close[0]]
        return Problem(
            L.PROFILE,
            row,
            key,
            f"expected the key '{key}' but found {quote(typed)} in A{row}",
            f"rename it back to '{key}' exactly",
            1,
        )
    row = L.PROFILE_ROWS[key]
    return Problem(
        L.PROFILE,
        row,
        key,
        f"the key '{key}' is missing from column A",
        f"type '{key}' in A{row} and its value in B{row}",
        1,
    )


def read_inputs(book: BookAdapter) -> Inputs:
    """Read and convert every input sheet, collecting problems.

    The tables go through the engine's row parsing (:mod:`harvest_xl.engine.rows`), the
    same code ``HX_EVALUATE`` uses; only locating the cells is done here.
    """
    problems: list[Problem] = []
    profile, profile_cells = read_profile(book, problems)
    inputs = Inputs(profile=profile, problems=problems, profile_cells=profile_cells)
    as_of = profile.as_of if profile is not None else None

    def read(sheet: str, columns: Sequence[str], needed: Sequence[str]) -> TableRows | None:
        table = read_table(book, sheet, columns, needed, problems)
        if table is not None:
            _check_merged(book, table, problems)
        return table

    def parse(table: TableRows | None, parser: Callable[..., Any], *args: Any) -> Any:
        """Run an engine row parser over the table's input columns; place its problems."""
        if table is None:
            return None
        found: list[rows.RowProblem] = []
        names = L.TABLE_INPUTS[table.sheet]
        records = [{k: v for k, v in rec.items() if k in names} for _, rec in table.rows]
        models = parser(records, *args, found, [row for row, _ in table.rows])
        for p in found:
            column = table.columns.get(p.field)
            problems.append(Problem(table.sheet, p.row, p.field, p.message, p.fix, column))
        return models

    accounts_table = read(L.ACCOUNTS, L.ACCOUNTS_COLUMNS, ("Account", "Type"))
    accounts: dict[str, Account] = parse(accounts_table, rows.parse_accounts) or {}
    inputs.accounts = list(accounts.values())
    if accounts_table is None:  # one problem says so; not one per row naming an account
        known = len(problems)

    holdings = read(L.HOLDINGS, L.HOLDINGS_COLUMNS, L.HOLDINGS_INPUTS)
    inputs.holdings = holdings
    inputs.lots = parse(holdings, rows.parse_lots, accounts, as_of) or []
    activity = read(L.ACTIVITY, L.ACTIVITY_COLUMNS, L.ACTIVITY_COLUMNS)
    inputs.activity = parse(activity, rows.parse_activity, accounts) or []
    recurring = read(L.RECURRING, L.RECURRING_COLUMNS, L.RECURRING_COLUMNS)
    inputs.recurring = parse(recurring, rows.parse_recurring, accounts) or []
    securities = read(L.SECURITIES, L.SECURITIES_COLUMNS, ("Ticker",))
    inputs.securities = parse(securities, rows.parse_securities) or []

    if accounts_table is None:
        problems[known:] = [p for p in problems[known:] if not _unknown_account(p)]
    for table, models, what in (
        (holdings, inputs.lots, "lot"),
        (activity, inputs.activity, "trade"),
        (recurring, inputs.recurring, "scheduled purchase"),
    ):
        if table is None:
            continue
        for model, earlier in rows.duplicates(models):
            problems.append(
                Problem(
                    table.sheet,
                    model.row,
                    L.TABLE_INPUTS[table.sheet][0],
                    f"warning: the same {what} as row {earlier.row}; both rows are counted",
                    f"delete one row if it was typed twice (two identical {what}s can be "
                    "real: then leave both)",
                    table.columns.get(L.TABLE_INPUTS[table.sheet][0]),
                    warning=True,
                )
            )
    return inputs


def _unknown_account(problem: Problem) -> bool:
    return problem.column == "Account" and problem.problem.endswith("is not on the Accounts sheet")


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
