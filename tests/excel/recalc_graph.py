"""Which HX_ function calls Excel re-runs after one edit, worked out from a saved workbook's
formulas alone (no Excel, no evaluation).

Excel's recalculation is driven by its dependency tree: editing a cell marks dirty every
formula that refers to it, then every formula that refers to a dirty formula's cells, and
recalculates the dirty formulas; each HX_ call in a dirty formula is a call into Python. This
module rebuilds that tree from the file: it tokenizes every formula (openpyxl's tokenizer),
resolves each reference to rectangles of cells (A1 references, whole columns, workbook
defined names, and structured references to tables: ``[#All]``, ``[#Data]``,
``[#Headers]``, ``[#This Row]``, column ranges), and follows dependencies from the edited
cell. An array formula (legacy or dynamic) is one formula whose output is its whole range:
it counts once.

Two counts per edit (:class:`EditCost`):

* ``recalculated``: HX_ calls in the formulas Excel recalculates (what it calls, unless an
  ``IF`` skips one);
* ``argument_dependent``: HX_ calls whose own arguments depend on the edit (the narrower
  count: a call whose cell is recalculated only because an ``IF`` condition changed is not
  in it).

and ``cells_passed``: the cells those argument-dependent calls receive, summed (a call
taking whole tables receives all of them every time).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

MAX_ROW = 1_048_576
MAX_COLUMN = 16_384


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle of cells on one sheet (1-based, inclusive)."""

    sheet: str
    top: int
    left: int
    bottom: int
    right: int

    @property
    def cells(self) -> int:
        return (self.bottom - self.top + 1) * (self.right - self.left + 1)

    def contains(self, row: int, column: int) -> bool:
        return self.top <= row <= self.bottom and self.left <= column <= self.right


@dataclass
class Call:
    """One HX_ function call inside a formula, with the references in its arguments."""

    name: str
    arguments: list[Rect] = field(default_factory=list)


@dataclass
class Formula:
    """One formula: the cell (or array range) it fills, what it refers to, its HX_ calls."""

    output: Rect
    text: str
    references: list[Rect] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EditCost:
    """What one edit costs in calls into Python (see the module docstring)."""

    recalculated: int
    argument_dependent: int
    cells_passed: int
    calls_by_name: dict[str, int]


@dataclass(frozen=True, slots=True)
class _Table:
    sheet: str
    top: int
    left: int
    bottom: int
    columns: tuple[str, ...]


class RecalcGraph:
    """The formulas of a saved workbook as Excel's dependency tree sees them."""

    def __init__(self, path: str | Path) -> None:
        wb = openpyxl.load_workbook(path)
        self.names: dict[str, list[Rect]] = {}
        for name, defined in wb.defined_names.items():
            self.names[name.upper()] = [
                self._a1(ref, sheet) for sheet, ref in defined.destinations
            ]
        self.tables: dict[str, _Table] = {}
        for ws in wb.worksheets:
            for table in ws.tables.values():
                left, top, _right, bottom = range_boundaries(table.ref)
                columns = tuple(c.name for c in table.tableColumns)
                self.tables[table.displayName.upper()] = _Table(
                    ws.title, top, left, bottom, columns
                )
        self.formulas: list[Formula] = []
        tokens: dict[str, list[Token]] = {}
        for ws in wb.worksheets:
            for (row, column), cell in ws._cells.items():
                value = cell.value
                if isinstance(value, ArrayFormula):
                    left, top, right, bottom = range_boundaries(value.ref)
                    output = Rect(ws.title, top, left, bottom, right)
                    text = value.text
                elif isinstance(value, str) and value.startswith("="):
                    output = Rect(ws.title, row, column, row, column)
                    text = value
                else:
                    continue
                if text not in tokens:
                    tokens[text] = Tokenizer(text).items
                self.formulas.append(self._formula(output, text, tokens[text]))
        self._index()

    # ------------------------------------------------------------------ parsing

    def _formula(self, output: Rect, text: str, tokens: list[Token]) -> Formula:
        formula = Formula(output, text)
        stack: list[Call | None] = []
        for token in tokens:
            if token.type == Token.FUNC and token.subtype == Token.OPEN:
                name = token.value[:-1].upper()
                call = Call(name) if name.startswith("HX_") else None
                if call is not None:
                    formula.calls.append(call)
                stack.append(call)
            elif token.subtype == Token.CLOSE and token.type in (Token.FUNC, Token.PAREN):
                stack.pop()
            elif token.type == Token.PAREN and token.subtype == Token.OPEN:
                stack.append(None)
            elif token.type == Token.OPERAND and token.subtype == Token.RANGE:
                rects = self.resolve(token.value, output)
                formula.references += rects
                for call in stack:
                    if call is not None:
                        call.arguments += rects
        assert not stack, text
        return formula

    def resolve(self, reference: str, host: Rect) -> list[Rect]:
        """The cells ``reference`` (as written in a formula in ``host``) refers to."""
        structured = re.fullmatch(r"([A-Za-z_][\w.]*)\[(.*)\]", reference)
        if structured and structured.group(1).upper() in self.tables:
            return [self._structured(structured.group(1).upper(), structured.group(2), host)]
        if reference.upper() in self.names:
            return self.names[reference.upper()]
        sheet, _, ref = reference.rpartition("!")
        return [self._a1(ref, sheet.strip("'").replace("''", "'") or host.sheet)]

    def _a1(self, ref: str, sheet: str) -> Rect:
        ref = ref.replace("$", "")
        whole_columns = re.fullmatch(r"([A-Z]{1,3}):([A-Z]{1,3})", ref)
        if whole_columns:
            left = column_index_from_string(whole_columns.group(1))
            right = column_index_from_string(whole_columns.group(2))
            return Rect(sheet, 1, left, MAX_ROW, right)
        whole_rows = re.fullmatch(r"(\d+):(\d+)", ref)
        if whole_rows:
            return Rect(sheet, int(whole_rows.group(1)), 1, int(whole_rows.group(2)), MAX_COLUMN)
        if not re.fullmatch(r"[A-Z]{1,3}\d+(:[A-Z]{1,3}\d+)?", ref):
            raise ValueError(f"reference not understood: {sheet}!{ref}")
        left, top, right, bottom = range_boundaries(ref)
        return Rect(sheet, top, left, bottom, right)

    def _structured(self, name: str, inner: str, host: Rect) -> Rect:
        table = self.tables[name]
        if inner.startswith("["):  # [[#All],[A]:[B]]: bracketed items (':' joins a range)
            items = [m for m, _sep in re.findall(r"\[((?:[^\[\]']|'.)*)\]|([,:])", inner) if m]
        else:  # [#All] or [Column]
            items = [inner]
        specials: list[str] = []
        columns: list[str] = []
        for item in items:
            text = re.sub(r"'(.)", r"\1", item)  # Excel escapes [ ] # ' with a '
            if text.startswith("#"):
                specials.append(text.upper())
            else:
                columns.append(text)
        header, first, last = table.top, table.top + 1, table.bottom
        rows = {"#ALL": (header, last), "#DATA": (first, last), "#HEADERS": (header, header)}
        if not specials:
            top, bottom = first, last
        elif specials == ["#THIS ROW"]:
            if not first <= host.top <= last:
                raise ValueError(f"[#This Row] outside {name}'s data rows: {host}")
            top = bottom = host.top
        else:
            spans = [rows[s] for s in specials]
            top, bottom = min(s[0] for s in spans), max(s[1] for s in spans)
        if not columns:
            left, right = table.left, table.left + len(table.columns) - 1
        else:
            indexes = [table.left + table.columns.index(c) for c in columns]
            left, right = min(indexes), max(indexes)
        return Rect(table.sheet, top, left, bottom, right)

    # --------------------------------------------------------------- dependencies

    def _index(self) -> None:
        """Single-cell references by cell; larger ones by distinct rectangle (few: whole
        tables and columns), so a changed cell finds its dependents quickly."""
        self._by_cell: dict[tuple[str, int, int], set[int]] = defaultdict(set)
        self._by_rect: dict[Rect, set[int]] = defaultdict(set)
        for i, formula in enumerate(self.formulas):
            for rect in formula.references:
                if rect.cells == 1:
                    self._by_cell[(rect.sheet, rect.top, rect.left)].add(i)
                else:
                    self._by_rect[rect].add(i)

    def _dependents(self, sheet: str, row: int, column: int) -> set[int]:
        found = set(self._by_cell.get((sheet, row, column), ()))
        for rect, formulas in self._by_rect.items():
            if rect.sheet == sheet and rect.contains(row, column):
                found |= formulas
        return found

    def edit(self, sheet: str, cell: str) -> EditCost:
        """What editing ``sheet!cell`` (an input) makes Excel call."""
        column, row = range_boundaries(cell)[:2]
        changed = _CellSet()
        changed.add(sheet, row, column)
        dirty: set[int] = set()
        queue: deque[tuple[str, int, int]] = deque([(sheet, row, column)])
        while queue:
            for i in self._dependents(*queue.popleft()) - dirty:
                dirty.add(i)
                out = self.formulas[i].output
                for r in range(out.top, out.bottom + 1):
                    for c in range(out.left, out.right + 1):
                        if changed.add(out.sheet, r, c):
                            queue.append((out.sheet, r, c))
        recalculated = argument_dependent = cells_passed = 0
        by_name: dict[str, int] = defaultdict(int)
        for i in dirty:
            for call in self.formulas[i].calls:
                recalculated += 1
                if any(changed.meets(rect) for rect in call.arguments):
                    argument_dependent += 1
                    by_name[call.name] += 1
                    cells_passed += sum(rect.cells for rect in call.arguments)
        return EditCost(recalculated, argument_dependent, cells_passed, dict(by_name))

    def hx_calls(self) -> dict[str, int]:
        """Every HX_ call in the workbook by name: what a full recalculation calls."""
        found: dict[str, int] = defaultdict(int)
        for formula in self.formulas:
            for call in formula.calls:
                found[call.name] += 1
        return dict(found)


class _CellSet:
    """Changed cells, by sheet and column, with sorted rows: "does this rectangle hold a
    changed cell" costs a bisection per column, not a scan."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, int], list[int]] = defaultdict(list)

    def add(self, sheet: str, row: int, column: int) -> bool:
        rows = self._rows[(sheet, column)]
        at = bisect.bisect_left(rows, row)
        if at < len(rows) and rows[at] == row:
            return False
        rows.insert(at, row)
        return True

    def meets(self, rect: Rect) -> bool:
        for (sheet, column), rows in self._rows.items():
            if sheet == rect.sheet and rect.left <= column <= rect.right:
                at = bisect.bisect_left(rows, rect.top)
                if at < len(rows) and rows[at] <= rect.bottom:
                    return True
        return False


def describe(cost: EditCost) -> dict[str, Any]:
    """The cost as plain data (for messages and the README numbers)."""
    return {
        "recalculated": cost.recalculated,
        "argument_dependent": cost.argument_dependent,
        "cells_passed": cost.cells_passed,
        "by_name": cost.calls_by_name,
    }
