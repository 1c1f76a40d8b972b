"""Reading workbooks without trusting them.

Workbooks reach harvest-xl by hand, from broker exports and by mail, so every file is treated as
hostile until checked. This module is the only place that opens a workbook file the user gave:

* :func:`read_package_safely` reads the file once into memory and checks it as a zip package
  *before* anything is inflated or parsed: the file type (saying what it is when it is not a
  workbook: CSV, PDF, old ``.xls``, a password-protected workbook...), the declared size and
  compression ratio of every part, then a streaming inflate of every part with a byte cap (a part
  that inflates past its declared size is refused), a scan of every XML part for ``<!DOCTYPE`` /
  ``<!ENTITY`` (entity expansion and external entities are refused by us, whether or not openpyxl
  uses defusedxml), and a count of rows and cells against the limits.
* :func:`load_workbook_safely` hands the *same checked bytes* to openpyxl (no second read of the
  file, so nothing can change in between) and turns any failure into :class:`HarvestFileError`.

Nothing read from a workbook is ever evaluated or executed.
"""

from __future__ import annotations

import io
import os
import re
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.excel._ooxml import (
    CONTENT_TYPES,
    CT_NS,
    MACRO_TYPES,
    WORKBOOK_TYPES,
    xml_fromstring,
)

__all__ = [
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "HarvestFileError",
    "SafePackage",
    "load_workbook_safely",
    "read_package_safely",
]

MiB = 1024 * 1024

#: Excel's own sheet size (Excel specifications and limits).
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384

#: The largest file we read at all (compressed, on disk). An advisor-sized book is a few MB.
DEFAULT_MAX_FILE_BYTES = 100 * MiB
#: The most parts (zip members) a package may have; a real workbook has tens.
DEFAULT_MAX_PARTS = 10_000
#: The total inflated size of all parts. 2,000,000 cells of sheet XML are about 80 MB.
DEFAULT_MAX_UNCOMPRESSED = 256 * MiB
#: The highest compression ratio accepted for a part bigger than RATIO_FLOOR. Sheet XML written by
#: Excel or openpyxl compresses 10-15x; 100x is Apache POI's default zip-bomb threshold, and a
#: member of zeros compresses about 1,000x.
DEFAULT_MAX_RATIO = 100.0
#: Parts smaller than this are never refused for their ratio: they cannot hurt.
RATIO_FLOOR = 1 * MiB
#: The most cells (actual ``<c>`` elements, and the area of any ``<dimension>``) in the whole
#: workbook. openpyxl holds about 400 bytes per cell, so this bounds a full load near 800 MB;
#: a 100,000-row activity sheet of 20 columns still fits.
DEFAULT_MAX_CELLS = 2_000_000

_CHUNK = 64 * 1024
_TAIL = 512  # bytes carried between chunks so that patterns split across chunks are still seen
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_OTHER_MAIN_TYPES = {
    "application/vnd.ms-excel.addin.macroEnabled.main+xml": (
        "it is an Excel add-in (.xlam), not a workbook; open the workbook that uses the add-in"
    ),
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": (
        "it is a binary workbook (.xlsb), which harvest-xl does not read; open it in Excel and "
        "save it as an Excel Workbook (.xlsx) or Excel Macro-Enabled Workbook (.xlsm)"
    ),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "it is a Word document, not a workbook; choose the .xlsx or .xlsm file instead"
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "it is a PowerPoint presentation, not a workbook; choose the .xlsx or .xlsm file instead"
    ),
}

# "<!DOCTYPE" and "<!ENTITY" in every encoding an XML parser autodetects from the first bytes.
_DTD_PATTERNS = tuple(
    word.encode(codec)
    for word in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
_CELL_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?c[\s/>]")
_ROW_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?row[\s/>]")
_DIMENSION_RE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]{0,15}:)?dimension\s[^>]{0,200}?ref\s*=\s*[\"']\s*\$?([A-Za-z]{1,4})?\$?"
    rb"(\d{1,12})?(?::\$?([A-Za-z]{1,4})?\$?(\d{1,12})?)?\s*[\"']"
)


class HarvestFileError(HarvestInputError):
    """A file harvest-xl refuses to read or could not write; the message says what to do.

    A subclass of :class:`HarvestInputError` (and so of ``ValueError``), with the file path as the
    ``argument``: adapters that report bad input report this the same way.
    """

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        super().__init__(str(path), problem)
        self.path = Path(path)


@dataclass(frozen=True)
class SafePackage:
    """A workbook file that passed every check: its bytes (read once) and what they contain."""

    path: Path
    data: bytes
    main_part: str  # e.g. "xl/workbook.xml"
    main_content_type: str
    parts: tuple[str, ...]
    cells: int  # <c> elements counted across the package

    @property
    def macro_enabled(self) -> bool:
        """True for .xlsm/.xltm content: the package declares a macro-enabled main part."""
        return self.main_content_type in MACRO_TYPES


def read_package_safely(
    path: str | os.PathLike[str],
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_parts: int = DEFAULT_MAX_PARTS,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
    max_ratio: float = DEFAULT_MAX_RATIO,
    max_cells: int = DEFAULT_MAX_CELLS,
    max_rows: int = EXCEL_MAX_ROWS,
    max_columns: int = EXCEL_MAX_COLUMNS,
) -> SafePackage:
    """Read ``path`` once and check it is a workbook package that is safe to hand to openpyxl.

    Raises :class:`HarvestFileError` naming the problem and the fix. Memory use is bounded by
    ``max_file_bytes`` plus one chunk per part being inflated; time by the same sizes.
    """
    file_path = Path(path)
    data = _read_bounded(file_path, max_file_bytes)
    _refuse_non_zip(file_path, data)
    _refuse_too_many_entries(file_path, data, max_parts)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,  # "zip file version 15.8": a damaged version field
        struct.error,
    ) as exc:
        raise HarvestFileError(
            file_path,
            "the file is damaged or incomplete (a truncated download or copy?): its zip "
            f"structure cannot be read ({exc}); get a fresh copy or re-save it from Excel",
        ) from exc
    with archive:
        infos = archive.infolist()
        _check_declared_sizes(file_path, infos, max_parts, max_uncompressed, max_ratio)
        names = {info.filename for info in infos}
        if CONTENT_TYPES not in names:
            raise HarvestFileError(
                file_path,
                "it is a zip archive but not an Excel workbook: it has no [Content_Types].xml "
                "part; open the original in Excel and save it as .xlsx or .xlsm",
            )
        budget = _Budget(max_uncompressed, max_cells)
        # The content-types part first: it is parsed below, so it must pass the scan first.
        ordered = sorted(infos, key=lambda info: info.filename != CONTENT_TYPES)
        content_types = b""
        for info in ordered:
            facts = _inspect_part(file_path, archive, info, budget, max_rows, max_columns)
            if info.filename == CONTENT_TYPES:
                content_types = facts
    main_part, main_type = _main_part(file_path, content_types, names)
    return SafePackage(
        path=file_path,
        data=data,
        main_part=main_part,
        main_content_type=main_type,
        parts=tuple(sorted(names)),
        cells=budget.cells,
    )


def load_workbook_safely(
    path: str | os.PathLike[str] | SafePackage,
    *,
    read_only: bool = False,
    data_only: bool = False,
    keep_vba: bool | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
    max_ratio: float = DEFAULT_MAX_RATIO,
    max_cells: int = DEFAULT_MAX_CELLS,
    max_rows: int = EXCEL_MAX_ROWS,
) -> Any:
    """Check ``path`` with :func:`read_package_safely`, then load it with openpyxl.

    ``path`` may also be a :class:`SafePackage` already read (the refresh keeps its bytes for
    :func:`copy_unowned_parts`). ``keep_vba=None`` means "keep VBA exactly when the package is
    macro-enabled": openpyxl's ``keep_vba=True`` on a plain .xlsx makes it save a macro-enabled
    main part, which Excel refuses to open under an .xlsx name.

    Returns an ``openpyxl.Workbook``; raises :class:`HarvestFileError`.
    """
    if isinstance(path, SafePackage):
        package = path
    else:
        package = read_package_safely(
            path,
            max_file_bytes=max_file_bytes,
            max_uncompressed=max_uncompressed,
            max_ratio=max_ratio,
            max_cells=max_cells,
            max_rows=max_rows,
        )
    # Imported only once the file passed: keeps `import safe_read` cheap for the UDF path.
    # ExcelReader is what openpyxl.load_workbook runs; calling it directly lets us reach the
    # half-built workbook when reading fails, to close its VBA archive (see _settle_vba_archive).
    from openpyxl.reader.excel import ExcelReader

    vba = package.macro_enabled if keep_vba is None else keep_vba
    reader = ExcelReader(io.BytesIO(package.data), read_only, vba, data_only)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            reader.read()
    except Exception as exc:  # openpyxl raises many types for malformed parts; all mean the same
        for partial in (
            getattr(reader, "wb", None),
            getattr(getattr(reader, "parser", None), "wb", None),
        ):
            _settle_vba_archive(partial, None)
        if isinstance(exc, MemoryError):
            raise HarvestFileError(
                package.path, "the workbook is too large to load in the memory available"
            ) from exc
        raise HarvestFileError(
            package.path,
            f"the workbook could not be read ({type(exc).__name__}: {exc}); open it in Excel, "
            "let Excel repair it if it offers to, and save it again",
        ) from exc
    workbook = reader.wb
    _settle_vba_archive(workbook, package.data)
    _restore_out_of_range_dates(workbook, caught, read_only)
    return workbook


_DATE_OUT_OF_RANGE = re.compile(
    r"Cell (\$?[A-Z]{1,3}\$?\d+) is marked as a date but the serial value (\S+) is outside"
)


def _restore_out_of_range_dates(
    workbook: Any, caught: list[warnings.WarningMessage], read_only: bool
) -> None:
    """Put back the numbers openpyxl turned into ``#VALUE!``, and re-issue other warnings.

    A number in a date-formatted cell beyond what a date can be (a serial over 2,958,465,
    say 123456789 typed in a date column) is loaded by openpyxl as the error ``#VALUE!``,
    and saving would then replace what the user typed. The warning openpyxl issues names
    the cell and the number; sheets are read in order, so each warning belongs to the first
    sheet from the previous one on that shows ``#VALUE!`` there.
    """
    sheets = [] if read_only else list(workbook.worksheets)
    position = 0
    for warning in caught:
        found = _DATE_OUT_OF_RANGE.match(str(warning.message))
        if found is None:
            warnings.warn(warning.message, warning.category, stacklevel=3)
            continue
        coordinate, text = found[1].replace("$", ""), found[2]
        for index in range(position, len(sheets)):
            cell = sheets[index][coordinate]
            if cell.data_type == "e" and cell.value == "#VALUE!":
                number = float(text)
                cell.value = int(number) if text.lstrip("-").isdigit() else number
                position = index
                break


def _settle_vba_archive(workbook: Any, data: bytes | None) -> None:
    """Replace openpyxl's VBA archive by a read-only zip of ``data`` (or drop it when None).

    With keep_vba, openpyxl copies every part into an *append-mode* zip it never closes. A
    workbook always sits in a reference cycle (its sheets point back at it), so the garbage
    collector finalises that zip and its buffer in any order, and the zip may then write to its
    closed buffer: "Exception ignored in ZipFile.__del__" on stderr. openpyxl only reads the
    archive, so a read-only view of the checked bytes serves it (and holds one copy less).
    """
    archive = getattr(workbook, "vba_archive", None)
    if archive is None:
        return
    archive.close()
    workbook.vba_archive = None if data is None else zipfile.ZipFile(io.BytesIO(data))


def _read_bounded(path: Path, max_file_bytes: int) -> bytes:
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_file_bytes + 1)
    except FileNotFoundError as exc:
        raise HarvestFileError(path, "no such file; check the path and name") from exc
    except IsADirectoryError as exc:
        raise HarvestFileError(path, "this is a folder, not a workbook file") from exc
    except OSError as exc:
        raise HarvestFileError(
            path,
            f"the file cannot be read ({exc.strerror or exc}); close it in other programs "
            "and check you may read it",
        ) from exc
    if len(data) > max_file_bytes:
        raise HarvestFileError(
            path,
            f"the file is larger than {max_file_bytes // MiB} MB, far beyond any portfolio "
            "workbook; check you chose the right file",
        )
    return data


def _refuse_non_zip(path: Path, data: bytes) -> None:
    """Name what the file is when it is not a zip package at all."""
    if data.startswith(_ZIP_MAGICS):
        return
    if not data:
        raise HarvestFileError(
            path,
            "the file is empty (0 bytes), so it is not a workbook; choose the saved "
            ".xlsx or .xlsm file, or save the workbook again from Excel",
        )
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data or (
            "EncryptionInfo".encode("utf-16-le") in data
        ):
            raise HarvestFileError(
                path,
                "password-protected workbooks are not supported; save an unprotected copy "
                "(in Excel: File > Info > Protect Workbook > Encrypt with Password, clear the "
                "password, save) and use that copy",
            )
        raise HarvestFileError(
            path,
            "this is an old-format Excel 97-2003 workbook (.xls) or another legacy Office "
            "file, which harvest-xl does not read; open it in Excel and save it as an Excel "
            "Workbook (.xlsx) or Excel Macro-Enabled Workbook (.xlsm)",
        )
    if data.startswith(b"%PDF"):
        raise HarvestFileError(
            path,
            "this is a PDF document, not a workbook; export the data to Excel (.xlsx) "
            "and use that file",
        )
    head = data[:4096]
    stripped = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00")
    if stripped.startswith(b"<"):
        raise HarvestFileError(
            path,
            "this is an HTML or XML text file, not an Excel workbook (some brokers export web "
            "pages with a spreadsheet name); open it in Excel and save it as .xlsx",
        )
    if _is_text(head):
        raise HarvestFileError(
            path,
            "this is a text file (it looks like CSV or tab-separated data), not an Excel "
            "workbook, whatever its name says; open it in Excel and save it as an Excel "
            "Workbook (.xlsx)",
        )
    raise HarvestFileError(
        path,
        "this is not an Excel workbook (.xlsx/.xlsm): it is not a zip package nor any format "
        "harvest-xl recognises; check you chose the right file",
    )


def _is_text(head: bytes) -> bool:
    """True when the first bytes read as text: UTF-8 (or Latin-1), or UTF-16 with a byte-order
    mark, which is what Excel's "Unicode Text" export writes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    elif b"\x00" in head:
        return False
    else:
        text = head.decode("utf-8", errors="ignore") or head.decode("latin-1")
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\r\n")
    return bool(text) and printable >= 0.95 * len(text)


def _refuse_too_many_entries(path: Path, data: bytes, max_parts: int) -> None:
    """Read the entry count from the end-of-central-directory record before zipfile builds one
    object per entry, so a zip of millions of empty entries costs nothing."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if eocd < 0 or eocd + 22 > len(data):
        return  # zipfile reports the damage itself
    entries = int.from_bytes(data[eocd + 10 : eocd + 12], "little")
    if entries == 0xFFFF:  # ZIP64: the real count is in the ZIP64 end record
        locator = eocd - 20
        if locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
            offset = int.from_bytes(data[locator + 8 : locator + 16], "little")
            if data[offset : offset + 4] == b"PK\x06\x06":
                entries = int.from_bytes(data[offset + 32 : offset + 40], "little")
    if entries > max_parts:
        raise HarvestFileError(
            path,
            f"the package has {entries:,} parts (the limit is {max_parts:,}; a workbook has "
            "tens); it is not a workbook harvest-xl will open",
        )


def _check_declared_sizes(
    path: Path,
    infos: list[zipfile.ZipInfo],
    max_parts: int,
    max_uncompressed: int,
    max_ratio: float,
) -> None:
    """Refuse on the central directory alone, before a single byte is inflated."""
    if len(infos) > max_parts:
        raise HarvestFileError(
            path, f"the package has {len(infos):,} parts; the limit is {max_parts:,}"
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise HarvestFileError(
                path,
                "password-protected workbooks are not supported (the package has encrypted "
                f"parts, e.g. {info.filename}); save an unprotected copy and use that",
            )
        total += info.file_size
        if info.file_size > max_uncompressed or total > max_uncompressed:
            raise HarvestFileError(
                path,
                f"the package declares {total // MiB:,} MB once uncompressed (part "
                f"{info.filename} alone {info.file_size // MiB:,} MB), above the "
                f"{max_uncompressed // MiB} MB limit; this is either not a portfolio workbook "
                "or a 'zip bomb', and harvest-xl will not open it",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > max_ratio:
            raise HarvestFileError(
                path,
                f"part {info.filename} would inflate {ratio:,.0f} times its stored size (the "
                f"limit is {max_ratio:,.0f}x); that is how a 'zip bomb' looks, so harvest-xl "
                "will not open it. If the file is genuine, re-save it from Excel",
            )


class _Budget:
    """Running totals across all parts."""

    def __init__(self, max_uncompressed: int, max_cells: int) -> None:
        self.max_uncompressed = max_uncompressed
        self.max_cells = max_cells
        self.inflated = 0
        self.cells = 0


def _inspect_part(
    path: Path,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    budget: _Budget,
    max_rows: int,
    max_columns: int,
) -> bytes:
    """Inflate one part in chunks, never past its declared size, scanning as it goes.

    Returns the part's bytes when it is ``[Content_Types].xml`` (needed next), else ``b""``.
    """
    name = info.filename
    keep = name == CONTENT_TYPES
    kept: list[bytes] = []
    size = 0
    rows = 0
    xml_like: bool | None = None
    tail = b""
    try:
        with archive.open(info) as part:
            while True:
                chunk = part.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                budget.inflated += len(chunk)
                if size > info.file_size:
                    raise HarvestFileError(
                        path,
                        f"part {name} inflates to more than the {info.file_size:,} bytes it "
                        "declares (a forged zip header); harvest-xl will not open it",
                    )
                if budget.inflated > budget.max_uncompressed:
                    raise HarvestFileError(
                        path,
                        f"the package inflates past the {budget.max_uncompressed // MiB} MB "
                        "limit; harvest-xl will not open it",
                    )
                if keep:
                    kept.append(chunk)
                if xml_like is None:
                    xml_like = _looks_like_xml(name, chunk)
                if xml_like is False:
                    continue
                window = tail + chunk
                if any(pattern in window for pattern in _DTD_PATTERNS):
                    raise HarvestFileError(
                        path,
                        f"part {name} contains an XML document type declaration (<!DOCTYPE> or "
                        "<!ENTITY>). Excel never writes one, and it is the vehicle of entity-"
                        "expansion ('billion laughs') and external-entity attacks, so "
                        "harvest-xl refuses the file. If it came from a program you trust, "
                        "open it in Excel and save it again",
                    )
                budget.cells += _count_new(window, tail, b"<c", b":c", _CELL_RE)
                rows += _count_new(window, tail, b"<row", b":row", _ROW_RE)
                if budget.cells > budget.max_cells:
                    raise HarvestFileError(
                        path,
                        f"the workbook has more than {budget.max_cells:,} cells (part {name}); "
                        "harvest-xl is built for portfolios far smaller than that. Remove "
                        "unused rows and columns, or split the workbook",
                    )
                if rows > max_rows:
                    raise HarvestFileError(
                        path,
                        f"part {name} has more than {max_rows:,} rows; remove the unused rows",
                    )
                if b"dimension" in window:
                    _check_dimension(path, name, window, budget.max_cells, max_rows, max_columns)
                tail = window[-_TAIL:]
    except HarvestFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError) as exc:
        raise HarvestFileError(
            path,
            f"part {name} is damaged or forged: inflating it does not give the "
            f"{info.file_size:,} bytes and the checksum its header declares ({exc}); get a "
            "fresh copy or re-save it from Excel",
        ) from exc
    except NotImplementedError as exc:
        raise HarvestFileError(
            path,
            f"part {name} uses a compression method Excel does not write ({exc}); re-save the "
            "workbook from Excel",
        ) from exc
    if size != info.file_size:
        raise HarvestFileError(
            path,
            f"part {name} inflates to {size:,} bytes but declares {info.file_size:,}; the file "
            "is damaged, get a fresh copy or re-save it from Excel",
        )
    return b"".join(kept)


def _count_new(window: bytes, tail: bytes, plain: bytes, prefixed: bytes, exact: Any) -> int:
    """Elements in ``window`` not already counted with ``tail`` (the end of the last window).

    Fast path: ``bytes.count`` of ``<c`` (or ``<row``), an upper bound, since ``<col``,
    ``<cfRule``... count too; over-counting only makes the limit stricter, and a sheet has few
    of those. When the window may hold prefixed elements (``<x:c``), the exact regex counts
    instead. Neither pattern can overlap itself, so counting the tail alone finds exactly the
    matches already counted with the previous chunk.
    """
    if prefixed in window:
        return len(exact.findall(window)) - len(exact.findall(tail))
    return window.count(plain) - tail.count(plain)


def _looks_like_xml(name: str, chunk: bytes) -> bool | None:
    """Whether an XML parser could read this part: named as XML, or its first significant byte
    (after any byte-order mark and whitespace, UTF-16 included) is '<'. ``None`` while the
    part has shown only whitespace: it is scanned as XML until it shows something else, so
    padding cannot hide a DOCTYPE in a part that is not named .xml."""
    if name.endswith((".xml", ".rels", ".vml")):
        return True
    significant = chunk.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00")
    if not significant:
        return None
    return significant.startswith(b"<")


def _column_number(letters: bytes | None) -> int:
    number = 0
    for char in (letters or b"A").upper():
        number = number * 26 + (char - ord("A") + 1)
    return number


def _check_dimension(
    path: Path, name: str, window: bytes, max_cells: int, max_rows: int, max_columns: int
) -> None:
    for match in _DIMENSION_RE.finditer(window):
        first_col, first_row, last_col, last_row = match.groups()
        col_a = _column_number(first_col)
        row_a = int(first_row or b"1")
        col_b = _column_number(last_col) if (last_col or last_row) else col_a
        row_b = int(last_row) if last_row else row_a
        rows = abs(row_b - row_a) + 1
        columns = abs(col_b - col_a) + 1
        ref = match.group(0).split(b"ref", 1)[1].decode("ascii", "replace").strip(" ='\"")
        if max(row_a, row_b) > max_rows or max(col_a, col_b) > max_columns:
            raise HarvestFileError(
                path,
                f"sheet part {name} declares the range {ref}, beyond the {max_rows:,} rows x "
                f"{max_columns:,} columns allowed; the file is damaged or forged. Re-save it "
                "from Excel",
            )
        if rows * columns > max_cells:
            raise HarvestFileError(
                path,
                f"sheet part {name} declares the range {ref} ({rows:,} rows x {columns:,} "
                f"columns), more than the {max_cells:,} cells harvest-xl reads. Delete the "
                "unused rows and columns in Excel (select them, Delete), save, and try again",
            )


def _main_part(path: Path, content_types: bytes, names: set[str]) -> tuple[str, str]:
    """The workbook part and its content type, from [Content_Types].xml (already scanned)."""
    try:
        root = xml_fromstring(content_types)
    except Exception as exc:  # any parse failure means the same to the user
        raise HarvestFileError(
            path,
            f"its [Content_Types].xml part cannot be read ({exc}); the file is damaged, "
            "re-save it from Excel",
        ) from exc
    overrides = {
        node.get("PartName", "").lstrip("/"): node.get("ContentType", "")
        for node in root.iter(f"{{{CT_NS}}}Override")
    }
    for wanted in WORKBOOK_TYPES:
        for part, content_type in overrides.items():
            if content_type == wanted and part in names:
                return part, content_type
    for content_type in overrides.values():
        if content_type in _OTHER_MAIN_TYPES:
            raise HarvestFileError(path, _OTHER_MAIN_TYPES[content_type])
    for node in root.iter(f"{{{CT_NS}}}Default"):  # some writers declare the workbook by default
        if node.get("ContentType") in WORKBOOK_TYPES and "xl/workbook.xml" in names:
            return "xl/workbook.xml", node.get("ContentType", "")
    raise HarvestFileError(
        path,
        "it is an Office package without a workbook part, so not an Excel workbook; open the "
        "original in Excel and save it as .xlsx or .xlsm",
    )
