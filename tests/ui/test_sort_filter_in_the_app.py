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
