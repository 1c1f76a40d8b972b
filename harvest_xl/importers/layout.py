"""A layout: one kind of file from one broker, recognised by its header and read into records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from harvest_xl.importers.records import Broker, FileKind, ImportResult


@dataclass(frozen=True, slots=True)
class Layout:
    """``detect(header_cells)`` says whether a row is this layout's header (for a JSON file:
    whether the top-level keys are this layout's); ``read(text, source_name)`` reads a file of
    this layout. ``name`` is the download's usual file name; ``where`` is the way to it on the
    broker's website, in the website's words (for the user's instructions)."""

    broker: Broker
    kind: FileKind
    name: str
    where: str
    detect: Callable[[Sequence[str]], bool]
    read: Callable[[str, str], ImportResult]
    is_json: bool = False

    def describe(self) -> str:
        return f"{self.broker.value} {self.kind.value} ({self.name})"
