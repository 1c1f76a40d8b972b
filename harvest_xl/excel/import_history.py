"""Holdings rebuilt from a complete buy/sell history (``harvest-xl import --lots-from-history``).

A history that covers an account since it was opened (or since it last held nothing) says
which shares the account still holds, each with the date it was bought and what was paid.
Whether a history is complete cannot be seen: a 12-month download of an account opened ten
years ago shows no sale of the old shares to betray it. So the rebuild runs only when the
user says the history is complete, and still refuses, per account and ticker, what it can
see is missing (:func:`rebuild_from_history`):

* more shares sold or transferred out than the history shows bought (first in, first out),
  or a sale naming a lot (acquired date) the history never shows bought;
* a split of shares the history never shows held;
* a transfer in without its cost basis and acquisition date (never a guessed basis);
* a reverse split (the Activity table cannot hold one: the import skips it);
* a row the Activity table's reader cannot read (a purchase without a price: its cost is
  unknown).

**One reader, one ledger.** The rebuild reads the Activity rows the import writes (the same
values, the same reader as the refresh: :func:`~harvest_xl.inputs.tables.parse_activity`)
and runs them through the engine's share-by-share ledger
(:func:`~harvest_xl.engine.wash_sale.analyse_wash_sales`). So the shares a Holdings row says
are held are the shares the refresh's own ledger finds held in the Activity table.

**Which dates and basis.** Of a :class:`~harvest_xl.engine.wash_records.HeldBlock` a
Holdings row takes ``acquired`` (the trade date of the purchase, or the date a transfer in
gave) and ``basis_paid`` (the cost as paid), never ``holding_start`` or ``basis``. The
refresh adjusts a Holdings lot itself: it looks the lot up by (account, ticker, acquired)
in the ledger it runs over Activity and adds the disallowed loss the shares carry to the
basis and tacks the sold shares' holding period (``WashSaleResult.adjustment_for``; IRC
§1091(d), §1223(3)). A tacked date in Acquired would not be found there (the adjustment
would be lost) and would misstate when the shares were bought; an adjusted basis would be
adjusted a second time.

**One row per purchase.** The ledger cuts a purchase's held shares into several blocks
where only some of them replaced a loss. Those blocks differ only in what the refresh adds
(adjustment, tacked start), which it spreads over the rows of one purchase pro rata; and the
cuts depend on the account types and the Securities table's identical groups, which are the
user's to change. So the blocks of one purchase are one Holdings row (its held shares, their
basis as paid): the rows depend on the history alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from harvest_xl.engine.lots import Account, Action, Activity
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.wash_sale import analyse_wash_sales
from harvest_xl.importers import ImportedTrade, TradeKind
from harvest_xl.inputs.tables import RowProblem, parse_activity

ZERO = Decimal(0)

RELIEF_ACCOUNT_TYPE = AccountType.TAXABLE
"""The type every account is read with for the rebuild. Which shares a sale or transfer
relieves, and their basis as paid, do not depend on the account's type (only what a loss
does does), and the rows must not change when the user corrects an inferred type."""


@dataclass(frozen=True, slots=True)
class HistoryTrade:
    """One trade of the history as the import writes it: the Accounts row ``account`` it
    belongs to, the broker's record, and its Activity rows (one, or one per closed lot of a
    SELL; none for a reverse split, which the Activity table cannot hold)."""

    account: str
    trade: ImportedTrade
    rows: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class RebuiltLot:
    """The shares of one purchase (or transfer in) still held at the end of the history:
    ``acquired`` its trade date, ``cost_basis`` what was paid for them (no wash-sale
    adjustment), ``purchase`` the history's record of it."""

    account: str
    ticker: str
    shares: Decimal
    acquired: date
    cost_basis: Decimal
    purchase: ImportedTrade

    def __post_init__(self) -> None:
        if self.shares <= ZERO:
            raise ValueError(f"a rebuilt lot holds shares, not {self.shares}")


@dataclass(frozen=True, slots=True)
class LastTrade:
    """A ticker's price at the last purchase or sale of it in the history; ``split_after``
    the date of a split after that trade (the price is then not the shares' price)."""

    price: Decimal
    day: date
    split_after: date | None = None


@dataclass
class HistoryLots:
    """What the history says is held: ``lots`` by account (in the order the history names
    them), ticker and acquired date; ``tickers`` the tickers the history trades in each
    account; ``left_out`` why an (account, ticker) is not rebuilt; ``last_trades`` each
    ticker's last trade price."""

    lots: list[RebuiltLot] = field(default_factory=list)
    tickers: dict[str, list[str]] = field(default_factory=dict)
    left_out: dict[tuple[str, str], str] = field(default_factory=dict)
    last_trades: dict[str, LastTrade] = field(default_factory=dict)


def rebuild_from_history(trades: Sequence[HistoryTrade]) -> HistoryLots:
    """The lots still held at the end of ``trades`` (in trade order: by date, then as the
    Activity table lists them), per account and ticker, or why none are given for one.

    Authority: Reg. §1.1012-1(c)(1) (shares identified, otherwise first in, first out), the
    ledger of :mod:`harvest_xl.engine.ledger`; IRC §307(a) (a split spreads the basis).
    """
    out = HistoryLots()
    rows: list[Mapping[str, Any]] = []
    owners: list[HistoryTrade] = []
    for item in trades:
        ticker = item.trade.ticker
        listed = out.tickers.setdefault(item.account, [])
        if ticker not in listed:
            listed.append(ticker)
        refusal = _unusable(item.trade)
        if refusal is not None:
            out.left_out.setdefault((item.account, ticker), refusal)
        rows += item.rows
        owners += [item] * len(item.rows)
    for names in out.tickers.values():
        names.sort()
    problems: list[RowProblem] = []
    accounts = {name: Account(name, RELIEF_ACCOUNT_TYPE) for name in out.tickers}
    activity = parse_activity(rows, accounts, problems, list(range(len(rows))))
    for problem in problems:
        owner = owners[problem.row]
        out.left_out.setdefault(
            (owner.account, owner.trade.ticker),
            f"its row from {owner.trade.source} cannot be read ({problem.field} {problem.message})",
        )
    out.last_trades = last_trade_prices(activity)
    usable = [a for a in activity if (a.account, a.ticker) not in out.left_out]
    held = _held_by_count(usable)
    lots = _held_lots(usable, owners)
    for (account, ticker), count in held.items():
        if count.short or count.unheld_split:
            out.left_out[(account, ticker)] = count.reason()
            continue
        found = sum((lot.shares for lot in lots.get((account, ticker), ())), ZERO)
        if found != count.held:
            out.left_out[(account, ticker)] = (
                f"{share_text(found - count.held)} shares sold as lots (acquired dates) it "
                "never shows bought"
            )
    for account, names in out.tickers.items():
        for ticker in names:
            if (account, ticker) not in out.left_out:
                out.lots += lots.get((account, ticker), [])
    return out


def _unusable(trade: ImportedTrade) -> str | None:
    """Why a trade keeps its ticker from being rebuilt, read from the record itself."""
    if trade.kind is TradeKind.SPLIT and trade.shares < ZERO:
        return (
            f"a reverse split on {trade.trade_date} ({trade.source}), which the Activity "
            "table cannot hold: enter the lots by hand"
        )
    if trade.kind is TradeKind.TRANSFER_IN and (trade.cost_basis is None or trade.acquired is None):
        return (
            f"{share_text(trade.shares)} shares transferred in on {trade.trade_date} "
            f"({trade.source}) without their cost basis and acquisition date"
        )
    return None


@dataclass(slots=True)
class _Count:
    """Shares of one account and ticker counted through the history, first in, first out:
    held at the end, sold or moved out beyond what was held, the first split of none held."""

    held: Decimal = ZERO
    short: Decimal = ZERO
    short_moved: bool = False
    unheld_split: date | None = None

    def reason(self) -> str:
        if self.short:
            verb = "sold or transferred out" if self.short_moved else "sold"
            return f"{share_text(self.short)} shares {verb} that it never shows bought"
        return f"a split on {self.unheld_split} of shares it never shows held"


def _held_by_count(activity: Iterable[Activity]) -> dict[tuple[str, str], _Count]:
    """Each account and ticker's shares counted in trade order (the ledger's order: by
    date, then as listed), to see shares leaving that never came in."""
    counts: dict[tuple[str, str], _Count] = {}
    for act in sorted(activity, key=_trade_order):
        count = counts.setdefault((act.account, act.ticker), _Count())
        if act.action is Action.BUY or act.action is Action.TRANSFER_IN:
            count.held += act.shares
        elif act.action is Action.SPLIT:
            if count.held > ZERO:
                count.held += act.shares
            elif count.unheld_split is None:
                count.unheld_split = act.date
        else:
            taken = min(count.held, act.shares)
            if taken < act.shares:
                count.short += act.shares - taken
                count.short_moved |= act.action is Action.TRANSFER_OUT
            count.held -= taken
    return counts


def _trade_order(act: Activity) -> tuple[date, int]:
    assert act.row is not None  # every row is numbered by the rebuild
    return act.date, act.row


def _held_lots(
    activity: Sequence[Activity], owners: Sequence[HistoryTrade]
) -> dict[tuple[str, str], list[RebuiltLot]]:
    """The ledger's held blocks, those of one purchase summed into one lot (see the
    module docstring), by account and ticker, oldest first (same-day purchases in trade
    order)."""
    merged: dict[int, RebuiltLot] = {}
    for block in analyse_wash_sales(activity).held_blocks:
        assert block.row is not None  # every row is numbered by the rebuild
        known = merged.get(block.row)
        shares, basis = block.shares, block.basis_paid
        if known is not None:
            shares, basis = shares + known.shares, basis + known.cost_basis
        purchase = owners[block.row].trade
        merged[block.row] = RebuiltLot(
            block.account, block.ticker, shares, block.acquired, basis, purchase
        )
    lots: dict[tuple[str, str], list[RebuiltLot]] = {}
    for row in sorted(merged, key=lambda r: (merged[r].acquired, r)):
        lot = merged[row]
        lots.setdefault((lot.account, lot.ticker), []).append(lot)
    return lots


def last_trade_prices(activity: Iterable[Activity]) -> dict[str, LastTrade]:
    """Each ticker's price at its last purchase or sale with a price (by date, then as
    listed), with the date of a later split if any; transfers and splits carry no market
    price."""
    trades: dict[str, tuple[tuple[date, int], Activity]] = {}
    splits: dict[str, tuple[date, int]] = {}
    for act in activity:
        when = _trade_order(act)
        if act.action is Action.SPLIT:
            splits[act.ticker] = max(when, splits.get(act.ticker, when))
        elif act.action in (Action.BUY, Action.SELL) and act.price > ZERO:
            known = trades.get(act.ticker)
            if known is None or known[0] < when:
                trades[act.ticker] = (when, act)
    out = {}
    for ticker, (when, act) in trades.items():
        split = splits.get(ticker)
        after = split[0] if split is not None and split > when else None
        out[ticker] = LastTrade(act.price, act.date, after)
    return out


def share_text(count: Decimal) -> str:
    """A share count as the report writes it (no trailing zeros)."""
    return format(count.normalize(), "f")
