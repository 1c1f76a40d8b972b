"""Fidelity lot-level unrealized gain/loss (Positions > a position > Unrealized Gain/Loss >
Download): one row per open lot with its acquisition date.

No public sample or documented header exists (README §1.1, "No lot detail"); this layout is
the project's stand-in, UNVERIFIED against a real download: the positions columns (§1.1) with the
realized export's ``Date Acquired`` (§1.3) and a ``Term`` column, as in
``tests/importers/fixtures/fidelity/synthetic__Unrealized_Lots.csv``. Detection needs the
positions columns plus ``Date Acquired``, so a real file with other names is refused with the
header it has (not misread), and only the header names here need changing.
"""

from __future__ import annotations

from collections.abc import Sequence

from harvest_xl.importers.fidelity_positions import read_positions
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import Broker, FileKind, ImportResult
from harvest_xl.importers.table import has_columns

_LOT_COLUMNS = (
    "account number",
    "account name",
    "symbol",
    "date acquired",
    "quantity",
    "current value",
)


def detect(header_cells: Sequence[str]) -> bool:
    """The positions columns plus ``Date Acquired``."""
    return has_columns(header_cells, *_LOT_COLUMNS)


def read(text: str, source_name: str) -> ImportResult:
    """Read a Fidelity lot-level unrealized download."""
    return read_positions(text, source_name, detect, LAYOUT.kind, LAYOUT.name, lots=True)


LAYOUT = Layout(
    broker=Broker.FIDELITY,
    kind=FileKind.LOT_DETAIL,
    name="Unrealized Gain/Loss lot detail CSV (layout unverified)",
    where="Positions > a position > Unrealized Gain/Loss > Download",
    detect=detect,
    read=read,
)
