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

from datetime import date, timedelta
from typing import NamedTuple

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import Term
from harvest_xl.engine.params import penalty_parameter
from harvest_xl.engine.records import maker, strict_equality

ONE_DAY = timedelta(days=1)

_LONG_TERM_YEARS: int = int(penalty_parameter("long_term_holding_period_years"))
"""A lot held more than this many years is long-term (IRC §1222(3)). Read from the parameter
file once, at import: every HX_TERM and HX_HARVEST call computes an anniversary."""

# Enum members as module constants: ``Term.LONG`` is a class-attribute lookup through the
# enum metaclass, several times the cost of a global, on a per-cell path.
_LONG = Term.LONG
_SHORT = Term.SHORT


def anniversary(acquired: date) -> date:
    """The last day of the first holding year: same month and day a year on (Feb 29 -> Feb 28).

    Authority: IRC §1222(3); Rev. Rul. 70-598 (exclude the first day, include the last
    day of a period of years); tax-rules.md §1.2 (anniversary reading).
    """
    year = acquired.year + _LONG_TERM_YEARS
    try:
        return acquired.replace(year)  # positional: parsing the keyword costs more
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
    return _LONG if sold > anniversary(acquired) else _SHORT  # _term_after, written out


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
    return _LONG if sold > last_day else _SHORT


def _days_until_long_term(last_day: date, as_of: date) -> int:
    return max(0, (last_day + ONE_DAY - as_of).days)


@strict_equality
class TackedHolding(NamedTuple):
    """A wash-sale replacement's holding period, with the facts that produced it.

    ``effective_acquired`` is the date from which the replacement counts as held:
    its own purchase date moved back by the days the sold shares were held.

    A record (harvest_xl.engine.records): a table-level run makes one per wash sale that
    adjusts a basis (3,350 on the benchmark).
    """

    original_acquired: date
    sale_date: date
    replacement_date: date
    effective_acquired: date


_new_tacked = maker(TackedHolding)


def tacked_holding(
    original_acquired: date, sale_date: date, replacement_date: date
) -> TackedHolding:
    """Holding period of a wash-sale replacement, including the sold shares' period.

    The sold shares were held from the day after ``original_acquired`` through
    ``sale_date``; that many days are added in front of the replacement's own period.
    The three dates are kept so the user can audit the result (tax-rules.md §1.2).

    Authority: IRC §1223(3); IRC §1091(d); tax-rules.md §3.5.
    """
    held = sale_date - original_acquired
    effective = replacement_date - held
    return _new_tacked((original_acquired, sale_date, replacement_date, effective))
