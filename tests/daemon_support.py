"""Helpers for the daemon tests: a private home, daemons in subprocesses, `ctl`, audio growth.

Every daemon writes what it plays to a pcm file paced at real time (`arealtime`), so
"the music keeps playing" is "the file keeps growing". The runtime directory (where
the socket goes) is a short directory of its own under /tmp: a socket path must fit
in 108 bytes, and the other-user test needs a directory it can open up.
Every daemon a test started is stopped when the test ends, SIGKILL if SIGTERM fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cli_support import CliHome
from playback_audio import pcm_options
from waiting import wait_for

BYTES_PER_SECOND = 44100 * 2  # s16 mono at 44.1 kHz, as pcm_options asks for
STARTED = "setlist daemon is running"


def alive(pid: int) -> bool:
    """Some thread of the process is not a zombie yet (a detached daemon is nobody's child
    here, so it lingers as a zombie; its leader can be one while mpv's threads still exit)."""
    try:
        threads = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return False
    for thread in threads:
        try:
            stat = (thread / "stat").read_text()
        except OSError:
            continue
        if stat.rpartition(")")[2].split()[0] not in ("Z", "X"):
            return True
    return False


@dataclass
class DaemonHome:
    home: CliHome
    runtime: Path
    audio: Path
    pids: set[int] = field(default_factory=set)
    foreground: list[subprocess.Popen[str]] = field(default_factory=list)
    clients: list[subprocess.Popen[str]] = field(default_factory=list)

    @property
    def socket(self) -> Path:
        return self.runtime / "setlist" / "daemon.sock"

    @property
    def state_file(self) -> Path:
        return self.home.dirs["XDG_STATE_HOME"] / "setlist" / "state.json"

    def daemon_args(self) -> list[str]:
        options = pcm_options(self.audio, speed=1.0)
        mpv = [arg for k, v in options.items() for arg in ("--mpv-option", f"{k}={v}")]
        return ["daemon", "--demo", *mpv]

    def setlist(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "setlist", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
            # A session of its own, as a login over SSH would be.
            start_new_session=True,
        )

    def setlist_input(self, *args: str, input: str) -> subprocess.CompletedProcess[str]:
        """`setlist ARGS` answering its prompts with `input`."""
        return subprocess.run(
            [sys.executable, "-m", "setlist", *args],
            input=input,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def start(self) -> subprocess.CompletedProcess[str]:
        """`setlist daemon --demo` (detached); the daemon's pid is noted for the clean-up."""
        result = self.setlist(*self.daemon_args())
        if result.returncode == 0:
            self.pids.add(self.pid())
        return result

    def start_foreground(self) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "setlist", *self.daemon_args(), "--foreground"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.foreground.append(process)
        assert process.stdout is not None
        line = process.stdout.readline()
        assert STARTED in line, (line, process.stderr.read() if process.poll() else "")
        self.pids.add(process.pid)
        return process

    def follow(self, *args: str) -> subprocess.Popen[str]:
        """`setlist ctl events ARGS` running, in a session of its own; killed at the end."""
        process = subprocess.Popen(
            [sys.executable, "-m", "setlist", "ctl", "events", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self.clients.append(process)
        return process

    def pid(self) -> int:
        """The daemon's pid, from its lock file."""
        (lock,) = (self.home.dirs["XDG_STATE_HOME"] / "setlist").glob("daemon-*.lock")
        return int(lock.read_text())

    def ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.setlist("ctl", *args, timeout=30)

    def ctl_json(self, *args: str) -> Any:
        result = self.ctl("--json", *args)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def status(self) -> dict[str, Any]:
        return self.ctl_json("status")

    def audio_size(self) -> int:
        return self.audio.stat().st_size if self.audio.exists() else 0

    def audio_grows(self, seconds: float = 1.0, *, start_within: float = 10.0) -> int:
        """Bytes of audio written over `seconds`, once audio flows (a loaded machine
        may take a while to open a stream): 0 when none comes within `start_within`."""
        deadline = time.monotonic() + start_within
        first = self.audio_size()
        while self.audio_size() == first and time.monotonic() < deadline:
            time.sleep(0.05)
        before = self.audio_size()
        time.sleep(seconds)
        return self.audio_size() - before

    def request(self, sock: socket.socket, line: bytes) -> dict[str, Any]:
        sock.sendall(line)
        return read_message(sock)

    def stop_all(self) -> None:
        for process in self.clients:
            if process.poll() is None:
                process.kill()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()
        for pid in self.pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in self.pids:
            try:
                wait_for(lambda pid=pid: not alive(pid), within=10)
            except AssertionError:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        for process in self.foreground:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            if process.poll() is None:
                process.kill()
                process.wait()
            for stream in (process.stdout, process.stderr):
                if stream is not None:
                    stream.close()


def make_daemon_home(home: CliHome, set_env: Callable[[str, str], None]) -> DaemonHome:
    runtime = Path(tempfile.mkdtemp(prefix="sl-", dir="/tmp"))
    set_env("XDG_RUNTIME_DIR", str(runtime))
    home.dirs["XDG_RUNTIME_DIR"] = runtime
    return DaemonHome(home, runtime, home.root / "audio.pcm")


def remove_home(daemon_home: DaemonHome) -> None:
    daemon_home.stop_all()
    shutil.rmtree(daemon_home.runtime, ignore_errors=True)


def connect(path: Path, timeout: float = 10.0) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect(str(path))
    return sock


def read_message(sock: socket.socket) -> dict[str, Any]:
    """One line from the daemon, as JSON."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1)
        if not chunk:
            raise ConnectionError(f"the daemon hung up after {data!r}")
        data += chunk
    return json.loads(data)
