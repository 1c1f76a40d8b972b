"""Records (named tuples made cheap for the per-row loops) behave like the frozen
dataclasses they replaced: equal only to the same type with the same values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import pytest

from harvest_xl.engine.holding import TackedHolding, tacked_holding
from harvest_xl.engine.records import maker, strict_equality
from harvest_xl.engine.wash_sale import PurchaseAdjustment

D = date.fromisoformat
RECORDS: list[tuple[type[Any], tuple[Any, ...]]] = [
    (TackedHolding, (D("2024-01-02"), D("2024-03-01"), D("2024-03-10"), D("2024-01-11"))),
    (
        PurchaseAdjustment,
        ("Brokerage", "VTI", D("2024-03-10"), Decimal(5), Decimal("12.34"), D("2024-01-11")),
    ),
]


@strict_equality
class _Twin(NamedTuple):
    a: object
    b: object
    c: object
    d: object


@pytest.mark.parametrize(("cls", "values"), RECORDS, ids=lambda x: getattr(x, "__name__", ""))
def test_a_record_equals_only_its_own_type(cls: type[Any], values: tuple[Any, ...]) -> None:
    record = cls(*values)
    assert record == cls(*values) and hash(record) == hash(cls(*values))
    assert maker(cls)(values) == record and type(maker(cls)(values)) is cls
    assert record != values and values != record  # a bare tuple, either side
    assert not (record == values)
    changed = cls(*values[:-1], "other")
    assert record != changed and not (record == changed)


def test_records_with_equal_values_but_different_types_differ() -> None:
    values = RECORDS[0][1]
    assert TackedHolding(*values) != _Twin(*values)
    assert _Twin(*values) != TackedHolding(*values)
    assert _Twin(*values) == _Twin(*values)


def test_tacked_holding_is_still_the_rule() -> None:
    """IRC §1223(3): the replacement counts as held from its purchase date moved back by
    the days the sold shares were held (bought Jan 2, sold Mar 1: 59 days)."""
    t = tacked_holding(D("2024-01-02"), D("2024-03-01"), D("2024-03-10"))
    assert t == TackedHolding(D("2024-01-02"), D("2024-03-01"), D("2024-03-10"), D("2024-01-11"))
    assert t.effective_acquired == D("2024-03-10") - (D("2024-03-01") - D("2024-01-02"))
