"""A deterministic synthetic household: accounts, lots, activity and schedules of any size.

Used by the portfolio tests and the benchmark. Seeded, so every run sees the same data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from harvest_xl.engine.lots import Account, Action, Activity, Frequency, Lot, Recurring, Security
from harvest_xl.engine.models import AccountType, FilingStatus
from harvest_xl.engine.profile import Profile

AS_OF = date(2025, 11, 28)
ACCOUNTS = [
    Account("Brokerage", AccountType.TAXABLE),
    Account("Joint", AccountType.TAXABLE),
    Account("IRA", AccountType.TRADITIONAL_IRA),
    Account("Roth", AccountType.ROTH_IRA),
    Account("401k", AccountType.TRADITIONAL_401K, separation_date=None),
    Account("HSA", AccountType.HSA),
]
TICKERS = [f"T{i:03d}" for i in range(200)]
PROFILE = Profile(
    tax_year=2025,
    filing_status=FilingStatus.MFJ,
    birth_date=date(1975, 5, 1),
    ordinary_income=Decimal(180000),
    qualified_dividends=Decimal(3000),
    realized_st=Decimal(12000),
    realized_lt=Decimal(25000),
    state_rate=Decimal("0.05"),
    min_loss=Decimal(100),
    min_pct=Decimal("0.02"),
    as_of=AS_OF,
)


def securities() -> list[Security]:
    """Pairs of tickers form identical groups; each ticker has a substitute outside its group."""
    out = []
    for i, t in enumerate(TICKERS):
        out.append(Security(t, f"G{i // 2}", TICKERS[(i + 2) % len(TICKERS)]))
    return out


def lots(n: int, seed: int = 1) -> list[Lot]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        account = ACCOUNTS[rng.randrange(len(ACCOUNTS))]
        shares = Decimal(rng.randint(1, 500))
        cost = Decimal(rng.randint(2000, 40000)) / 100
        price = (cost * Decimal(rng.uniform(0.6, 1.5))).quantize(Decimal("0.01"))
        acquired = AS_OF - timedelta(days=rng.randint(0, 1500))
        out.append(
            Lot(
                account.name,
                account.account_type,
                rng.choice(TICKERS),
                shares,
                acquired,
                shares * cost,
                price,
                AS_OF,
                row=i,
            )
        )
    return out


def activity(n: int, seed: int = 2, days: int = 730) -> list[Activity]:
    """Buys and sells spread over ``days`` before the as-of date (a third are sells)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        account = ACCOUNTS[rng.randrange(len(ACCOUNTS))]
        when = AS_OF - timedelta(days=rng.randint(0, days))
        shares = Decimal(rng.randint(1, 200))
        price = Decimal(rng.randint(2000, 40000)) / 100
        ticker = rng.choice(TICKERS)
        if rng.random() < 1 / 3:
            acquired = when - timedelta(days=rng.randint(0, 900))
            basis = shares * price * Decimal(rng.uniform(0.7, 1.3))
            out.append(
                Activity(
                    when,
                    account.name,
                    account.account_type,
                    Action.SELL,
                    ticker,
                    shares,
                    price,
                    basis.quantize(Decimal("0.01")),
                    acquired,
                    row=i,
                )
            )
        else:
            out.append(
                Activity(
                    when,
                    account.name,
                    account.account_type,
                    Action.BUY,
                    ticker,
                    shares,
                    price,
                    row=i,
                )
            )
    return out


def recurring() -> list[Recurring]:
    return [
        Recurring(
            "401k",
            AccountType.TRADITIONAL_401K,
            "T000",
            Decimal(900),
            Frequency.BIWEEKLY,
            date(2025, 12, 5),
        ),
        Recurring(
            "Brokerage",
            AccountType.TAXABLE,
            "T010",
            Decimal(40),
            Frequency.QUARTERLY,
            date(2025, 12, 15),
        ),
    ]
