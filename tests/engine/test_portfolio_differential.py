"""The table pass equals the per-lot functions, lot by lot.

``evaluate_lots`` computes every Holdings row in one pass with per-run shortcuts (each
acquisition date's term once, the thresholds checked once, a group's purchases indexed
once, only the purchases inside the window looked up). Each row must still be exactly
what the public per-lot functions give for that lot alone: ``harvest_status`` on the
wash-adjusted basis and tacked date, ``days_until_long_term``, ``wash_risk_for`` on a
fresh ``PurchaseIndex`` (built from a separate wash-sale analysis of the activity),
``sale_timing`` and ``timed_status`` (sell now or wait), ``choose_substitute`` and
``SavingCalculator``. The plan must be ``plan_from_candidates`` of the lots those
functions call Harvest (and, for goal ``fill 0% bracket``, of the long-term winners).

The household is the seeded benchmark generator at 500 lots, plus the cases the
generator rarely draws: held replacement shares that carry a wash-sale adjustment, a
lot whose own purchase is inside the window, a spouse's purchase and scheduled
purchases in several groups, including an employer plan (whose treatment follows the
policy).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from harvest_xl.engine.harvest import HarvestCode, SavingCalculator, harvest_status
from harvest_xl.engine.holding import days_until_long_term
from harvest_xl.engine.lots import (
    Account,
    Action,
    Activity,
    Frequency,
    Lot,
    Owner,
    Recurring,
    identical_groups,
    substitutes_for,
)
from harvest_xl.engine.models import AccountType, Term, WashSalePolicy
from harvest_xl.engine.plan import PlanCandidate, PlanGoal, plan_from_candidates
from harvest_xl.engine.portfolio import LotRow, evaluate_lots, lot_with_basis
from harvest_xl.engine.sale_timing import sale_timing, timed_status
from harvest_xl.engine.substitute import choose_substitute, recent_loss_groups
from harvest_xl.engine.wash_risk import PurchaseIndex, wash_risk_for
from harvest_xl.engine.wash_sale import analyse_wash_sales, money, safe_rebuy_date

from ..bench.portfolio_data import ACCOUNTS, AS_OF, PROFILE, activity, lots, recurring, securities

SPOUSE = Account("Spouse", AccountType.TAXABLE, owner=Owner.SPOUSE)


def _household(seed: int) -> tuple[list[Lot], list[Activity], list[Recurring]]:
    held = lots(500, seed=seed)
    acts = activity(5000, seed=seed + 1, days=400)
    # A spouse's purchases inside the window of the sale on the as-of date.
    for i, ticker in enumerate(("T004", "T021", "T050", "T101")):
        when = AS_OF - timedelta(days=3 + 5 * i)
        acts.append(
            Activity(
                when,
                SPOUSE.name,
                SPOUSE.account_type,
                Action.BUY,
                ticker,
                Decimal(40 + i),
                Decimal("55.5"),
                owner=Owner.SPOUSE,
                row=10_000 + i,
            )
        )
    # A realized wash sale whose replacement is bought on the window's first day: only
    # 4 of its 10 shares are still free to replace a loss sold on the as-of date.
    first_day = AS_OF - timedelta(days=30)
    acts += [
        Activity(
            first_day - timedelta(days=3),
            "Brokerage",
            AccountType.TAXABLE,
            Action.SELL,
            "ZZZ",
            Decimal(6),
            Decimal(50),
            Decimal(600),
            date(2024, 1, 10),
            row=10_100,
        ),
        Activity(
            first_day,
            "Brokerage",
            AccountType.TAXABLE,
            Action.BUY,
            "ZZZ",
            Decimal(10),
            Decimal(50),
            row=10_101,
        ),
    ]
    held.append(
        Lot(
            "Joint",
            AccountType.TAXABLE,
            "ZZZ",
            Decimal(20),
            date(2024, 1, 10),
            Decimal(2000),
            Decimal(50),
            AS_OF,
            row=10_102,
        )
    )
    plans = recurring() + [
        Recurring(
            "Brokerage", AccountType.TAXABLE, t, Decimal(250), Frequency.MONTHLY, date(2025, 12, 1)
        )
        for t in ("T003", "T020", "T077")
    ]
    plans.append(
        Recurring(
            "HSA", AccountType.HSA, "T030", Decimal(125), Frequency.BIWEEKLY, date(2025, 11, 21)
        )
    )
    # A partial wash sale sold now: a quarterly purchase in three weeks replaces 5 of 100
    # shares, and waiting past it would end next year (issue 20).
    plans.append(
        Recurring(
            "Brokerage", AccountType.TAXABLE, "PWS", Decimal(250), Frequency.QUARTERLY,
            date(2025, 12, 18),
        )
    )  # fmt: skip
    held.append(
        Lot(
            "Brokerage", AccountType.TAXABLE, "PWS", Decimal(100), date(2024, 2, 1),
            Decimal(8000), Decimal(50), AS_OF, row=10_103,
        )
    )  # fmt: skip
    groups = identical_groups(securities())
    wash = analyse_wash_sales(acts, groups, PROFILE.wash_policy)
    # Held replacement shares: their basis carries the disallowed loss, their holding
    # period is tacked (IRC §1091(d), §1223(3)).
    still_held: dict[tuple[str, str, date], Decimal] = {}
    for block in wash.held_blocks:
        key = (block.account, block.ticker, block.acquired)
        still_held[key] = still_held.get(key, Decimal(0)) + block.shares
    for k, (name, ticker, acquired) in enumerate(wash.adjusted_purchases):
        if k == 40:
            break
        account = next(a for a in ACCOUNTS if a.name == name)
        held_shares = still_held[(name, ticker, acquired)]
        shares = held_shares if k % 2 else max(Decimal(1), held_shares / 2)
        held.append(
            Lot(
                name,
                account.account_type,
                ticker,
                shares,
                acquired,
                money(shares * Decimal("31.40")),
                Decimal("24.10"),
                AS_OF,
                row=20_000 + k,
            )
        )
    # A lot whose own purchase is inside the window: that purchase is not a replacement.
    own = next(
        a
        for a in acts
        if a.action is Action.BUY
        and a.account_type is AccountType.TAXABLE
        and AS_OF - timedelta(days=25) <= a.date <= AS_OF
    )
    held.append(
        Lot(
            own.account,
            own.account_type,
            own.ticker,
            own.shares,
            own.date,
            own.shares * own.price,
            money(own.price * Decimal("0.8")),
            AS_OF,
            row=30_000,
        )
    )
    return held, acts, plans


def _highest_prices(held: list[Lot]) -> dict[str, Decimal]:
    prices: dict[str, Decimal] = {}
    for lot in held:
        if lot.ticker not in prices or lot.price >= prices[lot.ticker]:
            prices[lot.ticker] = lot.price
    return prices


CASES = [
    pytest.param(3, PROFILE, id="conservative"),
    pytest.param(4, replace(PROFILE, wash_policy=WashSalePolicy.IGNORE), id="ignore"),
    pytest.param(5, replace(PROFILE, min_loss=Decimal(0), min_pct=Decimal(0)), id="no-thresholds"),
    pytest.param(
        6, replace(PROFILE, min_loss=Decimal(2500), min_pct=Decimal("0.3")), id="high-thresholds"
    ),
]


@pytest.mark.parametrize(("seed", "profile"), CASES)
@pytest.mark.parametrize("goal", [PlanGoal.OFFSET_GAINS_AND_DEDUCTION, PlanGoal.FILL_ZERO_BRACKET])
def test_each_row_equals_the_per_lot_functions(seed: int, profile, goal: PlanGoal) -> None:  # type: ignore[no-untyped-def]
    """Every computed column of every row is what the per-lot functions give for the lot."""
    held, acts, plans = _household(seed)
    secs = securities()
    groups = identical_groups(secs)
    accounts = {a.name: a for a in [*ACCOUNTS, SPOUSE]}
    result = evaluate_lots(
        profile, held, acts, plans, secs, accounts, groups, goal, withdrawals=False
    )
    wash = analyse_wash_sales(acts, groups, profile.wash_policy)
    prices = _highest_prices(held)
    calc = SavingCalculator(profile)
    as_of = profile.as_of
    assert as_of is not None
    recent = recent_loss_groups(wash, groups, as_of)
    candidates: list[PlanCandidate] = []
    partial = 0
    seen = {code: 0 for code in HarvestCode}
    at_risk_rows = 0
    for lot, row in zip(held, result.rows, strict=True):
        increase, tacked = wash.adjustment_for(lot)
        basis = lot.cost_basis + increase
        acquired = tacked or lot.acquired
        status = harvest_status(
            lot.account_type,
            basis,
            lot.market_value,
            acquired,
            as_of,
            profile.min_loss,
            profile.min_pct,
        )
        code, text, risk_text = status.code, status.text, ""
        federal = state = carry = None
        if lot.account_type.has_tax_effect and status.gain < 0:
            index = PurchaseIndex.from_wash(wash, plans, groups, as_of, prices)  # this lot's own
            subs = substitutes_for(lot.ticker, secs, groups)
            adjusted = lot_with_basis(lot, basis)
            risk = wash_risk_for(adjusted, index, profile.wash_policy, subs)
            timing = None
            if risk.at_risk and code is HarvestCode.HARVEST:
                loss = -money(status.gain)
                timing = sale_timing(adjusted, loss, risk, index, profile.wash_policy)
            code, text = timed_status(code, text, risk, timing)
            partial += risk.at_risk and code is HarvestCode.HARVEST
            risk_text = risk.text
            at_risk_rows += risk.at_risk
            assert status.term is not None
            saving = calc.saving(-money(status.gain) - risk.loss_at_risk, status.term)
            federal, state, carry = saving.federal, saving.state, saving.carryover
            if code is HarvestCode.HARVEST or timing is not None:
                substitute, why = choose_substitute(subs, index, recent)
                candidates.append(
                    PlanCandidate(
                        lot,
                        basis,
                        status.term,
                        saving.total,
                        risk.safe_rebuy,
                        substitute,
                        timing=timing,
                        group=groups.key(lot.ticker),
                        substitute_note=why,
                    )
                )
        elif not lot.account_type.has_tax_effect:
            federal = state = Decimal(0)
        elif status.gain > 0 and status.term is Term.LONG:
            group = groups.key(lot.ticker)
            candidates.append(
                PlanCandidate(
                    lot,
                    basis,
                    Term.LONG,
                    Decimal(0),
                    as_of,
                    None,
                    group=group,
                    rebuy_blocked=(
                        "Not sold: buying it back today would replace a loss sold in its "
                        "identical group within 30 days (IRC §1091(a))"
                        if group in recent
                        else ""
                    ),
                )
            )
        expected = LotRow(
            lot.row if lot.row is not None else -1,
            lot,
            lot.market_value,
            basis,
            increase,
            status.gain,
            status.term,
            days_until_long_term(acquired, as_of),
            code,
            text,
            risk_text,
            safe_rebuy_date(as_of),
            federal,
            state,
            carry,
            None,
            None,
            "",
        )
        # repr: equal Decimals of different exponents ("1E+2" vs "100") must not pass.
        assert repr(row) == repr(expected), lot
        seen[code] += 1
    plan = plan_from_candidates(profile, candidates, goal, calc)
    assert repr(result.plan) == repr(plan)
    assert partial >= 1  # a lot sold now despite a purchase (a partial wash sale)
    # The household reaches the paths compared above.
    assert sum(1 for r in result.rows if r.basis_adjustment) >= 20
    assert sum(1 for r in result.rows if r.wash_risk.startswith("Wash sale")) >= 5
    assert at_risk_rows >= 5
    zzz = next(r for r in result.rows if r.lot.ticker == "ZZZ")
    assert zzz.wash_risk.startswith("Wash sale: bought 4 ZZZ in Brokerage"), zzz.wash_risk
    assert seen[HarvestCode.NO_TAX_EFFECT] and seen[HarvestCode.HOLD_GAIN]
    if profile.min_loss == 0:
        assert seen[HarvestCode.HOLD_SMALL] == 0
    else:
        assert seen[HarvestCode.HOLD_SMALL]


def test_summary_sums_every_realized_match() -> None:
    """The summary's wash-sale totals are the sums over every realized match."""
    held, acts, plans = _household(7)
    secs = securities()
    groups = identical_groups(secs)
    result = evaluate_lots(PROFILE, held, acts, plans, secs, None, groups, withdrawals=False)
    matches = analyse_wash_sales(acts, groups, PROFILE.wash_policy).matches
    lost = [m.disallowed_loss for m in matches if m.permanently_lost]
    assert lost and len(lost) < len(matches)
    summary = result.summary
    assert repr(summary.wash_disallowed) == repr(
        sum((m.disallowed_loss for m in matches), Decimal(0))
    )
    assert repr(summary.wash_deferred) == repr(sum((m.basis_increase for m in matches), Decimal(0)))
    assert repr(summary.wash_lost_for_good) == repr(sum(lost, Decimal(0)))
