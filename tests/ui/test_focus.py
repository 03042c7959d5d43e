"""Where the keys go: leaving screens by their number keys, and which widget has the focus."""

from __future__ import annotations

import pytest
from app_support import SIZE, screen_text, start_app
from fakes import FakePlayer
from textual.widgets import Button, Input, TabbedContent

from setlist.demo.catalog import DEMO_EMAIL
from setlist.store.config import Config
from setlist.ui.screens.sign_in import SignInScreen
from waiting import wait_until
from yourmusic_support import signed_in_secrets

pytestmark = pytest.mark.usefixtures("no_config_discovery")


@pytest.fixture
def own_session(server):
    """A session of the test's own: signing it out leaves the module's one signed in."""
    return signed_in_secrets(server)


async def test_a_number_key_leaves_the_accounts_screen_for_good(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("5")
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("tab", "4")  # out of the email field, then to the queue
        await wait_until(pilot=pilot)
        assert app.current_mode == "queue"
        await pilot.press("1")
        await wait_until(pilot=pilot)
        assert app.current_mode == "home"
        assert app.screen.__class__.__name__ == "HomeScreen"

        await pilot.press("5")  # and a number key for the screen Accounts was opened over
        await wait_until(pilot=pilot)
        await pilot.press("tab", "1")
        await wait_until(pilot=pilot)
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
        await wait_until(pilot=pilot)
        await pilot.press("slash", *words, "enter")
        await wait_until(pilot=pilot)
        while app.screen.query_one(TabbedContent).active != tab:
            await pilot.press("ctrl+n")
            await wait_until(pilot=pilot)
        table = app.screen.query_one(f"#{tab}-table")
        assert table.row_count
        assert app.focused is table
        await pilot.press("enter")
        await wait_until(pilot=pilot)
        assert app.screen.__class__.__name__ == page


async def test_escape_from_the_search_box_goes_to_the_tabs_list(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("slash", *"tone", "enter")
        await wait_until(pilot=pilot)
        await pilot.press("ctrl+n", "slash", "escape")  # Albums, then the box and out of it
        await wait_until(pilot=pilot)
        albums = app.screen.query_one("#albums-table")
        assert app.focused is albums
        await pilot.press("enter")
        await wait_until(pilot=pilot)
        assert app.screen.__class__.__name__ == "AlbumScreen"


async def test_accounts_focus_follows_what_the_screen_offers(server, own_session):
    app = await start_app(server, own_session, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("5")
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, SignInScreen)
        assert "esc Close" in screen_text(app).splitlines()[-1]  # the footer says how to leave

        sign_out = app.screen.query_one("#ym-sign-out", Button)
        assert app.focused is sign_out  # signed in: Enter presses the button on show
        await pilot.press("enter")
        await wait_until(pilot=pilot)
        email = app.screen.query_one("#ym-email-input", Input)
        assert app.focused is email  # signed out: the next thing to do is type an address
        await pilot.press(*DEMO_EMAIL)
        assert email.value == DEMO_EMAIL


async def test_signed_out_the_app_names_the_accounts_key_not_a_command(server, own_session):
    app = await start_app(server, own_session, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("5")
        await wait_until(pilot=pilot)
        await pilot.click("#ym-sign-out")
        await wait_until(pilot=pilot)
        await pilot.press("escape", "3")  # the playlists of an account no one is signed in to
        await wait_until(pilot=pilot)
        shown = " ".join(screen_text(app).split())  # the note wraps
        assert (
            "Sign in to YourMusic to see your playlists and make new ones: press 5 for Accounts."
            in shown
        )


async def test_a_refused_sign_in_names_the_accounts_key_not_a_command(server, secrets):
    server.faults.add("/yourmusic/playlists", "status", status=401, method="GET")
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("3")
        await wait_until(pilot=pilot)
        shown = " ".join(screen_text(app).split())  # the message wraps
        assert "setlist login" not in shown
        assert "sign in again on the Accounts screen (press 5)." in shown


async def test_the_accounts_key_named_is_the_one_the_config_gives(server, secrets):
    server.faults.add("/yourmusic/playlists", "status", status=401, method="GET")
    config = Config(keys={"go.accounts": "A"})
    app = await start_app(server, secrets, FakePlayer(), config=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("3")
        await wait_until(pilot=pilot)
        shown = " ".join(screen_text(app).split())
        assert "sign in again on the Accounts screen (press A)." in shown
