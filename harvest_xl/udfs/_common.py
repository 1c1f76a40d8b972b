# mypy: allow-untyped-defs, allow-untyped-calls
"""What every worksheet function shares: argument options, help texts, error handling.

Bad input never raises into Excel: :func:`excel_safe` turns an exception of a function body
into one text value, ``#VALUE! argument: problem``, shaped like the function's normal result
(an array function returns it in its first cell). Anything that is not the user's input
becomes ``#VALUE! unexpected error: ...`` and its traceback is logged on the
``xlwings.udfs.harvest_xl`` logger (a child of the logger xlwings' UDF server uses).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

import xlwings as xw

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.results import error_text

CATEGORY = "harvest-xl"
LOG = logging.getLogger("xlwings.udfs.harvest_xl")


DATE = {"dates": dt.date, "err_to_str": True}
"""A cell that should hold a date: xlwings hands over a ``date`` for a date cell."""
VALUE = {"err_to_str": True}
"""Any single cell: an error cell arrives as its text (``#N/A``)."""
RANGE = {"ndim": 2, "dates": dt.date, "err_to_str": True}
"""A range: always a list of rows, even for one cell or one row."""


# --------------------------------------------------------------------------- help texts

DOC_FILING_STATUS = (
    "Filing status: single, mfj (married filing jointly), mfs (married filing separately), "
    "hoh (head of household) or qss (qualifying surviving spouse); the full names work too."
)
DOC_ACCOUNT_TYPE = (
    "Account type: Taxable, 401k, Roth 401k, 403b, 457b, IRA, Roth IRA, SEP IRA, "
    "SIMPLE IRA or HSA (common spellings such as Brokerage or Traditional IRA work too)."
)
DOC_EXCEPTION = (
    "Optional: the exception you qualify for, as a Form 5329 code (01-23) or a name: "
    "separation, sepp, death, disability, medical, first_home, education, birth_adoption, "
    "emergency, qdro, levy, reservist, terminal_illness, domestic_abuse, disaster..."
)
DOC_PROFILE = (
    "Your Profile: a two-column range of settings and values (Tax year, Filing status, "
    "Ordinary income, Qualified dividends, realized gains, carryovers, State tax rate...), "
    "as on the Profile sheet."
)
DOC_MIN_LOSS = "Optional: smallest loss in dollars worth harvesting (0 if omitted)."
DOC_MIN_PCT = (
    "Optional: smallest loss worth harvesting, as a percentage of cost (5% or 0.05; "
    "0 if omitted)."
)
DOC_ACCOUNTS = (
    "Your Accounts table with its header row (Accounts[#All]): Account, Type, Owner, "
    "Separation date, SIMPLE start date."
)


# --------------------------------------------------------------------------- errors


def scalar(message: str) -> str:
    return message


def fixed_shape(rows: int, columns: int) -> Callable[[str], list[list[Any]]]:
    """An error shaped like the function's normal result: message first, blanks elsewhere."""

    def shape(message: str) -> list[list[Any]]:
        block: list[list[Any]] = [[""] * columns for _ in range(rows)]
        block[0][0] = message
        return block

    return shape


def table(message: str) -> list[list[Any]]:
    return [[message]]


def excel_safe(shape: Callable[[str], Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Turn every exception of a function body into an Excel-style error value of ``shape``.
    An error that is not the user's input is a bug, and is logged with its traceback."""

    def decorate(body: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(body)
        def udf(*args: Any) -> Any:
            try:
                return body(*args)
            except Exception as error:
                if not isinstance(error, HarvestInputError):
                    LOG.exception("harvest-xl: %s failed on %r", body.__name__, args)
                return shape(error_text(error))

        return udf

    return decorate


def with_args(arguments: tuple[tuple[str, str, dict[str, Any]], ...]) -> Callable[..., Any]:
    """Apply ``arguments`` (name, help, options) as ``@xw.arg`` decorators, made fresh for
    each function (xlwings' classic ``arg`` pops ``doc`` from its options when applied, so
    one decorator object cannot serve two functions)."""

    def decorate(body: Callable[..., Any]) -> Callable[..., Any]:
        for name, doc, options in reversed(arguments):
            body = xw.arg(name, doc=doc, **options)(body)
        return body

    return decorate


# --------------------------------------------------------------------------- caching


def _copy(value: Any) -> Any:
    """The cells of a range as a new list of lists (the caller's lists are never kept, so
    a list it changes later cannot answer for the new content)."""
    if isinstance(value, list | tuple):
        return [_copy(item) for item in value]
    return value


def _types(value: Any) -> Any:
    """The type of every cell: equal ranges can still read differently (TRUE == 1, a date
    cell vs its serial number never compare equal, but TRUE and 1 do)."""
    if isinstance(value, list | tuple):
        return [_types(item) for item in value]
    return type(value)


class ContentCache:
    """The last few results of a costly read (a Profile, the workbook's tables), by the
    content of the ranges it was read from.

    Excel hands every call fresh lists of the same cells, so a read is found again by the
    ranges' values and cell types, never by their identity; comparing them costs far less
    than parsing them (and matching the wash sales) again for every row of a sheet of
    per-row formulas. A read that fails is not kept: the next call reports it again.
    """

    def __init__(self, name: str, size: int = 4) -> None:
        self.name = name
        self.size = size
        self._entries: list[tuple[Any, Any, Any]] = []

    def get(self, ranges: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        for i, (cells, types, value) in enumerate(self._entries):
            if cells == list(ranges) and types == _types(ranges):
                self._entries.append(self._entries.pop(i))  # most recently used goes last
                return value
        value = build()
        self._entries.append((_copy(ranges), _types(ranges), value))
        del self._entries[: -self.size]
        return value
