"""The Python API: the README's example runs as written, and the API refuses bad values with
the workbook's words."""

from __future__ import annotations

import contextlib
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from harvest_xl import api

README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Python API", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)  # type: ignore[union-attr]


def test_the_readme_example_runs_and_prints_what_it_says() -> None:
    """The ten lines under "Python API" run, and print what their comments say."""
    code = _readme_example()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {})  # noqa: S102 - our own README's example
    promised = re.findall(r"print\(.*\)\s+# (.*)", code)
    assert printed.getvalue().splitlines() == promised
    assert len(promised) == 2


def test_harvest_xl_api_is_reachable_from_the_package() -> None:
    """`from harvest_xl import api` and `harvest_xl.api` are the same module."""
    import harvest_xl

    assert harvest_xl.api is api


@pytest.mark.parametrize(
    ("values", "key", "problem"),
    [
        ({"tax_year": 2026, "filing_status": "mfj", "state_rate": 7}, "State tax rate",
         "7 is not a rate between 0% and 100% (type 5% or 0.05)"),
        ({"tax_year": 2026, "filing_status": "married"}, "Filing status",
         "'married' is not one of single, mfj, mfs, hoh, qss"),
        ({"tax_year": 2031, "filing_status": "single"}, "Tax year",
         "2031 is outside the supported tax years 2018-2026"),
    ],
)
def test_profile_refuses_with_the_workbooks_words(values, key, problem) -> None:  # type: ignore[no-untyped-def]
    """A Profile built directly and one read from Profile-sheet values refuse a bad value
    with the same key and words."""
    with pytest.raises(api.HarvestInputError) as direct:
        api.Profile(**values)
    typed = {k.replace("_", " ").capitalize(): v for k, v in values.items()}
    with pytest.raises(api.HarvestInputError) as read:
        api.profile_from(typed)
    assert (direct.value.argument, direct.value.problem) == (key, problem)
    assert (read.value.argument, read.value.problem) == (key, problem)


def test_household_tax_equals_federal_tax_for_a_plain_return() -> None:
    """With no ages, benefits or itemized amounts, the household's return is HX_TAX's."""
    profile = api.Profile(2026, "single", ordinary_income=Decimal(95000), realized_lt=Decimal(4000))
    assert api.household_tax(profile).total == api.federal_tax(
        2026, "single", Decimal(95000), Decimal(0), Decimal(4000)
    ).total


# ------------------------------------------------------------------- the realized year


def _ry4_trades() -> list[api.Activity]:
    """RY-4's trades (realized-year.md §3): LTG 50 sh bought 2023-02-01 for 2,000, sold
    2026-05-01 for 4,500; STL 200 sh bought 2025-12-01 for 12,000, sold 2026-06-15 for 4,000."""
    from datetime import date

    def trade(day: str, action: str, ticker: str, shares: int, price: int) -> api.Activity:
        return api.Activity(
            date.fromisoformat(day),
            "Brokerage",
            api.AccountType.TAXABLE,
            api.Action.parse(action),
            ticker,
            Decimal(shares),
            Decimal(price),
        )

    return [
        trade("2023-02-01", "BUY", "LTG", 50, 40),
        trade("2025-12-01", "BUY", "STL", 200, 60),
        trade("2026-05-01", "SELL", "LTG", 50, 90),
        trade("2026-06-15", "SELL", "STL", 200, 20),
    ]


def test_form8949_and_schedule_d_of_ry4() -> None:
    """RY-4 through the API: Part I box A (8,000), Part II box D 2,500 (box B for the
    account whose broker reports no basis, 'No'); Schedule D line 16 (5,500), line 21
    (3,000), short-term carryover 2,500 with taxable income 40,000."""
    profile = api.profile_from({"Tax year": 2026, "Filing status": "single"})
    rows = api.form8949(profile, _ry4_trades()).rows
    assert [(r.part.value, r.box.value, r.gain_or_loss) for r in rows if r.part and r.box] == [
        ("I", "A", Decimal(-8000)),
        ("II", "D", Decimal(2500)),
    ]
    not_reported = api.form8949(profile, _ry4_trades(), reporting={"Brokerage": "No"}).rows
    assert [r.box.value for r in not_reported if r.box] == ["B", "E"]
    report = api.schedule_d(profile, _ry4_trades(), taxable_income=Decimal(40000))
    assert (report.line_16, report.line_21) == (Decimal(-5500), Decimal(-3000))
    assert report.carryover is not None and report.carryover.short_term == Decimal(2500)


def test_profile_from_reads_count_activity_sales() -> None:
    """The new Profile key is read by the workbook's words; Schedule D then counts the
    realized gains typed as outside Activity: line 7 = (8,000) + 1,000."""
    profile = api.profile_from(
        {
            "Tax year": 2026,
            "Filing status": "single",
            "Realized short-term gains": "1,000",
            "Count Activity sales": "Yes",
        }
    )
    assert profile.count_activity_sales is True
    assert api.schedule_d(profile, _ry4_trades()).line_7 == Decimal(-7000)
