"""Per-call cost of the engine behind HX_PENALTY (run with ``tox -e bench``; µs/call).

Budget: < 25 µs of Python per call (issue 4). Measured, printed, never asserted on time.
"""

from __future__ import annotations

import time
import timeit
from datetime import date
from decimal import Decimal

import pytest

from harvest_xl.engine.withdrawals import early_withdrawal_additional_tax

CALLS = {
    "IRA, no exception": ("Traditional IRA", Decimal(3000), date(1990, 1, 1), date(2025, 6, 1)),
    "401(k), separation": (
        "401(k)", Decimal(40000), date(1969, 1, 1), date(2025, 6, 1), "01", date(2025, 3, 1)
    ),
    "IRA, first home (capped)": (
        "IRA", Decimal(15000), date(1990, 1, 1), date(2025, 6, 1), "first_home"
    ),
    "SIMPLE IRA, year 1": (
        "SIMPLE IRA", Decimal(10000), date(1985, 1, 1), date(2025, 6, 1), None, None,
        date(2025, 1, 2),
    ),
    "HSA at 50": ("HSA", Decimal(5000), date(1975, 1, 1), date(2025, 6, 1)),
}  # fmt: skip


@pytest.mark.bench
@pytest.mark.parametrize("case", CALLS, ids=list(CALLS))
def test_bench_penalty_per_call(case: str, record) -> None:
    """Time one HX_PENALTY-shaped engine call; print microseconds per call."""
    args = CALLS[case]
    early_withdrawal_additional_tax(*args)  # warm the parameter cache
    number = 20000
    # process_time: CPU time of this process, so other jobs on the machine do not count.
    best = min(
        timeit.repeat(
            lambda: early_withdrawal_additional_tax(*args),
            number=number,
            repeat=5,
            timer=time.process_time,
        )
    )
    per_call_us = best / number * 1e6
    record("engine", f"early_withdrawal_additional_tax, {case} (best)", per_call_us, "us")
    assert early_withdrawal_additional_tax(*args) >= 0
