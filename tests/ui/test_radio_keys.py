"""The radio key (w) and the autoplay key (W) in the app: the real Player built by the
composition root (libmpv, ao=null), the real demo server, the bar and the queue as drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import SIZE, screen_text, start_app

from setlist.services.player import Catalogs, make_player
from setlist.store.config import load_config
from setlist.store.paths import config_file
from setlist.store.state import StateStore
from setlist.ui.widgets.now_playing import NowPlayingBar
from setlist.ui.widgets.track_table import TrackTable
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")


def bar_lines(app) -> list[str]:
    bar = app.screen.query_one(NowPlayingBar)
    lines = screen_text(app).splitlines()
    return lines[bar.region.y : bar.region.y + 2]


async def app_player(app, tmp_path: Path):
    """The player every entry point gets (services.player), as the app makes it."""
    config = load_config()
    player = make_player(
        config,
        Catalogs.of(app.services),
        mpv_options={"ao": "null"},
        store=StateStore(tmp_path / "state"),
    )
    app.player = player
    await player.start(restore=False)
    return player


async def test_autoplay_shows_in_the_bar_and_stays_on_after_a_restart(server, secrets, tmp_path):
    app = await start_app(server, secrets)
    player = await app_player(app, tmp_path)
    jamendo = app.services.jamendo
    try:
        async with app.run_test(size=SIZE) as pilot:
            await player.add([await jamendo.track("1007")], where="now")
            await wait_until(lambda: player.engine.current is not None, within=10, pilot=pilot)
            await wait_until(pilot=pilot)
            assert "auto" not in bar_lines(app)[1]
            await pilot.press("W")
            await wait_until(lambda: "auto" in bar_lines(app)[1], within=5, pilot=pilot)
            assert player.autoplay
            await wait_until(lambda: config_file().exists(), within=5, pilot=pilot)
            assert load_config().playback.autoplay is True
            # On, with the last entry playing: the queue fills at once, visibly.
            await wait_until(lambda: len(player.queue) > 1, within=10, pilot=pilot)
    finally:
        await player.close()

    again = await start_app(server, secrets)
    player = await app_player(again, tmp_path)
    try:
        async with again.run_test(size=SIZE) as pilot:
            await player.add([await jamendo.track("1007")], where="now")
            await wait_until(lambda: player.engine.current is not None, within=10, pilot=pilot)
            await wait_until(lambda: "auto" in bar_lines(again)[1], within=5, pilot=pilot)
            await pilot.press("W")
            await wait_until(lambda: "auto" not in bar_lines(again)[1], within=5, pilot=pilot)
            await wait_until(
                lambda: load_config().playback.autoplay is False, within=5, pilot=pilot
            )
    finally:
        await player.close()


async def test_w_starts_a_radio_from_the_playing_track_and_the_queue_marks_it(
    server, secrets, tmp_path
):
    app = await start_app(server, secrets)
    player = await app_player(app, tmp_path)
    jamendo = app.services.jamendo
    try:
        async with app.run_test(size=SIZE) as pilot:
            [first] = await player.add(
                [await jamendo.track("1007"), await jamendo.track("1013")], where="now"
            )
            await wait_until(lambda: player.engine.current is not None, within=10, pilot=pilot)
            await pilot.press("w")
            await wait_until(lambda: len(player.queue) > 2, within=10, pilot=pilot)
            entries = player.queue.entries
            assert entries[0].id == first.id and player.playing.id == first.id
            assert all(e.origin == "radio" for e in entries[1:])
            assert "1013" not in {e.track.id for e in entries}

            await pilot.press("4")
            await wait_until(pilot=pilot)
            table = app.screen.query_one("#queue", TrackTable)
            lines = screen_text(app).splitlines()
            rows = lines[table.region.y + 1 : table.region.y + 4]
            assert "▶ Slow Tide" in rows[0], rows
            assert "≈ " in rows[1] and "≈ " in rows[2], rows
    finally:
        await player.close()


async def test_w_on_a_track_row_starts_a_radio_from_that_track(server, secrets, tmp_path):
    app = await start_app(server, secrets)
    player = await app_player(app, tmp_path)
    jamendo = app.services.jamendo
    try:
        async with app.run_test(size=SIZE) as pilot:
            await player.add([await jamendo.track("1007"), await jamendo.track("1001")])
            await pilot.press("4")
            await wait_until(pilot=pilot)
            table = app.screen.query_one("#queue", TrackTable)
            table.focus()
            await pilot.press("j", "w")  # the second row: Night Signal
            await wait_until(lambda: player.playing is not None, within=10, pilot=pilot)
            await wait_until(lambda: player.queue.entries[0].track.id == "1001", pilot=pilot)
            assert player.playing.track.id == "1001"
            assert all(e.origin == "radio" for e in player.queue.entries[1:])
    finally:
        await player.close()


async def test_the_bar_follows_the_song_a_jamendo_radio_plays(server, secrets, tmp_path):
    app = await start_app(server, secrets)
    player = await app_player(app, tmp_path)
    jamendo = app.services.jamendo
    try:
        async with app.run_test(size=SIZE) as pilot:
            await player.add([await jamendo.radio_track("1")], where="now")
            await wait_until(lambda: player.engine.current is not None, within=10, pilot=pilot)
            await player.pause()  # the demo's radio stream is one short song: keep it loaded
            songs: set[str] = set()

            def moved_on() -> bool:
                line = bar_lines(app)[0]
                assert "Electronic  ·  Jamendo radio  ·  " in line, line
                songs.add(line.split("Jamendo radio  ·  ")[1].split("  ")[0].strip())
                return len(songs) >= 2

            # The demo's songs last 4 to 7 s; callmeback says when the next one starts.
            await wait_until(moved_on, within=20, pilot=pilot, step=0.25)
            assert player.playing is not None
            assert player.playing.track.album_title in songs
    finally:
        await player.close()
