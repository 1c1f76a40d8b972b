"""harvest-xl for people who script rather than click.

The same engine the workbook and the Excel functions use, called with its own records
(:class:`Profile`, :class:`Account`, :class:`Lot`, :class:`Activity`, :class:`Recurring`,
:class:`Security`) or with rows keyed by the workbook's column headers, and returning typed
results: Decimals, dates, enums and frozen records. A bad value raises
:class:`HarvestInputError` naming the field, with the words the workbook uses::

    from datetime import date
    from decimal import Decimal
    from harvest_xl import api

    profile = api.Profile(tax_year=2026, filing_status="mfj", ordinary_income=Decimal(150000),
                          state_rate=Decimal("0.05"), as_of=date(2026, 11, 27))
    brokerage = api.Account("Brokerage", api.AccountType.TAXABLE)
    lot = api.Lot("Brokerage", api.AccountType.TAXABLE, "VXUS", Decimal(100),
                  date(2025, 3, 3), Decimal(6500), Decimal(55), date(2026, 11, 27))
    result = api.evaluate(profile, [lot], accounts=[brokerage])
    print(result.rows[0].status_text, result.plan.total_saving)

Nothing here reads a clock or a file except :func:`refresh_workbook`, which refreshes a
workbook file as ``harvest-xl refresh`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from harvest_xl.engine.errors import HarvestInputError, MissingTaxYear
from harvest_xl.engine.form8949 import BasisReporting, Form8949Result, Form8949Row
from harvest_xl.engine.harvest import HarvestSaving, harvest_saving
from harvest_xl.engine.household import household_tax
from harvest_xl.engine.lots import (
    Account,
    Action,
    Activity,
    Frequency,
    Lot,
    Owner,
    Recurring,
    Security,
    identical_groups,
)
from harvest_xl.engine.models import AccountType, FilingStatus, Term, WashSalePolicy
from harvest_xl.engine.money import money, usd
from harvest_xl.engine.plan import HarvestPlan, PlanGoal
from harvest_xl.engine.portfolio import LotRow, PortfolioResult, evaluate_lots
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.realized_schedule_d import ScheduleDReport
from harvest_xl.engine.realized_year import RealizedYear, realized_year
from harvest_xl.engine.reconcile import BrokerLot, SaleDifference, reconcile
from harvest_xl.engine.tax import TaxResult, TaxReturn
from harvest_xl.engine.tax import federal_tax as _federal_tax
from harvest_xl.engine.wash_sale import WashSaleResult, analyse_wash_sales
from harvest_xl.engine.withdrawal_cost import WithdrawalCost
from harvest_xl.engine.withdrawal_cost import withdrawal_cost as _withdrawal_cost
from harvest_xl.inputs.profile import profile_from_mapping
from harvest_xl.inputs.tables import RowProblem, basis_reported, read_tables

__all__ = [
    "Account",
    "AccountType",
    "Action",
    "Activity",
    "BasisReporting",
    "BrokerLot",
    "FilingStatus",
    "Form8949Result",
    "Form8949Row",
    "Frequency",
    "HarvestInputError",
    "HarvestPlan",
    "HarvestSaving",
    "LotRow",
    "Lot",
    "MissingTaxYear",
    "Owner",
    "PlanGoal",
    "PortfolioResult",
    "Profile",
    "RealizedYear",
    "Recurring",
    "RowProblem",
    "SaleDifference",
    "ScheduleDReport",
    "Security",
    "TableEvaluation",
    "TaxResult",
    "Term",
    "WashSalePolicy",
    "WashSaleResult",
    "WithdrawalCost",
    "evaluate",
    "evaluate_tables",
    "federal_tax",
    "form8949",
    "harvest_plan",
    "harvest_saving",
    "household_tax",
    "money",
    "profile_from",
    "realized",
    "reconcile",
    "refresh_workbook",
    "schedule_d",
    "usd",
    "wash_sales",
    "withdrawal_cost",
]

ZERO = Decimal(0)


def federal_tax(
    year: int,
    filing_status: FilingStatus | str,
    ordinary_income: Decimal,
    st_gain: Decimal = ZERO,
    lt_gain: Decimal = ZERO,
    qualified_dividends: Decimal = ZERO,
) -> TaxResult:
    """Federal income tax (regular tax + AMT) + NIIT of a standard-deduction return, with
    every figure an auditor checks (Schedule D lines, QDCGT worksheet, Form 6251): what
    ``HX_TAX`` returns as ``.total``.

    Authority: Form 1040 line 16, Tax Table / Tax Computation Worksheet, QDCGT worksheet;
    IRC §§1, 55, 63, 1211, 1212, 1411.
    """
    return _federal_tax(
        TaxReturn(
            year=year,
            filing_status=FilingStatus.parse(filing_status),
            ordinary_income=ordinary_income,
            st_gain=st_gain,
            lt_gain=lt_gain,
            qualified_dividends=qualified_dividends,
        )
    )


def profile_from(values: Mapping[str, object]) -> Profile:
    """A :class:`Profile` from ``{key: value}`` as a Profile sheet holds them (``"Tax year"``,
    ``"State tax rate"`` … or the field names), values as a user would type them
    (``"5%"``, ``"$1,200"``, ``"2026-11-27"``): read by the workbook's own Profile reader."""
    return profile_from_mapping(dict(values))


def wash_sales(
    activity: Iterable[Activity],
    securities: Iterable[Security] = (),
    policy: WashSalePolicy | str = WashSalePolicy.CONSERVATIVE,
) -> WashSaleResult:
    """Every realized wash sale in ``activity`` across all accounts (and a spouse's), with
    the identical groups of ``securities``: the matches, what is lost for good, and what
    the shares still held carry.

    Authority: IRC §1091(a), (d); Reg. §1.1091-1; Rev. Rul. 2008-5; IRC §1223(3).
    """
    return analyse_wash_sales(
        list(activity), identical_groups(securities), WashSalePolicy.parse(policy)
    )


def evaluate(
    profile: Profile,
    lots: Sequence[Lot],
    activity: Sequence[Activity] = (),
    accounts: Iterable[Account] = (),
    recurring: Sequence[Recurring] = (),
    securities: Sequence[Security] = (),
    goal: PlanGoal | str | None = None,
) -> PortfolioResult:
    """Every lot's columns (as the Holdings sheet shows them), the realized wash sales, the
    harvest plan for ``goal`` and the Schedule D summary: what a refresh computes.

    Raises:
        HarvestInputError: the profile has no as-of date, or an input is refused.
    """
    return evaluate_lots(
        profile,
        lots,
        activity,
        recurring,
        securities,
        {a.name: a for a in accounts},
        None,
        PlanGoal.parse(goal),
    )


def harvest_plan(
    profile: Profile,
    lots: Sequence[Lot],
    activity: Sequence[Activity] = (),
    accounts: Iterable[Account] = (),
    recurring: Sequence[Recurring] = (),
    securities: Sequence[Security] = (),
    goal: PlanGoal | str | None = None,
) -> HarvestPlan:
    """The lots to sell (specific identification) to reach ``goal``, best first: a lot a
    purchase would partly wash is sold when that keeps more loss this year than waiting,
    a loss that would save no federal tax this year is left unsold (but under goal ``all
    losses``), and goal ``fill 0% bracket`` adds long-term gains sold and bought back at an
    unchanged federal tax; each row's saving is marginal on one return."""
    return evaluate(profile, lots, activity, accounts, recurring, securities, goal).plan


def withdrawal_cost(
    profile: Profile,
    account_type: AccountType | str,
    amount: Decimal,
    withdrawal_date: date,
    exception: str | None = None,
    separation_date: date | None = None,
    simple_start_date: date | None = None,
) -> WithdrawalCost:
    """The whole cost of an early withdrawal on ``profile``'s return: extra income tax,
    additional tax (§72(t), §223(f)(4)), state tax, withholding and what you keep."""
    return _withdrawal_cost(
        profile,
        AccountType.parse(account_type),
        amount,
        withdrawal_date,
        exception,
        separation_date,
        simple_start_date,
    )


@dataclass(frozen=True, slots=True)
class TableEvaluation:
    """:func:`evaluate_tables`' answer: the evaluation (None when nothing could be
    evaluated) and every bad row, left out of it."""

    result: PortfolioResult
    problems: tuple[RowProblem, ...]


def evaluate_tables(
    profile: Profile,
    accounts: Sequence[Mapping[str, object]],
    holdings: Sequence[Mapping[str, object]],
    activity: Sequence[Mapping[str, object]] = (),
    recurring: Sequence[Mapping[str, object]] = (),
    securities: Sequence[Mapping[str, object]] = (),
    goal: PlanGoal | str | None = None,
) -> TableEvaluation:
    """:func:`evaluate` from rows keyed by the workbook's column headers (``{"Account":
    "Brokerage", "Ticker": "VXUS", ...}``), cells as typed: each table is read by the reader
    the workbook and the Excel functions use; a bad row is a problem and is left out."""
    tables = read_tables(
        accounts, holdings, activity, recurring, securities, as_of=profile.as_of
    )
    result = evaluate_lots(
        profile,
        tables.lots,
        tables.activity,
        tables.recurring,
        tables.securities,
        tables.accounts,
        tables.identical,
        PlanGoal.parse(goal),
    )
    return TableEvaluation(result, tuple(tables.problems))


def realized(
    profile: Profile,
    activity: Sequence[Activity],
    securities: Sequence[Security] = (),
    reporting: Mapping[str, BasisReporting | str] | None = None,
    activity_through: date | None = None,
    taxable_income: Decimal | None = None,
    whole_dollars: bool = False,
) -> RealizedYear:
    """The realized year of ``profile.tax_year``: Form 8949 rows and Schedule D, as the
    Form 8949 sheet, the Summary and ``harvest-xl form8949`` show them.

    ``activity``: every account's trades (an IRA purchase can wash a taxable loss), read by
    the share-by-share ledger with the identical groups of ``securities`` and the Profile's
    wash-sale policy. ``reporting``: account name -> whether its broker reports the basis
    (a :class:`BasisReporting`, or the Accounts sheet's words: Yes, No, no 1099-B); absent,
    the covered-security rule decides. ``activity_through``: the last day ``activity``
    covers (default: its last trade or the as-of date, whichever is later); a loss sold
    within 30 days before it is provisional. ``taxable_income`` (Form 1040 line 15 without
    its floor) gives the carryover to next year. Schedule D adds the Profile's carryovers
    and, when it counts Activity's sales, its realized gains as gains outside Form 8949.

    Authority: IRC §1091(a), (d), §1222, §1223(3), §1211(b), §1212(b); Rev. Rul. 2008-5;
    Instructions for Form 8949 (2025); Schedule D (2025).
    """
    trades = list(activity)
    through = activity_through
    if through is None:
        days = [a.date for a in trades] + ([profile.as_of] if profile.as_of else [])
        through = max(days, default=date(profile.tax_year, 12, 31))
    wash = analyse_wash_sales(trades, identical_groups(securities), profile.wash_policy)
    boxes = {
        name: basis_reported(value, "reporting") for name, value in (reporting or {}).items()
    }
    return realized_year(
        wash.realized_in_year(profile.tax_year),
        profile,
        activity_through=through,
        reporting=boxes,
        taxable_income=taxable_income,
        whole_dollars=whole_dollars,
    )


def form8949(
    profile: Profile,
    activity: Sequence[Activity],
    securities: Sequence[Security] = (),
    reporting: Mapping[str, BasisReporting | str] | None = None,
    activity_through: date | None = None,
    whole_dollars: bool = False,
) -> Form8949Result:
    """The Form 8949 rows of ``profile.tax_year`` (one per lot sold in a taxable account:
    part, box, columns (a)-(h), account, notes) and the issues to fix or check, from the
    Activity trades; the arguments are :func:`realized`'s.

    Authority: IRC §1091(a), (d), §1223(3); Rev. Rul. 2008-5; Instructions for Form 8949.
    """
    return realized(
        profile, activity, securities, reporting, activity_through, None, whole_dollars
    ).form8949


def schedule_d(
    profile: Profile,
    activity: Sequence[Activity],
    securities: Sequence[Security] = (),
    reporting: Mapping[str, BasisReporting | str] | None = None,
    taxable_income: Decimal | None = None,
) -> ScheduleDReport:
    """Schedule D of ``profile.tax_year`` (lines 1a-3, 6-10, 14-16, 21, and the carryover
    worksheet given ``taxable_income``) from the Activity trades' Form 8949 rows, the
    Profile's carryovers and, counting Activity's sales, its realized gains outside them.

    Authority: Schedule D (2025) lines 1a-21; IRC §1211(b), §1212(b).
    """
    return realized(
        profile, activity, securities, reporting, taxable_income=taxable_income
    ).schedule_d


def refresh_workbook(
    path: str | Path, output: str | Path | None = None, *, in_place: bool = False
) -> Any:
    """Refresh a workbook file as ``harvest-xl refresh`` does; returns its report (the
    output path, the problems found, the Summary's figures)."""
    from harvest_xl.excel.headless import refresh_file

    return refresh_file(path, output, in_place=in_place)
