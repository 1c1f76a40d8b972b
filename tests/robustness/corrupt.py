"""Random corruptions of the demo workbook, and one fuzz case run through ``harvest-xl refresh``.

A case is a seed. :func:`corrupted` turns it into workbook bytes by 1-4 corruptions drawn
from three families:

* cell level (written straight into the sheet XML, milliseconds): wrong types, blanks,
  huge, negative, NaN and infinite numbers, Excel error values, formulas with error
  results, dates far in the past or future, text that looks like a formula, long text,
  renamed headers and Profile keys;
* structure (through openpyxl): deleted rows, columns and sheets, merged cells;
* package (zip/XML level): missing, truncated or garbled parts, a cut-off file.

:func:`run_case` refreshes the bytes with ``harvest_xl.cli.main(["refresh", …])`` in
process and returns what is wrong with the outcome (an empty list when nothing is).
"""

from __future__ import annotations

import contextlib
import io
import random
import traceback
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl.utils import coordinate_to_tuple, range_boundaries

from harvest_xl.excel import layout as L

from . import books
from .books import Formula, Plain

INPUT_COLUMNS: dict[str, int] = {
    L.PROFILE: 2,
    L.ACCOUNTS: len(L.ACCOUNTS_COLUMNS),
    L.HOLDINGS: len(L.HOLDINGS_INPUTS),
    L.ACTIVITY: len(L.ACTIVITY_COLUMNS),
    L.RECURRING: len(L.RECURRING_COLUMNS),
    L.SECURITIES: len(L.SECURITIES_COLUMNS),
}
LAST_ROW: dict[str, int] = {
    L.PROFILE: L.PROFILE_LAST_ROW,
    L.ACCOUNTS: 7,
    L.HOLDINGS: 12,
    L.ACTIVITY: 5,
    L.RECURRING: 3,
    L.SECURITIES: 12,
}

NASTY: list[Any] = [
    None,
    "",
    "   ",
    "ten",
    "-",
    "(1,234)",
    "$1,234.50",
    "1,2,3",
    "1e400",
    "nan",
    "inf",
    "12%",
    "#N/A",
    "#DIV/0!",
    "#REF!",
    "#VALUE!",
    "#NAME?",
    0,
    -1,
    -0.0001,
    1e20,
    -1e300,
    1e308,
    Plain(float("nan")),
    Plain(float("inf")),
    Plain(-5.0),
    Plain(3e6),
    Plain(60.0),
    True,
    False,
    date(1900, 1, 1),
    date(1, 1, 1),
    date(9999, 12, 31),
    datetime(2026, 11, 27, 23, 59, 59),
    "2026-02-30",
    "31/12/2026",
    "Dec 32, 2026",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(A1)",
    "x" * 5000,
    "line\nbreak",
    "naïve ☃ 𝔘",
    "\x00",
    Formula("=1/0", "#DIV/0!"),
    Formula("=NA()", "#N/A"),
    Formula("=A1", "text result"),
    Formula("=NOW()", 46353.5),
    Formula("=SUM(", None),
]
HEADER_NOISE = ["", "Acct", "Shares ", "SHARES", "Cost  basis", "Ticker", "Price", "Σ", "x" * 300]


def _cell_corruption(rng: random.Random, cells: dict[tuple[str, str], Any]) -> None:
    sheet = rng.choice(list(INPUT_COLUMNS))
    if sheet == L.PROFILE:
        row = rng.randint(1, LAST_ROW[sheet] + 3)
        column = 1 if rng.random() < 0.15 else 2  # sometimes the key itself
        value = rng.choice(NASTY + HEADER_NOISE if column == 1 else NASTY)
    elif rng.random() < 0.12:  # a header
        row, column = 1, rng.randint(1, INPUT_COLUMNS[sheet] + 1)
        value = rng.choice(HEADER_NOISE + NASTY)
    else:
        row = rng.randint(2, LAST_ROW[sheet] + 3)
        column = rng.randint(1, INPUT_COLUMNS[sheet])
        value = rng.choice(NASTY)
    from openpyxl.utils import get_column_letter

    if isinstance(value, str) and "\x00" in value:
        value = value.replace("\x00", "?")  # XML cannot hold NUL: the package family does that
    cells[(sheet, f"{get_column_letter(column)}{row}")] = value


def _structural(rng: random.Random) -> books.Edit:
    sheet = rng.choice(list(INPUT_COLUMNS))
    kind = rng.choice(["delete_row", "delete_column", "delete_sheet", "merge", "copy_row"])
    if kind == "delete_row":
        return ("delete_row", sheet, rng.randint(1, LAST_ROW[sheet]))
    if kind == "delete_column":
        return ("delete_column", sheet, "ABCDEFGH"[rng.randrange(INPUT_COLUMNS[sheet])])
    if kind == "delete_sheet":
        return ("delete_sheet", rng.choice(L.SHEETS))
    if kind == "copy_row" and sheet != L.PROFILE:
        return ("copy_row", sheet, rng.randint(2, LAST_ROW[sheet]), LAST_ROW[sheet] + 1)
    top = rng.randint(1, LAST_ROW[sheet])
    left = rng.randrange(INPUT_COLUMNS[sheet])
    right = min(left + rng.randint(0, 2), 7)
    bottom = top + rng.randint(0 if right > left else 1, 2)
    return ("merge", sheet, f"{'ABCDEFGH'[left]}{top}:{'ABCDEFGH'[right]}{bottom}")


def _package(rng: random.Random, data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    except (zipfile.BadZipFile, EOFError, OSError):  # already cut short: damaged enough
        return data
    names = sorted(parts)
    kind = rng.choice(["drop", "garble", "cut_xml", "truncate_file", "nul", "dup_cell"])
    if kind == "truncate_file":
        return data[: rng.randrange(len(data))]
    name = rng.choice(names)
    if kind == "drop":
        del parts[name]
    elif kind == "garble":
        text = bytearray(parts[name])
        for _ in range(rng.randint(1, 5)):
            if text:
                text[rng.randrange(len(text))] = rng.randrange(256)
        parts[name] = bytes(text)
    elif kind == "cut_xml":
        text = parts[name]
        parts[name] = text[: rng.randrange(max(1, len(text)))]
    elif kind == "nul":
        sheet = rng.choice([n for n in names if n.startswith("xl/worksheets/sheet")])
        parts[sheet] = parts[sheet].replace(b"<t>", b"<t>\x00", 1)
    else:  # a cell element twice
        sheet = rng.choice([n for n in names if n.startswith("xl/worksheets/sheet")])
        text = parts[sheet]
        start = text.find(b'<c r="A2"')
        end = text.find(b"</c>", start)
        if start >= 0 and end > 0:
            cell = text[start : end + 4]
            parts[sheet] = text[:start] + cell + cell + text[end + 4 :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name_, part in parts.items():
            z.writestr(name_, part)
    return out.getvalue()


def corrupted(seed: int) -> tuple[bytes, list[str]]:
    """The demo workbook with 1-4 random corruptions (reproducible from ``seed``), and a
    description of each."""
    rng = random.Random(seed)
    cells: dict[tuple[str, str], Any] = {}
    edits: list[books.Edit] = []
    package = 0
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.72:
            _cell_corruption(rng, cells)
        elif roll < 0.88:
            edits.append(_structural(rng))
        else:
            package += 1
    data = books.apply(edits)
    # A value under a merge (not its first cell) is something Excel never writes, and
    # openpyxl drops it on load: a known limit of the headless path, so not drawn here.
    for edit in edits:
        if edit[0] == "merge":
            left, top, right, bottom = range_boundaries(edit[2])
            for sheet, ref in list(cells):
                row, column = coordinate_to_tuple(ref)
                inside = top <= row <= bottom and left <= column <= right
                if sheet == edit[1] and inside and (row, column) != (top, left):
                    del cells[(sheet, ref)]
    if cells:
        data = books.set_cells(data, cells)
    said = [f"{s}!{c} = {v!r:.60}" for (s, c), v in cells.items()] + [repr(e) for e in edits]
    for _ in range(package):
        data = _package(rng, data)
        said.append("package damage")
    return data, said


def run_case(seed: int) -> tuple[int | None, list[str]]:
    """Refresh the corrupted book for ``seed`` through the CLI; (exit code, what is wrong)."""
    import tempfile

    from harvest_xl.cli import main

    data, said = corrupted(seed)
    wrong: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "book.xlsx", Path(folder) / "out.xlsx"
        source.write_bytes(data)
        err, out = io.StringIO(), io.StringIO()
        code: int | None = None
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
                code = main(["refresh", str(source), "-o", str(target)])
        except BaseException:  # noqa: BLE001 - anything escaping is the finding
            wrong.append("exception escaped:\n" + traceback.format_exc())
        stderr = err.getvalue()
        if "Traceback" in stderr:
            wrong.append("traceback on stderr:\n" + stderr)
        if source.read_bytes() != data:
            wrong.append("the input file was modified")
        written = target.read_bytes() if target.exists() else None
        leftovers = sorted(p.name for p in Path(folder).iterdir()) if code is not None else []
    if code is None:
        return None, [f"seed {seed} {said}: {w}" for w in wrong]
    if code not in (0, 1, 2):
        wrong.append(f"exit code {code}")
    extra = [name for name in leftovers if name not in ("book.xlsx", "out.xlsx")]
    if extra:
        wrong.append(f"files left behind: {extra}")
    if code == 2:
        if written is not None:
            wrong.append("exit 2 but an output file was written")
        if "not refreshed:" not in stderr:
            wrong.append(f"exit 2 without a refusal message: {stderr!r}")
    elif written is None:
        wrong.append(f"exit {code} but no output file")
    elif not books.is_complete_zip(written):
        wrong.append("the output is not a complete zip")
    else:
        wrong += _check_output(code, data, written, stderr)
    return code, [f"seed {seed} {said}: {w}" for w in wrong]


def _check_output(code: int, data: bytes, written: bytes, stderr: str) -> list[str]:
    wrong: list[str] = []
    changed = books.changed_inputs(data, written)
    if changed:
        wrong.append(f"input cells changed: {changed[:5]}")
    listed = books.read_results(written)["listed"]
    reported = [line[2:] for line in stderr.splitlines() if line.startswith("  ")]
    if code == 0:
        if reported or (listed and listed != ["Problems: none"]):
            wrong.append(f"exit 0 but problems: {reported or listed}")
    elif not reported:
        wrong.append("exit 1 without a problem on stderr")
    elif listed and listed[1:] != reported:
        wrong.append(f"Summary lists {listed[1:4]}..., stderr says {reported[:3]}...")
    elif listed and listed[0] != f"Problems ({len(reported)}): fix these and refresh":
        wrong.append(f"Summary title {listed[0]!r} for {len(reported)} problems")
    for line in reported:
        if ": " not in line or ". Fix: " not in line:
            wrong.append(f"not 'Sheet!Cell (Column): problem. Fix: ...': {line!r}")
    return wrong
