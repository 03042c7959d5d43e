"""`setlist ctl` commands that start playback wait for it to start or fail, and say so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cli_support import make_home
from daemon_support import DaemonHome, make_daemon_home, remove_home
from setlist.demo.catalog import media_dir
from setlist.demo.server import DemoServer
from waiting import wait_for
from yourmusic_support import NO_THROTTLE

FAILED = "Could not play “Morning Tone”"


@pytest.fixture
def daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    home = make_daemon_home(make_home(tmp_path, monkeypatch), monkeypatch.setenv)
    yield home
    remove_home(home)


@pytest.fixture
def own_demo(make_demo: Callable[..., DemoServer]) -> DemoServer:
    """A demo server of the test's own: each daemon signs in to it afresh."""
    return make_demo(**NO_THROTTLE)


def daemon_log(daemons: DaemonHome) -> str:
    (log,) = daemons.home.dirs["XDG_STATE_HOME"].rglob("daemon.log")
    return log.read_text()


def test_ctl_play_of_a_track_that_fails_exits_1_with_the_reason(daemons, own_demo: DemoServer):
    daemons.home.attach(own_demo)
    assert daemons.start().returncode == 0
    own_demo.faults.add("/yourmusic/stream/*", "status", status=404)

    played = daemons.ctl("play", "track:3000")

    assert played.returncode == 1, played.stdout
    assert FAILED in played.stderr
    assert "Playing" not in played.stdout
    status = daemons.status()
    assert not status["playing"]
    assert status["error"].startswith(FAILED)
    assert FAILED in daemons.ctl("status").stdout
    assert FAILED in daemon_log(daemons)


def test_ctl_jump_to_a_track_that_fails_exits_1_with_the_reason(daemons, own_demo: DemoServer):
    daemons.home.attach(own_demo)
    assert daemons.start().returncode == 0
    assert daemons.ctl("add", "track:3000", "track:3001").returncode == 0
    own_demo.faults.add("/yourmusic/stream/*", "status", status=404)

    jumped = daemons.ctl("jump", "1")

    assert jumped.returncode == 1, jumped.stdout
    assert FAILED in jumped.stderr


def test_ctl_play_of_a_track_that_plays_still_exits_0(daemons, own_demo: DemoServer):
    daemons.home.attach(own_demo)
    assert daemons.start().returncode == 0
    played = daemons.ctl("play", "track:3005")  # a minute long
    assert played.returncode == 0, played.stderr
    assert played.stdout.startswith("▶ Playing “The Long Tone (Extended)”")
    status = json.loads(daemons.ctl("--json", "status").stdout)
    assert status["playing"] and status["error"] is None
    wait_for(lambda: daemons.audio_size() > 0)


LONG_QUERY = "tone " * 19_999 + "tone"  # 100 KB: the URL of its search would pass httpx's 64 KiB


def test_a_very_long_query_is_refused_by_its_length_not_an_internal_error(
    daemons, own_demo: DemoServer
):
    daemons.home.attach(own_demo)
    assert daemons.start().returncode == 0

    played = daemons.ctl("play", LONG_QUERY)

    assert played.returncode == 1
    assert "internal" not in played.stderr
    assert "The search text is 99,999 characters long" in played.stderr
    assert "Shorten it" in played.stderr
    assert daemons.status()["queue_length"] == 0


def test_a_very_long_search_says_so_not_invalid_service_url(daemons, own_demo: DemoServer):
    daemons.home.attach(own_demo)
    searched = daemons.setlist("--demo", "search", LONG_QUERY)
    assert searched.returncode == 1
    assert "invalid service URL" not in searched.stderr
    assert "The search text is 99,999 characters long" in searched.stderr


def test_ctl_play_of_a_file_whose_name_is_not_utf8_plays_it(
    daemons, own_demo: DemoServer, tmp_path: Path
):
    daemons.home.attach(own_demo)
    assert daemons.start().returncode == 0
    name = os.fsencode(tmp_path) + b"/caf\xe9.mp3"  # Latin-1 "café": not UTF-8
    shutil.copy(media_dir() / "jm" / "1001.mp3", name)

    played = subprocess.run(
        [sys.executable.encode(), b"-m", b"setlist", b"ctl", b"play", name],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )

    assert played.returncode == 0, played.stderr
    assert played.stdout.startswith("▶ Playing “caf\N{REPLACEMENT CHARACTER}”")
    assert daemons.status()["entry"]["track"]["audio_url"].endswith("/caf%E9.mp3")
