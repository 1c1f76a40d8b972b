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
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from harvest_xl.engine.lots import Activity, IdenticalGroups, Lot, Owner, Recurring
from harvest_xl.engine.models import AccountType, WashReplacement, WashSalePolicy
from harvest_xl.engine.wash_sale import (
    ReplacementShares,
    WashSaleResult,
    analyse_wash_sales,
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
    return f"{shares.quantize(SHARES_SHOWN, ROUND_HALF_UP).normalize():f}"


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
    lost_shares: Decimal = ZERO
    """Of ``shares_at_risk``, those matched with a purchase that loses the loss for good."""
    unknown_prices: tuple[str, ...] = ()
    """Tickers of scheduled purchases whose price is unknown (no Holdings row prices them):
    such a purchase is taken to replace every share it could, and the row says so."""
    counted_dates: tuple[date, ...] = ()
    """The days of the counted purchases in the window (made or scheduled), in order: a
    sale the day after one's window (:func:`safe_rebuy_date` of it) is clear of it."""

    @property
    def blocked(self) -> bool:
        """A counted purchase already made (on or before as-of): selling now is a wash sale."""
        return any(c.treatment is not None and not c.scheduled for c in self.conflicts)

    @property
    def at_risk(self) -> bool:
        return self.loss_at_risk > 0


class PurchaseIndex:
    """Purchases around the as-of date and scheduled purchases, by identical group.

    Purchases already made count with the shares that could still replace a loss: held at
    the end of the activity and not already used by a realized wash sale (Reg.
    §1.1091-1(e)); shares bought and sold again are no replacement for a sale on the as-of
    date (see :mod:`harvest_xl.engine.wash_sale`)."""

    def __init__(
        self,
        wash: WashSaleResult,
        recurring: Iterable[Recurring],
        identical: IdenticalGroups,
        as_of: date,
        prices: Mapping[str, Decimal] | None = None,
        *,
        scheduled_from: date | None = None,
    ) -> None:
        """The purchases ``wash`` analysed (with the same ``identical`` groups) in the
        window of a sale on ``as_of``, each with the shares it could still replace, and the
        ``recurring`` purchases scheduled in it from ``scheduled_from`` on (default
        ``as_of``: the Activity table holds the purchases made before; an index for a later
        day counts those scheduled between the two days as well). A group's purchases are
        looked up when a lot of the group first asks (an index for a later day is asked
        about a few)."""
        self.identical = identical
        self.as_of = as_of
        self.safe_rebuy = safe_rebuy_date(as_of)
        self.prices = dict(prices or {})
        self.window = first, last = wash_window(as_of)
        self.scheduled_from = as_of if scheduled_from is None else scheduled_from
        self.scheduled: dict[str, list[tuple[date, Recurring]]] = defaultdict(list)
        recurring = tuple(recurring)
        for plan in recurring:
            for when in plan.occurrences(max(first, self.scheduled_from), last):
                self.scheduled[identical.key(plan.ticker)].append((when, plan))
        for items in self.scheduled.values():
            items.sort(key=lambda item: item[0])  # stable: same-day plans in table order
        self.recurring = recurring
        self._wash = wash
        self._buys: dict[str, list[ReplacementShares]] = {}
        self._groups: dict[tuple[str, WashSalePolicy], _Group] = {}
        self._tails: dict[tuple[str, ...], str] = {}
        self._later: dict[date, PurchaseIndex] = {}
        self._later_purchases: frozenset[str] | None = None
        self._sheds: dict[str, bool] = {}  # waiting_only_sheds, by group key

    @classmethod
    def from_wash(
        cls,
        wash: WashSaleResult,
        recurring: Iterable[Recurring],
        identical: IdenticalGroups,
        as_of: date,
        prices: Mapping[str, Decimal] | None = None,
    ) -> PurchaseIndex:
        """The index of the activity ``wash`` analysed (with the same ``identical``
        groups): its purchases in the window, with the shares each could still replace."""
        return cls(wash, recurring, identical, as_of, prices)

    def buys(self, key: str) -> list[ReplacementShares]:
        """The purchases of identical group ``key`` made in the window, in trade order,
        with the shares each could still replace (Reg. §1.1091-1(e))."""
        found = self._buys.get(key)
        if found is None:
            found = self._buys[key] = self._wash.group_replacements_between(key, *self.window)
        return found

    def at(self, day: date) -> PurchaseIndex:
        """The index of the same activity, schedules and prices for a sale on ``day``
        instead (what waiting until ``day`` would meet: the purchases scheduled until then
        will have been made), built once per day."""
        if day == self.as_of:
            return self
        found = self._later.get(day)
        if found is None:
            found = PurchaseIndex(
                self._wash,
                self.recurring,
                self.identical,
                day,
                self.prices,
                scheduled_from=self.scheduled_from,
            )
            self._later[day] = found
        return found

    def waiting_only_sheds(self, ticker: str) -> bool:
        """Whether, for ``ticker``'s identical group, a later sale day can only meet fewer
        purchases: none is scheduled and none is dated after the as-of date, so as the day
        moves on purchases only leave the window and what a sale keeps never falls."""
        key = self.identical.key(ticker)
        found = self._sheds.get(key)
        if found is None:  # once per group
            if self._later_purchases is None:
                after = self.as_of + timedelta(days=1)
                later = self._wash.replacements_between(after, date.max)
                self._later_purchases = frozenset(later)
            scheduled = any(self.identical.key(plan.ticker) == key for plan in self.recurring)
            found = self._sheds[key] = not scheduled and key not in self._later_purchases
        return found

    def safe_days(self, lot: Lot, policy: WashSalePolicy) -> tuple[date, ...]:
        """For each day a counted purchase of the lot's group in the window was (or is to
        be) made, in order, the day after its window: a sale from then on is clear of it
        (:func:`safe_rebuy_date`, tax-rules.md §3.9)."""
        return self._group(lot, policy).safe_days

    def has_purchases(self, ticker: str) -> bool:
        """Whether a purchase of ``ticker``'s identical group was made, or is scheduled,
        within 30 days of the as-of date (whatever account, and whether or not its shares
        are still free to replace a loss)."""
        key = self.identical.key(ticker)
        return bool(self.buys(key)) or bool(self.scheduled.get(key))

    @classmethod
    def from_activity(
        cls,
        activity: Iterable[Activity],
        recurring: Iterable[Recurring],
        identical: IdenticalGroups,
        as_of: date,
        prices: Mapping[str, Decimal] | None = None,
        policy: WashSalePolicy = WashSalePolicy.CONSERVATIVE,
    ) -> PurchaseIndex:
        """:meth:`from_wash` of the activity's own wash-sale analysis under ``policy``."""
        wash = analyse_wash_sales(activity, identical, policy)
        return cls.from_wash(wash, recurring, identical, as_of, prices)

    def conflicts(self, lot: Lot, policy: WashSalePolicy) -> list[tuple[PurchaseKey, Conflict]]:
        """Purchases in the window of the lot's group, earliest first (the order they would
        match), each with the key of the purchase it is; built once per group."""
        group = self._group(lot, policy)
        return [(entry[0], group.conflict(i)) for i, entry in enumerate(group.entries)]

    def _group(self, lot: Lot, policy: WashSalePolicy) -> _Group:
        """The group's purchases in the window, built once per group and policy."""
        key = self.identical.key(lot.ticker)
        found = self._groups.get((key, policy))
        if found is None:
            found = self._groups[(key, policy)] = self._build(key, lot, policy)
        return found

    def _build(self, key: str, lot: Lot, policy: WashSalePolicy) -> _Group:
        found: list[tuple[date, int, _Entry, _Source]] = []
        for made in self.buys(key):
            act, free = made.purchase, made.available
            if free <= ZERO:
                continue  # sold, or already replaced an earlier loss (Reg. §1.1091-1(e))
            pkey = (act.account, act.ticker, act.date)
            kind = act.account_type
            treatment = replacement_treatment(kind, policy)
            source = (act.date, act.account, kind, act.ticker, free, False, act.owner)
            found.append((act.date, 0, (pkey, False, treatment, free), source))
        for when, plan in self.scheduled.get(key, ()):
            price = self.prices.get(plan.ticker) or (
                lot.price if plan.ticker == lot.ticker else None
            )
            shares: Decimal | None = plan.amount / price if price else None
            kind = plan.account_type
            pkey = (plan.account, plan.ticker, when)
            treatment = replacement_treatment(kind, policy)
            scheduled: _Source = (when, plan.account, kind, plan.ticker, shares, True, plan.owner)
            found.append((when, 1, (pkey, True, treatment, shares), scheduled))
        found.sort(key=lambda item: (item[0], item[1]))  # stable: trade order within a day
        return _Group([f[2] for f in found], [f[3] for f in found], policy)

    def _text_tail(self, substitutes: tuple[str, ...]) -> str:
        """The end of every risk text: the safe rebuy date and the substitutes."""
        found = self._tails.get(substitutes)
        if found is None:
            swap = f"; substitute {', '.join(substitutes)}" if substitutes else ""
            found = self._tails[substitutes] = f"; safe to rebuy from {self.safe_rebuy}{swap}"
        return found


_Entry = tuple[PurchaseKey, bool, WashReplacement | None, Decimal | None]
"""(purchase key, scheduled, treatment, shares still free): what matching needs."""
_Source = tuple[date, str, AccountType, str, Decimal | None, bool, Owner]
"""The facts a :class:`Conflict` is made of (its treatment and reason follow from them)."""


class _Group:
    """One identical group's purchases in the window under one policy, earliest first.
    Matching reads only the entries; a :class:`Conflict` is made when a lot names one (a
    lot's shares are usually used up by the first few purchases of its group)."""

    __slots__ = (
        "entries",
        "made",
        "counted_dates",
        "safe_days",
        "_conflicts",
        "_described",
        "_policy",
        "_sources",
    )

    def __init__(self, entries: list[_Entry], sources: list[_Source], policy: WashSalePolicy):
        self.entries = entries
        self._sources = sources
        self._policy = policy
        self._conflicts: list[Conflict | None] = [None] * len(entries)
        self._described: list[tuple[str, str] | None] = [None] * len(entries)
        made: dict[PurchaseKey, int] = defaultdict(int)
        for pkey, scheduled, _, _ in entries:
            if not scheduled:
                made[pkey] += 1
        self.made = dict(made)
        """How many of the entries are purchases already made, by purchase key."""
        self.counted_dates = tuple(sorted({entry[0][2] for entry in entries if entry[2]}))
        """The distinct days of the purchases that count, in order."""
        self.safe_days = tuple(safe_rebuy_date(day) for day in self.counted_dates)
        """The day after each of those purchases' windows (the first sale it cannot reach)."""

    def conflict(self, i: int) -> Conflict:
        found = self._conflicts[i]
        if found is None:
            when, account, kind, ticker, shares, scheduled, owner = self._sources[i]
            found = self._conflicts[i] = Conflict(
                when,
                account,
                kind,
                ticker,
                shares,
                scheduled,
                self.entries[i][2],
                replacement_reason(kind, self._policy, owner),
            )
        return found

    def described(self, i: int) -> tuple[str, str]:
        """The i-th conflict's description and reason (many lots name the same one)."""
        found = self._described[i]
        if found is None:
            conflict = self.conflict(i)
            found = self._described[i] = (conflict.describe(), conflict.reason)
        return found


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
    loss = -money(lot.gain)
    if not lot.account_type.has_tax_effect:
        loss = ZERO
    return loss_wash_risk(lot, loss, index, policy, substitutes)


def loss_wash_risk(
    lot: Lot,
    loss: Decimal,
    index: PurchaseIndex,
    policy: WashSalePolicy,
    substitutes: Sequence[str] = (),
) -> WashRisk:
    """:func:`wash_risk_for` a taxable lot whose loss (a positive amount, in cents) is known:
    the table pass has it from the lot's wash-adjusted basis, and the lot's basis is not
    otherwise used. No loss (``loss <= 0``) means no risk.

    Authority: IRC §1091(a); Reg. §1.1091-1(c)-(e); Rev. Rul. 2008-5; tax-rules.md §3.
    """
    subs = tuple(substitutes)
    found = _NO_EXPOSURE
    conflicts: tuple[Conflict, ...] = ()
    if loss > ZERO:  # the group is looked up once: its figures and its conflicts
        group = index._group(lot, policy)
        found = _group_exposure(group, lot, loss, index, subs, described=True)
        conflicts = tuple(group.conflict(i) for i in found.seen)
    return WashRisk(
        conflicts,
        found.shares_at_risk,
        found.loss_at_risk,
        found.lost_for_good,
        index.safe_rebuy,
        subs,
        found.text,
        found.lost_shares,
        found.unknown_prices,
        found.counted_dates,
    )


class Exposure(NamedTuple):
    """A :class:`WashRisk`'s figures, the purchases by their position among the lot's
    group's conflicts (the table pass makes one per losing lot and names none)."""

    seen: Sequence[int]
    shares_at_risk: Decimal
    loss_at_risk: Decimal
    lost_for_good: Decimal
    blocked: bool
    text: str
    lost_shares: Decimal = ZERO
    unknown_prices: tuple[str, ...] = ()
    counted_dates: tuple[date, ...] = ()
    """The days of the group's counted purchases in the window (made or scheduled)."""


_NO_EXPOSURE = Exposure((), ZERO, ZERO, ZERO, False, "")


def loss_exposure(
    lot: Lot,
    loss: Decimal,
    index: PurchaseIndex,
    policy: WashSalePolicy,
    substitutes: tuple[str, ...],
    *,
    described: bool = True,
) -> Exposure:
    """The figures of :func:`loss_wash_risk`. Purchases match earliest first, each share
    once, until the lot's shares are used up; ``blocked`` is :attr:`WashRisk.blocked`
    (a counted purchase already made). A scheduled purchase whose price is unknown is taken
    to replace every share it could (its ticker is listed in ``unknown_prices``). The text
    is left empty when not ``described`` (a sale priced on a later day shows only figures).

    Authority: IRC §1091(a); Reg. §1.1091-1(c)-(e); Rev. Rul. 2008-5; tax-rules.md §3.
    """
    if loss <= ZERO:
        return _NO_EXPOSURE
    return _group_exposure(index._group(lot, policy), lot, loss, index, substitutes, described)


def _group_exposure(
    group: _Group,
    lot: Lot,
    loss: Decimal,
    index: PurchaseIndex,
    substitutes: tuple[str, ...],
    described: bool,
) -> Exposure:
    """:func:`loss_exposure` of a loss (positive) once the lot's group is known."""
    own = (lot.account, lot.ticker, lot.acquired)
    own_made = group.made.get(own, 0)  # purchases of the very shares being sold
    # Every conflict but the purchase of the very shares being sold counts towards "+n more".
    total = len(group.entries) - own_made
    shares = lot.shares
    remaining, lost_shares = shares, ZERO
    seen: list[int] = []
    unknown: list[str] = []
    first_counted = -1
    blocked = False
    lost_for_good = WashReplacement.PERMANENTLY_LOST
    for i, (pkey, scheduled, treatment, available) in enumerate(group.entries):
        if own_made and pkey == own and not scheduled:
            continue  # the purchase of the very shares being sold
        if remaining <= ZERO:
            break  # later purchases would replace no share of this lot
        seen.append(i)
        if treatment is None:
            continue
        if first_counted < 0:
            first_counted = i
        if not scheduled:
            blocked = True
        if available is None and pkey[1] not in unknown:
            unknown.append(pkey[1])
        # min(available, remaining), which keeps ``available`` when the two are equal
        taken = remaining if available is None or remaining < available else available
        remaining -= taken
        if treatment is lost_for_good:
            lost_shares += taken
    at_risk = shares - remaining
    loss_at_risk = _share_of(loss, at_risk, shares)
    lost = _share_of(loss, lost_shares, shares)
    text = ""
    if seen and described:
        first = group.described(seen[0] if first_counted < 0 else first_counted)
        text = _risk_text(first, first_counted >= 0, total, loss_at_risk, lost)
        if unknown:
            text += unknown_price_text(tuple(unknown))
        text += index._text_tail(substitutes)
    return Exposure(
        seen,
        at_risk,
        loss_at_risk,
        lost,
        blocked,
        text,
        lost_shares,
        tuple(unknown),
        group.counted_dates,
    )


def unknown_price_text(tickers: tuple[str, ...]) -> str:
    """What the row says when a scheduled purchase could not be sized: its amount has no
    price to divide by (no Holdings row of that ticker), so it is taken to replace every
    share it could, the most it could disallow."""
    names = ", ".join(tickers)
    return (
        f"; price of {names} unknown (no Holdings row): its scheduled purchase is taken to "
        "replace every share"
    )


_NO_LOSS = money(ZERO)


def _share_of(loss: Decimal, part: Decimal, shares: Decimal) -> Decimal:
    """``money(loss * part / shares)``: the loss on ``part`` of the lot's ``shares``
    (``loss`` positive, in cents). All the shares carry ``money(loss)`` and none 0.00;
    only a part needs the division. (Were ``loss * shares`` beyond the 28 digits of the
    context, its rounding would be far below half a cent, so rounding to cents still
    gives ``loss``.)"""
    if part == shares:
        return money(loss)
    if not part:
        return _NO_LOSS
    return money(loss * part / shares)


def _risk_text(
    first: tuple[str, str],
    counted: bool,
    total: int,
    at_risk: Decimal,
    lost: Decimal,
) -> str:
    """The risk column up to the rebuy date: the first purchase that would match (or, when
    none is counted, the first in the window) as (description, reason), and what it would
    do to the loss."""
    described, reason = first
    more = total - 1
    tail = f" (+{more} more)" if more else ""
    if not counted:
        return f"Risk only: {described}{tail}; {reason}"
    effect = f"${at_risk:,.2f} of the loss would be disallowed"
    if lost:
        effect += f", ${lost:,.2f} of it lost for good"
    return f"Wash sale: {described}{tail}; {effect}"


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
    groups = identical or IdenticalGroups()
    index = PurchaseIndex.from_activity(activity, recurring, groups, as_of, prices, policy)
    return wash_risk_for(lot, index, policy, substitutes)
