"""Small builders for wash-sale tests: keyword arguments, readable dates."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from harvest_xl.engine.lots import Action, Activity, Lot, Owner
from harvest_xl.engine.models import AccountType

D = date.fromisoformat

# A taxable lot sold at a loss on AS_OF, shared by the wash-risk and table-pass tests.
AS_OF = D("2025-11-28")
LOT = Lot(
    "Brokerage",
    AccountType.TAXABLE,
    "VTI",
    Decimal(100),
    D("2024-06-03"),
    Decimal(10000),
    Decimal(80),
    AS_OF,
)  # $2,000 long-term loss


def buy(
    when: str,
    shares: object,
    price: object,
    *,
    ticker: str = "X",
    account: str = "Brokerage",
    account_type: AccountType = AccountType.TAXABLE,
    owner: Owner = Owner.SELF,
) -> Activity:
    return Activity(
        D(when),
        account,
        account_type,
        Action.BUY,
        ticker,
        Decimal(str(shares)),
        Decimal(str(price)),
        owner=owner,
    )


def sell(
    when: str,
    shares: object,
    price: object,
    *,
    basis: object = None,
    acquired: str | None = None,
    ticker: str = "X",
    account: str = "Brokerage",
    account_type: AccountType = AccountType.TAXABLE,
    owner: Owner = Owner.SELF,
) -> Activity:
    """A SELL naming its lot (``basis`` and ``acquired``) or, with both left out, FIFO."""
    return Activity(
        D(when),
        account,
        account_type,
        Action.SELL,
        ticker,
        Decimal(str(shares)),
        Decimal(str(price)),
        cost_basis=None if basis is None else Decimal(str(basis)),
        acquired=None if acquired is None else D(acquired),
        owner=owner,
    )


def transfer_in(
    when: str,
    shares: object,
    *,
    basis: object,
    acquired: str,
    ticker: str = "X",
    account: str = "Brokerage",
    account_type: AccountType = AccountType.TAXABLE,
) -> Activity:
    return Activity(
        D(when),
        account,
        account_type,
        Action.TRANSFER_IN,
        ticker,
        Decimal(str(shares)),
        Decimal(0),
        cost_basis=Decimal(str(basis)),
        acquired=D(acquired),
    )


def transfer_out(
    when: str,
    shares: object,
    *,
    basis: object = None,
    acquired: str | None = None,
    ticker: str = "X",
    account: str = "Brokerage",
    account_type: AccountType = AccountType.TAXABLE,
) -> Activity:
    return Activity(
        D(when),
        account,
        account_type,
        Action.TRANSFER_OUT,
        ticker,
        Decimal(str(shares)),
        Decimal(0),
        cost_basis=None if basis is None else Decimal(str(basis)),
        acquired=None if acquired is None else D(acquired),
    )


def split(
    when: str, received: object, *, ticker: str = "X", account: str = "Brokerage"
) -> Activity:
    return Activity(
        D(when),
        account,
        AccountType.TAXABLE,
        Action.SPLIT,
        ticker,
        Decimal(str(received)),
        Decimal(0),
    )


def numbered(rows: Sequence[Activity]) -> list[Activity]:
    """The rows with their table row numbers (1, 2, ...), as the adapters give them."""
    return [dataclasses.replace(act, row=i) for i, act in enumerate(rows, start=1)]
