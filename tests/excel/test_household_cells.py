"""The household return through the cells: the issue's five households give their savings
through HX_SAVING, HX_PROFILE_TAX and a refreshed workbook's Holdings Tax saving, with the
new Profile keys typed as a user types them.

The expected savings are the issue's "correct" column (issue 16; household-return.md's HH
examples agree), not figures computed by the code under test.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from harvest_xl import udfs
from harvest_xl.cli import main
from harvest_xl.demo import fill_workbook
from harvest_xl.excel import layout as L
from harvest_xl.excel.template import build_template

AS_OF = date(2026, 11, 27)
HOUSEHOLDS: dict[str, tuple[dict[str, Any], float]] = {
    "single 67 $68k": (
        {"Filing status": "single", "Birth date": "1959-03-01", "Ordinary income": 68000},
        360.0,
    ),
    "single 67 $60k + $10k LT gains": (
        {
            "Filing status": "single",
            "Birth date": date(1959, 3, 1),
            "Ordinary income": "$60,000",
            "Realized long-term gains": 10000,
        },
        0.0,
    ),
    "single $40k IRA + $24k SS": (
        {
            "Filing status": "single",
            "Ordinary income": 40000,
            "Social Security benefits": "$24,000",
        },
        666.0,
    ),
    "MFJ both 67 $200k": (
        {
            "Filing status": "Married filing jointly",
            "Birth date": date(1959, 3, 1),
            "Spouse birth date": "5/1/1959",
            "Ordinary income": 200000,
        },
        739.20,
    ),
    "MFJ $550k SALT $60k mortgage $25k": (
        {
            "Filing status": "mfj",
            "Ordinary income": 550000,
            "State and local taxes": 60000,
            "Mortgage interest": 25000,
        },
        1248.0,
    ),
}


def _profile_range(values: dict[str, Any]) -> list[list[Any]]:
    return [["Tax year", 2026], *([k, v] for k, v in values.items()), ["As-of date", AS_OF]]


@pytest.mark.parametrize("name", HOUSEHOLDS)
def test_hx_saving_of_a_3000_short_term_loss(name: str) -> None:
    """HX_SAVING with the Profile range gives the issue's saving for each household."""
    values, saving = HOUSEHOLDS[name]
    assert udfs.HX_SAVING(3000, "Short-term", _profile_range(values)) == pytest.approx(saving)


@pytest.mark.parametrize("name", HOUSEHOLDS)
def test_hx_profile_tax_without_minus_with_is_the_saving(name: str) -> None:
    """HX_PROFILE_TAX of the household, without and with a $3,000 short-term loss, differs
    by the issue's saving (no state tax in these households)."""
    values, saving = HOUSEHOLDS[name]
    profile = _profile_range(values)
    without = udfs.HX_PROFILE_TAX(profile)
    with_loss = udfs.HX_PROFILE_TAX(profile, 0, -3000, 0)
    assert without - with_loss == pytest.approx(saving)


def test_hx_profile_tax_names_a_bad_profile_key() -> None:
    """A bad new key is the function's error, naming the key."""
    bad = _profile_range({"Filing status": "single", "Blind (people)": 3})
    assert udfs.HX_PROFILE_TAX(bad) == (
        "#VALUE! Blind (people): 3 is not between 0 and 1 (the people on the return)"
    )


@pytest.mark.parametrize("name", HOUSEHOLDS)
def test_the_refreshed_workbook_shows_the_saving(name: str, tmp_path: Path) -> None:
    """A workbook with the household's Profile and one taxable lot losing $3,000 short-term
    shows the issue's saving in its Holdings Tax saving column after a refresh."""
    values, saving = HOUSEHOLDS[name]
    wb = build_template()
    profile = {"Tax year": 2026, **values, "As-of date": AS_OF}
    tables = {
        L.ACCOUNTS: [["Brokerage", "Taxable", "self", None, None, None]],
        L.HOLDINGS: [["Brokerage", "LOSS", 100, date(2026, 6, 1), 10000, 70]],
    }
    fill_workbook(wb, tables, profile)
    book, out = tmp_path / "book.xlsx", tmp_path / "out.xlsx"
    wb.save(book)
    assert main(["refresh", str(book), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out, data_only=True)[L.HOLDINGS]
    header = [c.value for c in ws[L.HEADER_ROW]]
    row = dict(zip(header, [c.value for c in ws[L.FIRST_DATA_ROW]], strict=False))
    assert row["Harvest"].startswith("Harvest: short-term loss of $3,000.00")
    assert row["Tax saving"] == pytest.approx(saving)
