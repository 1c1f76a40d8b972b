"""The harvest decision (HX_HARVEST's rule) and the with/without tax saving."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.harvest import (
    HarvestCode,
    SavingCalculator,
    harvest_saving,
    harvest_status,
    usd,
)
from harvest_xl.engine.models import AccountType, FilingStatus, Term
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.tax import TaxReturn, tax_difference

D = date.fromisoformat
AS_OF = D("2025-11-28")
SHELTERED = [t for t in AccountType if t is not AccountType.TAXABLE]


def status(
    account_type: object = "Taxable",
    basis: object = 1000,
    value: object = 800,
    acquired: str = "2025-01-02",
    min_loss: object = 0,
    min_pct: object = 0,
):
    return harvest_status(
        account_type,
        Decimal(str(basis)),
        Decimal(str(value)),
        D(acquired),
        AS_OF,
        Decimal(str(min_loss)),
        Decimal(str(min_pct)),
    )


def test_taxable_loss_is_harvestable() -> None:
    """A short-term loss in a taxable account: 'Harvest', naming the loss and its term."""
    s = status()
    assert s.code is HarvestCode.HARVEST and s.term is Term.SHORT
    assert s.text.startswith("Harvest") and "$200.00" in s.text and "short-term" in s.text


def test_gain_is_hold() -> None:
    """A gain is never harvestable."""
    s = status(value=1200, acquired="2020-01-02")
    assert s.code is HarvestCode.HOLD_GAIN and s.text.startswith("Hold") and "long-term" in s.text


def test_no_loss_is_hold() -> None:
    """Value equal to basis: nothing to harvest."""
    assert status(value=1000).text.startswith("Hold")


@pytest.mark.parametrize(
    ("min_loss", "min_pct", "code"),
    [
        pytest.param(200, 0, HarvestCode.HARVEST, id="loss equals $ threshold"),
        pytest.param("200.01", 0, HarvestCode.HOLD_SMALL, id="a cent below $ threshold"),
        pytest.param(0, "0.20", HarvestCode.HARVEST, id="loss equals % threshold"),
        pytest.param(0, "0.2001", HarvestCode.HOLD_SMALL, id="just below % threshold"),
        pytest.param(100, "0.25", HarvestCode.HOLD_SMALL, id="either threshold holds"),
    ],
)
def test_thresholds_both_sides(min_loss: object, min_pct: object, code: HarvestCode) -> None:
    """min_loss in dollars and min_pct as a fraction (0.05 = 5%): at the line it qualifies."""
    s = status(min_loss=min_loss, min_pct=min_pct)
    assert s.code is code
    assert s.text.startswith("Harvest" if code is HarvestCode.HARVEST else "Hold")


@pytest.mark.parametrize("account_type", SHELTERED, ids=[t.value for t in SHELTERED])
@pytest.mark.parametrize("value", [500, 1500], ids=["loss", "gain"])
def test_sheltered_accounts_have_no_tax_effect_and_say_why(
    account_type: AccountType, value: int
) -> None:
    """401(k), IRA, Roth, HSA…: never harvestable; the reason cites the exemption."""
    s = status(account_type, value=value)
    assert s.code is HarvestCode.NO_TAX_EFFECT
    assert s.text.startswith("No tax effect")
    assert "IRC §" in s.text and "Schedule D" in s.text


def test_accepts_account_type_spellings() -> None:
    """'401k' and 'Roth IRA' are parsed like everywhere else."""
    assert status("401k").code is HarvestCode.NO_TAX_EFFECT
    assert status("Brokerage").code is HarvestCode.HARVEST


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"basis": -1}, "cost_basis"),
        ({"value": -1}, "market_value"),
        ({"min_pct": 5}, "min_pct"),
        ({"min_loss": -1}, "min_loss"),
        ({"acquired": "2026-01-01"}, "as_of"),
        ({"account_type": "piggy bank"}, "account_type"),
    ],
)
def test_bad_input_names_the_argument(kwargs: dict[str, object], argument: str) -> None:
    """Bad values raise HarvestInputError naming the argument."""
    with pytest.raises(HarvestInputError) as info:
        status(**kwargs)  # type: ignore[arg-type]
    assert info.value.argument == argument


PROFILE = Profile(
    tax_year=2025,
    filing_status=FilingStatus.SINGLE,
    ordinary_income=Decimal(95000),
    qualified_dividends=Decimal(1200),
    realized_st=Decimal(4000),
    realized_lt=Decimal(2500),
    state_rate=Decimal("0.05"),
)


def same_return(p: Profile) -> TaxReturn:
    """The return the profile describes, built here independently of return_from_profile."""
    return TaxReturn(
        p.tax_year,
        p.filing_status,
        p.ordinary_income,
        p.realized_st,
        p.realized_lt,
        p.qualified_dividends,
        p.st_carryover,
        p.lt_carryover,
    )


def test_saving_is_with_without_difference_and_carryover_split() -> None:
    """A $12,000 ST loss: federal saving = -change of tax_difference; $3,500 carries over."""
    loss = Decimal(12000)
    s = harvest_saving(PROFILE, loss, Term.SHORT)
    delta = tax_difference(same_return(PROFILE), extra_st=-loss)
    assert s.federal == -delta.change
    # Gains 6,500 + the $3,000 limit are used this year; 2,500 carries over.
    assert (s.deducted_now, s.carryover) == (Decimal(9500), Decimal(2500))
    assert s.state == Decimal("475.00")  # 5% of 9,500
    assert s.total == s.federal + s.state


profiles = st.builds(
    Profile,
    tax_year=st.sampled_from([2024, 2025, 2026]),
    filing_status=st.sampled_from(list(FilingStatus)),
    ordinary_income=st.integers(0, 600_000).map(Decimal),
    qualified_dividends=st.integers(0, 20_000).map(Decimal),
    realized_st=st.integers(-20_000, 60_000).map(Decimal),
    realized_lt=st.integers(-20_000, 300_000).map(Decimal),
    st_carryover=st.integers(0, 10_000).map(Decimal),
    lt_carryover=st.integers(0, 10_000).map(Decimal),
    state_rate=st.sampled_from([Decimal(0), Decimal("0.05"), Decimal("0.093")]),
)


@settings(max_examples=150, deadline=None)
@given(profiles, st.integers(1, 400_000).map(Decimal), st.sampled_from(list(Term)))
def test_saving_equals_tax_difference(profile: Profile, loss: Decimal, term: Term) -> None:
    """Property: the saving is the with/without difference on the same profile, and the
    carryover part is the increase of the carryover out (computed here, not by the code)."""
    ret = same_return(profile)
    extra = {"extra_st": -loss} if term is Term.SHORT else {"extra_lt": -loss}
    delta = tax_difference(ret, **extra)
    carry = (
        delta.with_.st_carryover_out
        + delta.with_.lt_carryover_out
        - delta.without.st_carryover_out
        - delta.without.lt_carryover_out
    )
    s = SavingCalculator(profile).saving(loss, term)
    assert s.federal == -delta.change
    assert s.carryover == carry
    assert s.deducted_now + s.carryover == loss
    assert 0 <= s.carryover <= loss


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(SHELTERED),
    st.integers(0, 10**7).map(Decimal),
    st.integers(0, 10**7).map(Decimal),
    st.dates(date(2015, 1, 1), date(2025, 11, 28)),
    st.integers(0, 5000).map(Decimal),
    st.sampled_from([Decimal(0), Decimal("0.05"), Decimal(1)]),
)
def test_sheltered_lot_is_never_harvestable(
    account_type: AccountType,
    basis: Decimal,
    value: Decimal,
    acquired: date,
    min_loss: Decimal,
    min_pct: Decimal,
) -> None:
    """Property: any lot in a 401(k), IRA, Roth or HSA is 'No tax effect', with the reason."""
    s = harvest_status(account_type, basis, value, acquired, AS_OF, min_loss, min_pct)
    assert s.code is HarvestCode.NO_TAX_EFFECT
    assert s.text.startswith("No tax effect: ") and "not deductible" in s.text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "$0.00"),
        ("0.005", "$0.01"),  # half-up to the cent
        ("0.004", "$0.00"),
        ("-0.004", "-$0.00"),  # the sign follows the amount
        ("-1234.565", "-$1,234.57"),
        ("999.995", "$1,000.00"),
        ("1234567.8", "$1,234,567.80"),
        ("9999999999999.99", "$9,999,999,999,999.99"),
    ],
)
def test_usd_examples(amount: str, text: str) -> None:
    assert usd(Decimal(amount)) == text
