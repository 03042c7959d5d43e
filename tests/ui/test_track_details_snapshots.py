"""What a track's details, its lyrics and the artist picker look like at 80 x 24, with
the demo's hostile strings (markup, escape sequences, shell text) shown as they are.
Each SVG was looked at before it was accepted."""

from __future__ import annotations

import pytest
from app_support import make_app, screen_text
from fakes import FakePlayer
from textual.pilot import Pilot

from setlist.ui.app import SetlistApp
from setlist.ui.screens.artist_picker import ArtistPicker
from setlist.ui.screens.lyrics import LyricsScreen
from setlist.ui.screens.track_details import TrackDetailsScreen
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")

SMALL = (80, 24)


def test_track_details_at_80x24(snap_compare, server, secrets):
    player = FakePlayer()

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, SetlistApp) and app.services.jamendo is not None
        await wait_until(pilot=pilot)
        player.queue.append([await app.services.jamendo.track("1027")])
        player.start()
        app.screen.set_focus(None)
        await pilot.press("i")
        await wait_until(lambda: isinstance(app.screen, TrackDetailsScreen), pilot=pilot)
        screen = app.screen
        assert isinstance(screen, TrackDetailsScreen)
        await wait_until(lambda: screen.details is not None, pilot=pilot)
        await wait_until(pilot=pilot)

    app = make_app(server, secrets, player)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_lyrics_at_80x24(snap_compare, server, secrets):
    """Words with markup, an escape sequence and shell text, shown as they are."""
    player = FakePlayer()

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, SetlistApp) and app.services.jamendo is not None
        await wait_until(pilot=pilot)
        player.queue.append([await app.services.jamendo.track("1027")])
        player.start()
        await pilot.press("e")
        await wait_until(lambda: isinstance(app.screen, LyricsScreen), pilot=pilot)
        await wait_until(lambda: "sing along" in screen_text(app), pilot=pilot)

    app = make_app(server, secrets, player)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_artist_picker_at_80x24(snap_compare, server, secrets):
    """A guest's track on another artist's album: which of the two to open."""
    player = FakePlayer()

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, SetlistApp) and app.services.jamendo is not None
        await wait_until(pilot=pilot)
        player.queue.append([await app.services.jamendo.track("1031")])
        player.start()
        app.screen.set_focus(None)
        await pilot.press("o")
        await wait_until(lambda: isinstance(app.screen, ArtistPicker), pilot=pilot)
        await wait_until(pilot=pilot)

    app = make_app(server, secrets, player)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
