"""Recognition by content: each file's broker and kind, exclusive detectors, clear refusals."""

from __future__ import annotations

import json

import pytest

from harvest_xl.importers import (
    LAYOUTS,
    Broker,
    BrokerFileError,
    FileKind,
    Layout,
    download_instructions,
    read_data,
    read_text,
    recognise,
)
from harvest_xl.importers.source import csv_records

from .helpers import FIXTURES, fixture

F, S, V, E, IB, R = (
    Broker.FIDELITY,
    Broker.SCHWAB,
    Broker.VANGUARD,
    Broker.ETRADE,
    Broker.IBKR,
    Broker.ROBINHOOD,
)
POS, LOTS, HIST, REAL = FileKind.POSITIONS, FileKind.LOT_DETAIL, FileKind.HISTORY, FileKind.REALIZED

# Every fixture, the broker and kind it must be recognised as, and its layout's file name.
EXPECTED: dict[str, tuple[Broker, FileKind, str]] = {
    "fidelity/bean-jmw__Portfolio_Positions.csv": (F, POS, "Portfolio_Positions.csv"),
    "fidelity/finporterfido__Portfolio_Positions_2021_inline.csv": (
        F,
        POS,
        "Portfolio_Positions.csv",
    ),
    "fidelity/opensteuerauszug__Accounts_History.csv": (F, HIST, "Accounts_History.csv"),
    "fidelity/bean-jmw__History_requoted.csv": (F, HIST, "Accounts_History.csv"),
    "fidelity/finporterfido__History_2021_inline.csv": (F, HIST, "Accounts_History.csv"),
    "fidelity/finporterfido__History_2021_cashmgmt_inline.csv": (F, HIST, "Accounts_History.csv"),
    "fidelity/synthetic__Accounts_History_2026_18col.csv": (F, HIST, "Accounts_History.csv"),
    "fidelity/synthetic__History_2023_one_account.csv": (F, HIST, "Accounts_History.csv"),
    "fidelity/finporterfido__Realized_Gain_Loss_Account_inline.csv": (
        F,
        REAL,
        "Realized_Gain_Loss_Account.csv",
    ),
    "fidelity/opensteuerauszug__Statement12312025.csv": (F, POS, "StatementMMDDYYYY.csv"),
    "fidelity/synthetic__Unrealized_Lots.csv": (
        F,
        LOTS,
        "Unrealized Gain/Loss lot detail CSV (layout unverified)",
    ),
    "schwab/finporterchuck__positions_2023_inline.csv": (S, POS, "Positions.csv"),
    "schwab/opensteuerauszug__positions_2025_docs_example.csv": (S, POS, "Positions.csv"),
    "schwab/opensteuerauszug__positions_2026_asset_type_inline.csv": (S, POS, "Positions.csv"),
    "schwab/synthetic__positions_2020_all_accounts.csv": (S, POS, "Positions.csv"),
    "schwab/synthetic__SCHA_Lot_Details.csv": (S, LOTS, "Lot Details.csv (one file per symbol)"),
    "schwab/cgt-calc__schwab_transactions_2023.csv": (S, HIST, "Transactions.csv"),
    "schwab/cgt-calc__schwab_rsu_settlement_transactions.csv": (S, HIST, "Transactions.csv"),
    "schwab/export-to-ghostfolio__schwab-transactions.csv": (S, HIST, "Transactions.csv"),
    "schwab/finporterchuck__transactions_2021_two_accounts_inline.csv": (
        S,
        HIST,
        "Transactions.csv",
    ),
    "schwab/opensteuerauszug__brokerage_transactions_docs_example.json": (
        S,
        HIST,
        "Transactions.json",
    ),
    "schwab/net_alpha__schwab_realized_gl_lot_details_min.csv": (
        S,
        REAL,
        "Realized Gain/Loss Lot Details.csv",
    ),
    "schwab/finporterchuck__realized_gain_loss_2021_inline.csv": (
        S,
        REAL,
        "GainLoss_Realized.csv (2021 layout)",
    ),
    "vanguard/csv2txf__vanguard_simplified.csv": (
        V,
        FileKind.POSITIONS_AND_HISTORY,
        "OfxDownload.csv",
    ),
    "vanguard/synthetic__OfxDownload_2024.csv": (
        V,
        FileKind.POSITIONS_AND_HISTORY,
        "OfxDownload.csv",
    ),
    "vanguard/synthetic__OfxDownload_padded_2019.csv": (
        V,
        FileKind.POSITIONS_AND_HISTORY,
        "OfxDownload.csv",
    ),
    "etrade/quantfolio__PortfolioDownload_2026.csv": (E, POS, "PortfolioDownload.csv"),
    "etrade/synthetic__PortfolioDownload_lots_2019.csv": (E, POS, "PortfolioDownload.csv"),
    "etrade/bean-jmw__DownloadTxnHistory.csv": (E, HIST, "DownloadTxnHistory.csv"),
    "ibkr/cgt-calc__ibkr_transaction_history.csv": (IB, HIST, "Transaction History CSV"),
    "ibkr/csv2txf__ib_form8949_worksheet.csv": (
        IB,
        REAL,
        "Worksheet for Form 8949 CSV (2011 layout)",
    ),
    "ibkr/export-to-ghostfolio__ibkr-flex-trades.csv": (IB, HIST, "Flex Query CSV (Trades)"),
    "ibkr/export-to-ghostfolio__ibkr-flex-dividends.csv": (
        IB,
        HIST,
        "Flex Query CSV (Cash Transactions)",
    ),
    "ibkr/trade-normalizer__ibkr-flex-executions-synthetic.csv": (
        IB,
        HIST,
        "Flex Query CSV (Trades)",
    ),
    "ibkr/synthetic__activity_statement_closed_lots.csv": (
        IB,
        HIST,
        "Activity Statement CSV (trades, closed lots)",
    ),
    "robinhood/trade-normalizer__robinhood-equities-synthetic.csv": (
        R,
        HIST,
        "account activity report CSV",
    ),
    "robinhood/synthetic__activity_with_trailer.csv": (R, HIST, "account activity report CSV"),
}


def _text(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8-sig")


def _header(layout: Layout, text: str) -> list[str]:
    """The first record the layout's own detector accepts (JSON: the top-level keys)."""
    if layout.is_json:
        return list(json.loads(text))
    return next(cells for _, cells in csv_records(text, "test") if layout.detect(cells))


def test_every_fixture_is_listed() -> None:
    """The table below covers every CSV/JSON fixture in the folder (a new one must be added)."""
    on_disk = {
        str(path.relative_to(FIXTURES))
        for path in FIXTURES.glob("*/*")
        if path.suffix in (".csv", ".json")
    }
    assert on_disk == set(EXPECTED)


def test_every_layout_has_a_fixture() -> None:
    """Each known layout is exercised by at least one fixture file."""
    recognised = {recognise(_text(name), name) for name in EXPECTED}
    assert recognised == set(LAYOUTS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_recognised_as_its_broker_and_kind(name: str) -> None:
    """Each fixture is recognised by its content as the expected broker, layout and kind."""
    broker, kind, layout_name = EXPECTED[name]
    layout = recognise(_text(name), name)
    assert (layout.broker, layout.name) == (broker, layout_name)
    if kind is not FileKind.POSITIONS_AND_HISTORY:
        assert layout.kind is kind


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_header_rejected_by_every_other_detector(name: str) -> None:
    """The header a layout accepts is accepted by no other layout's detector."""
    text = _text(name)
    layout = recognise(text, name)
    header = _header(layout, text)
    accepting = [other.name for other in LAYOUTS if other.detect(header)]
    assert accepting == [layout.name]


def test_recognition_ignores_the_file_name() -> None:
    """A positions file named like a history file is still read as positions."""
    data = fixture("fidelity", "bean-jmw__Portfolio_Positions.csv").read_bytes()
    result = read_data(data, "History_for_Account_X12345678.csv")
    assert result.report.kind is FileKind.POSITIONS
    assert len(result.lots) == 4


def test_unknown_csv_names_the_header_and_the_layouts() -> None:
    """A CSV of no known layout: the error quotes its header and lists the known layouts."""
    text = "Trade Id,Ticker,Units\n1,AAPL,10\n"
    with pytest.raises(BrokerFileError) as caught:
        read_text(text, "mystery.csv")
    message = str(caught.value)
    assert message.startswith("mystery.csv: no known broker layout: the header found is ")
    assert "'Trade Id,Ticker,Units'" in message
    for layout in LAYOUTS:
        assert layout.name in message
    assert "Fidelity: Portfolio_Positions.csv" in message


def test_schwab_equity_awards_is_not_a_known_layout() -> None:
    """Schwab's Equity Awards export (not read yet) is refused with its header, not misread."""
    header = (
        '"Date","Action","Symbol","Description","Quantity","FeesAndCommissions",'
        '"DisbursementElection","Amount","AwardDate","AwardId"\n'
    )
    with pytest.raises(BrokerFileError, match="AwardDate,AwardId"):
        recognise(header + '"08/15/2023","Lapse","BAR","Restricted Stock Lapse","400"\n', "a.csv")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("", "the file has no header row"),
        ("\n\n,,,\n", "the file has no header row"),
        ("just one column\nanother\n", "the file has no header row"),
    ],
)
def test_empty_or_single_column_file_refused(text: str, found: str) -> None:
    """An empty file or a single column: refused, saying there is no header row."""
    with pytest.raises(BrokerFileError, match=found):
        recognise(text, "empty.csv")


def test_unknown_json_names_its_fields() -> None:
    """A JSON file of no known layout: the error names its top-level fields."""
    with pytest.raises(
        BrokerFileError, match="the JSON fields found are 'FromDate, ToDate, Transactions'"
    ):
        recognise('{"FromDate": "", "ToDate": "", "Transactions": []}', "awards.json")


def test_fidelity_positions_lowercase_header_era() -> None:
    """The 2025-26 lower-case positions header (second-hand) reads like the title-case one."""
    text = (
        "Account number,Account name,Symbol,Description,Quantity,Last price,Last price change,"
        "Current value,Today's gain/loss dollar,Today's gain/loss percent,Total gain/loss dollar,"
        "Total gain/loss percent,Percent of account,Cost basis total,Average cost basis,Type\n"
        "Z1,ROTH IRA,VTI,VANGUARD TOTAL STK MKT,3,$250.00,+$1.00,$750.00,+$3.00,+0.40%,"
        "+$90.00,+13.64%,100%,$660.00,$220.00,Cash\n"
    )
    result = read_text(text, "Portfolio_Positions.csv")
    lot = result.lots[0]
    assert (lot.ticker, lot.shares, lot.cost_basis, lot.cost_per_share) == (
        "VTI",
        3,
        660,
        220,
    )


def test_fidelity_positions_older_cost_basis_era() -> None:
    """The older ``Cost Basis,Cost Basis Per Share`` ending (second-hand) is read too."""
    text = (
        "Account Number,Account Name,Symbol,Description,Quantity,Last Price,Last Price Change,"
        "Current Value,Today's Gain/Loss Dollar,Today's Gain/Loss Percent,Total Gain/Loss Dollar,"
        "Total Gain/Loss Percent,Percent Of Account,Cost Basis,Cost Basis Per Share,Type\n"
        "Z1,Individual,VTI,VANGUARD,3,$250.00,+$1.00,$750.00,+$3.00,+0.40%,+$90.00,+13.64%,"
        "100%,$660.00,$220.00,Cash\n"
    )
    lot = read_text(text, "p.csv").lots[0]
    assert (lot.cost_basis, lot.cost_per_share) == (660, 220)


def test_download_instructions_name_every_layout() -> None:
    """One line per layout: broker, kind, where on the website, and the file's usual name."""
    lines = download_instructions()
    assert len(lines) == len(LAYOUTS)
    assert lines[0] == (
        "Fidelity, positions: Accounts & Trade > Portfolio > Positions > Download "
        "(Portfolio_Positions.csv)"
    )
    for layout, line in zip(LAYOUTS, lines, strict=True):
        assert layout.where in line and layout.name in line
