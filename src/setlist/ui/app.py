"""The Textual app: holds the services, the player and the config; the screens do the work."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import ClassVar

from textual.app import App
from textual.binding import BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from setlist.core.errors import SetlistError
from setlist.core.playlist_edits import PlaylistSessions
from setlist.playback.player import PlayerError, PlayerEvent
from setlist.services import Services
from setlist.store.config import Config, save_config_value
from setlist.ui.commands import ScreenCommands
from setlist.ui.keys import GLOBAL_BINDINGS
from setlist.ui.navigation import Navigation
from setlist.ui.playback import PlaybackState, PlayerPort
from setlist.ui.player_actions import PlayerActions
from setlist.ui.screens.home import HomeScreen
from setlist.ui.screens.pages import PlaylistsPage
from setlist.ui.screens.queue import QueueScreen
from setlist.ui.screens.search import SearchScreen
from setlist.ui.text import plain

log = logging.getLogger(__name__)
REPEAT_QUIET = 5.0  # seconds during which the same failure is not notified again


class SetlistApp(PlayerActions, Navigation, App[None]):
    """Playback keys and what is sent to the player: PlayerActions; opening screens and
    moving between them: Navigation; the screens themselves: ui.screens."""

    CSS_PATH = "app.tcss"
    TITLE = "setlist"
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {
        "home": HomeScreen,
        "search": SearchScreen,
        "playlists": PlaylistsPage,
        "queue": QueueScreen,
    }
    DEFAULT_MODE = "home"
    BINDINGS: ClassVar[list[BindingType]] = GLOBAL_BINDINGS
    COMMANDS = App.COMMANDS | {ScreenCommands}

    def __init__(self, services: Services, player: PlayerPort, *, config: Config) -> None:
        super().__init__()
        self.services = services
        self.player = player
        self.config = config
        self.playback = PlaybackState.read(player)
        # Shared by the playlist screens and the picker (see ui.screens.playlist_picker).
        self.playlist_sessions = PlaylistSessions(services.editor)
        # Who is signed in changed (the accounts screen): the top bars say it anew.
        self.account_changed_signal: Signal[str] = Signal(self, "account-changed")
        self._unsubscribe: Callable[[], None] | None = None
        self._last_failure: tuple[str, float] = ("", 0.0)

    def on_mount(self) -> None:
        self.set_keymap(dict(self.config.keys))
        theme = self.config.ui.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._unsubscribe = self.player.subscribe(self._on_player_event)
        for notice in self.services.notices:
            self.notify(plain(notice), markup=False, timeout=8)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def account_label(self) -> str:
        ym = self.services.yourmusic
        session = None if ym is None else ym.auth.session
        who = session.account if session is not None else "not signed in"
        return f"demo catalog · {who}" if self.services.demo else who

    # -- the player

    def _on_player_event(self, event: PlayerEvent) -> None:
        self.playback.apply(event)
        if isinstance(event, PlayerError):
            self.notify(plain(event.message), severity="error", markup=False)

    # -- errors and settings

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_failure(event)

    def report_failure(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker is reported: its message, never a traceback.

        Worker events do not bubble: the app's screens hand theirs on (AppScreen)."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, SetlistError):
            message = plain(error.message)
        else:
            log.error("worker %s failed", event.worker.name, exc_info=error)
            message = f"Something went wrong: {plain(str(error)) or type(error).__name__}"
        # One outage fails every tab of a search at once: say it once.
        now = time.monotonic()
        last_message, last_at = self._last_failure
        if message != last_message or now - last_at >= REPEAT_QUIET:
            self.notify(message, severity="error", markup=False)
        self._last_failure = (message, now)

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name != self.config.ui.theme:
            self.run_worker(
                lambda: save_config_value("ui", "theme", theme.name),
                thread=True,
                group="settings",
                exit_on_error=False,
            )
