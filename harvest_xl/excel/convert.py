# mypy: no-warn-return-any
# (An empty cell returns the caller's ``default``, typed Any: the converters' declared return
# type is what a filled cell gives.)
"""Cell values in, engine values out: what the Excel functions and the refresh convert with.

Classic xlwings hands a UDF whatever the cell holds: ``datetime`` objects (or plain serial
numbers when a date cell is formatted as a number), floats, numeric text typed with ``$`` and
thousands separators, ``None`` for an empty cell, and, for an error cell, ``None``, the
error's text (``err_to_str=True``) or its raw COM code. The scalar converters
(:func:`to_date`, :func:`to_decimal`, :func:`to_rate`, :func:`to_int`, :func:`to_text`,
:func:`to_bool`) live in :mod:`harvest_xl.engine.cells` and are re-exported here, so the
UDFs, ``HX_EVALUATE``'s row parsing and the workbook refresh convert a cell the same way
and report ``'2026-13-01' is not a date`` alike. This module adds what only the Excel layer
needs: ranges, header rows, the Profile key/value range, cached spellings.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, fields
from decimal import Decimal
from typing import Any

from harvest_xl.engine.cells import (  # the scalar rules live in the engine
    CELL_ERROR_CODES,
    EXCEL_ERRORS,
    REQUIRED,
    describe,
    is_empty,
    to_bool,
    to_date,
    to_decimal,
    to_int,
    to_money,
    to_rate,
    to_row_date,
    to_text,
)
from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.lots import Action, Activity, IdenticalGroups
from harvest_xl.engine.models import AccountType, FilingStatus, Term, WashSalePolicy
from harvest_xl.engine.profile import PROFILE_KEYS, Profile

__all__ = [
    "CELL_ERROR_CODES",
    "EXCEL_ERRORS",
    "REQUIRED",
    "describe",
    "is_empty",
    "profile_from_pairs",
    "to_bool",
    "to_date",
    "to_decimal",
    "to_int",
    "to_money",
    "to_rate",
    "to_table",
    "records_from_table",
    "conversions_from_rows",
    "to_account_type",
    "to_filing_status",
    "to_term",
    "to_text",
    "drop_header",
    "activity_from_rows",
    "identical_from_rows",
]


ZERO = Decimal(0)


_TERMS: dict[str, Term] = {
    "long term": Term.LONG,
    "long": Term.LONG,
    "lt": Term.LONG,
    "ltcg": Term.LONG,
    "short term": Term.SHORT,
    "short": Term.SHORT,
    "st": Term.SHORT,
    "stcg": Term.SHORT,
}


def to_term(value: object, argument: str = "term") -> Term:
    """``Long-term`` or ``Short-term`` (also long/short, LT/ST), any case."""
    if isinstance(value, Term):
        return value
    if type(value) is str:
        found = _TERMS.get(_normalise_key(value))
        if found is not None:
            return found
    raise HarvestInputError(argument, f"{describe(value)} is not Long-term or Short-term")


_CACHE_LIMIT = 512
_ACCOUNT_TYPES: dict[str, AccountType] = {}
_FILING_STATUSES: dict[str, FilingStatus] = {}


def to_account_type(value: object, argument: str = "account_type") -> AccountType:
    """:meth:`AccountType.parse`, remembering the spellings already seen (a per-row hot path)."""
    if type(value) is str:
        found = _ACCOUNT_TYPES.get(value)
        if found is None:
            found = AccountType.parse(value, argument)
            if len(_ACCOUNT_TYPES) < _CACHE_LIMIT:
                _ACCOUNT_TYPES[value] = found
        return found
    return AccountType.parse(value, argument)


def to_filing_status(value: object, argument: str = "filing_status") -> FilingStatus:
    """:meth:`FilingStatus.parse`, remembering the spellings already seen."""
    if type(value) is str:
        found = _FILING_STATUSES.get(value)
        if found is None:
            found = FilingStatus.parse(value, argument)
            if len(_FILING_STATUSES) < _CACHE_LIMIT:
                _FILING_STATUSES[value] = found
        return found
    return FilingStatus.parse(value, argument)


# --------------------------------------------------------------------------- ranges


def _row_is_blank(row: list[Any]) -> bool:
    return all(is_empty(cell) for cell in row)


def to_table(value: object, argument: str, columns: int | None = None) -> list[list[Any]]:
    """A range as a list of rows, trailing blank rows dropped.

    A single value becomes ``[[value]]`` and a flat list one row. With ``columns``, every
    row must have at least that many cells (extra cells to the right are ignored, so
    a note column does not hurt) and rows are cut to exactly ``columns``.
    """
    if value is None:
        return []
    if type(value) is not list and not isinstance(value, list | tuple):
        rows: list[list[Any]] = [[value]]
    elif not value:
        return []
    elif all(not isinstance(cell, list | tuple) for cell in value):  # one flat row
        rows = [list(value)]
    else:
        rows = []
        for row in value:
            if not isinstance(row, list | tuple):
                raise HarvestInputError(argument, "is not a range of rows and columns")
            if any(isinstance(cell, list | tuple) for cell in row):
                raise HarvestInputError(argument, "is not a range of rows and columns")
            rows.append(list(row))
    while rows and _row_is_blank(rows[-1]):
        rows.pop()
    if columns is not None and rows:
        for number, row in enumerate(rows, start=1):
            if len(row) < columns:
                raise HarvestInputError(
                    argument,
                    f"needs {columns} columns but row {number} has {len(row)}",
                )
        rows = [row[:columns] for row in rows]
    return rows


def drop_header(
    rows: list[list[Any]],
    date_column: int | None = None,
    header_names: frozenset[str] = frozenset(),
) -> list[list[Any]]:
    """Rows without a header row, if the first row is one.

    The first row is a header when all its filled cells are text and either its
    ``date_column`` cell is not a date or its first cell is one of ``header_names``
    (compared case- and punctuation-insensitively). A table whose data is all text
    needs ``header_names``; otherwise its first data row would look like a header.
    """
    if not rows:
        return rows
    first = rows[0]
    filled = [cell for cell in first if not is_empty(cell)]
    if not filled or not all(type(cell) is str for cell in filled):
        return rows
    if header_names and type(first[0]) is str and _normalise_key(first[0]) in header_names:
        return rows[1:]
    if date_column is not None and date_column < len(first):
        try:
            to_date(first[date_column], "header")
        except HarvestInputError:
            return rows[1:]
    return rows


def _row_problem(argument: str, number: int, error: HarvestInputError) -> HarvestInputError:
    return HarvestInputError(argument, f"row {number}, {error.argument}: {error.problem}")


ACTIVITY_COLUMNS = (
    "date",
    "account",
    "account_type",
    "action",
    "ticker",
    "shares",
    "price",
    "cost_basis",
    "acquired",
)
"""``HX_WASH_SALES``'s activity columns, in order (the issue 3 contract)."""


def activity_from_rows(rows: object, argument: str = "activity") -> list[Activity]:
    """Activity rows (columns :data:`ACTIVITY_COLUMNS`) as engine :class:`Activity` objects.

    A header row and blank rows are skipped; a problem names the row, counted from the
    first row of the range as given (``row 3, shares: ...``).
    """
    table = to_table(rows, argument)
    start = 1
    if drop_header(table, date_column=0) is not table:
        table, start = table[1:], 2
    width = len(ACTIVITY_COLUMNS)
    out: list[Activity] = []
    for number, row in enumerate(table, start=start):
        if _row_is_blank(row):
            continue
        if len(row) < width - 2:  # cost basis and acquired may be left off for buys
            raise HarvestInputError(
                argument, f"row {number} has {len(row)} columns; {width} are needed"
            )
        cells = list(row[:width]) + [None] * (width - len(row))
        try:
            action = Action.parse(cells[3])
            out.append(
                Activity(
                    date=to_date(cells[0], "date"),
                    account=to_text(cells[1], "account"),
                    account_type=to_account_type(cells[2]),
                    action=action,
                    ticker=to_text(cells[4], "ticker"),
                    shares=to_decimal(cells[5], "shares"),
                    price=to_money(cells[6], "price"),
                    cost_basis=to_money(cells[7], "cost_basis", None),
                    acquired=to_date(cells[8], "acquired", None),
                    row=number,
                )
            )
        except HarvestInputError as error:
            raise _row_problem(argument, number, error) from None
    return out


_IDENTICAL_HEADERS = frozenset({"ticker", "symbol", "security"})


def identical_from_rows(rows: object, argument: str = "identical") -> IdenticalGroups:
    """A two-column range (ticker, group name) as :class:`IdenticalGroups`; empty -> none."""
    table = drop_header(to_table(rows, argument), header_names=_IDENTICAL_HEADERS)
    pairs = []
    for number, row in enumerate(table, start=1):
        if _row_is_blank(row):
            continue
        if len(row) < 2:
            raise HarvestInputError(argument, "needs two columns: ticker and group")
        try:
            pairs.append((to_text(row[0], "ticker"), to_text(row[1], "group", "")))
        except HarvestInputError as error:
            raise _row_problem(argument, number, error) from None
    try:
        return IdenticalGroups.from_pairs(pairs)
    except HarvestInputError as error:
        raise HarvestInputError(argument, error.problem) from None


_CONVERSION_HEADERS = frozenset({"year", "conversion year"})


def conversions_from_rows(rows: object, argument: str = "conversions") -> list[Any]:
    """Roth conversions, one row per year: year, taxable amount, non-taxable amount (optional).

    A header row (``Year``...) and blank rows are skipped; an empty range is no conversions.
    """
    from harvest_xl.engine.roth import Conversion  # imported on first use: Roth is rare

    table = drop_header(to_table(rows, argument), header_names=_CONVERSION_HEADERS)
    out = []
    for number, row in enumerate(table, start=1):
        if _row_is_blank(row):
            continue
        if len(row) < 2:
            raise HarvestInputError(argument, "needs columns: year, taxable, non-taxable")
        try:
            out.append(
                Conversion(
                    to_int(row[0], "year"),
                    to_money(row[1], "taxable", ZERO),
                    to_money(row[2] if len(row) > 2 else None, "nontaxable", ZERO),
                )
            )
        except HarvestInputError as error:
            raise _row_problem(argument, number, error) from None
    return out


_DATE_HEADERS = frozenset(
    {"date", "acquired", "next date", "separation date", "simple start date", "as of date"}
)
_NUMBER_HEADERS = frozenset({"shares", "price", "cost basis", "amount"})


def _normalise_record_value(header: str, value: object) -> object:
    """Dates and numbers in their columns converted by this module's rules.

    A value that does not convert is passed on unchanged, so the engine's row parser
    reports it as a problem of that row rather than failing the whole table.
    """
    if is_empty(value):
        return None
    try:
        if header in _DATE_HEADERS:
            return to_date(value, header)
        if header in _NUMBER_HEADERS and type(value) is str:
            return to_decimal(value, header)
    except HarvestInputError:
        return value
    return value


def records_from_table(
    rows: object, argument: str, required: tuple[str, ...] = ()
) -> list[dict[str, object]]:
    """A table range *with its header row* as one ``{header: value}`` dict per data row.

    Blank rows inside the table stay (as all-None records), so record ``i`` is always the
    table's data row ``i + 1``; trailing blank rows are dropped. Dates and numbers in the
    well-known columns (Date, Acquired, Shares, Price, Cost basis, ...) are converted as
    everywhere else. ``required`` headers must be present (an empty range is no rows).
    """
    table = to_table(rows, argument)
    if not table:
        return []
    header = table[0]
    if not all(cell is None or type(cell) is str for cell in header):
        raise HarvestInputError(
            argument, "the first row must be the table's header row (select Table[#All])"
        )
    names = [cell.strip() if type(cell) is str else "" for cell in header]
    folded = [_normalise_key(name) for name in names]
    for name in required:
        if _normalise_key(name) not in folded:
            raise HarvestInputError(argument, f"has no {name!r} column in its header row")
    records = []
    for row in table[1:]:
        record: dict[str, object] = {}
        for name, key, value in zip(names, folded, row, strict=False):
            if name:
                record[name] = _normalise_record_value(key, value)
        records.append(record)
    return records


# --------------------------------------------------------------------------- profile


def _normalise_key(text: str) -> str:
    # "$" and "%" stay: "Minimum loss ($)" and "Minimum loss (%)" are different keys.
    return re.sub(r"[^a-z0-9$%]+", " ", text.lower()).strip()


# normalised sheet key, or normalised field name -> field name
_PROFILE_LOOKUP: dict[str, str] = {
    **{_normalise_key(field): field for field in PROFILE_KEYS.values()},
    **{_normalise_key(key): field for key, field in PROFILE_KEYS.items()},
}
_FIELD_LABEL: dict[str, str] = {field: key for key, field in PROFILE_KEYS.items()}
_RATE_FIELDS = frozenset({"state_rate", "min_pct"})
_PROFILE_HEADERS = frozenset({"setting", "settings", "key"})


def _profile_converter(field: str, annotation: str) -> Any:
    if field in _RATE_FIELDS:
        return to_rate
    if field == "filing_status" or "FilingStatus" in annotation:
        return FilingStatus.parse
    if "WashSalePolicy" in annotation:
        return WashSalePolicy.parse
    if "date" in annotation:
        return to_row_date  # as the workbook refresh reads the Profile sheet
    if annotation.startswith("int"):
        return to_int
    if "Decimal" in annotation:
        return to_money
    if "bool" in annotation:
        return to_bool
    return to_text


_PROFILE_FIELDS = {f.name: f for f in fields(Profile)}
_PROFILE_CONVERTERS = {
    name: _profile_converter(name, str(f.type)) for name, f in _PROFILE_FIELDS.items()
}
_PROFILE_REQUIRED = tuple(
    name
    for name, f in _PROFILE_FIELDS.items()
    if f.default is MISSING and f.default_factory is MISSING
)


def profile_from_pairs(rows: object, argument: str = "profile") -> Profile:
    """A :class:`Profile` from a two-column key/value range (the Profile sheet's layout).

    Keys are the Profile sheet's labels (``PROFILE_KEYS``) or the field names, in any case
    and spacing. A header row (``Setting``/``Key``), blank rows and rows with a blank key
    are skipped; a third column (notes) is ignored. An unknown or repeated key, a missing
    tax year or filing status, or a bad value raises :class:`HarvestInputError` naming
    the key.
    """
    table = drop_header(to_table(rows, argument), header_names=_PROFILE_HEADERS)
    values: dict[str, Any] = {}
    seen: set[str] = set()
    for row in table:
        if not row or is_empty(row[0]):
            continue
        if len(row) < 2:
            raise HarvestInputError(argument, "needs two columns: key and value")
        key, raw = row[0], row[1]
        if type(key) is not str:
            raise HarvestInputError(argument, f"key {describe(key)} is not a Profile key")
        field = _PROFILE_LOOKUP.get(_normalise_key(key))
        if field is None:
            raise HarvestInputError(
                argument,
                f"unknown key {key.strip()!r}: use the keys of the Profile sheet "
                "(Tax year, Filing status, Ordinary income, ...)",
            )
        label = _FIELD_LABEL.get(field, key.strip())
        if field in seen:
            raise HarvestInputError(argument, f"{label!r} is given twice")
        seen.add(field)
        if is_empty(raw):
            continue  # an empty value keeps the default (required ones are checked below)
        convert = _PROFILE_CONVERTERS[field]
        try:
            values[field] = convert(raw, label)
        except HarvestInputError as error:
            raise HarvestInputError(argument, f"{label}: {error.problem}") from None
    for field in _PROFILE_REQUIRED:
        if field not in values:
            raise HarvestInputError(argument, f"{_FIELD_LABEL.get(field, field)!r} is missing")
    return Profile(**values)
