"""Run harvest-xl's household return and PSLmodels Tax-Calculator on the same households,
and explain every difference by a proved Tax-Calculator defect (taxcalc_differences.json).

Shared by tests/test_taxcalc_oracle.py (a fixed sample, default run) and
tests/bench/test_bench_taxcalc_oracle.py (thousands of households, bench run).

Conventions: Tax-Calculator computes the regular tax by the exact rate formula, never the
Tax Table, so harvest-xl is run with the Tax Computation Worksheet at every income (its
schedule with a Tax Table limit of 0: a convention, household-return.md §7, not a
tolerance). Figures are compared to the cent.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from harvest_xl.engine.deductions import Deductions, deduction_choices
from harvest_xl.engine.household import household_return
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.netting import schedule_d_lines
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.schedule import TaxSchedule, base_taxes, tax_schedule
from harvest_xl.engine.tax import TaxResult, TaxReturn, cheaper_return, taxes_after_deductions

HERE = Path(__file__).parent
DIFFERENCES = json.loads((HERE / "taxcalc_differences.json").read_text("utf-8"))["defects"]
CENT = Decimal("0.01")
MARS = {FilingStatus.SINGLE: 1, FilingStatus.MFJ: 2, FilingStatus.MFS: 3, FilingStatus.HOH: 4,
        FilingStatus.QSS: 5}  # fmt: skip
# (name, Tax-Calculator variable, TaxResult attribute)
FIGURES = (
    ("AGI", "c00100", "agi"),
    ("taxable Social Security", "c02500", "taxable_social_security"),
    ("senior deduction", "senior_deduction", "senior_deduction"),
    ("taxable income", "c04800", "taxable_income"),
    ("regular tax", "taxbc", "regular_tax"),
    ("AMTI", "c62100", "amti"),
    ("AMT", "c09600", "amt"),
    ("NIIT", "niit", "niit"),
)


# ----------------------------------------------------------------------------- engines


def tax_return(case: Any) -> TaxReturn:
    """harvest-xl's return of ``case``, built through the Profile (ages from birth dates)."""

    def born(age: int) -> date | None:
        return date(case.year - age, 7, 1) if age else None  # that age on December 31

    profile = Profile(
        tax_year=case.year,
        filing_status=case.status,
        birth_date=born(case.age_head),
        spouse_birth_date=born(case.age_spouse),
        blind_people=case.blind_head + case.blind_spouse,
        ordinary_income=Decimal(case.pension),
        qualified_dividends=Decimal(case.qualified_dividends),
        realized_st=Decimal(case.st_gain),
        realized_lt=Decimal(case.lt_gain),
        social_security=Decimal(case.social_security),
        tax_exempt_interest=Decimal(case.tax_exempt_interest),
        state_local_taxes=Decimal(case.state_income_tax + case.real_estate_tax),
        mortgage_interest=Decimal(case.mortgage_interest),
        charitable_gifts=Decimal(case.cash_gifts),
    )
    # medical expenses have no Profile key; the engine's return takes them
    return dataclasses.replace(household_return(profile), medical_expenses=Decimal(case.medical))


def exact_schedule(year: int, status: FilingStatus) -> TaxSchedule:
    """The law's schedule with the exact rate formula at every income (as Tax-Calculator)."""
    return dataclasses.replace(tax_schedule(year, status), tax_table_limit=Decimal(0))


def taxcalc_figures(cases: Sequence[Any]) -> list[dict[str, Decimal]]:
    """Tax-Calculator's figures for each case (one batch of records per year)."""
    import pandas as pd

    taxcalc = _taxcalc()
    policy = _policy()
    out: list[dict[str, Decimal]] = [{} for _ in cases]
    years = sorted({c.year for c in cases})
    for year in years:
        index = [i for i, c in enumerate(cases) if c.year == year]
        rows = [_record(cases[i], n + 1) for n, i in enumerate(index)]
        records = taxcalc.Records(
            data=pd.DataFrame(rows), start_year=year, gfactors=None, weights=None,
            adjust_ratios=None, exact_calculations=True,
        )  # fmt: skip
        calc = taxcalc.Calculator(policy=policy, records=records, verbose=False)
        calc.calc_all()
        frame = calc.dataframe([v for _, v, _ in FIGURES])
        for n, i in enumerate(index):
            out[i] = {v: Decimal(repr(float(frame[v].iloc[n]))) for v in frame.columns}
    return out


def _taxcalc() -> Any:
    os.environ.setdefault("NOTAXCALCJIT", "1")  # numba's first compile takes ~30 s
    import taxcalc

    return taxcalc


@functools.cache
def _policy() -> Any:
    """Current-law policy, built once (the Calculator copies it and sets its own year)."""
    return _taxcalc().Policy()


def _record(case: Any, recid: int) -> dict[str, float]:
    qd = float(case.qualified_dividends)
    return {
        "RECID": recid,
        "MARS": MARS[case.status],
        "age_head": case.age_head,
        "age_spouse": case.age_spouse,
        "blind_head": case.blind_head,
        "blind_spouse": case.blind_spouse,
        "e01500": float(case.pension),
        "e01700": float(case.pension),
        "e02400": float(case.social_security),
        "e00400": float(case.tax_exempt_interest),
        "e00600": qd,
        "e00650": qd,
        "p22250": float(case.st_gain),
        "p23250": float(case.lt_gain),
        "e17500": float(case.medical),
        "e18400": float(case.state_income_tax),
        "e18500": float(case.real_estate_tax),
        "e19200": float(case.mortgage_interest),
        "e19800": float(case.cash_gifts),
    }


# ----------------------------------------------------------------- comparing and explaining


def ours(case: Any) -> TaxResult:
    """harvest-xl's result for ``case`` (exact rate formula, as Tax-Calculator)."""
    return run_with(case, ())


def problems(result: TaxResult, theirs: dict[str, Decimal]) -> list[str]:
    """Each compared figure that differs by more than a cent."""
    out = []
    for name, variable, attribute in FIGURES:
        mine = getattr(result, attribute)
        if abs(mine - theirs[variable]) > CENT:
            out.append(f"{name}: ours {mine}, Tax-Calculator {theirs[variable]}")
    return out


def applicable(case: Any) -> list[dict[str, Any]]:
    """The recorded defects that apply to the case's year and filing status."""
    return [
        d for d in DIFFERENCES
        if case.year in d["years"] and case.status.value in d["filing_status"]
    ]  # fmt: skip


def figure(value: Any, status: FilingStatus) -> Any:
    """An entry's law or Tax-Calculator figure for ``status`` (a number, a per-status map,
    a fraction [numerator, denominator] or a boolean), as the engine types it."""
    if isinstance(value, dict):
        value = value[status.value]
    if isinstance(value, bool):
        return value
    if isinstance(value, list):
        return tuple(Decimal(str(v)) for v in value)
    return Decimal(str(value))


def schedule_figure(s: TaxSchedule, field: str) -> Any:
    """The law's value of a TaxSchedule field ('bracket_tops[i]' for one bracket top)."""
    m = re.fullmatch(r"bracket_tops\[(\d)\]", field)
    return s.bracket_tops[int(m.group(1))] if m else getattr(s, field)


def _with_schedule_figure(s: TaxSchedule, field: str, value: Any) -> TaxSchedule:
    m = re.fullmatch(r"bracket_tops\[(\d)\]", field)
    if m is None:
        return dataclasses.replace(s, **{field: value})
    tops = list(s.bracket_tops)
    tops[int(m.group(1))] = value
    starts = (Decimal(0), *tops)
    return dataclasses.replace(
        s, bracket_tops=tuple(tops), bracket_starts=starts, base_tax=base_taxes(starts, s.rates)
    )


def _section_68_without_prong_1(d: Deductions, s: TaxSchedule) -> Deductions:
    """Tax-Calculator's §68: rate x (AGI - the 37% start), never the lesser with the
    itemized deductions (its reduction may take them all), unrounded."""
    sched = d.schedule_a
    if sched is None or s.itemized_limitation is None:
        return d
    numerator, denominator = s.itemized_limitation
    excess = max(Decimal(0), d.agi - s.itemized_limitation_start)
    reduction = min(sched.total, excess * numerator / denominator)
    sched = sched._replace(limitation=reduction)
    return d._replace(
        schedule_a=sched,
        line_12=sched.allowed,
        amt_addback=d.amt_addback + d.schedule_a.limitation - reduction,
    )


def _section_68_kept_for_the_amt(d: Deductions) -> Deductions:
    """Tax-Calculator's AMTI keeps the §68 reduction: AMTI = TI + taxes + senior deduction."""
    if d.schedule_a is None:
        return d
    return d._replace(amt_addback=d.schedule_a.taxes + d.senior)


def _charity_added_back_for_the_amt(d: Deductions) -> Deductions:
    """Tax-Calculator's AMTI for a non-itemizer is AGI: the §170(p) amount it keeps inside
    the standard deduction is added back with it."""
    return d._replace(amt_addback=d.line_12 + d.senior)


# model defects: entry id -> what it does to (standard, itemized) deductions
MODELS: dict[str, Callable[[Deductions | None, Deductions | None, TaxSchedule],
                           tuple[Deductions | None, Deductions | None]]] = {
    "TC-68-PRONG-1": lambda std, item, s: (
        std, None if item is None else _section_68_without_prong_1(item, s)
    ),
    "TC-68-AMT": lambda std, item, s: (
        std, None if item is None else _section_68_kept_for_the_amt(item)
    ),
    "TC-170P-AMT": lambda std, item, s: (
        None if std is None else _charity_added_back_for_the_amt(std), item
    ),
    "TC-TIE-KEEPS-STANDARD": lambda std, item, s: (std, item),  # a choice, below
}  # fmt: skip


def run_with(case: Any, defects: Iterable[dict[str, Any]]) -> TaxResult:
    """harvest-xl's return of ``case`` with each defect's Tax-Calculator figure or formula
    in place of the law's. With no defect this is the engine itself (federal_tax on the
    exact-formula schedule); tests/test_taxcalc_oracle.py holds the two equal."""
    ret = tax_return(case)
    s = exact_schedule(case.year, case.status)
    models: set[str] = set()
    for d in defects:
        if d["kind"] == "schedule":
            s = _with_schedule_figure(s, d["field"], figure(d["taxcalc"], case.status))
        elif d["kind"] == "return":
            ret = dataclasses.replace(ret, **{d["field"]: figure(d["taxcalc"], case.status)})
        else:
            models.add(d["id"])
    qd = ret.qualified_dividends
    sd = schedule_d_lines(ret.st_gain, ret.lt_gain, ret.st_carryover, ret.lt_carryover,
                          s.loss_limit)  # fmt: skip
    income = ret.ordinary_income + qd + sd.capital_gain_in_income
    standard, itemized = deduction_choices(ret, income, s)
    for name in ("TC-68-PRONG-1", "TC-68-AMT", "TC-170P-AMT"):  # in the order taxcalc applies
        if name in models:
            standard, itemized = MODELS[name](standard, itemized, s)
    by_standard = None if standard is None else taxes_after_deductions(s, sd, qd, standard)
    by_itemizing = None if itemized is None else taxes_after_deductions(s, sd, qd, itemized)
    if by_itemizing is None:
        assert by_standard is not None
        return by_standard
    if by_standard is None:
        return by_itemizing
    if "TC-TIE-KEEPS-STANDARD" in models:  # itemize only when regular tax + AMT is lower
        cheaper = by_itemizing.regular_tax + by_itemizing.amt < (
            by_standard.regular_tax + by_standard.amt
        )
        return by_itemizing if cheaper else by_standard
    return cheaper_return(by_standard, by_itemizing)


@dataclasses.dataclass
class Outcome:
    case: Any
    problems: list[str]
    """What still differs after the recorded entries are applied (must be empty)."""
    explained_by: list[str]


def _figures(result: TaxResult) -> tuple[Decimal, ...]:
    return tuple(getattr(result, attribute) for _, _, attribute in FIGURES)


def explain(case: Any, theirs: dict[str, Decimal]) -> Outcome:
    """Compare one household; explain a difference by the entries of its year and status."""
    found = problems(ours(case), theirs)
    if not found:
        return Outcome(case, [], [])
    defects = applicable(case)
    model = run_with(case, defects)
    left = problems(model, theirs)
    if left:
        return Outcome(case, [*found, f"with {[d['id'] for d in defects]}: {left}"], [])
    target = _figures(model)
    used = [
        d["id"] for d in defects
        if _figures(run_with(case, [e for e in defects if e is not d])) != target
    ]  # fmt: skip
    return Outcome(case, [], used)


def compare_all(cases: Sequence[Any]) -> list[Outcome]:
    """Run both engines on ``cases`` and explain each difference."""
    return [
        explain(case, theirs) for case, theirs in zip(cases, taxcalc_figures(cases), strict=True)
    ]
