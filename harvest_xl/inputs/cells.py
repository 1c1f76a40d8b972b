# mypy: no-warn-return-any
# (An empty cell returns the caller's ``default``, typed Any: the converters' declared return
# type is what a filled cell gives.)
"""Cell values to engine values: the one set of rules for numbers, dates, text and flags.

A workbook cell arrives as whatever Excel, xlwings or openpyxl hands over: ``datetime``
objects (or plain serial numbers when a date cell is formatted as a number), floats,
numeric text typed with ``$``, thousands separators, accounting brackets or ``%``, ``None``
for an empty cell, and, for an error cell, ``None``, the error's text (``#N/A``) or its
raw COM code. Every converter here accepts those forms and raises
:class:`HarvestInputError` naming the argument and the problem otherwise
(``'2026-13-01' is not a date``).

Every reader of the package converts cells through these functions — the Excel functions,
the table parsing of :mod:`harvest_xl.inputs.tables` and the Profile reader (used by the
table-level functions, the workbook refresh, the CLI and the Python API), and the broker
importers — so the same cell gives the same value, or the same message, everywhere.
Excel's serial dates and error codes are known here and nowhere else.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from harvest_xl.engine.checks import require_fraction
from harvest_xl.engine.errors import HarvestInputError

T = TypeVar("T")


class _Required:
    """Sentinel default: the argument must be given."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()

# Excel's error values as text (what ``err_to_str=True`` delivers) ...
EXCEL_ERRORS = frozenset(
    {
        "#N/A",
        "#DIV/0!",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#REF!",
        "#VALUE!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#GETTING_DATA",
    }
)
# ... and as the raw COM error codes pywin32 delivers when xlwings does not clean them.
CELL_ERROR_CODES: dict[int, str] = {
    -2146826281: "#DIV/0!",
    -2146826246: "#N/A",
    -2146826259: "#NAME?",
    -2146826288: "#NULL!",
    -2146826252: "#NUM!",
    -2146826265: "#REF!",
    -2146826273: "#VALUE!",
}

# Excel's 1900 date system: serial 1 is 1900-01-01, and serial 60 is the fictitious
# 1900-02-29 Excel keeps for Lotus 1-2-3 compatibility, so serials from 61 on are one day
# "late" relative to a plain day count from 1899-12-31.
_SERIAL_EPOCH_BEFORE_LEAP_BUG = date(1899, 12, 31)
EXCEL_EPOCH = date(1899, 12, 30)
"""Day 0 of Excel's 1900 date system as serials from 61 on count it: serial = days since."""
_SERIAL_EPOCH = EXCEL_EPOCH
_SERIAL_FAKE_LEAP_DAY = 60
_SERIAL_MAX = 2958465  # 9999-12-31

ZERO = Decimal(0)

# The dates any input can hold: from Excel's first date to a year short of its last, because
# the rules add to them (wash-sale windows, holding periods, payroll schedules) and
# 9999-12-31 plus 31 days is past the end of the calendar.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(9998, 12, 31)

# Money larger than this is a typo or a wrong cell, not a portfolio (ten trillion dollars).
_MONEY_LIMIT = Decimal("1e13")
_FLOAT_LIMIT_HIGH = 1e13
_FLOAT_LIMIT_LOW = -1e13

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_US_DATE = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})")
_YMD_SLASH_DATE = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
# Month names as brokers export them: 12-Feb-2024, 12 Feb 2024, Feb 12, 2024, February 12 2024.
_DAY_MONTH_DATE = re.compile(r"(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ,]+(\d{4}|\d{2})")
_MONTH_DAY_DATE = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})")
_MONTHS = {
    name: number
    for number, full in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
    for name in {full, full[:3], "sept" if full == "september" else full[:3]}
}
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")


def describe(value: object) -> str:
    """A short quote of a cell value for an error message (Excel cuts text at 255)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    elif isinstance(value, datetime | date):
        text = value.isoformat()
        return text if len(text) <= 40 else text[:37] + "..."
    else:
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def is_empty(value: object) -> bool:
    """An empty cell: ``None``, empty text or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _error_text(value: object) -> str | None:
    """The Excel error a cell value stands for, or None when it is not an error."""
    if isinstance(value, str):
        text = value.strip().upper()
        if text in EXCEL_ERRORS:
            return text
        if text.startswith("#N/A"):  # "#N/A waiting..." and friends
            return "#N/A"
        return None
    if type(value) is int:
        return CELL_ERROR_CODES.get(value)
    return None


def _cell_error(argument: str, error: str) -> HarvestInputError:
    return HarvestInputError(argument, f"the cell holds the error {error}")


def _missing(argument: str, default: Any) -> Any:
    if default is REQUIRED:
        raise HarvestInputError(argument, "is required but the cell is empty")
    return default


# --------------------------------------------------------------------------- dates


def _date_from_serial(serial: float, value: object, argument: str) -> date:
    if not math.isfinite(serial) or serial < 1 or serial >= _SERIAL_MAX + 1:
        raise HarvestInputError(argument, f"{describe(value)} is not a date")
    whole = int(serial)  # a time of day is ignored: trades are dated, not timed
    if whole < _SERIAL_FAKE_LEAP_DAY:
        return _SERIAL_EPOCH_BEFORE_LEAP_BUG + timedelta(days=whole)
    if whole == _SERIAL_FAKE_LEAP_DAY:
        raise HarvestInputError(argument, "1900-02-29 (Excel serial 60) is not a real date")
    return _SERIAL_EPOCH + timedelta(days=whole)


def _two_digit_year(year: int) -> int:
    # Excel's own rule for two-digit years: 00-29 are 2000-2029, 30-99 are 1930-1999.
    return 2000 + year if year < 30 else 1900 + year


def _named_month_date(text: str) -> date | None:
    """``12-Feb-2024``, ``12 Feb 2024``, ``Feb 12, 2024``, ``February 12 2024``, or None."""
    match = _DAY_MONTH_DATE.fullmatch(text)
    if match:
        day, month, year = match[1], match[2], match[3]
    else:
        match = _MONTH_DAY_DATE.fullmatch(text)
        if not match:
            return None
        month, day, year = match[1], match[2], match[3]
    number = _MONTHS.get(month.lower())
    if number is None:
        return None
    whole_year = _two_digit_year(int(year)) if len(year) == 2 else int(year)
    return date(whole_year, number, int(day))


def _date_from_text(text: str, argument: str) -> date:
    stripped = text.strip()
    match = _ISO_DATE.fullmatch(stripped)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = _US_DATE.fullmatch(stripped)
        if match:
            year = int(match[3])
            if len(match[3]) == 2:
                year = _two_digit_year(year)
            return date(year, int(match[1]), int(match[2]))
        match = _YMD_SLASH_DATE.fullmatch(stripped)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        named = _named_month_date(" ".join(stripped.split()))
        if named is not None:
            return named
    except ValueError:
        raise HarvestInputError(argument, f"{describe(text)} is not a date") from None
    if _NUMBER_TEXT.fullmatch(stripped):
        return _date_from_serial(float(stripped), text, argument)
    raise HarvestInputError(argument, f"{describe(text)} is not a date")


def to_date(value: object, argument: str, default: Any = REQUIRED) -> date:
    """A cell as a ``date``: datetime, date, Excel serial number, or text: ISO (2026-11-27,
    also with a time), US (11/27/2026, 11-27-26), 2026/11/27, or with the month's name
    (27-Nov-2026, 27 Nov 2026, Nov 27, 2026, November 27 2026). Day-first text such as
    27/11/2026 is not guessed at: it is an error (month 27). The date must lie from
    :data:`FIRST_DATE` to :data:`LAST_DATE`.

    An empty cell gives ``default`` (or an error when the argument is required).
    """
    found = _any_date(value, argument, default)
    if found is default and default is not REQUIRED:
        return found
    if found < FIRST_DATE:
        raise HarvestInputError(argument, f"{found.isoformat()} is before 1900")
    if found > LAST_DATE:
        raise HarvestInputError(argument, f"{found.isoformat()} is too far in the future")
    return found


def _any_date(value: object, argument: str, default: Any) -> date:
    if type(value) is date:
        return value
    if type(value) is datetime or isinstance(value, datetime):  # pywintypes time is a subclass
        return value.date()
    if type(value) is float or (type(value) is int and value not in CELL_ERROR_CODES):
        return _date_from_serial(value, value, argument)
    if value is None:
        return _missing(argument, default)
    if isinstance(value, str):
        if not value.strip():
            return _missing(argument, default)
        error = _error_text(value)
        if error:
            raise _cell_error(argument, error)
        return _date_from_text(value, argument)
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    error = _error_text(value)
    if error:
        raise _cell_error(argument, error)
    raise HarvestInputError(argument, f"{describe(value)} is not a date")


# --------------------------------------------------------------------------- numbers


def _decimal_from_text(text: str, argument: str) -> Decimal:
    stripped = text.strip()
    body = stripped.replace(" ", "").replace("\u00a0", "")
    negative = False
    if body.startswith("(") and body.endswith(")"):  # accounting negative: (1,234)
        negative = True
        body = body[1:-1]
    if body.startswith("-") or body.startswith("+"):
        negative ^= body[0] == "-"
        body = body[1:]
    if body.startswith("$"):
        body = body[1:]
    if body.startswith("-") and not negative:  # $-5
        negative = True
        body = body[1:]
    percent = body.endswith("%")
    if percent:
        body = body[:-1]
    if "," in body:
        if not _THOUSANDS.fullmatch(body):
            raise HarvestInputError(argument, f"{describe(text)} is not a number")
        body = body.replace(",", "")
    if not _NUMBER_TEXT.fullmatch(body) or body[:1] in "+-":
        raise HarvestInputError(argument, f"{describe(text)} is not a number")
    try:
        number = Decimal(body)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only numbers
        raise HarvestInputError(argument, f"{describe(text)} is not a number") from None
    if percent:
        number = number / 100
    return -number if negative else number


def _check_magnitude(number: Decimal, value: object, argument: str) -> Decimal:
    if not number.is_finite() or abs(number) >= _MONEY_LIMIT:
        raise HarvestInputError(argument, f"{describe(value)} is too large to be an amount")
    return number


def to_decimal(value: object, argument: str, default: Any = REQUIRED) -> Decimal:
    """A cell as a ``Decimal``: number, or text like ``1234.5``, ``$1,234.50``, ``(1,234)``, ``5%``.

    Floats convert through their shortest repr, so ``0.1`` becomes ``Decimal('0.1')``.
    """
    if type(value) is float:
        if _FLOAT_LIMIT_LOW < value < _FLOAT_LIMIT_HIGH:  # not NaN/inf
            if value.is_integer():
                return Decimal(int(value))
            return Decimal(repr(value))
        if value != value or value in (math.inf, -math.inf):  # NaN or infinite
            raise HarvestInputError(argument, f"{describe(value)} is not a number")
        return _check_magnitude(Decimal(repr(value)), value, argument)
    if type(value) is int:
        if value in CELL_ERROR_CODES:
            raise _cell_error(argument, CELL_ERROR_CODES[value])
        return _check_magnitude(Decimal(value), value, argument)
    if value is None:
        return _missing(argument, default)
    if isinstance(value, str):
        if not value.strip():
            return _missing(argument, default)
        error = _error_text(value)
        if error:
            raise _cell_error(argument, error)
        return _check_magnitude(_decimal_from_text(value, argument), value, argument)
    if type(value) is Decimal:
        return _check_magnitude(value, value, argument)
    if type(value) is bool:
        raise HarvestInputError(argument, f"{describe(value)} is not a number")
    if isinstance(value, int | float) and not isinstance(value, bool):  # numpy scalars etc.
        return to_decimal(float(value), argument, default)
    raise HarvestInputError(argument, f"{describe(value)} is not a number")


to_money = to_decimal
"""Money is a Decimal number of dollars; the same rules as :func:`to_decimal`."""


def to_rate(value: object, argument: str, default: Any = REQUIRED) -> Decimal:
    """A percentage as the fraction Excel stores (5% = 0.05); from 0 to 1 inclusive."""
    rate = to_decimal(value, argument, default)
    if rate is default and default is not REQUIRED:
        return rate
    return require_fraction(rate, argument)


def to_choice(
    value: object, argument: str, parse: Callable[[object, str], T], default: Any = REQUIRED
) -> T:
    """A cell holding one of a fixed set of words (a filing status, an account type ...):
    ``parse`` is the category's own parser (``FilingStatus.parse``); an error cell or an empty
    one is reported as for any other cell."""
    if is_empty(value):
        return _missing(argument, default)
    error = _error_text(value)
    if error:
        raise _cell_error(argument, error)
    return parse(value, argument)


def to_int(value: object, argument: str, default: Any = REQUIRED) -> int:
    """A whole number (a tax year, a count): ``2026``, ``2026.0`` or ``'2026'``."""
    if type(value) is float:
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        raise HarvestInputError(argument, f"{describe(value)} is not a whole number")
    if type(value) is int and value not in CELL_ERROR_CODES:
        return value
    if is_empty(value):
        return _missing(argument, default)
    if type(value) is bool:
        raise HarvestInputError(argument, f"{describe(value)} is not a whole number")
    number = to_decimal(value, argument)
    if number != number.to_integral_value():
        raise HarvestInputError(argument, f"{describe(value)} is not a whole number")
    return int(number)


_TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x"})
_FALSE_WORDS = frozenset({"false", "no", "n", "0"})


def to_bool(value: object, argument: str, default: Any = REQUIRED) -> bool:
    """TRUE/FALSE, 1/0, or the words yes/no, true/false, y/n (any case)."""
    if value is True or value is False:
        return value
    if is_empty(value):
        return _missing(argument, default)
    error = _error_text(value)
    if error:
        raise _cell_error(argument, error)
    if type(value) in (int, float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise HarvestInputError(argument, f"{describe(value)} is not TRUE or FALSE")


def to_text(value: object, argument: str, default: Any = REQUIRED) -> str:
    """A cell as text, stripped; a whole number typed in a text column becomes ``'42'``."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return _missing(argument, default)
        if text.upper() in EXCEL_ERRORS:
            raise _cell_error(argument, text.upper())
        return text
    if value is None:
        return _missing(argument, default)
    if type(value) is float and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if type(value) is int:
        if value in CELL_ERROR_CODES:
            raise _cell_error(argument, CELL_ERROR_CODES[value])
        return str(value)
    raise HarvestInputError(argument, f"{describe(value)} is not text")
