"""The app and the daemon, in subprocesses: `setlist` drives a running daemon, and the
music outlives the app however it ends; `--no-daemon` plays in the app itself.

The daemon writes what it plays to a pcm file paced at real time (`daemon_support`):
the file growing is the music playing. The app runs in a pseudo-terminal, as a user
(or an SSH session) runs it, and what it draws is read from the terminal.
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
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_support import make_home
from daemon_support import (
    BYTES_PER_SECOND,
    DaemonHome,
    make_daemon_home,
    remove_home,
)
from playback_audio import pcm_options
from waiting import wait_for

TRACKS = ["track:3005", "track:3000", "track:3001"]  # the first plays for a minute
LONG = b"The Long Tone (Extended)"
ATTACHED = b"Attached to the setlist daemon"
COLUMNS, ROWS = 120, 30


class App:
    """The app (`python ARGS`) on a pseudo-terminal; `read_until` collects what it draws."""

    def __init__(self, *args: str) -> None:
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
        pid, fd = pty.fork()
        if pid == 0:  # the child
            os.execvpe(sys.executable, [sys.executable, *args], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.output = bytearray()
        self.status: int | None = None

    def read_until(self, wanted: bytes, within: float = 30.0) -> bool:
        deadline = time.monotonic() + within
        while wanted not in self.output and (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:  # the app is gone
                    break
        return wanted in self.output

    def press(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def wait(self, within: float = 15.0) -> int | None:
        """The exit status, reading what it draws meanwhile; None if it still runs."""
        deadline = time.monotonic() + within
        while self.status is None and time.monotonic() < deadline:
            self.read_until(b"\0never\0", within=0.1)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def kill(self) -> None:
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.status = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])

    def close(self) -> None:
        self.kill()
        os.close(self.fd)


@pytest.fixture
def daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    home = make_daemon_home(make_home(tmp_path, monkeypatch), monkeypatch.setenv)
    monkeypatch.setenv("SETLIST_PLAINTEXT_TOKENS", "1")  # no keyring daemon needed
    yield home
    remove_home(home)


@pytest.fixture
def apps() -> Iterator[list[App]]:
    started: list[App] = []
    yield started
    for app in started:
        app.close()


def playing_daemon(daemons: DaemonHome) -> None:
    """A demo daemon playing three queued tracks (repeat all: the music never ends)."""
    started = daemons.start()
    assert started.returncode == 0, started.stderr
    assert daemons.ctl("add", *TRACKS).returncode == 0
    assert daemons.ctl("repeat", "all").returncode == 0
    assert daemons.ctl("play").returncode == 0
    wait_for(lambda: daemons.audio_size() > 0)


def open_app(apps: list[App], *args: str) -> App:
    app = App(*args)
    apps.append(app)
    return app


@pytest.mark.parametrize("ending", ["killed", "quit"])
def test_the_app_drives_the_daemon_and_the_music_outlives_it(daemons, apps, ending):
    playing_daemon(daemons)

    app = open_app(apps, "-m", "setlist", "--demo")
    assert app.read_until(LONG), bytes(app.output[-2000:])  # the daemon's now playing
    assert app.read_until(ATTACHED)
    before = daemons.audio_size()
    if ending == "killed":  # as a dropped SSH session would
        os.kill(app.pid, signal.SIGKILL)
        assert app.wait() == -signal.SIGKILL
    else:
        app.press("q")
        assert app.wait() == 0
    wait_for(lambda: daemons.audio_size() > before, within=5)
    assert daemons.audio_grows(1.0) > BYTES_PER_SECOND / 2
    status = daemons.status()
    assert status["playing"] and not status["paused"]
    assert status["queue_length"] == len(TRACKS)


def test_no_daemon_plays_in_the_app(daemons, apps):
    playing_daemon(daemons)

    # `setlist --no-daemon --demo`, through the launcher the command line calls.
    app = open_app(apps, "-m", "setlist", "--demo", "--no-daemon")
    assert app.read_until(b"Your playlists"), bytes(app.output[-2000:])
    assert app.read_until(b"vol 100%")  # the now-playing bar
    assert ATTACHED not in app.output
    # Its player is its own: whatever it restored, it is not playing the daemon's music.
    assert b"paused" in app.output or b"Nothing playing" in app.output
    app.press("q")
    assert app.wait() == 0
    status = daemons.status()
    assert status["playing"] and status["queue_length"] == len(TRACKS)


def test_mpv_options_for_an_app_that_attaches_are_said_to_go_unused(daemons, apps):
    playing_daemon(daemons)
    app = open_app(apps, "-m", "setlist", "--demo", "--mpv-option", "volume-max=150")
    assert app.read_until(ATTACHED), bytes(app.output[-2000:])
    assert app.read_until(b"mpv-option"), bytes(app.output[-2000:])
    app.press("q")
    assert app.wait() == 0, bytes(app.output[-3000:])


def test_the_app_starts_the_daemon_and_what_it_began_outlives_it(daemons, apps):
    # The daemon this app starts reads its mpv options from the config.
    config = daemons.home.dirs["XDG_CONFIG_HOME"] / "setlist" / "config.toml"
    config.parent.mkdir(exist_ok=True)
    options = pcm_options(daemons.audio, speed=1.0)
    config.write_text(
        "[playback.mpv]\n" + "".join(f'{k} = "{v}"\n' for k, v in options.items()),
        encoding="utf-8",
    )

    # `setlist --daemon --demo`, through the launcher the command line calls.
    app = open_app(apps, "-m", "setlist", "--demo", "--daemon")
    assert app.read_until(ATTACHED, within=60), bytes(app.output[-2000:])
    daemons.pids.add(daemons.pid())
    assert daemons.ctl("add", *TRACKS).returncode == 0
    assert daemons.ctl("play").returncode == 0
    assert app.read_until(LONG)  # the app shows what the daemon plays
    wait_for(lambda: daemons.audio_size() > 0, within=10)

    os.kill(app.pid, signal.SIGKILL)
    app.wait()
    assert daemons.audio_grows(1.0) > BYTES_PER_SECOND / 2
    assert daemons.status()["entry"]["track"]["title"] == LONG.decode()


def test_mpv_options_go_to_the_daemon_the_app_starts(daemons, apps):
    # No config: the audio output is named on the command line only.
    options = pcm_options(daemons.audio, speed=1.0)
    flags = [arg for k, v in options.items() for arg in ("--mpv-option", f"{k}={v}")]

    app = open_app(apps, "-m", "setlist", "--demo", "--daemon", *flags)
    assert app.read_until(ATTACHED, within=60), bytes(app.output[-2000:])
    daemons.pids.add(daemons.pid())
    assert daemons.ctl("add", *TRACKS).returncode == 0
    assert daemons.ctl("play").returncode == 0
    assert app.read_until(LONG)
    # The daemon plays through the output the app was given: the music reaches the file.
    assert daemons.audio_grows(1.0) > BYTES_PER_SECOND / 2
    # And the app does not claim the options went unused.
    assert b"mpv-option" not in app.output
    app.press("q")
    assert app.wait() == 0
