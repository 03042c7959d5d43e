"""Home's "Jamendo by tag": a tag, an order, and that tag's tracks in that order, by keyboard."""

from __future__ import annotations

import pytest
from app_support import start_app
from fakes import FakePlayer

from setlist.ui.screens.home import TAG_ORDERS, TAGS, SectionMenu
from setlist.ui.widgets.track_table import TrackTable
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")


def titles(table: TrackTable) -> list[str]:
    return [r.track.title for r in table.rows]


async def test_a_tag_in_each_order_by_keyboard(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    jamendo = app.services.jamendo
    assert jamendo is not None
    expected = {
        order: [t.title for t in (await jamendo.tracks_by_tags(["electronic"], order)).items]
        for order, _ in TAG_ORDERS
    }
    assert len({tuple(titles) for titles in expected.values()}) == 4  # four orders, four lists
    assert expected["releasedate_desc"][0] == "[link=https://example.com]Click[/link]"
    async with app.run_test(size=(200, 30)) as pilot:  # wide: the whole title fits
        await wait_until(pilot=pilot)
        menu = app.screen.query_one("#sections", SectionMenu)
        where = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        menu.highlighted = where.index("Jamendo by tag")
        await pilot.press("enter")  # to the tags
        await pilot.press(*["j"] * TAGS.index("electronic"))
        await wait_until(pilot=pilot)
        table = app.screen.query_one("#jm-tags TrackTable", TrackTable)
        assert titles(table) == expected["popularity_week"]
        await pilot.press("enter")  # to the orders
        for order, _ in TAG_ORDERS[1:]:
            await pilot.press("j")
            await wait_until(pilot=pilot)
            assert titles(table) == expected[order], order
        await pilot.press("enter", "enter")  # to the tracks, and play one
        await wait_until(pilot=pilot)
        assert app.focused is table
        assert app.player.calls[-1][0] == "add"
        # The catalog's markup is shown as text, never applied.
        assert "[link=https://example.com]Click[/link]" in table.render_line(1).text
