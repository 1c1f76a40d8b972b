"""A refresh keeps VBA, ribbons and unknown parts byte for byte, still wired up for Excel."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from harvest_xl.excel.atomic_write import atomic_write_bytes, workbook_to_bytes
from harvest_xl.excel.safe_read import load_workbook_safely, read_package_safely
from harvest_xl.excel.unowned_parts import copy_unowned_parts, is_owned_by_openpyxl

from . import corpus

CARRIED = ("xl/vbaProject.bin", "customUI/customUI14.xml", "customXml/item1.xml")


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert len(names) == len(set(names)), "duplicate zip entries"
        return {name: archive.read(name) for name in names}


def refresh(path: Path, keep_vba: bool | None = None) -> bytes:
    """What the refresh does: check, load, change a cell, save to memory, carry parts over."""
    package = read_package_safely(path)
    workbook = load_workbook_safely(package, keep_vba=keep_vba)
    workbook["Holdings"]["E2"] = 123.45
    return copy_unowned_parts(package.data, workbook_to_bytes(workbook))


@pytest.fixture
def xlsm(tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsm"
    path.write_bytes(corpus.macro_workbook())
    return path


@pytest.mark.parametrize("keep_vba", [None, False], ids=["vba-kept-by-openpyxl", "vba-dropped"])
def test_unowned_parts_survive_byte_for_byte(xlsm: Path, keep_vba: bool | None) -> None:
    """VBA project, 2010 ribbon and custom XML are identical after the refresh, whether or not
    openpyxl itself kept them."""
    before = parts(xlsm.read_bytes())
    after = parts(refresh(xlsm, keep_vba))
    for name in CARRIED:
        assert after[name] == before[name], name


@pytest.mark.parametrize("keep_vba", [None, False], ids=["vba-kept-by-openpyxl", "vba-dropped"])
def test_carried_parts_keep_their_content_types_and_relationships(
    xlsm: Path, keep_vba: bool | None
) -> None:
    """Excel still finds them: macro-enabled main type, VBA default, custom XML override, the
    ribbon's package relationship and the VBA project's workbook relationship."""
    after = parts(refresh(xlsm, keep_vba))
    types = after["[Content_Types].xml"].decode()
    assert re.search(
        rf'PartName="/xl/workbook.xml"\s+ContentType="{re.escape(corpus.XLSM_MAIN)}"', types
    )
    assert f'Extension="bin" ContentType="{corpus.VBA_TYPE}"' in types
    assert f'PartName="/customXml/item1.xml" ContentType="{corpus.CUSTOM_XML_TYPE}"' in types
    root_rels = after["_rels/.rels"].decode()
    assert f'Type="{corpus.RIBBON14_REL}" Target="customUI/customUI14.xml"' in root_rels
    workbook_rels = after["xl/_rels/workbook.xml.rels"].decode()
    assert workbook_rels.count(corpus.VBA_REL) == 1
    assert (
        'Target="vbaProject.bin"' in workbook_rels or 'Target="/xl/vbaProject.bin"' in workbook_rels
    )


def test_refreshed_file_is_valid_and_holds_the_new_value(xlsm: Path) -> None:
    """The result passes our checks, is macro-enabled, and has the refreshed cell."""
    atomic_write_bytes(xlsm, refresh(xlsm))
    package = read_package_safely(xlsm)
    assert package.macro_enabled
    workbook = load_workbook_safely(package)
    assert workbook["Holdings"]["E2"].value == 123.45
    assert workbook["Holdings"]["B2"].value == "VTI"


def test_two_refreshes_change_nothing_further(xlsm: Path) -> None:
    """Refreshing the refreshed file leaves every part identical (no duplicates, no drift)."""
    atomic_write_bytes(xlsm, refresh(xlsm))
    once = parts(xlsm.read_bytes())
    twice = parts(refresh(xlsm))
    assert once.keys() == twice.keys()
    for name in once:
        if name != "docProps/core.xml":  # openpyxl stamps the modification time
            assert twice[name] == once[name], name


def test_without_the_helper_openpyxl_loses_the_2010_ribbon(xlsm: Path) -> None:
    """Why the helper exists: openpyxl alone keeps the part but drops its relationship."""
    workbook = load_workbook_safely(xlsm)
    plain = parts(workbook_to_bytes(workbook))
    assert "customUI14.xml" not in plain["_rels/.rels"].decode()


def test_owned_parts_come_from_the_new_package_only(xlsm: Path) -> None:
    """An explicit owned set: owned parts absent from the new package are dropped, the rest of
    the original is carried."""
    package = read_package_safely(xlsm)
    new = corpus.zip_of({"[Content_Types].xml": parts(package.data)["[Content_Types].xml"]})
    owned = {"[Content_Types].xml", "xl/workbook.xml", "customXml/item1.xml"}
    result = parts(copy_unowned_parts(package.data, new, owned))
    assert "xl/workbook.xml" not in result and "customXml/item1.xml" not in result
    assert result["xl/vbaProject.bin"] == corpus.vba_project_bytes()
    assert result["xl/worksheets/sheet1.xml"] == parts(package.data)["xl/worksheets/sheet1.xml"]


@pytest.mark.parametrize(
    ("part", "owned"),
    [
        ("xl/worksheets/sheet1.xml", True),
        ("xl/calcChain.xml", True),
        ("[Content_Types].xml", True),
        ("xl/styles.xml", True),
        ("xl/vbaProject.bin", False),
        ("xl/vbaProjectSignature.bin", False),
        ("customUI/customUI14.xml", False),
        ("customXml/item1.xml", False),
        ("xl/persons/person.xml", False),
    ],
)
def test_default_ownership(part: str, owned: bool) -> None:
    """openpyxl owns what it regenerates (stale calcChain included); VBA and unknown parts not."""
    assert is_owned_by_openpyxl(part) is owned
