"""Our converter options through xlwings' own read pipeline, as call_udf applies them.

On Windows, ``call_udf`` runs every argument through ``xlwings.conversion.read`` with the
argument's options (ndim, dates, err_to_str) before calling the function. Here a small
stand-in for the Windows engine (named "excel", as call_udf expects) does the engine-specific
cleaning: COM datetimes to the requested date type, COM error codes to their text. This only
approximates pywin32 (excel-integration.md §2.3), but it proves the options we declare are
accepted by xlwings and give the shapes and types the adapters handle.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
import xlwings
from xlwings import conversion

from harvest_xl import udfs

ERROR_CODES = {-2146826246: "#N/A", -2146826281: "#DIV/0!", -2146826259: "#NAME?"}


def _clean(value, dates_as, empty_as, numbers_as, err_to_str):
    """One cell as the Windows engine delivers it (our own stand-in, not xlwings' code)."""
    if value is None or value == "":
        return empty_as
    if isinstance(value, datetime):
        return dates_as(year=value.year, month=value.month, day=value.day)
    if isinstance(value, int) and value in ERROR_CODES:
        return ERROR_CODES[value] if err_to_str else None
    if numbers_as is not None and isinstance(value, float):
        return numbers_as(value)
    return value


def _clean_value_data(data, dates_as, empty_as, numbers_as, err_to_str):
    return [[_clean(c, dates_as, empty_as, numbers_as, err_to_str) for c in row] for row in data]


@pytest.fixture
def excel_engine():
    """A stand-in 'excel' engine registered for the duration of one test."""
    if "excel" in xlwings.engines.engines_by_name:  # pragma: no cover - Windows/macOS
        yield
        return
    engine = SimpleNamespace(
        name="excel", impl=SimpleNamespace(clean_value_data=_clean_value_data)
    )
    xlwings.engines.add(engine)
    try:
        yield
    finally:
        xlwings.engines.engines.remove(engine)
        del xlwings.engines.engines_by_name["excel"]


def call_like_excel(func, *com_values):
    """What call_udf does on Windows: read each argument with its options, then call."""
    args = [
        conversion.read(None, value, info["options"])
        for value, info in zip(com_values, func.__xlfunc__["args"], strict=False)
    ]
    return func(*args)


COM_TIME = datetime(2024, 2, 29, tzinfo=UTC)  # pywintypes times are tz-aware


def test_dates_arrive_as_dates(excel_engine):
    """A date cell (a COM time) reaches HX_TERM as a date and gives the HP-4 answer."""
    later = datetime(2025, 3, 1, tzinfo=UTC)
    args = [conversion.read(None, v, udfs.HX_TERM.__xlfunc__["args"][0]["options"])
            for v in (COM_TIME, later)]
    assert args == [date(2024, 2, 29), date(2025, 3, 1)]
    assert call_like_excel(udfs.HX_TERM, COM_TIME, later) == "Long-term"


def test_error_cells_arrive_as_text_and_are_named(excel_engine):
    """An #N/A cell arrives as '#N/A' (err_to_str) and the UDF names the argument."""
    assert call_like_excel(udfs.HX_SAFE_REBUY, -2146826246) == (
        "#VALUE! sale_date: the cell holds the error #N/A"
    )
    result = call_like_excel(udfs.HX_TAX, 2026.0, "single", -2146826281, 0.0, 0.0)
    assert result == "#VALUE! ordinary_income: the cell holds the error #DIV/0!"


def test_single_cell_range_arrives_two_dimensional(excel_engine):
    """ndim=2: a one-cell Activity range arrives as [[value]], a row as [[...]]."""
    options = udfs.HX_WASH_SALES.__xlfunc__["args"][0]["options"]
    assert conversion.read(None, 5.0, options) == [[5.0]]
    row = ((COM_TIME, "B", "Taxable", "BUY", "VTI", 1.0, 1.0, None, None),)
    assert conversion.read(None, row, options) == [
        [date(2024, 2, 29), "B", "Taxable", "BUY", "VTI", 1.0, 1.0, None, None]
    ]
    assert call_like_excel(udfs.HX_WASH_SALES, row) == [list(udfs.WASH_SALES_HEADER)]


def test_profile_range_with_error_cell(excel_engine):
    """A Profile range with an error value cell gives an error naming the key."""
    profile = (("Tax year", 2026.0), ("Filing status", "single"), ("Ordinary income", -2146826259))
    result = call_like_excel(udfs.HX_SAVING, 1000.0, "Long-term", profile)
    assert result == "#VALUE! profile: Ordinary income: the cell holds the error #NAME?"


def test_results_pass_the_write_pipeline(excel_engine):
    """Every result shape goes through conversion.write unchanged in shape."""
    engine = xlwings.engines["excel"]
    engine.impl.prepare_xl_data_element = lambda x, options: x
    carry = udfs.HX_CARRYOVER("single", 2000.0, -7000.0, 0.0)
    assert conversion.write(carry, None, udfs.HX_CARRYOVER.__xlfunc__["ret"]["options"]) == [
        [4000.0, 0.0]
    ]
    assert conversion.write(udfs.HX_TERM("2024-01-02", "2026-01-02"), None, {}) == [
        ["Long-term"]
    ]
