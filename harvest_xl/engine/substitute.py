"""What to hold while a harvested lot's own security is off limits (issue 20).

A sale at a loss keeps the portfolio invested through a substitute: a security the user's
Securities sheet lists for it and does not put in its identical group (tax-rules.md §3.3:
only the user's table says what is substantially identical). A listed substitute is passed
over when its own group has a purchase made or scheduled within 30 days of the sale, or a
loss sold in the 30 days before it: buying it then would be a replacement for that loss
(IRC §1091(a)).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from harvest_xl.engine.lots import IdenticalGroups
from harvest_xl.engine.wash_risk import PurchaseIndex
from harvest_xl.engine.wash_rules import wash_window_days
from harvest_xl.engine.wash_sale import WashSaleResult

NONE_KNOWN = "None known"
"""What the plan says when no substitute qualifies."""


def recent_loss_groups(
    wash: WashSaleResult, identical: IdenticalGroups, as_of: date
) -> frozenset[str]:
    """Identical-group keys with a loss still allowed on a sale in the 30 days up to
    ``as_of``: a purchase of that group on ``as_of`` would disallow it.

    Authority: IRC §1091(a) (a purchase within 30 days after a loss sale).
    """
    first = as_of - timedelta(days=wash_window_days())
    found = set()
    for block in wash.realized_between(first, as_of):
        allowed = block.allowed
        if allowed is not None and allowed < 0:
            found.add(identical.key(block.ticker))
    return frozenset(found)


def choose_substitute(
    listed: Sequence[str], index: PurchaseIndex, loss_groups: frozenset[str]
) -> tuple[str | None, str]:
    """The first of ``listed`` (the Securities sheet's substitutes, none in the lot's
    identical group) that no purchase made or scheduled within 30 days of the as-of date
    and no recent loss sale touches; otherwise ``None`` and why.

    Authority: IRC §1091(a); tax-rules.md §3.3.
    """
    passed: list[str] = []
    for ticker in listed:
        if index.has_purchases(ticker):
            passed.append(f"{ticker} (bought or scheduled within 30 days)")
        elif index.identical.key(ticker) in loss_groups:
            passed.append(f"{ticker} (sold at a loss within 30 days)")
        else:
            return ticker, ""
    if not passed:
        return None, "No substitute listed on the Securities sheet"
    return None, "No substitute: " + "; ".join(passed)
