"""The search box recalls the searches made before, across a restart; the palette clears them."""

from __future__ import annotations

import pytest
from app_support import SIZE, start_app
from fakes import FakePlayer
from textual.widgets import Input

from setlist.store.search_history import history_file
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")


def box(app) -> Input:
    return app.screen.query_one("#query", Input)


async def test_up_recalls_searches_across_a_restart_and_the_palette_clears_them(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        for query in ("signal", "tone"):
            await pilot.press("slash", "ctrl+u", *query, "enter")
            await wait_until(pilot=pilot)
    assert history_file().exists()

    app = await start_app(server, secrets, FakePlayer())  # the next run
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("slash", *"mor", "up")
        assert box(app).value == "tone"
        await pilot.press("up")
        assert box(app).value == "signal"
        await pilot.press("up")  # the oldest stays
        assert box(app).value == "signal"
        await pilot.press("down")
        assert box(app).value == "tone"
        await pilot.press("down")  # forward past the newest: what was being typed
        assert box(app).value == "mor"

        await pilot.press("ctrl+p", *"clear the search", "enter")
        await wait_until(pilot=pilot)
        assert "Search history cleared." in [n.message for n in app._notifications]
        assert not history_file().exists()
        await pilot.press("slash", "ctrl+u", "up")
        assert box(app).value == ""
