"""Shared helpers for the importer tests: fixture paths and record projections.

The projections turn records into plain tuples (``Decimal`` and ``date`` values, compared by
value), so a test states every field it checks as one readable row per record. Expected values
are written from the fixture files by hand, never computed by the importers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from harvest_xl.importers import ImportResult, read_file

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(broker: str, name: str) -> Path:
    return FIXTURES / broker / name


def read_fixture(broker: str, name: str) -> ImportResult:
    return read_file(fixture(broker, name))


def D(text: str | None) -> Decimal | None:  # noqa: N802 - reads like a literal
    return None if text is None else Decimal(text)


def day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def trade(
    line: int,
    account: str | None,
    kind: str,
    when: str,
    ticker: str,
    shares: str,
    price: str | None,
    amount: str | None,
    fees: str | None = None,
    basis: str | None = None,
) -> tuple[object, ...]:
    return (
        line,
        account,
        kind,
        day(when),
        ticker,
        D(shares),
        D(price),
        D(amount),
        D(fees),
        D(basis),
    )


def trades(result: ImportResult) -> list[tuple[object, ...]]:
    return [
        (
            t.source.line,
            t.account,
            t.kind.name,
            t.trade_date,
            t.ticker,
            t.shares,
            t.price,
            t.amount,
            t.fees,
            t.cost_basis,
        )
        for t in result.trades
    ]


def lot(
    line: int,
    account: str | None,
    ticker: str,
    shares: str,
    acquired: str | None,
    basis: str | None,
    per_share: str | None,
    price: str | None,
    value: str | None,
    *,
    total: bool,
    term: str | None = None,
    as_of: str | None = None,
) -> tuple[object, ...]:
    return (
        line,
        account,
        ticker,
        D(shares),
        day(acquired),
        D(basis),
        D(per_share),
        D(price),
        D(value),
        total,
        term,
        day(as_of),
    )


def lots(result: ImportResult) -> list[tuple[object, ...]]:
    return [
        (
            x.source.line,
            x.account,
            x.ticker,
            x.shares,
            x.acquired,
            x.cost_basis,
            x.cost_per_share,
            x.price,
            x.value,
            x.is_position_total,
            None if x.term is None else x.term.name,
            x.as_of,
        )
        for x in result.lots
    ]


def closed(
    line: int,
    account: str | None,
    ticker: str | None,
    shares: str,
    acquired: str | None,
    sold: str | None,
    proceeds: str | None,
    basis: str | None,
    *,
    gain: str | None = None,
    short_gain: str | None = None,
    long_gain: str | None = None,
    wash: str | None = None,
    term: str | None = None,
) -> tuple[object, ...]:
    return (
        line,
        account,
        ticker,
        D(shares),
        day(acquired),
        day(sold),
        D(proceeds),
        D(basis),
        D(gain),
        D(short_gain),
        D(long_gain),
        D(wash),
        term,
    )


def realized(result: ImportResult) -> list[tuple[object, ...]]:
    return [
        (
            x.source.line,
            x.account,
            x.ticker,
            x.shares,
            x.acquired,
            x.sold,
            x.proceeds,
            x.cost_basis,
            x.gain,
            x.short_term_gain,
            x.long_term_gain,
            x.wash_sale_disallowed,
            None if x.term is None else x.term.name,
        )
        for x in result.realized
    ]


def skipped(result: ImportResult) -> dict[str, int]:
    return dict(result.report.skipped)


def accounts(result: ImportResult) -> list[tuple[str, str | None, str | None, str | None]]:
    return [
        (a.account, a.name, a.number, None if a.account_type is None else a.account_type.name)
        for a in result.accounts
    ]


def problems(result: ImportResult) -> list[tuple[int, str]]:
    return [(p.source.line, p.problem) for p in result.report.problems]
