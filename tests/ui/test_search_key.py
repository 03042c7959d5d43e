"""`/` goes to the search box from every screen, and what is typed next goes into it."""

from __future__ import annotations

import pytest
from app_support import SIZE, start_app
from fakes import FakePlayer
from textual import events
from textual.widgets import Input

from setlist.core.models import Album, Artist
from setlist.ui.messages import Open
from setlist.ui.screens.search import SearchScreen
from setlist.ui.widgets.track_table import TrackTable
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")

TONE_STUDIES = Album(provider="yourmusic", id="2000", title="")
SINE_ARTIST = Artist(provider="jamendo", id="501", name="")


async def go_to(pilot, place: str) -> None:
    """`place`: a number key's screen, or `PAGE@KEY`: a page opened on that key's screen."""
    await wait_until(pilot=pilot)
    page, _, key = place.rpartition("@")
    await pilot.press(key)
    await wait_until(pilot=pilot)
    if page:
        pilot.app.post_message(Open(TONE_STUDIES if page == "album" else SINE_ARTIST))
        await wait_until(pilot=pilot)
        assert pilot.app.screen.__class__.__name__ == f"{page.title()}Screen"
        if page == "album":
            assert pilot.app.focused is pilot.app.screen.query_one(TrackTable)


@pytest.mark.parametrize(
    "place",
    ["1", "3", "4", "album@1", "artist@1", "album@2", "artist@2", "album@3", "album@4"],
)
async def test_slash_opens_the_search_box_from_anywhere(server, secrets, place):
    player = FakePlayer()
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, place)
        await pilot.press("slash", *"signal")
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, SearchScreen)
        box = app.screen.query_one("#query", Input)
        assert app.focused is box
        assert box.value == "signal"
        await pilot.press("enter")
        await wait_until(pilot=pilot)
        assert player.calls == []  # Enter searched; nothing was played
        table = app.screen.query_one("#tracks-table", TrackTable)
        assert [r.track.title for r in table.rows] == ["Night Signal"]


async def test_slash_from_another_screen_leaves_a_page_opened_from_search(server, secrets):
    """From the queue, `/` shows the search box, not the album opened from the results."""
    player = FakePlayer()
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, "album@2")
        await pilot.press("4")
        await wait_until(pilot=pilot)
        await pilot.press("slash", *"tone", "enter")
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#query", Input).value == "tone"
        assert player.calls == []  # the album's track list did not take the Enter


@pytest.mark.parametrize("place", ["album@1", "album@2"])
async def test_a_slash_and_a_word_arriving_together_on_a_page_search_for_the_word(
    server, secrets, place
):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, place)
        for key in ("slash", *"tone"):  # posted at once, as a fast typist's keys arrive
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#query", Input).value == "tone"
