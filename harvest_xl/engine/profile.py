"""The taxpayer's profile: what every saving and withdrawal cost is computed against.

Field names mirror the template's Profile sheet keys (``PROFILE_KEYS``), which are a
public contract: outside tests fill them by name. A Profile checks itself on construction
and names the Profile key in its error, so the Python API, the Excel functions and the
workbook refresh refuse a bad value with the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from harvest_xl.engine.checks import require_fraction, require_not_negative
from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import FilingStatus, WashSalePolicy
from harvest_xl.engine.params import supported_years

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Profile:
    """One taxpayer (or couple) for one tax year.

    Money is in dollars as ``Decimal`` (an ``int`` or numeric text is accepted and
    converted). Carryovers are positive amounts of loss carried in from the prior year
    (Schedule D lines 6 and 14). Rates are fractions (5% = 0.05). ``filing_status`` and
    ``wash_policy`` accept the words people type (``"single"``, ``"Married filing
    jointly"``).

    Raises:
        HarvestInputError: naming the Profile key of the bad value.
    """

    tax_year: int
    filing_status: FilingStatus
    birth_date: date | None = None
    ordinary_income: Decimal = ZERO
    qualified_dividends: Decimal = ZERO
    realized_st: Decimal = ZERO
    realized_lt: Decimal = ZERO
    st_carryover: Decimal = ZERO
    lt_carryover: Decimal = ZERO
    state_rate: Decimal = ZERO
    min_loss: Decimal = ZERO
    min_pct: Decimal = ZERO
    wash_policy: WashSalePolicy = WashSalePolicy.CONSERVATIVE
    as_of: date | None = None

    def __post_init__(self) -> None:
        # Coerce first (a frozen dataclass sets a converted value with object.__setattr__),
        # then check: every message names the key as the Profile sheet shows it.
        for f in fields(self):
            value = getattr(self, f.name)
            converted = _COERCE.get(f.name, _as_money)(value, KEY_OF_FIELD[f.name])
            if converted is not value:
                object.__setattr__(self, f.name, converted)
        _check(self)


def _as_year(value: object, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise HarvestInputError(key, f"{value!r} is not a tax year")
    years = supported_years()
    if value not in years:
        raise HarvestInputError(
            key, f"{value} is outside the supported tax years {years[0]}-{years[-1]}"
        )
    return value


def _as_date(value: object, key: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise HarvestInputError(key, f"{value!r} is not a date")


def _as_money(value: object, key: str) -> Decimal:
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise HarvestInputError(key, f"{value!r} is not an amount") from None
    else:
        raise HarvestInputError(key, f"{value!r} is not an amount")
    if not number.is_finite():
        raise HarvestInputError(key, f"{value!r} is not an amount")
    return number


_COERCE: dict[str, Callable[[object, str], object]] = {
    "tax_year": _as_year,
    "filing_status": FilingStatus.parse,
    "birth_date": _as_date,
    "wash_policy": WashSalePolicy.parse,
    "as_of": _as_date,
}


def _check(p: Profile) -> None:
    require_fraction(p.state_rate, KEY_OF_FIELD["state_rate"])
    require_fraction(p.min_pct, KEY_OF_FIELD["min_pct"])
    require_not_negative(p.min_loss, KEY_OF_FIELD["min_loss"])
    require_not_negative(p.qualified_dividends, KEY_OF_FIELD["qualified_dividends"])
    for name in ("st_carryover", "lt_carryover"):
        if getattr(p, name) < ZERO:
            raise HarvestInputError(
                KEY_OF_FIELD[name], "is a loss carried in: enter it as a positive amount"
            )


# Profile sheet key (column A, exactly as users see it) -> Profile field.
PROFILE_KEYS: dict[str, str] = {
    "Tax year": "tax_year",
    "Filing status": "filing_status",
    "Birth date": "birth_date",
    "Ordinary income": "ordinary_income",
    "Qualified dividends": "qualified_dividends",
    "Realized short-term gains": "realized_st",
    "Realized long-term gains": "realized_lt",
    "Short-term carryover": "st_carryover",
    "Long-term carryover": "lt_carryover",
    "State tax rate": "state_rate",
    "Minimum loss ($)": "min_loss",
    "Minimum loss (%)": "min_pct",
    "Employer plan wash-sale policy": "wash_policy",
    "As-of date": "as_of",
}
KEY_OF_FIELD: dict[str, str] = {field: key for key, field in PROFILE_KEYS.items()}
"""Profile field -> the key users see (what every message names)."""
