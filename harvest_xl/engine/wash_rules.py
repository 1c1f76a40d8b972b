"""The small rules of §1091 the wash-sale ledger applies: the window, how a purchase in each
kind of account counts, the reason shown for it, and how dollars are shared among shares.

Each is a pure function citing its authority; ``ledger.py`` applies them share by share.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from harvest_xl.engine.lots import Owner
from harvest_xl.engine.models import AccountType, WashReplacement, WashSalePolicy
from harvest_xl.engine.params import penalty_parameter

ZERO = Decimal(0)
CENT = Decimal("0.01")

WASH_WINDOW_DAYS = int(penalty_parameter("wash_sale_window_days_before_after"))
"""Days before and after a loss sale in which an acquisition is a replacement (30)."""


def money(amount: Decimal) -> Decimal:
    """Dollars and cents, half-up (Form 8949 columns are in dollars and cents)."""
    return amount.quantize(CENT, ROUND_HALF_UP)


def wash_window_days() -> int:
    """Days before and after a loss sale in which a purchase is a replacement.

    Authority: IRC §1091(a); Reg. §1.1091-1(a) (the 61-day period).
    """
    return WASH_WINDOW_DAYS


def wash_window(sale_date: date) -> tuple[date, date]:
    """First and last day (inclusive) of the §1091(a) window around ``sale_date``.

    Authority: IRC §1091(a); Reg. §1.1091-1(a); tax-rules.md §3.1 (WS-9).
    """
    days = timedelta(days=WASH_WINDOW_DAYS)
    return sale_date - days, sale_date + days


def safe_rebuy_date(sale_date: date) -> date:
    """First day after the window: a substantially identical purchase is then safe.

    Authority: IRC §1091(a); tax-rules.md §3.9 ("sale date + 31").
    """
    return wash_window(sale_date)[1] + timedelta(days=1)


def replacement_treatment(
    account_type: AccountType, policy: WashSalePolicy
) -> WashReplacement | None:
    """How a purchase in ``account_type`` counts as a replacement; None = not counted.

    Authority: IRC §1091(a), (d); Rev. Rul. 2008-5 (IRA/Roth IRA: disallowed, no basis
    increase); tax-rules.md §3.7 (employer plans and HSAs: the user's policy).
    """
    kind = account_type.wash_replacement
    if kind is WashReplacement.BY_POLICY:
        return WashReplacement.PERMANENTLY_LOST if policy is WashSalePolicy.CONSERVATIVE else None
    return kind


def replacement_reason(account_type: AccountType, policy: WashSalePolicy, owner: Owner) -> str:
    """Plain-English reason for a replacement row, naming the authority it rests on.

    Authority: IRC §1091(d), §1223(3); Rev. Rul. 2008-5; Pub. 550 (a spouse's purchase);
    tax-rules.md §3.7 (the policy for employer plans and HSAs).
    """
    whose = "spouse's " if owner is Owner.SPOUSE else ""
    kind = account_type.wash_replacement
    if kind is WashReplacement.ADJUSTS_BASIS:
        text = (
            f"{whose}taxable purchase: loss deferred into its basis, holding period tacked "
            "(IRC §1091(d), §1223(3))"
        )
    elif kind is WashReplacement.PERMANENTLY_LOST:
        text = f"{whose}{account_type.value} purchase: lost for good (Rev. Rul. 2008-5)"
    elif policy is WashSalePolicy.CONSERVATIVE:
        text = (
            f"{whose}{account_type.value} purchase counted (conservative policy): lost for "
            "good as under Rev. Rul. 2008-5, though no ruling applies §1091 to this account"
        )
    else:
        text = (
            f"{whose}{account_type.value} purchase not counted (policy ignore): no ruling "
            "applies §1091 to this account; shown as a risk only"
        )
    if owner is Owner.SPOUSE:
        text += "; a spouse's purchase counts (Pub. 550)"
    return text


def portion(total: Decimal, upto: Decimal, whole: Decimal) -> Decimal:
    """The cents carried by the first ``upto`` of ``whole`` shares that carry ``total``.

    Shares are numbered from the front of their purchase (or sale, or loss); the shares
    from a to b carry ``portion(total, b, whole) - portion(total, a, whole)``. The pieces
    therefore always add up to ``total`` exactly, however often shares are split off, and
    each share's cents depend only on its place, not on the order of the splits.

    Authority: Form 8949 instructions (amounts in dollars and cents); Reg. §1.1012-1(c)
    (the basis of the shares identified); IRC §1091(d) (a replacement's share of the loss).
    """
    if upto == whole:
        return total
    if upto == ZERO:
        return ZERO
    return money(total * upto / whole)
