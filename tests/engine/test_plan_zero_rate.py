"""Losses that only cancel gains taxed at 0% are flagged, and not spent unless the goal is
'all losses' (issue 20). Figures derived by hand below (2025 single: standard deduction
$15,750; 10% to $11,925, 12% to $48,475, 22% above; 0% long-term rate to $48,350; Tax Table
below $100,000: tax on the row's midpoint, whole dollars half up).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from harvest_xl import api
from harvest_xl.engine.lots import Lot
from harvest_xl.engine.models import AccountType, FilingStatus, Term
from harvest_xl.engine.plan import PlanGoal
from harvest_xl.engine.profile import Profile

AS_OF = date(2025, 11, 28)


def single(wages: int, lt_gain: int, state: str = "0") -> Profile:
    return Profile(
        tax_year=2025,
        filing_status=FilingStatus.SINGLE,
        birth_date=date(1985, 1, 1),
        ordinary_income=Decimal(wages),
        realized_lt=Decimal(lt_gain),
        state_rate=Decimal(state),
        as_of=AS_OF,
    )


def losing(ticker: str, shares: int, per_share_loss: int, acquired: date) -> Lot:
    return Lot(
        "Brokerage",
        AccountType.TAXABLE,
        ticker,
        Decimal(shares),
        acquired,
        Decimal(shares * (100 + per_share_loss)),
        Decimal(100),
        AS_OF,
    )


ST_LOSS = losing("STL", 100, 50, date(2025, 6, 2))  # short-term $5,000
LT_LOSS = losing("LTL", 100, 80, date(2023, 6, 2))  # long-term $8,000
SMALL_ST = losing("SML", 100, 20, date(2025, 6, 2))  # short-term $2,000


def test_a_loss_that_only_cancels_zero_rate_gains_is_not_spent() -> None:
    """Wages $40,000 and a $20,000 long-term gain: taxable income $44,250, every gain dollar
    in the 0% band (ordinary part $24,250). Goal 'offset gains + deduction' ($23,000 of
    loss) would cancel that gain first and save nothing: the lot is left unsold, flagged."""
    plan = api.harvest_plan(single(40000, 20000), [ST_LOSS], goal="offset gains + deduction")
    assert plan.rows == ()
    [unsold] = plan.unsold
    assert unsold.candidate.lot.ticker == "STL"
    assert unsold.reason.startswith("Not sold: its loss would only cancel gains taxed at 0%")
    assert plan.federal_saving == 0


def test_all_losses_spends_it_and_flags_it() -> None:
    """Goal 'all losses' sells it: line 16 falls from $20,000 to $15,000, all of it gain
    taxed at 0%; the tax stays the Tax Table's $2,675 on the $24,250 ordinary part
    (midpoint $24,275: $1,192.50 + 12% x $12,350). Saving $0, $0.0000 per dollar."""
    plan = api.harvest_plan(single(40000, 20000), [ST_LOSS], goal="all losses")
    [row] = plan.rows
    assert (row.loss, row.federal, row.saving_per_dollar) == (
        Decimal("5000.00"),
        Decimal(0),
        Decimal("0.0000"),
    )
    assert plan.before.total == plan.after.total == Decimal(2675)
    assert row.flag == ("Saves no federal tax this year; $5,000.00 of it cancels gains taxed at 0%")


def test_a_row_stops_where_its_loss_reaches_the_zero_rate_gain() -> None:
    """Wages $60,000 and a $10,000 long-term gain: ordinary part $44,250, so $4,100 of the
    gain is taxed at 0% and $5,900 at 15% ($885). The $8,000 long-term loss ($80 a share)
    saves 15% on its first $5,900, nothing after: goal 'offset gains' sells 74 shares
    ($5,920; 73 would leave $60 taxed at 15%), saves $885 ($0.1495 per dollar: 885 / 5,920),
    and the short-term lot, whose first share would cancel 0% gain, is left unsold."""
    plan = api.harvest_plan(single(60000, 10000), [LT_LOSS, SMALL_ST], goal="offset gains")
    [row] = plan.rows
    assert (row.lot.ticker, row.term, row.shares, row.loss) == (
        "LTL",
        Term.LONG,
        Decimal(74),
        Decimal("5920.00"),
    )
    assert (row.federal, row.saving_per_dollar) == (Decimal("885.00"), Decimal("0.1495"))
    assert row.flag == "$20.00 of it cancels gains taxed at 0%"
    assert [u.candidate.lot.ticker for u in plan.unsold] == ["SML"]


def test_all_losses_sells_every_share_and_says_what_was_wasted() -> None:
    """Goal 'all losses': the whole $8,000 ($2,100 of it cancels 0% gain) and then the
    $2,000 short-term lot, which cancels the last $2,000 of 0% gain and saves nothing."""
    plan = api.harvest_plan(single(60000, 10000), [LT_LOSS, SMALL_ST], goal="all losses")
    first, second = plan.rows
    assert (first.shares, first.federal) == (Decimal(100), Decimal("885.00"))
    assert first.flag == "$2,100.00 of it cancels gains taxed at 0%"
    assert (second.lot.ticker, second.federal) == ("SML", Decimal(0))
    assert second.flag == (
        "Saves no federal tax this year; $2,000.00 of it cancels gains taxed at 0%"
    )


def test_the_state_saving_does_not_make_a_zero_rate_loss_worth_spending() -> None:
    """With a 5% state rate the wasted loss would save state tax, but the same loss kept for
    a later year saves that state tax too: still left unsold by 'offset gains'."""
    plan = api.harvest_plan(single(40000, 20000, "0.05"), [ST_LOSS], goal="offset gains")
    assert plan.rows == () and len(plan.unsold) == 1


def test_goal_words() -> None:
    """The new goal parses from what people type; the old goals keep their names."""
    assert PlanGoal.parse("Fill 0% bracket") is PlanGoal.FILL_ZERO_BRACKET
    assert PlanGoal.parse("gain harvesting") is PlanGoal.FILL_ZERO_BRACKET
    assert [g.value for g in PlanGoal] == [
        "offset gains",
        "offset gains + deduction",
        "all losses",
        "fill 0% bracket",
    ]


BIG_ST = losing("BIG", 130, 100, date(2025, 6, 2))  # short-term $13,000


def test_the_deduction_behind_zero_rate_gains_is_not_bought_with_them() -> None:
    """Wages $60,000, $10,000 long-term gain ($5,900 at 15%, $4,100 at 0%) and one $13,000
    short-term lot ($100 a share). Goal 'offset gains + deduction' ($13,000) would have to
    cancel the $4,100 taxed at 0% to reach the $3,000 deduction: the row stops at 59 shares
    ($5,900, saving $885) and keeps the rest of the loss for a later year."""
    plan = api.harvest_plan(single(60000, 10000), [BIG_ST], goal="offset gains + deduction")
    [row] = plan.rows
    assert (row.shares, row.loss, row.federal, row.flag) == (
        Decimal(59),
        Decimal("5900.00"),
        Decimal("885.00"),
        "",
    )


def test_all_losses_buys_the_deduction_and_says_at_what_price() -> None:
    """Goal 'all losses' sells all 130 shares: $885 (15% on $5,900) + $360 (the deduction:
    Tax Table $5,075 on $44,250 -> $4,715 on $41,250) = $1,245, and $4,100 of the loss
    cancelled gain taxed at 0% ($0.0958 per dollar: 1,245 / 13,000)."""
    plan = api.harvest_plan(single(60000, 10000), [BIG_ST], goal="all losses")
    [row] = plan.rows
    assert (row.shares, row.federal) == (Decimal(130), Decimal(1245))
    assert row.flag == "$4,100.00 of it cancels gains taxed at 0%"
    assert row.saving_per_dollar == Decimal("0.0958")
