"""Running `setlist` in a pseudo-terminal, as a user would, and reading what it draws."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import tempfile
import time
from pathlib import Path

# The tests' pseudo-terminal environment, reused as is.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ui"))
from terminal_support import private_env, spawn

TICKS = os.sysconf("SC_CLK_TCK")


def isolated_env(config: str = "") -> dict[str, str]:
    """An environment whose config, state, cache and runtime live in a fresh temporary folder."""
    return private_env(Path(tempfile.mkdtemp(prefix="setlist-bench-")), config)


class Terminal:
    """`setlist ARGS` on a pty (terminal_support.spawn); `read` collects what it writes."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        self.pid, self.fd = spawn(args, env)
        self.output = bytearray()

    def read(self, seconds: float, *, until: bytes | None = None) -> float | None:
        """Read for `seconds`, or until `until` appears: when it did (seconds since start)."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return None
            self.output += chunk
            if until is not None and until in self.output:
                return time.perf_counter() - self.started
        return None

    def count(self, seconds: float) -> int:
        """Bytes written to the terminal over `seconds`."""
        before = len(self.output)
        self.read(seconds)
        return len(self.output) - before

    def press(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def cpu_seconds(self) -> float:
        """User + system CPU time of the app so far (all its threads, mpv's included)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        """Quit with q as a user would; a process still there after 3 s is terminated."""
        with contextlib.suppress(OSError):
            self.press("q")
            self.read(3.0)
        with contextlib.suppress(ProcessLookupError):
            if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                os.kill(self.pid, signal.SIGTERM)
                os.waitpid(self.pid, 0)
        os.close(self.fd)
