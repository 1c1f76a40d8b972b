"""Randomly corrupted workbooks: load_workbook_safely either loads them or refuses them with a
HarvestFileError; never another exception, never a traceback for the user.

Seeded (reproducible): a failure names its seed.
"""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import pytest

from harvest_xl.excel.safe_read import HarvestFileError, load_workbook_safely

from . import corpus

GENUINE = corpus.genuine_workbook()
PARTS = corpus.parts_of(corpus.macro_workbook())
XML_PARTS = sorted(name for name in PARTS if name.endswith((".xml", ".rels")))


def corrupt_bytes(rng: random.Random) -> bytes:
    """Flip, drop or overwrite bytes of the zip file itself."""
    data = bytearray(GENUINE)
    for _ in range(rng.randint(1, 8)):
        where = rng.randrange(len(data))
        action = rng.choice(["flip", "drop", "junk", "truncate"])
        if action == "flip":
            data[where] ^= 1 << rng.randrange(8)
        elif action == "drop":
            del data[where : where + rng.randint(1, 64)]
        elif action == "junk":
            data[where : where + 4] = rng.randbytes(4)
        elif len(data) > 100:
            del data[rng.randrange(100, len(data)) :]
    return bytes(data)


def corrupt_parts(rng: random.Random) -> bytes:
    """Damage the XML inside a well-formed zip: cut, repeat, splice or drop parts."""
    parts = dict(PARTS)
    for _ in range(rng.randint(1, 4)):
        name = rng.choice(XML_PARTS)
        if name not in parts:
            continue
        text = parts[name]
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.randint(1, 80))
        action = rng.choice(["cut", "repeat", "splice", "drop", "junk"])
        if action == "cut":
            parts[name] = text[:start] + text[end:]
        elif action == "repeat":
            parts[name] = text[:end] + text[start:end] * rng.randint(2, 50) + text[end:]
        elif action == "splice":
            other = parts[rng.choice([n for n in XML_PARTS if n in parts])]
            parts[name] = text[:start] + other[: rng.randint(1, 200)] + text[end:]
        elif action == "drop":
            del parts[name]
        else:
            parts[name] = text[:start] + rng.randbytes(rng.randint(1, 16)) + text[start:]
    return corpus.zip_of(parts)


@pytest.mark.parametrize("corrupt", [corrupt_bytes, corrupt_parts])
def test_corrupted_workbooks_load_or_are_refused_cleanly(tmp_path: Path, corrupt) -> None:
    """150 seeds per kind of damage: every outcome is a workbook or a HarvestFileError whose
    message names the file; the damaged file itself is never modified."""
    outcomes = {"loaded": 0, "refused": 0}
    path = tmp_path / "fuzzed.xlsm"
    for seed in range(150):
        data = corrupt(random.Random(seed))
        path.write_bytes(data)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about parts it drops
                load_workbook_safely(path)
        except HarvestFileError as error:
            assert str(error).startswith(str(path)) and error.problem, seed
            outcomes["refused"] += 1
        except Exception as error:  # noqa: BLE001 - the point of the test
            pytest.fail(f"seed {seed}: {type(error).__name__}: {error}")
        else:
            outcomes["loaded"] += 1
        assert path.read_bytes() == data, seed
    assert outcomes["refused"] > 0  # the corruption really corrupts
    print(corrupt.__name__, outcomes)
