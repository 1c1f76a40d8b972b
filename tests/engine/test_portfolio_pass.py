"""The shortcuts of the table pass and the purchase index, each on both sides of its edge.

The per-lot and table results share these code paths, so the lot-by-lot comparison in
test_portfolio_differential.py cannot see them; these tests pin them by hand-worked values.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.lots import Frequency, Recurring
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.portfolio import evaluate_lots
from harvest_xl.engine.wash_risk import prospective_wash_risk
from harvest_xl.engine.wash_sale import money

from ..bench.portfolio_data import PROFILE
from .wash_helpers import AS_OF, LOT, D, buy


def _scheduled(first: date) -> Recurring:
    # $800 a month at the lot's $80: 10 shares on ``first``.
    return Recurring(
        "Brokerage", AccountType.TAXABLE, "VTI", Decimal(800), Frequency.MONTHLY, first
    )


def test_a_scheduled_purchase_before_a_later_trade_is_named_first() -> None:
    """Purchases match earliest first (Reg. §1.1091-1(c)): a purchase scheduled for Dec 3
    comes before a trade entered for Dec 8, although trades are indexed first."""
    acts = [buy("2025-12-08", 100, 80, ticker="VTI")]
    risk = prospective_wash_risk(LOT, AS_OF, acts, [_scheduled(D("2025-12-03"))])
    assert risk.text.startswith(
        "Wash sale: scheduled purchase of 10 VTI in Brokerage (Taxable) on 2025-12-03 (+1 more)"
    ), risk.text
    assert [c.scheduled for c in risk.conflicts] == [True, False]
    assert risk.blocked  # the 90 shares still to replace come from the trade already made


def test_on_the_same_day_the_trade_is_named_before_the_scheduled_purchase() -> None:
    """Same date: the purchase already entered comes first, then the scheduled one."""
    acts = [buy("2025-12-03", 50, 80, ticker="VTI")]
    risk = prospective_wash_risk(LOT, AS_OF, acts, [_scheduled(D("2025-12-03"))])
    assert risk.text.startswith("Wash sale: bought 50 VTI in Brokerage (Taxable) on 2025-12-03")
    assert [c.scheduled for c in risk.conflicts] == [False, True]


@pytest.mark.parametrize(
    ("acts", "at_risk", "lost"),
    [
        pytest.param([buy("2025-11-20", 100, 80, ticker="VTI")], 100, 0, id="whole-lot-kept"),
        pytest.param([buy("2025-11-20", 250, 80, ticker="VTI")], 100, 0, id="more-than-the-lot"),
        pytest.param(
            [
                buy(
                    "2025-11-20",
                    100,
                    80,
                    ticker="VTI",
                    account="Roth",
                    account_type=AccountType.ROTH_IRA,
                )
            ],
            100,
            100,
            id="whole-lot-lost",
        ),
        pytest.param([buy("2025-11-20", 30, 80, ticker="VTI")], 30, 0, id="part-kept"),
        pytest.param(
            [
                buy(
                    "2025-11-19",
                    30,
                    80,
                    ticker="VTI",
                    account="IRA",
                    account_type=AccountType.TRADITIONAL_IRA,
                ),
                buy("2025-11-20", 7, 80, ticker="VTI"),
            ],
            37,
            30,
            id="part-lost",
        ),
    ],
)
def test_loss_figures_are_the_loss_on_the_shares_in_cents(acts, at_risk, lost) -> None:  # type: ignore[no-untyped-def]
    """Loss at risk and loss lost for good are money(loss x shares / lot shares), to the
    exponent: 2,000.00 for the whole lot, 0.00 (not 0) for none."""
    risk = prospective_wash_risk(LOT, AS_OF, acts)
    loss, shares = Decimal("2000.00"), LOT.shares
    assert risk.shares_at_risk == at_risk
    assert repr(risk.loss_at_risk) == repr(money(loss * Decimal(at_risk) / shares))
    assert repr(risk.loss_lost_for_good) == repr(money(loss * Decimal(lost) / shares))
    assert repr(risk.loss_lost_for_good) != "Decimal('0')"


def test_thresholds_out_of_range_are_refused_by_the_profile() -> None:
    """A minimum share above 100% or a negative minimum loss is refused when the Profile is
    made, naming its Profile key (as the workbook does); both edges are accepted."""
    lot = replace(LOT, as_of=PROFILE.as_of)
    for field, value, key in (
        ("min_pct", Decimal("1.5"), "Minimum loss (%)"),
        ("min_loss", Decimal(-1), "Minimum loss ($)"),
    ):
        with pytest.raises(HarvestInputError) as raised:
            replace(PROFILE, **{field: value})
        assert raised.value.argument == key
    edge = replace(PROFILE, min_pct=Decimal(1), min_loss=Decimal(0))
    assert len(evaluate_lots(edge, [lot], [], withdrawals=False).rows) == 1


def test_a_sale_on_the_as_of_date_before_a_lots_acquisition_is_refused() -> None:
    """The term of a lot bought after the as-of date is refused, as holding_term refuses it
    (the pass computes each date's term once, the error is the same)."""
    lot = replace(LOT, acquired=AS_OF, as_of=AS_OF)
    early = replace(PROFILE, as_of=AS_OF - timedelta(days=1))
    with pytest.raises(HarvestInputError) as raised:
        evaluate_lots(early, [lot], [], withdrawals=False)
    assert raised.value.argument == "as_of"
    assert len(evaluate_lots(replace(PROFILE, as_of=AS_OF), [lot], [], withdrawals=False).rows) == 1
