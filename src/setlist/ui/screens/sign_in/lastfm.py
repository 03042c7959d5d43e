"""Last.fm: an API key, checked with one lookup before it is kept; and with the API
secret, the desktop sign-in for scrobbling (an address to open anywhere, then the
panel asks Last.fm every few seconds, or at once with "I've allowed it")."""

from __future__ import annotations

import asyncio
import contextlib

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, ContentSwitcher, Input, Label, Static

from setlist.core.accounts import LASTFM_KEY_URL
from setlist.core.errors import AuthenticationError, SetlistError
from setlist.providers.lastfm import LastfmClient
from setlist.providers.lastfm.errors import TokenNotAuthorized
from setlist.services import LASTFM_ACCOUNT
from setlist.services.catalogs import lastfm_client
from setlist.services.demo_identity import LASTFM_DEMO_API_KEY
from setlist.services.scrobbling import SignIn, lastfm_credentials, spool_for
from setlist.ui.screens.sign_in.jamendo import open_in_browser
from setlist.ui.screens.sign_in.panel import Panel, Status, _error, _input

POLL = 5.0  # seconds between two questions to Last.fm while the user allows setlist


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
        yield Static("", id="lf-scrobbling", classes="help", markup=False)
        yield Label("API secret, to scrobble")
        yield _input("the secret of the same API account", "lf-secret", password=True)
        yield _error("lf-scrobble-error")
        with Horizontal():
            yield Button("Sign in to scrobble", id="lf-scrobble")
        with Vertical(id="lf-allow"):
            yield Static("Open this address in a browser, on any machine, and allow setlist:")
            yield Static("", id="lf-auth-url")
            with Horizontal():
                yield Button("Open in browser", id="lf-open")
                yield Button("I've allowed it", variant="primary", id="lf-allowed")

    def on_mount(self) -> None:
        self.auth_url = ""
        self._allowed = asyncio.Event()
        self.query_one("#lf-allow").display = False
        self.show_key()
        self.show_scrobbling()

    @work(exclusive=True, group="lastfm-status", exit_on_error=False)
    async def show_scrobbling(self, said: str | None = None) -> None:
        try:
            credentials = await asyncio.to_thread(lastfm_credentials, self.services)
        except SetlistError:  # the keyring cannot say: shown as not signed in
            credentials = None
        status = await asyncio.to_thread(spool_for(self.services.demo).status)
        if said is not None:
            text = said
        elif status.needs_sign_in:
            text = "Scrobbling: Last.fm refused the session. Sign in again below."
        elif credentials is not None and credentials.session_key:
            text = "Scrobbling: signed in."
        else:
            text = "Scrobbling: not signed in. Give the API secret and sign in."
        self.query_one("#lf-scrobbling", Static).update(text)

    @on(Input.Submitted, "#lf-secret")
    @on(Button.Pressed, "#lf-scrobble")
    def scrobble_pressed(self) -> None:
        secret = self.query_one("#lf-secret", Input).value.strip()
        client = self.services.lastfm
        key = client.api_key if client is not None else None
        if not key:
            self.problem("lf-scrobble-error", "Save an API key first, then sign in to scrobble.")
        elif not secret or any(c.isspace() for c in secret):
            self.problem("lf-scrobble-error", "Paste the secret shown with your API key.")
        else:
            self.sign_in_to_scrobble(key, secret)

    @work(exclusive=True, group="lastfm-scrobble", exit_on_error=False)
    async def sign_in_to_scrobble(self, key: str, secret: str) -> None:
        sign_in = SignIn(self.services, key, secret)
        try:
            try:
                self.auth_url = await sign_in.begin()
            except SetlistError as exc:
                self.problem("lf-scrobble-error", f"Last.fm did not start the sign-in: {exc}")
                return
            self.query_one("#lf-auth-url", Static).update(Text(self.auth_url, style="underline"))
            self.query_one("#lf-allow").display = True
            name = await self._wait_for_allowed(sign_in)
        finally:
            await sign_in.aclose()
        self.query_one("#lf-allow").display = False
        if name is None:
            return
        self.query_one("#lf-secret", Input).value = ""
        self.show_scrobbling(f"Scrobbling to Last.fm as {name}.")

    async def _wait_for_allowed(self, sign_in: SignIn) -> str | None:
        """Asks Last.fm every few seconds (at once after "I've allowed it")."""
        self._allowed.clear()
        while True:
            try:
                return await sign_in.finish()
            except TokenNotAuthorized:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(POLL):
                        await self._allowed.wait()
                self._allowed.clear()
            except SetlistError as exc:
                self.problem("lf-scrobble-error", f"Could not sign in to scrobble: {exc}")
                return None

    @on(Button.Pressed, "#lf-allowed")
    def allowed_pressed(self) -> None:
        self._allowed.set()

    @on(Button.Pressed, "#lf-open")
    @work(exclusive=True, group="lastfm-open", thread=True, exit_on_error=False)
    def open_address(self) -> None:
        open_in_browser(self.auth_url)

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
