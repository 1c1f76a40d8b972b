"""Hostile or broken files: refused within bounded time and memory, or read row by row with
each bad row reported by file and line while the rest imports.

The size checks run in a child process whose address space and CPU time are capped (resource
limits, as in tests/hostile): a reader that loaded a 1 GB file would die there and fail the test.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from harvest_xl.importers import BrokerFileError, read_data, read_file, read_text
from harvest_xl.importers import source as source_module

from .helpers import fixture, problems, trade, trades

CHILD = textwrap.dedent(
    """
    import json, resource, sys
    limit = 384 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (20, 20))
    from harvest_xl.importers import BrokerFileError, read_file
    try:
        result = read_file(sys.argv[1])
    except BrokerFileError as error:
        print(json.dumps({"refused": error.problem}))
    else:
        print(json.dumps({"read": result.report.rows_read}))
    """
)


def _in_child(path: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_one_gigabyte_csv_refused_without_reading_it(tmp_path: Path) -> None:
    """A 1 GB file is refused by its size, in a process capped at 384 MB."""
    path = tmp_path / "History.csv"
    with path.open("wb") as stream:
        stream.write(b"Run Date,Action,Symbol,Quantity,Amount\n")
        stream.truncate(1024 * 1024 * 1024)  # sparse: no disk space used
    answer = _in_child(path)
    assert "refused" in answer
    assert "larger than any broker download" in str(answer["refused"])


def test_zip_bomb_refused_without_inflating(tmp_path: Path) -> None:
    """A zip (here 64 MB of zeros compressed to a few KB) is refused by its magic bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Accounts_History.csv", b"\0" * (64 * 1024 * 1024))
    path = tmp_path / "Accounts_History.csv"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 1024 * 1024
    answer = _in_child(path)
    assert "zip archive" in str(answer["refused"])


@pytest.mark.parametrize(
    ("head", "what"),
    [
        (b"PK\x03\x04", "a zip archive (an Excel workbook or a compressed download)"),
        (b"\x1f\x8b\x08\x00", "a gzip-compressed file"),
        (b"%PDF-1.7\n", "a PDF document (a statement, not a download)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel (.xls) or other Office file"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    ],
)
def test_other_file_types_refused_by_magic_bytes(head: bytes, what: str) -> None:
    """Workbooks, archives, PDFs and images are named and refused, with what to do instead."""
    with pytest.raises(BrokerFileError) as caught:
        read_data(head + b"\x00" * 100, "Positions.csv")
    assert caught.value.problem.startswith(f"it is {what}, not a CSV file; download")


def test_binary_file_refused() -> None:
    """Bytes with NULs or many control characters are a binary file, not a download."""
    with pytest.raises(BrokerFileError, match="it is a binary file"):
        read_data(bytes(range(256)) * 10, "Positions.csv")
    with pytest.raises(BrokerFileError, match="it is a binary file"):
        read_data(b"Symbol,Quantity\n" + b"\x01\x02\x03\x04" * 100, "Positions.csv")


def test_file_over_the_byte_limit_refused(tmp_path: Path) -> None:
    """A file larger than the limit given is refused before it is read."""
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(BrokerFileError, match="it is 2,000 bytes"):
        read_file(path, max_bytes=1000)


def test_missing_file_refused(tmp_path: Path) -> None:
    """A file that cannot be opened: refused with the system's reason."""
    with pytest.raises(BrokerFileError, match="it cannot be read"):
        read_file(tmp_path / "nowhere.csv")


def test_too_many_rows_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the row limit the file is refused (the limit lowered here to 20 rows)."""
    monkeypatch.setattr(source_module, "MAX_RECORDS", 20)
    text = '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"\n'
    text += '"01/02/2024","Buy","VTI","VANGUARD","1","$1.00","","-$1.00"\n' * 30
    with pytest.raises(BrokerFileError, match="more than 20 rows"):
        read_text(text, "Transactions.csv")


def test_field_beyond_the_csv_limit_refused() -> None:
    """An unterminated quote swallowing the rest of a long file is refused with its line."""
    text = (
        '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"\n'
        '"01/02/2024","Buy","VTI","' + "x" * 200_000 + "\n"
    )
    with pytest.raises(BrokerFileError, match=r"line \d+: the CSV cannot be read"):
        read_text(text, "Transactions.csv")


def test_deeply_nested_json_refused() -> None:
    """A JSON bomb of nesting is refused, not a crash."""
    with pytest.raises(BrokerFileError, match="cannot be read"):
        read_text("[" * 200_000, "Transactions.json")


def test_utf16_download_reads() -> None:
    """A CSV saved as UTF-16 with a BOM reads like the UTF-8 one."""
    path = fixture("schwab", "cgt-calc__schwab_transactions_2023.csv")
    text = path.read_text()
    assert trades(read_data(text.encode("utf-16"), "t.csv")) == trades(read_text(text, "t.csv"))


def test_windows_1252_download_reads() -> None:
    """A download in the Windows code page (an ® in a description) reads."""
    text = (
        '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"\r\n'
        '"01/02/2024","Buy","FXAIX","FIDELITY\xae 500 INDEX","2","$100.00","","-$200.00"\r\n'
    )
    result = read_data(text.encode("cp1252"), "t.csv")
    assert trades(result) == [
        trade(2, None, "BUY", "2024-01-02", "FXAIX", "2", "100.00", "-200.00")
    ]


def test_bad_rows_reported_by_line_and_the_rest_imported() -> None:
    """A bad quantity and a bad date: each reported with its file and line; the other rows
    import."""
    text = fixture("schwab", "cgt-calc__schwab_transactions_2023.csv").read_text()
    text = text.replace('"FOO CORP","500"', '"FOO CORP","5x0"', 1)
    text = text.replace('"02/06/2024"', '"02/30/2024"')
    result = read_text(text, "Transactions.csv")
    assert problems(result) == [
        (5, "Quantity: '5x0' is not a number"),
        (7, "Date: '02/30/2024' is not a date"),
    ]
    assert [t.source.line for t in result.trades] == [3, 4, 6, 8]
    assert (
        str(result.report.problems[0])
        == "Transactions.csv, line 5: Quantity: '5x0' is not a number"
    )


def test_header_only_file_reads_nothing() -> None:
    """A known header and no rows: recognised, nothing read, nothing refused."""
    header = '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"\n'
    result = read_text(header, "Transactions.csv")
    assert result.report.rows_read == 0 and result.trades == ()


def test_broker_file_is_never_modified(tmp_path: Path) -> None:
    """Reading leaves the file's bytes and modification time as they were."""
    path = tmp_path / "Accounts_History.csv"
    original = fixture("fidelity", "opensteuerauszug__Accounts_History.csv").read_bytes()
    path.write_bytes(original)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    read_file(path)
    assert path.read_bytes() == original
    assert path.stat().st_mtime == 1_000_000_000


def test_bytes_over_the_limit_refused() -> None:
    """Bytes already in memory are refused past the limit too, before decoding."""
    with pytest.raises(BrokerFileError, match="it is 2,000 bytes"):
        read_data(b"x" * 2000, "big.csv", max_bytes=1000)
