"""The add-in, built on Linux from the installed xlwings template, checked as a package and as
a VBA project: identity, ribbon, the HX_ functions inside it, and the structural rules of
MS-OVBA/MS-CFB that no reader checks for us (excel-integration.md R2.7)."""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import olefile
import pytest

import harvest_xl
from harvest_xl import udfs
from harvest_xl.excel.addin import (
    ADDIN_FILE_NAME,
    AddinTemplateError,
    addin_udf_source,
    addin_version,
    build_addin,
    check_addin,
    template_path,
)
from harvest_xl.excel.compound_file import write_compound_file
from harvest_xl.excel.udf_vba import UdfModule, generate_udf_module
from harvest_xl.excel.vba import VbaFormatError, decompress, read_streams, read_vba_modules
from harvest_xl.excel.vba_project import describe_vba_project, project_module_lines

from .udf_spec import SPECS

CONTRACT = [spec.name for spec in SPECS]
"""Every HX_ function of the public contract (tests/excel/udf_spec.py)."""

# Written out here, not imported, so a typo in the module cannot agree with itself.
NS_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
REL_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
REL_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CHANGED_PARTS = {
    "customUI/customUI.xml",
    "_rels/.rels",
    "xl/vbaProject.bin",
    "xl/workbook.xml",
    "docProps/core.xml",
}
GOLDEN = Path(__file__).parent / "golden" / "xlwings_udfs_harvest_xl.bas"
MODULES = [
    "ThisWorkbook", "Dictionary", "RibbonHarvestXL", "Sheet2", "xlwings", "xlwings_udfs",
    "HarvestXLHelp",
]
BUTTONS = [  # label, onAction, the Python entry point it runs (None: VBA only)
    ("Import", "RibbonHarvestXL.HxImport", "import_files"),
    ("Refresh", "RibbonHarvestXL.HxRefresh", "refresh"),
    ("Plan", "RibbonHarvestXL.HxPlan", "plan"),
    ("Form 8949", "RibbonHarvestXL.HxForm8949", "form8949"),
    ("Restart Python", "RibbonHarvestXL.HxRestartPython", None),
    ("About", "RibbonHarvestXL.HxAbout", None),
]

# The subset of the 2006/01 customUI schema this ribbon may use: element -> allowed attributes.
ALLOWED = {
    "customUI": {"onLoad", "loadImage"},
    "ribbon": {"startFromScratch"},
    "tabs": set(),
    "tab": {"id", "label", "insertAfterMso", "insertBeforeMso", "visible", "keytip"},
    "group": {"id", "label", "visible", "keytip"},
    "button": {
        "id", "label", "size", "onAction", "imageMso", "screentip", "supertip", "keytip",
        "enabled", "visible", "showLabel", "showImage",
    },
}


@pytest.fixture(scope="module")
def functions() -> UdfModule:
    """xlwings' generated module for harvest_xl.udfs (a child Python), for the quick builds."""
    return generate_udf_module()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The add-in as 'harvest-xl addin build' makes it (functions generated in the build)."""
    return build_addin(tmp_path_factory.mktemp("addin"))


@pytest.fixture(scope="module")
def template() -> zipfile.ZipFile:
    return zipfile.ZipFile(template_path())


def _ui(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as zf:
        return ET.fromstring(zf.read("customUI/customUI.xml"))


def _local(tag: str) -> str:
    return tag.split("}", 1)[1]


def _vba(path: Path | zipfile.ZipFile) -> bytes:
    if isinstance(path, zipfile.ZipFile):
        return path.read("xl/vbaProject.bin")
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/vbaProject.bin")


def _sources(path: Path | zipfile.ZipFile) -> dict[str, str]:
    return {m.name: m.source for m in read_vba_modules(_vba(path))}


def test_named_after_the_package(built: Path) -> None:
    """The add-in file is harvest_xl.xlam (the install and the ribbon look for that name)."""
    assert built.name == "harvest_xl.xlam"


def test_zip_opens_with_the_template_parts_in_order(built: Path, template) -> None:
    """Every entry reads back with a good CRC, and the entries are the template's, in order."""
    with zipfile.ZipFile(built) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == template.namelist()


# --- the ribbon -------------------------------------------------------------------------------


def test_customui_root_and_namespace(built: Path) -> None:
    """The ribbon part is a customUI element in the Office 2007 (2006/01) namespace."""
    assert _ui(built).tag == f"{{{NS_2006}}}customUI"


def test_customui_uses_only_schema_elements_and_attributes(built: Path) -> None:
    """Every element is in the customUI namespace and carries only attributes its schema allows."""
    for element in _ui(built).iter():
        assert element.tag.startswith(f"{{{NS_2006}}}"), element.tag
        name = _local(element.tag)
        assert name in ALLOWED, name
        assert set(element.attrib) <= ALLOWED[name], (name, element.attrib)


def test_harvest_tab_has_the_built_features_only(built: Path) -> None:
    """One Harvest tab with Import, Refresh, Plan, Form 8949, Restart Python and About, each
    large with a tip."""
    tabs = list(_ui(built).iter(f"{{{NS_2006}}}tab"))
    assert [t.get("label") for t in tabs] == ["Harvest"]
    buttons = list(tabs[0].iter(f"{{{NS_2006}}}button"))
    assert [(b.get("label"), b.get("onAction")) for b in buttons] == [b[:2] for b in BUTTONS]
    assert all(b.get("size") == "large" and b.get("supertip") for b in buttons)


def test_control_ids_are_unique_and_not_the_templates(built: Path) -> None:
    """Control ids are unique and differ from the template's, so two add-ins never clash."""
    ids = [e.get("id") for e in _ui(built).iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert not {"myaddinTab", "myGroup", "myButton"} & set(ids)


def test_every_callback_is_a_ribbon_sub_in_the_vba(built: Path) -> None:
    """Each onAction 'Module.Sub' is a Sub Sub(control As IRibbonControl) of that module."""
    modules = _sources(built)
    callbacks = {e.get("onAction") for e in _ui(built).iter() if e.get("onAction")}
    assert len(callbacks) == len(BUTTONS)
    for callback in callbacks:
        module, sub = callback.split(".")
        signature = re.compile(
            rf"^Sub {sub}\(control As IRibbonControl\)$", re.MULTILINE | re.IGNORECASE
        )
        assert signature.search(modules[module].replace("\r\n", "\n")), callback


def test_python_buttons_run_an_entry_point_of_harvest_xl(built: Path) -> None:
    """Import, Refresh, Plan and Form 8949 run RunHarvestXL with their entry point,
    RunHarvestXL runs 'import harvest_xl; harvest_xl.<entry>()', and each entry is a
    function of harvest_xl."""
    source = _sources(built)["RibbonHarvestXL"].replace("\r\n", "\n")
    assert 'RunPython "import harvest_xl; harvest_xl." & entryPoint & "()"' in source
    for _, action, entry in BUTTONS:
        if entry is None:
            continue
        sub = action.split(".")[1]
        body = source.split(f"Sub {sub}(control As IRibbonControl)\n", 1)[1].split("End Sub")[0]
        assert body.strip().startswith(f'RunHarvestXL "{entry}", "'), sub
        assert callable(getattr(harvest_xl, entry)), entry
    assert callable(harvest_xl.main) and callable(harvest_xl.about)


def test_restart_python_kills_and_restarts_the_udf_server(built: Path) -> None:
    """Restart Python calls KillPy and then XLPy.Exec "" on Windows, and says so in the
    status bar; on the Mac it explains there is nothing to restart."""
    source = _sources(built)["RibbonHarvestXL"].replace("\r\n", "\n")
    body = source.split("Sub HxRestartPython(control As IRibbonControl)\n", 1)[1].split(
        "End Sub"
    )[0]
    mac, windows = body.split("#Else\n")
    assert "MsgBox" in mac
    assert windows.index("KillPy") < windows.index('XLPy.Exec ""')
    assert "Python restarted" in windows and "could not start Python" in windows


def test_ribbon_vba_calls_only_public_procedures_of_the_xlwings_module(built: Path) -> None:
    """What the ribbon module calls from the custom add-in's xlwings module exists there as a
    public procedure or constant (an xlwings upgrade that drops one fails here)."""
    xlwings = _sources(built)["xlwings"].replace("\r\n", "\n")
    for name in ("RunPython", "KillPy", "XLPy", "GetConfig", "GetConfigFilePath", "FileExists"):
        assert re.search(
            rf"^(Public )?(Function|Sub) {name}\(", xlwings, re.MULTILINE
        ), name
    assert re.search(r"^Public Const XLWINGS_VERSION As String", xlwings, re.MULTILINE)


def test_ribbon_module_carries_this_version(built: Path) -> None:
    """The About box's version constant is this harvest-xl's version."""
    source = _sources(built)["RibbonHarvestXL"]
    assert f'Public Const HARVEST_XL_VERSION As String = "{harvest_xl.__version__}"' in source


def test_ribbon_relationship_type_matches_the_namespace(built: Path) -> None:
    """_rels/.rels declares the ribbon with the 2006 type that pairs with the 2006/01 namespace."""
    with zipfile.ZipFile(built) as zf:
        rels = ET.fromstring(zf.read("_rels/.rels"))
    ribbon = [r for r in rels.iter(PKG_RELS) if r.get("Type") in (REL_2006, REL_2007)]
    assert [(r.get("Type"), r.get("Target")) for r in ribbon] == [
        (REL_2006, "customUI/customUI.xml")
    ]


def test_only_the_ribbon_relationship_type_changed_in_rels(built: Path, template) -> None:
    """_rels/.rels differs from the template only in the one Type attribute."""
    with zipfile.ZipFile(built) as zf:
        ours = zf.read("_rels/.rels")
    assert ours == template.read("_rels/.rels").replace(REL_2007.encode(), REL_2006.encode())


def test_template_mismatch_is_what_the_build_fixes(template) -> None:
    """The shipped template pairs the 2006/01 namespace with the 2007 type (reference §8.3)."""
    assert NS_2006.encode() in template.read("customUI/customUI.xml")
    assert REL_2007.encode() in template.read("_rels/.rels")


def test_customui_part_has_a_content_type(built: Path) -> None:
    """The ribbon part gets its content type from the package's Default for .xml."""
    with zipfile.ZipFile(built) as zf:
        types = ET.fromstring(zf.read("[Content_Types].xml"))
    defaults = {
        d.get("Extension"): d.get("ContentType")
        for d in types
        if d.tag.endswith("Default")
    }
    assert defaults["xml"] == "application/xml"


# --- identity ---------------------------------------------------------------------------------


def test_title_and_author_are_harvest_xl(built: Path, template) -> None:
    """docProps/core.xml: title 'harvest-xl <version>' (what the Add-ins dialog lists),
    author harvest-xl; nothing of the template's author is left."""
    with zipfile.ZipFile(built) as zf:
        core = ET.fromstring(zf.read("docProps/core.xml"))
    dc = "{http://purl.org/dc/elements/1.1/}"
    cp = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    assert core.findtext(f"{dc}title") == f"harvest-xl {harvest_xl.__version__}"
    assert core.findtext(f"{dc}creator") == "harvest-xl"
    assert core.findtext(f"{cp}lastModifiedBy") == "harvest-xl"
    assert b"Felix" in template.read("docProps/core.xml")
    assert addin_version(built.read_bytes()) == harvest_xl.__version__


def test_config_sheet_is_renamed_and_stays_inactive(built: Path, template) -> None:
    """The template's inactive config sheet _myaddin.conf becomes _harvest_xl.conf (still
    inactive: an active sheet's empty values would override the user's config file); the
    workbook part changes in nothing else."""
    with zipfile.ZipFile(built) as zf:
        ours = zf.read("xl/workbook.xml")
    assert ours == template.read("xl/workbook.xml").replace(
        b'name="_myaddin.conf"', b'name="_harvest_xl.conf"'
    )


def test_vba_project_is_named_harvestxl(built: Path) -> None:
    """The VBA project (and so LibreOffice's Basic library) is HarvestXL, in dir and PROJECT."""
    project = describe_vba_project(_vba(built))
    assert project.project_name == "HarvestXL"
    assert 'Name="HarvestXL"' in project.project_text.split("\r\n")


def test_xlwings_module_changes_only_its_project_name(built: Path, template) -> None:
    """The xlwings module differs from the template's in the PROJECT_NAME line alone, which
    names the config sheet harvest_xl.conf and the user file .harvest_xl/harvest_xl.conf."""
    ours = _sources(built)["xlwings"]
    theirs = _sources(template)["xlwings"]
    old = 'Public Const PROJECT_NAME As String = "myaddin"'
    assert theirs.count(old) == 1
    assert ours == theirs.replace(old, 'Public Const PROJECT_NAME As String = "harvest_xl"')


def test_other_parts_byte_identical_to_the_template(built: Path, template) -> None:
    """Every part the build does not own is the template's, byte for byte."""
    with zipfile.ZipFile(built) as zf:
        for name in template.namelist():
            if name not in CHANGED_PARTS:
                assert zf.read(name) == template.read(name), name


# --- the functions inside the add-in ----------------------------------------------------------


def test_udf_module_is_xlwings_generated_text(built: Path) -> None:
    """The add-in's xlwings_udfs module is, byte for byte, the golden text xlwings generates
    for harvest_xl.udfs in an .xlam (CRLF line endings, as Excel stores modules)."""
    golden = GOLDEN.read_text(encoding="utf-8")
    assert addin_udf_source(built.read_bytes()) == golden.replace("\n", "\r\n")
    assert golden.count("\nFunction HX_") == len(CONTRACT)


def test_udf_module_text_is_ascii(built: Path) -> None:
    """The wrapper text is ASCII, so the project code page (1252) holds it unchanged."""
    assert addin_udf_source(built.read_bytes()).isascii()


def test_build_generates_the_functions_it_embeds(functions: UdfModule) -> None:
    """The build's generator (xlwings in a child Python) gives the golden text."""
    assert functions.text == GOLDEN.read_text(encoding="utf-8")
    assert len(functions.functions) == len(CONTRACT)


def _function_names() -> list[str]:
    return re.findall(r"^Function (HX_\w+)\(", GOLDEN.read_text(), re.MULTILINE)


def _vba_literal(text: str) -> str:
    return '"' + text[:255].replace('"', '""') + '"'


def test_help_module_registers_each_function_as_xlwings_import_would(built: Path) -> None:
    """HarvestXLHelp passes every HX_ function's docstring, argument docs (each cut to 255
    characters) and category to MacroOptions, the values xlwings' "Import Functions" passes;
    compiled only on Windows Excel 2010+ and never stopping Excel on an error."""
    source = _sources(built)["HarvestXLHelp"]
    lines = source.split("\r\n")
    assert "#If VBA7 And Not Mac Then" in lines and "    On Error Resume Next" in lines
    for name in _function_names():
        meta = getattr(udfs, name).__xlfunc__  # real metadata: tests/conftest.py
        describe = f'    Describe "{name}", {_vba_literal(meta["ret"]["doc"])}, "harvest-xl", '
        assert describe + "arguments" in lines, name
        start = lines.index(describe + "arguments")
        arguments = [a["doc"] for a in meta["args"] if not a["vba"]]
        redim = start - len(arguments) - 1
        assert lines[redim] == f"    ReDim arguments(0 To {len(arguments) - 1})", name
        for i, doc in enumerate(arguments):
            assert lines[redim + 1 + i] == f"    arguments({i}) = {_vba_literal(doc)}", name
    assert "Application.MacroOptions Macro:=macroName" in source
    assert "ArgumentDescriptions:=arguments" in source


def test_this_workbook_registers_the_help_when_the_addin_opens(built: Path, template) -> None:
    """ThisWorkbook keeps the template's attribute lines and adds a Workbook_Open that calls
    HarvestXLHelp.RegisterFunctionHelp."""
    ours = _sources(built)["ThisWorkbook"]
    theirs = _sources(template)["ThisWorkbook"]
    assert ours.startswith(theirs)
    assert ours[len(theirs) :] == (
        "Option Explicit\r\n\r\nPrivate Sub Workbook_Open()\r\n"
        "    HarvestXLHelp.RegisterFunctionHelp\r\nEnd Sub\r\n"
    )


# --- the VBA project's structure (no reader checks these) -------------------------------------


def test_every_module_list_agrees(built: Path) -> None:
    """dir's module count, its MODULE records, PROJECT's module lines and PROJECTwm name the
    same modules in the same order, and each has its stream."""
    project = describe_vba_project(_vba(built))
    names = [m.name for m in project.modules]
    assert names == MODULES
    assert project.declared_count == len(MODULES)
    assert project_module_lines(project.project_text) == MODULES
    assert list(project.projectwm) == MODULES
    streams = read_streams(_vba(built))
    assert all(f"VBA/{m.stream_name}" in streams for m in project.modules)


def test_new_and_rewritten_modules_are_source_only(built: Path) -> None:
    """Modules the build writes are procedural or document modules at offset 0 (no compiled
    cache); the untouched ones keep the template's offsets."""
    project = describe_vba_project(_vba(built))
    shape = {m.name: (m.offset, m.procedural) for m in project.modules}
    assert shape == {
        "ThisWorkbook": (0, False),
        "Dictionary": (18035, False),
        "RibbonHarvestXL": (0, True),
        "Sheet2": (805, False),
        "xlwings": (0, True),
        "xlwings_udfs": (0, True),
        "HarvestXLHelp": (0, True),
    }


def test_vba_project_stream_makes_excel_recompile(built: Path) -> None:
    """_VBA_PROJECT is the 7-byte form with version 0xFFFF and there are no __SRP_ caches."""
    streams = read_streams(_vba(built))
    assert len(streams["VBA/_VBA_PROJECT"]) == 7
    assert streams["VBA/_VBA_PROJECT"][:5] == bytes.fromhex("CC61FFFF00")
    assert not [p for p in streams if "__SRP_" in p]


def test_protection_lines_and_untouched_streams_are_the_templates(built: Path, template) -> None:
    """PROJECT's ID, CMG, DPB and GC are the template's (they belong together); the
    Dictionary and Sheet2 module streams are copied byte for byte."""
    ours, theirs = read_streams(_vba(built)), read_streams(_vba(template))

    def protection(text: bytes) -> list[bytes]:
        keys = (b"ID", b"CMG", b"DPB", b"GC")
        return [line for line in text.split(b"\r\n") if line.split(b"=")[0] in keys]

    assert protection(ours["PROJECT"]) == protection(theirs["PROJECT"])
    assert len(protection(ours["PROJECT"])) == 4
    for name in ("VBA/Dictionary", "VBA/Sheet2"):
        assert ours[name] == theirs[name], name


def _order(name: str) -> tuple[int, str]:
    return (len(name), name.upper())  # MS-CFB §2.6.4, written out independently


def test_sibling_trees_are_in_cfb_order(built: Path) -> None:
    """In vbaProject.bin each storage's children form a search tree in MS-CFB order (length,
    then upper-cased name): an in-order walk is sorted and holds every child."""
    ole = olefile.OleFileIO(io.BytesIO(_vba(built)))
    entries = {i: e for i, e in enumerate(ole.direntries) if e is not None}

    def walk(sid: int) -> list[str]:
        if sid == olefile.NOSTREAM:
            return []
        e = entries[sid]
        return walk(e.sid_left) + [e.name] + walk(e.sid_right)

    storages = [e for e in entries.values() if e.entry_type in (olefile.STGTY_ROOT,
                                                                olefile.STGTY_STORAGE)]
    assert {e.name for e in storages} == {"Root Entry", "VBA"}
    for storage in storages:
        names = walk(storage.sid_child)
        assert names == sorted(names, key=_order)
        assert sorted(names) == sorted(k.name for k in storage.kids)


# --- checks and failures ----------------------------------------------------------------------


def test_build_is_deterministic(tmp_path: Path, built: Path, functions: UdfModule) -> None:
    """Two builds give the same bytes, with the template's time stamps, not the clock's."""
    again = build_addin(tmp_path / ADDIN_FILE_NAME, functions=functions)
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(
        built.read_bytes()
    ).digest()
    with zipfile.ZipFile(again) as ours, zipfile.ZipFile(template_path()) as theirs:
        assert [i.date_time for i in ours.infolist()] == [i.date_time for i in theirs.infolist()]


def test_check_passes_on_the_build_and_flags_the_template(built: Path) -> None:
    """check_addin accepts the build and reports what the template lacks: the paired
    relationship type, our project name, the functions, our PROJECT_NAME."""
    assert check_addin(built.read_bytes()) == []
    problems = check_addin(template_path().read_bytes())
    assert any("does not match namespace" in p for p in problems)
    assert "the VBA project is 'MyAddin', not HarvestXL" in problems
    assert "no procedural xlwings_udfs module stored at offset 0" in problems
    assert "the xlwings module's PROJECT_NAME is not 'harvest_xl'" in problems


def _with_part(source: Path, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, data if info.filename == name else zin.read(info.filename))
    return out.getvalue()


def test_check_flags_a_callback_missing_from_the_vba(built: Path) -> None:
    """A button calling a Sub the VBA does not have is reported by name."""
    with zipfile.ZipFile(built) as zf:
        ui = zf.read("customUI/customUI.xml").replace(b"HxAbout", b"HxNotBuilt")
    problems = check_addin(_with_part(built, "customUI/customUI.xml", ui))
    assert problems == [
        "callback RibbonHarvestXL.HxNotBuilt is not a ribbon Sub in the VBA project"
    ]


def test_check_flags_module_lists_out_of_step(built: Path) -> None:
    """A PROJECT stream missing a module line (which LibreOffice would not notice) and a
    missing module stream are reported."""
    streams = read_streams(_vba(built))
    streams["PROJECT"] = streams["PROJECT"].replace(b"Module=xlwings_udfs\r\n", b"")
    del streams["VBA/HarvestXLHelp"]
    problems = check_addin(
        _with_part(built, "xl/vbaProject.bin", write_compound_file(streams))
    )
    assert "PROJECT's module lines differ from the dir stream's modules" in problems
    assert any("HarvestXLHelp" in p for p in problems)


def test_check_flags_malformed_xml_and_non_zip(built: Path) -> None:
    """Broken ribbon XML and a file that is not a zip are reported, not raised."""
    assert check_addin(b"not a zip")[0].startswith("not a zip package")
    bad = _with_part(built, "customUI/customUI.xml", b"<customUI")
    assert check_addin(bad)[0].startswith("unreadable part")


def test_build_refuses_another_file_name(tmp_path: Path, functions: UdfModule) -> None:
    """Only harvest_xl.xlam is accepted as the file name."""
    with pytest.raises(ValueError, match="harvest_xl.xlam"):
        build_addin(tmp_path / "harvest-xl.xlam", functions=functions)


def test_build_into_a_new_directory(tmp_path: Path, functions: UdfModule) -> None:
    """A path without a suffix is a directory; the add-in is created inside it."""
    out = build_addin(tmp_path / "new" / "dir", functions=functions)
    assert out == tmp_path / "new" / "dir" / ADDIN_FILE_NAME


def _template_with(tmp_path: Path, name: str, data: bytes | None) -> Path:
    source = tmp_path / "t.xlam"
    with zipfile.ZipFile(template_path()) as zin, zipfile.ZipFile(source, "w") as zout:
        for info in zin.infolist():
            if info.filename != name:
                zout.writestr(info, zin.read(info.filename))
            elif data is not None:
                zout.writestr(info, data)
    return source


def test_build_reports_a_template_without_ribbon(tmp_path: Path, functions: UdfModule) -> None:
    """A template lacking the customUI part (a changed xlwings) stops the build with a reason."""
    source = _template_with(tmp_path, "customUI/customUI.xml", None)
    with pytest.raises(AddinTemplateError, match="customUI"):
        build_addin(tmp_path / "out", template=source, functions=functions)


def test_build_refuses_a_template_with_a_compiled_cache(
    tmp_path: Path, functions: UdfModule
) -> None:
    """A future template saved by Excel (a _VBA_PROJECT with a real version and p-code) is
    refused: its caches could make Excel drop a changed module."""
    streams = read_streams(_vba(zipfile.ZipFile(template_path())))
    streams["VBA/_VBA_PROJECT"] = bytes.fromhex("CC61B2000003") + b"p-code"
    source = _template_with(tmp_path, "xl/vbaProject.bin", write_compound_file(streams))
    with pytest.raises(AddinTemplateError, match="compiled cache"):
        build_addin(tmp_path / "out", template=source, functions=functions)


def test_build_refuses_a_template_whose_project_name_line_moved(
    tmp_path: Path, functions: UdfModule
) -> None:
    """If xlwings renames its PROJECT_NAME constant, the build stops instead of shipping an
    add-in that reads another add-in's config."""
    streams = read_streams(_vba(zipfile.ZipFile(template_path())))
    source = decompress(streams["VBA/xlwings"]).replace(b"PROJECT_NAME As", b"PROJ_NAME As")
    from harvest_xl.excel.vba import compress

    streams["VBA/xlwings"] = compress(source)
    template = _template_with(tmp_path, "xl/vbaProject.bin", write_compound_file(streams))
    with pytest.raises(AddinTemplateError, match="PROJECT_NAME"):
        build_addin(tmp_path / "out", template=template, functions=functions)


# --- the VBA reader, against independent oracles ------------------------------------------


def test_decompress_ms_ovba_examples() -> None:
    """MS-OVBA §3.2.1 and §3.2.2 example containers decompress to the published text."""
    no_compression = bytes.fromhex(
        "0119B000616263646566676800696A6B6C6D6E6F7000717273747576 2E".replace(" ", "")
    )
    assert decompress(no_compression) == b"abcdefghijklmnopqrstuv."
    normal = bytes.fromhex(
        "012FB00023616161626364658266007061676869 6A01380861 6B6C00306D6E6F7006710270"
        "041072737475761077 78797A003C".replace(" ", "")
    )
    assert decompress(normal) == b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"


def test_decompress_hand_made_copy_token() -> None:
    """'abc' then a copy token (offset 3, length 6), encoded by hand, gives 'abcabcabc'."""
    # flags 0x08: tokens 0-2 literal, token 3 a copy; at 3 decompressed bytes the token has
    # 4 offset bits and 12 length bits: ((3 - 1) << 12) | (6 - 3) = 0x2003.
    assert decompress(bytes.fromhex("0105B0086162630320")) == b"abcabcabc"


def test_decompress_raw_chunk() -> None:
    """A chunk flagged as not compressed carries 4096 literal bytes."""
    data = bytes(range(256)) * 16
    # header: flag bit 15 clear (raw), signature 0b011 in bits 12-14, size 4096 + 2 - 3 = 0xFFF
    assert decompress(b"\x01" + (0x3FFF).to_bytes(2, "little") + data) == data


def test_decompress_rejects_a_bad_signature() -> None:
    """A container not starting with 0x01 is refused."""
    with pytest.raises(VbaFormatError):
        decompress(b"\x00\x05\xb0")


def _lines(text: str) -> list[str]:
    return [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def test_vba_reader_matches_the_shipped_bas_sources() -> None:
    """The modules read from the .xlam equal the .bas/.cls files xlwings ships as text."""
    root = template_path().parent
    with zipfile.ZipFile(template_path()) as zf:
        custom = {m.name: m.source for m in read_vba_modules(zf.read("xl/vbaProject.bin"))}
    assert _lines(custom["xlwings"]) == _lines(
        (root / "xlwings_custom_addin.bas").read_text(encoding="cp1252")
    )
    with zipfile.ZipFile(root / "addin" / "xlwings.xlam") as zf:
        main = {m.name: m.source for m in read_vba_modules(zf.read("xl/vbaProject.bin"))}
    # Main.bas ships with a "dev" DLL name, so it is not compared; WebHelpers spans 29 chunks.
    for name in ("RibbonXlwings", "WebHelpers"):
        shipped = (root / "addin" / f"{name}.bas").read_text(encoding="cp1252")
        assert _lines(main[name]) == _lines(shipped), name


def test_vba_reader_lists_the_template_modules() -> None:
    """The ribbon template's VBA project has the modules observed in xlwings 0.37.8."""
    with zipfile.ZipFile(template_path()) as zf:
        names = [m.name for m in read_vba_modules(zf.read("xl/vbaProject.bin"))]
    assert sorted(names) == ["Dictionary", "RibbonMyAddin", "Sheet2", "ThisWorkbook", "xlwings"]


def test_vba_reader_rejects_non_ole_bytes() -> None:
    """Bytes that are not a compound file are refused with a clear error."""
    with pytest.raises(VbaFormatError, match="compound file"):
        read_vba_modules(b"PK\x03\x04 not ole")




def test_help_module_escapes_quotes_and_handles_every_shape() -> None:
    """Quotes in help are doubled for VBA; a numeric category stays a number; a function
    without arguments is described without ArgumentDescriptions."""
    from harvest_xl.excel.udf_vba import FunctionHelp, function_help_module

    text = function_help_module(
        [FunctionHelp("HX_A", 'say "hi"', "harvest-xl", ()), FunctionHelp("HX_B", "b", 5, ("x",))]
    )
    lines = text.split("\r\n")
    assert '    Describe "HX_A", "say ""hi""", "harvest-xl"' in lines
    assert lines[lines.index('    Describe "HX_B", "b", 5, arguments') - 2 :][:2] == [
        "    ReDim arguments(0 To 0)",
        '    arguments(0) = "x"',
    ]
    assert text.startswith('Attribute VB_Name = "HarvestXLHelp"\r\n')
