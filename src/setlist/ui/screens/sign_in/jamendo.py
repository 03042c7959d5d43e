"""Jamendo: the authorize address to open anywhere, and the address (or code) pasted back."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, ContentSwitcher, Input, Label, Static

from setlist.core.accounts import JAMENDO_REDIRECT_URI
from setlist.core.errors import SetlistError
from setlist.services import Services
from setlist.ui.screens.sign_in.panel import Panel, Status, _error, _input


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
            self.post_message(Status("Signed in to Jamendo.", "jm-signed-in", focus=True))
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
