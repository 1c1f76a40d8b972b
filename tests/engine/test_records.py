"""Records (named tuples made cheap for the per-row loops) behave like the frozen
dataclasses they replaced: equal only to the same type with the same values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import pytest

from harvest_xl.engine.harvest import HarvestSaving
from harvest_xl.engine.models import Term
from harvest_xl.engine.records import maker, strict_equality

D = date.fromisoformat
RECORDS: list[tuple[type[Any], tuple[Any, ...]]] = [
    (
        HarvestSaving,
        (Decimal(500), Term.SHORT, Decimal(120), Decimal(25), Decimal(500), Decimal(0)),
    ),
]


@strict_equality
class _Twin(NamedTuple):
    a: object
    b: object
    c: object
    d: object
    e: object
    f: object


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
    assert HarvestSaving(*values) != _Twin(*values)
    assert _Twin(*values) != HarvestSaving(*values)
    assert _Twin(*values) == _Twin(*values)
