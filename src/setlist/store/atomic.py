"""Replace a file whole or not at all: a temp file beside it, fsync, rename. And read
only regular files: a FIFO or a device in their place must not hang setlist."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from setlist.store.paths import ensure_dir


def write_atomic(
    path: Path, data: bytes, *, mode: int = 0o600, dir_mode: int = 0o700, durable: bool = True
) -> None:
    """Write `data` to `path` so a reader sees the old file or the new one, never half.

    `durable=False` skips the fsyncs: the rename still makes the swap atomic for every
    reader and against a killed process; only a power cut may lose the newest write.

    The temp file is created with O_EXCL and `mode` (less the umask), so it is never
    readable by others even for a moment. A symlink at `path` is followed: the file it
    points to is replaced, not the link (dotfile managers keep config as links).
    """
    path = path.resolve() if path.is_symlink() else path
    ensure_dir(path.parent, dir_mode)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, mode)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
        _fsync_dir(path.parent)


class NotRegularFile(OSError):
    """A file setlist reads is a FIFO, a directory, a device or a socket."""

    def __init__(self, path: Path, mode: int) -> None:
        what = _KINDS.get(stat.S_IFMT(mode), "not a file")
        super().__init__(f"not a regular file but {what}")
        self.filename = str(path)
        self.strerror = f"not a regular file but {what}"

    def __str__(self) -> str:
        return f"{self.filename} is {self.strerror}"


_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFDIR: "a directory",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def read_regular(path: Path) -> bytes:
    """The bytes of the regular file at `path` (a symlink is followed); NotRegularFile
    for anything else.

    Opened with O_NONBLOCK, then checked with fstat on that descriptor: opening or
    reading a FIFO would block forever, and a check before opening could be raced.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, mode)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as file:
            return file.read()
    finally:
        os.close(fd)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible on Windows, harmless to skip.
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
