"""Last.fm: an API key, checked with one lookup before it is kept."""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, ContentSwitcher, Input, Label, Static

from setlist.core.accounts import LASTFM_KEY_URL
from setlist.core.errors import AuthenticationError, SetlistError
from setlist.providers.lastfm import LastfmClient
from setlist.services import LASTFM_ACCOUNT
from setlist.services.catalogs import lastfm_client
from setlist.services.demo_identity import LASTFM_DEMO_API_KEY
from setlist.ui.screens.sign_in.panel import Panel, Status, _error, _input


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

    def _client(self, key: str) -> LastfmClient:
        return lastfm_client(self.services.config, self._base_url(), key)

    def _base_url(self) -> str:
        endpoints = self.services.demo_endpoints
        return endpoints.lastfm_url if endpoints else self.services.config.lastfm.base_url

    def show_key(self, *, saved: bool = False) -> None:
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
        if saved:
            # The field clears on success; without this the demo key looks ignored.
            text = f"Last.fm accepted the key and it is saved. {text}"
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
        client = self._client(key)
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
        kept: Exception | None = None
        try:
            await asyncio.to_thread(self.services.secrets.save, "lastfm", LASTFM_ACCOUNT, key)
        except Exception as exc:
            kept = exc
        await self._use(client)
        self.query_one("#lf-key", Input).value = ""
        self.changed("lastfm", True)
        self.show_key(saved=kept is None)
        if kept is not None:  # after the status, which clears the error lines
            self.problem(
                "lf-error", f"The key works for now but could not be kept for next time: {kept}"
            )

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
        await self._use(self._client(fallback) if fallback else None)
        self.changed("lastfm", False)
        self.show_key()

    async def _use(self, client: LastfmClient | None) -> None:
        old = self.services.lastfm
        self.services.lastfm = client
        if old is not None and old is not client:
            await old.aclose()
