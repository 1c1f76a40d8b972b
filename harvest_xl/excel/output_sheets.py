"""Write the output sheets as values: Plan, Wash sales and Summary (its figures, the charts'
data and the problems list), from the portfolio evaluation the refresh ran.

Each sheet's previous output below its header is cleared first. Input cells are never written.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.money import usd
from harvest_xl.engine.plan import PlanAction, PlanGoal
from harvest_xl.engine.substitute import NONE_KNOWN
from harvest_xl.excel import layout as L
from harvest_xl.excel.book import BookAdapter
from harvest_xl.excel.inputs import Inputs
from harvest_xl.excel.problems import Problem, summary_lines
from harvest_xl.results import wash_sale_rows


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


_FILING_NAMES = {
    FilingStatus.SINGLE: "Single",
    FilingStatus.MFJ: "Married filing jointly",
    FilingStatus.MFS: "Married filing separately",
    FilingStatus.HOH: "Head of household",
    FilingStatus.QSS: "Qualifying surviving spouse",
}


def _replace_output(
    book: BookAdapter, sheet: str, width: int, rows: list[list[Any]], first: int
) -> None:
    """Clear the previous output below the header, then write ``rows``."""
    if sheet not in book.sheet_names():
        return
    block = book.read_block(sheet)
    old_last = block.row + len(block.values) - 1
    if old_last >= first:
        book.clear(sheet, first, 1, old_last - first + 1, width)
    if rows:
        book.write_values(sheet, first, 1, rows)


def write_plan(book: BookAdapter, portfolio: Any) -> None:
    """The Plan sheet: one row per planned sale, best first (its rank in column A), then
    the candidates the plan left unsold (no rank, Action "Not sold", the reason in Flag),
    and the plan's line in row 3."""
    rows: list[list[Any]] = []
    if portfolio is not None:
        status = {r.row: r.status_text for r in portfolio.rows}
        plan = portfolio.plan
        for rank, p in enumerate(plan.rows, start=1):
            rows.append(_plan_row(rank, p, status.get(p.lot.row, "")))
        for unsold in plan.unsold:
            rows.append(_unsold_row(unsold, status.get(unsold.candidate.lot.row, "")))
    _replace_output(book, L.PLAN, len(L.PLAN_COLUMNS), rows, L.OUTPUT_HEADER_ROW + 1)
    if L.PLAN in book.sheet_names():
        book.write_values(L.PLAN, 3, 1, [[_plan_line(portfolio)]])


def _plan_row(rank: int, p: Any, why: str) -> list[Any]:
    lot = p.lot
    part = (
        ""
        if p.shares == lot.shares
        else f"Sell {p.shares.normalize():f} of {lot.shares.normalize():f} shares. "
    )
    gain_row = p.action is PlanAction.SELL_AND_BUY_BACK
    if gain_row:
        why = "Long-term gain taxed at 0%: sell and buy the same shares back today"
        substitute = None
    else:
        substitute = p.substitute or NONE_KNOWN
        if p.substitute_note:
            why = f"{why}. {p.substitute_note}" if why else p.substitute_note
    return [
        rank,
        lot.account,
        lot.ticker,
        float(p.shares),
        lot.acquired,
        p.term.value,
        None if gain_row else _money(p.loss),
        _money(p.saving),
        _money(p.carryover),
        p.safe_rebuy,
        substitute,
        part + why,
        p.action.value,
        _money(p.saving_per_dollar),
        p.flag or None,  # an empty text cell reads back differently through each book
        None if gain_row else float(p.shares_disallowed),
        None if gain_row else _money(p.disallowed),
        None if gain_row else _money(p.lost_for_good),
        p.wait_until,
        _money(p.keeps_if_waiting),
        _money(p.gain) if gain_row else None,
        _money(-p.state) if gain_row else None,
    ]


def _unsold_row(unsold: Any, why: str) -> list[Any]:
    c = unsold.candidate
    lot = c.lot
    reason = unsold.reason.removeprefix("Not sold: ")
    t = c.timing
    return [
        None,
        lot.account,
        lot.ticker,
        float(lot.shares),
        lot.acquired,
        c.term.value,
        _money(c.loss) if c.loss > 0 else None,
        None,
        None,
        None,
        None,
        why or None,
        "Not sold",
        None,
        reason[:1].upper() + reason[1:],
        None if t is None else float(t.shares_disallowed),
        None if t is None else _money(t.disallowed),
        None if t is None else _money(t.lost_for_good),
        None if t is None else t.wait_until,
        None if t is None else _money(t.keeps_if_waiting),
        _money(c.gain) if c.loss < 0 else None,
        None,
    ]


def _plan_line(portfolio: Any) -> str:
    if portfolio is None:
        return "No plan: fix the problems listed on the Summary sheet and refresh."
    plan = portfolio.plan
    target = "every loss" if plan.target is None else f"a loss of {usd(plan.target)}"
    if plan.goal is PlanGoal.FILL_ZERO_BRACKET:
        losses = plan.target if plan.target is not None else Decimal(0)
        target = f"losses to {usd(losses)}, then long-term gains taxed at 0%"
    sold = [r for r in plan.rows if r.action is PlanAction.SELL]
    bought_back = [r for r in plan.rows if r.action is PlanAction.SELL_AND_BUY_BACK]
    line = f"Goal: {plan.goal.value} ({target})."
    if not plan.rows:
        line += " Nothing to harvest."
    else:
        what = []
        if sold:
            what.append(f"sell {len(sold)} lot(s), loss {usd(plan.total_loss)}")
        if bought_back:
            what.append(
                f"sell and buy back {len(bought_back)} lot(s), gain {usd(plan.total_gain)}"
            )
        doing = "; ".join(what)
        line += f" {doing[:1].upper()}{doing[1:]}, tax saving {usd(plan.total_saving)}"
        if bought_back:
            state_cost = -sum((r.state for r in bought_back), Decimal(0))
            line += f" (after {usd(state_cost)} of state tax on the gain)"
        line += "."
    if plan.unsold:
        line += f" {len(plan.unsold)} lot(s) not sold: see Flag."
    for note in plan.notes:
        line += f" {note}"
    return line


def write_wash_sales(book: BookAdapter, portfolio: Any) -> None:
    rows = wash_sale_rows(portfolio.wash.matches) if portfolio is not None else []
    _replace_output(book, L.WASH_SALES, len(L.WASH_SALES_COLUMNS), rows, L.OUTPUT_HEADER_ROW + 1)


def write_summary(book: BookAdapter, inputs: Inputs, portfolio: Any) -> dict[str, Any]:
    from harvest_xl.engine.models import Term

    profile = inputs.profile
    values: dict[str, Any] = {label: None for label in L.SUMMARY_ROWS}
    if profile is not None:
        values["As-of date"] = profile.as_of
        values["Tax year"] = profile.tax_year
        values["Filing status"] = _FILING_NAMES[profile.filing_status]
    values["Lots"] = len(inputs.holdings.rows) if inputs.holdings is not None else 0
    problem_rows = {(p.sheet, p.row) for p in inputs.problems}
    values["Rows with problems"] = len(problem_rows)
    if portfolio is not None:
        plan, summary, after = portfolio.plan, portfolio.summary, portfolio.summary.after
        values["Lots to harvest"] = len(plan.rows)
        values["Short-term loss harvested"] = _money(
            sum((r.loss for r in plan.rows if r.term is Term.SHORT), Decimal(0))
        )
        values["Long-term loss harvested"] = _money(
            sum((r.loss for r in plan.rows if r.term is Term.LONG), Decimal(0))
        )
        sd = after.schedule_d
        values["Schedule D line 7: net short-term"] = _money(sd.line_7)
        values["Schedule D line 15: net long-term"] = _money(sd.line_15)
        values["Schedule D line 16: combined"] = _money(sd.line_16)
        values["Deducted against ordinary income (line 21)"] = _money(after.loss_deduction)
        values["Short-term carryover to next year"] = _money(after.st_carryover_out)
        values["Long-term carryover to next year"] = _money(after.lt_carryover_out)
        values["Federal tax without harvesting"] = _money(summary.before.total)
        values["Federal tax with the plan"] = _money(after.total)
        values["Federal saving"] = _money(summary.federal_saving)
        values["State saving"] = _money(summary.state_saving)
        values["Total tax saving"] = _money(summary.total_saving)
        values["Wash sales found"] = len(portfolio.wash.matches)
        values["Loss permanently lost to wash sales"] = _money(summary.wash_lost_for_good)
        values["Holdings with a wash-sale risk"] = sum(1 for r in portfolio.rows if r.wash_risk)
    if L.SUMMARY not in book.sheet_names():
        return values
    labels = [label for label in L.SUMMARY_ROWS if label != "Refreshed"]
    book.write_values(L.SUMMARY, L.SUMMARY_FIRST_ROW, 2, [[values[label]] for label in labels])
    _write_charts_data(book, portfolio)
    _write_problems(book, inputs.problems)
    return values


def _write_charts_data(book: BookAdapter, portfolio: Any) -> None:
    n = L.SUMMARY_CHART_ROWS
    first = L.SUMMARY_FIRST_ROW
    book.clear(L.SUMMARY, first, L.SUMMARY_BY_ACCOUNT_COLUMN, n, 3)
    book.clear(L.SUMMARY, first, L.SUMMARY_BY_LOT_COLUMN, n, 2)
    if portfolio is None:
        return
    by_account: dict[str, list[Decimal]] = {}
    for r in portfolio.rows:
        totals = by_account.setdefault(r.lot.account, [Decimal(0), Decimal(0)])
        totals[0] += r.gain
        if r.gain < 0:
            totals[1] += r.gain
    accounts = [[name, _money(g), _money(loss)] for name, (g, loss) in by_account.items()]
    if accounts:
        book.write_values(L.SUMMARY, first, L.SUMMARY_BY_ACCOUNT_COLUMN, accounts[:n])
    lots = [
        [f"{p.lot.ticker} ({p.lot.account}, {p.lot.acquired.isoformat()})", _money(p.saving)]
        for p in portfolio.plan.rows
    ]
    if lots:
        book.write_values(L.SUMMARY, first, L.SUMMARY_BY_LOT_COLUMN, lots[:n])


def _write_problems(book: BookAdapter, problems: list[Problem]) -> None:
    head = L.SUMMARY_PROBLEMS_ROW
    block = book.read_block(L.SUMMARY)
    old_last = block.row + len(block.values) - 1
    if old_last > head:
        book.clear(L.SUMMARY, head + 1, 1, old_last - head, 1)
    title = f"Problems ({len(problems)}): fix these and refresh" if problems else "Problems: none"
    book.write_values(L.SUMMARY, head, 1, [[title]])
    if problems:
        book.write_values(L.SUMMARY, head + 1, 1, [(line,) for line in summary_lines(problems)])
