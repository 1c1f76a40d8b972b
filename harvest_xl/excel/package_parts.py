"""A workbook package as its parts, read from a zip once and zipped once.

The steps that finish a saved workbook (carrying the parts harvest-xl does not own,
:mod:`.unowned_parts`; the dynamic-array marks, :mod:`.package`) each change a part or two
of a package holding a 40 MB sheet: they work on :data:`Parts`, and the package is zipped,
and each part compressed, once at the end (:func:`zip_parts`).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

__all__ = ["NEW_FOLDER_ATTR", "NEW_MEMBER_ATTR", "Part", "Parts", "read_parts", "zip_parts"]


@dataclass(frozen=True, slots=True)
class Part:
    """One member of a package: its bytes, and how the zip keeps it (its time and file
    attributes, and whether it is stored uncompressed rather than deflated)."""

    data: bytes
    date_time: tuple[int, int, int, int, int, int]
    external_attr: int
    stored: bool


DEFLATE_LEVEL = 3
"""zlib's level for every deflated part. A workbook holding a long history is mostly two
sheets of tens of megabytes of XML; level 3 (zlib's fastest family of matching) deflates
the 37 MB of a 100,000-row import in 0.17 s instead of the default level's 0.36 s, for a
package of 4.5 MB instead of 4.0 MB: the save is what the user waits for, the half megabyte
is not. (Level 1 is no faster here and makes the package 4.96 MB.)"""

NEW_MEMBER_ATTR = 0o600 << 16
"""The file attributes :meth:`zipfile.ZipFile.writestr` gives a member added by name."""
NEW_FOLDER_ATTR = (0o40775 << 16) | 0x10
"""The same for a member named as a folder (ending in ``/``): a directory, MS-DOS flag set."""

Parts = dict[str, Part]
"""A package's parts by member name, in the package's order."""


def read_parts(data: bytes) -> Parts:
    """The parts of the zip ``data``, in its order (a package read by
    :func:`~harvest_xl.excel.safe_read.read_package_safely`, or one harvest-xl wrote)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            info.filename: Part(
                archive.read(info),
                info.date_time,
                info.external_attr,
                info.compress_type == zipfile.ZIP_STORED,
            )
            for info in archive.infolist()
        }


def zip_parts(parts: Parts) -> bytes:
    """``parts`` as a zip, in their order: each part deflated (:data:`DEFLATE_LEVEL`), or
    stored when it says so, with its own time and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, part in parts.items():
            info = zipfile.ZipInfo(name, date_time=part.date_time)
            info.external_attr = part.external_attr
            info.compress_type = zipfile.ZIP_STORED if part.stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, part.data, compresslevel=DEFLATE_LEVEL)
    return out.getvalue()
