"""Header-keyed rows (as the workbook's tables hold them) into engine models.

The one row-parsing path: ``HX_EVALUATE`` (through :func:`~harvest_xl.engine.portfolio.
evaluate_portfolio`) and the workbook refresh (``harvest_xl.excel.refresh``) both call the
``parse_*`` functions here, and every cell is converted by :mod:`harvest_xl.engine.cells`,
the same rules the single-value Excel functions use. So a cell gives the same value, or the
same message, wherever it is read.

Every problem is collected as a :class:`RowProblem` (table, row, column header, message,
fix) and the row is left out; the rest is still computed. A row's number is its index in
the rows given, unless the caller passes ``numbers`` (the refresh passes worksheet rows);
the models built carry the same number in their ``row`` field.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from harvest_xl.engine import cells
from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.lots import (
    Account,
    Action,
    Activity,
    Frequency,
    Lot,
    Owner,
    Recurring,
    Security,
)
from harvest_xl.engine.models import AccountType

Row = Mapping[str, object]

# The cell rules, under the names this module has always offered (one implementation).
to_decimal = cells.to_decimal
to_date = cells.to_date
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
FIX_SELL = "a SELL row needs the shares' cost basis and acquired date (from the broker's 1099-B)"

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


@functools.lru_cache(maxsize=1024)
def _fold(name: str) -> str:
    """A header name with case and spacing ignored (cached: a table repeats the same few
    header names on every row)."""
    return re.sub(r"[^a-z0-9$%]+", " ", name.lower()).strip()


# ------------------------------------------------------------------------ reading


class _Reader:
    """One row's cells by header name (case and spacing ignored), converted one by one;
    each bad cell is one problem and marks the row bad."""

    def __init__(self, table: str, number: int, row: Row, problems: list[RowProblem]) -> None:
        self.table, self.number, self.problems = table, number, problems
        self.cells = {_fold(str(k)): v for k, v in row.items()}
        self.ok = True

    def blank(self) -> bool:
        return all(cells.is_empty(v) for v in self.cells.values())

    def raw(self, name: str) -> object:
        return self.cells.get(_fold(name))

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
        try:
            return convert(value, name)
        except HarvestInputError as error:
            self.fail(name, error.problem, fix)
            return None

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


def _readers(
    table: str,
    rows: Sequence[Row],
    numbers: Sequence[int] | None,
    problems: list[RowProblem],
) -> Iterable[_Reader]:
    """A reader per non-blank row."""
    for index, row in enumerate(rows):
        reader = _Reader(table, numbers[index] if numbers is not None else index, row, problems)
        if not reader.blank():
            yield reader


# ----------------------------------------------------------------------- accounts


def parse_accounts(
    rows: Sequence[Row],
    problems: list[RowProblem],
    numbers: Sequence[int] | None = None,
) -> dict[str, Account]:
    """The Accounts table by account name; a name listed twice (any case) is a problem."""
    found: dict[str, Account] = {}
    folded: set[str] = set()
    for r in _readers("Accounts", rows, numbers, problems):
        name = r.get("Account", _text, FIX_ACCOUNT_NAME)
        kind = r.get("Type", _account_type, FIX_TYPE)
        owner = r.get("Owner", _owner, FIX_OWNER, required=False)
        separation = r.get("Separation date", cells.to_row_date, FIX_DATE, required=False)
        simple = r.get("SIMPLE start date", cells.to_row_date, FIX_DATE, required=False)
        first_year = r.get("Roth first contribution year", cells.to_int, FIX_YEAR, False)
        if name is not None and name.casefold() in folded:
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
            folded.add(account.name.casefold())
    return found


class _Accounts:
    """Account lookup by name, case and spacing ignored."""

    def __init__(self, accounts: Mapping[str, Account]) -> None:
        self.by_name = {" ".join(name.split()).casefold(): a for name, a in accounts.items()}

    def get(self, r: _Reader) -> Account | None:
        name = r.get("Account", _text, FIX_ACCOUNT_NAME)
        if name is None:
            return None
        account = self.by_name.get(" ".join(name.split()).casefold())
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

    Without an as-of date every cell is still checked, but no lot is built.
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
        acquired = r.get("Acquired", cells.to_row_date, FIX_DATE)
        basis = r.get("Cost basis", cells.to_money, _FIXES["Cost basis"])
        price = r.get("Price", cells.to_money, _FIXES["Price"])
        if as_of is None or account is None:
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
            as_of,
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

    Cost basis and Acquired are needed on SELL rows only.
    """
    lookup = _Accounts(accounts)
    fixes = {
        "Acquired": "type the date the sold shares were bought: on or before the sale's Date",
        "Cost basis": FIX_SELL,
    }
    out: list[Activity] = []
    for r in _readers("Activity", rows, numbers, problems):
        when = r.get("Date", cells.to_row_date, FIX_DATE)
        account = lookup.get(r)
        action = r.get("Action", _action, FIX_ACTION)
        ticker = r.get("Ticker", _text, FIX_TICKER)
        shares = r.get("Shares", cells.to_decimal, FIX_SHARES)
        price = r.get("Price", cells.to_money, _FIXES["Price"])
        selling = action is Action.SELL
        basis = r.get("Cost basis", cells.to_money, FIX_SELL, required=selling)
        acquired = r.get("Acquired", cells.to_row_date, FIX_SELL, required=selling)
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
        next_date = r.get("Next date", cells.to_row_date, FIX_DATE)
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
