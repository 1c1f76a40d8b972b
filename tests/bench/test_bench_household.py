"""Benchmark: one household return from a Profile (what HX_PROFILE_TAX will pay per call).

Run with ``python3 -m pytest tests/bench/test_bench_household.py -m bench -s``; excluded
from the default run. Reports the median CPU microseconds per call against the issue 16
target (150 us); asserts only that the calls give the worked examples, never a time.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from decimal import Decimal as D

import pytest

from harvest_xl.engine.household import household_tax, household_tax_difference
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.profile import Profile

TARGET_US = 150.0
PROFILES = {
    "HH-1 single 67, IRA + Social Security": Profile(
        2026, FilingStatus.SINGLE, birth_date=date(1959, 6, 15), ordinary_income=D(30_000),
        social_security=D(24_000),
    ),
    "HH-5 joint 66/66, senior phase-out + LTCG": Profile(
        2026, FilingStatus.MFJ, birth_date=date(1960, 4, 1), spouse_birth_date=date(1960, 4, 1),
        ordinary_income=D(150_000), realized_lt=D(10_000),
    ),
    "HH-3 joint itemizer, SALT phase-down": Profile(
        2026, FilingStatus.MFJ, ordinary_income=D(550_000), state_local_taxes=D(60_000),
        mortgage_interest=D(25_000),
    ),
    "everything: SS, TEI, itemized, gains, QD, 65+": Profile(
        2026, FilingStatus.MFJ, birth_date=date(1955, 1, 1), spouse_birth_date=date(1958, 1, 1),
        ordinary_income=D(90_000), qualified_dividends=D(8_000), realized_st=D(-2_000),
        realized_lt=D(15_000), social_security=D(45_000), tax_exempt_interest=D(6_000),
        state_local_taxes=D(14_000), mortgage_interest=D(9_000), charitable_gifts=D(12_000),
        other_itemized=D(1_000),
    ),
}  # fmt: skip


def _median_us(fn, rounds: int = 21, calls: int = 300) -> float:
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(calls):
            fn()
        samples.append((time.process_time() - start) / calls * 1e6)
    return statistics.median(samples)


@pytest.mark.bench
def test_bench_household_tax(record):
    """Median microseconds per household_tax call, and per with/without pair."""
    hh1 = PROFILES["HH-1 single 67, IRA + Social Security"]
    assert household_tax(hh1).total == D(1_813)  # HH-1 without the harvest, as a sanity check
    for name, profile in PROFILES.items():
        us = _median_us(lambda p=profile: household_tax(p))
        record("household", f"household_tax: {name}", us, "us", TARGET_US)
    profile = PROFILES["everything: SS, TEI, itemized, gains, QD, 65+"]
    us = _median_us(lambda: household_tax(profile, extra_st=D(-3_000)))
    record("household", "household_tax with a $3,000 loss (everything)", us, "us", TARGET_US)
    us = _median_us(lambda: household_tax_difference(profile, extra_st=D(-3_000)))
    record("household", "household_tax_difference, with/without (everything)", us, "us")
