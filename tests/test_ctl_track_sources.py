"""`setlist ctl` says where a track plays from (a file, a URL, a Jamendo radio) and names
a file by its tags: a daemon in a subprocess with real libmpv, as in test_daemon."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cli_support import make_home
from daemon_support import DaemonHome, make_daemon_home, remove_home
from playback_audio import tagged_mp3
from setlist.daemon.client import RemotePlayer
from setlist.demo.catalog import JAMENDO_DEMO_CLIENT_ID
from setlist.demo.server import DemoServer
from setlist.providers.jamendo import JamendoClient
from waiting import wait_for


@pytest.fixture
def daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    home = make_daemon_home(make_home(tmp_path, monkeypatch), monkeypatch.setenv)
    yield home
    remove_home(home)


@pytest.fixture
def songs(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A tagged MP3 in a folder, and the base URL of a loopback server serving that folder."""
    folder = tmp_path / "songs"
    folder.mkdir()
    tagged_mp3(folder / "track01.mp3", title="Tagged Title", artist="Tag Artist", album="Tags")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder / "track01.mp3", f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def status_once(daemons: DaemonHome, text: str) -> str:
    """The first line of `setlist ctl status` once it holds `text`."""

    def first_line() -> str | None:
        result = daemons.ctl("status")
        assert result.returncode == 0, result.stderr
        line = result.stdout.splitlines()[0]
        return line if text in line else None

    return wait_for(first_line, within=15)


def test_ctl_names_a_file_by_its_tags_and_says_it_is_local(daemons, songs):
    song, _ = songs
    assert daemons.start().returncode == 0
    played = daemons.ctl("play", str(song))
    assert played.returncode == 0, played.stderr
    assert played.stdout.startswith("▶ Playing “Tagged Title” — Tag Artist"), played.stdout

    line = status_once(daemons, "Tagged Title")
    assert line.startswith("▶ Playing: “Tagged Title” — Tag Artist [local]"), line
    assert "track01" not in line
    [entry] = daemons.ctl_json("queue")["entries"]
    assert entry["track"]["album_title"] == "Tags"


def test_ctl_status_says_a_url_is_a_url(daemons, songs):
    _, base = songs
    assert daemons.start().returncode == 0
    assert daemons.ctl("play", f"{base}/track01.mp3").returncode == 0
    line = status_once(daemons, "track01")
    assert "[url]" in line and "local" not in line, line


async def test_ctl_status_says_a_radio_played_from_the_app_is_a_jamendo_radio(
    daemons, demo: DemoServer
):
    assert daemons.start().returncode == 0
    jamendo = JamendoClient(demo.jamendo_url, JAMENDO_DEMO_CLIENT_ID)
    try:
        [radio, *_] = await jamendo.radios()
        track = await jamendo.radio_track(radio.id)  # what Home queues for a radio chosen
    finally:
        await jamendo.aclose()
    app_side = RemotePlayer()
    await app_side.start()
    try:
        await app_side.add([track], where="now")
    finally:
        await app_side.close()
    line = status_once(daemons, radio.title)
    assert f"“{radio.title}” — Jamendo radio [jamendo radio]" in line, line
    assert "local" not in line


def test_a_radio_plays_by_its_id_and_shows_as_a_jamendo_radio(daemons):
    assert daemons.start().returncode == 0
    played = daemons.ctl("play", "radio:2")
    assert played.returncode == 0, played.stderr
    line = status_once(daemons, "Jazz & Lounge")
    assert "“Jazz & Lounge” — Jamendo radio [jamendo radio]" in line, line
    [entry] = daemons.ctl_json("queue")["entries"]
    assert entry["track"]["provider"] == "jamendo" and entry["track"]["id"] == "radio:2"
    # Its key plays it again, and only Jamendo has radios.
    assert daemons.ctl("play", "jamendo:radio:2").returncode == 0
    other = daemons.ctl("play", "--provider", "yourmusic", "radio:2")
    assert other.returncode != 0
    assert "Only Jamendo has radios" in other.stderr and "Traceback" not in other.stderr


def test_setlist_play_names_a_file_by_its_tags(daemons, songs):
    song, _ = songs
    result = daemons.setlist("play", str(song), "--mpv-option", "ao=null")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["▶ Tagged Title — Tag Artist (Tags) [local]"]
