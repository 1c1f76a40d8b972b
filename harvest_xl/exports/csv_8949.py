"""The Form 8949 rows as CSV text, under the ``Form 8949`` sheet's headers.

Dates MM/DD/YYYY, amounts with two decimals and ``-`` for a negative (realized-year.md
§2.4), empty cells where the form has none (no code: no adjustment; unknown basis: no basis
and no gain). Against CSV (formula) injection, a text cell starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading apostrophe (OWASP, "CSV Injection"); the
amounts are numbers and stay as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from harvest_xl.engine.form8949 import FORM_8949_HEADERS, Form8949Row
from harvest_xl.exports._format import mm_dd_yyyy, two_decimals

NOTES_HEADER = "Notes"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP)."""


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet will not run: an apostrophe before a formula trigger."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _amount(amount: Decimal | None) -> str:
    return "" if amount is None else two_decimals(amount)


def csv_cells(row: Form8949Row) -> list[str]:
    """The row's cells under :data:`FORM_8949_HEADERS`, as text."""
    return [
        "" if row.part is None else row.part.value,
        "" if row.box is None else row.box.value,
        neutralise(row.description),
        "" if row.date_acquired is None else mm_dd_yyyy(row.date_acquired),
        mm_dd_yyyy(row.date_sold),
        two_decimals(row.proceeds),
        _amount(row.cost_basis),
        neutralise(row.code),
        _amount(row.adjustment),
        _amount(row.gain_or_loss),
        neutralise(row.account),
    ]


def form8949_csv(rows: Iterable[Form8949Row], *, notes: bool = False) -> str:
    """CSV text (RFC 4180: CR LF, quotes where needed) of the rows, header first.

    ``notes`` adds a last column ``Notes`` with each row's notes joined by ``; ``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*FORM_8949_HEADERS, NOTES_HEADER] if notes else FORM_8949_HEADERS)
    for row in rows:
        cells = csv_cells(row)
        if notes:
            cells.append(neutralise("; ".join(row.notes)))
        writer.writerow(cells)
    return out.getvalue()
