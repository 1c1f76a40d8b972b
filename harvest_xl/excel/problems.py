"""A located problem: one thing the user must fix, naming sheet, row, column and the fix.

Every bad value the refresh finds is a :class:`Problem`; a bad row is left out of the
portfolio evaluation and everything else is still computed. The refresh lists them on the
Summary sheet.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter


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
        where = self.cell
        if self.column:
            where += f" ({self.column})"
        # One line, whatever the cells held (a header typed with a line break).
        return " ".join(f"{where}: {self.problem}. Fix: {self.fix}".split())
