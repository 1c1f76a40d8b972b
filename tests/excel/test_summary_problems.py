"""The Summary's problem list: one line per problem, except that one warning on several
rows (rows repeating the same earlier row) is one line naming its cells; the refresh's
own list of problems stays one per row."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from harvest_xl.demo import ACCOUNTS, ACTIVITY, HOLDINGS, PROFILE, RECURRING, SECURITIES
from harvest_xl.demo import fill_workbook as fill
from harvest_xl.excel import layout as L
from harvest_xl.excel.headless import refresh_file
from harvest_xl.excel.problems import ROWS_NAMED, Problem, summary_lines
from harvest_xl.excel.template import build_template

SAME = "warning: the same trade as row 6; both rows are counted"
FIX = "delete one row if it was typed twice"


def _same_as_row_6(row: int) -> Problem:
    return Problem("Activity", row, "Date", SAME, FIX, 1, warning=True)


def _bad_shares(row: int) -> Problem:
    return Problem("Activity", row, "Shares", "'ten' is not a number", "type a number", 5)


def test_one_warning_per_row_reads_as_before() -> None:
    """A warning no other row shares, and every error, is its own line, as str() writes it."""
    problems = [_bad_shares(3), _same_as_row_6(9), _bad_shares(4)]
    assert summary_lines(problems) == [str(p) for p in problems]
    assert summary_lines(problems)[1] == (
        f"Activity!A9 (Date): {SAME}. Fix: {FIX}"  # the robustness tests' line, unchanged
    )


def test_rows_sharing_a_warning_are_one_line_where_the_first_stands() -> None:
    """Three rows repeating row 6: one line naming A9, A12 and A15, in the first one's place;
    the errors between them stay lines of their own, even when alike."""
    problems = [
        _bad_shares(3),
        _same_as_row_6(9),
        _bad_shares(10),
        _same_as_row_6(12),
        _bad_shares(11),
        _same_as_row_6(15),
    ]
    assert summary_lines(problems) == [
        str(problems[0]),
        f"Activity!A9, A12 and A15 (Date): {SAME}. Fix: {FIX}",
        str(problems[2]),
        str(problems[4]),
    ]


def test_a_long_run_names_the_first_rows_and_counts_the_rest() -> None:
    """Twenty-five rows repeating row 6: the first ten named, then '15 more'."""
    rows = range(100, 125)
    (line,) = summary_lines([_same_as_row_6(row) for row in rows])
    named = ", ".join(f"A{row}" for row in list(rows)[:ROWS_NAMED])
    assert line == f"Activity!{named} and 15 more (Date): {SAME}. Fix: {FIX}"


def test_a_warning_without_a_column_names_rows() -> None:
    """A warning located by row only names its rows; different words are different lines."""
    problems = [
        Problem("My Sheet", 4, None, "warning: odd", "look", warning=True),
        Problem("My Sheet", 8, None, "warning: odd", "look", warning=True),
        Problem("My Sheet", 9, None, "warning: odder", "look", warning=True),
    ]
    assert summary_lines(problems) == [
        "'My Sheet' rows 4 and 8: warning: odd. Fix: look",
        "'My Sheet' row 9: warning: odder. Fix: look",
    ]


def test_a_trade_typed_three_times_is_one_summary_line(tmp_path: Path) -> None:
    """The demo with its second trade (a purchase) typed twice more: the refresh reports
    both repeats (one problem per row, as the CLI lists them); the Summary names both in
    one line."""
    first = ACTIVITY[1]
    tables = {
        "Accounts": ACCOUNTS,
        "Holdings": HOLDINGS,
        "Activity": [*ACTIVITY, list(first), list(first)],
        "Recurring": RECURRING,
        "Securities": SECURITIES,
    }
    workbook = build_template()
    fill(workbook, tables, PROFILE)
    book = tmp_path / "book.xlsx"
    workbook.save(book)
    report = refresh_file(book, tmp_path / "out.xlsx")
    assert report.error is None, report.error
    said = "warning: the same trade as row 3; both rows are counted"
    assert [p.split(". Fix")[0] for p in report.problems] == [
        f"Activity!A6 (Date): {said}",
        f"Activity!A7 (Date): {said}",
    ]
    summary = openpyxl.load_workbook(tmp_path / "out.xlsx")[L.SUMMARY]
    head = L.SUMMARY_PROBLEMS_ROW
    listed = [summary.cell(row, 1).value for row in range(head, head + 3)]
    assert listed[0] == "Problems (2): fix these and refresh"
    assert listed[1].startswith(f"Activity!A6 and A7 (Date): {said}. Fix: ")
    assert listed[2] is None


_TEXT = st.text(st.sampled_from(["a", "B", " ", "\u3000", "\n", "\t", "\u00a0", "\x1c", "é", "!"]))


@given(_TEXT, st.one_of(st.none(), _TEXT), _TEXT, _TEXT)
def test_a_problem_is_one_line_of_single_spaces(
    sheet: str, column: str | None, said: str, fix: str
) -> None:
    """Whatever the cells held, a problem's line has no line break and no run of spaces:
    the words of 'where: problem. Fix: fix', each whitespace run one space."""
    problem = Problem(sheet or "S", 3, column, said, fix, 2)
    where = problem.cell + (f" ({column})" if column else "")
    assert str(problem) == " ".join(f"{where}: {said}. Fix: {fix}".split())
