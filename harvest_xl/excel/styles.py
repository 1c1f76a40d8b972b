"""The workbook's look: number formats, fills and fonts, shared by the template's sheets.

Yellow cells are the user's to type in, grey cells are computed; the Harvest and risk
colours follow Excel's own conditional-format palette.
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Border, Font, PatternFill, Side

FONT_NAME = "Calibri"
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = '"$"#,##0.00;[Red]-"$"#,##0.00'
MONEY_WHOLE_FORMAT = '"$"#,##0;[Red]-"$"#,##0'
SHARES_FORMAT = "#,##0.####"
"""Shares with up to four decimals. Excel always shows the ``.`` of this code (120 reads
``120.``), so every whole number is shown with :data:`WHOLE_SHARES_FORMAT` instead by a
conditional format (:func:`harvest_xl.excel.template.whole_shares_rule`)."""
WHOLE_SHARES_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"

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


