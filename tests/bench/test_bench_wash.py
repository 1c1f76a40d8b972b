"""Benchmark: table-level evaluation of 10,000 lots against 100,000 activity rows, and the
wash-sale ledger's properties on thousands of generated tables.

Budget (issue 7): under 0.5 s on one core, wash-sale matching included, and ten times the
rows may take at most twelve times the time (measured side by side in this run: the two
sizes alternate, best of seven each, the median shown too). Times are process CPU time.
The assertions check only that the work was done; the times go to the benchmark table.

Issue 15 asks two more things of this environment: the conservation property (and the
per-share reference) on thousands of cases, and where the 100,000-row benchmark's
deferred dollars went (into shares still held, sold later, or moved out).
"""

from __future__ import annotations

import time
from decimal import Decimal
from statistics import median

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harvest_xl.engine.lots import Activity, identical_groups
from harvest_xl.engine.models import WashSalePolicy
from harvest_xl.engine.portfolio import evaluate_lots
from harvest_xl.engine.wash_sale import analyse_wash_sales

from ..engine.test_wash_equivalence import assert_same
from ..engine.test_wash_properties import conservation_gap
from ..engine.wash_strategies import GROUPS, activity_tables
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


CASES = 3000
"""Generated tables per property here (the default run checks 300 of each)."""


@pytest.mark.bench
def test_bench_conservation_on_thousands_of_tables(record) -> None:
    """Conservation (fractional shares, splits, transfers) and the per-share reference
    (whole shares) on CASES generated tables each, both policies."""
    seen = {"conservation": 0, "reference": 0}
    many = settings(max_examples=CASES, deadline=None, suppress_health_check=list(HealthCheck))

    @many
    @given(activity_tables(whole_shares=False, splits=True), st.sampled_from(list(WashSalePolicy)))
    def conserved(acts: list[Activity], policy: WashSalePolicy) -> None:
        seen["conservation"] += 1
        assert conservation_gap(analyse_wash_sales(acts, GROUPS, policy)) == 0

    @many
    @given(activity_tables(), st.sampled_from(list(WashSalePolicy)))
    def same_as_reference(acts: list[Activity], policy: WashSalePolicy) -> None:
        seen["reference"] += 1
        assert_same(acts, GROUPS, policy)

    for name, check in (("conservation", conserved), ("reference", same_as_reference)):
        seconds = _cpu(check)
        record("wash", f"{name} property: {seen[name]:,} generated tables, CPU", seconds, "s")
    assert min(seen.values()) >= CASES


@pytest.mark.bench
def test_bench_where_the_deferred_dollars_are(record) -> None:
    """On the 100,000-row activity: the loss deferred into replacements, and how much of it
    is carried by shares still held, was recognized when replacements were sold, or left
    with transfers (issue 15: before, almost all of it sat on shares already sold)."""
    wash = analyse_wash_sales(activity(100_000), identical_groups(securities()))
    deferred = wash.realized.deferred
    held = sum((b.wash_adjustment for b in wash.held_blocks), Decimal(0))
    sold = sum((b.wash_adjustment for b in wash.realized_blocks), Decimal(0))
    moved = sum((b.wash_adjustment for b in wash.transferred_out), Decimal(0))
    assert held + sold + moved == deferred  # every deferred dollar is somewhere
    record("wash", "100k rows: loss disallowed", float(wash.realized.disallowed), "$")
    record("wash", "100k rows: deferred into replacements' basis", float(deferred), "$")
    record("wash", "100k rows: of it, carried by shares still held", float(held), "$")
    record("wash", "100k rows: of it, in the basis of replacements sold", float(sold), "$")
    record(
        "wash",
        "100k rows: lost for good (IRA, conservative policy)",
        float(wash.realized.lost_for_good),
        "$",
    )
