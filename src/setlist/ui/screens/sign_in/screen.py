"""The Accounts screen: sign in to YourMusic and Jamendo, set the Last.fm key, see who is signed in.

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

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from setlist.services import Services
from setlist.ui.screens.sign_in.jamendo import JamendoPanel
from setlist.ui.screens.sign_in.lastfm import LastfmPanel
from setlist.ui.screens.sign_in.yourmusic import YourMusicPanel
from setlist.ui.widgets.footer import FittedFooter


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
        yield FittedFooter(compact=True)

    def action_close(self) -> None:
        self.dismiss(self.changed)
