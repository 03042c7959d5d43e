"""Playlists: yours, or public ones found by name; create, rename, public/private.

`PlaylistsView` does the work and fits in any screen (the app's `PlaylistsPage`
puts it between its bars). Enter posts `ui.messages.Open(playlist)`: the app's
navigation opens the playlist between the app's bars (editable or read-only by
catalog). Renames and
visibility go through the playlist's edit session, so the playlist's own screen
and this list agree (and `u` there undoes them).

Keys: n new playlist, R rename, P public/private, f find playlists by name
(Enter in the box searches; an empty box lists yours again), ctrl+r reload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from msgspec.structs import replace
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from setlist.core.errors import SetlistError
from setlist.core.models import Playlist
from setlist.core.playlist_edits import Changed, EditEvent, EditSession, PlaylistSessions
from setlist.core.text import plain
from setlist.ui.messages import Open
from setlist.ui.screens.playlist_picker import (
    PlaylistNameScreen,
    app_sessions,
    quoted,
    run_edit,
)
from setlist.ui.sign_in_words import in_app, sign_in_to
from setlist.ui.widgets.lists import Column, ItemTable

NONE_YET = "You have no playlists yet. Press n to make one."


def _updated(playlist: Playlist) -> Text:
    return Text((playlist.updated_at or "")[:10], style="dim")


COLUMNS: list[Column[Playlist]] = [
    Column("Playlist", lambda p: Text(plain(p.name), no_wrap=True, overflow="ellipsis"), 44),
    Column("Visibility", lambda p: Text("Public" if p.public else "Private"), 10),
    Column("Owner", lambda p: Text("You" if p.owned else "Someone else"), 12),
    Column("Updated", _updated, 10),
]


@dataclass
class PlaylistsListed(Message, bubble=False):
    heading: str
    playlists: list[Playlist]
    empty_note: str = NONE_YET
    select: str | None = None  # a playlist id to put the cursor on
    error: str | None = field(default=None)


class PlaylistsView(Vertical):
    """Your playlists, or the ones matching a keyword, in a table."""

    DEFAULT_CSS = """
    PlaylistsView { height: 1fr; }
    PlaylistsView #playlists-query { margin: 0 1; }
    PlaylistsView #playlists-heading { text-style: bold; padding: 0 1; height: 1; }
    PlaylistsView #playlists-note { color: $text-muted; padding: 1 2; height: auto; }
    PlaylistsView.empty ItemTable { height: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New playlist", id="playlists.new"),
        Binding("R", "rename", "Rename", id="playlists.rename"),
        Binding("P", "toggle_public", "Public/private", show=False, id="playlists.visibility"),
        Binding("f", "find", "Find", id="playlists.find"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="playlists.reload"),
    ]

    def __init__(self, sessions: PlaylistSessions | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._sessions = sessions
        self.keyword = ""
        self._unsubscribe: Callable[[], None] = lambda: None

    @property
    def sessions(self) -> PlaylistSessions:
        if self._sessions is None:
            self._sessions = app_sessions(self.app)
        return self._sessions

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="Find playlists by name, yours and public ones (Enter)",
            id="playlists-query",
        )
        yield Static("Your playlists", id="playlists-heading")
        yield ItemTable(COLUMNS, id="playlists-table")
        yield Static("", id="playlists-note", markup=False)

    @property
    def table(self) -> ItemTable[Playlist]:
        return self.query_one("#playlists-table", ItemTable)

    def on_mount(self) -> None:
        self.query_one("#playlists-query", Input).cursor_blink = False
        self.query_one("#playlists-note", Static).display = False
        self._unsubscribe = self.sessions.subscribe(self._on_edit)
        self.table.loading = True  # the first time only: a loading table loses the focus
        self.reload()

    def on_unmount(self) -> None:
        self._unsubscribe()

    # -- loading

    def start_again(self) -> None:
        """Another account (or none): its playlists, none of the last one's meanwhile."""
        self.keyword = ""
        self.query_one("#playlists-query", Input).value = ""
        self.table.set_items([])
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the list again (yours, or the current search)."""
        self.query_one("#playlists-heading", Static).update("Loading…")
        self._fetch(self.keyword, select)

    @work(exclusive=True, group="playlists-list", exit_on_error=False)
    async def _fetch(self, keyword: str, select: str | None) -> None:
        source = self.sessions.source
        if source is None:
            note = sign_in_to("see your playlists and make new ones", self.app)
            self.post_message(PlaylistsListed("Playlists", [], note))
            return
        try:
            if keyword:
                page = await source.search_playlists(keyword)
                heading = f"Playlists matching {quoted(keyword)}"
                found, note = page.items, f"No playlist matches {quoted(keyword)}."
            else:
                found, heading, note = await source.my_playlists(), "Your playlists", NONE_YET
        except SetlistError as exc:
            said = in_app(exc.message, self.app)
            error = f"Could not read the playlists: {said} Press ctrl+r to try again."
            self.post_message(PlaylistsListed("Playlists", [], error=error))
            return
        self.post_message(PlaylistsListed(heading, found, note, select))

    @on(PlaylistsListed)
    def listed(self, message: PlaylistsListed) -> None:
        table = self.table
        if table.loading:
            table.loading = False
            table.focus()
        table.set_items(message.playlists)
        self.query_one("#playlists-heading", Static).update(Text(plain(message.heading)))
        note = self.query_one("#playlists-note", Static)
        note.update(Text(plain(message.error or message.empty_note)))
        empty = bool(message.error) or not message.playlists
        note.display = empty
        self.set_class(empty, "empty")
        ids = [p.id for p in message.playlists]
        if message.select in ids:
            table.move_cursor(row=ids.index(message.select))

    def _on_edit(self, playlist_id: str, event: EditEvent) -> None:
        """A playlist's session renamed it or changed its visibility: show it here too."""
        if not isinstance(event, Changed):
            return
        session = self.sessions.get(playlist_id)
        table = self.table
        items = table.items
        at = next((i for i, p in enumerate(items) if p.id == playlist_id), None)
        if session is None or at is None:
            return
        item = items[at]
        if (item.name, item.public) == (session.name, session.public):
            return
        row = table.cursor_row
        items = [*items[:at], _with(item, session), *items[at + 1 :]]
        table.set_items(items)
        table.move_cursor(row=row)

    # -- actions

    @on(Input.Submitted, "#playlists-query")
    def find(self, event: Input.Submitted) -> None:
        self.keyword = event.value.strip()
        self.table.focus()
        self.reload()

    def action_find(self) -> None:
        self.query_one("#playlists-query", Input).focus()

    def action_reload(self) -> None:
        self.reload()

    @on(ItemTable.Chosen, "#playlists-table")
    def open_playlist(self, event: ItemTable.Chosen) -> None:
        event.stop()  # the app's generic Chosen handler would post a second Open
        if isinstance(event.item, Playlist):
            self.post_message(Open(event.item))

    def action_new(self) -> None:
        if self.sessions.source is None:
            note = sign_in_to("see your playlists and make new ones", self.app)
            self.notify(note, severity="warning", markup=False)
            return

        def named(name: str | None) -> None:
            if name:
                self._create(name)

        self.app.push_screen(PlaylistNameScreen("Name the new playlist"), named)

    @work(group="playlists-edit", exit_on_error=False)
    async def _create(self, name: str) -> None:
        source = self.sessions.source
        if source is None:
            return
        try:
            playlist = await source.create_playlist(name)
        except SetlistError as exc:
            message = f"Could not create {quoted(name)}: {plain(exc.message)}"
            self.notify(message, severity="error", markup=False)
            return
        self.notify(f"Created {quoted(playlist.name)}.", markup=False, timeout=4)
        self.keyword = ""
        self.query_one("#playlists-query", Input).value = ""
        self.reload(select=playlist.id)

    def _owned_cursor_item(self) -> Playlist | None:
        playlist = self.table.cursor_item
        if playlist is None:
            return None
        if not playlist.owned:
            message = f"{quoted(playlist.name)} belongs to someone else: you cannot change it."
            self.notify(message, severity="warning", markup=False)
            return None
        return playlist

    def action_rename(self) -> None:
        playlist = self._owned_cursor_item()
        if playlist is None:
            return

        def renamed(name: str | None) -> None:
            if name and playlist is not None:
                self._edit(playlist, lambda s: s.rename(name), f"Renamed to {quoted(name)}.")

        title = f"Rename {quoted(playlist.name)}"
        self.app.push_screen(PlaylistNameScreen(title, playlist.name, "Rename"), renamed)

    def action_toggle_public(self) -> None:
        playlist = self._owned_cursor_item()
        if playlist is not None:
            public = not playlist.public
            done = f"{quoted(playlist.name)} is now {'public' if public else 'private'}."
            self._edit(playlist, lambda s: s.set_public(public), done)

    @work(group="playlists-edit", exit_on_error=False)
    async def _edit(
        self, playlist: Playlist, edit: Callable[[EditSession], object], done: str
    ) -> None:
        try:
            session = await self.sessions.open(playlist.id)
        except SetlistError as exc:
            message = f"Could not open {quoted(playlist.name)}: {plain(exc.message)}"
            self.notify(message, severity="error", markup=False)
            return
        await run_edit(self.app, session, edit, done)


def _with(playlist: Playlist, session: EditSession) -> Playlist:
    return replace(playlist, name=session.name, public=session.public)
