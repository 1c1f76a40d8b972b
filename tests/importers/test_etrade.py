"""E*TRADE downloads: every sample and synthetic fixture imports with the expected records."""

from __future__ import annotations

from harvest_xl.importers import Broker, FileKind

from .helpers import accounts, lot, lots, problems, read_fixture, skipped, trade, trades


def test_bean_jmw_download_txn_history() -> None:
    """Legacy history: MM/DD/YY dates, reinvested dividends as +shares rows, sells with
    negative quantities; 0 prices read as "does not apply"."""
    result = read_fixture("etrade", "bean-jmw__DownloadTxnHistory.csv")
    assert (result.report.broker, result.report.kind) == (Broker.ETRADE, FileKind.HISTORY)
    a = "####2456"
    assert trades(result) == [
        trade(5, a, "REINVEST", "2023-07-03", "VWITX", "3.173", None, "-42.77", fees="0"),
        trade(13, a, "REINVEST", "2020-06-25", "VIMAX", "4.253", None, "-843.19", fees="0"),
        trade(17, a, "BUY", "2020-03-04", "VCAIX", "80.972", "12.35", "-1000", fees="0"),
        trade(18, a, "BUY", "2020-03-04", "FXAIX", "9.184", "108.89", "-1019.99", fees="19.99"),
        trade(19, a, "REINVEST", "2020-03-02", "VWITX", "2.373", None, "-35.12", fees="0"),
        trade(20, a, "REINVEST", "2020-03-02", "VWAHX", "0.523", None, "-6.33", fees="0"),
        trade(21, a, "REINVEST", "2020-03-02", "VCAIX", "2.875", None, "-35.53", fees="0"),
        trade(30, a, "SELL", "2020-02-24", "GOOG", "4", "29.78", "102.13", fees="16.99"),
        trade(31, a, "SELL", "2020-02-24", "GOOG", "21", "29.78", "608.39", fees="16.99"),
        trade(48, a, "BUY", "2018-10-16", "VWITX", "146.306", "13.67", "-2000", fees="0"),
        trade(49, a, "BUY", "2018-10-16", "VCAIX", "174.978", "11.43", "-2000", fees="0"),
        trade(51, a, "BUY", "2018-10-16", "GOOG", "50", "11.22", "-561", fees="0"),
    ]
    assert skipped(result) == {
        "dividends and distributions paid in cash": 8,
        "cash deposits, withdrawals and transfers": 5,
        "fees": 2,
        "action not imported: Other": 2,
        "adjustments": 9,
        "cash interest": 3,
        "corporate actions (merger, name change, spin-off, conversion)": 6,
    }
    assert accounts(result) == [(a, None, a, None)]
    assert result.report.rows_read == 47 and problems(result) == []


def test_quantfolio_portfolio_download_2026() -> None:
    """Collapsed positions: totals with the cost per share; CASH, TOTAL and footer skipped."""
    result = read_fixture("etrade", "quantfolio__PortfolioDownload_2026.csv")
    assert (result.report.broker, result.report.kind) == (Broker.ETRADE, FileKind.POSITIONS)
    as_of = "2026-02-15"

    def total(line: int, ticker: str, shares: str, paid: str, price: str, value: str):  # type: ignore[no-untyped-def]
        return lot(
            line, None, ticker, shares, None, None, paid, price, value, total=True, as_of=as_of
        )

    assert lots(result) == [
        total(11, "ALFIQ", "3.0000", "13.79", "0.00", ".0000"),
        total(12, "ACN", "1.0140", "244.5365", "224.19", "227.3287"),
        total(13, "MMATQ", "1.0000", "15.87", "0.00", ".0000"),
        total(14, "BA", "1.0000", "246.48", "242.935", "242.9350"),
        total(15, "629999590", "2.0000", "0.00", "0.00", ".0000"),
        total(16, "MRVL", "1.0070", "69.9503", "78.61", "79.1603"),
        total(17, "LUV", "2.1560", "44.5779", "51.09", "110.1500"),
        total(18, "QBTS", "2.0000", "6.765", "19.68", "39.3600"),
        total(19, "SPY", ".1250", "461.04", "681.74", "85.2175"),
        total(20, "HOOD", "1.0000", "45.27", "75.97", "75.9700"),
        total(21, "ANET", "1.0000", "102.18", "141.60", "141.6000"),
        total(22, "NVS", "1.0240", "107.1582", "163.10", "167.0144"),
        total(23, "SCHD", "17.6640", "27.83", "31.595", "558.0941"),
        total(24, "SOXL", "3.0320", "35.8773", "64.61", "195.8975"),
        total(25, "ONON", "7.0000", "32.2771", "45.28", "316.9600"),
        total(26, "AAPL", "1.0340", "134.6132", "255.78", "264.4765"),
        total(27, "TSM", "1.0230", "102.3949", "366.22", "374.6431"),
        total(28, "TSLA", "3.0000", "220.9467", "417.44", "1252.3200"),
        total(29, "NVDA", "10.0080", "76.5078", "182.78", "1829.2622"),
        total(30, "TQQQ", "73.1830", "26.7812", "48.47", "3547.1800"),
        total(31, "VOO", "6.4370", "362.8958", "626.84", "4034.9691"),
    ]
    assert skipped(result) == {
        "core/cash positions": 1,
        "total and subtotal rows": 1,
        "footer and disclaimer lines": 1,
    }
    assert accounts(result) == []  # the account row was removed from the sample


def test_synthetic_portfolio_download_lots_2019() -> None:
    """Expanded lots replace their symbol's total; "--" keeps the date unknown; an option and
    its lot are skipped; the account row names the account."""
    result = read_fixture("etrade", "synthetic__PortfolioDownload_lots_2019.csv")
    a, as_of = "1234", "2019-01-18"
    assert lots(result) == [
        lot(
            9,
            a,
            "AAPL",
            "10",
            "2003-05-15",
            None,
            "1.3500",
            "157.92",
            "1579.20",
            total=False,
            as_of=as_of,
        ),
        lot(
            10,
            a,
            "AAPL",
            "20",
            "2018-11-02",
            None,
            "154.0050",
            "157.92",
            "3158.40",
            total=False,
            as_of=as_of,
        ),
        lot(
            12,
            a,
            "MSFT",
            "25",
            None,
            None,
            "96.7200",
            "105.12",
            "2628.00",
            total=False,
            as_of=as_of,
        ),
        lot(
            13, a, "VTI", "40", None, None, "109.8800", "128.33", "5133.20", total=True, as_of=as_of
        ),
        lot(
            16,
            a,
            "629999590",
            "100",
            None,
            None,
            ".0000",
            ".0000",
            ".0000",
            total=True,
            as_of=as_of,
        ),
    ]
    assert skipped(result) == {
        "position totals whose lots follow": 2,
        "option contracts": 2,
        "core/cash positions": 1,
        "total and subtotal rows": 1,
        "footer and disclaimer lines": 1,
    }
    assert accounts(result) == [(a, "Individual Brokerage", a, "TAXABLE")]
