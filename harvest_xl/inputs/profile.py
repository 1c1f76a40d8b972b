"""The one Profile reader: key/value pairs as the Profile sheet holds them -> a Profile.

The Excel functions that take a ``profile`` range, the workbook refresh (which reads the
Profile sheet), the CLI and the Python API all read a Profile here, so a key is recognised,
and a bad value refused, with the same words everywhere:

* keys are the Profile sheet's labels (``PROFILE_KEYS``) or the field names, compared as every
  name is (``Tax-year``, ``tax_year`` and ``TAX YEAR`` are all ``Tax year``);
* a blank key, a header row (``Setting``) and the labels the caller names as known but not
  Profile keys (the sheet's ``Plan goal``) are skipped; any other key is a problem that names
  the closest Profile key;
* a key given twice is a problem; an empty value keeps the default;
* ``Tax year`` and ``Filing status`` are required; every other key may be left out.

Each problem is a :class:`~harvest_xl.inputs.tables.RowProblem` of the table ``Profile``
whose ``field`` is the key and whose ``row`` is the caller's row number for that pair.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import FilingStatus, WashSalePolicy
from harvest_xl.engine.names import fold
from harvest_xl.engine.profile import KEY_OF_FIELD, PROFILE_KEYS, Profile
from harvest_xl.inputs import cells
from harvest_xl.inputs.ranges import to_table
from harvest_xl.inputs.tables import RowProblem

TABLE = "Profile"
REQUIRED_KEYS: tuple[str, ...] = ("Tax year", "Filing status")
HEADER_LABELS = frozenset({"setting", "settings", "key"})
"""Column A words of a header row (the template's is ``Setting``)."""

_FIX_DATE = "type a date such as 2026-11-27"
_FIX_MONEY = "type an amount in dollars, such as 1234.56"
_FIX_LOSS_IN = _FIX_MONEY + " (the loss carried in, as a positive number)"


def _choice(parse: Callable[[object, str], Any]) -> Callable[[object, str], Any]:
    return lambda value, key: cells.to_choice(value, key, parse)


# Profile field -> (cell converter, how to fix a bad value). A test checks that every field
# of Profile is here, so a new Profile key cannot be forgotten by the reader.
CONVERTERS: dict[str, tuple[Callable[[object, str], Any], str]] = {
    "tax_year": (cells.to_int, "type the tax year, 2018 to 2026"),
    "filing_status": (
        _choice(FilingStatus.parse),
        "choose single, mfj, mfs, hoh or qss (or the long names) from the list",
    ),
    "birth_date": (cells.to_date, _FIX_DATE),
    "ordinary_income": (cells.to_money, _FIX_MONEY),
    "qualified_dividends": (cells.to_money, _FIX_MONEY + " (not negative)"),
    "realized_st": (cells.to_money, _FIX_MONEY + " (negative for a net loss)"),
    "realized_lt": (cells.to_money, _FIX_MONEY + " (negative for a net loss)"),
    "st_carryover": (cells.to_money, _FIX_LOSS_IN),
    "lt_carryover": (cells.to_money, _FIX_LOSS_IN),
    "state_rate": (cells.to_rate, "type a rate such as 5% (stored as 0.05)"),
    "min_loss": (cells.to_money, _FIX_MONEY + " (not negative)"),
    "min_pct": (cells.to_rate, "type a percentage such as 2% (stored as 0.02)"),
    "wash_policy": (_choice(WashSalePolicy.parse), "choose conservative or ignore"),
    "as_of": (cells.to_date, _FIX_DATE + " (the day you would sell)"),
    "spouse_birth_date": (cells.to_date, _FIX_DATE + " (joint returns: your spouse's)"),
    "blind_people": (cells.to_int, "type 0, 1 or 2: how many people on the return are blind"),
    "social_security": (cells.to_money, _FIX_MONEY + " (the year's benefits, box 5 of SSA-1099)"),
    "tax_exempt_interest": (cells.to_money, _FIX_MONEY + " (not negative)"),
    "state_local_taxes": (cells.to_money, _FIX_MONEY + " (income or sales tax plus property tax)"),
    "mortgage_interest": (cells.to_money, _FIX_MONEY + " (Form 1098, box 1)"),
    "charitable_gifts": (cells.to_money, _FIX_MONEY + " (gifts to charity this year)"),
    "other_itemized": (cells.to_money, _FIX_MONEY + " (other Schedule A deductions)"),
    "count_activity_sales": (
        cells.to_bool,
        "choose Yes (the Activity sheet's sales of the tax year count in every saving; the "
        "realized gains above are then those outside Activity) or No",
    ),
}

_FIELD_OF_NAME: dict[str, str] = {
    **{fold(name): name for name in PROFILE_KEYS.values()},
    **{fold(key): name for key, name in PROFILE_KEYS.items()},
}


@dataclass
class ProfileReading:
    """What :func:`read_profile` found: the Profile (None when it cannot be built), the
    problems, and where each key was and what it held (for callers that locate cells)."""

    profile: Profile | None
    problems: list[RowProblem] = field(default_factory=list)
    rows: dict[str, int | None] = field(default_factory=dict)
    """Profile key -> the caller's row number of its pair."""
    values: dict[str, object] = field(default_factory=dict)
    """Profile key -> the cell value as given."""
    others: dict[str, object] = field(default_factory=dict)
    """Values of the known non-Profile labels (``other_keys``), by label as given there."""


def read_profile(
    pairs: Iterable[tuple[object, object, int | None]],
    other_keys: Iterable[str] = (),
) -> ProfileReading:
    """Read ``(key, value, row)`` triples into a Profile, collecting every problem.

    ``other_keys`` are labels that may stand among the keys without being Profile keys (the
    Profile sheet's ``Plan goal``); their values are returned in ``others``.
    """
    known_other = {fold(label): label for label in other_keys}
    reading = ProfileReading(None)
    problems = reading.problems
    values: dict[str, Any] = {}
    unknown: list[tuple[str, int | None]] = []
    for key_cell, value, row in pairs:
        if cells.is_empty(key_cell):
            continue
        label = key_cell.strip() if isinstance(key_cell, str) else cells.describe(key_cell)
        name = fold(label)
        if name in HEADER_LABELS:
            continue
        if name in known_other:
            reading.others[known_other[name]] = value
            continue
        field_name = _FIELD_OF_NAME.get(name)
        if field_name is None:
            unknown.append((label, row))
            continue
        key = KEY_OF_FIELD[field_name]
        if key in reading.rows:
            earlier = reading.rows[key]
            also = f" (also row {earlier})" if earlier is not None else ""
            problems.append(
                RowProblem(TABLE, row or 0, key, f"is given twice{also}", "delete one of the two")
            )
            continue
        reading.rows[key] = row
        reading.values[key] = value
        if cells.is_empty(value):
            continue
        convert, fix = CONVERTERS[field_name]
        try:
            values[field_name] = convert(value, key)
        except HarvestInputError as error:
            problems.append(RowProblem(TABLE, row or 0, key, error.problem, fix))
    for label, row in unknown:
        problems.append(_unknown_key(label, row, reading.rows))
        if problems[-1].field != label:  # taken for a renamed key: that key is not missing
            reading.rows.setdefault(problems[-1].field, row)
    for key in REQUIRED_KEYS:
        field_name = PROFILE_KEYS[key]
        if field_name in values or any(p.field == key for p in problems):
            continue
        if key not in reading.rows:
            problems.append(
                RowProblem(TABLE, 0, key, "is missing (it is required)",
                           f"add a row with '{key}' and its value")
            )
        else:
            problems.append(
                RowProblem(TABLE, reading.rows[key] or 0, key, "is empty (it is required)",
                           CONVERTERS[field_name][1])
            )
    if problems:
        return reading
    try:
        reading.profile = Profile(**values)
    except HarvestInputError as error:  # a value the Profile refuses (a rate above 100%...)
        field_name = PROFILE_KEYS.get(error.argument)
        fix = CONVERTERS[field_name][1] if field_name else "correct the value"
        problems.append(
            RowProblem(TABLE, reading.rows.get(error.argument) or 0, error.argument,
                       error.problem, fix)
        )
    return reading


def _unknown_key(label: str, row: int | None, found: dict[str, int | None]) -> RowProblem:
    """A label that is no Profile key. When it is close to a key not given, it is taken for
    that key renamed: the problem is that key's, and says what was found instead."""
    missing = [key for key in PROFILE_KEYS if key not in found]
    close = difflib.get_close_matches(fold(label), [fold(k) for k in missing], n=1, cutoff=0.6)
    if close:
        key = next(k for k in missing if fold(k) == close[0])
        return RowProblem(
            TABLE, row or 0, key, f"expected the key '{key}' but found '{label}'",
            f"rename it back to '{key}' exactly",
        )
    return RowProblem(
        TABLE, row or 0, label, "is not a Profile key",
        "use the keys of the Profile sheet (Tax year, Filing status, Ordinary income, ...)",
    )


def profile_from_range(rows: object, argument: str = "profile") -> Profile:
    """The Profile of a two-column key/value range (an Excel function's ``profile``).

    Rows are numbered from 1 at the top of the range; a third column (notes) is ignored.

    Raises:
        HarvestInputError: ``argument``, naming the key and the first problem found.
    """
    table = to_table(rows, argument)
    pairs = []
    for number, row in enumerate(table, start=1):
        if len(row) < 2 and not cells.is_empty(row[0] if row else None):
            raise HarvestInputError(argument, "needs two columns: key and value")
        pairs.append((row[0] if row else None, row[1] if len(row) > 1 else None, number))
    reading = read_profile(pairs)
    if reading.problems:
        first = reading.problems[0]
        raise HarvestInputError(argument, f"{first.field}: {first.message}")
    assert reading.profile is not None
    return reading.profile


def profile_from_mapping(values: dict[str, object]) -> Profile:
    """The Profile of ``{key: value}`` (Profile sheet labels or field names, cell values as
    a user would type them): the Python API's way in, read by the same rules.

    Raises:
        HarvestInputError: naming the key and the first problem found.
    """
    reading = read_profile((key, value, None) for key, value in values.items())
    if reading.problems:
        first = reading.problems[0]
        raise HarvestInputError(first.field, first.message)
    assert reading.profile is not None
    return reading.profile


def field_names() -> tuple[str, ...]:
    """Every Profile field (for the test that :data:`CONVERTERS` covers them all)."""
    return tuple(f.name for f in fields(Profile))
