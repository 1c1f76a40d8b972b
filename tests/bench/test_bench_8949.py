"""Benchmark: Form 8949 rows and Schedule D from 100,000 realized blocks (the part after the
ledger), and the two exports of those rows.

Issue 17 budgets 100,000 activity rows to Form 8949 + Schedule D at under 1 s with the
ledger; until the ledger lands this measures the part downstream of blocks, on synthetic
blocks with the mix a year of trading gives (most sales plain, some washed, some carrying
an earlier wash from the same or another account, a few in an IRA). Ten times the blocks
should take about ten times the time (linear): both sizes alternate, best of seven each.
Times are process CPU time; nothing asserts on a time.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest

from harvest_xl.engine.form8949 import BasisReporting, form8949_rows
from harvest_xl.engine.models import AccountType, FilingStatus
from harvest_xl.engine.realized_block import LotRelief, RealizedBlock
from harvest_xl.engine.realized_schedule_d import schedule_d_report
from harvest_xl.exports.csv_8949 import form8949_csv
from harvest_xl.exports.txf import txf_export

from .conftest import calibration_seconds

SIZES = (10_000, 100_000)
ROUNDS = 7
ACCOUNTS = (
    ("Brokerage", AccountType.TAXABLE),
    ("Second broker", AccountType.TAXABLE),
    ("Old account", AccountType.TAXABLE),
    ("IRA", AccountType.TRADITIONAL_IRA),
)
REPORTING = {"Old account": BasisReporting.NOT_REPORTED}


def synthetic_blocks(count: int, seed: int = 17) -> list[RealizedBlock]:
    """``count`` blocks sold in 2026, in sale order, with a realistic mix of cases."""
    rng = random.Random(seed)
    tickers = [f"T{i:03d}" for i in range(500)]
    out: list[RealizedBlock] = []
    for i in range(count):
        sold = date(2026, 1, 2) + timedelta(days=i * 360 // count)
        acquired = sold - timedelta(days=rng.randint(1, 1500))
        account, account_type = ACCOUNTS[rng.choices(range(4), (60, 25, 10, 5))[0]]
        shares = Decimal(rng.randint(1, 500))
        basis = Decimal(rng.randint(100, 10**7)) / 100
        proceeds = (basis * Decimal(rng.uniform(0.6, 1.6))).quantize(Decimal("0.0001"))
        kind = rng.random()
        wash = same = disallowed = lost = Decimal(0)
        start = acquired
        if kind < 0.15 and proceeds < basis:  # a washed loss, part of it in an IRA sometimes
            disallowed = (basis - proceeds) * Decimal(rng.choice((1, 1, 0.5)))
            lost = disallowed if rng.random() < 0.2 else Decimal(0)
        elif kind < 0.30:  # a replacement carrying an earlier wash sale's loss and days
            wash = Decimal(rng.randint(100, 50_000)) / 100
            same = wash if rng.random() < 0.6 else Decimal(0)
            start = acquired - timedelta(days=rng.randint(10, 300))
        out.append(
            RealizedBlock(
                sale_row=i + 2,
                account=account,
                account_type=account_type,
                ticker=rng.choice(tickers),
                shares=shares,
                acquired=acquired,
                holding_start=start,
                sold=sold,
                proceeds=proceeds,
                basis_paid=basis,
                wash_adjustment=wash,
                wash_adjustment_same_account=same,
                disallowed=disallowed,
                lost_for_good=lost,
                relief=LotRelief.FIFO if kind > 0.9 else LotRelief.NAMED,
            )
        )
    return out


def _form_and_schedule(blocks: list[RealizedBlock]):
    result = form8949_rows(blocks, 2026, activity_through=date(2027, 2, 1), reporting=REPORTING)
    schedule = schedule_d_report(
        result.rows, filing_status=FilingStatus.SINGLE, year=2026, taxable_income=Decimal(90_000)
    )
    return result, schedule


def _cpu(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


@pytest.mark.bench
def test_bench_form8949_and_schedule_d(record) -> None:
    """100k blocks to rows + Schedule D, the 10k/100k scaling ratio, and both exports."""
    data = {size: synthetic_blocks(size) for size in SIZES}
    best = dict.fromkeys(SIZES, float("inf"))
    calibration = calibration_seconds()
    for _ in range(ROUNDS):  # alternate the sizes so both see the same machine load
        for size in SIZES:
            best[size] = min(best[size], _cpu(lambda s=size: _form_and_schedule(data[s])))
    record("8949", "calibration beside this run", calibration, "s")
    record("8949", "10k blocks -> Form 8949 rows + Schedule D (best of 7)", best[SIZES[0]], "s")
    record("8949", "100k blocks -> Form 8949 rows + Schedule D (best of 7)", best[SIZES[1]], "s")
    record("8949", "scaling 100k / 10k (linear: about 10)", best[SIZES[1]] / best[SIZES[0]], "x")
    # The results are built after the timing, so no earlier run's rows sit in the heap that
    # the garbage collector scans while a timed run allocates its own.
    result, schedule = _form_and_schedule(data[SIZES[-1]])
    taxable = sum(1 for b in data[SIZES[-1]] if b.account_type is AccountType.TAXABLE)
    assert len(result.rows) == taxable and schedule.complete
    rows = result.rows
    csv_time = _cpu(lambda: form8949_csv(rows))
    txf_time = _cpu(lambda: txf_export(rows, program="harvest-xl", export_date=date(2027, 1, 15)))
    record("8949", "CSV text of the 100k-block rows (one run)", csv_time, "s")
    record("8949", "TXF text of the 100k-block rows (one run)", txf_time, "s")
