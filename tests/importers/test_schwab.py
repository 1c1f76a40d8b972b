"""Schwab downloads: every sample and synthetic fixture imports with the expected records."""

from __future__ import annotations

from harvest_xl.importers import Broker, FileKind

from .helpers import (
    accounts,
    closed,
    lot,
    lots,
    problems,
    read_fixture,
    realized,
    skipped,
    trade,
    trades,
)

DIVIDENDS = "dividends and distributions paid in cash"
CASH = "cash deposits, withdrawals and transfers"


def test_finporterchuck_positions_2023_inline() -> None:
    """2023 positions: the title names the account and the YYYY/MM/DD date."""
    result = read_fixture("schwab", "finporterchuck__positions_2023_inline.csv")
    assert (result.report.broker, result.report.kind) == (Broker.SCHWAB, FileKind.POSITIONS)
    assert lots(result) == [
        lot(
            4,
            "...234",
            "SCHB",
            "500",
            None,
            "22951.97",
            None,
            "48.08",
            "24040.00",
            total=True,
            as_of="2023-04-23",
        ),
    ]
    assert skipped(result) == {"core/cash positions": 1, "total and subtotal rows": 1}
    assert accounts(result) == [("...234", "Individual", "...234", "TAXABLE")]


def test_opensteuerauszug_positions_2025_docs_example() -> None:
    """2025 positions: "Qty (Quantity)"-style column names, quantity "9,999.99"."""
    result = read_fixture("schwab", "opensteuerauszug__positions_2025_docs_example.csv")
    assert lots(result) == [
        lot(
            4,
            "...123",
            "SCHB",
            "9999.99",
            None,
            "99099.99",
            None,
            "99.99",
            "9099.99",
            total=True,
            as_of="2025-05-04",
        ),
    ]
    assert accounts(result) == [("...123", "Individual", "...123", "TAXABLE")]


def test_opensteuerauszug_positions_2026_asset_type_inline() -> None:
    """2026 positions: unpadded title, an empty line, the Asset Type column."""
    result = read_fixture("schwab", "opensteuerauszug__positions_2026_asset_type_inline.csv")
    assert lots(result) == [
        lot(
            4,
            "...632",
            "META",
            "111",
            None,
            "76053.86",
            None,
            "601.2701",
            "66740.98",
            total=True,
            as_of="2026-05-11",
        ),
    ]
    assert skipped(result) == {}


def test_synthetic_positions_2020_all_accounts() -> None:
    """2020 All-Accounts positions: one block per account, option and cash rows skipped."""
    result = read_fixture("schwab", "synthetic__positions_2020_all_accounts.csv")
    assert lots(result) == [
        lot(
            5,
            "XXXX-1234",
            "SCHB",
            "100",
            None,
            "7450.00",
            None,
            "88.12",
            "8812.00",
            total=True,
            as_of="2020-12-21",
        ),
        lot(
            12,
            "XXXX-5678",
            "VTI",
            "30",
            None,
            "4980.00",
            None,
            "190.20",
            "5706.00",
            total=True,
            as_of="2020-12-21",
        ),
    ]
    assert skipped(result) == {
        "option contracts": 1,
        "core/cash positions": 1,
        "total and subtotal rows": 2,
        "section titles and repeated headers": 2,
    }
    assert accounts(result) == [
        ("XXXX-1234", "Brokerage", "XXXX-1234", "TAXABLE"),
        ("XXXX-5678", "Roth IRA", "XXXX-5678", "ROTH_IRA"),
    ]


def test_synthetic_scha_lot_details() -> None:
    """Per-symbol lot details: the symbol from the title, open dates with times, terms."""
    result = read_fixture("schwab", "synthetic__SCHA_Lot_Details.csv")
    assert (result.report.broker, result.report.kind) == (Broker.SCHWAB, FileKind.LOT_DETAIL)
    assert lots(result) == [
        lot(
            4,
            "XXXX-4321",
            "SCHA",
            "20",
            "2020-09-24",
            "1451.20",
            "72.56",
            "72.56",
            "1451.20",
            total=False,
            term="SHORT",
            as_of="2020-09-25",
        ),
        lot(
            5,
            "XXXX-4321",
            "SCHA",
            "15.5",
            "2018-03-02",
            "1054.16",
            "68.01",
            "72.56",
            "1124.68",
            total=False,
            term="LONG",
            as_of="2020-09-25",
        ),
    ]
    assert skipped(result) == {"total and subtotal rows": 1}


def test_cgt_calc_schwab_transactions_2023() -> None:
    """Buys and sells with "$135.0075" prices and fees; a MoneyLink transfer skipped."""
    result = read_fixture("schwab", "cgt-calc__schwab_transactions_2023.csv")
    assert (result.report.broker, result.report.kind) == (Broker.SCHWAB, FileKind.HISTORY)
    assert trades(result) == [
        trade(3, None, "BUY", "2023-10-09", "BAR", "300", "135.0075", "-40503.61", fees="1.34"),
        trade(4, None, "SELL", "2023-10-24", "BAR", "300", "140.35", "42103.66", fees="1.34"),
        trade(5, None, "BUY", "2023-12-01", "FOO", "500", "90.1234", "-45061.70"),
        trade(6, None, "SELL", "2024-01-08", "FOO", "500", "100.0001", "49998.85", fees="1.23"),
        trade(7, None, "BUY", "2024-02-06", "QUX", "1300", "160.1275", "-208166.93", fees="1.12"),
        trade(8, None, "SELL", "2024-02-26", "QUX", "1300", "170.3521", "221456.59", fees="1.2"),
    ]
    assert skipped(result) == {CASH: 1}
    assert accounts(result) == []


def test_cgt_calc_schwab_rsu_settlement_transactions() -> None:
    """A stock-plan deposit is an in-kind transfer dated by its "as of" date."""
    result = read_fixture("schwab", "cgt-calc__schwab_rsu_settlement_transactions.csv")
    assert trades(result) == [
        trade(2, None, "SELL", "2023-08-18", "BAR", "200", "140.35", "28068.66", fees="1.34"),
        trade(3, None, "TRANSFER_IN", "2023-08-15", "BAR", "200", None, None),
        trade(4, None, "BUY", "2023-05-01", "BAR", "300", "135.0075", "-40503.61", fees="1.34"),
    ]
    assert skipped(result) == {CASH: 1}


def test_finporterchuck_transactions_2021_two_accounts_inline() -> None:
    """Two account blocks, each titled and closed by a Transactions Total row."""
    result = read_fixture("schwab", "finporterchuck__transactions_2021_two_accounts_inline.csv")
    assert trades(result) == [
        trade(4, "...234", "BUY", "2021-07-02", "SCHB", "961", "105.0736", "-100975.73"),
        trade(10, "...678", "SELL", "2021-09-27", "VOO", "10", "137.1222", "1370.12"),
    ]
    assert skipped(result) == {
        CASH: 2,
        "total and subtotal rows": 2,
        "section titles and repeated headers": 2,
        "cash interest": 1,
    }
    assert accounts(result) == [("...234", None, "...234", None), ("...678", None, "...678", None)]


def test_export_to_ghostfolio_schwab_transactions() -> None:
    """120 rows of many actions: reinvestments, a sell, journaled shares, splits (forward,
    reverse pair, stock dividend); dividends, interest, fees and corporate actions skipped."""
    result = read_fixture("schwab", "export-to-ghostfolio__schwab-transactions.csv")
    r = "REINVEST"
    assert trades(result) == [
        trade(2, None, r, "2023-11-01", "SPY", "1.6531", "420.10", "-694.48"),
        trade(6, None, r, "2023-10-31", "FIHBX", "12.4", "8.25", "-102.30"),
        trade(7, None, r, "2023-10-31", "NFRIX", "8.082", "17.83", "-144.11"),
        trade(12, None, r, "2023-10-16", "SWVXX", "46.23", "1.00", "-46.23"),
        trade(13, None, r, "2023-10-16", "SNSXX", "1259.59", "1.00", "-1259.59"),
        trade(14, None, r, "2023-10-16", "SNAXX", "3706.38", "1.00", "-3706.38"),
        trade(15, None, r, "2023-10-04", "VNQ", "4.4877", "72.69", "-326.22"),
        trade(17, None, r, "2023-10-03", "GBDC", "10.32", "14.50", "-149.64"),
        trade(18, None, r, "2023-10-02", "ARCC", "9.2428", "19.23", "-177.70"),
        trade(19, None, r, "2023-10-02", "TCPC", "13.3458", "11.46", "-152.91"),
        trade(20, None, r, "2023-10-02", "TSLX", "6.5717", "20.46", "-134.44"),
        trade(21, None, r, "2023-10-02", "NMFC", "11.2967", "13.05", "-147.41"),
        trade(28, None, r, "2023-09-28", "FMGIX", "3.624", "15.48", "-56.10"),
        trade(34, None, "SELL", "2023-08-22", "FIHBX", "592.199", "8.46", "5000.00", fees="10.00"),
        trade(36, None, r, "2023-08-15", "SNSXX", "1215.46", "1.00", "-1215.46"),
        trade(37, None, r, "2023-08-01", "SPY", "1.5705", "455.98", "-716.12"),
        trade(40, None, r, "2023-07-31", "NFRIX", "7.272", "17.94", "-130.46"),
        trade(41, None, r, "2023-07-31", "FIHBX", "14.396", "8.57", "-123.37"),
        trade(44, None, r, "2023-06-27", "FMGIX", "4.853", "17.34", "-84.15"),
        trade(46, None, r, "2023-06-26", "VEA", "0.0086", "45.33", "-0.39"),
        trade(47, None, r, "2023-06-26", "VWO", "0.0022", "40.30", "-0.09"),
        trade(56, None, r, "2023-06-15", "SNSXX", "1170.29", "1.00", "-1170.29"),
        trade(59, None, r, "2023-05-31", "NFRIX", "6.837", "17.73", "-121.22"),
        trade(60, None, r, "2023-05-31", "FIHBX", "14.539", "8.37", "-121.69"),
        trade(62, None, "TRANSFER_OUT", "2023-05-22", "DGLRX", "877", "22.91", None),
        trade(64, None, r, "2023-05-15", "SNSXX", "491.24", "1.00", "-491.24"),
        trade(65, None, r, "2023-05-01", "SPY", "1.575", "416.50", "-655.98"),
        trade(68, None, r, "2023-04-28", "NFRIX", "6.486", "17.90", "-116.10"),
        trade(69, None, r, "2023-04-28", "FIHBX", "14.356", "8.52", "-122.31"),
        trade(74, None, r, "2023-04-03", "TSLX", "6.9586", "18.40", "-128.01"),
        trade(75, None, r, "2023-04-03", "TCPC", "12.9452", "10.46", "-135.46"),
        trade(76, None, r, "2023-04-03", "NMFC", "11.4445", "12.24", "-140.07"),
        trade(77, None, r, "2023-04-03", "ARCC", "9.1779", "18.40", "-168.91"),
        trade(80, None, r, "2023-03-31", "FIHBX", "14.445", "8.47", "-122.35"),
        trade(83, None, r, "2023-03-28", "DGLRX", "4.546", "21.78", "-99.02"),
        trade(84, None, r, "2023-03-28", "FMGIX", "1.529", "17.33", "-26.49"),
        trade(87, None, r, "2023-03-24", "VWO", "0.0003", "39.59", "-0.01"),
        trade(88, None, r, "2023-02-01", "SPY", "2.299", "405.42", "-932.07"),
        trade(90, None, r, "2023-01-31", "NFRIX", "6.004", "18.08", "-108.55"),
        trade(92, None, r, "2023-01-31", "FIHBX", "14.855", "8.58", "-127.46"),
        trade(98, None, r, "2023-01-03", "NMFC", "10.9694", "12.45", "-136.56"),
        trade(99, None, r, "2023-01-03", "TCPC", "10.0443", "13.17", "-132.25"),
        trade(100, None, "SELL", "2023-09-08", "SNAXX", "500135", "1.00", "500135.00"),
        trade(107, None, "BUY", "2024-06-13", "AVGO", "1", "1680.00", "-1680.00"),
        trade(108, None, "SPLIT", "2024-07-12", "AVGO", "9", "170.067", None),
        trade(110, None, "SPLIT", "2023-08-28", "AMC", "4", None, None),
        trade(111, None, "SPLIT", "2024-06-10", "TNXP", "1", None, None),
        trade(112, None, "SPLIT", "2024-06-10", "890260854", "-1", None, None),
    ]
    assert skipped(result) == {
        DIVIDENDS: 44,
        "cash interest": 5,
        "fees": 11,
        CASH: 3,
        "tax withheld": 1,
        "corporate actions (merger, name change, spin-off, conversion)": 7,
        "total and subtotal rows": 1,
    }
    assert result.report.rows_read == 120 and problems(result) == []


def test_opensteuerauszug_brokerage_transactions_docs_example_json() -> None:
    """The JSON download: same rows as the CSV; credit interest skipped."""
    result = read_fixture("schwab", "opensteuerauszug__brokerage_transactions_docs_example.json")
    assert (result.report.broker, result.report.kind) == (Broker.SCHWAB, FileKind.HISTORY)
    assert result.report.rows_read == 1
    assert skipped(result) == {"cash interest": 1}
    assert trades(result) == []


def test_net_alpha_schwab_realized_gl_lot_details_min() -> None:
    """Current realized lot details: opened date, term, and a wash sale's disallowed loss."""
    result = read_fixture("schwab", "net_alpha__schwab_realized_gl_lot_details_min.csv")
    assert (result.report.broker, result.report.kind) == (Broker.SCHWAB, FileKind.REALIZED)
    assert realized(result) == [
        closed(
            3,
            None,
            "WRD",
            "100",
            "2026-02-11",
            "2026-04-20",
            "824.96",
            "800.66",
            gain="24.30",
            short_gain="24.30",
            term="SHORT",
        ),
        closed(
            4,
            None,
            "CRCL 06/18/2026 150.00 C",
            "1",
            "2026-04-17",
            "2026-04-20",
            "330.33",
            "460.66",
            gain="-130.33",
            short_gain="-130.33",
            wash="130.33",
            term="SHORT",
        ),
    ]


def test_finporterchuck_realized_gain_loss_2021_inline() -> None:
    """2021 realized layout: no opened date; the unquoted title names the account."""
    result = read_fixture("schwab", "finporterchuck__realized_gain_loss_2021_inline.csv")
    assert realized(result) == [
        closed(
            3,
            "...234",
            "VEA",
            "3",
            None,
            "2021-09-27",
            "12.00",
            "10.00",
            gain="2.00",
            short_gain="1.50",
            long_gain="0.50",
        ),
    ]
    assert accounts(result) == [("...234", None, "...234", None)]


def test_nine_column_era_with_trailing_commas() -> None:
    """The 9-field era (a trailing comma on every row) and a positive-quantity ``Sell``."""
    from harvest_xl.importers import read_text

    text = (
        '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount",\r\n'
        '"03/04/2024","Sell","VTI","VANGUARD TOTAL","5","$240.00","$0.03","$1,199.97",\r\n'
        '"03/01/2024 as of 02/29/2024","Buy","VTI","VANGUARD TOTAL","5","$230.00","",'
        '"-$1,150.00",\r\n'
        'Transactions Total,"","","","","","","$49.97",\r\n'
    )
    result = read_text(text, "Individual_XXX123_Transactions_20240305-101010.csv")
    assert trades(result) == [
        trade(2, None, "SELL", "2024-03-04", "VTI", "5", "240.00", "1199.97", fees="0.03"),
        trade(3, None, "BUY", "2024-02-29", "VTI", "5", "230.00", "-1150.00"),
    ]
    assert skipped(result) == {"total and subtotal rows": 1}
