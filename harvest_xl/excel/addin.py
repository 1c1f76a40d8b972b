"""Build and install ``harvest_xl.xlam``: the ribbon add-in with a *Harvest* tab and *Refresh*.

The add-in is built on the user's machine from the ribbon template that ships inside the
installed xlwings package (``xlwings/quickstart_addin_ribbon.xlam``, BSD-3). Nothing from that
template is stored in this repository. The build works at zip level (excel-integration.md §8.3):

* ``customUI/customUI.xml`` is replaced by our ribbon (same part, same 2006/01 namespace);
* in ``_rels/.rels`` the ribbon relationship gets the type that matches that namespace (the
  template pairs the 2006/01 namespace with the 2007 type; MS-OI29500 §3.4.1.3 and xlwings'
  own ``xlwings.xlam`` use the 2006 type);
* every other part is copied byte for byte, VBA included. The VBA cannot be changed outside
  Excel, so the ribbon calls only a callback the template's VBA already has:
  ``RibbonMyAddin.RunMain``, which runs ``import <file stem>; <file stem>.main()``. Hence the
  file name ``harvest_xl.xlam`` and the entry point ``harvest_xl.main()``.

The build checks its own output (:func:`check_addin`): well-formed ribbon XML in the expected
namespace, relationship type paired with it, and every ``onAction`` callback present in the VBA
project as ``Sub Name(control As IRibbonControl)`` (read with :mod:`harvest_xl.excel.vba`).
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from harvest_xl.excel.vba import read_vba_modules, ribbon_callbacks

__all__ = [
    "ADDIN_FILE_NAME",
    "CUSTOMUI_NAMESPACE_2006",
    "CUSTOMUI_NAMESPACE_2009",
    "RIBBON_RELATIONSHIP_2006",
    "RIBBON_RELATIONSHIP_2007",
    "AddinTemplateError",
    "InstallError",
    "InstallPlan",
    "build_addin",
    "check_addin",
    "install_addin",
    "plan_install",
    "ribbon_xml",
    "template_path",
]

ADDIN_FILE_NAME = "harvest_xl.xlam"
"""The ribbon runs ``import <stem>; <stem>.main()``: the stem must be the package name."""

TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
CUSTOMUI_PART = "customUI/customUI.xml"
ROOT_RELS_PART = "_rels/.rels"
VBA_PART = "xl/vbaProject.bin"

CUSTOMUI_NAMESPACE_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
CUSTOMUI_NAMESPACE_2009 = "http://schemas.microsoft.com/office/2009/07/customui"
RIBBON_RELATIONSHIP_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
RIBBON_RELATIONSHIP_2007 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RELATIONSHIP_FOR_NAMESPACE = {
    CUSTOMUI_NAMESPACE_2006: RIBBON_RELATIONSHIP_2006,
    CUSTOMUI_NAMESPACE_2009: RIBBON_RELATIONSHIP_2007,
}
_PACKAGE_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

REFRESH_CALLBACK = "RibbonMyAddin.RunMain"
"""The only ribbon callback in the template's VBA (verified by :func:`check_addin`)."""

CONFIG_PROJECT_NAME = "myaddin"
"""The template's VBA ``PROJECT_NAME``; it names the add-in's config file (cannot be changed
without editing the VBA in Excel)."""


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


def ribbon_xml() -> bytes:
    """Our ``customUI.xml``: a *Harvest* tab with one large *Refresh* button.

    Only elements and attributes the template's own, known-good button uses, plus
    ``screentip``/``supertip``. One button only: the template's VBA has one ribbon callback,
    and new callbacks would need a VBA edit in Excel.
    """
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<customUI xmlns="{CUSTOMUI_NAMESPACE_2006}">\n'
        "  <ribbon>\n"
        "    <tabs>\n"
        '      <tab id="harvestXlTab" label="Harvest">\n'
        '        <group id="harvestXlGroup" label="harvest-xl">\n'
        '          <button id="harvestXlRefresh" label="Refresh" size="large"'
        f' onAction="{REFRESH_CALLBACK}" imageMso="Refresh"'
        ' screentip="Refresh harvest-xl"'
        ' supertip="Recalculate the HX_ functions and rewrite the Plan, Wash sales and'
        ' Summary sheets of the active workbook."/>\n'
        "        </group>\n"
        "      </tab>\n"
        "    </tabs>\n"
        "  </ribbon>\n"
        "</customUI>\n"
    ).encode()


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


def build_addin(out_path: str | Path | None = None, *, template: Path | None = None) -> Path:
    """Build ``harvest_xl.xlam`` from the installed xlwings ribbon template; return its path.

    ``out_path`` may be a directory (existing, or a new path without a suffix; the file is
    named ``harvest_xl.xlam`` in it) or a file path, which must then be named
    ``harvest_xl.xlam``. Default: ``./harvest_xl.xlam``.
    The output is deterministic: the same template gives the same bytes.
    """
    target = _resolve_out_path(out_path)
    source = template or template_path()
    with zipfile.ZipFile(source) as zin:
        names = zin.namelist()
        for needed in (CUSTOMUI_PART, ROOT_RELS_PART, VBA_PART):
            if needed not in names:
                raise AddinTemplateError(f"{source} has no {needed}")
        new_rels = _retype_ribbon_relationship(
            zin.read(ROOT_RELS_PART),
            CUSTOMUI_PART,
            RELATIONSHIP_FOR_NAMESPACE[CUSTOMUI_NAMESPACE_2006],
        )
        replaced = {CUSTOMUI_PART: ribbon_xml(), ROOT_RELS_PART: new_rels}
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
            f"the add-in must be named {ADDIN_FILE_NAME} (its ribbon runs "
            f"'import <file name>'), not {path.name}"
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


def check_addin(data: bytes) -> list[str]:
    """Structural problems of a built add-in (an empty list means none were found).

    Checks: the zip opens; ``customUI.xml`` is well-formed in a known customUI namespace;
    ``_rels/.rels`` declares exactly one ribbon relationship, to that part, with the type
    paired with the namespace; each ``onAction`` names a ribbon Sub that exists in the VBA.
    """
    problems: list[str] = []
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
        problems.append(f"customUI root is {ui.tag!r}, not customUI in a known namespace")
        return problems
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
    available = ribbon_callbacks(read_vba_modules(vba))
    for element in ui.iter():
        callback = element.get("onAction")
        if callback is not None and callback.lower() not in available:
            problems.append(f"callback {callback} is not a ribbon Sub in the VBA project")
    return problems


# --- install ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstallPlan:
    """What ``harvest-xl addin install`` will do on one platform.

    ``addin_dir`` is where Excel loads add-ins from at start-up (None: no Excel here);
    ``config`` is the add-in's config file and the text to write into it when missing;
    ``copies`` are extra files to copy; ``notes`` are what the user must still do by hand.
    """

    platform: str
    addin_dir: Path | None
    python: str = ""
    config: tuple[Path, str] | None = None
    copies: tuple[tuple[Path, Path], ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


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
      every file there at start-up) and ``%USERPROFILE%\\.myaddin\\myaddin.conf`` naming this
      interpreter (``INTERPRETER_WIN``), which is where the template's VBA reads its settings.
    * macOS: Excel's sandboxed start-up folder, the same config under Excel's container with
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
            config=(
                Path(profile) / f".{CONFIG_PROJECT_NAME}" / f"{CONFIG_PROJECT_NAME}.conf",
                f'"INTERPRETER_WIN","{python}"\n',
            ),
            notes=(
                "Quit and restart Excel: the Harvest tab appears on the ribbon.",
                "For the HX_ functions: File > Options > Trust Center > Trust Center Settings > "
                "Macro Settings > tick 'Trust access to the VBA project object model'.",
                "Save workbooks that use the HX_ functions as .xlsm.",
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
            config=(
                container / f"{CONFIG_PROJECT_NAME}.conf",
                f'"INTERPRETER_MAC","{python}"\n',
            ),
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
) -> list[str]:
    """Install the add-in for this user as far as this platform allows; return what was done.

    Builds ``harvest_xl.xlam`` straight into Excel's start-up folder (or copies ``addin`` there
    when given), writes the add-in's config file naming this Python unless one exists, and
    copies xlwings' AppleScript on macOS. On a platform without Excel it builds (or keeps) the
    file and says where it is. Every line of the returned report is one fact for the user;
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
    return execute_plan(plan, None if addin is None else Path(addin))


def execute_plan(plan: InstallPlan, addin: Path | None) -> list[str]:
    """Carry out ``plan``; each returned line says what happened or what is left to do.

    Raises :class:`InstallError` when the add-in cannot be put in place.
    """
    report: list[str] = []
    if addin is not None and not addin.is_file():
        raise InstallError(f"No add-in at {addin}: build it first with 'harvest-xl addin build'.")
    if plan.addin_dir is None:
        built = addin if addin is not None else build_addin()
        return [f"Add-in built: {built}", *plan.notes]
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
    if plan.config is not None:
        config_path, text = plan.config
        if config_path.exists():
            report.append(f"Kept the existing add-in settings in {config_path}")
        else:
            config_path.parent.mkdir(parents=True, exist_ok=True)
            config_path.write_text(text, encoding="utf-8")
            report.append(f"Wrote {config_path}: Refresh runs {plan.python}")
    for source, destination in plan.copies:
        if not source.is_file():
            report.append(f"Missing {source}: reinstall xlwings, then run this again.")
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
        report.append(f"Copied {source.name} to {destination.parent} (lets RunPython start)")
    return [*report, *plan.notes]
