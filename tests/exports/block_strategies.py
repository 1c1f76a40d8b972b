"""Hypothesis strategies for valid realized blocks (shared by the Form 8949 and export tests)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from harvest_xl.engine.form8949 import BasisReporting
from harvest_xl.engine.realized_block import RealizedBlock

from .ry_cases import block

D = Decimal
ACCOUNTS = ("One", "Two", "Three")
TICKERS = ("XYZ", "BRK.B", "NESTLÉ")
"""One ticker with punctuation, one that is not ASCII (the TXF writer must fold it)."""

money = st.integers(min_value=0, max_value=10**8).map(lambda n: D(n) / 10000)
"""Dollars with up to four decimals, so that rounding to cents is exercised."""


@st.composite
def blocks(draw) -> RealizedBlock:
    sold = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    acquired = sold - timedelta(days=draw(st.integers(0, 2000)))
    basis_paid, proceeds = draw(money), draw(money)
    wash = draw(st.one_of(st.just(D(0)), money))
    tacked = draw(st.integers(0, 400)) if wash else 0
    same = draw(st.sampled_from([D(0), wash, wash / 2]))
    loss = basis_paid + wash - proceeds
    disallowed = D(0)
    if loss > 0:
        disallowed = draw(st.sampled_from([loss, loss / 3, D(0)]))
    lost = draw(st.sampled_from([D(0), disallowed]))
    return block(
        draw(st.sampled_from(TICKERS)),
        draw(st.integers(1, 1000)),
        acquired,
        sold,
        proceeds,
        basis_paid,
        holding_start=acquired - timedelta(days=tacked),
        wash_adjustment=wash,
        same_account=same,
        disallowed=disallowed,
        lost_for_good=lost,
        account=draw(st.sampled_from(ACCOUNTS)),
    )


reportings = st.dictionaries(st.sampled_from(ACCOUNTS), st.sampled_from(list(BasisReporting)))
