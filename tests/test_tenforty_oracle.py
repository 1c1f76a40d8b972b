"""harvest-xl's federal tax against an independent engine: tenforty (OpenTaxSolver).

Seeded cases (tests/oracle/cases.py) cover every year 2018-2025 and every filing status:
both sides of every bracket top, the Tax Table limit, the capital-gain breakpoints, the
NIIT threshold and the AMT breakpoints, plus random returns from $0 to $2M.

A difference above $1 fails unless an entry of tests/oracle/expected_differences.json
explains it: the engine re-run with the OTS figure in place of the law's must reproduce
OTS to the dollar. Each entry proves its law figure against the parameter file (which
tests/test_parameters_file.py ties to the Revenue Procedures). No tolerance is widened.

OTS reports NIIT only from 2024; for earlier years the NIIT is checked against the
statute's formula written out here (IRC §1411), independently of the engine's code.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.params import capital_loss_limit, year_params
from harvest_xl.engine.schedule import TaxSchedule, base_taxes, tax_schedule
from harvest_xl.engine.tax import TaxResult, TaxReturn, federal_tax, tax_with_schedule

tenforty = pytest.importorskip("tenforty")

_HERE = Path(__file__).parent / "oracle"
_spec = importlib.util.spec_from_file_location("oracle_cases", _HERE / "cases.py")
assert _spec is not None and _spec.loader is not None
_cases_module = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _cases_module  # dataclasses look their module up by name
_spec.loader.exec_module(_cases_module)
ORACLE_YEARS: tuple[int, ...] = _cases_module.ORACLE_YEARS
oracle_cases = _cases_module.oracle_cases

DOLLAR = Decimal(1)
NIIT_FIRST_OTS_YEAR = 2024
OTS_STATUS = {
    FilingStatus.SINGLE: "Single",
    FilingStatus.MFJ: "Married/Joint",
    FilingStatus.MFS: "Married/Sep",
    FilingStatus.HOH: "Head_of_House",
    FilingStatus.QSS: "Widow(er)",
}
EXPECTED = json.loads((_HERE / "expected_differences.json").read_text("utf-8"))["defects"]


@functools.cache
def all_cases() -> tuple[Any, ...]:
    return tuple(oracle_cases())


def _dec(x: float) -> Decimal:
    return Decimal(repr(x))


def _ots(case: Any) -> Any:
    return tenforty.evaluate_return(
        year=case.year,
        filing_status=OTS_STATUS[case.status],
        w2_income=case.wages,
        qualified_dividends=case.qualified_dividends,
        short_term_capital_gains=case.st_gain,
        long_term_capital_gains=case.lt_gain,
    )


def _return(case: Any) -> TaxReturn:
    return TaxReturn(
        case.year,
        case.status,
        Decimal(case.wages),
        Decimal(case.st_gain),
        Decimal(case.lt_gain),
        Decimal(case.qualified_dividends),
    )


def _with_defect(s: TaxSchedule, field: str, value: Decimal) -> TaxSchedule:
    """The schedule with one figure replaced by OpenTaxSolver's."""
    m = re.fullmatch(r"bracket_tops\[(\d)\]", field)
    if m is None:
        return dataclasses.replace(s, **{field: value})
    tops = list(s.bracket_tops)
    tops[int(m.group(1))] = value
    starts = (Decimal(0), *tops)
    return dataclasses.replace(
        s, bracket_tops=tuple(tops), bracket_starts=starts, base_tax=base_taxes(starts, s.rates)
    )


def _defects(year: int, status: FilingStatus) -> list[dict[str, Any]]:
    return [d for d in EXPECTED if d["year"] == year and status.value in d["filing_status"]]


def _ots_model(ret: TaxReturn, defects: list[dict[str, Any]]) -> TaxResult:
    s = tax_schedule(ret.year, ret.filing_status)
    for d in defects:
        s = _with_defect(s, d["field"], Decimal(d["ots"]))
    return tax_with_schedule(ret, s)


def statutory_niit(case: Any, agi: Decimal) -> Decimal:
    """IRC §1411 written out independently: 3.8% x min(NII, AGI - threshold), NII >= 0."""
    limit = capital_loss_limit(case.status)
    capital = Decimal(case.st_gain + case.lt_gain)
    if capital < -limit:
        capital = -limit
    nii = max(Decimal(case.qualified_dividends) + capital, Decimal(0))
    excess = agi - year_params(case.year).niit_threshold[case.status]
    return year_params(case.year).niit_rate * max(min(nii, excess), Decimal(0))


@dataclasses.dataclass
class Outcome:
    case: Any
    problems: list[str]
    explained_by: list[str]


@functools.cache
def evaluate(year: int, status: FilingStatus) -> tuple[Outcome, ...]:
    """Compare every case of one year and status; record unexplained differences."""
    outcomes = []
    for case in all_cases():
        if case.year != year or case.status is not status:
            continue
        ots = _ots(case)
        ret = _return(case)
        ours = federal_tax(ret)
        problems: list[str] = []
        explained: list[str] = []
        for name, mine, theirs in (
            ("AGI", ours.agi, ots.federal_adjusted_gross_income),
            ("taxable income", ours.taxable_income, ots.federal_taxable_income),
        ):
            if abs(mine - _dec(theirs)) > DOLLAR:
                problems.append(f"{name}: ours {mine}, OTS {theirs}")
        income_tax = ours.regular_tax + ours.amt
        ots_income_tax, ots_amt = _dec(ots.federal_income_tax), _dec(ots.federal_amt)
        if abs(income_tax - ots_income_tax) > DOLLAR or abs(ours.amt - ots_amt) > DOLLAR:
            defects = _defects(year, status)
            model = _ots_model(ret, defects) if defects else None
            if (
                model is None
                or abs(model.regular_tax + model.amt - ots_income_tax) > DOLLAR
                or abs(model.amt - ots_amt) > DOLLAR
            ):
                problems.append(
                    f"income tax: ours {income_tax} (AMT {ours.amt}), "
                    f"OTS {ots_income_tax} (AMT {ots_amt})"
                )
            else:
                for d in defects:  # the entries this explanation needs
                    rest = [e for e in defects if e is not d]
                    if _ots_model(ret, rest).total != model.total:
                        explained.append(d["id"])
        expected_niit = _dec(ots.federal_niit) if year >= NIIT_FIRST_OTS_YEAR else None
        if expected_niit is None:
            expected_niit = statutory_niit(case, ours.agi)
        if abs(ours.niit - expected_niit) > DOLLAR:
            problems.append(f"NIIT: ours {ours.niit}, expected {expected_niit}")
        outcomes.append(Outcome(case, problems, explained))
    return tuple(outcomes)


GROUPS = [(y, s) for y in ORACLE_YEARS for s in FilingStatus]


@pytest.mark.parametrize(("year", "status"), GROUPS, ids=[f"{y}-{s.value}" for y, s in GROUPS])
def test_no_unexplained_difference_from_opentaxsolver(year: int, status: FilingStatus) -> None:
    """Every oracle return agrees with OTS to $1, or a proved OTS defect explains it."""
    bad = [
        f"{o.case.key} [{o.case.label}]: {'; '.join(o.problems)}"
        for o in evaluate(year, status)
        if o.problems
    ]
    assert not bad, "\n".join(bad)


def test_oracle_covers_every_year_status_and_at_least_2000_returns() -> None:
    """The default run compares >= 2,000 returns, in every year 2018-2025 and every status."""
    cases = all_cases()
    assert len(cases) >= 2000
    assert {(c.year, c.status) for c in cases} == set(GROUPS)
    assert max(c.wages + c.qualified_dividends + c.st_gain + c.lt_gain for c in cases) > 1_500_000


def test_oracle_straddles_the_tax_table_limit() -> None:
    """Each year and status has taxable income $99,999 (Tax Table) and $100,000 (worksheet)."""
    results = {
        (c.year, c.status, federal_tax(_return(c)).taxable_income)
        for c in all_cases()
        if c.label.startswith("taxable income")
    }
    for year, status in GROUPS:
        assert (year, status, Decimal(99_999)) in results
        assert (year, status, Decimal(100_000)) in results


def test_every_expected_difference_is_observed() -> None:
    """No stale entry: each recorded OTS defect explains at least one oracle difference."""
    used = {d for y, s in GROUPS for o in evaluate(y, s) for d in o.explained_by}
    assert {d["id"] for d in EXPECTED} <= used, {d["id"] for d in EXPECTED} - used


@pytest.mark.parametrize("defect", EXPECTED, ids=[d["id"] for d in EXPECTED])
def test_expected_difference_law_figure_is_the_parameter_files(defect: dict[str, Any]) -> None:
    """Each entry's law figure is what the (Rev. Proc.-checked) parameter file gives."""
    for status in defect["filing_status"]:
        s = tax_schedule(defect["year"], FilingStatus.parse(status))
        m = re.fullmatch(r"bracket_tops\[(\d)\]", defect["field"])
        law = s.bracket_tops[int(m.group(1))] if m else getattr(s, defect["field"])
        assert law == Decimal(defect["law"])
        assert Decimal(defect["ots"]) != law
        assert defect["law_source"] and defect["ots_source"] and defect["explanation"]
