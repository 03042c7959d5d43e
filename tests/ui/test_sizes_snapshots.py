"""Every screen of the app at 60x20, 80x24 and 120x36 (snapshots, on the demo catalog).

One app run per screen and size: Tone Studies queued, its second track playing
2 s in (a fake player: no clock), nothing blinking, config discovery kept out,
every worker finished before the picture is taken. Each SVG was looked at
before it was accepted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from app_support import TONE_STUDIES, make_app, playing_player
from textual.pilot import Pilot
from textual.widgets import Input

from setlist.core.errors import SetlistError
from setlist.core.models import Album, Artist, Playlist
from setlist.store.config import Config
from setlist.ui.app import SetlistApp
from setlist.ui.messages import Open
from setlist.ui.screens.playlist_picker import PlaylistPicker
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")

SIZES = {"60x20": (60, 20), "80x24": (80, 24), "120x36": (120, 36)}
TONE_LADDER = "7a127812-f29c-5ee5-86a1-1474291fd493"  # a playlist of the demo listener's
Steps = Callable[[Pilot[None]], Awaitable[None]]


def opening(item: Album | Artist | Playlist) -> Steps:
    async def steps(pilot: Pilot[None]) -> None:
        pilot.app.post_message(Open(item))

    return steps


def pressing(*keys: str) -> Steps:
    async def steps(pilot: Pilot[None]) -> None:
        for key in keys:
            await pilot.press(key)
            await wait_until(pilot=pilot)

    return steps


def searching(query: str, tab: int) -> Steps:
    """`query` searched, then ctrl+n `tab` times (0: tracks ... 3: playlists)."""

    async def steps(pilot: Pilot[None]) -> None:
        await pilot.press("slash")
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.press(*query, "enter")
        await wait_until(pilot=pilot)
        for _ in range(tab):
            await pilot.press("ctrl+n")
            await wait_until(pilot=pilot)

    return steps


async def picker(pilot: Pilot[None]) -> None:
    await pilot.press("4")
    await wait_until(pilot=pilot)
    await pilot.press("plus")
    await wait_until(lambda: isinstance(pilot.app.screen, PlaylistPicker), pilot=pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PlaylistPicker)
    await wait_until(lambda: screen.playlists, pilot=pilot)
    for box in screen.query(Input):
        box.cursor_blink = False


SCREENS: dict[str, Steps] = {
    "home": pressing(),
    "search-tracks": searching("tone", 0),
    "search-albums": searching("tone", 1),
    "search-artists": searching("pulse", 2),
    "search-playlists": searching("tone", 3),
    "album": opening(Album(provider="yourmusic", id=TONE_STUDIES, title="")),
    "artist": opening(Artist(provider="jamendo", id="501", name="Pulse Garden")),
    "playlists": pressing("3"),
    "playlist": opening(Playlist(provider="yourmusic", id=TONE_LADDER, name="Tone Ladder")),
    "queue": pressing("4"),
    "help": pressing("4", "question_mark"),
    "library": pressing("6"),
    "accounts": pressing("5"),
    "picker": picker,
}


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen(snap_compare, server, secrets, screen, size):
    steps = SCREENS[screen]

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        await steps(pilot)
        await wait_until(pilot=pilot)

    app = make_app(server, secrets, playing_player(server, secrets))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_starting_screen_when_the_start_failed(snap_compare, size):
    async def opener() -> None:
        await asyncio.sleep(0)
        raise SetlistError("the demo server did not start (port 8765 in use)")

    app = SetlistApp.starting(opener, config=Config())  # type: ignore[arg-type]
    assert snap_compare(app, terminal_size=size, run_before=lambda pilot: wait_until(pilot=pilot))
