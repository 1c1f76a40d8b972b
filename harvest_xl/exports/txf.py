"""TXF (Tax Exchange Format) version 042: Form 8949 rows as detail records tax software imports.

File layout (realized-year.md §2.1, from Intuit's TXF Spec V042 of 11/30/2011):
- header ``V042``, ``A<program>``, ``D<export date>``, ``^``;
- one detail record per row: ``TD``, ``N<reference number>``, ``C1``, ``L1``, ``P<description>``,
  ``D<date acquired>``, ``D<date sold>``, ``$<cost basis>``, ``$<proceeds>`` (format 4), plus
  ``$<disallowed wash-sale loss>`` (format 5) only on a row with code W; then ``^``;
- ASCII only, CR LF line ends, cost before proceeds, amounts with two decimals.

Product decisions (realized-year.md §2.1.5 and §4 item 4):
- TXF has no field for a Form 8949 code. A row that needs code B or T is written with its
  column (e) as on the form (the broker's basis) and listed in ``fix_after_import``: the user
  adds the code and the net adjustment in the tax program. Writing the corrected basis
  instead would contradict the Form 8949 rule that box A/D keeps the reported basis.
- A row of unknown basis is not exported; it is listed in ``fix_after_import``.
- Only the reference numbers 321/711/712 (Part I, box A/B/C) and 323/713/714 (Part II,
  box D/E/F) are used; 682/718 are disputed and avoided.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.form8949 import Box, Form8949Row
from harvest_xl.exports._format import mm_dd_yyyy, two_decimals

TXF_VERSION = "V042"
LINE_END = "\r\n"
RECORD_END = "^"

TXF_REFERENCE_NUMBERS: dict[Box, int] = {
    Box.A: 321,
    Box.B: 711,
    Box.C: 712,
    Box.D: 323,
    Box.E: 713,
    Box.F: 714,
}
"""Form 8949 box -> TXF reference number (TXF Spec V042 §IV, 11/30/2011 change note and the
Schedule D category table; taxdataexchange.org "Form 1099-B TXF Reference Numbers")."""

_CODES_TXF_CARRIES = frozenset("W")


@dataclass(frozen=True, slots=True)
class TxfExport:
    """The TXF text and the rows the user must complete by hand after importing it."""

    text: str
    fix_after_import: tuple[str, ...]


def txf_ascii(text: str) -> str:
    """``text`` made safe for one TXF line: accents dropped, other non-ASCII as ``?``,
    control characters (a line break would end the field) as spaces."""
    if text.isascii() and text.isprintable():  # nearly every description: nothing to do
        return text
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    ascii_text = folded.encode("ascii", "replace").decode("ascii")
    return "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in ascii_text)


def txf_header(program: str, export_date: date) -> list[str]:
    """The header record's lines: version, exporting program, export date, ``^``."""
    return [TXF_VERSION, "A" + txf_ascii(program), "D" + mm_dd_yyyy(export_date), RECORD_END]


def txf_record(row: Form8949Row) -> list[str]:
    """One capital-gain detail record (format 4, or 5 when the row has code W).

    Raises:
        HarvestInputError: the row's basis is unknown (it cannot be a TXF record).
    """
    if row.box is None or row.cost_basis is None or row.date_acquired is None:
        raise HarvestInputError("rows", "a row of unknown basis has no TXF record")
    lines = [
        "TD",
        f"N{TXF_REFERENCE_NUMBERS[row.box]}",
        "C1",
        "L1",
        "P" + txf_ascii(row.description),
        "D" + mm_dd_yyyy(row.date_acquired),
        "D" + mm_dd_yyyy(row.date_sold),
        "$" + two_decimals(row.cost_basis),
        "$" + two_decimals(row.proceeds),
    ]
    if "W" in row.code:
        lines.append("$" + two_decimals(row.wash_disallowed))
    lines.append(RECORD_END)
    return lines


def txf_export(rows: Iterable[Form8949Row], *, program: str, export_date: date) -> TxfExport:
    """The TXF V042 text of the Form 8949 rows, and what to fix after importing it.

    ``export_date`` is an input (the caller's today), never read from a clock.
    """
    lines = txf_header(program, export_date)
    fixes: list[str] = []
    for row in rows:
        if row.cost_basis is None:
            fixes.append(f"{_which(row)}: not exported, basis unknown: enter this sale by hand")
            continue
        lines.extend(txf_record(row))
        missing = "".join(code for code in row.code if code not in _CODES_TXF_CARRIES)
        if missing:
            assert row.adjustment is not None
            fixes.append(
                f"{_which(row)}: after import set column (f) to {row.code} and column (g) to "
                f"{two_decimals(row.adjustment)} (TXF carries no code {', '.join(missing)})"
            )
        if row.provisional:
            fixes.append(
                f"{_which(row)}: provisional: export again once Activity covers the 30 days "
                "after the sale"
            )
    return TxfExport(LINE_END.join(lines) + LINE_END, tuple(fixes))


def _which(row: Form8949Row) -> str:
    part_box = "" if row.box is None else f"box {row.box.value}, "
    return f"{row.description} sold {mm_dd_yyyy(row.date_sold)} ({part_box}{row.account})"
