"""Helpers for the playlist-editing and sign-in tests: what the demo server holds, and its log."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, Literal

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from setlist.core.models import Playlist, Track
from setlist.core.playlist_edits import PlaylistSessions
from setlist.core.queue import Queue, QueueEntry
from setlist.demo.server import DemoServer, LoggedRequest
from setlist.demo.yourmusic import state_of
from setlist.providers.yourmusic import YourMusicClient
from setlist.services import Services
from setlist.services import demo_services as open_demo_services
from setlist.services.demo_running import DemoEndpoints
from setlist.store.config import Config
from setlist.store.secret_fallbacks import MemoryStore
from setlist.ui.messages import Open
from setlist.ui.screens.playlist import PlaylistView
from setlist.ui.screens.playlist_picker import add_to_playlist
from setlist.ui.screens.playlists import PlaylistsView
from setlist.ui.widgets.track_table import TrackTable
from yourmusic_support import FAST_RETRY, client_for, sign_in


async def signed_in_client(server: DemoServer) -> YourMusicClient:
    """A client signed in as the demo listener (the owner of the seeded playlists)."""
    client = client_for(server)
    await sign_in(client)
    return client


def server_track_ids(server: DemoServer, playlist_id: str) -> list[str]:
    """The playlist's track ids in order, as the server holds them right now."""
    state = state_of(server.ctx)
    with state.lock:
        return [e.track_id for e in state.playlists[playlist_id].entries]


def server_playlist(server: DemoServer, playlist_id: str) -> tuple[str, bool]:
    """(name, public) of a playlist as the server holds it."""
    state = state_of(server.ctx)
    with state.lock:
        playlist = state.playlists[playlist_id]
        return playlist.name, playlist.public


def writes(server: DemoServer, since: int = 0) -> list[LoggedRequest]:
    """The playlist writes (POST, PUT, PATCH) the server received after request number `since`."""
    return [
        r
        for r in server.requests[since:]
        if r.method in {"POST", "PUT", "PATCH"} and "/playlists" in r.path
    ]


def demo_services(
    server: DemoServer,
    *,
    signed_in: Mapping[tuple[str, str], str] | None = None,
    lastfm: bool = True,
    config: Config | None = None,
) -> Services:
    """The services the app builds on a running demo server, secrets in memory (no keyring).

    Nobody is signed in unless `signed_in` holds stored secrets (the `secrets`
    fixture); the caller loads them (`auth.load()`) on the loop of the app that
    uses the clients. Retries are fast; `lastfm=False` leaves Last.fm out. Read what was stored
    through `services.secrets`: the demo keeps its own names in the store.
    """
    endpoints = DemoEndpoints(
        base_url=server.base_url,
        yourmusic_url=server.yourmusic_url,
        jamendo_url=server.jamendo_url,
        lastfm_url=server.lastfm_url,
        instance="tests",
        pid=0,
    )
    services = open_demo_services(config or Config(), endpoints, MemoryStore(), retry=FAST_RETRY)
    for (provider, account), secret in (signed_in or {}).items():
        services.secrets.save(provider, account, secret)
    if not lastfm:
        services.lastfm = None
    return services


class ScreenApp(App[None]):
    """Any app at all: it opens one screen and keeps every notification it shows."""

    def __init__(self, make_screen: Callable[[], Screen[Any]], **attributes: object) -> None:
        super().__init__()
        self._make_screen = make_screen
        self.notes: list[tuple[str, str]] = []  # (severity, message)
        for name, value in attributes.items():
            setattr(self, name, value)

    def on_mount(self) -> None:
        self.push_screen(self._make_screen())

    async def on_unmount(self) -> None:
        # Clients made for this app close on its loop (snapshot tests run one loop per app).
        for client in getattr(self, "closing", ()):
            await client.aclose()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.notes.append((severity, message))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)


class ResultsScreen(Screen[None]):
    """Tracks as a search would show them; + opens the playlist picker."""

    def __init__(self, tracks: list[Track], sessions: PlaylistSessions) -> None:
        super().__init__()
        self.tracks = tracks
        self.sessions = sessions

    def compose(self) -> ComposeResult:
        yield TrackTable(self.tracks, id="results")

    def on_mount(self) -> None:
        self.query_one(TrackTable).focus()

    def on_track_table_add_to_playlist(self, event: TrackTable.AddToPlaylist) -> None:
        add_to_playlist(self, event.tracks, self.sessions)


# -- screens holding one view each, as the app's pages hold them between their bars


class PlaylistsScreen(Screen[None]):
    """A screen with one `PlaylistsView`. The list is read again when it comes back."""

    def __init__(self, sessions: PlaylistSessions | None = None) -> None:
        super().__init__()
        self.view = PlaylistsView(sessions)
        self._shown = False

    def compose(self) -> ComposeResult:
        yield self.view

    def on_open(self, message: Open) -> None:
        if isinstance(message.item, Playlist):
            message.stop()
            self.app.push_screen(PlaylistScreen(message.item, self.view.sessions))

    def on_screen_resume(self) -> None:
        if self._shown:  # the first time, the view loads on its own
            current = self.view.table.cursor_item
            self.view.reload(select=current.id if current else None)
        self._shown = True


class PlaylistScreen(Screen[None]):
    """A screen with one `PlaylistView`; Escape goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", show=False, id="playlist.back"),
    ]

    def __init__(self, playlist: Playlist | str, sessions: PlaylistSessions | None = None) -> None:
        super().__init__()
        self.view = PlaylistView(playlist, sessions)

    def compose(self) -> ComposeResult:
        yield self.view

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss()


# -- a queue edited with no player attached


class LocalQueue:
    """A bare `Queue` as a `QueueTarget` (no player attached)."""

    def __init__(self, queue: Queue) -> None:
        self.queue = queue

    async def add(
        self, tracks: Iterable[Track], *, where: Literal["end"] = "end"
    ) -> list[QueueEntry]:
        return self.queue.append(tracks)

    async def move(self, entry_id: str, index: int) -> None:
        self.queue.move(entry_id, index)

    async def remove(self, entry_ids: Iterable[str]) -> None:
        self.queue.remove(entry_ids)

    async def clear(self) -> None:
        self.queue.clear()
