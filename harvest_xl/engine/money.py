"""Money: the one rounding rule and the one way an amount is written in text.

Amounts are ``Decimal`` dollars. Where a form or the law rounds, it rounds to the cent half
up (Form 8949 columns, withholding, a prorated loss); Python's ``round`` is half-even and is
never used for money. Every amount the engine writes into a reason or a status text goes
through :func:`usd`: ``$1,234.50``, ``-$5.00``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
HUNDRED = Decimal(100)


def money(amount: Decimal) -> Decimal:
    """``amount`` rounded to the cent, half up (Form 8949 instructions: dollars and cents)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def usd(amount: Decimal) -> str:
    """``amount`` as text: ``$1,234.56``, ``-$5.00`` (half up to the cent; no locale).

    The sign follows the amount, even when it rounds to zero cents (``-$0.00`` for -0.004),
    so a loss never reads as a gain.
    """
    sign = "-" if amount < ZERO else ""
    return f"{sign}${abs(money(amount)):,.2f}"


def percent(fraction: Decimal) -> str:
    """A fraction as a percentage to a tenth: ``Decimal('0.1234')`` -> ``12.3%`` (a display
    figure, not money: the Decimal context's rounding, half even)."""
    return f"{(fraction * HUNDRED).quantize(TENTH)}%"
