"""A located problem: one thing the user must fix, naming sheet, row, column and the fix.

Every bad value the refresh finds is a :class:`Problem`; a bad row is left out of the
portfolio evaluation and everything else is still computed. The refresh lists them on the
Summary sheet (:func:`summary_lines`: one line each, identical warnings on several rows
in one line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

ROWS_NAMED = 10
"""How many of the rows sharing one warning its Summary line names (the count says the rest)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing the user must fix: where it is and what to do."""

    sheet: str
    row: int | None
    column: str | None
    problem: str
    fix: str
    column_number: int | None = None
    warning: bool = False  # reported, but the row is still computed

    @property
    def cell(self) -> str:
        """The cell address (``Holdings!C5``), or the sheet / row when that is all we know."""
        sheet = f"'{self.sheet}'" if " " in self.sheet else self.sheet
        if self.row is not None and self.column_number is not None:
            return f"{sheet}!{get_column_letter(self.column_number)}{self.row}"
        if self.row is not None:
            return f"{sheet} row {self.row}"
        return sheet

    def __str__(self) -> str:
        return _line(self.cell, self)


def _line(where: str, problem: Problem) -> str:
    if problem.column:
        where += f" ({problem.column})"
    line = f"{where}: {problem.problem}. Fix: {problem.fix}"
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line  # no line break, tab or double space (the only space printable is " ")
    # One line, whatever the cells held (a header typed with a line break).
    return " ".join(line.split())


def summary_lines(problems: Sequence[Problem]) -> list[str]:
    """The Summary's list of ``problems``: each one's line (``str``), except that the same
    warning on several rows (same column, same words, same fix: rows that repeat one earlier
    row, say) is one line, where the first of them stands, naming its cells:
    ``Activity!A4206, A8406 and A12606 (Date): warning: the same trade as row 6; ...``
    (the first :data:`ROWS_NAMED`, then how many more). An error is always its own line."""
    # Each group of warnings where its first stands in ``listed``: the first alone, then,
    # from its second, a list of them with the set of their rows (no list for the many
    # warnings that stay alone).
    groups: dict[tuple[object, ...], int] = {}
    rows: dict[int, set[int | None]] = {}
    listed: list[Problem | list[Problem]] = []
    for problem in problems:
        if problem.warning and problem.row is not None:
            key = (
                problem.sheet,
                problem.column,
                problem.column_number,
                problem.problem,
                problem.fix,
            )
            at = groups.get(key)
            if at is None:
                groups[key] = len(listed)
                listed.append(problem)
                continue
            first = listed[at]
            if isinstance(first, list):
                group, seen = first, rows[at]
            else:
                group = listed[at] = [first]
                seen = rows[at] = {first.row}
            if problem.row not in seen:
                seen.add(problem.row)
                group.append(problem)
                continue
        listed.append(problem)
    return [_group_line(item) if isinstance(item, list) else str(item) for item in listed]


def _group_line(group: list[Problem]) -> str:
    """The line of one warning on the rows of ``group`` (one row: the problem's own line)."""
    first = group[0]
    if len(group) == 1:
        return str(first)
    letter = get_column_letter(first.column_number) if first.column_number is not None else None
    cells = [f"{letter}{p.row}" if letter else str(p.row) for p in group[:ROWS_NAMED]]
    more = len(group) - len(cells)
    if more:
        named = f"{', '.join(cells)} and {more:,} more"
    else:
        named = f"{', '.join(cells[:-1])} and {cells[-1]}"
    sheet = f"'{first.sheet}'" if " " in first.sheet else first.sheet
    where = f"{sheet}!{named}" if letter else f"{sheet} rows {named}"
    return _line(where, first)
