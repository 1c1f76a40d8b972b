"""The realized year: the tax year's sales in Activity, as Form 8949 and Schedule D report
them and as every saving counts them.

One computation, two uses, both over the ledger's realized blocks and :func:`form8949_rows`:

* :func:`realized_year`: the Form 8949 rows of the Profile's tax year and the Schedule D
  they total to, with the Profile's carryovers and, when the Profile counts Activity's
  sales, its realized amounts outside Activity. The Form 8949 sheet, the Summary, the
  ``form8949`` command, ``HX_FORM8949`` and the Python API show this.
* :func:`with_activity_sales`: the Profile every saving is computed against. When its
  ``count_activity_sales`` is set, its realized gains plus Activity's realized gains and
  losses of the tax year (column (h): after wash-sale disallowance); otherwise the Profile
  as typed. The evaluation builds it once, before any saving
  (:func:`harvest_xl.engine.portfolio.lot_context`), so the harvest decision, the Plan and
  the Summary all see the same return.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from harvest_xl.engine.form8949 import BasisReporting, Box, Form8949Result, form8949_rows
from harvest_xl.engine.models import FilingStatus
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.realized_block import RealizedBlock
from harvest_xl.engine.realized_schedule_d import (
    ScheduleDReport,
    schedule_d_line_totals,
    schedule_d_report,
)
from harvest_xl.engine.wash_sale import WashSaleResult

ZERO = Decimal(0)
_SHORT_BOXES = (Box.A, Box.B, Box.C)
_LONG_BOXES = (Box.D, Box.E, Box.F)


@dataclass(frozen=True, slots=True)
class RealizedYear:
    """The tax year's Form 8949 rows (with the issues the user must see) and Schedule D."""

    form8949: Form8949Result
    schedule_d: ScheduleDReport


def on_joint_return(filing_status: FilingStatus) -> bool:
    """Whether a spouse's sales belong on this return: only on a joint return.

    Authority: IRC §6013(d)(3) (a joint return's tax is computed on the spouses' aggregate
    income).
    """
    return filing_status is FilingStatus.MFJ


def activity_realized(
    blocks: Iterable[RealizedBlock], year: int, *, joint_return: bool
) -> tuple[Decimal, Decimal]:
    """Activity's net short-term and long-term gain or loss of ``year``: the Form 8949
    column (h) totals of Part I and Part II (rows of unknown basis count in neither).

    Authority: Schedule D (2025) lines 1b-3 and 8b-10, column (h); IRC §1091(a).
    """
    rows = form8949_rows(blocks, year, activity_through=date.max, joint_return=joint_return)
    lines, _unknown = schedule_d_line_totals(rows.rows)
    short = sum((lines[box].gain_or_loss for box in _SHORT_BOXES), ZERO)
    long = sum((lines[box].gain_or_loss for box in _LONG_BOXES), ZERO)
    return short, long


def with_activity_sales(profile: Profile, blocks: Iterable[RealizedBlock]) -> Profile:
    """The Profile the savings are computed against: with ``count_activity_sales``, its
    realized gains plus Activity's of the tax year (:func:`activity_realized`); otherwise
    ``profile`` itself, unchanged.

    Authority: IRC §1222 (the year's net gains); §1091(a) (a disallowed loss is no loss);
    tax-rules.md §2.6 (a saving is the tax without minus with, on the whole return).
    """
    if not profile.count_activity_sales:
        return profile
    short, long = activity_realized(
        blocks, profile.tax_year, joint_return=on_joint_return(profile.filing_status)
    )
    if not short and not long:
        return profile
    return replace(
        profile, realized_st=profile.realized_st + short, realized_lt=profile.realized_lt + long
    )


def counting_activity_sales(profile: Profile, wash: WashSaleResult) -> Profile:
    """:func:`with_activity_sales` of the sales ``wash`` analysed in the Profile's tax year;
    their blocks are built only when the Profile counts Activity's sales.

    Authority: as :func:`with_activity_sales`.
    """
    if not profile.count_activity_sales:
        return profile
    first, last = date(profile.tax_year, 1, 1), date(profile.tax_year, 12, 31)
    return with_activity_sales(profile, wash.realized_between(first, last))


def realized_year(
    blocks: Iterable[RealizedBlock],
    profile: Profile,
    *,
    activity_through: date,
    reporting: Mapping[str, BasisReporting] | None = None,
    fund_tickers: Collection[str] = (),
    taxable_income: Decimal | None = None,
    whole_dollars: bool = False,
) -> RealizedYear:
    """The Form 8949 rows of the Profile's tax year and its Schedule D.

    Schedule D counts the rows, the Profile's carryovers and, when the Profile counts
    Activity's sales, its realized gains as gains outside Form 8949 (then they are those
    outside Activity; otherwise they overlap the rows and are left out). ``taxable_income``
    (Form 1040 line 15 without its floor) gives the carryover worksheet; the other
    arguments are :func:`form8949_rows`'.

    Authority: as :func:`form8949_rows` and :func:`schedule_d_report`.
    """
    year = profile.tax_year
    status = profile.filing_status
    form = form8949_rows(
        blocks,
        year,
        activity_through=activity_through,
        reporting=reporting,
        fund_tickers=fund_tickers,
        joint_return=on_joint_return(status),
        whole_dollars=whole_dollars,
    )
    counts = profile.count_activity_sales
    report = schedule_d_report(
        form.rows,
        filing_status=status,
        year=year,
        st_carryover=profile.st_carryover,
        lt_carryover=profile.lt_carryover,
        taxable_income=taxable_income,
        other_st=profile.realized_st if counts else ZERO,
        other_lt=profile.realized_lt if counts else ZERO,
    )
    return RealizedYear(form, report)
