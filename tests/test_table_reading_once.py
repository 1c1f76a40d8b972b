"""The table readers learn each header and each distinct cell value once per table read,
and still read every row as if it were read alone (values, problems, their order)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvest_xl.engine.lots import Action
from harvest_xl.inputs.table_columns import TableColumns
from harvest_xl.inputs.tables import RowProblem, parse_accounts, parse_activity

ACCOUNTS = [{"Account": "Brokerage", "Type": "Taxable"}]


def _accounts() -> dict:
    return parse_accounts(ACCOUNTS, [])


def _trade(shares: object, **more: object) -> dict[str, object]:
    row: dict[str, object] = {
        "Date": date(2026, 3, 2),
        "Account": "Brokerage",
        "Action": "BUY",
        "Ticker": "VTI",
        "Shares": shares,
        "Price": 100.0,
    }
    row.update(more)
    return row


def test_a_bad_value_repeated_is_a_problem_on_every_row() -> None:
    """The same bad cell in three rows is three problems, one per row, in row order."""
    problems: list[RowProblem] = []
    rows = [_trade("ten"), _trade(5.0), _trade("ten"), _trade("ten")]
    trades = parse_activity(rows, _accounts(), problems, [2, 3, 4, 5])
    assert [t.row for t in trades] == [3]
    assert [(p.row, p.field, p.message) for p in problems] == [
        (2, "Shares", "'ten' is not a number"),
        (4, "Shares", "'ten' is not a number"),
        (5, "Shares", "'ten' is not a number"),
    ]


def test_equal_values_of_different_types_read_as_their_own_type() -> None:
    """1 and True compare equal, yet 1 is a share count and TRUE is not a number; 1.0 and 1
    both read as one share."""
    problems: list[RowProblem] = []
    rows = [_trade(1), _trade(True), _trade(1.0), _trade(True)]
    trades = parse_activity(rows, _accounts(), problems)
    assert [(t.row, t.shares) for t in trades] == [(0, Decimal(1)), (2, Decimal(1))]
    assert [(p.row, p.field, p.message) for p in problems] == [
        (1, "Shares", "True is not a number"),
        (3, "Shares", "True is not a number"),
    ]


def test_zeros_of_either_sign_are_each_reported_as_typed() -> None:
    """0.0 and -0.0 compare equal, yet a message quotes each as it is."""
    problems: list[RowProblem] = []
    rows = [_trade(1.0, Action=0.0), _trade(1.0, Action=-0.0)]
    assert parse_activity(rows, _accounts(), problems) == []
    assert [p.message for p in problems] == ["0.0 is not BUY or SELL", "-0.0 is not BUY or SELL"]


def test_headers_spelled_differently_row_by_row_read_alike() -> None:
    """Rows whose keys differ in case and punctuation read the same columns."""
    problems: list[RowProblem] = []
    plain = _trade(2.0)
    shouted = {key.upper().replace(" ", "_"): value for key, value in _trade(3.0).items()}
    trades = parse_activity([plain, shouted, plain], _accounts(), problems)
    assert not problems
    assert [t.shares for t in trades] == [Decimal(2), Decimal(3), Decimal(2)]
    assert {t.action for t in trades} == {Action.BUY}


def test_of_two_keys_folding_alike_the_last_is_read() -> None:
    """'Shares' and 'SHARES' in one row: the later key's cell is the column's value."""
    problems: list[RowProblem] = []
    row = _trade(2.0) | {"SHARES": 7.0}
    (trade,) = parse_activity([row], _accounts(), problems)
    assert trade.shares == Decimal(7)


_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 1.0, 2.5, float("nan"), 1e14, -1e-300]),
    st.sampled_from(["", " ", "2", "$1,000", "(5)", "x", "#N/A", "2026-01-02", "BUY", "sell"]),
    st.sampled_from([date(2026, 1, 2), date(1899, 1, 1)]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_CELLS, _CELLS, _CELLS, _CELLS), min_size=1, max_size=8))
def test_a_table_reads_as_its_rows_read_one_by_one(cells) -> None:
    """Reading rows together gives exactly the trades and problems of reading each row on
    its own (whatever the cells hold, repeated or not)."""
    rows = [
        _trade(shares, Date=when, Action=action, Price=price)
        for when, action, shares, price in cells
    ]
    together: list[RowProblem] = []
    trades = parse_activity(rows, _accounts(), together)
    alone: list[RowProblem] = []
    one_by_one = []
    for index, row in enumerate(rows):
        one_by_one += parse_activity([row], _accounts(), alone, [index])
    assert together == alone
    assert [(t, t.row) for t in trades] == [(t, t.row) for t in one_by_one]


def _as_columns(rows: list[dict[str, object]]) -> TableColumns:
    keys = list(rows[0]) if rows else []
    return TableColumns({key: [row[key] for row in rows] for key in keys}, len(rows))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_CELLS, _CELLS, _CELLS, _CELLS), min_size=0, max_size=8))
def test_a_table_given_as_its_columns_reads_as_its_rows(cells) -> None:
    """The refresh hands a table over as its columns (TableColumns): the same trades and
    problems as the same rows given one dict each, blank rows left out alike."""
    rows = [
        _trade(shares, Date=when, Action=action, Price=price)
        for when, action, shares, price in cells
    ]
    rows += [dict.fromkeys(rows[0])] if rows else []  # a blank row
    by_rows: list[RowProblem] = []
    by_columns: list[RowProblem] = []
    numbers = [n + 2 for n in range(len(rows))]
    trades = parse_activity(rows, _accounts(), by_rows, numbers)
    same = parse_activity(_as_columns(rows), _accounts(), by_columns, numbers)
    assert by_columns == by_rows
    assert [(t, t.row) for t in same] == [(t, t.row) for t in trades]


def test_table_columns_read_as_a_sequence_of_rows() -> None:
    """Rows made on request, in order; slices, take and only keep the columns' values; a
    position past the end is an IndexError; columns of unequal length are refused."""
    table = TableColumns({"A": [1, 2, 3], "B": ["x", "y", "z"]}, 3)
    assert list(table) == [{"A": 1, "B": "x"}, {"A": 2, "B": "y"}, {"A": 3, "B": "z"}]
    assert table[-1] == {"A": 3, "B": "z"} and len(table) == 3
    assert list(table[1:]) == [{"A": 2, "B": "y"}, {"A": 3, "B": "z"}]
    assert list(table.take([2, 0])) == [{"A": 3, "B": "z"}, {"A": 1, "B": "x"}]
    assert list(table.only(["B", "C"])) == [{"B": "x"}, {"B": "y"}, {"B": "z"}]
    assert table.keys == ("A", "B") and table.column("B") == ["x", "y", "z"]
    with pytest.raises(IndexError):
        table[3]
    with pytest.raises(ValueError, match="3 values"):
        TableColumns({"A": [1, 2, 3], "B": ["x"]}, 3)
