"""The VBA project writer: MS-OVBA compression, the MS-CFB container and the project edits,
each checked against independent readers (oletools, olefile) and against the spec's rules."""

from __future__ import annotations

import io
import random
import struct
import zipfile

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser, decompress_stream

from harvest_xl.excel.addin import template_path
from harvest_xl.excel.compound_file import CompoundFileError, write_compound_file
from harvest_xl.excel.vba import (
    VbaFormatError,
    compress,
    decompress,
    dir_records,
    read_streams,
    read_vba_modules,
    serialize_dir_records,
)
from harvest_xl.excel.vba_project import (
    NewModule,
    ProjectEdits,
    describe_vba_project,
    edit_vba_project,
    project_module_lines,
)

# --- MS-OVBA §2.4.1 compression ---------------------------------------------------------------

VBA_WORDS = [
    "Function ", "End Function\r\n", "    ", "If ", " Then ", "XLPy.CallUDF(", '"harvest_xl"',
    "Optional ", ", ", "Application.Caller", "\r\n", "Err.Description", "HX_TAX", "(", ")",
]


def _vba_like(length: int, seed: int) -> bytes:
    """Text shaped like generated VBA (repeated words and indentation), cut to ``length``."""
    rng = random.Random(seed)
    out = bytearray()
    while len(out) < length:
        out += rng.choice(VBA_WORDS).encode()
    return bytes(out[:length])


def _chunk_headers(container: bytes) -> list[int]:
    """The 2-byte header of every chunk of a compressed container."""
    headers, pos = [], 1
    while pos < len(container):
        (header,) = struct.unpack_from("<H", container, pos)
        headers.append(header)
        pos += (header & 0x0FFF) + 3
    assert pos == len(container)
    return headers


def test_uncompressible_example_gives_the_published_bytes() -> None:
    """MS-OVBA §3.2.1: text with no repeats compresses to exactly the published container."""
    published = bytes.fromhex("0119B000616263646566676800696A6B6C6D6E6F7000717273747576" "2E")
    assert compress(b"abcdefghijklmnopqrstuv.") == published


def test_normal_example_round_trips_and_uses_copy_tokens() -> None:
    """MS-OVBA §3.2.2's text round-trips through oletools and is as small as the published
    container (57 bytes), though it may choose other equally long matches."""
    text = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
    container = compress(text)
    assert bytes(decompress_stream(bytearray(container))) == text
    assert len(container) <= 57


@pytest.mark.parametrize("length", [0, 1, 2, 3, 4095, 4096, 4097, 8191, 8192, 8193, 20000])
def test_round_trip_around_chunk_boundaries(length: int) -> None:
    """VBA-like text of lengths around the 4,096-byte chunk size decompresses to itself with
    oletools and with our reader, in compressed chunks only (never a raw chunk)."""
    text = _vba_like(length, seed=length)
    container = compress(text)
    assert bytes(decompress_stream(bytearray(container))) == text
    assert decompress(container) == text
    assert len(_chunk_headers(container)) == -(-length // 4096)
    assert all(h & 0x8000 and (h >> 12) & 0b111 == 0b011 for h in _chunk_headers(container))


def test_long_runs_use_the_longest_copy_the_position_allows() -> None:
    """10,000 equal bytes round-trip; copy lengths near 4,098 (4 offset bits) stay legal."""
    text = b" " * 10000
    container = compress(text)
    assert bytes(decompress_stream(bytearray(container))) == text
    assert len(container) < 60


def test_incompressible_chunk_is_stored_raw() -> None:
    """A 4,096-byte chunk with no repeats is stored raw (header bit 15 clear), as §2.4.1.3.7
    requires, and still reads back with oletools."""
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096))
    container = compress(data)
    assert _chunk_headers(container) == [0x3FFF]
    assert bytes(decompress_stream(bytearray(container))) == data


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \r\nabcXYZ0123(),.=_\"'")), max_size=9000))
def test_compress_round_trips_any_text(text: str) -> None:
    """Any ASCII text decompresses to itself with oletools and with our own reader."""
    data = text.encode()
    container = compress(data)
    assert decompress(container) == data
    assert bytes(decompress_stream(bytearray(container))) == data


# --- the dir stream records -------------------------------------------------------------------


def _template_vba() -> bytes:
    with zipfile.ZipFile(template_path()) as zf:
        return zf.read("xl/vbaProject.bin")


def test_dir_records_round_trip_byte_for_byte() -> None:
    """Parsing the template's dir stream into records and writing them back gives its bytes
    (PROJECTVERSION's odd size field included)."""
    data = decompress(read_streams(_template_vba())["VBA/dir"])
    assert serialize_dir_records(dir_records(data)) == data


# --- MS-CFB container -------------------------------------------------------------------------


def _entries(data: bytes) -> list[tuple[str, int, int, int, int]]:
    """(name, type, left, right, child) of each directory entry, read with olefile."""
    ole = olefile.OleFileIO(io.BytesIO(data))
    return [
        (e.name, e.entry_type, e.sid_left, e.sid_right, e.sid_child)
        for e in ole.direntries
        if e is not None
    ]


def _order(name: str) -> tuple[int, str]:
    # MS-CFB §2.6.4 written out independently: length first, then upper-case code points.
    return (len(name), name.upper())


def _walk_in_order(entries: dict[int, tuple[str, int, int, int, int]], top: int) -> list[str]:
    if top == 0xFFFFFFFF:
        return []
    name, _, left, right, _ = entries[top]
    return _walk_in_order(entries, left) + [name] + _walk_in_order(entries, right)


def _search(entries: dict[int, tuple], top: int, wanted: str) -> bool:
    """Find ``wanted`` by descending the tree, as a reader that searches would."""
    while top != 0xFFFFFFFF:
        name, _, left, right, _ = entries[top]
        if _order(wanted) == _order(name):
            return True
        top = left if _order(wanted) < _order(name) else right
    return False


MANY_STREAMS = {
    "PROJECT": b"p" * 600,
    "PROJECTwm": b"w" * 100,
    **{f"VBA/{n}": bytes([i]) * (100 + 3000 * i) for i, n in enumerate(
        ["dir", "ThisWorkbook", "_VBA_PROJECT", "Sheet2", "xlwings", "xlwings_udfs", "Aa", "ab"]
    )},
    "Deep/Er/Stream": b"deep",
    "Empty": b"",
}


def test_olefile_reads_every_stream_back() -> None:
    """olefile (an independent reader) finds every stream with its exact bytes, the small ones
    in the mini stream and the large ones in normal sectors."""
    data = write_compound_file(MANY_STREAMS)
    ole = olefile.OleFileIO(io.BytesIO(data))
    for path, content in MANY_STREAMS.items():
        assert ole.openstream(path).read() == content, path
    assert read_streams(data) == MANY_STREAMS


def test_sibling_trees_are_in_cfb_order_and_searchable() -> None:
    """Each storage's children form a binary search tree in §2.6.4 order: an in-order walk is
    sorted, and descending the tree finds every name."""
    data = write_compound_file(MANY_STREAMS)
    entries = dict(enumerate(_entries(data)))
    storages = [i for i, e in entries.items() if e[1] in (1, 5)]
    assert len(storages) == 4  # root, VBA, Deep, Deep/Er
    for i in storages:
        names = _walk_in_order(entries, entries[i][4])
        assert names == sorted(names, key=_order)
        assert all(_search(entries, entries[i][4], n) for n in names)


def test_header_is_a_version_3_file_with_512_byte_sectors() -> None:
    """Signature, version 3, little-endian, 512/64-byte sectors, no directory-sector count,
    mini-stream cutoff 4,096, no DIFAT; the size is a whole number of sectors."""
    data = write_compound_file(MANY_STREAMS)
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    assert struct.unpack_from("<HHHHH", data, 0x18) == (0x3E, 3, 0xFFFE, 9, 6)
    assert struct.unpack_from("<I", data, 0x28) == (0,)
    assert struct.unpack_from("<I", data, 0x38) == (4096,)
    assert struct.unpack_from("<II", data, 0x44) == (0xFFFFFFFE, 0)
    assert len(data) % 512 == 0 and len(data) >= 4 * 512


def test_same_streams_give_the_same_bytes() -> None:
    """The container does not depend on the order the streams are given in."""
    shuffled = dict(reversed(list(MANY_STREAMS.items())))
    assert write_compound_file(MANY_STREAMS) == write_compound_file(shuffled)


@pytest.mark.parametrize(
    "streams",
    [{"x" * 32: b"1"}, {"VBA/a": b"1", "VBA/A": b"2"}, {"a/b": b"1", "a": b"2"}, {"a:b": b"1"}],
)
def test_names_the_format_cannot_hold_are_refused(streams: dict[str, bytes]) -> None:
    """Names over 31 characters, names differing only in case, a path that is both stream and
    storage, and forbidden characters are refused."""
    with pytest.raises(CompoundFileError):
        write_compound_file(streams)


def test_template_rewritten_unchanged_reads_the_same() -> None:
    """The template's streams written into a new container read back identically with
    oletools: same modules, same sources."""
    template = _template_vba()
    rewritten = write_compound_file(read_streams(template))

    def sources(data: bytes) -> dict[str, str]:
        parser = VBA_Parser("p.bin", data=data)
        return {name: code for _, _, name, code in parser.extract_macros()}

    assert sources(rewritten) == sources(template)
    assert len(sources(template)) == 5


# --- the project edits ------------------------------------------------------------------------

NEW_SOURCE = (
    'Attribute VB_Name = "hx_new"\r\nFunction HX_ONE()\r\n    HX_ONE = 1\r\nEnd Function\r\n'
)


def test_no_edits_keep_every_module_source() -> None:
    """Editing nothing rewrites the container but keeps the project: same modules and text."""
    out = edit_vba_project(_template_vba(), ProjectEdits())
    assert read_vba_modules(out) == read_vba_modules(_template_vba())


def test_added_module_is_listed_everywhere_and_stored_source_only() -> None:
    """A new module: one more dir record (count too), a Module= line before Name=, a PROJECTwm
    entry, its own stream holding only compressed source at offset 0, type procedural."""
    out = edit_vba_project(_template_vba(), ProjectEdits(added=[NewModule("hx_new", NEW_SOURCE)]))
    d = describe_vba_project(out)
    names = [m.name for m in d.modules]
    assert names[-1] == "hx_new" and d.declared_count == len(names) == 6
    assert project_module_lines(d.project_text) == [
        "ThisWorkbook", "Dictionary", "RibbonMyAddin", "Sheet2", "xlwings", "hx_new"
    ]
    lines = d.project_text.split("\r\n")
    assert lines.index("Module=hx_new") + 1 == lines.index('Name="MyAddin"')
    assert list(d.projectwm) == names
    new = d.modules[-1]
    assert (new.stream_name, new.offset, new.procedural, new.source) == (
        "hx_new", 0, True, NEW_SOURCE
    )
    assert decompress(read_streams(out)["VBA/hx_new"]) == NEW_SOURCE.encode()


def test_rename_changes_every_place_the_name_appears() -> None:
    """Renaming a module and the project: dir name and stream name, the stream, PROJECT's
    module and Workspace lines, PROJECTwm, the Attribute VB_Name line; project Name= too."""
    edits = ProjectEdits(project_name="HarvestXL", renamed_modules={"RibbonMyAddin": "RibbonHx"})
    d = describe_vba_project(edit_vba_project(_template_vba(), edits))
    assert d.project_name == "HarvestXL"
    assert 'Name="HarvestXL"' in d.project_text.split("\r\n")
    assert "RibbonMyAddin" not in d.project_text + "".join(d.projectwm) + "".join(d.streams)
    ribbon = next(m for m in d.modules if m.name == "RibbonHx")
    assert (ribbon.stream_name, ribbon.offset) == ("RibbonHx", 0)
    assert ribbon.source.startswith('Attribute VB_Name = "RibbonHx"\r\nSub RunMain(')
    assert "RibbonHx=98, 98, 2227, 906, C" in d.project_text


def test_untouched_modules_and_protection_lines_are_copied() -> None:
    """Modules not edited keep their streams byte for byte; ID, CMG, DPB, GC are unchanged."""
    template = read_streams(_template_vba())
    out = read_streams(edit_vba_project(_template_vba(), ProjectEdits(project_name="Hx")))
    for name in ("ThisWorkbook", "Sheet2", "Dictionary", "xlwings", "_VBA_PROJECT"):
        assert out[f"VBA/{name}"] == template[f"VBA/{name}"], name

    def protection(text: bytes) -> list[bytes]:
        return [ln for ln in text.split(b"\r\n") if ln.split(b"=")[0] in (b"ID", b"CMG", b"DPB",
                                                                         b"GC")]

    assert protection(out["PROJECT"]) == protection(template["PROJECT"])
    assert len(protection(out["PROJECT"])) == 4


def test_rewritten_module_is_stored_at_offset_zero() -> None:
    """A module given a new source loses its compiled cache: offset 0, source only."""
    source = 'Attribute VB_Name = "xlwings"\r\n\' replaced\r\n'
    out = edit_vba_project(_template_vba(), ProjectEdits(sources={"xlwings": source}))
    module = next(m for m in describe_vba_project(out).modules if m.name == "xlwings")
    assert (module.offset, module.source) == (0, source)


def _with_streams(changes: dict[str, bytes | None]) -> bytes:
    streams = read_streams(_template_vba())
    for path, data in changes.items():
        if data is None:
            del streams[path]
        else:
            streams[path] = data
    return write_compound_file(streams)


def test_a_project_with_a_compiled_cache_is_refused() -> None:
    """A _VBA_PROJECT that is not the 7-byte recompile-from-source form stops the edit."""
    cached = _with_streams({"VBA/_VBA_PROJECT": bytes.fromhex("CC61B500000300") + b"cache"})
    with pytest.raises(VbaFormatError, match="compiled cache"):
        edit_vba_project(cached, ProjectEdits())


def test_srp_cache_streams_are_dropped() -> None:
    """__SRP_ streams (version-dependent caches) do not survive an edit."""
    with_srp = _with_streams({"VBA/__SRP_0": b"cache", "VBA/__SRP_1": b"more"})
    out = edit_vba_project(with_srp, ProjectEdits())
    assert not [p for p in read_streams(out) if "__SRP_" in p]


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        (ProjectEdits(added=[NewModule("xlwings", NEW_SOURCE)]), "differ in more than case"),
        (ProjectEdits(added=[NewModule("XLWINGS", NEW_SOURCE)]), "differ in more than case"),
        (ProjectEdits(added=[NewModule("hx-new", NEW_SOURCE)]), "not a VBA module name"),
        (ProjectEdits(added=[NewModule("x" * 32, NEW_SOURCE)]), "at most 31"),
        (ProjectEdits(added=[NewModule("other", NEW_SOURCE)]), "Attribute VB_Name"),
        (ProjectEdits(renamed_modules={"Nope": "Yes"}), "no module 'Nope'"),
        (ProjectEdits(sources={"Nope": NEW_SOURCE}), "no module named"),
        (ProjectEdits(project_name="Harvest XL"), "not a VBA project name"),
    ],
)
def test_edits_that_would_break_the_project_are_refused(edits: ProjectEdits, message: str) -> None:
    """Duplicate or invalid names, a source whose VB_Name disagrees, unknown modules: refused."""
    with pytest.raises(VbaFormatError, match=message):
        edit_vba_project(_template_vba(), edits)


def test_non_cp1252_source_is_refused() -> None:
    """Text the project code page (1252) cannot hold is refused, not mangled."""
    source = 'Attribute VB_Name = "hx_new"\r\n\' \u4e2d\r\n'
    with pytest.raises(UnicodeEncodeError):
        edit_vba_project(_template_vba(), ProjectEdits(added=[NewModule("hx_new", source)]))
