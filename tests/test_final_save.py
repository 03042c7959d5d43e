"""The last state save on the way out (the daemon's, `setlist play`'s): a failure is told,
with the path, and fails the exit status; never "stopped" as if all were well.

The state file cannot be written because a directory stands where it goes: the
temporary file is written and fsynced, and the rename over it fails (EISDIR),
whoever runs the test (a read-only folder would not stop root).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_support import make_home
from daemon_support import DaemonHome, alive, make_daemon_home, remove_home
from playback_audio import pcm_options
from setlist.demo.catalog import media_dir
from waiting import wait_for

TRACKS = ["track:3005", "track:3000"]


@pytest.fixture
def daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    home = make_daemon_home(make_home(tmp_path, monkeypatch), monkeypatch.setenv)
    yield home
    remove_home(home)


def block_the_state_file(daemons: DaemonHome, state: Path | None = None) -> None:
    """A directory, not empty, where the state file goes: no write can replace it."""
    state = state or daemons.state_file
    state.parent.mkdir(parents=True, exist_ok=True)
    state.unlink(missing_ok=True)
    state.mkdir()
    (state / "in-the-way").write_text("x")


@pytest.mark.fault(
    "full disk: the daemon's final save of the queue cannot be written",
    "`ctl quit` says the changes were lost and where, exit 1; the daemon exits 1 and logs it",
)
def test_ctl_quit_says_the_state_was_not_saved_and_where(daemons: DaemonHome) -> None:
    process = daemons.start_foreground()
    assert daemons.ctl("add", *TRACKS).returncode == 0
    wait_for(daemons.state_file.exists)  # saved once: the queue is in the file
    block_the_state_file(daemons)
    assert daemons.ctl("remove", "1").returncode == 0  # a change that cannot be saved now

    quit = daemons.ctl("quit")

    assert quit.returncode == 1
    assert quit.stdout == ""
    assert quit.stderr == (
        "setlist: the daemon has stopped, but could not save the queue and position to "
        f"{daemons.state_file} (Is a directory); the changes since the last save are lost\n"
    )
    assert not daemons.socket.exists()
    # The daemon itself ends with a failure, saying it on its own stderr (and its log).
    assert process.wait(timeout=15) == 1
    assert process.stderr is not None
    assert f"could not save the queue and position to {daemons.state_file}" in (
        process.stderr.read()
    )
    log = daemons.home.dirs["XDG_STATE_HOME"] / "setlist" / "log" / "daemon.log"
    assert f"could not save the queue and position to {daemons.state_file}" in log.read_text()


def test_ctl_quit_says_stopped_when_the_state_was_saved(daemons: DaemonHome) -> None:
    assert daemons.start().returncode == 0
    pid = daemons.pid()
    assert daemons.ctl("add", *TRACKS).returncode == 0
    quit = daemons.ctl("quit")
    assert (quit.returncode, quit.stdout, quit.stderr) == (0, "The daemon has stopped.\n", "")
    wait_for(lambda: not alive(pid))
    assert "3005" in daemons.state_file.with_name("queue.json").read_text()


@pytest.mark.fault(
    "full disk: `setlist play`'s final save cannot be written",
    "it says so with the path, exit 1",
)
def test_setlist_play_says_the_state_was_not_saved_and_where(
    daemons: DaemonHome, tmp_path: Path
) -> None:
    played_state = daemons.state_file.parent / "play" / "state.json"  # its own
    block_the_state_file(daemons, played_state)
    options = pcm_options(tmp_path / "out.pcm", speed=None) | {"untimed": "yes"}
    mpv = [arg for k, v in options.items() for arg in ("--mpv-option", f"{k}={v}")]
    song = media_dir() / "jm" / "1002.mp3"
    result = subprocess.run(
        [sys.executable, "-m", "setlist", "play", str(song), *mpv],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.stdout.splitlines() == ["▶ 1002 [local]"]  # it played all the same
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "setlist: could not save the queue and position to "
        f"{played_state} (Is a directory); the changes since the last save are lost"
    )
