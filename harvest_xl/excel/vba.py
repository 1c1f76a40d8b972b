"""Read an Office ``vbaProject.bin`` without a dependency: its streams and module sources.

The VBA source is stored compressed inside an OLE compound file, so a plain byte scan of
``vbaProject.bin`` can miss a name that the compressor split across copy tokens. This module
reads just enough of two published formats to get the source text:

* [MS-CFB] Compound File Binary format: header, FAT, mini FAT, directory (read side);
* [MS-OVBA] §2.4.1 compression (both directions: :func:`decompress` and :func:`compress`),
  §2.3.4.2 the ``dir`` stream (its records, module names and text offsets).

Writing a project is :mod:`harvest_xl.excel.vba_project` (the edits) and
:mod:`harvest_xl.excel.compound_file` (the container).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "DirRecord",
    "VbaFormatError",
    "VbaModule",
    "compress",
    "decompress",
    "dir_records",
    "read_streams",
    "read_vba_modules",
    "ribbon_callbacks",
    "serialize_dir_records",
]

_CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_END_OF_CHAIN = 0xFFFFFFFE
_NO_STREAM = 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_CHUNK_SIZE = 4096


class VbaFormatError(ValueError):
    """The bytes are not a VBA project this reader understands."""


@dataclass(frozen=True)
class VbaModule:
    """One VBA module: its name (as the VBA editor shows it) and its source text."""

    name: str
    source: str


# --- [MS-CFB] ------------------------------------------------------------------------------


class _CompoundFile:
    """A read-only view of the streams of a compound file, addressed by path ("VBA/dir")."""

    def __init__(self, data: bytes) -> None:
        if data[:8] != _CFB_SIGNATURE:
            raise VbaFormatError("not an OLE compound file")
        self._data = data
        (sector_shift, mini_shift) = struct.unpack_from("<HH", data, 0x1E)
        self._sector = 1 << sector_shift
        self._mini_sector = 1 << mini_shift
        (n_fat, first_dir) = struct.unpack_from("<II", data, 0x2C)
        (self._mini_cutoff, first_minifat, n_minifat, first_difat, n_difat) = struct.unpack_from(
            "<IIIII", data, 0x38
        )
        fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
        sector = first_difat
        for _ in range(n_difat):
            entries = struct.unpack_from(f"<{self._sector // 4}I", self._sector_bytes(sector))
            fat_sectors.extend(entries[:-1])
            sector = entries[-1]
        fat = bytearray()
        for s in fat_sectors[:n_fat]:
            fat += self._sector_bytes(s)
        self._fat = struct.unpack(f"<{len(fat) // 4}I", fat)
        minifat = self._chain(first_minifat) if n_minifat else b""
        self._minifat = struct.unpack(f"<{len(minifat) // 4}I", minifat)
        directory = self._chain(first_dir)
        self._entries = [directory[i : i + 128] for i in range(0, len(directory), 128)]
        root = self._entries[0]
        self._ministream = self._chain(struct.unpack_from("<I", root, 116)[0])
        self._paths: dict[str, int] = {}
        self.stream_paths: list[str] = []
        """Every stream's path (``VBA/dir``), in directory-entry order."""
        self._walk(struct.unpack_from("<I", root, 76)[0], "")
        self.stream_paths.sort(key=lambda path: self._paths[path.upper()])

    def _sector_bytes(self, sector: int) -> bytes:
        start = (sector + 1) * self._sector
        if start >= len(self._data):
            raise VbaFormatError(f"sector {sector} beyond the end of the file")
        return self._data[start : start + self._sector]

    def _chain(self, first: int) -> bytes:
        out = bytearray()
        sector, seen = first, set()
        while sector != _END_OF_CHAIN:
            if sector in seen or sector >= len(self._fat):
                raise VbaFormatError("broken sector chain")
            seen.add(sector)
            out += self._sector_bytes(sector)
            sector = self._fat[sector]
        return bytes(out)

    def _walk(self, index: int, prefix: str) -> None:
        stack = [(index, prefix)]
        while stack:
            i, parent = stack.pop()
            if i == _NO_STREAM:
                continue
            entry = self._entries[i]
            name_len = struct.unpack_from("<H", entry, 64)[0]
            name = entry[: max(name_len - 2, 0)].decode("utf-16-le")
            kind = entry[66]
            left, right, child = struct.unpack_from("<III", entry, 68)
            path = f"{parent}{name}"
            self._paths[path.upper()] = i
            if kind == _STREAM:
                self.stream_paths.append(path)
            stack.append((left, parent))
            stack.append((right, parent))
            if kind == _STORAGE:
                stack.append((child, path + "/"))

    def stream(self, path: str) -> bytes:
        try:
            entry = self._entries[self._paths[path.upper()]]
        except KeyError:
            raise VbaFormatError(f"no stream {path!r} in the compound file") from None
        if entry[66] != _STREAM:
            raise VbaFormatError(f"{path!r} is not a stream")
        start = struct.unpack_from("<I", entry, 116)[0]
        size = struct.unpack_from("<Q", entry, 120)[0] & 0xFFFFFFFF  # v3 files: low 32 bits
        if size < self._mini_cutoff:
            out = bytearray()
            sector = start
            while sector != _END_OF_CHAIN and len(out) < size:
                pos = sector * self._mini_sector
                out += self._ministream[pos : pos + self._mini_sector]
                sector = self._minifat[sector]
            return bytes(out[:size])
        return self._chain(start)[:size]


def read_streams(compound_file: bytes) -> dict[str, bytes]:
    """Every stream of a compound file by path (``"PROJECT"``, ``"VBA/dir"``), in directory
    order. Storages are implied by the paths."""
    cfb = _CompoundFile(compound_file)
    return {path: cfb.stream(path) for path in cfb.stream_paths}


# --- [MS-OVBA] §2.4.1 ------------------------------------------------------------------------


def decompress(container: bytes) -> bytes:
    """Decompress an [MS-OVBA] §2.4.1 CompressedContainer."""
    if not container or container[0] != 0x01:
        raise VbaFormatError("compressed container does not start with signature byte 0x01")
    out = bytearray()
    pos = 1
    while pos < len(container):
        (header,) = struct.unpack_from("<H", container, pos)
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(container))
        pos += 2
        if (header >> 12) & 0b111 != 0b011:
            raise VbaFormatError("bad compressed chunk signature")
        if not header & 0x8000:  # stored raw
            out += container[pos : pos + _CHUNK_SIZE]
            pos += _CHUNK_SIZE
            continue
        chunk_start = len(out)
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not (flags >> bit) & 1:
                    out.append(container[pos])
                    pos += 1
                    continue
                (token,) = struct.unpack_from("<H", container, pos)
                pos += 2
                difference = len(out) - chunk_start
                bit_count = 4
                while (1 << bit_count) < difference:
                    bit_count += 1
                length = (token & (0xFFFF >> bit_count)) + 3
                offset = (token >> (16 - bit_count)) + 1
                if offset > difference:
                    raise VbaFormatError("copy token points before the chunk")
                for _ in range(length):  # byte by byte: the source may overlap the output
                    out.append(out[-offset])
        pos = chunk_end
    return bytes(out)


_MIN_COPY = 3  # a copy token costs 2 bytes: shorter matches are written as literals


def compress(data: bytes) -> bytes:
    """Compress ``data`` into an [MS-OVBA] §2.4.1 CompressedContainer (§2.4.1.3.6).

    One chunk per 4,096 bytes of input. Each chunk is searched greedily for the longest earlier
    match in the same chunk (ties go to the nearest one). A compressed container is not
    unique: the §3.2.2 example's published bytes pick another of several equally long
    matches, so tests check the round trip, not the bytes. A chunk whose compressed form
    would not fit is stored raw, as §2.4.1.3.7 requires; VBA source text never needs that.
    """
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK_SIZE):
        out += _compress_chunk(data[start : start + _CHUNK_SIZE])
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    earlier: dict[bytes, list[int]] = {}  # 3-byte prefix -> its earlier positions in the chunk

    def remember(position: int) -> None:
        key = chunk[position : position + _MIN_COPY]
        if len(key) == _MIN_COPY:
            earlier.setdefault(key, []).append(position)

    position, end = 0, len(chunk)
    while position < end:
        flags_at = len(body)
        body.append(0)
        for bit in range(8):
            if position >= end:
                break
            bit_count = _offset_bits(position)
            longest = min((0xFFFF >> bit_count) + _MIN_COPY, end - position)
            candidate, length = _longest_match(
                chunk, position, longest, earlier.get(chunk[position : position + _MIN_COPY], [])
            )
            if length >= _MIN_COPY:
                token = ((position - candidate - 1) << (16 - bit_count)) | (length - _MIN_COPY)
                body += struct.pack("<H", token)
                body[flags_at] |= 1 << bit
            else:
                body.append(chunk[position])
                length = 1
            for p in range(position, position + length):
                remember(p)
            position += length
    if len(body) > _CHUNK_SIZE:  # §2.4.1.3.10: a raw chunk holds exactly 4,096 bytes
        return struct.pack("<H", 0x3000 | (_CHUNK_SIZE - 1)) + chunk.ljust(_CHUNK_SIZE, b"\0")
    return struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + bytes(body)


def _offset_bits(produced: int) -> int:
    """§2.4.1.3.19.1: bits of a copy token's offset after ``produced`` bytes of the chunk."""
    bit_count = 4
    while (1 << bit_count) < produced:
        bit_count += 1
    return bit_count


def _longest_match(
    chunk: bytes, position: int, longest: int, candidates: list[int]
) -> tuple[int, int]:
    """The nearest of the longest matches for ``chunk[position:]`` among ``candidates``."""
    best, best_length = -1, 0
    for candidate in reversed(candidates):
        if best_length and (
            best_length >= longest
            or chunk[candidate + best_length] != chunk[position + best_length]
        ):
            continue  # cannot be longer than the best so far
        length = _MIN_COPY
        while length < longest and chunk[candidate + length] == chunk[position + length]:
            length += 1
        if length > best_length:
            best, best_length = candidate, length
            if length == longest:
                break
    return best, best_length


# --- [MS-OVBA] §2.3.4.2 dir stream ----------------------------------------------------------

_PROJECTCODEPAGE = 0x0003
_PROJECTVERSION = 0x0009  # its size field says 4, but 6 more bytes follow (§2.3.4.2.1.11)
_MODULENAME = 0x0019
_MODULESTREAMNAME = 0x001A
_MODULEOFFSET = 0x0031
_MODULE_TERMINATOR = 0x002B


class DirRecord(NamedTuple):
    """One record of the decompressed ``dir`` stream: its 2-byte id and its payload.

    The reserved second halves of the paired records (0x0032 after a module's stream name,
    0x0048 after its doc string, 0x003E after a reference name, ...) are records of their
    own here: they have the same id-size-payload shape.
    """

    record_id: int
    payload: bytes


def dir_records(data: bytes) -> list[DirRecord]:
    """The records of a decompressed ``dir`` stream, in order (§2.3.4.2)."""
    records = []
    pos = 0
    while pos + 6 <= len(data):
        record_id, size = struct.unpack_from("<HI", data, pos)
        pos += 6
        if record_id == _PROJECTVERSION:
            size = 6
        records.append(DirRecord(record_id, data[pos : pos + size]))
        pos += size
    return records


def serialize_dir_records(records: list[DirRecord]) -> bytes:
    """The decompressed ``dir`` stream holding ``records`` (inverse of :func:`dir_records`)."""
    out = bytearray()
    for record_id, payload in records:
        size = 4 if record_id == _PROJECTVERSION else len(payload)
        out += struct.pack("<HI", record_id, size) + payload
    return bytes(out)


def read_vba_modules(vba_project_bin: bytes) -> list[VbaModule]:
    """Every module of a ``vbaProject.bin``, in project order, with its decompressed source."""
    cfb = _CompoundFile(vba_project_bin)
    records = dir_records(decompress(cfb.stream("VBA/dir")))
    codepage = 1252
    modules: list[VbaModule] = []
    name = stream_name = ""
    offset = 0
    for record_id, payload in records:
        if record_id == _PROJECTCODEPAGE:
            codepage = struct.unpack("<H", payload)[0]
        elif record_id == _MODULENAME:
            name, stream_name, offset = payload.decode(f"cp{codepage}"), "", 0
        elif record_id == _MODULESTREAMNAME:
            stream_name = payload.decode(f"cp{codepage}")
        elif record_id == _MODULEOFFSET:
            offset = struct.unpack("<I", payload)[0]
        elif record_id == _MODULE_TERMINATOR:
            raw = cfb.stream(f"VBA/{stream_name or name}")
            source = decompress(raw[offset:]).decode(f"cp{codepage}")
            modules.append(VbaModule(name=name, source=source))
    if not modules:
        raise VbaFormatError("the VBA project has no modules")
    return modules


_RIBBON_SUB = re.compile(
    r"^[ \t]*(?:Public[ \t]+)?Sub[ \t]+(\w+)[ \t]*\([ \t]*(?:ByRef[ \t]+|ByVal[ \t]+)?\w+"
    r"[ \t]+As[ \t]+IRibbonControl[ \t]*\)",
    re.IGNORECASE | re.MULTILINE,
)


def ribbon_callbacks(modules: list[VbaModule]) -> frozenset[str]:
    """``Module.Sub`` names (lower case: VBA is case-insensitive) of every public
    ``Sub Name(control As IRibbonControl)``: the procedures a ribbon ``onAction`` can call."""
    found = set()
    for module in modules:
        for match in _RIBBON_SUB.finditer(module.source):
            found.add(f"{module.name}.{match.group(1)}".lower())
    return frozenset(found)
