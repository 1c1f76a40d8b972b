"""HX_HARVEST, the busiest per-cell function: its registered signature, every kind of date
cell, and its errors (input errors as text; anything else logged with its traceback, as
for every function)."""

from __future__ import annotations

import inspect
import logging
from datetime import date, datetime

import pytest

from harvest_xl import udfs
from harvest_xl.udfs import holdings as holdings_module

HARVEST_OK = ("Taxable", 10000.0, 8000.0, date(2025, 1, 2), date(2026, 6, 1), 100.0, 0.02)
EXPECTED = "Harvest: long-term loss of $2,000.00 (20.0% of cost)"


def test_signature_is_what_xlwings_registers() -> None:
    """The parameters Excel sees are unchanged (xlwings reads them with inspect.signature)."""
    assert str(inspect.signature(udfs.HX_HARVEST)) == (
        "(account_type, cost_basis, market_value, acquired, as_of, min_loss=0, min_pct=0)"
    )
    assert udfs.HX_HARVEST.__xlfunc__["name"] == "HX_HARVEST"


@pytest.mark.parametrize(
    ("acquired", "as_of"),
    [
        (date(2025, 1, 2), date(2026, 6, 1)),
        (datetime(2025, 1, 2, 15, 30), datetime(2026, 6, 1)),  # a datetime cell
        (45659.0, 46174.0),  # the same dates as Excel serial numbers
        ("2025-01-02", "06/01/2026"),  # as text
    ],
)
def test_every_kind_of_date_cell_gives_the_same_answer(acquired: object, as_of: object) -> None:
    args = ("Taxable", 10000.0, 8000.0, acquired, as_of, 100.0, 0.02)
    assert udfs.HX_HARVEST(*args) == EXPECTED


def test_a_date_before_the_purchase_is_an_input_error() -> None:
    got = udfs.HX_HARVEST("Taxable", 10000.0, 8000.0, date(2026, 6, 2), date(2026, 6, 1))
    assert got == "#VALUE! as_of: 2026-06-01 is before acquired 2026-06-02"


def test_unexpected_exception_is_logged_and_short(monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """A bug below HX_HARVEST: '#VALUE! unexpected error: ...' plus a logged traceback naming
    the function and its arguments."""

    def broken(*args: object) -> None:
        raise ZeroDivisionError("division by zero\nmore detail")

    monkeypatch.setattr(holdings_module, "harvest_status", broken)
    with caplog.at_level(logging.ERROR, logger="xlwings.udfs.harvest_xl"):
        result = udfs.HX_HARVEST(*HARVEST_OK)
    assert result == "#VALUE! unexpected error: ZeroDivisionError: division by zero"
    assert len(caplog.records) == 1
    record = caplog.records[0]
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError
    assert record.getMessage() == f"harvest-xl: HX_HARVEST failed on {HARVEST_OK!r}"


def test_input_errors_are_not_logged(caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.ERROR, logger="xlwings.udfs.harvest_xl"):
        result = udfs.HX_HARVEST("Checking", 10000.0, 8000.0, date(2025, 1, 2), date(2026, 6, 1))
    assert result.startswith("#VALUE! account_type: 'Checking' is not an account type")
    assert caplog.records == []


def test_the_wrapped_functions_log_the_same_way(monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """Every function shares one error handling: the same message for HX_TERM."""

    def broken(*args: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(holdings_module, "holding_term", broken)
    with caplog.at_level(logging.ERROR, logger="xlwings.udfs.harvest_xl"):
        result = udfs.HX_TERM(date(2025, 1, 2), date(2026, 1, 2))
    assert result == "#VALUE! unexpected error: ZeroDivisionError: boom"
    message = f"harvest-xl: HX_TERM failed on {(date(2025, 1, 2), date(2026, 1, 2))!r}"
    assert caplog.records[0].getMessage() == message
