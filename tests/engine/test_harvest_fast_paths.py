"""Differential tests: the fast HX_HARVEST path against plain transcriptions of the rules.

``usd``, ``percent``, ``anniversary``, ``holding_term`` and ``harvest_status`` were made
cheaper per call (issue 7: hand-placed thousands separators, enum members and the holding
period read once, a named tuple built without its Python ``__new__``). The straightforward
versions they replaced are kept here, written out, and both must give the same text, the
same values and the same errors (type and message) for the same input, over random input
with half-cent ties, negative zero, huge amounts, Feb 29 and both sides of the anniversary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.harvest import (
    HarvestCode,
    HarvestStatus,
    harvest_status,
    loss_code,
    loss_reason,
    no_tax_effect_reason,
    percent,
    taxable_decision,
    usd,
)
from harvest_xl.engine.holding import anniversary, holding_facts, holding_term
from harvest_xl.engine.models import AccountType, Term
from harvest_xl.engine.params import penalty_parameter

YEARS = int(penalty_parameter("long_term_holding_period_years"))

# --------------------------------------------------------------------------- references


def usd_reference(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)):,.2f}"


def percent_reference(fraction: Decimal) -> str:
    return f"{(fraction * 100).quantize(Decimal('0.1'))}%"


def anniversary_reference(acquired: date) -> date:
    year = acquired.year + YEARS
    try:
        return acquired.replace(year=year)
    except ValueError:
        return date(year, acquired.month, acquired.day - 1)


def holding_term_reference(acquired: date, sold: date) -> Term:
    if sold < acquired:
        raise HarvestInputError(
            "as_of", f"{sold.isoformat()} is before acquired {acquired.isoformat()}"
        )
    return Term.LONG if sold > anniversary_reference(acquired) else Term.SHORT


def harvest_status_reference(
    kind: AccountType,
    cost_basis: Decimal,
    market_value: Decimal,
    acquired: date,
    as_of: date,
    min_loss: Decimal,
    min_pct: Decimal,
) -> HarvestStatus:
    for value, argument in ((cost_basis, "cost_basis"), (market_value, "market_value")):
        if value < 0:
            raise HarvestInputError(argument, f"{value} is negative")
    if min_loss < 0:
        raise HarvestInputError("min_loss", f"{min_loss} is negative")
    if min_pct < 0 or min_pct > 1:
        raise HarvestInputError(
            "min_pct", f"{min_pct} is not a fraction between 0 and 1 (5% = 0.05)"
        )
    term = holding_term_reference(acquired, as_of)
    gain = market_value - cost_basis
    if not kind.has_tax_effect:
        return HarvestStatus(HarvestCode.NO_TAX_EFFECT, no_tax_effect_reason(kind), gain, term)
    label = term.value.lower()
    if gain >= 0:
        what = f"{label} gain of {usd_reference(gain)}" if gain else "no loss"
        text = f"Hold: {what}; selling would not save tax"
        return HarvestStatus(HarvestCode.HOLD_GAIN, text, gain, term)
    loss = -gain
    share = loss / cost_basis if cost_basis else Decimal(1)
    if loss < min_loss or share < min_pct:
        text = (
            f"Hold: {label} loss of {usd_reference(loss)} ({percent_reference(share)}) is below "
            f"your threshold ({usd_reference(min_loss)} and {percent_reference(min_pct)})"
        )
        return HarvestStatus(HarvestCode.HOLD_SMALL, text, gain, term)
    text = f"Harvest: {label} loss of {usd_reference(loss)} ({percent_reference(share)} of cost)"
    return HarvestStatus(HarvestCode.HARVEST, text, gain, term)


@dataclass(frozen=True)
class Raised:
    """An exception as a comparable value: its type and message."""

    kind: type
    message: str


def outcome(call, *args):  # type: ignore[no-untyped-def]
    try:
        return call(*args)
    except (HarvestInputError, InvalidOperation, ValueError, OverflowError) as error:
        return Raised(type(error), str(error))


# --------------------------------------------------------------------------- strategies

# Cents with an optional half-cent (the ROUND_HALF_UP ties) or a finer tail.
cents = st.integers(min_value=-(10**15), max_value=10**15)
tails = st.sampled_from(["", "5", "49", "50", "51", "4999999", "5000001", "0"])


@st.composite
def amounts(draw: st.DrawFn) -> Decimal:
    choice = draw(st.integers(0, 4))
    if choice == 0:
        whole = draw(cents)
        tail = draw(tails)
        sign = "-" if whole < 0 else ""
        return Decimal(f"{sign}{abs(whole) // 100}.{abs(whole) % 100:02d}{tail}")
    if choice == 1:
        return draw(st.decimals(allow_nan=False, allow_infinity=False))
    if choice == 2:  # huge: 26 to 30 digits, past the 28-digit context for some
        return Decimal(draw(st.integers(10**25, 10**30))) * draw(st.sampled_from([1, -1]))
    if choice == 3:
        return draw(
            st.sampled_from([Decimal("-0"), Decimal("0"), Decimal("-0.00"), Decimal("0E+3")])
        )
    return Decimal(draw(st.integers(-(10**9), 10**9))).scaleb(draw(st.integers(-12, 6)))


fractions = st.one_of(
    st.decimals(min_value=-2, max_value=2, allow_nan=False, allow_infinity=False),
    st.builds(lambda n, d: Decimal(n) / Decimal(d), st.integers(0, 10**6), st.integers(1, 10**6)),
    # ties at a tenth of a percent: 0.1225 is 12.25%, 0.1235 is 12.35%
    st.builds(lambda n: Decimal(n) / 1000 + Decimal("0.0005"), st.integers(-(10**3), 10**3)),
)

dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
leap_days = (
    st.integers(1, 9999)
    .filter(lambda y: y % 4 == 0 and (y % 100 or y % 400 == 0))
    .map(lambda y: date(y, 2, 29))
)
acquired_dates = st.one_of(dates, leap_days)


@st.composite
def sale_dates(draw: st.DrawFn, acquired: date) -> date:
    """A sale near the anniversary (either side), before the purchase, or anywhere."""
    if draw(st.booleans()) and acquired.year + YEARS <= 9999:
        base = anniversary_reference(acquired)
        shift = draw(st.integers(-2, 2))
    else:
        base, shift = acquired, draw(st.integers(-400, 800))
    try:
        return base + timedelta(days=shift)
    except OverflowError:
        return base


# --------------------------------------------------------------------------- tests


@settings(max_examples=400, deadline=None)
@given(amounts())
@example(Decimal("999.995"))  # rounds up to 1,000.00: one more digit
@example(Decimal("999999.995"))  # rounds up to 1,000,000.00: a second separator
@example(Decimal("-0.004"))  # rounds to zero, keeps its minus sign as before
@example(Decimal("-0"))
@example(Decimal("1234567.891"))
@example(Decimal("Infinity"))
def test_usd_matches_the_plain_format(amount: Decimal) -> None:
    assert outcome(usd, amount) == outcome(usd_reference, amount)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "$0.00"),
        ("0.005", "$0.01"),
        ("-0.005", "-$0.01"),
        ("999.99", "$999.99"),
        ("999.995", "$1,000.00"),
        ("1000", "$1,000.00"),
        ("-123456.785", "-$123,456.79"),
        ("999999.99", "$999,999.99"),
        ("1000000", "$1,000,000.00"),
        ("-9876543210.125", "-$9,876,543,210.13"),
    ],
)
def test_usd_written_out(amount: str, text: str) -> None:
    """Fixed texts on each side of the separator boundaries, written out by hand."""
    assert usd(Decimal(amount)) == text


@settings(max_examples=300, deadline=None)
@given(fractions)
def test_percent_matches_the_plain_format(fraction: Decimal) -> None:
    assert outcome(percent, fraction) == outcome(percent_reference, fraction)


@settings(max_examples=300, deadline=None)
@given(acquired_dates)
def test_anniversary_matches_the_plain_rule(acquired: date) -> None:
    assert outcome(anniversary, acquired) == outcome(anniversary_reference, acquired)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_holding_term_matches_the_plain_rule(data: st.DataObject) -> None:
    acquired = data.draw(acquired_dates)
    sold = data.draw(sale_dates(acquired))
    expected = outcome(holding_term_reference, acquired, sold)
    assert outcome(holding_term, acquired, sold) == expected
    facts = outcome(holding_facts, acquired, sold)
    assert (facts[0] if isinstance(facts, tuple) else facts) == expected


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_harvest_status_matches_the_plain_rule(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(list(AccountType)))
    acquired = data.draw(acquired_dates)
    sold = data.draw(sale_dates(acquired))
    basis = data.draw(st.one_of(amounts(), st.just(Decimal(0))))
    value = data.draw(st.one_of(amounts(), st.just(basis)))
    min_loss = data.draw(st.one_of(st.just(Decimal(0)), amounts()))
    min_pct = data.draw(st.one_of(st.just(Decimal(0)), fractions))
    args = (kind, basis, value, acquired, sold, min_loss, min_pct)
    got = outcome(harvest_status, *args)
    assert got == outcome(harvest_status_reference, *args)
    if not isinstance(got, Raised):
        assert type(got) is HarvestStatus
        assert got.code in HarvestCode and got.term in Term


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(amounts(), st.just(Decimal(0))),
    amounts().filter(lambda loss: loss > 0),
    st.sampled_from(list(Term)),
    st.one_of(st.just(Decimal(0)), amounts()),
    st.one_of(st.just(Decimal(0)), fractions),
)
def test_taxable_decision_agrees_with_loss_code_and_loss_reason(
    basis: Decimal, loss: Decimal, term: Term, min_loss: Decimal, min_pct: Decimal
) -> None:
    """taxable_decision writes the loss rule out; the table pass calls loss_code and
    loss_reason separately: both ways give the same code and text. Both get the loss as
    their callers have it, the negated gain: a drawn loss of more than 28 digits would
    round when negated, and the two would then see different losses."""
    gain = -loss  # market value minus basis, in the context's precision
    try:
        code, share = loss_code(basis, -gain, min_loss, min_pct)
        expected: object = (code, loss_reason(code, term, -gain, share, min_loss, min_pct))
    except InvalidOperation as error:
        expected = Raised(type(error), str(error))
    assert outcome(taxable_decision, basis, gain, term, min_loss, min_pct) == expected


@pytest.mark.parametrize(
    ("basis", "value", "min_loss", "min_pct", "text"),
    [
        ("10000", "8000", "100", "0.02", "Harvest: long-term loss of $2,000.00 (20.0% of cost)"),
        (
            "10000",
            "9990",
            "100",
            "0.02",
            "Hold: long-term loss of $10.00 (0.1%) is below your threshold ($100.00 and 2.0%)",
        ),
        (
            "10000",
            "12345.675",
            "0",
            "0",
            "Hold: long-term gain of $2,345.68; selling would not save tax",
        ),
        ("10000", "10000", "0", "0", "Hold: no loss; selling would not save tax"),
        # exactly at both thresholds is enough; a cent less is not
        ("10000", "9800", "200", "0.02", "Harvest: long-term loss of $200.00 (2.0% of cost)"),
        (
            "10000",
            "9800.01",
            "0",
            "0.02",
            "Hold: long-term loss of $199.99 (2.0%) is below your threshold ($0.00 and 2.0%)",
        ),
    ],
)
def test_harvest_status_written_out(
    basis: str, value: str, min_loss: str, min_pct: str, text: str
) -> None:
    """The benchmark's cases and the threshold boundary, with the text written out by hand."""
    got = harvest_status(
        "Taxable",
        Decimal(basis),
        Decimal(value),
        date(2025, 1, 2),
        date(2026, 6, 1),
        Decimal(min_loss),
        Decimal(min_pct),
    )
    assert got.text == text
    assert got == (got.code, text, Decimal(value) - Decimal(basis), Term.LONG)
