"""Hypothesis strategies for Activity tables that exercise the wash-sale ledger."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from harvest_xl.engine.lots import Action, Activity, IdenticalGroups, Owner
from harvest_xl.engine.models import AccountType

START = date(2024, 1, 1)
# Two taxable accounts of the taxpayer, one of the spouse, and every other account type.
ACCOUNTS = [
    ("Brokerage", AccountType.TAXABLE, Owner.SELF),
    ("Joint", AccountType.TAXABLE, Owner.SELF),
    ("Spouse brokerage", AccountType.TAXABLE, Owner.SPOUSE),
] + [(kind.value, kind, Owner.SELF) for kind in AccountType if kind is not AccountType.TAXABLE]
TICKERS = ["VTI", "ITOT", "VOO", "BND"]
GROUPS = IdenticalGroups.from_pairs([("VTI", "total"), ("ITOT", "total")])

prices = st.integers(100, 20_000).map(lambda n: Decimal(n) / 100)
whole = st.integers(1, 30).map(Decimal)
fractional = st.one_of(whole, st.integers(1, 30_000).map(lambda n: Decimal(n) / 1000))
KINDS = ["buy", "buy", "buy", "named", "named", "fifo", "before", "in", "out", "split"]


@st.composite
def activity_tables(
    draw: st.DrawFn, whole_shares: bool = True, splits: bool = False
) -> list[Activity]:
    """Purchases, sales naming a purchase of the table (whole, part or piecemeal; chains
    when the purchase was a replacement), sales of shares from before the table, FIFO sales
    and transfers (and splits, if asked), often several on one day, in every account type;
    given in shuffled order with their row numbers."""
    share_counts = whole if whole_shares else fractional
    tickers = draw(st.lists(st.sampled_from(TICKERS), min_size=1, max_size=2, unique=True))
    rows: list[Activity] = []
    for _ in range(draw(st.integers(1, 28))):
        taxable = draw(st.booleans())
        account, kind, owner = draw(st.sampled_from(ACCOUNTS[:3] if taxable else ACCOUNTS))
        ticker = draw(st.sampled_from(tickers))
        when = START + timedelta(days=5 * draw(st.integers(0, 15)))  # often the same day
        shares = draw(share_counts)
        what = draw(st.sampled_from(KINDS if splits else KINDS[:-1]))
        bought = [r for r in rows if r.action is Action.BUY]
        if what == "named" and bought:
            lot = draw(st.sampled_from(bought))
            account, kind, owner, ticker = lot.account, lot.account_type, lot.owner, lot.ticker
            when = lot.date + timedelta(days=5 * draw(st.integers(0, 8)))
            half = (lot.shares / 2).quantize(Decimal(1) if whole_shares else Decimal("0.001"))
            shares = draw(st.sampled_from([lot.shares, max(Decimal(1), half), shares]))
            markup = Decimal(draw(st.integers(90, 110))) / 100
            basis = (shares * lot.price * markup).quantize(Decimal("0.01"))
            price = draw(prices)
            rows.append(
                _row(
                    when, account, kind, owner, Action.SELL, ticker, shares, price, basis, lot.date
                )
            )
        elif what in ("before", "named", "in"):
            acquired = when - timedelta(days=draw(st.integers(0, 500)))
            basis = Decimal(draw(st.integers(100, 400_000))) / 100
            action = Action.TRANSFER_IN if what == "in" else Action.SELL
            price = Decimal(0) if what == "in" else draw(prices)
            rows.append(
                _row(when, account, kind, owner, action, ticker, shares, price, basis, acquired)
            )
        elif what == "fifo":
            rows.append(_row(when, account, kind, owner, Action.SELL, ticker, shares, draw(prices)))
        elif what == "out":
            rows.append(
                _row(when, account, kind, owner, Action.TRANSFER_OUT, ticker, shares, Decimal(0))
            )
        elif what == "split":
            rows.append(_row(when, account, kind, owner, Action.SPLIT, ticker, shares, Decimal(0)))
        else:
            rows.append(_row(when, account, kind, owner, Action.BUY, ticker, shares, draw(prices)))
    numbered = [dataclasses.replace(a, row=i) for i, a in enumerate(rows)]
    return draw(st.permutations(numbered))


def _row(
    when: date,
    account: str,
    kind: AccountType,
    owner: Owner,
    action: Action,
    ticker: str,
    shares: Decimal,
    price: Decimal,
    basis: Decimal | None = None,
    acquired: date | None = None,
) -> Activity:
    return Activity(when, account, kind, action, ticker, shares, price, basis, acquired, owner)
