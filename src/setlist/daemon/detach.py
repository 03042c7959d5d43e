"""Leaving the terminal: the classic double fork, and a pipe to say how the start went.

The process that ran `setlist daemon` forks; the child starts a new session (no
controlling terminal, so a closed SSH session sends it no SIGHUP) and forks again,
so the daemon is not a session leader and can never acquire a terminal. The
daemon's stdio goes to /dev/null and its cwd to /. Until the daemon says "ready"
(or "failed") on the pipe, the first process waits, so the user sees the outcome
and the exit code tells it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

log = logging.getLogger(__name__)

READY_TIMEOUT = 90.0  # seconds: services, the demo catalog and mpv all start first


class Readiness:
    """How the daemon tells whoever started it that it is up, or why it is not."""

    def __init__(self, fd: int | None = None) -> None:
        self._fd = fd  # None: running in the foreground, say it on the terminal

    def ready(self, message: str) -> None:
        if self._fd is None:
            print(message, flush=True)
        self._say("ready", message)

    def failed(self, message: str) -> None:
        if self._fd is None:
            print(f"setlist: {message}", file=sys.stderr, flush=True)
        self._say("failed", message)

    def _say(self, kind: str, message: str) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.write(fd, f"{kind} {message}\n".encode())
        os.close(fd)


@dataclass(frozen=True)
class Outcome:
    kind: Literal["ready", "failed", "silent"]
    message: str = ""


def start_detached(run: Callable[[Readiness], int], timeout: float = READY_TIMEOUT) -> Outcome:
    """Run `run` in a detached daemon process; here, wait for its word and return it.

    Only the first process returns: the daemon exits when `run` does.
    """
    read_end, write_end = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _become_daemon(run, write_end)
    os.close(write_end)
    os.waitpid(pid, 0)
    try:
        return _wait_for_word(read_end, timeout)
    finally:
        os.close(read_end)


def _become_daemon(run: Callable[[Readiness], int], fd: int) -> None:
    code = 1
    try:
        os.setsid()
        if os.fork() > 0:
            os._exit(0)
        os.chdir("/")
        devnull = os.open(os.devnull, os.O_RDWR)
        for std in (0, 1, 2):
            os.dup2(devnull, std)
        os.close(devnull)
        code = run(Readiness(fd))
    except BaseException:
        with contextlib.suppress(Exception):
            log.exception("the daemon failed")
    finally:
        os._exit(code)


def _wait_for_word(fd: int, timeout: float) -> Outcome:
    data = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0:
            return Outcome("silent", "the daemon did not say it was ready in time")
        readable, _, _ = select.select([fd], [], [], left)
        if not readable:
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            return Outcome("silent", "the daemon stopped before it was ready")
        data += chunk
    kind, _, message = data.partition(b"\n")[0].decode(errors="replace").partition(" ")
    return Outcome("ready" if kind == "ready" else "failed", message)
