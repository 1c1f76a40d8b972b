"""The realized year in the savings and on Schedule D (issue 17).

``Count Activity sales`` = Yes: every saving is computed with Activity's realized gains and
losses of the tax year added to the Profile's realized amounts (which then mean gains
outside Activity). Absent or No: the Profile's figures as typed, as before the key existed.
The expected figures are worked out by hand in each test (RY-4's trades: Part I (8,000),
Part II 2,500) or come from the same Profile with those figures typed in.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.lots import Lot, Owner
from harvest_xl.engine.models import AccountType, FilingStatus
from harvest_xl.engine.portfolio import evaluate_lots
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.realized_year import (
    activity_realized,
    realized_year,
    with_activity_sales,
)
from harvest_xl.engine.wash_sale import analyse_wash_sales

from .wash_helpers import buy, sell

D = Decimal
AS_OF = date(2026, 11, 27)
PROFILE = Profile(
    tax_year=2026,
    filing_status=FilingStatus.SINGLE,
    ordinary_income=D(95000),
    realized_st=D(1000),
    realized_lt=D(500),
    state_rate=D("0.05"),
    as_of=AS_OF,
)
COUNTING = replace(PROFILE, count_activity_sales=True)


def ry4_trades() -> list:
    """RY-4: LTG bought 2023-02-01 for 2,000 and sold 2026-05-01 for 4,500 (2,500 long-term
    gain); STL bought 2025-12-01 for 12,000 and sold 2026-06-15 for 4,000 (8,000 short-term
    loss). Tickers nobody holds, so the sales touch no Holdings lot."""
    return [
        buy("2023-02-01", 50, 40, ticker="LTG"),
        buy("2025-12-01", 200, 60, ticker="STL"),
        sell("2026-05-01", 50, 90, ticker="LTG"),
        sell("2026-06-15", 200, 20, ticker="STL"),
    ]


HELD = [
    # A taxable long-term loss of 6,000 and a short-term loss of 2,000 worth harvesting.
    Lot("Brokerage", AccountType.TAXABLE, "VXUS", D(100), date(2024, 3, 1), D(12000), D(60), AS_OF),
    Lot("Brokerage", AccountType.TAXABLE, "ARKK", D(100), date(2026, 2, 2), D(7000), D(50), AS_OF),
]


def test_the_profile_key_defaults_to_no() -> None:
    """A Profile made without the key (an old workbook) does not count Activity's sales."""
    assert PROFILE.count_activity_sales is False


@pytest.mark.parametrize(("typed", "counts"), [("Yes", True), ("no", False), (True, True)])
def test_the_profile_key_reads_yes_and_no(typed: object, counts: bool) -> None:
    """Yes / No (any case) or a boolean."""
    assert Profile(tax_year=2026, filing_status="single", count_activity_sales=typed) == replace(
        Profile(tax_year=2026, filing_status="single"), count_activity_sales=counts
    )


def test_a_bad_profile_value_names_the_key() -> None:
    """Anything but yes/no is refused with the key as users see it."""
    with pytest.raises(HarvestInputError) as caught:
        Profile(tax_year=2026, filing_status="single", count_activity_sales="sometimes")
    assert caught.value.argument == "Count Activity sales"


def test_activity_realized_is_the_form_8949_column_h_by_part() -> None:
    """RY-4's trades: short-term (8,000), long-term 2,500."""
    blocks = analyse_wash_sales(ry4_trades()).realized_blocks
    assert activity_realized(blocks, 2026, joint_return=False) == (D(-8000), D(2500))
    assert activity_realized(blocks, 2025, joint_return=False) == (D(0), D(0))


def test_a_washed_loss_counts_only_its_allowed_part() -> None:
    """RY-3's trades: the 1,000 loss has 400 disallowed, so (600) counts, not (1,000)."""
    acts = [
        buy("2026-01-05", 100, 30, ticker="ABC"),
        sell("2026-04-15", 100, 20, basis=3000, acquired="2026-01-05", ticker="ABC"),
        buy("2026-04-30", 40, 21, ticker="ABC"),
    ]
    blocks = analyse_wash_sales(acts).realized_blocks
    assert activity_realized(blocks, 2026, joint_return=False) == (D(-600), D(0))


def test_counting_adds_activity_to_the_profiles_outside_amounts() -> None:
    """Yes: realized 1,000 ST + (8,000) = (7,000); 500 LT + 2,500 = 3,000. No: unchanged."""
    blocks = analyse_wash_sales(ry4_trades()).realized_blocks
    assert with_activity_sales(PROFILE, blocks) is PROFILE
    counted = with_activity_sales(COUNTING, blocks)
    assert (counted.realized_st, counted.realized_lt) == (D(-7000), D(3000))


def test_a_spouses_sales_count_only_on_a_joint_return() -> None:
    """A sale in the spouse's account is on a joint return, not on a single one."""
    acts = [
        buy("2026-01-05", 10, 100, ticker="SPZ", owner=Owner.SPOUSE, account="Spouse"),
        sell("2026-03-05", 10, 130, ticker="SPZ", owner=Owner.SPOUSE, account="Spouse"),
    ]
    blocks = analyse_wash_sales(acts).realized_blocks
    single = with_activity_sales(COUNTING, blocks)
    joint = with_activity_sales(replace(COUNTING, filing_status=FilingStatus.MFJ), blocks)
    assert single.realized_st == D(1000)  # as typed
    assert joint.realized_st == D(1300)  # + the 300 gain


def _figures(result) -> tuple:
    """What a user reads: each lot's status and savings, the plan and the Summary's tax."""
    rows = [(r.status_text, r.federal_saving, r.state_saving, r.carryover) for r in result.rows]
    plan = [(p.lot.ticker, p.shares, p.saving) for p in result.plan.rows]
    summary = result.summary
    return rows, plan, summary.before.total, summary.after.total, summary.state_saving


def test_counting_activity_equals_typing_its_figures_into_the_profile() -> None:
    """Yes with 1,000/500 typed and RY-4's trades in Activity gives exactly the statuses,
    savings, plan and Summary of No with (7,000)/3,000 typed: Activity's realized year
    enters every saving, once."""
    counted = evaluate_lots(COUNTING, HELD, ry4_trades())
    typed = replace(PROFILE, realized_st=D(-7000), realized_lt=D(3000))
    assert _figures(counted) == _figures(evaluate_lots(typed, HELD, ry4_trades()))
    assert _figures(counted) != _figures(evaluate_lots(PROFILE, HELD, ry4_trades()))


def test_without_the_key_activity_sales_change_no_saving() -> None:
    """No double counting in an old workbook: with the realized figures typed and the same
    sales also in Activity, the savings are those of the Profile alone (no Activity)."""
    assert _figures(evaluate_lots(PROFILE, HELD, ry4_trades())) == _figures(
        evaluate_lots(PROFILE, HELD, [])
    )


def test_a_realized_loss_makes_a_harvest_worth_less_this_year() -> None:
    """With (7,000) short-term already realized (over the 3,000 limit), a further loss saves
    no federal tax this year: it all carries over (§1211(b))."""
    counted = evaluate_lots(COUNTING, HELD, ry4_trades())
    plain = evaluate_lots(PROFILE, HELD, [])
    assert all(r.federal_saving == 0 for r in counted.rows)
    assert all(r.federal_saving and r.federal_saving > 0 for r in plain.rows)


def test_realized_year_schedule_d_counts_the_outside_amounts_only_when_counting() -> None:
    """Schedule D of RY-4's rows: counting, line 7 = (8,000) + 1,000 and line 15 = 2,500 +
    500; not counting, the Profile's figures overlap the rows and are left out."""
    blocks = analyse_wash_sales(ry4_trades()).realized_blocks
    through = date(2026, 12, 31)
    counted = realized_year(blocks, COUNTING, activity_through=through).schedule_d
    assert (counted.line_7, counted.line_15, counted.line_16, counted.line_21) == (
        D(-7000),
        D(3000),
        D(-4000),
        D(-3000),
    )
    alone = realized_year(blocks, PROFILE, activity_through=through).schedule_d
    assert (alone.line_7, alone.line_15, alone.line_16) == (D(-8000), D(2500), D(-5500))
    assert (alone.realized_short_term, alone.realized_long_term) == (D(-8000), D(2500))


def test_realized_year_carryover_uses_the_given_taxable_income() -> None:
    """RY-4 alone with taxable income 40,000: carryover 2,500 short-term, 0 long-term."""
    blocks = analyse_wash_sales(ry4_trades()).realized_blocks
    report = realized_year(
        blocks, PROFILE, activity_through=date(2026, 12, 31), taxable_income=D(40000)
    ).schedule_d
    assert report.carryover is not None
    assert (report.carryover.short_term, report.carryover.long_term) == (D(2500), D(0))
