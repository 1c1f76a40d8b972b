"""Formula-text neutralisation: text we write from user data never becomes a formula.

:func:`neutralise_formula_text` (for CSV or plain-text exports) and :func:`set_cell_text` (for
openpyxl cells) keep text we write from user data from ever becoming a formula (CSV/formula
injection).
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_TRIGGERS", "neutralise_formula_text", "set_cell_text"]

#: Leading characters that make a spreadsheet treat text as a formula (OWASP, "CSV Injection":
#: equals, plus, minus, at, tab, carriage return).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula_text(value: Any) -> Any:
    """Text for a CSV or plain-text export, made inert: a string starting with a formula
    trigger gets a leading single quote (``"=1+1"`` -> ``"'=1+1"``), the OWASP recommendation;
    everything else (numbers, dates, None, harmless text) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def set_cell_text(cell: Any, value: Any) -> None:
    """Write user-supplied ``value`` into an openpyxl cell so it can never become a formula.

    openpyxl turns any assigned string that starts with ``=`` into a formula. For text that
    starts with a formula trigger this stores the text *unchanged* as a string cell
    (``data_type = "s"``) with Excel's quotePrefix style, the state Excel itself gives
    ``'=text`` typed by a user: it shows the text, never evaluates it, and keeps it text when the
    cell is edited. The user's text is not altered. Other values are assigned as they are, and
    a quotePrefix left by earlier text in the same cell is cleared.
    """
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif cell.quotePrefix:  # a refresh rewriting a cell that held such text before
        cell.quotePrefix = False
