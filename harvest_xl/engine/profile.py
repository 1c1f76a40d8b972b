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

    The household fields (issue 16) default to "none": ``spouse_birth_date`` (joint
    returns), ``blind_people`` (0, 1 or 2 people on the return who are blind),
    ``social_security`` (benefits received, Form 1040 line 6a), ``tax_exempt_interest``
    (line 2a) and the Schedule A amounts: ``state_local_taxes`` (line 5d),
    ``mortgage_interest`` (line 8e), ``charitable_gifts`` and ``other_itemized``.

    ``count_activity_sales`` (issue 17): when True, every saving is computed with the
    Activity's realized gains and losses of the tax year (Form 8949 column (h), after
    wash-sale disallowance) added to ``realized_st``/``realized_lt``, which then mean gains
    realized *outside* the Activity. False (the default, and what a workbook made before
    the key existed reads) keeps the realized figures as typed: all of the year's.

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
    spouse_birth_date: date | None = None
    blind_people: int = 0
    social_security: Decimal = ZERO
    tax_exempt_interest: Decimal = ZERO
    state_local_taxes: Decimal = ZERO
    mortgage_interest: Decimal = ZERO
    charitable_gifts: Decimal = ZERO
    other_itemized: Decimal = ZERO
    count_activity_sales: bool = False

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


_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false"})


def _as_bool(value: object, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _YES or word in _NO:
            return word in _YES
    raise HarvestInputError(key, f"{value!r} is not Yes or No")


def _as_count(value: object, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise HarvestInputError(key, f"{value!r} is not a number of people (0, 1 or 2)")
    return value


_COERCE: dict[str, Callable[[object, str], object]] = {
    "tax_year": _as_year,
    "filing_status": FilingStatus.parse,
    "birth_date": _as_date,
    "wash_policy": WashSalePolicy.parse,
    "as_of": _as_date,
    "spouse_birth_date": _as_date,
    "blind_people": _as_count,
    "count_activity_sales": _as_bool,
}
_NOT_NEGATIVE = (
    "min_loss",
    "qualified_dividends",
    "social_security",
    "tax_exempt_interest",
    "state_local_taxes",
    "mortgage_interest",
    "charitable_gifts",
    "other_itemized",
)


def _check(p: Profile) -> None:
    require_fraction(p.state_rate, KEY_OF_FIELD["state_rate"])
    require_fraction(p.min_pct, KEY_OF_FIELD["min_pct"])
    for name in _NOT_NEGATIVE:
        require_not_negative(getattr(p, name), KEY_OF_FIELD[name])
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
    "Spouse birth date": "spouse_birth_date",
    "Blind (people)": "blind_people",
    "Social Security benefits": "social_security",
    "Tax-exempt interest": "tax_exempt_interest",
    "State and local taxes": "state_local_taxes",
    "Mortgage interest": "mortgage_interest",
    "Charitable gifts": "charitable_gifts",
    "Other itemized deductions": "other_itemized",
    "Count Activity sales": "count_activity_sales",
}
KEY_OF_FIELD: dict[str, str] = {field: key for key, field in PROFILE_KEYS.items()}
"""Profile field -> the key users see (what every message names)."""
