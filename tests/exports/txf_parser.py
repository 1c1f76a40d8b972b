"""A TXF V042 reader written from the specification, for tests only.

Written from realized-year.md §2.1 (Intuit's TXF Spec Version 042, 11/30/2011), not from
harvest_xl.exports.txf: it accepts what the spec allows (unpadded dates, thousands
separators, a bare ``D`` for an unknown date, a bare ``$`` for an empty format-5 amount,
default copy and line numbers) and rejects what it forbids (non-ASCII, tabs, a record
without its ``^``). Round-tripping our files through it checks the writer against the spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CAPITAL_GAIN_REFERENCES = {321, 711, 712, 323, 713, 714, 673, 715, 716, 682, 718}


class TxfSyntaxError(ValueError):
    """The text is not a TXF file the spec describes."""


@dataclass(frozen=True)
class TxfHeader:
    version: str
    program: str
    export_date: date


@dataclass(frozen=True)
class CapitalGainRecord:
    """A format 4 or 5 record: P, D acquired, D sold, $ cost, $ sales net [, $ wash]."""

    detail: bool
    reference: int
    copy: int
    line: int
    description: str
    acquired: date | None
    sold: date | None
    cost: Decimal | None
    proceeds: Decimal | None
    wash: Decimal | None
    record_format: int


_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_AMOUNT = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?|-?\d+(\.\d+)?")


def _date(data: str) -> date | None:
    if data.strip() == "":
        return None
    found = _DATE.fullmatch(data.strip())
    if found is None:
        raise TxfSyntaxError(f"not a MM/DD/YYYY date: {data!r}")
    month, day, year = (int(part) for part in found.groups())
    return date(year, month, day)


def _amount(data: str) -> Decimal | None:
    if data == "":
        return None
    if _AMOUNT.fullmatch(data) is None:
        raise TxfSyntaxError(f"not an amount: {data!r}")
    return Decimal(data.replace(",", ""))


def _split_records(text: str) -> list[list[str]]:
    if "\t" in text:
        raise TxfSyntaxError("tabs are not allowed")
    lines = text.split("\r\n")
    if lines[-1] != "":
        raise TxfSyntaxError("the file must end with a line end after the last ^")
    lines.pop()
    records: list[list[str]] = []
    current: list[str] = []
    for number, line in enumerate(lines, 1):
        if "\r" in line or "\n" in line:
            raise TxfSyntaxError(f"line {number}: a bare CR or LF")
        if line == "^":
            records.append(current)
            current = []
        elif line == "":
            raise TxfSyntaxError(f"line {number}: empty line")
        else:
            current.append(line)
    if current:
        raise TxfSyntaxError("the last record does not end with ^")
    return records


def _header(fields: list[str]) -> TxfHeader:
    if len(fields) != 3 or fields[0] != "V042" or fields[1][:1] != "A" or fields[2][:1] != "D":
        raise TxfSyntaxError(f"header must be V042, A<program>, D<date>: {fields!r}")
    export_date = _date(fields[2][1:])
    if export_date is None:
        raise TxfSyntaxError("header without an export date")
    return TxfHeader("V042", fields[1][1:], export_date)


def _record(fields: list[str]) -> CapitalGainRecord:
    common: dict[str, str] = {}
    position = 0
    while position < len(fields) and fields[position][0] in "TNCLX":
        code = fields[position][0]
        if code in common:
            raise TxfSyntaxError(f"field {code} twice in one record")
        common[code] = fields[position][1:]
        position += 1
    if "N" not in common:
        raise TxfSyntaxError("a record needs its N reference number")
    kind = common.get("T", "S")
    if kind not in ("D", "S"):
        raise TxfSyntaxError(f"unknown record type T{kind}")
    reference = int(common["N"])
    if reference not in CAPITAL_GAIN_REFERENCES:
        raise TxfSyntaxError(f"N{reference} is not a capital-gain reference number")
    rest = fields[position:]
    codes = "".join(field[0] for field in rest)
    if codes not in ("PDD$$", "PDD$$$"):
        raise TxfSyntaxError(f"format 4/5 is P D D $ $ [$], got {codes!r}")
    amounts = [_amount(field[1:]) for field in rest[3:]]
    return CapitalGainRecord(
        detail=kind == "D",
        reference=reference,
        copy=int(common.get("C", "1")),
        line=int(common.get("L", "1")),
        description=rest[0][1:],
        acquired=_date(rest[1][1:]),
        sold=_date(rest[2][1:]),
        cost=amounts[0],
        proceeds=amounts[1],
        wash=amounts[2] if len(amounts) == 3 else None,
        record_format=len(amounts) + 2,
    )


def parse_txf(data: bytes) -> tuple[TxfHeader, list[CapitalGainRecord]]:
    """The header and the capital-gain records of a TXF file given as bytes."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as error:
        raise TxfSyntaxError("TXF is plain ASCII") from error
    records = _split_records(text)
    if not records:
        raise TxfSyntaxError("no header")
    return _header(records[0]), [_record(fields) for fields in records[1:]]
