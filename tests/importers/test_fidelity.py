"""Fidelity downloads: every sample and synthetic fixture imports with the expected records."""

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

NO_TICKER = "Symbol: the row names no ticker (the security is {!r}); enter it by hand"


def test_bean_jmw_portfolio_positions() -> None:
    """Title-case positions: position totals as of the download date; core rows skipped."""
    result = read_fixture("fidelity", "bean-jmw__Portfolio_Positions.csv")
    assert (result.report.broker, result.report.kind) == (Broker.FIDELITY, FileKind.POSITIONS)
    assert lots(result) == [
        lot(
            3,
            "Z22222222",
            "FXAIX",
            "7.7880",
            None,
            "200.00",
            "10.00",
            "10.000",
            "77.880",
            total=True,
            as_of="2025-06-30",
        ),
        lot(
            4,
            "Z22222222",
            "GOOG",
            "4.00",
            None,
            "300.00",
            "10.00",
            "10.000",
            "40.00",
            total=True,
            as_of="2025-06-30",
        ),
        lot(
            6,
            "Z4567",
            "FXAIX",
            "10.000",
            None,
            "200.00",
            "10.00",
            "214.98",
            "2149.80",
            total=True,
            as_of="2025-06-30",
        ),
        lot(
            7,
            "Z4567",
            "HOOL",
            "300",
            None,
            "300.00",
            "10.00",
            "10.000",
            "3000.00",
            total=True,
            as_of="2025-06-30",
        ),
    ]
    assert skipped(result) == {"core/cash positions": 3, "footer and disclaimer lines": 3}
    assert accounts(result) == [
        ("Z22222222", "Individual - TOD", "Z22222222", "TAXABLE"),
        ("Z4567", "Individual - TOD", "Z4567", "TAXABLE"),
        ("6666", "Rollover IRA", "6666", "TRADITIONAL_IRA"),
    ]
    assert result.trades == () and result.realized == () and problems(result) == []


def test_finporterfido_portfolio_positions_2021_inline() -> None:
    """BOM, CRLF, a trailing comma on every row and quoted money like "$45,900.35"."""
    result = read_fixture("fidelity", "finporterfido__Portfolio_Positions_2021_inline.csv")
    assert lots(result) == [
        lot(
            2,
            "Z00000000",
            "VWO",
            "900",
            None,
            "38362.05",
            "28.96",
            "50.922",
            "45900.35",
            total=True,
        ),
        lot(
            3,
            "Z00000001",
            "VOO",
            "800",
            None,
            "38362.05",
            "18.96",
            "40.922",
            "45900.35",
            total=True,
        ),
    ]
    assert skipped(result) == {"footer and disclaimer lines": 1}  # the "XXX" stand-in
    assert accounts(result) == [
        ("Z00000000", "AAAA", "Z00000000", None),
        ("Z00000001", "BBBB", "Z00000001", None),
    ]


def test_opensteuerauszug_accounts_history() -> None:
    """2025-26 history: Price before Quantity, identical buys kept apart, legal footer."""
    result = read_fixture("fidelity", "opensteuerauszug__Accounts_History.csv")
    assert (result.report.broker, result.report.kind) == (Broker.FIDELITY, FileKind.HISTORY)
    account = "U12349876"
    assert trades(result) == [
        trade(5, account, "BUY", "2025-12-24", "VT", "28", "142.035", "-3976.96"),
        trade(6, account, "BUY", "2025-12-24", "VT", "10", "142.035", "-1420.35"),
        trade(7, account, "BUY", "2025-12-24", "VT", "10", "142.035", "-1420.35"),
        trade(8, account, "BUY", "2025-12-24", "VT", "22", "142.035", "-3124.77"),
        trade(9, account, "REINVEST", "2025-12-23", "VT", "0.8724", "141.26", "-123.23"),
        trade(17, account, "BUY", "2025-12-15", "VT", "130", "141.795", "-18433.35"),
    ]
    assert skipped(result) == {
        "cash interest": 8,
        "dividends and distributions paid in cash": 1,
        "tax withheld": 1,
        "footer and disclaimer lines": 9,
    }
    assert result.report.rows_read == 25
    assert accounts(result) == [(account, "My Fidelity Account", account, None)]
    assert len({t.key for t in result.trades}) == 6  # the two identical buys differ in key


def test_bean_jmw_history_requoted() -> None:
    """2022-23 all-accounts history re-saved with ' quotes: reinvestments (an "as of" date is
    the trade date), buys and sells by account; 401(k) rows without a ticker are reported."""
    result = read_fixture("fidelity", "bean-jmw__History_requoted.csv")
    x, z, ira = "X11111111", "Z22222222", "888899111"
    assert trades(result) == [
        trade(13, z, "REINVEST", "2022-12-30", "FLTMX", "7.68", "9.9", "-76.05"),
        trade(15, x, "REINVEST", "2022-12-30", "FTABX", "1.67", "10.62", "-17.69"),
        trade(20, z, "REINVEST", "2022-12-28", "FSPSX", "3.369", "40.92", "-137.87"),
        trade(21, x, "REINVEST", "2022-12-28", "FSPSX", "4.592", "40.92", "-187.92"),
        trade(24, z, "REINVEST", "2022-12-16", "FSMAX", "1.351", "63.24", "-85.45"),
        trade(28, ira, "REINVEST", "2022-12-16", "FXAIX", "0.089", "133.5", "-11.92"),
        trade(29, z, "REINVEST", "2022-12-16", "FXAIX", "0.128", "133.5", "-17.07"),
        trade(30, x, "REINVEST", "2022-12-16", "FXAIX", "0.61", "133.5", "-81.45"),
        trade(32, x, "REINVEST", "2022-11-30", "VCAIX", "17.471", "11.12", "-194.28"),
        trade(35, z, "REINVEST", "2022-11-30", "FLTMX", "7.093", "9.9", "-70.22"),
        trade(45, x, "BUY", "2022-06-13", "FXAIX", "7.66", "130.55", "-1000"),
        trade(46, z, "BUY", "2022-06-13", "FXAIX", "7.66", "130.55", "-1000"),
        trade(51, x, "REINVEST", "2022-03-04", "FTABX", "11.046", "11.66", "-128.8"),
        trade(53, z, "REINVEST", "2022-02-04", "FCNTX", "67.385", "16.71", "-1126.01"),
        trade(54, z, "SELL", "2020-06-02", "GOOG", "6", "364.4", "2186.4", fees="16.11"),
        trade(55, x, "SELL", "2020-06-01", "GOOG", "10", "362.6", "3626", fees="32.06"),
        trade(58, x, "BUY", "2019-03-13", "GOOG", "20", "100.00", "-2000"),
        trade(59, z, "BUY", "2019-03-13", "GOOG", "10", "100.00", "-1000"),
    ]
    assert skipped(result) == {
        "cash interest": 1,
        "core/cash positions": 3,
        "dividends and distributions paid in cash": 16,
        "adjustments": 1,
        "fees": 1,
        "corporate actions (merger, name change, spin-off, conversion)": 6,
        "cash deposits, withdrawals and transfers": 3,
        "footer and disclaimer lines": 9,
    }
    assert problems(result) == [
        (7, NO_TICKER.format("VANG ST INV GR ADM")),
        (22, NO_TICKER.format("TRP RETIRE I 2030 I")),
        (33, NO_TICKER.format("VANG ST INV GR ADM")),
        (36, NO_TICKER.format("VANG ST INV GR ADM")),
        (37, NO_TICKER.format("FID 500 INDEX")),
        (42, NO_TICKER.format("FID MID CAP IDX")),
        (43, NO_TICKER.format("FID 500 INDEX")),
        (44, NO_TICKER.format("VANG ST INV GR ADM")),
    ]
    assert accounts(result) == [
        ("99999", "GOOGLE 401(K) PLAN", "99999", "TRADITIONAL_401K"),
        (x, "Individual - TOD", x, "TAXABLE"),
        (ira, "Rollover IRA", ira, "TRADITIONAL_IRA"),
        (z, "Individual - TOD", z, "TAXABLE"),
    ]
    assert result.report.rows_read == 66


def test_finporterfido_history_2021_inline() -> None:
    """2021 history: preamble, leading spaces, the account column holding name and number."""
    result = read_fixture("fidelity", "finporterfido__History_2021_inline.csv")
    assert trades(result) == [
        trade(7, "X00000000", "BUY", "2021-03-01", "VV", "0.999", "180.95", "-150.00"),
    ]
    assert accounts(result) == [
        ("X00000000", "MY TACTICAL (taxable)", "X00000000", "TAXABLE"),
    ]
    assert skipped(result) == {"footer and disclaimer lines": 1}


def test_finporterfido_history_2021_cashmgmt_inline() -> None:
    """Cash-management rows (debit card, direct debit, direct deposit) make no trades."""
    result = read_fixture("fidelity", "finporterfido__History_2021_cashmgmt_inline.csv")
    assert trades(result) == []
    assert skipped(result) == {
        "cash deposits, withdrawals and transfers": 3,
        "footer and disclaimer lines": 1,
    }
    assert [a[0] for a in accounts(result)] == ["X0000000A", "X0000000B", "X0000000C"]
    assert {a[3] for a in accounts(result)} == {"TAXABLE"}  # "CASH MGMT"


def test_finporterfido_realized_gain_loss_account_inline() -> None:
    """One closed lot; ticker split from the CUSIP; "$12.00 " money with a trailing space."""
    result = read_fixture("fidelity", "finporterfido__Realized_Gain_Loss_Account_inline.csv")
    assert (result.report.broker, result.report.kind) == (Broker.FIDELITY, FileKind.REALIZED)
    assert realized(result) == [
        closed(
            2,
            None,
            "VEA",
            "3.0",
            "2020-08-31",
            "2021-01-29",
            "12.00",
            "10.00",
            short_gain="1.50",
            long_gain="0.50",
        ),
    ]
    assert result.realized[0].description == "VANGUARD TAX-MANAGEDINTL FD FTSE DEV MKTETF"


def test_opensteuerauszug_statement12312025() -> None:
    """Statement CSV: the stock holding with its cost; core deposits and subtotals skipped."""
    result = read_fixture("fidelity", "opensteuerauszug__Statement12312025.csv")
    assert (result.report.broker, result.report.kind) == (Broker.FIDELITY, FileKind.POSITIONS)
    assert lots(result) == [
        lot(
            11,
            "U12349876",
            "VT",
            "200.8724",
            None,
            "28295.80",
            None,
            "141.06000",
            "28335.06",
            total=True,
        ),
    ]
    assert skipped(result) == {
        "section titles and repeated headers": 4,
        "total and subtotal rows": 2,
        "core/cash positions": 2,
    }
    assert accounts(result) == [("U12349876", "My Fidelity Account", "U12349876", None)]


def test_synthetic_unrealized_lots() -> None:
    """Stand-in lot-level layout: lots with dates and terms; an unknown date stays None."""
    result = read_fixture("fidelity", "synthetic__Unrealized_Lots.csv")
    assert (result.report.broker, result.report.kind) == (Broker.FIDELITY, FileKind.LOT_DETAIL)
    as_of = "2026-01-05"
    assert lots(result) == [
        lot(
            2,
            "Z12345678",
            "VTI",
            "10",
            "2022-03-14",
            "2184.00",
            "218.40",
            "245.12",
            "2451.20",
            total=False,
            term="LONG",
            as_of=as_of,
        ),
        lot(
            3,
            "Z12345678",
            "VTI",
            "2.5",
            "2025-11-02",
            "627.50",
            "251.00",
            "245.12",
            "612.80",
            total=False,
            term="SHORT",
            as_of=as_of,
        ),
        lot(
            5,
            "222333444",
            "VXUS",
            "40",
            "2021-06-01",
            "2564.00",
            "64.10",
            "58.30",
            "2332.00",
            total=False,
            term="LONG",
            as_of=as_of,
        ),
        lot(
            6,
            "222333444",
            "VXUS",
            "5",
            None,
            None,
            None,
            "58.30",
            "291.50",
            total=False,
            as_of=as_of,
        ),
        lot(
            7,
            "333444555",
            "FXAIX",
            "3.215",
            "2024-09-30",
            "579.34",
            "180.20",
            "205.10",
            "659.40",
            total=False,
            term="LONG",
            as_of=as_of,
        ),
    ]
    assert skipped(result) == {
        "core/cash positions": 1,
        "pending activity": 1,
        "footer and disclaimer lines": 4,
    }
    assert accounts(result) == [
        ("Z12345678", "Individual - TOD", "Z12345678", "TAXABLE"),
        ("222333444", "ROTH IRA", "222333444", "ROTH_IRA"),
        ("333444555", "Health Savings Account", "333444555", "HSA"),
    ]


def test_synthetic_accounts_history_2026_18col() -> None:
    """Dec 2025+ 18-column history: options skipped, "as of" trade date, in-kind transfer,
    a split's shares, core purchase, journal and interest skipped."""
    result = read_fixture("fidelity", "synthetic__Accounts_History_2026_18col.csv")
    z, roth = "Z12345678", "222333444"
    assert trades(result) == [
        trade(3, roth, "BUY", "2026-03-20", "ITOT", "15", "131.25", "-1968.75"),
        trade(4, z, "SELL", "2026-03-19", "VTI", "12.5", "240.10", "3001.23", fees="0.02"),
        trade(6, z, "REINVEST", "2026-03-06", "VTI", "0.221", "238.80", "-52.77"),
        trade(8, z, "TRANSFER_IN", "2026-03-02", "VXUS", "40", None, "0.00"),
        trade(10, z, "SPLIT", "2026-02-20", "NVDA", "90", None, "0.00"),
    ]
    assert skipped(result) == {
        "option contracts": 1,
        "dividends and distributions paid in cash": 1,
        "core/cash positions": 1,
        "cash deposits, withdrawals and transfers": 1,
        "journals": 1,
        "cash interest": 1,
        "footer and disclaimer lines": 4,
    }
    assert accounts(result) == [
        (roth, "ROTH IRA", roth, "ROTH_IRA"),
        (z, "Individual - TOD", z, "TAXABLE"),
        ("333444555", "Health Savings Account", "333444555", "HSA"),
    ]


def test_synthetic_history_2023_one_account() -> None:
    """12-column single-account history: no account column, so trades carry none."""
    result = read_fixture("fidelity", "synthetic__History_2023_one_account.csv")
    assert trades(result) == [
        trade(7, None, "BUY", "2023-05-15", "SCHB", "20", "48.11", "-962.20"),
        trade(10, None, "SELL", "2023-04-12", "SCHB", "5", "47.20", "235.99", fees="0.01"),
    ]
    assert skipped(result) == {
        "cash interest": 1,
        "cash deposits, withdrawals and transfers": 1,
        "footer and disclaimer lines": 2,
    }
    assert accounts(result) == []
