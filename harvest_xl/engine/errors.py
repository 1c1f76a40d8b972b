"""Errors the engine raises for input it cannot use.

Adapters turn these into an Excel-style message (``#VALUE! argument: problem``) or a
per-row report (sheet, row, column); the engine never formats for Excel itself.
"""

from __future__ import annotations


class HarvestInputError(ValueError):
    """A value the engine cannot use; ``argument`` names what was wrong."""

    def __init__(self, argument: str, problem: str) -> None:
        super().__init__(f"{argument}: {problem}")
        self.argument = argument
        self.problem = problem


class MissingTaxYear(HarvestInputError):
    """A tax year outside the parameter table: never extrapolated silently."""

    def __init__(self, year: object, first: int, last: int) -> None:
        super().__init__("year", f"{year!r} is outside the supported tax years {first}-{last}")
        self.year = year
