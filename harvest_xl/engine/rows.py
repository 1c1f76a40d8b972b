"""Header-keyed rows (as the workbook's tables hold them) into engine models.

Every problem is collected as a :class:`RowProblem` (table, row index, field, message)
and the row is left out; the rest is still computed. Adapters map the row index to a
sheet row and the field to a column. Cell values arrive already converted from Excel
(dates as ``date``/``datetime`` or ISO text, numbers as int/float/Decimal/text).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TypeVar

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
    normalise_ticker,
)
from harvest_xl.engine.models import AccountType

Row = Mapping[str, object]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RowProblem:
    table: str
    row: int
    field: str
    message: str


def _fold(name: str) -> str:
    return re.sub(r"[^a-z0-9$%]+", " ", name.lower()).strip()


class _Cells:
    """One row's cells, looked up by header name (case and spacing ignored)."""

    def __init__(self, row: Row) -> None:
        self.cells = {_fold(str(k)): v for k, v in row.items()}

    def get(self, name: str) -> object:
        value = self.cells.get(_fold(name))
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def blank(self) -> bool:
        return all(v is None or (isinstance(v, str) and not v.strip()) for v in self.cells.values())


def to_decimal(value: object, argument: str) -> Decimal:
    """A number from a cell: int, float, Decimal or text like "$1,234.50"."""
    if isinstance(value, bool) or value is None:
        raise HarvestInputError(
            argument, "is empty" if value is None else f"{value!r} is not a number"
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise HarvestInputError(argument, f"{value!r} is not a number")
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", "").replace("$", ""))
        except InvalidOperation:
            raise HarvestInputError(argument, f"{value!r} is not a number") from None
    else:
        raise HarvestInputError(argument, f"{value!r} is not a number")
    if not result.is_finite():
        raise HarvestInputError(argument, f"{value!r} is not a number")
    return result


def to_date(value: object, argument: str) -> date:
    """A date from a cell: ``date``, ``datetime`` or ISO text (YYYY-MM-DD)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise HarvestInputError(argument, "is empty" if value is None else f"{value!r} is not a date")


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


def _optional(value: object, convert: Callable[[object, str], T], argument: str) -> T | None:
    return None if value is None else convert(value, argument)


def _parse_table(
    table: str,
    rows: Sequence[Row],
    build: Callable[[_Cells, int], T],
    problems: list[RowProblem],
) -> list[T]:
    out: list[T] = []
    for index, row in enumerate(rows):
        cells = _Cells(row)
        if cells.blank():
            continue
        try:
            out.append(build(cells, index))
        except HarvestInputError as error:
            field = _FIELD_NAMES.get(error.argument, error.argument)
            problems.append(RowProblem(table, index, field, error.problem))
    return out


def _account(c: _Cells, index: int) -> Account:
    name = c.get("Account")
    if not isinstance(name, str):
        raise HarvestInputError(
            "Account", "is empty" if name is None else f"{name!r} is not a name"
        )
    first_year = c.get("Roth first contribution year")
    return Account(
        name.strip(),
        AccountType.parse(c.get("Type"), "Type"),
        Owner.parse(c.get("Owner"), "Owner"),
        _optional(c.get("Separation date"), to_date, "Separation date"),
        _optional(c.get("SIMPLE start date"), to_date, "SIMPLE start date"),
        None if first_year is None else int(to_decimal(first_year, "Roth first contribution year")),
        index,
    )


def parse_accounts(rows: Sequence[Row], problems: list[RowProblem]) -> dict[str, Account]:
    """The Accounts table by account name; a repeated name is a problem."""
    found: dict[str, Account] = {}
    for account in _parse_table("Accounts", rows, _account, problems):
        if account.name in found:
            problems.append(
                RowProblem(
                    "Accounts", account.row or 0, "Account", f"{account.name!r} is listed twice"
                )
            )
            continue
        found[account.name] = account
    return found


def _lookup(c: _Cells, accounts: Mapping[str, Account]) -> Account:
    name = c.get("Account")
    if isinstance(name, str) and name.strip() in accounts:
        return accounts[name.strip()]
    typed = c.get("Account type") or c.get("Type")
    if typed is not None and isinstance(name, str) and name.strip():
        return Account(name.strip(), AccountType.parse(typed, "Account type"))
    raise HarvestInputError("Account", f"{name!r} is not in the Accounts table")


def parse_lots(
    rows: Sequence[Row],
    accounts: Mapping[str, Account],
    as_of: date,
    problems: list[RowProblem],
) -> list[Lot]:
    """The Holdings table: Account, Ticker, Shares, Acquired, Cost basis, Price."""

    def build(c: _Cells, index: int) -> Lot:
        account = _lookup(c, accounts)
        return Lot(
            account.name,
            account.account_type,
            normalise_ticker(c.get("Ticker"), "Ticker"),
            to_decimal(c.get("Shares"), "Shares"),
            to_date(c.get("Acquired"), "Acquired"),
            to_decimal(c.get("Cost basis"), "Cost basis"),
            to_decimal(c.get("Price"), "Price"),
            as_of,
            account.owner,
            index,
        )

    return _parse_table("Holdings", rows, build, problems)


def parse_activity(
    rows: Sequence[Row],
    accounts: Mapping[str, Account],
    problems: list[RowProblem],
) -> list[Activity]:
    """The Activity table: Date, Account, Action, Ticker, Shares, Price, Cost basis, Acquired."""

    def build(c: _Cells, index: int) -> Activity:
        account = _lookup(c, accounts)
        return Activity(
            to_date(c.get("Date"), "Date"),
            account.name,
            account.account_type,
            Action.parse(c.get("Action"), "Action"),
            normalise_ticker(c.get("Ticker"), "Ticker"),
            to_decimal(c.get("Shares"), "Shares"),
            to_decimal(c.get("Price"), "Price"),
            _optional(c.get("Cost basis"), to_decimal, "Cost basis"),
            _optional(c.get("Acquired"), to_date, "Acquired"),
            account.owner,
            index,
        )

    return _parse_table("Activity", rows, build, problems)


def parse_recurring(
    rows: Sequence[Row],
    accounts: Mapping[str, Account],
    problems: list[RowProblem],
) -> list[Recurring]:
    """The Recurring table: Account, Ticker, Amount, Frequency, Next date."""

    def build(c: _Cells, index: int) -> Recurring:
        account = _lookup(c, accounts)
        return Recurring(
            account.name,
            account.account_type,
            normalise_ticker(c.get("Ticker"), "Ticker"),
            to_decimal(c.get("Amount"), "Amount"),
            Frequency.parse(c.get("Frequency"), "Frequency"),
            to_date(c.get("Next date"), "Next date"),
            account.owner,
            index,
        )

    return _parse_table("Recurring", rows, build, problems)


def parse_securities(rows: Sequence[Row], problems: list[RowProblem]) -> list[Security]:
    """The Securities table: Ticker, Identical group, Substitute."""

    def build(c: _Cells, index: int) -> Security:
        group, sub = c.get("Identical group"), c.get("Substitute")
        return Security(
            normalise_ticker(c.get("Ticker"), "Ticker"),
            str(group).strip() if group is not None else None,
            str(sub) if sub is not None else None,
            index,
        )

    return _parse_table("Securities", rows, build, problems)
