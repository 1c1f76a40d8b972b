"""What a broker file turns into: plain records, each pointing back at its file and line.

The records carry what the file *says*, converted to typed values (``Decimal``, ``date``) and
nothing derived: a position total keeps ``acquired=None`` (never a guessed date), a cost the file
gives per share stays per share. Each record has a stable identity ``key`` so that a second import
of the same file, or of an overlapping later export, can be recognised as already present (see
:mod:`harvest_xl.importers.table`, which makes the keys).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import AccountType, Term


class Broker(enum.Enum):
    """The brokers whose downloads are read."""

    FIDELITY = "Fidelity"
    SCHWAB = "Charles Schwab"
    VANGUARD = "Vanguard"
    ETRADE = "E*TRADE"
    IBKR = "Interactive Brokers"
    ROBINHOOD = "Robinhood"


class FileKind(enum.Enum):
    """What a broker file holds."""

    POSITIONS = "positions"
    LOT_DETAIL = "lot detail"
    HISTORY = "history"
    REALIZED = "realized gain/loss"
    POSITIONS_AND_HISTORY = "positions and history"


class TradeKind(enum.Enum):
    """What a history row did to the shares held."""

    BUY = "BUY"
    SELL = "SELL"
    REINVEST = "REINVEST"
    """A dividend or distribution reinvested: a purchase of shares."""
    TRANSFER_IN = "TRANSFER_IN"
    """Shares moved in kind into the account (ACATS, journal, stock-plan deposit): no purchase."""
    TRANSFER_OUT = "TRANSFER_OUT"
    """Shares moved in kind out of the account: not a sale."""
    SPLIT = "SPLIT"
    """Shares received (or, negative, removed) by a split, reverse split or stock dividend."""

    @property
    def is_purchase(self) -> bool:
        """Whether the row acquired shares by purchase, so it can start a wash-sale window.

        Authority: IRC §1091(a) ("has acquired (by purchase ...)"); tax-rules.md §3.2. A
        reinvested dividend buys shares with the dividend's cash; an in-kind transfer moves
        shares already held and a split or stock dividend acquires nothing by purchase.
        """
        return self is TradeKind.BUY or self is TradeKind.REINVEST


class SkipReason(enum.Enum):
    """Why a row of a known layout made no record (counted in the report, never silent)."""

    INTEREST = "cash interest"
    DIVIDEND = "dividends and distributions paid in cash"
    TAX_WITHHELD = "tax withheld"
    FEE = "fees"
    JOURNAL = "journals"
    CASH_MOVEMENT = "cash deposits, withdrawals and transfers"
    CORE_CASH = "core/cash positions"
    PENDING = "pending activity"
    OPTION = "option contracts"
    SHORT = "short sales and short positions"
    CURRENCY = "currency conversions"
    CORPORATE_ACTION = "corporate actions (merger, name change, spin-off, conversion)"
    ADJUSTMENT = "adjustments"
    TOTAL = "total and subtotal rows"
    SECTION = "section titles and repeated headers"
    FOOTER = "footer and disclaimer lines"
    OTHER_SECTION = "other statement sections"
    POSITION_EXPANDED = "position totals whose lots follow"
    EMPTY_POSITION = "positions of zero shares"
    EXECUTION_DETAIL = "executions detailing an order row"


UNRECOGNISED_ACTION = "action not imported: "
"""Prefix of the skip reason for an action no mapping knows; the action's text follows."""


class SourceLine(NamedTuple):
    """Where a record came from: the file's name and the 1-based line its row starts on
    (for a JSON file, the 1-based number of the transaction, with ``unit="transaction"``).

    A NamedTuple built by name: every record of a file has one, and a tuple of text and a
    number is quick to build and is left alone by the cycle collector."""

    file: str
    line: int
    unit: str = "line"

    def __str__(self) -> str:
        return f"{self.file}, {self.unit} {self.line}"


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A row of a known layout that could not be read; the rest of the file still imports."""

    source: SourceLine
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


def _require_ticker(ticker: str) -> None:
    if not ticker or ticker != ticker.strip().upper():
        raise HarvestInputError("ticker", f"{ticker!r} is not a ticker (stripped, upper case)")


@dataclass(frozen=True, slots=True)
class ImportedAccount:
    """An account named in a file: ``account`` is its identity in the records (the number as
    shown, else the name); ``account_type`` is inferred from the name (``None`` when the name
    does not say), and ``inferred_from`` explains the inference for the user to confirm."""

    broker: Broker
    account: str
    name: str | None
    number: str | None
    account_type: AccountType | None
    inferred_from: str
    source: SourceLine
    key: str

    def __post_init__(self) -> None:
        if not self.account:
            raise HarvestInputError("account", "an account needs a name or a number")


@dataclass(frozen=True, slots=True)
class ImportedLot:
    """Shares held. ``is_position_total``: the file gives only the position's total, so
    ``acquired`` is ``None`` and the user must supply the lots. ``account`` is ``None`` when the
    file does not name its account. ``holding_key`` identifies the holding whatever its
    quantity (a later snapshot of the same position shares it); ``key`` identifies these values.
    """

    broker: Broker
    account: str | None
    ticker: str
    shares: Decimal
    acquired: date | None
    cost_basis: Decimal | None
    cost_per_share: Decimal | None
    price: Decimal | None
    value: Decimal | None
    is_position_total: bool
    term: Term | None
    as_of: date | None
    description: str | None
    source: SourceLine
    key: str
    holding_key: str

    def __post_init__(self) -> None:
        _require_ticker(self.ticker)
        if self.shares <= 0:
            raise HarvestInputError("shares", f"{self.shares} is not a positive number of shares")
        if self.is_position_total and self.acquired is not None:
            raise HarvestInputError("acquired", "a position total has no acquisition date")
        if self.cost_basis is not None and self.cost_basis < 0:
            raise HarvestInputError("cost_basis", f"{self.cost_basis} is negative")
        if self.as_of is not None and self.acquired is not None and self.acquired > self.as_of:
            raise HarvestInputError("acquired", f"{self.acquired} is after {self.as_of}")


class _TradeFields(NamedTuple):
    broker: Broker
    account: str | None
    kind: TradeKind
    trade_date: date
    ticker: str
    shares: Decimal
    price: Decimal | None
    amount: Decimal | None
    fees: Decimal | None
    cost_basis: Decimal | None
    acquired: date | None
    action: str
    source: SourceLine
    key: str


class ImportedTrade(_TradeFields):
    """A history row that changed the shares held. ``trade_date`` is the trade date: the
    "as of" date when the row carries one (wash-sale windows run from it). ``shares`` is
    positive, except for a SPLIT, where it is signed (negative: shares removed). ``amount`` is
    the cash as the file shows it (negative when paid). ``cost_basis`` and ``acquired`` are
    given only when the row states them. ``action`` is the file's own words for the row.

    A NamedTuple built by name that checks its values as it is made (a history makes one per
    row, and a frozen dataclass takes twice as long to build); ``_replace`` checks them too.
    Being a tuple, it also unpacks, compares and hashes as the tuple of its fields."""

    __slots__ = ()

    def __new__(
        cls,
        broker: Broker,
        account: str | None,
        kind: TradeKind,
        trade_date: date,
        ticker: str,
        shares: Decimal,
        price: Decimal | None,
        amount: Decimal | None,
        fees: Decimal | None,
        cost_basis: Decimal | None,
        acquired: date | None,
        action: str,
        source: SourceLine,
        key: str,
    ) -> ImportedTrade:
        _require_ticker(ticker)
        if kind is TradeKind.SPLIT:
            if shares == 0:
                raise HarvestInputError("shares", "a split row must add or remove shares")
        elif shares <= 0:
            raise HarvestInputError("shares", f"{shares} is not a positive number of shares")
        if price is not None and price < 0:
            raise HarvestInputError("price", f"{price} is negative")
        if acquired is not None and acquired > trade_date:
            raise HarvestInputError("acquired", f"{acquired} is after {trade_date}")
        return super().__new__(
            cls,
            broker=broker,
            account=account,
            kind=kind,
            trade_date=trade_date,
            ticker=ticker,
            shares=shares,
            price=price,
            amount=amount,
            fees=fees,
            cost_basis=cost_basis,
            acquired=acquired,
            action=action,
            source=source,
            key=key,
        )

    def _replace(self, **changes: Any) -> ImportedTrade:
        """A copy with ``changes`` (by field name), checked like a new trade."""
        return ImportedTrade(**{**self._asdict(), **changes})


@dataclass(frozen=True, slots=True)
class ImportedRealizedLot:
    """One closed lot from a realized gain/loss export (for reconciling with Form 8949).

    Money is as the file states it; a field the file does not give is ``None``
    (``acquired``/``sold`` too when the file says "VARIOUS"). ``ticker`` is ``None`` when the
    file names the security only by description."""

    broker: Broker
    account: str | None
    ticker: str | None
    description: str | None
    shares: Decimal
    acquired: date | None
    sold: date | None
    proceeds: Decimal | None
    cost_basis: Decimal | None
    gain: Decimal | None
    short_term_gain: Decimal | None
    long_term_gain: Decimal | None
    wash_sale_disallowed: Decimal | None
    term: Term | None
    form_box: str | None
    adjustment: Decimal | None
    adjustment_code: str | None
    source: SourceLine
    key: str

    def __post_init__(self) -> None:
        if self.ticker is not None:
            _require_ticker(self.ticker)
        if self.ticker is None and not self.description:
            raise HarvestInputError("ticker", "a closed lot needs a ticker or a description")
        if self.shares <= 0:
            raise HarvestInputError("shares", f"{self.shares} is not a positive number of shares")
        if self.acquired is not None and self.sold is not None and self.acquired > self.sold:
            raise HarvestInputError("acquired", f"{self.acquired} is after the sale {self.sold}")


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Per file: what was recognised and what happened to every row after the header.

    ``rows_read`` counts the non-blank rows after the (first) header; each was made into a
    record (``records_made``), skipped for a reason (``skipped``, in order of first
    appearance), or is a problem: ``rows_read == records_made + sum(skipped) + len(problems)``.
    """

    source_name: str
    broker: Broker
    kind: FileKind
    layout: str
    rows_read: int
    records_made: int
    skipped: tuple[tuple[str, int], ...]
    problems: tuple[ImportProblem, ...]

    def skipped_count(self, reason: SkipReason | str) -> int:
        """How many rows were skipped for ``reason`` (0 when none)."""
        label = reason.value if isinstance(reason, SkipReason) else reason
        return dict(self.skipped).get(label, 0)

    def lines(self) -> list[str]:
        """The report as short lines of text, for a console or a report sheet."""
        out = [
            f"{self.source_name}: {self.broker.value} {self.kind.value} ({self.layout})",
            f"  rows read {self.rows_read}, records made {self.records_made}",
        ]
        out += [f"  skipped {count}: {reason}" for reason, count in self.skipped]
        out += [f"  problem: {problem}" for problem in self.problems]
        return out


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Everything read from one file."""

    report: ImportReport
    accounts: tuple[ImportedAccount, ...]
    lots: tuple[ImportedLot, ...]
    trades: tuple[ImportedTrade, ...]
    realized: tuple[ImportedRealizedLot, ...]
