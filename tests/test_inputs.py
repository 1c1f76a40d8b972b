"""The one reader of each input: what Excel really sends, and the errors users see for the
rest (cells, ranges, the Profile, the positional and header-keyed tables)."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

import pytest

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.models import FilingStatus, WashSalePolicy
from harvest_xl.engine.profile import PROFILE_KEYS, Profile
from harvest_xl.inputs.cells import (
    REQUIRED,
    is_empty,
    to_bool,
    to_date,
    to_decimal,
    to_int,
    to_rate,
    to_text,
)
from harvest_xl.inputs.profile import profile_from_range as profile_from_pairs
from harvest_xl.inputs.ranges import drop_header, to_table

# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(date(2026, 3, 15), date(2026, 3, 15), id="date"),
        pytest.param(datetime(2026, 3, 15, 16, 30), date(2026, 3, 15), id="datetime drops time"),
        # Serials checked against Excel's own DATEVALUE: 45000 = 2023-03-15, 61 = 1900-03-01.
        pytest.param(45000.0, date(2023, 3, 15), id="serial float"),
        pytest.param(45000, date(2023, 3, 15), id="serial int"),
        pytest.param(45000.75, date(2023, 3, 15), id="serial with time of day"),
        pytest.param(1.0, date(1900, 1, 1), id="serial 1 is 1900-01-01"),
        pytest.param(59.0, date(1900, 2, 28), id="serial 59 is 1900-02-28 (before the leap bug)"),
        pytest.param(61.0, date(1900, 3, 1), id="serial 61 is 1900-03-01 (after the leap bug)"),
        pytest.param(2958100.0, date(9998, 12, 31), id="the last date any input may hold"),
        pytest.param("2026-03-15", date(2026, 3, 15), id="ISO text"),
        pytest.param(" 2026-03-15 ", date(2026, 3, 15), id="ISO text with spaces"),
        pytest.param("2026-03-15 00:00:00", date(2026, 3, 15), id="str(datetime)"),
        pytest.param("2026-03-15T09:30", date(2026, 3, 15), id="ISO datetime"),
        pytest.param("3/15/2026", date(2026, 3, 15), id="US M/D/YYYY"),
        pytest.param("03/05/2026", date(2026, 3, 5), id="US MM/DD/YYYY"),
        pytest.param("3/15/26", date(2026, 3, 15), id="US two-digit year 26 -> 2026"),
        pytest.param("1/2/45", date(1945, 1, 2), id="US two-digit year 45 -> 1945"),
        pytest.param("45000", date(2023, 3, 15), id="serial as text"),
    ],
)
def test_to_date_accepts_what_cells_hold(value, expected):
    """Dates arrive as date/datetime objects, Excel serials or text; all convert."""
    assert to_date(value, "acquired") == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13-01", "acquired: '2026-13-01' is not a date"),
        ("2026-02-30", "acquired: '2026-02-30' is not a date"),
        ("13/1/2026", "acquired: '13/1/2026' is not a date"),
        ("yesterday", "acquired: 'yesterday' is not a date"),
        (60.0, "acquired: 1900-02-29 (Excel serial 60) is not a real date"),
        (0.0, "acquired: 0 is not a date"),
        (-5.0, "acquired: -5 is not a date"),
        (2958466.0, "acquired: 2958466 is not a date"),
        (2958101.0, "acquired: 9999-01-01 is too far in the future"),
        ("9999-12-20", "acquired: 9999-12-20 is too far in the future"),
        (math.nan, "acquired: nan is not a date"),
        (math.inf, "acquired: inf is not a date"),
        (True, "acquired: True is not a date"),
        ("#N/A", "acquired: the cell holds the error #N/A"),
        (-2146826246, "acquired: the cell holds the error #N/A"),
        ([1, 2], "acquired: [1, 2] is not a date"),
    ],
)
def test_to_date_rejects_with_a_message_naming_the_argument(value, message):
    """Anything that is not a date raises HarvestInputError with a readable problem."""
    with pytest.raises(HarvestInputError) as caught:
        to_date(value, "acquired")
    assert str(caught.value) == message
    assert caught.value.argument == "acquired"


def test_to_date_empty_is_default_or_required():
    """An empty cell gives the default, or says the argument is required."""
    assert to_date(None, "as_of", None) is None
    assert to_date("  ", "as_of", None) is None
    with pytest.raises(HarvestInputError, match="as_of: is required but the cell is empty"):
        to_date(None, "as_of")


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(1234.5, Decimal("1234.5"), id="float"),
        pytest.param(0.1, Decimal("0.1"), id="float through shortest repr"),
        pytest.param(-250.0, Decimal("-250"), id="negative float"),
        pytest.param(7, Decimal(7), id="int"),
        pytest.param(Decimal("3.25"), Decimal("3.25"), id="Decimal"),
        pytest.param("1234.50", Decimal("1234.50"), id="numeric text"),
        pytest.param("$1,234.50", Decimal("1234.50"), id="dollar and thousands"),
        pytest.param("-$1,234", Decimal("-1234"), id="minus dollar"),
        pytest.param("$-1,234", Decimal("-1234"), id="dollar minus"),
        pytest.param("(1,234)", Decimal("-1234"), id="accounting negative"),
        pytest.param("($1,234.50)", Decimal("-1234.50"), id="accounting negative dollars"),
        pytest.param("1,234,567", Decimal("1234567"), id="millions"),
        pytest.param("5%", Decimal("0.05"), id="percent"),
        pytest.param("12.5%", Decimal("0.125"), id="decimal percent"),
        pytest.param(" 42 ", Decimal("42"), id="spaces"),
        pytest.param("1e3", Decimal("1000"), id="scientific"),
        pytest.param(".5", Decimal("0.5"), id="leading point"),
    ],
)
def test_to_decimal_accepts_numbers_and_money_text(value, expected):
    """Numbers and money typed as text convert to the exact Decimal."""
    assert to_decimal(value, "amount") == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("abc", "'abc' is not a number"),
        ("1,23", "'1,23' is not a number"),
        ("12-3", "'12-3' is not a number"),
        ("--5", "'--5' is not a number"),
        ("$", "'$' is not a number"),
        (math.nan, "nan is not a number"),
        (math.inf, "inf is not a number"),
        (True, "True is not a number"),
        (1e300, "is too large to be an amount"),
        ("1e20", "'1e20' is too large to be an amount"),
        (date(2026, 1, 1), "2026-01-01 is not a number"),
        ("#DIV/0!", "the cell holds the error #DIV/0!"),
        (-2146826281, "the cell holds the error #DIV/0!"),
    ],
)
def test_to_decimal_rejects_non_numbers(value, problem):
    """Text that is not a number, NaN, infinities, booleans and error cells are refused."""
    with pytest.raises(HarvestInputError) as caught:
        to_decimal(value, "amount")
    assert caught.value.argument == "amount"
    assert problem in caught.value.problem


def test_to_decimal_empty():
    """An empty cell gives the default, or says the argument is required."""
    assert to_decimal(None, "amount", Decimal(0)) == 0
    assert to_decimal("", "amount", Decimal(0)) == 0
    with pytest.raises(HarvestInputError, match="required"):
        to_decimal(None, "amount", REQUIRED)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.05, Decimal("0.05")), ("5%", Decimal("0.05")), (0, Decimal(0)), (1, Decimal(1))],
)
def test_to_rate_is_a_fraction(value, expected):
    """Rates are fractions, as Excel stores percentages."""
    assert to_rate(value, "min_pct") == expected


@pytest.mark.parametrize("value", [5, -0.01, "150%"])
def test_to_rate_rejects_outside_zero_to_one(value):
    """A rate of 5 (meant as 5%) or a negative rate is refused with a hint."""
    with pytest.raises(HarvestInputError, match="type 5% or 0.05"):
        to_rate(value, "min_pct")


@pytest.mark.parametrize(("value", "expected"), [(2026.0, 2026), (2026, 2026), ("2026", 2026)])
def test_to_int(value, expected):
    """Whole numbers arrive as floats, ints or text."""
    assert to_int(value, "year") == expected


@pytest.mark.parametrize("value", [2026.5, "20x6", True, math.nan, "#N/A"])
def test_to_int_rejects(value):
    """A fraction, text, a boolean or NaN is not a whole number."""
    with pytest.raises(HarvestInputError) as caught:
        to_int(value, "year")
    assert caught.value.argument == "year"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (False, False), (1.0, True), (0, False), ("Yes", True), ("n", False)],
)
def test_to_bool(value, expected):
    """TRUE/FALSE cells, 1/0 and yes/no words convert."""
    assert to_bool(value, "spouse") is expected


def test_to_bool_rejects_other_text():
    """Other text is refused."""
    with pytest.raises(HarvestInputError, match="'maybe' is not TRUE or FALSE"):
        to_bool("maybe", "spouse")


def test_to_text():
    """Text is stripped; whole numbers become digits; errors are refused."""
    assert to_text("  VTI ", "ticker") == "VTI"
    assert to_text(3.0, "code") == "3"
    assert to_text(None, "code", "") == ""
    with pytest.raises(HarvestInputError, match="error #REF!"):
        to_text("#REF!", "ticker")
    with pytest.raises(HarvestInputError, match="is not text"):
        to_text(2.5, "ticker")


def test_is_empty():
    """None, '' and spaces are empty; 0 and False are values."""
    assert is_empty(None) and is_empty("") and is_empty("   ")
    assert not is_empty(0) and not is_empty(False) and not is_empty("x")


# --------------------------------------------------------------------------- ranges


def test_to_table_drops_trailing_blank_rows_only():
    """Trailing blank rows go; a blank row inside the table stays."""
    rows = [[1, 2], [None, ""], [3, 4], [None, None], ["", "  "]]
    assert to_table(rows, "activity") == [[1, 2], [None, ""], [3, 4]]


def test_to_table_normalises_shapes():
    """A single value becomes one cell, a flat list one row, an empty range no rows."""
    assert to_table(5, "t") == [[5]]
    assert to_table([1, 2, 3], "t") == [[1, 2, 3]]
    assert to_table(None, "t") == []
    assert to_table([], "t") == []
    assert to_table([[None]], "t") == []


def test_to_table_columns():
    """With columns, extra cells to the right are cut and short rows are an error."""
    assert to_table([[1, 2, 3], [4, 5, 6]], "t", columns=2) == [[1, 2], [4, 5]]
    with pytest.raises(HarvestInputError, match="t: needs 3 columns but row 2 has 2"):
        to_table([[1, 2, 3], [4, 5]], "t", columns=3)


def test_to_table_rejects_deeper_nesting():
    """A list of lists of lists is not a range."""
    with pytest.raises(HarvestInputError, match="is not a range of rows and columns"):
        to_table([[[1]]], "t")
    with pytest.raises(HarvestInputError, match="is not a range of rows and columns"):
        to_table([[1], 2], "t")


def test_drop_header():
    """A first row of text whose date column is not a date is a header; data rows stay."""
    header = ["Date", "Account", "Shares"]
    data = [date(2026, 1, 2), "Brokerage", 10.0]
    assert drop_header([header, data], date_column=0) == [data]
    assert drop_header([data], date_column=0) == [data]
    text_row = ["2026-01-02", "Brokerage", "VTI"]
    assert drop_header([text_row], date_column=0) == [text_row]
    names = frozenset({"ticker"})
    assert drop_header([["Ticker", "Group"], ["VTI", "total"]], header_names=names) == [
        ["VTI", "total"]
    ]
    assert drop_header([["VTI", "total"]], header_names=names) == [["VTI", "total"]]
    assert drop_header([]) == []


# --------------------------------------------------------------------------- profile


def test_profile_from_pairs_reads_every_key():
    """Every Profile sheet key converts to its field, whatever the case and spacing."""
    rows = [
        ["TAX  YEAR", 2026.0],
        ["filing status", "Married filing jointly"],
        ["Birth date", date(1970, 6, 1)],
        ["Ordinary income", "$150,000"],
        ["Qualified dividends", 2000.0],
        ["Realized short-term gains", -1000.0],
        ["Realized long-term gains", 5000.0],
        ["Short-term carryover", 300.0],
        ["Long-term carryover", 0.0],
        ["State tax rate", "5%"],
        ["Minimum loss ($)", 500.0],
        ["Minimum loss (%)", 0.05],
        ["Employer plan wash-sale policy", "Ignore"],
        ["As-of date", "2026-11-28"],
        ["spouse birth date", "3/2/1972"],
        ["Blind (people)", 1.0],
        ["Social Security benefits", "$24,000"],
        ["Tax-exempt interest", 300.0],
        ["State and local taxes", 12000.0],
        ["Mortgage interest", "(0)"],
        ["Charitable gifts", 2500.0],
        ["Other itemized deductions", 0.0],
        ["count activity sales", "Yes"],
        [None, None],
    ]
    profile = profile_from_pairs(rows)
    assert profile == Profile(
        tax_year=2026,
        filing_status=FilingStatus.MFJ,
        birth_date=date(1970, 6, 1),
        ordinary_income=Decimal(150000),
        qualified_dividends=Decimal(2000),
        realized_st=Decimal(-1000),
        realized_lt=Decimal(5000),
        st_carryover=Decimal(300),
        lt_carryover=Decimal(0),
        state_rate=Decimal("0.05"),
        min_loss=Decimal(500),
        min_pct=Decimal("0.05"),
        wash_policy=WashSalePolicy.IGNORE,
        as_of=date(2026, 11, 28),
        spouse_birth_date=date(1972, 3, 2),
        blind_people=1,
        social_security=Decimal(24000),
        tax_exempt_interest=Decimal(300),
        state_local_taxes=Decimal(12000),
        mortgage_interest=Decimal(0),
        charitable_gifts=Decimal(2500),
        other_itemized=Decimal(0),
        count_activity_sales=True,
    )
    assert len(rows) - 1 == len(PROFILE_KEYS)  # the test covers every key


def test_the_profile_reader_converts_every_profile_field():
    """Every field of Profile has a cell converter and a fix text in the one reader, so a
    new Profile key cannot be left unread."""
    from harvest_xl.inputs.profile import CONVERTERS, field_names

    assert set(CONVERTERS) == set(field_names()) == set(PROFILE_KEYS.values())


def test_profile_from_pairs_skips_the_header_row():
    """The Profile sheet's own header row (Setting, Value, Notes) may be in the range."""
    rows = [["Setting", "Value", "Notes"], ["Tax year", 2026], ["Filing status", "mfs"]]
    assert profile_from_pairs(rows) == Profile(tax_year=2026, filing_status=FilingStatus.MFS)


def test_profile_from_pairs_field_names_and_defaults():
    """Field names work as keys; blank values and a notes column keep the defaults."""
    profile = profile_from_pairs([["tax_year", 2025, "note"], ["filing_status", "hoh", ""],
                                  ["state_rate", None, "none"]])
    assert profile == Profile(tax_year=2025, filing_status=FilingStatus.HOH)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Tax year", 2026], ["Filing status", "single"], ["Salary", 1]],
         "Salary: is not a Profile key"),
        ([["Filing status", "single"]], "Tax year: is missing (it is required)"),
        ([["Tax year", 2026]], "Filing status: is missing (it is required)"),
        ([["Tax year", 2026], ["Tax year", 2025]], "Tax year: is given twice (also row 1)"),
        ([["Tax year", "20x6"], ["Filing status", "single"]], "Tax year: '20x6' is not a"),
        ([["Tax year", 2026], ["Filing status", "married"]], "Filing status: 'married' is not one"),
        ([["Tax year", 2026], ["Filing status", "s"], ["As-of date", "2026-13-01"]],
         "As-of date: '2026-13-01' is not a date"),
        ([["Tax year", 2026], ["Filing status", "s"], ["State tax rate", 5]], "State tax rate: 5"),
        ([["Tax year"]], "needs two columns"),
        ([[2026, 1]], "2026: is not a Profile key"),
        ([["Tax year", 2026], ["Filing status", "s"], ["Count Activity sales", "maybe"]],
         "Count Activity sales: 'maybe' is not TRUE or FALSE"),
    ],
)
def test_profile_from_pairs_errors_name_the_key(rows, message):
    """Profile errors say which key is wrong and why, under the argument 'profile'."""
    with pytest.raises(HarvestInputError) as caught:
        profile_from_pairs(rows)
    assert caught.value.argument == "profile"
    assert message in caught.value.problem


def test_every_profile_key_is_distinct_after_normalising():
    """No two Profile keys (or field names) fold to the same lookup key."""
    from harvest_xl.engine.names import fold

    labels = {fold(key) for key in PROFILE_KEYS}
    assert len(labels) == len(PROFILE_KEYS)
    base = {"tax_year": 2026, "filing_status": "single"}
    for key, field in PROFILE_KEYS.items():
        for spelling in (key, field, key.upper()):
            rows = [[name, value] for name, value in base.items() if name != field]
            rows.append([spelling, base.get(field)])
            assert isinstance(profile_from_pairs(rows), Profile)


# --------------------------------------------------------------------------- tables


def test_activity_from_positions_builds_activity_and_numbers_rows():
    """Nine-column activity rows become Activity objects, read by the Activity table's rules
    (each row's account gets its typed account type); blank rows are skipped, and a bad
    cell is that row's problem, numbered from the first row given."""
    from harvest_xl.engine.lots import Action, Activity
    from harvest_xl.engine.models import AccountType
    from harvest_xl.inputs.tables import activity_from_positions

    rows = [
        ["3/1/2024", "Brokerage", "brokerage", "Sold", " vti ", "10", "$90", "1,000", 45000.0],
        [None] * 9,
        [date(2024, 3, 5), "IRA", "IRA", "buy", "VTI", 5.0, 91.0],
    ]
    read = activity_from_positions(rows, 2)
    assert read.problems == []
    assert read.activity == [
        Activity(date(2024, 3, 1), "Brokerage", AccountType.TAXABLE, Action.SELL, "VTI",
                 Decimal(10), Decimal(90), Decimal(1000), date(2023, 3, 15)),
        Activity(date(2024, 3, 5), "IRA", AccountType.TRADITIONAL_IRA, Action.BUY, "VTI",
                 Decimal(5), Decimal(91)),
    ]
    bad = activity_from_positions([rows[0], rows[2][:6] + ["x"]], 2)
    assert [(p.row, p.field, p.message) for p in bad.problems] == [
        (3, "Price", "'x' is not a number")
    ]
    clash = activity_from_positions([rows[0], [*rows[0][:2], "IRA", *rows[0][3:]]], 1)
    assert [(p.row, p.field) for p in clash.problems] == [(2, "Type")]


def test_a_sell_row_names_its_lot_or_leaves_both_cells_blank():
    """A SELL row with Cost basis and Acquired both blank sells the account's earliest
    shares first (issue 15); with one of the two, the other is the problem, at its column."""
    from harvest_xl.engine.lots import Action
    from harvest_xl.inputs.tables import activity_from_positions

    sell = [date(2024, 3, 1), "Brokerage", "Taxable", "SELL", "VTI", 10.0, 90.0]
    fifo = activity_from_positions([sell], 2)
    assert fifo.problems == []
    (row,) = fifo.activity
    assert (row.action, row.cost_basis, row.acquired, row.names_lot) == (
        Action.SELL, None, None, False
    )
    basis_only = activity_from_positions([[*sell, 1000.0]], 2)
    acquired_only = activity_from_positions([[*sell, None, date(2023, 1, 5)]], 2)
    assert [(p.row, p.field, p.message) for p in basis_only.problems] == [
        (2, "Acquired", "a SELL row needs the date the shares were acquired")
    ]
    assert [(p.row, p.field, p.message) for p in acquired_only.problems] == [
        (2, "Cost basis", "a SELL row needs the cost basis it names")
    ]


def test_identical_from_rows():
    """Ticker/group pairs, header optional; a blank group means the ticker stands alone."""
    from harvest_xl.inputs.tables import identical_from_rows

    groups = identical_from_rows([["Ticker", "Group"], ["vti", "Total"], ["ITOT", "total"],
                                  ["X", None]])
    assert groups.identical("VTI", "itot") and not groups.identical("VTI", "X")
    assert identical_from_rows(to_table(None, "identical")).groups == {}


def test_records_from_table():
    """Header-keyed records of the cells as given (the table readers convert them); blank
    rows inside the table kept, trailing ones dropped."""
    from harvest_xl.inputs.ranges import records_from_table

    rows = [
        ["Account", "Acquired", "Cost basis", "Notes", None],
        ["B", "3/15/2026", "(1,234)", "x", "ignored"],
        [None, None, None, None, None],
        ["C", "someday", 5.0, None, None],
        [None, None, None, None, None],
    ]
    assert records_from_table(rows, "holdings", ("Account",)) == [
        {"Account": "B", "Acquired": "3/15/2026", "Cost basis": "(1,234)", "Notes": "x"},
        {"Account": None, "Acquired": None, "Cost basis": None, "Notes": None},
        {"Account": "C", "Acquired": "someday", "Cost basis": 5.0, "Notes": None},
    ]
    assert records_from_table(None, "holdings") == []
    with pytest.raises(HarvestInputError, match="has no 'Ticker' column"):
        records_from_table(rows, "holdings", ("Ticker",))


def test_conversions_from_rows():
    """Roth conversions: year, taxable, non-taxable; the third column may be left off."""
    from harvest_xl.engine.roth import Conversion
    from harvest_xl.inputs.tables import conversions_from_rows

    assert conversions_from_rows([["Year", "Taxable"], [2023.0, 4000.0], [2024, "$500", 100]]) == [
        Conversion(2023, Decimal(4000), Decimal(0)),
        Conversion(2024, Decimal(500), Decimal(100)),
    ]
    assert conversions_from_rows([]) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Long-term", "LONG"), ("short term", "SHORT"), ("LT", "LONG"), ("st", "SHORT")],
)
def test_to_term(value, expected):
    """The holding term as HX_TERM writes it, or its common abbreviations."""
    from harvest_xl.engine.models import Term

    assert Term.parse(value) is Term[expected]
    with pytest.raises(HarvestInputError, match="is not Long-term or Short-term"):
        Term.parse("medium")


# ------------------------------------------------------------- Accounts: Basis reported


def test_basis_reported_column_gives_each_account_its_form_8949_boxes():
    """Yes / No / no 1099-B are read per account; a blank cell is left to the covered-
    security rule (no entry)."""
    from harvest_xl.engine.form8949 import BasisReporting
    from harvest_xl.inputs.tables import read_tables

    tables = read_tables(
        accounts=[
            {"Account": "Fidelity", "Type": "Taxable", "Basis reported": "Yes"},
            {"Account": "Old broker", "Type": "Taxable", "Basis reported": "no"},
            {"Account": "Private", "Type": "Taxable", "Basis reported": "no 1099-B"},
            {"Account": "Schwab", "Type": "Taxable", "Basis reported": None},
        ]
    )
    assert tables.problems == []
    assert tables.basis_reporting == {
        "Fidelity": BasisReporting.COVERED,
        "Old broker": BasisReporting.NOT_REPORTED,
        "Private": BasisReporting.NO_1099B,
    }


def test_an_accounts_table_without_the_column_still_reads():
    """An older workbook's Accounts table (no Basis reported column) reads as before."""
    from harvest_xl.inputs.tables import read_tables

    tables = read_tables(accounts=[{"Account": "Brokerage", "Type": "Taxable"}])
    assert tables.problems == [] and list(tables.accounts) == ["Brokerage"]
    assert tables.basis_reporting == {}


def test_a_bad_basis_reported_cell_is_a_problem_of_its_row_and_column():
    """A word that is not Yes/No/no 1099-B names the Accounts row and column and says how to
    fix it; the account itself is still read, its boxes by the covered-security rule."""
    from harvest_xl.inputs.tables import read_tables

    tables = read_tables(
        accounts=[{"Account": "Brokerage", "Type": "Taxable", "Basis reported": "sometimes"}],
        numbers={"Accounts": [2]},
    )
    [problem] = tables.problems
    assert (problem.table, problem.row, problem.field) == ("Accounts", 2, "Basis reported")
    assert "'sometimes'" in problem.message and "Yes" in problem.fix
    assert list(tables.accounts) == ["Brokerage"] and tables.basis_reporting == {}
