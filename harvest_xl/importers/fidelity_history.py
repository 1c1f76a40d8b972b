"""Fidelity activity history: ``History_for_Account_X….csv`` / ``Accounts_History.csv``
(Accounts & Trade > Activity & Orders > History > Download).

Columns are found by name, so every era of README §1.2 reads the same way: 2021 (``Account``
holding ``NAME X00000000``, leading spaces), 2022-23 single-account (no ``Account``) and
all-accounts, 2025-26 (``Account`` + ``Account Number``, ``Price ($)`` before ``Quantity``),
Dec 2025 (18 columns without ``($)``), and the re-saved sample quoted with ``'``.

The ``Action`` text decides what a row is (it embeds the ticker and the cash bucket, e.g.
``YOU BOUGHT VANGUARD ... (VT) (Cash)``); an ``as of MM/DD/YYYY`` inside it is the trade date.
Rows for the core (cash) fund, dividends, interest, fees, taxes, cash movements and corporate
actions are skipped by reason; the legal text and ``Date downloaded`` line end the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.importers.fidelity_common import clean, is_core, is_option, split_account
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import (
    UNRECOGNISED_ACTION,
    Broker,
    FileKind,
    ImportResult,
    SkipReason,
    TradeKind,
)
from harvest_xl.importers.source import csv_records
from harvest_xl.importers.table import (
    Columns,
    FileBuilder,
    find_header,
    has_columns,
    is_blank,
    looks_like_footer,
)
from harvest_xl.importers.values import find_as_of

# How an action's leading words classify it: a trade kind, a skip reason, or a rule that needs
# the quantity ("TRANSFER": in or out by its sign; "SHARES": a purchase when shares arrive).
_TRANSFER = "TRANSFER"
_SHARES_BOUGHT = "SHARES"
_SPLIT_IF_SHARES = "SPLIT"
_ACTIONS: tuple[tuple[str, TradeKind | SkipReason | str], ...] = (
    ("YOU BOUGHT OPENING", SkipReason.OPTION),
    ("YOU BOUGHT CLOSING", SkipReason.OPTION),
    ("YOU SOLD OPENING", SkipReason.OPTION),
    ("YOU SOLD CLOSING", SkipReason.OPTION),
    ("YOU SOLD SHORT", SkipReason.SHORT),
    ("YOU BOUGHT", TradeKind.BUY),
    ("YOU SOLD", TradeKind.SELL),
    ("REINVESTMENT", TradeKind.REINVEST),
    ("PURCHASE INTO CORE ACCOUNT", SkipReason.CORE_CASH),
    ("REDEMPTION FROM CORE ACCOUNT", SkipReason.CORE_CASH),
    ("DIVIDEND RECEIVED", SkipReason.DIVIDEND),
    ("DIVIDEND", _SHARES_BOUGHT),  # a 401(k) plan's reinvested dividend carries shares
    ("LONG-TERM CAP GAIN", SkipReason.DIVIDEND),
    ("SHORT-TERM CAP GAIN", SkipReason.DIVIDEND),
    ("RETURN OF CAPITAL", SkipReason.DIVIDEND),
    ("IN LIEU OF", SkipReason.DIVIDEND),
    ("INTEREST", SkipReason.INTEREST),
    ("NON-RESIDENT TAX", SkipReason.TAX_WITHHELD),
    ("FOREIGN TAX", SkipReason.TAX_WITHHELD),
    ("TAX WITHHELD", SkipReason.TAX_WITHHELD),
    ("FED TAX", SkipReason.TAX_WITHHELD),
    ("STATE TAX", SkipReason.TAX_WITHHELD),
    ("JOURNALED", SkipReason.JOURNAL),
    ("TRANSFERRED FROM", _TRANSFER),
    ("TRANSFERRED TO", _TRANSFER),
    ("TRANSFER OF ASSETS", _TRANSFER),
    ("CONTRIBUTIONS", _SHARES_BOUGHT),  # a 401(k) plan's payroll purchase
    ("CONTRIBUTION", SkipReason.CASH_MOVEMENT),  # an IRA's cash contribution
    ("DIRECT DEPOSIT", SkipReason.CASH_MOVEMENT),
    ("DIRECT DEBIT", SkipReason.CASH_MOVEMENT),
    ("ELECTRONIC FUNDS TRANSFER", SkipReason.CASH_MOVEMENT),
    ("DEBIT CARD", SkipReason.CASH_MOVEMENT),
    ("CHECK", SkipReason.CASH_MOVEMENT),
    ("BILL PAYMENT", SkipReason.CASH_MOVEMENT),
    ("WIRE", SkipReason.CASH_MOVEMENT),
    ("DEPOSIT", SkipReason.CASH_MOVEMENT),
    ("WITHDRAWAL", SkipReason.CASH_MOVEMENT),
    ("PARTIAL DISTRIBUTION", SkipReason.CASH_MOVEMENT),
    ("NORMAL DISTRIBUTION", SkipReason.CASH_MOVEMENT),
    ("FEE", SkipReason.FEE),
    ("RECORDKEEPING FEE", SkipReason.FEE),
    ("ADVISORY FEE", SkipReason.FEE),
    ("MARGIN INTEREST", SkipReason.FEE),
    ("STOCK SPLIT", _SPLIT_IF_SHARES),
    ("REVERSE SPLIT", _SPLIT_IF_SHARES),
    ("DISTRIBUTION", _SPLIT_IF_SHARES),  # a split's new shares: quantity, no amount
    ("MERGER", SkipReason.CORPORATE_ACTION),
    ("NAME CHANGE", SkipReason.CORPORATE_ACTION),
    ("SPIN OFF", SkipReason.CORPORATE_ACTION),
    ("SPINOFF", SkipReason.CORPORATE_ACTION),
    ("CONVERSION", SkipReason.CORPORATE_ACTION),
    ("EXCHANGED", SkipReason.CORPORATE_ACTION),
    ("ASSIGNED", SkipReason.OPTION),
    ("EXPIRED", SkipReason.OPTION),
    ("EXERCISED", SkipReason.OPTION),
    ("CHANGE IN MARKET VALUE", SkipReason.ADJUSTMENT),
)
# Longest prefix first, so "YOU BOUGHT OPENING" wins over "YOU BOUGHT", "FEE" cannot take
# "FEDERAL ...", and so on.
_BY_LENGTH = tuple(sorted(_ACTIONS, key=lambda item: -len(item[0])))


def classify(action: str) -> TradeKind | SkipReason | str | None:
    """What a Fidelity action's leading words say it is; ``None`` when no rule knows it."""
    words = action.upper()
    for prefix, outcome in _BY_LENGTH:
        if words.startswith(prefix) and (
            len(words) == len(prefix) or not words[len(prefix)].isalnum()
        ):
            return outcome
    return None


def detect(header_cells: Sequence[str]) -> bool:
    """``Run Date``, ``Action``, ``Symbol``, ``Quantity`` and an amount column."""
    return has_columns(header_cells, "run date", "action", "symbol", "quantity") and (
        has_columns(header_cells, "amount ($)") or has_columns(header_cells, "amount")
    )


def read(text: str, source_name: str) -> ImportResult:
    """Read a Fidelity history download."""
    out = FileBuilder(source_name, Broker.FIDELITY, FileKind.HISTORY, LAYOUT.name)
    requoted = "'Run Date'" in text[:4096]  # the sample re-saved with ' as the quote
    records = csv_records(text, source_name, quotechar="'" if requoted else '"')
    _, _, header = find_header(records, detect, source_name)
    reader = _Reader(out, _HistoryColumns(Columns(header)), requoted)
    finished = False
    for line, cells in records:
        # A row dated in its first cell with more in it (nearly every row, most with their
        # second cell filled) is neither blank nor a footer, decided without looking further.
        if finished or not (
            cells
            and cells[0][:1].isdigit()
            and (len(cells) > 1 and cells[1] or len(cells) - cells.count("") > 1)
        ):
            if is_blank(cells):
                continue
            if finished or looks_like_footer(cells):
                out.row()
                finished = True
                out.skip(SkipReason.FOOTER)
                continue
        out.row()
        try:
            reader.row(line, cells)
        except HarvestInputError as error:
            out.problem(line, error)
    return out.result()


_CELLS = (
    "run_date",
    "account",
    "number",
    "action",
    "symbol",
    "description",
    "quantity",
    "price",
    "commission",
    "fees",
    "amount",
)
"""The cells a row's reader looks at, by their position's name in :class:`_HistoryColumns`."""


class _HistoryColumns:
    __slots__ = (*_CELLS, "blank", "reach", "has_number")

    def __init__(self, columns: Columns) -> None:
        # A missing optional column points just past the header's columns, at the empty cell
        # a row is padded with (or that cell emptied), so every cell is read by plain indexing.
        blank = self.blank = len(columns.names)
        self.run_date = columns.need("run date")
        self.account = _or(columns.find("account"), blank)
        self.number = _or(columns.find("account number"), blank)
        self.has_number = columns.find("account number") is not None
        self.action = columns.need("action")
        self.symbol = columns.need("symbol")
        self.description = _or(columns.find("description", "security description"), blank)
        self.quantity = columns.need("quantity")
        self.price = _or(columns.find("price ($)", "price"), blank)
        self.commission = _or(columns.find("commission ($)", "commission"), blank)
        self.fees = _or(columns.find("fees ($)", "fees"), blank)
        self.amount = columns.need("amount ($)", "amount")
        # A row needs cells up to the last one read; most rows have them all, unpadded.
        self.reach = 1 + max(getattr(self, name) for name in _CELLS)


def _or(position: int | None, blank: int) -> int:
    return blank if position is None else position


_UNSEEN = "\x00unseen"
"""What a memo gives for a text not seen yet (compared by identity: never a stored value)."""
_Outcome = TradeKind | SkipReason | str | None


class _Reader:
    """One file's rows, with what repeats across rows (an action's classification, an
    account's identity, whether a symbol is an option) worked out once per distinct text."""

    __slots__ = ("out", "at", "clean", "_outcomes", "_accounts", "_options", "_core")

    def __init__(self, out: FileBuilder, at: _HistoryColumns, requoted: bool) -> None:
        self.out = out
        self.at = at
        self.clean: Callable[[str], str] = clean if requoted else str.strip
        self._outcomes: dict[str, _Outcome] = {}
        self._accounts: dict[tuple[str, str], str | None] = {}
        self._options: dict[str, bool] = {}
        self._core: dict[tuple[str, str], bool] = {}

    def row(self, line: int, cells: list[str]) -> None:
        out, at, values, clean = self.out, self.at, self.out.values, self.clean
        if len(cells) < at.reach:  # pad: missing cells and missing columns read empty
            cells = cells + [""] * (at.reach - len(cells))
        elif at.reach > at.blank and cells[at.blank]:  # past the header's columns: not read
            cells = cells[: at.blank] + [""]
        shown = (cells[at.account], cells[at.number])  # every account named, even by skipped rows
        account = self._accounts.get(shown, _UNSEEN)
        if account is _UNSEEN:
            account = self._account(shown, line)
        run_date = clean(cells[at.run_date])
        if "pending" in run_date.lower():
            out.skip(SkipReason.PENDING)
            return
        action = clean(cells[at.action])
        outcome = self._outcomes.get(action, _UNSEEN)
        if outcome is _UNSEEN:
            outcome = self._outcomes[action] = classify(action)
        if outcome is None:
            out.skip(UNRECOGNISED_ACTION + " ".join(action.split()[:3]))
            return
        if isinstance(outcome, SkipReason):
            out.skip(outcome)
            return
        symbol = clean(cells[at.symbol])
        option = self._options.get(symbol)
        if option is None:
            option = self._options[symbol] = is_option(symbol)
        if option:
            out.skip(SkipReason.OPTION)
            return
        shares = values.shares(cells[at.quantity], "Quantity")
        amount = values.number(clean(cells[at.amount]), "Amount")
        kind = (
            outcome if type(outcome) is TradeKind else _trade_kind(outcome, shares, amount, action)
        )
        if isinstance(kind, SkipReason):
            out.skip(kind)
            return
        description = clean(cells[at.description])
        core = self._core.get((symbol, description))
        if core is None:
            core = self._core[(symbol, description)] = is_core(symbol, description)
        if core:
            out.skip(SkipReason.CORE_CASH)
            return
        if not symbol:
            raise HarvestInputError(
                "Symbol",
                f"the row names no ticker (the security is {description!r}); enter it by hand",
            )
        if shares is None:
            raise HarvestInputError("Quantity", "the row gives no quantity")
        trade_date = values.day(run_date, "Run Date")
        if "as of" in action or "AS OF" in action:
            as_of = find_as_of(action)
            if as_of is not None:
                trade_date = values.day(as_of, "Action (as of)")
        out.add_trade(
            line,
            account=account,
            kind=kind,
            trade_date=trade_date,
            ticker=symbol,
            shares=shares if kind is TradeKind.SPLIT else abs(shares),
            action=action,
            price=values.number(clean(cells[at.price]), "Price"),
            amount=amount,
            fees=self._fees(cells),
        )

    def _account(self, shown: tuple[str, str], line: int) -> str | None:
        """Register the account of a row's (account, number) cells, seen for the first time."""
        if self.at.has_number:
            identity = self.out.account(self.clean(shown[0]), self.clean(shown[1]), line)
        else:
            identity = self.out.account(*split_account(shown[0]), line)
        self._accounts[shown] = identity
        return identity

    def _fees(self, cells: list[str]) -> Decimal | None:
        """Commission and fees as the row states them (summed when the file splits them)."""
        values, at, clean = self.out.values, self.at, self.clean
        commission = values.number(clean(cells[at.commission]), "Commission")
        fees = values.number(clean(cells[at.fees]), "Fees")
        if commission is None:
            return fees
        return commission if fees is None else commission + fees


def _trade_kind(
    outcome: TradeKind | str, shares: Decimal | None, amount: Decimal | None, action: str
) -> TradeKind | SkipReason:
    """The kind of a row whose action needs its numbers to decide."""
    if isinstance(outcome, TradeKind):
        return outcome
    moved = shares is not None and shares != 0
    if outcome == _TRANSFER:
        if not moved:
            return SkipReason.CASH_MOVEMENT
        assert shares is not None
        return TradeKind.TRANSFER_IN if shares > 0 else TradeKind.TRANSFER_OUT
    if outcome == _SHARES_BOUGHT:
        if not moved:
            return (
                SkipReason.DIVIDEND
                if action.upper().startswith("DIVIDEND")
                else (SkipReason.CASH_MOVEMENT)
            )
        return TradeKind.REINVEST if action.upper().startswith("DIVIDEND") else TradeKind.BUY
    # _SPLIT_IF_SHARES: shares without cash are a split's; with cash, a distribution paid.
    return TradeKind.SPLIT if moved and not amount else SkipReason.DIVIDEND


LAYOUT = Layout(
    broker=Broker.FIDELITY,
    kind=FileKind.HISTORY,
    name="Accounts_History.csv",
    where="Accounts & Trade > Activity & Orders > History > Download",
    detect=detect,
    read=read,
)
