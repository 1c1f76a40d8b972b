"""Carrying the parts harvest-xl does not own through a refresh.

:func:`copy_unowned_parts` carries the parts harvest-xl does not own (VBA project, ribbon,
custom XML, anything unknown) from the original package into the refreshed one, byte for byte
(:func:`carry_unowned_parts` does the same over a package's parts, for the one pass that
finishes a refreshed workbook: :func:`~harvest_xl.excel.package.finish_saved_package`);
:func:`is_owned_by_openpyxl` says which parts openpyxl rewrites on save.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

from harvest_xl.excel._ooxml import CONTENT_TYPES, CT_NS, MACRO_TYPES, REL_NS, xml_fromstring
from harvest_xl.excel.package_parts import Part, Parts, read_parts, zip_parts
from harvest_xl.excel.safe_read import HarvestFileError

__all__ = ["carry_unowned_parts", "copy_unowned_parts", "is_owned_by_openpyxl"]

# Parts openpyxl rewrites from its model on save; everything else in the original is carried over.
_OPENPYXL_PART_RE = re.compile(
    r"""^(?:
        \[Content_Types\]\.xml
      | _rels/\.rels
      | docProps/(?:app|core|custom)\.xml
      | xl/workbook\.xml | xl/_rels/workbook\.xml\.rels
      | xl/styles\.xml | xl/sharedStrings\.xml | xl/calcChain\.xml
      | xl/theme/.* | xl/worksheets/.* | xl/chartsheets/.* | xl/tables/.*
      | xl/drawings/.* | xl/charts/.* | xl/media/.* | xl/comments.*
      | xl/externalLinks/.* | xl/pivotTables/.* | xl/pivotCache/.* | xl/printerSettings/.*
    )$""",
    re.VERBOSE,
)


def is_owned_by_openpyxl(part: str) -> bool:
    """True for the parts openpyxl regenerates on save (the default ``owned_parts``).

    ``xl/calcChain.xml`` is owned (and so dropped): after a refresh it would be stale.
    VBA (``xl/vbaProject.bin``), ribbons (``customUI/``), custom XML and unknown parts are not.
    """
    return bool(_OPENPYXL_PART_RE.match(part))


def copy_unowned_parts(
    original_zip: bytes | str | os.PathLike[str],
    new_zip: bytes,
    owned_parts: Collection[str] | Callable[[str], bool] = is_owned_by_openpyxl,
) -> bytes:
    """``new_zip`` with every part of ``original_zip`` that is not owned copied in byte for byte.

    ``owned_parts`` is a set of part names or a predicate; an owned part comes from ``new_zip``
    only (or is dropped if ``new_zip`` lacks it). Every other part of the original replaces or
    joins the new package unchanged (see :func:`carry_unowned_parts`, which does it over the
    parts of a package). Each part keeps its compression: stored stays stored, anything else
    is deflated.
    """
    if isinstance(original_zip, bytes | bytearray):
        original_bytes = bytes(original_zip)
        where: str | os.PathLike[str] = "the workbook"
    else:
        original_bytes = Path(original_zip).read_bytes()
        where = original_zip
    return zip_parts(carry_unowned_parts(original_bytes, read_parts(new_zip), owned_parts, where))


def carry_unowned_parts(
    original: bytes,
    parts: Parts,
    owned_parts: Collection[str] | Callable[[str], bool] = is_owned_by_openpyxl,
    where: str | os.PathLike[str] = "the workbook",
) -> Parts:
    """``parts`` (a new package's) with every part of the package ``original`` that is not
    owned carried in unchanged, as the original's zip holds it: the new package's parts
    first, in their order, then the carried ones in the original's (a carried part replaces
    a new one of the same name). Only the carried parts and the package index of the
    original are read. So that Excel still finds the carried parts:

    * a carried part without a content type in the new ``[Content_Types].xml`` gets the
      original's entry (Override, or Default for its extension);
    * when the original's main part was macro-enabled and ``xl/vbaProject.bin`` is carried,
      the new main part keeps the original's macro-enabled content type;
    * package-level (``_rels/.rels``) and workbook-level relationships that pointed at a carried
      part in the original are restored when missing (a ``customUI14.xml`` ribbon, the VBA
      project). Relationships from sheets to unknown parts are not restored: openpyxl removed
      their references from the sheet XML, and such parts stay as harmless orphans.

    Both packages are trusted here: the original passed :func:`read_package_safely` and the new
    one was just written by openpyxl. A damaged index of the original (``where``) raises
    :class:`HarvestFileError`.
    """
    owned: Callable[[str], bool]
    if callable(owned_parts):
        owned = owned_parts
    else:
        owned_set = frozenset(owned_parts)
        owned = owned_set.__contains__

    with zipfile.ZipFile(io.BytesIO(original)) as old:
        old_infos = old.infolist()
        old_names = [info.filename for info in old_infos]
        carried_infos = [info for info in old_infos if not owned(info.filename)]
        carried = {
            info.filename: Part(
                old.read(info),
                info.date_time,
                info.external_attr,
                info.compress_type == zipfile.ZIP_STORED,
            )
            for info in carried_infos
        }
        old_types = old.read(CONTENT_TYPES) if CONTENT_TYPES in old_names else b""
        old_rels = {
            rels: old.read(rels)
            for rels in ("_rels/.rels", "xl/_rels/workbook.xml.rels")
            if rels in old_names
        }

    carried_set = set(carried)
    out = {name: part for name, part in parts.items() if name not in carried_set}
    try:
        if CONTENT_TYPES in out and old_types:
            types = out[CONTENT_TYPES]
            merged = _merge_content_types(types.data, old_types, carried_set)
            out[CONTENT_TYPES] = replace(types, data=merged)
        for rels, old_xml in old_rels.items():
            if rels in out:  # an owned relationships part (a carried one is the original's)
                new_rels = out[rels]
                merged = _merge_relationships(new_rels.data, old_xml, rels, carried_set)
                out[rels] = replace(new_rels, data=merged)
    except ElementTree.ParseError as error:  # openpyxl got by without it; the parts cannot
        raise HarvestFileError(
            where,
            f"its package index is damaged ({error}), so its other parts (macros, ribbon) "
            "cannot be kept; open it in Excel, let Excel repair it, and save it again",
        ) from None
    out.update(carried)
    return out


def _attr(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


def _insert_before_close(xml: bytes, closing: bytes, addition: str) -> bytes:
    where = xml.rfind(closing)
    if where < 0 or not addition:
        return xml
    return xml[:where] + addition.encode("utf-8") + xml[where:]


def _merge_content_types(new_xml: bytes, old_xml: bytes, carried: set[str]) -> bytes:
    new_root = xml_fromstring(new_xml)
    old_root = xml_fromstring(old_xml)
    new_overrides = {
        node.get("PartName", ""): node for node in new_root.iter(f"{{{CT_NS}}}Override")
    }
    new_defaults = {
        node.get("Extension", "").lower() for node in new_root.iter(f"{{{CT_NS}}}Default")
    }
    old_overrides = {
        node.get("PartName", ""): node.get("ContentType", "")
        for node in old_root.iter(f"{{{CT_NS}}}Override")
    }
    old_defaults = {
        node.get("Extension", "").lower(): node.get("ContentType", "")
        for node in old_root.iter(f"{{{CT_NS}}}Default")
    }
    additions: list[str] = []
    added_defaults: set[str] = set()
    for name in sorted(carried):
        part_name = "/" + name
        if part_name in new_overrides:
            continue
        if part_name in old_overrides:
            additions.append(
                f'<Override PartName="{_attr(part_name)}" '
                f'ContentType="{_attr(old_overrides[part_name])}"/>'
            )
            continue
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension and extension not in new_defaults and extension not in added_defaults:
            if extension in old_defaults:
                additions.append(
                    f'<Default Extension="{_attr(extension)}" '
                    f'ContentType="{_attr(old_defaults[extension])}"/>'
                )
                added_defaults.add(extension)
    result = _insert_before_close(new_xml, b"</Types>", "".join(additions))

    if "xl/vbaProject.bin" in carried:  # keep the macro-enabled main type Excel requires
        for part_name, content_type in old_overrides.items():
            if content_type in MACRO_TYPES and part_name in new_overrides:
                new_type = new_overrides[part_name].get("ContentType", "")
                if new_type != content_type:
                    result = _set_override_type(result, part_name, new_type, content_type)
    return result


def _set_override_type(xml: bytes, part_name: str, old_type: str, new_type: str) -> bytes:
    """Change the ContentType of one Override element, whatever its attribute order."""
    wanted = f'PartName="{_attr(part_name)}"'.encode()

    def swap(match: re.Match[bytes]) -> bytes:
        element = match.group(0)
        if wanted not in element:
            return element
        return element.replace(
            f'ContentType="{_attr(old_type)}"'.encode(), f'ContentType="{_attr(new_type)}"'.encode()
        )

    return re.sub(rb"<Override\b[^>]*>", swap, xml)


def _resolve_target(rels_part: str, target: str) -> str:
    """The part a relationship points at, as a zip member name."""
    if target.startswith("/"):
        return target.lstrip("/")
    source_folder = rels_part.split("_rels/")[0]  # "_rels/.rels" -> "", "xl/_rels/.." -> "xl/"
    parts: list[str] = [p for p in source_folder.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _merge_relationships(
    new_xml: bytes, old_xml: bytes, rels_part: str, carried: set[str]
) -> bytes:
    new_root = xml_fromstring(new_xml)
    old_root = xml_fromstring(old_xml)
    tag = f"{{{REL_NS}}}Relationship"
    existing = {
        (node.get("Type", ""), _resolve_target(rels_part, node.get("Target", "")))
        for node in new_root.iter(tag)
    }
    used_ids = {node.get("Id", "") for node in new_root.iter(tag)}
    additions: list[str] = []
    for node in old_root.iter(tag):
        if node.get("TargetMode") == "External":
            continue
        rel_type = node.get("Type", "")
        target = node.get("Target", "")
        resolved = _resolve_target(rels_part, target)
        if resolved not in carried or (rel_type, resolved) in existing:
            continue
        rel_id = node.get("Id", "") or "rIdHx"
        while rel_id in used_ids:
            rel_id = rel_id + "x"
        used_ids.add(rel_id)
        additions.append(
            f'<Relationship Id="{_attr(rel_id)}" Type="{_attr(rel_type)}" '
            f'Target="{_attr(target)}"/>'
        )
    return _insert_before_close(new_xml, b"</Relationships>", "".join(additions))
