"""Every hostile or malformed workbook is refused clearly, within bounded memory, writing nothing.

Each file is opened in a child process whose address space is capped at 1 GB and whose CPU time
is capped (resource limits, not timed assertions): an expansion that got past the checks would
kill the child with MemoryError or SIGXCPU and fail the test instead of eating the machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from . import corpus

CHILD = textwrap.dedent(
    """
    import json, resource, sys
    limit = 1024 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))
    from harvest_xl.excel.safe_read import HarvestFileError, load_workbook_safely
    path, options = sys.argv[1], json.loads(sys.argv[2])
    try:
        workbook = load_workbook_safely(path, **options)
    except HarvestFileError as error:
        print(json.dumps({"refused": str(error), "problem": error.problem}))
    else:
        sheet = workbook.worksheets[0]
        print(json.dumps({"loaded": workbook.sheetnames, "a2": sheet["A2"].value,
                          "vba": workbook.vba_archive is not None}))
    """
)


def open_in_child(
    path: Path, options: dict[str, object] | None = None, env: dict[str, str] | None = None
) -> dict[str, object]:
    """Run load_workbook_safely(path) in a resource-limited child; return what it reported."""
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), json.dumps(options or {})],
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard only; the CPU limit above ends a runaway child first
        env={**os.environ, **(env or {})},
    )
    assert completed.returncode == 0, f"child failed: {completed.stderr[-2000:]}"
    assert "Traceback" not in completed.stderr
    return json.loads(completed.stdout)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def refuse(tmp_path: Path, name: str, data: bytes, **options: object) -> str:
    """Write ``data`` as ``name``, open it in the child, assert a refusal and that nothing was
    written; return the refusal's problem text."""
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot(tmp_path)
    report = open_in_child(path, options)
    assert "refused" in report, f"{name} was loaded: {report}"
    assert snapshot(tmp_path) == before, "the refusal wrote or changed a file"
    assert str(report["refused"]).startswith(str(path)), "the message names the file"
    return str(report["problem"])


CASES: list[tuple[str, Callable[[], bytes], str, tuple[str, ...]]] = [
    # (id, builder, file name, phrases the refusal must contain)
    (
        "billion-laughs-sheet",
        corpus.billion_laughs_in_sheet,
        "b.xlsx",
        ("<!DOCTYPE>", corpus.SHEET, "save it again"),
    ),
    (
        "billion-laughs-sheet-utf16",
        corpus.billion_laughs_in_sheet_utf16,
        "b.xlsx",
        ("<!DOCTYPE>", corpus.SHEET),
    ),
    (
        "billion-laughs-shared-strings",
        corpus.billion_laughs_in_shared_strings,
        "b.xlsx",
        ("<!DOCTYPE>", corpus.STRINGS),
    ),
    (
        "billion-laughs-workbook-xml",
        corpus.billion_laughs_in_workbook_xml,
        "b.xlsx",
        ("<!DOCTYPE>", corpus.WORKBOOK),
    ),
    (
        "doctype-after-padding",
        corpus.doctype_after_padding,
        "p.xlsx",
        ("<!DOCTYPE>", "xl/worksheets/data.bin"),
    ),
    (
        "external-entity",
        corpus.external_entity_in_sheet,
        "x.xlsx",
        ("external-entity", corpus.SHEET),
    ),
    (
        "zip-bomb-honest",
        corpus.zip_bomb_honest,
        "z.xlsx",
        ("zip bomb", "xl/media/padding.bin", "times"),
    ),
    (
        "zip-bomb-lying-header",
        corpus.zip_bomb_lying_header,
        "z.xlsx",
        (corpus.SHEET, "declare", "1,000"),
    ),
    (
        "million-row-dimension",
        corpus.million_row_dimension,
        "m.xlsx",
        ("A1:H1000000", "1,000,000 rows", "Delete the unused rows"),
    ),
    (
        "beyond-excel-dimension",
        corpus.beyond_excel_dimension,
        "m.xlsx",
        ("A1:B2000000", "1,048,576 rows"),
    ),
    (
        "csv-renamed-xlsx",
        corpus.csv_renamed,
        "trades.xlsx",
        ("text file", "CSV", "save it as an Excel Workbook (.xlsx)"),
    ),
    ("html-renamed-xls", corpus.html_export, "export.xls", ("HTML", "save it as .xlsx")),
    (
        "utf16-text-renamed-xlsx",
        corpus.unicode_text_export,
        "unicode.xlsx",
        ("text file", "tab-separated"),
    ),
    ("random-bytes", corpus.random_bytes, "r.xlsx", ("not a zip package",)),
    ("pdf", corpus.pdf_file, "statement.xlsx", ("PDF",)),
    ("truncated-zip", corpus.truncated_zip, "t.xlsx", ("damaged or incomplete", "truncated")),
    (
        "future-zip-version",
        corpus.unsupported_zip_version,
        "v.xlsx",
        ("damaged or incomplete", "zip file version 15.8"),
    ),
    ("empty-file", corpus.empty_file, "e.xlsx", ("empty (0 bytes)",)),
    (
        "encrypted-ole",
        corpus.encrypted_ole,
        "locked.xlsx",
        ("password-protected workbooks are not supported; save an unprotected copy",),
    ),
    (
        "encrypted-zip-member",
        corpus.encrypted_member,
        "locked.xlsx",
        ("password-protected workbooks are not supported", "save an unprotected copy"),
    ),
    (
        "legacy-xls",
        corpus.legacy_xls,
        "old.xls",
        ("Excel 97-2003", ".xls", "save it as an Excel Workbook (.xlsx)"),
    ),
    (
        "no-content-types",
        corpus.zip_without_content_types,
        "n.xlsx",
        ("[Content_Types].xml", "not an Excel workbook"),
    ),
    ("word-document", corpus.word_document, "w.xlsx", ("Word document",)),
]


@pytest.mark.parametrize(
    ("builder", "name", "phrases"),
    [pytest.param(builder, name, phrases, id=case_id) for case_id, builder, name, phrases in CASES],
)
def test_hostile_file_is_refused_clearly(
    tmp_path: Path, builder: Callable[[], bytes], name: str, phrases: tuple[str, ...]
) -> None:
    """The refusal names what is wrong and what to do, and writes nothing."""
    problem = refuse(tmp_path, name, builder())
    for phrase in phrases:
        assert phrase in problem, f"{phrase!r} not in {problem!r}"


def test_genuine_workbook_loads_in_the_same_harness(tmp_path: Path) -> None:
    """The harness can pass: a genuine workbook loads, under the same limits."""
    path = tmp_path / "good.xlsx"
    path.write_bytes(corpus.genuine_workbook())
    report = open_in_child(path)
    assert report == {"loaded": ["Holdings"], "a2": "L1", "vba": False}


def test_macro_workbook_loads_keeping_its_vba(tmp_path: Path) -> None:
    """An .xlsm passes the checks, and VBA is kept because the package is macro-enabled."""
    path = tmp_path / "good.xlsm"
    path.write_bytes(corpus.macro_workbook())
    report = open_in_child(path)
    assert report == {"loaded": ["Holdings"], "a2": "L1", "vba": True}


@pytest.mark.parametrize(
    "builder", [corpus.billion_laughs_in_sheet, corpus.external_entity_in_sheet]
)
def test_entity_refusal_does_not_depend_on_defusedxml(tmp_path: Path, builder) -> None:
    """With openpyxl told not to use defusedxml, our own scan still refuses the file."""
    path = tmp_path / "b.xlsx"
    path.write_bytes(builder())
    report = open_in_child(path, env={"OPENPYXL_DEFUSEDXML": "False"})
    assert "<!DOCTYPE>" in str(report["problem"])


def test_total_size_is_checked_before_inflating(tmp_path: Path) -> None:
    """Declared sizes over the budget are refused from the central directory alone."""
    text = "".join(f"<row r='{n}'/>" for n in range(200_000)).encode()  # ~3 MB, compresses ~10x
    problem = refuse(
        tmp_path, "big.xlsx", corpus.with_part("xl/extra.xml", text), max_uncompressed=1024 * 1024
    )
    assert "1 MB limit" in problem and "zip bomb" in problem


def test_cells_counted_in_the_sheet_not_just_its_dimension(tmp_path: Path) -> None:
    """A sheet whose dimension says A1 but which holds more cells than the limit is refused."""
    problem = refuse(tmp_path, "cells.xlsx", corpus.many_cells(rows=60, columns=20), max_cells=1199)
    assert "more than 1,199 cells" in problem


def test_cell_limit_boundary(tmp_path: Path) -> None:
    """The count is an upper bound (``<c``-named elements such as ``<cellXfs>`` in styles.xml
    count too, a handful), never below the real cells; a limit of exactly the count loads, one
    less is refused."""
    from harvest_xl.excel.safe_read import HarvestFileError, read_package_safely

    path = tmp_path / "cells.xlsx"
    path.write_bytes(corpus.many_cells(rows=60, columns=20))
    count = read_package_safely(path).cells
    assert 1200 <= count <= 1200 + 20
    assert open_in_child(path, {"max_cells": count})["loaded"] == ["Holdings"]
    with pytest.raises(HarvestFileError, match=f"more than {count - 1:,} cells"):
        read_package_safely(path, max_cells=count - 1)


@pytest.mark.parametrize("spelling", ["<c\n/>", "<c\t>1</c>", '<x:c r="A1"/>', "<x:c\r/>"])
def test_cell_count_cannot_be_evaded_by_spelling(tmp_path: Path, spelling: str) -> None:
    """Cells spelled with odd whitespace or a namespace prefix are still counted: 5,000 of
    them, split across many inflate chunks, against a limit of 4,999."""
    from harvest_xl.excel.safe_read import HarvestFileError, read_package_safely

    body = "".join(f'<row r="{r}">' + spelling * 50 + "</row>" for r in range(1, 101))
    path = tmp_path / "odd.xlsx"
    path.write_bytes(
        corpus.with_part(corpus.SHEET, corpus.sheet_xml(body, dimension="A1").encode())
    )
    with pytest.raises(HarvestFileError, match="more than 4,999 cells"):
        read_package_safely(path, max_cells=4_999)


def test_too_many_parts_refused_before_zipfile_reads_them(tmp_path: Path) -> None:
    """The entry count is read from the end record; a package of many parts is refused."""
    from harvest_xl.excel.safe_read import HarvestFileError, read_package_safely

    path = tmp_path / "parts.xlsx"
    path.write_bytes(corpus.many_parts(60))
    with pytest.raises(HarvestFileError, match="parts"):
        read_package_safely(path, max_parts=50)
    assert read_package_safely(path, max_parts=100).parts  # and under the limit it passes


def test_missing_file_and_folder(tmp_path: Path) -> None:
    """A path that is not there, or is a folder, is refused with what to check."""
    from harvest_xl.excel.safe_read import HarvestFileError, read_package_safely

    with pytest.raises(HarvestFileError, match="no such file"):
        read_package_safely(tmp_path / "absent.xlsx")
    with pytest.raises(HarvestFileError, match="folder"):
        read_package_safely(tmp_path)


def test_oversized_file_refused_without_reading_it_all(tmp_path: Path) -> None:
    """A file over max_file_bytes is refused."""
    from harvest_xl.excel.safe_read import HarvestFileError, read_package_safely

    path = tmp_path / "huge.xlsx"
    path.write_bytes(corpus.genuine_workbook())
    with pytest.raises(HarvestFileError, match="larger than"):
        read_package_safely(path, max_file_bytes=1024)


def test_refusal_is_an_input_error_with_the_path() -> None:
    """HarvestFileError is a HarvestInputError (so a ValueError) carrying path and problem."""
    from harvest_xl.engine.errors import HarvestInputError
    from harvest_xl.excel.safe_read import HarvestFileError

    error = HarvestFileError("/tmp/x.xlsx", "the file is empty")
    assert isinstance(error, HarvestInputError) and isinstance(error, ValueError)
    assert str(error) == "/tmp/x.xlsx: the file is empty"
    assert error.path == Path("/tmp/x.xlsx") and error.problem == "the file is empty"
