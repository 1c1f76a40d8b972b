"""Date and amount spellings shared by the exports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def mm_dd_yyyy(day: date) -> str:
    """``MM/DD/YYYY``, zero-padded (Form 8949 column (b)/(c); TXF since version 035)."""
    return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"


def two_decimals(amount: Decimal) -> str:
    """Dollars with two decimals, ``-`` for a negative, no separators; never ``-0.00``."""
    if amount == 0:
        amount = abs(amount)
    return f"{amount:.2f}"
