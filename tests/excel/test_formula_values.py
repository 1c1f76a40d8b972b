"""The headless refresh's formula values coerce text in arithmetic as Excel does.

Excel converts text to a number in arithmetic when it is in a form Excel would accept typed
into a cell (Microsoft, "Calculation operators and precedence in Excel", converting values
in formulas: ``=1+"$4.00"`` gives 5, ``="1"+"2"`` gives 3, ``=SQRT("8+1")`` is #VALUE!).
The Holdings Market value (``Shares*Price``) and Gain/Loss (``Market value-Cost basis``)
cells hold what those formulas give, so numeric text computes and other text is #VALUE!.
The expected values below are typed from that rule, not computed by the code under test.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from harvest_xl.excel.formula_values import VALUE_ERROR, CellError, holdings_row, number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26000", 26000.0),
        (" 400 ", 400.0),
        ("$26,000.00", 26000.0),
        ("1,234", 1234.0),
        ("(1,234)", -1234.0),
        ("-$5", -5.0),
        ("+5", 5.0),
        (".5", 0.5),
        ("5%", 0.05),
        ("1E3", 1000.0),
    ],
)
def test_numeric_text_is_a_number(text: str, expected: float) -> None:
    assert number(text) == expected


@pytest.mark.parametrize(
    "text",
    ["nan", "NaN", "inf", "-inf", "Infinity", "1,2,3", "12,34", "1 000", "8+1", "abc", "$",
     "-", "#N/A", "1e400", "0x10", "1_000"],
)  # fmt: skip
def test_other_text_is_value_error(text: str) -> None:
    assert number(text) is VALUE_ERROR


def test_cells_that_are_not_text_keep_their_rule() -> None:
    """Empty is 0, TRUE is 1, a date is its serial, an error propagates."""
    assert number(None) == 0.0
    assert number(True) == 1.0
    assert number(date(2026, 1, 2)) == 46024.0
    assert number(CellError("#DIV/0!")) == "#DIV/0!"


def _row(**cells: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "Account": "Nowhere",
        "Ticker": "ARKK",
        "Shares": 400.0,
        "Acquired": date(2025, 12, 1),
        "Cost basis": 26000.0,
        "Price": 48.0,
    }
    base.update(cells)
    names = {"AsOfDate": date(2026, 11, 27), "MinLoss": 0, "MinPct": 0, "WashPolicy": None}
    ranges: dict[str, Any] = {"Profile": [], "Accounts": [["Account", "Type"]]}
    return holdings_row(base, names, [], ranges)


def test_gain_loss_of_money_text_is_computed() -> None:
    """400 x $48 = 19,200 market value; less $26,000.00 = -6,800 (as Excel computes)."""
    out = _row(**{"Cost basis": "$26,000.00", "Price": "$48"})
    assert out["Market value"] == 19200.0
    assert out["Gain/Loss"] == -6800.0


@pytest.mark.parametrize("text", ["nan", "inf", "1,2,3"])
def test_gain_loss_of_other_text_is_value_error(text: str) -> None:
    assert _row(**{"Cost basis": text})["Gain/Loss"] == "#VALUE!"
    out = _row(Shares=text)
    assert out["Market value"] == "#VALUE!" and out["Gain/Loss"] == "#VALUE!"
