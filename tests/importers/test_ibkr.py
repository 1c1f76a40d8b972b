"""Interactive Brokers downloads: every sample and the synthetic statement import as expected."""

from __future__ import annotations

from harvest_xl.importers import Broker, FileKind

from .helpers import D, accounts, closed, problems, read_fixture, realized, skipped, trade, trades


def test_cgt_calc_ibkr_transaction_history() -> None:
    """Transaction History: the buy and the sell; dividends, taxes, FX, interest skipped."""
    result = read_fixture("ibkr", "cgt-calc__ibkr_transaction_history.csv")
    assert (result.report.broker, result.report.kind) == (Broker.IBKR, FileKind.HISTORY)
    a = "U***00000"
    assert trades(result) == [
        trade(17, a, "SELL", "2025-08-15", "CNX1", "2.0", "1001.00", "1999.0", fees="-3.0"),
        trade(18, a, "BUY", "2025-03-15", "CNX1", "4.0", "1000.0", "-4003.0", fees="-3.0"),
    ]
    assert skipped(result) == {
        "dividends and distributions paid in cash": 2,
        "tax withheld": 4,
        "adjustments": 1,
        "currency conversions": 1,
        "cash interest": 1,
        "cash deposits, withdrawals and transfers": 1,
    }
    assert accounts(result) == [(a, None, a, None)]


def test_export_to_ghostfolio_ibkr_flex_trades() -> None:
    """Flex trades with ISINs only: the ISIN stands in for the ticker; FX rows skipped."""
    result = read_fixture("ibkr", "export-to-ghostfolio__ibkr-flex-trades.csv")
    vt = "US9220427424"
    assert trades(result) == [
        trade(2, None, "BUY", "2023-05-22", "CH0111762537", "7", "282.7", "1978.9", fees="-5"),
        trade(3, None, "BUY", "2023-05-22", vt, "95", "93.78", "8909.1", fees="-1"),
        trade(4, None, "BUY", "2023-06-09", vt, "105", "95.42", "10019.1", fees="-1"),
        trade(5, None, "BUY", "2023-06-09", vt, "11", "95.46", "1050.06", fees="-1"),
        trade(6, None, "BUY", "2023-08-03", vt, "1", "97.84", "97.84", fees="-0.979"),
        trade(7, None, "BUY", "2023-12-28", vt, "2", "103.18", "206.36", fees="-1"),
        trade(8, None, "BUY", "2024-01-26", vt, "97", "103.61", "10050.17", fees="-1"),
        trade(9, None, "BUY", "2024-01-29", vt, "12", "103.66", "1243.92", fees="-1"),
    ]
    assert skipped(result) == {"currency conversions": 3}


def test_export_to_ghostfolio_ibkr_flex_dividends() -> None:
    """Flex cash transactions: recognised, every row skipped by its type."""
    result = read_fixture("ibkr", "export-to-ghostfolio__ibkr-flex-dividends.csv")
    assert (result.report.broker, result.report.kind) == (Broker.IBKR, FileKind.HISTORY)
    assert result.report.records_made == 0
    assert skipped(result) == {"dividends and distributions paid in cash": 7, "tax withheld": 4}


def test_trade_normalizer_ibkr_flex_executions_synthetic() -> None:
    """Flex executions: yyyyMMdd;HHmmss date-times, signed quantities, the account ID."""
    result = read_fixture("ibkr", "trade-normalizer__ibkr-flex-executions-synthetic.csv")
    a = "DU-SYNTHETIC-001"
    assert trades(result) == [
        trade(2, a, "BUY", "2026-08-03", "AAPL", "10", "205.12", None, fees="-1.00"),
        trade(3, a, "BUY", "2026-08-04", "MSFT", "5", "521.35", None, fees="-0.50"),
        trade(4, a, "BUY", "2026-08-04", "MSFT", "3", "521.40", None, fees="-0.30"),
        trade(5, a, "SELL", "2026-08-10", "AAPL", "4", "216.25", None, fees="-0.75"),
    ]
    assert skipped(result) == {}


def test_csv2txf_ib_form8949_worksheet() -> None:
    """2011 Form 8949 worksheet: lots named by description, VARIOUS dates, Part and Box."""
    result = read_fixture("ibkr", "csv2txf__ib_form8949_worksheet.csv")
    assert (result.report.broker, result.report.kind) == (Broker.IBKR, FileKind.REALIZED)
    a = "U123456"
    assert realized(result) == [
        closed(6, a, None, "100", None, "2011-11-18", "6166.51", "6402.68", term="SHORT"),
        closed(11, a, None, "200", None, None, "1166.51", "2402.68", term="SHORT"),
        closed(16, a, None, "300", "2011-02-12", None, "2166.51", "4402.68", term="SHORT"),
        closed(21, a, None, "400", "2009-02-12", "2011-03-12", "4166.51", "5402.68", term="LONG"),
        closed(26, a, None, "500", None, "2011-03-12", "7166.51", "6402.68", term="LONG"),
        closed(31, a, None, "600", "2008-02-12", None, "9166.51", "10402.68", term="LONG"),
    ]
    assert [(x.form_box, x.adjustment, x.adjustment_code) for x in result.realized] == [
        ("A", None, None),
        ("B", D("1234.56"), None),
        ("C", None, None),
        ("A", None, None),
        ("B", None, None),
        ("C", None, None),
    ]
    assert {x.description for x in result.realized} == {"GOOGLE INC"}
    assert skipped(result) == {
        "total and subtotal rows": 6,
        "section titles and repeated headers": 15,
    }


def test_synthetic_activity_statement_closed_lots() -> None:
    """Activity Statement: order rows are trades; ClosedLot rows are realized lots sold on the
    closing order's date, with basis, P/L and term; forex and options skipped."""
    result = read_fixture("ibkr", "synthetic__activity_statement_closed_lots.csv")
    a = "U9999999"
    assert trades(result) == [
        trade(11, a, "BUY", "2021-03-15", "AAPL", "10", "120.00", "-1200", fees="-1", basis="1201"),
        trade(
            12, a, "BUY", "2021-06-01", "AAPL", "15", "125.50", "-1882.5", fees="-1", basis="1883.5"
        ),
        trade(
            13,
            a,
            "SELL",
            "2021-08-23",
            "AAPL",
            "20",
            "150.00",
            "3000",
            fees="-1.05",
            basis="2456.67",
        ),
        trade(17, a, "SELL", "2021-09-01", "VTI", "5", "230.00", "1150", fees="-1", basis="800"),
    ]
    assert realized(result) == [
        closed(
            14,
            a,
            "AAPL",
            "10",
            "2021-03-15",
            "2021-08-23",
            None,
            "1201",
            gain="298.47",
            term="SHORT",
        ),
        closed(
            15,
            a,
            "AAPL",
            "10",
            "2021-06-01",
            "2021-08-23",
            None,
            "1255.67",
            gain="243.81",
            term="SHORT",
        ),
        closed(18, a, "VTI", "5", "2019-04-10", "2021-09-01", None, "800", gain="349", term="LONG"),
    ]
    assert skipped(result) == {
        "total and subtotal rows": 4,
        "currency conversions": 1,
        "section titles and repeated headers": 1,
        "option contracts": 1,
        "other statement sections": 5,
    }
    assert accounts(result) == [(a, "Individual", a, "TAXABLE")]
    assert problems(result) == []
