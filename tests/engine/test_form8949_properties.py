"""Properties of Form 8949 rows and Schedule D over random valid blocks (Hypothesis)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from harvest_xl.engine.form8949 import Box, Part, form8949_rows
from harvest_xl.engine.holding import holding_term
from harvest_xl.engine.models import FilingStatus, Term
from harvest_xl.engine.realized_block import RealizedBlock
from harvest_xl.engine.realized_schedule_d import schedule_d_report

from ..exports.block_strategies import blocks, money, reportings

D = Decimal
PART_OF_BOX = {
    Box.A: Part.SHORT_TERM,
    Box.B: Part.SHORT_TERM,
    Box.C: Part.SHORT_TERM,
    Box.D: Part.LONG_TERM,
    Box.E: Part.LONG_TERM,
    Box.F: Part.LONG_TERM,
}


def run(items, reporting, whole_dollars=False):
    return form8949_rows(
        items,
        2026,
        activity_through=date(2027, 2, 1),
        reporting=reporting,
        whole_dollars=whole_dollars,
    ).rows


def numbered(items) -> list[RealizedBlock]:
    """The blocks with their position as sale row, to pair each with its row."""
    return [replace(item, sale_row=i) for i, item in enumerate(items)]


def allowed(item: RealizedBlock) -> Decimal:
    """The block's exact column (h): its gain, or its loss less the disallowed part."""
    assert item.basis_paid is not None
    return item.proceeds - item.basis_paid - item.wash_adjustment + item.disallowed


@settings(max_examples=300)
@given(st.lists(blocks(), min_size=1, max_size=8), reportings, st.booleans())
def test_every_row_balances_and_its_codes_match_its_adjustments(items, reporting, whole):
    """(h) = (d) - (e) + (g); (g) = B part + W part; codes sorted; (h) within rounding of the
    block's result, exactly 0 for a full wash; part from the holding start; box A/D keeps
    the reported basis."""
    unit = D(1) if whole else D("0.01")
    items = numbered(items)
    rows = {row.sale_row: row for row in run(items, reporting, whole)}
    assert sorted(rows) == list(range(len(items)))
    for item in items:
        row = rows[item.sale_row]
        assert row.cost_basis is not None and row.gain_or_loss is not None
        adjustment = row.adjustment if row.adjustment is not None else D(0)
        assert row.gain_or_loss == row.proceeds - row.cost_basis + adjustment
        assert row.code == "".join(sorted(set(row.code))) and set(row.code) <= set("BTW")
        assert ("W" in row.code) == (row.wash_disallowed != 0)
        assert ("B" in row.code) == (row.basis_correction != 0)
        if row.code:
            assert row.adjustment == row.basis_correction + row.wash_disallowed
        else:
            assert row.adjustment is None
        assert row.date_acquired == item.holding_start
        assert row.part is not None and row.box is not None
        term = holding_term(item.holding_start, item.sold)
        assert row.part is (Part.SHORT_TERM if term is Term.SHORT else Part.LONG_TERM)
        assert PART_OF_BOX[row.box] is row.part
        covered = row.box in (Box.A, Box.D)
        assert row.cost_basis == (row.reported_basis if covered else row.correct_basis)
        assert row.basis_correction <= 0 and row.wash_disallowed >= 0
        # Rounding (d), (e) and (g) each moves (h) by at most half a unit: 1.5 units in all.
        assert abs(row.gain_or_loss - allowed(item)) <= unit * 3 / 2
        if item.disallowed and allowed(item) == 0:
            assert row.gain_or_loss == 0


@settings(max_examples=200)
@given(
    st.lists(blocks(), max_size=10),
    reportings,
    money,
    money,
    st.sampled_from(list(FilingStatus)),
)
def test_schedule_d_lines_are_the_sums_of_the_rows(items, reporting, st_carry, lt_carry, status):
    """Lines 1b-3 and 8b-10 total their box's rows; 7, 15, 16 and 21 net them with the
    carryovers; the order of the blocks changes nothing."""
    rows = run(items, reporting)
    sd = schedule_d_report(
        rows, filing_status=status, year=2026, st_carryover=st_carry, lt_carryover=lt_carry
    )
    lines = {Box.A: sd.line_1b, Box.B: sd.line_2, Box.C: sd.line_3,
             Box.D: sd.line_8b, Box.E: sd.line_9, Box.F: sd.line_10}  # fmt: skip
    for box, line in lines.items():
        mine = [row for row in rows if row.box is box]
        assert line.proceeds == sum((row.proceeds for row in mine), D(0))
        assert line.cost_basis == sum((row.cost_basis for row in mine), D(0))
        assert line.adjustment == sum((row.adjustment or D(0) for row in mine), D(0))
        assert line.gain_or_loss == sum((row.gain_or_loss for row in mine), D(0))
        assert line.gain_or_loss == line.proceeds - line.cost_basis + line.adjustment
    short = sum((r.gain_or_loss for r in rows if r.part is Part.SHORT_TERM), D(0))
    long = sum((r.gain_or_loss for r in rows if r.part is Part.LONG_TERM), D(0))
    assert (sd.realized_short_term, sd.realized_long_term) == (short, long)
    assert sd.line_7 == short - st_carry and sd.line_15 == long - lt_carry
    assert sd.line_16 == sd.line_7 + sd.line_15
    limit = D(1500) if status is FilingStatus.MFS else D(3000)
    assert sd.line_21 == (max(sd.line_16, -limit) if sd.line_16 < 0 else 0)
    reversed_rows = run(list(reversed(items)), reporting)
    assert Counter(reversed_rows) == Counter(rows)
    assert (
        schedule_d_report(
            reversed_rows,
            filing_status=status,
            year=2026,
            st_carryover=st_carry,
            lt_carryover=lt_carry,
        )
        == sd
    )
