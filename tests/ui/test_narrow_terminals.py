"""The app in narrow and small terminals (Pilot, real demo server): from 60x20 up every
screen fits its width, the lists keep what matters readable, and the footer ends clean."""

from __future__ import annotations

import asyncio

import pytest
from app_support import TONE_STUDIES, release_tracks, screen_text, start_app
from fakes import FakePlayer
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import DataTable, Footer
from textual.widgets._footer import FooterKey

from setlist.core.models import Album, Artist
from setlist.ui.app import SetlistApp
from setlist.ui.messages import Open
from setlist.ui.screens.help import HelpScreen
from setlist.ui.widgets.track_table import TrackTable
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")


async def queued_app(server, secrets) -> SetlistApp:
    tracks = await asyncio.to_thread(release_tracks, server, secrets, TONE_STUDIES)
    player = FakePlayer(tracks)
    player.start()
    return await start_app(server, secrets, player)


async def open_album(pilot: Pilot[None]) -> None:
    await wait_until(pilot=pilot)
    pilot.app.post_message(Open(Album(provider="yourmusic", id=TONE_STUDIES, title="")))
    await wait_until(pilot=pilot)


async def search_tone(pilot: Pilot[None]) -> None:
    await wait_until(pilot=pilot)
    await pilot.press("slash", *"tone", "enter")
    await wait_until(pilot=pilot)


def rows(app: SetlistApp) -> list[str]:
    return screen_text(app).splitlines()


def sideways(app: SetlistApp) -> list[str]:
    """The lists on screen that scroll sideways (their columns are wider than they are)."""
    return [
        f"{type(table).__name__}#{table.id} ({table.max_scroll_x} cells too wide)"
        for table in app.screen.query(DataTable)
        if table.display and table.region.width and table.max_scroll_x > 0
    ]


# -- the footer


@pytest.mark.parametrize("place", ["queue", "album", "home"])
async def test_the_footer_ends_with_the_command_palette_key_and_nothing_after(
    server, secrets, place
):
    app = await queued_app(server, secrets)
    async with app.run_test(size=(60, 20)) as pilot:
        if place == "album":
            await open_album(pilot)
        else:
            await wait_until(pilot=pilot)
            await pilot.press("4" if place == "queue" else "1")
            await wait_until(pilot=pilot)
        assert rows(app)[-1].endswith("^p Commands")
        await pilot.resize_terminal(80, 24)  # a redraw at another width, then back
        await wait_until(pilot=pilot)
        await pilot.resize_terminal(60, 20)
        await wait_until(pilot=pilot)
        assert rows(app)[-1].endswith("^p Commands")


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@pytest.mark.parametrize("place", ["album", "accounts", "queue"])
async def test_the_footer_shows_whole_keys_only(server, secrets, place, size):
    app = await queued_app(server, secrets)
    async with app.run_test(size=size) as pilot:
        if place == "album":
            await open_album(pilot)
        else:
            await wait_until(pilot=pilot)
            await pilot.press("5" if place == "accounts" else "4")
            await wait_until(pilot=pilot)
        footer = app.screen.query_one(Footer)
        assert footer.max_scroll_x == 0, "keys run under the command palette key"
        line = rows(app)[-1]
        shown = [key for key in footer.query(FooterKey) if key.display and key.parent.display]
        assert len(shown) >= 3
        for key in shown:
            label = f"{key.key_display} {key.description}".strip()
            assert label in line, f"{label!r} is not whole in {line!r}"
        if "K J" in line:  # keys that share a label show with it
            assert "K J Move" in line
        await pilot.resize_terminal(120, 36)  # wider: the hidden keys come back
        await wait_until(pilot=pilot)
        assert all(child.display for child in footer.children)
        assert "q Quit" in rows(app)[-1]


# -- lists that scroll sideways instead of fitting


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_home_has_no_list_wider_than_the_screen(server, secrets, size):
    app = await start_app(server, secrets)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot=pilot)
        assert "Morning Commute" in screen_text(app)
        for _section in range(8):  # every section of the home screen in turn
            assert sideways(app) == []
            await pilot.press("j")
            await wait_until(pilot=pilot)


async def test_home_at_60_columns_keeps_each_section_name_on_one_line(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_until(pilot=pilot)
        text = screen_text(app)
        for name in ("Your playlists", "Featured playlists", "Jamendo popular", "Artists A–Z"):
            assert name in text
        assert sideways(app) == []


@pytest.mark.parametrize("tab", ["albums", "playlists"])
async def test_the_search_tabs_shrink_to_60_columns(server, secrets, tab):
    app = await start_app(server, secrets)
    async with app.run_test(size=(60, 20)) as pilot:
        await search_tone(pilot)
        for _ in range(["albums", "artists", "playlists"].index(tab) + 1):
            await pilot.press("ctrl+n")
            await wait_until(pilot=pilot)
        assert sideways(app) == []
        text = screen_text(app)
        if tab == "albums":
            assert "Tone Studies" in text and "The Sine Waves" in text
        else:
            assert "Tone Ladder" in text


async def test_an_artist_and_the_playlists_screen_fit_60_columns(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_until(pilot=pilot)
        pilot.app.post_message(Open(Artist(provider="jamendo", id="501", name="Pulse Garden")))
        await wait_until(pilot=pilot)
        assert "Neon Night Circuits" in screen_text(app)
        assert sideways(app) == []
        await pilot.press("3")
        await wait_until(pilot=pilot)
        assert "Morning Commute" in screen_text(app)
        assert sideways(app) == []


# -- track lists


async def test_an_album_at_60_columns_shows_last_fm_below_readable_titles(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_album(pilot)
        table = app.screen.query_one(TrackTable)
        lastfm = app.screen.query_one("#lastfm")
        assert table.region.width >= 58, "the tracks share the width with Last.fm"
        assert lastfm.display and lastfm.region.y >= table.region.bottom
        assert lastfm.region.width == table.region.width
        text = screen_text(app)
        for title in ("Title", "Artist", "Morning Tone", "Midnight Tone", "The Sine Waves"):
            assert title in text
        assert "Last.fm" in text


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_an_album_page_has_no_album_column_and_titles_whole(server, secrets, size):
    app = await start_app(server, secrets)
    async with app.run_test(size=size) as pilot:
        await open_album(pilot)
        text = screen_text(app)
        assert "Last.fm" in text  # beside the tracks: there is room for both
        for title in ("Morning Tone", "Midnight Tone", "Twilight Tone", "The Sine Waves"):
            assert title in text
        header = next(line for line in text.splitlines() if "Title" in line)
        assert "Album" not in header  # every row would say "Tone Studies" again


async def test_a_narrow_track_list_keeps_titles_and_drops_the_other_columns(server, secrets):
    app = await queued_app(server, secrets)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("4")
        await wait_until(pilot=pilot)
        table = app.screen.query_one(TrackTable)
        widths = {}
        for width in (60, 44, 30, 20):
            title, artist, album = (w for w, _right in table._columns(width)[1:4])
            widths[width] = (title, artist, album)
            assert title >= min(16, width - 12), f"titles cut to {title} cells at {width}"
            assert artist == 0 or artist >= 10
            assert album == 0 or album >= 10
        assert widths[60][2] and not widths[30][2] and not widths[20][1]


# -- help


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 36)])
async def test_help_shows_every_description_and_id_whole(server, secrets, size):
    app = await queued_app(server, secrets)
    async with app.run_test(size=size) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("4")
        await wait_until(pilot=pilot)
        await pilot.press("question_mark")
        await wait_until(pilot=pilot)
        help_ = app.screen
        assert isinstance(help_, HelpScreen)
        [bottom] = [row for row in rows(app) if "Esc closes" in row]
        assert "[keys]" in bottom and "…" not in bottom
        scroller = help_.query_one(VerticalScroll)
        seen: list[str] = []
        while True:
            seen += rows(app)
            if scroller.scroll_y >= scroller.max_scroll_y:
                break
            scroller.scroll_to(y=scroller.scroll_y + scroller.size.height, animate=False)
            await wait_until(pilot=pilot)
        text = "\n".join(seen)
        for key in help_.keys:
            assert key.description in text, f"{key.description!r} is not on one line"
            for id_ in filter(None, key.ids.split(", ")):
                assert id_ in text, f"the id {id_!r} is cut"
