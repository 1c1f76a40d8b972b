"""The built add-in read by two independent programs (excel-integration.md R2.7):

* **oletools** (olevba) lists every module of the VBA project and decompresses the
  ``xlwings_udfs`` module to exactly the text xlwings generates;
* **LibreOffice** loads a test copy (the workbook's content type switched from add-in to
  macro-enabled workbook: LibreOffice 7.4 does not open ``.xlam``), converts it to ``.ods``,
  and its Basic library ``HarvestXL`` holds every module, with every ``HX_`` function.

LibreOffice is lenient (it invents a small module when a stream is missing), so the text is
compared, not just the presence. Needs ``soffice`` (libreoffice-calc); under CI (``CI=true``)
its absence is a failure, not a skip.
"""

from __future__ import annotations

import logging
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from oletools import olevba
from oletools.olevba import VBA_Parser

from harvest_xl.excel.addin import build_addin

from .system_tools import require_tools
from .udf_spec import SPECS

CONTRACT = [spec.name for spec in SPECS]
"""Every HX_ function of the public contract (tests/excel/udf_spec.py)."""

GOLDEN = Path(__file__).parent / "golden" / "xlwings_udfs_harvest_xl.bas"
MODULES = {
    "ThisWorkbook", "Dictionary", "RibbonHarvestXL", "Sheet2", "xlwings", "xlwings_udfs",
    "HarvestXLHelp",
}
ADDIN_TYPE = b"application/vnd.ms-excel.addin.macroEnabled.main+xml"
WORKBOOK_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
SCRIPT_NS = "{http://openoffice.org/2000/script}"
LIBRARY_NS = "{http://openoffice.org/2000/library}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin"))


def _golden_functions() -> list[str]:
    return re.findall(r"^Function (HX_\w+)\(", GOLDEN.read_text(), re.MULTILINE)


# --- oletools ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def olevba_modules(built: Path) -> tuple[dict[str, str], list[str]]:
    """Module name -> source as olevba extracts them, and any errors olevba logged (it logs
    and carries on rather than raising on a damaged module)."""
    errors: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage())

    handler = Collect()
    logger = olevba.log.logger  # silent by default (level above CRITICAL): listen to errors
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.ERROR)
    try:
        parser = VBA_Parser(built.name, data=built.read_bytes())
        assert parser.type == "OpenXML"
        modules = {
            name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()
        }
        parser.close()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return modules, errors


def test_olevba_lists_every_module_without_errors(
    olevba_modules: tuple[dict[str, str], list[str]],
) -> None:
    """olevba finds the seven modules of the HarvestXL project and logs no error."""
    modules, errors = olevba_modules
    assert set(modules) == MODULES
    assert errors == []


def test_olevba_reads_the_generated_functions_exactly(
    olevba_modules: tuple[dict[str, str], list[str]],
) -> None:
    """olevba's decompressed xlwings_udfs is the golden text xlwings generates, byte for byte
    (CRLF line endings), with every HX_ function of the contract."""
    modules, _ = olevba_modules
    golden = GOLDEN.read_text(encoding="utf-8")
    assert modules["xlwings_udfs"] == golden.replace("\n", "\r\n")
    assert len(_golden_functions()) == len(CONTRACT)


def test_olevba_reads_our_ribbon_and_help_modules(
    olevba_modules: tuple[dict[str, str], list[str]],
) -> None:
    """The ribbon callbacks and the help registration read back through olevba too."""
    modules, _ = olevba_modules
    assert "Sub HxRefresh(control As IRibbonControl)" in modules["RibbonHarvestXL"]
    assert 'Describe "HX_TAX", ' in modules["HarvestXLHelp"]
    assert 'PROJECT_NAME As String = "harvest_xl"' in modules["xlwings"]


# --- LibreOffice ------------------------------------------------------------------------------


def _require_soffice() -> None:
    require_tools(("soffice",), "load the add-in in LibreOffice", "libreoffice-calc")


def _test_copy(addin: Path, target: Path) -> Path:
    """The add-in with its workbook content type switched to a macro-enabled workbook, saved
    as .xlsm: LibreOffice 7.4 loads that, not an .xlam. Never shipped."""
    with zipfile.ZipFile(addin) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                assert data.count(ADDIN_TYPE) == 1
                data = data.replace(ADDIN_TYPE, WORKBOOK_TYPE)
            zout.writestr(info, data)
    return target


@pytest.fixture(scope="module")
def libreoffice_basic(
    built: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, str]]:
    """Library -> module -> source, from the .ods LibreOffice writes for the test copy."""
    _require_soffice()
    folder = tmp_path_factory.mktemp("lo")
    copy = _test_copy(built, folder / "harvest_xl_test.xlsm")
    profile = tmp_path_factory.mktemp("lo-profile")  # private: parallel instances collide
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "ods",
            "--outdir",
            str(folder),
            str(copy),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    libraries: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(folder / "harvest_xl_test.ods") as ods:
        index = ET.fromstring(ods.read("Basic/script-lc.xml"))
        for library in index.iter(f"{LIBRARY_NS}library"):
            name = library.get(f"{LIBRARY_NS}name")
            assert name is not None
            libraries[name] = {}
            for part in ods.namelist():
                if part.startswith(f"Basic/{name}/") and not part.endswith("script-lb.xml"):
                    module = ET.fromstring(ods.read(part))
                    libraries[name][module.get(f"{SCRIPT_NS}name") or ""] = module.text or ""
    return libraries


def test_libreoffice_names_the_basic_library_after_the_project(
    libreoffice_basic: dict[str, dict[str, str]],
) -> None:
    """LibreOffice loads the VBA project as the Basic library HarvestXL, with every module."""
    assert "HarvestXL" in libreoffice_basic
    assert set(libreoffice_basic["HarvestXL"]) == MODULES


def test_libreoffice_sees_every_hx_function_with_its_text(
    libreoffice_basic: dict[str, dict[str, str]],
) -> None:
    """LibreOffice's xlwings_udfs holds every HX_ function, and its text is xlwings'
    generated text: LibreOffice only drops the Attribute VB_Name line and adds its two VBA
    compatibility lines at the top."""
    module = libreoffice_basic["HarvestXL"]["xlwings_udfs"]
    lines = module.replace("\r\n", "\n").split("\n")
    assert lines[:2] == ["Rem Attribute VBA_ModuleType=VBAModule", "Option VBASupport 1"]
    golden = GOLDEN.read_text(encoding="utf-8").split("\n")
    assert golden[0] == 'Attribute VB_Name = "xlwings_udfs"'
    assert "\n".join(lines[2:]).rstrip("\n") == "\n".join(golden[1:]).rstrip("\n")
    found = re.findall(r"^Function (HX_\w+)\(", module, re.MULTILINE)
    assert found == _golden_functions()


def test_libreoffice_reads_the_ribbon_callbacks(
    libreoffice_basic: dict[str, dict[str, str]],
) -> None:
    """The ribbon module LibreOffice loaded has every button's callback."""
    module = libreoffice_basic["HarvestXL"]["RibbonHarvestXL"]
    for sub in ("HxRefresh", "HxPlan", "HxRestartPython", "HxAbout"):
        assert f"Sub {sub}(control As IRibbonControl)" in module, sub
