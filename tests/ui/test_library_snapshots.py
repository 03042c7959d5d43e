"""What the Library screen looks like at 80 x 24, with the demo catalog's hostile names
(markup, shell text, escape sequences, right-to-left and combining text) shown as
they are. Each SVG was looked at before it was accepted."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from app_support import make_app
from textual.pilot import Pilot

from setlist.core.accounts import JAMENDO_REDIRECT_URI
from setlist.demo.jm_state import DEMO_USER, JamendoState
from setlist.demo.yourmusic import state_of
from setlist.ui.app import SetlistApp
from setlist.ui.screens.library import LibraryScreen
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")

SMALL = (80, 24)
WEIRD_NAMES = "531639f0-767d-5aa6-8b79-7bd2998c07df"  # "[bold]Weird[/bold] Names"
# Liked, the latest first: markup, shell text, right-to-left, combining accents.
LIKED = ("1027", "1028", "1009", "1029", "1013")


@pytest.fixture
def liked(server) -> Iterator[None]:
    """The demo listener likes LIKED on Jamendo, and one playlist's name holds escapes."""
    jamendo = server.ctx.services["jamendo"]
    assert isinstance(jamendo, JamendoState)
    jamendo.relations[DEMO_USER.id] = {
        "like": {track: float(len(LIKED) - n) for n, track in enumerate(LIKED)}
    }
    yourmusic = state_of(server.ctx)
    with yourmusic.lock:
        playlist = yourmusic.playlists[WEIRD_NAMES]
        name, playlist.name = playlist.name, "Escape \x1b[31mRed\x1b[0m [bold]Weird[/bold]"
    yield
    jamendo.relations.clear()
    with yourmusic.lock:
        yourmusic.playlists[WEIRD_NAMES].name = name


async def open_library(pilot: Pilot[None], *keys: str) -> None:
    app = pilot.app
    assert isinstance(app, SetlistApp)
    client = app.services.jamendo
    assert client is not None
    async with httpx.AsyncClient() as browser:
        approved = await browser.get(client.authorize_url(JAMENDO_REDIRECT_URI))
    await client.exchange(approved.headers["location"], redirect_uri=JAMENDO_REDIRECT_URI)
    await wait_until(pilot=pilot)
    await pilot.press("6")
    await wait_until(pilot=pilot)
    screen = app.screen
    assert isinstance(screen, LibraryScreen)
    await wait_until(lambda: screen.table("liked").row_count == len(LIKED), pilot=pilot)
    await pilot.press(*keys)
    await wait_until(pilot=pilot)


def test_library_liked_tracks_at_80x24(snap_compare, server, secrets, liked):
    async def run_before(pilot: Pilot[None]) -> None:
        await open_library(pilot, "enter")  # into the list: the cursor on the first row

    assert snap_compare(make_app(server, secrets), terminal_size=SMALL, run_before=run_before)


def test_library_your_playlists_at_80x24(snap_compare, server, secrets, liked):
    async def run_before(pilot: Pilot[None]) -> None:
        await open_library(pilot, "j", "j", "j", "j")

    assert snap_compare(make_app(server, secrets), terminal_size=SMALL, run_before=run_before)
