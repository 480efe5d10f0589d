"""Durable, private file writes.

``vault.json`` and backups are replaced by writing a new file beside the old one, fsyncing it,
renaming it over the old one and fsyncing the directory: a crash at any moment leaves either the
old or the new file, never half of one, so a power cut never locks the officer out. Exports
(attachments, reports, calendars, contact cards, receipts) go through the same writer, which
also refuses to replace an existing file unless asked and never follows a symbolic link.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NoReturn

from casecoord.domain.errors import StorageFullError, VaultError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def make_private_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_DIR)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def raise_for_os_error(exc: OSError, what: str) -> NoReturn:
    """Translate an OSError into an officer-readable error (a full disk is the common one)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        raise StorageFullError(
            f"the disk is full while writing {what}; nothing was changed. Free some space and retry"
        ) from exc
    raise VaultError(f"cannot write {what}: {exc.strerror or exc}") from exc


class FileExistsRefusedError(VaultError):
    """The destination exists and the officer did not ask to replace it (``--force``)."""

    exit_code = 1

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path  # what exists, so the TUI can ask "replace it?" and name it


def refuse_existing(path: Path) -> None:
    """Raise :class:`FileExistsRefusedError` when ``path`` exists (a file, folder or link)."""
    if os.path.lexists(path):
        kind = "a symbolic link" if path.is_symlink() else "a folder" if path.is_dir() else "a file"
        raise FileExistsRefusedError(
            f"{path} already exists ({kind}); nothing was written. Choose another name, or "
            "replace it with --force",
            path,
        )


def _open_unnamed(folder: Path) -> int | None:
    """An unnamed private file in ``folder`` (Linux ``O_TMPFILE``), or None where unsupported.

    It has no name until it is complete: a crash or ``kill -9`` mid-write leaves nothing on
    disk, not even a hidden temp file with half the plaintext.
    """
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        return None
    try:
        return os.open(folder, flag | os.O_RDWR, PRIVATE_FILE)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None
        raise


_AT_FDCWD = -100
_AT_SYMLINK_FOLLOW = 0x400


def _linkat(fd: int, target: Path) -> None:
    """``linkat(/proc/self/fd/N, target, AT_SYMLINK_FOLLOW)``: the one call that names an
    ``O_TMPFILE`` file (``os.link`` would link the /proc symlink itself). Never replaces."""
    libc = ctypes.CDLL(None, use_errno=True)
    source = f"/proc/self/fd/{fd}".encode()
    if libc.linkat(_AT_FDCWD, source, _AT_FDCWD, os.fsencode(target), _AT_SYMLINK_FOLLOW) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(target))


def _link_unnamed(fd: int, path: Path, overwrite: bool) -> None:
    """Give the finished unnamed file its name: a link never replaces (or follows) anything;
    with ``overwrite`` it is linked under a random name and renamed over the old file."""
    if not overwrite:
        _linkat(fd, path)
        return
    for _ in range(16):
        temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            _linkat(fd, temp)
        except FileExistsError:
            continue
        try:
            os.replace(temp, path)  # replaces a symlink itself, never its target
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return
    raise VaultError(f"cannot find a free temporary name beside {path}")


def _copy_to_named(fd: int, path: Path, overwrite: bool) -> None:
    """Where an unnamed file cannot be linked (no /proc): copy it to a named temp file."""
    os.lseek(fd, 0, os.SEEK_SET)
    with _named_temp_writer(path, overwrite) as handle:
        while chunk := os.read(fd, 1 << 20):
            handle.write(chunk)


@contextlib.contextmanager
def atomic_writer(path: Path, *, overwrite: bool = False) -> Iterator[BinaryIO]:
    """Yield a private (0600) file that appears as ``path`` only once complete and fsynced.

    Every file casecoord writes goes through here, so the rules hold everywhere: an existing
    ``path`` (file, folder or symbolic link) is refused unless ``overwrite``; a symbolic link is
    never followed (it is replaced itself); an interrupted write leaves nothing under ``path``
    and, on Linux, nothing at all (the file has no name until it is complete). Elsewhere a
    hidden temp file beside ``path`` is used and removed on any failure short of a kill.
    The stream is opened read-write, so a writer may read back what it wrote (to hash it).
    """
    folder = path.parent
    if not overwrite or path.is_dir():
        if path.is_dir() and not path.is_symlink():
            raise VaultError(f"{path} is a folder; give a file name")
        if not overwrite:
            refuse_existing(path)
    try:
        fd = _open_unnamed(folder)
    except OSError as exc:
        raise_for_os_error(exc, str(path))
    if fd is not None:
        try:
            with os.fdopen(fd, "w+b", closefd=False) as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.fchmod(fd, PRIVATE_FILE)
            try:
                _link_unnamed(fd, path, overwrite)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.ENOENT, errno.EPERM, errno.ENOSYS):
                    raise
                _copy_to_named(fd, path, overwrite)
            fsync_dir(folder)
        except FileExistsError:
            refuse_existing(path)
            raise
        except OSError as exc:
            raise_for_os_error(exc, str(path))
        finally:
            os.close(fd)
        return
    with _named_temp_writer(path, overwrite) as handle:
        yield handle


@contextlib.contextmanager
def _named_temp_writer(path: Path, overwrite: bool) -> Iterator[BinaryIO]:
    folder = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise_for_os_error(exc, str(path))
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, PRIVATE_FILE)
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path, follow_symlinks=False)
            tmp.unlink()
        fsync_dir(folder)
    except FileExistsError:
        tmp.unlink(missing_ok=True)
        refuse_existing(path)
        raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise_for_os_error(exc, str(path))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    with atomic_writer(path, overwrite=overwrite) as handle:
        handle.write(data)
