"""Every formula the template writes, declared once.

* **Evaluation** — one ``HX_HOLDINGS`` call in ``Evaluation!A3``, a dynamic array over the
  Holdings input columns and the other tables: the whole portfolio in one Python call per
  recalculation, however many lots.
* **Holdings computed columns** — table calculated columns that look up their row of that
  array (``INDEX`` by the row's position in the table): editing one cell costs one Python
  call, not one per row and column.
* **Withdrawal** — one ``HX_PENALTY``, and one ``HX_WITHDRAWAL_COST`` (a 6-row array on the
  Evaluation sheet, which the calculator's six cells look up).

Both arrays live on the hidden Evaluation sheet, and every visible cell is a plain formula:
readers that recalculate array formulas on opening (LibreOffice does, measured) still show
the visible cells' stored values there.

Formulas use the canonical structured-reference form Excel stores on disk
(``Holdings[[#This Row],[Shares]]``, never ``[@Shares]``) and reach the Profile through
workbook-scoped defined names (``AsOfDate``, ``ProfileRange`` …). UDF calls are stored with
the plain name; the add-in provides the functions. No post-2010 function is used, so
nothing needs an ``_xlfn.`` prefix. The headless refresh gives these cells their values from
the same evaluation the functions compute (:mod:`harvest_xl.results`).
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from harvest_xl.excel import layout as L
from harvest_xl.excel.styles import DATE_FORMAT, MONEY_FORMAT
from harvest_xl.results import HOLDINGS_RESULT_COLUMNS


def this_row(table: str, column: str) -> str:
    """Canonical on-disk structured reference to ``column`` in the formula's own row."""
    return f"{table}[[#This Row],[{escape(column)}]]"


def escape(column: str) -> str:
    """Escape the characters Excel escapes with ``'`` inside a structured reference."""
    return "".join("'" + ch if ch in "[]#'" else ch for ch in column)


def _h(column: str) -> str:
    return this_row(L.HOLDINGS, column)


def _all(table: str) -> str:
    """A whole table with its header row, as a UDF's table argument."""
    return f"{table}[#All]"


def holdings_inputs() -> str:
    """The Holdings input columns with the header row (no computed column: no cycle)."""
    first, last = L.HOLDINGS_INPUTS[0], L.HOLDINGS_INPUTS[-1]
    return f"{L.HOLDINGS}[[#All],[{escape(first)}]:[{escape(last)}]]"


EVALUATION_FORMULA = (
    f"HX_HOLDINGS({holdings_inputs()},{_all(L.ACCOUNTS)},{_all(L.ACTIVITY)},"
    f"{_all(L.RECURRING)},{_all(L.SECURITIES)},{L.PROFILE_RANGE_NAME})"
)
"""The one table-level call (Evaluation!A3), without the ``=``."""
EVALUATION_UDFS: tuple[str, ...] = ("HX_HOLDINGS",)


def evaluation_column(column: str) -> str:
    """The Evaluation sheet's column letter of a result column."""
    letter: str = get_column_letter(HOLDINGS_RESULT_COLUMNS.index(column) + 1)
    return letter


@dataclass(frozen=True, slots=True)
class ColumnFormula:
    """A computed column of the Holdings table: its Excel formula (no ``=``) and format."""

    column: str
    formula: str
    number_format: str = "General"


def _lookup(column: str) -> str:
    """Blank rows stay blank; a filled row shows its row of the evaluation. The evaluation's
    header is in row EVALUATION_HEADER_ROW, the table's in ROW(Holdings[#Headers]), so a
    data row's evaluation row is its own row's offset from the header plus that row."""
    letter = evaluation_column(column)
    offset = f"ROW()-ROW({L.HOLDINGS}[#Headers])+{L.EVALUATION_HEADER_ROW}"
    return (
        f'IF({_h("Ticker")}="","",INDEX({L.EVALUATION}!${letter}:${letter},{offset}))'
    )


_FORMATS = {
    "Market value": MONEY_FORMAT,
    "Gain/Loss": MONEY_FORMAT,
    "Safe rebuy": DATE_FORMAT,
    "Tax saving": MONEY_FORMAT,
    "Withdrawal penalty": MONEY_FORMAT,
    "Withdrawal cost": MONEY_FORMAT,
}

HOLDINGS_FORMULAS: tuple[ColumnFormula, ...] = tuple(
    ColumnFormula(column, _lookup(column), _FORMATS.get(column, "General"))
    for column in L.HOLDINGS_COMPUTED
)

WASH_BLOCKED_PREFIXES = ("Blocked", "At risk")
"""How the Harvest column starts for a loss a purchase of something substantially
identical would disallow: the lot still has a loss to sell."""


def starts_with_any(cell: str, prefixes: tuple[str, ...]) -> str:
    """Excel: ``cell`` starts with one of ``prefixes`` (for conditional formats)."""
    tests = [f'LEFT({cell},{len(p)})="{p}"' for p in prefixes]
    return f"OR({','.join(tests)})"


# ------------------------------------------------------------------------ Withdrawal

WITHDRAWAL_INPUT_ROW = 4
WITHDRAWAL_INPUTS: tuple[tuple[str, object, str, str], ...] = (
    # label, template value, number format, note
    (
        "Account type",
        "Traditional 401(k)",
        "General",
        "Any account type the Accounts sheet accepts.",
    ),
    ("Amount", 20000, MONEY_FORMAT, "Gross amount withdrawn (the includible amount)."),
    ("Birth date", None, DATE_FORMAT, "Blank: the Profile's birth date."),
    ("Withdrawal date", None, DATE_FORMAT, "Blank: the Profile's as-of date."),
    (
        "Exception",
        None,
        "General",
        "Form 5329 code or name (separation, sepp, medical …); blank = none.",
    ),
    ("Separation date", None, DATE_FORMAT, "Employer plans: when you left the employer."),
    ("SIMPLE start date", None, DATE_FORMAT, "SIMPLE IRA: first day of participation."),
)
WITHDRAWAL_OUTPUT_ROW = WITHDRAWAL_INPUT_ROW + len(WITHDRAWAL_INPUTS) + 1
PENALTY_LABEL = "Additional tax, this exception and dates"
WITHDRAWAL_COST_ROWS = (
    "Extra income tax",
    "Additional tax (penalty)",
    "State tax",
    "Total cost",
    "Net after all taxes",
    "Withheld at payment",
)
"""The rows of the HX_WITHDRAWAL_COST array, below the penalty row."""
WITHDRAWAL_DEFAULTS = {"Birth date": "BirthDate", "Withdrawal date": "AsOfDate"}
"""A blank input that falls back to a Profile value (by its defined name)."""


def withdrawal_cell(label: str, *, from_another_sheet: bool = False) -> str:
    """The Withdrawal input cell of ``label`` (absolute; named with its sheet for a formula on
    another sheet)."""
    sheet = f"{L.WITHDRAWAL}!" if from_another_sheet else ""
    for i, (name, *_rest) in enumerate(WITHDRAWAL_INPUTS):
        if name == label:
            return f"{sheet}$B${WITHDRAWAL_INPUT_ROW + i}"
    raise KeyError(label)


def _w(label: str, *, from_another_sheet: bool = False) -> str:
    cell = withdrawal_cell(label, from_another_sheet=from_another_sheet)
    default = WITHDRAWAL_DEFAULTS.get(label)
    return f'IF({cell}="",{default},{cell})' if default else cell


def _e(label: str) -> str:
    """A Withdrawal input as the Evaluation sheet's formula names it."""
    return _w(label, from_another_sheet=True)


PENALTY_FORMULA = (
    f"HX_PENALTY({_w('Account type')},{_w('Amount')},{_w('Birth date')},"
    f"{_w('Withdrawal date')},{_w('Exception')},{_w('Separation date')},"
    f"{_w('SIMPLE start date')})"
)
WITHDRAWAL_COST_FORMULA = (
    f"HX_WITHDRAWAL_COST({_e('Account type')},{_e('Amount')},{_e('Birth date')},"
    f"{_e('Withdrawal date')},{L.PROFILE_RANGE_NAME},{_e('Exception')},"
    f"{_all(L.ACTIVITY)},{_all(L.ACCOUNTS)},{_all(L.SECURITIES)})"
)
"""The tables count Activity's sales when the Profile says so, as the Holdings columns do."""
WITHDRAWAL_COST_FIRST_ROW = WITHDRAWAL_OUTPUT_ROW + 1
"""The Withdrawal sheet's first row of the six results."""
WITHDRAWAL_ARRAY_COLUMN_NUMBER = len(HOLDINGS_RESULT_COLUMNS) + 2
"""The Evaluation sheet's column of the HX_WITHDRAWAL_COST array: one empty column right of
HX_HOLDINGS's, whose array grows downwards only."""
WITHDRAWAL_ARRAY_COLUMN = get_column_letter(WITHDRAWAL_ARRAY_COLUMN_NUMBER)
WITHDRAWAL_ARRAY_FIRST_ROW = L.EVALUATION_HEADER_ROW
WITHDRAWAL_ARRAY_ANCHOR = f"{WITHDRAWAL_ARRAY_COLUMN}{WITHDRAWAL_ARRAY_FIRST_ROW}"
WITHDRAWAL_COST_REF = (
    f"{WITHDRAWAL_ARRAY_ANCHOR}:{WITHDRAWAL_ARRAY_COLUMN}"
    f"{WITHDRAWAL_ARRAY_FIRST_ROW + len(WITHDRAWAL_COST_ROWS) - 1}"
)
"""The Evaluation cells of the one HX_WITHDRAWAL_COST array formula."""


def withdrawal_result(index: int) -> str:
    """The Withdrawal sheet's ``index``-th result (1-based): a lookup of the array."""
    column, first = WITHDRAWAL_ARRAY_COLUMN, WITHDRAWAL_ARRAY_FIRST_ROW
    last = first + len(WITHDRAWAL_COST_ROWS) - 1
    return f"INDEX({L.EVALUATION}!${column}${first}:${column}${last},{index})"


WITHDRAWAL_RESULTS: tuple[str, ...] = tuple(
    withdrawal_result(i) for i in range(1, len(WITHDRAWAL_COST_ROWS) + 1)
)
