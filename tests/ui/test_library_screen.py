"""The Library screen and the library keys (y like, x dislike, F favorite), in the app
(Pilot) against the demo server's Jamendo, signed in as a user signs in."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from app_support import SIZE, screen_text, start_app
from fakes import FakePlayer
from textual.widgets import Input

from setlist.core.accounts import JAMENDO_REDIRECT_URI
from setlist.core.models import Album, Artist, Track
from setlist.demo.jm_state import DEMO_USER, JamendoState
from setlist.demo.server import DemoServer
from setlist.store.config import Config
from setlist.ui.app import SetlistApp
from setlist.ui.messages import Open
from setlist.ui.screens.album import AlbumScreen
from setlist.ui.screens.artist import ArtistScreen
from setlist.ui.screens.help import key_help
from setlist.ui.screens.home import HomeScreen, SectionMenu
from setlist.ui.screens.library import LibraryScreen
from setlist.ui.screens.pages import PlaylistPage
from setlist.ui.screens.search import SearchScreen
from setlist.ui.widgets.lists import ItemTable
from setlist.ui.widgets.track_table import TrackTable
from ui_playlist_support import demo_services
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")


def jamendo_state(server: DemoServer) -> JamendoState:
    state = server.ctx.services["jamendo"]
    assert isinstance(state, JamendoState)
    return state


@pytest.fixture
def jamendo(server: DemoServer) -> JamendoState:
    """The demo's Jamendo with no likes, follows or albums: each test starts from none."""
    state = jamendo_state(server)
    state.relations.clear()
    yield state
    state.relations.clear()


async def sign_in_to_jamendo(app: SetlistApp) -> None:
    """As the Accounts screen does it: open the link, paste where the browser lands."""
    client = app.services.jamendo
    assert client is not None
    async with httpx.AsyncClient() as browser:
        approved = await browser.get(client.authorize_url(JAMENDO_REDIRECT_URI))
    await client.exchange(approved.headers["location"], redirect_uri=JAMENDO_REDIRECT_URI)


async def jamendo_track(app: SetlistApp, track_id: str) -> Track:
    client = app.services.jamendo
    assert client is not None
    return await client.track(track_id)


def notes(app: SetlistApp) -> list[str]:
    return [n.message for n in app._notifications]


async def settled(pilot: Any) -> None:
    await wait_until(pilot=pilot)


async def open_library(pilot: Any) -> LibraryScreen:
    await pilot.press("6")
    await settled(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    await wait_until(lambda: not screen.table("liked").loading, pilot=pilot)
    return screen


def liked_titles(screen: LibraryScreen) -> list[str]:
    table = screen.table("liked")
    assert isinstance(table, TrackTable)
    return [row.track.title for row in table.rows]


async def test_like_from_three_screens_then_the_library_lists_them(server, secrets, jamendo):
    night_signal = None
    player = FakePlayer()
    app = await start_app(server, secrets, player)
    await sign_in_to_jamendo(app)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        night_signal = await jamendo_track(app, "1001")
        player.queue.append([night_signal])

        # 1. Search: the first track found for "Blå".
        await pilot.press("2")
        await settled(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        search.query_one("#query", Input).value = "Blå Måndag"
        await pilot.press("enter")
        results = search.query_one("#tracks-table", TrackTable)
        await wait_until(lambda: results.row_count > 0 and app.focused is results, pilot=pilot)
        assert results.rows[0].track.title == "Blå Måndag"
        await pilot.press("y")
        await wait_until(lambda: "Liked “Blå Måndag”." in notes(app), pilot=pilot)
        # The mark shows at once where the track is listed.
        assert "♥ Blå Måndag" in screen_text(app)

        # 2. An album page (Robot Dreams): its second track.
        app.post_message(Open(Album(provider="jamendo", id="606", title="Robot Dreams 🤖")))
        await wait_until(lambda: isinstance(app.screen, AlbumScreen), pilot=pilot)
        album = app.screen
        tracks = album.query_one(TrackTable)
        await wait_until(lambda: tracks.row_count > 0 and app.focused is tracks, pilot=pilot)
        await pilot.press("j", "y")
        await wait_until(lambda: "Liked “Rocket 🚀 Launch”." in notes(app), pilot=pilot)

        # 3. The queue: the track playing there.
        await pilot.press("4")
        await settled(pilot)
        queue = app.screen.query_one("#queue", TrackTable)
        await wait_until(lambda: queue.row_count == 1, pilot=pilot)
        queue.focus()
        await pilot.press("y")
        await wait_until(lambda: "Liked “Night Signal”." in notes(app), pilot=pilot)
        assert "♥ Night Signal" in screen_text(app)

        assert jamendo.related(DEMO_USER.id, "like") == ["1001", "1023", "1013"]
        library = await open_library(pilot)
        await wait_until(lambda: len(liked_titles(library)) == 3, pilot=pilot)
        # The latest like first, each marked as liked.
        assert liked_titles(library) == ["Night Signal", "Rocket 🚀 Launch", "Blå Måndag"]
        text = screen_text(app)
        for title in ("♥ Night Signal", "♥ Rocket 🚀 Launch", "♥ Blå Måndag"):
            assert title in text

        # Enter on a liked track plays it, as in every track list.
        library.table("liked").focus()
        await pilot.press("j", "enter")
        await wait_until(lambda: player.playing is not None, pilot=pilot)
        assert player.playing is not None
        assert player.playing.track.title == "Rocket 🚀 Launch"


async def test_a_refused_like_is_taken_back_and_says_so(server, secrets, jamendo):
    app = await start_app(server, secrets)
    await sign_in_to_jamendo(app)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.post_message(Open(Album(provider="jamendo", id="604", title="Nordlys Jazz")))
        await wait_until(lambda: isinstance(app.screen, AlbumScreen), pilot=pilot)
        tracks = app.screen.query_one(TrackTable)
        await wait_until(lambda: tracks.row_count > 0 and app.focused is tracks, pilot=pilot)
        await wait_until(lambda: app.likes.signed_in is True, pilot=pilot)

        server.faults.add("*/setuser/like*", "jamendo_code", code=4, times=1)
        await pilot.press("y")
        refused = "Not liked: Jamendo refused the like of “Blå Måndag”"
        await wait_until(lambda: any(n.startswith(refused) for n in notes(app)), pilot=pilot)
        # Taken back: no mark, nothing kept, and the message says why.
        assert tracks.rows[0].track not in app.likes
        assert "♥" not in screen_text(app)
        (said,) = [n for n in notes(app) if n.startswith(refused)]
        assert "Jamendo rejected the request" in said
        assert jamendo.related(DEMO_USER.id, "like") == []

        # The next try goes through.
        await pilot.press("y")
        await wait_until(lambda: "Liked “Blå Måndag”." in notes(app), pilot=pilot)
        assert "♥ Blå Måndag" in screen_text(app)
        assert jamendo.related(DEMO_USER.id, "like") == ["1013"]


async def test_signed_out_the_keys_and_the_library_say_how_to_sign_in(server, secrets, jamendo):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await wait_until(lambda: app.likes.signed_in is False, pilot=pilot)
        app.post_message(Open(Album(provider="jamendo", id="604", title="Nordlys Jazz")))
        await wait_until(lambda: isinstance(app.screen, AlbumScreen), pilot=pilot)
        tracks = app.screen.query_one(TrackTable)
        await wait_until(lambda: tracks.row_count > 0 and app.focused is tracks, pilot=pilot)
        before = len(server.requests)
        await pilot.press("space", "space", "y")  # two tracks selected: one message
        await settled(pilot)
        hint = "Sign in to Jamendo to like tracks: press 5 for Accounts."
        assert notes(app).count(hint) == 1
        assert "♥" not in screen_text(app)
        assert not [r for r in server.requests[before:] if "setuser" in r.path]

        library = await open_library(pilot)
        for key in ("liked", "favorites", "artists", "albums", "playlists"):
            await wait_until(lambda k=key: not library.table(k).loading, pilot=pilot)
        lines = screen_text(app).splitlines()
        # One line says it, once, naming the Accounts key.
        assert (
            lines[1].strip()
            == "Sign in to Jamendo to see your likes and follows: press 5 for Accounts."
        )
        assert sum("Sign in" in line for line in lines) == 1
        text = "\n".join(lines)
        assert "Nothing to show while you are signed out of Jamendo." in text


async def test_follow_add_album_and_open_them_from_the_library(server, secrets, jamendo):
    app = await start_app(server, secrets)
    await sign_in_to_jamendo(app)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        library = await open_library(pilot)
        # Empty sections say what to do.
        assert "No liked tracks yet: press y on any Jamendo track." in screen_text(app)

        # y on an artist follows them; on an album adds it (from an artist page).
        app.post_message(Open(Artist(provider="jamendo", id="505", name="🎧 Emoji Collective 🤖")))
        await wait_until(lambda: isinstance(app.screen, ArtistScreen), pilot=pilot)
        releases = app.screen.query_one("#releases", ItemTable)
        await wait_until(lambda: bool(releases.items) and app.focused is releases, pilot=pilot)
        await pilot.press("y")
        await wait_until(
            lambda: "Added “Robot Dreams 🤖” to your albums." in notes(app), pilot=pilot
        )
        await pilot.press("2")
        await settled(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        search.query_one("#query", Input).value = "Emoji"
        await pilot.press("enter", "ctrl+n", "ctrl+n")  # the artists' tab
        artists = search.query_one("#artists-table", ItemTable)
        await wait_until(lambda: bool(artists.items) and app.focused is artists, pilot=pilot)
        await pilot.press("y")
        await wait_until(lambda: "Following “🎧 Emoji Collective 🤖”." in notes(app), pilot=pilot)
        assert jamendo.related(DEMO_USER.id, "fan") == ["505"]
        assert jamendo.related(DEMO_USER.id, "myalbum") == ["606"]

        # x on an artist: said, not sent.
        await pilot.press("x")
        await wait_until(lambda: "Only a track can be disliked." in notes(app), pilot=pilot)

        await pilot.press("6")
        await settled(pilot)
        assert isinstance(app.screen, ArtistScreen)  # opened over the Library: still there
        await pilot.press("escape")
        await settled(pilot)
        assert app.screen is library
        menu = library.query_one("#sections", SectionMenu)
        menu.focus()
        await pilot.press("j", "j")  # Artists you follow
        table = library.table("artists")
        await wait_until(lambda: isinstance(table, ItemTable) and bool(table.items), pilot=pilot)
        await pilot.press("enter", "enter")  # into the list, then open the artist
        await wait_until(lambda: isinstance(app.screen, ArtistScreen), pilot=pilot)
        assert app.screen.artist.id == "505"
        await pilot.press("escape")
        await settled(pilot)
        menu.focus()
        await pilot.press("j")  # Your albums
        albums = library.table("albums")
        await wait_until(lambda: isinstance(albums, ItemTable) and bool(albums.items), pilot=pilot)
        await pilot.press("enter", "enter")
        await wait_until(lambda: isinstance(app.screen, AlbumScreen), pilot=pilot)
        assert app.screen.album.id == "606"
        await pilot.press("escape")
        await settled(pilot)
        menu.focus()
        await pilot.press("j")  # Your playlists (YourMusic's)
        playlists = library.table("playlists")
        await wait_until(
            lambda: isinstance(playlists, ItemTable) and bool(playlists.items), pilot=pilot
        )
        await pilot.press("enter", "enter")
        await wait_until(lambda: isinstance(app.screen, PlaylistPage), pilot=pilot)


async def test_the_now_playing_track_is_liked_when_no_list_has_the_cursor(server, secrets, jamendo):
    player = FakePlayer()
    app = await start_app(server, secrets, player)
    await sign_in_to_jamendo(app)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        player.queue.append([await jamendo_track(app, "1027")])
        player.start()
        assert isinstance(app.screen, HomeScreen)
        app.screen.query_one("#sections", SectionMenu).focus()
        await pilot.press("F")
        await wait_until(
            lambda: (
                "Added “[link=https://example.com]Click[/link]” to your favorites." in notes(app)
            ),
            pilot=pilot,
        )
        assert jamendo.related(DEMO_USER.id, "favorite") == ["1027"]


async def test_a_dislike_in_the_library_takes_the_track_out_of_the_liked_list(
    server, secrets, jamendo
):
    app = await start_app(server, secrets)
    await sign_in_to_jamendo(app)
    client = app.services.jamendo
    assert client is not None
    for track_id in ("1013", "1001"):
        await client.like(track_id)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        library = await open_library(pilot)
        await wait_until(lambda: len(liked_titles(library)) == 2, pilot=pilot)
        await pilot.press("enter")  # from the sections into the liked tracks
        assert app.focused is library.table("liked")
        await pilot.press("x")
        await wait_until(lambda: "Disliked “Night Signal”." in notes(app), pilot=pilot)
        assert liked_titles(library) == ["Blå Måndag"]
        assert jamendo.related(DEMO_USER.id, "like") == ["1013"]
        assert jamendo.related(DEMO_USER.id, "dislike") == ["1001"]


async def test_a_dislike_in_a_filtered_liked_list_keeps_the_rows_the_filter_hid(
    server, secrets, jamendo
):
    app = await start_app(server, secrets)
    await sign_in_to_jamendo(app)
    client = app.services.jamendo
    assert client is not None
    for track_id in ("1013", "1001", "1002"):
        await client.like(track_id)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        library = await open_library(pilot)
        await wait_until(lambda: len(liked_titles(library)) == 3, pilot=pilot)
        everything = liked_titles(library)
        await pilot.press("enter", "ctrl+f", *"neon to", "enter")
        assert liked_titles(library) == ["Neon Tone"]
        await pilot.press("x")
        await wait_until(lambda: "Disliked “Neon Tone”." in notes(app), pilot=pilot)
        await pilot.press("escape")  # the filter goes: the other likes are all there
        assert liked_titles(library) == [t for t in everything if t != "Neon Tone"]


async def test_help_and_the_command_palette_list_the_library_keys(server, secrets, jamendo):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await pilot.press("4")
        await settled(pilot)
        keys = {k.description: k.keys for k in key_help(app, app.screen)}
        assert keys["Like (artist: follow, album: add)"] == "y"
        assert keys["Dislike"] == "x"
        assert keys["Favorite"] == "F"
        assert keys["Library"] == "6"

        await pilot.press("ctrl+p", *"library")
        await settled(pilot)
        await pilot.press("enter")
        await settled(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_a_yourmusic_track_is_not_liked_and_the_message_says_why(server, secrets, jamendo):
    app = await start_app(server, secrets)
    await sign_in_to_jamendo(app)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.post_message(Open(Album(provider="yourmusic", id="2000", title="Tone Studies")))
        await wait_until(lambda: isinstance(app.screen, AlbumScreen), pilot=pilot)
        tracks = app.screen.query_one(TrackTable)
        await wait_until(lambda: tracks.row_count > 0 and app.focused is tracks, pilot=pilot)
        title = tracks.rows[0].track.title
        await pilot.press("y")
        said = f"“{title}” left out: YourMusic has no likes"
        await wait_until(lambda: any(n.startswith(said) for n in notes(app)), pilot=pilot)
        assert "♥" not in screen_text(app)
        assert jamendo.related(DEMO_USER.id, "like") == []


async def test_a_refused_dislike_puts_the_like_back(server, secrets, jamendo):
    app = await start_app(server, secrets)
    await sign_in_to_jamendo(app)
    client = app.services.jamendo
    assert client is not None
    await client.like("1013")
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        app.post_message(Open(Album(provider="jamendo", id="604", title="Nordlys Jazz")))
        await wait_until(lambda: isinstance(app.screen, AlbumScreen), pilot=pilot)
        tracks = app.screen.query_one(TrackTable)
        await wait_until(lambda: tracks.row_count > 0 and app.focused is tracks, pilot=pilot)
        await wait_until(lambda: "♥ Blå Måndag" in screen_text(app), pilot=pilot)

        server.faults.add("*/setuser/dislike*", "jamendo_code", code=4, times=1)
        await pilot.press("x")
        refused = "Not disliked: Jamendo refused the dislike of “Blå Måndag”"
        await wait_until(lambda: any(n.startswith(refused) for n in notes(app)), pilot=pilot)
        assert "♥ Blå Måndag" in screen_text(app)
        assert jamendo.related(DEMO_USER.id, "like") == ["1013"]


async def test_without_jamendo_set_up_the_key_says_what_to_set_up(server, secrets):
    services = demo_services(server, signed_in=secrets)
    assert services.yourmusic is not None and services.jamendo is not None
    await services.yourmusic.auth.load()
    await services.jamendo.aclose()
    services.jamendo = None
    night_signal = Track(provider="jamendo", id="1001", title="Night Signal")
    player = FakePlayer([night_signal])
    player.start()
    app = SetlistApp(services, player, config=Config())  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await wait_until(lambda: app.likes.signed_in is False, pilot=pilot)
        app.set_focus(None)
        await pilot.press("y")
        await settled(pilot)
        (said,) = [n for n in notes(app) if "Jamendo" in n]
        assert said.startswith("Likes, favorites and follows are Jamendo's: Jamendo is not set up")
        assert "client id" in said

        # The Library says the same, and no sign-in line (no sign-in would help).
        library = await open_library(pilot)
        text = screen_text(app)
        assert "Likes, favorites and follows are Jamendo's: Jamendo is not set up" in text
        assert "Sign in to Jamendo" not in text
        assert not library.query_one("#library-hint").display
