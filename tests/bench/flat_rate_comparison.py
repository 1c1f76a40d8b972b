"""The demo households' plans next to what a flat-marginal-rate rule would have done.

Run ``python tests/bench/flat_rate_comparison.py`` (from the repository root). Not a
benchmark and not a test: the numbers for the issue 20 note. ``tests/engine/
test_flat_rate_comparison.py`` checks the figures it prints against the household return.

The flat rule is what a robo-advisor does without the household's return:

* **losses**: sell every loss worth harvesting that no purchase touches (any wash-sale
  risk blocks the lot), and count each dollar as worth the household's ordinary bracket
  rate at its taxable income plus the state rate ("claimed");
* **gains** (0% bracket): realize long-term gain up to the 0% breakpoint minus taxable
  income, read from the bracket table, on whole shares in the plan's order.

"Actual" is what those sales do on the exact household return (federal with and without,
plus the state rate on what they move on Form 1040 line 7).
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a script from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from harvest_xl import api, demo
from harvest_xl.engine.gain_harvest import ShareGrid, gain_order
from harvest_xl.engine.harvest import HarvestCode, with_loss
from harvest_xl.engine.models import Term
from harvest_xl.engine.money import money
from harvest_xl.engine.plan import PlanCandidate
from harvest_xl.engine.schedule import tax_schedule
from harvest_xl.engine.tax import TaxResult, TaxReturn, federal_tax, return_from_profile
from harvest_xl.excel import layout as L
from harvest_xl.inputs.profile import profile_from_mapping

ZERO = Decimal(0)


@dataclass(frozen=True)
class Comparison:
    household: str
    goal: str
    plan_loss: Decimal
    plan_saving: Decimal
    plan_gain: Decimal
    plan_gain_federal: Decimal
    plan_gain_state: Decimal
    flat_rate: Decimal
    flat_loss: Decimal
    flat_claimed: Decimal
    flat_actual: Decimal
    table_room: Decimal
    table_gain: Decimal
    table_gain_federal: Decimal
    table_gain_state: Decimal


def _records(sheet: str, rows: list[list[Any]]) -> list[dict[str, Any]]:
    columns = L.TABLE_INPUTS[sheet]
    assert all(len(row) <= len(columns) for row in rows), sheet
    # A row may stop before trailing optional columns (Accounts' Basis reported).
    return [dict(zip(columns, row, strict=False)) for row in rows]


def _line_7(result: TaxResult) -> Decimal:
    return result.schedule_d.capital_gain_in_income


def compare(
    name: str,
    profile_values: dict[str, Any],
    tables: dict[str, list[list[Any]]],
    goal: str,
) -> Comparison:
    """The plan for ``goal`` and the flat rule, on one household."""
    profile = profile_from_mapping(profile_values)
    found = api.evaluate_tables(
        profile,
        _records(L.ACCOUNTS, tables[L.ACCOUNTS]),
        _records(L.HOLDINGS, tables[L.HOLDINGS]),
        _records(L.ACTIVITY, tables[L.ACTIVITY]),
        _records(L.RECURRING, tables[L.RECURRING]),
        _records(L.SECURITIES, tables[L.SECURITIES]),
        goal,
    )
    result = found.result
    plan = result.plan
    gain_rows = [r for r in plan.rows if r.gain > 0]
    ret = return_from_profile(profile)
    base = federal_tax(ret)
    schedule = tax_schedule(ret.year, ret.filing_status)
    taxable = base.taxable_income
    rate = schedule.rates[bisect_left(schedule.bracket_tops, taxable)] + profile.state_rate
    # losses, flat rule: every Harvest lot with no wash-sale risk at all, whole
    sold = [
        r
        for r in result.rows
        if r.status is HarvestCode.HARVEST and not r.wash_risk and r.lot.account_type.has_tax_effect
    ]
    after_losses: TaxReturn = ret
    for r in sold:
        after_losses = with_loss(after_losses, -money(r.gain), r.term)
    flat_loss = sum((-money(r.gain) for r in sold), ZERO)
    with_losses = federal_tax(after_losses)
    actual = base.total - with_losses.total
    actual += money(profile.state_rate * (_line_7(base) - _line_7(with_losses)))
    # gains, bracket table: the 0% breakpoint minus taxable income
    room = max(ZERO, schedule.zero_rate_max - taxable)
    winners = [
        PlanCandidate(r.lot, r.cost_basis, Term.LONG, ZERO, r.lot.as_of, None)
        for r in result.rows
        if r.lot.account_type.has_tax_effect and r.term is Term.LONG and r.gain > 0
    ]
    grid = ShareGrid(gain_order(winners))
    steps = 0
    while steps < grid.size and grid.gain(steps + 1) <= room:
        steps += 1
    table_gain = grid.gain(steps)
    with_gain = federal_tax(replace(ret, lt_gain=ret.lt_gain + table_gain))
    return Comparison(
        household=name,
        goal=goal,
        plan_loss=plan.total_loss,
        plan_saving=plan.total_saving,
        plan_gain=plan.total_gain,
        plan_gain_federal=-sum((r.federal for r in gain_rows), ZERO),
        plan_gain_state=-sum((r.state for r in gain_rows), ZERO),
        flat_rate=rate,
        flat_loss=flat_loss,
        flat_claimed=money(flat_loss * rate),
        flat_actual=actual,
        table_room=room,
        table_gain=table_gain,
        table_gain_federal=with_gain.total - base.total,
        table_gain_state=money(profile.state_rate * (_line_7(with_gain) - _line_7(base))),
    )


def demo_households() -> list[Comparison]:
    """The two demo households, each with its plan goal."""
    main_tables = {
        L.ACCOUNTS: demo.ACCOUNTS,
        L.HOLDINGS: demo.HOLDINGS,
        L.ACTIVITY: demo.ACTIVITY,
        L.RECURRING: demo.RECURRING,
        L.SECURITIES: demo.SECURITIES,
    }
    retiree_tables = {
        L.ACCOUNTS: demo.RETIREE_ACCOUNTS,
        L.HOLDINGS: demo.RETIREE_HOLDINGS,
        L.ACTIVITY: [],
        L.RECURRING: [],
        L.SECURITIES: demo.RETIREE_SECURITIES,
    }
    return [
        compare("demo (joint, $185k)", demo.PROFILE, main_tables, "offset gains + deduction"),
        compare("demo (joint, $185k)", demo.PROFILE, main_tables, "fill 0% bracket"),
        compare("retiree demo", demo.RETIREE_PROFILE, retiree_tables, demo.RETIREE_GOAL),
    ]


def main() -> None:
    for c in demo_households():
        print(f"{c.household}, goal '{c.goal}':")
        print(
            f"  plan: loss {c.plan_loss:,.2f}, saving {c.plan_saving:,.2f}; gain "
            f"{c.plan_gain:,.2f} (federal tax +{c.plan_gain_federal:,.2f}, state "
            f"{c.plan_gain_state:,.2f})"
        )
        print(
            f"  flat {c.flat_rate:.0%} rule: loss {c.flat_loss:,.2f}, claimed saving "
            f"{c.flat_claimed:,.2f}, actual {c.flat_actual:,.2f}"
        )
        print(
            f"  bracket-table gain: room {c.table_room:,.2f}, gain {c.table_gain:,.2f} "
            f"(federal tax +{c.table_gain_federal:,.2f}, state {c.table_gain_state:,.2f})"
        )


if __name__ == "__main__":
    main()
