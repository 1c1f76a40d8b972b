"""Save an openpyxl workbook with computed values stored as the formulas' cached values.

openpyxl cannot write a formula's cached value, and its cell writer builds and serialises
an XML element per cell, which is most of its save time on a big sheet. This saver is
openpyxl's own package writer (styles, tables, rels, content types: everything else)
with one step replaced: each sheet's ``<sheetData>`` is written directly as text, with
``<v>`` holding the computed value of every formula cell that has one. Cells the fast
path does not know (rich text, array and data-table formulas, hyperlinks, time zones,
ISO dates) are written by openpyxl's own cell writer and then given their value the same
way. Rows an import appended as plain values (:mod:`.appended_rows`) are written in the same
pass, each value exactly as the cell openpyxl would have made of it. ``fullCalcOnLoad`` is
dropped from the saved workbook: the values are current.
"""

from __future__ import annotations

import io
import math
import re
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from xml.etree import ElementTree

from openpyxl.cell.cell import Cell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.writer.excel import ExcelWriter

from harvest_xl.excel.appended_rows import (
    DATED,
    AppendedRows,
    RowBlock,
    by_column,
    by_data_type,
    data_type,
)
from harvest_xl.excel.package_parts import NEW_FOLDER_ATTR, NEW_MEMBER_ATTR, Part, Parts
from harvest_xl.inputs.cells import EXCEL_EPOCH

_EPOCH = datetime.combine(EXCEL_EPOCH, datetime.min.time())
_MARK = "harvestXlSheetData"
_PLACEHOLDER = re.compile(rb"<sheetData " + _MARK.encode() + rb'="1"\s*(?:/>|>\s*</sheetData>)')

Results = Mapping[tuple[str, int, int], Any]


class CellError(str):
    """An Excel error value (``#DIV/0!``, ``#N/A`` …) as a formula's result: stored as an
    error (``t="e"``), not as text, so Excel and every reader see the error itself."""

    __slots__ = ()


def save_with_values(
    workbook: Any,
    results: Results,
    appended: AppendedRows | None = None,
    *,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """``workbook`` saved to bytes, each formula cell in ``results`` ({(sheet, row, column):
    value}) carrying that value as its cached value, with the rows ``appended`` to its
    sheets; each part stored with ``compression`` (a zip of :func:`save_parts`, as
    openpyxl's own zip would hold them)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression, allowZip64=True) as archive:
        for name, part in save_parts(workbook, results, appended).items():
            info = zipfile.ZipInfo(name, date_time=part.date_time)
            info.external_attr = part.external_attr
            info.compress_type = compression
            archive.writestr(info, part.data)
    return out.getvalue()


def save_parts(workbook: Any, results: Results, appended: AppendedRows | None = None) -> Parts:
    """The parts of ``workbook`` saved as :func:`save_with_values` saves it, not zipped: the
    package is finished over its parts and zipped once (:mod:`.package`), so the 40 MB of
    an imported history's sheets are not zipped here to be read back there."""
    by_sheet: dict[str, dict[tuple[int, int], Any]] = defaultdict(dict)
    for (sheet, row, column), value in results.items():
        by_sheet[sheet][(row, column)] = value
    if workbook.read_only:
        raise TypeError("Workbook is read-only")
    archive = _PartsArchive()
    calc = workbook.calculation
    full_calc = calc.fullCalcOnLoad
    calc.fullCalcOnLoad = None
    try:
        now = datetime.now(tz=UTC).replace(tzinfo=None)
        workbook.properties.modified = now
        _Writer(workbook, archive, by_sheet, appended or AppendedRows()).write_data()
    finally:
        calc.fullCalcOnLoad = full_calc
    return archive.parts


class _PartsArchive:
    """What openpyxl's package writer uses of a :class:`zipfile.ZipFile` (``writestr``,
    ``write``, ``namelist``, ``close``), keeping each member as a :class:`Part` with the
    time and file attributes the zip would give it. A name written twice keeps its first
    place and its last bytes, as a zip holding it twice reads back."""

    def __init__(self) -> None:
        self.parts: Parts = {}

    def writestr(self, name: str, data: str | bytes) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        # As ZipFile.writestr stamps a member written by name.
        attr = NEW_FOLDER_ATTR if name.endswith("/") else NEW_MEMBER_ATTR
        self.parts[name] = Part(data, time.localtime(time.time())[:6], attr, stored=False)

    def write(self, filename: str, arcname: str) -> None:
        info = zipfile.ZipInfo.from_file(filename, arcname)
        with open(filename, "rb") as file:
            data = file.read()
        self.parts[info.filename] = Part(data, info.date_time, info.external_attr, stored=False)

    def namelist(self) -> list[str]:
        return list(self.parts)

    def close(self) -> None:
        pass


class _Writer(ExcelWriter):  # type: ignore[misc]  # openpyxl has no type information
    """openpyxl's package writer, with sheets written by :class:`_SheetWriter`."""

    def __init__(
        self,
        workbook: Any,
        archive: _PartsArchive,
        results: Mapping[str, Mapping[tuple[int, int], Any]],
        appended: AppendedRows,
    ) -> None:
        super().__init__(workbook, archive)
        self._results = results
        self._appended = appended

    def write_worksheet(self, ws: Any) -> None:
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        # As ExcelWriter.write_worksheet does for a normal workbook.
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = _SheetWriter(ws, self._results.get(ws.title, {}), self._appended.of(ws.title))
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.xml())
        self.manifest.append(ws)


class _SheetWriter(WorksheetWriter):  # type: ignore[misc]
    """openpyxl's sheet writer, except ``<sheetData>``, which is written as text."""

    def __init__(
        self, ws: Any, results: Mapping[tuple[int, int], Any], blocks: Sequence[RowBlock]
    ) -> None:
        super().__init__(ws, out=io.BytesIO())
        self._results = results
        self._blocks = blocks
        self._sheet_data = b""

    def write(self) -> None:
        try:
            super().write()
        except BaseException:
            self.close()  # openpyxl's stream, still open when a row could not be written
            raise

    def write_dimensions(self) -> None:
        if not self._blocks:
            super().write_dimensions()
            return
        self.xf.send(SheetDimension(dimension(self.ws, self._blocks)).to_tree())

    def write_rows(self) -> None:
        # Same moment as openpyxl's: comments and hyperlinks are collected here.
        self._sheet_data = sheet_data_xml(self.ws, self._results, self._blocks)
        xf = self.xf.send(True)
        with xf.element("sheetData", {_MARK: "1"}):
            pass
        self.xf.send(None)

    def xml(self) -> bytes:
        data: bytes = self.read()
        found = _PLACEHOLDER.search(data)
        if found is None:
            raise RuntimeError("openpyxl did not write the sheetData placeholder")
        return b"".join((data[: found.start()], self._sheet_data, data[found.end() :]))


def _text(value: str) -> str:
    """Element text escaped as ElementTree does."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def _attr(value: str) -> str:
    """An attribute value escaped as ElementTree does."""
    value = _text(value)
    for raw, entity in (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if raw in value:
            value = value.replace(raw, entity)
    return value


def cached(value: Any) -> tuple[str, str]:
    """(cell type, escaped <v> text) of a computed value stored as a formula's cached value."""
    kind = type(value)
    if kind is float and math.isfinite(value):  # the common cases first
        text = repr(value)
        return "", text[:-2] if text.endswith(".0") else text
    if kind is str:
        return "str", _text(value)
    if isinstance(value, CellError):
        return "e", _text(str(value))
    if value is None:
        return "str", ""
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, datetime):
        return "", repr((value - _EPOCH).total_seconds() / 86400)
    if isinstance(value, date):
        return "", str((value - _EPOCH.date()).days)
    if isinstance(value, int):
        return "", str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "e", "#NUM!"
        text = repr(value)
        return "", text[:-2] if text.endswith(".0") else text
    return "str", _text(str(value))


def dimension(ws: Any, blocks: Sequence[RowBlock]) -> str:
    """The sheet's used range (as openpyxl's ``calculate_dimension``), its blocks included."""
    rows = {row for row, _ in ws._cells}
    columns = {column for _, column in ws._cells}
    for block in blocks:
        rows.update((block.first_row, block.last_row))
        columns.update(block.columns)
    if not rows:
        return "A1:A1"
    first, last = get_column_letter(min(columns)), get_column_letter(max(columns))
    return f"{first}{min(rows)}:{last}{max(rows)}"


def sheet_data_xml(
    ws: Any, results: Mapping[tuple[int, int], Any], blocks: Sequence[RowBlock] = ()
) -> bytes:
    """The ``<sheetData>`` element of ``ws`` as openpyxl writes it, plus cached values, with
    the values of ``blocks`` among the sheet's cells."""
    cells = ws._cells
    rows: dict[int, list[Any]] = defaultdict(list)
    for key in sorted(cells):  # (row, column): int-first keys sort fast
        rows[key[0]].append(cells[key])
    for row in ws.row_dimensions.keys() - rows.keys():
        rows[row] = []
    dimensions = ws.row_dimensions
    writer = _CellWriter(ws, results)
    out: list[str] = ["<sheetData>"]
    add = out.append

    def row_xml(row: int, parts: list[tuple[int, str]], values: list[tuple[int, str]]) -> str:
        """A row of cells ``parts`` (and dimensions), with the block ``values`` of that row."""
        number = str(row)
        dims = dimensions.get(row)
        if dims is None:
            head = '<row r="' + number + '"'
        else:
            attrs = {"r": number}
            attrs.update(dims)
            head = "<row" + "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items())
        if values:
            parts = _merged(parts, values, ws.title, row) if parts else values
        return head + (">" + "".join([xml for _, xml in parts]) + "</row>" if parts else "/>")

    def sheet_row(row: int) -> list[tuple[int, str]]:
        """The ``<c>`` of a row's cells (their styles registered now, in row order)."""
        return writer.cells(rows[row], str(row))

    numbers = sorted(rows)
    next_cell = 0  # the first of ``numbers`` not written yet
    for index, block in sorted(enumerate(blocks), key=lambda item: item[1].first_row):
        while next_cell < len(numbers) and numbers[next_cell] < block.first_row:
            row = numbers[next_cell]
            add(row_xml(row, sheet_row(row), []))
            next_cell += 1
        shared = []  # rows of the block that have cells too
        while next_cell < len(numbers) and numbers[next_cell] <= block.last_row:
            shared.append(numbers[next_cell])
            next_cell += 1
        out += writer.block_rows(index, block, shared, sheet_row, row_xml)
    for row in numbers[next_cell:]:
        add(row_xml(row, sheet_row(row), []))
    add("</sheetData>")
    return "".join(out).encode("utf-8")


def _merged(
    cells: list[tuple[int, str]], values: list[tuple[int, str]], sheet: str, row: int
) -> list[tuple[int, str]]:
    """A row's cells and its block values, in column order (a position is never both)."""
    merged = sorted(cells + values, key=lambda part: part[0])
    for (a, _), (b, _) in zip(merged, merged[1:], strict=False):
        if a == b:
            raise RuntimeError(f"{sheet}!{get_column_letter(a)}{row} is a cell and a row value")
    return merged


class _CellWriter:
    """The ``<c>`` elements of one sheet, its cells' and its blocks' values alike, styles
    registered with the workbook in the order openpyxl registers them (cell by cell)."""

    def __init__(self, ws: Any, results: Mapping[tuple[int, int], Any]) -> None:
        self.ws = ws
        self.workbook = ws.parent
        self.results = results
        self.style_ids: dict[bytes, int] = {}
        self.letters: dict[int, str] = {}
        self.epoch = self.workbook.epoch
        # The style attribute of each (block, column, style variant).
        self.attrs: dict[tuple[int, int, str], str] = {}

    def letter(self, column: int) -> str:
        letter = self.letters.get(column)
        if letter is None:
            letter = self.letters[column] = get_column_letter(column)
        return letter

    def style_id(self, style: Any, register: Callable[[], int]) -> int | None:
        """The workbook's id of a style (None: the default style); equal styles get the same
        id, so ``register`` (which adds it to the workbook) is asked once per distinct one."""
        if style is None or not any(style):  # cell.has_style
            return None
        content = style.tobytes()
        found = self.style_ids.get(content)
        if found is None:
            found = self.style_ids[content] = register()
        return found

    def cells(self, row_cells: list[Any], number: str) -> list[tuple[int, str]]:
        """(column, ``<c>``) of the written cells of one row."""
        ws, workbook, results = self.ws, self.workbook, self.results
        parts: list[tuple[int, str]] = []
        for cell in row_cells:
            if cell._comment is not None:
                ws._comments.append(CommentRecord.from_cell(cell))
            style = cell._style
            styled = style is not None and any(style)  # cell.has_style
            if cell._value is None and not styled and not cell._comment:
                continue
            # cell.style_id registers the style with the workbook
            style_id = self.style_id(style, _registrar(cell)) if styled else None
            column = cell.column
            coordinate = self.letter(column) + number
            parts.append((column, _cell_xml(cell, coordinate, style_id, workbook, results)))
        return parts

    def block_rows(
        self,
        index: int,
        block: RowBlock,
        shared: Sequence[int],
        sheet_row: Callable[[int], list[tuple[int, str]]],
        row_xml: Callable[[int, list[tuple[int, str]], list[tuple[int, str]]], str],
    ) -> list[str]:
        """The ``<row>`` elements of block ``index`` as pieces of text (joined, they are the
        rows), each value exactly as :func:`_cell_xml` writes the cell openpyxl would make
        of it; ``shared``: the rows the sheet has cells in too (``sheet_row`` gives their
        ``<c>``, ``row_xml`` writes such a row).

        Column by column: the XML after a value's row number is made once per distinct
        value of the column (one lookup per row; a column of plain text in every row is
        its values themselves), and the rows are laid out as the pieces of one row
        template, its text between the row numbers and the columns' XML. Styles
        are registered with the workbook in the order a row-by-row writer meets them: each
        (column, variant) at the first row holding one, a shared row's cells after that
        row's values."""
        count = len(block.rows)
        if not count:
            return []
        first_row, columns = block.first_row, block.columns
        columns_values = by_column(block.rows, len(columns))
        # 1. Each column's distinct values by data type and variant, in the order first met.
        groups: list[dict[tuple[str, str], list[Any]]] = []
        firsts: dict[tuple[int, str], int] = {}  # (position, variant) -> first offset
        for position, values in enumerate(columns_values):
            found = by_data_type(values)
            groups.append(found)
            for (_, variant), distinct in found.items():
                offset = values.index(distinct[0])
                key = (position, variant)
                firsts[key] = min(offset, firsts.get(key, offset))
        # 2. Styles registered in row order, a shared row's cells after its values.
        order = sorted((offset, at, variant) for (at, variant), offset in firsts.items())
        shared_cells: dict[int, list[tuple[int, str]]] = {}
        pending = 0
        for offset in [row - first_row for row in shared] + [count]:
            while pending < len(order) and order[pending][0] <= offset:
                _, position, variant = order[pending]
                self._attrs(index, block, columns[position], variant)
                pending += 1
            if offset < count:
                shared_cells[offset] = sheet_row(first_row + offset)
        # 3. Each column's XML after the row number, row by row (None: no value there).
        afters: list[Sequence[str | None] | _Texts] = []
        epoch, iso_dates = self.epoch, self.workbook.iso_dates
        for position, values in enumerate(columns_values):
            column, found = columns[position], groups[position]
            if len(found) == 1 and not (iso_dates and _DATE in found):
                ((kind, distinct),) = found.items()
                if kind[0] == "s" and all(distinct) and _plain(distinct) and None not in values:
                    # text in every row, written as it is: the values themselves
                    afters.append(_Texts(self.attrs[(index, column, kind[1])], values))
                    continue
                if len(distinct) == count and all(distinct):  # a value of its own in every row
                    attrs = self.attrs[(index, column, kind[1])]
                    afters.append(_tails(distinct, kind[0], epoch, attrs))
                    continue
            known: dict[Any, str] = {}
            zeros = False  # 0, -0.0 and "" are equal yet written apart: never looked up
            for kind, distinct in found.items():
                if not all(distinct):
                    distinct = [value for value in distinct if value]
                    zeros = True
                if kind[0] == "d" and iso_dates:
                    known.update((v, self._after(index, block, column, v, kind)) for v in distinct)
                    continue
                attrs = self.attrs[(index, column, kind[1])]  # as _after makes it
                known.update(zip(distinct, _tails(distinct, kind[0], epoch, attrs), strict=True))
            if not zeros:  # every value looked up (None is no key: no value there)
                afters.append(list(map(known.get, values)))
                continue
            afters.append(
                [
                    known[value]
                    if value
                    else None
                    if value is None
                    else self._after(index, block, column, value, data_type(value))
                    for value in values
                ]
            )
        # 4. The rows: one template, its row number in every cell reference.
        numbers = list(map(str, range(first_row, first_row + count)))
        template, dense = '<row r="%s">', False
        arguments: list[Sequence[Any]] = [numbers]
        for column, column_afters in zip(columns, afters, strict=True):
            if isinstance(column_afters, _Texts):
                template += '<c r="' + self.letter(column) + "%s" + column_afters.text_template
                arguments += [numbers, column_afters.values]
                dense = True
                continue
            empty = column_afters.count(None)
            if empty == count:
                continue
            head = '<c r="' + self.letter(column)
            if empty == 0:
                template += head + "%s%s"
                arguments += [numbers, column_afters]
                dense = True
            else:  # a column with gaps: each cell written whole, or nothing
                template += "%s"
                arguments.append(
                    [
                        "" if after is None else head + number + after
                        for number, after in zip(numbers, column_afters, strict=True)
                    ]
                )
        template += "</row>"
        if dense:
            # The rows as one run of pieces that the sheet's text joins once: the template's
            # text between its arguments, row after row (no string made per row).
            slots: list[Sequence[str]] = []
            for text, argument in zip(template.split("%s"), [*arguments, None], strict=True):
                if text:
                    slots.append([text] * count)
                if argument is not None:
                    slots.append(argument)
            width = len(slots)
            pieces: list[str] = [""] * (count * width)
            for at, slot in enumerate(slots):
                pieces[at::width] = slot
        else:  # a row of no value is no row, as a row of no cell
            width = 1
            pieces = [
                "" if line == '<row r="' + number + '"></row>' else line
                for line, number in zip(
                    map(template.__mod__, zip(*arguments, strict=True)), numbers, strict=True
                )
            ]
        for offset, parts in shared_cells.items():
            own = [
                (column, '<c r="' + self.letter(column) + numbers[offset] + after)
                for column, after in zip(columns, (_at(a, offset) for a in afters), strict=True)
                if after is not None
            ]
            row = [row_xml(first_row + offset, parts, own)] + [""] * (width - 1)
            pieces[offset * width : (offset + 1) * width] = row
        return pieces

    def _attrs(self, index: int, block: RowBlock, column: int, variant: str) -> str:
        """The style attribute (and the closing quote of the reference) of a value of
        ``variant`` in ``column`` of block ``index``; its style registered on first use."""
        attrs = self.attrs.get((index, column, variant))
        if attrs is None:
            style = block.style(column, variant)
            workbook = self.workbook
            style_id = self.style_id(style, lambda: workbook._cell_styles.add(style))
            attrs = self.attrs[(index, column, variant)] = (
                '"' if style_id is None else f'" s="{style_id}"'
            )
        return attrs

    def _after(
        self, index: int, block: RowBlock, column: int, value: Any, kind: tuple[str, str]
    ) -> str:
        """A block value's ``<c>`` after its row number: its style, type and value. (Equal
        values a block holds write alike, 1 and 1.0 both ``<v>1</v>``, zeros aside.)"""
        data, variant = kind
        attrs = self._attrs(index, block, column, variant)
        if data == "d" and self.workbook.iso_dates:  # openpyxl's own writer for ISO dates
            cell = Cell(self.ws, block.first_row, column, style_array=block.style(column, variant))
            cell._value, cell.data_type = value, data
            xml = _openpyxl_cell_xml(cell, {})
            return xml[len(f'<c r="{cell.coordinate}') :]
        return attrs + _value_tail(value, data, self.epoch)


def _registrar(cell: Any) -> Callable[[], int]:
    def register() -> int:
        style_id: int = cell.style_id
        return style_id

    return register


def _cell_xml(
    cell: Any,
    coordinate: str,
    style_id: int | None,
    workbook: Any,
    results: Mapping[tuple[int, int], Any],
) -> str:
    value = cell._value
    kind = cell.data_type
    plain = not cell.hyperlink
    if kind == "d":
        plain = plain and getattr(value, "tzinfo", None) is None and not workbook.iso_dates
    elif kind in ("s", "f"):
        plain = plain and type(value) is str
    elif kind not in ("n", "b", "e"):
        plain = False
    if not plain:
        return _openpyxl_cell_xml(cell, results)
    head = f'<c r="{coordinate}"' if style_id is None else f'<c r="{coordinate}" s="{style_id}"'
    if kind == "f":
        formula = "<f>" + _text(value[1:]) + "</f>"
        key = (cell.row, cell.column)
        if key in results:
            t, text = cached(results[key])
            type_attr = f' t="{t}"' if t else ""
            return f"{head}{type_attr}>{formula}<v>{text}</v></c>"
        return f"{head}>{formula}<v/></c>"
    return head + _value_tail(value, kind, workbook.epoch)


_DATE = ("d", DATED)
"""The data type and variant of a date a block holds (see :func:`data_type`)."""
_PLAIN_TEXT_TAIL = ' t="inlineStr"><is><t>%s</t></is></c>'
_NUMBER_TAIL = ' t="n"><v>%.16g</v></c>'


@dataclass(frozen=True, slots=True)
class _Texts:
    """A block column holding text in every row, none of it needing an escape or keeping
    an edge space: its ``values`` are written as they are, after the style attribute
    ``attrs`` (see :meth:`_CellWriter._attrs`)."""

    attrs: str
    values: list[str]

    @property
    def text_template(self) -> str:
        """A value's ``<c>`` after its row number, ``%s`` standing for the value."""
        return _escaped(self.attrs) + _PLAIN_TEXT_TAIL

    def after(self, offset: int) -> str:
        return self.text_template % self.values[offset]


def _at(afters: Sequence[str | None] | _Texts, offset: int) -> str | None:
    """A column's XML after the row number in row ``offset`` of its block."""
    return afters.after(offset) if isinstance(afters, _Texts) else afters[offset]


def _plain(texts: list[str]) -> bool:
    """True when no text of ``texts`` needs an escape or keeps an edge space."""
    joined = "".join(texts)
    return not ("&" in joined or "<" in joined or ">" in joined) and texts == list(
        map(str.strip, texts)
    )


def _tails(values: list[Any], kind: str, epoch: Any, attrs: str) -> list[str]:
    """``attrs`` (a style attribute, see :meth:`_CellWriter._attrs`) and :func:`_value_tail`
    of each of ``values`` (distinct non-empty values of one data type), by one format each
    in the common cases: text needing no escape and keeping no edge space, and finite
    numbers."""
    if kind == "s":
        if _plain(values):
            return list(map((_escaped(attrs) + _PLAIN_TEXT_TAIL).__mod__, values))
    elif kind == "n" and all(
        type(value) is int or (type(value) is float and math.isfinite(value)) for value in values
    ):
        return list(map((_escaped(attrs) + _NUMBER_TAIL).__mod__, values))
    return [attrs + _value_tail(value, kind, epoch) for value in values]


def _escaped(text: str) -> str:
    """``text`` as the literal part of a %-format."""
    return text.replace("%", "%%")


def _value_tail(value: Any, kind: str, epoch: Any) -> str:
    """A value cell's XML after ``<c r=".." s=".."``: its type and its value."""
    if kind == "s":
        if value == "":
            return ' t="inlineStr"/>'
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and value != stripped else ""
        return f' t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
    if kind == "d":
        value = to_excel(value, epoch)
        kind = "n"
    if value is None or value == "":
        return f' t="{kind}"/>'
    return f' t="{kind}"><v>{_text(safe_string(value))}</v></c>'


class _Capture:
    """Stands in for openpyxl's xmlfile: keeps the element its cell writer writes."""

    element: Any = None

    def write(self, element: Any) -> None:
        self.element = element


def _openpyxl_cell_xml(cell: Any, results: Mapping[tuple[int, int], Any]) -> str:
    """A cell openpyxl's own writer writes (rich text, array formulas, hyperlinks, ...)."""
    from openpyxl.cell._writer import etree_write_cell

    capture = _Capture()
    etree_write_cell(capture, cell.parent, cell, cell.has_style)
    xml = ElementTree.tostring(capture.element, encoding="unicode")
    key = (cell.row, cell.column)
    if cell.data_type == "f" and key in results and not isinstance(cell._value, CellRichText):
        return _with_cached(xml, results[key])
    return xml


_FORMULA_CELL = re.compile(
    r'^<c r="([A-Z]+[0-9]+)"([^>]*)>'
    r"(<f(?:\s[^>]*)?>.*?</f>|<f(?:\s[^>]*)?/>)"
    r"(?:<v\s*/>|<v></v>)?</c>$",
    re.DOTALL,
)
_TYPE_ATTR = re.compile(r'\s+t="[^"]*"')


def _with_cached(xml: str, value: Any) -> str:
    found = _FORMULA_CELL.match(xml)
    if found is None:
        return xml
    t, text = cached(value)
    attrs = _TYPE_ATTR.sub("", found.group(2)) + (f' t="{t}"' if t else "")
    return f'<c r="{found.group(1)}"{attrs}>{found.group(3)}<v>{text}</v></c>'
