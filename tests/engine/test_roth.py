"""Roth IRA ordering and qualified distributions; designated Roth (Roth 401(k)) pro rata.

Fixtures EW-5, EW-6, EW-7 (tax-rules.md §8.3) and DR-1, DR-2 (Reg. §1.402A-1, §8.4);
other expected values are derived by hand in the comments.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.roth import (
    Conversion,
    designated_roth_distribution,
    roth_ira_distribution,
)

D = Decimal


def test_ew_5_contributions_come_out_first() -> None:
    """EW-5: $65,000 of contributions; $22,000 at 41 is tax-free, $70,000 → $5,000 + $500."""
    born = date(1984, 1, 1)
    r = roth_ira_distribution(22000, 65000, birth_date=born, withdrawal_date=date(2025, 6, 1))
    assert (r.taxable, r.additional_tax) == (0, 0)
    r = roth_ira_distribution(70000, 65000, birth_date=born, withdrawal_date=date(2025, 6, 1))
    assert r.from_contributions == 65000
    assert r.taxable == D("5000")
    assert r.additional_tax == D("500.00")


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (date(2026, 6, 1), D("1000.00")),  # EW-6: inside the conversion's 5 years
        (date(2027, 12, 31), D("1000.00")),  # last day of the fifth taxable year
        (date(2028, 1, 1), D("0")),  # first day after the 5-year period
        (date(2028, 6, 1), D("0")),  # EW-6: the same withdrawal in 2028
    ],
)
def test_ew_6_conversion_five_year_clock(when: date, expected: Decimal) -> None:
    """EW-6: $40,000 converted (taxable) in 2023; $10,000 at 50 pays 10% through 2027."""
    r = roth_ira_distribution(
        10000, 0, [(2023, 40000, 0)], birth_date=date(1975, 1, 1), withdrawal_date=when
    )
    assert r.taxable == 0
    assert r.additional_tax == expected


def test_ordering_conversions_oldest_first_taxable_part_first() -> None:
    """Contributions, then the 2021 conversion, then 2022's taxable part before its rest."""
    r = roth_ira_distribution(
        10500,
        5000,
        [Conversion(2022, D(3000), D(1000)), (2021, 2000)],
        D(50000),
        birth_date=date(1980, 1, 1),
        withdrawal_date=date(2025, 6, 1),
    )
    assert r.from_contributions == 5000
    assert [(c.year, c.taxable, c.nontaxable, c.within_five_years) for c in r.from_conversions] == [
        (2021, 2000, 0, True),
        (2022, 3000, 500, True),
    ]
    assert r.from_earnings == 0
    assert r.taxable == 0
    # 10% on the taxable conversion amounts inside their 5 years: 2,000 + 3,000.
    assert r.early_distribution == D("5000")
    assert r.additional_tax == D("500.00")


@pytest.mark.parametrize(
    ("when", "taxable"),
    [(date(2024, 12, 31), D("4000")), (date(2025, 1, 1), D("0"))],
)
def test_roth_ira_fifth_year_qualified_boundary(when: date, taxable: Decimal) -> None:
    """First contribution 2020: qualified from Jan 1, 2025 at 60; before it earnings are taxed."""
    r = roth_ira_distribution(
        10000,
        6000,
        earnings=10000,
        birth_date=date(1964, 1, 1),
        withdrawal_date=when,
        first_contribution_year=2020,
    )
    assert r.taxable == taxable
    assert r.additional_tax == 0  # 59½ or older either way


def test_roth_ira_death_without_five_years_taxes_earnings_only() -> None:
    """Death before the 5 years: earnings taxable, but no 10% (§72(t)(2)(A)(ii))."""
    r = roth_ira_distribution(
        8000,
        5000,
        birth_date=date(1980, 1, 1),
        withdrawal_date=date(2025, 6, 1),
        first_contribution_year=2022,
        exception="death",
    )
    assert (r.taxable, r.additional_tax) == (D("3000"), D("0.00"))


def test_roth_ira_first_home_qualified_up_to_the_limit() -> None:
    """First home after 5 years: $10,000 qualified; the other $5,000 of earnings taxed + 10%."""
    r = roth_ira_distribution(
        15000,
        0,
        birth_date=date(1985, 1, 1),
        withdrawal_date=date(2025, 6, 1),
        first_contribution_year=2015,
        exception="first_home",
    )
    assert r.qualified == D("10000")
    assert r.taxable == D("5000")
    assert r.additional_tax == D("500.00")


def test_roth_ira_first_home_before_five_years_uses_72t_exception() -> None:
    """First home within 5 years: not qualified; the 72(t) first-home cap excepts $10,000."""
    r = roth_ira_distribution(
        15000,
        0,
        birth_date=date(1985, 1, 1),
        withdrawal_date=date(2025, 6, 1),
        first_contribution_year=2022,
        exception="09",
    )
    assert r.qualified == 0
    assert r.taxable == D("15000")
    assert r.additional_tax == D("500.00")


def test_roth_ira_needs_first_contribution_year_when_it_matters() -> None:
    """At 60 qualification depends on the 5-year clock: its year is required."""
    with pytest.raises(HarvestInputError) as err:
        roth_ira_distribution(
            1000, 0, birth_date=date(1964, 1, 1), withdrawal_date=date(2025, 6, 1)
        )
    assert err.value.argument == "first_contribution_year"


def test_roth_ira_amount_over_balance() -> None:
    """Withdrawing more than the account holds is an input error."""
    with pytest.raises(HarvestInputError) as err:
        roth_ira_distribution(
            1001, 500, [(2020, 200, 0)], 300,
            birth_date=date(1980, 1, 1), withdrawal_date=date(2025, 6, 1),
        )  # fmt: skip
    assert err.value.argument == "amount"


# ---------------------------------------------------------------- designated Roth (§402A)


def test_dr_1_pro_rata_basis_recovery() -> None:
    """DR-1 / EW-7: $12,000 of $21,850 basis + $1,150 income: $11,400 basis, $600 income, $60."""
    d = designated_roth_distribution(
        12000, 21850, 23000, birth_date=date(1975, 1, 1), withdrawal_date=date(2025, 6, 1)
    )
    assert d.basis_recovered == D("11400")
    assert d.income == D("600")
    assert (d.basis_after, d.income_after) == (D("10450"), D("550"))
    assert d.includible == D("600")
    assert d.additional_tax == D("60.00")


def test_dr_2_rollover_is_income_first() -> None:
    """DR-2: $14,000 ($11,000 basis / $3,000 income), $7,000 rolled over: $0 includible."""
    d = designated_roth_distribution(
        14000,
        11000,
        14000,
        rolled_over=7000,
        birth_date=date(1975, 1, 1),
        withdrawal_date=date(2025, 6, 1),
    )
    assert d.income == D("3000")
    assert d.includible == 0
    assert d.additional_tax == 0


@pytest.mark.parametrize(
    ("when", "includible"),
    [(date(2024, 12, 31), D("600")), (date(2025, 1, 1), D("0"))],
)
def test_designated_roth_fifth_year_boundary(when: date, includible: Decimal) -> None:
    """First Roth deferral to the plan in 2020, age 60: qualified from Jan 1, 2025."""
    d = designated_roth_distribution(
        12000,
        21850,
        23000,
        birth_date=date(1964, 1, 1),
        withdrawal_date=when,
        first_contribution_year=2020,
    )
    assert d.qualified is (includible == 0)
    assert d.includible == includible
    assert d.additional_tax == 0


def test_designated_roth_has_no_first_home_prong() -> None:
    """§402A(d)(2)(A): no first-home qualified distribution; the IRA-only exception ignored."""
    d = designated_roth_distribution(
        12000,
        21850,
        23000,
        birth_date=date(1985, 1, 1),
        withdrawal_date=date(2025, 6, 1),
        first_contribution_year=2010,
        exception="first_home",
    )
    assert d.qualified is False
    assert d.includible == D("600")
    assert d.additional_tax == D("60.00")


def test_conversion_rows_from_a_worksheet_range() -> None:
    """Rows as Excel gives them: float years, a blank row, a two-cell row."""
    rows = [[2023.0, 40000.0, 0.0], [None, None, None], (2024, 1000)]
    r = roth_ira_distribution(
        10000, 0, rows, birth_date=date(1975, 1, 1), withdrawal_date=date(2026, 6, 1)
    )
    assert [c.year for c in r.from_conversions] == [2023, 2024]
    assert r.additional_tax == D("1000.00")


@pytest.mark.parametrize("row", [(2023.5, 100, 0), ("x", 100, 0), (2023, -1, 0), (2023,)])
def test_bad_conversion_rows(row: tuple) -> None:
    """A non-year, a negative amount or a short row is an input error naming conversions."""
    with pytest.raises(HarvestInputError) as err:
        roth_ira_distribution(
            100, 0, [row], birth_date=date(1975, 1, 1), withdrawal_date=date(2026, 6, 1)
        )
    assert err.value.argument == "conversions"
