"""Benchmark: table-level evaluation of 10,000 lots against 100,000 activity rows.

Budget (issue 7): under 0.5 s on one core, wash-sale matching included, and ten times the
rows may take at most twelve times the time (measured side by side in this run: the two
sizes alternate, best of seven each, the median shown too). Times are process CPU time.
The assertions check only that the work was done; the times go to the benchmark table.
"""

from __future__ import annotations

import time
from statistics import median

import pytest

from harvest_xl.engine.lots import identical_groups
from harvest_xl.engine.portfolio import evaluate_lots
from harvest_xl.engine.wash_sale import analyse_wash_sales

from .conftest import calibration_seconds
from .portfolio_data import ACCOUNTS, PROFILE, activity, lots, recurring, securities

SIZES = [(1_000, 10_000), (10_000, 100_000)]
ROUNDS = 7
"""Best of 7: on the shared VM the calibration loop swings 0.07 -> 0.20 s within one run of
this benchmark, so the best of three often saw no quiet moment. The median is recorded too."""


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


@pytest.mark.bench
def test_bench_portfolio_evaluation_and_scaling(record) -> None:
    """Evaluate 1k x 10k and 10k x 100k side by side; record times and the scaling ratio."""
    secs = securities()
    groups = identical_groups(secs)
    accounts = {a.name: a for a in ACCOUNTS}
    plans = recurring()
    data = [(lots(n_lots), activity(n_rows)) for n_lots, n_rows in SIZES]

    def evaluate(held, acts, withdrawals=False):
        return evaluate_lots(
            PROFILE, held, acts, plans, secs, accounts, groups, withdrawals=withdrawals
        )

    for (n_lots, _), (held, acts) in zip(SIZES, data, strict=True):
        result = evaluate(held, acts)
        assert len(result.rows) == n_lots and result.wash.matches
    best = {(size, part): float("inf") for size in SIZES for part in ("wash", "full")}
    big_runs: list[float] = []
    # The host's speed changes by phases (see conftest): time the yardstick beside this run.
    calibration_before = calibration_seconds()
    for _ in range(ROUNDS):  # alternate the sizes so both see the same machine load
        for size, (held, acts) in zip(SIZES, data, strict=True):
            wash = _cpu(lambda a=acts: analyse_wash_sales(a, groups, PROFILE.wash_policy))
            full = _cpu(lambda h=held, a=acts: evaluate(h, a))
            best[(size, "wash")] = min(best[(size, "wash")], wash)
            best[(size, "full")] = min(best[(size, "full")], full)
            if size == SIZES[1]:
                big_runs.append(full)
    calibration_after = calibration_seconds()
    small, big = SIZES
    held, acts = data[1]
    with_withdrawals = _cpu(lambda: evaluate(held, acts, withdrawals=True))
    for when, seconds in (("before", calibration_before), ("after", calibration_after)):
        record("table", f"calibration loop, just {when} the rounds", seconds, "s")
    record("table", "wash-sale matching alone, 1k lots x 10k rows", best[(small, "wash")], "s")
    record("table", "evaluation, 1k lots x 10k rows", best[(small, "full")], "s")
    record("table", "wash-sale matching alone, 10k lots x 100k rows", best[(big, "wash")], "s")
    record(
        "table",
        f"evaluation, 10k lots x 100k rows (best of {ROUNDS})",
        best[(big, "full")],
        "s",
        0.5,
    )
    record("table", f"evaluation, 10k lots x 100k rows (median of {ROUNDS})", median(big_runs), "s")
    record(
        "table",
        "scaling: time(10k x 100k) / time(1k x 10k)",
        best[(big, "full")] / best[(small, "full")],
        "x",
        12.0,
    )
    record("table", "evaluation with withdrawal costs, 10k x 100k (once)", with_withdrawals, "s")
