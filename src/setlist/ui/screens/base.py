"""What every full screen of the app shares: the top bar, the now-playing bar, the footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.worker import Worker

from setlist.ui.widgets.footer import FittedFooter
from setlist.ui.widgets.now_playing import NowPlayingBar
from setlist.ui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from setlist.services import Services
    from setlist.ui.app import SetlistApp
    from setlist.ui.player_port import PlayerPort


class AppScreen(Screen[None]):
    """A screen of the app. Subclasses yield their body from `compose_body`."""

    # The place in the top bar this screen belongs to (a mode of the app); a screen
    # opened from another (an album, an artist) leaves it empty and shows where it was opened.
    PLACE: ClassVar[str] = ""

    @property
    def setlist(self) -> SetlistApp:
        return cast("SetlistApp", self.app)

    @property
    def services(self) -> Services:
        return self.setlist.services

    @property
    def player(self) -> PlayerPort:
        return self.setlist.player

    # Who was signed in when the screen showed its data (see `account_changed`).
    _account: str | None = None

    def compose(self) -> ComposeResult:
        self._account = self.setlist.account_label()
        yield TopBar(
            self.PLACE or self.app.current_mode,
            title=self.heading(),
            account=self._account,
        )
        with Vertical(id="body"):
            yield from self.compose_body()
        yield NowPlayingBar()
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        self.setlist.account_changed_signal.subscribe(self, self._account_changed)

    def on_screen_resume(self) -> None:
        self.query_one(NowPlayingBar).catch_up()

    def _account_changed(self, account: str) -> None:
        self.query_one(TopBar).account = account
        if account != self._account:
            self._account = account
            self.account_changed()

    def account_changed(self) -> None:
        """Someone else is signed in now, or nobody: a screen that shows what belongs to
        an account drops it and reads it again (or says how to sign in)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.setlist.report_failure(event)

    def heading(self) -> str:
        """The screen's own name in the top bar, after its place (an artist's name...)."""
        return ""

    def compose_body(self) -> ComposeResult:
        yield from ()
