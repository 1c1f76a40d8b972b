"""Build and install ``harvest_xl.xlam``: the add-in with the *Harvest* tab and the HX_
worksheet functions inside it.

The add-in is built on the user's machine from the ribbon template that ships inside the
installed xlwings package (``xlwings/quickstart_addin_ribbon.xlam``, BSD-3). Nothing from that
template is stored in this repository. The build (excel-integration.md §8, R2.4, R2.11):

* **VBA project** (:mod:`harvest_xl.excel.vba_project`, recompile-from-source form): renamed
  ``HarvestXL``; the xlwings module's ``PROJECT_NAME`` becomes ``harvest_xl`` (config sheet
  ``harvest_xl.conf``, user file ``%USERPROFILE%\\.harvest_xl\\harvest_xl.conf`` or
  ``harvest_xl.conf`` in the Mac sandbox); the template's ``RibbonMyAddin`` becomes
  ``RibbonHarvestXL`` with our callbacks (:mod:`harvest_xl.excel.ribbon_ui`); new modules
  ``xlwings_udfs`` (exactly what xlwings generates for ``harvest_xl.udfs``) and
  ``HarvestXLHelp`` (the functions' help, registered by ``ThisWorkbook``'s ``Workbook_Open``;
  :mod:`harvest_xl.excel.udf_vba`). With the add-in loaded, ``=HX_TAX(…)`` works in any
  workbook, ``.xlsx`` included, with no Trust Center change.
* **Ribbon**: ``customUI/customUI.xml`` from the button table; in ``_rels/.rels`` the ribbon
  relationship gets the type paired with its 2006/01 namespace (the template pairs it with the
  2007 type; MS-OI29500 §3.4.1.3).
* **Identity**: ``docProps/core.xml`` titles the add-in "harvest-xl <version>" (what Excel's
  Add-ins dialog lists) with harvest-xl as author; the template's inactive config sheet
  ``_myaddin.conf`` is renamed ``_harvest_xl.conf`` and stays inactive, so the user's config
  file decides (an active sheet would override it with the template's empty values).
* every other part is copied byte for byte.

The file must be named ``harvest_xl.xlam``: Refresh and About find the loaded add-in by that
name. :func:`check_addin` re-reads the built file and lists structural problems.
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from harvest_xl.excel.ribbon_ui import (
    CUSTOMUI_NAMESPACE_2006,
    RIBBON_MODULE,
    ribbon_module_source,
    ribbon_xml,
)
from harvest_xl.excel.udf_vba import (
    FUNCTION_HELP_MODULE,
    REGISTER_HELP_SUB,
    UDF_VBA_MODULE,
    UdfModule,
    UdfModuleError,
    function_help_module,
    generate_udf_module,
)
from harvest_xl.excel.vba import (
    VbaFormatError,
    VbaModule,
    read_streams,
    read_vba_modules,
    ribbon_callbacks,
)
from harvest_xl.excel.vba_project import (
    RECOMPILE_FROM_SOURCE,
    NewModule,
    ProjectEdits,
    VbaProjectDescription,
    describe_vba_project,
    edit_vba_project,
    project_module_lines,
)

__all__ = [
    "ADDIN_FILE_NAME",
    "CONFIG_PROJECT_NAME",
    "CUSTOMUI_NAMESPACE_2006",
    "CUSTOMUI_NAMESPACE_2009",
    "RIBBON_RELATIONSHIP_2006",
    "RIBBON_RELATIONSHIP_2007",
    "VBA_PROJECT_NAME",
    "AddinTemplateError",
    "InstallError",
    "InstallPlan",
    "InstallReport",
    "InterpreterCheck",
    "addin_title",
    "addin_udf_source",
    "build_addin",
    "check_addin",
    "check_interpreter",
    "install_addin",
    "plan_install",
    "ribbon_xml",
    "template_path",
]

ADDIN_FILE_NAME = "harvest_xl.xlam"
"""The add-in's file name: Refresh and About find the loaded add-in by it (through COM)."""
VBA_PROJECT_NAME = "HarvestXL"
CONFIG_PROJECT_NAME = "harvest_xl"
"""The xlwings module's ``PROJECT_NAME``: it names the config sheet and the config files."""

TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
TEMPLATE_RIBBON_MODULE = "RibbonMyAddin"
TEMPLATE_CONFIG_SHEET = "_myaddin.conf"
CONFIG_SHEET = f"_{CONFIG_PROJECT_NAME}.conf"
PROJECT_NAME_LINE = 'Public Const PROJECT_NAME As String = "{}"'
TEMPLATE_PROJECT_NAME = "myaddin"
XLWINGS_MODULE = "xlwings"
THIS_WORKBOOK = "ThisWorkbook"

CUSTOMUI_PART = "customUI/customUI.xml"
ROOT_RELS_PART = "_rels/.rels"
VBA_PART = "xl/vbaProject.bin"
WORKBOOK_PART = "xl/workbook.xml"
CORE_PART = "docProps/core.xml"

CUSTOMUI_NAMESPACE_2009 = "http://schemas.microsoft.com/office/2009/07/customui"
RIBBON_RELATIONSHIP_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
RIBBON_RELATIONSHIP_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RELATIONSHIP_FOR_NAMESPACE = {
    CUSTOMUI_NAMESPACE_2006: RIBBON_RELATIONSHIP_2006,
    CUSTOMUI_NAMESPACE_2009: RIBBON_RELATIONSHIP_2007,
}
_PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


class AddinTemplateError(RuntimeError):
    """The installed xlwings template is missing or not shaped as this build expects."""


class InstallError(RuntimeError):
    """The add-in could not be installed; the message says what to do."""


def template_path() -> Path:
    """The ribbon template inside the installed xlwings package (found without importing it)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise AddinTemplateError("xlwings is not installed: pip install 'xlwings==0.37.8'")
    path = Path(spec.origin).parent / TEMPLATE_NAME
    if not path.is_file():
        raise AddinTemplateError(f"the installed xlwings has no ribbon template at {path}")
    return path


def harvest_xl_version() -> str:
    """This harvest-xl's version: the add-in is built for it and checks Pythons against it."""
    from harvest_xl import __version__

    return __version__


def addin_title(version: str) -> str:
    """What Excel's Add-ins dialog lists: ``harvest-xl <version>``."""
    return f"harvest-xl {version}"


_RELATIONSHIP_ELEMENT = re.compile(rb"<Relationship\b[^>]*>")
_TYPE_ATTRIBUTE = re.compile(rb'\bType="[^"]*"')


def _retype_ribbon_relationship(rels: bytes, part: str, new_type: str) -> bytes:
    """The package relationships with the ribbon relationship's ``Type`` set to ``new_type``.

    A textual edit of the one attribute, so the rest of the part stays byte for byte.
    """
    target = f'Target="{part}"'.encode()
    matches = [m for m in _RELATIONSHIP_ELEMENT.finditer(rels) if target in m.group(0)]
    if len(matches) != 1:
        raise AddinTemplateError(
            f"expected one relationship to {part} in {ROOT_RELS_PART}, found {len(matches)}"
        )
    element = matches[0]
    retyped = _TYPE_ATTRIBUTE.sub(f'Type="{new_type}"'.encode(), element.group(0), count=1)
    return rels[: element.start()] + retyped + rels[element.end() :]


def _replace_once(data: bytes, old: bytes, new: bytes, where: str) -> bytes:
    if data.count(old) != 1:
        raise AddinTemplateError(f"expected {old.decode()!r} once in {where}")
    return data.replace(old, new)


def core_properties(version: str, xlwings_version: str) -> bytes:
    """``docProps/core.xml``: title ``harvest-xl <version>``, harvest-xl as author, and a
    description naming the xlwings template it was built from (no dates: the build is
    deterministic)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{escape(addin_title(version))}</dc:title>"
        "<dc:subject>Tax-loss harvesting, wash sales and early-withdrawal costs</dc:subject>"
        "<dc:creator>harvest-xl</dc:creator>"
        "<dc:description>HX_ worksheet functions and the Harvest tab. Built by 'harvest-xl addin"
        f" build' from the ribbon add-in template of xlwings {escape(xlwings_version)}"
        " (BSD 3-clause; its notice is in the VBA module xlwings).</dc:description>"
        "<cp:lastModifiedBy>harvest-xl</cp:lastModifiedBy>"
        "</cp:coreProperties>"
    ).encode()


def this_workbook_source(template_source: str) -> str:
    """``ThisWorkbook``: the template's attribute lines, then a ``Workbook_Open`` that
    registers the functions' help each time the add-in opens."""
    lines = template_source.replace("\r\n", "\n").rstrip("\n").split("\n")
    if any(line and not line.startswith("Attribute ") for line in lines):
        raise AddinTemplateError("the template's ThisWorkbook has code; this build expects none")
    ours = [
        "Option Explicit",
        "",
        "Private Sub Workbook_Open()",
        f"    {FUNCTION_HELP_MODULE}.{REGISTER_HELP_SUB}",
        "End Sub",
        "",
    ]
    return "\r\n".join(lines + ours)


def xlwings_module_source(template_source: str) -> str:
    """The template's xlwings module with ``PROJECT_NAME`` set to ``harvest_xl``; one line."""
    old = PROJECT_NAME_LINE.format(TEMPLATE_PROJECT_NAME)
    if template_source.count(old) != 1:
        raise AddinTemplateError(f"expected the line {old!r} once in the xlwings module")
    return template_source.replace(old, PROJECT_NAME_LINE.format(CONFIG_PROJECT_NAME))


def addin_vba_project(template_vba: bytes, functions: UdfModule, version: str) -> bytes:
    """The add-in's ``vbaProject.bin``: the template's project with our identity, ribbon
    callbacks, the xlwings UDF wrappers and their help (see the module docstring)."""
    sources = {m.name: m.source for m in read_vba_modules(template_vba)}
    for needed in (XLWINGS_MODULE, THIS_WORKBOOK, TEMPLATE_RIBBON_MODULE):
        if needed not in sources:
            raise AddinTemplateError(f"the template's VBA project has no module {needed}")
    edits = ProjectEdits(
        project_name=VBA_PROJECT_NAME,
        renamed_modules={TEMPLATE_RIBBON_MODULE: RIBBON_MODULE},
        sources={
            RIBBON_MODULE: ribbon_module_source(version),
            XLWINGS_MODULE: xlwings_module_source(sources[XLWINGS_MODULE]),
            THIS_WORKBOOK: this_workbook_source(sources[THIS_WORKBOOK]),
        },
        added=(
            NewModule(UDF_VBA_MODULE, functions.vba_source()),
            NewModule(FUNCTION_HELP_MODULE, function_help_module(functions.functions)),
        ),
    )
    try:
        return edit_vba_project(template_vba, edits)
    except VbaFormatError as exc:
        raise AddinTemplateError(f"the template's VBA project cannot be edited: {exc}") from exc


def build_addin(
    out_path: str | Path | None = None,
    *,
    template: Path | None = None,
    functions: UdfModule | None = None,
) -> Path:
    """Build ``harvest_xl.xlam`` from the installed xlwings ribbon template; return its path.

    ``out_path`` may be a directory (existing, or a new path without a suffix; the file is
    named ``harvest_xl.xlam`` in it) or a file path, which must then be named
    ``harvest_xl.xlam``. Default: ``./harvest_xl.xlam``. ``functions`` is the generated UDF
    module when the caller already has it (default: generated now, in a child Python).
    The output is deterministic: the same template and functions give the same bytes.
    """
    from importlib.metadata import version as package_version

    target = _resolve_out_path(out_path)
    source = template or template_path()
    if functions is None:
        try:
            functions = generate_udf_module()
        except UdfModuleError as exc:
            raise AddinTemplateError(str(exc)) from exc
    version = harvest_xl_version()
    with zipfile.ZipFile(source) as zin:
        names = zin.namelist()
        for needed in (CUSTOMUI_PART, ROOT_RELS_PART, VBA_PART, WORKBOOK_PART, CORE_PART):
            if needed not in names:
                raise AddinTemplateError(f"{source} has no {needed}")
        replaced = {
            CUSTOMUI_PART: ribbon_xml(),
            ROOT_RELS_PART: _retype_ribbon_relationship(
                zin.read(ROOT_RELS_PART),
                CUSTOMUI_PART,
                RELATIONSHIP_FOR_NAMESPACE[CUSTOMUI_NAMESPACE_2006],
            ),
            VBA_PART: addin_vba_project(zin.read(VBA_PART), functions, version),
            WORKBOOK_PART: _replace_once(
                zin.read(WORKBOOK_PART),
                f'name="{TEMPLATE_CONFIG_SHEET}"'.encode(),
                f'name="{CONFIG_SHEET}"'.encode(),
                WORKBOOK_PART,
            ),
            CORE_PART: core_properties(version, package_version("xlwings")),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zout:
            for info in zin.infolist():
                data = replaced.get(info.filename)
                if data is None:
                    data = zin.read(info.filename)
                zout.writestr(_copy_info(info), data, compress_type=info.compress_type)
    built = buffer.getvalue()
    problems = check_addin(built)
    if problems:
        raise AddinTemplateError("the built add-in failed its checks: " + "; ".join(problems))
    if addin_udf_source(built) != functions.vba_source():
        raise AddinTemplateError("the built add-in's xlwings_udfs module reads back differently")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(built)
    return target


def _resolve_out_path(out_path: str | Path | None) -> Path:
    if out_path is None:
        return Path.cwd() / ADDIN_FILE_NAME
    path = Path(out_path).absolute()
    if path.is_dir() or (not path.exists() and path.suffix == ""):
        return path / ADDIN_FILE_NAME
    if path.name != ADDIN_FILE_NAME:
        raise ValueError(
            f"the add-in must be named {ADDIN_FILE_NAME} (Refresh finds the loaded add-in by "
            f"that name), not {path.name}"
        )
    return path


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A fresh entry header with the template's name, time stamp and attributes, so the
    output does not depend on the clock or on the platform that builds it."""
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = info.compress_type
    new.external_attr = info.external_attr
    new.create_system = info.create_system
    return new


# --- reading a built add-in -------------------------------------------------------------------


def addin_udf_source(addin: bytes) -> str | None:
    """The source of the add-in's ``xlwings_udfs`` module (CRLF), or None without one."""
    with zipfile.ZipFile(io.BytesIO(addin)) as zf:
        modules = read_vba_modules(zf.read(VBA_PART))
    return next((m.source for m in modules if m.name == UDF_VBA_MODULE), None)


def addin_version(addin: bytes) -> str | None:
    """The harvest-xl version in the add-in's title (``harvest-xl 0.1.0``), if it has one."""
    with zipfile.ZipFile(io.BytesIO(addin)) as zf:
        title = ET.fromstring(zf.read(CORE_PART)).findtext(_DC_TITLE) or ""
    prefix = addin_title("")
    return title[len(prefix) :] if title.startswith(prefix) and len(title) > len(prefix) else None


def check_addin(data: bytes) -> list[str]:
    """Structural problems of a built add-in (an empty list means none were found).

    Checks: the zip opens; ``customUI.xml`` is well-formed in a known customUI namespace;
    ``_rels/.rels`` declares exactly one ribbon relationship, to that part, with the type
    paired with the namespace; each ``onAction`` names a ribbon Sub that exists in the VBA;
    the VBA project is ``HarvestXL`` in the recompile-from-source form, lists the same modules
    in its ``dir`` stream (with their count), ``PROJECT`` and ``PROJECTwm``, has a stream for
    each, and carries the ``xlwings_udfs`` module as a procedural module at offset 0; the
    xlwings module's ``PROJECT_NAME`` is ``harvest_xl``.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        return [f"not a zip package: {exc}"]
    with zf:
        try:
            ui = ET.fromstring(zf.read(CUSTOMUI_PART))
            rels = ET.fromstring(zf.read(ROOT_RELS_PART))
            vba = zf.read(VBA_PART)
        except (KeyError, ET.ParseError) as exc:
            return [f"unreadable part: {exc}"]
    namespace = ui.tag[1:].split("}")[0] if ui.tag.startswith("{") else ""
    if ui.tag != f"{{{namespace}}}customUI" or namespace not in RELATIONSHIP_FOR_NAMESPACE:
        return [f"customUI root is {ui.tag!r}, not customUI in a known namespace"]
    problems: list[str] = []
    ribbon_rels = [
        r
        for r in rels.iter(f"{{{_PACKAGE_RELS_NS}}}Relationship")
        if r.get("Type") in (RIBBON_RELATIONSHIP_2006, RIBBON_RELATIONSHIP_2007)
    ]
    if len(ribbon_rels) != 1 or ribbon_rels[0].get("Target") != CUSTOMUI_PART:
        problems.append(f"expected one ribbon relationship to {CUSTOMUI_PART}")
    elif ribbon_rels[0].get("Type") != RELATIONSHIP_FOR_NAMESPACE[namespace]:
        problems.append(
            f"relationship type {ribbon_rels[0].get('Type')} does not match namespace {namespace}"
        )
    try:
        project = describe_vba_project(vba)
        streams = read_streams(vba)
    except (VbaFormatError, KeyError, ValueError) as exc:
        return [*problems, f"unreadable VBA project: {exc}"]
    available = ribbon_callbacks([VbaModule(m.name, m.source) for m in project.modules])
    for element in ui.iter():
        callback = element.get("onAction")
        if callback is not None and callback.lower() not in available:
            problems.append(f"callback {callback} is not a ribbon Sub in the VBA project")
    return problems + _vba_problems(project, streams)


def _vba_problems(project: VbaProjectDescription, streams: Mapping[str, bytes]) -> list[str]:
    problems = []
    if project.project_name != VBA_PROJECT_NAME:
        problems.append(f"the VBA project is {project.project_name!r}, not {VBA_PROJECT_NAME}")
    cache = project.vba_project_stream
    if len(cache) != 7 or not cache.startswith(RECOMPILE_FROM_SOURCE):
        problems.append("_VBA_PROJECT is not the 7-byte recompile-from-source form")
    if any(p.split("/")[-1].startswith("__SRP_") for p in streams):
        problems.append("the VBA project has __SRP_ cache streams")
    names = [m.name for m in project.modules]
    if project.declared_count != len(names):
        problems.append(f"dir declares {project.declared_count} modules but lists {len(names)}")
    if project_module_lines(project.project_text) != names:
        problems.append("PROJECT's module lines differ from the dir stream's modules")
    if list(project.projectwm) != names:
        problems.append("PROJECTwm's names differ from the dir stream's modules")
    for module in project.modules:
        if f"VBA/{module.stream_name}" not in streams:
            problems.append(f"no stream for module {module.name}")
    udfs = [m for m in project.modules if m.name == UDF_VBA_MODULE]
    if not udfs or udfs[0].offset != 0 or not udfs[0].procedural:
        problems.append(f"no procedural {UDF_VBA_MODULE} module stored at offset 0")
    xlwings = [m for m in project.modules if m.name == XLWINGS_MODULE]
    if not xlwings or PROJECT_NAME_LINE.format(CONFIG_PROJECT_NAME) not in xlwings[0].source:
        problems.append(f"the xlwings module's PROJECT_NAME is not {CONFIG_PROJECT_NAME!r}")
    return problems


# --- install ---------------------------------------------------------------------------------

INTERPRETER_KEYS = {"win32": "INTERPRETER_WIN", "darwin": "INTERPRETER_MAC"}
_VERSION_PROBE = (
    "import harvest_xl, xlwings; print(harvest_xl.__version__); print(xlwings.__version__)"
)


@dataclass(frozen=True)
class InstallPlan:
    """What ``harvest-xl addin install`` will do on one platform.

    ``addin_dir`` is where Excel loads add-ins from at start-up (None: no Excel here);
    ``config`` is the add-in's user config file (the one its xlwings module reads, named by
    ``PROJECT_NAME``) and ``interpreter_key`` the setting there that names the Python;
    ``python`` is the Python to write when there is none; ``copies`` are extra files to copy;
    ``notes`` are what the user must still do by hand.
    """

    platform: str
    addin_dir: Path | None
    python: str = ""
    config: Path | None = None
    interpreter_key: str = ""
    copies: tuple[tuple[Path, Path], ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class InterpreterCheck:
    """Whether the add-in's Python imports the same harvest-xl and xlwings as this one."""

    python: str
    ok: bool
    message: str


@dataclass(frozen=True, slots=True)
class InstallReport:
    """What install did, one fact per line, and whether the add-in will work as configured."""

    lines: tuple[str, ...]
    ok: bool


def plan_install(
    *,
    platform: str,
    env: Mapping[str, str],
    home: Path,
    python: str,
    xlwings_dir: Path,
    xlwings_version: str,
) -> InstallPlan:
    """Decide, without touching the disk, where the add-in and its config go on ``platform``.

    * Windows: the user's XLSTART folder ``%APPDATA%\\Microsoft\\Excel\\XLSTART`` (Excel opens
      every file there at start-up) and ``%USERPROFILE%\\.harvest_xl\\harvest_xl.conf`` naming
      the Python (``INTERPRETER_WIN``): the user file of the add-in's xlwings module.
    * macOS: Excel's sandboxed start-up folder, ``harvest_xl.conf`` in Excel's container with
      ``INTERPRETER_MAC``, and xlwings' AppleScript that ``RunPython`` needs.
    * elsewhere: nothing to install; Excel does not run here.
    """
    if platform == "win32":
        appdata = env.get("APPDATA")
        profile = env.get("USERPROFILE")
        if not appdata or not profile:
            return InstallPlan(
                platform,
                None,
                notes=("APPDATA or USERPROFILE is not set: cannot find the XLSTART folder.",),
            )
        return InstallPlan(
            platform,
            Path(appdata) / "Microsoft" / "Excel" / "XLSTART",
            python,
            config=Path(profile) / f".{CONFIG_PROJECT_NAME}" / f"{CONFIG_PROJECT_NAME}.conf",
            interpreter_key=INTERPRETER_KEYS[platform],
            notes=(
                "Quit and restart Excel: the Harvest tab appears on the ribbon, and the HX_ "
                "functions work in every workbook (.xlsx too) while the add-in is loaded.",
            ),
        )
    if platform == "darwin":
        container = home / "Library" / "Containers" / "com.microsoft.Excel" / "Data"
        startup = (
            home
            / "Library"
            / "Group Containers"
            / "UBF8T346G9.Office"
            / "User Content"
            / "Startup"
            / "Excel"
        )
        script = f"xlwings-{xlwings_version}.applescript"
        scripts_dir = home / "Library" / "Application Scripts" / "com.microsoft.Excel"
        return InstallPlan(
            platform,
            startup,
            python,
            config=container / f"{CONFIG_PROJECT_NAME}.conf",
            interpreter_key=INTERPRETER_KEYS[platform],
            copies=((xlwings_dir / script, scripts_dir / script),),
            notes=(
                "Quit Excel (Cmd-Q) and start it again: the Harvest tab appears on the ribbon; "
                "allow macros when asked.",
                "Excel for Mac has no Python worksheet functions: Refresh writes the computed "
                "values into the workbook instead of keeping HX_ formulas live.",
            ),
        )
    return InstallPlan(
        platform,
        None,
        notes=(
            "Excel does not run on this platform, so nothing was installed.",
            "Copy the add-in to a Windows or macOS machine with xlwings "
            f"{xlwings_version} and run 'harvest-xl addin install' there, or compute "
            "workbooks here with 'harvest-xl refresh BOOK.xlsx'.",
        ),
    )


def install_addin(
    addin: str | Path | None = None,
    *,
    platform: str | None = None,
    env: Mapping[str, str] | None = None,
    home: Path | None = None,
    python: str | None = None,
) -> InstallReport:
    """Install the add-in for this user as far as this platform allows.

    Builds ``harvest_xl.xlam`` straight into Excel's start-up folder (or copies ``addin`` there
    when given), makes sure the add-in's config file names a Python (``python`` when given,
    else the one already configured, else this one), checks that this Python imports the
    same harvest-xl and xlwings, and copies xlwings' AppleScript on macOS. On a platform
    without Excel it builds (or keeps) the file and says where it is.
    :class:`InstallError` says why nothing could be installed.
    """
    import os

    spec = importlib.util.find_spec("xlwings")
    xlwings_dir = Path(spec.origin).parent if spec and spec.origin else Path()
    from importlib.metadata import version

    plan = plan_install(
        platform=platform or sys.platform,
        env=os.environ if env is None else env,
        home=Path.home() if home is None else home,
        python=python or sys.executable,
        xlwings_dir=xlwings_dir,
        xlwings_version=version("xlwings"),
    )
    return execute_plan(plan, None if addin is None else Path(addin), python_given=python)


def execute_plan(
    plan: InstallPlan, addin: Path | None, *, python_given: str | None = None
) -> InstallReport:
    """Carry out ``plan``: place the add-in, settle and check its Python, copy extras.

    ``python_given`` (``--python``) replaces the configured Python; otherwise an existing
    setting is kept and checked. Raises :class:`InstallError` when the add-in cannot be put
    in place.
    """
    report: list[str] = []
    if addin is not None and not addin.is_file():
        raise InstallError(f"No add-in at {addin}: build it first with 'harvest-xl addin build'.")
    if plan.addin_dir is None:
        built = addin if addin is not None else build_addin()
        return InstallReport((f"Add-in built: {built}", *plan.notes), ok=True)
    target = plan.addin_dir / ADDIN_FILE_NAME
    try:
        if addin is not None:
            plan.addin_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(addin, target)
            report.append(f"Copied {addin} to {target}")
        else:
            build_addin(target)
            report.append(f"Built the add-in into Excel's start-up folder: {target}")
    except PermissionError as exc:
        raise InstallError(
            f"Could not write {target}: quit Excel and run 'harvest-xl addin install' again."
        ) from exc
    ok = True
    if plan.config is not None:
        lines, check = _settle_config(plan, python_given)
        report += [*lines, check.message]
        ok = check.ok
    for source, destination in plan.copies:
        if not source.is_file():
            report.append(f"Missing {source}: reinstall xlwings, then run this again.")
            ok = False
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        report.append(f"Copied {source.name} to {destination.parent} (lets RunPython start)")
    return InstallReport((*report, *plan.notes), ok)


def _settle_config(
    plan: InstallPlan, python_given: str | None
) -> tuple[list[str], InterpreterCheck]:
    """Make the config name a Python (writing only what is missing or was given), then check
    that Python. Returns the report lines and the check."""
    assert plan.config is not None
    key = plan.interpreter_key
    settings = read_config(plan.config) if plan.config.exists() else None
    configured = None if settings is None else _setting(settings, key)
    lines = []
    if python_given is not None or not configured:
        python = python_given or plan.python
        write_config_value(plan.config, key, python)
        how = "Wrote" if settings is None else "Set in"
        lines.append(f"{how} {plan.config}: {key} = {python}")
        configured = python
    else:
        lines.append(f"Kept the existing setting in {plan.config}: {key} = {configured}")
    resolved = resolve_interpreter(configured, settings or {}, plan.platform)
    from importlib.metadata import version

    check = check_interpreter(
        resolved, harvest_xl_version=harvest_xl_version(), xlwings_version=version("xlwings")
    )
    return lines, check


def read_config(path: Path) -> dict[str, str]:
    """An xlwings config file: one ``"KEY","VALUE"`` line per setting (VBA ``Write #``)."""
    import csv

    text = path.read_text(encoding=_config_encoding(), errors="replace")
    return {row[0]: row[1] for row in csv.reader(text.splitlines()) if len(row) >= 2 and row[0]}


def write_config_value(path: Path, key: str, value: str) -> None:
    """Set ``key`` in the config file at ``path`` (created if missing), keeping other lines."""
    import csv

    settings = read_config(path) if path.exists() else {}
    settings = {k: v for k, v in settings.items() if k.upper() != key.upper()}
    settings[key] = value
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows(settings.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(_config_encoding(), errors="strict"))


def _config_encoding() -> str:
    """VBA's ``Open ... For Input`` reads the ANSI code page on Windows (Python's "mbcs",
    which exists only there); elsewhere UTF-8."""
    import codecs

    try:
        return codecs.lookup("mbcs").name
    except LookupError:
        return "utf-8"


def _setting(settings: Mapping[str, str], key: str) -> str | None:
    """A setting looked up as the add-in does: key case ignored, blank means unset."""
    value = next((v for k, v in settings.items() if k.upper() == key.upper()), "")
    return value.strip() or None


def resolve_interpreter(value: str, settings: Mapping[str, str], platform: str) -> str:
    """The program the add-in will run for the setting ``value``.

    Environment variables are expanded (``%USERPROFILE%`` on Windows, ``$HOME`` on the Mac).
    On Windows a bare ``python``/``pythonw`` with ``CONDA PATH`` and ``CONDA ENV`` set means
    that Conda environment's Python, as the add-in's VBA resolves it; a bare name is looked up
    on the PATH.
    """
    import ntpath
    import os

    if platform == "win32":
        value = ntpath.expandvars(value)
        conda_path, conda_env = _setting(settings, "CONDA PATH"), _setting(settings, "CONDA ENV")
        if value in ("python", "pythonw") and conda_path and conda_env:
            if conda_env == "base":
                return ntpath.join(conda_path, value)
            if "\\" in conda_env:
                return ntpath.join(conda_env, value)
            return ntpath.join(conda_path, "envs", conda_env, value)
    else:
        value = os.path.expanduser(os.path.expandvars(value))
    if os.sep not in value and "/" not in value:
        return shutil.which(value) or value
    return value


def check_interpreter(
    python: str, *, harvest_xl_version: str, xlwings_version: str, timeout: float = 120
) -> InterpreterCheck:
    """Run ``python -c`` to see whether it imports this harvest-xl and xlwings version; the
    message says exactly what to fix when it does not."""
    fix = (
        f"Fix: install harvest-xl {harvest_xl_version} and xlwings {xlwings_version} into "
        f'that Python ("{python}" -m pip install "xlwings=={xlwings_version}" and harvest-xl '
        f"the way you installed it here), or point the add-in at this Python: "
        f'harvest-xl addin install --python "{sys.executable}"'
    )
    try:
        done = subprocess.run(
            [python, "-c", _VERSION_PROBE], capture_output=True, text=True, timeout=timeout
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return InterpreterCheck(
            python, False, f"The add-in's Python {python} cannot be run ({reason}). {fix}"
        )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return InterpreterCheck(
            python, False, f"The add-in's Python {python} cannot import harvest-xl ({last}). {fix}"
        )
    found = done.stdout.split()
    if found != [harvest_xl_version, xlwings_version]:
        shown = " and xlwings ".join(found) if len(found) == 2 else done.stdout.strip()
        return InterpreterCheck(
            python,
            False,
            f"The add-in's Python {python} has harvest-xl {shown}; this add-in is harvest-xl "
            f"{harvest_xl_version} for xlwings {xlwings_version}. {fix}",
        )
    return InterpreterCheck(
        python,
        True,
        f"Checked: {python} imports harvest-xl {harvest_xl_version} and xlwings "
        f"{xlwings_version}, the versions of this add-in.",
    )
