"""Regression tests for what the refresh fuzz found, each as the smallest workbook showing it."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from harvest_xl.cli import main
from harvest_xl.excel.book import OpenpyxlBook
from harvest_xl.excel.refresh import refresh_workbook

from . import books


def _refresh(data: bytes, folder: Path) -> tuple[int, bytes | None]:
    source, target = folder / "book.xlsx", folder / "out.xlsx"
    source.write_bytes(data)
    code = main(["refresh", str(source), "-o", str(target)])
    assert source.read_bytes() == data
    return code, target.read_bytes() if target.exists() else None


def test_a_number_beyond_any_date_in_a_date_cell_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openpyxl loads 123456789 in a date-formatted cell as the error #VALUE!; saved like
    that, the user's number would be gone. It is kept, and reported as not a date."""
    data = books.set_cells(books.demo_bytes(), {("Holdings", "D3"): 123456789})
    code, out = _refresh(data, tmp_path)
    assert code == 1 and out is not None
    assert "Holdings!D3 (Acquired): 123456789 is not a date" in capsys.readouterr().err
    assert books.changed_inputs(data, out) == []
    assert books.input_cells(out)[("Holdings", "D3")] == (123456789.0, None)


def test_a_damaged_package_index_is_a_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cut-off _rels/.rels (which openpyxl does without) would lose the parts it lists:
    exit 2 with the reason, no output file, no traceback."""
    with zipfile.ZipFile(io.BytesIO(books.demo_bytes())) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts["_rels/.rels"] = parts["_rels/.rels"][:200]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, part in parts.items():
            z.writestr(name, part)
    code, out = _refresh(buffer.getvalue(), tmp_path)
    err = capsys.readouterr().err
    assert (code, out) == (2, None)
    assert "its package index is damaged" in err and "Traceback" not in err


def test_merged_cells_across_rows_typed_below_a_table(tmp_path: Path) -> None:
    """Rows typed below the Holdings table are taken in; a merge over its computed columns
    there used to stop the refresh with an AttributeError."""
    data = books.apply([("merge", "Holdings", "F6:H6")])
    code, out = _refresh(data, tmp_path)
    assert code == 1 and out is not None
    assert books.changed_inputs(data, out) == []


def test_an_as_of_date_at_the_end_of_the_calendar_is_refused() -> None:
    """9999-12-31 plus a 30-day window is past the calendar: the Profile says so and the
    portfolio is not evaluated (no OverflowError)."""
    from openpyxl import load_workbook

    data = books.set_cells(books.demo_bytes(), {("Profile", "B15"): date(9999, 12, 31)})
    result = refresh_workbook(OpenpyxlBook(load_workbook(io.BytesIO(data))))
    assert [str(p) for p in result.problems if p.column == "As-of date"] == [
        "Profile!B15 (As-of date): 9999-12-31 is too far in the future. "
        "Fix: type a date such as 2026-11-27 (the day you would sell)"
    ]
    assert result.portfolio is None
