"""Shared helpers for the robustness tests: the demo workbook as bytes, edits applied to it,
the input cells of a workbook file, and reading back what a refresh wrote.

Edits are plain data (tuples), so cases can be listed in tables and sent to worker processes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.utils import column_index_from_string, coordinate_to_tuple

from harvest_xl.excel import layout as L

Edit = tuple[Any, ...]
"""One change to the demo workbook:

``("set", sheet, "C3", value)``                 type a value (None empties the cell)
``("merge", sheet, "A3:B3")``                   merge cells
``("delete_sheet", sheet)``                     remove a sheet
``("copy_row", sheet, source_row, target_row)``  copy a row's input cells to another row
``("delete_row", sheet, row)`` / ``("delete_column", sheet, column_letter)``
``("formula", sheet, "C3", "=1/0", cached)``    a formula whose last computed value is ``cached``
"""


@lru_cache(maxsize=1)
def demo_bytes() -> bytes:
    """The template filled with the demo household, not refreshed, as saved by openpyxl."""
    from harvest_xl.demo import demo_workbook

    buffer = io.BytesIO()
    demo_workbook().save(buffer)
    return buffer.getvalue()


def column_of(sheet: str, header: str) -> str:
    """The column letter of a template header (the demo's layout)."""
    from openpyxl.utils import get_column_letter

    if sheet == L.PROFILE:
        return "B"
    columns = L.TABLE_COLUMNS[sheet]
    return get_column_letter(columns.index(header) + 1)


def cell_of(sheet: str, header: str, row: int) -> str:
    """``C3`` for (Holdings, Shares, 3); for the Profile, ``header`` is the key."""
    if sheet == L.PROFILE:
        return f"B{L.PROFILE_ROWS[header]}"
    return f"{column_of(sheet, header)}{row}"


def apply(edits: Sequence[Edit], data: bytes | None = None) -> bytes:
    """The demo workbook (or ``data``) with ``edits`` applied: structural edits through
    openpyxl (load and save), then cell edits written straight into the sheet XML."""
    data = data or demo_bytes()
    cells = {(e[1], e[2]): e[3] for e in edits if e[0] == "set"}
    cells.update({(e[1], e[2]): Formula(e[3], e[4]) for e in edits if e[0] == "formula"})
    structural = [e for e in edits if e[0] not in ("set", "formula")]
    if structural:
        wb = openpyxl.load_workbook(io.BytesIO(data))
        for edit in structural:
            kind, sheet = edit[0], edit[1]
            if sheet not in wb.sheetnames:  # deleted by an earlier edit
                continue
            if kind == "merge":
                wb[sheet].merge_cells(edit[2])
            elif kind == "delete_sheet":
                del wb[sheet]
            elif kind == "copy_row":
                ws = wb[sheet]
                for c in range(1, len(L.TABLE_INPUTS[sheet]) + 1):
                    ws.cell(edit[3], c).value = ws.cell(edit[2], c).value
            elif kind == "delete_row":
                wb[sheet].delete_rows(edit[2])
            elif kind == "delete_column":
                wb[sheet].delete_cols(column_index_from_string(edit[2]))
            else:  # pragma: no cover - a typo in a case table
                raise ValueError(f"unknown edit {kind!r}")
        buffer = io.BytesIO()
        wb.save(buffer)
        data = buffer.getvalue()
    return set_cells(data, cells) if cells else data


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
Cell = tuple[Any, str | None]
"""A cell as stored: (value, formula). Values: float, str, bool, an ``#ERROR`` text, None.
Dates are their serial numbers (the number format is presentation, not the value)."""


def read_cells(data: bytes, sheets: Sequence[str]) -> dict[str, dict[tuple[int, int], Cell]]:
    """The stored cells of ``sheets`` (those present), read from the sheet XML:
    ``{sheet: {(row, column): (value, formula)}}``; cells with neither are left out."""
    from xml.etree import ElementTree

    from ..cached_values import sheet_parts

    parts = sheet_parts(data)
    out: dict[str, dict[tuple[int, int], Cell]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(_NS + "t")) for si in root]
        present = set(z.namelist())
        for sheet in sheets:
            if parts.get(sheet) not in present:  # no such sheet, or its part is missing
                continue
            cells: dict[tuple[int, int], Cell] = {}
            root = ElementTree.fromstring(z.read(parts[sheet]))
            for c in root.iter(_NS + "c"):
                row, column = coordinate_to_tuple(c.get("r", ""))
                kind, v, f = c.get("t", "n"), c.find(_NS + "v"), c.find(_NS + "f")
                text = v.text if v is not None else None
                value: Any
                if kind == "inlineStr":
                    value = "".join(t.text or "" for t in c.iter(_NS + "t"))
                elif kind == "s":
                    value = shared[int(text)] if text is not None else None
                elif kind == "b":
                    value = None if text is None else text == "1"
                elif kind in ("e", "str", "d"):
                    value = text
                else:
                    value = None if text in (None, "") else float(text)
                formula = None if f is None else (f.text or "")
                if value is not None or formula is not None:
                    cells[(row, column)] = (value, formula)
            out[sheet] = cells
    return out


def input_cells(data: bytes) -> dict[tuple[str, str], Cell]:
    """Every cell of the input sheets that the user owns, as stored (value and formula):
    whole sheets, except the Holdings computed columns (found by their header, and the
    template's positions G:P, whose table columns carry the calculated formulas)."""
    from openpyxl.utils import get_column_letter

    out: dict[tuple[str, str], Cell] = {}
    for sheet, cells in read_cells(data, L.INPUT_SHEETS).items():
        skip = set()
        if sheet == L.HOLDINGS:  # computed columns: by header, and where the template has them
            skip = {c for (r, c), (v, _) in cells.items() if r == 1 and v in L.HOLDINGS_COMPUTED}
            first = len(L.HOLDINGS_INPUTS) + 1
            skip |= set(range(first, first + len(L.HOLDINGS_COMPUTED)))
        for (row, column), cell in cells.items():
            if column not in skip:
                out[(sheet, f"{get_column_letter(column)}{row}")] = cell
    return out


def changed_inputs(before: bytes, after: bytes) -> list[str]:
    """Input cells whose stored value or formula differs between two files (empty: none)."""
    a, b = input_cells(before), input_cells(after)
    return [
        f"{sheet}!{cell}: {a.get((sheet, cell))!r} -> {b.get((sheet, cell))!r}"
        for sheet, cell in sorted(set(a) | set(b))
        if a.get((sheet, cell)) != b.get((sheet, cell))
    ]


def read_results(data: bytes) -> dict[str, Any]:
    """What a refreshed workbook shows (cached values): Holdings rows by worksheet row,
    Plan rows, the Summary's values and its Problems list (``listed``: the title, then one
    line per problem)."""
    sheets = read_cells(data, (L.HOLDINGS, L.PLAN, L.SUMMARY))
    out: dict[str, Any] = {"holdings": {}, "plan": [], "listed": [], "summary": {}}
    holdings = sheets.get(L.HOLDINGS, {})
    header = {c: v for (r, c), (v, _) in holdings.items() if r == 1}
    n_inputs = len(L.HOLDINGS_INPUTS)
    for row in sorted({r for r, _ in holdings if r > 1}):
        line = {name: holdings.get((row, c), (None, None))[0] for c, name in header.items()}
        if any(holdings.get((row, c), (None,))[0] is not None for c in range(1, n_inputs + 1)):
            out["holdings"][row] = line
    plan = sheets.get(L.PLAN, {})
    for row in sorted({r for r, _ in plan if r > L.OUTPUT_HEADER_ROW}):
        if plan.get((row, 1), (None,))[0] is not None:
            out["plan"].append(tuple(plan.get((row, c), (None,))[0] for c in range(1, 13)))
    summary = sheets.get(L.SUMMARY, {})
    for (row, column), (value, _) in sorted(summary.items()):
        if column == 1 and isinstance(value, str):
            if row >= L.SUMMARY_PROBLEMS_ROW:
                out["listed"].append(value)
            elif row >= L.SUMMARY_FIRST_ROW:
                out["summary"][value] = summary.get((row, 2), (None,))[0]
    return out


def is_complete_zip(data: bytes) -> bool:
    """A whole zip: every member's CRC checks (a half-written file fails)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return z.testzip() is None
    except (zipfile.BadZipFile, OSError, EOFError):
        return False


def refresh_edited(edits: Sequence[Edit]) -> dict[str, Any]:
    """Apply ``edits`` to the demo workbook, refresh it headless in a temporary folder, and
    report what came out (picklable, so cases can run in worker processes)."""
    import tempfile
    from pathlib import Path

    from harvest_xl.excel.headless import refresh_file

    data = apply(edits)
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "book.xlsx", Path(folder) / "out.xlsx"
        source.write_bytes(data)
        report = refresh_file(source, target)
        source_after = source.read_bytes()
        out = target.read_bytes() if target.exists() else None
    result: dict[str, Any] = {
        "error": report.error,
        "problems": list(report.problems),
        "source_untouched": source_after == data,
        "output": out is not None,
    }
    if out is not None:
        result["changed"] = changed_inputs(data, out)
        result.update(read_results(out))
    return result


def run_all(cases: Sequence[Sequence[Edit]], processes: int = 2) -> list[dict[str, Any]]:
    """:func:`refresh_edited` for each list of edits, on up to ``processes`` cores."""
    import multiprocessing
    import os

    workers = max(1, min(processes, os.cpu_count() or 1, len(cases)))
    if workers == 1:
        return [refresh_edited(edits) for edits in cases]
    demo_bytes()  # built once, inherited by the forked workers
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return pool.map(refresh_edited, cases, chunksize=1)


# ------------------------------------------------------------------ zip-level cell edits
# openpyxl load + save costs ~0.5 s a workbook; writing the few changed <c> elements into
# the sheet XML costs milliseconds, which is what lets the fuzz run hundreds of cases.


@dataclass(frozen=True)
class Formula:
    """A formula with the value Excel last computed for it (an ``#ERROR`` text for errors)."""

    text: str
    cached: Any = None


@dataclass(frozen=True)
class Plain:
    """A number written without the cell's style (a date column formatted as General)."""

    number: float


_ERRORS = frozenset({"#N/A", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})


def _cell_xml(ref: str, value: Any, style: bytes) -> bytes:
    head = f'<c r="{ref}"'.encode() + style
    if value is None:
        return head + b"/>"
    if isinstance(value, Plain):
        return f'<c r="{ref}"><v>{value.number!r}</v></c>'.encode()
    if isinstance(value, Formula):
        body = b"<f>" + escape(value.text.removeprefix("=")).encode() + b"</f>"
        cached = value.cached
        if isinstance(cached, str) and cached in _ERRORS:
            return head + b' t="e">' + body + b"<v>" + cached.encode() + b"</v></c>"
        if isinstance(cached, str):
            return head + b' t="str">' + body + b"<v>" + escape(cached).encode() + b"</v></c>"
        return head + b">" + body + (b"<v>%r</v>" % cached if cached is not None else b"") + b"</c>"
    if isinstance(value, bool):
        return head + b' t="b"><v>' + (b"1" if value else b"0") + b"</v></c>"
    if isinstance(value, datetime | date):  # the serial openpyxl itself would write
        from openpyxl.utils.datetime import to_excel

        serial = to_excel(value)
        return head + b' t="n"><v>' + repr(serial).encode() + b"</v></c>"
    if isinstance(value, int | float):
        return head + b' t="n"><v>' + repr(value).encode() + b"</v></c>"
    text = str(value)
    if text in _ERRORS:
        return head + b' t="e"><v>' + text.encode() + b"</v></c>"
    body = escape(text).encode()
    space = b' xml:space="preserve"' if text != text.strip() else b""
    return head + b' t="inlineStr"><is><t' + space + b">" + body + b"</t></is></c>"


_C = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(/>|>.*?</c>)', re.S)
_STYLE = re.compile(rb' s="\d+"')


def _set_in_sheet(xml: bytes, ref: str, value: Any) -> bytes:
    column, row = coordinate_to_tuple(ref)[1], coordinate_to_tuple(ref)[0]
    row_open = re.search(rb'<row r="%d"[^>]*?(/?)>' % row, xml)
    if row_open is None:  # a new row, placed in order
        new_row = b'<row r="%d">' % row + _cell_xml(ref, value, b"") + b"</row>"
        for match in re.finditer(rb'<row r="(\d+)"', xml):
            if int(match[1]) > row:
                return xml[: match.start()] + new_row + xml[match.start() :]
        if b"<sheetData/>" in xml:
            return xml.replace(b"<sheetData/>", b"<sheetData>" + new_row + b"</sheetData>")
        return xml.replace(b"</sheetData>", new_row + b"</sheetData>", 1)
    if row_open[1] == b"/":  # <row r="n"/>: no cells yet
        opened = row_open[0][:-2] + b">"
        cell = _cell_xml(ref, value, b"")
        return xml[: row_open.start()] + opened + cell + b"</row>" + xml[row_open.end() :]
    end = xml.index(b"</row>", row_open.end())
    cells = xml[row_open.end() : end]
    for match in _C.finditer(cells):
        here = column_index_from_string(match[1].decode())
        if here == column:
            style = _STYLE.search(match[3])
            new = _cell_xml(ref, value, style[0] if style else b"")
            cells = cells[: match.start()] + new + cells[match.end() :]
            break
        if here > column:
            cells = cells[: match.start()] + _cell_xml(ref, value, b"") + cells[match.start() :]
            break
    else:
        cells += _cell_xml(ref, value, b"")
    return xml[: row_open.end()] + cells + xml[end:]


def set_cells(data: bytes, values: dict[tuple[str, str], Any]) -> bytes:
    """``data`` with cells replaced at zip level: ``{(sheet, "C3"): value}``. Values: None
    (empties the cell), text (an Excel error text becomes an error cell), numbers, bools,
    dates (serials, keeping the cell's date style), :class:`Formula`, :class:`Plain`."""
    from ..cached_values import sheet_parts

    parts = sheet_parts(data)
    by_part: dict[str, list[tuple[str, Any]]] = {}
    for (sheet, ref), value in values.items():
        if sheet in parts:  # a sheet an earlier edit deleted: nothing to write
            by_part.setdefault(parts[sheet], []).append((ref, value))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            for ref, value in by_part.get(info.filename, ()):
                part = _set_in_sheet(part, ref, value)
            dst.writestr(info, part, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
