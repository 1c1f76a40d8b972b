"""Goal 'fill 0% bracket': the largest long-term gain that leaves this year's federal tax
unchanged, found on the exact household return (issue 20). For each household the expected
gain is derived by hand in the docstring, and maximality is shown both ways: the tax with
the planned gain equals the tax without it, and one more share raises it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from harvest_xl import api
from harvest_xl.engine.gain_harvest import ShareGrid, gain_order, largest_untaxed_gain, with_gain
from harvest_xl.engine.harvest import SavingCalculator
from harvest_xl.engine.household import household_tax
from harvest_xl.engine.lots import Action, Activity, Lot, Security
from harvest_xl.engine.models import AccountType, FilingStatus, Term
from harvest_xl.engine.plan import PlanAction, PlanCandidate, PlanGoal, plan_from_candidates
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.tax import federal_tax, return_from_profile

FILL = "fill 0% bracket"


def winner(ticker: str, shares: int, basis: int, price: int, as_of: date) -> Lot:
    """A long-term winner: ``shares`` bought in 2015 at ``basis`` a share, now ``price``."""
    return Lot(
        "Brokerage",
        AccountType.TAXABLE,
        ticker,
        Decimal(shares),
        date(2015, 3, 2),
        Decimal(shares * basis),
        Decimal(price),
        as_of,
    )


def tax_with_gain(profile: Profile, gain: Decimal) -> Decimal:
    """The household's federal tax with ``gain`` more long-term gain (the oracle here is
    the household return itself, independent of the plan's search)."""
    return household_tax(profile, extra_lt=gain).total


# ---------------------------------------------------------------- a working household
WORK_AS_OF = date(2025, 11, 28)
WORKER = Profile(
    tax_year=2025,
    filing_status=FilingStatus.SINGLE,
    birth_date=date(1988, 2, 1),
    ordinary_income=Decimal(50000),
    state_rate=Decimal("0.05"),
    as_of=WORK_AS_OF,
)
ABC = winner("ABC", 500, 20, 57, WORK_AS_OF)  # $37 a share, 65% of its value
XYZ = winner("XYZ", 100, 40, 50, WORK_AS_OF)  # $10 a share, 20%


def test_working_household_fills_the_zero_band_to_the_dollar() -> None:
    """Single, 2025, wages $50,000: taxable income $34,250, the 0% band ends at $48,350, so
    $14,100 of gain is free. ABC ($37 a share, the most gain per dollar) goes first: 381
    shares = $14,097; the 382nd would put $34 in the 15% band: +$5.10. XYZ is never reached.
    State tax on the gain: 5% x $14,097 = $704.85."""
    plan = api.harvest_plan(WORKER, [XYZ, ABC], goal=FILL)
    [row] = plan.rows
    assert (row.action, row.lot.ticker, row.shares, row.gain) == (
        PlanAction.SELL_AND_BUY_BACK,
        "ABC",
        Decimal(381),
        Decimal("14097.00"),
    )
    assert (row.federal, row.state, row.loss) == (Decimal(0), Decimal("-704.85"), Decimal(0))
    assert plan.after.total == plan.before.total == Decimal(3875)  # Table on $34,250
    fill = plan.gain_fill
    assert fill is not None and fill.gain == Decimal("14097.00")
    assert fill.next_share is not None and fill.next_share.ticker == "ABC"
    assert fill.next_share_tax == Decimal("5.10")
    # Maximality on the household return itself:
    assert tax_with_gain(WORKER, Decimal(14097)) == tax_with_gain(WORKER, Decimal(0))
    assert tax_with_gain(WORKER, Decimal(14134)) - tax_with_gain(WORKER, Decimal(0)) == Decimal(
        "5.10"
    )
    assert plan.notes == (
        "Long-term gain of $14,097.00 realized at an unchanged federal tax of $3,875.00; "
        "one more share of ABC would add $5.10.",
    )


def test_a_loss_in_the_same_plan_widens_the_room() -> None:
    """The same worker with $3,000 of short-term gain realized: taxable income $37,250, room
    $11,100. The plan first harvests a $3,000 short-term loss (goal 'offset gains' part:
    saves $360, Table $4,235 -> $3,875), which widens the room back to $14,100: 381 ABC."""
    profile = replace(WORKER, realized_st=Decimal(3000))
    loss = Lot(
        "Brokerage", AccountType.TAXABLE, "LOS", Decimal(100), date(2025, 6, 2),
        Decimal(8000), Decimal(50), WORK_AS_OF,
    )  # fmt: skip
    plan = api.harvest_plan(profile, [ABC, loss], goal=FILL)
    sold, bought_back = plan.rows
    assert (sold.action, sold.loss, sold.federal) == (
        PlanAction.SELL,
        Decimal("3000.00"),
        Decimal(360),
    )
    assert sold.shares == Decimal(100)  # $30 a share: the whole lot
    assert (bought_back.shares, bought_back.gain, bought_back.federal) == (
        Decimal(381),
        Decimal("14097.00"),
        Decimal(0),
    )
    assert (plan.before.total, plan.after.total) == (Decimal(4235), Decimal(3875))
    assert plan.state_saving == Decimal("150.00") - Decimal("704.85")


# ------------------------------------------------ a retiree in the Social Security band
RETIRE_AS_OF = date(2026, 11, 27)
RETIREE = Profile(
    tax_year=2026,
    filing_status=FilingStatus.SINGLE,
    birth_date=date(1956, 4, 1),
    ordinary_income=Decimal(5000),
    social_security=Decimal(40000),
    as_of=RETIRE_AS_OF,
)
FUND = winner("FUND", 5000, 20, 30, RETIRE_AS_OF)  # $10 a share


def test_retiree_stops_where_social_security_makes_ordinary_income_taxable() -> None:
    """Single, 70, 2026: IRA $5,000, Social Security $40,000; deductions $18,150 standard
    (incl. $2,050 for 65+) + $6,000 senior. Gain G makes provisional income $25,000 + G, so
    benefits become taxable (50% to $34,000, then 85%). The ordinary part of taxable income
    is $5,000 + $4,500 + 85% x (G - $9,000) - $24,150, taxed from its first $5 (Tax Table:
    row $5-$15 -> $1). At G = $26,240 (2,624 shares) it is $4 (tax $0); at $26,250 it is
    $12.50: +$1. A bracket table would have said $49,450 of room."""
    plan = api.harvest_plan(RETIREE, [FUND], goal=FILL)
    [row] = plan.rows
    assert (row.shares, row.gain) == (Decimal(2624), Decimal("26240.00"))
    assert plan.before.total == plan.after.total == Decimal(0)
    assert plan.after.taxable_social_security == Decimal("19154.000")
    fill = plan.gain_fill
    assert fill is not None and fill.next_share_tax == Decimal(1)
    assert tax_with_gain(RETIREE, Decimal(26240)) == Decimal(0)
    assert tax_with_gain(RETIREE, Decimal(26250)) == Decimal(1)


# ------------------------------------------- a married couple near the NIIT threshold
NIIT_AS_OF = date(2025, 11, 28)
COUPLE = Profile(
    tax_year=2025,
    filing_status=FilingStatus.MFJ,
    birth_date=date(1975, 1, 1),
    spouse_birth_date=date(1976, 1, 1),
    ordinary_income=Decimal(208000),
    qualified_dividends=Decimal(30000),
    realized_lt=Decimal(10000),
    state_local_taxes=Decimal(15000),
    mortgage_interest=Decimal(20000),
    charitable_gifts=Decimal(125000),
    as_of=NIIT_AS_OF,
)
GROWTH = winner("GRW", 400, 10, 40, NIIT_AS_OF)  # $30 a share


def test_couple_near_the_niit_threshold_stops_at_it() -> None:
    """Joint, 2025: AGI $248,000, itemized $160,000 (taxes $15,000, mortgage $20,000, gifts
    $125,000), taxable income $88,000 of which $40,000 preferential, all in the 0% band
    (to $96,700): $8,700 of 0% room. But MAGI is $2,000 under the $250,000 NIIT threshold:
    66 shares = $1,980 leave the tax unchanged; the 67th ($2,010) adds 3.8% x $10 = $0.38.
    A bracket table would have said $8,700."""
    plan = api.harvest_plan(COUPLE, [GROWTH], goal=FILL)
    [row] = plan.rows
    assert (row.shares, row.gain) == (Decimal(66), Decimal("1980.00"))
    assert plan.before.total == plan.after.total
    assert plan.before.itemizes and plan.before.taxable_income == Decimal(88000)
    fill = plan.gain_fill
    assert fill is not None and fill.next_share_tax == Decimal("0.380")
    assert tax_with_gain(COUPLE, Decimal(1980)) == tax_with_gain(COUPLE, Decimal(0))
    assert tax_with_gain(COUPLE, Decimal(2010)) - tax_with_gain(COUPLE, Decimal(0)) == Decimal(
        "0.380"
    )


# ------------------------------------------------------------------- what is never sold
def test_a_winner_bought_back_never_replaces_a_loss() -> None:
    """ABC sold at a loss 10 days ago (an allowed loss): buying ABC back today would wash
    it, so ABC is left unsold and XYZ fills the room instead."""
    sale = Activity(
        date(2025, 11, 18), "Brokerage", AccountType.TAXABLE, Action.SELL, "ABC",
        Decimal(10), Decimal(50), Decimal(600), date(2024, 1, 5),
    )  # fmt: skip
    plan = api.harvest_plan(WORKER, [XYZ, ABC], [sale], goal=FILL)
    assert [(r.lot.ticker, r.shares) for r in plan.rows] == [("XYZ", Decimal(100))]
    [unsold] = plan.unsold
    assert unsold.candidate.lot.ticker == "ABC"
    assert "would replace a loss sold in its identical group" in unsold.reason


def test_a_winner_in_the_group_of_a_harvested_loss_is_left() -> None:
    """A loss lot of ABC harvested by the plan: the ABC winner is not bought back today."""
    profile = replace(WORKER, realized_st=Decimal(3000))
    losing_abc = Lot(
        "Brokerage", AccountType.TAXABLE, "ABC", Decimal(100), date(2025, 6, 2),
        Decimal(8000), Decimal(57), WORK_AS_OF,
    )  # fmt: skip
    plan = api.harvest_plan(
        profile, [ABC, XYZ, losing_abc], securities=[Security("ABC")], goal=FILL
    )
    assert [(r.action, r.lot.ticker) for r in plan.rows] == [
        (PlanAction.SELL, "ABC"),
        (PlanAction.SELL_AND_BUY_BACK, "XYZ"),
    ]
    assert [u.candidate.lot.ticker for u in plan.unsold] == ["ABC"]


def test_other_goals_never_sell_a_winner() -> None:
    """Only goal 'fill 0% bracket' sells gains."""
    for goal in ("offset gains", "offset gains + deduction", "all losses"):
        assert api.harvest_plan(WORKER, [XYZ, ABC], goal=goal).rows == ()


# ------------------------------------------------------------------------ properties
@settings(max_examples=60, deadline=None)
@given(
    wages=st.integers(0, 150_000),
    social_security=st.sampled_from([0, 18_000, 40_000]),
    born=st.sampled_from([date(1950, 6, 1), date(1985, 6, 1)]),
    status=st.sampled_from([FilingStatus.SINGLE, FilingStatus.MFJ, FilingStatus.HOH]),
    lots=st.lists(
        st.tuples(st.integers(1, 400), st.integers(1, 60), st.integers(1, 90)),
        min_size=1,
        max_size=4,
    ),
)
def test_the_gain_found_is_the_largest_on_the_share_grid(
    wages: int,
    social_security: int,
    born: date,
    status: FilingStatus,
    lots: list[tuple[int, int, int]],
) -> None:
    """Whatever the household: the planned gain leaves the tax unchanged and one more share
    of the grid raises it (or every share is sold)."""
    as_of = date(2026, 11, 27)
    profile = Profile(
        tax_year=2026,
        filing_status=status,
        birth_date=born,
        spouse_birth_date=born if status is FilingStatus.MFJ else None,
        ordinary_income=Decimal(wages),
        social_security=Decimal(social_security),
        as_of=as_of,
    )
    candidates = [
        PlanCandidate(winner(f"W{i}", n, b, b + g, as_of), Decimal(n * b), Term.LONG,
                      Decimal(0), as_of, None)
        for i, (n, b, g) in enumerate(lots)
    ]  # fmt: skip
    ret = return_from_profile(profile)
    base = federal_tax(ret)
    grid = ShareGrid(gain_order(candidates))  # the order the plan sells them in
    n = largest_untaxed_gain(ret, base, grid)
    assert federal_tax(with_gain(ret, grid.gain(n))).total == base.total
    if n < grid.size:
        assert federal_tax(with_gain(ret, grid.gain(n + 1))).total > base.total
    plan = plan_from_candidates(
        profile, candidates, PlanGoal.FILL_ZERO_BRACKET, SavingCalculator(profile)
    )
    assert plan.total_gain == grid.gain(n) and plan.after.total == base.total
