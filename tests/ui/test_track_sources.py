"""Where a track plays from, as the now-playing bar and the queue show it, and a local
file named by its tags: the real Player and libmpv (ao=null), the real demo server."""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from app_support import SIZE, screen_text, start_app

from playback_audio import tagged_mp3
from setlist.core.items import file_track, url_track
from setlist.playback.engine import Engine
from setlist.playback.events import NowPlaying
from setlist.playback.player import Player
from setlist.playback.streams import make_resolver
from setlist.store.state import StateStore
from setlist.ui.screens.home import HomeScreen
from setlist.ui.widgets.now_playing import NowPlayingBar
from setlist.ui.widgets.track_table import TrackTable
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")


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


def bar_text(app) -> str:
    """The now-playing bar's first line, as drawn."""
    bar = app.screen.query_one(NowPlayingBar)
    return screen_text(app).splitlines()[bar.region.y]


def queue_row(app) -> str:
    """The queue screen's first row, as drawn."""
    table = app.screen.query_one("#queue", TrackTable)
    return screen_text(app).splitlines()[table.region.y + 1]  # under the column titles


async def real_player(app, store: StateStore | None = None) -> Player:
    player = Player(Engine({"ao": "null"}), make_resolver(app.services.providers), store=store)
    app.player = player
    await player.start(restore=False)
    return player


async def test_a_jamendo_radio_shows_as_a_jamendo_radio_not_local(server, secrets):
    app = await start_app(server, secrets)
    player = await real_player(app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(lambda: isinstance(app.screen, HomeScreen), pilot=pilot)
            home = app.screen
            await wait_until(lambda: "jm-radios" in home.sections, pilot=pilot)
            home.query_one("#sections").focus()
            await pilot.press("G", "enter")  # the last section: Jamendo radios
            await wait_until(pilot=pilot)
            await pilot.press("enter")  # its first radio
            await wait_until(lambda: player.engine.current is not None, within=10, pilot=pilot)
            await wait_until(pilot=pilot)

            assert player.playing is not None
            assert player.playing.track.title == "Electronic"
            line = bar_text(app)
            assert "Electronic" in line and line.rstrip().endswith("jamendo radio"), line
            assert "local" not in line

            await pilot.press("4")
            await wait_until(pilot=pilot)
            row = queue_row(app)
            assert "Electronic" in row and "jamendo" in row, row
            assert "local" not in row
    finally:
        await player.close()


async def test_a_url_shows_as_a_url_not_local(server, secrets, songs):
    _, base = songs
    app = await start_app(server, secrets)
    player = await real_player(app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await player.add([url_track(f"{base}/track01.mp3")], where="now")
            await wait_until(lambda: player.engine.current is not None, within=10, pilot=pilot)
            await wait_until(pilot=pilot)
            line = bar_text(app)
            assert line.rstrip().endswith("url") and "local" not in line, line

            await pilot.press("4")
            await wait_until(pilot=pilot)
            row = queue_row(app)
            assert row.rstrip().endswith("url") and "local" not in row, row
    finally:
        await player.close()


async def test_a_local_file_is_named_by_its_tags_in_the_bar_the_queue_and_the_saved_queue(
    server, secrets, songs, tmp_path
):
    song, _ = songs
    app = await start_app(server, secrets)
    store = StateStore(tmp_path / "state")
    player = await real_player(app, store)
    renamed = asyncio.Event()

    def on_event(event: object) -> None:
        if isinstance(event, NowPlaying) and event.track and event.track.title == "Tagged Title":
            renamed.set()

    player.subscribe(on_event)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("4")
            await wait_until(pilot=pilot)
            await player.add([file_track(song)], where="now")
            await asyncio.wait_for(renamed.wait(), 10)
            await wait_until(pilot=pilot)

            line = bar_text(app)
            assert "Tagged Title" in line and "Tag Artist" in line and "Tags" in line, line
            assert "track01" not in line and line.rstrip().endswith("local")
            row = queue_row(app)
            assert "Tagged Title" in row and "Tag Artist" in row and "Tags" in row, row
            assert "track01" not in row
    finally:
        await player.close()
    saved = StateStore(tmp_path / "state").load()
    assert saved is not None
    [entry] = saved.queue.entries
    assert (entry.track.title, entry.track.artist_name, entry.track.album_title) == (
        "Tagged Title",
        "Tag Artist",
        "Tags",
    )
    assert entry.track.audio_url == str(song)  # still played from the file
