"""Calendar-month arithmetic and the ages the withdrawal rules use (conventions in ages.py)."""

from __future__ import annotations

from datetime import date

import pytest

from harvest_xl.engine.ages import (
    add_calendar_months,
    anniversary,
    first_day_after_ssa_age,
    year_reaching_age,
)
from harvest_xl.engine.withdrawals import date_reaching_59_half, hsa_penalty_free_from


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 15), 6, date(2025, 7, 15)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # short month: its last day
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 7, 15), -6, date(2025, 1, 15)),
    ],
)
def test_add_calendar_months(start: date, months: int, expected: date) -> None:
    """Day of month kept; a short target month gives its last day (like Excel's EDATE)."""
    assert add_calendar_months(start, months) == expected


def test_anniversary_of_feb_29_in_common_year_is_feb_28() -> None:
    """The anniversary of a Feb 29 date in a common year is Feb 28."""
    assert anniversary(date(1968, 2, 29), 59) == date(2027, 2, 28)
    assert anniversary(date(1968, 2, 29), 60) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        # Reg. §1.401(a)(9)-2 style: the day of the month is kept.
        (date(1966, 6, 30), date(2025, 12, 30)),
        (date(1966, 1, 15), date(2025, 7, 15)),
        # Month-end convention: Aug 31 -> Feb 28 (common year) / Feb 29 (leap year).
        (date(1966, 8, 31), date(2026, 2, 28)),
        (date(1968, 8, 31), date(2028, 2, 29)),
        # Feb 29 birth: 59th birthday Feb 28 (common year), then six months.
        (date(1968, 2, 29), date(2027, 8, 28)),
        # Born on Dec 31: six months later is June 30 of the next year.
        (date(1965, 12, 31), date(2025, 6, 30)),
    ],
)
def test_date_reaching_59_half(birth: date, expected: date) -> None:
    """Age 59½ is six calendar months after the 59th birthday, month ends clamped."""
    assert date_reaching_59_half(birth) == expected


def test_hsa_penalty_free_from_the_65th_birthday() -> None:
    """The HSA 20% stops on the 65th birthday (the day after SSA attainment)."""
    assert hsa_penalty_free_from(date(1960, 7, 4)) == date(2025, 7, 4)
    assert first_day_after_ssa_age(date(1960, 2, 29), 65) == date(2025, 2, 28)


def test_year_reaching_age_is_the_calendar_year() -> None:
    """Someone born on Dec 31, 1970 reaches 55 in calendar year 2025."""
    assert year_reaching_age(date(1970, 12, 31), 55) == 2025
