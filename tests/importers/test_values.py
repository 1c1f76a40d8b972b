"""Cell values as brokers write them, read through the project's one cell-value reader."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.importers.values import CellValues, find_as_of, split_as_of

PACKAGE = Path(__file__).parents[2] / "harvest_xl" / "importers"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,234.56", "1234.56"),
        ("(1,234.56)", "-1234.56"),
        ("($22,000.00)", "-22000.00"),
        ("+$0.16", "0.16"),
        ("-$10.00", "-10.00"),
        ("$12.00 ", "12.00"),
        ("-$100975.73", "-100975.73"),
        ("0.", "0"),
        (".0000", "0"),
        ("-.29", "-0.29"),
        ("1E-4", "0.0001"),
        ("-2.637591265E-4", "-0.0002637591265"),
        ("+31.10%", "0.311"),
    ],
)
def test_money_as_brokers_write_it(text: str, expected: str) -> None:
    """Dollar signs, thousands, brackets, signs, trailing spaces, exponents, percentages."""
    assert CellValues().number(text, "Amount") == Decimal(expected)


@pytest.mark.parametrize("text", ["", "  ", "--", "-", "n/a", "N/A", "not applicable", "None"])
def test_broker_blanks_are_none(text: str) -> None:
    """The words brokers use for "no value" read as None."""
    values = CellValues()
    assert values.number(text, "Amount") is None
    assert values.day(text, "Date") is None
    assert values.text(text) is None


def test_share_suffix() -> None:
    """Robinhood's ``2S`` (an option expiration's count) reads as 2 shares."""
    assert CellValues().shares("2S", "Quantity") == 2
    assert CellValues().shares("1,000", "Quantity") == 1000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/24/2025", date(2025, 12, 24)),
        ("8/3/2026", date(2026, 8, 3)),
        ("07/03/23", date(2023, 7, 3)),
        ("2024-03-27", date(2024, 3, 27)),
        ("2023/04/23", date(2023, 4, 23)),
        ("20230522", date(2023, 5, 22)),
        ("20260803;093015", date(2026, 8, 3)),
        ("2021-08-23, 09:33:11", date(2021, 8, 23)),
        ("09/24/2020 13:42:07", date(2020, 9, 24)),
        (" 06/26/2025 02:38:22 PM", date(2025, 6, 26)),
        ("Dec-30-2025", date(2025, 12, 30)),
        ("Jun-30-2025 10:11 a.m ET", date(2025, 6, 30)),
        ("Feb 15 2026 09:24 PM ET", date(2026, 2, 15)),
        ("01/18/2019 10:23:53 AM ET", date(2019, 1, 18)),
        ("     05/15/2003", date(2003, 5, 15)),
    ],
)
def test_dates_as_brokers_write_them(text: str, expected: date) -> None:
    """US, ISO, slashed ISO, compact IBKR, with times and zones, Fidelity's Mmm-dd-yyyy."""
    assert CellValues().day(text, "Date") == expected


def test_as_of_in_a_date_cell() -> None:
    """Schwab's ``X as of Y``: the posted date and the trade date apart."""
    assert split_as_of("08/18/2023 as of 08/15/2023") == ("08/18/2023", "08/15/2023")
    assert split_as_of("08/18/2023") == ("08/18/2023", None)


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("REINVESTMENT as of 11/30/2022 VANGUARD CA (VCAIX) (Cash)", "11/30/2022"),
        ("INTEREST EARNED as of Dec-30-2025 (Cash)", "Dec-30-2025"),
        ("YOU BOUGHT VANGUARD (VT) (Cash)", None),
    ],
)
def test_as_of_inside_an_action(action: str, expected: str | None) -> None:
    """The "as of" date inside a Fidelity action text."""
    assert find_as_of(action) == expected


@pytest.mark.parametrize(("text", "kind"), [("abc", "number"), ("12/45/2020", "date")])
def test_bad_value_names_the_column(text: str, kind: str) -> None:
    """A value that is not a number or a date raises naming the column."""
    values = CellValues()
    convert = values.number if kind == "number" else values.day
    with pytest.raises(HarvestInputError) as caught:
        convert(text, "Quantity")
    assert caught.value.argument == "Quantity"


def test_cells_module_imported_from_one_place() -> None:
    """Only importers/values.py imports the general cell-value reader (one line to move)."""
    importing = sorted(
        path.name for path in PACKAGE.glob("*.py") if "harvest_xl.inputs.cells" in path.read_text()
    )
    assert importing == ["values.py"]
