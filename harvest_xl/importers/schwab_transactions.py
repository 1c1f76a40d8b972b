"""Schwab transaction history: ``<Name>_XXX123_Transactions_YYYYMMDD-HHMMSS.csv`` and its JSON
twin (Accounts > History > Export, CSV or JSON), README §2.3-2.4.

A title line (``"Transactions  for account ...234 as of …"``) names the account and may be
absent; several accounts come as concatenated blocks, each closed by ``Transactions Total``. A
date ``08/18/2023 as of 08/15/2023`` means the trade date is 08/15/2023. The JSON download has the
same rows as strings and names its account only in the file name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.importers.errors import BrokerFileError
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import (
    UNRECOGNISED_ACTION,
    Broker,
    FileKind,
    ImportResult,
    SkipReason,
    TradeKind,
)
from harvest_xl.importers.schwab_common import title_account
from harvest_xl.importers.source import csv_records
from harvest_xl.importers.table import (
    Columns,
    FileBuilder,
    filled,
    has_columns,
    is_blank,
    is_listed_option,
)
from harvest_xl.importers.values import split_as_of

_COLUMNS = ("date", "action", "symbol", "description", "quantity", "price", "fees & comm", "amount")
_JSON_FIELDS = (
    "Date",
    "Action",
    "Symbol",
    "Description",
    "Quantity",
    "Price",
    "Fees & Comm",
    "Amount",
)
_BY_SIGN = "by sign"  # an in-kind move: in or out by the quantity's sign; cash when none

_ACTIONS: dict[str, TradeKind | SkipReason | str] = {
    "buy": TradeKind.BUY,
    "sell": TradeKind.SELL,
    "reinvest shares": TradeKind.REINVEST,
    "sell short": SkipReason.SHORT,
    "buy to cover": SkipReason.SHORT,
    "short sale": SkipReason.SHORT,
    "stock split": TradeKind.SPLIT,
    "reverse split": TradeKind.SPLIT,
    "stock div dist": TradeKind.SPLIT,
    "security transfer": _BY_SIGN,
    "journaled shares": _BY_SIGN,
    "internal transfer": _BY_SIGN,
    "stock plan activity": _BY_SIGN,
    "journal": SkipReason.JOURNAL,
    "buy to open": SkipReason.OPTION,
    "sell to open": SkipReason.OPTION,
    "buy to close": SkipReason.OPTION,
    "sell to close": SkipReason.OPTION,
    "expired": SkipReason.OPTION,
    "assigned": SkipReason.OPTION,
    "exercised": SkipReason.OPTION,
    "stock merger": SkipReason.CORPORATE_ACTION,
    "cash merger": SkipReason.CORPORATE_ACTION,
    "cash merger adj": SkipReason.CORPORATE_ACTION,
    "spin-off": SkipReason.CORPORATE_ACTION,
    "name change": SkipReason.CORPORATE_ACTION,
    "conversion": SkipReason.CORPORATE_ACTION,
    "mandatory reorg exc": SkipReason.CORPORATE_ACTION,
    "credit interest": SkipReason.INTEREST,
    "bank interest": SkipReason.INTEREST,
    "bond interest": SkipReason.INTEREST,
    "nra tax adj": SkipReason.TAX_WITHHELD,
    "nra withholding": SkipReason.TAX_WITHHELD,
    "foreign tax paid": SkipReason.TAX_WITHHELD,
    "adr mgmt fee": SkipReason.FEE,
    "advisor fee": SkipReason.FEE,
    "service fee": SkipReason.FEE,
    "margin interest": SkipReason.FEE,
    "moneylink transfer": SkipReason.CASH_MOVEMENT,
    "moneylink deposit": SkipReason.CASH_MOVEMENT,
    "moneylink adj": SkipReason.CASH_MOVEMENT,
    "wire sent": SkipReason.CASH_MOVEMENT,
    "wire received": SkipReason.CASH_MOVEMENT,
    "wire funds": SkipReason.CASH_MOVEMENT,
    "wire funds received": SkipReason.CASH_MOVEMENT,
    "funds received": SkipReason.CASH_MOVEMENT,
    "promotional award": SkipReason.CASH_MOVEMENT,
    "futures mm sweep": SkipReason.CORE_CASH,
}
_DIVIDENDS = (
    "reinvest dividend",
    "cash dividend",
    "qualified dividend",
    "non-qualified div",
    "qual div reinvest",
    "pr yr div reinvest",
    "pr yr cash div",
    "pr yr special div",
    "pr yr non-qual div",
    "special non qual div",
    "special qual div",
    "long term cap gain",
    "short term cap gain",
    "long term cap gain reinvest",
    "short term cap gain reinvest",
    "cash in lieu",
    "return of capital",
)
_ACTIONS.update({action: SkipReason.DIVIDEND for action in _DIVIDENDS})


def detect(header_cells: Sequence[str]) -> bool:
    """``Date, Action, Symbol, Description, Quantity, Price, Fees & Comm, Amount``."""
    return has_columns(header_cells, *_COLUMNS)


def detect_json(keys: Sequence[str]) -> bool:
    """A JSON object with ``BrokerageTransactions``."""
    return "BrokerageTransactions" in keys


def read(text: str, source_name: str) -> ImportResult:
    """Read a Schwab transactions CSV."""
    out = FileBuilder(source_name, Broker.SCHWAB, FileKind.HISTORY, LAYOUT.name)
    reader: _Reader | None = None
    account: str | None = None
    for line, cells in csv_records(text, source_name):
        if is_blank(cells):
            continue
        first = cells[0].strip()
        if first.strip('"').lower() == "date" and detect(cells):
            if reader is not None:
                out.row()
                out.skip(SkipReason.SECTION)
            reader = _Reader(out, Columns(cells))
            continue
        if reader is not None:
            out.row()
        if first[:1].isdigit():  # a dated row: the common case
            if reader is not None:
                try:
                    reader.row(line, cells, account)
                except HarvestInputError as error:
                    out.problem(line, error)
            continue
        if first.lower().startswith("transactions total"):
            if reader is not None:
                out.skip(SkipReason.TOTAL)
            continue
        if first.lower().startswith("transactions") and filled(cells) <= 2:
            account = out.account(*title_account(first), line)
            if reader is not None:
                out.skip(SkipReason.SECTION)
            continue
        if reader is not None:
            try:
                reader.row(line, cells, account)  # not a date: reported as the row's problem
            except HarvestInputError as error:
                out.problem(line, error)
    return out.result()


def read_json(text: str, source_name: str) -> ImportResult:
    """Read a Schwab transactions JSON download; "line" numbers are transaction numbers."""
    out = FileBuilder(
        source_name, Broker.SCHWAB, FileKind.HISTORY, JSON_LAYOUT.name, unit="transaction"
    )
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BrokerFileError(source_name, f"the JSON cannot be read ({exc})") from exc
    rows = document.get("BrokerageTransactions") if isinstance(document, dict) else None
    if not isinstance(rows, list):
        raise BrokerFileError(source_name, "BrokerageTransactions is not a list of transactions")
    reader = _Reader(out, Columns(_COLUMNS))
    for number, row in enumerate(rows, start=1):
        out.row()
        try:
            if not isinstance(row, dict):
                raise HarvestInputError("transaction", "is not an object of named fields")
            reader.row(number, [_json_text(row.get(field)) for field in _JSON_FIELDS], None)
        except HarvestInputError as error:
            out.problem(number, error)
    return out.result()


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    raise HarvestInputError("value", f"{value!r} is not a text or a number")


class _Reader:
    """The rows under one header: the columns found once, the date cells ("X as of Y") and
    actions worked out once per distinct text."""

    __slots__ = ("out", "date", "action", "symbol", "quantity", "price", "fees", "amount", "width")

    def __init__(self, out: FileBuilder, columns: Columns) -> None:
        self.out = out
        self.date = columns.need("date")
        self.action = columns.need("action")
        self.symbol = columns.need("symbol")
        self.quantity = columns.need("quantity")
        self.price = columns.need("price")
        self.fees = columns.need("fees & comm")
        self.amount = columns.need("amount")
        self.width = 1 + max(
            self.date, self.action, self.symbol, self.quantity, self.price, self.fees, self.amount
        )

    def row(self, line: int, cells: list[str], account: str | None) -> None:
        out, values = self.out, self.out.values
        if len(cells) < self.width:  # a short row: its missing cells are empty
            cells = cells + [""] * (self.width - len(cells))
        action = " ".join(cells[self.action].split())
        outcome = _ACTIONS.get(action.lower())
        if outcome is None:
            out.skip(UNRECOGNISED_ACTION + action)
            return
        if isinstance(outcome, SkipReason):
            out.skip(outcome)
            return
        symbol = cells[self.symbol].strip()
        shares = values.shares(cells[self.quantity], "Quantity")
        if outcome == _BY_SIGN:
            if not shares:
                journal = "journal" in action.lower()
                out.skip(SkipReason.JOURNAL if journal else SkipReason.CASH_MOVEMENT)
                return
            kind = TradeKind.TRANSFER_IN if shares > 0 else TradeKind.TRANSFER_OUT
        else:
            assert isinstance(outcome, TradeKind)
            kind = outcome
        if " " in symbol and is_listed_option(symbol):
            out.skip(SkipReason.OPTION)
            return
        date_text = cells[self.date]
        if "as of" in date_text.lower():
            posted, as_of = split_as_of(date_text)
            date_text = as_of if as_of is not None else posted
        if shares is not None and kind is not TradeKind.SPLIT:
            shares = abs(shares)
        out.add_trade(
            line,
            account=account,
            kind=kind,
            trade_date=values.day(date_text, "Date"),
            ticker=symbol,
            shares=shares,
            action=action,
            price=values.number(cells[self.price], "Price"),
            amount=values.number(cells[self.amount], "Amount"),
            fees=values.number(cells[self.fees], "Fees & Comm"),
        )


LAYOUT = Layout(
    broker=Broker.SCHWAB,
    kind=FileKind.HISTORY,
    name="Transactions.csv",
    where="Accounts > History > Export > CSV",
    detect=detect,
    read=read,
)
JSON_LAYOUT = Layout(
    broker=Broker.SCHWAB,
    kind=FileKind.HISTORY,
    name="Transactions.json",
    where="Accounts > History > Export > JSON",
    detect=detect_json,
    read=read_json,
    is_json=True,
)
