"""Which names harvest-xl writes a workbook under, and the package kind each name implies.

Excel opens a file only when its extension matches the package's main content type: an
``.xlsx`` must declare a plain workbook, an ``.xlsm`` a macro-enabled one (it may hold no
macros). So every workbook harvest-xl writes (``template``, ``demo``, ``refresh``) ends in
``.xlsx`` or ``.xlsm``, and the saved package is given the matching main content type
(:func:`with_kind_of`). A workbook with macros is never written under ``.xlsx``: the macros
would be lost (:func:`kind_problem`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from harvest_xl.excel._ooxml import MACRO_TYPES, WORKBOOK_TYPES

__all__ = [
    "PLAIN_MAIN_TYPE",
    "MACRO_MAIN_TYPE",
    "WORKBOOK_SUFFIXES",
    "has_macros",
    "is_macro_name",
    "kind_problem",
    "name_problem",
    "with_kind_of",
]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
PLAIN_MAIN_TYPE = WORKBOOK_TYPES[0]
"""``…spreadsheetml.sheet.main+xml``: what an ``.xlsx`` declares."""
MACRO_MAIN_TYPE = MACRO_TYPES[0]
"""``application/vnd.ms-excel.sheet.macroEnabled.main+xml``: what an ``.xlsm`` declares."""


def name_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot name a workbook harvest-xl writes (None when it can)."""
    if Path(path).suffix.lower() in WORKBOOK_SUFFIXES:
        return None
    return (
        f"{path}: a workbook's name must end in .xlsx (or .xlsm for a macro-enabled "
        "workbook); nothing was written"
    )


def is_macro_name(path: str | Path) -> bool:
    """True for an ``.xlsm`` name (any case)."""
    return Path(path).suffix.lower() == ".xlsm"


def has_macros(parts: Iterable[str]) -> bool:
    """True when a package's part names include a VBA project (``xl/vbaProject.bin``)."""
    return any(part.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for part in parts)


def kind_problem(path: str | Path, macros: bool) -> str | None:
    """Why a package with (``macros``) or without a VBA project cannot be saved as
    ``path``: only one with macros under an ``.xlsx`` name, which would drop them."""
    if macros and not is_macro_name(path):
        return (
            f"{path}: the workbook holds macros (VBA), which an .xlsx cannot keep; "
            "name the output .xlsm; nothing was written"
        )
    return None


_MAIN_OVERRIDE = re.compile(
    rb'(<Override\b[^>]*?PartName="/xl/workbook\.xml"[^>]*?ContentType=")([^"]*)(")'
    rb'|(<Override\b[^>]*?ContentType=")([^"]*)("[^>]*?PartName="/xl/workbook\.xml")'
)


def with_kind_of(path: str | Path, data: bytes) -> bytes:
    """``data`` (a saved workbook package) with the main content type ``path``'s extension
    needs: macro-enabled for ``.xlsm``, plain for ``.xlsx``. Unchanged when it already
    matches. Only the ``[Content_Types].xml`` entry of ``xl/workbook.xml`` changes."""
    import io
    import zipfile

    wanted = (MACRO_MAIN_TYPE if is_macro_name(path) else PLAIN_MAIN_TYPE).encode()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")

        def swap(found: re.Match[bytes]) -> bytes:
            if found.group(1) is not None:
                return found.group(1) + wanted + found.group(3)
            return found.group(4) + wanted + found.group(6)

        changed, count = _MAIN_OVERRIDE.subn(swap, types, count=1)
        if count == 0 or changed == types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = changed if info.filename == "[Content_Types].xml" else source.read(info)
                target.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
