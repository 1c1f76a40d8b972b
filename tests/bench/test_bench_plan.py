"""Benchmark: planning 1,000 candidate lots (issue 20 target: under 2 s).

Run with ``python3 -m pytest tests/bench/test_bench_plan.py -m bench -s``; excluded from
the default run. Reports the best CPU seconds of ``plan_from_candidates`` over 1,000
candidates for every goal, on three households that take the plan's different roads:

* the benchmark household (joint, $180,000 wages, $37,000 of gains): losses to the goal;
* a household whose gains all sit in the 0% band: every loss candidate probed and left
  unsold (the first-share test on the exact formula, once per candidate);
* the retired couple with 1,000 long-term winners: the bisection over ~250,000 shares;
* a household with more gains than all the losses: every row priced on the return.

A tenth of the loss candidates carry a partial wash sale. The whole evaluation of 1,000
Holdings lots (``evaluate_lots``: wash sales, risks, timing, savings and the plan) is
reported too. Asserts only what the plan must be, never a time.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from harvest_xl.engine.harvest import SavingCalculator
from harvest_xl.engine.lots import Lot
from harvest_xl.engine.models import AccountType, FilingStatus, Term
from harvest_xl.engine.plan import PlanCandidate, PlanGoal, plan_from_candidates
from harvest_xl.engine.portfolio import evaluate_lots
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.sale_timing import SaleTiming

from .portfolio_data import ACCOUNTS, AS_OF, PROFILE, activity, lots, recurring, securities

TARGET_S = 2.0
N = 1000
ZERO_BAND = Profile(
    tax_year=2025,
    filing_status=FilingStatus.SINGLE,
    ordinary_income=Decimal(40000),
    realized_lt=Decimal(20000),
    as_of=AS_OF,
)
RETIREES = Profile(
    tax_year=2025,
    filing_status=FilingStatus.MFJ,
    birth_date=date(1957, 6, 10),
    spouse_birth_date=date(1958, 9, 22),
    ordinary_income=Decimal(12000),
    qualified_dividends=Decimal(2000),
    social_security=Decimal(48000),
    state_rate=Decimal("0.04"),
    as_of=AS_OF,
)


def _candidates(n: int, seed: int, profile: Profile) -> list[PlanCandidate]:
    """``n`` taxable losing lots (a tenth under a partial wash sale) and ``n`` winners."""
    rng = random.Random(seed)
    calc = SavingCalculator(profile)
    out = []
    for i in range(n):
        shares = Decimal(rng.randint(10, 500))
        cost = Decimal(rng.randint(2000, 40000)) / 100
        for sign, k in ((-1, 0), (1, 1)):
            price = (cost * (1 + sign * Decimal(rng.randint(5, 60)) / 100)).quantize(
                Decimal("0.01")
            )
            acquired = AS_OF - timedelta(days=rng.randint(400, 3000) if sign > 0 else 200)
            lot = Lot(
                "Brokerage", AccountType.TAXABLE, f"T{i:04d}{k}", shares, acquired,
                shares * cost, price, AS_OF, row=2 * i + k,
            )  # fmt: skip
            term = Term.LONG if sign > 0 else Term.SHORT
            loss = (shares * cost - lot.market_value).quantize(Decimal("0.01"))
            timing = None
            if sign < 0 and i % 10 == 0:
                caught = Decimal(5)
                timing = SaleTiming(
                    loss, shares, caught, (loss * caught / shares).quantize(Decimal("0.01")),
                    Decimal(0), AS_OF + timedelta(days=40), loss, date(2025, 12, 31),
                )  # fmt: skip
            saving = calc.saving(loss, term).total if sign < 0 else Decimal(0)
            out.append(
                PlanCandidate(
                    lot, shares * cost, term, saving, AS_OF + timedelta(days=31), None,
                    timing=timing, group=f"ticker:{lot.ticker}",
                )
            )  # fmt: skip
    return out


def _best_seconds(fn: Callable[[], object], rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.bench
@pytest.mark.parametrize(
    ("name", "profile"),
    [
        ("joint $180k wages", PROFILE),
        ("gains in the 0% band", ZERO_BAND),
        ("retirees", RETIREES),
        ("gains beyond every loss", replace(PROFILE, realized_st=Decimal(10_000_000))),
    ],
)
def test_bench_plan_1000_candidates(record, name: str, profile: Profile) -> None:  # type: ignore[no-untyped-def]
    """Best CPU seconds of plan_from_candidates over 1,000 loss (+ 1,000 winning) lots."""
    candidates = _candidates(N, 7, profile)
    for goal in PlanGoal:
        calc = SavingCalculator(profile)
        plan = plan_from_candidates(profile, candidates, goal, calc)
        if goal is PlanGoal.ALL:
            assert sum(1 for r in plan.rows) == N  # every loss sold
        if goal is PlanGoal.FILL_ZERO_BRACKET:
            assert plan.gain_fill is not None and plan.after.total == (
                plan.before.total - sum((r.federal for r in plan.rows), Decimal(0))
            )
        seconds = _best_seconds(
            lambda g=goal: plan_from_candidates(profile, candidates, g, SavingCalculator(profile))
        )
        record("plan", f"{N} candidates, {goal.value}: {name}", seconds, "s", TARGET_S)


@pytest.mark.bench
def test_bench_evaluate_1000_lots_with_the_plan(record) -> None:  # type: ignore[no-untyped-def]
    """Best CPU seconds of evaluate_lots over 1,000 Holdings lots, each goal."""
    held = lots(N, seed=11)
    acts = activity(5000, seed=12, days=400)
    plans = recurring()
    secs = securities()
    accounts = {a.name: a for a in ACCOUNTS}
    for goal in (PlanGoal.OFFSET_GAINS_AND_DEDUCTION, PlanGoal.FILL_ZERO_BRACKET):
        profile = (
            PROFILE if goal is not PlanGoal.FILL_ZERO_BRACKET else replace(RETIREES, as_of=AS_OF)
        )
        result = evaluate_lots(profile, held, acts, plans, secs, accounts, goal=goal)
        assert len(result.rows) == N
        seconds = _best_seconds(
            lambda p=profile, g=goal: evaluate_lots(
                p, held, acts, plans, secs, accounts, goal=g, withdrawals=False
            ),
            rounds=3,
        )
        record("plan", f"evaluate_lots, {N} lots + plan ({goal.value})", seconds, "s")
