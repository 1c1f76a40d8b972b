"""Prospective wash-sale risk: what would go wrong if the user sold a lot today.

A loss sold on ``as_of`` becomes a wash sale through any substantially identical
purchase from 30 days before to 30 days after: purchases already made in any account
(including a spouse's), and scheduled ones (payroll contributions, dividend
reinvestment, automatic investments). The risk names the purchase, says how much of the
loss it would catch and whether that part would be lost for good, and gives the first
safe rebuy date and substitutes that are not in the same identical group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from harvest_xl.engine.lots import Action, Activity, IdenticalGroups, Lot, Owner, Recurring
from harvest_xl.engine.models import AccountType, WashReplacement, WashSalePolicy
from harvest_xl.engine.wash_sale import (
    WashSaleMatch,
    money,
    replacement_reason,
    replacement_treatment,
    safe_rebuy_date,
    wash_window,
)

ZERO = Decimal(0)
PurchaseKey = tuple[str, str, date]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A purchase inside the window of a sale on the as-of date."""

    date: date
    account: str
    account_type: AccountType
    ticker: str
    shares: Decimal | None
    scheduled: bool
    treatment: WashReplacement | None
    reason: str

    def describe(self) -> str:
        what = f"{shares_text(self.shares)} " if self.shares is not None else ""
        verb = "scheduled purchase of" if self.scheduled else "bought"
        whose = self.account
        return f"{verb} {what}{self.ticker} in {whose} ({self.account_type.value}) on {self.date}"


SHARES_SHOWN = Decimal("0.0001")
"""Shares in the risk text: up to 4 decimals (a scheduled purchase's shares are its amount
divided by the price, which rarely divides evenly)."""


def shares_text(shares: Decimal) -> str:
    """``2.586206896…`` -> ``2.5862``; ``100.0`` -> ``100`` (trailing zeros dropped)."""
    return f"{shares.quantize(SHARES_SHOWN, rounding=ROUND_HALF_UP).normalize():f}"


_GroupConflicts = tuple[list[tuple[PurchaseKey, "Conflict"]], dict[PurchaseKey, int]]


@dataclass(frozen=True, slots=True)
class WashRisk:
    """The wash-sale exposure of selling ``lot`` on ``as_of``."""

    conflicts: tuple[Conflict, ...]
    shares_at_risk: Decimal
    loss_at_risk: Decimal
    loss_lost_for_good: Decimal
    safe_rebuy: date
    substitutes: tuple[str, ...]
    text: str

    @property
    def blocked(self) -> bool:
        """A counted purchase already made (on or before as-of): selling now is a wash sale."""
        return any(c.treatment is not None and not c.scheduled for c in self.conflicts)

    @property
    def at_risk(self) -> bool:
        return self.loss_at_risk > 0


class PurchaseIndex:
    """Purchases and scheduled purchases by identical group, sorted by date once."""

    def __init__(
        self,
        activity: Iterable[Activity],
        recurring: Iterable[Recurring],
        identical: IdenticalGroups,
        as_of: date,
        prices: Mapping[str, Decimal] | None = None,
        used: Mapping[PurchaseKey, Decimal] | None = None,
    ) -> None:
        self.identical = identical
        self.as_of = as_of
        self.safe_rebuy = safe_rebuy_date(as_of)
        self.prices = dict(prices or {})
        self.used = dict(used or {})
        first, last = wash_window(as_of)
        self.buys: dict[str, list[Activity]] = defaultdict(list)
        buy = Action.BUY
        for act in [a for a in activity if first <= a.date <= last and a.action is buy]:
            self.buys[identical.key(act.ticker)].append(act)
        for rows in self.buys.values():
            rows.sort(key=lambda a: (a.date, a.account, a.ticker, a.shares, a.price))
        self.scheduled: dict[str, list[tuple[date, Recurring]]] = defaultdict(list)
        for plan in recurring:
            for when in plan.occurrences(as_of, last):
                self.scheduled[identical.key(plan.ticker)].append((when, plan))
        for items in self.scheduled.values():
            items.sort(key=lambda item: (item[0], item[1].account, item[1].ticker))
        self._cache: dict[tuple[str, WashSalePolicy], _GroupConflicts] = {}

    def conflicts(self, lot: Lot, policy: WashSalePolicy) -> list[tuple[PurchaseKey, Conflict]]:
        """Purchases in the window of the lot's group, earliest first (the order they would
        match), each with the key of the purchase it is; built once per group."""
        return self._group(lot, policy)[0]

    def _group(self, lot: Lot, policy: WashSalePolicy) -> _GroupConflicts:
        """The group's conflicts, and how many of them are purchases already made, by key."""
        key = self.identical.key(lot.ticker)
        cached = self._cache.get((key, policy))
        if cached is None:
            found = self._build(key, lot, policy)
            made: dict[PurchaseKey, int] = defaultdict(int)
            for pkey, c in found:
                if not c.scheduled:
                    made[pkey] += 1
            cached = self._cache[(key, policy)] = (found, dict(made))
        return cached

    def _build(
        self, key: str, lot: Lot, policy: WashSalePolicy
    ) -> list[tuple[PurchaseKey, Conflict]]:
        found: list[tuple[date, int, PurchaseKey, Conflict]] = []
        for act in self.buys.get(key, ()):
            pkey = (act.account, act.ticker, act.date)
            free = act.shares - self.used.get(pkey, ZERO)
            if free <= 0:
                continue  # Reg. §1.1091-1(e): already replaced an earlier loss.
            conflict = _conflict(
                act.date, act.account, act.account_type, act.ticker, free, False, act.owner, policy
            )
            found.append((act.date, 0, pkey, conflict))
        for when, plan in self.scheduled.get(key, ()):
            price = self.prices.get(plan.ticker) or (
                lot.price if plan.ticker == lot.ticker else None
            )
            shares = plan.amount / price if price else None
            conflict = _conflict(
                when, plan.account, plan.account_type, plan.ticker, shares, True, plan.owner, policy
            )
            found.append((when, 1, (plan.account, plan.ticker, when), conflict))
        found.sort(key=lambda item: (item[0], item[1]))
        return [(pkey, c) for _, _, pkey, c in found]


def _conflict(
    when: date,
    account: str,
    account_type: AccountType,
    ticker: str,
    shares: Decimal | None,
    scheduled: bool,
    owner: Owner,
    policy: WashSalePolicy,
) -> Conflict:
    return Conflict(
        when,
        account,
        account_type,
        ticker,
        shares,
        scheduled,
        replacement_treatment(account_type, policy),
        replacement_reason(account_type, policy, owner),
    )


def wash_risk_for(
    lot: Lot,
    index: PurchaseIndex,
    policy: WashSalePolicy,
    substitutes: Sequence[str] = (),
) -> WashRisk:
    """The risk of selling ``lot`` on the index's as-of date.

    Authority: IRC §1091(a) (30 days before and after); Reg. §1.1091-1(c)-(e)
    (earliest purchases match first, each share once); Rev. Rul. 2008-5; tax-rules.md §3.
    """
    rebuy = index.safe_rebuy
    loss = -money(lot.gain)
    if loss <= 0 or not lot.account_type.has_tax_effect:
        return WashRisk((), ZERO, ZERO, ZERO, rebuy, tuple(substitutes), "")
    own = (lot.account, lot.ticker, lot.acquired)
    seen: list[Conflict] = []
    conflicts, made = index._group(lot, policy)
    # Every conflict but the purchase of the very shares being sold counts towards "+n more".
    total = len(conflicts) - made.get(own, 0)
    remaining, lost_shares = lot.shares, ZERO
    for pkey, c in conflicts:
        if pkey == own and not c.scheduled:
            continue  # the purchase of the very shares being sold
        if remaining <= 0:
            break  # later purchases would replace no share of this lot
        seen.append(c)
        if c.treatment is None:
            continue
        taken = remaining if c.shares is None else min(c.shares, remaining)
        remaining -= taken
        if c.treatment is WashReplacement.PERMANENTLY_LOST:
            lost_shares += taken
    at_risk = lot.shares - remaining
    loss_at_risk = money(loss * at_risk / lot.shares)
    lost = money(loss * lost_shares / lot.shares)
    subs = tuple(substitutes)
    text = _risk_text(seen, total, loss_at_risk, lost, rebuy, subs)
    return WashRisk(tuple(seen), at_risk, loss_at_risk, lost, rebuy, subs, text)


def _risk_text(
    conflicts: Sequence[Conflict],
    total: int,
    at_risk: Decimal,
    lost: Decimal,
    rebuy: date,
    substitutes: tuple[str, ...],
) -> str:
    if not conflicts:
        return ""
    counted = [c for c in conflicts if c.treatment is not None]
    first = (counted or list(conflicts))[0]
    more = total - 1
    tail = f" (+{more} more)" if more else ""
    if not counted:
        head = f"Risk only: {first.describe()}{tail}; {first.reason}"
    else:
        effect = f"${at_risk:,.2f} of the loss would be disallowed"
        if lost:
            effect += f", ${lost:,.2f} of it lost for good"
        head = f"Wash sale: {first.describe()}{tail}; {effect}"
    swap = f"; substitute {', '.join(substitutes)}" if substitutes else ""
    return f"{head}; safe to rebuy from {rebuy}{swap}"


def used_replacement_shares(matches: Iterable[WashSaleMatch]) -> dict[PurchaseKey, Decimal]:
    """Shares of each purchase already used to replace a realized loss (Reg. §1.1091-1(e))."""
    used: dict[PurchaseKey, Decimal] = defaultdict(lambda: ZERO)
    for m in matches:
        used[(m.replacement_account, m.replacement_ticker, m.replacement_date)] += m.shares
    return dict(used)


def prospective_wash_risk(
    lot: Lot,
    as_of: date,
    activity: Iterable[Activity],
    recurring: Iterable[Recurring] = (),
    identical: IdenticalGroups | None = None,
    policy: WashSalePolicy = WashSalePolicy.CONSERVATIVE,
    substitutes: Sequence[str] = (),
    prices: Mapping[str, Decimal] | None = None,
) -> WashRisk:
    """Wash-sale risk of selling ``lot`` on ``as_of`` (one lot; see PurchaseIndex for many).

    Authority: IRC §1091(a); Reg. §1.1091-1(c)-(e); Rev. Rul. 2008-5; tax-rules.md §3.7, §3.9.
    """
    index = PurchaseIndex(activity, recurring, identical or IdenticalGroups(), as_of, prices)
    return wash_risk_for(lot, index, policy, substitutes)
