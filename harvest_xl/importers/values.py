"""Cell values as brokers write them, read through the project's one cell-value reader.

The general rules for money, numbers, dates and text live in :mod:`harvest_xl.inputs.cells`
(``$1,234.56``, ``(1,234.56)``, ``+$0.16``, ``5%``, ``MM/DD/YYYY``, ``YYYY-MM-DD``,
``YYYY/MM/DD``, ``Feb 15 2026``...). This module is the only place the importers import it from
(it moves to ``harvest_xl.inputs`` in a later refactor: change the import below), and it adds
only what is particular to broker downloads before handing the text over:

* the words brokers use for "no value": ``--``, ``-``, ``n/a``, ``N/A``, ``not applicable``;
* a time of day after a date (``09/24/2020 13:42:07``, ``"2021-08-23, 09:33:11"``,
  ``06/26/2025 02:38:22 PM``), IBKR's compact ``20230522`` and ``20260803;093015``, and
  Fidelity's ``Dec-30-2025``;
* "as of" dates: ``08/18/2023 as of 08/15/2023`` (Schwab) and ``... as of 11/30/2022 ...``
  inside a Fidelity action;
* Robinhood's ``2S`` share counts (option expirations and assignments).

A :class:`CellValues` converts one file and remembers each distinct text it converted (a file of
10^5 rows holds a few hundred distinct dates), so each distinct value is parsed once.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from harvest_xl.inputs.cells import to_date, to_decimal, to_text

__all__ = ["BLANK_WORDS", "CellValues", "find_as_of", "split_as_of", "to_text"]

BLANK_WORDS = frozenset({"", "--", "-", "n/a", "na", "not applicable", "none"})
"""Cell texts (lower-cased, stripped) that mean "no value" in broker downloads."""

MEMO_LIMIT = 1 << 16
"""The most distinct texts remembered per kind of value in one file (bounds the memo when a
hostile file has a million distinct numbers; beyond it, values are converted every time)."""

_TIME_SUFFIX = re.compile(
    r"[ ,;T]+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,4})?$"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:;\d{4,6})?")
_MONTH_DASH_DATE = re.compile(r"([A-Za-z]{3,9})[-/](\d{1,2})[-/](\d{4})")
_AS_OF_CELL = re.compile(r"^\s*(.+?)\s+as\s+of\s+(.+?)\s*$", re.IGNORECASE)
_AS_OF_IN_TEXT = re.compile(
    r"\bas\s+of\s+(\d{1,2}/\d{1,2}/\d{2,4}|[A-Za-z]{3}-\d{1,2}-\d{4}|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
_SHARE_SUFFIX = re.compile(r"^([+-]?[\d,]*\.?\d+)\s*S$")


def split_as_of(text: str) -> tuple[str, str | None]:
    """``"08/18/2023 as of 08/15/2023"`` -> ``("08/18/2023", "08/15/2023")``; a cell without
    "as of" comes back whole, with ``None``."""
    match = _AS_OF_CELL.match(text)
    if match is None:
        return text, None
    return match[1], match[2]


def find_as_of(text: str) -> str | None:
    """The date text after "as of" inside a longer text (a Fidelity action), or ``None``."""
    match = _AS_OF_IN_TEXT.search(text)
    return match[1] if match else None


def _date_text(text: str) -> str:
    """The broker-only forms of a date rewritten to forms :func:`to_date` reads."""
    match = _COMPACT_DATE.fullmatch(text)
    if match:
        return f"{match[1]}-{match[2]}-{match[3]}"
    text = _TIME_SUFFIX.sub("", text).rstrip(", ")
    match = _MONTH_DASH_DATE.fullmatch(text)
    if match:
        return f"{match[1]} {match[2]} {match[3]}"
    return text


class CellValues:
    """Converts the cells of one file; ``None`` for the broker blanks. Raises
    :class:`~harvest_xl.engine.errors.HarvestInputError` naming ``column`` for a bad value."""

    __slots__ = ("_dates", "_numbers", "_shares")

    def __init__(self) -> None:
        self._numbers: dict[str, Decimal] = {}
        self._shares: dict[str, Decimal] = {}
        self._dates: dict[str, date] = {}

    def number(self, text: str, column: str) -> Decimal | None:
        """Money or a quantity: ``$1,234.56``, ``(1.5)``, ``-$10.00``, ``"$12.00 "``, ``1E-4``."""
        found = self._numbers.get(text)
        if found is not None:
            return found
        if not text:  # an empty cell (most commission and fee cells): no value
            return None
        stripped = text.strip()
        if stripped.lower() in BLANK_WORDS:
            return None
        value: Decimal = to_decimal(stripped, column)
        if len(self._numbers) < MEMO_LIMIT:
            self._numbers[text] = value
        return value

    def shares(self, text: str, column: str) -> Decimal | None:
        """A share count; Robinhood's ``2S`` (option expirations) reads as 2."""
        found = self._shares.get(text)
        if found is not None:
            return found
        match = _SHARE_SUFFIX.match(text.strip())
        value = self.number(match[1] if match else text, column)
        if value is not None and len(self._shares) < MEMO_LIMIT:
            self._shares[text] = value
        return value

    def day(self, text: str, column: str) -> date | None:
        """A date, with a time of day or a time zone ignored; blanks give ``None``."""
        found = self._dates.get(text)
        if found is not None:
            return found
        stripped = text.strip()
        if stripped.lower() in BLANK_WORDS:
            return None
        value: date = to_date(_date_text(stripped), column)
        if len(self._dates) < MEMO_LIMIT:
            self._dates[text] = value
        return value

    def text(self, text: str) -> str | None:
        """Text stripped of spaces; blanks give ``None``."""
        stripped = text.strip()
        if stripped.lower() in BLANK_WORDS:
            return None
        result: str = to_text(stripped, "text")
        return result
