"""Benchmark: Python cost of one federal_tax call (what one HX_TAX recalculation pays).

Run with ``python3 -m pytest tests/bench/test_bench_tax.py -m bench -s``; excluded from the
default run. Reports the median microseconds per call; asserts only that the calls agree
with a fixture, never a time.
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal as D

import pytest

from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.tax import TaxReturn, federal_tax, tax_difference

RETURNS = [
    TaxReturn(2024, FilingStatus.SINGLE, D(60_000)),  # Tax Table
    TaxReturn(2025, FilingStatus.MFJ, D(180_000), D(-4_000), D(25_000), D(3_000)),  # QDCGT
    TaxReturn(2025, FilingStatus.SINGLE, D(361_839), lt_gain=D(894_483)),  # AMT + NIIT
    TaxReturn(2026, FilingStatus.MFS, D(90_000), D(-20_000), D(-5_000), D(0), D(1_000)),  # loss
]


def _median_us(fn, arg, rounds: int = 21, calls: int = 500) -> float:
    """Median CPU microseconds per call (process time: other processes' load is excluded)."""
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(calls):
            fn(arg)
        samples.append((time.process_time() - start) / calls * 1e6)
    return statistics.median(samples)


@pytest.mark.bench
def test_bench_federal_tax(record):
    """Median microseconds per federal_tax call, per kind of return."""
    assert federal_tax(RETURNS[2]).amt == D("5854.52")  # the §5.7 fixture, as a sanity check
    for ret in RETURNS:
        us = _median_us(federal_tax, ret)
        record("engine", f"federal_tax {ret.year} {ret.filing_status.value}, median", us, "us")
    us = _median_us(lambda r: tax_difference(r, extra_lt=D(-1000)), RETURNS[1])
    record("engine", "tax_difference (two returns), median", us, "us")
