"""Properties of the household return (hypothesis): the SavingCalculator's saturation
shortcut stays exact with Social Security and itemizing, and the §86 worksheet's bounds.

Why the shortcut holds (household-return.md §1): once a loss takes Schedule D line 16 to
the §1211(b) limit, line 21 stays at the limit and the net capital gain at zero. The
household return reads Schedule D only through Form 1040 line 7 (= line 21; it feeds the
Social Security worksheet, AGI and every AGI-based limit), the net capital gain (QDCGT and
Form 6251 Part III) and net investment income (qualified dividends + line 7), so every
larger loss gives the same return and only the carryover grows. The test below checks
that against the full computation instead of trusting the argument.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from harvest_xl.engine.harvest import SavingCalculator
from harvest_xl.engine.household import household_return
from harvest_xl.engine.models import FilingStatus, Term
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.tax import federal_tax, tax_difference

money = st.integers(min_value=0, max_value=400_000).map(D)
small = st.integers(min_value=0, max_value=60_000).map(D)
signed = st.integers(min_value=-30_000, max_value=60_000).map(D)
births = st.sampled_from(
    [None, date(1950, 7, 1), date(1961, 1, 1), date(1961, 1, 2), date(1980, 1, 1)]
)


@st.composite
def households(draw: st.DrawFn) -> Profile:
    status = draw(st.sampled_from(list(FilingStatus)))
    return Profile(
        tax_year=draw(st.integers(min_value=2018, max_value=2026)),
        filing_status=status,
        birth_date=draw(births),
        spouse_birth_date=draw(births),
        blind_people=draw(
            st.integers(min_value=0, max_value=2 if status is FilingStatus.MFJ else 1)
        ),
        ordinary_income=draw(money),
        qualified_dividends=draw(st.integers(min_value=0, max_value=20_000).map(D)),
        realized_st=draw(signed),
        realized_lt=draw(signed),
        st_carryover=draw(st.integers(min_value=0, max_value=5_000).map(D)),
        social_security=draw(small),
        tax_exempt_interest=draw(st.integers(min_value=0, max_value=20_000).map(D)),
        state_local_taxes=draw(small),
        mortgage_interest=draw(small),
        charitable_gifts=draw(st.integers(min_value=0, max_value=20_000).map(D)),
        other_itemized=draw(st.integers(min_value=0, max_value=10_000).map(D)),
    )


@settings(max_examples=300, deadline=None)
@given(
    households(), st.integers(min_value=1, max_value=120_000).map(D), st.sampled_from(list(Term))
)
def test_saturation_shortcut_equals_the_full_return(profile, loss, term):
    """Every saving the calculator reports, shortcut or not, equals tax without minus tax
    with the loss, each computed on the whole household return."""
    calc = SavingCalculator(profile)
    saving = calc.saving(loss, term)
    ret = household_return(profile)
    extra = {"extra_st": -loss} if term is Term.SHORT else {"extra_lt": -loss}
    delta = tax_difference(ret, **extra)
    assert saving.federal == -delta.change
    carried = (
        delta.with_.st_carryover_out
        + delta.with_.lt_carryover_out
        - delta.without.st_carryover_out
        - delta.without.lt_carryover_out
    )
    assert saving.carryover == carried


@settings(max_examples=300, deadline=None)
@given(households())
def test_taxable_benefits_are_between_zero_and_85_percent(profile):
    """Form 1040 line 6b is never negative and never more than 85% of the benefits."""
    r = federal_tax(household_return(profile))
    assert 0 <= r.taxable_social_security <= D("0.85") * profile.social_security


@settings(max_examples=200, deadline=None)
@given(households(), st.integers(min_value=1, max_value=5_000).map(D))
def test_a_loss_moves_taxable_benefits_by_at_most_85_cents_a_dollar(profile, loss):
    """§86: each dollar less provisional income lowers taxable benefits by 0 to 85 cents."""
    delta = tax_difference(household_return(profile), extra_st=-loss)
    lower = (
        delta.without.schedule_d.capital_gain_in_income
        - delta.with_.schedule_d.capital_gain_in_income
    )
    drop = delta.without.taxable_social_security - delta.with_.taxable_social_security
    assert 0 <= drop <= D("0.85") * lower
