"""From any track, its album (b), its artist (o), its details (i), and the lyrics of the
playing track (w): in the app (Pilot) against the demo server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from app_support import SIZE, screen_text, start_app
from fakes import FakePlayer
from test_library_screen import sign_in_to_jamendo
from textual.widgets import Input

from setlist.core.models import Album, Playlist, Track
from setlist.demo.jm_state import JamendoState
from setlist.demo.server import DemoServer
from setlist.ui.app import SetlistApp
from setlist.ui.messages import Open
from setlist.ui.screens.album import AlbumScreen
from setlist.ui.screens.artist import ArtistScreen
from setlist.ui.screens.artist_picker import ArtistPicker
from setlist.ui.screens.help import key_help
from setlist.ui.screens.home import HomeScreen, SectionMenu
from setlist.ui.screens.library import LibraryScreen
from setlist.ui.screens.lyrics import NO_LYRICS, LyricsScreen
from setlist.ui.screens.pages import PlaylistPage
from setlist.ui.screens.search import SearchScreen
from setlist.ui.screens.track_details import TrackDetailsScreen
from setlist.ui.widgets.track_table import TrackTable
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")


@pytest.fixture
def jamendo(server: DemoServer) -> Iterator[JamendoState]:
    """The demo's Jamendo with no likes: each test starts from none."""
    state = server.ctx.services["jamendo"]
    assert isinstance(state, JamendoState)
    state.relations.clear()
    yield state
    state.relations.clear()


def notes(app: SetlistApp) -> list[str]:
    return [n.message for n in app._notifications]


async def settled(pilot: Any) -> None:
    await wait_until(pilot=pilot)


async def jamendo_track(app: SetlistApp, track_id: str) -> Track:
    assert app.services.jamendo is not None
    return await app.services.jamendo.track(track_id)


async def opened(pilot: Any, kind: type, item_id: str) -> None:
    app = pilot.app
    await wait_until(lambda: isinstance(app.screen, kind), pilot=pilot)
    item = app.screen.album if kind is AlbumScreen else app.screen.artist
    assert item.id == item_id


async def test_from_search_results_b_opens_the_album_and_o_the_artist(server: DemoServer, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("2")
        await settled(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        search.query_one("#query", Input).value = "Blå Måndag"
        await pilot.press("enter")
        results = search.query_one("#tracks-table", TrackTable)
        await wait_until(lambda: results.row_count > 0 and app.focused is results, pilot=pilot)
        assert results.rows[0].track.title == "Blå Måndag"
        await pilot.press("b")
        await opened(pilot, AlbumScreen, "604")
        tracks = app.screen.query_one(TrackTable)
        await wait_until(lambda: tracks.row_count == 4, pilot=pilot)
        assert "Nordlys Jazz" in screen_text(app)
        await pilot.press("escape")
        await wait_until(lambda: app.screen is search, pilot=pilot)
        await pilot.press("o")
        await opened(pilot, ArtistScreen, "503")
        await settled(pilot)
        assert "Åsa Ljungström Trio" in screen_text(app)


async def test_a_guest_on_another_artists_album_asks_which_artist(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("2")
        await settled(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        search.query_one("#query", Input).value = "Robot Swing"
        await pilot.press("enter")
        results = search.query_one("#tracks-table", TrackTable)
        await wait_until(lambda: results.row_count > 0 and app.focused is results, pilot=pilot)
        assert results.rows[0].track.title == "Robot Swing (feat. Åsa)"
        await pilot.press("o")
        await wait_until(lambda: isinstance(app.screen, ArtistPicker), pilot=pilot)
        picker = app.screen
        assert isinstance(picker, ArtistPicker)
        assert [a.name for a in picker.artists] == ["Åsa Ljungström Trio", "🎧 Emoji Collective 🤖"]
        text = screen_text(app)
        assert "Which artist of “Robot Swing (feat. Åsa)”?" in text
        await pilot.press("escape")  # nothing opens
        await wait_until(lambda: app.screen is search, pilot=pilot)

        await pilot.press("o")
        await wait_until(lambda: isinstance(app.screen, ArtistPicker), pilot=pilot)
        await pilot.press("down", "enter")  # the album's artist
        await opened(pilot, ArtistScreen, "505")


async def test_from_the_queue_the_keys_open_the_track_under_the_cursor(server, secrets):
    player = FakePlayer()
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        player.queue.append([await jamendo_track(app, "1001"), await jamendo_track(app, "1013")])
        await pilot.press("4")
        await settled(pilot)
        queue = app.screen.query_one("#queue", TrackTable)
        await wait_until(lambda: queue.row_count == 2, pilot=pilot)
        queue.focus()
        await pilot.press("j", "b")  # the second row: Blå Måndag
        await opened(pilot, AlbumScreen, "604")
        await pilot.press("escape")
        await settled(pilot)
        queue.focus()
        await pilot.press("k", "o")  # the first: Night Signal, by Pulse Garden
        await opened(pilot, ArtistScreen, "501")


async def test_from_the_library_the_artist_key_opens_the_artist(server, secrets, jamendo):
    app = await start_app(server, secrets)
    await sign_in_to_jamendo(app)
    assert app.services.jamendo is not None
    await app.services.jamendo.like("1017")
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("6")
        await settled(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        liked = library.table("liked")
        assert isinstance(liked, TrackTable)
        await wait_until(lambda: liked.row_count == 1, pilot=pilot)
        await pilot.press("enter")  # from the sections into the liked tracks
        assert app.focused is liked
        await pilot.press("o")
        await opened(pilot, ArtistScreen, "504")
        await pilot.press("escape")
        await settled(pilot)
        liked.focus()
        await pilot.press("b")
        await opened(pilot, AlbumScreen, "605")


async def test_from_the_now_playing_bar_when_no_list_has_the_cursor(server, secrets):
    player = FakePlayer()
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        player.queue.append([await jamendo_track(app, "1023")])
        player.start()
        assert isinstance(app.screen, HomeScreen)
        app.screen.query_one("#sections", SectionMenu).focus()
        await pilot.press("o")
        await opened(pilot, ArtistScreen, "505")
        app.screen.set_focus(None)
        await pilot.press("b")
        await opened(pilot, AlbumScreen, "606")


async def test_from_home_popular_tracks_and_a_playlist_page(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("j", "j", "j", "tab")  # a home section's tracks
        await settled(pilot)
        listed = app.focused
        assert isinstance(listed, TrackTable)
        await wait_until(lambda: listed.row_count > 0, pilot=pilot)
        assert listed.rows[0].track.title == "Morning Tone"
        await pilot.press("b")
        await opened(pilot, AlbumScreen, "2000")  # Tone Studies

        app.post_message(Open(Playlist(provider="jamendo", id="702", name="Jazz & Rain ☔")))
        await wait_until(lambda: isinstance(app.screen, PlaylistPage), pilot=pilot)
        page = app.screen
        tracks = page.query_one(TrackTable)
        await wait_until(lambda: tracks.row_count > 0, pilot=pilot)
        tracks.focus()
        artist_id = tracks.rows[0].track.artist_id
        await pilot.press("o")
        assert artist_id is not None
        await opened(pilot, ArtistScreen, artist_id)


async def test_on_an_album_page_o_opens_the_artist_of_the_track(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.post_message(Open(Album(provider="yourmusic", id="2000", title="Tone Studies")))
        await wait_until(lambda: isinstance(app.screen, AlbumScreen), pilot=pilot)
        tracks = app.screen.query_one(TrackTable)
        await wait_until(lambda: tracks.row_count > 0 and app.focused is tracks, pilot=pilot)
        await pilot.press("o")
        await opened(pilot, ArtistScreen, "1000")  # The Sine Waves


async def test_a_single_says_it_is_on_no_album(server, secrets):
    player = FakePlayer()
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        player.queue.append([await jamendo_track(app, "1028")])
        player.start()
        app.screen.set_focus(None)
        await pilot.press("b")
        await wait_until(
            lambda: "“$(rm -rf) & <script>” is on no album (a single)." in notes(app), pilot=pilot
        )
        assert isinstance(app.screen, HomeScreen)


async def test_with_nothing_playing_and_no_list_the_keys_say_what_to_do(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.screen.set_focus(None)
        await pilot.press("o")
        await wait_until(
            lambda: "Nothing to open here: put the cursor on a track, or play one." in notes(app),
            pilot=pilot,
        )


async def test_help_and_the_palette_list_the_keys(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        keys = {k.description: k.keys for k in key_help(app, app.screen)}
        assert keys["Go to the album"] == "b"
        assert keys["Go to the artist"] == "o"
        assert keys["Track details"] == "i"
        assert keys["Lyrics of the playing track"] == "e"
        await pilot.press("ctrl+p", *"lyrics")
        await settled(pilot)
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, LyricsScreen), pilot=pilot)


# -- details


async def test_details_show_music_info_as_the_catalog_wrote_it(server, secrets):
    player = FakePlayer()
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        player.queue.append([await jamendo_track(app, "1027")])
        player.start()
        app.screen.set_focus(None)
        await pilot.press("i")
        await wait_until(lambda: isinstance(app.screen, TrackDetailsScreen), pilot=pilot)
        details = app.screen
        await wait_until(lambda: details.details is not None, pilot=pilot)
        await settled(pilot)
        text = screen_text(app)
        assert "[link=https://example.com]Click[/link]" in text
        assert "vocal · [red]male[/red] · en" in text
        assert "[b]drums[/b], ␛[2Jguitar" in text
        assert "<script>, rm -rf /, [link=https://example.com]mood[/link]" in text
        assert "not said by Jamendo" in text  # the explicit flag
        assert "creativecommons.org/licenses/by-sa/3.0/" in text
        assert "1027" in text
        await pilot.press("escape")
        await wait_until(lambda: isinstance(app.screen, HomeScreen), pilot=pilot)


async def test_details_of_a_yourmusic_track_say_whether_it_is_explicit(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.post_message(Open(Album(provider="yourmusic", id="2000", title="Tone Studies")))
        await wait_until(lambda: isinstance(app.screen, AlbumScreen), pilot=pilot)
        tracks = app.screen.query_one(TrackTable)
        await wait_until(lambda: tracks.row_count > 0 and app.focused is tracks, pilot=pilot)
        await pilot.press("i")
        await wait_until(lambda: isinstance(app.screen, TrackDetailsScreen), pilot=pilot)
        details = app.screen
        await wait_until(lambda: details.details is not None, pilot=pilot)
        await settled(pilot)
        text = screen_text(app)
        assert "Morning Tone" in text and "Tone Studies" in text
        assert "Explicit" in text and "YourMusic" in text


# -- lyrics


async def test_lyrics_follow_the_playing_track(server, secrets):
    player = FakePlayer()
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        tracks = [await jamendo_track(app, i) for i in ("1001", "1002", "1027")]
        player.queue.append(tracks)
        player.start()
        await pilot.press("e")
        await wait_until(lambda: isinstance(app.screen, LyricsScreen), pilot=pilot)
        await wait_until(lambda: "Night signal on the wire" in screen_text(app), pilot=pilot)
        assert "[bold]Hold[/bold] the line" in screen_text(app)  # as written, not bold

        await player.next()
        await wait_until(lambda: NO_LYRICS in screen_text(app), pilot=pilot)
        assert "Night signal on the wire" not in screen_text(app)
        assert "Neon Tone" in screen_text(app)

        await player.next()
        await wait_until(lambda: "Click[/link] here to sing along" in screen_text(app), pilot=pilot)
        assert "␛[31mred␛[0m letters, $(rm -rf ~) & <script>" in screen_text(app)


async def test_yourmusic_lyrics_say_the_catalog_has_none(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.post_message(Open(Album(provider="yourmusic", id="2000", title="Tone Studies")))
        await wait_until(lambda: isinstance(app.screen, AlbumScreen), pilot=pilot)
        tracks = app.screen.query_one(TrackTable)
        await wait_until(lambda: tracks.row_count > 0 and app.focused is tracks, pilot=pilot)
        await pilot.press("enter", "e")  # play it, then its lyrics
        await wait_until(lambda: isinstance(app.screen, LyricsScreen), pilot=pilot)
        await wait_until(
            lambda: "YourMusic's catalog has no lyrics" in screen_text(app), pilot=pilot
        )


async def test_lyrics_with_nothing_playing_say_so(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("e")
        await wait_until(lambda: isinstance(app.screen, LyricsScreen), pilot=pilot)
        await settled(pilot)
        assert "Nothing is playing" in screen_text(app)
