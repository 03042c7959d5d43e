"""Snapshots of the playlist screens and the picker on the demo data (100x30, nothing blinks)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from setlist.core.models import Track
from setlist.core.playlist_edits import PlaylistSessions
from setlist.demo.server import DemoServer
from setlist.providers.yourmusic import YourMusicClient
from setlist.store.secret_fallbacks import MemoryStore
from setlist.ui.screens.playlist import PlaylistView
from setlist.ui.screens.playlist_picker import PlaylistPicker
from setlist.ui.screens.playlists import PlaylistsView
from ui_playlist_support import PlaylistScreen, PlaylistsScreen, ResultsScreen, ScreenApp
from waiting import wait_until
from yourmusic_support import client_for, private_demo, sign_in

SIZE = (100, 30)
TONE_LADDER = "7a127812-f29c-5ee5-86a1-1474291fd493"
WEIRD_NAMES = "531639f0-767d-5aa6-8b79-7bd2998c07df"
Snap = Callable[..., bool]


@pytest.fixture(scope="module")
def store(server: DemoServer) -> MemoryStore:
    """The demo listener's session, so each app's client is signed in without a request."""
    store = MemoryStore()

    async def sign_in_once() -> None:
        async with client_for(server, store) as client:
            await sign_in(client)

    asyncio.run(sign_in_once())
    return store


@pytest.fixture(scope="module")
def found(server: DemoServer, store: MemoryStore) -> list[Track]:
    """Two demo tracks, as a search would have found them."""

    async def fetch() -> list[Track]:
        async with client_for(server, store) as client:
            return [await client.track("3010"), await client.track("3011")]

    return asyncio.run(fetch())


def app_for(
    server: DemoServer, store: MemoryStore, screen: Callable[[PlaylistSessions], Screen[Any]]
) -> ScreenApp:
    client: YourMusicClient = client_for(server, store)
    sessions = PlaylistSessions(client)
    return ScreenApp(lambda: screen(sessions), closing=[client])


async def playlist_loaded(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await wait_until(lambda: app.screen.query(PlaylistView), pilot=pilot)
    view = app.screen.query_one(PlaylistView)
    await wait_until(lambda: view.session is not None and not view.table.loading, pilot=pilot)


async def playlists_loaded(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await wait_until(lambda: app.screen.query(PlaylistsView), pilot=pilot)
    view = app.screen.query_one(PlaylistsView)
    await wait_until(lambda: view.table.items and not view.table.loading, pilot=pilot)


def test_your_playlists(snap_compare: Snap, server: DemoServer, store: MemoryStore) -> None:
    app = app_for(server, store, PlaylistsScreen)
    assert snap_compare(app, terminal_size=SIZE, run_before=playlists_loaded, press=["j"])


def test_public_playlists_found_by_name(
    snap_compare: Snap, server: DemoServer, store: MemoryStore
) -> None:
    async def search(pilot: Pilot[Any]) -> None:
        await playlists_loaded(pilot)
        await pilot.press("f", *"o", "enter")
        view = pilot.app.screen.query_one(PlaylistsView)
        await wait_until(lambda: len(view.table.items) > 4, pilot=pilot)

    app = app_for(server, store, PlaylistsScreen)
    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_a_playlist_with_a_selection(
    snap_compare: Snap, server: DemoServer, store: MemoryStore
) -> None:
    app = app_for(server, store, lambda sessions: PlaylistScreen(TONE_LADDER, sessions))
    # Row 2 selected, then a range over rows 4..5 being drawn, the cursor on row 5.
    keys = ["j", "space", "j", "v", "j"]
    assert snap_compare(app, terminal_size=SIZE, run_before=playlist_loaded, press=keys)


def test_hostile_titles_stay_plain_text(
    snap_compare: Snap, server: DemoServer, store: MemoryStore
) -> None:
    app = app_for(server, store, lambda sessions: PlaylistScreen(WEIRD_NAMES, sessions))
    assert snap_compare(app, terminal_size=SIZE, run_before=playlist_loaded)


def test_an_empty_playlist(snap_compare: Snap) -> None:
    with private_demo() as server:  # this one gets a new playlist
        store = MemoryStore()

        async def make_one() -> str:
            async with client_for(server, store) as client:
                await sign_in(client)
                return (await client.create_playlist("Fresh start")).id

        playlist_id = asyncio.run(make_one())
        app = app_for(server, store, lambda sessions: PlaylistScreen(playlist_id, sessions))
        assert snap_compare(app, terminal_size=SIZE, run_before=playlist_loaded)


def test_the_picker(
    snap_compare: Snap, server: DemoServer, store: MemoryStore, found: list[Track]
) -> None:
    async def open_picker(pilot: Pilot[Any]) -> None:
        await pilot.press("plus")
        await wait_until(lambda: isinstance(pilot.app.screen, PlaylistPicker), pilot=pilot)
        picker = pilot.app.screen
        await wait_until(lambda: picker.playlists, pilot=pilot)

    app = results_app(server, store, found)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_picker)


def test_the_picker_filtered_offers_a_new_playlist(
    snap_compare: Snap, server: DemoServer, store: MemoryStore, found: list[Track]
) -> None:
    async def filter_picker(pilot: Pilot[Any]) -> None:
        await pilot.press("space", "space", "plus")  # both tracks
        await wait_until(lambda: isinstance(pilot.app.screen, PlaylistPicker), pilot=pilot)
        picker = pilot.app.screen
        await wait_until(lambda: picker.playlists, pilot=pilot)
        await pilot.press(*"tone")

    app = results_app(server, store, found)
    assert snap_compare(app, terminal_size=SIZE, run_before=filter_picker)


def results_app(server: DemoServer, store: MemoryStore, found: list[Track]) -> ScreenApp:
    """Tracks as a search shows them, the cursor on the first."""
    client = client_for(server, store)
    sessions = PlaylistSessions(client)
    return ScreenApp(lambda: ResultsScreen(found, sessions), closing=[client])
