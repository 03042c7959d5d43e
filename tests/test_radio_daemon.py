"""Radio, autoplay and a radio's song through the daemon and `setlist ctl`.

A real daemon in a subprocess, on the demo catalog, playing at real time into a
pcm file (`daemon_support`); the demo's Jamendo tracks last 4 to 7 seconds.
"""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_support import make_home
from daemon_support import DaemonHome, make_daemon_home, remove_home
from setlist.daemon.client import RemotePlayer
from setlist.playback.events import StateChanged
from waiting import wait_for


@pytest.fixture
def daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    home = make_daemon_home(make_home(tmp_path, monkeypatch), monkeypatch.setenv)
    yield home
    remove_home(home)


def test_ctl_radio_replaces_the_queue_with_the_track_and_similar_ones(daemons):
    assert daemons.start().returncode == 0
    assert daemons.ctl("add", "jamendo:track:1013").returncode == 0
    started = daemons.ctl("radio", "jamendo:track:1001")
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith("Radio from “Night Signal” — Pulse Garden: ")
    listing = daemons.ctl_json("queue")
    entries = listing["entries"]
    assert entries[0]["track"]["id"] == "1001" and "origin" not in entries[0]
    assert len(entries) > 1
    assert all(e["origin"] == "radio" for e in entries[1:])
    ids = [e["track"]["id"] for e in entries]
    assert "1013" not in ids, "the queue was replaced"
    assert len(set(ids)) == len(ids)
    assert daemons.status()["entry"]["track"]["id"] == "1001"
    table = daemons.ctl("queue").stdout.splitlines()
    assert table[2].lstrip().startswith("r"), table  # the second entry, marked as the radio's


def test_ctl_radio_without_an_item_starts_from_what_plays(daemons):
    assert daemons.start().returncode == 0
    assert daemons.ctl("play", "jamendo:track:1007").returncode == 0  # 45 s
    first = daemons.status()["entry"]["id"]
    started = daemons.ctl("--json", "radio")
    assert started.returncode == 0, started.stderr
    status = daemons.status()
    assert status["entry"]["id"] == first, "the playing track plays on"
    assert status["queue_length"] > 1


def test_ctl_radio_with_nothing_playing_says_what_to_give(daemons):
    assert daemons.start().returncode == 0
    refused = daemons.ctl("radio")
    assert refused.returncode == 1
    assert "Nothing is playing: name a track to start a radio from (ITEM)." in refused.stderr


def test_autoplay_is_a_setting_the_daemon_keeps_and_plays_on_with(daemons):
    assert daemons.start().returncode == 0
    on = daemons.ctl("autoplay", "on")
    assert on.returncode == 0, on.stderr
    assert on.stdout == "autoplay on\n"
    config = tomllib.loads(daemons.home.config_file.read_text(encoding="utf-8"))
    assert config["playback"]["autoplay"] is True
    assert "autoplay on" in daemons.ctl("status").stdout
    assert daemons.ctl("play", "jamendo:track:1004").returncode == 0  # 4 s, the queue's last

    def autoplayed() -> bool:
        status = daemons.status()
        entry = status["entry"]
        return status["playing"] and entry is not None and entry.get("origin") == "autoplay"

    wait_for(autoplayed, within=30)
    entries = daemons.ctl_json("queue")["entries"]
    assert entries[0]["track"]["id"] == "1004"
    assert all(e["origin"] == "autoplay" for e in entries[1:])

    # Kept across a restart, as a setting.
    assert daemons.ctl("quit").returncode == 0
    daemons.pids.clear()
    assert daemons.start().returncode == 0
    assert daemons.status()["autoplay"] is True
    assert daemons.ctl("autoplay", "off").stdout == "autoplay off\n"
    config = tomllib.loads(daemons.home.config_file.read_text(encoding="utf-8"))
    assert config["playback"]["autoplay"] is False


def test_ctl_status_follows_the_song_a_radio_plays(daemons):
    assert daemons.start().returncode == 0
    assert daemons.ctl("play", "radio:1").returncode == 0
    assert daemons.ctl("pause").returncode == 0  # the demo's radio stream is one short song
    songs: set[str] = set()

    def moved_on() -> bool:
        line = daemons.ctl("status").stdout.splitlines()[0]
        assert line.startswith("⏸ Paused: “Electronic” — Jamendo radio [jamendo radio]"), line
        songs.add(line.split("on air: “")[1].split("”")[0])
        return len(songs) >= 2

    wait_for(moved_on, within=20, step=0.5)


async def test_the_app_attached_to_the_daemon_sees_autoplay_and_starts_radios(daemons):
    assert daemons.start().returncode == 0
    assert daemons.ctl("play", "jamendo:track:1007").returncode == 0  # 45 s
    player = RemotePlayer()
    events: list[object] = []
    player.subscribe(events.append)
    await player.start()
    try:
        assert player.autoplay is False
        await player.set_autoplay(True)
        assert player.autoplay is True
        assert daemons.status()["autoplay"] is True
        # Switched by another client: the app hears of it.
        assert daemons.ctl("autoplay", "off").returncode == 0
        await wait_events(events, lambda e: isinstance(e, StateChanged) and not e.autoplay)
        assert player.autoplay is False

        playing = player.playing
        assert playing is not None
        entries = await player.radio(playing.track)
        assert entries[0].id == playing.id
        assert [e.origin for e in entries[1:]] == ["radio"] * (len(entries) - 1)
        assert [e.id for e in player.queue.entries] == [e.id for e in entries]
    finally:
        await player.close()


async def wait_events(events: list[object], match, within: float = 5.0) -> None:
    for _ in range(int(within / 0.01)):
        if any(match(e) for e in events):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"no such event among {events}")
