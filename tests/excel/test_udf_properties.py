"""Property: whatever cells hold, every HX_ function returns a result or an Excel-style error.

Values are drawn the way Excel delivers them (None, text, floats, huge and negative numbers,
NaN, infinities, dates, datetimes, serial numbers, error texts and codes, nested lists), mixed
with valid values so that the engines are reached, not only the converters. A function must
never raise, and never hit the "unexpected error" path, which would mean a bug.
"""

from __future__ import annotations

import inspect
import math
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harvest_xl import udfs

from .udf_spec import SPECS

MEANINGFUL_TEXT = [
    "single", "mfj", "Married filing jointly", "hoh", "qss", "mfs",
    "Taxable", "Brokerage", "401k", "Roth IRA", "IRA", "SIMPLE IRA", "HSA", "457b", "Roth 401k",
    "BUY", "SELL", "sell", "conservative", "ignore", "Long-term", "Short-term", "LT",
    "first_home", "separation", "09", "medical", "sepp", "99",
    "2026-03-15", "3/15/2026", "2024-02-29", "2026-13-01", "$1,234.50", "(1,234)", "5%",
    "45000", "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "", "   ", "Tax year", "Filing status",
    "Ordinary income", "State tax rate", "Birth date",
]  # fmt: skip

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e7, max_value=1e7),
    st.sampled_from([0.0, 1.0, -1.0, 60.0, 61.0, 2026.0, 45000.0, 1e300, -1e300, 5.5e-324]),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([-2146826246, -2146826281, -2146826273]),  # raw COM error codes
)
dates = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.dates(min_value=date(2017, 1, 1), max_value=date(2027, 12, 31)),
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2030, 12, 31)),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    dates,
    st.sampled_from(MEANINGFUL_TEXT),
    st.text(max_size=12),
)
rows = st.lists(scalars, min_size=0, max_size=10)
cells = st.one_of(
    scalars,
    rows,
    st.lists(rows, max_size=6),
    st.lists(st.lists(rows, max_size=2), max_size=2),  # too deep: not a range
)

profile_rows = st.one_of(
    st.tuples(st.just("Ordinary income"), st.floats(min_value=-1e5, max_value=2e6)),
    st.tuples(st.just("State tax rate"), st.floats(min_value=0, max_value=0.15)),
    st.tuples(st.just("Realized long-term gains"), st.floats(min_value=-5e4, max_value=5e5)),
    st.tuples(st.just("Short-term carryover"), st.floats(min_value=0, max_value=5e4)),
    st.tuples(st.sampled_from(MEANINGFUL_TEXT[-5:]), scalars),
).map(list)
valid_profile = st.lists(profile_rows, max_size=4, unique_by=lambda r: r[0]).map(
    lambda r: [["Tax year", 2026.0], ["Filing status", "single"], *r]
)
valid_activity_row = st.tuples(
    dates,
    st.sampled_from(["Brokerage", "IRA acct", "401k plan"]),
    st.sampled_from(["Taxable", "IRA", "Roth IRA", "401k", "HSA", "bank"]),
    st.sampled_from(["BUY", "SELL", "hold"]),
    st.sampled_from(["VTI", "VOO", "vti", ""]),
    st.one_of(st.floats(min_value=-5, max_value=500), scalars),
    st.one_of(st.floats(min_value=0, max_value=500), scalars),
    st.one_of(st.floats(min_value=0, max_value=5e4), st.none()),
    st.one_of(dates, st.none()),
).map(list)
activity = st.lists(valid_activity_row, max_size=8)

ALLOWED_SCALARS = (float, str, bool, date)


def _check_value(value: object) -> None:
    if value is None:
        return
    assert isinstance(value, ALLOWED_SCALARS), type(value)
    if isinstance(value, float):
        assert math.isfinite(value), value
    if isinstance(value, str) and value.startswith("#"):
        assert value.startswith("#VALUE! "), value
        assert not value.startswith("#VALUE! unexpected error"), value
        assert len(value) <= 255


def _check_result(spec, result) -> None:
    if spec.returns == "scalar":
        _check_value(result)
        return
    assert isinstance(result, list) and result, result
    width = len(result[0])
    for row in result:
        assert isinstance(row, list) and len(row) == width
        for cell in row:
            _check_value(cell)


money = st.one_of(
    st.floats(min_value=-5e5, max_value=5e5), st.sampled_from(["$1,234.50", "(2,000)", "5%"])
)
dates_near = st.dates(min_value=date(1955, 1, 1), max_value=date(2026, 12, 31))
def _table(header, row):
    return st.lists(row, max_size=5).map(lambda rows: [list(header), *rows])


account_names = st.sampled_from(["Brokerage", "401k", "Roth", "Spouse", "?"])
holding_row = st.tuples(
    account_names, st.sampled_from(["VTI", "VOO", "X", ""]), money, dates, money, money
).map(list)
account_row = st.tuples(
    account_names,
    st.sampled_from(["Taxable", "401(k)", "Roth IRA", "SIMPLE IRA", "HSA", "bank"]),
    st.sampled_from(["self", "spouse", None, "cousin"]),
).map(list)
recurring_row = st.tuples(
    account_names, st.sampled_from(["VTI", "VOO"]), money,
    st.sampled_from(["monthly", "biweekly", "sometimes"]), dates,
).map(list)
security_row = st.tuples(
    st.sampled_from(["VTI", "VOO", "X"]), st.sampled_from(["total", "", None]),
    st.sampled_from(["ITOT", None]),
).map(list)
evaluate_profile = valid_profile.map(lambda rows: [*rows, ["As-of date", date(2026, 11, 28)]])
lot_profile = evaluate_profile.map(
    lambda rows: rows
    if any(r[0] == "Birth date" for r in rows)
    else [*rows, ["Birth date", date(1975, 1, 1)]]
)  # the withdrawal functions need a birth date to reach the engine

VALID = {
    "holdings": _table(
        ("Account", "Ticker", "Shares", "Acquired", "Cost basis", "Price"), holding_row
    ),
    "accounts": _table(("Account", "Type", "Owner"), account_row),
    "recurring": _table(
        ("Account", "Ticker", "Amount", "Frequency", "Next date"), recurring_row
    ),
    "securities": _table(("Ticker", "Identical group", "Substitute"), security_row),
    "conversions": st.lists(
        st.tuples(st.integers(2015, 2027).map(float), money, money).map(list), max_size=3
    ),
    "contributions": st.floats(min_value=0, max_value=1e5),
    "account": account_names,
    "basis": st.floats(min_value=0, max_value=1e5),
    "balance": st.floats(min_value=0, max_value=2e5),
    "first_contribution_year": st.integers(2000, 2027).map(float),
    "shares": st.floats(min_value=-1, max_value=1e4),
    "ticker": st.sampled_from(["VTI", "VOO", "X"]),
    "withdrawal_date": st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
    "birth_date": st.dates(min_value=date(1950, 1, 1), max_value=date(1995, 12, 31)),
    "acquired": st.dates(min_value=date(2015, 1, 1), max_value=date(2025, 12, 31)),
    "as_of": st.dates(min_value=date(2025, 12, 31), max_value=date(2026, 12, 31)),
    "amount": st.floats(min_value=0, max_value=1e6),
    "cost_basis": st.floats(min_value=0, max_value=1e6),
    "market_value": st.floats(min_value=0, max_value=1e6),
    "loss": st.floats(min_value=0, max_value=1e6),
    "year": st.integers(min_value=2017, max_value=2027).map(float),
    "filing_status": st.sampled_from(MEANINGFUL_TEXT[:6]),
    "account_type": st.sampled_from(MEANINGFUL_TEXT[6:15]),
    "exception": st.sampled_from(["", "first_home", "separation", "09", "medical", "sepp", 1.0]),
    "policy": st.sampled_from(["conservative", "ignore", None]),
    "term": st.sampled_from(["Long-term", "Short-term", "LT"]),
    "min_pct": st.floats(min_value=0, max_value=1),
    "identical": st.lists(
        st.tuples(st.sampled_from(["VTI", "VOO", "X"]), st.sampled_from(["a", "b", ""])).map(
            list
        ),
        max_size=3,
    ),
    "profile": valid_profile,
    "activity": activity,
}


TABLE_ACTIVITY = frozenset({"HX_EVALUATE", "HX_HOLDINGS", "HX_LOT_WASH_RISK", "HX_LOT_HARVEST"})
"""Functions whose activity argument is the Activity table with its header row."""
AS_OF_PROFILE = frozenset(
    {"HX_EVALUATE", "HX_HOLDINGS", "HX_LOT_PENALTY", "HX_LOT_WITHDRAWAL_COST"}
)
"""Functions that need the Profile's As-of date."""


def _argument_strategy(spec, name):
    """Mostly valid values (so the engine runs), sometimes anything at all."""
    if spec.name in TABLE_ACTIVITY and name == "activity":
        valid = _table(
            ("Date", "Account", "Action", "Ticker", "Shares", "Price", "Cost basis", "Acquired"),
            valid_activity_row.map(lambda r: [r[0], r[1], *r[3:]]),
        )
    elif spec.name in AS_OF_PROFILE and name == "profile":
        valid = (
            evaluate_profile if spec.name in ("HX_EVALUATE", "HX_HOLDINGS") else lot_profile
        )
    elif name in VALID:
        valid = VALID[name]
    elif name in spec.dates:
        valid = st.one_of(dates_near, dates)
    else:
        valid = money
    return st.integers(min_value=0, max_value=9).flatmap(lambda i: valid if i else cells)


def _make_test(spec):
    func = getattr(udfs, spec.name)
    n_required = len(spec.args) - len(spec.defaults)
    arguments = st.tuples(*[_argument_strategy(spec, name) for name in spec.args])

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(arguments, st.integers(min_value=n_required, max_value=len(spec.args)))
    def test(args, count):
        _check_result(spec, func(*args[:count]))

    test.__doc__ = f"{spec.name} never raises and never reports an unexpected error."
    return test


for _spec in SPECS:
    globals()[f"test_{_spec.name.lower()}_survives_any_cells"] = _make_test(_spec)


def test_every_udf_has_a_property_test():
    """The loop above covered every registered HX_ function."""
    names = {n for n in dir(udfs) if n.startswith("HX_")}
    tested = {
        name.removeprefix("test_").removesuffix("_survives_any_cells").upper()
        for name, value in globals().items()
        if name.endswith("_survives_any_cells") and inspect.isfunction(value)
    }
    assert tested == names
