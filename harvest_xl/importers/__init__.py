"""Broker downloads (Fidelity, Schwab, Vanguard, E*TRADE, Interactive Brokers, Robinhood) read
into plain records: accounts, lots, trades and realized lots, each with its file and line and a
stable identity key, plus a report per file. Text in, records out: writing them into a workbook
is the caller's job (no workbook library is imported here).

    result = read_file("Accounts_History.csv")
    result.report.lines(); result.trades[0].kind; result.trades[0].key
"""

from __future__ import annotations

from harvest_xl.importers.accounts import infer_account_type
from harvest_xl.importers.errors import BrokerFileError
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import (
    Broker,
    FileKind,
    ImportedAccount,
    ImportedLot,
    ImportedRealizedLot,
    ImportedTrade,
    ImportProblem,
    ImportReport,
    ImportResult,
    SkipReason,
    SourceLine,
    TradeKind,
)
from harvest_xl.importers.registry import (
    LAYOUTS,
    download_instructions,
    known_layouts,
    read_data,
    read_file,
    read_text,
    recognise,
)

__all__ = [
    "LAYOUTS",
    "Broker",
    "BrokerFileError",
    "FileKind",
    "ImportProblem",
    "ImportReport",
    "ImportResult",
    "ImportedAccount",
    "ImportedLot",
    "ImportedRealizedLot",
    "ImportedTrade",
    "Layout",
    "SkipReason",
    "SourceLine",
    "TradeKind",
    "download_instructions",
    "infer_account_type",
    "known_layouts",
    "read_data",
    "read_file",
    "read_text",
    "recognise",
]
