"""Reading a broker file without trusting it: bounded bytes, checked type, text, CSV records.

Broker downloads are small text files (a year of history is well under 10 MB). Anything else the
user picks by mistake, or is sent, is refused before it is parsed, within bounded time and memory
(the conventions of :mod:`harvest_xl.excel.safe_read`):

* the file's size is checked on disk, and at most :data:`MAX_FILE_BYTES` + 1 bytes are read;
* the first bytes are checked against the magic numbers of zip (an ``.xlsx``, or a compressed
  download: a zip bomb is refused without inflating a byte), gzip, PDF, old ``.xls`` and images;
* NUL bytes or a high share of control characters mean a binary file;
* the text is decoded as UTF-8 (with or without BOM), UTF-16 with a BOM, or, failing UTF-8,
  Windows-1252, the code page of older US downloads;
* the CSV reader stops at :data:`MAX_RECORDS` records; a field longer than the ``csv`` module's
  limit (131,072 characters) is refused with its line.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from harvest_xl.importers.errors import BrokerFileError

MiB = 1024 * 1024

MAX_FILE_BYTES = 64 * MiB
"""The largest broker file read at all. A 100,000-row history is about 15 MB."""
MAX_RECORDS = 1_000_000
"""The most CSV records read from one file (a decade of daily trading is far fewer)."""
BINARY_SNIFF_BYTES = 64 * 1024
"""How much of the start of a file is checked for control characters."""
MAX_CONTROL_SHARE = 0.01
"""The largest share of control characters (other than tab, CR, LF, FF) in text."""

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive (an Excel workbook or a compressed download)"),
    (b"PK\x05\x06", "a zip archive (an Excel workbook or a compressed download)"),
    (b"PK\x07\x08", "a zip archive (an Excel workbook or a compressed download)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"%PDF", "a PDF document (a statement, not a download)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel (.xls) or other Office file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)
_WHAT_TO_DO = "download the positions or history as CSV from the broker's website and choose that"
_TEXT_CONTROLS = frozenset(b"\t\n\r\f")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"


def read_bytes(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, read once; refused when larger than ``max_bytes``."""
    file_path = Path(path)
    try:
        size = file_path.stat().st_size
        if size > max_bytes:
            raise BrokerFileError(file_path.name, too_large(size, max_bytes))
        with file_path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise BrokerFileError(file_path.name, f"it cannot be read ({exc.strerror})") from exc
    if len(data) > max_bytes:  # grew since stat, or a device that reports no size
        raise BrokerFileError(file_path.name, too_large(len(data), max_bytes))
    return data


def too_large(size: int, max_bytes: int) -> str:
    """The refusal of a file of ``size`` bytes, over the limit."""
    return (
        f"it is {size:,} bytes, larger than any broker download ({max_bytes // MiB} MB at most); "
        "download a shorter date range"
    )


def decode_text(data: bytes, source_name: str) -> str:
    """The text of a broker download, or :class:`BrokerFileError` saying what the file is."""
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise BrokerFileError(source_name, f"it is {what}, not a CSV file; {_WHAT_TO_DO}")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BrokerFileError(
                source_name, f"its UTF-16 text is damaged ({exc.reason})"
            ) from exc
    sniff = data[:BINARY_SNIFF_BYTES]
    if b"\x00" in data or _control_share(sniff) > MAX_CONTROL_SHARE:
        raise BrokerFileError(source_name, f"it is a binary file, not a CSV file; {_WHAT_TO_DO}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _control_share(sniff: bytes) -> float:
    if not sniff:
        return 0.0
    controls = len(sniff) - len(sniff.translate(None, _CONTROL_BYTES))
    return controls / len(sniff)


def csv_records(
    text: str, source_name: str, quotechar: str = '"'
) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for each CSV record of ``text``; ``line`` is the 1-based line the record
    starts on (a quoted field can span lines). Raises :class:`BrokerFileError` past
    :data:`MAX_RECORDS` records or on a malformed record."""
    reader = csv.reader(io.StringIO(text, newline=""), quotechar=quotechar)
    next_line = 1
    count = 0
    try:
        for cells in reader:
            count += 1
            if count > MAX_RECORDS:
                raise BrokerFileError(
                    source_name,
                    f"it has more than {MAX_RECORDS:,} rows, more than any broker download; "
                    "download a shorter date range",
                )
            yield next_line, cells
            next_line = reader.line_num + 1
    except csv.Error as exc:
        raise BrokerFileError(
            source_name, f"line {reader.line_num}: the CSV cannot be read ({exc})"
        ) from exc
