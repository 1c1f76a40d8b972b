"""The refresh core: read the input sheets, run the engine, write the outputs.

It talks to the workbook only through :class:`~harvest_xl.excel.book.BookAdapter`, so the
same code runs headless (``harvest-xl refresh``, openpyxl) and behind the ribbon's Refresh
button (xlwings). Steps of :func:`refresh_book`:

1. Read Profile, Accounts, Holdings, Activity, Recurring and Securities. Every bad value is
   a :class:`Problem` naming sheet, row, column and the fix; a bad row is left out of the
   portfolio evaluation and everything else is still computed.
2. Give every formula cell of the Holdings calculated columns and of the Withdrawal
   calculator its value (:meth:`BookAdapter.write_results`), computed by calling the same
   ``HX_`` functions with the same arguments the formula passes (:mod:`.formula_values`).
3. Evaluate the portfolio once (:func:`harvest_xl.engine.portfolio.evaluate_lots`, the
   model-level form of ``evaluate_portfolio``: the rows are already converted, with their
   problems located by cell) and write the Plan, Wash sales and Summary sheets as values
   (every Holdings computed column is a formula, valued in step 2).

Input cells are never written.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
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
from harvest_xl.excel.book import Block, BookAdapter

# ------------------------------------------------------------------------- problems


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing the user must fix: where it is and what to do."""

    sheet: str
    row: int | None
    column: str | None
    problem: str
    fix: str
    column_number: int | None = None
    warning: bool = False  # reported, but the row is still computed

    @property
    def cell(self) -> str:
        """The cell address (``Holdings!C5``), or the sheet / row when that is all we know."""
        sheet = f"'{self.sheet}'" if " " in self.sheet else self.sheet
        if self.row is not None and self.column_number is not None:
            return f"{sheet}!{get_column_letter(self.column_number)}{self.row}"
        if self.row is not None:
            return f"{sheet} row {self.row}"
        return sheet

    def __str__(self) -> str:
        where = self.cell
        if self.column:
            where += f" ({self.column})"
        # One line, whatever the cells held (a header typed with a line break).
        return " ".join(f"{where}: {self.problem}. Fix: {self.fix}".split())


# Fixes by kind of value expected in a column.
_FIX_DATE = "type a date such as 2026-11-27"
_FIX_MONEY = "type an amount in dollars, such as 1234.56"
_FIX_SHARES = "type a positive number of shares"
_FIX_TEXT = "type the value, or delete the row if it is not used"


# ---------------------------------------------------------------------- table reading


@dataclass(frozen=True, slots=True)
class TableRows:
    """One input table as read: where each header is, and each non-blank data row."""

    sheet: str
    header_row: int
    columns: dict[str, int]  # header -> 1-based column number
    rows: list[tuple[int, dict[str, Any]]]  # (worksheet row, {header: value})
    last_row: int  # last worksheet row of the used range


def _norm(text: object) -> str:
    return " ".join(str(text).split()).casefold() if isinstance(text, str) else ""


def read_table(
    book: BookAdapter,
    sheet: str,
    expected: Sequence[str],
    inputs: Sequence[str],
    problems: list[Problem],
) -> TableRows | None:
    """Read a table whose header is the first row holding ``expected[0]``.

    A missing ``inputs`` column is one problem for the whole sheet (the table is then not
    used); rows whose input cells (``layout.TABLE_INPUTS``) are all empty are skipped.
    """
    if sheet not in book.sheet_names():
        problems.append(
            Problem(
                sheet,
                None,
                None,
                "the sheet is missing",
                f"add a sheet named '{sheet}' "
                "with the template's columns (harvest-xl template writes a fresh one)",
            )
        )
        return None
    block = book.read_block(sheet)
    header_index = _find_header(block, expected)
    if header_index is None:
        first = block.values[0] if block.values else []
        seen = _headers(first) or "nothing"
        problems.append(
            Problem(
                sheet,
                L.HEADER_ROW,
                expected[0],
                f"no header row: expected {', '.join(expected)}; row {L.HEADER_ROW} has {seen}",
                f"put the headers {', '.join(expected)} in row {L.HEADER_ROW}",
                block.column,
            )
        )
        return None
    header_row = block.row + header_index
    header = block.values[header_index]
    found: dict[str, int] = {}
    for j, v in enumerate(header):  # a header typed twice: the first one is the column
        if _norm(v):
            found.setdefault(_norm(v), block.column + j)
    columns: dict[str, int] = {}
    missing = False
    unclaimed = {
        key: number for key, number in found.items() if key not in {_norm(e) for e in expected}
    }
    for name in expected:
        number = found.get(_norm(name))
        if number is None:
            if name in inputs:
                problems.append(_missing_column(sheet, header_row, name, header, unclaimed, block))
                missing = True
            continue
        columns[name] = number
    if missing:
        return None
    data: list[tuple[int, dict[str, Any]]] = []
    filled = [name for name in L.TABLE_INPUTS.get(sheet, inputs) if name in columns]
    for i in range(header_index + 1, len(block.values)):
        line = block.values[i]
        record = {
            name: (line[c - block.column] if c - block.column < len(line) else None)
            for name, c in columns.items()
        }
        if all(convert.is_empty(record.get(name)) for name in filled):
            continue
        data.append((block.row + i, record))
    return TableRows(sheet, header_row, columns, data, block.row + len(block.values) - 1)


_QUOTE_LIMIT = 40
_HEADERS_LISTED = 12


def _quote(value: object) -> str:
    """A typed text quoted for a message, cut short (a cell can hold 32,767 characters)."""
    text = " ".join(str(value).split())
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 3] + "..."
    return f"'{text}'"


def _headers(line: Sequence[Any]) -> str:
    """The headers found in a row, quoted, for a message (at most a dozen)."""
    names = [_quote(v) for v in line if _norm(v)]
    more = f" and {len(names) - _HEADERS_LISTED} more" if len(names) > _HEADERS_LISTED else ""
    return ", ".join(names[:_HEADERS_LISTED]) + more


def _find_header(block: Block, expected: Sequence[str]) -> int | None:
    """The header row among the first 20: the one naming most of ``expected`` (the first
    such row on a tie); None when no row names any."""
    keys = {_norm(name) for name in expected}
    best, best_score = None, 0
    for i, line in enumerate(block.values[:_HEADER_SEARCH_ROWS]):
        score = len(keys & {_norm(v) for v in line})
        if score > best_score:
            best, best_score = i, score
    return best


_HEADER_SEARCH_ROWS = 20


def _missing_column(
    sheet: str,
    header_row: int,
    name: str,
    header: Sequence[Any],
    unclaimed: dict[str, int],
    block: Block,
) -> Problem:
    """The problem for an expected column not in the header row: the header most like it,
    or else the unknown header standing where the template has it, is taken as renamed."""
    close = difflib.get_close_matches(_norm(name), list(unclaimed), n=1, cutoff=0.5)
    template = L.TABLE_COLUMNS.get(sheet, ())
    if not close and name in template:  # another word where the template has the column
        where = block.column + template.index(name)
        close = [key for key, number in unclaimed.items() if number == where]
    if close:
        number = unclaimed[close[0]]
        typed = _quote(header[number - block.column])
        cell = f"{get_column_letter(number)}{header_row}"
        return Problem(
            sheet,
            header_row,
            name,
            f"expected a column '{name}' but found {typed} in {cell}",
            f"rename {typed} back to '{name}' (the headers are the template's names)",
            number,
        )
    seen = _headers(header) or "no headers"
    return Problem(
        sheet,
        header_row,
        name,
        f"the column '{name}' is missing (row {header_row} has {seen})",
        f"add a column named '{name}' to the table (harvest-xl template shows the layout)",
    )


# ------------------------------------------------------------------- input conversion


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
    by_key = {_norm(k): k for k in PROFILE_KEYS}
    raw: dict[str, Any] = {}
    key_rows: dict[str, int] = {}
    unknown: dict[str, tuple[str, int]] = {}  # column A labels that are not keys -> (text, row)
    values: dict[str, Any] = {}
    for i, line in enumerate(block.values):
        if not line:
            continue
        key = by_key.get(_norm(line[0]))
        row = block.row + i
        if key is None:
            if isinstance(line[0], str) and _norm(line[0]):
                unknown.setdefault(_norm(line[0]), (line[0].strip(), row))
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
    close = difflib.get_close_matches(_norm(key), list(unknown), n=1, cutoff=0.6)
    if close:
        typed, row = unknown[close[0]]
        return Problem(
            L.PROFILE,
            row,
            key,
            f"expected the key '{key}' but found {_quote(typed)} in A{row}",
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


# ---------------------------------------------------------------------------- results


@dataclass
class RefreshResult:
    """What a refresh found and wrote."""

    inputs: Inputs
    portfolio: Any = None
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        return self.inputs.problems

    @property
    def ok(self) -> bool:
        return not self.problems


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _as_cell(value: Any) -> Any:
    """An engine value as a cell value (Decimal -> float, enums -> their text)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool | int | float | str | date | datetime) or value is None:
        return value
    text = getattr(value, "value", None)
    return text if isinstance(text, str) else str(value)


# ------------------------------------------------------------------------ the refresh

_FILING_NAMES = {
    FilingStatus.SINGLE: "Single",
    FilingStatus.MFJ: "Married filing jointly",
    FilingStatus.MFS: "Married filing separately",
    FilingStatus.HOH: "Head of household",
    FilingStatus.QSS: "Qualifying surviving spouse",
}


def refresh_workbook(
    book: BookAdapter, *, today: date | None = None, goal: str | None = None
) -> RefreshResult:
    """Refresh ``book``: read inputs, give formula cells their values, write the outputs.

    ``today`` only words the fix for an empty as-of date (the computation never uses a
    clock). ``goal`` overrides the Profile's *Plan goal*.
    """
    inputs = read_inputs(book)
    result = RefreshResult(inputs)
    problems = inputs.problems
    if today is not None:
        for i, p in enumerate(problems):
            if p.sheet == L.PROFILE and p.column == "As-of date":
                problems[i] = Problem(
                    p.sheet,
                    p.row,
                    p.column,
                    p.problem,
                    f"type the day you would sell, e.g. {today.isoformat()}",
                    p.column_number,
                )
    profile_block = book.read_block(L.PROFILE) if L.PROFILE in book.sheet_names() else None
    names = _defined_name_cells(profile_block)
    _write_holdings_formulas(book, inputs, names, profile_block)
    _write_withdrawal(book, names, profile_block)
    portfolio = None
    if inputs.profile is not None:
        plan_goal = goal if goal is not None else _cell(profile_block, L.PLAN_GOAL_ROW, 2)
        try:
            portfolio = _evaluate(inputs, plan_goal)
        except HarvestInputError as error:
            problems.append(
                Problem(
                    L.PROFILE,
                    L.PLAN_GOAL_ROW if error.argument == "goal" else None,
                    L.PLAN_GOAL_KEY if error.argument == "goal" else error.argument,
                    error.problem,
                    "correct the value and refresh again",
                    2,
                )
            )
    result.portfolio = portfolio
    _write_plan(book, portfolio)
    _write_wash_sales(book, portfolio)
    result.summary = _write_summary(book, inputs, portfolio)
    return result


def _cell(block: Block | None, row: int, column: int) -> Any:
    if block is None:
        return None
    i, j = row - block.row, column - block.column
    if 0 <= i < len(block.values) and 0 <= j < len(block.values[i]):
        return block.values[i][j]
    return None


def _defined_name_cells(block: Block | None) -> dict[str, Any]:
    """What each Profile defined name refers to (Profile!$B$n), as Excel would read it."""
    return {name: _cell(block, L.PROFILE_ROWS[key], 2) for name, key in L.PROFILE_NAMES.items()}


def _profile_range(block: Block | None) -> list[list[Any]]:
    return [
        [_cell(block, r, 1), _cell(block, r, 2)]
        for r in range(L.FIRST_DATA_ROW, L.PROFILE_LAST_ROW + 1)
    ]


def _write_holdings_formulas(
    book: BookAdapter, inputs: Inputs, names: dict[str, Any], profile_block: Block | None
) -> None:
    """Values of the Holdings calculated columns, row by row, as the formulas compute them."""
    from harvest_xl.excel.formula_values import holdings_row

    table = inputs.holdings
    if table is None:
        return
    block = book.read_block(L.HOLDINGS)
    accounts_table: list[list[Any]] = []
    if L.ACCOUNTS in book.sheet_names():
        accounts_table = _table_body(book.read_block(L.ACCOUNTS), L.ACCOUNTS_COLUMNS)
    ranges: dict[str, Any] = {"Profile": _profile_range(profile_block)}
    for sheet, header in L.TABLE_INPUTS.items():  # Table[#All]: header row, then the body
        if sheet != L.HOLDINGS and sheet in book.sheet_names():
            ranges[sheet] = [list(header), *_table_body(book.read_block(sheet), header)]
    from harvest_xl.excel.template import HOLDINGS_FORMULAS

    formulas = {f.column for f in HOLDINGS_FORMULAS if f.formula is not None}
    computed = [c for c in L.HOLDINGS_COMPUTED if c in table.columns and c in formulas]
    first = table.header_row + 1
    columns: dict[str, list[list[Any]]] = {c: [] for c in computed}
    rows: list[dict[str, Any]] = []
    for row in range(first, table.last_row + 1):
        line = block.values[row - block.row] if row - block.row < len(block.values) else []
        rows.append(
            {
                name: (line[c - block.column] if c - block.column < len(line) else None)
                for name, c in table.columns.items()
                if name in L.HOLDINGS_INPUTS
            }
        )
    ranges["Holdings inputs"] = [
        list(L.HOLDINGS_INPUTS),
        *([cells.get(name) for name in L.HOLDINGS_INPUTS] for cells in rows),
    ]
    for cells in rows:
        values = holdings_row(cells, names, accounts_table, ranges)
        for c in computed:
            columns[c].append([_result_cell(values.get(c, ""))])
    for c in computed:
        if columns[c]:
            book.write_results(L.HOLDINGS, first, table.columns[c], columns[c])


def _table_body(block: Block, columns: Sequence[str]) -> list[list[Any]]:
    """A table's data rows with its columns in ``columns`` order (for VLOOKUP-like reads)."""
    index = _find_header(block, columns)
    if index is None:
        return []
    header = [_norm(v) for v in block.values[index]]
    positions = [header.index(_norm(c)) if _norm(c) in header else None for c in columns]
    body = []
    for line in block.values[index + 1 :]:
        body.append([line[p] if p is not None and p < len(line) else None for p in positions])
    return body


def _result_cell(value: Any) -> Any:
    from harvest_xl.excel.formula_values import CellError

    if isinstance(value, CellError):
        return value
    if isinstance(value, list):  # an array result in a single cell: its top-left value
        first = value[0] if value else None
        return _result_cell(first[0] if isinstance(first, list) and first else first)
    return value


def _write_withdrawal(
    book: BookAdapter, names: dict[str, Any], profile_block: Block | None
) -> None:
    from harvest_xl.excel.formula_values import withdrawal_results
    from harvest_xl.excel.template import (
        WITHDRAWAL_INPUT_ROW,
        WITHDRAWAL_INPUTS,
        WITHDRAWAL_OUTPUT_ROW,
    )

    if L.WITHDRAWAL not in book.sheet_names():
        return
    block = book.read_block(L.WITHDRAWAL)
    cells = [_cell(block, WITHDRAWAL_INPUT_ROW + i, 2) for i in range(len(WITHDRAWAL_INPUTS))]
    values = withdrawal_results(cells, names, _profile_range(profile_block))
    book.write_results(L.WITHDRAWAL, WITHDRAWAL_OUTPUT_ROW, 2, [[_result_cell(v)] for v in values])


def _evaluate(inputs: Inputs, goal: Any) -> Any:
    from harvest_xl.engine.lots import IdenticalGroups, identical_groups
    from harvest_xl.engine.plan import PlanGoal
    from harvest_xl.engine.portfolio import evaluate_lots

    assert inputs.profile is not None
    try:
        groups = identical_groups(inputs.securities)
    except HarvestInputError as error:
        inputs.problems.append(
            Problem(
                L.SECURITIES,
                None,
                "Identical group",
                error.problem,
                "put each ticker in one identical group only",
            )
        )
        groups = IdenticalGroups()
    return evaluate_lots(
        inputs.profile,
        inputs.lots,
        inputs.activity,
        inputs.recurring,
        inputs.securities,
        {a.name: a for a in inputs.accounts},
        groups,
        PlanGoal.parse(goal),
        # Every Holdings withdrawal cell is an HX_LOT_ formula (valued by its own call);
        # the plan, Wash sales and Summary sheets never read the pass's withdrawal costs.
        withdrawals=False,
    )


def _replace_output(
    book: BookAdapter, sheet: str, width: int, rows: list[list[Any]], first: int
) -> None:
    """Clear the previous output below the header, then write ``rows``."""
    if sheet not in book.sheet_names():
        return
    block = book.read_block(sheet)
    old_last = block.row + len(block.values) - 1
    if old_last >= first:
        book.clear(sheet, first, 1, old_last - first + 1, width)
    if rows:
        book.write_values(sheet, first, 1, rows)


def _write_plan(book: BookAdapter, portfolio: Any) -> None:
    rows: list[list[Any]] = []
    if portfolio is not None:
        status = {r.row: r.status_text for r in portfolio.rows}
        for rank, p in enumerate(portfolio.plan.rows, start=1):
            lot = p.lot
            part = (
                ""
                if p.shares == lot.shares
                else f"Sell {p.shares.normalize():f} of {lot.shares.normalize():f} shares. "
            )
            rows.append(
                [
                    rank,
                    lot.account,
                    lot.ticker,
                    float(p.shares),
                    lot.acquired,
                    p.term.value,
                    _money(p.loss),
                    _money(p.saving),
                    _money(p.carryover),
                    p.safe_rebuy,
                    p.substitute or "",
                    part + status.get(lot.row, ""),
                ]
            )
    _replace_output(book, L.PLAN, len(L.PLAN_COLUMNS), rows, L.OUTPUT_HEADER_ROW + 1)
    if L.PLAN in book.sheet_names():
        book.write_values(L.PLAN, 3, 1, [[_plan_line(portfolio)]])


def _plan_line(portfolio: Any) -> str:
    if portfolio is None:
        return "No plan: fix the problems listed on the Summary sheet and refresh."
    plan = portfolio.plan
    target = "every loss" if plan.target is None else f"a loss of ${plan.target:,.2f}"
    if not plan.rows:
        return f"Goal: {plan.goal.value} ({target}). Nothing to harvest."
    return (
        f"Goal: {plan.goal.value} ({target}). Sell {len(plan.rows)} lot(s), loss "
        f"${plan.total_loss:,.2f}, tax saving ${plan.total_saving:,.2f}."
    )


def _write_wash_sales(book: BookAdapter, portfolio: Any) -> None:
    rows: list[list[Any]] = []
    if portfolio is not None:
        for m in portfolio.wash.matches:
            rows.append(
                [
                    m.sale_date,
                    m.sale_account,
                    m.ticker,
                    float(m.shares),
                    _money(m.disallowed_loss),
                    m.permanently_lost,
                    m.replacement_date,
                    m.replacement_account,
                    _money(m.basis_increase),
                ]
            )
    _replace_output(book, L.WASH_SALES, len(L.WASH_SALES_COLUMNS), rows, L.OUTPUT_HEADER_ROW + 1)


def _write_summary(book: BookAdapter, inputs: Inputs, portfolio: Any) -> dict[str, Any]:
    from harvest_xl.engine.models import Term

    profile = inputs.profile
    values: dict[str, Any] = {label: None for label in L.SUMMARY_ROWS}
    if profile is not None:
        values["As-of date"] = profile.as_of
        values["Tax year"] = profile.tax_year
        values["Filing status"] = _FILING_NAMES[profile.filing_status]
    values["Lots"] = len(inputs.holdings.rows) if inputs.holdings is not None else 0
    problem_rows = {(p.sheet, p.row) for p in inputs.problems}
    values["Rows with problems"] = len(problem_rows)
    if portfolio is not None:
        plan, summary, after = portfolio.plan, portfolio.summary, portfolio.summary.after
        values["Lots to harvest"] = len(plan.rows)
        values["Short-term loss harvested"] = _money(
            sum((r.loss for r in plan.rows if r.term is Term.SHORT), Decimal(0))
        )
        values["Long-term loss harvested"] = _money(
            sum((r.loss for r in plan.rows if r.term is Term.LONG), Decimal(0))
        )
        sd = after.schedule_d
        values["Schedule D line 7: net short-term"] = _money(sd.line_7)
        values["Schedule D line 15: net long-term"] = _money(sd.line_15)
        values["Schedule D line 16: combined"] = _money(sd.line_16)
        values["Deducted against ordinary income (line 21)"] = _money(after.loss_deduction)
        values["Short-term carryover to next year"] = _money(after.st_carryover_out)
        values["Long-term carryover to next year"] = _money(after.lt_carryover_out)
        values["Federal tax without harvesting"] = _money(summary.before.total)
        values["Federal tax with the plan"] = _money(after.total)
        values["Federal saving"] = _money(summary.federal_saving)
        values["State saving"] = _money(summary.state_saving)
        values["Total tax saving"] = _money(summary.total_saving)
        values["Wash sales found"] = len(portfolio.wash.matches)
        values["Loss permanently lost to wash sales"] = _money(summary.wash_lost_for_good)
        values["Holdings with a wash-sale risk"] = sum(1 for r in portfolio.rows if r.wash_risk)
    if L.SUMMARY not in book.sheet_names():
        return values
    labels = [label for label in L.SUMMARY_ROWS if label != "Refreshed"]
    book.write_values(L.SUMMARY, L.SUMMARY_FIRST_ROW, 2, [[values[label]] for label in labels])
    _write_charts_data(book, portfolio)
    _write_problems(book, inputs.problems)
    return values


def _write_charts_data(book: BookAdapter, portfolio: Any) -> None:
    n = L.SUMMARY_CHART_ROWS
    first = L.SUMMARY_FIRST_ROW
    book.clear(L.SUMMARY, first, L.SUMMARY_BY_ACCOUNT_COLUMN, n, 3)
    book.clear(L.SUMMARY, first, L.SUMMARY_BY_LOT_COLUMN, n, 2)
    if portfolio is None:
        return
    by_account: dict[str, list[Decimal]] = {}
    for r in portfolio.rows:
        totals = by_account.setdefault(r.lot.account, [Decimal(0), Decimal(0)])
        totals[0] += r.gain
        if r.gain < 0:
            totals[1] += r.gain
    accounts = [[name, _money(g), _money(loss)] for name, (g, loss) in by_account.items()]
    if accounts:
        book.write_values(L.SUMMARY, first, L.SUMMARY_BY_ACCOUNT_COLUMN, accounts[:n])
    lots = [
        [f"{p.lot.ticker} ({p.lot.account}, {p.lot.acquired.isoformat()})", _money(p.saving)]
        for p in portfolio.plan.rows
    ]
    if lots:
        book.write_values(L.SUMMARY, first, L.SUMMARY_BY_LOT_COLUMN, lots[:n])


def _write_problems(book: BookAdapter, problems: list[Problem]) -> None:
    head = L.SUMMARY_PROBLEMS_ROW
    block = book.read_block(L.SUMMARY)
    old_last = block.row + len(block.values) - 1
    if old_last > head:
        book.clear(L.SUMMARY, head + 1, 1, old_last - head, 1)
    title = f"Problems ({len(problems)}): fix these and refresh" if problems else "Problems: none"
    book.write_values(L.SUMMARY, head, 1, [[title]])
    if problems:
        book.write_values(L.SUMMARY, head + 1, 1, [[str(p)] for p in problems])
