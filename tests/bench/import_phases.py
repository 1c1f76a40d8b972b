"""Run as a script: import a broker history into a workbook three times, in this fresh
interpreter, and print each run's CPU seconds per phase as JSON (used by
``test_bench_import_workbook.py``).

``harvest-xl import`` is one process. Measured inside the benchmark session instead, the
import would run beside everything the benchmarks before it left alive, and Python's cycle
collector would scan all of that at each full collection: the reading half took 1.3 s there
against 0.8 s in a process of its own.

Usage: ``python import_phases.py HISTORY BOOK OUT``.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from harvest_xl.excel import layout as L
from harvest_xl.excel.appended_rows import AppendedRows
from harvest_xl.excel.import_workbook import merge_into, refresh_imported, save_imported
from harvest_xl.excel.safe_read import load_workbook_safely, read_package_safely
from harvest_xl.importers import read_file

NOW = datetime(2026, 11, 27, 18, 0)
RUNS = 3


def one_import(history: Path, book: Path, out: Path) -> dict[str, object]:
    """CPU seconds of each phase of one import, what it added and the problems its refresh
    found; each phase keeps what the next needs, as ``import_files`` does."""
    times: dict[str, float] = {}
    clock = time.process_time()
    results = [read_file(history)]
    times["read"] = time.process_time() - clock
    clock = time.process_time()
    package = read_package_safely(book)
    workbook = load_workbook_safely(package)
    appended = AppendedRows()
    plan = merge_into(workbook, results, None, appended)
    added = plan.files[0].added
    del results, plan
    times["merge"] = time.process_time() - clock
    clock = time.process_time()
    adapter, result = refresh_imported(workbook, package, NOW, appended)
    problems = [str(p) for p in result.problems]
    del result
    times["refresh"] = time.process_time() - clock
    clock = time.process_time()
    save_imported(workbook, package, adapter, out, False)
    times["save"] = time.process_time() - clock
    return {
        "times": times,
        "activity": added[L.ACTIVITY],
        "accounts": added[L.ACCOUNTS],
        "problems": problems,
    }


def main(history: str, book: str, out: str) -> None:
    runs = []
    for _ in range(RUNS):
        # Each run starts from a heap with nothing of the run before, as the one import of
        # a `harvest-xl import` process does (the last run's workbook is cyclic garbage,
        # which only the cycle collector frees: collected here, outside the timing).
        gc.collect()
        runs.append(one_import(Path(history), Path(book), Path(out)))
    print(json.dumps(runs))


if __name__ == "__main__":
    main(*sys.argv[1:4])
