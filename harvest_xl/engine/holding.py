"""Holding period: short-term or long-term, when a lot turns long-term, and tacking.

Convention (tax-rules.md §1.2 and §9 item 7): the *anniversary reading*. The holding
period starts the day after the trade date and includes the sale date (Rev. Rul. 70-598,
Rev. Rul. 66-97), and is counted in calendar years, not days (Caspe v. United States,
694 F.2d 1116). A lot is long-term when it is sold *after* its anniversary: the same
month and day one year later. The anniversary of a Feb 29 purchase is Feb 28 (the
year that starts on Mar 1 ends on Feb 28), so such a lot is long-term from Mar 1.
A lot bought on Feb 28 of a common year and sold on Feb 29 of a leap year (HP-5) is
long-term under this reading; a month-end reading would say short-term. No authority
decides that case; this module pins the anniversary reading and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import Term
from harvest_xl.engine.params import penalty_parameter

ONE_DAY = timedelta(days=1)

_LONG_TERM_YEARS: int = int(penalty_parameter("long_term_holding_period_years"))
"""A lot held more than this many years is long-term (IRC §1222(3)), from the parameter file."""


def anniversary(acquired: date) -> date:
    """The last day of the first holding year: same month and day a year on (Feb 29 -> Feb 28).

    Authority: IRC §1222(3); Rev. Rul. 70-598 (exclude the first day, include the last
    day of a period of years); tax-rules.md §1.2 (anniversary reading).
    """
    year = acquired.year + _LONG_TERM_YEARS
    try:
        return acquired.replace(year=year)
    except ValueError:  # Feb 29 in a year without one: the year ends on Feb 28.
        return date(year, acquired.month, acquired.day - 1)


def long_term_date(acquired: date) -> date:
    """The first sale date on which a lot acquired on ``acquired`` is long-term.

    Authority: IRC §1222(3)-(4) ("more than 1 year"); tax-rules.md §1.2, §8.7.
    """
    return anniversary(acquired) + ONE_DAY


def holding_term(acquired: date, sold: date) -> Term:
    """Short- or long-term for a sale on ``sold`` of a lot acquired on ``acquired``.

    Authority: IRC §1222(1)-(4); Rev. Rul. 66-97; Rev. Rul. 70-598; tax-rules.md §1.2.

    Raises:
        HarvestInputError: the sale date is before the acquisition date.
    """
    if sold < acquired:
        raise _sold_before_acquired(acquired, sold)
    return _term_after(anniversary(acquired), sold)


def days_until_long_term(acquired: date, as_of: date) -> int:
    """Days from ``as_of`` until a sale would be long-term (0 when it already is).

    Authority: IRC §1222(3)-(4); tax-rules.md §1.2.
    """
    return _days_until_long_term(anniversary(acquired), as_of)


def holding_facts(acquired: date, as_of: date) -> tuple[Term, int]:
    """``holding_term`` and ``days_until_long_term`` of a sale on ``as_of``, from one
    anniversary (the table pass asks both for every acquisition date).

    Authority: IRC §1222(1)-(4); Rev. Rul. 66-97; Rev. Rul. 70-598; tax-rules.md §1.2.

    Raises:
        HarvestInputError: the sale date is before the acquisition date.
    """
    if as_of < acquired:
        raise _sold_before_acquired(acquired, as_of)
    last = anniversary(acquired)
    return _term_after(last, as_of), _days_until_long_term(last, as_of)


def _sold_before_acquired(acquired: date, sold: date) -> HarvestInputError:
    return HarvestInputError(
        "as_of", f"{sold.isoformat()} is before acquired {acquired.isoformat()}"
    )


def _term_after(last_day: date, sold: date) -> Term:
    """Long-term when sold after the last day of the first holding year."""
    return Term.LONG if sold > last_day else Term.SHORT


def _days_until_long_term(last_day: date, as_of: date) -> int:
    return max(0, (last_day + ONE_DAY - as_of).days)


@dataclass(frozen=True, slots=True)
class TackedHolding:
    """A wash-sale replacement's holding period, with the facts that produced it.

    The sold shares were held from the day after ``sold_holding_start`` through
    ``sale_date``: their own purchase date or, when they were themselves a replacement,
    the date already tacked onto them (so a chain of wash sales carries every earlier
    period). ``holding_start`` is the replacement's ``replacement_date`` moved back by
    those days: the date the replacement counts as held from (realized-year.md §1.6,
    the ``add_days`` convention). The three facts are kept so the user can audit the
    result (tax-rules.md §1.2).
    """

    sold_holding_start: date
    sale_date: date
    replacement_date: date
    holding_start: date


def tacked_holding(
    sold_holding_start: date, sale_date: date, replacement_date: date
) -> TackedHolding:
    """Holding period of a wash-sale replacement, including the sold shares' period.

    ``add_days``: the days the sold shares were held (the day after
    ``sold_holding_start`` through ``sale_date``) are added in front of the replacement's
    own period, counted from ``replacement_date``. A replacement bought before the sale
    counts the overlapping days twice, as the convention does (realized-year.md §4 item 2).

    Authority: IRC §1223(3); IRC §1091(d); tax-rules.md §3.5; realized-year.md §1.6.
    """
    start = tacked_start(sold_holding_start, sale_date, replacement_date)
    return TackedHolding(sold_holding_start, sale_date, replacement_date, start)


def tacked_start(sold_holding_start: date, sale_date: date, replacement_date: date) -> date:
    """The holding start of :func:`tacked_holding` alone (the ledger keeps only this date
    per replacement run; the record with its facts is built when a match is read).

    Authority: IRC §1223(3); IRC §1091(d); tax-rules.md §3.5; realized-year.md §1.6.
    """
    return replacement_date - (sale_date - sold_holding_start)
