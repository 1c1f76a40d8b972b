"""Benchmark: headless refresh of the demo workbook and of a 5,000-lot workbook.

Compared, in the same run, with what openpyxl alone needs to load and save the same file
(issue 7's budget: at most 2.5x). Times are process CPU seconds (other jobs on the shared
machine do not count); printed as a table, never asserted. The assertions check only that
the work was done.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from harvest_xl.demo import ACCOUNTS, PROFILE, RECURRING, SECURITIES, fill_workbook, write_demo
from harvest_xl.excel.headless import refresh_file
from harvest_xl.excel.template import build_template

TICKERS = ["VTI", "ARKK", "INTC", "VXUS", "SPY", "QQQ", "FXAIX", "VFIAX", "BND", "AAPL", "MSFT"]


def big_workbook(path: Path, lots: int, seed: int = 7) -> Path:
    """The template with ``lots`` random lots and lots/2 recent purchases (all valid)."""
    rng = random.Random(seed)
    names = [a[0] for a in ACCOUNTS]
    holdings: list[list[Any]] = []
    for _ in range(lots):
        shares = rng.randint(1, 500)
        price = round(rng.uniform(10, 600), 2)
        acquired = min(date(2020, 1, 1) + timedelta(days=rng.randint(0, 2500)), date(2026, 11, 1))
        basis = round(shares * price * rng.uniform(0.6, 1.5), 2)
        holdings.append([rng.choice(names), rng.choice(TICKERS), shares, acquired, basis, price])
    activity = [
        [
            date(2026, 9, 1) + timedelta(days=rng.randint(0, 87)),
            rng.choice(names),
            "BUY",
            rng.choice(TICKERS),
            rng.randint(1, 50),
            round(rng.uniform(10, 600), 2),
            None,
            None,
        ]
        for _ in range(lots // 2)
    ]
    wb = build_template()
    tables = {
        "Accounts": ACCOUNTS,
        "Holdings": holdings,
        "Activity": activity,
        "Recurring": RECURRING,
        "Securities": SECURITIES,
    }
    fill_workbook(wb, tables, PROFILE)
    wb.save(path)
    return path


def _cpu(fn: Any) -> tuple[float, Any]:
    start = time.process_time()
    result = fn()
    return time.process_time() - start, result


@pytest.mark.bench
def test_bench_headless_refresh(tmp_path: Path) -> None:
    """Print refresh time against openpyxl load+save for the demo and 5,000 lots."""
    rows = []
    demo = write_demo(tmp_path / "demo.xlsx").target
    books = [("demo (11 lots)", demo), ("5,000 lots", big_workbook(tmp_path / "big.xlsx", 5000))]
    for label, path in books:
        out = tmp_path / "out.xlsx"
        base, _ = _cpu(lambda p=path: openpyxl.load_workbook(p).save(tmp_path / "copy.xlsx"))
        spent, report = _cpu(lambda p=path, o=out: refresh_file(p, o))
        assert report.error is None and report.problems == []
        after, _ = _cpu(lambda o=out: openpyxl.load_workbook(o).save(tmp_path / "copy.xlsx"))
        rows.append((label, base, after, spent))
    print("\nheadless refresh, CPU s | load+save input | load+save output | refresh | ratio")
    for label, base, after, spent in rows:
        print(
            f"{label:>22} | {base:15.2f} | {after:16.2f} | {spent:7.2f} | "
            f"{spent / base:4.2f} / {spent / after:4.2f}"
        )
