"""Header-keyed rows (as the workbook's tables hold them) into engine models.

The one row-parsing path: the Excel functions that take tables (``HX_EVALUATE``,
``HX_WASH_SALES``, the per-lot ``HX_LOT_`` functions), the workbook refresh, the CLI and the
Python API all call the ``parse_*`` functions here, and every cell is converted by
:mod:`harvest_xl.inputs.cells`, the same rules the single-value Excel functions use. So a
cell gives the same value, or the same message, wherever it is read.

Every problem is collected as a :class:`RowProblem` (table, row, column header, message,
fix) and the row is left out; the rest is still computed. A row's number is its index in
the rows given, unless the caller passes ``numbers`` (the refresh passes worksheet rows);
the models built carry the same number in their ``row`` field.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.form8949 import BasisReporting
from harvest_xl.engine.lots import (
    Account,
    Action,
    Activity,
    Frequency,
    IdenticalGroups,
    Lot,
    Owner,
    Recurring,
    Security,
    identical_groups,
)
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.names import fold
from harvest_xl.inputs import cells
from harvest_xl.inputs.table_columns import TableColumns

Row = Mapping[str, object]

ZERO = Decimal(0)
T = TypeVar("T")
H = TypeVar("H", bound=Hashable)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A bad cell: ``table``, ``row`` (index or caller's number), ``field`` (the column
    header), what is wrong and how to fix it."""

    table: str
    row: int
    field: str
    message: str
    fix: str = ""


# ------------------------------------------------------------------------- fixes

FIX_DATE = "type a date such as 2026-11-27 (dates typed as text are read month/day/year)"
FIX_MONEY = "type an amount in dollars, such as 1234.56"
FIX_SHARES = "type the number of shares, more than zero"
FIX_TICKER = "type the ticker symbol"
FIX_ACCOUNT_NAME = "type the account's name"
FIX_UNKNOWN_ACCOUNT = "add the account to the Accounts sheet, or fix its spelling there or here"
FIX_TYPE = (
    "choose an account type from the list (Taxable, Traditional IRA, Roth IRA, "
    "Traditional 401(k), HSA …)"
)
FIX_ACTION = "choose BUY or SELL"
FIX_FREQUENCY = "choose a frequency from the list (weekly, biweekly, monthly, quarterly …)"
FIX_OWNER = "type self or spouse"
FIX_YEAR = "type a year such as 2015"
FIX_TEXT = "type the value, or delete the row if it is not used"
FIX_BASIS_REPORTED = (
    "choose Yes (the broker reports the cost basis to the IRS: Form 8949 box A/D), No (box "
    "B/E) or no 1099-B (box C/F); leave it blank to go by the purchase date (lots bought "
    "since 2011, funds since 2012, are reported)"
)
FIX_SELL = (
    "type both the sold shares' cost basis and acquired date (from the broker's 1099-B), "
    "or leave both blank to sell the account's earliest shares first"
)

_FIXES = {
    "Shares": FIX_SHARES,
    "Price": FIX_MONEY + " (not negative)",
    "Cost basis": FIX_MONEY + " (what was paid, not negative)",
    "Amount": FIX_MONEY + " (more than zero)",
    "Ticker": FIX_TICKER,
    "Substitute": "type the substitute's ticker symbol",
    "Date": FIX_DATE,
    "Next date": FIX_DATE,
    "Separation date": FIX_DATE,
    "SIMPLE start date": FIX_DATE,
}

# Argument names the models raise with -> the column headers users see.
_FIELD_NAMES = {
    "shares": "Shares",
    "price": "Price",
    "cost_basis": "Cost basis",
    "acquired": "Acquired",
    "ticker": "Ticker",
    "amount": "Amount",
    "substitute": "Substitute",
}


# ------------------------------------------------------------------------ reading


class _Bad:
    """What a cell read as when it is a problem: its message (and its fix, when not the
    column's own)."""

    __slots__ = ("message", "fix")

    def __init__(self, message: str, fix: str | None = None) -> None:
        self.message, self.fix = message, fix


_EMPTY = _Bad("is empty")
"""A required cell left empty."""

_KEPT_TYPES = frozenset({str, int, float, date})
"""Cell values whose equal values read alike (a datetime is left out: two equal aware
datetimes can fall on different dates; a bool equals 1 yet is no number)."""


def _each(values: list[Any], read: Callable[[Any], Any]) -> tuple[list[Any], Iterable[Any]]:
    """``read(value)`` of each of ``values``, and the distinct results; ``read`` is asked
    once per distinct value where equal values are the same: values of one kind (with
    blanks), or of several kinds told apart by type (``1`` and ``1.0``). Zeros of a float
    column (``-0.0 == 0.0``, quoted apart in a message) and any other type are read one
    by one."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if kinds <= _KEPT_TYPES and not (float in kinds and 0.0 in values):
        if len(kinds) <= 1:
            known = {value: read(value) for value in dict.fromkeys(values)}
            return list(map(known.__getitem__, values)), known.values()
        keys = list(zip(map(type, values), values, strict=True))
        by_key = {key: read(key[1]) for key in dict.fromkeys(keys)}
        return list(map(by_key.__getitem__, keys)), by_key.values()
    results = [read(value) for value in values]
    return results, results


@dataclass(frozen=True, slots=True)
class _Column:
    """A column as read: per row (in the table's order), its value, None (an empty optional
    cell) or a :class:`_Bad`; ``bad``: the positions of the bad ones."""

    name: str
    fix: str
    values: list[Any]
    bad: frozenset[int]


def _column(name: str, fix: str, read: tuple[list[Any], Iterable[Any]]) -> _Column:
    """The column of ``read`` (as :func:`_each` gives it)."""
    values, distinct = read
    if not any(type(value) is _Bad for value in distinct):
        return _Column(name, fix, values, frozenset())
    bad = frozenset(i for i, value in enumerate(values) if type(value) is _Bad)
    return _Column(name, fix, values, bad)


class _Table:
    """One read of a table given as rows of cells by header name (case and spacing
    ignored), column by column: its non-blank rows and their numbers, and each column's
    cells converted once per distinct value. A bad cell is a problem of its row; a row's
    problems are listed in the order its cells are read (:class:`_Row`, :func:`_read_rows`)."""

    def __init__(
        self,
        table: str,
        rows: Sequence[Row],
        numbers: Sequence[int] | None,
        problems: list[RowProblem],
    ) -> None:
        self.table, self.problems = table, problems
        self.folded: dict[str, str] = {}
        columnar = rows if isinstance(rows, TableColumns) else None  # its columns as they are
        if columnar is not None:
            shapes = [columnar.keys] if len(columnar) else []
        else:
            shapes = list(map(tuple, rows))  # each row's keys
        # per distinct set of keys: its keys by folded name (of two that fold alike, the
        # last, as a dict built from the row would keep them)
        headers = {keys: {self.fold(key): key for key in keys} for keys in dict.fromkeys(shapes)}
        self._first = next(iter(headers.values()), {})
        self._headers = [headers[keys] for keys in shapes] if len(headers) > 1 else None
        self._cached: dict[str, list[Any]] = {}  # one shape, every row kept: cells by key
        filled = [False] * len(rows)
        for keys, found in headers.items():
            for key in found.values():
                if columnar is not None:
                    column = self._cached[key] = columnar.column(key)
                elif self._headers is None:
                    column = self._cached[key] = list(map(operator.itemgetter(key), rows))
                else:
                    column = [row[key] if tuple(row) == keys else None for row in rows]
                flags, distinct = _each(column, _filled)
                if self._headers is None and all(distinct):
                    filled = flags  # a column without an empty cell: no row is blank
                    break
                filled = list(map(operator.or_, filled, flags))
        kept = [index for index, full in enumerate(filled) if full]
        self.numbers = [numbers[i] for i in kept] if numbers is not None else kept
        self.rows: Sequence[Row]
        if columnar is not None:
            kept_rows = columnar if len(kept) == len(rows) else columnar.take(kept)
            self.rows = kept_rows
            self._cached = {key: kept_rows.column(key) for key in kept_rows.keys}
            return
        self.rows = [rows[index] for index in kept]
        if self._headers is not None:
            self._headers = [self._headers[index] for index in kept]
        if len(kept) < len(rows):
            self._cached = {}  # a blank row left out: the cells are taken again

    def fold(self, name: object) -> str:
        text = str(name)
        found = self.folded.get(text)
        if found is None:
            found = self.folded[text] = fold(text)
        return found

    def cells(self, name: str) -> list[Any]:
        """Each row's cell of column ``name`` (None where the row has no such column)."""
        folded = self.fold(name)
        if self._headers is None:
            key = self._first.get(folded)
            if key is None:
                return [None] * len(self.rows)
            found = self._cached.get(key)
            return found if found is not None else list(map(operator.itemgetter(key), self.rows))
        out = []
        for row, headers in zip(self.rows, self._headers, strict=True):
            key = headers.get(folded)
            out.append(None if key is None else row[key])
        return out

    def read(
        self, name: str, convert: Callable[[object, str], Any], fix: str, required: bool = True
    ) -> _Column:
        """Column ``name`` read with ``convert``: an empty cell is a problem when
        ``required`` (else None), a value ``convert`` refuses is one."""
        empty = _EMPTY if required else None

        def read(value: object) -> Any:
            if cells.is_empty(value):
                return empty
            try:
                return convert(value, name)
            except HarvestInputError as error:
                return _Bad(error.problem)

        return _column(name, fix, _each(self.cells(name), read))

    def row(self, index: int) -> _Row:
        return _Row(self, index)


def _filled(value: object) -> bool:
    return not cells.is_empty(value)


class _Row:
    """One row of a :class:`_Table`, its cells taken one by one: each bad cell is one
    problem and marks the row bad."""

    __slots__ = ("table", "index", "number", "ok")

    def __init__(self, table: _Table, index: int) -> None:
        self.table, self.index = table, index
        self.number = table.numbers[index]
        self.ok = True

    def get(self, column: _Column) -> Any:
        value = column.values[self.index]
        if type(value) is _Bad:
            self.fail(column.name, value.message, value.fix or column.fix)
            return None
        return value

    def optional(self, column: _Column) -> Any:
        """A cell whose bad value is a problem that leaves the row in (read as blank), for
        columns the rest of the row does not depend on."""
        value = column.values[self.index]
        if type(value) is _Bad:
            table = self.table
            table.problems.append(
                RowProblem(table.table, self.number, column.name, value.message, column.fix)
            )
            return None
        return value

    def fail(self, name: str, message: str, fix: str) -> None:
        self.ok = False
        table = self.table
        table.problems.append(RowProblem(table.table, self.number, name, message, fix))

    def build(self, factory: Callable[..., T], *args: object, fixes: Mapping[str, str]) -> T | None:
        """The model, when every cell converted; its own validation error is a problem."""
        if not self.ok:
            return None
        return _build(self.table, self.number, factory, args, fixes)


def _build(
    table: _Table, number: int, factory: Callable[..., T], args: Sequence[object], fixes: Any
) -> T | None:
    """``factory(*args)``; its validation error is a problem of the row ``number``."""
    try:
        return factory(*args)
    except HarvestInputError as error:
        _refused(table, number, error, fixes)
        return None


def _refused(table: _Table, number: int, error: HarvestInputError, fixes: Any) -> None:
    """A model's validation error as a problem of the row ``number``."""
    name = _FIELD_NAMES.get(error.argument, error.argument)
    fix = fixes.get(name) or _FIXES.get(name, FIX_TEXT)
    table.problems.append(RowProblem(table.table, number, name, error.problem, fix))


def _read_rows(table: _Table, columns: Sequence[_Column]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(number, values in column order) of each row whose every cell read; a row with a
    bad cell is left out, each of its bad cells a problem, in column order."""
    bad = frozenset().union(*(column.bad for column in columns))
    rows = zip(*(column.values for column in columns), strict=True)
    every = zip(table.numbers, rows, strict=True)
    for index, (number, values) in enumerate(every):
        if index in bad:
            row = table.row(index)
            for column in columns:
                row.get(column)
            continue
        yield number, values


def _text(value: object, argument: str) -> str:
    return cells.to_text(value, argument)


def _account_type(value: object, argument: str) -> AccountType:
    return AccountType.parse(value, argument)


def _owner(value: object, argument: str) -> Owner:
    return Owner.parse(value, argument)


def _action(value: object, argument: str) -> Action:
    return Action.parse(value, argument)


def _frequency(value: object, argument: str) -> Frequency:
    return Frequency.parse(value, argument)


def basis_reported(value: object, argument: str) -> BasisReporting:
    """The Accounts sheet's *Basis reported* cell: Yes (the broker reports every lot's basis
    to the IRS), No (it reports none), or a word :meth:`BasisReporting.parse` knows
    (``no 1099-B``, ``covered`` ...). A blank cell is not read: the covered-security rule."""
    try:
        reported = cells.to_bool(value, argument)
    except HarvestInputError:
        return BasisReporting.parse(value, argument)
    return BasisReporting.COVERED if reported else BasisReporting.NOT_REPORTED


# ----------------------------------------------------------------------- accounts


def parse_accounts(
    rows: Sequence[Row],
    problems: list[RowProblem],
    numbers: Sequence[int] | None = None,
    reporting: dict[str, BasisReporting] | None = None,
) -> dict[str, Account]:
    """The Accounts table by account name; a name listed twice (any case) is a problem.

    ``reporting``, when given, receives each account's *Basis reported* (issue 17: Form
    8949's box), for the accounts whose cell is filled in; a table without the column (an
    older workbook) leaves it empty."""
    found: dict[str, Account] = {}
    folded: set[str] = set()
    table = _Table("Accounts", rows, numbers, problems)
    names = table.read("Account", _text, FIX_ACCOUNT_NAME)
    kinds = table.read("Type", _account_type, FIX_TYPE)
    owners = table.read("Owner", _owner, FIX_OWNER, required=False)
    separations = table.read("Separation date", cells.to_date, FIX_DATE, required=False)
    simples = table.read("SIMPLE start date", cells.to_date, FIX_DATE, required=False)
    first_years = table.read("Roth first contribution year", cells.to_int, FIX_YEAR, False)
    reports = table.read("Basis reported", basis_reported, FIX_BASIS_REPORTED, False)
    for index in range(len(table.rows)):
        r = table.row(index)
        name = r.get(names)
        kind = r.get(kinds)
        owner = r.get(owners)
        separation = r.get(separations)
        simple = r.get(simples)
        first_year = r.get(first_years)
        reported = r.optional(reports)
        if name is not None and fold(name) in folded:
            r.fail(
                "Account", f"{cells.describe(name)} is listed twice", "give each account one row"
            )
        account = r.build(
            Account,
            name,
            kind,
            owner or Owner.SELF,
            separation,
            simple,
            first_year,
            r.number,
            fixes={},
        )
        if account is not None:
            found[account.name] = account
            folded.add(fold(account.name))
            if reported is not None and reporting is not None:
                reporting[account.name] = reported
    return found


class _Accounts:
    """Account lookup by name, compared as every name is (:func:`~harvest_xl.engine.names.fold`)."""

    def __init__(self, accounts: Mapping[str, Account]) -> None:
        self.by_name = {fold(name): a for name, a in accounts.items()}

    def read(self, table: _Table) -> _Column:
        """The Account column, each name as its Accounts row (a name not on the Accounts
        sheet is a problem of its row)."""
        names = table.read("Account", _text, FIX_ACCOUNT_NAME)

        def account(name: Any) -> Any:
            if type(name) is _Bad:
                return name
            found = self.by_name.get(table.fold(name))
            if found is None:
                return _Bad(
                    f"{cells.describe(name)} is not on the Accounts sheet", FIX_UNKNOWN_ACCOUNT
                )
            return found

        known = {name: account(name) for name in dict.fromkeys(names.values)}
        return _column(
            names.name, names.fix, (list(map(known.__getitem__, names.values)), known.values())
        )


# ----------------------------------------------------------------------- holdings


def parse_lots(
    rows: Sequence[Row],
    accounts: Mapping[str, Account],
    as_of: date | None,
    problems: list[RowProblem],
    numbers: Sequence[int] | None = None,
) -> list[Lot]:
    """The Holdings table: Account, Ticker, Shares, Acquired, Cost basis, Price.

    Without an as-of date the lots are read for their value alone: as of
    :data:`~harvest_xl.inputs.cells.LAST_DATE`, so no acquisition date is refused.
    """
    fixes = {
        "Acquired": "type the date the lot was bought; it cannot be after the As-of date "
        "on the Profile sheet"
    }
    table = _Table("Holdings", rows, numbers, problems)
    columns = (
        _Accounts(accounts).read(table),
        table.read("Ticker", _text, FIX_TICKER),
        table.read("Shares", cells.to_decimal, FIX_SHARES),
        table.read("Acquired", cells.to_date, FIX_DATE),
        table.read("Cost basis", cells.to_money, _FIXES["Cost basis"]),
        table.read("Price", cells.to_money, _FIXES["Price"]),
    )
    on = as_of or cells.LAST_DATE
    out: list[Lot] = []
    for number, (account, ticker, shares, acquired, basis, price) in _read_rows(table, columns):
        lot = _build(
            table,
            number,
            Lot,
            (
                account.name,
                account.account_type,
                ticker,
                shares,
                acquired,
                basis,
                price,
                on,
                account.owner,
                number,
            ),
            fixes,
        )
        if lot is not None:
            out.append(lot)
    return out


# ----------------------------------------------------------------------- activity


def parse_activity(
    rows: Sequence[Row],
    accounts: Mapping[str, Account],
    problems: list[RowProblem],
    numbers: Sequence[int] | None = None,
) -> list[Activity]:
    """The Activity table: Date, Account, Action, Ticker, Shares, Price, Cost basis, Acquired.

    Cost basis and Acquired name the lot a SELL (or TRANSFER OUT) row takes, or are both
    blank for the account's earliest shares first; a TRANSFER IN row needs both.
    """
    fixes = {
        "Acquired": "type the date the sold shares were bought: on or before the sale's Date",
        "Cost basis": FIX_SELL,
    }
    table = _Table("Activity", rows, numbers, problems)
    columns = (
        table.read("Date", cells.to_date, FIX_DATE),
        _Accounts(accounts).read(table),
        table.read("Action", _action, FIX_ACTION),
        table.read("Ticker", _text, FIX_TICKER),
        table.read("Shares", cells.to_decimal, FIX_SHARES),
        table.read("Price", cells.to_money, _FIXES["Price"]),
        table.read("Cost basis", cells.to_money, FIX_SELL, required=False),
        table.read("Acquired", cells.to_date, FIX_SELL, required=False),
    )
    out: list[Activity] = []
    for number, values in _read_rows(table, columns):
        when, account, action, ticker, shares, price, basis, acquired = values
        try:  # as _build does, in line: a long history has tens of thousands of rows
            trade = Activity(
                when,
                account.name,
                account.account_type,
                action,
                ticker,
                shares,
                price,
                basis,
                acquired,
                account.owner,
                number,
            )
        except HarvestInputError as error:
            _refused(table, number, error, fixes)
            continue
        out.append(trade)
    return out


# ---------------------------------------------------------------------- recurring


def parse_recurring(
    rows: Sequence[Row],
    accounts: Mapping[str, Account],
    problems: list[RowProblem],
    numbers: Sequence[int] | None = None,
) -> list[Recurring]:
    """The Recurring table: Account, Ticker, Amount, Frequency, Next date."""
    table = _Table("Recurring", rows, numbers, problems)
    columns = (
        _Accounts(accounts).read(table),
        table.read("Ticker", _text, FIX_TICKER),
        table.read("Amount", cells.to_money, _FIXES["Amount"]),
        table.read("Frequency", _frequency, FIX_FREQUENCY),
        table.read("Next date", cells.to_date, FIX_DATE),
    )
    out: list[Recurring] = []
    for number, (account, ticker, amount, frequency, next_date) in _read_rows(table, columns):
        plan = _build(
            table,
            number,
            Recurring,
            (
                account.name,
                account.account_type,
                ticker,
                amount,
                frequency,
                next_date,
                account.owner,
                number,
            ),
            {},
        )
        if plan is not None:
            out.append(plan)
    return out


# --------------------------------------------------------------------- securities


def parse_securities(
    rows: Sequence[Row],
    problems: list[RowProblem],
    numbers: Sequence[int] | None = None,
) -> list[Security]:
    """The Securities table: Ticker, Identical group, Substitute."""
    out: list[Security] = []
    groups: dict[str, tuple[str, int]] = {}  # ticker -> (group, row that put it there)
    table = _Table("Securities", rows, numbers, problems)
    tickers = table.read("Ticker", _text, FIX_TICKER)
    groups_read = table.read("Identical group", _text, FIX_TEXT, required=False)
    substitutes = table.read("Substitute", _text, _FIXES["Substitute"], required=False)
    for index in range(len(table.rows)):
        r = table.row(index)
        ticker = r.get(tickers)
        group = r.get(groups_read)
        substitute = r.get(substitutes)
        if ticker is not None and group is not None:
            symbol, name = ticker.upper(), group.upper()
            earlier = groups.setdefault(symbol, (name, r.number))
            if earlier[0] != name:
                r.fail(
                    "Identical group",
                    f"{symbol} is already in the group '{earlier[0]}' (row {earlier[1]})",
                    "put each ticker in one identical group only",
                )
        security = r.build(Security, ticker, group, substitute, r.number, fixes={})
        if security is not None:
            out.append(security)
    return out


# --------------------------------------------------------------------- duplicates


def duplicates(models: Iterable[H]) -> Iterator[tuple[H, H]]:
    """Each model equal to an earlier one, paired with the first of its kind, in order
    (given one at a time: a long table can repeat tens of thousands of rows).

    Models compare without their row number, so two rows typed alike are equal. Whether
    that is a mistake is the user's call: two identical lots (same day, same price) can
    be real, so callers report these as warnings and keep both rows.
    """
    first: dict[H, H] = {}
    for model in models:
        earlier = first.setdefault(model, model)
        if earlier is not model:
            yield model, earlier


# ------------------------------------------------------------------- all the tables


@dataclass
class Tables:
    """The workbook's input tables as engine models; rows with a problem are left out."""

    accounts: dict[str, Account]
    lots: list[Lot]
    activity: list[Activity]
    recurring: list[Recurring]
    securities: list[Security]
    identical: IdenticalGroups
    problems: list[RowProblem]
    basis_reporting: dict[str, BasisReporting] = field(default_factory=dict)
    """Account name -> its *Basis reported* (Form 8949 box), where the cell is filled in."""

    def account(self, name: str) -> Account:
        """The Accounts row of ``name``, compared as the table readers compare account
        names (:func:`~harvest_xl.engine.names.fold`).

        Raises:
            HarvestInputError: ``account``, when no such row (or its row has a problem).
        """
        found = _Accounts(self.accounts).by_name.get(fold(name))
        if found is None:
            raise HarvestInputError(
                "account",
                f"{cells.describe(name)} is not on the Accounts sheet (or its row there has a "
                "problem)",
            )
        return found


def read_tables(
    accounts: Sequence[Row] = (),
    holdings: Sequence[Row] = (),
    activity: Sequence[Row] = (),
    recurring: Sequence[Row] = (),
    securities: Sequence[Row] = (),
    as_of: date | None = None,
    numbers: Mapping[str, Sequence[int]] | None = None,
) -> Tables:
    """Read every input table at once (each by its reader above), collecting problems.

    ``numbers`` gives, per table name, the caller's number of each row (the refresh passes
    worksheet rows); otherwise a row's number is its index. Without ``as_of`` the Holdings
    rows are checked but no lot is built.
    """
    problems: list[RowProblem] = []
    rows_of = numbers or {}
    reporting: dict[str, BasisReporting] = {}
    by_name = parse_accounts(accounts, problems, rows_of.get("Accounts"), reporting)
    lots = parse_lots(holdings, by_name, as_of, problems, rows_of.get("Holdings"))
    acts = parse_activity(activity, by_name, problems, rows_of.get("Activity"))
    plans = parse_recurring(recurring, by_name, problems, rows_of.get("Recurring"))
    secs = parse_securities(securities, problems, rows_of.get("Securities"))
    return Tables(by_name, lots, acts, plans, secs, identical_groups(secs), problems, reporting)


# ----------------------------------------------------------- ranges without headers


ACTIVITY_POSITIONS: tuple[str, ...] = (
    "Date",
    "Account",
    "Type",
    "Action",
    "Ticker",
    "Shares",
    "Price",
    "Cost basis",
    "Acquired",
)
"""``HX_WASH_SALES``'s positional activity columns, in order (each row names its account's
type in the third column, so no Accounts table is needed)."""


def activity_from_positions(rows: Sequence[Sequence[object]], first_number: int) -> Tables:
    """Activity rows laid out as :data:`ACTIVITY_POSITIONS` (the last two may be left off),
    read by the same rules as the Activity table: each row's account and type become an
    Accounts row (a type that is no account type, or an account given two types, is that
    row's problem), then the rows are parsed as the Activity table. Rows are numbered from
    ``first_number``."""
    problems: list[RowProblem] = []
    records = [dict(zip(ACTIVITY_POSITIONS, row, strict=False)) for row in rows]
    numbers = [first_number + i for i in range(len(records))]
    types: dict[str, tuple[AccountType, int]] = {}
    account_rows: list[Row] = []
    account_numbers: list[int] = []
    for number, record in zip(numbers, records, strict=True):
        name, typed = record.get("Account"), record.get("Type")
        if cells.is_empty(name) or not isinstance(name, str) or cells.is_empty(typed):
            continue  # the Activity reader reports the empty cell
        try:
            kind = cells.to_choice(typed, "Type", AccountType.parse)
        except HarvestInputError as error:
            problems.append(RowProblem("Activity", number, "Type", error.problem, FIX_TYPE))
            continue
        earlier = types.setdefault(fold(name), (kind, number))
        if earlier[0] is not kind:
            problems.append(
                RowProblem(
                    "Activity",
                    number,
                    "Type",
                    f"{cells.describe(name)} is {earlier[0].value} in row {earlier[1]} and "
                    f"{kind.value} here",
                    "give each account one type",
                )
            )
        elif earlier[1] == number:
            account_rows.append({"Account": name, "Type": kind})
            account_numbers.append(number)
    by_name = parse_accounts(account_rows, problems, account_numbers)
    bad = {p.row for p in problems}
    acts = parse_activity(
        [r for n, r in zip(numbers, records, strict=True) if n not in bad],
        by_name,
        problems,
        [n for n in numbers if n not in bad],
    )
    problems.sort(key=lambda p: p.row)
    return Tables(by_name, [], acts, [], [], IdenticalGroups(), problems)


def identical_from_rows(rows: Sequence[Sequence[object]]) -> IdenticalGroups:
    """A two-column range (ticker, group name) as identical groups; a header row
    (``Ticker``...) and blank rows are skipped, a blank group means "only itself".

    Raises:
        HarvestInputError: ``row N, ticker: ...``, or a ticker put in two groups.
    """
    pairs = []
    for number, row in enumerate(rows, start=1):
        if all(cells.is_empty(cell) for cell in row):
            continue
        if number == 1 and fold(str(row[0])) in _IDENTICAL_HEADERS:
            continue
        if len(row) < 2:
            raise HarvestInputError("identical", "needs two columns: ticker and group")
        try:
            pairs.append((cells.to_text(row[0], "ticker"), cells.to_text(row[1], "group", "")))
        except HarvestInputError as error:
            raise HarvestInputError(
                "identical", f"row {number}, {error.argument}: {error.problem}"
            ) from None
    try:
        return IdenticalGroups.from_pairs(pairs)
    except HarvestInputError as error:
        raise HarvestInputError("identical", error.problem) from None


_IDENTICAL_HEADERS = frozenset({"ticker", "symbol", "security"})


_CONVERSION_HEADERS = frozenset({"year", "conversion year"})


def conversions_from_rows(rows: Sequence[Sequence[object]]) -> list[Any]:
    """Roth conversions, one row per year: year, taxable amount, non-taxable amount
    (optional). A header row (``Year``...) and blank rows are skipped.

    Raises:
        HarvestInputError: ``conversions``, naming the row and the cell.
    """
    from harvest_xl.engine.roth import Conversion  # imported on first use: Roth is rare

    out = []
    for number, row in enumerate(rows, start=1):
        if all(cells.is_empty(cell) for cell in row):
            continue
        if number == 1 and isinstance(row[0], str) and fold(row[0]) in _CONVERSION_HEADERS:
            continue
        if len(row) < 2:
            raise HarvestInputError("conversions", "needs columns: year, taxable, non-taxable")
        try:
            out.append(
                Conversion(
                    cells.to_int(row[0], "year"),
                    cells.to_money(row[1], "taxable", ZERO),
                    cells.to_money(row[2] if len(row) > 2 else None, "nontaxable", ZERO),
                )
            )
        except HarvestInputError as error:
            raise HarvestInputError(
                "conversions", f"row {number}, {error.argument}: {error.problem}"
            ) from None
    return out
