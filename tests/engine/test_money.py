"""Money in text and the harvest reasons, written out by hand: the one money writer
(``usd``: half up to the cent, the sign before the dollar sign) on each side of its
separator boundaries, and the harvest decision's text at its thresholds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from harvest_xl.engine.harvest import harvest_status
from harvest_xl.engine.models import Term
from harvest_xl.engine.money import money, percent, usd


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "$0.00"),
        ("0.005", "$0.01"),
        ("-0.005", "-$0.01"),
        ("999.99", "$999.99"),
        ("999.995", "$1,000.00"),
        ("1000", "$1,000.00"),
        ("-123456.785", "-$123,456.79"),
        ("999999.99", "$999,999.99"),
        ("1000000", "$1,000,000.00"),
        ("-9876543210.125", "-$9,876,543,210.13"),
    ],
)
def test_usd_written_out(amount: str, text: str) -> None:
    """Fixed texts on each side of the separator boundaries, written out by hand."""
    assert usd(Decimal(amount)) == text


@pytest.mark.parametrize(
    ("fraction", "text"),
    [("0.1234", "12.3%"), ("0.1225", "12.2%"), ("0.1235", "12.4%"), ("1", "100.0%")],
)
def test_percent_written_out(fraction: str, text: str) -> None:
    """A percentage to a tenth; a display figure, rounded half even at the tie."""
    assert percent(Decimal(fraction)) == text


@pytest.mark.parametrize(
    ("amount", "cents"),
    [("0.005", "0.01"), ("-0.005", "-0.01"), ("0.015", "0.02"), ("0.025", "0.03"), ("2.5", "2.50")],
)
def test_money_rounds_half_up(amount: str, cents: str) -> None:
    """Money rounds to the cent half up (Python's round would give 0.02 for 0.025)."""
    assert money(Decimal(amount)) == Decimal(cents)


@pytest.mark.parametrize(
    ("basis", "value", "min_loss", "min_pct", "text"),
    [
        ("10000", "8000", "100", "0.02", "Harvest: long-term loss of $2,000.00 (20.0% of cost)"),
        (
            "10000",
            "9990",
            "100",
            "0.02",
            "Hold: long-term loss of $10.00 (0.1%) is below your threshold ($100.00 and 2.0%)",
        ),
        (
            "10000",
            "12345.675",
            "0",
            "0",
            "Hold: long-term gain of $2,345.68; selling would not save tax",
        ),
        ("10000", "10000", "0", "0", "Hold: no loss; selling would not save tax"),
        # exactly at both thresholds is enough; a cent less is not
        ("10000", "9800", "200", "0.02", "Harvest: long-term loss of $200.00 (2.0% of cost)"),
        (
            "10000",
            "9800.01",
            "0",
            "0.02",
            "Hold: long-term loss of $199.99 (2.0%) is below your threshold ($0.00 and 2.0%)",
        ),
    ],
)
def test_harvest_status_written_out(
    basis: str, value: str, min_loss: str, min_pct: str, text: str
) -> None:
    """The benchmark's cases and the threshold boundary, with the text written out by hand."""
    got = harvest_status(
        "Taxable",
        Decimal(basis),
        Decimal(value),
        date(2025, 1, 2),
        date(2026, 6, 1),
        Decimal(min_loss),
        Decimal(min_pct),
    )
    assert got.text == text
    assert got == (got.code, text, Decimal(value) - Decimal(basis), Term.LONG)
