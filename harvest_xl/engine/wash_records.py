"""The records the wash-sale ledger hands out: matches, held blocks, replacement shares.

(The realized blocks, the contract with Form 8949, are in ``realized_block.py``.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from harvest_xl.engine.holding import TackedHolding
from harvest_xl.engine.lots import Activity, Owner
from harvest_xl.engine.models import AccountType


@dataclass(frozen=True, slots=True)
class WashSaleMatch:
    """One loss block and the replacement shares matched with it, or (``counted`` False) a
    purchase the policy does not count, shown with its reason next to the loss it would
    have hit (nothing disallowed).

    ``shares`` are the replacement shares matched (as many sold shares lose their loss);
    ``tacked`` is the replacement's holding period when the loss moved into its basis
    (None otherwise). The row indexes only point back at the input: equality leaves them out.
    """

    sale_date: date
    sale_account: str
    ticker: str
    shares: Decimal
    disallowed_loss: Decimal
    permanently_lost: bool
    replacement_date: date
    replacement_account: str
    replacement_ticker: str
    replacement_account_type: AccountType
    basis_increase: Decimal
    tacked: TackedHolding | None
    reason: str
    counted: bool = True
    sale_row: int | None = field(default=None, compare=False)
    replacement_row: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class HeldBlock:
    """Shares still held (or, in ``WashSaleResult.transferred_out``, moved out) with one
    basis and one holding start.

    ``acquired`` is the trade date of their purchase (or the date a transfer in gave);
    ``holding_start`` is that date moved back by any holding period tacked onto them
    (IRC §1223(3)); ``wash_adjustment`` is the disallowed loss carried in their basis
    (IRC §1091(d)); ``replaced_a_loss``: they already replaced a loss, so they cannot
    replace another (Reg. §1.1091-1(e)). ``row`` is the purchase's (or transfer's) row.
    """

    account: str
    account_type: AccountType
    ticker: str
    shares: Decimal
    acquired: date
    holding_start: date
    basis_paid: Decimal
    wash_adjustment: Decimal
    replaced_a_loss: bool
    owner: Owner = Owner.SELF
    row: int | None = field(default=None, compare=False)

    @property
    def basis(self) -> Decimal:
        """Cost as paid plus the carried wash-sale adjustment."""
        return self.basis_paid + self.wash_adjustment


@dataclass(frozen=True, slots=True)
class ReplacementShares:
    """A purchase and how many of its shares could still replace a loss: held at the end of
    the table and not yet used (Reg. §1.1091-1(e))."""

    purchase: Activity
    available: Decimal
