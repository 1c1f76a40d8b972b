"""Named tuples as cheap value records: the engine makes one per lot or per wash sale in a
table-level run (10^4 of them), where a frozen dataclass's ``__init__`` costs one
``object.__setattr__`` per field.

Two helpers keep the records honest:
- :func:`strict_equality`: a record equals only a record of its own type, never a bare
  tuple or another record with the same values (a dataclass behaved so);
- :func:`maker`: builds a record from one tuple of its field values without the named
  tuple's Python-level ``__new__`` (for the per-row loops; the class call stays available).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

_R = TypeVar("_R", bound=tuple[Any, ...])


def strict_equality(cls: type[_R]) -> type[_R]:
    """Class decorator for a named tuple: ``==`` is True only for the same type and the
    same values; ``hash`` stays the tuple's."""

    def __eq__(self: tuple[Any, ...], other: object) -> bool:
        return type(other) is cls and tuple.__eq__(self, other)

    def __ne__(self: tuple[Any, ...], other: object) -> bool:
        return not __eq__(self, other)

    setattr(cls, "__eq__", __eq__)  # noqa: B010 (mypy: a method cannot be assigned)
    setattr(cls, "__ne__", __ne__)  # noqa: B010
    setattr(cls, "__hash__", tuple.__hash__)  # noqa: B010
    return cls


def maker(cls: type[_R]) -> Callable[[tuple[Any, ...]], _R]:
    """``cls(*values)`` as ``make(values)``: one C call, no Python-level ``__new__``."""
    return functools.partial(tuple.__new__, cls)
