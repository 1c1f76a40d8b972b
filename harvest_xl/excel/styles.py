"""The workbook's look: number formats, fills and fonts, shared by the template's sheets.

Yellow cells are the user's to type in, grey cells are computed; the Harvest and risk
colours follow Excel's own conditional-format palette.
"""

from __future__ import annotations

from typing import Any

from openpyxl.formatting.rule import Rule
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

FONT_NAME = "Calibri"
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = '"$"#,##0.00;[Red]-"$"#,##0.00'
MONEY_WHOLE_FORMAT = '"$"#,##0;[Red]-"$"#,##0'
SHARES_FORMAT = "#,##0.####"
"""Shares with up to four decimals. Excel always shows the ``.`` of this code (120 reads
``120.``), so every cell in a column with this format is covered by
:func:`whole_shares_rule`, which shows a number that is whole at four decimals with
:data:`WHOLE_SHARES_FORMAT` instead (excel-integration.md R2.10)."""
WHOLE_SHARES_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"
YEAR_FORMAT = "0"
STAMP_FORMAT = "yyyy-mm-dd hh:mm"
"""Date and time of a refresh (``mm`` after ``hh`` is minutes in Excel)."""

RULE_FORMAT_IDS = {WHOLE_SHARES_FORMAT: 200, MONEY_FORMAT: 201, DATE_FORMAT: 202}
"""numFmtId of each number format a conditional format applies (its differential style
carries the code and an id). Custom ids start at 164; openpyxl numbers the cell formats of
this workbook from there, a handful, so 200 and up never name a different code."""

_WHITE = "FFFFFF"
INPUT_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
COMPUTED_HEADER_FILL = PatternFill("solid", fgColor="375623")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
"""Inputs: pale yellow, the spreadsheet convention for cells you type in."""
COMPUTED_FILL = PatternFill("solid", fgColor="EDEDED")
"""Computed: pale grey, filled by formulas or by Refresh."""
HARVEST_FILL = PatternFill("solid", fgColor="C6EFCE")
NO_TAX_FILL = PatternFill("solid", fgColor="D9D9D9")
RISK_FILL = PatternFill("solid", fgColor="FFC7CE")
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True, color="1F4E78")
HEADER_FONT = Font(name=FONT_NAME, size=11, bold=True, color=_WHITE)
BODY_FONT = Font(name=FONT_NAME, size=11)
NOTE_FONT = Font(name=FONT_NAME, size=10, italic=True, color="595959")
BOLD_FONT = Font(name=FONT_NAME, size=11, bold=True)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def font_all(ws: Any, font: Font = BODY_FONT) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if cell.font is None or cell.font.name != FONT_NAME:
                cell.font = font


def title(ws: Any, title: str, note: str | None = None) -> None:
    ws["A1"] = title
    ws["A1"].font = TITLE_FONT
    if note:
        ws["A2"] = note
        ws["A2"].font = NOTE_FONT




def format_rule(ws: Any, column: int, first: int, last: int, code: str, test: str) -> None:
    """Cells ``first..last`` of ``column`` take the number format ``code`` when ``test`` is
    true; ``test`` is an Excel condition on ``{cell}``, the range's first cell (relative, so
    Excel applies it row by row). A conditional format, so it holds for cells a refresh or
    a spilled array fills without their own style."""
    letter = get_column_letter(column)
    style = DifferentialStyle(numFmt=NumberFormat(numFmtId=RULE_FORMAT_IDS[code], formatCode=code))
    condition = test.format(cell=f"{letter}{first}")
    rule = Rule(type="expression", dxf=style, formula=[condition])
    ws.conditional_formatting.add(f"{letter}{first}:{letter}{last}", rule)


WHOLE_AT_FOUR_DECIMALS = "AND(ISNUMBER({cell}),MOD(ROUND({cell},4),1)=0)"
"""A number :data:`SHARES_FORMAT` would show with no decimals, and so with a bare ``.``:
whole, or within half a ten-thousandth of whole (120.00001 reads ``120.`` too)."""


def whole_shares_rule(ws: Any, column: int, first: int, last: int) -> None:
    """Whole numbers of shares without Excel's trailing ``.`` (excel-integration.md R2.10):
    the column keeps :data:`SHARES_FORMAT` for fractions, and a conditional format gives
    numbers that are whole at four decimals :data:`WHOLE_SHARES_FORMAT`."""
    format_rule(ws, column, first, last, WHOLE_SHARES_FORMAT, WHOLE_AT_FOUR_DECIMALS)


PRINT_MARGINS = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
"""Inches: narrow sides (the sheets are wide), room for the footer."""
PRINT_FOOTER_LEFT = "&A"
"""The sheet's name."""
PRINT_FOOTER_RIGHT = "Page &P of &N"


def print_setup(ws: Any, title_row: int | None = None) -> None:
    """Print ``ws`` landscape on US Letter, as wide as one page and as long as it needs
    (fit to width, ``fitToHeight`` 0), with the sheet name and page number in the footer
    and ``title_row`` (a table's header row) repeated at the top of every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(
        left=PRINT_MARGINS.left,
        right=PRINT_MARGINS.right,
        top=PRINT_MARGINS.top,
        bottom=PRINT_MARGINS.bottom,
        header=PRINT_MARGINS.header,
        footer=PRINT_MARGINS.footer,
    )
    ws.oddFooter.left.text = PRINT_FOOTER_LEFT
    ws.oddFooter.right.text = PRINT_FOOTER_RIGHT
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"
