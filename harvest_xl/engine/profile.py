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
