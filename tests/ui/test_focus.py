"""Where the keys go: leaving screens by their number keys, and which widget has the focus."""

from __future__ import annotations

import pytest
from app_support import (
    SIZE,
    _no_config_discovery,
    _no_leftover_faults,
    screen_text,
    secrets,
    server,
    settle,
    start_app,
)
from fakes import FakePlayer
from textual.widgets import Button, Input, TabbedContent

from setlist.demo.catalog import DEMO_EMAIL
from setlist.ui.screens.sign_in import SignInScreen

__all__ = ["_no_config_discovery", "_no_leftover_faults", "secrets", "server"]  # fixtures


async def test_a_number_key_leaves_the_accounts_screen_for_good(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("tab", "4")  # out of the email field, then to the queue
        await settle(pilot)
        assert app.current_mode == "queue"
        await pilot.press("1")
        await settle(pilot)
        assert app.current_mode == "home"
        assert app.screen.__class__.__name__ == "HomeScreen"

        await pilot.press("5")  # and a number key for the screen Accounts was opened over
        await settle(pilot)
        await pilot.press("tab", "1")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "HomeScreen"


@pytest.mark.parametrize(
    ("words", "tab", "page"),
    [
        ("tone", "albums", "AlbumScreen"),
        ("sine", "artists", "ArtistScreen"),
        ("tone", "playlists", "PlaylistPage"),
    ],
)
async def test_the_next_search_tab_takes_the_keys(server, secrets, words, tab, page):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *words, "enter")
        await settle(pilot)
        while app.screen.query_one(TabbedContent).active != tab:
            await pilot.press("ctrl+n")
            await settle(pilot)
        table = app.screen.query_one(f"#{tab}-table")
        assert table.row_count
        assert app.focused is table
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == page


async def test_escape_from_the_search_box_goes_to_the_tabs_list(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"tone", "enter")
        await settle(pilot)
        await pilot.press("ctrl+n", "slash", "escape")  # Albums, then the box and out of it
        await settle(pilot)
        albums = app.screen.query_one("#albums-table")
        assert app.focused is albums
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "AlbumScreen"


async def test_accounts_focus_follows_what_the_screen_offers(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert "esc Close" in screen_text(app).splitlines()[-1]  # the footer says how to leave

        sign_out = app.screen.query_one("#ym-sign-out", Button)
        assert app.focused is sign_out  # signed in: Enter presses the button on show
        await pilot.press("enter")
        await settle(pilot)
        email = app.screen.query_one("#ym-email-input", Input)
        assert app.focused is email  # signed out: the next thing to do is type an address
        await pilot.press(*DEMO_EMAIL)
        assert email.value == DEMO_EMAIL
