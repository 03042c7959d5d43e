"""Sort and filter in the app on the demo catalog: by key, and from the command palette."""

from __future__ import annotations

import pytest
from app_support import SIZE, start_app
from fakes import FakePlayer

from setlist.core.track_view import fold
from setlist.ui.widgets.track_table import TrackTable
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")


def titles(table: TrackTable) -> list[str]:
    return [r.track.title for r in table.rows]


async def test_search_results_sort_and_filter_from_keys_and_the_palette(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("slash", *"tone", "enter")
        await wait_until(pilot=pilot)
        table = app.screen.query_one("#tracks-table", TrackTable)
        assert app.focused is table
        found = titles(table)
        assert len(found) > 2

        await pilot.press("ctrl+p", *"sort the list", "enter")
        await wait_until(pilot=pilot)
        assert titles(table) == sorted(found, key=fold)
        await pilot.press("O")
        assert titles(table) == sorted(found, key=fold, reverse=True)

        await pilot.press("ctrl+p", *"filter the list", "enter")
        await wait_until(pilot=pilot)
        await pilot.press(*"mrn")  # Morning Tone, fuzzily
        assert titles(table) == [
            t for t in sorted(found, key=fold, reverse=True) if fold(t).startswith("morning")
        ]
        assert "Filter: mrn" in table.render_line(0).text
        await pilot.press("escape")
        assert sorted(titles(table)) == sorted(found)
        assert app.screen.__class__.__name__ == "SearchScreen"  # escape went to the filter


async def test_play_the_album_plays_all_of_it_in_order_whatever_the_view(server, secrets):
    from setlist.core.models import Album
    from setlist.ui.messages import Open

    player = FakePlayer()
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Album(provider="yourmusic", id="2000", title="")))
        await wait_until(lambda: app.screen.__class__.__name__ == "AlbumScreen", pilot=pilot)
        await wait_until(pilot=pilot)
        table = app.screen.query_one(TrackTable)
        await wait_until(lambda: table.row_count > 2, pilot=pilot)
        in_order = titles(table)
        await pilot.press("S", "O", "ctrl+f", *in_order[1].split()[0], "enter")
        assert len(titles(table)) < len(in_order)
        await pilot.press("P")
        await wait_until(pilot=pilot)
        name, (tracks, where) = player.calls[-1]
        assert (name, where) == ("add", "now")
        assert [t.title for t in tracks] == in_order
