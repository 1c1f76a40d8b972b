"""Benchmarks report into one table, printed at the end of the run (``tox -e bench``).

Each benchmark calls :func:`record` with what it measured and, where issue 7 sets one,
the target; the table says PASS or FAIL against it. Times are CPU time of this process
(``time.process_time``: other jobs on a shared machine do not count, though they still
slow a shared core), best or median of several runs as each benchmark says. A fixed
pure-Python loop is timed first, so numbers from different machines can be compared.
Nothing here asserts on a time.

On the shared 2-core VM the project is built on, the host switches between phases about
2.5x apart (the calibration loop reads ~0.09 s in a quiet phase, 0.25-0.4 s in a busy
one, and other numbers follow only in part): compare before/after within one run, and
read a result next to its calibration line. To see a change of a few percent, count
instructions instead (exact and repeatable): ``python tests/bench/count_instructions.py``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Row:
    area: str
    what: str
    measured: float
    unit: str
    limit: float | None = None  # measured must be at most this to pass
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.limit is None:
            return "info"
        return "PASS" if self.measured <= self.limit else "FAIL"


_ROWS: list[Row] = []


def _record(
    area: str, what: str, measured: float, unit: str, limit: float | None = None, note: str = ""
) -> None:
    _ROWS.append(Row(area, what, measured, unit, limit, note))


@pytest.fixture
def record():  # type: ignore[no-untyped-def]
    """``record(area, what, measured, unit, limit=None, note="")``: add one line to the
    table printed at the end of the benchmark run (``limit``: the target, at most)."""
    return _record


def calibration_seconds(rounds: int = 5) -> float:
    """Best CPU seconds of a fixed loop of 10^6 additions (a yardstick for this machine)."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        total = 0
        for i in range(1_000_000):
            total += i
        best = min(best, time.process_time() - start)
    return best


@pytest.fixture(scope="session", autouse=True)
def _calibrate() -> None:
    """Runs once before the first benchmark (only benchmarks live in this folder)."""
    _record("machine", "calibration: 10^6-step Python loop (best of 5)", calibration_seconds(), "s")


def _format(value: float, unit: str) -> str:
    if unit in ("x",):
        return f"{value:.2f}"
    if unit in ("us", "ms", "MB"):
        return f"{value:,.1f}"
    return f"{value:,.3f}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _ROWS:
        return
    write = terminalreporter.write_line
    write("")
    write("harvest-xl benchmarks (CPU time; targets from issue 7)")
    header = f"{'area':<10} {'measurement':<58} {'value':>10} {'unit':<4} {'target':>10}  result"
    write(header)
    write("-" * len(header))
    for row in _ROWS:
        target = "" if row.limit is None else "<= " + _format(row.limit, row.unit)
        line = (
            f"{row.area:<10} {row.what:<58} {_format(row.measured, row.unit):>10} "
            f"{row.unit:<4} {target:>10}  {row.verdict}"
        )
        write(line + (f"  ({row.note})" if row.note else ""))
    failed = sum(1 for row in _ROWS if row.verdict == "FAIL")
    passed = sum(1 for row in _ROWS if row.verdict == "PASS")
    write(f"{passed} targets met, {failed} missed")
