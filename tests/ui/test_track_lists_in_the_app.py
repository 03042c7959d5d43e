"""Track lists inside the app (Pilot, real demo server): how playlists open from the
Playlists screen, which keys reach the player while a list has the focus, and the footer."""

from __future__ import annotations

import asyncio

import pytest
from app_support import (
    SIZE,
    release_tracks,
    start_app,
)
from fakes import FakePlayer
from textual.widgets import Footer, Input

from setlist.core.models import Playlist
from setlist.ui.app import SetlistApp
from setlist.ui.screens.help import HelpScreen, key_help
from setlist.ui.screens.pages import PlaylistPage, PlaylistsPage
from setlist.ui.screens.playlist import PlaylistView
from setlist.ui.screens.playlists import PlaylistsView
from setlist.ui.screens.search import SearchScreen
from setlist.ui.widgets.now_playing import NowPlayingBar
from setlist.ui.widgets.top_bar import TopBar
from setlist.ui.widgets.track_table import TrackTable
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")

LATE_NIGHT_CODING = Playlist(provider="jamendo", id="701", name="Late Night Coding")


async def queued_app(server, secrets) -> tuple[FakePlayer, SetlistApp]:
    tracks = await asyncio.to_thread(release_tracks, server, secrets, "2000")
    player = FakePlayer(tracks[:5])
    player.start()
    return player, await start_app(server, secrets, player)


async def playlists_view(pilot) -> PlaylistsView:
    await wait_until(pilot=pilot)
    await pilot.press("3")
    await wait_until(pilot=pilot)
    assert isinstance(pilot.app.screen, PlaylistsPage)
    view = pilot.app.screen.query_one(PlaylistsView)
    assert view.table.items
    return view


def has_the_bars(app: SetlistApp) -> bool:
    return bool(app.screen.query(TopBar)) and bool(app.screen.query(NowPlayingBar))


# -- opening playlists from the Playlists screen


async def test_a_playlist_of_yours_opens_on_the_apps_editable_page_with_its_bars(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        view = await playlists_view(pilot)
        names = [p.name for p in view.table.items]
        view.table.move_cursor(row=names.index("Tone Ladder"))
        await pilot.press("enter")
        await wait_until(pilot=pilot)
        page = app.screen
        assert isinstance(page, PlaylistPage) and has_the_bars(app)
        opened = page.query_one(PlaylistView)
        assert opened.session is not None and opened.session.editable
        assert opened.session.name == "Tone Ladder"
        assert app.focused is opened.table

        await pilot.press("escape")  # back to the list
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, PlaylistsPage)


async def test_a_jamendo_playlist_opens_read_only_with_its_tracks(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        view = await playlists_view(pilot)
        # Public playlists of another catalog, as a search across catalogs lists them.
        view.table.set_items([LATE_NIGHT_CODING, *view.table.items])
        view.table.move_cursor(row=0)
        await pilot.press("enter")
        await wait_until(pilot=pilot)
        page = app.screen
        assert isinstance(page, PlaylistPage) and has_the_bars(app)
        assert not page.query(PlaylistView)  # no edit session: it is not a YourMusic one
        table = page.query_one(TrackTable)
        assert table.row_count == 5 and {r.track.provider for r in table.rows} == {"jamendo"}
        assert not [n for n in app._notifications if n.severity == "error"]


# -- keys while a track list has the focus


async def test_the_arrows_seek_while_a_track_list_has_the_focus(server, secrets):
    player, app = await queued_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_until(pilot=pilot)
        assert isinstance(app.focused, TrackTable)
        await pilot.press("right", "left", "shift+right", "shift+left", "l", "H")
        await wait_until(pilot=pilot)
        seeks = [args for name, args in player.calls if name == "seek"]
        arrows = [(5.0, True), (-5.0, True), (30.0, True), (-30.0, True)]
        assert seeks == [*arrows, (5.0, True), (-30.0, True)]
        keys = {k.description: k.keys for k in key_help(app, app.screen)}
        assert keys["Seek +5 s"] == "l, →" and keys["Seek -5 s"] == "h, ←"
        assert not any("Scroll" in description for description in keys)


async def test_space_selects_in_a_track_list_and_pauses_everywhere_else_p_pauses_too(
    server, secrets
):
    player, app = await queued_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)  # home: the sections have the focus
        await pilot.press("space")
        await wait_until(pilot=pilot)
        assert player.calls.count(("toggle", None)) == 1

        await playlists_view(pilot)  # a list of playlists has the focus
        await pilot.press("space")
        await wait_until(pilot=pilot)
        assert player.calls.count(("toggle", None)) == 2

        await pilot.press("4")  # the queue: a track list has the focus
        await wait_until(pilot=pilot)
        table = app.screen.query_one("#queue", TrackTable)
        await pilot.press("space")
        await wait_until(pilot=pilot)
        assert player.calls.count(("toggle", None)) == 2
        assert len(table.selected_keys) == 1
        keys = {key.key: key.description for key in app.screen.query_one(Footer).query("FooterKey")}
        assert keys.get("space") == "Select"  # the footer says which it is
        await pilot.press("p")  # and p pauses in a track list too
        await wait_until(pilot=pilot)
        assert player.calls.count(("toggle", None)) == 3


# -- the footer


@pytest.mark.parametrize("place", ["queue", "playlist"])
async def test_the_footer_of_a_track_list_fits_in_100_columns(server, secrets, place):
    _player, app = await queued_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        if place == "queue":
            await pilot.press("4")
        else:
            view = await playlists_view(pilot)
            view.table.move_cursor(row=0)
            await pilot.press("enter")
        await wait_until(pilot=pilot)
        assert isinstance(app.focused, TrackTable)
        footer = app.screen.query_one(Footer)
        assert footer.max_scroll_x == 0, "the footer's keys run off its right edge"
        shown = {key.description for key in footer.query("FooterKey") if key.display}
        assert {"Play", "Select", "Add to playlist", "Remove", "Keys"} <= shown
        assert "Move" in str(footer.query_one("FooterLabel").render())  # K and J together

        await pilot.press("question_mark")  # what the footer leaves out, the help has
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, HelpScreen)
        described = {k.description for k in app.screen.keys}
        assert {"Queue", "Select range", "Undo", "Move up", "Move down", "To top"} <= described
        if place == "playlist":
            assert {"Rename", "Public/private", "Reload"} <= described


async def test_the_queue_marks_the_playing_entry_through_the_tables_hook(server, secrets):
    player, app = await queued_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_until(pilot=pilot)
        table = app.screen.query_one("#queue", TrackTable)
        first, second = player.queue.entries[:2]
        assert table.playing_key == first.id
        player.start(second)
        await wait_until(pilot=pilot)
        assert table.playing_key == second.id
        marked = [y for y in range(1, 6) if "▶" in table.render_line(y).text]
        assert marked == [2]


# -- the Playlists tab of Search


async def test_the_playlists_tab_of_search_shows_owner_and_track_count(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("2")
        await wait_until(lambda: isinstance(app.screen, SearchScreen), pilot=pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        search.query_one("#query", Input).focus()
        await pilot.press(*"o", "enter")  # matches playlists of both catalogs
        table = search.table("playlists")
        await wait_until(lambda: not table.loading and table.row_count, pilot=pilot)
        rows = {
            (p.provider, p.name): [str(cell) for cell in table.get_row_at(i)]
            for i, p in enumerate(table.items)
        }
    # Playlist, Owner, Tracks, Provider
    assert rows["yourmusic", "Tone Ladder"][1:3] == ["you", "5"]
    assert rows["yourmusic", "Robin's Road Trip"][1:3] == ["someone else", "3"]
    assert rows["jamendo", "Late Night Coding"][1:3] == ["demo_listener", "—"]
