"""What each screen of the app looks like on the demo catalog (snapshots, 100 x 30).

Still pictures: a fixed terminal size, no blinking cursor, no clock, a fake
player whose position is set by the test, config discovery kept out, and every
worker finished before the picture is taken. Each SVG was looked at before it
was accepted.
"""

from __future__ import annotations

import pytest
from app_support import (
    SIZE,
    TONE_STUDIES,
    make_app,
    playing_player,
)
from textual.pilot import Pilot
from textual.widgets import Input

from setlist.core.models import Album, Artist, Playlist
from setlist.core.queue import RepeatMode
from setlist.ui.messages import Open
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")


def test_home_lists_the_home_modules_and_the_other_sections(snap_compare, server, secrets):
    assert snap_compare(
        make_app(server, secrets),
        terminal_size=SIZE,
        run_before=lambda pilot: wait_until(pilot=pilot),
    )


def test_home_popular_tracks(snap_compare, server, secrets):
    async def popular(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        await pilot.press("j", "j", "j", "tab")
        await wait_until(pilot=pilot)

    assert snap_compare(make_app(server, secrets), terminal_size=SIZE, run_before=popular)


def test_search_results_across_providers(snap_compare, server, secrets):
    async def search(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        await pilot.press("slash", *"tone", "enter")
        await wait_until(pilot=pilot)

    assert snap_compare(make_app(server, secrets), terminal_size=SIZE, run_before=search)


def test_search_says_what_to_do_when_nothing_is_found(snap_compare, server, secrets):
    async def search(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        await pilot.press("slash", *"xylophone", "enter")
        await wait_until(pilot=pilot)

    assert snap_compare(make_app(server, secrets), terminal_size=SIZE, run_before=search)


def test_album_with_last_fm_facts(snap_compare, server, secrets):
    async def album(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        pilot.app.post_message(Open(Album(provider="yourmusic", id=TONE_STUDIES, title="")))
        await wait_until(pilot=pilot)

    assert snap_compare(make_app(server, secrets), terminal_size=SIZE, run_before=album)


def test_album_cover_in_half_blocks_at_80x24(snap_compare, server, secrets):
    """A terminal with no graphics protocol: the cover is drawn with half blocks."""

    async def album(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        pilot.app.post_message(Open(Album(provider="jamendo", id="601", title="")))
        await wait_until(pilot=pilot)

    app = make_app(server, secrets, lastfm=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=album)


def test_artist_releases_and_tracks(snap_compare, server, secrets):
    async def artist(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        pilot.app.post_message(Open(Artist(provider="jamendo", id="501", name="Pulse Garden")))
        await wait_until(pilot=pilot)

    assert snap_compare(make_app(server, secrets), terminal_size=SIZE, run_before=artist)


def test_queue_now_up_next_and_history(snap_compare, server, secrets):
    async def queue(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        await pilot.press("4")
        await wait_until(pilot=pilot)

    app = make_app(server, secrets, playing_player(server, secrets))
    assert snap_compare(app, terminal_size=SIZE, run_before=queue)


def test_now_playing_bar_paused_with_shuffle_repeat_and_volume(snap_compare, server, secrets):
    player = playing_player(server, secrets)
    player.engine.paused = True
    player.engine.volume = 35.0
    player.queue.set_shuffle(True)
    player.queue.repeat = RepeatMode.ONE
    assert snap_compare(
        make_app(server, secrets, player),
        terminal_size=SIZE,
        run_before=lambda pilot: wait_until(pilot=pilot),
    )


def test_help_lists_the_keys_of_the_queue(snap_compare, server, secrets):
    async def help_(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        await pilot.press("4")
        await wait_until(pilot=pilot)
        await pilot.press("question_mark")
        await wait_until(pilot=pilot)

    app = make_app(server, secrets, playing_player(server, secrets))
    assert snap_compare(app, terminal_size=SIZE, run_before=help_)


def test_command_palette_offers_the_screens(snap_compare, server, secrets):
    async def palette(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        await pilot.press("ctrl+p")
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*"que")
        await wait_until(pilot=pilot)

    assert snap_compare(make_app(server, secrets), terminal_size=SIZE, run_before=palette)


def test_a_playlist_of_another_catalog_is_read_only(snap_compare, server, secrets):
    async def playlist(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        hostile = "[b]Hostile[/b] Mix"
        jamendo = Playlist(provider="jamendo", id="703", name=hostile, owner_name="ünïcode_fan")
        pilot.app.post_message(Open(jamendo))
        await wait_until(pilot=pilot)

    assert snap_compare(make_app(server, secrets), terminal_size=SIZE, run_before=playlist)
