"""What a track's details look like at 80 x 24, with the demo's hostile music info
(markup, escape sequences, shell text) shown as it is. The SVG was looked at before
it was accepted."""

from __future__ import annotations

import pytest
from app_support import make_app
from fakes import FakePlayer
from textual.pilot import Pilot

from setlist.ui.app import SetlistApp
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
