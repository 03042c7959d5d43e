"""Where the daemon lives, and the rule of one daemon per user.

The control socket is `daemon.sock` in the runtime directory. The rule is an
flock on `daemon-HOST.lock` in the state directory, held for the daemon's whole
life with its pid written in the file: whoever holds it is the daemon, so a socket
file left by a daemon that died (`kill -9`) is known to be stale and is replaced.
The lock is not in the runtime directory because logind deletes that directory
when the user's last session ends, while the daemon plays on: the daemon then
makes its socket again (`Listener.in_place`), and a daemon started meanwhile
must still find the first one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from setlist.core.errors import SetlistError
from setlist.store import paths

SOCKET_NAME = "daemon.sock"
LOG_NAME = "daemon.log"
# sun_path is 108 bytes on Linux, NUL included.
MAX_SOCKET_PATH = 107
PROBE_TIMEOUT = 2.0
# Clients that connect while the daemon is busy (or still starting) wait here: a burst
# of hundreds of `ctl` calls must not be refused. The kernel caps it at somaxconn.
LISTEN_BACKLOG = 1024
_BIND_NAME = "/.bind-12345678/s"  # the socket is made at this length below its directory


class AlreadyRunning(SetlistError):
    def __init__(self, pid: int | None, socket_path: Path) -> None:
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(
            f"a setlist daemon is already running ({who}, socket {socket_path}); "
            "stop it with `setlist ctl quit` first"
        )
        self.pid = pid
        self.socket_path = socket_path


def socket_path() -> Path:
    return paths.runtime_dir() / SOCKET_NAME


def lock_path() -> Path:
    # The host: a home shared between machines (NFS) may hold one daemon per machine.
    return paths.state_dir() / f"daemon-{socket.gethostname()}.lock"


def log_file() -> Path:
    return paths.log_dir() / LOG_NAME


def private_dir() -> Path:
    """The runtime directory, made if missing, ours and closed to everyone else (0700)."""
    where = paths.ensure_dir(paths.runtime_dir(), 0o700)
    info = where.stat()
    if info.st_uid != os.geteuid():
        raise SetlistError(
            f"{where} belongs to another user; setlist will not put its socket there"
        )
    if info.st_mode & 0o077:
        where.chmod(0o700)
    return where


# -- the lock


class InstanceLock:
    """The flock that makes this process the user's daemon; released when it exits."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd = fd
        self.path = path

    @classmethod
    def acquire(cls) -> InstanceLock:
        path = lock_path()
        paths.ensure_dir(path.parent)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(holder_pid(), socket_path()) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return cls(fd, path)

    def release(self) -> None:
        if self._fd < 0:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = -1


def holder_pid() -> int | None:
    """The pid of the daemon holding the lock, or None when no daemon holds it."""
    try:
        fd = os.open(lock_path(), os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.read(fd, 32).decode(errors="replace").strip()
            return int(text) if text.isdigit() else 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def check_not_running() -> None:
    """Raise AlreadyRunning when a daemon holds the lock or answers on the socket."""
    pid = holder_pid()
    path = socket_path()
    if pid is not None:
        raise AlreadyRunning(pid or None, path)
    answer = probe(path)
    if answer is not None:
        raise AlreadyRunning(answer.pid, path)


# -- the socket


def bind_socket(path: Path) -> socket.socket:
    """A listening socket at `path`, mode 0600 from the moment it is there.

    Call with the lock held: a socket file found there is stale, unless it answers.
    The socket is made in a private directory of its own, then renamed into place.
    """
    if len(os.fsencode(path.parent)) + len(_BIND_NAME) > MAX_SOCKET_PATH:
        raise SetlistError(
            f"the socket path {path} is too long for a Unix socket; set XDG_RUNTIME_DIR "
            "to a shorter directory"
        )
    if path.exists() or path.is_symlink():
        answer = probe(path)
        if answer is not None:
            raise AlreadyRunning(answer.pid, path)
    workdir = Path(tempfile.mkdtemp(prefix=".bind-", dir=path.parent))  # mode 0700
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        made = workdir / "s"
        sock.bind(str(made))
        made.chmod(0o600)
        made.replace(path)
        sock.listen(LISTEN_BACKLOG)
    except OSError:
        sock.close()
        raise
    finally:
        with contextlib.suppress(OSError):
            workdir.rmdir()
    sock.setblocking(False)
    return sock


class Listener:
    """The daemon's socket file, made again when it goes (logind removed the runtime
    directory at logout, or someone deleted the file)."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self._inode: int | None = None

    def bind(self) -> socket.socket:
        """A socket at the current socket path (after `in_place()` said False)."""
        path = private_dir() / SOCKET_NAME
        sock = bind_socket(path)
        self.remove()  # the one it replaces, if it is still somewhere
        self.path, self._inode = path, path.stat().st_ino
        return sock

    def in_place(self) -> bool:
        """Our socket file is where clients look for it."""
        return self.path == socket_path() and _inode(self.path) == self._inode

    def remove(self) -> None:
        """Remove our socket file, not one that replaced it."""
        if self.path is not None and _inode(self.path) == self._inode:
            with contextlib.suppress(OSError):
                self.path.unlink()


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


@dataclass(frozen=True)
class Answer:
    """What a daemon said to a probe."""

    pid: int | None
    status: dict[str, object]


def probe(path: Path | None = None, timeout: float = PROBE_TIMEOUT) -> Answer | None:
    """Ask the socket for a status, blocking; None when nobody answers there."""
    path = path or socket_path()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(str(path))
        except OSError:
            return None
        pid = peer_pid(sock)
        try:
            sock.sendall(b'{"id": 0, "cmd": "status"}\n')
            data = _read_line(sock)
        except OSError:
            # Connected but silent: a daemon still starting up, or stuck. Alive.
            return Answer(pid, {})
    try:
        message = json.loads(data)
    except ValueError:
        return Answer(pid, {})
    result = message.get("result") if isinstance(message, dict) else None
    return Answer(pid, result if isinstance(result, dict) else {})


def _read_line(sock: socket.socket, limit: int = 1 << 20) -> bytes:
    data = b""
    while not data.endswith(b"\n") and len(data) < limit:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def peer_pid(sock: socket.socket) -> int | None:
    """The pid of the process at the other end of a connected Unix socket."""
    try:
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return None
    pid, _uid, _gid = struct.unpack("3i", creds)
    return pid or None


def peer_uid(sock: socket.socket) -> int:
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def find_daemon() -> Path | None:
    """The socket of this user's running daemon, or None when none answers."""
    path = socket_path()
    if not path.exists():
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(PROBE_TIMEOUT)
        try:
            sock.connect(str(path))
        except OSError:
            return None
    return path
