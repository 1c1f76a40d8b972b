"""Writing workbooks atomically: a save either fully happens or leaves the original untouched.

* :func:`atomic_save` / :func:`atomic_write_bytes` write to a temporary file in the same folder,
  fsync it, keep a backup of the original as ``<name>.bak`` and then ``os.replace`` it over the
  original. An interrupted save leaves the original untouched.
* A save killed outright (SIGKILL, power loss) can leave a hidden ``.<name>.*.tmp`` beside the
  file, never a damaged original; the next save of the same file removes it
  (:func:`remove_stale_temporaries`).
* A new file gets the mode any program would give it (``0666`` less the user's umask), not
  the ``0600`` of a private temporary file; a replaced file keeps its own mode.
* ``overwrite=False`` never replaces an existing file, even one that appears while the new
  content is written (the last step is a hard link, which fails when the name exists).
"""

from __future__ import annotations

import errno
import io
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from harvest_xl.excel.safe_read import HarvestFileError

__all__ = [
    "STALE_TEMPORARY_SECONDS",
    "FileExists",
    "atomic_save",
    "atomic_write_bytes",
    "backup_path",
    "remove_stale_temporaries",
    "workbook_to_bytes",
]


def backup_path(path: str | os.PathLike[str]) -> Path:
    """Where :func:`atomic_save` keeps the previous version: ``<name>.bak`` beside the file.

    Deterministic (no timestamp): each save replaces the backup of the save before, so the
    backup is always the version the latest save replaced.
    """
    target = Path(path)
    return target.with_name(target.name + ".bak")


class FileExists(HarvestFileError):
    """The target exists and the caller asked not to overwrite it (``overwrite=False``)."""


def atomic_write_bytes(
    path: str | os.PathLike[str],
    data_or_writer: bytes | Callable[[IO[bytes]], object],
    backup: bool = True,
    *,
    overwrite: bool = True,
) -> Path:
    """Replace ``path`` with new content so that it is either the old file or the new one.

    ``data_or_writer`` is the new content, or a callable that writes it to the binary file object
    it is given. Steps: write a temporary file ``.<name>.<random>.tmp`` in the same folder; fsync
    it; copy the original to :func:`backup_path` (itself via a temporary file and
    ``os.replace``) when ``backup``; ``os.replace`` the temporary file over ``path``; fsync the
    folder. On any failure the original is untouched and the temporary files are removed; a
    process killed mid-save (SIGKILL, power loss) can leave a stray ``.<name>.*.tmp``, never a
    damaged original, and the next save of the same file removes it
    (:func:`remove_stale_temporaries`). A symlink is followed: the file it points to is
    replaced. A new file gets ``0666`` less the umask; a replaced one keeps its mode.

    ``overwrite=False``: an existing ``path`` is never replaced; :class:`FileExists` is
    raised (nothing written, no temporary left), also when the file appears during the save.

    Returns the path written; raises :class:`HarvestFileError` when the file system refuses
    (the message says the original is unchanged); an exception raised by the writer itself
    propagates unchanged, after the same clean-up.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    temp_name: str | None = None
    backup_temp: str | None = None
    remove_stale_temporaries(target)
    try:
        if not overwrite and os.path.lexists(target):
            raise FileExists(target, _EXISTS)
        temp_name, handle = _new_temporary(folder, target.name)
        with handle:
            if callable(data_or_writer):
                data_or_writer(handle)
            else:
                handle.write(data_or_writer)
            handle.flush()
            os.fsync(handle.fileno())
        if not overwrite:
            _link_new(temp_name, target)
            temp_name = None
        else:
            if target.exists():
                shutil.copymode(target, temp_name)
                if backup:
                    backup_temp = _copy_to_temp(target, folder)
                    os.replace(backup_temp, backup_path(target))
                    backup_temp = None
            os.replace(temp_name, target)
            temp_name = None
        _fsync_folder(folder)
    except FileExists:
        raise
    except PermissionError as exc:
        raise HarvestFileError(
            target,
            f"cannot save ({exc.strerror or exc}); close the workbook in Excel (or any program "
            "that has it open) and try again. The original file is unchanged",
        ) from exc
    except OSError as exc:
        raise HarvestFileError(
            target, f"cannot save ({exc.strerror or exc}); the original file is unchanged"
        ) from exc
    finally:
        for leftover in (temp_name, backup_temp):
            if leftover is not None:
                _remove_quietly(leftover)
    return target


def atomic_save(
    workbook_or_writer: Any,
    path: str | os.PathLike[str],
    *,
    backup: bool = True,
) -> Path:
    """Save an openpyxl workbook (anything with ``.save(file)``), bytes, or a writer callable
    to ``path`` atomically, keeping ``<name>.bak``; see :func:`atomic_write_bytes`."""
    if isinstance(workbook_or_writer, bytes | bytearray | memoryview):
        return atomic_write_bytes(path, bytes(workbook_or_writer), backup)
    save = getattr(workbook_or_writer, "save", None)
    if callable(save):
        return atomic_write_bytes(path, save, backup)
    if callable(workbook_or_writer):
        return atomic_write_bytes(path, workbook_or_writer, backup)
    raise TypeError(
        "atomic_save needs a workbook with .save(file), bytes, or a callable(file); got "
        f"{type(workbook_or_writer).__name__}"
    )


def workbook_to_bytes(workbook: Any) -> bytes:
    """An openpyxl workbook saved to memory (for :func:`copy_unowned_parts`)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


STALE_TEMPORARY_SECONDS = 600.0
"""A temporary file of ours untouched this long belongs to a save that was killed: a live
save writes a workbook in seconds."""


def remove_stale_temporaries(
    target: Path, older_than: float = STALE_TEMPORARY_SECONDS
) -> list[Path]:
    """Remove the ``.<name>.*.tmp`` files an interrupted save of ``target`` left beside it.

    Only regular files named as :func:`atomic_write_bytes` names its temporaries, and only
    when neither their content nor their metadata changed for ``older_than`` seconds (a
    save still running elsewhere keeps its file). Failures are ignored: this is tidying,
    never a reason to refuse a save. Returns the files removed.
    """
    prefix, removed = f".{target.name}.", []
    now = time.time()
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return []
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            info = entry.stat(follow_symlinks=False)
            if now - max(info.st_mtime, info.st_ctime) < older_than:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


_EXISTS = "already exists; harvest-xl does not replace a file unless you add --force"
_NEW_FILE_MODE = 0o666
"""What ``open()`` asks for a new file; the kernel takes the user's umask off, as for any
file a program creates (``tempfile`` asks for ``0600``, which would stay on the result)."""


def _new_temporary(folder: Path, name: str) -> tuple[str, IO[bytes]]:
    """A new ``.<name>.<random>.tmp`` in ``folder``, open for writing, with the mode a new
    file gets (:data:`_NEW_FILE_MODE` less the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _attempt in range(100):
        temp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            descriptor = os.open(temp, flags, _NEW_FILE_MODE)
        except FileExistsError:
            continue
        return temp, os.fdopen(descriptor, "wb")
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def _link_new(temp_name: str, target: Path) -> None:
    """Give the finished temporary file the name ``target`` only if that name is free: a
    hard link fails when it exists, so a file that appeared meanwhile is never replaced.
    Where links are not supported (some network and FAT drives) the name is checked, then
    the file renamed. The temporary name is removed either way (by the caller's cleanup)."""
    try:
        os.link(temp_name, target)
    except FileExistsError:
        raise FileExists(target, _EXISTS) from None
    except OSError:
        if os.path.lexists(target):
            raise FileExists(target, _EXISTS) from None
        os.replace(temp_name, target)
        return
    os.unlink(temp_name)


def _copy_to_temp(source: Path, folder: Path) -> str:
    handle = tempfile.NamedTemporaryFile(
        mode="wb", dir=folder, prefix=f".{source.name}.bak.", suffix=".tmp", delete=False
    )
    try:
        with handle, open(source, "rb") as original:
            shutil.copyfileobj(original, handle)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copystat(source, handle.name)
    except BaseException:
        _remove_quietly(handle.name)
        raise
    return handle.name


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; folders cannot be opened on Windows, where this is skipped."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _remove_quietly(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass
