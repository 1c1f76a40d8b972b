"""Identity keys: the same file twice, or an overlapping later export, is recognisable as
already present; two identical rows in one file stay two records."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harvest_xl.importers import ImportResult, read_file, read_text

from .helpers import FIXTURES, fixture

ALL_FIXTURES = sorted(
    str(path.relative_to(FIXTURES))
    for path in FIXTURES.glob("*/*")
    if path.suffix in (".csv", ".json")
)


def _keys(result: ImportResult) -> tuple[str, ...]:
    return (
        *(a.key for a in result.accounts),
        *(x.key for x in result.lots),
        *(x.holding_key for x in result.lots),
        *(x.key for x in result.trades),
        *(x.key for x in result.realized),
    )


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_same_file_twice_gives_the_same_keys(name: str) -> None:
    """Reading a file twice gives identical keys, and no two records of a file share one."""
    first, second = read_file(FIXTURES / name), read_file(FIXTURES / name)
    assert _keys(first) == _keys(second)
    record_keys = [x.key for x in (*first.lots, *first.trades, *first.realized)]
    assert len(set(record_keys)) == len(record_keys)


GHOSTFOLIO = fixture("schwab", "export-to-ghostfolio__schwab-transactions.csv").read_text()
GHOST_HEADER, *GHOST_ROWS = GHOSTFOLIO.splitlines(keepends=True)
GHOST_SORTED = GHOST_ROWS[:98]  # the first block, newest first; the appended rows follow


def _row_date(row: str) -> date:
    month, day_, year = row.split(",", 1)[0].strip('"').split("/")
    return date(int(year), int(month), int(day_))


def _export(first: date, last: date) -> str:
    """What Schwab would export for the dates first..last: the header and those rows."""
    return GHOST_HEADER + "".join(r for r in GHOST_SORTED if first <= _row_date(r) <= last)


def _by_content(result: ImportResult) -> dict[tuple[object, ...], str]:
    return {(t.trade_date, t.kind, t.ticker, t.shares, t.amount): t.key for t in result.trades}


def test_overlapping_later_export_shares_the_overlap_keys() -> None:
    """An earlier and a later export overlapping in June-August 2023: the rows of the overlap
    have the same keys in both, the others are new."""
    earlier = read_text(_export(date(2023, 1, 1), date(2023, 8, 22)), "earlier.csv")
    later = read_text(_export(date(2023, 6, 1), date(2023, 12, 31)), "later.csv")
    overlap = {t.key for t in earlier.trades if t.trade_date >= date(2023, 6, 1)}
    assert len(overlap) == 9  # lines 34, 36, 37, 40, 41, 44, 46, 47 and 56
    assert {t.key for t in later.trades} & {t.key for t in earlier.trades} == overlap
    new_in_later = [t for t in later.trades if t.key not in overlap]
    assert new_in_later and all(t.trade_date > date(2023, 8, 22) for t in new_in_later)
    lines_earlier = {t.key: t.source.line for t in earlier.trades}
    assert any(lines_earlier[t.key] != t.source.line for t in later.trades if t.key in overlap)


@settings(max_examples=40, deadline=None)
@given(
    first=st.dates(min_value=date(2022, 12, 25), max_value=date(2023, 11, 5)),
    days=st.integers(min_value=0, max_value=320),
)
def test_any_date_window_export_matches_the_full_file(first: date, days: int) -> None:
    """For any export window, every trade's key is the key the full export gives that trade."""
    last = date.fromordinal(first.toordinal() + days)
    full = _by_content(read_text(GHOST_HEADER + "".join(GHOST_SORTED), "full.csv"))
    window = read_text(_export(first, last), "window.csv")
    for content, key in _by_content(window).items():
        assert full[content] == key


FIDELITY = fixture("fidelity", "opensteuerauszug__Accounts_History.csv").read_text()


def test_number_formatting_does_not_change_keys() -> None:
    """142.035 and 142.0350, -1420.35 and -1420.350: the same trade, the same key."""
    reformatted = FIDELITY.replace(",142.035,", ",142.0350,").replace(",-1420.35,", ",-1420.350,")
    assert reformatted != FIDELITY
    original = read_text(FIDELITY, "a.csv")
    again = read_text(reformatted, "b.csv")
    assert [t.key for t in again.trades] == [t.key for t in original.trades]


def test_line_numbers_do_not_change_keys() -> None:
    """The same rows further down the file (blank lines above) keep their keys."""
    original = read_text(FIDELITY, "a.csv")
    moved = read_text("\n\n\n" + FIDELITY, "a.csv")
    assert [t.source.line for t in moved.trades] == [t.source.line + 3 for t in original.trades]
    assert [t.key for t in moved.trades] == [t.key for t in original.trades]


def test_identical_rows_are_two_records_in_every_export() -> None:
    """The two identical VT buys of 12/24/2025 have two keys, the same in an export holding
    only that day."""
    original = read_text(FIDELITY, "a.csv")
    twins = [t for t in original.trades if t.shares == 10 and t.trade_date == date(2025, 12, 24)]
    assert len(twins) == 2 and twins[0].key != twins[1].key
    header, *rows = FIDELITY.splitlines(keepends=True)
    day_only = header + "".join(r for r in rows if r.startswith("12/24/2025"))
    again = [t for t in read_text(day_only, "b.csv").trades if t.shares == 10]
    assert [t.key for t in again] == [t.key for t in twins]


def test_holding_key_survives_a_changed_quantity() -> None:
    """A later positions snapshot with more shares: a new lot key, the same holding key."""
    text = fixture("fidelity", "bean-jmw__Portfolio_Positions.csv").read_text()
    later = text.replace(
        "Z4567,Individual - TOD,HOOL,HOOLI INC COM USD0.01,300,",
        "Z4567,Individual - TOD,HOOL,HOOLI INC COM USD0.01,310,",
    )
    before = {x.ticker + (x.account or ""): x for x in read_text(text, "a.csv").lots}
    after = {x.ticker + (x.account or ""): x for x in read_text(later, "b.csv").lots}
    assert after["HOOLZ4567"].key != before["HOOLZ4567"].key
    assert after["HOOLZ4567"].holding_key == before["HOOLZ4567"].holding_key
    assert after["GOOGZ22222222"].key == before["GOOGZ22222222"].key
