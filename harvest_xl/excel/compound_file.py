"""Write an OLE compound file ([MS-CFB]) holding given streams: the container of a
``vbaProject.bin``.

Only what a VBA project needs: a version-3 file (512-byte sectors), streams under nested
storages, no DIFAT sectors (so at most 109 FAT sectors, about 6.8 MB, far above any VBA
project), zero class ids and time stamps. No published Python package fits (the ones that
write are AGPL or immature; excel-integration.md R2.6), and the format is small.

Layout of the output, in sector order: FAT, directory, mini FAT, mini stream, then each
stream of 4,096 bytes or more. Streams below 4,096 bytes live in 64-byte mini sectors inside
the mini stream, which the root entry owns (§2.4).

The children of each storage form a binary search tree ordered by name length first, then by
the upper-cased names (§2.6.4). A reader that searches the tree (rather than walking all of
it) relies on that order, so it is built from the sorted list, always taking the middle
element; every node is black, which satisfies the two colouring rules §2.6.4 states.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["CompoundFileError", "sibling_order_key", "write_compound_file"]

SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
SECTOR = 512
MINI_SECTOR = 64
MINI_STREAM_CUTOFF = 4096
ENTRY_SIZE = 128
MAX_NAME_CHARS = 31  # §2.6.1: 32 UTF-16 code units including the terminating NUL
HEADER_FAT_SLOTS = 109

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

STORAGE, STREAM, ROOT = 1, 2, 5
BLACK = 1


class CompoundFileError(ValueError):
    """The streams cannot be written as a compound file (bad name, too large)."""


def sibling_order_key(name: str) -> tuple[int, str]:
    """§2.6.4 order of sibling entries: shorter names first, then by upper-cased name.

    The spec compares UTF-16 code points after upper-casing; for the names a VBA project
    uses (letters, digits, ``_``) Python's ``str.upper`` and string order are exactly that.
    """
    return (len(name.encode("utf-16-le")), name.upper())


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN
    size: int = 0


def write_compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A compound file holding ``streams``, keyed by path (``"PROJECT"``, ``"VBA/dir"``).

    Storages are created for the folders in the paths. Entry ids are assigned storage by
    storage in sorted order, so the same streams always give the same bytes.
    """
    entries = _directory(streams)
    fat: list[int] = []
    mini_fat: list[int] = []
    mini_stream = bytearray()
    big: list[_Entry] = []
    for entry in entries:
        if entry.kind != STREAM or not entry.data:
            continue
        if len(entry.data) < MINI_STREAM_CUTOFF:
            entry.start = len(mini_stream) // MINI_SECTOR
            _chain(mini_fat, entry.start, _count(len(entry.data), MINI_SECTOR))
            mini_stream += _pad(entry.data, MINI_SECTOR)
        else:
            big.append(entry)
        entry.size = len(entry.data)

    n_directory = _count(len(entries) * ENTRY_SIZE, SECTOR)
    n_mini_fat = _count(len(mini_fat) * 4, SECTOR)
    n_mini_stream = _count(len(mini_stream), SECTOR)
    n_big = sum(_count(len(e.data), SECTOR) for e in big)
    n_data = n_directory + n_mini_fat + n_mini_stream + n_big
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_data:
        n_fat += 1
    if n_fat > HEADER_FAT_SLOTS:
        raise CompoundFileError("the streams are too large for a file without DIFAT sectors")

    fat.extend([FATSECT] * n_fat)
    first_directory = len(fat)
    _chain(fat, first_directory, n_directory)
    first_mini_fat = len(fat) if n_mini_fat else ENDOFCHAIN
    if n_mini_fat:
        _chain(fat, first_mini_fat, n_mini_fat)
    root = entries[0]
    if mini_stream:
        root.start, root.size = len(fat), len(mini_stream)
        _chain(fat, root.start, n_mini_stream)
    for entry in big:
        entry.start = len(fat)
        _chain(fat, entry.start, _count(len(entry.data), SECTOR))
    fat.extend([FREESECT] * (n_fat * (SECTOR // 4) - len(fat)))

    header = _header(n_fat, first_directory, first_mini_fat, n_mini_fat)
    body = bytearray()
    body += struct.pack(f"<{len(fat)}I", *fat)
    body += _pad(b"".join(_entry_bytes(e) for e in entries), SECTOR, _EMPTY_ENTRY)
    if n_mini_fat:
        mini_fat.extend([FREESECT] * (n_mini_fat * (SECTOR // 4) - len(mini_fat)))
        body += struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    body += _pad(bytes(mini_stream), SECTOR)
    for entry in big:
        body += _pad(entry.data, SECTOR)
    return header + bytes(body)


def _directory(streams: Mapping[str, bytes]) -> list[_Entry]:
    """Directory entries, root first, with the sibling trees and child links filled in."""
    entries = [_Entry("Root Entry", ROOT)]
    storages: dict[str, int] = {"": 0}
    for path in sorted(streams, key=lambda p: [sibling_order_key(part) for part in p.split("/")]):
        parts = path.split("/")
        for part in parts:
            _check_name(part, path)
        parent = 0
        for depth, part in enumerate(parts[:-1]):
            key = "/".join(parts[: depth + 1]).upper()
            if key not in storages:
                storages[key] = len(entries)
                entries[parent].children.append(len(entries))
                entries.append(_Entry(part, STORAGE))
            parent = storages[key]
        if "/".join(parts).upper() in storages:
            raise CompoundFileError(f"{path!r} is both a storage and a stream")
        entries[parent].children.append(len(entries))
        entries.append(_Entry(parts[-1], STREAM, data=streams[path]))
    for entry in entries:
        names = [entries[i].name.upper() for i in entry.children]
        if len(set(names)) != len(names):
            raise CompoundFileError(f"two entries of {entry.name!r} differ only in case")
        ordered = sorted(entry.children, key=lambda i: sibling_order_key(entries[i].name))
        entry.child = _balanced_tree(entries, ordered)
    return entries


def _balanced_tree(entries: list[_Entry], ordered: list[int]) -> int:
    """Link ``ordered`` (sorted sibling ids) as a balanced search tree; return its root id."""
    if not ordered:
        return NOSTREAM
    middle = len(ordered) // 2
    top = entries[ordered[middle]]
    top.left = _balanced_tree(entries, ordered[:middle])
    top.right = _balanced_tree(entries, ordered[middle + 1 :])
    return ordered[middle]


def _check_name(name: str, path: str) -> None:
    if not name or len(name) > MAX_NAME_CHARS:
        raise CompoundFileError(f"{path!r}: entry names have 1 to {MAX_NAME_CHARS} characters")
    if any(c in name for c in "/\\:!"):  # §2.6.1 forbids these in names
        raise CompoundFileError(f"{path!r}: '/', '\\\\', ':' and '!' are not allowed in names")


def _count(size: int, unit: int) -> int:
    return -(-size // unit)


def _pad(data: bytes, unit: int, filler: bytes = b"\0") -> bytes:
    missing = (-len(data)) % unit
    return data + filler * (missing // len(filler))


def _chain(table: list[int], first: int, length: int) -> None:
    """Append a chain of ``length`` consecutive sectors starting at ``first`` to ``table``."""
    if len(table) != first:
        raise AssertionError("sectors are allocated in order")
    table.extend(range(first + 1, first + length))
    table.append(ENDOFCHAIN)


def _header(n_fat: int, first_directory: int, first_mini_fat: int, n_mini_fat: int) -> bytes:
    """The 512-byte header (§2.2) of a version-3 file whose FAT sectors are 0..n_fat-1."""
    slots = list(range(n_fat)) + [FREESECT] * (HEADER_FAT_SLOTS - n_fat)
    header = (
        SIGNATURE
        + bytes(16)  # header CLSID: zero
        + struct.pack("<HHHHH", 0x003E, 3, 0xFFFE, 9, 6)  # minor, major, byte order, shifts
        + bytes(6)  # reserved
        + struct.pack("<II", 0, n_fat)  # directory sector count (0 in version 3), FAT sectors
        + struct.pack("<II", first_directory, 0)  # first directory sector, transactions
        + struct.pack("<III", MINI_STREAM_CUTOFF, first_mini_fat, n_mini_fat)
        + struct.pack("<II", ENDOFCHAIN, 0)  # no DIFAT sectors
        + struct.pack(f"<{HEADER_FAT_SLOTS}I", *slots)
    )
    assert len(header) == SECTOR
    return header


def _entry_bytes(entry: _Entry) -> bytes:
    """One 128-byte directory entry (§2.6.1); zero class id, state bits and time stamps."""
    name = (entry.name + "\0").encode("utf-16-le")
    start, size = (0, 0) if entry.kind == STORAGE else (entry.start, entry.size)
    return (
        name.ljust(64, b"\0")
        + struct.pack("<HBB", len(name), entry.kind, BLACK)
        + struct.pack("<III", entry.left, entry.right, entry.child)
        + bytes(16 + 4 + 8 + 8)  # CLSID, state bits, creation and modification times
        + struct.pack("<IQ", start, size)
    )


_EMPTY_ENTRY = bytes(64) + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", *[NOSTREAM] * 3)
_EMPTY_ENTRY += bytes(ENTRY_SIZE - len(_EMPTY_ENTRY))
