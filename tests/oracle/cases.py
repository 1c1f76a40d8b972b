"""Seeded oracle cases: returns around every breakpoint plus random returns, $0-$2M.

The breakpoints come from the parameter file (what the law says), so a case lands on
both sides of each one whatever the engine does. Pure data: no engine call here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.params import capital_loss_limit, year_params

SEED = 20181231
ORACLE_YEARS = tuple(range(2018, 2026))
RANDOM_PER_YEAR_STATUS = 24
AMT_GAINS_PER_YEAR_STATUS = 6
MAX_INCOME = 2_000_000


@dataclass(frozen=True)
class OracleCase:
    """Whole-dollar inputs of one return (no carryovers: OpenTaxSolver has no input for them)."""

    year: int
    status: FilingStatus
    wages: int
    qualified_dividends: int
    st_gain: int
    lt_gain: int
    label: str

    @property
    def key(self) -> str:
        return (
            f"{self.year}/{self.status.value}/w{self.wages}/qd{self.qualified_dividends}"
            f"/st{self.st_gain}/lt{self.lt_gain}"
        )


def _breakpoints(year: int, status: FilingStatus) -> list[tuple[str, int, str]]:
    """(name, amount, what the amount measures: 'ti' taxable income or 'agi')."""
    p = year_params(year)
    points = [
        (f"bracket top {i + 1}", int(t), "ti")
        for i, t in enumerate(p.ordinary_bracket_tops[status])
    ]
    points += [
        ("tax table limit", int(p.tax_table_limit), "ti"),
        ("0% rate max", int(p.ltcg_zero_rate_max[status]), "ti"),
        ("15% rate max", int(p.ltcg_fifteen_rate_max[status]), "ti"),
        ("NIIT threshold", int(p.niit_threshold[status]), "agi"),
        ("AMT phase-out start", int(p.amt.exemption_phaseout_start[status]), "agi"),
        (
            "AMT exemption gone",
            int(
                p.amt.exemption_phaseout_start[status]
                + p.amt.exemption[status] / p.amt.exemption_phaseout_rate
            ),
            "agi",
        ),
        ("AMT 28% start", int(p.amt.rate_28_threshold[status] + p.amt.exemption[status]), "agi"),
    ]
    return points


def _split(rng: random.Random, total: int, mix: str) -> tuple[int, int, int]:
    """(qualified dividends, st gain, lt gain) making up part of ``total``."""
    if mix == "wages":
        return 0, 0, 0
    if mix == "lt":
        return 0, 0, rng.randint(0, total)
    if mix == "qd":
        return rng.randint(0, total), 0, 0
    if mix == "st":
        return 0, rng.randint(0, total), 0
    if mix == "loss":
        return rng.randint(0, total // 10), -rng.randint(0, 9000), rng.randint(-9000, total // 2)
    qd = rng.randint(0, total // 4)
    lt = rng.randint(0, total - qd)
    st = rng.randint(-5000, max(0, total - qd - lt))
    return qd, st, lt


MIXES = ("wages", "lt", "qd", "mixed", "loss", "st")


def _case(
    year: int, status: FilingStatus, agi: int, mix: str, rng: random.Random, label: str
) -> OracleCase:
    agi = max(agi, 0)
    qd, st, lt = _split(rng, agi, mix)
    capital = st + lt
    limit = int(capital_loss_limit(status))
    included = capital if capital >= 0 else max(capital, -limit)
    wages = agi - qd - included
    if wages < 0:
        qd, st, lt, wages = 0, 0, 0, agi
    return OracleCase(year, status, wages, qd, st, lt, label)


def oracle_cases() -> list[OracleCase]:
    """Each year 2018-2025 x each filing status: breakpoints +-1 and +-50, and random returns."""
    rng = random.Random(SEED)
    cases: list[OracleCase] = []
    for year in ORACLE_YEARS:
        p = year_params(year)
        for status in FilingStatus:
            std = int(p.standard_deduction[status])
            for name, amount, measure in _breakpoints(year, status):
                for delta in (-50, -1, 0, 1, 50):
                    agi = amount + delta + (std if measure == "ti" else 0)
                    mix = MIXES[rng.randrange(len(MIXES))]
                    cases.append(_case(year, status, agi, mix, rng, f"{name}{delta:+d}"))
                if measure == "agi":  # the same AGI, 40% wages and 60% qualified dividends
                    for delta in (-50, 50):
                        agi = amount + delta
                        qd = agi * 3 // 5
                        label = f"{name}{delta:+d}, mostly dividends"
                        cases.append(OracleCase(year, status, agi - qd, qd, 0, 0, label))
            for ti in (99_999, 100_000):
                cases.append(_case(year, status, ti + std, "wages", rng, f"taxable income {ti}"))
            for _ in range(AMT_GAINS_PER_YEAR_STATUS):
                # large gains on top of high wages: where Form 6251 Part III decides the tax
                wages = rng.randint(150_000, 700_000)
                qd, lt = rng.randint(0, 50_000), rng.randint(200_000, 1_300_000)
                cases.append(OracleCase(year, status, wages, qd, 0, lt, "AMT with gains"))
            for _ in range(RANDOM_PER_YEAR_STATUS):
                agi = int(10 ** rng.uniform(0, 6.301))  # log-uniform $1-$2M
                agi = min(agi, MAX_INCOME)
                mix = MIXES[rng.randrange(len(MIXES))]
                cases.append(_case(year, status, agi, mix, rng, "random"))
    return cases
