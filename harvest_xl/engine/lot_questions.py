"""One Holdings row's questions, answered from the workbook's own tables.

The per-row worksheet functions (``HX_LOT_HARVEST``, ``HX_LOT_WASH_RISK``,
``HX_LOT_PENALTY``, ``HX_LOT_WITHDRAWAL_COST``) ask, for one lot, what the table-level pass
(:func:`harvest_xl.engine.portfolio.evaluate_portfolio`) computes for every lot: the
harvest decision (wash-sale blocks included), the wash-sale risk of selling it on the
as-of date, and the additional tax and total cost of withdrawing its value. Nothing here
is a new rule: each function is the same composition of the same engine functions the
portfolio pass uses for one lot, so both give the same answer (a test checks that, lot by
lot).

Rows of the Accounts, Activity, Recurring, Securities and Holdings tables that have a
problem are left out, as in the portfolio pass (Refresh lists those problems).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.harvest import HarvestStatus, harvest_status
from harvest_xl.engine.lots import (
    Account,
    Activity,
    IdenticalGroups,
    Lot,
    Recurring,
    identical_groups,
    substitutes_table,
)
from harvest_xl.engine.models import AccountType, WashSalePolicy
from harvest_xl.engine.portfolio import lot_with_basis
from harvest_xl.engine.portfolio import with_wash_risk as status_with_risk
from harvest_xl.engine.profile import Profile
from harvest_xl.engine.rows import (
    Row,
    RowProblem,
    parse_accounts,
    parse_activity,
    parse_lots,
    parse_recurring,
    parse_securities,
)
from harvest_xl.engine.wash_risk import (
    PurchaseIndex,
    WashRisk,
    wash_risk_for,
)
from harvest_xl.engine.wash_sale import WashSaleResult, analyse_wash_sales
from harvest_xl.engine.withdrawal_cost import withdrawal_cost

ROTH_NOTE = "Roth: needs the contribution history (use the Withdrawal sheet)"
"""What the portfolio pass reports for a Roth lot's withdrawal: its cost depends on the
contributions, conversions and earnings, which the Accounts table does not hold."""


@dataclass(frozen=True, slots=True)
class LotTables:
    """The workbook tables one lot's questions need, parsed once for many lots."""

    as_of: date
    policy: WashSalePolicy
    accounts: Mapping[str, Account]
    activity: tuple[Activity, ...]
    recurring: tuple[Recurring, ...]
    groups: IdenticalGroups
    wash: WashSaleResult
    substitutes: Mapping[str, tuple[str, ...]]
    index: PurchaseIndex | None
    """Scheduled-purchase prices from every held lot (None: no Holdings table given, so
    each lot prices its own ticker's scheduled purchases)."""


def lot_tables(
    as_of: date,
    policy: WashSalePolicy,
    accounts: Sequence[Row],
    activity: Sequence[Row] = (),
    recurring: Sequence[Row] = (),
    securities: Sequence[Row] = (),
    holdings: Sequence[Row] | None = None,
) -> LotTables:
    """Parse the header-keyed table rows and match the realized wash sales, once.

    ``holdings`` (the Holdings input columns) gives the price of each ticker held, used to
    size scheduled purchases, as the portfolio pass does.

    Authority: IRC §1091(a), (d); Reg. §1.1091-1(c)-(e) (as analyse_wash_sales).
    """
    problems: list[RowProblem] = []  # left out, as in the portfolio pass
    by_name = parse_accounts(accounts, problems)
    acts = tuple(parse_activity(activity, by_name, problems))
    plans = tuple(parse_recurring(recurring, by_name, problems))
    secs = parse_securities(securities, problems)
    try:
        groups = identical_groups(secs)
    except HarvestInputError:
        groups = IdenticalGroups()
    wash = analyse_wash_sales(acts, groups, policy)
    index = None
    if holdings is not None:
        lots = parse_lots(holdings, by_name, as_of, problems)
        prices = {lot.ticker: lot.price for lot in sorted(lots, key=lambda x: (x.ticker, x.price))}
        index = PurchaseIndex.from_wash(wash, plans, groups, as_of, prices)
    return LotTables(
        as_of,
        policy,
        by_name,
        acts,
        plans,
        groups,
        wash,
        substitutes_table(secs, groups),
        index,
    )


def accounts_by_name(accounts: Sequence[Row]) -> dict[str, Account]:
    """The Accounts table by name; rows with a problem are left out."""
    return parse_accounts(accounts, [])


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


_LAST_FOLDED: list[tuple[Mapping[str, Account], dict[str, Account]]] = []
"""The last accounts mapping looked up and its names folded (one Holdings row after
another asks the same mapping, a read-only value built once by its caller; it is held
here, so its identity is never reused)."""


def _by_folded_name(accounts: Mapping[str, Account]) -> dict[str, Account]:
    if _LAST_FOLDED and _LAST_FOLDED[0][0] is accounts:
        return _LAST_FOLDED[0][1]
    folded: dict[str, Account] = {}
    for key, account in accounts.items():
        folded.setdefault(_folded(key), account)
    _LAST_FOLDED[:] = [(accounts, folded)]
    return folded


def account_named(accounts: Mapping[str, Account], name: object) -> Account:
    """The Accounts row of ``name``, case and spacing ignored (as the table parser looks
    up the account of a Holdings or Activity row); of names alike that way, the first."""
    if isinstance(name, str):
        found = _by_folded_name(accounts).get(_folded(name))
        if found is not None:
            return found
    raise HarvestInputError(
        "account", f"{name!r} is not on the Accounts sheet (or its row there has a problem)"
    )


def held_lot(
    tables: LotTables,
    account: object,
    ticker: str,
    shares: Decimal,
    acquired: date,
    cost_basis: Decimal,
    price: Decimal,
) -> Lot:
    """One Holdings row as the portfolio pass sees it: type and owner from its account."""
    found = account_named(tables.accounts, account)
    return Lot(
        found.name,
        found.account_type,
        ticker,
        shares,
        acquired,
        cost_basis,
        price,
        tables.as_of,
        found.owner,
    )


def lot_wash_risk(tables: LotTables, lot: Lot) -> WashRisk | None:
    """The wash-sale risk of selling ``lot`` on the as-of date; None when there is no loss
    to lose (a gain, or an account with no tax effect).

    As the portfolio pass: the basis is first adjusted for realized wash sales that this
    lot replaced (the loss at risk is the real loss), purchases already used as
    replacements count only for their unused shares.

    Authority: IRC §1091(a), (d); Reg. §1.1091-1(c)-(e); Rev. Rul. 2008-5; tax-rules.md §3.
    """
    increase, _tacked = tables.wash.adjustment_for(lot)
    basis = lot.cost_basis + increase
    gain = lot.market_value - basis  # as harvest_status computes it
    if not lot.account_type.has_tax_effect or gain >= 0:
        return None
    index = tables.index or PurchaseIndex.from_wash(
        tables.wash,
        tables.recurring,
        tables.groups,
        tables.as_of,
        {lot.ticker: lot.price},
    )
    return wash_risk_for(
        lot_with_basis(lot, basis),
        index,
        tables.policy,
        tables.substitutes.get(lot.ticker, ()),
    )


def lot_harvest_status(
    tables: LotTables, lot: Lot, min_loss: Decimal, min_pct: Decimal
) -> HarvestStatus:
    """The harvest decision for ``lot`` on the as-of date, as the portfolio pass makes it:
    Harvest, Hold (a gain, or a loss below the thresholds), No tax effect, or, for a loss
    otherwise worth harvesting, Blocked / At risk when a purchase of something
    substantially identical (past 30 days or scheduled in the next 30, any account) would
    make the sale a wash sale; the text names that purchase.

    The basis is first adjusted for realized wash sales that this lot replaced and their
    holding period tacked; ``min_pct`` is a fraction of that basis (0.05 = 5%).

    Authority: IRC §165(f), §1211(b), §1222 (as harvest_status); IRC §1091(a), (d), §1223(3);
    Reg. §1.1091-1(c)-(e); Rev. Rul. 2008-5 (as wash_risk_for); tax-rules.md §3-§4.
    """
    return harvest_status_with_risk(
        tables, lot, min_loss, min_pct, lambda: lot_wash_risk(tables, lot)
    )


def harvest_status_with_risk(
    tables: LotTables,
    lot: Lot,
    min_loss: Decimal,
    min_pct: Decimal,
    risk_of: Callable[[], WashRisk | None],
) -> HarvestStatus:
    """:func:`lot_harvest_status` with the lot's wash-sale risk from ``risk_of`` (called
    after the status, as there): a caller that also shows the risk computes it once.

    Authority: as :func:`lot_harvest_status`.
    """
    increase, tacked = tables.wash.adjustment_for(lot)
    status = harvest_status(
        lot.account_type,
        lot.cost_basis + increase,
        lot.market_value,
        tacked or lot.acquired,
        tables.as_of,
        min_loss,
        min_pct,
    )
    risk = risk_of()
    if risk is None:
        return status
    code, text = status_with_risk(status.code, status.text, risk)
    return status._replace(code=code, text=text)


@dataclass(frozen=True, slots=True)
class LotWithdrawal:
    """Withdrawing a lot's value on the as-of date: None where it does not apply."""

    additional_tax: Decimal | None
    total_cost: Decimal | None
    note: str


def lot_withdrawal(profile: Profile, account: Account, market_value: Decimal) -> LotWithdrawal:
    """The additional tax and the total tax cost of withdrawing ``market_value`` from
    ``account`` on the profile's as-of date, with the account's separation and SIMPLE
    start dates. A taxable account has none; a Roth account needs its contribution
    history (:data:`ROTH_NOTE`).

    Raises:
        HarvestInputError: the profile lacks the as-of or birth date, or the as-of date
            is outside the profile's tax year.

    Authority: as :func:`harvest_xl.engine.withdrawal_cost.withdrawal_cost` (IRC §72(t),
    §223(f)(4), §61).
    """
    kind = account.account_type
    if kind is AccountType.TAXABLE:
        return LotWithdrawal(None, None, "")
    if kind.is_roth:
        return LotWithdrawal(None, None, ROTH_NOTE)
    if profile.as_of is None:
        raise HarvestInputError("As-of date", "the profile has no as-of date")
    try:
        cost = withdrawal_cost(
            profile,
            kind,
            market_value,
            profile.as_of,
            None,
            account.separation_date,
            account.simple_start_date,
        )
    except HarvestInputError as error:
        if error.argument != "withdrawal_date":
            raise
        raise HarvestInputError("As-of date", error.problem) from None  # what the user typed
    return LotWithdrawal(cost.additional_tax, cost.total_cost, "")
