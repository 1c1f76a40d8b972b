"""Benchmark: what the safety checks add to loading a 5,000-row workbook, and atomic saving.

Run with ``python3 -m pytest tests/bench/test_bench_io.py -m bench -s``; excluded from the
default run. Records median CPU times side by side in one run (process time, so other processes'
load is excluded); asserts only that both loads read the same values, never a time.
"""

from __future__ import annotations

import io
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from harvest_xl.excel.atomic_write import atomic_save
from harvest_xl.excel.safe_read import load_workbook_safely, read_package_safely

ROWS = 5_000


def _workbook_bytes() -> bytes:
    """5,000 lots of the shape the Holdings table has: text, dates, numbers, a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Holdings"
    sheet.append(["Lot", "Account", "Symbol", "Acquired", "Shares", "Basis", "Price", "Value"])
    start = date(2020, 1, 2)
    for n in range(ROWS):
        row = n + 2
        sheet.append(
            [
                f"L{n:05d}",
                ("Taxable", "Roth IRA", "401(k)")[n % 3],
                ("VTI", "BND", "VXUS", "AAPL")[n % 4],
                start + timedelta(days=n % 1500),
                10 + n % 90,
                1000 + n * 1.25,
                50 + n % 200,
                f"=E{row}*G{row}",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _median_seconds(fn, rounds: int = 5) -> float:
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        fn()
        samples.append(time.process_time() - start)
    return statistics.median(samples)


@pytest.mark.bench
def test_bench_safe_load_overhead(tmp_path: Path, record) -> None:
    """Median CPU seconds: plain openpyxl load vs load_workbook_safely, and the checks alone."""
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(_workbook_bytes())
    plain = openpyxl.load_workbook(path)["Holdings"]
    safe = load_workbook_safely(path)["Holdings"]
    assert [c.value for c in plain[ROWS + 1]] == [c.value for c in safe[ROWS + 1]]

    t_plain = _median_seconds(lambda: openpyxl.load_workbook(path))
    t_safe = _median_seconds(lambda: load_workbook_safely(path))
    t_checks = _median_seconds(lambda: read_package_safely(path))
    t_plain_ro = _median_seconds(lambda: openpyxl.load_workbook(path, read_only=True))
    t_safe_ro = _median_seconds(lambda: load_workbook_safely(path, read_only=True))
    label = f"{ROWS:,} rows x 8 columns"
    record("io", f"openpyxl.load_workbook, {label} (median)", t_plain, "s")
    record("io", "load_workbook_safely / openpyxl.load_workbook", t_safe / t_plain, "x")
    record("io", "read_package_safely (checks only)", t_checks, "s")
    record("io", "load_workbook_safely / openpyxl, read-only", t_safe_ro / t_plain_ro, "x")


@pytest.mark.bench
def test_bench_atomic_save(tmp_path: Path, record) -> None:
    """Median CPU seconds: workbook.save vs atomic_save (temp file, fsync, backup, replace)."""
    path = tmp_path / "holdings.xlsx"
    path.write_bytes(_workbook_bytes())
    workbook = openpyxl.load_workbook(path)
    t_plain = _median_seconds(lambda: workbook.save(tmp_path / "plain.xlsx"))
    t_atomic = _median_seconds(lambda: atomic_save(workbook, path))
    assert load_workbook_safely(path)["Holdings"]["A2"].value == "L00000"
    record("io", "workbook.save (median)", t_plain, "s")
    record("io", "atomic_save (with backup) / workbook.save", t_atomic / t_plain, "x")
