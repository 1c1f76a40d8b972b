"""A table's rows kept as its columns: what the workbook refresh reads a long table into.

The table readers (:mod:`harvest_xl.inputs.tables`) take rows as ``{header: value}``
mappings and read them column by column. A refresh of a workbook holding a long history
reads 60,000 Activity rows: making a dict of each row, only for the reader to take the
columns out of them again, was a good part of its time. :class:`TableColumns` holds the
columns as read, is a sequence of rows to any other caller (each row's dict made when asked
for), and gives the reader each column as it is (:meth:`TableColumns.column`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, overload


class TableColumns(Sequence[dict[str, Any]]):
    """Rows given as their columns (header -> each row's value, in row order), all of one
    length. Read the columns, never change them: they are the table's own."""

    __slots__ = ("_columns", "_length")

    def __init__(self, columns: Mapping[str, list[Any]], length: int) -> None:
        if any(len(values) != length for values in columns.values()):
            raise ValueError(f"every column must hold {length} values")
        self._columns = dict(columns)
        self._length = length

    @property
    def keys(self) -> tuple[str, ...]:
        """The headers, in the table's order."""
        return tuple(self._columns)

    def column(self, key: str) -> list[Any]:
        """Each row's value under ``key`` (a header of :attr:`keys`)."""
        return self._columns[key]

    def take(self, positions: Iterable[int]) -> TableColumns:
        """The rows at ``positions`` (in that order), as columns."""
        chosen = list(positions)
        return TableColumns(
            {key: [values[i] for i in chosen] for key, values in self._columns.items()},
            len(chosen),
        )

    def only(self, keys: Iterable[str]) -> TableColumns:
        """The columns of ``keys`` (those the table has), in the table's order."""
        wanted = set(keys)
        return TableColumns(
            {key: values for key, values in self._columns.items() if key in wanted},
            self._length,
        )

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | Sequence[dict[str, Any]]:
        if isinstance(index, slice):
            return self.take(range(self._length)[index])
        position = range(self._length)[index]  # an IndexError past the end, as a list
        return {key: values[position] for key, values in self._columns.items()}

    def __repr__(self) -> str:
        return f"TableColumns({list(self._columns)}, {self._length} rows)"
