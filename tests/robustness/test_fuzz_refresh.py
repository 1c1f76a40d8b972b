"""Fuzz ``harvest-xl refresh`` with randomly corrupted versions of the demo workbook.

For every seed (reproducible: a failure names its seed and the corruptions):

* no exception escapes ``harvest_xl.cli.main`` and no traceback reaches stderr;
* the exit code is 0, 1 or 2 and agrees with what was reported: 0 means no problem on
  stderr and "Problems: none" on the Summary; 1 means problems, each one line
  ``Sheet!Cell (Column): problem. Fix: …``, listed identically on the Summary sheet;
  2 means a refusal message and no output file at all (never a half-written one);
* the input file is byte for byte what it was, and every input cell of the output holds
  the value and formula the input held.

The default run refreshes ``FUZZ_CASES`` seeds on two worker processes (set the
``HARVEST_FUZZ_CASES`` environment variable for a longer run), and a few seeds again
through a real ``harvest-xl`` subprocess.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from . import books, corrupt

FUZZ_CASES = int(os.environ.get("HARVEST_FUZZ_CASES", "200"))
FIRST_SEED = int(os.environ.get("HARVEST_FUZZ_SEED", "0"))


@pytest.fixture(scope="module")
def outcomes() -> list[tuple[int | None, list[str]]]:
    seeds = range(FIRST_SEED, FIRST_SEED + FUZZ_CASES)
    books.demo_bytes()  # built once, inherited by the forked workers
    workers = max(1, min(2, os.cpu_count() or 1))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(corrupt.run_case, seeds, chunksize=4)


def test_corrupted_books_never_crash_and_never_lose_input(
    outcomes: list[tuple[int | None, list[str]]],
) -> None:
    wrong = [w for _, found in outcomes for w in found]
    assert not wrong, f"{len(wrong)} finding(s); first ones:\n" + "\n\n".join(wrong[:5])


def test_the_fuzz_reaches_every_outcome(outcomes: list[tuple[int | None, list[str]]]) -> None:
    """The corruptions are neither all harmless nor all fatal: problems reported (exit 1)
    and refusals (exit 2) both happen, and most books are still refreshed."""
    codes = Counter(code for code, _ in outcomes)
    assert codes[1] > FUZZ_CASES // 4, codes
    assert codes[2] > 0, codes
    assert codes[1] + codes[0] > codes[2], codes


@pytest.mark.parametrize("offset", [0, 1, 2, 7])  # exits 2, 0, 1, 2 with seed 0
def test_through_the_console_command(
    offset: int, tmp_path: Path, outcomes: list[tuple[int | None, list[str]]]
) -> None:
    """The real entry point in its own process: the same exit code as in-process, and no
    traceback on stderr."""
    seed = FIRST_SEED + offset % FUZZ_CASES
    data, _ = corrupt.corrupted(seed)
    book = tmp_path / "book.xlsx"
    book.write_bytes(data)
    expected, _ = outcomes[seed - FIRST_SEED]
    command = ["refresh", str(book), "-o", str(tmp_path / "o.xlsx")]
    done = subprocess.run(
        [sys.executable, "-m", "harvest_xl.cli", *command],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == expected, done.stderr
    assert book.read_bytes() == data


def test_as_of_at_the_end_of_the_calendar() -> None:
    data = books.set_cells(books.demo_bytes(), {("Profile", "B15"): date(9999, 12, 31)})
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "book.xlsx"
        source.write_bytes(data)
        done = subprocess.run(
            [sys.executable, "-m", "harvest_xl.cli", "refresh", str(source)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert "Profile!B15 (As-of date): 9999-12-31 is too far in the future" in done.stderr
    assert "Traceback" not in done.stderr
