"""Seeded households for the Tax-Calculator comparison: random households 2018-2026
(ages, blindness, Social Security, tax-exempt interest, itemized amounts, gains and
losses) plus households on both sides of each household-return boundary.

Pure data: no engine and no Tax-Calculator call here. Whole dollars; no carryovers (a
Tax-Calculator record has no input for them). Ages are at the end of the tax year and at
least 25 (Tax-Calculator applies the kiddie AMT exemption below 24).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from harvest_xl.engine.models import FilingStatus

SEED = 20261216
YEARS = tuple(range(2018, 2027))
STATUSES = tuple(FilingStatus)


@dataclass(frozen=True)
class HouseholdCase:
    """Inputs of one household return, as both engines take them."""

    year: int
    status: FilingStatus
    age_head: int
    age_spouse: int  # 0 unless joint
    blind_head: int
    blind_spouse: int
    pension: int  # taxable pensions and IRA distributions (ordinary income)
    social_security: int
    tax_exempt_interest: int
    qualified_dividends: int
    st_gain: int
    lt_gain: int
    medical: int
    state_income_tax: int
    real_estate_tax: int
    mortgage_interest: int
    cash_gifts: int
    label: str

    @property
    def key(self) -> str:
        return (
            f"{self.year}/{self.status.value}/age{self.age_head},{self.age_spouse}"
            f"/b{self.blind_head}{self.blind_spouse}/p{self.pension}/ss{self.social_security}"
            f"/tei{self.tax_exempt_interest}/qd{self.qualified_dividends}/st{self.st_gain}"
            f"/lt{self.lt_gain}/med{self.medical}/salt{self.state_income_tax}"
            f"+{self.real_estate_tax}/mi{self.mortgage_interest}/gifts{self.cash_gifts}"
        )


def _maybe(rng: random.Random, chance: float, low: int, high: int) -> int:
    return rng.randint(low, high) if rng.random() < chance else 0


def _log_amount(rng: random.Random, high: int) -> int:
    """An amount spread evenly over orders of magnitude, $0 to ``high``."""
    return int(10 ** rng.uniform(2, len(str(high)) - 1 + 0.3)) if high else 0


def random_case(rng: random.Random, label: str = "random") -> HouseholdCase:
    year = rng.choice(YEARS)
    status = rng.choice(STATUSES)
    joint = status is FilingStatus.MFJ
    itemizer = rng.random() < 0.5
    pension = min(_log_amount(rng, 1_500_000), 1_500_000)
    # cash gifts within the §170(b)(1)(G) 60%-of-AGI ceiling, which the engine takes as
    # already applied (household-return.md §5.5): at most half the pension less a loss
    most_gifts = max(0, (pension - 3_000) // 2)
    return HouseholdCase(
        year=year,
        status=status,
        age_head=rng.choice((rng.randint(25, 64), rng.randint(60, 90))),
        age_spouse=rng.choice((rng.randint(25, 64), rng.randint(60, 90))) if joint else 0,
        blind_head=int(rng.random() < 0.1),
        blind_spouse=int(joint and rng.random() < 0.1),
        pension=pension,
        social_security=_maybe(rng, 0.6, 2_000, 70_000),
        tax_exempt_interest=_maybe(rng, 0.3, 100, 40_000),
        qualified_dividends=_maybe(rng, 0.4, 100, 60_000),
        st_gain=rng.choice((0, rng.randint(-25_000, 40_000))),
        lt_gain=rng.choice((0, rng.randint(-25_000, 250_000))),
        medical=_maybe(rng, 0.3 if itemizer else 0.1, 500, 60_000),
        state_income_tax=_maybe(rng, 0.9 if itemizer else 0.2, 500, 70_000),
        real_estate_tax=_maybe(rng, 0.8 if itemizer else 0.2, 500, 30_000),
        mortgage_interest=_maybe(rng, 0.7 if itemizer else 0.1, 500, 60_000),
        cash_gifts=min(_maybe(rng, 0.6, 50, 40_000), most_gifts),
        label=label,
    )


def _with(base: HouseholdCase, **changes: object) -> HouseholdCase:
    fields = {**base.__dict__, **changes}
    return HouseholdCase(**fields)  # type: ignore[arg-type]


def boundary_cases() -> list[HouseholdCase]:
    """Households one dollar either side of the household boundaries (2025/2026 rules)."""
    plain = HouseholdCase(2026, FilingStatus.SINGLE, 70, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                          0, 0, "")  # fmt: skip
    joint = _with(plain, status=FilingStatus.MFJ, age_spouse=68)
    cases = []
    for year in (2025, 2026):
        for base, start in ((plain, 75_000), (joint, 150_000)):  # senior phase-out start
            for delta in (-1, 0, 1):
                cases.append(_with(base, year=year, pension=start + delta,
                                   label=f"senior phase-out start {delta:+d}"))  # fmt: skip
    for base, base_amount, adjusted in ((plain, 25_000, 34_000), (joint, 32_000, 44_000)):
        for point in (base_amount, adjusted):  # provisional income = pension + half of 30,000
            for delta in (-1, 0, 1):
                cases.append(_with(base, pension=point - 15_000 + delta, social_security=30_000,
                                   label=f"§86 amount {point} {delta:+d}"))  # fmt: skip
    for year, threshold in ((2025, 500_000), (2026, 505_000)):
        for delta in (-1, 0, 1):  # SALT phase-down threshold (the law's, not Tax-Calculator's)
            cases.append(_with(joint, year=year, age_head=50, age_spouse=50,
                               pension=threshold + delta, state_income_tax=45_000,
                               real_estate_tax=15_000, mortgage_interest=25_000,
                               label=f"SALT threshold {delta:+d}"))  # fmt: skip
    for gifts in (999, 1_000, 1_001):  # the 2026 0.5% floor of AGI 200,000
        cases.append(_with(plain, age_head=50, pension=200_000, state_income_tax=20_000,
                           mortgage_interest=10_000, cash_gifts=gifts,
                           label=f"charity floor gifts {gifts}"))  # fmt: skip
    return cases


def household_cases(random_count: int, seed: int = SEED) -> list[HouseholdCase]:
    """The boundary households and ``random_count`` random ones (seeded, reproducible)."""
    rng = random.Random(seed)
    return boundary_cases() + [random_case(rng) for _ in range(random_count)]


def witness_cases() -> list[HouseholdCase]:
    """One household per recorded Tax-Calculator difference, so the default run observes
    each (tests/oracle/taxcalc_differences.json), plus the reference's fixtures it covers."""
    plain = HouseholdCase(2026, FilingStatus.SINGLE, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                          0, 0, "")  # fmt: skip
    qss = FilingStatus.QSS
    mfs = FilingStatus.MFS
    return [
        _with(plain, year=2023, age_head=70, pension=50_000, label="2023 unmarried 65+"),
        _with(plain, year=2022, status=qss, age_head=70, pension=60_000, label="2022 QSS 65+"),
        _with(plain, year=2023, status=qss, age_head=70, pension=60_000, label="2023 QSS 65+"),
        _with(plain, year=2024, status=qss, age_head=70, pension=60_000, label="2024 QSS 65+"),
        _with(plain, year=2023, status=mfs, pension=500_000, label="2023 MFS 37% start"),
        _with(
            plain,
            pension=10_000_000,
            state_income_tax=10_000,
            mortgage_interest=600_000,
            label="2026 §68 beyond the itemized deductions",
        ),  # fmt: skip
        _with(plain, pension=60_000, cash_gifts=1_500, label="CH-2 §170(p)"),
        _with(plain, year=2020, pension=60_000, cash_gifts=500, label="2020 $300 above the line"),
        _with(
            plain,
            status=mfs,
            age_head=70,
            pension=10_000,
            social_security=20_000,
            label="SS-1 MFS living together",
        ),  # fmt: skip
        _with(plain, year=2024, status=mfs, pension=1_000_000, label="MFS AMTI add-back"),
        _with(
            plain,
            qualified_dividends=40_000,
            mortgage_interest=20_000,
            label="equal tax either way",
        ),  # fmt: skip
        _with(plain, age_head=67, pension=30_000, social_security=24_000, label="HH-1"),
        _with(
            plain,
            status=FilingStatus.MFJ,
            age_head=66,
            age_spouse=66,
            pension=150_000,
            lt_gain=10_000,
            label="HH-5",
        ),  # fmt: skip
    ]
