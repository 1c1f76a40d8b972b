"""Every "saving" and "extra tax" in the product is a with/without difference of HX_TAX.

Issue 3: the harvest saving of a lot equals the with/without difference from HX_TAX on the
same profile. Issue 4: the extra income tax of a withdrawal equals the HX_TAX difference with
and without it. Both sides are computed here through the public worksheet functions only, so
the test holds the adapters and the engine to the same number a user could check by hand in
two cells. Profiles have no carryovers (HX_TAX has no carryover arguments) and a state rate of
zero for the federal comparison (the state part is checked separately).
"""

from __future__ import annotations

import datetime as dt

import pytest

from harvest_xl import udfs

PROFILES = [
    # year, status, ordinary income, qualified dividends, realized ST, realized LT
    (2026, "mfj", 185_000, 2_400, 4_200, 9_800),
    (2025, "single", 62_000, 0, 0, 0),  # Tax Table territory
    (2024, "hoh", 98_500, 1_000, -500, 2_000),  # just under the Tax Table limit
    (2026, "mfs", 240_000, 15_000, 30_000, 120_000),  # NIIT and the 20% rate
    (2023, "qss", 40_000, 3_000, 0, 25_000),  # 0% capital-gain bracket
    (2026, "single", 520_000, 0, 0, 600_000),  # AMT-size gains
]


def profile_range(year, status, ordinary, qualified, st, lt, state_rate=0.0):
    return [
        ["Tax year", year],
        ["Filing status", status],
        ["Birth date", dt.date(1982, 3, 14)],
        ["Ordinary income", ordinary],
        ["Qualified dividends", qualified],
        ["Realized short-term gains", st],
        ["Realized long-term gains", lt],
        ["Short-term carryover", 0],
        ["Long-term carryover", 0],
        ["State tax rate", state_rate],
        ["Minimum loss ($)", 0],
        ["Minimum loss (%)", 0],
        ["Employer plan wash-sale policy", "conservative"],
        ["As-of date", dt.date(year, 11, 27)],
    ]


@pytest.mark.parametrize("loss", [100, 2_999, 3_000, 3_001, 17_000, 250_000])
@pytest.mark.parametrize("term,column", [("Short-term", 3), ("Long-term", 4)])
@pytest.mark.parametrize("case", PROFILES, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
def test_harvest_saving_is_the_hx_tax_difference(case, term, column, loss):
    year, status, ordinary, qualified, st, lt = case
    without = udfs.HX_TAX(year, status, ordinary, st, lt, qualified)
    gains = [year, status, ordinary, st, lt, qualified]
    gains[column] -= loss
    with_harvest = udfs.HX_TAX(*gains)
    saving = udfs.HX_SAVING(loss, term, profile_range(*case))
    assert isinstance(without, float) and isinstance(with_harvest, float), (without, with_harvest)
    assert saving == pytest.approx(without - with_harvest, abs=0.005)


def test_state_part_of_the_saving_is_the_rate_on_the_part_deducted_now():
    case = PROFILES[1]  # no gains: only $3,000 of a $10,000 loss is deducted this year
    federal = udfs.HX_SAVING(10_000, "Short-term", profile_range(*case))
    with_state = udfs.HX_SAVING(10_000, "Short-term", profile_range(*case, state_rate=0.05))
    assert with_state - federal == pytest.approx(0.05 * 3_000, abs=0.005)


@pytest.mark.parametrize("amount", [1_000, 20_000, 150_000])
@pytest.mark.parametrize("case", PROFILES, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
def test_withdrawal_extra_income_tax_is_the_hx_tax_difference(case, amount):
    year, status, ordinary, qualified, st, lt = case
    without = udfs.HX_TAX(year, status, ordinary, st, lt, qualified)
    with_withdrawal = udfs.HX_TAX(year, status, ordinary + amount, st, lt, qualified)
    column = udfs.HX_WITHDRAWAL_COST(
        "401k", amount, dt.date(1982, 3, 14), dt.date(year, 6, 15), profile_range(*case)
    )
    extra_income_tax, additional_tax = column[0][0], column[1][0]
    assert isinstance(extra_income_tax, float), column
    assert extra_income_tax == pytest.approx(with_withdrawal - without, abs=0.005)
    assert additional_tax == pytest.approx(0.10 * amount, abs=0.005)  # under 59½, no exception
