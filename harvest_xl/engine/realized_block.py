"""The shares of one sale that share one basis and one holding period: a realized block.

The share-by-share ledger (wash sales, lot relief) produces these; Form 8949, Schedule D and
the realized year are computed from them. One SELL row gives one block per distinct
(purchase, basis, holding period) it relieved, so a sale that takes shares of two purchases,
or shares of one purchase of which only some carry an earlier wash-sale adjustment, is two
blocks with their own gain or loss (Reg. §1.1012-1(c); Form 8949 instructions, column (b):
short- and long-term shares are reported separately).

Signs: every amount is a non-negative number of dollars except the derived ``gain_loss``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from harvest_xl.engine.models import AccountType


class LotRelief(enum.Enum):
    """How the shares of a sale were identified."""

    NAMED = "named"
    """The SELL row named its lot (acquired date and cost basis as paid)."""
    FIFO = "fifo"
    """The SELL row named no lot: the account's earliest known purchases were relieved first
    (Reg. §1.1012-1(c)(1): first in, first out when the lot is not adequately identified)."""
    UNKNOWN = "unknown"
    """No lot was named and no purchase is known: the basis is unknown (never taken as zero)."""


@dataclass(frozen=True, slots=True)
class RealizedBlock:
    """One block of shares sold: what Form 8949 needs for one row.

    ``acquired`` is the trade date of the purchase the shares came from; ``holding_start`` is
    that date moved back by every holding period tacked onto the shares by earlier wash sales
    (IRC §1223(3)), and decides the term. Both are ``None`` when the basis is unknown.

    ``wash_adjustment`` is the disallowed loss of earlier wash sales carried in these shares'
    basis (IRC §1091(d)); ``wash_adjustment_same_account`` is the part whose loss sale was in
    the same account and the same ticker, which a broker applies itself (Form 8949
    instructions, code B: otherwise the broker reports the cost paid). ``disallowed`` is this
    block's own loss disallowed now (code W, a positive adjustment), of which
    ``lost_for_good`` was matched with an IRA or Roth IRA purchase (Rev. Rul. 2008-5) or,
    by policy, an employer plan or HSA purchase, and is added to no basis anywhere.
    """

    sale_row: int | None
    account: str
    account_type: AccountType
    ticker: str
    shares: Decimal
    acquired: date | None
    holding_start: date | None
    sold: date
    proceeds: Decimal
    basis_paid: Decimal | None
    wash_adjustment: Decimal
    wash_adjustment_same_account: Decimal
    disallowed: Decimal
    lost_for_good: Decimal
    relief: LotRelief
    spouse: bool = False

    @property
    def basis(self) -> Decimal | None:
        """Cost as paid plus the carried wash-sale adjustments (None when unknown)."""
        if self.basis_paid is None:
            return None
        return self.basis_paid + self.wash_adjustment

    @property
    def gain_loss(self) -> Decimal | None:
        """Proceeds minus adjusted basis, before this block's own disallowance."""
        basis = self.basis
        return None if basis is None else self.proceeds - basis

    @property
    def allowed(self) -> Decimal | None:
        """The gain or the allowed loss: Form 8949 column (h)."""
        result = self.gain_loss
        return None if result is None else result + self.disallowed
