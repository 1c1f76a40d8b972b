"""Benchmark: 100,000 Activity rows to Form 8949 rows and Schedule D (issue 17: under 1 s).

The whole path a refresh or ``harvest-xl form8949`` takes after reading the tables: the
share-by-share ledger over every account (wash sales, lot relief), the tax year's Form 8949
rows and Schedule D (:func:`harvest_xl.engine.realized_year.realized_year`). The Activity is
two years of trading in six accounts (taxable, IRA, Roth, 401(k), HSA), a third of the
rows sales, half of those naming their lot and half relieved first in, first out, with
identical groups: what a heavy trader's year looks like (tests/bench/portfolio_data.py's
household). 10,000 and 100,000 rows alternate, best of seven each; ten times the rows
should take about ten times the time. Times are process CPU time; nothing asserts a time.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from decimal import Decimal

import pytest

from harvest_xl.engine.lots import Action, Activity, identical_groups
from harvest_xl.engine.realized_year import realized_year
from harvest_xl.engine.wash_sale import analyse_wash_sales

from .conftest import calibration_seconds
from .portfolio_data import ACCOUNTS, AS_OF, PROFILE, TICKERS, securities

SIZES = (10_000, 100_000)
ROUNDS = 7
LIMIT_SECONDS = 1.0
"""Issue 17: 100,000 activity rows to Form 8949 + Schedule D in under 1 s."""


def trading_years(count: int, seed: int = 17, days: int = 730) -> list[Activity]:
    """``count`` trades over ``days`` before the as-of date, in table order: two thirds
    buys; the sales half FIFO (no lot named), half naming a lot (perhaps bought before the
    table)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        account = ACCOUNTS[rng.randrange(len(ACCOUNTS))]
        when = AS_OF - timedelta(days=rng.randint(0, days))
        shares = Decimal(rng.randint(1, 200))
        price = Decimal(rng.randint(2000, 40000)) / 100
        ticker = rng.choice(TICKERS)
        kind = rng.random()
        basis = acquired = None
        if kind < 1 / 6:  # a sale naming its lot
            acquired = when - timedelta(days=rng.randint(0, 900))
            basis = (shares * price * Decimal(rng.uniform(0.7, 1.3))).quantize(Decimal("0.01"))
        action = Action.SELL if kind < 1 / 3 else Action.BUY
        out.append(
            Activity(
                when, account.name, account.account_type, action, ticker, shares, price,
                basis, acquired, row=i + 2,
            )
        )  # fmt: skip
    return out


def _realized(acts: list[Activity], groups):  # type: ignore[no-untyped-def]
    wash = analyse_wash_sales(acts, groups, PROFILE.wash_policy)
    return realized_year(
        wash.realized_in_year(PROFILE.tax_year), PROFILE, activity_through=AS_OF
    )


def _cpu(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    fn()
    return time.process_time() - start


@pytest.mark.bench
def test_bench_activity_to_form8949_and_schedule_d(record) -> None:  # type: ignore[no-untyped-def]
    """10k and 100k Activity rows to Form 8949 + Schedule D; the scaling ratio."""
    groups = identical_groups(securities())
    data = {size: trading_years(size) for size in SIZES}
    result = _realized(data[SIZES[-1]], groups)
    rows = result.form8949.rows
    count = len(rows)  # the taxable accounts' sales of the tax year, one row per block
    assert count > 5_000 and result.schedule_d.line_16 is not None
    best = dict.fromkeys(SIZES, float("inf"))
    calibration = calibration_seconds()
    del result, rows  # no earlier result in the heap the collector scans while timing
    for _ in range(ROUNDS):  # alternate the sizes so both see the same machine load
        for size in SIZES:
            best[size] = min(best[size], _cpu(lambda s=size: _realized(data[s], groups)))
    small, big = SIZES
    record("8949", "calibration beside the Activity -> Form 8949 run", calibration, "s")
    record("8949", "10k Activity rows -> Form 8949 + Schedule D (best of 7)", best[small], "s")
    record(
        "8949",
        "100k Activity rows -> Form 8949 + Schedule D (best of 7)",
        best[big],
        "s",
        LIMIT_SECONDS,
    )
    record("8949", "Form 8949 rows of the 100k Activity rows' tax year", count, "rows")
    ratio = best[big] / best[small]
    record("8949", "scaling 100k / 10k Activity rows (linear: about 10)", ratio, "x")
