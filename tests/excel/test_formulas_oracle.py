"""Same numbers everywhere: an independent formula engine (the `formulas` package) evaluates
the refreshed workbook's formulas with the HX_ names bound to harvest_xl.udfs, and every
formula cell equals the value the headless refresh stored (excel-integration.md §11.2).

`formulas` cannot read structured references, so a copy of the workbook is rewritten to
A1 references first, from the table geometry (the rewriter below raises on any form it
does not know, so nothing is skipped silently).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import formulas  # the `test` extra installs it: never skipped
import numpy as np
import openpyxl
import pytest
from formulas.functions import XlError
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula
from schedula.utils.cst import EMPTY

from harvest_xl import udfs
from harvest_xl.demo import write_demo

_STRING = re.compile(r'"(?:[^"]|"")*"')
_THIS_ROW = re.compile(r"(\w+)\[\[#This Row\],\[([^\]]+)\]\]")
_SPAN = re.compile(r"(\w+)\[\[([^\]#]+)\]:\[([^\]]+)\]\]")
_DATA = re.compile(r"(\w+)\[#Data\]")
_ALL = re.compile(r"(\w+)\[#All\]")
_ALL_SPAN = re.compile(r"(\w+)\[\[#All\],\[([^\]#]+)\]:\[([^\]]+)\]\]")
_HEADERS = re.compile(r"(\w+)\[#Headers\]")
_WHOLE_COLUMN = re.compile(r"(\w+)!\$([A-Z]+):\$([A-Z]+)")
_EPOCH = date(1899, 12, 30)


class Tables:
    """Table geometry: name -> (sheet, headers, first column, header row, last row)."""

    def __init__(self, wb: openpyxl.Workbook) -> None:
        self.tables: dict[str, tuple[str, list[str], int, int, int]] = {}
        for ws in wb.worksheets:
            for table in ws.tables.values():
                c1, r1, c2, r2 = range_boundaries(table.ref)
                headers = [col.name for col in table.tableColumns]
                assert len(headers) == c2 - c1 + 1
                self.tables[table.displayName] = (ws.title, headers, c1, r1, r2)

    def column(self, table: str, name: str) -> str:
        _sheet, headers, c1, _r1, _r2 = self.tables[table]
        if name not in headers:
            raise KeyError(f"{table} has no column {name!r}")
        return get_column_letter(c1 + headers.index(name))

    def span(self, table: str, first: str, last: str, header: bool = False) -> str:
        sheet, _headers, _c1, r1, r2 = self.tables[table]
        top = r1 if header else r1 + 1
        return f"'{sheet}'!${self.column(table, first)}${top}:${self.column(table, last)}${r2}"

    def headers(self, table: str) -> str:
        sheet, headers, _c1, r1, _r2 = self.tables[table]
        first, last = self.column(table, headers[0]), self.column(table, headers[-1])
        return f"'{sheet}'!${first}${r1}:${last}${r1}"

    def data(self, table: str, header: bool = False) -> str:
        _sheet, headers, *_ = self.tables[table]
        return self.span(table, headers[0], headers[-1], header)


def rewrite(formula: str, tables: Tables, row: int, last_rows: dict[str, int] | None = None) -> str:
    """Structured references -> A1 references, outside string literals only; a whole column
    (``Evaluation!$B:$B``) is cut to the sheet's used rows (``formulas`` builds every cell
    of a range it reads, a million for a whole column)."""
    if last_rows:
        formula = _WHOLE_COLUMN.sub(
            lambda m: f"'{m[1]}'!${m[2]}$1:${m[3]}${last_rows[m[1]]}", formula
        )
    out, last = [], 0
    for m in _STRING.finditer(formula):
        out.append(_rewrite_code(formula[last : m.start()], tables, row))
        out.append(m.group(0))
        last = m.end()
    out.append(_rewrite_code(formula[last:], tables, row))
    return "".join(out)


def _rewrite_code(code: str, tables: Tables, row: int) -> str:
    code = _THIS_ROW.sub(lambda m: f"${tables.column(m[1], m[2])}{row}", code)
    code = _ALL_SPAN.sub(lambda m: tables.span(m[1], m[2], m[3], header=True), code)
    code = _ALL.sub(lambda m: tables.data(m[1], header=True), code)
    code = _SPAN.sub(lambda m: tables.span(m[1], m[2], m[3]), code)
    code = _DATA.sub(lambda m: tables.data(m[1]), code)
    code = _HEADERS.sub(lambda m: tables.headers(m[1]), code)
    if "[" in code:
        raise ValueError(f"structured reference form not handled: {code}")
    return code


# ------------------------------------------------------------------ UDF bindings


def _arg(value: Any) -> Any:
    """A `formulas` argument as xlwings would hand it to the UDF."""
    if isinstance(value, np.ndarray):
        if value.size == 1:
            return _arg(value.ravel()[0])
        return [[_arg(v) for v in row] for row in value.tolist()]
    if value is EMPTY:
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _result(value: Any) -> Any:
    if isinstance(value, list):
        return np.asarray(value, dtype=object).view(formulas.functions.Array)
    return value


CALLS: list[str] = []
ERRORS: list[BaseException] = []


def _bind(name: str) -> Any:
    fn = getattr(udfs, name)

    def strict(*args: Any) -> Any:
        CALLS.append(name)
        try:
            for a in args:  # an error argument propagates, as in Excel
                if isinstance(a, XlError):
                    return a
            return _result(fn(*(_arg(a) for a in args)))
        except BaseException as error:  # recorded: `formulas` would hide it as #VALUE!
            ERRORS.append(error)
            raise

    return formulas.functions.wrap_func(strict)


UDF_NAMES = ("HX_HOLDINGS", "HX_PENALTY", "HX_WITHDRAWAL_COST")


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path, list[str]]:
    folder = tmp_path_factory.mktemp("oracle")
    report = write_demo(folder / "demo.xlsx")
    assert report.error is None and report.problems == []
    wb = openpyxl.load_workbook(report.target)
    tables = Tables(wb)
    last_rows = {ws.title: ws.max_row for ws in wb.worksheets}
    cells: list[str] = []
    for ws in wb.worksheets:
        for line in ws.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.value = "=" + rewrite(cell.value[1:], tables, cell.row, last_rows)
                    cells.append(f"{ws.title}!{cell.coordinate}")
                elif isinstance(cell.value, ArrayFormula):  # every cell of its range
                    text = "=" + rewrite(cell.value.text[1:], tables, cell.row, last_rows)
                    cell.value = ArrayFormula(cell.value.ref, text)
                    for row in ws[cell.value.ref]:
                        cells.extend(f"{ws.title}!{c.coordinate}" for c in row)
    for name in ("Start", "Plan", "Wash sales", "Summary", "Sources"):  # values only: speed
        del wb[name]
    rewritten = folder / "rewritten.xlsx"
    wb.save(rewritten)
    functions = formulas.get_functions()
    for name in UDF_NAMES:
        functions[name] = _bind(name)
    model = formulas.ExcelModel().loads(str(rewritten)).finish()
    solution = model.calculate()
    values: dict[str, Any] = {}
    prefix = f"'[{rewritten.name}]"
    for key, value in solution.items():
        if key.startswith(prefix) and "!" in key:
            sheet, ref = key[len(prefix) :].split("'!", 1)
            if ":" in ref and hasattr(value, "value"):  # an array formula: every cell
                c1, r1, _c2, _r2 = range_boundaries(ref)
                for i, line in enumerate(value.value):
                    for j, item in enumerate(line):
                        values[f"{sheet}!{get_column_letter(c1 + j)}{r1 + i}"] = item
                continue
            values[f"{sheet}!{ref}"] = value.value[0, 0] if hasattr(value, "value") else value
    return values, report.target, cells


def _norm(value: Any) -> Any:
    """One representation for both sides: serial dates, None for empty text."""
    if isinstance(value, np.generic):
        value = value.item()
    if value == "" or value is None or value is EMPTY:
        return None
    if isinstance(value, datetime):
        return float((value.date() - _EPOCH).days)
    if isinstance(value, date):
        return float((value - _EPOCH).days)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return str(value)


def test_rewriter_handles_the_forms_the_template_uses() -> None:
    """This-row, column-span, #Data and #All references become A1 references; strings
    are left."""
    wb = openpyxl.load_workbook(
        Path(__file__).resolve().parents[2] / "workbook" / "harvest-xl-template.xlsx"
    )
    tables = Tables(wb)
    assert rewrite('IF(Holdings[[#This Row],[Ticker]]="","x[1]",1)', tables, 7) == (
        'IF($B7="","x[1]",1)'
    )
    assert rewrite("VLOOKUP(1,Accounts[[Account]:[Type]],2,FALSE)", tables, 2) == (
        "VLOOKUP(1,'Accounts'!$A$2:$B$2,2,FALSE)"
    )
    assert rewrite("Securities[#All]", tables, 2) == "'Securities'!$A$1:$C$2"
    assert rewrite("Holdings[[#All],[Account]:[Price]]", tables, 2) == "'Holdings'!$A$1:$F$2"
    with pytest.raises(ValueError, match="not handled"):
        rewrite("Holdings[@Ticker]", tables, 2)
    with pytest.raises(KeyError):
        rewrite("Holdings[[#This Row],[Nope]]", tables, 2)


def test_every_formula_cell_equals_what_the_refresh_stored(
    evaluated: tuple[dict[str, Any], Path, list[str]],
) -> None:
    """For every formula cell in the refreshed demo, `formulas` (with HX_ bound) gives the
    value the refresh wrote as the cell's cached value; no bound function raised."""
    values, target, cells = evaluated
    cached = openpyxl.load_workbook(target, data_only=True)
    assert ERRORS == []
    # 11 lots x 10 formula columns, the evaluation (header + 11 rows, 11 columns) and the
    # calculator (the penalty and a six-cell array)
    assert len(cells) >= 11 * 10 + 12 * 11 + 7
    mismatches = []
    for address in cells:
        sheet, ref = address.split("!")
        mine = _norm(cached[sheet][ref].value)
        theirs = _norm(values[f"{sheet.upper()}!{ref}"])
        if mine != theirs:
            mismatches.append((address, mine, theirs))
    assert mismatches == []
    assert set(CALLS) == set(UDF_NAMES)  # every bound function was really exercised


def test_the_oracle_is_not_vacuous(evaluated: tuple[dict[str, Any], Path, list[str]]) -> None:
    """The comparison sees real results: harvest text, dates and money, not blanks."""
    values, _target, _cells = evaluated
    assert str(values["HOLDINGS!J3"]).startswith("Harvest: short-term loss")
    assert _norm(values["HOLDINGS!L3"]) == float(
        (date(2026, 11, 27) + timedelta(days=31) - _EPOCH).days
    )
    assert _norm(values["HOLDINGS!G2"]) == 36000.0
    assert str(values["HOLDINGS!K6"]).startswith("Wash sale: bought 3.5 FXAIX in 401(k) Acme")
    assert _norm(values["HOLDINGS!K2"]) == "None"
    assert _norm(values["HOLDINGS!N7"]) == 20700.0  # 10% of the 401(k) lot's 207,000
    assert values["HOLDINGS!O9"] == "Needs Roth history"
