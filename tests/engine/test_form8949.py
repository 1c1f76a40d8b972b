"""Form 8949 rows and Schedule D of the worked examples RY-1 ... RY-5 (realized-year.md §3).

The blocks (tests/exports/ry_cases.py) encode each example's trades as the ledger would hand
them over; the expected rows and lines are the reference's tables, typed in here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from harvest_xl.engine.form8949 import (
    FORM_8949_HEADERS,
    NOTE_LOST_FOR_GOOD,
    BasisReporting,
    Box,
    Form8949Row,
    Part,
    form8949_rows,
)
from harvest_xl.engine.models import FilingStatus, Term
from harvest_xl.engine.realized_schedule_d import ScheduleDLine, schedule_d_report

from ..exports import ry_cases as ry

D = Decimal
ST, LT = Part.SHORT_TERM, Part.LONG_TERM
NO_LINE = ScheduleDLine(D(0), D(0), D(0), D(0))


def rows_of(blocks, reporting=None, year=2026) -> tuple[Form8949Row, ...]:
    result = form8949_rows(blocks, year, activity_through=ry.ACTIVITY_THROUGH, reporting=reporting)
    assert result.issues == ()
    return result.rows


def sheet(rows) -> list[tuple[object, ...]]:
    return [row.sheet_values() for row in rows]


def line(d, e, g, h) -> ScheduleDLine:
    return ScheduleDLine(D(d), D(e), D(g), D(h))


def report(rows, status=FilingStatus.SINGLE, taxable_income=None):
    return schedule_d_report(rows, filing_status=status, year=2026, taxable_income=taxable_income)


def test_headers_are_the_public_sheet_names_in_order():
    """The header tuple is the public Form 8949 sheet header row, and leads the row record."""
    assert FORM_8949_HEADERS == (
        "Part",
        "Box",
        "Description",
        "Date acquired",
        "Date sold",
        "Proceeds",
        "Cost basis",
        "Code",
        "Adjustment",
        "Gain or loss",
        "Account",
    )
    assert Form8949Row._fields[:11] == (
        "part",
        "box",
        "description",
        "date_acquired",
        "date_sold",
        "proceeds",
        "cost_basis",
        "code",
        "adjustment",
        "gain_or_loss",
        "account",
    )


def test_ry1_same_account_replacement():
    """RY-1: W 1,000 on the loss row; the replacement shows the broker's adjusted basis 5,100
    and the tacked date 11/13/2025, no code."""
    rows = rows_of(ry.RY1)
    assert sheet(rows) == [
        (ST, Box.A, "100 sh XYZ", date(2025, 11, 3), date(2026, 3, 10),
         D(4000), D(5000), "W", D(1000), D(0), "Brokerage"),
        (ST, Box.A, "100 sh XYZ", date(2025, 11, 13), date(2026, 6, 1),
         D(4300), D(5100), "", None, D(-800), "Brokerage"),
    ]  # fmt: skip
    sd = report(rows)
    assert sd.line_1a == NO_LINE and sd.line_8a == NO_LINE
    assert sd.line_1b == line(8300, 10100, 1000, -800)
    assert (sd.line_2, sd.line_3, sd.line_8b) == (NO_LINE, NO_LINE, NO_LINE)
    assert (sd.line_6, sd.line_7, sd.line_14, sd.line_15) == (0, -800, 0, 0)
    assert (sd.line_16, sd.line_21) == (-800, -800)
    assert (sd.realized_short_term, sd.realized_long_term) == (-800, 0)
    assert sd.complete


def test_ry1b_replacement_at_another_broker_gets_code_b():
    """RY-1b: the other broker reports cost 4,100; code B puts (1,000) in (g), (h) stays (800)."""
    rows = rows_of(ry.RY1B)
    assert sheet(rows) == [
        (ST, Box.A, "100 sh XYZ", date(2025, 11, 3), date(2026, 3, 10),
         D(4000), D(5000), "W", D(1000), D(0), "Broker One"),
        (ST, Box.A, "100 sh XYZ", date(2025, 11, 13), date(2026, 6, 1),
         D(4300), D(4100), "B", D(-1000), D(-800), "Broker Two"),
    ]  # fmt: skip
    sd = report(rows)
    assert sd.line_1b == line(8300, 9100, 0, -800)
    assert (sd.line_7, sd.line_16, sd.line_21) == (-800, -800, -800)


def test_ry1c_no_1099b_uses_box_c_and_the_correct_basis():
    """RY-1c: box C, the replacement's (e) is the correct basis 5,100 with no code; the row
    asks for the basis explanation."""
    rows = rows_of(ry.RY1C, ry.RY1C_REPORTING)
    assert sheet(rows) == [
        (ST, Box.C, "100 sh XYZ", date(2025, 11, 3), date(2026, 3, 10),
         D(4000), D(5000), "W", D(1000), D(0), "Brokerage"),
        (ST, Box.C, "100 sh XYZ", date(2025, 11, 13), date(2026, 6, 1),
         D(4300), D(5100), "", None, D(-800), "Brokerage"),
    ]  # fmt: skip
    assert rows[1].notes == (
        "attach an explanation: basis $5,100.00 includes $1,000.00 of wash-sale loss "
        "(IRC §1091(d))",
    )
    sd = report(rows)
    assert sd.line_3 == line(8300, 10100, 1000, -800)
    assert sd.line_1b == NO_LINE
    assert sd.line_7 == -800


def test_ry2_ira_replacement_loses_the_loss_and_the_ira_sale_gives_no_row():
    """RY-2: one row, W 1,000, noted lost for good; the IRA's own sale is not on the form."""
    rows = rows_of(ry.RY2)
    assert sheet(rows) == [
        (ST, Box.A, "100 sh XYZ", date(2025, 11, 3), date(2026, 3, 10),
         D(4000), D(5000), "W", D(1000), D(0), "Brokerage"),
    ]  # fmt: skip
    assert rows[0].notes == (NOTE_LOST_FOR_GOOD,)
    assert rows[0].lost_for_good == 1000
    sd = report(rows)
    assert sd.line_1b == line(4000, 5000, 1000, 0)
    assert (sd.line_7, sd.line_16, sd.line_21) == (0, 0, 0)


def test_ry3_partial_replacement():
    """RY-3: 40 of 100 shares replaced: W 400, (h) (600)."""
    rows = rows_of(ry.RY3)
    assert sheet(rows) == [
        (ST, Box.A, "100 sh ABC", date(2026, 1, 5), date(2026, 4, 15),
         D(2000), D(3000), "W", D(400), D(-600), "Brokerage"),
    ]  # fmt: skip
    sd = report(rows)
    assert sd.line_1b == line(2000, 3000, 400, -600)
    assert sd.line_7 == -600


def test_ry4_long_term_gain_short_term_loss_and_the_limit():
    """RY-4: Part I row first; line 16 (5,500), line 21 (3,000), ST carryover 2,500."""
    rows = rows_of(ry.RY4)
    assert sheet(rows) == [
        (ST, Box.A, "200 sh STL", date(2025, 12, 1), date(2026, 6, 15),
         D(4000), D(12000), "", None, D(-8000), "Brokerage"),
        (LT, Box.D, "50 sh LTG", date(2023, 2, 1), date(2026, 5, 1),
         D(4500), D(2000), "", None, D(2500), "Brokerage"),
    ]  # fmt: skip
    sd = report(rows, taxable_income=D(50000))
    assert sd.line_1b == line(4000, 12000, 0, -8000)
    assert sd.line_8b == line(4500, 2000, 0, 2500)
    assert (sd.line_7, sd.line_15, sd.line_16, sd.line_21) == (-8000, 2500, -5500, -3000)
    assert sd.carryover is not None
    worksheet = sd.carryover.lines
    # The reference's L2, L4, L5, L6, L7 and L8 (L1 and L3 depend on the taxable income).
    assert (worksheet[2], *worksheet[4:9]) == (3000, 3000, 8000, 2500, 5500, 2500)
    assert (sd.carryover.short_term, sd.carryover.long_term) == (2500, 0)


def test_ry4_mfs_limit_is_1500():
    """RY-4-MFS: line 21 (1,500) and a 4,000 short-term carryover."""
    sd = report(rows_of(ry.RY4), FilingStatus.MFS, taxable_income=D(50000))
    assert sd.line_21 == -1500
    assert sd.carryover is not None
    assert (sd.carryover.short_term, sd.carryover.long_term) == (4000, 0)


def test_ry5_tacking_makes_the_replacement_long_term():
    """RY-5: the replacement goes to Part II box D with (b) 01/25/2025; no code (same account)."""
    rows = rows_of(ry.RY5)
    assert sheet(rows) == [
        (ST, Box.A, "100 sh QRS", date(2025, 1, 15), date(2026, 1, 10),
         D(5500), D(6000), "W", D(500), D(0), "Brokerage"),
        (LT, Box.D, "100 sh QRS", date(2025, 1, 25), date(2026, 5, 1),
         D(5800), D(5900), "", None, D(-100), "Brokerage"),
    ]  # fmt: skip
    assert rows[1].term_on_1099 is Term.LONG
    sd = report(rows)
    assert sd.line_1b == line(5500, 6000, 500, 0)
    assert sd.line_8b == line(5800, 5900, 0, -100)
    assert (sd.line_7, sd.line_15, sd.line_16, sd.line_21) == (0, -100, -100, -100)


def test_ry5b_other_broker_gets_codes_bt():
    """RY-5b: Part II box D, (e) 5,400 as reported, codes BT, (g) (500), (h) (100)."""
    rows = rows_of(ry.RY5B)
    assert sheet(rows) == [
        (ST, Box.A, "100 sh QRS", date(2025, 1, 15), date(2026, 1, 10),
         D(5500), D(6000), "W", D(500), D(0), "Broker One"),
        (LT, Box.D, "100 sh QRS", date(2025, 1, 25), date(2026, 5, 1),
         D(5800), D(5400), "BT", D(-500), D(-100), "Broker Two"),
    ]  # fmt: skip
    assert rows[1].term_on_1099 is Term.SHORT
    assert rows[1].basis_correction == -500
    sd = report(rows)
    assert sd.line_8b == line(5800, 5400, -500, -100)
    assert sd.line_15 == -100


def test_carryovers_enter_lines_6_and_14_as_losses():
    """Prior-year carryovers (positive) become negative lines 6 and 14 and net per character."""
    sd = schedule_d_report(
        rows_of(ry.RY4),
        filing_status=FilingStatus.SINGLE,
        year=2026,
        st_carryover=D(1000),
        lt_carryover=D(700),
    )
    assert (sd.line_6, sd.line_7) == (-1000, -9000)
    assert (sd.line_14, sd.line_15) == (-700, 1800)
    assert (sd.line_16, sd.line_21) == (-7200, -3000)
    assert (sd.realized_short_term, sd.realized_long_term) == (-8000, 2500)


def test_rows_of_other_years_are_left_out():
    """Only sales in the tax year give rows: RY-5's first sale is in 2026, none in 2025."""
    assert rows_of(ry.RY5, year=2025) == ()
    assert len(rows_of(ry.RY5, year=2026)) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("covered", BasisReporting.COVERED),
        ("Not reported", BasisReporting.NOT_REPORTED),
        ("noncovered", BasisReporting.NOT_REPORTED),
        ("No 1099-B", BasisReporting.NO_1099B),
        ("1099-B", BasisReporting.BY_DATE),
    ],
)
def test_basis_reporting_parses_what_people_type(text, expected):
    """The per-account reporting input accepts its values and common synonyms."""
    assert BasisReporting.parse(text) is expected
