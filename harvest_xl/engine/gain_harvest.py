"""Gain harvesting in the 0% bracket, on the exact household return (issue 20).

Long-term gain is taxed at 0% while taxable income stays under the 0% breakpoint
(IRC §1(h)(1)(B)), so a household there can sell winning lots and buy them back the same
day: the gain costs no federal tax and the new shares' basis is the price paid. A gain sale
is never a wash sale (§1091 disallows losses only).

How much gain is free is not read from a bracket table: it is the largest realized gain
that leaves this year's federal tax (regular tax, AMT and NIIT) unchanged on the whole
household return, where each dollar of gain can also make Social Security taxable
(§86), shrink the senior deduction (§151(d)(5)(C)), raise the NIIT (§1411), reduce
itemized deductions or use a loss carryover. The tax never falls as gain rises, so the
largest gain is found by bisection over shares: the lots in a fixed order (most gain per
dollar sold first), whole shares of each (a fractional lot's remainder last), and the
share count where the tax first rises.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from harvest_xl.engine.models import Term
from harvest_xl.engine.money import money, usd
from harvest_xl.engine.plan_records import GainFill, PlanAction, PlanCandidate, PlanRow
from harvest_xl.engine.tax import TaxResult, TaxReturn, federal_tax

ZERO = Decimal(0)


def gain_order(candidates: Sequence[PlanCandidate]) -> list[PlanCandidate]:
    """Long-term winners in the order the gain harvest sells them: the most gain per
    dollar of market value first (the most basis raised per dollar traded), then by
    account, ticker, acquired date and row."""
    winners = [c for c in candidates if c.term is Term.LONG and c.gain > ZERO]
    return sorted(
        winners,
        key=lambda c: (
            -(c.gain / c.lot.market_value),
            c.lot.account,
            c.lot.ticker,
            c.lot.acquired,
            -1 if c.lot.row is None else c.lot.row,
        ),
    )


def with_gain(ret: TaxReturn, gain: Decimal) -> TaxReturn:
    """``ret`` with ``gain`` more long-term gain realized (Schedule D line 8-15)."""
    return replace(ret, lt_gain=ret.lt_gain + gain)


class ShareGrid:
    """Every share count the harvest can stop at, numbered 0..``size``: the lots' whole
    shares one by one, in order, each lot's fractional remainder as its last step."""

    def __init__(self, lots: Sequence[PlanCandidate]) -> None:
        self.lots = tuple(lots)
        self.starts: list[int] = [0]
        self.gains_before: list[Decimal] = [ZERO]
        for c in self.lots:
            shares = c.lot.shares
            whole = int(shares)
            steps = whole + (0 if shares == whole else 1)
            self.starts.append(self.starts[-1] + steps)
            self.gains_before.append(self.gains_before[-1] + c.gain)
        self.size = self.starts[-1]

    def position(self, n: int) -> tuple[int, Decimal]:
        """Step ``n`` as (lot index, shares of that lot sold); ``n`` < ``size``."""
        i = bisect_right(self.starts, n) - 1
        k = n - self.starts[i]  # whole shares of lot i before step n
        return i, Decimal(k)

    def sold(self, n: int) -> list[tuple[PlanCandidate, Decimal]]:
        """The lots and shares sold after ``n`` steps (full lots, then a part)."""
        if n >= self.size:
            return [(c, c.lot.shares) for c in self.lots]
        i, part = self.position(n)
        out = [(c, c.lot.shares) for c in self.lots[:i]]
        if part:
            out.append((self.lots[i], part))
        return out

    def gain(self, n: int) -> Decimal:
        """The gain realized after ``n`` steps."""
        if n >= self.size:
            return self.gains_before[-1]
        i, part = self.position(n)
        return self.gains_before[i] + (self.lots[i].realized_gain(part) if part else ZERO)

    def lot_at(self, n: int) -> PlanCandidate | None:
        """The lot whose share is step ``n + 1`` (the next one sold after ``n`` steps)."""
        if n >= self.size:
            return None
        return self.lots[self.position(n)[0]]


def largest_untaxed_gain(ret: TaxReturn, base: TaxResult, grid: ShareGrid) -> int:
    """The most steps of ``grid`` whose gain leaves the federal tax of ``ret`` at
    ``base.total``.

    Authority: IRC §1(h)(1)(B) (the 0% rate); the household return of
    household-return.md §1 (every AGI-linked amount counted); tax-rules.md §2.6.
    """

    def unchanged(n: int) -> bool:
        return federal_tax(with_gain(ret, grid.gain(n))).total <= base.total

    if grid.size == 0 or unchanged(grid.size):
        return grid.size
    lo, hi = 0, grid.size  # unchanged(lo) holds (no gain), unchanged(hi) does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if unchanged(mid):
            lo = mid
        else:
            hi = mid
    return lo


def fill_zero_rate(
    ret: TaxReturn,
    base: TaxResult,
    ordered: Sequence[PlanCandidate],
    state_rate: Decimal,
) -> tuple[tuple[PlanRow, ...], GainFill, TaxResult, TaxReturn]:
    """Sell and buy back ``ordered`` winners for the largest gain that leaves the federal
    tax of ``ret`` (``base``) unchanged: the rows (marginal, each on the return holding
    the rows above it), the proof of maximality, and the return after.

    Authority: IRC §1(h)(1)(B); IRC §1091(a) (losses only: a gain sale is no wash sale);
    IRC §1012 (the shares bought back take their cost as basis); tax-rules.md §2.6.
    """
    grid = ShareGrid(ordered)
    n = largest_untaxed_gain(ret, base, grid)
    rows: list[PlanRow] = []
    current = base
    for c, shares in grid.sold(n):
        gain = c.realized_gain(shares)
        ret = with_gain(ret, gain)
        after = federal_tax(ret)
        carry = _carried(after) - _carried(current)
        added = after.schedule_d.capital_gain_in_income - current.schedule_d.capital_gain_in_income
        flag = f"Uses {usd(-carry)} of the loss carryover" if carry < ZERO else ""
        rows.append(
            PlanRow(
                c.lot,
                shares,
                ZERO,
                c.term,
                current.total - after.total,
                -money(state_rate * added),
                carry,
                c.safe_rebuy,
                None,
                action=PlanAction.SELL_AND_BUY_BACK,
                gain=gain,
                flag=flag,
            )
        )
        current = after
    next_lot = grid.lot_at(n)
    next_tax = None
    if next_lot is not None:
        more = federal_tax(with_gain(ret, grid.gain(n + 1) - grid.gain(n)))
        next_tax = more.total - current.total
    fill = GainFill(
        grid.gain(n),
        base.total,
        current.total,
        None if next_lot is None else next_lot.lot,
        next_tax,
    )
    return tuple(rows), fill, current, ret


def _carried(result: TaxResult) -> Decimal:
    return result.st_carryover_out + result.lt_carryover_out
