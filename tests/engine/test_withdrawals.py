"""The §72(t) / §223(f)(4) additional tax: fixtures EW-1…EW-11, boundaries, exceptions, caps.

Expected values are written out from tax-rules.md §6 and §8.3 (or derived by hand in the
comment next to them), never computed by the code under test.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.exceptions import WithdrawalException, parse_exception
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.withdrawals import (
    Outcome,
    assess_early_withdrawal,
    early_withdrawal_additional_tax,
    explain_penalty,
)

D = Decimal
WHEN = date(2025, 6, 1)


def born_aged(age: int, on: date = WHEN) -> date:
    """A birth date that makes the person ``age`` (and a few months) on ``on``."""
    return date(on.year - age - 1, 11, 15)


def tax(account: str, amount: object, age: int, exception: object = None, **kw: object) -> Decimal:
    return early_withdrawal_additional_tax(
        account, amount, born_aged(age), kw.pop("when", WHEN), exception, **kw
    )


# ---------------------------------------------------------------- fixtures (tax-rules.md §8.3)


def test_ew_1_tom_jones_traditional_ira() -> None:
    """EW-1: $3,000 from a traditional IRA at 35, no exception: line 4 = $300."""
    a = assess_early_withdrawal("Traditional IRA", 3000, born_aged(35), WHEN)
    assert (a.early_distribution, a.excepted, a.subject) == (3000, 0, 3000)
    assert a.additional_tax == D("300.00")


def test_ew_2_simple_ira_first_year() -> None:
    """EW-2: $10,000 from a SIMPLE IRA in year 1 of participation at 40: 25% = $2,500."""
    got = tax("SIMPLE IRA", 10000, 40, participation_start=date(2025, 1, 2))
    assert got == D("2500.00")


def test_ew_3_medical_expenses_over_floor() -> None:
    """EW-3: AGI $75,000, medical $6,600: floor $5,625, $975 excepted, $902.50."""
    a = assess_early_withdrawal(
        "IRA", 10000, born_aged(45), WHEN, "medical", expenses=6600, agi=75000
    )
    assert a.excepted == D("975")
    assert a.subject == D("9025")
    assert a.additional_tax == D("902.50")
    assert a.outcome is Outcome.CAPPED


def test_ew_4_jordan_partial_rollover() -> None:
    """EW-4: of a $10,000 401(k) payment, $2,000 not rolled over: $200 additional tax."""
    assert tax("401(k)", 2000, 42) == D("200.00")
    assert tax("401(k)", 0, 42) == D("0.00")  # full rollover: nothing includible


def test_ew_8_hsa_nonmedical_at_50_and_66() -> None:
    """EW-8: $5,000 non-medical HSA money: $1,000 at 50, $0 at 66."""
    assert tax("HSA", 5000, 50) == D("1000.00")
    assert tax("HSA", 5000, 66) == D("0")


def test_ew_9_governmental_457b_only_rolled_in_money() -> None:
    """EW-9: $20,000 from a governmental 457(b) at 45, $5,000 from a 401(k) rollover: $500."""
    assert tax("Governmental 457(b)", 20000, 45, rolled_in=5000) == D("500.00")
    assert tax("Governmental 457(b)", 20000, 45) == D("0")


def test_ew_10_separation_at_56_plan_versus_ira() -> None:
    """EW-10: separation at 56: $0 from the 401(k), $4,000 after rolling to an IRA."""
    sep = date(2025, 3, 1)
    assert tax("401(k)", 40000, 56, "separation", separation_date=sep) == D("0.00")
    assert tax("Traditional IRA", 40000, 56, "separation", separation_date=sep) == D("4000.00")


def test_ew_11_first_home_ira_versus_401k() -> None:
    """EW-11: $15,000 for a first home at 35: $500 from an IRA, $1,500 from a 401(k)."""
    assert tax("Traditional IRA", 15000, 35, "first_home") == D("500.00")
    assert tax("Traditional 401(k)", 15000, 35, "first_home") == D("1500.00")


# ---------------------------------------------------------------- age 59½


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (date(2025, 8, 30), D("100.00")),  # the day before the 59th birthday
        (date(2025, 8, 31), D("100.00")),  # the 59th birthday itself
        (date(2026, 2, 27), D("100.00")),  # the day before 59½
        (date(2026, 2, 28), D("0")),  # 59½: six calendar months after Aug 31 is Feb 28
        (date(2026, 3, 1), D("0")),
    ],
)
def test_age_59_half_boundary_month_end(when: date, expected: Decimal) -> None:
    """Born Aug 31, 1966: penalised through Feb 27, 2026; free from Feb 28, 2026."""
    got = early_withdrawal_additional_tax("IRA", 1000, date(1966, 8, 31), when)
    assert got == expected


@pytest.mark.parametrize(
    ("when", "expected"),
    [(date(2025, 7, 14), D("100.00")), (date(2025, 7, 15), D("0"))],
)
def test_age_59_half_boundary_mid_month(when: date, expected: Decimal) -> None:
    """Born Jan 15, 1966: 59½ on July 15, 2025 (day before penalised, day of free)."""
    assert early_withdrawal_additional_tax("401k", 1000, date(1966, 1, 15), when) == expected


# ---------------------------------------------------------------- separation from service


@pytest.mark.parametrize(
    ("separation", "expected"),
    [
        (date(2024, 12, 31), D("100.00")),  # the year before the year of turning 55
        (date(2025, 1, 2), D("0.00")),  # the year of turning 55, though still 54
    ],
)
def test_separation_year_of_turning_55(separation: date, expected: Decimal) -> None:
    """Born Dec 31, 1970 (55 in 2025): separation in 2024 fails, in Jan 2025 qualifies."""
    got = early_withdrawal_additional_tax(
        "401(k)", 1000, date(1970, 12, 31), date(2025, 2, 1), "separation", separation
    )
    assert got == expected


def test_separation_after_the_withdrawal_does_not_count() -> None:
    """The withdrawal must follow the separation."""
    got = early_withdrawal_additional_tax(
        "401(k)", 1000, date(1968, 1, 1), date(2025, 2, 1), "01", date(2025, 3, 1)
    )
    assert got == D("100.00")


@pytest.mark.parametrize(
    ("separation", "service", "expected"),
    [
        (date(2024, 12, 31), None, D("100.00")),  # year before the year of turning 50
        (date(2025, 1, 2), None, D("0.00")),  # year of turning 50
        (date(2022, 6, 1), D(25), D("0.00")),  # 25 years of service at 47
        (date(2022, 6, 1), D(24), D("100.00")),  # 24 years: not enough, and 47 < 50
    ],
)
def test_public_safety_age_50_or_25_years(
    separation: date, service: Decimal | None, expected: Decimal
) -> None:
    """Public safety: separation in the year of turning 50, or after 25 years of service."""
    got = early_withdrawal_additional_tax(
        "Governmental 457(b)",
        1000,
        date(1975, 12, 31),
        date(2025, 6, 1),
        "public_safety",
        separation,
        rolled_in=1000,
        years_of_service=service,
    )
    assert got == expected


def test_separation_needs_a_separation_date() -> None:
    """The age-55 rule without a separation date is an input error naming separation_date."""
    with pytest.raises(HarvestInputError) as err:
        tax("401k", 1000, 56, "separation")
    assert err.value.argument == "separation_date"


# ---------------------------------------------------------------- SIMPLE two years


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (date(2026, 3, 14), D("250.00")),  # last day of the two-year period: 25%
        (date(2026, 3, 15), D("100.00")),  # second anniversary: 10%
    ],
)
def test_simple_ira_two_year_boundary(when: date, expected: Decimal) -> None:
    """Participation from Mar 15, 2024: 25% through Mar 14, 2026, 10% from Mar 15, 2026."""
    got = early_withdrawal_additional_tax(
        "SIMPLE IRA", 1000, date(1985, 1, 1), when, participation_start=date(2024, 3, 15)
    )
    assert got == expected


def test_simple_ira_exception_removes_the_25_percent() -> None:
    """An exception removes the 25% as it does the 10%."""
    got = early_withdrawal_additional_tax(
        "SIMPLE IRA", 1000, date(1985, 1, 1), WHEN, "disability", participation_start=WHEN
    )
    assert got == D("0.00")


def test_simple_ira_needs_participation_start() -> None:
    """Without the participation start the rate is unknown: error naming it."""
    with pytest.raises(HarvestInputError) as err:
        tax("SIMPLE IRA", 1000, 40)
    assert err.value.argument == "participation_start"


# ---------------------------------------------------------------- HSA


@pytest.mark.parametrize(
    ("when", "expected"),
    [(date(2025, 7, 3), D("200.00")), (date(2025, 7, 4), D("0"))],
)
def test_hsa_64_versus_65(when: date, expected: Decimal) -> None:
    """Born July 4, 1960: 20% on July 3, 2025 (age 64); none on the 65th birthday."""
    assert early_withdrawal_additional_tax("HSA", 1000, date(1960, 7, 4), when) == expected


@pytest.mark.parametrize("exception", ["death", "disability", "04", "03"])
def test_hsa_death_and_disability_except(exception: str) -> None:
    """§223(f)(4)(B): death and disability remove the HSA 20%."""
    assert tax("HSA", 1000, 50, exception) == D("0.00")


@pytest.mark.parametrize("exception", ["medical", "first_home", "separation", "sepp", "levy"])
def test_hsa_other_exceptions_ignored(exception: str) -> None:
    """§72(t) exceptions do not reach an HSA: ignored, the 20% still counted."""
    a = assess_early_withdrawal(
        "HSA", 1000, born_aged(50), WHEN, exception, date(2025, 1, 1), expenses=1000, agi=1
    )
    assert a.additional_tax == D("200.00")
    assert a.outcome is Outcome.NOT_FOR_ACCOUNT


# ---------------------------------------------------------------- the exception table, §6.5

PLAN = "Traditional 401(k)"
IRA = "Traditional IRA"
# Expected from tax-rules.md §6.5 (Plan / IRA columns), written out here by hand.
TABLE = [
    # name, applies to plan, applies to IRA
    ("sepp", True, True),  # plan: with a separation date before the withdrawal (below)
    ("disability", True, True),
    ("death", True, True),
    ("qdro", True, False),
    ("health_insurance", False, True),
    ("education", False, True),
    ("levy", True, True),
    ("reservist", True, True),
    ("esop_dividends", True, False),
    ("phased_retirement", True, False),
    ("permissible_withdrawal", True, False),  # §414(w): plans, SIMPLE IRA / SARSEP only
    ("terminal_illness", True, True),
    ("excess_contribution", False, True),
    ("separation", True, False),
    ("public_safety", True, False),
]


@pytest.mark.parametrize(("name", "plan", "ira"), TABLE, ids=[row[0] for row in TABLE])
def test_exception_applies_only_where_the_law_applies_it(name: str, plan: bool, ira: bool) -> None:
    """Each exception excepts $1,000 where the table says so, and is ignored elsewhere."""
    for account, applies in ((PLAN, plan), (IRA, ira)):
        a = assess_early_withdrawal(
            account, 1000, date(1968, 1, 1), WHEN, name, separation_date=date(2024, 1, 1)
        )
        assert a.additional_tax == (D("0.00") if applies else D("100.00")), account
        expected = Outcome.APPLIED if applies else Outcome.NOT_FOR_ACCOUNT
        assert a.outcome is expected, account


def test_sepp_from_a_plan_needs_separation_first() -> None:
    """§72(t)(3)(B): SEPP from a plan only after separation; from an IRA any time."""
    assert tax(PLAN, 1000, 45, "sepp") == D("100.00")
    assert tax(PLAN, 1000, 45, "sepp", separation_date=date(2026, 1, 1)) == D("100.00")
    assert tax(PLAN, 1000, 45, "sepp", separation_date=date(2025, 1, 1)) == D("0.00")
    assert tax(IRA, 1000, 45, "sepp") == D("0.00")


def test_permissible_withdrawal_reaches_simple_ira() -> None:
    """§414(w) permissible withdrawals cover SIMPLE IRAs (and SARSEPs) too."""
    got = early_withdrawal_additional_tax(
        "SIMPLE IRA", 1000, born_aged(30), WHEN, "18", participation_start=date(2020, 1, 1)
    )
    assert got == D("0.00")


def test_roth_401k_is_a_plan_for_the_age_55_rule() -> None:
    """A designated Roth account is an employer plan: the age-55 rule applies."""
    got = tax("Roth 401(k)", 1000, 56, "separation", separation_date=date(2025, 1, 10))
    assert got == D("0.00")


def test_code_13_does_not_cover_rolled_in_457b_money() -> None:
    """Exception 13 is the non-rollover exemption; amounts rolled in stay subject."""
    a = assess_early_withdrawal("457b", 1000, born_aged(40), WHEN, "13", rolled_in=400)
    assert a.additional_tax == D("40.00")
    assert a.outcome is Outcome.CONDITION_NOT_MET


def test_code_12_only_confirms_age_59_half() -> None:
    """Exception 12 (age 59½, box 7 wrong) changes nothing before 59½."""
    a = assess_early_withdrawal("IRA", 1000, born_aged(50), WHEN, "12")
    assert a.additional_tax == D("100.00")
    assert a.outcome is Outcome.CONDITION_NOT_MET


def test_exception_after_59_half_is_not_needed() -> None:
    """At 60 there is no additional tax, whatever the exception."""
    a = assess_early_withdrawal("IRA", 1000, born_aged(60), WHEN, "first_home")
    assert a.additional_tax == 0
    assert a.outcome is Outcome.NOT_NEEDED


# ---------------------------------------------------------------- caps at the limit and $1 over


@pytest.mark.parametrize(
    ("exception", "amount", "kw", "expected"),
    [
        ("first_home", 10000, {}, D("0.00")),
        ("first_home", 10001, {}, D("0.10")),
        ("first_home", 10000, {"prior_use": 4000}, D("400.00")),  # $6,000 left of $10,000
        ("first_home", 5000, {"prior_use": 10000}, D("500.00")),  # limit used up
        ("birth_adoption", 5000, {}, D("0.00")),
        ("birth_adoption", 5001, {}, D("0.10")),
        ("birth_adoption", 10000, {"children": 2}, D("0.00")),  # twins: $5,000 each
        ("birth_adoption", 10001, {"children": 2}, D("0.10")),
        ("emergency", 1000, {}, D("0.00")),
        ("emergency", 1001, {}, D("0.10")),
        ("emergency", 1000, {"prior_use": 1000}, D("100.00")),  # one a calendar year
        ("emergency", 1000, {"vested_balance": 1500}, D("50.00")),  # balance over $1,000: $500
        ("disaster", 22000, {}, D("0.00")),
        ("disaster", 22001, {}, D("0.10")),
        ("domestic_abuse", 10300, {}, D("0.00")),  # 2025 limit $10,300
        ("domestic_abuse", 10301, {}, D("0.10")),
        ("domestic_abuse", 10000, {"vested_balance": 12000}, D("400.00")),  # 50% = $6,000
    ],
)
def test_capped_exceptions(exception: str, amount: int, kw: dict, expected: Decimal) -> None:
    """A capped exception excepts up to its limit; the rest pays 10%."""
    assert tax("Traditional IRA", amount, 40, exception, **kw) == expected


@pytest.mark.parametrize(
    ("year", "amount", "expected"),
    [(2024, 10000, D("0.00")), (2024, 10001, D("0.10")), (2026, 10500, D("0.00"))],
)
def test_domestic_abuse_limit_by_year(year: int, amount: int, expected: Decimal) -> None:
    """The indexed domestic-abuse limit comes from the data file by year."""
    when = date(year, 6, 1)
    got = early_withdrawal_additional_tax(
        "401k", amount, born_aged(40, when), when, "domestic_abuse"
    )
    assert got == expected


def test_domestic_abuse_before_2024_and_after_the_table() -> None:
    """Before 2024 the exception does not exist; after the table the limit is not guessed."""
    when = date(2023, 6, 1)
    assert tax("IRA", 1000, 40, "22", when=when) == D("100.00")
    with pytest.raises(HarvestInputError) as err:
        tax("IRA", 1000, 40, "22", when=date(2027, 6, 1))
    assert err.value.argument == "withdrawal_date"


def test_health_insurance_and_education_limited_to_expenses() -> None:
    """Premiums or education costs below the withdrawal except only themselves."""
    assert tax(IRA, 1000, 40, "education", expenses=600) == D("40.00")
    assert tax(IRA, 1000, 40, "unemployed", expenses=1000) == D("0.00")


def test_medical_needs_expenses_and_agi() -> None:
    """The medical exception without its figures names the missing argument."""
    with pytest.raises(HarvestInputError) as err:
        tax(IRA, 1000, 40, "medical")
    assert err.value.argument == "expenses"
    with pytest.raises(HarvestInputError) as err:
        tax(IRA, 1000, 40, "medical", expenses=100)
    assert err.value.argument == "agi"


def test_medical_below_floor_excepts_nothing() -> None:
    """Medical expenses under 7.5% of AGI except nothing."""
    a = assess_early_withdrawal(IRA, 1000, born_aged(40), WHEN, "05", expenses=750, agi=10000)
    assert a.additional_tax == D("100.00")
    assert a.outcome is Outcome.CONDITION_NOT_MET


# ---------------------------------------------------------------- explanations


def test_explain_wrong_account_says_ignored_and_counts_the_penalty() -> None:
    """The explanation says the exception was ignored and why, with the tax counted."""
    text = explain_penalty("401(k)", 15000, born_aged(35), WHEN, "09")
    assert "ignored" in text
    assert "§72(t)(2)(F)" in text
    assert "$1,500.00" in text


def test_explain_applied_exception() -> None:
    """The explanation names the exception that applied and the Form 5329 lines."""
    text = explain_penalty("IRA", 15000, born_aged(35), WHEN, "first home")
    assert "09 first_home covers $10,000.00" in text
    assert "line 3 $5,000.00" in text


# ---------------------------------------------------------------- parsing and input errors


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01", WithdrawalException.SEPARATION),
        ("1", WithdrawalException.SEPARATION),
        (1, WithdrawalException.SEPARATION),
        (9.0, WithdrawalException.FIRST_HOME),
        ("02", WithdrawalException.SEPP),
        ("03", WithdrawalException.DISABILITY),
        ("04", WithdrawalException.DEATH),
        ("05", WithdrawalException.MEDICAL),
        ("06", WithdrawalException.QDRO),
        ("07", WithdrawalException.HEALTH_INSURANCE),
        ("08", WithdrawalException.EDUCATION),
        ("09", WithdrawalException.FIRST_HOME),
        ("10", WithdrawalException.LEVY),
        ("11", WithdrawalException.RESERVIST),
        ("12", WithdrawalException.AGE_59_HALF),
        ("13", WithdrawalException.GOVERNMENTAL_457B),
        ("15", WithdrawalException.ESOP_DIVIDENDS),
        ("17", WithdrawalException.PHASED_RETIREMENT),
        ("18", WithdrawalException.PERMISSIBLE_WITHDRAWAL),
        ("19", WithdrawalException.BIRTH_ADOPTION),
        ("20", WithdrawalException.TERMINAL_ILLNESS),
        ("21", WithdrawalException.EXCESS_CONTRIBUTION),
        ("22", WithdrawalException.DOMESTIC_ABUSE),
        ("23", WithdrawalException.EMERGENCY),
        ("First-Home", WithdrawalException.FIRST_HOME),
        ("birth or adoption", WithdrawalException.BIRTH_ADOPTION),
        ("Public safety", WithdrawalException.PUBLIC_SAFETY),
        ("unemployed", WithdrawalException.HEALTH_INSURANCE),
        ("disaster", WithdrawalException.DISASTER),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_parse_exception(value: object, expected: WithdrawalException | None) -> None:
    """Form 5329 codes (with or without the leading zero) and readable names."""
    assert parse_exception(value) is expected


@pytest.mark.parametrize("value", ["14", "16", "24", "99", "lottery", 2.5, True])
def test_parse_exception_rejects(value: object) -> None:
    """Unknown codes and names raise an input error naming ``exception``."""
    with pytest.raises(HarvestInputError) as err:
        tax(IRA, 1000, 40, value)
    assert err.value.argument == "exception"


def test_missing_birth_date_names_birth_date() -> None:
    """No birth date: the error names birth_date."""
    with pytest.raises(HarvestInputError) as err:
        early_withdrawal_additional_tax(IRA, 1000, None, WHEN)
    assert err.value.argument == "birth_date"


def test_negative_amount_and_bad_account() -> None:
    """Negative amounts and unknown account types are input errors."""
    with pytest.raises(HarvestInputError) as err:
        tax(IRA, -1, 40)
    assert err.value.argument == "amount"
    with pytest.raises(HarvestInputError) as err:
        tax("savings jar", 1, 40)
    assert err.value.argument == "account_type"


def test_taxable_account_has_no_additional_tax() -> None:
    """A taxable account is not a retirement account: no additional tax."""
    assert tax("Taxable", 1000, 40) == 0


def test_accepts_enum_and_datetime_inputs() -> None:
    """AccountType members and datetimes work like their text/date forms."""
    from datetime import datetime

    got = early_withdrawal_additional_tax(
        AccountType.TRADITIONAL_IRA, D("1000"), datetime(1990, 1, 1, 9), datetime(2025, 6, 1)
    )
    assert got == D("100.00")


def test_parameters_parsed_from_the_data_file() -> None:
    """The cited figures (tax-rules.md §6) arrive from tax-parameters.json as expected."""
    from harvest_xl.engine.withdrawals import withdrawal_params

    p = withdrawal_params()
    assert (p.early_rate, p.simple_rate, p.hsa_rate) == (D("0.10"), D("0.25"), D("0.20"))
    assert (p.age_59_half_years, p.age_59_half_months) == (59, 6)
    assert (p.separation_age, p.public_safety_age, p.public_safety_years_of_service) == (
        55,
        50,
        25,
    )
    assert (p.hsa_exempt_age, p.simple_period_years, p.roth_five_years) == (65, 2, 5)
    assert p.medical_floor == D("0.075")
    assert (p.first_home_cap, p.birth_adoption_cap_per_child, p.emergency_cap) == (
        10000,
        5000,
        1000,
    )
    assert p.disaster_cap == 22000
    assert p.domestic_abuse_caps == {2024: 10000, 2025: 10300, 2026: 10500}
    assert p.domestic_abuse_balance_fraction == D("0.5")
    assert (p.withholding_eligible_rollover, p.withholding_ira_default) == (D("0.20"), D("0.10"))


@pytest.mark.parametrize(
    ("exception", "day_before", "first_day"),
    [
        ("birth_adoption", date(2019, 12, 31), date(2020, 1, 1)),
        ("terminal_illness", date(2022, 12, 29), date(2022, 12, 30)),
        ("emergency", date(2023, 12, 31), date(2024, 1, 1)),
    ],
)
def test_secure_act_exceptions_start_on_their_effective_date(
    exception: str, day_before: date, first_day: date
) -> None:
    """Statute-dated exceptions do not apply to distributions before their effective date."""
    born = date(1980, 1, 1)
    before = early_withdrawal_additional_tax(IRA, 1000, born, day_before, exception)
    after = early_withdrawal_additional_tax(IRA, 1000, born, first_day, exception)
    assert (before, after) == (D("100.00"), D("0.00"))


# ---------------------------------------------------------------- invariants (Hypothesis)

_ACCOUNTS = [t for t in AccountType if t is not AccountType.TAXABLE]
_NAMES = [e.key for e in WithdrawalException if e is not WithdrawalException.MEDICAL]


@settings(max_examples=150, deadline=None)
@given(
    account=st.sampled_from(_ACCOUNTS),
    cents=st.integers(min_value=0, max_value=10_000_000),
    born=st.dates(min_value=date(1950, 1, 1), max_value=date(2000, 12, 31)),
    when=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)),
    exception=st.sampled_from(_NAMES),
)
def test_an_exception_never_raises_the_tax(
    account: AccountType, cents: int, born: date, when: date, exception: str
) -> None:
    """0 ≤ tax with an exception ≤ tax without ≤ 25% of the amount."""
    amount = D(cents) / 100
    kw = {
        "separation_date": date(2024, 1, 1),
        "participation_start": date(2023, 1, 1),
        "rolled_in": amount,
    }
    without = early_withdrawal_additional_tax(account, amount, born, when, None, **kw)
    with_exception = early_withdrawal_additional_tax(account, amount, born, when, exception, **kw)
    cap = (amount * D("0.25")).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert 0 <= with_exception <= without <= cap
