# mypy: allow-untyped-defs, allow-untyped-calls
# (UDF parameters stay unannotated: the classic xlwings decorator turns a parameter's
# annotation into a converter, and cells arrive as anything at all.)
"""One lot, from its own cells: HX_TERM, HX_HARVEST, HX_SAFE_REBUY."""

from __future__ import annotations

from decimal import Decimal

import xlwings as xw

from harvest_xl.engine.harvest import harvest_status
from harvest_xl.engine.holding import holding_term
from harvest_xl.engine.models import AccountType
from harvest_xl.engine.wash_sale import safe_rebuy_date
from harvest_xl.inputs.cells import to_choice, to_date, to_money, to_rate
from harvest_xl.udfs._common import (
    CATEGORY,
    DATE,
    DOC_ACCOUNT_TYPE,
    DOC_MIN_LOSS,
    DOC_MIN_PCT,
    VALUE,
    excel_safe,
    scalar,
)

ZERO = Decimal(0)


@xw.func(category=CATEGORY)
@xw.arg("acquired", doc="Date you bought the shares (trade date).", **DATE)
@xw.arg("as_of", doc="Date you would sell them (trade date), e.g. today.", **DATE)
@excel_safe(scalar)
def HX_TERM(acquired, as_of):
    """Long-term or Short-term: the holding period of shares bought on one date and sold on another (long-term means held more than one year)."""  # noqa: E501 (Excel help text: one line)
    return holding_term(to_date(acquired, "acquired"), to_date(as_of, "as_of")).value


@xw.func(category=CATEGORY)
@xw.arg("sale_date", doc="Date you sell (or sold) at a loss.", **DATE)
@excel_safe(scalar)
def HX_SAFE_REBUY(sale_date):
    """First date you can buy the same or a substantially identical security again without a wash sale: 31 days after the sale. Format the cell as a date."""  # noqa: E501 (Excel help text: one line)
    return safe_rebuy_date(to_date(sale_date, "sale_date"))


@xw.func(category=CATEGORY)
@xw.arg("account_type", doc=DOC_ACCOUNT_TYPE, **VALUE)
@xw.arg("cost_basis", doc="What you paid for the lot in total (its cost basis).", **VALUE)
@xw.arg("market_value", doc="What the lot is worth now: shares times today's price.", **VALUE)
@xw.arg("acquired", doc="Date you bought the lot.", **DATE)
@xw.arg("as_of", doc="Date you would sell, e.g. today.", **DATE)
@xw.arg("min_loss", doc=DOC_MIN_LOSS, **VALUE)
@xw.arg("min_pct", doc=DOC_MIN_PCT, **VALUE)
@excel_safe(scalar)
def HX_HARVEST(account_type, cost_basis, market_value, acquired, as_of, min_loss=0, min_pct=0):
    """Should you sell this lot to harvest its loss? Harvest, Hold (a gain, or a loss below your threshold) or No tax effect (a 401(k), IRA, Roth or HSA), with the reason."""  # noqa: E501 (Excel help text: one line)
    return harvest_status(
        to_choice(account_type, "account_type", AccountType.parse),
        to_money(cost_basis, "cost_basis"),
        to_money(market_value, "market_value"),
        to_date(acquired, "acquired"),
        to_date(as_of, "as_of"),
        to_money(min_loss, "min_loss", ZERO),
        to_rate(min_pct, "min_pct", ZERO),
    ).text
