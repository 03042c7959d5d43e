"""Accounts: sign in to YourMusic and Jamendo, set the Last.fm key, see who is signed in.

- YourMusic: email → one-time code → (a new address) first name, last name and
  date of birth. Each step checks what was typed before sending it, and says
  plainly what the service refused.
- Jamendo: nothing listens for the redirect, so the screen shows the authorize
  address to open in any browser, and the user pastes the address the browser
  ended on (or just its code).
- Last.fm: an API key, checked with one lookup before it is kept in the
  credential store.

`SignInScreen(services)` dismisses with True when an account changed, and posts
`SignInScreen.AccountChanged` to the app at each change. It resets the app's
playlist sessions (`app_sessions`) on a YourMusic sign-in or sign-out.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Input, Label, Static, TabbedContent, TabPane

from setlist.core.accounts import (
    JAMENDO_REDIRECT_URI,
    LASTFM_KEY_URL,
    birth_date_problem,
    code_problem,
    email_problem,
    name_problem,
)
from setlist.core.errors import AuthenticationError, InvalidRequest, SetlistError
from setlist.core.text import plain
from setlist.providers.lastfm import LastfmClient
from setlist.providers.yourmusic import OnboardingRequired
from setlist.services import LASTFM_ACCOUNT, Services
from setlist.services.demo_identity import DEMO_OTP_CODE, LASTFM_DEMO_API_KEY
from setlist.ui.screens.playlist_picker import app_sessions


@dataclass
class Status(Message, bubble=False):
    """A panel's status line and the step it shows."""

    text: str
    step: str | None = None
    focus: bool = False  # move the focus into the step (after something the user did)


@dataclass
class Problem(Message, bubble=False):
    """An error to show under a form (the field's error line)."""

    where: str  # the id of the error Static
    text: str


class Panel(Vertical):
    """One provider's part of the screen: a status line and its forms."""

    DEFAULT_CSS = """
    Panel { height: auto; padding: 0 1; }
    Panel .status { text-style: bold; margin-bottom: 1; }
    Panel .help { color: $text-muted; margin-bottom: 1; }
    Panel .error { color: $error; height: auto; }
    Panel Label { margin-top: 1; }
    Panel Horizontal { height: auto; margin-top: 1; }
    Panel Button { margin-right: 2; }
    Panel ContentSwitcher { height: auto; }
    Panel ContentSwitcher > Vertical { height: auto; }
    """

    def __init__(self, services: Services, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.services = services

    def changed(self, provider: str, signed_in: bool) -> None:
        screen = self.screen
        if isinstance(screen, SignInScreen):
            screen.changed = True
        self.app.post_message(SignInScreen.AccountChanged(provider, signed_in))

    def problem(self, where: str, text: str) -> None:
        self.post_message(Problem(where, text))

    @on(Problem)
    def show_problem(self, message: Problem) -> None:
        shown = self.query_one(f"#{message.where}", Static)
        shown.update(Text(plain(message.text)))
        shown.display = bool(message.text)

    @on(Status)
    def show_status(self, message: Status) -> None:
        self.query_one(".status", Static).update(Text(plain(message.text)))
        if message.step is not None:
            self.query_one(ContentSwitcher).current = message.step
            if message.focus:
                self.call_after_refresh(self._focus_step, message.step)
        for error in self.query(".error").results(Static):
            error.update("")
            error.display = False

    def _on_active_tab(self) -> bool:
        """Whether this panel is on the tab shown (focusing a hidden one would switch tabs)."""
        pane = next((a for a in self.ancestors if isinstance(a, TabPane)), None)
        tabs = next((a for a in self.ancestors if isinstance(a, TabbedContent)), None)
        return pane is None or tabs is None or tabs.active == pane.id

    def _focus_step(self, step: str) -> None:
        if not self._on_active_tab():
            return
        found = self.query(f"#{step} Input").results(Input)
        first = next(iter(found), None)
        if first is not None:
            first.focus()
        else:
            button = next(iter(self.query(f"#{step} Button").results(Button)), None)
            if button is not None:
                button.focus()


def _input(placeholder: str, id: str, *, password: bool = False) -> Input:
    box = Input(placeholder=placeholder, id=id, password=password)
    box.cursor_blink = False  # a blinking cursor repaints the screen twice a second
    return box


def _error(id: str) -> Static:
    error = Static("", id=id, classes="error")
    error.display = False  # shown with its message
    return error


class YourMusicPanel(Panel):
    def __init__(self, services: Services, *, id: str | None = None) -> None:
        super().__init__(services, id=id)
        self.email = ""
        self.pending: OnboardingRequired | None = None

    def compose(self) -> ComposeResult:
        yield Static("", classes="status")
        if self.services.yourmusic is None:
            yield Static(
                "YourMusic is not set up: set tenant under [yourmusic] in the config "
                "(setlist login --tenant NAME), or try the demo with setlist --demo.",
                classes="help",
                markup=False,
            )
            return
        with ContentSwitcher(initial="ym-email"):
            with Vertical(id="ym-email"):
                yield Label("Email address")
                yield _input("name@example.com", "ym-email-input")
                yield _error("ym-email-error")
                with Horizontal():
                    yield Button("Send code", variant="primary", id="ym-send")
            with Vertical(id="ym-code"):
                yield Static("", id="ym-code-help", classes="help")
                yield Label("Code")
                yield _input("123456", "ym-code-input")
                yield _error("ym-code-error")
                with Horizontal():
                    yield Button("Sign in", variant="primary", id="ym-verify")
                    yield Button("Use another address", id="ym-restart")
            with Vertical(id="ym-onboard"):
                yield Static("", id="ym-onboard-help", classes="help")
                yield Label("First name")
                yield _input("", "ym-first")
                yield _error("ym-first-error")
                yield Label("Last name")
                yield _input("", "ym-last")
                yield _error("ym-last-error")
                yield Label("Date of birth (YYYY-MM-DD)")
                yield _input("1990-04-12", "ym-born")
                yield _error("ym-born-error")
                yield _error("ym-onboard-error")
                with Horizontal():
                    yield Button("Create account", variant="primary", id="ym-create")
                    yield Button("Cancel", id="ym-cancel")
            with Vertical(id="ym-signed-in"), Horizontal():
                yield Button("Sign out", variant="error", id="ym-sign-out")

    def on_mount(self) -> None:
        self.refresh_status()

    @work(exclusive=True, group="yourmusic", exit_on_error=False)
    async def refresh_status(self) -> None:
        client = self.services.yourmusic
        if client is None:
            self.post_message(Status("Not set up."))
            return
        auth = client.auth
        await auth.load()
        session = auth.session
        if auth.uses_env_token:
            self.post_message(Status("Signed in with SETLIST_YOURMUSIC_TOKEN.", "ym-signed-in"))
        elif session is not None and session.kind == "device":
            self.post_message(Status(f"Device mode, for user {session.user_id}.", "ym-signed-in"))
        elif session is not None:
            name = session.user.display_name if session.user else ""
            who = (
                f"{name} <{session.account}>"
                if name and name != session.account
                else session.account
            )
            self.post_message(Status(f"Signed in as {who}.", "ym-signed-in"))
        else:
            self.post_message(Status("Not signed in.", "ym-email", focus=True))

    # -- email

    @on(Input.Submitted, "#ym-email-input")
    @on(Button.Pressed, "#ym-send")
    def send_code(self) -> None:
        email = self.query_one("#ym-email-input", Input).value.strip()
        if problem := email_problem(email):
            self.problem("ym-email-error", problem)
            return
        self._send_code(email)

    @work(exclusive=True, group="yourmusic", exit_on_error=False)
    async def _send_code(self, email: str) -> None:
        assert self.services.yourmusic is not None
        try:
            await self.services.yourmusic.auth.request_code(email)
        except SetlistError as exc:
            self.problem("ym-email-error", exc.message)
            return
        self.email = email
        hint = f" The demo's code is always {DEMO_OTP_CODE}." if self.services.demo else ""
        self.post_message(Problem("ym-code-help", f"A code was sent to {email}.{hint}"))
        self.post_message(Status("Not signed in.", "ym-code", focus=True))

    # -- code

    @on(Input.Submitted, "#ym-code-input")
    @on(Button.Pressed, "#ym-verify")
    def verify(self) -> None:
        code = self.query_one("#ym-code-input", Input).value.strip()
        if problem := code_problem(code):
            self.problem("ym-code-error", problem)
            return
        self._verify(code)

    @work(exclusive=True, group="yourmusic", exit_on_error=False)
    async def _verify(self, code: str) -> None:
        assert self.services.yourmusic is not None
        try:
            outcome = await self.services.yourmusic.auth.verify(self.email, code)
        except InvalidRequest as exc:
            wrong = "code" in exc.fields
            text = "That code is not right, or it has expired. Check it, or ask for a new one."
            self.problem("ym-code-error", text if wrong else exc.message)
            return
        except SetlistError as exc:
            self.problem("ym-code-error", exc.message)
            return
        if isinstance(outcome, OnboardingRequired):
            self.pending = outcome
            text = f"There is no account for {self.email} yet: these details create one."
            self.post_message(Problem("ym-onboard-help", text))
            self.post_message(Status("Not signed in.", "ym-onboard", focus=True))
            return
        self._signed_in()

    @on(Button.Pressed, "#ym-restart")
    @on(Button.Pressed, "#ym-cancel")
    def restart(self) -> None:
        self.query_one("#ym-code-input", Input).value = ""
        self.post_message(Status("Not signed in.", "ym-email", focus=True))

    # -- onboarding

    @on(Input.Submitted, "#ym-onboard Input")
    @on(Button.Pressed, "#ym-create")
    def create_account(self) -> None:
        first = self.query_one("#ym-first", Input).value.strip()
        last = self.query_one("#ym-last", Input).value.strip()
        born = self.query_one("#ym-born", Input).value.strip()
        problems = {
            "ym-first": name_problem(first, "first name"),
            "ym-last": name_problem(last, "last name"),
            "ym-born": birth_date_problem(born),
        }
        for field, problem in problems.items():
            self.problem(f"{field}-error", problem or "")
        self.problem("ym-onboard-error", "")
        wrong = [field for field, problem in problems.items() if problem]
        if wrong:
            self.query_one(f"#{wrong[0]}", Input).focus()
            return
        self._onboard(first, last, born)

    @work(exclusive=True, group="yourmusic", exit_on_error=False)
    async def _onboard(self, first: str, last: str, born: str) -> None:
        assert self.services.yourmusic is not None and self.pending is not None
        try:
            await self.services.yourmusic.auth.onboard(self.pending, first, last, born)
        except SetlistError as exc:
            self.problem("ym-onboard-error", exc.message)
            return
        self._signed_in()

    def _signed_in(self) -> None:
        app_sessions(self.app).reset(self.services.editor)
        self.changed("yourmusic", True)
        self.refresh_status()

    @on(Button.Pressed, "#ym-sign-out")
    def sign_out_pressed(self) -> None:
        self.sign_out()

    @work(exclusive=True, group="yourmusic", exit_on_error=False)
    async def sign_out(self) -> None:
        assert self.services.yourmusic is not None
        await self.services.yourmusic.auth.logout()
        app_sessions(self.app).reset(None)
        self.changed("yourmusic", False)
        self.refresh_status()


class JamendoPanel(Panel):
    def __init__(self, services: Services, *, id: str | None = None) -> None:
        super().__init__(services, id=id)
        self.url = ""

    def compose(self) -> ComposeResult:
        yield Static("", classes="status")
        if self.services.jamendo is None:
            yield Static(
                "Jamendo is not set up: it needs your app's client id (run "
                "setlist login jamendo, or set client_id under [jamendo] in the config).",
                classes="help",
                markup=False,
            )
            return
        with ContentSwitcher(initial="jm-paste"):
            with Vertical(id="jm-paste"):
                yield Static(
                    "1. Open this address in a browser, on any machine, and approve:",
                    markup=False,
                )
                yield Static("", id="jm-url")
                with Horizontal():
                    yield Button("Open in browser", id="jm-open")
                    yield Button("Copy address", id="jm-copy")
                yield Label("2. Paste the address the browser ended on (or just its code)")
                yield _input("http://127.0.0.1/setlist-callback?code=…", "jm-pasted")
                yield _error("jm-error")
                with Horizontal():
                    yield Button("Finish sign-in", variant="primary", id="jm-finish")
            with Vertical(id="jm-signed-in"), Horizontal():
                yield Button("Sign out", variant="error", id="jm-sign-out")

    def on_mount(self) -> None:
        self.refresh_status()

    def new_address(self) -> None:
        assert self.services.jamendo is not None
        self.url = self.services.jamendo.authorize_url(JAMENDO_REDIRECT_URI)
        self.query_one("#jm-url", Static).update(Text(self.url, style="underline"))

    @work(exclusive=True, group="jamendo", exit_on_error=False)
    async def refresh_status(self) -> None:
        client = self.services.jamendo
        if client is None:
            self.post_message(Status("Not set up."))
        elif await client.oauth.signed_in():
            self.post_message(Status("Signed in to Jamendo.", "jm-signed-in"))
        else:
            self.new_address()
            self.post_message(Status("Not signed in.", "jm-paste", focus=True))

    @on(Button.Pressed, "#jm-open")
    def open_address(self) -> None:
        self.app.open_url(self.url)

    @on(Button.Pressed, "#jm-copy")
    def copy_address(self) -> None:
        self.app.copy_to_clipboard(self.url)
        self.notify("The address is on the clipboard.", markup=False, timeout=3)

    @on(Input.Submitted, "#jm-pasted")
    @on(Button.Pressed, "#jm-finish")
    def finish(self) -> None:
        pasted = self.query_one("#jm-pasted", Input).value.strip()
        if not pasted:
            self.problem("jm-error", "Paste the address the browser shows after you approved.")
            return
        self._exchange(pasted)

    @work(exclusive=True, group="jamendo", exit_on_error=False)
    async def _exchange(self, pasted: str) -> None:
        assert self.services.jamendo is not None
        try:
            await self.services.jamendo.exchange(pasted, redirect_uri=JAMENDO_REDIRECT_URI)
        except SetlistError as exc:
            self.problem("jm-error", exc.message)
            return
        self.query_one("#jm-pasted", Input).value = ""
        self.changed("jamendo", True)
        self.refresh_status()

    @on(Button.Pressed, "#jm-sign-out")
    def sign_out_pressed(self) -> None:
        self.sign_out()

    @work(exclusive=True, group="jamendo", exit_on_error=False)
    async def sign_out(self) -> None:
        assert self.services.jamendo is not None
        await self.services.jamendo.sign_out()
        self.changed("jamendo", False)
        self.refresh_status()


class LastfmPanel(Panel):
    def compose(self) -> ComposeResult:
        yield Static("", classes="status")
        yield Static(
            "Album pages show listeners, tags and a summary from Last.fm when a key is set. "
            f"Get a key at {LASTFM_KEY_URL}",
            classes="help",
            markup=False,
        )
        with ContentSwitcher(initial="lf-form"), Vertical(id="lf-form"):
            yield Label("API key")
            yield _input("32 letters and digits", "lf-key", password=True)
            yield _error("lf-error")
            with Horizontal():
                yield Button("Save key", variant="primary", id="lf-save")
                yield Button("Remove key", id="lf-remove")

    def on_mount(self) -> None:
        self.show_key()

    def _base_url(self) -> str:
        endpoints = self.services.demo_endpoints
        return endpoints.lastfm_url if endpoints else self.services.config.lastfm.base_url

    def show_key(self) -> None:
        client = self.services.lastfm
        key = client.api_key if client is not None else None
        if self.services.config.lastfm.api_key:
            text = "Using the key in the config file (lastfm.api_key)."
        elif key == LASTFM_DEMO_API_KEY and self.services.demo:
            text = "Using the demo catalog's key."
        elif key:
            text = f"A key is set (ending in {key[-4:]})."
        else:
            text = "No key: album pages show no Last.fm info."
        self.post_message(Status(text))

    @on(Input.Submitted, "#lf-key")
    @on(Button.Pressed, "#lf-save")
    def save(self) -> None:
        key = self.query_one("#lf-key", Input).value.strip()
        if not key or any(c.isspace() for c in key):
            self.problem("lf-error", "Paste the API key from your Last.fm API account.")
            return
        self._check_and_keep(key)

    @work(exclusive=True, group="lastfm", exit_on_error=False)
    async def _check_and_keep(self, key: str) -> None:
        client = LastfmClient(self._base_url(), key)
        try:
            await client.check_key()
        except AuthenticationError:
            await client.aclose()
            self.problem("lf-error", "Last.fm does not accept this key. Check it and try again.")
            return
        except SetlistError as exc:
            await client.aclose()
            self.problem("lf-error", f"Could not check the key: {exc.message}")
            return
        try:
            await asyncio.to_thread(self.services.secrets.save, "lastfm", LASTFM_ACCOUNT, key)
        except Exception as exc:
            self.problem("lf-error", f"The key works but could not be kept: {exc}")
        await self._use(client)
        self.query_one("#lf-key", Input).value = ""
        self.changed("lastfm", True)
        self.show_key()

    @on(Button.Pressed, "#lf-remove")
    def remove_pressed(self) -> None:
        self.remove_key()

    @work(exclusive=True, group="lastfm", exit_on_error=False)
    async def remove_key(self) -> None:
        try:
            await asyncio.to_thread(self.services.secrets.delete, "lastfm", LASTFM_ACCOUNT)
        except Exception as exc:
            self.problem("lf-error", f"Could not remove the stored key: {exc}")
            return
        fallback = LASTFM_DEMO_API_KEY if self.services.demo else None
        await self._use(LastfmClient(self._base_url(), fallback) if fallback else None)
        self.changed("lastfm", False)
        self.show_key()

    async def _use(self, client: LastfmClient | None) -> None:
        old = self.services.lastfm
        self.services.lastfm = client
        if old is not None and old is not client:
            await old.aclose()


class SignInScreen(Screen[bool]):
    """Accounts and sign-in for every provider; Escape closes it."""

    TITLE = "Accounts"

    DEFAULT_CSS = """
    SignInScreen > #accounts-title { text-style: bold; padding: 0 1; height: 1; }
    SignInScreen TabbedContent { height: 1fr; }
    SignInScreen TabPane { overflow-y: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="sign_in.close"),
    ]

    class AccountChanged(Message):
        """Someone signed in or out of `provider` (or the Last.fm key changed)."""

        def __init__(self, provider: str, signed_in: bool) -> None:
            super().__init__()
            self.provider = provider
            self.signed_in = signed_in

    def __init__(self, services: Services, *, start: str = "yourmusic") -> None:
        super().__init__()
        self.services = services
        self.start = start
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Static("Accounts", id="accounts-title")
        with TabbedContent(initial=self.start):
            with TabPane("YourMusic", id="yourmusic"):
                yield YourMusicPanel(self.services)
            with TabPane("Jamendo", id="jamendo"):
                yield JamendoPanel(self.services)
            with TabPane("Last.fm", id="lastfm"):
                yield LastfmPanel(self.services)

    def action_close(self) -> None:
        self.dismiss(self.changed)
