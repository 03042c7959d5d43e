"""Signing in through the accounts screen, end to end against the demo server."""

from __future__ import annotations

import webbrowser
from datetime import date
from pathlib import Path

import httpx
import pytest
from textual.widgets import Input, Static

from setlist.core.accounts import birth_date_problem
from setlist.demo.catalog import DEMO_EMAIL, DEMO_OTP_CODE, LASTFM_DEMO_API_KEY
from setlist.demo.server import DemoServer
from setlist.demo.yourmusic import state_of
from setlist.services import LASTFM_ACCOUNT, Services
from setlist.services.demo_identity import LASTFM_DEMO_API_SECRET
from setlist.services.scrobbling import LASTFM_SECRET_ACCOUNT, LASTFM_SESSION_ACCOUNT
from setlist.ui.screens.playlist_picker import app_sessions
from setlist.ui.screens.sign_in import JamendoPanel, SignInScreen
from ui_playlist_support import ScreenApp, demo_services
from waiting import wait_until


class AccountsApp(ScreenApp):
    def __init__(self, services: Services, start: str = "yourmusic") -> None:
        super().__init__(lambda: SignInScreen(services, start=start), services=services)
        self.changes: list[tuple[str, bool]] = []

    def on_sign_in_screen_account_changed(self, message: SignInScreen.AccountChanged) -> None:
        self.changes.append((message.provider, message.signed_in))


def text_of(app: ScreenApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def status(app: ScreenApp, panel: str) -> str:
    return text_of(app, f"#{panel} .status")


async def focused_input(app: ScreenApp, pilot, input_id: str) -> None:
    await wait_until(
        lambda: isinstance(app.focused, Input) and app.focused.id == input_id, pilot=pilot
    )


async def test_a_new_address_signs_up_with_the_code_and_the_onboarding_form(
    server: DemoServer,
) -> None:
    services = demo_services(server)
    store = services.secrets
    app = AccountsApp(services)
    async with app.run_test(size=(100, 34)) as pilot:
        await focused_input(app, pilot, "ym-email-input")
        assert status(app, "yourmusic") == "Not signed in."
        await pilot.press(*"ada@lovelace", "enter")
        assert text_of(app, "#ym-email-error") == "Enter an email address, like name@example.com."
        await pilot.press(*".test", "enter")

        await focused_input(app, pilot, "ym-code-input")
        help_text = text_of(app, "#ym-code-help")
        assert (
            help_text
            == f"A code was sent to ada@lovelace.test. The demo's code is always {DEMO_OTP_CODE}."
        )
        await pilot.press(*"000000", "enter")
        await wait_until(lambda: text_of(app, "#ym-code-error"), pilot=pilot)
        assert text_of(app, "#ym-code-error").startswith("That code is not right")
        await pilot.press(*["backspace"] * 6, *DEMO_OTP_CODE, "enter")

        await focused_input(app, pilot, "ym-first")
        assert "no account for ada@lovelace.test yet" in text_of(app, "#ym-onboard-help")
        await pilot.press(*"Ada", "tab", *"Lovelace", "tab", *"10-12-1815", "enter")
        assert text_of(app, "#ym-born-error").startswith("Write the date of birth as YYYY-MM-DD")
        app.focused.value = ""
        await pilot.press(*"1985-12-10", "enter")
        await wait_until(lambda: status(app, "yourmusic").startswith("Signed in"), pilot=pilot)

        assert status(app, "yourmusic") == "Signed in as Ada Lovelace <ada@lovelace.test>."
        assert app.changes == [("yourmusic", True)]
        assert app_sessions(app).source is services.yourmusic  # playlists are editable now
        assert app.screen.query_one("#ym-sign-out").display
        await pilot.press("escape")
        await wait_until(lambda: not isinstance(app.screen, SignInScreen), pilot=pilot)

    users = state_of(server.ctx).users.values()
    [ada] = [u for u in users if u.email == "ada@lovelace.test"]
    assert (ada.first_name, ada.last_name, ada.date_of_birth) == ("Ada", "Lovelace", "1985-12-10")
    assert store.load("yourmusic", "ada@lovelace.test") is not None


async def test_a_known_address_signs_in_and_out(server: DemoServer) -> None:
    services = demo_services(server)
    store = services.secrets
    app = AccountsApp(services)
    async with app.run_test(size=(100, 34)) as pilot:
        await focused_input(app, pilot, "ym-email-input")
        await pilot.press(*DEMO_EMAIL, "enter")
        await focused_input(app, pilot, "ym-code-input")
        await pilot.press(*DEMO_OTP_CODE, "enter")
        await wait_until(lambda: status(app, "yourmusic").startswith("Signed in"), pilot=pilot)
        assert DEMO_EMAIL in status(app, "yourmusic")
        await pilot.click("#ym-sign-out")
        await wait_until(lambda: status(app, "yourmusic") == "Not signed in.", pilot=pilot)
        assert app.changes == [("yourmusic", True), ("yourmusic", False)]
        assert app_sessions(app).source is None
    assert store.load("yourmusic", DEMO_EMAIL) is None


async def test_jamendo_paste_the_address_the_browser_ended_on(server: DemoServer) -> None:
    services = demo_services(server)
    store = services.secrets
    app = AccountsApp(services, start="jamendo")
    async with app.run_test(size=(100, 34)) as pilot:
        await focused_input(app, pilot, "jm-pasted")
        panel = app.screen.query_one(JamendoPanel)
        assert status(app, "jamendo") == "Not signed in."
        assert panel.url.startswith(server.jamendo_url + "/oauth/authorize?client_id=")
        assert text_of(app, "#jm-url") == panel.url

        await pilot.press(*"not a code", "enter")
        await wait_until(lambda: text_of(app, "#jm-error"), pilot=pilot)
        assert text_of(app, "#jm-error").startswith("Paste the address the browser shows")

        # What a browser does: the demo approves at once and redirects.
        async with httpx.AsyncClient() as browser:
            landed = (await browser.get(panel.url)).headers["location"]
        assert landed.startswith("http://127.0.0.1/setlist-callback?code=")
        app.focused.value = landed
        await pilot.press("enter")
        await wait_until(lambda: status(app, "jamendo") == "Signed in to Jamendo.", pilot=pilot)
        assert store.load("jamendo", "default") is not None
        assert services.jamendo is not None and await services.jamendo.oauth.signed_in()

        await pilot.click("#jm-sign-out")
        await wait_until(lambda: status(app, "jamendo") == "Not signed in.", pilot=pilot)
        assert store.load("jamendo", "default") is None
        assert app.changes == [("jamendo", True), ("jamendo", False)]


def browser_script(folder: Path, exit_code: int) -> Path:
    """A $BROWSER that notes the address it was given and exits with `exit_code`."""
    script = folder / "browser"
    script.write_text(f'#!/bin/sh\nprintf %s "$1" > "{folder}/opened"\nexit {exit_code}\n')
    script.chmod(0o755)
    return script


@pytest.fixture
def browsers(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No browser but what the test names in $BROWSER (webbrowser looks for them again)."""
    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    return monkeypatch


@pytest.mark.parametrize(
    ("exit_code", "said"),
    [
        (0, "Opened in your browser."),
        (1, "No browser here: copy the address above"),
    ],
)
async def test_open_in_browser_says_what_happened(
    server: DemoServer, tmp_path: Path, browsers: pytest.MonkeyPatch, exit_code: int, said: str
) -> None:
    browsers.setenv("BROWSER", str(browser_script(tmp_path, exit_code)))
    app = AccountsApp(demo_services(server), start="jamendo")
    async with app.run_test(size=(100, 34)) as pilot:
        await focused_input(app, pilot, "jm-pasted")
        panel = app.screen.query_one(JamendoPanel)
        await pilot.click("#jm-open")
        await wait_until(lambda: text_of(app, "#jm-said"), pilot=pilot)
        assert text_of(app, "#jm-said").startswith(said)
        assert (tmp_path / "opened").read_text() == panel.url


async def test_with_no_browser_at_all_open_says_to_copy_the_address(
    server: DemoServer, browsers: pytest.MonkeyPatch
) -> None:
    browsers.setenv("PATH", "/nonexistent")  # no xdg-open, no lynx: nothing to run
    app = AccountsApp(demo_services(server), start="jamendo")
    async with app.run_test(size=(100, 34)) as pilot:
        await focused_input(app, pilot, "jm-pasted")
        await pilot.click("#jm-open")
        await wait_until(lambda: text_of(app, "#jm-said"), pilot=pilot)
        assert text_of(app, "#jm-said").startswith("No browser here: copy the address above")


async def test_the_jamendo_address_is_copied_whole_however_it_wraps(server: DemoServer) -> None:
    app = AccountsApp(demo_services(server), start="jamendo")
    async with app.run_test(size=(80, 34)) as pilot:
        await focused_input(app, pilot, "jm-pasted")
        panel = app.screen.query_one(JamendoPanel)
        shown = app.screen.query_one("#jm-url", Static)
        assert shown.region.height > 1  # wrapped at 80 columns
        # The terminal gets it as one link on every row: "copy link" gives all of it.
        rows = [shown.render_line(y) for y in range(shown.region.height)]
        links = {seg.style.link for row in rows for seg in row if seg.text.strip() and seg.style}
        assert links == {panel.url}
        # A mouse selection across the rows, then ctrl+c: the address, with no line break.
        end = (shown.region.width - 1, shown.region.height - 1)
        await pilot.mouse_down(shown, offset=(0, 0))
        await pilot.hover(shown, offset=end)
        await pilot.mouse_up(shown, offset=end)
        await pilot.press("ctrl+c")
        assert app.clipboard == panel.url
        # Copy address: the same, and it says so.
        await pilot.click("#jm-copy")
        await wait_until(lambda: text_of(app, "#jm-said"), pilot=pilot)
        assert text_of(app, "#jm-said").startswith("Copied the address")
        assert app.clipboard == panel.url


async def test_lastfm_key_is_checked_before_it_is_kept(server: DemoServer) -> None:
    services = demo_services(server)
    store = services.secrets
    app = AccountsApp(services, start="lastfm")
    async with app.run_test(size=(100, 34)) as pilot:
        await wait_until(lambda: status(app, "lastfm"), pilot=pilot)
        assert status(app, "lastfm") == "Using the demo catalog's key."
        app.screen.query_one("#lf-key", Input).focus()
        await pilot.press(*"wrong-key", "enter")
        await wait_until(lambda: text_of(app, "#lf-error"), pilot=pilot)
        assert (
            text_of(app, "#lf-error") == "Last.fm does not accept this key. Check it and try again."
        )
        assert store.load("lastfm", LASTFM_ACCOUNT) is None

        app.focused.value = LASTFM_DEMO_API_KEY
        old_client = services.lastfm
        await pilot.press("enter")
        await wait_until(lambda: store.load("lastfm", LASTFM_ACCOUNT) is not None, pilot=pilot)
        assert store.load("lastfm", LASTFM_ACCOUNT) == LASTFM_DEMO_API_KEY
        assert services.lastfm is not old_client and services.lastfm is not None

        await pilot.click("#lf-remove")
        await wait_until(lambda: store.load("lastfm", LASTFM_ACCOUNT) is None, pilot=pilot)
        assert app.changes == [("lastfm", True), ("lastfm", False)]


async def test_lastfm_saving_the_readmes_demo_key_says_it_was_saved(server: DemoServer) -> None:
    services = demo_services(server)
    store = services.secrets
    app = AccountsApp(services, start="lastfm")
    async with app.run_test(size=(100, 34)) as pilot:
        await wait_until(lambda: status(app, "lastfm"), pilot=pilot)
        before = status(app, "lastfm")
        app.screen.query_one("#lf-key", Input).focus()
        await pilot.press(*"demo-lastfm-key", "enter")
        await wait_until(lambda: store.load("lastfm", LASTFM_ACCOUNT) is not None, pilot=pilot)
        await wait_until(lambda: status(app, "lastfm") != before, pilot=pilot)
        assert status(app, "lastfm") == (
            "Last.fm accepted the key and it is saved. Using the demo catalog's key."
        )
        assert app.screen.query_one("#lf-key", Input).value == ""


def test_dates_of_birth_are_checked_with_clear_messages() -> None:
    today = date(2026, 5, 1)
    assert birth_date_problem("1990-04-12", today) is None
    assert birth_date_problem("12/04/1990", today) == (
        "Write the date of birth as YYYY-MM-DD, for example 1990-04-12."
    )
    assert birth_date_problem("2027-01-01", today) == "The date of birth cannot be in the future."
    assert birth_date_problem("1850-01-01", today) == "Check the year of the date of birth."


async def test_lastfm_sign_in_for_scrobbling_with_the_address_to_open(
    server: DemoServer,
) -> None:
    services = demo_services(server)
    store = services.secrets
    app = AccountsApp(services, start="lastfm")
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(lambda: text_of(app, "#lf-scrobbling"), pilot=pilot)
        assert text_of(app, "#lf-scrobbling").startswith("Scrobbling: not signed in.")
        app.screen.query_one("#lf-secret", Input).focus()
        await pilot.press(*LASTFM_DEMO_API_SECRET, "enter")
        await wait_until(lambda: text_of(app, "#lf-auth-url"), pilot=pilot)
        address = text_of(app, "#lf-auth-url")
        assert "/lastfm/api/auth/?api_key=" in address
        # Not allowed yet: the panel keeps waiting, nothing is stored.
        await pilot.click("#lf-allowed")
        await pilot.pause(0.3)
        assert store.load("lastfm", LASTFM_SESSION_ACCOUNT) is None
        assert app.screen.query_one("#lf-allow").display
        async with httpx.AsyncClient() as browser:  # the user, in a browser anywhere
            (await browser.get(address)).raise_for_status()
        await pilot.click("#lf-allowed")
        await wait_until(
            lambda: text_of(app, "#lf-scrobbling") == "Scrobbling to Last.fm as setlist-demo.",
            pilot=pilot,
        )
        assert store.load("lastfm", LASTFM_SESSION_ACCOUNT)
        assert store.load("lastfm", LASTFM_SECRET_ACCOUNT) == LASTFM_DEMO_API_SECRET
        assert not app.screen.query_one("#lf-allow").display
        assert app.screen.query_one("#lf-secret", Input).value == ""
