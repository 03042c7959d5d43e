"""Jamendo: the authorize address to open anywhere, and the address (or code) pasted back."""

from __future__ import annotations

import webbrowser

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, ContentSwitcher, Input, Label, Static

from setlist.core.accounts import JAMENDO_REDIRECT_URI
from setlist.core.errors import SetlistError
from setlist.services import Services
from setlist.ui.screens.sign_in.panel import Panel, Status, _error, _input

OPENED = "Opened in your browser."
NO_BROWSER = (
    "No browser here: copy the address above (Copy address, or select it with the mouse "
    "and press ctrl+c) and open it on any machine."
)
COPIED = "Copied the address (through the terminal, which may ask to allow it)."
# Browsers that run in the terminal itself: under the app, they would fight it for the screen.
_TERMINAL_BROWSERS = frozenset({"www-browser", "links", "elinks", "lynx", "w3m"})


def open_in_browser(url: str) -> bool:
    """Open `url` in the user's browser (webbrowser's choice, $BROWSER first); whether it did."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:  # none found
        return False
    if getattr(browser, "name", "") in _TERMINAL_BROWSERS:
        return False
    try:
        return bool(browser.open(url))
    except OSError:
        return False


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
                said = Static("", id="jm-said", classes="help", markup=False)
                said.display = False  # until a button has something to say
                yield said
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
        # A link as well (OSC 8): the terminal's "copy link" takes it whole, wrapped or not.
        # Only printable ASCII goes inside the escape sequence (the base URL is the config's).
        link = self.url if self.url.isascii() and self.url.isprintable() else None
        self.query_one("#jm-url", Static).update(
            Text(self.url, style=Style(underline=True, link=link))
        )
        self.say("")

    @work(exclusive=True, group="jamendo", exit_on_error=False)
    async def refresh_status(self) -> None:
        client = self.services.jamendo
        if client is None:
            self.post_message(Status("Not set up."))
        elif await client.oauth.signed_in():
            self.post_message(Status("Signed in to Jamendo.", "jm-signed-in", focus=True))
        else:
            self.new_address()
            self.post_message(Status("Not signed in.", "jm-paste", focus=True))

    def say(self, text: str) -> None:
        """What the last button did, under the buttons."""
        said = self.query_one("#jm-said", Static)
        said.update(text)
        said.display = bool(text)

    @on(Button.Pressed, "#jm-open")
    @work(exclusive=True, group="jamendo-open", thread=True, exit_on_error=False)
    def open_address(self) -> None:
        # A thread: finding a browser can run programs (xdg-settings), opening one too.
        opened = open_in_browser(self.url)
        self.app.call_from_thread(self.say, OPENED if opened else NO_BROWSER)

    @on(Button.Pressed, "#jm-copy")
    def copy_address(self) -> None:
        self.app.copy_to_clipboard(self.url)
        self.say(COPIED)

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
