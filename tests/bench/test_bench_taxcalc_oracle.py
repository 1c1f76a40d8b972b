"""Benchmark-run comparison with Tax-Calculator on thousands of random households.

Run with ``python3 -m pytest tests/bench/test_bench_taxcalc_oracle.py -m bench -s``
(tox -e bench). The same rules as tests/test_taxcalc_oracle.py, on 3,000 seeded random
households 2018-2026 plus the boundary and witness households: every difference must be
explained by a recorded, proved Tax-Calculator defect. Reports the counts.
"""

from __future__ import annotations

import collections
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("NOTAXCALCJIT", "1")  # interpreted: no 30 s numba compile
pytest.importorskip("taxcalc")

_HERE = Path(__file__).parent.parent / "oracle"
RANDOM_HOUSEHOLDS = 3_000
SEED = 7_161_2026  # another seed than the default run's


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, _HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.bench
def test_bench_taxcalc_thousands_of_households(record):
    """3,000+ households: no unexplained difference; the counts go into the table."""
    cases_module = _load("taxcalc_cases")
    compare = _load("taxcalc_compare")
    cases = cases_module.household_cases(RANDOM_HOUSEHOLDS, SEED) + cases_module.witness_cases()
    outcomes = compare.compare_all(cases)
    bad = [f"{o.case.key} [{o.case.label}]: {'; '.join(o.problems)}" for o in outcomes
           if o.problems]  # fmt: skip
    agree = sum(1 for o in outcomes if not o.explained_by and not o.problems)
    record("taxcalc", "households compared", len(outcomes), "n")
    record("taxcalc", "agree to the cent as they are", agree, "n")
    record("taxcalc", "explained by recorded differences", len(outcomes) - agree - len(bad), "n")
    record("taxcalc", "unexplained", len(bad), "n", 0)
    counts = collections.Counter(name for o in outcomes for name in o.explained_by)
    for d in compare.DIFFERENCES:
        record("taxcalc", f"needs {d['id']}", counts[d["id"]], "n")
    assert not bad, "\n".join(bad[:50])
