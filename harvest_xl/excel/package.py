"""The last, zip-level step of writing a workbook: what openpyxl cannot write itself.

* **A real dynamic array** for the Evaluation sheet's one ``HX_HOLDINGS`` call
  (excel-integration.md §9.1): ``cm="1"`` on the anchor cell, an ``xl/metadata.xml`` part
  declaring ``XLDAPR`` with ``fDynamic="1"``, its content type and its workbook
  relationship. Excel 365 then spills the result to the Holdings table's size by itself;
  older Excel reads the same cell as an array formula over the range it was saved with.
* **Fixed times** for the committed template, so a fresh build equals the commit.

A refreshed workbook is finished in one pass over its parts (:func:`finish_saved_parts`:
the parts harvest-xl does not own carried over, the dynamic array, each part compressed
once); :func:`finish_package` does the same marks on a whole saved package.

The calculation settings that let Excel show the stored values on open (a current
``calcId``, no ``fullCalcOnLoad``; R2.8) are set on the workbook before openpyxl saves it
(:func:`set_current_calculation`).
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import replace
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from harvest_xl.excel import layout as L
from harvest_xl.excel.package_parts import NEW_MEMBER_ATTR, Part, Parts, read_parts, zip_parts

FIXED_TIME = datetime(2026, 1, 1, 0, 0, 0)
"""Document created/modified stamp and zip entry time: a fresh template build equals the
committed file."""

CURRENT_CALC_ID = 191029
"""The calculation engine id Excel 365 (and Excel 2019 and later) writes: a file stamped
with it opens showing its stored values instead of recalculating (excel-integration.md
R2.8; observed, not from a Microsoft table)."""

METADATA_PART = "xl/metadata.xml"
METADATA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"
METADATA_RELATIONSHIP = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sheetMetadata"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"

METADATA_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<metadata xmlns="{_MAIN}" '
    'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
    '<metadataTypes count="1">'
    '<metadataType name="XLDAPR" minSupportedVersion="120000" copy="1" pasteAll="1" '
    'pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" '
    'clearComments="1" assign="1" coerce="1" cellMeta="1"/>'
    "</metadataTypes>"
    '<futureMetadata name="XLDAPR" count="1"><bk><extLst>'
    '<ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
    '<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/>'
    "</ext></extLst></bk></futureMetadata>"
    '<cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata>'
    "</metadata>"
)
"""The metadata part XlsxWriter and Excel write for dynamic arrays (cell metadata 1 =
``XLDAPR``, dynamic): what ``cm="1"`` on a formula cell refers to."""


def set_current_calculation(workbook: Any) -> None:
    """Stamp an openpyxl workbook as calculated by current Excel, without a full
    calculation on load (openpyxl's defaults, ``124519`` and ``fullCalcOnLoad="1"``, make
    Excel recalculate every function when the file opens)."""
    workbook.calculation.calcId = CURRENT_CALC_ID
    workbook.calculation.fullCalcOnLoad = None


def finish_package(data: bytes, *, deterministic: bool = False) -> bytes:
    """``data`` (a saved workbook) with the Evaluation anchor made a dynamic array, and with
    fixed entry and document times when ``deterministic``. Anything else is unchanged."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        parts = {name: src.read(name) for name in src.namelist()}
        infos = {info.filename: info for info in src.infolist()}
    _add_dynamic_array(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts.items():
            if deterministic:
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                if name in infos:
                    info.external_attr = infos[name].external_attr
                if name == "docProps/core.xml":  # openpyxl stamps the save time here
                    content = _MODIFIED.sub(_FIXED_MODIFIED, content)
                dst.writestr(info, content)
            else:
                dst.writestr(infos.get(name) or name, content)
    return out.getvalue()


def finish_saved_package(saved: bytes, original: bytes) -> bytes:
    """A refreshed workbook made final in one pass over its parts: ``saved`` (the package
    :func:`~harvest_xl.excel.sheet_writer.save_with_values` wrote, its parts stored) finished
    as :func:`finish_saved_parts` finishes its parts."""
    return finish_saved_parts(read_parts(saved), original)


def finish_saved_parts(saved: Parts, original: bytes) -> bytes:
    """A refreshed workbook made final in one pass over its parts: ``saved`` (the parts
    :func:`~harvest_xl.excel.sheet_writer.save_parts` made) with the parts of ``original``
    that openpyxl does not own carried over
    (:func:`~harvest_xl.excel.unowned_parts.carry_unowned_parts`), the Evaluation anchor
    made a dynamic array, and every part deflated, once, except a carried part the
    original stored (kept stored)."""
    from harvest_xl.excel.unowned_parts import carry_unowned_parts

    new = {
        name: part if not part.stored else replace(part, stored=False)
        for name, part in saved.items()
    }
    parts = carry_unowned_parts(original, new)
    contents = {name: part.data for name, part in parts.items()}
    _add_dynamic_array(contents)
    for name, content in contents.items():
        part = parts.get(name)
        if part is None:  # a part added, as a zip adds a member named only
            parts[name] = Part(content, time.localtime()[:6], NEW_MEMBER_ATTR, stored=False)
        elif content is not part.data:
            parts[name] = replace(part, data=content)
    return zip_parts(parts)




def _add_dynamic_array(parts: dict[str, bytes]) -> None:
    """Mark the Evaluation anchor ``cm="1"`` in ``parts`` (name -> bytes, changed in place)
    and, the first time, add the metadata part it refers to, its content type and its
    workbook relationship (the new part goes last)."""
    sheet = _sheet_part(parts, L.EVALUATION)
    if sheet is None:
        return
    marked = _mark_dynamic(parts[sheet], L.EVALUATION_ANCHOR)
    if marked is None:
        return
    parts[sheet] = marked
    if METADATA_PART not in parts:
        parts[METADATA_PART] = METADATA_XML.encode("utf-8")
        parts["[Content_Types].xml"] = _with_override(parts["[Content_Types].xml"])
        rels = "xl/_rels/workbook.xml.rels"
        parts[rels] = _with_metadata_relationship(parts[rels])


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_FIXED_MODIFIED = rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>"


def _sheet_part(parts: dict[str, bytes], sheet: str) -> str | None:
    """The zip member of the worksheet named ``sheet`` (from workbook.xml and its rels)."""
    if "xl/workbook.xml" not in parts or "xl/_rels/workbook.xml.rels" not in parts:
        return None
    book = ElementTree.fromstring(parts["xl/workbook.xml"])
    rel_id = None
    for element in book.iter(f"{{{_MAIN}}}sheet"):
        if element.get("name") == sheet:
            rel_id = element.get(f"{{{_REL}}}id")
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    for rel in rels.iter(f"{{{_PACKAGE_REL}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _mark_dynamic(xml: bytes, cell: str) -> bytes | None:
    """The sheet with ``cm="1"`` on ``cell`` when it holds an array formula (None when it
    does not, or already has it)."""
    pattern = re.compile(rb'<c r="' + cell.encode() + rb'"([^>]*)>(<f t="array")')
    found = pattern.search(xml)
    if found is None or b' cm="' in found.group(1):
        return None
    start, end = found.span(1)
    return xml[:end] + b' cm="1"' + xml[end:]


def _with_override(xml: bytes) -> bytes:
    override = f'<Override PartName="/{METADATA_PART}" ContentType="{METADATA_TYPE}"/>'
    return xml.replace(b"</Types>", override.encode() + b"</Types>")


def _with_metadata_relationship(xml: bytes) -> bytes:
    used = {int(n) for n in re.findall(rb'Id="rId(\d+)"', xml)}
    new_id = f"rId{max(used, default=0) + 1}"
    rel = f'<Relationship Id="{new_id}" Type="{METADATA_RELATIONSHIP}" Target="metadata.xml"/>'
    return xml.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
