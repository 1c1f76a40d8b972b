"""The error raised for a broker file that cannot be read at all (a bad *row* is only reported)."""

from __future__ import annotations

from harvest_xl.engine.errors import HarvestInputError


class BrokerFileError(HarvestInputError):
    """A broker file refused as a whole; ``argument`` is the file's name, ``problem`` says why
    and what to do. A :class:`HarvestInputError`, so adapters report it like any bad input."""

    def __init__(self, source_name: str, problem: str) -> None:
        super().__init__(source_name, problem)
        self.source_name = source_name
