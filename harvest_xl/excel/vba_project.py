"""Edit a VBA project (``vbaProject.bin``) so that Excel recompiles it from source.

The add-in build starts from the VBA project of xlwings' ribbon template and renames the
project, renames a module, rewrites module sources and adds modules. [MS-OVBA] allows this
without a compiled cache (excel-integration.md R2.3): when ``_VBA_PROJECT`` is the 7-byte
form with version 0xFFFF, Office ignores every performance cache and compiles the source.
So :func:`edit_vba_project`

* refuses a project whose ``_VBA_PROJECT`` is not that 7-byte form (§2.3.4.1) and drops any
  ``__SRP_*`` cache streams (§2.2.6);
* writes every new or changed module as source only: the compressed text at offset 0
  (``MODULEOFFSET`` 0, §2.3.4.2.3.2.5; cookie 0xFFFF, §2.3.4.2.3.2.7);
* keeps the four places that list modules in step: the ``dir`` stream's module records and
  count (§2.3.4.2.3), the ``PROJECT`` stream's module lines (§2.3.1.3), ``PROJECTwm``
  (§2.3.3) and the module streams themselves;
* leaves ``ID``, ``CMG``, ``DPB`` and ``GC`` in ``PROJECT`` untouched (the last three are
  encrypted with a key derived from the ``ID``, §2.4.3.2), and copies every other stream and
  every unchanged module byte for byte.

:func:`describe_vba_project` reads back what the structural tests check.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from harvest_xl.excel.compound_file import write_compound_file
from harvest_xl.excel.vba import (
    DirRecord,
    VbaFormatError,
    compress,
    decompress,
    dir_records,
    read_streams,
    serialize_dir_records,
)

__all__ = [
    "ModuleRecord",
    "NewModule",
    "ProjectEdits",
    "VbaProjectDescription",
    "describe_vba_project",
    "edit_vba_project",
    "project_module_lines",
    "projectwm_names",
]

# [MS-OVBA] §2.3.4.2 record ids
PROJECTNAME = 0x0004
PROJECTCODEPAGE = 0x0003
PROJECTMODULES = 0x000F
DIR_TERMINATOR = 0x0010
MODULENAME = 0x0019
MODULENAMEUNICODE = 0x0047
MODULESTREAMNAME = 0x001A
MODULESTREAMNAME_UNICODE = 0x0032
MODULEDOCSTRING = 0x001C
MODULEDOCSTRING_UNICODE = 0x0048
MODULEOFFSET = 0x0031
MODULEHELPCONTEXT = 0x001E
MODULECOOKIE = 0x002C
MODULETYPE_PROCEDURAL = 0x0021
MODULETYPE_OTHER = 0x0022  # document, class or designer module
MODULE_TERMINATOR = 0x002B

VBA_PROJECT_STREAM = "VBA/_VBA_PROJECT"
RECOMPILE_FROM_SOURCE = bytes.fromhex("CC61FFFF00")
"""§2.3.4.1: Reserved1 0x61CC, Version 0xFFFF ("MUST be 0xFFFF on write"), Reserved2 0x00."""

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}\Z")  # a VBA name that fits a stream name


@dataclass(frozen=True, slots=True)
class NewModule:
    """A procedural (standard) module to add: its name and its whole source text, starting
    with ``Attribute VB_Name = "<name>"`` as every stored module source does (§3.1.3)."""

    name: str
    source: str


@dataclass(frozen=True)
class ProjectEdits:
    """What :func:`edit_vba_project` changes; everything else is kept.

    ``renamed_modules`` maps an existing module name to its new name (the module's stream is
    renamed with it, and its ``Attribute VB_Name`` line follows); ``sources`` maps a module
    name (after renaming) to its new whole source text; ``added`` are appended in order.
    """

    project_name: str | None = None
    renamed_modules: Mapping[str, str] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    added: Sequence[NewModule] = ()


@dataclass(frozen=True, slots=True)
class ModuleRecord:
    """One module as the ``dir`` stream describes it."""

    name: str
    stream_name: str
    offset: int
    procedural: bool
    source: str


@dataclass(frozen=True, slots=True)
class VbaProjectDescription:
    """What a VBA project declares, read back for the structural checks."""

    project_name: str
    declared_count: int
    modules: tuple[ModuleRecord, ...]
    project_text: str
    projectwm: tuple[str, ...]
    streams: tuple[str, ...]
    vba_project_stream: bytes


def edit_vba_project(vba_project_bin: bytes, edits: ProjectEdits) -> bytes:
    """The compound file of the project ``vba_project_bin`` with ``edits`` applied."""
    streams = read_streams(vba_project_bin)
    cache = streams.get(VBA_PROJECT_STREAM, b"")
    if len(cache) != 7 or not cache.startswith(RECOMPILE_FROM_SOURCE):
        raise VbaFormatError(
            "the template's _VBA_PROJECT stream carries a compiled cache (it is not the 7-byte"
            " 'recompile from source' form), so its modules cannot be changed safely"
        )
    records = dir_records(decompress(streams["VBA/dir"]))
    codepage = f"cp{_single(records, PROJECTCODEPAGE, 'PROJECTCODEPAGE')[0]}"
    prefix, modules, suffix = _split_modules(records)
    existing = {_text(m, MODULENAME, codepage).upper() for m in modules}
    for old in edits.renamed_modules:
        if old.upper() not in existing:
            raise VbaFormatError(f"the VBA project has no module {old!r} to rename")
    final_names = [
        edits.renamed_modules.get(_text(m, MODULENAME, codepage), _text(m, MODULENAME, codepage))
        for m in modules
    ] + [m.name for m in edits.added]
    _check_names(final_names, edits)

    new_streams = {k: v for k, v in streams.items() if not k.split("/")[-1].startswith("__SRP_")}
    new_modules: list[list[DirRecord]] = []
    for module in modules:
        name = _text(module, MODULENAME, codepage)
        stream_name = _text(module, MODULESTREAMNAME, codepage)
        new_name = edits.renamed_modules.get(name, name)
        source = edits.sources.get(new_name)
        if new_name != name and source is None:
            raw = streams[f"VBA/{stream_name}"]
            old_source = decompress(raw[_offset(module) :]).decode(codepage)
            source = _rename_attribute(old_source, name, new_name)
        if source is None:
            new_modules.append(module)
            continue
        del new_streams[f"VBA/{stream_name}"]
        new_streams[f"VBA/{new_name}"] = _source_stream(source, new_name, codepage)
        new_modules.append(_rewritten_records(module, new_name, codepage))
    for added in edits.added:
        new_streams[f"VBA/{added.name}"] = _source_stream(added.source, added.name, codepage)
        new_modules.append(_module_records(added.name, codepage))

    prefix = _with_module_count(prefix, len(new_modules))
    if edits.project_name is not None:
        prefix = [
            DirRecord(PROJECTNAME, edits.project_name.encode(codepage))
            if r.record_id == PROJECTNAME
            else r
            for r in prefix
        ]
    flat = [r for module in new_modules for r in module]
    new_streams["VBA/dir"] = compress(serialize_dir_records(prefix + flat + suffix))
    new_streams["PROJECT"] = _edit_project_text(
        streams["PROJECT"].decode(codepage), edits, codepage
    ).encode(codepage)
    new_streams["PROJECTwm"] = _projectwm(
        [edits.renamed_modules.get(n, n) for n in projectwm_names(streams["PROJECTwm"], codepage)]
        + [m.name for m in edits.added],
        codepage,
    )
    return write_compound_file(new_streams)


# --- the dir stream -------------------------------------------------------------------------


def _split_modules(
    records: list[DirRecord],
) -> tuple[list[DirRecord], list[list[DirRecord]], list[DirRecord]]:
    """(records up to PROJECTMODULES' cookie, one record list per module, the terminator)."""
    start = next((i for i, r in enumerate(records) if r.record_id == MODULENAME), None)
    if start is None or records[-1].record_id != DIR_TERMINATOR:
        raise VbaFormatError("the dir stream has no modules or no terminator")
    modules: list[list[DirRecord]] = []
    current: list[DirRecord] = []
    for record in records[start:-1]:
        current.append(record)
        if record.record_id == MODULE_TERMINATOR:
            modules.append(current)
            current = []
    if current:
        raise VbaFormatError("the dir stream's last module has no terminator")
    return records[:start], modules, records[-1:]


def _single(records: Sequence[DirRecord], record_id: int, what: str) -> tuple[int, ...]:
    found = [r for r in records if r.record_id == record_id]
    if len(found) != 1:
        raise VbaFormatError(f"the dir stream has {len(found)} {what} records, not one")
    payload = found[0].payload
    return struct.unpack(f"<{len(payload) // 2}H", payload)


def _text(module: list[DirRecord], record_id: int, codepage: str) -> str:
    return next(r.payload for r in module if r.record_id == record_id).decode(codepage)


def _offset(module: list[DirRecord]) -> int:
    payload = next(r.payload for r in module if r.record_id == MODULEOFFSET)
    return int(struct.unpack("<I", payload)[0])


def _with_module_count(prefix: list[DirRecord], count: int) -> list[DirRecord]:
    _single(prefix, PROJECTMODULES, "PROJECTMODULES")
    return [
        DirRecord(PROJECTMODULES, struct.pack("<H", count))
        if r.record_id == PROJECTMODULES
        else r
        for r in prefix
    ]


def _name_records(name: str, codepage: str) -> list[DirRecord]:
    """MODULENAME, MODULENAMEUNICODE, MODULESTREAMNAME and its Unicode half (stream = name)."""
    return [
        DirRecord(MODULENAME, name.encode(codepage)),
        DirRecord(MODULENAMEUNICODE, name.encode("utf-16-le")),
        DirRecord(MODULESTREAMNAME, name.encode(codepage)),
        DirRecord(MODULESTREAMNAME_UNICODE, name.encode("utf-16-le")),
    ]


def _rewritten_records(module: list[DirRecord], name: str, codepage: str) -> list[DirRecord]:
    """``module``'s records with a new name, offset 0 and cookie 0xFFFF; the rest kept."""
    named = {MODULENAME, MODULENAMEUNICODE, MODULESTREAMNAME, MODULESTREAMNAME_UNICODE}
    kept = [r for r in module if r.record_id not in named]
    out = _name_records(name, codepage)
    for record in kept:
        if record.record_id == MODULEOFFSET:
            record = DirRecord(MODULEOFFSET, struct.pack("<I", 0))
        elif record.record_id == MODULECOOKIE:
            record = DirRecord(MODULECOOKIE, struct.pack("<H", 0xFFFF))
        out.append(record)
    return out


def _module_records(name: str, codepage: str) -> list[DirRecord]:
    """The MODULE record of a new procedural module (§2.3.4.2.3.2), in the spec's order."""
    return [
        *_name_records(name, codepage),
        DirRecord(MODULEDOCSTRING, b""),
        DirRecord(MODULEDOCSTRING_UNICODE, b""),
        DirRecord(MODULEOFFSET, struct.pack("<I", 0)),
        DirRecord(MODULEHELPCONTEXT, struct.pack("<I", 0)),
        DirRecord(MODULECOOKIE, struct.pack("<H", 0xFFFF)),
        DirRecord(MODULETYPE_PROCEDURAL, b""),
        DirRecord(MODULE_TERMINATOR, b""),
    ]


def _source_stream(source: str, name: str, codepage: str) -> bytes:
    first = source.split("\n", 1)[0].rstrip("\r")
    if first != f'Attribute VB_Name = "{name}"':
        raise VbaFormatError(f"the source of {name} must start with its Attribute VB_Name line")
    return compress(source.encode(codepage))


def _rename_attribute(source: str, old: str, new: str) -> str:
    line = f'Attribute VB_Name = "{old}"'
    if not source.startswith(line):
        raise VbaFormatError(f"the source of {old} does not start with {line}")
    return f'Attribute VB_Name = "{new}"' + source[len(line) :]


def _check_names(final_names: list[str], edits: ProjectEdits) -> None:
    for name in final_names:
        if not _IDENTIFIER.match(name):
            raise VbaFormatError(f"{name!r} is not a VBA module name of at most 31 characters")
    upper = [n.upper() for n in final_names]
    if len(set(upper)) != len(upper):
        raise VbaFormatError(f"module names must differ in more than case: {final_names}")
    if edits.project_name is not None and not _IDENTIFIER.match(edits.project_name):
        raise VbaFormatError(f"{edits.project_name!r} is not a VBA project name")
    unknown = set(edits.sources) - set(final_names)
    if unknown:
        raise VbaFormatError(f"no module named {sorted(unknown)} to give a source")


# --- PROJECT and PROJECTwm --------------------------------------------------------------------

_MODULE_KEYS = ("Document", "Module", "Class", "BaseClass")


def _edit_project_text(text: str, edits: ProjectEdits, codepage: str) -> str:
    """The ``PROJECT`` text (§2.3.1) with modules renamed, module lines added before
    ``Name=``, and the project renamed. Lines are CRLF-terminated as the spec requires."""
    lines = text.split("\r\n")
    out: list[str] = []
    section = ""
    for line in lines:
        if line.startswith("["):
            section = line
        key, sep, value = line.partition("=")
        if not section and sep and key in _MODULE_KEYS:
            name, slash, rest = value.partition("/")
            line = f"{key}={edits.renamed_modules.get(name, name)}{slash}{rest}"
        elif not section and key == "Name" and sep:
            out.extend(f"Module={m.name}" for m in edits.added)
            if edits.project_name is not None:
                line = f'Name="{edits.project_name}"'
        elif section == "[Workspace]" and sep:
            line = f"{edits.renamed_modules.get(key, key)}={value}"
        out.append(line)
    if not any(line.startswith("Name=") for line in out):
        raise VbaFormatError("the PROJECT stream has no Name= line")
    return "\r\n".join(out)


def project_module_lines(project_text: str) -> list[str]:
    """Module names declared by the ``PROJECT`` text's module lines, in order."""
    names = []
    for line in project_text.split("\r\n"):
        if line.startswith("["):
            break
        key, sep, value = line.partition("=")
        if sep and key in _MODULE_KEYS:
            names.append(value.partition("/")[0])
    return names


def projectwm_names(data: bytes, codepage: str = "cp1252") -> list[str]:
    """Module names in a ``PROJECTwm`` stream (§2.3.3), checking that both spellings agree."""
    names, pos = [], 0
    while data[pos : pos + 2] != b"\0\0":
        end = data.index(b"\0", pos)
        name = data[pos:end].decode(codepage)
        pos = end + 1
        unicode_end = next(i for i in range(pos, len(data) - 1, 2) if data[i : i + 2] == b"\0\0")
        if data[pos:unicode_end].decode("utf-16-le") != name:
            raise VbaFormatError(f"PROJECTwm spells {name!r} two ways")
        pos = unicode_end + 2
        names.append(name)
        if pos >= len(data):
            raise VbaFormatError("PROJECTwm has no terminator")
    return names


def _projectwm(names: list[str], codepage: str) -> bytes:
    out = bytearray()
    for name in names:
        out += name.encode(codepage) + b"\0" + name.encode("utf-16-le") + b"\0\0"
    return bytes(out + b"\0\0")


# --- reading back -----------------------------------------------------------------------------


def describe_vba_project(vba_project_bin: bytes) -> VbaProjectDescription:
    """What the project declares in each of its lists, for checks that no reader performs."""
    streams = read_streams(vba_project_bin)
    records = dir_records(decompress(streams["VBA/dir"]))
    codepage = f"cp{_single(records, PROJECTCODEPAGE, 'PROJECTCODEPAGE')[0]}"
    _, modules, _ = _split_modules(records)
    described = []
    for module in modules:
        stream_name = _text(module, MODULESTREAMNAME, codepage)
        offset = _offset(module)
        raw = streams.get(f"VBA/{stream_name}")
        source = "" if raw is None else decompress(raw[offset:]).decode(codepage)
        described.append(
            ModuleRecord(
                name=_text(module, MODULENAME, codepage),
                stream_name=stream_name,
                offset=offset,
                procedural=any(r.record_id == MODULETYPE_PROCEDURAL for r in module),
                source=source,
            )
        )
    return VbaProjectDescription(
        project_name=next(r.payload for r in records if r.record_id == PROJECTNAME).decode(
            codepage
        ),
        declared_count=_single(records, PROJECTMODULES, "PROJECTMODULES")[0],
        modules=tuple(described),
        project_text=streams["PROJECT"].decode(codepage),
        projectwm=tuple(projectwm_names(streams["PROJECTwm"], codepage)),
        streams=tuple(streams),
        vba_project_stream=streams.get(VBA_PROJECT_STREAM, b""),
    )
