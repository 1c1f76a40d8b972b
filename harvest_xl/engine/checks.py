"""Checks every entry point applies to a value before a rule uses it, with one message each.

The Profile, the Excel functions and the workbook readers all call these, so a state rate of
7 gets the same words in a cell, on the Summary sheet, on the command line and from the
Python API.
"""

from __future__ import annotations

from decimal import Decimal

from harvest_xl.engine.errors import HarvestInputError

ZERO = Decimal(0)
ONE = Decimal(1)


def require_fraction(value: Decimal, argument: str) -> Decimal:
    """A rate as the fraction Excel stores (5% = 0.05), from 0 to 1 inclusive."""
    if not ZERO <= value <= ONE:
        raise HarvestInputError(
            argument, f"{value} is not a rate between 0% and 100% (type 5% or 0.05)"
        )
    return value


def require_not_negative(value: Decimal, argument: str) -> Decimal:
    """An amount that cannot be below zero (a price, a basis, a carryover typed as a loss)."""
    if value < ZERO:
        raise HarvestInputError(argument, f"{value} is negative")
    return value
