"""Form 8949 rules one at a time: boxes and the covered dates, codes, notes, rounding, the
provisional window, unknown basis, spouses, retirement accounts and the block contract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.form8949 import (
    NOTE_BASIS_UNKNOWN,
    NOTE_FIFO,
    NOTE_SPOUSE,
    BasisReporting,
    Box,
    IssueKind,
    Part,
    form8949_box,
    form8949_codes,
    form8949_rows,
    is_covered_security,
)
from harvest_xl.engine.models import AccountType, FilingStatus
from harvest_xl.engine.realized_block import LotRelief
from harvest_xl.engine.realized_schedule_d import ScheduleDLine, schedule_d_report

from ..exports.ry_cases import block

D = Decimal
THROUGH = date(2027, 1, 31)


def run(blocks, **kwargs):
    kwargs.setdefault("activity_through", THROUGH)
    return form8949_rows(blocks, 2026, **kwargs)


@pytest.mark.parametrize(
    ("acquired", "fund", "covered"),
    [
        (date(2010, 12, 31), False, False),
        (date(2011, 1, 1), False, True),
        (date(2011, 12, 31), True, False),
        (date(2012, 1, 1), True, True),
    ],
)
def test_covered_security_dates_on_both_sides(acquired, fund, covered):
    """Stock is covered from 2011-01-01, fund and DRIP shares from 2012-01-01 (§6045(g)(3)(C))."""
    assert is_covered_security(acquired, fund) is covered


@pytest.mark.parametrize(
    ("acquired", "funds", "box"),
    [
        (date(2010, 12, 31), (), Box.E),
        (date(2011, 1, 1), (), Box.D),
        (date(2011, 6, 1), ("VFIAX",), Box.E),
        (date(2012, 1, 1), ("VFIAX",), Box.D),
    ],
)
def test_default_box_follows_the_acquisition_date(acquired, funds, box):
    """An account with no input reports basis by date: a noncovered lot goes to box B/E."""
    rows = run([block("VFIAX", 10, acquired, date(2026, 3, 2), 1500, 1000)], fund_tickers=funds)
    assert rows.rows[0].box is box and rows.rows[0].part is Part.LONG_TERM


def test_explicit_reporting_overrides_the_date():
    """An account marked covered puts even an old lot in box D; not reported puts a new one
    in box B."""
    old = block("XYZ", 10, date(2009, 5, 1), date(2026, 3, 2), 1500, 1000, account="Old")
    new = block("XYZ", 10, date(2026, 1, 5), date(2026, 3, 2), 1500, 1000, account="New")
    reporting = {"Old": BasisReporting.COVERED, "New": BasisReporting.NOT_REPORTED}
    rows = run([old, new], reporting=reporting).rows
    assert [(row.account, row.box) for row in rows] == [("New", Box.B), ("Old", Box.D)]


def test_box_letters_per_part():
    """Box A/B/C in Part I and D/E/F in Part II; BY_DATE must be resolved first."""
    reportings = (
        BasisReporting.COVERED,
        BasisReporting.NOT_REPORTED,
        BasisReporting.NO_1099B,
    )
    assert [form8949_box(Part.SHORT_TERM, r) for r in reportings] == [Box.A, Box.B, Box.C]
    assert [form8949_box(Part.LONG_TERM, r) for r in reportings] == [Box.D, Box.E, Box.F]
    with pytest.raises(HarvestInputError):
        form8949_box(Part.SHORT_TERM, BasisReporting.BY_DATE)


def test_codes_are_alphabetical_without_separators():
    """Column (f) lists B, T and W in that order, with nothing between them."""
    assert form8949_codes(True, True, True) == "BTW"
    assert form8949_codes(True, False, True) == "BW"
    assert form8949_codes(False, True, False) == "T"
    assert form8949_codes(False, False, False) == ""


def test_chained_wash_from_another_account_gives_bw_with_the_net_adjustment():
    """A replacement from another account, sold at a loss washed again: B (1,000) and W 1,200
    net to 200 in (g), and (h) is 0."""
    chained = block(
        "XYZ",
        100,
        date(2026, 3, 20),
        date(2026, 6, 1),
        3900,
        4100,
        holding_start=date(2025, 11, 13),
        wash_adjustment=1000,
        disallowed=1200,
        account="Broker Two",
    )
    row = run([chained]).rows[0]
    assert (row.cost_basis, row.code, row.adjustment, row.gain_or_loss) == (
        D(4100),
        "BW",
        D(200),
        D(0),
    )
    assert (row.basis_correction, row.wash_disallowed) == (D(-1000), D(1200))


def test_noncovered_row_keeps_the_correct_basis_and_says_what_to_add():
    """Box B: (e) is the correct basis, no code; notes ask for B/T only if the 1099-B shows
    a basis or a term, and for the basis explanation."""
    replacement = block(
        "QRS",
        100,
        date(2026, 1, 20),
        date(2026, 5, 1),
        5800,
        5400,
        holding_start=date(2025, 1, 25),
        wash_adjustment=500,
    )
    row = run([replacement], reporting={"Brokerage": BasisReporting.NOT_REPORTED}).rows[0]
    assert (row.box, row.cost_basis, row.code, row.adjustment, row.gain_or_loss) == (
        Box.E,
        D(5900),
        "",
        None,
        D(-100),
    )
    assert row.notes == (
        "attach an explanation: basis $5,900.00 includes $500.00 of wash-sale loss (IRC §1091(d))",
        "if the 1099-B shows a basis for this lot, add code B with 0 in (g)",
        "if the 1099-B shows short-term, add code T (0 in (g))",
    )


def test_tacking_from_both_accounts_flags_the_1099_term_when_the_readings_differ():
    """A holding period tacked from this and another account: the broker's term is unknown
    when its dates alone give the other term, so no T is guessed and the row is flagged."""
    mixed = block(
        "QRS",
        100,
        date(2026, 1, 20),
        date(2026, 5, 1),
        5800,
        5400,
        holding_start=date(2025, 1, 25),
        wash_adjustment=500,
        same_account=200,
    )
    result = run([mixed])
    row = result.rows[0]
    assert (row.part, row.code, row.term_on_1099) == (Part.LONG_TERM, "B", None)
    assert [issue.kind for issue in result.issues] == [IssueKind.TERM_ON_1099_UNCERTAIN]


def test_fifo_relief_and_spouse_are_noted():
    """A sale relieved FIFO says so; a spouse's sale on a joint return is a noted row."""
    fifo = block("AAA", 5, date(2026, 1, 2), date(2026, 2, 2), 60, 50, relief=LotRelief.FIFO)
    spouse = block("BBB", 5, date(2026, 1, 2), date(2026, 2, 2), 60, 50, spouse=True)
    rows = run([fifo, spouse]).rows
    assert [row.notes for row in rows] == [(NOTE_FIFO,), (NOTE_SPOUSE,)]


def test_spouse_sales_are_an_issue_not_a_row_off_a_joint_return():
    """Not filing jointly, a spouse's sale gives no row but an issue naming its sale row."""
    spouse = block("BBB", 5, date(2026, 1, 2), date(2026, 2, 2), 60, 50, spouse=True, sale_row=7)
    result = run([spouse], joint_return=False)
    assert result.rows == ()
    assert [(i.sale_row, i.kind) for i in result.issues] == [(7, IssueKind.SPOUSE_NOT_ON_RETURN)]


@pytest.mark.parametrize(
    "account_type",
    [
        AccountType.TRADITIONAL_IRA,
        AccountType.ROTH_IRA,
        AccountType.TRADITIONAL_401K,
        AccountType.HSA,
    ],
)
def test_sales_inside_retirement_accounts_give_no_rows(account_type):
    """A sale inside an IRA, 401(k) or HSA never reaches Form 8949 (tax-rules.md §4.1)."""
    sale = block("XYZ", 1, date(2026, 1, 2), date(2026, 2, 2), 5, 50, account_type=account_type)
    assert run([sale]).rows == ()


def test_unknown_basis_is_a_flagged_row_never_a_zero_basis():
    """A block of unknown basis: proceeds only, no part, box, basis or gain; an issue; and
    Schedule D leaves it out and says it is incomplete."""
    unknown = block(
        "ZZZ", 3, None, date(2026, 8, 3), 300, None, relief=LotRelief.UNKNOWN, sale_row=12
    )
    known = block("AAA", 5, date(2026, 1, 2), date(2026, 2, 2), 60, 50)
    result = run([unknown, known])
    assert [row.description for row in result.rows] == ["5 sh AAA", "3 sh ZZZ"]
    row = result.rows[1]
    assert (row.part, row.box, row.cost_basis, row.gain_or_loss, row.proceeds) == (
        None,
        None,
        None,
        None,
        D(300),
    )
    assert row.notes == (NOTE_BASIS_UNKNOWN,)
    assert [(i.sale_row, i.kind) for i in result.issues] == [(12, IssueKind.BASIS_UNKNOWN)]
    sd = schedule_d_report(result.rows, filing_status=FilingStatus.SINGLE, year=2026)
    assert sd.line_1b == ScheduleDLine(D(60), D(50), D(0), D(10))
    assert (sd.unknown_basis_rows, sd.complete) == (1, False)


@pytest.mark.parametrize(
    ("sold", "through", "provisional"),
    [
        (date(2026, 12, 31), date(2027, 1, 30), False),  # the window's last day is covered
        (date(2026, 12, 31), date(2027, 1, 29), True),  # one day short
        (date(2026, 12, 1), date(2026, 12, 31), False),  # Dec 1 + 30 = Dec 31
        (date(2026, 12, 2), date(2026, 12, 31), True),
    ],
)
def test_a_loss_whose_window_outruns_activity_is_provisional(sold, through, provisional):
    """A loss sale is provisional while Activity ends before the 30th day after it."""
    loss = block("XYZ", 10, date(2026, 6, 1), sold, 900, 1000, sale_row=3)
    result = run([loss], activity_through=through)
    assert result.rows[0].provisional is provisional
    assert [i.kind for i in result.issues] == ([IssueKind.PROVISIONAL] if provisional else [])


def test_gains_and_fully_washed_losses_are_never_provisional():
    """A later purchase cannot change a gain, nor a loss already wholly disallowed."""
    gain = block("AAA", 10, date(2026, 6, 1), date(2026, 12, 30), 1100, 1000)
    washed = block("BBB", 10, date(2026, 6, 1), date(2026, 12, 30), 900, 1000, disallowed=100)
    result = run([gain, washed], activity_through=date(2026, 12, 31))
    assert [row.provisional for row in result.rows] == [False, False]
    assert result.issues == ()


def test_amounts_are_rounded_half_up_to_cents_and_h_follows():
    """A prorated basis of 1,000/3 becomes 333.33; (h) is computed from the rounded columns."""
    third = block("AAA", 1, date(2026, 1, 2), date(2026, 2, 2), "250.005", D(1000) / 3)
    row = run([third]).rows[0]
    assert (row.proceeds, row.cost_basis, row.gain_or_loss) == (
        D("250.01"),
        D("333.33"),
        D("-83.32"),
    )


def test_whole_dollar_rounding_keeps_a_full_wash_at_zero():
    """Rounded to dollars, a full wash's (g) is (e) - (d), so (h) is 0, not 1 (§4 item 6)."""
    washed = block("AAA", 1, date(2026, 1, 2), date(2026, 2, 2), "4000.49", "5000.50",
                   disallowed="1000.01")  # fmt: skip
    row = run([washed], whole_dollars=True).rows[0]
    assert (row.proceeds, row.cost_basis, row.adjustment, row.gain_or_loss) == (
        D(4000),
        D(5001),
        D(1001),
        D(0),
    )


def test_whole_dollar_rounding_of_a_partial_wash():
    """A partial wash rounds its disallowed part on its own; (h) follows the rounded columns."""
    washed = block("AAA", 1, date(2026, 1, 2), date(2026, 2, 2), "4000.49", "5000.50",
                   disallowed="400.50")  # fmt: skip
    row = run([washed], whole_dollars=True).rows[0]
    assert (row.adjustment, row.gain_or_loss) == (D(401), D(-600))


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"shares": D(0)}, "shares must be positive"),
        ({"proceeds": D(-1)}, "amounts must not be negative"),
        ({"wash_adjustment_same_account": D(5)}, "same-account wash adjustment"),
        ({"lost_for_good": D(5)}, "lost for good must be part"),
        ({"disallowed": D(101)}, "more than the loss"),
        ({"holding_start": date(2026, 2, 1)}, "holding start <= acquired"),
        ({"acquired": date(2026, 3, 1), "holding_start": date(2026, 3, 1)}, "acquired <= sold"),
        ({"basis_paid": None, "disallowed": D(1)}, "unknown basis cannot"),
        ({"holding_start": None}, "acquisition and holding-start dates"),
    ],
)
def test_a_block_breaking_the_contract_is_rejected(changes, problem):
    """Blocks that no correct ledger produces raise an error naming the sale row."""
    from dataclasses import replace

    good = block("AAA", 10, date(2026, 1, 5), date(2026, 2, 2), 900, 1000, sale_row=4)
    with pytest.raises(HarvestInputError, match=problem) as raised:
        run([replace(good, **changes)])
    assert raised.value.argument == "blocks" and "sale row 4" in raised.value.problem


def test_schedule_d_rejects_a_negative_carryover():
    """Carryovers are typed as positive losses; a negative one is an input error."""
    with pytest.raises(HarvestInputError):
        schedule_d_report((), filing_status=FilingStatus.SINGLE, year=2026, st_carryover=D(-1))
