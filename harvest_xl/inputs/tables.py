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

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
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


class _Columns:
    """What one read of a table learns once rather than per row: each header folded, and
    each distinct value of a column converted (a 100,000-row Activity table holds a few
    accounts, actions and tickers, and a few thousand dates and prices)."""

    def __init__(self) -> None:
        self.folded: dict[str, str] = {}
        # per distinct set of keys: its keys by folded name, and by the names asked for
        self.by_keys: dict[tuple[str, ...], tuple[dict[str, str], dict[str, str | None]]] = {}
        # column -> (its converter, {(type, value): converted value or the error})
        self.converted: dict[str, tuple[Callable[[object, str], Any], dict[object, Any]]] = {}

    def fold(self, name: object) -> str:
        text = str(name)
        found = self.folded.get(text)
        if found is None:
            found = self.folded[text] = fold(text)
        return found

    def headers(self, row: Row) -> tuple[dict[str, str], dict[str, str | None]]:
        """The row's keys by their folded name (of two that fold alike, the last, as a dict
        built from the row would keep), and by each name asked for so far (None: no such
        column), kept once per distinct set of keys."""
        keys = tuple(row)
        found = self.by_keys.get(keys)
        if found is None:
            found = self.by_keys[keys] = ({self.fold(key): key for key in keys}, {})
        return found

    def convert(self, value: object, name: str, convert: Callable[[object, str], Any]) -> Any:
        """``convert(value, name)``, or the :class:`HarvestInputError` it raised, once per
        distinct value of the column (read with one converter). Values are told apart by
        type as well (``True == 1`` and ``1.0 == 1``, yet they may read differently); zeros
        (``-0.0 == 0.0``, written apart in a message) and other types are not kept."""
        kind = type(value)
        if kind not in _KEPT_TYPES or not value:
            return _converted(value, name, convert)
        found = self.converted.get(name)
        if found is None:
            found = self.converted[name] = (convert, {})
        elif found[0] != convert:  # a second converter for the column: not kept
            return _converted(value, name, convert)
        values = found[1]
        key = (kind, value)
        result = values.get(key, _MISSING)
        if result is _MISSING:
            result = values[key] = _converted(value, name, convert)
        return result


_MISSING = object()
"""No converted value yet (None is one)."""

_KEPT_TYPES = frozenset({str, int, float, date})
"""Cell values whose equal values convert alike (a datetime is left out: two equal aware
datetimes can fall on different dates)."""


def _converted(value: object, name: str, convert: Callable[[object, str], Any]) -> Any:
    try:
        return convert(value, name)
    except HarvestInputError as error:
        return error


class _Reader:
    """One row's cells by header name (case and spacing ignored), converted one by one;
    each bad cell is one problem and marks the row bad."""

    def __init__(
        self,
        table: str,
        number: int,
        row: Row,
        problems: list[RowProblem],
        columns: _Columns | None = None,
    ) -> None:
        self.table, self.number, self.problems = table, number, problems
        self.columns = columns or _Columns()
        self.row = row
        self.headers, self.asked = self.columns.headers(row)
        self.ok = True

    def blank(self) -> bool:
        row = self.row
        for key in self.headers.values():
            if not cells.is_empty(row[key]):
                return False
        return True

    def raw(self, name: str) -> object:
        key = self.asked.get(name, _MISSING)
        if key is _MISSING:
            key = self.asked[name] = self.headers.get(self.columns.fold(name))
        return None if key is None else self.row[key]  # type: ignore[index]

    def get(
        self,
        name: str,
        convert: Callable[[object, str], Any],
        fix: str,
        required: bool = True,
    ) -> Any:
        value = self.raw(name)
        if cells.is_empty(value):
            if required:
                self.fail(name, "is empty", fix)
            return None
        found = self.columns.convert(value, name, convert)
        if isinstance(found, HarvestInputError):
            self.fail(name, found.problem, fix)
            return None
        return found

    def fail(self, name: str, message: str, fix: str) -> None:
        self.ok = False
        self.problems.append(RowProblem(self.table, self.number, name, message, fix))

    def build(self, factory: Callable[..., T], *args: object, fixes: Mapping[str, str]) -> T | None:
        """The model, when every cell converted; its own validation error is a problem."""
        if not self.ok:
            return None
        try:
            return factory(*args)
        except HarvestInputError as error:
            name = _FIELD_NAMES.get(error.argument, error.argument)
            self.fail(name, error.problem, fixes.get(name) or _FIXES.get(name, FIX_TEXT))
            return None


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


def _readers(
    table: str,
    rows: Sequence[Row],
    numbers: Sequence[int] | None,
    problems: list[RowProblem],
) -> Iterable[_Reader]:
    """A reader per non-blank row."""
    columns = _Columns()
    for index, row in enumerate(rows):
        number = numbers[index] if numbers is not None else index
        reader = _Reader(table, number, row, problems, columns)
        if not reader.blank():
            yield reader


# ----------------------------------------------------------------------- accounts


def _optional(r: _Reader, name: str, convert: Callable[[object, str], T], fix: str) -> T | None:
    """An optional cell whose bad value is a problem that leaves the row in (read as blank),
    for columns the rest of the row does not depend on."""
    value = r.raw(name)
    if cells.is_empty(value):
        return None
    try:
        return convert(value, name)
    except HarvestInputError as error:
        r.problems.append(RowProblem(r.table, r.number, name, error.problem, fix))
        return None


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
    for r in _readers("Accounts", rows, numbers, problems):
        name = r.get("Account", _text, FIX_ACCOUNT_NAME)
        kind = r.get("Type", _account_type, FIX_TYPE)
        owner = r.get("Owner", _owner, FIX_OWNER, required=False)
        separation = r.get("Separation date", cells.to_date, FIX_DATE, required=False)
        simple = r.get("SIMPLE start date", cells.to_date, FIX_DATE, required=False)
        first_year = r.get("Roth first contribution year", cells.to_int, FIX_YEAR, False)
        reported = _optional(r, "Basis reported", basis_reported, FIX_BASIS_REPORTED)
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

    def get(self, r: _Reader) -> Account | None:
        name = r.get("Account", _text, FIX_ACCOUNT_NAME)
        if name is None:
            return None
        account = self.by_name.get(r.columns.fold(name))
        if account is None:
            r.fail(
                "Account",
                f"{cells.describe(name)} is not on the Accounts sheet",
                FIX_UNKNOWN_ACCOUNT,
            )
        return account


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
    lookup = _Accounts(accounts)
    fixes = {
        "Acquired": "type the date the lot was bought; it cannot be after the As-of date "
        "on the Profile sheet"
    }
    out: list[Lot] = []
    for r in _readers("Holdings", rows, numbers, problems):
        account = lookup.get(r)
        ticker = r.get("Ticker", _text, FIX_TICKER)
        shares = r.get("Shares", cells.to_decimal, FIX_SHARES)
        acquired = r.get("Acquired", cells.to_date, FIX_DATE)
        basis = r.get("Cost basis", cells.to_money, _FIXES["Cost basis"])
        price = r.get("Price", cells.to_money, _FIXES["Price"])
        if account is None:
            continue
        lot = r.build(
            Lot,
            account.name,
            account.account_type,
            ticker,
            shares,
            acquired,
            basis,
            price,
            as_of or cells.LAST_DATE,
            account.owner,
            r.number,
            fixes=fixes,
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
    lookup = _Accounts(accounts)
    fixes = {
        "Acquired": "type the date the sold shares were bought: on or before the sale's Date",
        "Cost basis": FIX_SELL,
    }
    out: list[Activity] = []
    for r in _readers("Activity", rows, numbers, problems):
        when = r.get("Date", cells.to_date, FIX_DATE)
        account = lookup.get(r)
        action = r.get("Action", _action, FIX_ACTION)
        ticker = r.get("Ticker", _text, FIX_TICKER)
        shares = r.get("Shares", cells.to_decimal, FIX_SHARES)
        price = r.get("Price", cells.to_money, _FIXES["Price"])
        basis = r.get("Cost basis", cells.to_money, FIX_SELL, required=False)
        acquired = r.get("Acquired", cells.to_date, FIX_SELL, required=False)
        if account is None:
            continue
        trade = r.build(
            Activity,
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
            r.number,
            fixes=fixes,
        )
        if trade is not None:
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
    lookup = _Accounts(accounts)
    out: list[Recurring] = []
    for r in _readers("Recurring", rows, numbers, problems):
        account = lookup.get(r)
        ticker = r.get("Ticker", _text, FIX_TICKER)
        amount = r.get("Amount", cells.to_money, _FIXES["Amount"])
        frequency = r.get("Frequency", _frequency, FIX_FREQUENCY)
        next_date = r.get("Next date", cells.to_date, FIX_DATE)
        if account is None:
            continue
        plan = r.build(
            Recurring,
            account.name,
            account.account_type,
            ticker,
            amount,
            frequency,
            next_date,
            account.owner,
            r.number,
            fixes={},
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
    for r in _readers("Securities", rows, numbers, problems):
        ticker = r.get("Ticker", _text, FIX_TICKER)
        group = r.get("Identical group", _text, FIX_TEXT, required=False)
        substitute = r.get("Substitute", _text, _FIXES["Substitute"], required=False)
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


def duplicates(models: Iterable[H]) -> list[tuple[H, H]]:
    """Each model equal to an earlier one, paired with the first of its kind.

    Models compare without their row number, so two rows typed alike are equal. Whether
    that is a mistake is the user's call: two identical lots (same day, same price) can
    be real, so callers report these as warnings and keep both rows.
    """
    first: dict[H, H] = {}
    out: list[tuple[H, H]] = []
    for model in models:
        earlier = first.setdefault(model, model)
        if earlier is not model:
            out.append((model, earlier))
    return out


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
