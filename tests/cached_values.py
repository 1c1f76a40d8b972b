"""Test support: a workbook package as Excel would have saved it, with cached values.

openpyxl cannot write a formula's cached value, so tests that need a book "last saved by
Excel" (the user's own formulas read as their stored values) post-process the sheet XML
at zip level. Product code never needs this: the refresh writes values through
:func:`harvest_xl.excel.sheet_writer.save_with_values`.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from harvest_xl.inputs.cells import EXCEL_EPOCH

_EPOCH = datetime.combine(EXCEL_EPOCH, datetime.min.time())
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def sheet_parts(package: bytes) -> dict[str, str]:
    """Sheet name -> worksheet part path (``xl/worksheets/sheet3.xml``)."""
    with zipfile.ZipFile(io.BytesIO(package)) as z:
        workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {
        r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_NS_PKG_REL}}}Relationship")
    }
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{{{_NS_MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{_NS_REL}}}id"), "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = str(PurePosixPath("xl") / target)
        parts[sheet.get("name", "")] = part
    return parts


_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"([^>]*)>'
    rb"(<f(?:\s[^>]*)?>.*?</f>|<f(?:\s[^>]*)?/>)"
    rb"(?:<v\s*/>|<v></v>)?</c>",
    re.DOTALL,
)
_TYPE_ATTR = re.compile(rb'\s+t="[^"]*"')


def set_cached_values(package: bytes, results: Mapping[tuple[str, int, int], Any]) -> bytes:
    """Store ``results`` (``{(sheet, row, column): value}``) as the cached values of those
    formula cells, keep every formula, and drop ``fullCalcOnLoad`` (the values are current).
    """
    from openpyxl.utils import get_column_letter

    by_part: dict[str, dict[bytes, Any]] = {}
    parts = sheet_parts(package)
    for (sheet, row, column), value in results.items():
        part = parts.get(sheet)
        if part is not None:
            ref = f"{get_column_letter(column)}{row}".encode()
            by_part.setdefault(part, {})[ref] = value

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in by_part:
                data = _fill_sheet(data, by_part[info.filename])
            elif info.filename == "xl/workbook.xml":
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            dst.writestr(info, data)
    return out.getvalue()


def _fill_sheet(xml: bytes, values: dict[bytes, Any]) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        ref = match.group(1)
        if ref not in values:
            return match.group(0)
        kind, text = _cached(values[ref])
        attrs = _TYPE_ATTR.sub(b"", match.group(2))
        if kind:
            attrs += b' t="' + kind + b'"'
        return b'<c r="' + ref + b'"' + attrs + b">" + match.group(3) + b"<v>" + text + b"</v></c>"

    return _FORMULA_CELL.sub(replace, xml)


def _cached(value: Any) -> tuple[bytes, bytes]:
    """(cell type, <v> text) of a cached value."""
    from harvest_xl.excel.sheet_writer import CellError

    if isinstance(value, CellError):
        return b"e", str(value).encode()
    if value is None:
        return b"str", b""
    if isinstance(value, bool):
        return b"b", b"1" if value else b"0"
    if isinstance(value, datetime):
        serial = (value - _EPOCH).total_seconds() / 86400
        return b"", repr(serial).encode()
    if isinstance(value, date):
        return b"", str((value - _EPOCH.date()).days).encode()
    if isinstance(value, int):
        return b"", str(value).encode()
    if isinstance(value, float):
        if not math.isfinite(value):
            return b"e", b"#NUM!"
        text = repr(value)
        return b"", (text[:-2] if text.endswith(".0") else text).encode()
    return b"str", escape(str(value)).encode("utf-8")
