"""Trades a broker file lists twice are two trades: the refresh's "the same trade as row N"
warning is for a row typed twice, not for rows the import wrote from two lines of a file.

Brokers list identical lines for real: two fills of one order at one price, two equal
dividend reinvestments on one day. ``harvest-xl import`` writes each such line as its own
Activity row and marks their ledger entries with the digest of the values written
(:meth:`~harvest_xl.excel.import_records.PlannedRows.mark_repeats`). A group of equal
Activity rows is vouched for by as many rows as the ledger has entries carrying the
group's digest, and only the rows beyond those are warned about. Counting, not row
numbers, keeps this right after the user sorts the table: a row typed again is still one
row too many, wherever it has moved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from harvest_xl.engine.names import fold
from harvest_xl.excel import layout as L
from harvest_xl.excel.book import BookAdapter
from harvest_xl.excel.import_ledger import LEDGER_COLUMNS, LEDGER_SHEET
from harvest_xl.excel.import_values import activity_fingerprint

_TABLE = LEDGER_COLUMNS.index("Table")
_FINGERPRINT = LEDGER_COLUMNS.index("Fingerprint")


def imported_copies(book: BookAdapter) -> Counter[str]:
    """Digest -> how many Activity rows the import wrote with those values, counted from
    the ledger's entries that carry a digest. Empty when the workbook has no ledger, or a
    sheet of its name that is not one: then every repeat is warned about."""
    if LEDGER_SHEET not in book.sheet_names():
        return Counter()
    rows = book.read_block(LEDGER_SHEET).values
    header = [fold(v) if isinstance(v, str) else "" for v in rows[0]] if rows else []
    if header[: len(LEDGER_COLUMNS)] != [fold(name) for name in LEDGER_COLUMNS]:
        return Counter()
    return Counter(
        line[_FINGERPRINT]
        for line in rows[1:]
        if len(line) > _FINGERPRINT
        and line[_TABLE] == L.ACTIVITY
        and isinstance(line[_FINGERPRINT], str)
    )


Repeat = tuple[int | None, int | None]
"""(worksheet row of a row equal to an earlier one, the first row of its kind)."""


def repeats_beyond_imported(
    repeats: Iterable[Repeat],
    values_at: Callable[[int | None], Mapping[str, Any]],
    copies: Callable[[], Counter[str]],
) -> list[Repeat]:
    """The pairs of ``repeats`` left, in their order, once the import's own are set aside.

    ``repeats`` pairs the worksheet row of each Activity row equal to an earlier one with
    the first row of its kind, in table order. A group (the first row and its repeats) is
    vouched for by ``copies()[digest]`` rows, the digest of the first row's values
    (``values_at``): the first row and the repeats after it stand up to that number, and
    the rest keep their warning. ``copies`` is asked only when there is a repeat (it reads
    the ledger)."""
    repeats = list(repeats)
    if not repeats:
        return []
    counted = copies()
    if not counted:
        return repeats
    standing: dict[int | None, int] = {}  # first row -> how many more of its kind stand
    left: list[Repeat] = []
    for row, first in repeats:
        if first not in standing:
            standing[first] = counted.get(activity_fingerprint(values_at(first)), 0) - 1
        if standing[first] > 0:
            standing[first] -= 1
        else:
            left.append((row, first))
    return left
