"""Robinhood activity reports: the sample and the synthetic trailer fixture import as expected."""

from __future__ import annotations

from harvest_xl.importers import Broker, FileKind

from .helpers import problems, read_fixture, skipped, trade, trades


def test_trade_normalizer_robinhood_equities_synthetic() -> None:
    """Multi-line descriptions, "($2,051.20)" amounts; a split row with no quantity is a
    problem reported by its line, and the rest imports."""
    result = read_fixture("robinhood", "trade-normalizer__robinhood-equities-synthetic.csv")
    assert (result.report.broker, result.report.kind) == (Broker.ROBINHOOD, FileKind.HISTORY)
    assert trades(result) == [
        trade(2, None, "BUY", "2026-08-03", "AAPL", "10", "205.12", "-2051.20"),
        trade(5, None, "BUY", "2026-08-05", "MSFT", "4", "521.35", "-2085.40"),
        trade(8, None, "BUY", "2026-08-07", "NVDA", "6", "184.40", "-1106.40"),
        trade(11, None, "BUY", "2026-08-10", "AAPL", "5", "211.80", "-1059.00"),
        trade(14, None, "SELL", "2026-08-12", "AAPL", "6", "216.25", "1297.50"),
        trade(17, None, "SELL", "2026-08-14", "NVDA", "2", "190.75", "381.50"),
        trade(20, None, "BUY", "2026-08-17", "VOO", "1.375", "626.40", "-861.30"),
        trade(24, None, "SELL", "2026-08-19", "MSFT", "1", "529.10", "529.10"),
        trade(27, None, "SELL", "2026-08-20", "AAPL", "9", "219.60", "1976.40"),
        trade(30, None, "BUY", "2026-08-21", "NVDA", "3", "187.20", "-561.60"),
        trade(33, None, "SELL", "2026-08-24", "NVDA", "7", "194.35", "1360.45"),
        trade(36, None, "SELL", "2026-08-25", "MSFT", "3", "533.25", "1599.75"),
        trade(39, None, "SELL", "2026-08-26", "VOO", "0.500", "632.10", "316.05"),
    ]
    assert skipped(result) == {
        "dividends and distributions paid in cash": 1,
        "cash deposits, withdrawals and transfers": 1,
        "fees": 1,
    }
    assert problems(result) == [(44, "shares: the row gives no quantity")]


def test_synthetic_activity_with_trailer() -> None:
    """The "" record and the disclaimer row end the file; option rows ("2S") skipped; a split
    with a quantity adds shares."""
    result = read_fixture("robinhood", "synthetic__activity_with_trailer.csv")
    assert trades(result) == [
        trade(3, None, "BUY", "2026-07-16", "HOOD", "200", "110.00", "-22000.00"),
        trade(6, None, "SPLIT", "2026-07-10", "NVDA", "90", None, None),
        trade(10, None, "SELL", "2026-06-28", "AAPL", "3.5", "210.00", "735.00"),
    ]
    assert skipped(result) == {
        "cash interest": 1,
        "option contracts": 2,
        "dividends and distributions paid in cash": 1,
        "cash deposits, withdrawals and transfers": 1,
        "footer and disclaimer lines": 1,
    }
    assert problems(result) == []


def test_trailing_comma_variant() -> None:
    """The variant with a trailing comma on every row reads the same."""
    from harvest_xl.importers import read_text

    text = (
        '"Activity Date","Process Date","Settle Date","Instrument","Description","Trans Code",'
        '"Quantity","Price","Amount",\n'
        '"2/3/2025","2/3/2025","2/4/2025","VTI","Vanguard Total\nCUSIP: 922908769",'
        '"Buy","1.5","$290.00","($435.00)",\n'
    )
    assert trades(read_text(text, "activity.csv")) == [
        trade(2, None, "BUY", "2025-02-03", "VTI", "1.5", "290.00", "-435.00"),
    ]
