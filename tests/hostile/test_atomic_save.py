"""Saving replaces the workbook atomically: the original survives any failure, even SIGKILL."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import IO

import openpyxl
import pytest

from harvest_xl.excel.atomic_write import (
    FileExists,
    atomic_save,
    atomic_write_bytes,
    backup_path,
    remove_stale_temporaries,
)
from harvest_xl.excel.safe_read import HarvestFileError, load_workbook_safely

from . import corpus

ORIGINAL = corpus.genuine_workbook()


def test_backup_path_is_the_name_plus_bak(tmp_path: Path) -> None:
    """The backup sits beside the file as <name>.bak, with no timestamp."""
    assert backup_path(tmp_path / "book.xlsm") == tmp_path / "book.xlsm.bak"


def test_save_replaces_the_file_and_keeps_the_previous_version(tmp_path: Path) -> None:
    """After a save the file holds the new workbook and <name>.bak the old bytes."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(ORIGINAL)
    workbook = load_workbook_safely(path)
    workbook["Holdings"]["E1"] = "Saved"
    assert atomic_save(workbook, path) == path
    assert load_workbook_safely(path)["Holdings"]["E1"].value == "Saved"
    assert backup_path(path).read_bytes() == ORIGINAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "book.xlsx.bak"]


def test_second_save_backs_up_the_first(tmp_path: Path) -> None:
    """The backup is always the version the latest save replaced."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"version 1")
    atomic_write_bytes(path, b"version 2")
    atomic_write_bytes(path, b"version 3")
    assert path.read_bytes() == b"version 3"
    assert backup_path(path).read_bytes() == b"version 2"


def test_no_backup_when_asked(tmp_path: Path) -> None:
    """backup=False leaves no .bak."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"old")
    atomic_save(b"new", path, backup=False)
    assert path.read_bytes() == b"new" and not backup_path(path).exists()


def test_new_file_needs_no_backup(tmp_path: Path) -> None:
    """Saving where no file exists yet writes it and no backup."""
    path = tmp_path / "fresh.xlsx"
    atomic_save(lambda handle: handle.write(b"abc"), path)
    assert path.read_bytes() == b"abc" and not backup_path(path).exists()


def test_permissions_of_the_original_are_kept(tmp_path: Path) -> None:
    """The replaced file keeps the original's mode (temporary files are created 0600)."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"old")
    path.chmod(0o640)
    atomic_write_bytes(path, b"new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_a_new_file_gets_the_users_umask_mode(tmp_path: Path, umask: int) -> None:
    """A file that did not exist gets 0666 less the umask (0644 for 022), as any program's
    new file does, not the temporary file's private 0600."""
    previous = os.umask(umask)
    try:
        atomic_write_bytes(tmp_path / "new.xlsx", b"new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.xlsx").stat().st_mode) == 0o666 & ~umask


def test_no_overwrite_refuses_an_existing_file(tmp_path: Path) -> None:
    """overwrite=False leaves an existing file byte for byte, writes no backup and leaves no
    temporary file; the message says how to replace it."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(ORIGINAL)
    with pytest.raises(FileExists, match="--force"):
        atomic_write_bytes(path, b"new", overwrite=False)
    assert path.read_bytes() == ORIGINAL
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_no_overwrite_writes_a_new_file(tmp_path: Path) -> None:
    """overwrite=False writes a file that does not exist yet, with the umask mode."""
    path = tmp_path / "book.xlsx"
    previous = os.umask(0o022)
    try:
        atomic_write_bytes(path, b"new", overwrite=False)
    finally:
        os.umask(previous)
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_no_overwrite_keeps_a_file_that_appears_during_the_save(tmp_path: Path) -> None:
    """A file created under the same name while the new content is written is not replaced
    (the last step is a link, which fails on an existing name)."""
    path = tmp_path / "book.xlsx"

    def writer(handle: IO[bytes]) -> None:
        path.write_bytes(b"someone else's")
        handle.write(b"ours")

    with pytest.raises(FileExists):
        atomic_write_bytes(path, writer, overwrite=False)
    assert path.read_bytes() == b"someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_symlink_is_followed(tmp_path: Path) -> None:
    """Saving through a symlink replaces the file it points to and keeps the link."""
    real = tmp_path / "real.xlsx"
    real.write_bytes(b"old")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    atomic_write_bytes(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert (tmp_path / "real.xlsx.bak").read_bytes() == b"old"


def test_writer_failure_leaves_the_original_and_no_temporary_file(tmp_path: Path) -> None:
    """A writer that raises half-way: original intact, no backup made, no temp file left."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(ORIGINAL)

    def broken_writer(handle: IO[bytes]) -> None:
        handle.write(b"PK\x03\x04 half a workbook")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        atomic_save(broken_writer, path)
    assert path.read_bytes() == ORIGINAL
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_replace_failure_is_reported_and_cleaned_up(tmp_path: Path) -> None:
    """When the final rename fails (the target is a folder), the error says the original is
    unchanged and no temporary file is left."""
    target = tmp_path / "book.xlsx"
    target.mkdir()
    (target / "inside").write_bytes(b"x")
    with pytest.raises(HarvestFileError, match="original file is unchanged"):
        atomic_write_bytes(target, b"new", backup=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]
    assert (target / "inside").read_bytes() == b"x"


def test_read_only_workbook_cannot_be_passed(tmp_path: Path) -> None:
    """Anything that is neither a workbook, bytes nor a callable is a programming error."""
    with pytest.raises(TypeError, match="atomic_save needs"):
        atomic_save(42, tmp_path / "x.xlsx")


KILLED_CHILD = textwrap.dedent(
    """
    import sys, time
    import openpyxl
    from harvest_xl.excel.atomic_write import atomic_save
    from harvest_xl.excel.safe_read import load_workbook_safely

    path, mode = sys.argv[1], sys.argv[2]

    class Stalling:
        # A file object that passes the first writes through, then stops the process for good.
        def __init__(self, handle):
            self.handle, self.written = handle, 0
        def write(self, data):
            self.handle.write(data)
            self.handle.flush()
            self.written += len(data)
            if self.written > 200:
                print("INSIDE_SAVE", flush=True)
                time.sleep(600)
            return len(data)
        def __getattr__(self, name):
            return getattr(self.handle, name)

    if mode == "workbook":
        workbook = load_workbook_safely(path)
        workbook["Holdings"]["A1"] = "CHANGED"
        atomic_save(lambda handle: workbook.save(Stalling(handle)), path)
    else:
        atomic_save(lambda handle: Stalling(handle).write(b"x" * 10_000), path)
    """
)


@pytest.mark.parametrize("mode", ["workbook", "bytes"])
def test_save_killed_mid_write_leaves_the_original_intact(tmp_path: Path, mode: str) -> None:
    """SIGKILL while atomic_save is writing: the original is byte-for-byte intact and still
    loads; the only trace is a hidden temporary file."""
    path = tmp_path / "book.xlsx"
    path.write_bytes(ORIGINAL)
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, str(path), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line.strip() == "INSIDE_SAVE", child.stderr.read() if child.stderr else ""
        temporaries = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert len(temporaries) == 1 and temporaries[0].stat().st_size > 0  # really mid-write
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == ORIGINAL
    assert load_workbook_safely(path)["Holdings"]["A1"].value == "Lot"
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "book.xlsx")
    assert len(leftovers) == 1 and leftovers[0].startswith(".book.xlsx.")
    assert leftovers[0].endswith(".tmp")
    # The next save, once the stray is clearly abandoned (an hour later), tidies it away.
    import harvest_xl.excel.atomic_write as atomic_write

    later = time.time() + 3600
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(atomic_write.time, "time", lambda: later)
        atomic_write_bytes(path, ORIGINAL, backup=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


def test_stale_temporaries_are_removed_but_a_live_save_and_other_files_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only our own ``.<name>.*.tmp`` files, only when untouched for the threshold."""
    import harvest_xl.excel.atomic_write as atomic_write

    target = tmp_path / "book.xlsx"
    target.write_bytes(ORIGINAL)
    stale = tmp_path / ".book.xlsx.k2j4.tmp"
    stale_backup = tmp_path / ".book.xlsx.bak.x9.tmp"
    live = tmp_path / ".book.xlsx.live.tmp"
    other_book = tmp_path / ".other.xlsx.k2j4.tmp"
    not_ours = tmp_path / ".book.xlsx.notes"
    folder = tmp_path / ".book.xlsx.dir.tmp"
    folder.mkdir()
    for p in (stale, stale_backup, live, other_book, not_ours):
        p.write_bytes(b"partial")
    clock = [1_000_000.0]
    monkeypatch.setattr(atomic_write.time, "time", lambda: clock[0])
    for p in (stale, stale_backup, live, other_book, not_ours):
        os.utime(p, (clock[0] - 10, clock[0] - 10))
    # ctime cannot be set; read it as "now" for the files to age, so only mtime matters.
    clock[0] = max(p.stat().st_ctime for p in (stale, stale_backup)) + 599
    assert remove_stale_temporaries(target) == []  # 599 s: not yet stale
    clock[0] += 2
    os.utime(live, (clock[0], clock[0]))  # a save still writing touches its file
    removed = remove_stale_temporaries(target)
    assert sorted(p.name for p in removed) == sorted([stale.name, stale_backup.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["book.xlsx", live.name, other_book.name, not_ours.name, folder.name]
    )


def test_a_workbook_saved_atomically_is_a_valid_package(tmp_path: Path) -> None:
    """The saved bytes pass the same checks as any file we read."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = 1
    path = tmp_path / "new.xlsx"
    atomic_save(workbook, path)
    assert load_workbook_safely(path).active["A1"].value == 1
