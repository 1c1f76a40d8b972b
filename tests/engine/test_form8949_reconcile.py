"""Reconciling our Form 8949 rows with a broker's realized lots: matches, differences, reasons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.engine.form8949 import form8949_rows
from harvest_xl.engine.models import Term
from harvest_xl.engine.realized_block import LotRelief
from harvest_xl.engine.reconcile import BrokerLot, Difference, reconcile

from ..exports import ry_cases as ry

D = Decimal


def rows_of(blocks):
    return form8949_rows(blocks, 2026, activity_through=ry.ACTIVITY_THROUGH).rows


def lot(ticker, shares, acquired, sold, proceeds, basis, wash=None, term=Term.SHORT, account=None):
    return BrokerLot(
        ticker=ticker,
        shares=D(shares),
        acquired=acquired,
        sold=sold,
        proceeds=D(proceeds),
        cost_basis=None if basis is None else D(basis),
        wash_disallowed=None if wash is None else D(wash),
        term=term,
        account=account,
    )


def kinds(found):
    return [[d.kind for d in sale.differences] for sale in found]


def test_same_account_wash_matches_the_broker_exactly():
    """RY-1: the broker applied the wash itself; every figure agrees, nothing is listed."""
    broker = [
        lot("XYZ", 100, date(2025, 11, 3), date(2026, 3, 10), 4000, 5000, wash=1000),
        lot("XYZ", 100, date(2025, 11, 13), date(2026, 6, 1), 4300, 5100),
    ]
    assert reconcile(rows_of(ry.RY1), broker) == ()


def test_replacement_at_another_broker_explains_w_and_b():
    """RY-1b: Broker One shows no 1g (we have W 1,000); Broker Two shows cost 4,100 (we carry
    5,100): both are the other account the broker cannot see."""
    broker = [
        lot("XYZ", 100, date(2025, 11, 3), date(2026, 3, 10), 4000, 5000, account="Broker One"),
        lot("XYZ", 100, date(2026, 3, 20), date(2026, 6, 1), 4300, 4100, account="Broker Two"),
    ]
    found = reconcile(rows_of(ry.RY1B), broker)
    assert kinds(found) == [[Difference.WASH_DISALLOWED], [Difference.COST_BASIS]]
    wash, basis = found[0].differences[0], found[1].differences[0]
    assert (wash.ours, wash.broker) == (D(1000), D(0))
    assert wash.reason.startswith("the replacement was bought in another account")
    assert (basis.ours, basis.broker) == (D(5100), D(4100))
    assert "code B" in basis.reason
    assert [sale.account for sale in found] == ["Broker One", "Broker Two"]


def test_ira_replacement_is_named_as_the_reason():
    """RY-2: the broker shows no wash sale; ours is lost for good in the IRA."""
    broker = [lot("XYZ", 100, date(2025, 11, 3), date(2026, 3, 10), 4000, 5000)]
    (sale,) = reconcile(rows_of(ry.RY2), broker)
    (difference,) = sale.differences
    assert difference.kind is Difference.WASH_DISALLOWED
    assert "IRA" in difference.reason and "Rev. Rul. 2008-5" in difference.reason


def test_tacked_term_difference_is_code_t():
    """RY-5b: Broker Two reports short-term from 01/20/2026; our row is long-term with code T."""
    broker = [
        lot("QRS", 100, date(2026, 1, 20), date(2026, 5, 1), 5800, 5400, account="Broker Two"),
    ]
    (sale,) = reconcile(rows_of(ry.RY5B), broker, accounts={"Broker Two"})
    assert [d.kind for d in sale.differences] == [Difference.COST_BASIS, Difference.TERM]
    term = sale.differences[1]
    assert (term.ours, term.broker) == (Term.LONG, Term.SHORT)
    assert "code T" in term.reason


def test_proceeds_and_a_larger_broker_wash_are_reported():
    """Different proceeds, and a broker that disallowed more than we did, are both listed."""
    broker = [lot("ABC", 100, date(2026, 1, 5), date(2026, 4, 15), "1995.50", 3000, wash=1000)]
    (sale,) = reconcile(rows_of(ry.RY3), broker)
    assert [d.kind for d in sale.differences] == [
        Difference.PROCEEDS,
        Difference.WASH_DISALLOWED,
    ]
    proceeds, wash = sale.differences
    assert (proceeds.ours, proceeds.broker) == (D(2000), D("1995.50"))
    assert (wash.ours, wash.broker) == (D(400), D(1000))
    assert wash.reason.startswith("the broker disallowed more")


def test_fifo_relief_is_the_reason_for_a_basis_difference():
    """A sale relieved FIFO whose basis differs points to the lot choice."""
    fifo = ry.block("AAA", 10, date(2025, 2, 3), date(2026, 2, 2), 900, 1000, relief=LotRelief.FIFO)
    broker = [lot("AAA", 10, date(2025, 6, 3), date(2026, 2, 2), 900, 1200)]
    (sale,) = reconcile(rows_of([fifo]), broker)
    (difference,) = sale.differences
    assert difference.kind is Difference.COST_BASIS and "FIFO" in difference.reason


def test_acquired_date_decides_between_equal_sales():
    """Two 10-share sales of one day: each broker lot pairs with the row of its purchase date."""
    blocks = [
        ry.block("AAA", 10, date(2025, 3, 3), date(2026, 2, 2), 900, 1000),
        ry.block("AAA", 10, date(2025, 4, 4), date(2026, 2, 2), 900, 800),
    ]
    broker = [
        lot("AAA", 10, date(2025, 4, 4), date(2026, 2, 2), 900, 800),
        lot("AAA", 10, date(2025, 3, 3), date(2026, 2, 2), 900, 1000),
    ]
    assert reconcile(rows_of(blocks), broker) == ()


def test_sales_on_one_side_only_are_listed():
    """A row the broker lacks and a broker lot Activity lacks are both reported."""
    broker = [lot("NEW", 5, date(2026, 1, 2), date(2026, 3, 3), 100, 90)]
    found = reconcile(rows_of(ry.RY3), broker)
    assert kinds(found) == [[Difference.ONLY_BROKER], [Difference.ONLY_OURS]]
    assert (found[0].ours, found[0].broker) == (None, broker[0])
    assert found[1].broker is None and found[1].ticker == "ABC"


def test_accounts_outside_the_file_are_not_compared():
    """Rows of accounts the broker's file does not cover are neither matched nor listed."""
    assert reconcile(rows_of(ry.RY3), [], accounts={"Other"}) == ()


def test_broker_lot_rejects_impossible_values():
    """A broker lot with no shares, a negative amount or a purchase after the sale is refused."""
    with pytest.raises(HarvestInputError, match="shares"):
        lot("A", 0, None, date(2026, 1, 2), 1, 1)
    with pytest.raises(HarvestInputError, match="proceeds"):
        lot("A", 1, None, date(2026, 1, 2), -1, 1)
    with pytest.raises(HarvestInputError, match="acquired"):
        lot("A", 1, date(2026, 1, 3), date(2026, 1, 2), 1, 1)
    assert lot(" abc ", 1, None, date(2026, 1, 2), 1, None).ticker == "ABC"
