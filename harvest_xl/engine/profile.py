"""The taxpayer's profile: what every saving and withdrawal cost is computed against.

Field names mirror the template's Profile sheet keys (``PROFILE_KEYS``), which are a
public contract: outside tests fill them by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from harvest_xl.engine.models import FilingStatus, WashSalePolicy

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Profile:
    """One taxpayer (or couple) for one tax year.

    Money is in dollars as ``Decimal``. Carryovers are positive amounts of loss carried
    in from the prior year (Schedule D lines 6 and 14). Rates are fractions (5% = 0.05).

    The household fields (issue 16) default to "none": ``spouse_birth_date`` (joint
    returns), ``blind_people`` (0, 1 or 2 people on the return who are blind),
    ``social_security`` (benefits received, Form 1040 line 6a), ``tax_exempt_interest``
    (line 2a) and the Schedule A amounts: ``state_local_taxes`` (line 5d),
    ``mortgage_interest`` (line 8e), ``charitable_gifts`` and ``other_itemized``.
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
}
