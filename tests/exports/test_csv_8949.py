"""CSV export of the Form 8949 rows: the sheet's headers, MM/DD/YYYY dates, two-decimal
amounts with ``-`` for negatives, empty cells where the form has none, and neutralised text."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from harvest_xl.engine.form8949 import form8949_rows
from harvest_xl.engine.realized_block import LotRelief
from harvest_xl.exports.csv_8949 import form8949_csv, neutralise

from . import ry_cases as ry

HEADER = (
    "Part,Box,Description,Date acquired,Date sold,Proceeds,Cost basis,Code,Adjustment,"
    "Gain or loss,Account\r\n"
)


def rows_of(blocks):
    return form8949_rows(blocks, 2026, activity_through=ry.ACTIVITY_THROUGH).rows


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_ry1b_csv_text():
    """RY-1b: the header row, W and B rows, a negative adjustment written with a minus."""
    assert form8949_csv(rows_of(ry.RY1B)) == (
        HEADER
        + "I,A,100 sh XYZ,11/03/2025,03/10/2026,4000.00,5000.00,W,1000.00,0.00,Broker One\r\n"
        + "I,A,100 sh XYZ,11/13/2025,06/01/2026,4300.00,4100.00,B,-1000.00,-800.00,Broker Two\r\n"
    )


def test_ry4_csv_has_empty_code_and_adjustment_cells():
    """RY-4: rows without a code leave Code and Adjustment empty; Part II shows II and D."""
    assert form8949_csv(rows_of(ry.RY4)) == (
        HEADER
        + "I,A,200 sh STL,12/01/2025,06/15/2026,4000.00,12000.00,,,-8000.00,Brokerage\r\n"
        + "II,D,50 sh LTG,02/01/2023,05/01/2026,4500.00,2000.00,,,2500.00,Brokerage\r\n"
    )


def test_unknown_basis_row_and_notes_column():
    """An unknown-basis row leaves Part, Box, dates, basis and gain empty; Notes says why."""
    unknown = ry.block("ZZZ", "2.5", None, date(2026, 8, 3), 300, None, relief=LotRelief.UNKNOWN)
    text = form8949_csv(rows_of([unknown]), notes=True)
    assert read(text) == [
        [*HEADER.strip().split(","), "Notes"],
        ["", "", "2.5 sh ZZZ", "", "08/03/2026", "300.00", "", "", "", "", "Brokerage",
         "basis unknown"],
    ]  # fmt: skip


def test_hostile_account_names_are_neutralised_but_amounts_stay_numbers():
    """Account names that start a formula get an apostrophe; the negative amounts do not."""
    hostile = [
        ry.block("XYZ", 1, date(2026, 1, 5), date(2026, 2, 5), 40, 50, account=name)
        for name in ('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx", "ok")
    ]
    cells = read(form8949_csv(rows_of(hostile)))[1:]
    assert [row[10] for row in cells] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "ok",
    ]
    assert {row[9] for row in cells} == {"-10.00"}


@given(st.text(min_size=1, max_size=20))
def test_neutralised_text_never_starts_a_formula_and_keeps_the_text(text):
    """Any text: the cell never starts with = + - @ tab or CR, and only an apostrophe is added."""
    cell = neutralise(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell == text or cell == "'" + text
    assert (cell != text) == (text[0] in "=+-@\t\r")


@given(
    account=st.text(min_size=1, max_size=12),
    cents=st.integers(min_value=0, max_value=10**9),
    basis_cents=st.integers(min_value=0, max_value=10**9),
)
def test_csv_cells_read_back(account, cents, basis_cents):
    """Read back by a CSV reader, text cells are safe and amounts are the row's numbers."""
    proceeds, basis = Decimal(cents) / 100, Decimal(basis_cents) / 100
    rows = rows_of([ry.block("XYZ", 3, date(2026, 1, 5), date(2026, 2, 5), proceeds, basis,
                             account=account)])  # fmt: skip
    (_, cells) = read(form8949_csv(rows))
    assert not cells[10].startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cells[10] in (account, "'" + account)
    assert Decimal(cells[5]) == rows[0].proceeds
    assert Decimal(cells[6]) == rows[0].cost_basis
    assert Decimal(cells[9]) == proceeds - basis
