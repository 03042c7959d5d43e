"""Playlists put between the app's bars (top bar, now playing, footer).

A YourMusic playlist is edited (`PlaylistView`, through the app's playlist
sessions); a playlist of another catalog (Jamendo) is read-only: its tracks only.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Static

from setlist.core.errors import SetlistError
from setlist.core.models import Playlist, Track
from setlist.core.playlist_edits import entry_track
from setlist.ui.screens.base import AppScreen
from setlist.ui.screens.playlist import PlaylistView
from setlist.ui.screens.playlist_picker import quoted
from setlist.ui.screens.playlists import PlaylistsView
from setlist.ui.server_text import plain, safe
from setlist.ui.widgets.track_table import TrackTable


class PlaylistsPage(AppScreen):
    """Your playlists, and public ones found by keyword."""

    PLACE = "playlists"
    TITLE = "Playlists"

    def compose_body(self) -> ComposeResult:
        yield PlaylistsView(self.setlist.playlist_sessions)

    def on_screen_resume(self) -> None:
        # Back from a playlist: names and track counts may have changed there.
        view = self.query_one(PlaylistsView)
        if view.table.row_count:
            current = view.table.cursor_item
            view.reload(select=current.id if current else None)

    def account_changed(self) -> None:
        self.query_one(PlaylistsView).start_again()


@dataclass
class TracksRead(Message, bubble=False):
    tracks: list[Track]


class PlaylistPage(AppScreen):
    """One playlist: editable when it is in the catalog playlists are edited in."""

    def __init__(self, playlist: Playlist) -> None:
        super().__init__()
        self.playlist = playlist
        self.title = plain(playlist.name)
        self._opened_as_before = False  # opened as an account no longer signed in

    def account_changed(self) -> None:
        # A playlist of the catalog one signs in to was opened as the account signed in
        # then (what it may change, or even see): it closes when next in sight.
        ym = self.services.yourmusic
        if ym is not None and self.playlist.provider == ym.name:
            self._opened_as_before = True

    def on_screen_resume(self) -> None:
        if self._opened_as_before:
            name = quoted(self.playlist.name)
            self.notify(f"Closed {name}: it was opened before the account changed.", markup=False)
            self.dismiss()

    @property
    def editable_here(self) -> bool:
        editor = self.services.editor
        return editor is not None and editor.name == self.playlist.provider

    def heading(self) -> str:
        return self.playlist.name

    def compose_body(self) -> ComposeResult:
        if self.editable_here:
            yield PlaylistView(self.playlist, self.setlist.playlist_sessions)
            return
        yield Static(safe(self.playlist.name, "bold"), classes="head")
        yield TrackTable(id="playlist-tracks")

    def on_mount(self) -> None:
        if not self.editable_here:
            table = self.query_one(TrackTable)
            table.loading = True
            table.focus()
            self.read_tracks()

    @work(exclusive=True, exit_on_error=False)
    async def read_tracks(self) -> None:
        provider = self.services.providers.get(self.playlist.provider)
        try:
            if provider is None:
                raise SetlistError(f"{self.playlist.provider} is not set up.")
            entries = await provider.playlist_entries(self.playlist.id)
        finally:
            self.query_one(TrackTable).loading = False
        self.post_message(TracksRead([entry_track(e) for e in entries]))

    def on_tracks_read(self, message: TracksRead) -> None:
        self.query_one(TrackTable).show(message.tracks)
        playlist = self.playlist
        facts = [plain(playlist.provider)]
        if playlist.owner_name:
            facts.append(f"by {plain(playlist.owner_name)}")
        count = len(message.tracks)
        facts += [f"{count} track{'' if count == 1 else 's'}", "read-only"]
        head = Text.assemble((plain(playlist.name), "bold"), "\n", (" · ".join(facts), "dim"))
        self.query_one(".head", Static).update(head)
