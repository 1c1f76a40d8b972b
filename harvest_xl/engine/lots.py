"""Lots, activity rows, scheduled purchases and identical groups: the engine's inputs.

All are frozen value objects. Tickers are upper-cased on construction, so matching is
case-insensitive everywhere. :mod:`harvest_xl.inputs.tables` builds them from header-keyed
rows and collects per-row problems.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.names import fold

ZERO = Decimal(0)


def normalise_ticker(ticker: object, argument: str = "ticker") -> str:
    """A ticker as matched: stripped and upper-case; empty or non-text is an error."""
    if isinstance(ticker, str) and ticker.strip():
        return ticker.strip().upper()
    raise HarvestInputError(argument, f"{ticker!r} is not a ticker")



class Action(enum.Enum):
    """What an activity row did to the shares held.

    BUY and SELL are the Activity table's own words (a public contract); the transfer and
    split actions come from broker imports."""

    BUY = "BUY"
    """Shares acquired by purchase (dividend reinvestment and payroll contributions too)."""
    SELL = "SELL"
    """Shares sold: a gain or loss is realized."""
    TRANSFER_IN = "TRANSFER IN"
    """Shares arriving from outside the table with their original acquired date and cost
    basis: not a purchase, so never a wash-sale replacement (IRC §1091(a): "acquired by
    purchase")."""
    TRANSFER_OUT = "TRANSFER OUT"
    """Shares leaving the table without a sale: no gain or loss; they take their basis,
    wash-sale adjustments and holding period with them."""
    SPLIT = "SPLIT"
    """A stock split: ``shares`` are the shares received; every held share of the account
    and ticker grows in proportion, the total basis unchanged. Not a purchase."""

    @classmethod
    def parse(cls, value: object, argument: str = "action") -> Action:
        if isinstance(value, Action):
            return value
        if isinstance(value, str):
            found = _ACTION_SYNONYMS.get(fold(value))
            if found is not None:
                return found
        raise HarvestInputError(argument, f"{value!r} is not BUY or SELL")


_ACTION_SYNONYMS: dict[str, Action] = {
    **{
        word: Action.BUY
        for word in (
            "buy",
            "b",
            "bought",
            "purchase",
            "purchased",
            "reinvest",
            "reinvestment",
            "reinvested",
            "dividend reinvestment",
            "dividend reinvest",
            "reinvest dividend",
            "drip",
            "contribution",
            "contribute",
            "payroll contribution",
            "automatic investment",
            "buy to open",
        )
    },
    **{word: Action.SELL for word in ("sell", "s", "sold", "sale", "sell to close")},
    **{
        word: Action.TRANSFER_IN
        for word in ("transfer in", "transferred in", "transfer of shares in", "acat in")
    },
    **{
        word: Action.TRANSFER_OUT
        for word in ("transfer out", "transferred out", "transfer of shares out", "acat out")
    },
    **{word: Action.SPLIT for word in ("split", "stock split", "forward split")},
}

_NAMES_A_LOT = frozenset({Action.SELL, Action.TRANSFER_OUT})
"""Rows that take shares away: they name their lot (acquired date and cost basis) or, with
both blank, take the account's earliest shares first."""


class Owner(enum.Enum):
    """Whose account: the taxpayer's or the spouse's (Pub. 550: a spouse's purchase counts)."""

    SELF = "self"
    SPOUSE = "spouse"

    @classmethod
    def parse(cls, value: object, argument: str = "owner") -> Owner:
        if value is None or isinstance(value, Owner):
            return value or cls.SELF
        if isinstance(value, str):
            text = fold(value)
            if text in ("", "self", "me", "taxpayer", "primary", "mine", "own"):
                return cls.SELF
            if text in ("spouse", "partner", "wife", "husband"):
                return cls.SPOUSE
        raise HarvestInputError(argument, f"{value!r} is not self or spouse")


@dataclass(frozen=True, slots=True)
class Activity:
    """One trade, or one transfer or split, in one account.

    ``cost_basis`` and ``acquired`` describe the shares taken away (SELL and TRANSFER OUT)
    or brought in (TRANSFER IN): the basis is what was paid, before any wash-sale
    adjustment (the engine adds those). A SELL or TRANSFER OUT row that leaves both blank
    names no lot: the account's earliest known shares go first. ``row`` is the caller's
    row index: it points back at the input and gives the order of same-day trades.
    """

    date: date
    account: str
    account_type: AccountType
    action: Action
    ticker: str
    shares: Decimal
    price: Decimal
    cost_basis: Decimal | None = None
    acquired: _dt.date | None = None
    owner: Owner = Owner.SELF
    row: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ticker", normalise_ticker(self.ticker))
        if self.shares <= ZERO:
            raise HarvestInputError("shares", f"{self.shares} is not a positive number of shares")
        if self.price < ZERO:
            raise HarvestInputError("price", f"{self.price} is negative")
        if self.cost_basis is not None and self.cost_basis < ZERO:
            raise HarvestInputError("cost_basis", f"{self.cost_basis} is negative")
        if self.acquired is not None and self.acquired > self.date:
            what = "sale" if self.action is Action.SELL else self.action.value.lower()
            raise HarvestInputError("acquired", f"{self.acquired} is after the {what} {self.date}")
        if self.action in _NAMES_A_LOT or self.action is Action.TRANSFER_IN:
            self._check_lot_named()

    def _check_lot_named(self) -> None:
        """Cost basis and acquired date come together; only a TRANSFER IN needs them."""
        verb = self.action.value
        if self.cost_basis is None and (
            self.acquired is not None or self.action is Action.TRANSFER_IN
        ):
            raise HarvestInputError("cost_basis", f"a {verb} row needs the cost basis it names")
        if self.acquired is None and self.cost_basis is not None:
            raise HarvestInputError(
                "acquired", f"a {verb} row needs the date the shares were acquired"
            )

    @property
    def amount(self) -> Decimal:
        """Shares times price: the purchase cost or the sale proceeds."""
        return self.shares * self.price

    @property
    def names_lot(self) -> bool:
        """The row names the shares it takes away (acquired date and cost basis)."""
        return self.acquired is not None


@dataclass(frozen=True, slots=True)
class Lot:
    """Shares held now: bought on ``acquired`` for ``cost_basis`` in total (as paid, before
    wash-sale adjustments), valued at ``price`` per share on ``as_of``."""

    account: str
    account_type: AccountType
    ticker: str
    shares: Decimal
    acquired: date
    cost_basis: Decimal
    price: Decimal
    as_of: date
    owner: Owner = Owner.SELF
    row: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ticker", normalise_ticker(self.ticker))
        if self.shares <= 0:
            raise HarvestInputError("shares", f"{self.shares} is not a positive number of shares")
        if self.cost_basis < 0:
            raise HarvestInputError("cost_basis", f"{self.cost_basis} is negative")
        if self.price < 0:
            raise HarvestInputError("price", f"{self.price} is negative")
        if self.acquired > self.as_of:
            raise HarvestInputError(
                "acquired", f"{self.acquired} is after the as-of date {self.as_of}"
            )

    @property
    def market_value(self) -> Decimal:
        return self.shares * self.price

    @property
    def gain(self) -> Decimal:
        """Unrealized gain (negative for a loss) against the basis as paid."""
        return self.market_value - self.cost_basis


@dataclass(frozen=True, slots=True)
class IdenticalGroups:
    """The user's table of substantially identical securities (tax-rules.md §3.3).

    A ticker is always identical to itself; tickers the user puts in one group are
    identical to each other. The engine never guesses beyond this table.
    """

    groups: Mapping[str, str] = field(default_factory=dict)
    _keys: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[object, object]]) -> IdenticalGroups:
        """Build from (ticker, group name) pairs; a blank group means "only itself"."""
        groups: dict[str, str] = {}
        for ticker, group in pairs:
            symbol = normalise_ticker(ticker)
            if isinstance(group, str) and group.strip():
                name = group.strip().upper()
                if groups.get(symbol, name) != name:
                    raise HarvestInputError("identical", f"{symbol} is in two groups")
                groups[symbol] = name
        return cls(groups)

    def key(self, ticker: str) -> str:
        """The matching key of ``ticker``: its group, or the ticker alone (memoised)."""
        found = self._keys.get(ticker)
        if found is None:
            symbol = ticker.upper()
            group = self.groups.get(symbol)
            found = f"group:{group}" if group is not None else f"ticker:{symbol}"
            self._keys[ticker] = found
        return found

    def describe(self, ticker: str) -> str:
        """Which grouping makes ``ticker`` identical (for result text)."""
        group = self.groups.get(ticker.upper())
        return f"identical group {group}" if group is not None else "same ticker"

    def identical(self, a: str, b: str) -> bool:
        return self.key(a) == self.key(b)


class Frequency(enum.Enum):
    """How often a scheduled purchase repeats."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    SEMIMONTHLY = "semimonthly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUALLY = "semiannually"
    ANNUALLY = "annually"

    @classmethod
    def parse(cls, value: object, argument: str = "frequency") -> Frequency:
        if isinstance(value, Frequency):
            return value
        if isinstance(value, str):
            found = _FREQUENCY_SYNONYMS.get(fold(value).replace(" ", ""))
            if found is not None:
                return found
        choices = ", ".join(f.value for f in cls)
        raise HarvestInputError(argument, f"{value!r} is not a frequency ({choices})")


_FREQUENCY_SYNONYMS: dict[str, Frequency] = {
    **{f.value: f for f in Frequency},
    "week": Frequency.WEEKLY,
    "everyweek": Frequency.WEEKLY,
    "everyotherweek": Frequency.BIWEEKLY,
    "every2weeks": Frequency.BIWEEKLY,
    "fortnightly": Frequency.BIWEEKLY,
    "twiceamonth": Frequency.SEMIMONTHLY,
    "twicemonthly": Frequency.SEMIMONTHLY,
    "month": Frequency.MONTHLY,
    "everymonth": Frequency.MONTHLY,
    "quarter": Frequency.QUARTERLY,
    "everyquarter": Frequency.QUARTERLY,
    "semiannual": Frequency.SEMIANNUALLY,
    "twiceayear": Frequency.SEMIANNUALLY,
    "annual": Frequency.ANNUALLY,
    "yearly": Frequency.ANNUALLY,
    "year": Frequency.ANNUALLY,
    "everyyear": Frequency.ANNUALLY,
}

# Calendar steps of each frequency: (days, months). Semimonthly alternates two
# half-month steps (the day of ``next_date`` and 15 days later, each month).
_DAYS_IN_WEEK = 7
_STEPS: dict[Frequency, tuple[int, int]] = {
    Frequency.WEEKLY: (_DAYS_IN_WEEK, 0),
    Frequency.BIWEEKLY: (2 * _DAYS_IN_WEEK, 0),
    Frequency.MONTHLY: (0, 1),
    Frequency.QUARTERLY: (0, 3),
    Frequency.SEMIANNUALLY: (0, 6),
    Frequency.ANNUALLY: (0, 12),
}
_HALF_MONTH_DAYS = 15


def add_months(start: date, months: int) -> date:
    """``start`` moved by whole calendar months, clipped to the month's last day."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


@dataclass(frozen=True, slots=True)
class Recurring:
    """A scheduled purchase: payroll contributions, dividend reinvestment, auto-invest."""

    account: str
    account_type: AccountType
    ticker: str
    amount: Decimal
    frequency: Frequency
    next_date: date
    owner: Owner = Owner.SELF
    row: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ticker", normalise_ticker(self.ticker))
        if self.amount <= 0:
            raise HarvestInputError("amount", f"{self.amount} is not a positive amount")

    def occurrences(self, start: date, end: date) -> Iterator[date]:
        """Scheduled dates from ``next_date`` on that fall in [start, end], in order."""
        k = 0
        while True:
            when = self._nth(k)
            if when > end:
                return
            if when >= start:
                yield when
            k += 1

    def _nth(self, k: int) -> date:
        if self.frequency is Frequency.SEMIMONTHLY:
            base = add_months(self.next_date, k // 2)
            return base + timedelta(days=_HALF_MONTH_DAYS * (k % 2))
        days, months = _STEPS[self.frequency]
        if months:
            return add_months(self.next_date, months * k)
        return self.next_date + timedelta(days=days * k)


@dataclass(frozen=True, slots=True)
class Account:
    """A row of the Accounts table."""

    name: str
    account_type: AccountType
    owner: Owner = Owner.SELF
    separation_date: date | None = None
    simple_start_date: date | None = None
    roth_first_year: int | None = None
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Security:
    """A row of the Securities table: a ticker, its identical group and a substitute."""

    ticker: str
    group: str | None = None
    substitute: str | None = None
    row: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ticker", normalise_ticker(self.ticker))
        if self.substitute is not None:
            object.__setattr__(self, "substitute", normalise_ticker(self.substitute, "substitute"))


def identical_groups(securities: Iterable[Security]) -> IdenticalGroups:
    """The identical groups declared in a Securities table."""
    return IdenticalGroups.from_pairs((s.ticker, s.group) for s in securities)


def substitutes_table(
    securities: Iterable[Security], identical: IdenticalGroups
) -> dict[str, tuple[str, ...]]:
    """For every ticker in the table (and every ticker of its group), the substitutes the
    user listed that are NOT substantially identical to it.

    Authority: IRC §1091(a) (only substantially identical purchases disallow);
    tax-rules.md §3.3 (the user's table decides what is identical).
    """
    by_key: dict[str, list[str]] = {}
    for security in securities:
        listed = by_key.setdefault(identical.key(security.ticker), [])
        if security.substitute is not None and security.substitute not in listed:
            listed.append(security.substitute)
    return {
        s.ticker: tuple(
            sub for sub in by_key[identical.key(s.ticker)] if not identical.identical(sub, s.ticker)
        )
        for s in securities
    }


def substitutes_for(
    ticker: str, securities: Iterable[Security], identical: IdenticalGroups
) -> tuple[str, ...]:
    """Substitutes the user listed for ``ticker`` that are NOT substantially identical to it.

    Authority: IRC §1091(a) (only substantially identical purchases disallow);
    tax-rules.md §3.3 (the user's table decides what is identical).
    """
    return substitutes_table(list(securities), identical).get(ticker.upper(), ())
