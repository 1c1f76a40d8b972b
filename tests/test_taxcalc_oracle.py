"""harvest-xl's household return against an independent engine: PSLmodels Tax-Calculator.

A fixed, seeded sample (tests/oracle/taxcalc_cases.py: households one dollar either side
of the household boundaries, witnesses of each recorded difference, and random households
2018-2026 with ages, blindness, Social Security, tax-exempt interest, itemized amounts,
gains and losses) runs in the default suite; tests/bench/test_bench_taxcalc_oracle.py runs
thousands. Every figure must agree to the cent, or be explained by an entry of
tests/oracle/taxcalc_differences.json: re-running harvest-xl with Tax-Calculator's figure
or formula must reproduce Tax-Calculator to the cent. No tolerance is widened.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.schedule import tax_schedule
from harvest_xl.engine.tax import TaxReturn, tax_with_schedule

# Tax-Calculator compiles its functions with numba on first use (~30 s of both cores);
# interpreted, this sample costs a few seconds. Set before taxcalc is first imported.
os.environ.setdefault("NOTAXCALCJIT", "1")
pytest.importorskip("taxcalc")

_HERE = Path(__file__).parent / "oracle"


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, _HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


cases_module = _load("taxcalc_cases")
compare = _load("taxcalc_compare")
RANDOM_IN_DEFAULT_RUN = 120


@functools.cache
def outcomes() -> tuple[Any, ...]:
    """(case, problems left after the explanation, entries that explained it) per case."""
    cases = cases_module.household_cases(RANDOM_IN_DEFAULT_RUN) + cases_module.witness_cases()
    return tuple(compare.compare_all(cases))


def test_no_unexplained_difference_from_tax_calculator() -> None:
    """Every household agrees to the cent, or a proved Tax-Calculator defect explains it."""
    bad = [f"{o.case.key} [{o.case.label}]: {'; '.join(o.problems)}" for o in outcomes()
           if o.problems]  # fmt: skip
    assert not bad, "\n".join(bad)


def test_sample_covers_every_year_status_and_household_feature() -> None:
    """The default sample has every year and status, seniors, benefits, itemizers and losses."""
    cases = [o.case for o in outcomes()]
    assert {c.year for c in cases} == set(range(2018, 2027))
    assert {c.status for c in cases} == set(FilingStatus)
    assert any(c.age_head >= 65 and c.year >= 2025 for c in cases)
    assert sum(1 for c in cases if c.social_security) >= 40
    assert sum(1 for c in cases if c.state_income_tax + c.real_estate_tax) >= 40
    assert any(c.st_gain + c.lt_gain < -3_000 for c in cases)
    assert len(cases) >= 150


def test_most_households_agree_without_any_explanation() -> None:
    """The comparison is not all explanations: most households match as they are."""
    plain = sum(1 for o in outcomes() if not o.explained_by and not o.problems)
    assert plain >= 0.75 * len(outcomes())


def test_every_recorded_difference_is_observed() -> None:
    """No stale entry: each recorded defect is needed to explain at least one household."""
    used = {name for o in outcomes() for name in o.explained_by}
    recorded = {d["id"] for d in compare.DIFFERENCES}
    assert recorded <= used, recorded - used


def test_every_model_entry_has_a_model_and_back() -> None:
    """Each 'model' entry has its formula in taxcalc_compare.MODELS and no model is orphaned."""
    models = {d["id"] for d in compare.DIFFERENCES if d["kind"] == "model"}
    assert models == set(compare.MODELS)


@pytest.mark.parametrize("defect", compare.DIFFERENCES, ids=[d["id"] for d in compare.DIFFERENCES])
def test_recorded_law_figure_is_the_engines(defect: dict[str, Any]) -> None:
    """Each entry cites both sides; a schedule entry's law figure is the parameter file's
    (through the engine's schedule), a return entry's is the Profile default."""
    assert defect["law_source"] and defect["taxcalc_source"] and defect["explanation"]
    assert defect["kind"] in {"schedule", "return", "model"}
    for year in defect["years"]:
        for name in defect["filing_status"]:
            status = FilingStatus.parse(name)
            if defect["kind"] == "schedule":
                law = compare.schedule_figure(tax_schedule(year, status), defect["field"])
            elif defect["kind"] == "return":
                law = getattr(TaxReturn(year, status, 0), defect["field"])  # type: ignore[arg-type]
            else:
                continue
            assert law == compare.figure(defect["law"], status), (year, name)
            assert compare.figure(defect["taxcalc"], status) != law


def test_the_comparison_runs_the_engine_itself() -> None:
    """With no entry applied, the comparison's re-run is federal_tax on the exact schedule."""
    for o in outcomes()[:60]:
        case = o.case
        direct = tax_with_schedule(compare.tax_return(case),
                                   compare.exact_schedule(case.year, case.status))  # fmt: skip
        assert compare.run_with(case, ()) == direct
