"""The note's comparison (tests/bench/flat_rate_comparison.py): the demo households' plans
next to a flat-marginal-rate rule, with the figures checked by hand.

Retiree demo, bracket-table rule: taxable income is $0, so the table says $98,900 of room,
and all $94,000 of long-term gain (VTI $88,000, VXUS $6,000) is sold. On the return: gains
$99,000 with the $5,000 already realized; provisional income $137,000 puts benefits at the
85% cap, $40,800; AGI $153,800 trims the senior deduction to 2 x (6,000 - 6% x 3,800) =
$11,544; taxable income $106,756, of which $5,756 ordinary (Tax Table: midpoint $5,775 ->
$578) and $7,856 of gain above the $98,900 breakpoint (15%: $1,178.40): $1,756.40 of federal
tax where the plan's $35,640 costs none. State: 4% x $94,000 = $3,760.

Main demo, flat 27% rule (22% bracket at taxable income $169,200 + 5% state): it sells
INTC and ARKK whole, $17,800, and claims $4,806; the return saves $3,904, the plan's saving
with $17,001 of loss: the last $799 would only carry over.
"""

from __future__ import annotations

from decimal import Decimal

from ..bench.flat_rate_comparison import demo_households


def test_the_comparison_figures() -> None:
    """The plan and the flat rule for both demo households, to the cent."""
    main, main_fill, retiree = demo_households()
    assert (main.plan_loss, main.plan_saving) == (Decimal("17001.00"), Decimal("3904.00"))
    assert (main.flat_rate, main.flat_loss) == (Decimal("0.27"), Decimal("17800.00"))
    assert (main.flat_claimed, main.flat_actual) == (Decimal("4806.00"), Decimal("3904.00"))
    assert main.table_room == 0 and main_fill.plan_gain == 0
    assert (retiree.plan_gain, retiree.plan_gain_federal, retiree.plan_gain_state) == (
        Decimal("35640.00"),
        Decimal(0),
        Decimal("1425.60"),
    )
    assert (retiree.table_room, retiree.table_gain) == (Decimal(98900), Decimal("94000.00"))
    assert retiree.table_gain_federal == Decimal("1756.40")
    assert retiree.table_gain_state == Decimal("3760.00")
