"""Benchmark: Python cost per HX_ call (adapter + engine), and the import cost of the module.

Run with ``python3 -m pytest tests/bench/test_bench_udfs.py -m bench -s``; excluded from the
default run. Prints median microseconds per call with the values as Excel sends them
(floats, dates, text); asserts only that the calls give a result, never a time. Targets from
the performance issue: HX_HARVEST, HX_TERM, HX_PENALTY median < 25 us, HX_TAX < 100 us;
HX_PROFILE_TAX < 150 us (issue 16); importing harvest_xl.udfs < 150 ms over a bare
``import xlwings``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date

import pytest

from harvest_xl import udfs

PROFILE = [
    ["Tax year", 2026.0],
    ["Filing status", "single"],
    ["Ordinary income", 120000.0],
    ["Realized short-term gains", 3000.0],
    ["State tax rate", 0.05],
]
CALLS = {
    "HX_TERM": (date(2025, 1, 2), date(2026, 6, 1)),
    "HX_HARVEST": ("Taxable", 10000.0, 8000.0, date(2025, 1, 2), date(2026, 6, 1), 100.0, 0.02),
    "HX_HARVEST (401k)": ("401k", 10000.0, 8000.0, date(2025, 1, 2), date(2026, 6, 1)),
    "HX_SAFE_REBUY": (date(2026, 6, 1),),
    "HX_PENALTY": ("IRA", 10000.0, date(1985, 1, 1), date(2026, 6, 1)),
    "HX_PENALTY (exception)": ("IRA", 15000.0, date(1985, 1, 1), date(2026, 6, 1), "first_home"),
    "HX_TAX": (2026.0, "single", 95000.0, -1500.0, 4000.0),
    "HX_TAX (AMT+NIIT)": (2025.0, "single", 361839.0, 0.0, 894483.0),
    "HX_LOSS_DEDUCTION": ("single", -7000.0, 0.0),
    "HX_CARRYOVER": ("single", 2000.0, -7000.0, 0.0),
    "HX_SAVING": (2000.0, "Long-term", PROFILE),
    "HX_PROFILE_TAX": (PROFILE,),
    "HX_PROFILE_TAX (retiree, SS, itemized)": (
        [
            ["Tax year", 2026.0],
            ["Filing status", "mfj"],
            ["Birth date", date(1958, 1, 1)],
            ["Spouse birth date", date(1960, 1, 1)],
            ["Ordinary income", 90000.0],
            ["Social Security benefits", 45000.0],
            ["State and local taxes", 14000.0],
            ["Mortgage interest", 9000.0],
            ["Charitable gifts", 12000.0],
        ],
        0.0,
        -3000.0,
    ),
    "HX_WITHDRAWAL_COST": ("401k", 10000.0, date(1985, 1, 1), date(2026, 6, 1), PROFILE),
}


def _median_us(fn, args, rounds: int = 15, calls: int = 300) -> float:
    """Median CPU microseconds per call over ``rounds`` batches of ``calls``."""
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(calls):
            fn(*args)
        samples.append((time.process_time() - start) / calls * 1e6)
    return statistics.median(samples)


# Issue 7: Python-side cost of one call, median.
TARGETS_US = {
    "HX_HARVEST": 25.0,
    "HX_TERM": 25.0,
    "HX_PENALTY": 25.0,
    "HX_TAX": 100.0,
    "HX_PROFILE_TAX": 150.0,  # issue 16
    "HX_PROFILE_TAX (retiree, SS, itemized)": 150.0,
}


@pytest.mark.bench
def test_bench_per_call(record):
    """Median microseconds per call of each per-row HX_ function."""
    for label, args in CALLS.items():
        fn = getattr(udfs, label.split(" ")[0])
        result = fn(*args)
        first = result[0][0] if isinstance(result, list) else result
        assert not (isinstance(first, str) and first.startswith("#VALUE!")), (label, first)
        record("UDF call", f"{label}, median", _median_us(fn, args), "us", TARGETS_US.get(label))


@pytest.mark.bench
def test_bench_evaluate_table(record):
    """HX_EVALUATE over 2,000 holdings and 2,000 activity rows: milliseconds per call."""
    holdings = [["Account", "Ticker", "Shares", "Acquired", "Cost basis", "Price"]]
    activity = [["Date", "Account", "Action", "Ticker", "Shares", "Price"]]
    for i in range(2000):
        ticker = f"T{i % 300}"
        holdings.append(
            [
                "Brokerage",
                ticker,
                10.0,
                date(2024, 1 + i % 12, 1 + i % 28),
                1000.0 + i,
                90.0 + i % 25,
            ]
        )
        activity.append([date(2026, 1 + i % 10, 1 + i % 28), "Brokerage", "BUY", ticker, 1.0, 95.0])
    accounts = [["Account", "Type", "Owner"], ["Brokerage", "Taxable", "self"]]
    profile = [*PROFILE, ["As-of date", date(2026, 11, 2)]]
    args = (holdings, accounts, activity, None, None, profile)
    result = udfs.HX_EVALUATE(*args)
    assert len(result) == len(holdings)
    start = time.process_time()
    udfs.HX_EVALUATE(*args)
    elapsed = (time.process_time() - start) * 1e3
    record("UDF call", "HX_EVALUATE, 2,000 holdings x 2,000 activity rows", elapsed, "ms")


_IMPORT_CODE = """
import time
t0 = time.perf_counter()
import xlwings
t1 = time.perf_counter()
import harvest_xl.udfs
t2 = time.perf_counter()
print((t1 - t0) * 1e3, (t2 - t1) * 1e3)
"""


@pytest.mark.bench
def test_bench_import_time(record):
    """Import cost of harvest_xl.udfs after ``import xlwings``, in fresh interpreters (best).

    With bytecode caches, as an installed package has them (written to a temporary
    prefix so the checkout stays clean), even where PYTHONDONTWRITEBYTECODE is set.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="hx_pyc_")
    subprocess.run([sys.executable, "-c", _IMPORT_CODE], env=env, capture_output=True)  # warm
    bare, extra = [], []
    for _ in range(7):
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT_CODE], env=env, capture_output=True, text=True
        )
        first, second = (float(x) for x in out.stdout.split())
        bare.append(first)
        extra.append(second)
    record("import", "import xlwings (fresh interpreter, best of 7)", min(bare), "ms")
    record(
        "import",
        "import harvest_xl.udfs after xlwings (best of 7)",
        min(extra),
        "ms",
        150.0,
        f"median {statistics.median(extra):.0f} ms",
    )
