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
