"""`setlist ARGS` in a real pseudo-terminal, as a user runs it: keys in, bytes drawn out.

The tests never import the benchmarks; bench/terminal.py builds on this module.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

COLUMNS, ROWS = 100, 30
MPV_NULL = '[playback.mpv]\nao = "null"\n'  # no sound card in CI


def private_env(home: Path, config: str = MPV_NULL) -> dict[str, str]:
    """An environment whose config, state, cache and runtime dirs are under `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "SETLIST_"))}
    for name in ("CONFIG", "STATE", "CACHE", "DATA", "RUNTIME"):
        folder = home / name.lower()
        folder.mkdir(mode=0o700, parents=True)
        env["XDG_RUNTIME_DIR" if name == "RUNTIME" else f"XDG_{name}_HOME"] = str(folder)
    (home / "config" / "setlist").mkdir()
    (home / "config" / "setlist" / "config.toml").write_text(config, encoding="utf-8")
    env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
    env["SETLIST_PLAINTEXT_TOKENS"] = "1"  # no keyring daemon needed
    return env


def spawn(args: tuple[str, ...], env: dict[str, str]) -> tuple[int, int]:
    """`python -m setlist ARGS` on a new pty of COLUMNS x ROWS: its pid and the pty's fd."""
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.execvpe(sys.executable, [sys.executable, "-m", "setlist", *args], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    return pid, fd


class Terminal:
    """`python -m setlist ARGS` on a pty of COLUMNS x ROWS; `output` is all it wrote."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self.pid, self.fd = spawn(args, env)
        self.output = bytearray()
        self.status: int | None = None  # the exit status, once it exited

    def read(self, seconds: float, *, until: bytes | None = None, since: int = 0) -> bool:
        """Read for `seconds`, or until `until` is in the output from offset `since` on."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if until is not None and until in self.output[since:]:
                return True
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:  # the app closed the terminal
                    time.sleep(min(left, 0.01))
        return until is not None and until in self.output[since:]

    def press(self, keys: bytes) -> int:
        """Type `keys` (one write: a sequence arrives whole); the output's length before."""
        mark = len(self.output)
        os.write(self.fd, keys)
        return mark

    def exited(self, seconds: float) -> bool:
        """Whether the app exits within `seconds` (reading what it draws meanwhile)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                return True
            self.read(0.02)
        return False

    def thread_named(self, name: str) -> Path:
        """The /proc folder of the app's thread called `name` (the kernel keeps 15 bytes)."""
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            with contextlib.suppress(OSError):
                if (task / "comm").read_text().strip() == name[:15]:
                    return task
        raise LookupError(f"no thread {name!r} in the app")

    def close(self) -> None:
        """End the app if it is still running, and the terminal."""
        if self.status is None and not self.exited(0):
            os.kill(self.pid, signal.SIGTERM)
            if not self.exited(3):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        os.close(self.fd)


def voluntary_switches(task: Path) -> int:
    """How many times the thread has slept and been woken (voluntary context switches)."""
    for line in (task / "status").read_text().splitlines():
        if line.startswith("voluntary_ctxt_switches:"):
            return int(line.split()[1])
    raise LookupError(f"no voluntary_ctxt_switches in {task}/status")
