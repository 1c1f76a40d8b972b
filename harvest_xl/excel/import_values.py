"""Cell values as the import writes and compares them: numbers to Excel's precision, dates,
text; the fingerprint of a row; rows matched by value, each table row standing for one record.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.lots import Action
from harvest_xl.engine.names import fold
from harvest_xl.excel import layout as L
from harvest_xl.excel.import_records import TableRows
from harvest_xl.inputs import cells

_MIDNIGHT = datetime.min.time()


def cell_value(value: Decimal | float | int | date | str | None) -> Any:
    """A value as written to a cell: a Decimal becomes an int when whole, else a float (Excel
    keeps 15 significant digits, more than any share count or amount a broker gives)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def canonical(value: object) -> str:
    """A cell's value as compared: numbers to Excel's 15 significant digits, a datetime at
    midnight as its date, text with its spaces evened out."""
    # The kinds a table cell holds, first, by exact type: a digest is made of each value
    # of a long table's repeated rows. Anything else as :func:`_canonical_other` says.
    if value is None:
        return ""
    if type(value) is str:
        return " ".join(value.split())
    if type(value) is int or type(value) is float:
        return "0" if value == 0 else format(value, ".15g")
    if type(value) is date:
        return value.isoformat()
    if type(value) is datetime:  # a date cell as openpyxl reads it
        return value.date().isoformat() if value.time() == _MIDNIGHT else value.isoformat()
    return _canonical_other(value)


def _canonical_other(value: object) -> str:
    if cells.is_empty(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return "0" if number == 0 else format(number, ".15g")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == _MIDNIGHT else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def fingerprint(values: Mapping[str, Any], columns: Sequence[str]) -> str:
    """The digest of a row's input values: equal exactly when every value compares equal."""
    text = "\x1f".join(canonical(values.get(name)) for name in columns)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def activity_fingerprint(values: Mapping[str, Any]) -> str:
    """The :func:`fingerprint` of an Activity row (its every column is an input)."""
    return fingerprint(values, L.ACTIVITY_COLUMNS)


def _number(value: object) -> str:
    try:
        return canonical(cells.to_decimal(value, "value"))
    except HarvestInputError:
        return canonical(value)


def _day(value: object) -> str:
    try:
        return cells.to_date(value, "value").isoformat()
    except HarvestInputError:
        return canonical(value)


def _action(value: object) -> str:
    try:
        return Action.parse(value).value
    except HarvestInputError:
        return fold(str(value)) if value is not None else ""


def _name(value: object) -> str:
    return fold(canonical(value))


def holding_match(values: Mapping[str, Any]) -> tuple[str, ...]:
    """A Holdings row as matched by value: the lot (account, ticker, shares, acquired,
    basis), not its price, which moves every day."""
    return (
        _name(values.get("Account")),
        canonical(values.get("Ticker")).upper(),
        _number(values.get("Shares")),
        _day(values.get("Acquired")),
        _number(values.get("Cost basis")),
    )


def activity_match(values: Mapping[str, Any]) -> tuple[str, ...]:
    """An Activity row as matched by value: every column, as the table reads it."""
    return (
        _day(values.get("Date")),
        _name(values.get("Account")),
        _action(values.get("Action")),
        canonical(values.get("Ticker")).upper(),
        _number(values.get("Shares")),
        _number(values.get("Price")),
        _number(values.get("Cost basis")),
        _day(values.get("Acquired")),
    )


class RowsByValue:
    """The rows of a table by their matched values; each row stands for one record. Built
    on first use: an import whose records the ledger already holds never needs it."""

    def __init__(self, rows: TableRows, match: Any) -> None:
        self._source = rows
        self._match = match
        self._index: dict[tuple[str, ...], list[int]] | None = None

    def _rows(self) -> dict[tuple[str, ...], list[int]]:
        if self._index is None:
            self._index = defaultdict(list)
            for number, values in self._source:
                self._index[self._match(values)].append(number)
        return self._index

    def take(self, values: Mapping[str, Any]) -> int | None:
        """The first row holding ``values`` not taken yet (taken now), or None."""
        if not self._source:
            return None
        found = self._rows().get(self._match(values))
        return found.pop(0) if found else None

    def holds(self, rows: Sequence[Mapping[str, Any]]) -> bool:
        """Whether a row not taken yet holds each of ``rows`` (none is taken)."""
        if not self._source:
            return False
        index = self._rows()
        wanted = Counter(self._match(values) for values in rows)
        return all(len(index.get(match, ())) >= n for match, n in wanted.items())

    def take_all(self, rows: Sequence[Mapping[str, Any]]) -> list[int] | None:
        """A row for each of ``rows`` (all taken now), or None (none taken) when any of
        them is not there."""
        if not self._source:
            return None
        index = self._rows()
        matches = [self._match(values) for values in rows]
        wanted = Counter(matches)
        if any(len(index.get(match, ())) < n for match, n in wanted.items()):
            return None
        return [index[match].pop(0) for match in matches]
