"""The records check what they hold; the report adds up; every fixture row is accounted for."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from harvest_xl.engine.errors import HarvestInputError
from harvest_xl.importers import (
    Broker,
    ImportedTrade,
    SkipReason,
    SourceLine,
    TradeKind,
    read_file,
)

from .helpers import FIXTURES, read_fixture

ALL_FIXTURES = sorted(
    str(path.relative_to(FIXTURES))
    for path in FIXTURES.glob("*/*")
    if path.suffix in (".csv", ".json")
)


def test_position_total_never_has_a_date() -> None:
    """A position total with an acquisition date is refused: the date is never guessed."""
    lot = read_fixture("fidelity", "bean-jmw__Portfolio_Positions.csv").lots[0]
    with pytest.raises(HarvestInputError, match="a position total has no acquisition date"):
        replace(lot, acquired=date(2020, 1, 2))


@pytest.mark.parametrize("shares", ["0", "-1"])
def test_lot_shares_positive(shares: str) -> None:
    """A lot holds a positive number of shares."""
    lot = read_fixture("fidelity", "bean-jmw__Portfolio_Positions.csv").lots[0]
    with pytest.raises(HarvestInputError, match="not a positive number of shares"):
        replace(lot, shares=Decimal(shares))


def test_trade_checks() -> None:
    """Trades: positive shares (signed only for splits, never zero), tidy ticker, no sale of
    shares acquired after the trade."""
    buy = read_fixture("schwab", "cgt-calc__schwab_transactions_2023.csv").trades[0]
    with pytest.raises(HarvestInputError, match="not a positive number"):
        buy._replace(shares=Decimal("-3"))
    assert buy._replace(kind=TradeKind.SPLIT, shares=Decimal("-3")).shares == -3
    with pytest.raises(HarvestInputError, match="a split row must add or remove shares"):
        buy._replace(kind=TradeKind.SPLIT, shares=Decimal(0))
    with pytest.raises(HarvestInputError, match="is not a ticker"):
        buy._replace(ticker=" bar")
    with pytest.raises(HarvestInputError, match="is after"):
        buy._replace(acquired=date(2030, 1, 1))


def test_trade_built_by_name_checks_its_values() -> None:
    """A trade made directly, by keyword, is checked like one read from a file."""
    fields = {
        "broker": Broker.FIDELITY,
        "account": "Z1",
        "kind": TradeKind.BUY,
        "trade_date": date(2026, 1, 5),
        "ticker": "VTI",
        "shares": Decimal("2"),
        "price": Decimal("100.5"),
        "amount": Decimal("-201"),
        "fees": None,
        "cost_basis": None,
        "acquired": None,
        "action": "YOU BOUGHT",
        "source": SourceLine(file="History.csv", line=4),
        "key": "fidelity-trade-x",
    }
    trade = ImportedTrade(**fields)
    assert (trade.ticker, trade.shares, str(trade.source)) == ("VTI", 2, "History.csv, line 4")
    with pytest.raises(HarvestInputError, match="'vti' is not a ticker"):
        ImportedTrade(**{**fields, "ticker": "vti"})
    with pytest.raises(HarvestInputError, match="-1 is negative"):
        ImportedTrade(**{**fields, "price": Decimal("-1")})


def test_records_of_one_file_read_twice_are_equal_and_hash_alike() -> None:
    """Trades compare and hash by value: a second read gives equal records, one field apart
    gives a different record."""
    first = read_fixture("schwab", "cgt-calc__schwab_transactions_2023.csv").trades
    second = read_fixture("schwab", "cgt-calc__schwab_transactions_2023.csv").trades
    assert first == second and first is not second
    assert {hash(trade) for trade in first} == {hash(trade) for trade in second}
    assert first[0] != ImportedTrade(**{**_fields(first[0]), "key": "another key"})


def test_source_line_text() -> None:
    """A source reads as the file and its line (or a JSON file's transaction)."""
    assert str(SourceLine(file="History.csv", line=7)) == "History.csv, line 7"
    assert str(SourceLine(file="a.json", line=2, unit="transaction")) == "a.json, transaction 2"
    assert SourceLine(file="a.csv", line=2) == SourceLine(file="a.csv", line=2, unit="line")


def _fields(trade: ImportedTrade) -> dict[str, object]:
    names = (
        "broker account kind trade_date ticker shares price amount fees cost_basis acquired"
        " action source key"
    ).split()
    return {name: getattr(trade, name) for name in names}


def test_realized_lot_needs_ticker_or_description() -> None:
    """A closed lot names its security one way or the other, and was bought before it sold."""
    lot = read_fixture("fidelity", "finporterfido__Realized_Gain_Loss_Account_inline.csv").realized[
        0
    ]
    with pytest.raises(HarvestInputError, match="a ticker or a description"):
        replace(lot, ticker=None, description=None)
    with pytest.raises(HarvestInputError, match="is after the sale"):
        replace(lot, acquired=date(2022, 1, 1))


@pytest.mark.parametrize(
    ("kind", "purchase"),
    [
        (TradeKind.BUY, True),
        (TradeKind.REINVEST, True),
        (TradeKind.SELL, False),
        (TradeKind.TRANSFER_IN, False),
        (TradeKind.TRANSFER_OUT, False),
        (TradeKind.SPLIT, False),
    ],
)
def test_purchases_start_wash_windows(kind: TradeKind, purchase: bool) -> None:
    """Buys and reinvestments are purchases (IRC §1091(a)); transfers and splits are not."""
    assert kind.is_purchase is purchase


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_row_accounted_for(name: str) -> None:
    """rows read = records made + rows skipped + problems, and records point into the file."""
    result = read_file(FIXTURES / name)
    report = result.report
    skipped = sum(count for _, count in report.skipped)
    assert report.rows_read == report.records_made + skipped + len(report.problems)
    records = (*result.lots, *result.trades, *result.realized)
    assert report.records_made == len(records)
    lines = (FIXTURES / name).read_bytes().count(b"\n") + 1
    for record in records:
        assert record.source.file == (FIXTURES / name).name
        assert 1 <= record.source.line <= lines


def test_report_lines() -> None:
    """The report's text says the broker, kind, counts, reasons and problems."""
    report = read_fixture("robinhood", "trade-normalizer__robinhood-equities-synthetic.csv").report
    assert report.lines() == [
        "trade-normalizer__robinhood-equities-synthetic.csv: Robinhood history "
        "(account activity report CSV)",
        "  rows read 17, records made 13",
        "  skipped 1: dividends and distributions paid in cash",
        "  skipped 1: cash deposits, withdrawals and transfers",
        "  skipped 1: fees",
        "  problem: trade-normalizer__robinhood-equities-synthetic.csv, line 44: "
        "shares: the row gives no quantity",
    ]
    assert report.skipped_count(SkipReason.FEE) == 1
    assert report.skipped_count(SkipReason.JOURNAL) == 0


def test_no_workbook_library_imported() -> None:
    """Importing the importers loads neither openpyxl nor xlwings (they read text only)."""
    code = (
        "import sys, harvest_xl.importers\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl', 'xlwings')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
