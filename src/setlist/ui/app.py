"""The Textual app: holds the services, the player and the config; the screens do the work.

`SetlistApp.starting` draws the app at once, on a screen that says it is starting,
and is handed the services and the player when they are open (ui.launch.Startup);
the screens that need them are imported then.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, ClassVar, TextIO, cast

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from setlist.core.errors import SetlistError
from setlist.process.memory import keep_startup_objects
from setlist.store.config import Config, save_config_value
from setlist.ui.key_order import KeysInOrder
from setlist.ui.keys import GLOBAL_BINDINGS, unknown_key_ids
from setlist.ui.library_actions import LibraryActions
from setlist.ui.likes import LikedTracks
from setlist.ui.navigation import Navigation
from setlist.ui.palette import ScreenCommands
from setlist.ui.player_actions import PlayerActions
from setlist.ui.player_port import PlaybackState, PlayerPort
from setlist.ui.screens.starting import StartingScreen
from setlist.ui.server_text import plain
from setlist.ui.sign_in_words import in_app
from setlist.ui.track_actions import TrackActions

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from textual.driver import Driver
    from textual.notifications import SeverityLevel

    from setlist.core.playlist_edits import EditSession, PlaylistSessions
    from setlist.core.protocols import Library
    from setlist.core.unsaved import Unsaved
    from setlist.playback.events import PlayerEvent
    from setlist.services import Services
    from setlist.store.search_history import SearchHistory

    # Opens the services and the player (ui.launch.Startup.begin).
    Start = Callable[[], Awaitable[tuple[Services, PlayerPort]]]

log = logging.getLogger(__name__)
REPEAT_QUIET = 5.0  # seconds during which the same failure is not notified again
# The keys that need the services or the player do nothing until they are open.
NEEDS_SERVICES = frozenset(
    b.action.split("(")[0] for b in GLOBAL_BINDINGS if isinstance(b, Binding)
) - {"quit"}


def _screen(module: str, name: str) -> Callable[[], Screen]:
    """A mode's screen, its module imported when the mode is first shown."""

    def make() -> Screen:
        return cast("Screen", getattr(import_module(f"setlist.ui.screens.{module}"), name)())

    return make


STARTUP_SETTLED = 2.0  # seconds after start-up: see memory.keep_startup_objects


class SetlistApp(PlayerActions, LibraryActions, TrackActions, Navigation, KeysInOrder, App[None]):
    """Playback keys and what is sent to the player: PlayerActions; likes and follows:
    LibraryActions; a track's album, artist, details and lyrics: TrackActions; opening
    screens and moving between them: Navigation; keys applied in the order typed:
    KeysInOrder; the screens themselves: ui.screens."""

    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (70, "-wide")]  # type: ignore[misc]  # Textual: ClassVar | None
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (18, "-tall")]  # type: ignore[misc]  # Textual: ClassVar | None
    TITLE = "setlist"
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {
        "home": _screen("home", "HomeScreen"),
        "search": _screen("search", "SearchScreen"),
        "playlists": _screen("pages", "PlaylistsPage"),
        "queue": _screen("queue", "QueueScreen"),
        "library": _screen("library", "LibraryScreen"),
        "starting": StartingScreen,
    }
    DEFAULT_MODE = "home"
    BINDINGS: ClassVar[list[BindingType]] = GLOBAL_BINDINGS
    COMMANDS = App.COMMANDS | {ScreenCommands}

    # Where the app draws in a terminal (setlist.process.stderr); None: stderr, as Textual does.
    terminal: TextIO | None = None
    # Seconds quitting waits for playlist edits on their way (core.unsaved.QUIT_WAIT).
    quit_wait: float | None = None
    # Set when they are open (at once, or after the first frame: `starting`).
    services: Services
    player: PlayerPort
    playlist_sessions: PlaylistSessions
    library: Library

    def __init__(
        self,
        services: Services | None,
        player: PlayerPort | None,
        *,
        config: Config,
        start: Start | None = None,
    ) -> None:
        """Either `services` and `player`, open, or `start`, which opens them (`starting`)."""
        if start is not None:
            self.DEFAULT_MODE = "starting"  # type: ignore[misc]  # this app only; read by App.__init__
        super().__init__()
        self.config = config
        self._opener = start
        # Idle until the player is there: the now-playing bar reads it from the start.
        self.playback = PlaybackState()
        # Who is signed in changed (the accounts screen): the top bars say it anew.
        self.account_changed_signal: Signal[str] = Signal(self, "account-changed")
        self._unsubscribe: Callable[[], None] | None = None
        self._last_failure: tuple[str, float] = ("", 0.0)
        # The tracks you like, marked in every track list (ui.likes).
        self.likes = LikedTracks()
        self.ready = False
        # Set while quitting waits for edits: q again sets it (quit without waiting).
        self._giving_up: asyncio.Event | None = None
        # What to tell the user once the app is gone (edits that were not saved).
        self.quit_report: list[str] = []
        self._search_history: SearchHistory | None = None
        if services is not None and player is not None:
            self._open(services, player)

    @classmethod
    def starting(cls, start: Start, *, config: Config) -> SetlistApp:
        """The app, drawn at once; `start` is called after its first frame."""
        return cls(None, None, config=config, start=start)

    def get_driver_class(self) -> type[Driver]:
        """Textual's choice, but ui.driver's in place of its LinuxDriver (idle when idle).

        Not used in headless runs (tests), where Textual picks its headless driver.
        """
        chosen = super().get_driver_class()
        if chosen.__module__ == "textual.drivers.linux_driver" and chosen.__name__ == "LinuxDriver":
            from setlist.ui.driver import SetlistDriver

            return SetlistDriver
        return chosen

    def _open(self, services: Services, player: PlayerPort) -> None:
        from setlist.core.playlist_edits import PlaylistSessions
        from setlist.services.library import library_of
        from setlist.services.track_facts import track_facts_of

        self.services = services
        self.player = player
        self.playback = PlaybackState.read(player)
        # Shared by the playlist screens and the picker (see ui.screens.playlist_picker).
        self.playlist_sessions = PlaylistSessions(services.editor)
        self.library = library_of(services)
        self.track_facts = track_facts_of(services)
        self.ready = True

    def on_mount(self) -> None:
        self.set_keymap(dict(self.config.keys))
        theme = self.config.ui.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.ready:
            self._greet()
        else:
            self.call_after_refresh(self._begin)

    def _greet(self) -> None:
        self._unsubscribe = self.player.subscribe(self._on_player_event)
        self.read_likes()
        self.account_changed_signal.subscribe(self, lambda _: self.read_likes())
        if notices := self.services.notices:  # said once, together: toasts would stack
            self.notify(
                "\n".join(plain(n) for n in notices), markup=False, timeout=8 * len(notices)
            )
        if self.config.keys:
            # Finding every id imports every screen (~0.1 s): not on the loop at start-up.
            self.run_worker(self._check_keymap, thread=True, name="keymap", exit_on_error=False)
        # Once the first screens have loaded (a one-off, not a polling timer).
        self.set_timer(STARTUP_SETTLED, keep_startup_objects)

    def _check_keymap(self) -> None:
        for problem in unknown_key_ids(dict(self.config.keys)):
            self.call_from_thread(
                self.notify, plain(problem), severity="warning", markup=False, timeout=12
            )

    def _begin(self) -> None:
        self.run_worker(self._open_and_go_home(), name="start", exit_on_error=False)

    async def _open_and_go_home(self) -> None:
        assert self._opener is not None
        try:
            # Shielded: quitting while it runs leaves it to finish and be closed (Startup).
            services, player = await asyncio.shield(self._opener())
        except SetlistError as exc:
            self._say_start_failed(plain(exc.message))
            return
        except Exception as exc:
            log.error("the start failed", exc_info=exc)
            self._say_start_failed(f"{plain(str(exc)) or type(exc).__name__}")
            return
        self._open(services, player)
        self._greet()
        await self.switch_mode("home")
        await self.remove_mode("starting")

    def _say_start_failed(self, message: str) -> None:
        if isinstance(self.screen, StartingScreen):
            self.screen.failed(message)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.ready and action in NEEDS_SERVICES:
            return False
        if action in ("start_daemon", "play_here") and not self.playback.gone:
            return False  # offered only while the daemon the app drives is gone
        return super().check_action(action, parameters)

    # -- the search history

    @property
    def search_history(self) -> SearchHistory:
        """The searches kept across runs, read when first wanted (the search box's up key)."""
        if self._search_history is None:
            from setlist.store.search_history import SearchHistory

            self._search_history = SearchHistory()
            if self._search_history.problem:
                self.notify(self._search_history.problem, severity="warning", markup=False)
        return self._search_history

    def action_clear_search_history(self) -> None:
        history = self.search_history
        try:
            history.clear()
        except OSError as exc:
            self.notify(
                f"Could not clear the search history {history.path}: {exc.strerror or exc}",
                severity="error",
                markup=False,
            )
            return
        self.notify("Search history cleared.", markup=False)

    # -- quitting

    async def action_quit(self) -> None:
        """Quit, once the playlist edits still on their way are saved (or the wait is over)."""
        if self._giving_up is not None:
            self._giving_up.set()  # q again: quit without waiting
            return
        sessions: PlaylistSessions | None = getattr(self, "playlist_sessions", None)
        busy = sessions.busy() if sessions is not None else []
        if not busy:
            self.exit()
            return
        self._giving_up = asyncio.Event()
        self.run_worker(self._save_edits_and_quit(busy), name="quit", exit_on_error=False)

    async def _save_edits_and_quit(self, sessions: list[EditSession]) -> None:
        from setlist.core.unsaved import QUIT_WAIT, finish_edits
        from setlist.ui.screens.saving import SavingScreen

        screen = SavingScreen(sum(len(s.unsent()) for s in sessions))
        await self.push_screen(screen)
        try:
            unsaved = await finish_edits(
                sessions,
                QUIT_WAIT if self.quit_wait is None else self.quit_wait,
                give_up=self._giving_up,
                remaining=screen.remaining,
            )
            if unsaved:
                self.quit_report = await asyncio.to_thread(_keep_unsaved, unsaved)
        finally:
            self.exit(return_code=1 if self.quit_report else 0)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def account_label(self) -> str:
        if not self.ready:
            return ""
        ym = self.services.yourmusic
        session = None if ym is None else ym.auth.session
        who = session.account if session is not None else "not signed in"
        return f"demo catalog · {who}" if self.services.demo else who

    # -- the player

    def _on_player_event(self, event: PlayerEvent) -> None:
        from setlist.playback.events import PlaybackProblem

        was_gone = self.playback.gone
        self.playback.apply(event)
        if was_gone and not self.playback.gone:
            # A player again (the daemon back, or the app's own): all of its state anew.
            self.playback = PlaybackState.read(self.player)
        if isinstance(event, PlaybackProblem):
            self.notify(plain(event.message), severity="error", markup=False)

    # -- errors and settings

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_failure(event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification, with a sign-in command named by the Accounts key instead."""
        message = in_app(message, self)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

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


def _keep_unsaved(unsaved: list[Unsaved]) -> list[str]:
    """Keep the unsaved edits in a file; what to tell the user about them (also logged)."""
    from setlist.core.unsaved import report
    from setlist.store.unsaved_edits import keep_unsaved_edits

    try:
        lines = report(unsaved, keep_unsaved_edits(unsaved))
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        lines = report(unsaved, None, f"{exc.strerror or type(exc).__name__}{where}")
    for line in lines:
        log.error("%s", line)
    return lines
