"""The whole cost of a withdrawal: income tax (with/without), additional tax, state, withholding."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.roth import Conversion, DesignatedRothAccount, RothIraHistory
from harvest_xl.engine.tax import TaxReturn, federal_tax
from harvest_xl.engine.withdrawal_cost import withdrawal_cost

D = Decimal
WHEN = date(2025, 6, 1)


def profile(**kw: object) -> Profile:
    base: dict[str, object] = {
        "tax_year": 2025,
        "filing_status": FilingStatus.SINGLE,
        "birth_date": date(1983, 1, 10),  # 42 on WHEN
        "ordinary_income": D(65000),
        "state_rate": D("0.05"),
    }
    base.update(kw)
    return Profile(**base)  # type: ignore[arg-type]


def test_ew_4_401k_cost_and_mandatory_withholding() -> None:
    """EW-4 facts at 42, single, $65,000 wages, 5% state: the full cost of $10,000."""
    c = withdrawal_cost(profile(), "401(k)", 10000, WHEN)
    # 2025 single: taxable income 65,000 - 15,750 = 49,250 and 59,250, both in the 22%
    # bracket (over 48,475), same Tax Table row offset: 22% x 10,000 = 2,200.
    assert c.extra_income_tax == D("2200")
    assert c.additional_tax == D("1000.00")
    assert c.state_tax == D("500.00")
    assert c.total_cost == D("3700.00")
    assert c.net_after_taxes == D("6300.00")
    assert c.withheld == D("2000.00")  # 20% of an eligible rollover distribution
    assert c.column() == (D(2200), D(1000), D(500), D(3700), D(6300), D(2000))


def test_ira_default_withholding_is_10_percent() -> None:
    """An IRA withdrawal has the 10% default withholding, not the 20%."""
    c = withdrawal_cost(profile(), "Traditional IRA", 10000, WHEN)
    assert c.withheld == D("1000.00")


def test_hsa_cost_no_withholding_state_tax_on_nonmedical() -> None:
    """HSA non-medical $5,000 at 42: income tax, 20%, state tax; nothing withheld."""
    c = withdrawal_cost(profile(), "HSA", 5000, WHEN)
    assert c.extra_income_tax == D("1100")  # 22% x 5,000, same bracket and row offset
    assert c.additional_tax == D("1000.00")
    assert c.state_tax == D("250.00")
    assert c.withheld == 0


@pytest.mark.parametrize("exception", ["sepp", "emergency", "birth_adoption", "disaster"])
def test_non_eligible_rollover_distributions_withhold_10_percent(exception: str) -> None:
    """SEPP and the SECURE 2.0 distributions are not ERDs: the 10% default, not 20%."""
    c = withdrawal_cost(profile(), "401k", 1000, WHEN, exception, date(2025, 1, 1))
    assert c.withheld == D("100.00")


def test_ew_3_medical_uses_agi_with_the_withdrawal() -> None:
    """EW-3 through the cost: AGI $75,000 with the withdrawal; $975 excepted; $902.50."""
    c = withdrawal_cost(profile(), "IRA", 10000, WHEN, "medical", expenses=6600)
    assert c.tax.with_.agi == D("75000")
    assert c.additional_tax == D("902.50")


CASES = {
    "single wages": profile(),
    "MFJ crossing the 22/24 bracket": profile(
        filing_status=FilingStatus.MFJ, ordinary_income=D(230000)
    ),
    "LT gains pushed from 0% to 15%": profile(ordinary_income=D(20000), realized_lt=D(30000)),
    "qualified dividends and a loss carryover": profile(
        ordinary_income=D(90000), qualified_dividends=D(4000), st_carryover=D(5000)
    ),
    "NIIT threshold": profile(ordinary_income=D(195000), realized_lt=D(20000)),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_extra_income_tax_is_the_independent_tax_difference(case: str) -> None:
    """The extra income tax equals federal tax with minus without, computed here directly."""
    p = CASES[case]
    amount = D("25000")
    c = withdrawal_cost(p, "Traditional IRA", amount, WHEN)
    without = TaxReturn(
        year=2025,
        filing_status=p.filing_status,
        ordinary_income=p.ordinary_income,
        st_gain=p.realized_st,
        lt_gain=p.realized_lt,
        qualified_dividends=p.qualified_dividends,
        st_carryover=p.st_carryover,
        lt_carryover=p.lt_carryover,
    )
    with_ = TaxReturn(
        year=2025,
        filing_status=p.filing_status,
        ordinary_income=p.ordinary_income + amount,
        st_gain=p.realized_st,
        lt_gain=p.realized_lt,
        qualified_dividends=p.qualified_dividends,
        st_carryover=p.st_carryover,
        lt_carryover=p.lt_carryover,
    )
    assert c.extra_income_tax == federal_tax(with_).total - federal_tax(without).total
    assert c.total_cost == c.extra_income_tax + c.additional_tax + c.state_tax
    assert c.net_after_taxes == amount - c.total_cost


def test_governmental_457b_taxes_everything_penalises_rollover_part() -> None:
    """Governmental 457(b): all $20,000 taxable, 10% on the $5,000 rolled in, 20% withheld."""
    c = withdrawal_cost(profile(), "457b", 20000, WHEN, rolled_in=5000)
    assert c.includible == D("20000")
    assert c.additional_tax == D("500.00")
    assert c.withheld == D("4000.00")


def test_roth_ira_cost_uses_the_ordering_rules() -> None:
    """Roth IRA at 42: $65,000 contributions, $70,000 out: $5,000 of earnings taxed + $500."""
    history = RothIraHistory(contributions=D(65000), earnings=D(20000))
    c = withdrawal_cost(profile(), "Roth IRA", 70000, WHEN, roth=history)
    assert c.includible == D("5000")
    assert c.additional_tax == D("500.00")
    assert c.state_tax == D("250.00")
    assert c.withheld == D("500.00")  # 10% of the includible part


def test_roth_ira_conversion_inside_five_years() -> None:
    """EW-6-style: no income, but the 10% on the converted amount within its 5 years."""
    history = RothIraHistory(D(0), (Conversion(2023, D(40000)),))
    c = withdrawal_cost(profile(), "Roth IRA", 10000, WHEN, roth=history)
    assert (c.includible, c.extra_income_tax, c.additional_tax) == (0, 0, D("1000.00"))


def test_roth_401k_cost_dr_1() -> None:
    """DR-1 / EW-7 through the cost: $600 includible, $60 additional, 20% of $600 withheld."""
    account = DesignatedRothAccount(basis=D(21850), balance=D(23000))
    c = withdrawal_cost(profile(), "Roth 401(k)", 12000, WHEN, roth=account)
    assert c.includible == D("600.00")
    assert c.additional_tax == D("60.00")
    assert c.withheld == D("120.00")


@pytest.mark.parametrize("account", ["Roth IRA", "Roth 401(k)"])
def test_roth_without_history_is_an_input_error(account: str) -> None:
    """A Roth withdrawal cannot be costed without its history: error naming account_type."""
    with pytest.raises(HarvestInputError) as err:
        withdrawal_cost(profile(), account, 1000, WHEN)
    assert err.value.argument == "account_type"


def test_missing_birth_date_and_wrong_year() -> None:
    """No birth date on the profile, or a withdrawal outside its tax year: input errors."""
    with pytest.raises(HarvestInputError) as err:
        withdrawal_cost(profile(birth_date=None), "IRA", 1000, WHEN)
    assert err.value.argument == "birth_date"
    with pytest.raises(HarvestInputError) as err:
        withdrawal_cost(profile(), "IRA", 1000, date(2026, 1, 2))
    assert err.value.argument == "withdrawal_date"


def test_exception_for_the_wrong_account_still_costs_the_penalty() -> None:
    """First home from a 401(k): ignored, so the 10% is part of the cost."""
    c = withdrawal_cost(profile(), "401(k)", 15000, WHEN, "first_home")
    assert c.additional_tax == D("1500.00")
