"""A range selection (`v`) shows that it is on, how many rows it holds, and which."""

from __future__ import annotations

import pytest
from app_support import SIZE, screen_text, start_app
from fakes import FakePlayer

from setlist.core.models import Album
from setlist.ui.messages import Open
from setlist.ui.widgets.track_table import TrackTable
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")

INDICATOR = "VISUAL · 3 rows selected · v keeps them · Esc clears"


def marked_rows(text: str) -> list[str]:
    """The track titles of the rows drawn with the selection mark."""
    return [line.split()[2] for line in text.splitlines() if line.lstrip("│ ").startswith("●")]


async def test_a_range_selection_says_it_is_on_and_marks_its_rows(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Album(provider="yourmusic", id="2000", title="")))
        await wait_until(pilot=pilot)
        table = app.screen.query_one(TrackTable)
        assert app.focused is table
        before = screen_text(app)
        assert "VISUAL" not in before

        await pilot.press("v", "j", "j")
        await wait_until(pilot=pilot)
        text = screen_text(app)
        assert INDICATOR in text
        titles = [row.track.title.split()[0] for row in table.rows[:3]]
        assert marked_rows(text) == titles

        await pilot.press("v")  # kept: the mode is over, the rows stay selected
        await wait_until(pilot=pilot)
        text = screen_text(app)
        assert "VISUAL" not in text
        assert "Title" in text  # the column names are back
        assert marked_rows(text) == titles

        await pilot.press("escape")
        await wait_until(pilot=pilot)
        text = screen_text(app)
        assert marked_rows(text) == []
