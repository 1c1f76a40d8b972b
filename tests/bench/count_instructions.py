"""Instructions per 10k-lot x 100k-row evaluation, counted by valgrind's cachegrind.

Wall and CPU time on the shared VM swing by phases (see conftest.py), so a change worth
1-2% cannot be seen in them; an instruction count is exact and repeats to the instruction.
This is how the session that wrote it measured each step (972.1M -> 882.0M instructions).
Not part of any test run; it needs valgrind (Debian: ``apt-get install valgrind``):

    python tests/bench/count_instructions.py [checkout-dir ...]

Each checkout (default: this one) is run twice under cachegrind, with one and with three
evaluations after a warm-up, so the setup (building the synthetic rows) cancels out:
instructions per evaluation = (count(3) - count(1)) / 2. Hash seed, address-space layout
and the cycle collector are fixed, so the count does not move between runs; two
checkouts of the same code at different paths differ by well under 0.1%.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_EVALUATE = """
import gc, sys
gc.disable()
sys.path.insert(0, sys.argv[1])
from tests.bench.portfolio_data import ACCOUNTS, PROFILE, activity, lots, recurring, securities
from harvest_xl.engine.lots import identical_groups
from harvest_xl.engine.portfolio import evaluate_lots
secs = securities(); groups = identical_groups(secs); plans = recurring()
accounts = {a.name: a for a in ACCOUNTS}
held, acts = lots(10_000), activity(100_000)
for _ in range(1 + int(sys.argv[2])):
    evaluate_lots(PROFILE, held, acts, plans, secs, accounts, groups, withdrawals=False)
"""


def _count(checkout: Path, evaluations: int, script: Path) -> int:
    """Instructions of the whole process (warm-up plus ``evaluations`` evaluations)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "cachegrind.out"
        run = subprocess.run(
            ["setarch", "-R", "valgrind", "--tool=cachegrind", "--cache-sim=no"]
            + [f"--cachegrind-out-file={out}", os.path.realpath(sys.executable)]
            + [str(script), str(checkout), str(evaluations)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            check=True,
        )
    found = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
    if found is None:
        raise SystemExit(f"no instruction count from valgrind:\n{run.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def instructions_per_evaluation(checkout: Path) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "evaluate.py"
        script.write_text(_EVALUATE)
        with ThreadPoolExecutor(2) as pool:  # the two runs are independent: use both cores
            one, three = pool.map(lambda n: _count(checkout, n, script), (1, 3))
    return (three - one) / 2


def main(argv: list[str]) -> None:
    checkouts = [Path(a).resolve() for a in argv] or [Path(__file__).resolve().parents[2]]
    for checkout in checkouts:
        print(f"{checkout}: {instructions_per_evaluation(checkout):,.0f} instructions")


if __name__ == "__main__":
    main(sys.argv[1:])
