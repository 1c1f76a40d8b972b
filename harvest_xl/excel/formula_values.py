"""The values of the template's formula cells, computed in Python.

Each function here mirrors one formula of :mod:`harvest_xl.excel.template` step by step
(Excel's ``IF``, ``VLOOKUP``, ``INDEX``, arithmetic coercion) and calls the same ``HX_``
function with the same arguments, so the headless refresh writes exactly what Excel shows
after a recalculation. The test suite checks that claim independently by evaluating the
template's formulas with the ``formulas`` package bound to the HX_ functions.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from harvest_xl.engine.cells import EXCEL_EPOCH, to_decimal
from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.excel.template import (
    ACCOUNT_NOT_FOUND,
    HOLDINGS_FORMULAS,
    WASH_BLOCKED_PREFIXES,
    WITHDRAWAL_COST_ROWS,
    WITHDRAWAL_FORMULAS,
    WITHDRAWAL_INPUTS,
)


class CellError(str):
    """An Excel error value (``#VALUE!``, ``#NAME?`` …) as a formula result."""

    __slots__ = ()


VALUE_ERROR = CellError("#VALUE!")
NAME_ERROR = CellError("#NAME?")
REF_ERROR = CellError("#REF!")
NA_ERROR = CellError("#N/A")

_EXCEL_EPOCH = EXCEL_EPOCH


_UDFS: dict[str, Callable[..., Any] | None] = {}


def _udf(name: str) -> Callable[..., Any] | None:
    found = _UDFS.get(name)
    if found is None:
        from harvest_xl import udfs

        found = _UDFS[name] = getattr(udfs, name, None)
    return found


def call_udf(name: str, *args: Any) -> Any:
    """Call ``HX_…`` as Excel would: a missing function is ``#NAME?``; errors in arguments
    propagate as Excel errors do (a UDF is not called with an error argument)."""
    for arg in args:
        if type(arg) is CellError:
            return arg
    fn = _UDFS.get(name) or _udf(name)
    if fn is None:
        return NAME_ERROR
    return fn(*[a if type(a) in _AS_GIVEN else _udf_arg(a) for a in args])


_AS_GIVEN = frozenset({float, str, type(None), list})
"""Argument types xlwings hands a UDF unchanged (most cells and every range)."""


def _udf_arg(value: Any) -> Any:
    """What xlwings hands a UDF for a cell value: dates as ``date``, ints as floats."""
    kind = type(value)
    if kind is float or kind is str or value is None or kind is list:  # the common cases
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    return value


def number(value: Any) -> float | CellError:
    """Excel's coercion of a cell to a number in arithmetic (empty = 0)."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, CellError):
        return value
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return float((value - _EXCEL_EPOCH).days)
    if isinstance(value, str):
        return _number_from_text(value)
    return VALUE_ERROR


def _number_from_text(text: str) -> float | CellError:
    """Excel's implicit conversion of text in arithmetic (``="$4.00"+1`` is 5): text in a
    form Excel would accept typed into a cell becomes that number, any other text is
    ``#VALUE!``.

    The forms are the ones :func:`harvest_xl.engine.cells.to_decimal` reads (the refresh
    and the HX_ functions read the same cell that way): digits with an optional sign,
    decimal point and exponent (``1e3``), ``$``, thousands separators in groups of three
    (``26,000.00``; ``1,2,3`` is text), accounting brackets (``(1,234)`` = -1234) and a
    trailing ``%`` (``5%`` = 0.05), with spaces around the number. Not numbers, as in
    Excel: ``nan``, ``inf``, ``1 000`` (a space inside), words, and magnitudes beyond a
    double (``1e400``). Limits: text that Excel would read as a date or time
    (``"2026-01-02"``) and text of 1e13 or more (the engine's amount limit, so the row's HX_
    functions reject it too) are ``#VALUE!`` here, where Excel gives a number; the rule is
    Excel's in the en-US locale (``.`` decimal point, ``,`` thousands separator, ``$``).
    """
    body = text.strip(" ")
    if not body or any(c.isspace() for c in body):
        return VALUE_ERROR
    try:
        result = float(to_decimal(body, "value"))
    except (HarvestInputError, OverflowError):
        return VALUE_ERROR
    return result if math.isfinite(result) else VALUE_ERROR


def is_blank(value: Any) -> bool:
    """``cell=""`` in Excel: true for an empty cell and for empty text."""
    return value is None or value == ""


def vlookup_exact(key: Any, table: list[list[Any]], index: int) -> Any:
    """``VLOOKUP(key, table, index, FALSE)``: case-insensitive for text; #N/A when absent.

    An empty cell found is returned as None: it equals "" in a comparison and shows as 0
    when it is the formula's result (see :func:`shown`)."""
    if is_blank(key):
        return NA_ERROR
    folded = key.casefold() if isinstance(key, str) else key
    for line in table:
        cell = line[0] if line else None
        if (cell.casefold() if isinstance(cell, str) else cell) == folded:
            return line[index - 1] if len(line) >= index else None
    return NA_ERROR


def shown(value: Any) -> Any:
    """A formula's result as the cell holds it: an empty reference becomes 0."""
    return 0 if value is None else value


def index_vertical(result: Any, i: int) -> Any:
    """``INDEX(array, i)`` on a UDF's vertical result (a list of one-item rows)."""
    if isinstance(result, CellError):
        return result
    if isinstance(result, list):
        if len(result) < i:
            return REF_ERROR
        row = result[i - 1]
        value = row[0] if isinstance(row, list) else row
        return 0 if value is None else value
    return result if i == 1 else REF_ERROR


# --------------------------------------------------------------------------- Holdings


def holdings_row(
    cells: dict[str, Any], names: dict[str, Any], accounts: list[list[Any]], ranges: dict[str, Any]
) -> dict[str, Any]:
    """The computed columns of one Holdings row (see template.HOLDINGS_FORMULAS).

    ``cells`` maps input headers to cell values, ``names`` the Profile defined names to
    their cells, ``accounts`` the Accounts table body (columns in template order) and
    ``ranges`` the ranges the formulas pass whole: ``"Profile"`` (ProfileRange), each input
    table's ``Table[#All]`` by table name (``"Activity"``, ``"Accounts"``, ``"Recurring"``,
    ``"Securities"``) and ``"Holdings inputs"`` (``Holdings[[#All],[Account]:[Price]]``).
    Pass the same range objects for every row: the harvest status and wash-sale risk
    parse them once.
    """
    if is_blank(cells.get("Ticker")):
        return {f.column: "" for f in HOLDINGS_FORMULAS if f.formula is not None}
    out: dict[str, Any] = {}
    shares, price = number(cells.get("Shares")), number(cells.get("Price"))
    if isinstance(shares, CellError):
        out["Market value"] = shares
    elif isinstance(price, CellError):
        out["Market value"] = price
    else:
        out["Market value"] = shares * price
    mv, basis = number(out["Market value"]), number(cells.get("Cost basis"))
    out["Gain/Loss"] = (
        mv if isinstance(mv, CellError) else (basis if isinstance(basis, CellError) else mv - basis)
    )
    found = vlookup_exact(cells.get("Account"), accounts, 2)
    kind = ACCOUNT_NOT_FOUND if isinstance(found, CellError) else shown(found)
    out["Account type"] = kind
    as_of = names["AsOfDate"]
    out["Term"] = call_udf("HX_TERM", cells.get("Acquired"), as_of)
    table_args = (
        as_of,
        ranges.get("Activity"),
        ranges.get("Accounts"),
        ranges.get("Recurring"),
        ranges.get("Securities"),
        names.get("WashPolicy"),
        ranges.get("Holdings inputs"),
    )
    out["Harvest"] = call_udf(
        "HX_LOT_HARVEST",
        cells.get("Account"),
        cells.get("Ticker"),
        cells.get("Shares"),
        cells.get("Cost basis"),
        cells.get("Price"),
        cells.get("Acquired"),
        *table_args,
        names["MinLoss"],
        names["MinPct"],
    )
    harvest = out["Harvest"]
    loss_to_sell = not isinstance(harvest, CellError) and any(
        _left(harvest, len(p)) == p for p in ("Harvest", *WASH_BLOCKED_PREFIXES)
    )
    if isinstance(harvest, CellError):
        out["Safe rebuy"] = harvest
    elif loss_to_sell:
        out["Safe rebuy"] = call_udf("HX_SAFE_REBUY", as_of)
    else:
        out["Safe rebuy"] = ""
    gain = out["Gain/Loss"]
    if isinstance(harvest, CellError):
        out["Tax saving"] = harvest
    elif loss_to_sell or _left(harvest, 4) == "Hold":
        if isinstance(gain, CellError):
            out["Tax saving"] = gain
        elif _less_than_zero(gain):
            out["Tax saving"] = call_udf("HX_SAVING", -gain, out["Term"], ranges["Profile"])
        else:
            out["Tax saving"] = ""
    else:
        out["Tax saving"] = ""
    out["Wash-sale risk"] = call_udf(
        "HX_LOT_WASH_RISK",
        cells.get("Account"),
        cells.get("Ticker"),
        cells.get("Shares"),
        cells.get("Cost basis"),
        cells.get("Price"),
        cells.get("Acquired"),
        *table_args,
    )
    for column, udf in (
        ("Withdrawal penalty", "HX_LOT_PENALTY"),
        ("Withdrawal cost", "HX_LOT_WITHDRAWAL_COST"),
    ):
        out[column] = call_udf(
            udf,
            cells.get("Account"),
            out["Market value"],
            ranges["Profile"],
            ranges.get("Accounts"),
        )
    return out


def _less_than_zero(value: Any) -> bool:
    """``value<0`` in Excel: text compares greater than any number."""
    return isinstance(value, int | float) and not isinstance(value, bool) and value < 0


def _left(value: Any, n: int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)[:n] if value is not None else ""


# -------------------------------------------------------------------------- Withdrawal


def withdrawal_results(inputs: list[Any], names: dict[str, Any], profile: Any) -> list[Any]:
    """The Withdrawal calculator's outputs (template.WITHDRAWAL_FORMULAS, in order) for its
    input cells (``inputs``, in template.WITHDRAWAL_INPUTS order)."""
    cell = dict(zip((row[0] for row in WITHDRAWAL_INPUTS), inputs, strict=True))

    def or_profile(label: str, name: str) -> Any:
        value = cell[label]
        return names[name] if is_blank(value) else value

    kind, amount = cell["Account type"], cell["Amount"]
    birth, when = or_profile("Birth date", "BirthDate"), or_profile("Withdrawal date", "AsOfDate")
    exception, sep, start = cell["Exception"], cell["Separation date"], cell["SIMPLE start date"]
    penalty = call_udf("HX_PENALTY", kind, amount, birth, when, exception, sep, start)
    cost = call_udf("HX_WITHDRAWAL_COST", kind, amount, birth, when, profile, exception)
    values = [penalty] + [index_vertical(cost, i) for i in range(1, len(WITHDRAWAL_COST_ROWS) + 1)]
    assert len(values) == len(WITHDRAWAL_FORMULAS)
    return values
