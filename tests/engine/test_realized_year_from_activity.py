"""Activity rows -> the share-by-share ledger -> Form 8949 rows -> Schedule D and TXF.

The other Form 8949 tests start from hand-built realized blocks; these start from the trades
of the worked examples RY-1 ... RY-5 (realized-year.md §3) and of the hand-worked wash-sale
scenarios (tests/engine/test_wash_sale.py: WS-1, WS-3, WS-7, WS-8, the chained sale), as a
user types them into the Activity sheet, so the ledger's blocks are checked to feed the form.
Every expected row, line and TXF record is typed in from the reference's tables or worked
out by hand in a comment, never computed by the code under test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from harvest_xl.engine.form8949 import NOTE_FIFO, NOTE_LOST_FOR_GOOD, Box, Part, form8949_rows
from harvest_xl.engine.models import AccountType, FilingStatus
from harvest_xl.engine.realized_schedule_d import ScheduleDLine, schedule_d_report
from harvest_xl.engine.wash_sale import analyse_wash_sales
from harvest_xl.exports.txf import txf_export

from ..exports.txf_parser import parse_txf
from .wash_helpers import buy, sell

D = Decimal
ST, LT = Part.SHORT_TERM, Part.LONG_TERM
IRA = AccountType.TRADITIONAL_IRA
EXPORT_DATE = date(2027, 1, 15)


def rows_of(acts, year=2026, through=date(2027, 1, 31), joint_return=True):
    """The Form 8949 result of ``year`` from Activity rows, through the ledger."""
    blocks = analyse_wash_sales(acts).realized_blocks
    return form8949_rows(blocks, year, activity_through=through, joint_return=joint_return)


def sheet(result) -> list[tuple[object, ...]]:
    return [row.sheet_values() for row in result.rows]


def row(part, box, description, acquired, sold, d, e, code, g, h, account="Brokerage"):
    """A sheet row typed in: dates as ISO text, amounts as text with cents."""
    return (
        part,
        box,
        description,
        date.fromisoformat(acquired),
        date.fromisoformat(sold),
        D(d),
        D(e),
        code,
        None if g is None else D(g),
        D(h),
        account,
    )


def line(d, e, g, h) -> ScheduleDLine:
    return ScheduleDLine(D(d), D(e), D(g), D(h))


def schedule(result, status=FilingStatus.SINGLE, year=2026, taxable_income=None):
    return schedule_d_report(
        result.rows, filing_status=status, year=year, taxable_income=taxable_income
    )


def txf_lines(result) -> list[str]:
    export = txf_export(result.rows, program="harvest-xl", export_date=EXPORT_DATE)
    return export.text.split("\r\n")


# ----------------------------------------------------------------- the worked examples


def ry1(second_account: str = "Brokerage") -> list:
    """RY-1: 100 XYZ bought 2025-11-03 for $5,000, sold 2026-03-10 for $4,000; 100 bought
    again 2026-03-20 for $4,100 (in ``second_account``) and sold 2026-06-01 for $4,300."""
    return [
        buy("2025-11-03", 100, 50, ticker="XYZ"),
        sell("2026-03-10", 100, 40, basis=5000, acquired="2025-11-03", ticker="XYZ"),
        buy("2026-03-20", 100, 41, ticker="XYZ", account=second_account),
        sell(
            "2026-06-01",
            100,
            43,
            basis=4100,
            acquired="2026-03-20",
            ticker="XYZ",
            account=second_account,
        ),
    ]


def test_ry1_trades_give_the_reference_rows_schedule_d_and_txf() -> None:
    """RY-1: row 1 W 1,000 with (h) 0; row 2 basis 5,100 from 11/13/2025 (127 days tacked),
    (h) (800); Schedule D line 1b 8,300 / 10,100 / 1,000 / (800); the §2.1.6 TXF file."""
    result = rows_of(ry1())
    assert result.issues == ()
    assert sheet(result) == [
        row(ST, Box.A, "100 sh XYZ", "2025-11-03", "2026-03-10", "4000", "5000", "W", "1000", "0"),
        row(ST, Box.A, "100 sh XYZ", "2025-11-13", "2026-06-01", "4300", "5100", "", None, "-800"),
    ]
    report = schedule(result)
    assert report.line_1b == line(8300, 10100, 1000, -800)
    assert (report.line_7, report.line_16, report.line_21) == (D(-800), D(-800), D(-800))
    assert txf_lines(result) == [
        "V042", "Aharvest-xl", "D01/15/2027", "^",
        "TD", "N321", "C1", "L1", "P100 sh XYZ", "D11/03/2025", "D03/10/2026",
        "$5000.00", "$4000.00", "$1000.00", "^",
        "TD", "N321", "C1", "L1", "P100 sh XYZ", "D11/13/2025", "D06/01/2026",
        "$5100.00", "$4300.00", "^",
        "",
    ]  # fmt: skip


def test_ry1b_replacement_in_another_account_gets_code_b() -> None:
    """RY-1b: the replacement's broker reports 4,100: row 2 keeps (e) 4,100 with code B and
    (1,000) in (g); line 1b (d) 8,300, (e) 9,100, (g) 0, (h) (800) (realized-year.md §3)."""
    result = rows_of(ry1(second_account="Other broker"))
    assert sheet(result) == [
        row(ST, Box.A, "100 sh XYZ", "2025-11-03", "2026-03-10", "4000", "5000", "W", "1000", "0"),
        row(
            ST, Box.A, "100 sh XYZ", "2025-11-13", "2026-06-01", "4300", "4100", "B", "-1000",
            "-800", "Other broker",
        ),
    ]  # fmt: skip
    assert schedule(result).line_1b == line(8300, 9100, 0, -800)


def test_ry2_ira_replacement_is_w_lost_for_good_and_the_ira_gives_no_row() -> None:
    """RY-2: the $1,000 loss is W in full, noted lost for good; the IRA's own later sale of
    its shares gives no row; line 1b 4,000 / 5,000 / 1,000 / 0; one format-5 TXF record."""
    acts = [
        buy("2025-11-03", 100, 50, ticker="XYZ"),
        sell("2026-03-10", 100, 40, basis=5000, acquired="2025-11-03", ticker="XYZ"),
        buy("2026-03-20", 100, 41, ticker="XYZ", account="IRA", account_type=IRA),
        sell("2026-09-01", 100, 45, ticker="XYZ", account="IRA", account_type=IRA),
    ]
    result = rows_of(acts)
    assert sheet(result) == [
        row(ST, Box.A, "100 sh XYZ", "2025-11-03", "2026-03-10", "4000", "5000", "W", "1000", "0"),
    ]
    assert NOTE_LOST_FOR_GOOD in result.rows[0].notes
    assert schedule(result).line_1b == line(4000, 5000, 1000, 0)
    assert txf_lines(result)[4:] == [
        "TD", "N321", "C1", "L1", "P100 sh XYZ", "D11/03/2025", "D03/10/2026",
        "$5000.00", "$4000.00", "$1000.00", "^", "",
    ]  # fmt: skip


def test_ry3_partial_replacement_disallows_400_of_1000() -> None:
    """RY-3: 40 of the 100 shares replaced: W 400, (h) (600); line 7 (600)."""
    acts = [
        buy("2026-01-05", 100, 30, ticker="ABC"),
        sell("2026-04-15", 100, 20, basis=3000, acquired="2026-01-05", ticker="ABC"),
        buy("2026-04-30", 40, 21, ticker="ABC"),
    ]
    result = rows_of(acts)
    assert sheet(result) == [
        row(
            ST, Box.A, "100 sh ABC", "2026-01-05", "2026-04-15", "2000", "3000", "W", "400", "-600"
        ),
    ]
    report = schedule(result)
    assert (report.line_1b, report.line_7) == (line(2000, 3000, 400, -600), D(-600))
    assert txf_lines(result)[4:] == [
        "TD", "N321", "C1", "L1", "P100 sh ABC", "D01/05/2026", "D04/15/2026",
        "$3000.00", "$2000.00", "$400.00", "^", "",
    ]  # fmt: skip


def ry4() -> list:
    """RY-4: 50 LTG bought 2023-02-01 for 2,000, sold 2026-05-01 for 4,500; 200 STL bought
    2025-12-01 for 12,000, sold 2026-06-15 for 4,000; nothing bought back."""
    return [
        buy("2023-02-01", 50, 40, ticker="LTG"),
        buy("2025-12-01", 200, 60, ticker="STL"),
        sell("2026-05-01", 50, 90, ticker="LTG"),
        sell("2026-06-15", 200, 20, ticker="STL"),
    ]


def test_ry4_gain_and_loss_net_to_the_3000_limit_with_a_2500_carryover() -> None:
    """RY-4: Part I (8,000), Part II 2,500; line 16 (5,500), line 21 (3,000); with taxable
    income >= 0 the short-term carryover is 2,500 (worksheet line 8), long-term 0."""
    result = rows_of(ry4())
    assert sheet(result) == [
        row(
            ST, Box.A, "200 sh STL", "2025-12-01", "2026-06-15", "4000", "12000", "", None, "-8000"
        ),
        row(LT, Box.D, "50 sh LTG", "2023-02-01", "2026-05-01", "4500", "2000", "", None, "2500"),
    ]
    assert [r.notes for r in result.rows] == [(NOTE_FIFO,), (NOTE_FIFO,)]  # no lot was named
    report = schedule(result, taxable_income=D(40000))
    assert report.line_1b == line(4000, 12000, 0, -8000)
    assert report.line_8b == line(4500, 2000, 0, 2500)
    assert (report.line_7, report.line_15, report.line_16, report.line_21) == (
        D(-8000),
        D(2500),
        D(-5500),
        D(-3000),
    )
    assert report.carryover is not None
    assert (report.carryover.short_term, report.carryover.long_term) == (D(2500), D(0))
    refs = [text for text in txf_lines(result) if text.startswith("N")]
    assert refs == ["N321", "N323"]


def test_ry4_married_filing_separately_deducts_1500_and_carries_4000() -> None:
    """RY-4-MFS: line 21 (1,500); short-term carryover 4,000."""
    report = schedule(rows_of(ry4()), FilingStatus.MFS, taxable_income=D(40000))
    assert report.line_21 == D(-1500)
    assert report.carryover is not None and report.carryover.short_term == D(4000)


def test_ry5_tacked_holding_period_puts_the_replacement_in_part_ii() -> None:
    """RY-5: the loss is W 500 in Part I; the replacement, bought 2026-01-20 and sold
    2026-05-01, counts from 2025-01-25 (360 days tacked): Part II box D, basis 5,900,
    (h) (100); its TXF record is N323."""
    acts = [
        buy("2025-01-15", 100, 60, ticker="QRS"),
        sell("2026-01-10", 100, 55, basis=6000, acquired="2025-01-15", ticker="QRS"),
        buy("2026-01-20", 100, 54, ticker="QRS"),
        sell("2026-05-01", 100, 58, basis=5400, acquired="2026-01-20", ticker="QRS"),
    ]
    result = rows_of(acts)
    assert sheet(result) == [
        row(ST, Box.A, "100 sh QRS", "2025-01-15", "2026-01-10", "5500", "6000", "W", "500", "0"),
        row(LT, Box.D, "100 sh QRS", "2025-01-25", "2026-05-01", "5800", "5900", "", None, "-100"),
    ]
    report = schedule(result)
    assert (report.line_1b, report.line_8b) == (line(5500, 6000, 500, 0), line(5800, 5900, 0, -100))
    assert (report.line_7, report.line_15, report.line_16) == (D(0), D(-100), D(-100))
    assert txf_lines(result)[15:26] == [
        "TD", "N323", "C1", "L1", "P100 sh QRS", "D01/25/2025", "D05/01/2026",
        "$5900.00", "$5800.00", "^", "",
    ]  # fmt: skip


# ----------------------------------------------------------- hand-worked wash sales


def test_ws1_vita_case_study_row() -> None:
    """WS-1: 100 sh bought 2024-01-02 for $1,000, sold 2024-03-01 for $750, 100 bought again
    2024-03-15: one Part I box A row, W 250, (h) 0; line 1b 750 / 1,000 / 250 / 0."""
    acts = [
        buy("2024-01-02", 100, 10),
        sell("2024-03-01", 100, "7.50", basis=1000, acquired="2024-01-02"),
        buy("2024-03-15", 100, 8),
    ]
    result = rows_of(acts, year=2024, through=date(2024, 12, 31))
    assert sheet(result) == [
        row(ST, Box.A, "100 sh X", "2024-01-02", "2024-03-01", "750", "1000", "W", "250", "0"),
    ]
    assert schedule(result, year=2024).line_1b == line(750, 1000, 250, 0)


def test_ws3_partial_replacement_of_a_noncovered_lot_is_box_b() -> None:
    """WS-3 (Reg. §1.1091-1(h) ex. 2): 50 + 25 of the 100 shares replaced: W 750 of the
    $1,000 loss, (h) (250). Bought in 1954, before the covered-security dates: box B."""
    acts = [
        buy("1954-09-21", 100, 50),
        buy("1954-12-21", 50, 55),
        buy("1954-12-27", 25, 45),
        sell("1955-01-03", 100, 40, basis=5000, acquired="1954-09-21"),
    ]
    result = rows_of(acts, year=1955, through=date(1955, 12, 31))
    assert sheet(result) == [
        row(ST, Box.B, "100 sh X", "1954-09-21", "1955-01-03", "4000", "5000", "W", "750", "-250"),
    ]


@pytest.mark.parametrize("ira", [AccountType.TRADITIONAL_IRA, AccountType.ROTH_IRA])
def test_ws7_ira_purchase_row_is_w_400_lost_for_good(ira: AccountType) -> None:
    """WS-7 (Rev. Rul. 2008-5): the $400 loss is W in full, noted lost for good; bought in
    2007 (noncovered), so box B."""
    acts = [
        sell("2007-12-20", 100, 6, basis=1000, acquired="2007-01-05"),
        buy("2007-12-21", 100, 6, account="IRA", account_type=ira),
    ]
    result = rows_of(acts, year=2007, through=date(2008, 1, 31))
    assert sheet(result) == [
        row(ST, Box.B, "100 sh X", "2007-01-05", "2007-12-20", "600", "1000", "W", "400", "0"),
    ]
    assert NOTE_LOST_FOR_GOOD in result.rows[0].notes


def test_ws8_one_fifo_sale_of_three_blocks_is_three_rows() -> None:
    """WS-8 as one FIFO sale: one row per block, the first W 3,300 with (h) 0 and the gains
    2,500 and 3,000 untouched; all bought in 2007 and held over a year: Part II box E. TXF:
    N713, format 5 for the washed row only."""
    acts = [
        buy("2007-01-10", 100, 158),
        buy("2007-03-10", 100, 100),
        buy("2007-06-10", 100, 95),
        sell("2012-12-27", 300, 125),
        buy("2013-01-09", 250, 120),
    ]
    result = rows_of(acts, year=2012, through=date(2013, 1, 31))
    assert sheet(result) == [
        row(LT, Box.E, "100 sh X", "2007-01-10", "2012-12-27", "12500", "15800", "W", "3300", "0"),
        row(LT, Box.E, "100 sh X", "2007-03-10", "2012-12-27", "12500", "10000", "", None, "2500"),
        row(LT, Box.E, "100 sh X", "2007-06-10", "2012-12-27", "12500", "9500", "", None, "3000"),
    ]
    export = txf_export(result.rows, program="harvest-xl", export_date=EXPORT_DATE)
    _, records = parse_txf(export.text.encode("ascii"))
    assert [(r.reference, r.cost, r.proceeds, r.wash, r.record_format) for r in records] == [
        (713, D("15800.00"), D("12500.00"), D("3300.00"), 5),
        (713, D("10000.00"), D("12500.00"), None, 4),
        (713, D("9500.00"), D("12500.00"), None, 4),
    ]


def test_chained_wash_sale_rows_carry_the_earlier_loss_and_days() -> None:
    """The chained sale (test_wash_sale.py): sale 1 W 200; its replacement, sold at 700,
    carries the 200 (basis 1,000, same account so the broker reports it) and counts from
    2024-01-11 (30 days tacked); its own 300 loss is W again: both rows (h) 0."""
    acts = [
        buy("2024-01-02", 100, 10),
        sell("2024-02-01", 100, 8, basis=1000, acquired="2024-01-02"),
        buy("2024-02-10", 100, 8),
        sell("2024-03-01", 100, 7, basis=800, acquired="2024-02-10"),
        buy("2024-03-15", 100, 7),
    ]
    result = rows_of(acts, year=2024, through=date(2024, 12, 31))
    assert sheet(result) == [
        row(ST, Box.A, "100 sh X", "2024-01-02", "2024-02-01", "800", "1000", "W", "200", "0"),
        row(ST, Box.A, "100 sh X", "2024-01-11", "2024-03-01", "700", "1000", "W", "300", "0"),
    ]
    assert schedule(result, year=2024).line_1b == line(1500, 2000, 500, 0)


def test_every_fixture_file_round_trips_through_the_spec_reader() -> None:
    """The TXF of RY-1 and RY-4 from trades reads back (spec reader) as the rows it wrote."""
    for acts in (ry1(), ry4()):
        result = rows_of(acts)
        export = txf_export(result.rows, program="harvest-xl", export_date=EXPORT_DATE)
        header, records = parse_txf(export.text.encode("ascii"))
        assert header.export_date == EXPORT_DATE
        assert [(r.description, r.acquired, r.sold, r.cost, r.proceeds) for r in records] == [
            (x.description, x.date_acquired, x.date_sold, x.cost_basis, x.proceeds)
            for x in result.rows
        ]
