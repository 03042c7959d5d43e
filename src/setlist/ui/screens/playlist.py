"""One playlist: its name, whether it is public, and its tracks, edited from the keyboard.

`PlaylistView` does the work and fits in any screen (the app's `PlaylistPage`
puts it between its bars).
Every edit goes through the playlist's `EditSession` (see
`core.playlist_edits`): the table changes at once, the edit is sent, and a
refused edit is rolled back, the playlist read from the server, and a
notification says why and what the server holds.

Keys, besides those of `TrackTable`: R rename, P public/private, ctrl+r read
the playlist again, + add the selection to (another) playlist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from setlist.core.errors import SetlistError
from setlist.core.models import Playlist
from setlist.core.playlist_edits import (
    Changed,
    EditEvent,
    EditSession,
    PlaylistSessions,
    Refused,
    Saved,
)
from setlist.core.text import plain
from setlist.ui.screens.playlist_picker import (
    PlaylistNameScreen,
    add_to_playlist,
    app_sessions,
    quoted,
)
from setlist.ui.server_text import duration
from setlist.ui.sign_in_words import in_app
from setlist.ui.widgets.track_table import TrackTable

EMPTY = "This playlist is empty. Find tracks with a search and add them here with +."
LOADING = "Loading the playlist…"


@dataclass
class PlaylistOpened(Message, bubble=False):
    session: EditSession


@dataclass
class PlaylistFailed(Message, bubble=False):
    message: str


class PlaylistView(Vertical):
    """A playlist's heading and its tracks in a `TrackTable`."""

    DEFAULT_CSS = """
    PlaylistView { height: 1fr; }
    PlaylistView #playlist-title { text-style: bold; padding: 0 1; height: 1; }
    PlaylistView #playlist-meta { color: $text-muted; padding: 0 1; height: 1; }
    PlaylistView #playlist-note { color: $text-muted; padding: 1 2; height: auto; }
    PlaylistView.empty TrackTable { height: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("R", "rename", "Rename", show=False, id="playlist.rename"),
        Binding("P", "toggle_public", "Public/private", show=False, id="playlist.visibility"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="playlist.reload"),
    ]

    def __init__(
        self,
        playlist: Playlist | str,
        sessions: PlaylistSessions | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.playlist_id = playlist if isinstance(playlist, str) else playlist.id
        self._known_name = "" if isinstance(playlist, str) else playlist.name
        self._sessions = sessions
        self.session: EditSession | None = None
        self._unsubscribe: Callable[[], None] = lambda: None
        self._saving_note = ""

    @property
    def sessions(self) -> PlaylistSessions:
        if self._sessions is None:
            self._sessions = app_sessions(self.app)
        return self._sessions

    def compose(self) -> ComposeResult:
        yield Static(Text(plain(self._known_name) or "Playlist"), id="playlist-title")
        yield Static("", id="playlist-meta")
        yield TrackTable(id="playlist-tracks")
        yield Static(LOADING, id="playlist-note", markup=False)

    @property
    def table(self) -> TrackTable:
        return self.query_one("#playlist-tracks", TrackTable)

    def on_mount(self) -> None:
        self.table.loading = True  # a loading widget cannot have the focus: see `opened`
        self.load()

    def on_unmount(self) -> None:
        self._unsubscribe()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        try:
            session = await self.sessions.open(self.playlist_id)
        except SetlistError as exc:
            said = in_app(exc.message, self.app)
            self.post_message(PlaylistFailed(f"Could not open this playlist: {said}"))
            return
        self.post_message(PlaylistOpened(session))

    @on(PlaylistOpened)
    def opened(self, message: PlaylistOpened) -> None:
        self._unsubscribe()
        session = self.session = message.session
        self._unsubscribe = session.subscribe(self._on_edit)
        table = self.table
        table.loading = False
        name = quoted(session.name)
        table.read_only_reason = f"{name} belongs to someone else: you can play it, not change it."
        table.edit(session)
        table.focus()
        self._show_state()

    @on(PlaylistFailed)
    def failed(self, message: PlaylistFailed) -> None:
        self.table.loading = False
        self.add_class("empty")
        note = self.query_one("#playlist-note", Static)
        note.update(Text(plain(message.message) + " Press ctrl+r to try again."))
        note.display = True

    def _on_edit(self, event: EditEvent) -> None:
        if isinstance(event, Saved) and not (self.session and self.session.busy):
            self._saving_note = "all changes saved"
        elif isinstance(event, Refused):
            self._saving_note = "last change undone"
        elif isinstance(event, Changed) and event.cause in ("edit", "undo"):
            self._saving_note = "saving…"
        self._show_state()

    def _show_state(self) -> None:
        session = self.session
        if session is None:
            return
        self.query_one("#playlist-title", Static).update(Text(plain(session.name)))
        rows = session.rows
        count = f"{len(rows)} track" + ("" if len(rows) == 1 else "s")
        total = sum(r.track.duration or 0 for r in rows)
        parts = [
            "Public" if session.public else "Private",
            "yours" if session.editable else "someone else's (read-only)",
            f"{count}, {duration(total)}",
        ]
        if self._saving_note:
            parts.append(self._saving_note)
        self.query_one("#playlist-meta", Static).update(Text(" · ".join(parts)))
        empty = not rows
        self.set_class(empty, "empty")
        note = self.query_one("#playlist-note", Static)
        note.update(EMPTY)
        note.display = empty

    # -- actions

    @on(TrackTable.AddToPlaylist)
    def add_elsewhere(self, event: TrackTable.AddToPlaylist) -> None:
        event.stop()
        add_to_playlist(self, event.tracks, self.sessions)

    def _editable(self) -> EditSession | None:
        session = self.session
        if session is None:
            return None
        if not session.editable:
            self.notify(self.table.read_only_reason, severity="warning", markup=False)
            return None
        return session

    def action_rename(self) -> None:
        session = self._editable()
        if session is None:
            return

        def renamed(name: str | None) -> None:
            if name and self.session is session:
                session.rename(name)

        title = f"Rename {quoted(session.name)}"
        self.app.push_screen(PlaylistNameScreen(title, session.name, "Rename"), renamed)

    def action_toggle_public(self) -> None:
        session = self._editable()
        if session is not None:
            session.set_public(not session.public)

    @work(exclusive=True, group="playlist-reload", exit_on_error=False)
    async def action_reload(self) -> None:
        session = self.session
        if session is None:
            self.load()
            return
        try:
            await session.reload()
        except SetlistError as exc:
            self.notify(
                f"Could not read the playlist again: {plain(exc.message)}",
                severity="error",
                markup=False,
            )
