"""Ages and periods counted in calendar months, the way the withdrawal rules count them.

Conventions (pinned by tests in ``tests/engine/test_ages.py``):

* **Calendar months.** ``add_calendar_months(d, n)`` keeps the day of the month; when the
  target month is shorter, it is the **last day of that month** (Aug 31 + 6 months =
  Feb 28, or Feb 29 in a leap year). This follows the way Treas. Reg. §1.401(a)(9)-2
  (pre-2020 text) counted the half-year age 70½ — "six calendar months after the 70th
  anniversary", with its example born June 30 → 70½ on Dec 30 (the day of the month is
  kept, not moved to the month end) — completed for short months the way Excel's ``EDATE``
  completes it, so a user can check any date in the workbook.
* **Anniversaries.** The n-th anniversary of a Feb 29 date in a common year is Feb 28 (the
  same month-end rule).
* **Age 59½** is reached on the date six calendar months after the 59th birthday
  (tax-rules.md §6.1): born Aug 31, 1966 → 59th birthday Aug 31, 2025 → 59½ on
  **Feb 28, 2026**; born Feb 29, 1968 → 59th birthday Feb 28, 2027 → 59½ on Aug 28, 2027.
  A withdrawal on that date is made "on or after" it (§72(t)(2)(A)(i)) and is not penalised.
  The other reading of a short month (Mar 1 instead of Feb 28) would move the date by one
  to three days; harvest-xl uses the month end, and says so.
* **HSA age 65** (§223(f)(4)(C)) refers to Social Security Act §1811, and the Social
  Security rule is that a person attains an age on the day *before* the birthday
  (20 CFR §404.102). The exception covers payments *after* that date, so the first
  penalty-free day is the 65th birthday itself (Feb 28 in a common year for a Feb 29
  birth, by the anniversary rule above).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

MONTHS_PER_YEAR = 12
_SHORTEST_MONTH = 28  # every month has at least this many days (calendar fact)


def add_calendar_months(start: date, months: int) -> date:
    """``start`` moved by ``months`` calendar months, clamped to the end of a short month.

    Authority: calendar-month reckoning of Treas. Reg. §1.401(a)(9)-2 (see module doc).
    """
    index = start.year * MONTHS_PER_YEAR + (start.month - 1) + months
    year, month0 = divmod(index, MONTHS_PER_YEAR)
    month = month0 + 1
    day = start.day
    if day > _SHORTEST_MONTH:
        day = min(day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def anniversary(start: date, years: int) -> date:
    """The ``years``-th anniversary of ``start`` (Feb 29 → Feb 28 in a common year)."""
    return add_calendar_months(start, years * MONTHS_PER_YEAR)


def date_reaching_age(birth_date: date, years: int, months: int = 0) -> date:
    """The date a person born on ``birth_date`` reaches ``years`` years and ``months`` months.

    The birthday first, then the extra calendar months (tax-rules.md §6.1: "six calendar
    months after the 59th birthday").

    Authority: IRC §72(t)(2)(A)(i); Treas. Reg. §1.401(a)(9)-2 (half-year ages); tax-rules.md §6.1.
    """
    return add_calendar_months(anniversary(birth_date, years), months)


def year_reaching_age(birth_date: date, years: int) -> int:
    """The calendar year in which a person born on ``birth_date`` turns ``years``.

    Authority: Notice 87-13, Q&A-20; Form 5329 instructions, exception 01 (separation "in or
    after the year you reach 55").
    """
    return birth_date.year + years


def first_day_after_ssa_age(birth_date: date, years: int) -> date:
    """The first day *after* the day a person attains ``years`` under the Social Security rule.

    Social Security attains an age on the day before the birthday, so the first day after
    it is the birthday itself (Feb 28 in a common year for a Feb 29 birth).

    Authority: IRC §223(f)(4)(C) (payments "after the date on which the account
    beneficiary attains the age specified in section 1811 of the Social Security Act");
    20 CFR §404.102.
    """
    return anniversary(birth_date, years)


def aged_at_year_end(birth_date: date, tax_year: int, age: int, died: date | None = None) -> bool:
    """Whether a person has attained ``age`` before the close of ``tax_year``.

    A person is considered to reach an age on the day *before* the birthday, so someone
    born on January 1 is 65 on December 31 of the year before the 65th birthday (born
    before January 2, 1962 → 65 for 2026). A person who dies before that day never
    attains the age, even though the year closes after the birthday would have been.
    (A February 29 birth reaches the age on February 27 of a common year by the
    anniversary rule above; only the calendar year matters here, so the same answer.)

    Authority: IRC §63(f)(1)(A), §151(d)(5)(C)(ii) ("has attained age 65 before the close
    of his taxable year"); Pub. 501 ("You are considered 65 on the day before your 65th
    birthday"); IRS VITA Link & Learn, Age and Blindness (the "Armando" example: death
    before the 65th birthday does not qualify); household-return.md §2.3.
    """
    reached = anniversary(birth_date, age) - timedelta(days=1)
    if reached > date(tax_year, 12, 31):
        return False
    return died is None or died >= reached
