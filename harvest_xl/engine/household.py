"""The whole household's return, from a Profile: the one return every saving and
withdrawal cost is measured on (issue 16).

The Profile's birth dates give the §63(f) boxes and the seniors of §151(d)(5)(C); its
blind count adds §63(f) boxes; its Social Security, tax-exempt interest and Schedule A
amounts go into the return as they are. :func:`household_tax` and
:func:`household_tax_difference` add extra ordinary income or short-/long-term gain
(negative = loss) and recompute the whole return (household-return.md §1: with and
without, every step, including the choice to itemize).
"""

from __future__ import annotations

from decimal import Decimal

from harvest_xl.engine.ages import aged_at_year_end
from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.schedule import tax_schedule
from harvest_xl.engine.tax import TaxDelta, TaxResult, TaxReturn, federal_tax, tax_difference

ZERO = Decimal(0)
BLIND_KEY = "Blind (people)"


def people_on_return(filing_status: FilingStatus) -> int:
    """The people whose age and blindness count on the return: both spouses on a joint
    return, otherwise the taxpayer alone (a separate filer's spouse counts only with an
    exemption for the spouse under §151(b), which the Profile does not model).

    Authority: IRC §63(f)(1), (2); Pub. 501; household-return.md §2.1.
    """
    return 2 if filing_status is FilingStatus.MFJ else 1


def household_return(profile: Profile) -> TaxReturn:
    """The :class:`TaxReturn` of the Profile's household.

    Everyone on the return is taken to have a valid SSN (§151(d)(5)(C)(iv)); a separate
    filer is taken to have lived with the spouse (§86(c)(1)(C)) and the spouse not to
    itemize. No medical expenses: the Profile has no key for them.

    Raises:
        HarvestInputError: ``Blind (people)`` is negative or more than the people on
        the return (2 on a joint return, else 1).

    Authority: IRC §§63(f), 86, 151(d)(5)(C); household-return.md §§2-5.
    """
    year, status = profile.tax_year, profile.filing_status
    s = tax_schedule(year, status)
    people = people_on_return(status)
    blind = profile.blind_people
    if not 0 <= blind <= people:
        raise HarvestInputError(
            BLIND_KEY, f"{blind} is not between 0 and {people} (the people on the return)"
        )
    aged = 0
    if profile.birth_date is not None and aged_at_year_end(profile.birth_date, year, s.aged_age):
        aged += 1
    spouse = profile.spouse_birth_date
    if people == 2 and spouse is not None and aged_at_year_end(spouse, year, s.aged_age):
        aged += 1
    return TaxReturn(
        year=year,
        filing_status=status,
        ordinary_income=profile.ordinary_income,
        st_gain=profile.realized_st,
        lt_gain=profile.realized_lt,
        qualified_dividends=profile.qualified_dividends,
        st_carryover=profile.st_carryover,
        lt_carryover=profile.lt_carryover,
        aged_or_blind=aged + blind,
        seniors=aged,
        social_security=profile.social_security,
        tax_exempt_interest=profile.tax_exempt_interest,
        state_local_taxes=profile.state_local_taxes,
        mortgage_interest=profile.mortgage_interest,
        charitable_gifts=profile.charitable_gifts,
        other_itemized=profile.other_itemized,
    )


def household_tax(
    profile: Profile,
    extra_ordinary: Decimal = ZERO,
    extra_st: Decimal = ZERO,
    extra_lt: Decimal = ZERO,
) -> TaxResult:
    """Federal income tax (regular + AMT) + NIIT of the Profile's household, with extra
    ordinary income and short-/long-term gain added (negative = a loss). What
    HX_PROFILE_TAX returns (as ``.total``).

    Authority: household-return.md §1; tax-rules.md §2.6.
    """
    ret = household_return(profile)
    if not (extra_ordinary or extra_st or extra_lt):
        return federal_tax(ret)
    return tax_difference(ret, extra_st, extra_lt, extra_ordinary).with_


def household_tax_difference(
    profile: Profile,
    extra_ordinary: Decimal = ZERO,
    extra_st: Decimal = ZERO,
    extra_lt: Decimal = ZERO,
) -> TaxDelta:
    """The household's tax without and with the extra amounts; ``change`` = with - without
    (a harvest's federal saving is ``-change``).

    Authority: tax-rules.md §2.6 (with/without method); household-return.md §1.
    """
    return tax_difference(household_return(profile), extra_st, extra_lt, extra_ordinary)
