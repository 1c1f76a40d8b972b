"""Which layout a broker file is, recognised by its content (never its name), and reading it.

:func:`recognise` looks for a header row any layout accepts among the first
:data:`~harvest_xl.importers.table.MAX_PREAMBLE_RECORDS` records (titles, account lines and
``,,,,`` rows may come first), and past them among the section headers of a statement made of
sections (an Interactive Brokers statement's ``Trades,Header,…`` can follow hundreds of rows).
A JSON download is recognised by its top-level keys.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from harvest_xl.importers import (
    etrade_positions,
    etrade_transactions,
    fidelity_history,
    fidelity_lots,
    fidelity_positions,
    fidelity_realized,
    fidelity_statement,
    ibkr_activity,
    ibkr_flex,
    ibkr_form8949,
    ibkr_history,
    robinhood_activity,
    schwab_lots,
    schwab_positions,
    schwab_realized,
    schwab_transactions,
    vanguard_download,
)
from harvest_xl.importers.errors import BrokerFileError
from harvest_xl.importers.layout import Layout
from harvest_xl.importers.records import ImportResult
from harvest_xl.importers.source import (
    MAX_FILE_BYTES,
    csv_records,
    decode_text,
    read_bytes,
    too_large,
)
from harvest_xl.importers.table import MAX_PREAMBLE_RECORDS, filled

LAYOUTS: tuple[Layout, ...] = (
    fidelity_positions.LAYOUT,
    fidelity_lots.LAYOUT,
    fidelity_history.LAYOUT,
    fidelity_realized.LAYOUT,
    fidelity_statement.LAYOUT,
    schwab_positions.LAYOUT,
    schwab_lots.LAYOUT,
    schwab_transactions.LAYOUT,
    schwab_transactions.JSON_LAYOUT,
    schwab_realized.LAYOUT,
    schwab_realized.LAYOUT_2021,
    vanguard_download.LAYOUT,
    etrade_positions.LAYOUT,
    etrade_transactions.LAYOUT,
    ibkr_activity.LAYOUT,
    ibkr_history.LAYOUT,
    ibkr_flex.TRADES_LAYOUT,
    ibkr_flex.CASH_LAYOUT,
    ibkr_form8949.LAYOUT,
    robinhood_activity.LAYOUT,
)
"""Every layout known, in the order they are tried (no two accept the same header)."""

_CSV_LAYOUTS = tuple(layout for layout in LAYOUTS if not layout.is_json)
_JSON_LAYOUTS = tuple(layout for layout in LAYOUTS if layout.is_json)
_SHOWN_HEADER_CHARS = 200


def known_layouts() -> str:
    """The layouts known, by broker, as one line for an error message."""
    by_broker: dict[str, list[str]] = {}
    for layout in LAYOUTS:
        by_broker.setdefault(layout.broker.value, []).append(layout.name)
    return "; ".join(f"{broker}: {', '.join(names)}" for broker, names in by_broker.items())


def recognise(text: str, source_name: str = "file") -> Layout:
    """The layout of ``text``, or :class:`BrokerFileError` naming the header found and the
    layouts known."""
    if text.lstrip().startswith(("{", "[")):
        return _recognise_json(text, source_name)
    first_header: Sequence[str] | None = None
    for count, (_, cells) in enumerate(csv_records(text, source_name)):
        if count >= MAX_PREAMBLE_RECORDS and (len(cells) < 2 or cells[1].strip() != "Header"):
            continue  # past the preamble only a statement's section headers are looked at
        for layout in _CSV_LAYOUTS:
            if layout.detect(cells):
                return layout
        if first_header is None and filled(cells) >= 2:
            first_header = cells
    raise BrokerFileError(source_name, _unknown(first_header))


def _recognise_json(text: str, source_name: str) -> Layout:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BrokerFileError(
            source_name, f"it looks like JSON but cannot be read ({exc})"
        ) from exc
    keys = list(document) if isinstance(document, dict) else []
    for layout in _JSON_LAYOUTS:
        if layout.detect(keys):
            return layout
    shown = ", ".join(keys) if keys else "a JSON document without named fields"
    raise BrokerFileError(
        source_name,
        f"no known broker layout: the JSON fields found are {shown[:_SHOWN_HEADER_CHARS]!r}; "
        f"known layouts: {known_layouts()}",
    )


def _unknown(header: Sequence[str] | None) -> str:
    if header is None:
        found = "the file has no header row (it is empty or holds a single column)"
    else:
        shown = ",".join(cell.strip() for cell in header if cell.strip())
        if len(shown) > _SHOWN_HEADER_CHARS:
            shown = shown[: _SHOWN_HEADER_CHARS - 3] + "..."
        found = f"the header found is {shown!r}"
    return f"no known broker layout: {found}; known layouts: {known_layouts()}"


def read_text(text: str, source_name: str) -> ImportResult:
    """Recognise ``text`` and read it into records."""
    return recognise(text, source_name).read(text, source_name)


def read_data(data: bytes, source_name: str, max_bytes: int = MAX_FILE_BYTES) -> ImportResult:
    """Check ``data`` is a text download of at most ``max_bytes`` (not a zip, a binary...),
    decode it and read it."""
    if len(data) > max_bytes:
        raise BrokerFileError(source_name, too_large(len(data), max_bytes))
    return read_text(decode_text(data, source_name), source_name)


def read_file(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> ImportResult:
    """Read a broker file from disk (never modified), refusing one larger than ``max_bytes``."""
    name = Path(path).name
    return read_data(read_bytes(path, max_bytes), name, max_bytes)


def download_instructions() -> list[str]:
    """For each layout, the broker, what the file holds and where the website offers it."""
    return [
        f"{layout.broker.value}, {layout.kind.value}: {layout.where} ({layout.name})"
        for layout in LAYOUTS
    ]
