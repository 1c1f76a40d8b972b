"""Realized blocks built by hand from the worked examples RY-1 ... RY-5 (realized-year.md §3).

Each case states the facts its blocks encode: what the share-by-share ledger would hand to
Form 8949 for those trades. The expected rows, Schedule D lines and TXF text are written
out in the tests, from the reference's tables, never computed by the code under test.
Dates in the blocks' ``holding_start`` follow the reference's ``add_days`` convention.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from harvest_xl.engine.form8949 import BasisReporting
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.realized_block import LotRelief, RealizedBlock

D = Decimal
TAXABLE = AccountType.TAXABLE


def block(
    ticker: str,
    shares: int | str,
    acquired: date | None,
    sold: date,
    proceeds: int | str,
    basis_paid: int | str | None,
    *,
    holding_start: date | None = None,
    wash_adjustment: int | str = 0,
    same_account: int | str = 0,
    disallowed: int | str = 0,
    lost_for_good: int | str = 0,
    account: str = "Brokerage",
    account_type: AccountType = TAXABLE,
    relief: LotRelief = LotRelief.NAMED,
    sale_row: int | None = None,
    spouse: bool = False,
) -> RealizedBlock:
    """A block by name; ``holding_start`` defaults to ``acquired`` (nothing tacked)."""
    return RealizedBlock(
        sale_row=sale_row,
        account=account,
        account_type=account_type,
        ticker=ticker,
        shares=D(shares),
        acquired=acquired,
        holding_start=acquired if holding_start is None else holding_start,
        sold=sold,
        proceeds=D(proceeds),
        basis_paid=None if basis_paid is None else D(basis_paid),
        wash_adjustment=D(wash_adjustment),
        wash_adjustment_same_account=D(same_account),
        disallowed=D(disallowed),
        lost_for_good=D(lost_for_good),
        relief=relief,
        spouse=spouse,
    )


# RY-1: bought 100 XYZ 2025-11-03 for 5,000; sold 2026-03-10 for 4,000 (loss 1,000, all of it
# disallowed: 100 replacement shares bought 2026-03-20 for 4,100 in the same account); the
# replacement sold 2026-06-01 for 4,300. Its basis carries the 1,000 (same account, so the
# broker applied it) and its holding period starts 2026-03-20 - 127 days = 2025-11-13.
RY1_LOSS = block("XYZ", 100, date(2025, 11, 3), date(2026, 3, 10), 4000, 5000, disallowed=1000)
RY1_REPLACEMENT = block(
    "XYZ",
    100,
    date(2026, 3, 20),
    date(2026, 6, 1),
    4300,
    4100,
    holding_start=date(2025, 11, 13),
    wash_adjustment=1000,
    same_account=1000,
)
RY1 = [RY1_LOSS, RY1_REPLACEMENT]

# RY-1b: the same trades, the replacement at another broker: its 1,000 adjustment comes from
# a loss sale in another account, so its broker reports the cost paid, 4,100.
RY1B = [
    block(
        "XYZ",
        100,
        date(2025, 11, 3),
        date(2026, 3, 10),
        4000,
        5000,
        disallowed=1000,
        account="Broker One",
    ),
    block(
        "XYZ",
        100,
        date(2026, 3, 20),
        date(2026, 6, 1),
        4300,
        4100,
        holding_start=date(2025, 11, 13),
        wash_adjustment=1000,
        same_account=0,
        account="Broker Two",
    ),
]

# RY-1c: the RY-1 blocks, in an account that issues no 1099-B (box C).
RY1C = RY1
RY1C_REPORTING = {"Brokerage": BasisReporting.NO_1099B}

# RY-2: the RY-1 loss sale, replaced by 100 XYZ bought 2026-03-20 in a Traditional IRA: the
# 1,000 is disallowed and lost for good; the IRA later sells its shares (a block of an IRA,
# which must give no row).
RY2 = [
    block(
        "XYZ",
        100,
        date(2025, 11, 3),
        date(2026, 3, 10),
        4000,
        5000,
        disallowed=1000,
        lost_for_good=1000,
    ),
    block(
        "XYZ",
        100,
        date(2026, 3, 20),
        date(2026, 9, 1),
        4500,
        4100,
        account="IRA",
        account_type=AccountType.TRADITIONAL_IRA,
    ),
]

# RY-3: 100 ABC bought 2026-01-05 for 3,000, sold 2026-04-15 for 2,000; 40 replaced
# 2026-04-30 in the same account: 400 of the 1,000 loss disallowed.
RY3 = [block("ABC", 100, date(2026, 1, 5), date(2026, 4, 15), 2000, 3000, disallowed=400)]

# RY-4: no wash sales. 50 LTG bought 2023-02-01 for 2,000, sold 2026-05-01 for 4,500;
# 200 STL bought 2025-12-01 for 12,000, sold 2026-06-15 for 4,000.
RY4 = [
    block("LTG", 50, date(2023, 2, 1), date(2026, 5, 1), 4500, 2000),
    block("STL", 200, date(2025, 12, 1), date(2026, 6, 15), 4000, 12000),
]

# RY-5: 100 QRS bought 2025-01-15 for 6,000, sold 2026-01-10 for 5,500 (held 360 days, loss
# 500 disallowed: 100 bought 2026-01-20 for 5,400, same account); the replacement sold
# 2026-05-01 for 5,800, basis 5,900, holding from 2026-01-20 - 360 days = 2025-01-25.
RY5 = [
    block("QRS", 100, date(2025, 1, 15), date(2026, 1, 10), 5500, 6000, disallowed=500),
    block(
        "QRS",
        100,
        date(2026, 1, 20),
        date(2026, 5, 1),
        5800,
        5400,
        holding_start=date(2025, 1, 25),
        wash_adjustment=500,
        same_account=500,
    ),
]

# RY-5b: the replacement at another broker: it reports basis 5,400, acquired 01/20/2026 and
# short-term; the tacked holding period makes the sale long-term.
RY5B = [
    block(
        "QRS",
        100,
        date(2025, 1, 15),
        date(2026, 1, 10),
        5500,
        6000,
        disallowed=500,
        account="Broker One",
    ),
    block(
        "QRS",
        100,
        date(2026, 1, 20),
        date(2026, 5, 1),
        5800,
        5400,
        holding_start=date(2025, 1, 25),
        wash_adjustment=500,
        same_account=0,
        account="Broker Two",
    ),
]

ACTIVITY_THROUGH = date(2027, 1, 31)
"""Every case's Activity runs past January 30 of the next year: no row is provisional."""
