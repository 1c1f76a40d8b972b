"""Vanguard downloads: the sample and the synthetic real-layout fixtures import as expected."""

from __future__ import annotations

from harvest_xl.importers import Broker, FileKind

from .helpers import accounts, lot, lots, problems, read_fixture, skipped, trade, trades


def test_csv2txf_vanguard_simplified() -> None:
    """The trimmed transactions-only file: no account, no price; sells as positive shares."""
    result = read_fixture("vanguard", "csv2txf__vanguard_simplified.csv")
    assert (result.report.broker, result.report.kind) == (Broker.VANGUARD, FileKind.HISTORY)
    assert trades(result) == [
        trade(2, None, "BUY", "2011-01-12", "ABC", "300", None, "-234.56"),
        trade(3, None, "SELL", "2011-02-01", "ABC", "300", None, "245.23"),
        trade(4, None, "BUY", "2011-03-12", "XYZ", "100", None, "-5678.90"),
        trade(5, None, "SELL", "2011-05-01", "XYZ", "100", None, "6783.53"),
    ]
    assert skipped(result) == {} and problems(result) == []


def test_synthetic_ofx_download_2024() -> None:
    """Holdings then transactions in one file: position totals without cost, the settlement
    fund as cash, a dividend/reinvestment pair, an in-kind transfer."""
    result = read_fixture("vanguard", "synthetic__OfxDownload_2024.csv")
    assert result.report.kind is FileKind.POSITIONS_AND_HISTORY
    one, two = "11112222", "33334444"
    assert lots(result) == [
        lot(3, one, "VTI", "40", None, None, None, "245.1200", "9804.80", total=True),
        lot(4, one, "VXUS", "25.41200", None, None, None, "58.3000", "1481.52", total=True),
        lot(7, two, "VOO", "3", None, None, None, "462.9500", "1388.85", total=True),
    ]
    assert trades(result) == [
        trade(13, one, "REINVEST", "2024-03-27", "VTI", "0.403", "250.12", "-100.80", fees="0"),
        trade(15, one, "BUY", "2024-02-12", "VTI", "10", "238.50", "-2385.00", fees="0"),
        trade(18, two, "SELL", "2024-03-15", "BND", "20", "71.90", "1438.00", fees="0"),
        trade(19, two, "BUY", "2023-12-20", "BND", "20", "73.25", "-1465.00", fees="0"),
        trade(20, two, "TRANSFER_IN", "2024-03-28", "VOO", "3", "0", "0", fees="0"),
    ]
    assert skipped(result) == {
        "core/cash positions": 3,
        "positions of zero shares": 1,
        "section titles and repeated headers": 1,
        "dividends and distributions paid in cash": 2,
        "cash deposits, withdrawals and transfers": 1,
    }
    assert accounts(result) == [(one, None, one, None), (two, None, two, None)]


def test_synthetic_ofx_download_padded_2019() -> None:
    """Excel re-save: lines padded to 15 fields, MM/DD/YYYY, Investment Type and
    Commission Fees columns."""
    result = read_fixture("vanguard", "synthetic__OfxDownload_padded_2019.csv")
    a = "55556666"
    assert lots(result) == [
        lot(2, a, "VTI", "12", None, None, None, "201.15", "2413.80", total=True),
    ]
    assert trades(result) == [
        trade(6, a, "BUY", "2019-06-28", "VTI", "12", "147.30", "-1767.60", fees="0"),
    ]
    assert skipped(result) == {
        "section titles and repeated headers": 1,
        "core/cash positions": 1,
    }
