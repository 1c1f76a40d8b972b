"""The machinery every layout's reader shares: header matching, and a :class:`FileBuilder` that
collects one file's records, identity keys, skipped rows and bad rows into an ImportResult.

Identity keys. A record's ``key`` is a digest of what the record says (broker, account, dates,
ticker, shares, money), numbers in canonical form (``142.0350`` and ``142.035`` agree), plus the
number of earlier records in the same file that say exactly the same (two identical buys on one
day are two trades). So the same file read twice gives the same keys, and a later export that
overlaps an earlier one gives the overlapping rows the same keys (identical rows share a date, so
an export covering one covers all of them). The line number is not part of a key: it moves when a
later export adds rows above.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import Term
from harvest_xl.importers.accounts import infer_account_type
from harvest_xl.importers.errors import BrokerFileError
from harvest_xl.importers.records import (
    Broker,
    FileKind,
    ImportedAccount,
    ImportedLot,
    ImportedRealizedLot,
    ImportedTrade,
    ImportProblem,
    ImportReport,
    ImportResult,
    SkipReason,
    SourceLine,
    TradeKind,
)
from harvest_xl.importers.values import CellValues

KEY_DIGEST_BYTES = 12
"""Bytes of the BLAKE2b digest in a key (96 bits: no collision among any user's rows)."""
MAX_PREAMBLE_RECORDS = 60
"""How many records at the start of a file may precede its header row."""


def header_name(cell: str) -> str:
    """A header cell as matched: no BOM or surrounding quotes, lower case, single spaces."""
    return " ".join(cell.replace("\ufeff", "").strip().strip("'\"").lower().split())


def header_names(cells: Sequence[str]) -> tuple[str, ...]:
    """The row's header names, trailing empty cells dropped."""
    names = [header_name(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()
    return tuple(names)


def has_columns(cells: Sequence[str], *names: str) -> bool:
    """Whether a row's header names include every one of ``names``."""
    present = set(header_names(cells))
    return all(name in present for name in names)


def is_blank(cells: Sequence[str]) -> bool:
    """A record with nothing in it (an empty line, ``,,,,``, or ``""``)."""
    return not "".join(cells).strip()


def filled(cells: Sequence[str]) -> int:
    """How many cells of a record hold something."""
    return sum(1 for cell in cells if cell.strip())


def looks_like_footer(cells: Sequence[str]) -> bool:
    """A disclaimer or "Date downloaded" line: one filled cell, or a first cell that begins with
    a literal quote (a disclaimer sentence split at its commas by a re-save)."""
    first = cells[0].lstrip()
    if first.startswith('"'):
        return True
    if first[:1].isdigit() and len(cells) - cells.count("") > 1:
        return False  # a dated row with more in it: the common case, decided without a loop
    return filled(cells) == 1


class Columns:
    """A header row: the position of each column by its matched name."""

    __slots__ = ("names", "_index")

    def __init__(self, cells: Sequence[str]) -> None:
        self.names = header_names(cells)
        self._index: dict[str, int] = {}
        for position, name in enumerate(self.names):
            self._index.setdefault(name, position)

    def find(self, *names: str) -> int | None:
        """The position of the first of ``names`` present, or ``None``."""
        for name in names:
            position = self._index.get(name)
            if position is not None:
                return position
        return None

    def need(self, *names: str) -> int:
        """Like :meth:`find`, for a column the layout's detection guarantees."""
        position = self.find(*names)
        if position is None:  # pragma: no cover - detect() checked the header
            raise HarvestInputError(names[0], "the column is missing from the header")
        return position


def cell(cells: Sequence[str], position: int | None) -> str:
    """The cell at ``position``; empty when the column is absent or the row is short."""
    if position is None or position >= len(cells):
        return ""
    return cells[position]


def find_header(
    records: Iterator[tuple[int, list[str]]],
    detect: Callable[[Sequence[str]], bool],
    source_name: str,
) -> tuple[list[tuple[int, list[str]]], int, list[str]]:
    """Consume records up to and including the first header ``detect`` accepts; returns the
    records before it (the preamble), the header's line and its cells."""
    preamble: list[tuple[int, list[str]]] = []
    for line, cells in records:
        if detect(cells):
            return preamble, line, cells
        if len(preamble) < MAX_PREAMBLE_RECORDS:
            preamble.append((line, cells))
    raise BrokerFileError(source_name, "the layout's header row is missing")


def _number_text(number: Decimal) -> str:
    """A number's canonical text: ``142.0350`` and ``142.035`` both give ``142.035``."""
    text = str(number)
    if "E" in text:
        text = format(number.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _optional_number(number: Decimal | None) -> str:
    return "" if number is None else _number_text(number)


_SKIP_LABELS: dict[SkipReason, str] = {reason: reason.value for reason in SkipReason}
_KIND_NAMES: dict[TradeKind, str] = {kind: kind.name for kind in TradeKind}


def _canon(part: object) -> str:
    if isinstance(part, str):
        return part
    if part is None:
        return ""
    if isinstance(part, Decimal):
        return _number_text(part)
    if isinstance(part, date):
        return part.isoformat()
    if isinstance(part, Term | TradeKind):
        return part.name
    return str(part)


class FileBuilder:
    """Collects one file's records. A reader counts each non-blank row after the header with
    :meth:`row`, then either adds a record, :meth:`skip`\\ s it with a reason, or reports a
    :meth:`problem`."""

    def __init__(
        self, source_name: str, broker: Broker, kind: FileKind, layout: str, unit: str = "line"
    ) -> None:
        self.source_name = source_name
        self.unit = unit
        self.broker = broker
        self.kind = kind
        self.layout = layout
        self.values = CellValues()
        self.rows_read = 0
        self._records = 0
        self._skipped: dict[str, int] = {}
        self._problems: list[ImportProblem] = []
        self._occurrences: dict[str, int] = {}
        self._accounts: dict[str, ImportedAccount] = {}
        self.lots: list[ImportedLot] = []
        self.trades: list[ImportedTrade] = []
        self.realized: list[ImportedRealizedLot] = []
        self._prefix = broker.name.lower()
        self._numbers: dict[Decimal | None, str] = {}  # each number's canonical text, made once
        self._actions: dict[str, str] = {}  # each action's words, spaces evened out
        self._days: dict[date, str] = {}  # each trade date's text in a key

    # ----------------------------------------------------------------- row outcomes

    def row(self) -> None:
        """Count one non-blank row read after the header."""
        self.rows_read += 1

    def skip(self, reason: SkipReason | str) -> None:
        label = reason if isinstance(reason, str) else _SKIP_LABELS[reason]
        self._skipped[label] = self._skipped.get(label, 0) + 1

    def problem(self, line: int, error: HarvestInputError | str) -> None:
        message = error if isinstance(error, str) else f"{error.argument}: {error.problem}"
        self._problems.append(ImportProblem(self.source(line), message))

    def source(self, line: int) -> SourceLine:
        return SourceLine(file=self.source_name, line=line, unit=self.unit)

    # ----------------------------------------------------------------- keys and accounts

    def key(self, tag: str, parts: Iterable[object]) -> str:
        """The identity key of a record saying ``parts`` (see the module docstring)."""
        canonical = "\x1f".join(_canon(part) for part in (self._prefix, tag, *parts))
        return self._digest(canonical, tag)

    def _digest(self, canonical: str, tag: str) -> str:
        """The key of ``canonical`` (which starts with the broker and ``tag``), counting the
        earlier records of the file that said the same."""
        seen = self._occurrences.get(canonical, 0)
        self._occurrences[canonical] = seen + 1
        digest = hashlib.blake2b(
            f"{canonical}\x1e{seen}".encode(), digest_size=KEY_DIGEST_BYTES
        ).hexdigest()
        return f"{self._prefix}-{tag}-{digest}"

    def account(self, name: str | None, number: str | None, line: int) -> str | None:
        """Register the account a row names and return its identity (the number as shown,
        else the name); ``None`` when the row names none."""
        name = name.strip() if name and name.strip() else None
        number = number.strip() if number and number.strip() else None
        identity = number or name
        if identity is None:
            return None
        if identity not in self._accounts:
            account_type, why = infer_account_type(name)
            self._accounts[identity] = ImportedAccount(
                broker=self.broker,
                account=identity,
                name=name,
                number=number,
                account_type=account_type,
                inferred_from=why,
                source=self.source(line),
                key=f"{self._prefix}-account-{_canon(identity)}",
            )
        return identity

    # ----------------------------------------------------------------- records

    def add_lot(
        self,
        line: int,
        *,
        account: str | None,
        ticker: str,
        shares: Decimal | None,
        acquired: date | None = None,
        cost_basis: Decimal | None = None,
        cost_per_share: Decimal | None = None,
        price: Decimal | None = None,
        value: Decimal | None = None,
        is_position_total: bool,
        term: Term | None = None,
        as_of: date | None = None,
        description: str | None = None,
    ) -> None:
        if shares is None:
            raise HarvestInputError("shares", "the row gives no quantity")
        ticker = ticker.strip().upper()
        slot = "position" if is_position_total else acquired
        self.lots.append(
            ImportedLot(
                broker=self.broker,
                account=account,
                ticker=ticker,
                shares=shares,
                acquired=acquired,
                cost_basis=cost_basis,
                cost_per_share=cost_per_share,
                price=price,
                value=value,
                is_position_total=is_position_total,
                term=term,
                as_of=as_of,
                description=description,
                source=self.source(line),
                key=self.key("lot", (account, ticker, slot, shares, cost_basis, cost_per_share)),
                holding_key=self.key("holding", (account, ticker, slot)),
            )
        )
        self._records += 1

    def add_trade(
        self,
        line: int,
        *,
        account: str | None,
        kind: TradeKind,
        trade_date: date | None,
        ticker: str,
        shares: Decimal | None,
        action: str,
        price: Decimal | None = None,
        amount: Decimal | None = None,
        fees: Decimal | None = None,
        cost_basis: Decimal | None = None,
        acquired: date | None = None,
    ) -> None:
        if trade_date is None:
            raise HarvestInputError("date", "the row gives no trade date")
        if shares is None:
            raise HarvestInputError("shares", "the row gives no quantity")
        ticker = ticker.strip().upper()
        words = self._actions.get(action)
        if words is None:
            words = self._actions[action] = " ".join(action.split())
        day = self._days.get(trade_date)
        if day is None:
            day = self._days[trade_date] = trade_date.isoformat()
        # Each number's canonical text from the memo; only a number new to the file, or a
        # missing one, calls the method.
        texts = self._numbers
        shares_text = texts.get(shares) or self._number_text(shares)
        price_text = texts.get(price) or self._number_text(price)
        amount_text = texts.get(amount) or self._number_text(amount)
        self.trades.append(
            ImportedTrade(
                broker=self.broker,
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
                action=words,
                source=SourceLine(file=self.source_name, line=line, unit=self.unit),
                key=self._digest(
                    f"{self._prefix}\x1ftrade\x1f{account or ''}\x1f{day}"
                    f"\x1f{_KIND_NAMES[kind]}\x1f{ticker}\x1f{shares_text}"
                    f"\x1f{price_text}\x1f{amount_text}",
                    "trade",
                ),
            )
        )
        self._records += 1

    def _number_text(self, number: Decimal | None) -> str:
        """:func:`_optional_number`, made once per distinct number of the file (equal
        numbers have one canonical text)."""
        if number is None:
            return ""
        text = self._numbers.get(number)
        if text is None:
            text = self._numbers[number] = _number_text(number)
        return text

    def add_realized(
        self,
        line: int,
        *,
        account: str | None,
        ticker: str | None,
        shares: Decimal | None,
        description: str | None = None,
        acquired: date | None = None,
        sold: date | None = None,
        proceeds: Decimal | None = None,
        cost_basis: Decimal | None = None,
        gain: Decimal | None = None,
        short_term_gain: Decimal | None = None,
        long_term_gain: Decimal | None = None,
        wash_sale_disallowed: Decimal | None = None,
        term: Term | None = None,
        form_box: str | None = None,
        adjustment: Decimal | None = None,
        adjustment_code: str | None = None,
    ) -> None:
        if shares is None:
            raise HarvestInputError("shares", "the row gives no quantity")
        ticker = ticker.strip().upper() if ticker and ticker.strip() else None
        self.realized.append(
            ImportedRealizedLot(
                broker=self.broker,
                account=account,
                ticker=ticker,
                description=description,
                shares=shares,
                acquired=acquired,
                sold=sold,
                proceeds=proceeds,
                cost_basis=cost_basis,
                gain=gain,
                short_term_gain=short_term_gain,
                long_term_gain=long_term_gain,
                wash_sale_disallowed=wash_sale_disallowed,
                term=term,
                form_box=form_box,
                adjustment=adjustment,
                adjustment_code=adjustment_code,
                source=self.source(line),
                key=self.key(
                    "realized",
                    (account, ticker or description, acquired, sold, shares, proceeds, cost_basis),
                ),
            )
        )
        self._records += 1

    def result(self) -> ImportResult:
        report = ImportReport(
            source_name=self.source_name,
            broker=self.broker,
            kind=self.kind,
            layout=self.layout,
            rows_read=self.rows_read,
            records_made=self._records,
            skipped=tuple(self._skipped.items()),
            problems=tuple(self._problems),
        )
        return ImportResult(
            report=report,
            accounts=tuple(self._accounts.values()),
            lots=tuple(self.lots),
            trades=tuple(self.trades),
            realized=tuple(self.realized),
        )


_SCHWAB_OPTION = re.compile(r"^\S+ \d{1,2}/\d{1,2}/\d{4} [\d.]+ [CP]$")
_OCC_OPTION = re.compile(r"^[A-Z.]{1,6}\s*\d{6}[CP]\d{8}$")


def is_listed_option(symbol: str) -> bool:
    """An option symbol as Schwab (``PLTR 04/17/2026 125.00 P``) or OCC (``SPY   250321C00500000``)
    writes it."""
    text = symbol.strip().upper()
    return bool(_SCHWAB_OPTION.match(text) or _OCC_OPTION.match(text))


def term_from_gains(short_gain: Decimal | None, long_gain: Decimal | None) -> Term | None:
    """The term a realized row's two gain columns imply: only when exactly one is filled."""
    if short_gain is not None and long_gain is None:
        return Term.SHORT
    if long_gain is not None and short_gain is None:
        return Term.LONG
    return None


def term_from_text(text: str | None) -> Term | None:
    """``Short Term``/``ST``/``Short`` and ``Long Term``/``LT``/``Long`` as a :class:`Term`."""
    if not text:
        return None
    word = text.strip().lower()
    if word.startswith("short") or word == "st":
        return Term.SHORT
    if word.startswith("long") or word == "lt":
        return Term.LONG
    return None
