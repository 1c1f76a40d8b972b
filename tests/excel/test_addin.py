"""The ribbon add-in, built on Linux from the installed xlwings template, checked as a package."""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from harvest_xl.excel import addin as addin_module
from harvest_xl.excel.addin import (
    ADDIN_FILE_NAME,
    AddinTemplateError,
    InstallError,
    build_addin,
    check_addin,
    execute_plan,
    plan_install,
    template_path,
)
from harvest_xl.excel.vba import VbaFormatError, decompress, read_vba_modules

# Written out here, not imported, so a typo in the module cannot agree with itself.
NS_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
REL_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
REL_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CHANGED_PARTS = {"customUI/customUI.xml", "_rels/.rels"}

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
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin"))


@pytest.fixture(scope="module")
def template() -> zipfile.ZipFile:
    return zipfile.ZipFile(template_path())


def _ui(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as zf:
        return ET.fromstring(zf.read("customUI/customUI.xml"))


def _local(tag: str) -> str:
    return tag.split("}", 1)[1]


def test_named_after_the_package(built: Path) -> None:
    """The ribbon runs 'import <file stem>', so the file must be harvest_xl.xlam."""
    assert built.name == "harvest_xl.xlam"


def test_zip_opens_with_the_template_parts_in_order(built: Path, template) -> None:
    """Every entry reads back with a good CRC, and the entries are the template's, in order."""
    with zipfile.ZipFile(built) as zf:
        assert zf.testzip() is None
        assert zf.namelist() == template.namelist()


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


def test_harvest_tab_with_a_large_refresh_button(built: Path) -> None:
    """One tab labelled Harvest holding one large Refresh button that calls RunMain."""
    ui = _ui(built)
    tabs = list(ui.iter(f"{{{NS_2006}}}tab"))
    assert [t.get("label") for t in tabs] == ["Harvest"]
    buttons = list(tabs[0].iter(f"{{{NS_2006}}}button"))
    assert [(b.get("label"), b.get("size"), b.get("onAction")) for b in buttons] == [
        ("Refresh", "large", "RibbonMyAddin.RunMain")
    ]


def test_control_ids_are_unique_and_not_the_templates(built: Path) -> None:
    """Control ids are unique and differ from the template's, so two add-ins never clash."""
    ids = [e.get("id") for e in _ui(built).iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert not {"myaddinTab", "myGroup", "myButton"} & set(ids)


def test_ribbon_relationship_type_matches_the_namespace(built: Path) -> None:
    """_rels/.rels declares the ribbon with the 2006 type that pairs with the 2006/01 namespace."""
    with zipfile.ZipFile(built) as zf:
        rels = ET.fromstring(zf.read("_rels/.rels"))
    ribbon = [r for r in rels.iter(PKG_RELS) if r.get("Type") in (REL_2006, REL_2007)]
    assert [(r.get("Type"), r.get("Target")) for r in ribbon] == [
        (REL_2006, "customUI/customUI.xml")
    ]


def test_other_relationships_unchanged(built: Path, template) -> None:
    """Apart from the ribbon's type, the package relationships are the template's."""
    def rows(data: bytes) -> set[tuple[str | None, ...]]:
        return {
            (r.get("Id"), r.get("Type"), r.get("Target"))
            for r in ET.fromstring(data).iter(PKG_RELS)
        }

    with zipfile.ZipFile(built) as zf:
        ours = rows(zf.read("_rels/.rels"))
    theirs = rows(template.read("_rels/.rels"))
    assert ours - theirs == {("rId4", REL_2006, "customUI/customUI.xml")}
    assert theirs - ours == {("rId4", REL_2007, "customUI/customUI.xml")}


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


def test_every_callback_is_a_ribbon_sub_in_the_vba(built: Path) -> None:
    """Each onAction 'Module.Sub' exists in that VBA module as Sub Sub(x As IRibbonControl)."""
    with zipfile.ZipFile(built) as zf:
        modules = {m.name: m.source for m in read_vba_modules(zf.read("xl/vbaProject.bin"))}
    callbacks = {e.get("onAction") for e in _ui(built).iter() if e.get("onAction")}
    assert callbacks
    for callback in callbacks:
        module, sub = callback.split(".")
        signature = re.compile(
            rf"^Sub {sub}\(control As IRibbonControl\)$", re.MULTILINE | re.IGNORECASE
        )
        assert signature.search(modules[module].replace("\r\n", "\n")), callback


def test_refresh_callback_runs_main_of_the_module_named_like_the_file(built: Path) -> None:
    """RunMain builds 'import <stem>;<stem>.main()' from the add-in's own file name."""
    with zipfile.ZipFile(built) as zf:
        modules = {m.name: m.source for m in read_vba_modules(zf.read("xl/vbaProject.bin"))}
    source = modules["RibbonMyAddin"]
    assert "ThisWorkbook.Name" in source
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in source


def test_other_parts_byte_identical_to_the_template(built: Path, template) -> None:
    """Every part except the ribbon and the root relationships is the template's, byte for byte."""
    with zipfile.ZipFile(built) as zf:
        for name in template.namelist():
            if name not in CHANGED_PARTS:
                assert zf.read(name) == template.read(name), name


def test_only_the_ribbon_relationship_type_changed_in_rels(built: Path, template) -> None:
    """_rels/.rels differs from the template only in the one Type attribute."""
    with zipfile.ZipFile(built) as zf:
        ours = zf.read("_rels/.rels")
    assert ours == template.read("_rels/.rels").replace(REL_2007.encode(), REL_2006.encode())


def test_build_is_deterministic(tmp_path: Path, built: Path) -> None:
    """Two builds give the same bytes, with the template's time stamps, not the clock's."""
    again = build_addin(tmp_path / ADDIN_FILE_NAME)
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(
        built.read_bytes()
    ).digest()
    with zipfile.ZipFile(again) as ours, zipfile.ZipFile(template_path()) as theirs:
        assert [i.date_time for i in ours.infolist()] == [i.date_time for i in theirs.infolist()]


def test_check_passes_on_the_build_and_flags_the_template(built: Path) -> None:
    """check_addin accepts the build and reports the template's namespace/type mismatch."""
    assert check_addin(built.read_bytes()) == []
    problems = check_addin(template_path().read_bytes())
    assert len(problems) == 1 and "does not match namespace" in problems[0]


def _with_part(source: Path, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, data if info.filename == name else zin.read(info.filename))
    return out.getvalue()


def test_check_flags_a_callback_missing_from_the_vba(built: Path) -> None:
    """A button calling a Sub the VBA does not have is reported by name."""
    with zipfile.ZipFile(built) as zf:
        ui = zf.read("customUI/customUI.xml").replace(b"RunMain", b"ImportFunctions")
    problems = check_addin(_with_part(built, "customUI/customUI.xml", ui))
    assert problems == [
        "callback RibbonMyAddin.ImportFunctions is not a ribbon Sub in the VBA project"
    ]


def test_check_flags_malformed_xml_and_non_zip(built: Path) -> None:
    """Broken ribbon XML and a file that is not a zip are reported, not raised."""
    assert check_addin(b"not a zip")[0].startswith("not a zip package")
    bad = _with_part(built, "customUI/customUI.xml", b"<customUI")
    assert check_addin(bad)[0].startswith("unreadable part")


def test_build_refuses_another_file_name(tmp_path: Path) -> None:
    """harvest-xl.xlam could not be imported as a module, so the build refuses it."""
    with pytest.raises(ValueError, match="harvest_xl.xlam"):
        build_addin(tmp_path / "harvest-xl.xlam")


def test_build_into_a_new_directory(tmp_path: Path) -> None:
    """A path without a suffix is a directory; the add-in is created inside it."""
    assert build_addin(tmp_path / "new" / "dir") == tmp_path / "new" / "dir" / ADDIN_FILE_NAME


def test_build_reports_a_template_without_ribbon(tmp_path: Path) -> None:
    """A template lacking the customUI part (a changed xlwings) stops the build with a reason."""
    source = tmp_path / "t.xlam"
    with zipfile.ZipFile(template_path()) as zin, zipfile.ZipFile(source, "w") as zout:
        for info in zin.infolist():
            if info.filename != "customUI/customUI.xml":
                zout.writestr(info, zin.read(info.filename))
    with pytest.raises(AddinTemplateError, match="customUI"):
        build_addin(tmp_path / "out", template=source)


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


# --- install -------------------------------------------------------------------------------

XLW = Path("/fake/site-packages/xlwings")


def _plan(platform: str, env: dict[str, str] | None = None, home: Path = Path("/home/u")):
    return plan_install(
        platform=platform,
        env=env or {},
        home=home,
        python="/opt/py/bin/python",
        xlwings_dir=XLW,
        xlwings_version="0.37.8",
    )


def test_windows_plan_uses_xlstart_and_the_addin_config_file() -> None:
    """Windows: %APPDATA%/Microsoft/Excel/XLSTART and %USERPROFILE%/.myaddin/myaddin.conf."""
    plan = _plan("win32", {"APPDATA": "/u/AppData/Roaming", "USERPROFILE": "/u"})
    assert plan.addin_dir == Path("/u/AppData/Roaming/Microsoft/Excel/XLSTART")
    assert plan.config == (
        Path("/u/.myaddin/myaddin.conf"),
        '"INTERPRETER_WIN","/opt/py/bin/python"\n',
    )
    assert plan.copies == ()
    assert any("Trust access to the VBA project object model" in n for n in plan.notes)


def test_windows_plan_without_appdata_installs_nothing() -> None:
    """Without APPDATA there is no XLSTART to find: nothing is installed, and the note says why."""
    plan = _plan("win32", {"USERPROFILE": "/u"})
    assert plan.addin_dir is None and plan.config is None
    assert "APPDATA" in plan.notes[0]


def test_macos_plan_uses_the_sandboxed_startup_folder_and_applescript() -> None:
    """macOS: Excel's Group Containers start-up folder, the container config, the AppleScript."""
    plan = _plan("darwin", home=Path("/Users/u"))
    assert plan.addin_dir == Path(
        "/Users/u/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel"
    )
    assert plan.config == (
        Path("/Users/u/Library/Containers/com.microsoft.Excel/Data/myaddin.conf"),
        '"INTERPRETER_MAC","/opt/py/bin/python"\n',
    )
    assert plan.copies == (
        (
            XLW / "xlwings-0.37.8.applescript",
            Path("/Users/u/Library/Application Scripts/com.microsoft.Excel")
            / "xlwings-0.37.8.applescript",
        ),
    )
    assert any("no Python worksheet functions" in n for n in plan.notes)


@pytest.mark.parametrize("platform", ["linux", "freebsd13", "cygwin"])
def test_plan_without_excel_installs_nothing(platform: str) -> None:
    """Where Excel does not run, the plan has no target and says so."""
    plan = _plan(platform)
    assert plan.addin_dir is None and plan.config is None and plan.copies == ()
    assert "Excel does not run on this platform" in plan.notes[0]


def test_install_on_windows_builds_into_xlstart_and_writes_config(tmp_path: Path) -> None:
    """Installing with a fake Windows profile creates the add-in and the config, and says so."""
    env = {"APPDATA": str(tmp_path / "Roaming"), "USERPROFILE": str(tmp_path / "u")}
    report = addin_module.install_addin(platform="win32", env=env, python="C:/py/python.exe")
    target = tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / ADDIN_FILE_NAME
    assert check_addin(target.read_bytes()) == []
    config = tmp_path / "u" / ".myaddin" / "myaddin.conf"
    assert config.read_text() == '"INTERPRETER_WIN","C:/py/python.exe"\n'
    assert report[0] == f"Built the add-in into Excel's start-up folder: {target}"
    assert report[1] == f"Wrote {config}: Refresh runs C:/py/python.exe"


def test_install_keeps_an_existing_config(tmp_path: Path) -> None:
    """A config the user already has is left alone, and the report says it was kept."""
    config = tmp_path / "u" / ".myaddin" / "myaddin.conf"
    config.parent.mkdir(parents=True)
    config.write_text('"INTERPRETER_WIN","D:/mine/python.exe"\n')
    env = {"APPDATA": str(tmp_path / "Roaming"), "USERPROFILE": str(tmp_path / "u")}
    report = addin_module.install_addin(platform="win32", env=env)
    assert config.read_text() == '"INTERPRETER_WIN","D:/mine/python.exe"\n'
    assert f"Kept the existing add-in settings in {config}" in report


def test_install_copies_a_given_addin(tmp_path: Path, built: Path) -> None:
    """An add-in path given to install is copied, not rebuilt."""
    env = {"APPDATA": str(tmp_path / "R"), "USERPROFILE": str(tmp_path / "u")}
    report = addin_module.install_addin(built, platform="win32", env=env)
    target = tmp_path / "R" / "Microsoft" / "Excel" / "XLSTART" / ADDIN_FILE_NAME
    assert target.read_bytes() == built.read_bytes()
    assert report[0] == f"Copied {built} to {target}"


def test_install_on_macos_copies_the_applescript(tmp_path: Path) -> None:
    """macOS install puts the add-in, the config and xlwings' AppleScript in their folders."""
    report = addin_module.install_addin(platform="darwin", home=tmp_path, python="/py")
    startup = tmp_path / "Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel"
    assert (startup / ADDIN_FILE_NAME).is_file()
    script = f"xlwings-{version('xlwings')}.applescript"
    copied = tmp_path / "Library/Application Scripts/com.microsoft.Excel" / script
    assert copied.read_bytes() == (template_path().parent / script).read_bytes()
    assert any(line.startswith(f"Copied {script}") for line in report)


def test_install_on_linux_builds_locally_and_says_excel_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Linux install builds ./harvest_xl.xlam, installs nothing, and says where the file is."""
    monkeypatch.chdir(tmp_path)
    report = addin_module.install_addin(platform="linux", home=tmp_path / "home")
    assert report[0] == f"Add-in built: {tmp_path / ADDIN_FILE_NAME}"
    assert "Excel does not run on this platform" in report[1]
    assert not (tmp_path / "home").exists()


def test_install_reports_a_missing_addin_file(tmp_path: Path) -> None:
    """A wrong --addin path is refused with one line telling how to build it."""
    plan = _plan("win32", {"APPDATA": str(tmp_path), "USERPROFILE": str(tmp_path)})
    with pytest.raises(InstallError) as raised:
        execute_plan(plan, tmp_path / "nope.xlam")
    assert str(raised.value) == (
        f"No add-in at {tmp_path / 'nope.xlam'}: build it first with 'harvest-xl addin build'."
    )


def test_install_reports_excel_holding_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If Excel locks the add-in (PermissionError), the report says to quit Excel and retry."""
    def locked(_target: object) -> Path:
        raise PermissionError(13, "in use")

    monkeypatch.setattr(addin_module, "build_addin", locked)
    plan = _plan("win32", {"APPDATA": str(tmp_path), "USERPROFILE": str(tmp_path)})
    with pytest.raises(InstallError, match="quit Excel"):
        execute_plan(plan, None)
    assert not (tmp_path / ".myaddin").exists()
