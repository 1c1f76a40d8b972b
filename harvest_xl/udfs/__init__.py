"""harvest-xl's Excel worksheet functions (xlwings classic UDFs): thin adapters only.

Each function converts its cells with the one reader of each input (:mod:`harvest_xl.inputs`),
calls the engine and shapes the result with :mod:`harvest_xl.results`, which the workbook
refresh uses too. No tax rule lives here. The functions are grouped by what they answer:

* :mod:`.tax` — HX_TAX, HX_PROFILE_TAX, HX_LOSS_DEDUCTION, HX_CARRYOVER, HX_SAVING;
* :mod:`.holdings` — one lot from its own cells: HX_TERM, HX_HARVEST, HX_SAFE_REBUY;
* :mod:`.wash` — wash sales from a range of trades: HX_WASH_SALES, HX_WASH_RISK;
* :mod:`.withdrawals` — HX_PENALTY, HX_PENALTY_WHY, HX_WITHDRAWAL_COST and the Roth functions;
* :mod:`.tables` — the workbook's own tables: HX_HOLDINGS, HX_EVALUATE and the HX_LOT_ functions;
* :mod:`.realized` — the realized year from the Activity table: HX_FORM8949.

Conventions every function follows (excel-integration.md §2-§6):

* ``@xw.func(category="harvest-xl")`` is the outermost decorator; ``@xw.arg`` gives each
  argument its Insert Function help (at most 255 characters) and the converter options
  (dates as ``datetime.date``, error cells as their text, ranges with ``ndim=2``).
* The docstring is the Insert Function description: one short paragraph, at most 255
  characters, written for an investor.
* Bad input never raises into Excel (:func:`._common.excel_safe`): one text value,
  ``#VALUE! argument: problem``; an array function returns it in its first cell.
* Nothing is volatile, nothing uses the legacy ``expand`` option: arrays spill in Excel 365 /
  2021; in older Excel enter them as array formulas (Ctrl+Shift+Enter) over the right size.

The function names are upper case on purpose: Excel shows a UDF's name exactly as Python
spells it, and ``HX_`` keeps names from parsing as cell addresses. xlwings finds the
functions by name in this module (``UDF Modules = harvest_xl.udfs``), hence the imports.
"""

from harvest_xl.results import (
    EVALUATE_COLUMNS,
    FORM_8949_COLUMNS,
    HOLDINGS_RESULT_COLUMNS,
    NEEDS_ROTH_HISTORY,
    NO_WASH_RISK,
    NOT_APPLICABLE,
    WASH_SALES_HEADER,
    error_text,
)
from harvest_xl.udfs.holdings import HX_HARVEST, HX_SAFE_REBUY, HX_TERM
from harvest_xl.udfs.realized import HX_FORM8949
from harvest_xl.udfs.tables import (
    HX_EVALUATE,
    HX_HOLDINGS,
    HX_LOT_HARVEST,
    HX_LOT_PENALTY,
    HX_LOT_WASH_RISK,
    HX_LOT_WITHDRAWAL_COST,
)
from harvest_xl.udfs.tax import (
    HX_CARRYOVER,
    HX_LOSS_DEDUCTION,
    HX_PROFILE_TAX,
    HX_SAVING,
    HX_TAX,
)
from harvest_xl.udfs.wash import HX_WASH_RISK, HX_WASH_SALES
from harvest_xl.udfs.withdrawals import (
    HX_PENALTY,
    HX_PENALTY_WHY,
    HX_ROTH401K_PENALTY,
    HX_ROTH401K_TAXABLE,
    HX_ROTH_PENALTY,
    HX_ROTH_TAXABLE,
    HX_WITHDRAWAL_COST,
)

__all__ = [
    "EVALUATE_COLUMNS",
    "FORM_8949_COLUMNS",
    "HOLDINGS_RESULT_COLUMNS",
    "NEEDS_ROTH_HISTORY",
    "NOT_APPLICABLE",
    "NO_WASH_RISK",
    "WASH_SALES_HEADER",
    "HX_CARRYOVER",
    "HX_EVALUATE",
    "HX_FORM8949",
    "HX_HARVEST",
    "HX_HOLDINGS",
    "HX_LOSS_DEDUCTION",
    "HX_LOT_HARVEST",
    "HX_LOT_PENALTY",
    "HX_LOT_WASH_RISK",
    "HX_LOT_WITHDRAWAL_COST",
    "HX_PENALTY",
    "HX_PENALTY_WHY",
    "HX_PROFILE_TAX",
    "HX_ROTH401K_PENALTY",
    "HX_ROTH401K_TAXABLE",
    "HX_ROTH_PENALTY",
    "HX_ROTH_TAXABLE",
    "HX_SAFE_REBUY",
    "HX_SAVING",
    "HX_TAX",
    "HX_TERM",
    "HX_WASH_RISK",
    "HX_WASH_SALES",
    "HX_WITHDRAWAL_COST",
    "error_text",
]
