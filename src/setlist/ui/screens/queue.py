"""The queue: what plays now, everything queued in order, and what played before.

The queue is edited with the keys of `TrackTable` (move with J/K or Shift+Up/Down,
T/B to the top or bottom, d to remove, u to undo) through an `EditSession` whose
backend is the player itself, so every edit goes through the Player's methods.
When the queue changes elsewhere (tracks added from search), the table reads it
again. The playing entry is marked through the table's `playing_key`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label, Static

from setlist.core.playlist_edits import EditSession
from setlist.core.queue import QueueEntry
from setlist.playback.events import NowPlaying, QueueChanged
from setlist.ui.messages import PlayerChanged
from setlist.ui.player_port import watch_player
from setlist.ui.screens.base import AppScreen
from setlist.ui.server_text import plain
from setlist.ui.widgets.track_table import TrackTable

HISTORY_SHOWN = 50
# Before the title of an entry that a radio from a track, or autoplay, queued.
ORIGIN_NOTES = {"radio": "≈", "autoplay": "↻"}
EMPTY = "Queue is empty — press / to search, then Enter or a on a track."


def now_line(entry: QueueEntry | None, up_next: int) -> Text:
    if entry is None:
        return Text("Nothing playing.", style="dim")
    track = entry.track
    line = Text("Now playing: ", style="dim")
    line.append(plain(track.title), "bold")
    if track.artist_name:
        line.append(f" — {plain(track.artist_name)}")
    line.append(f"   ·   {up_next} up next", "dim")
    return line


class QueueScreen(AppScreen):
    PLACE = "queue"
    TITLE = "Queue"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("X", "clear", "Clear the queue", show=False, id="queue.clear"),
        # The table's own u, for when the queue is empty and the table hidden (after X).
        Binding("u", "undo", "Undo", show=False, id="queue.undo"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._unsubscribe: Callable[[], None] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="now")
        yield Static(Text(EMPTY), id="queue-empty", classes="empty")
        yield TrackTable(id="queue")
        yield Label("History", classes="section-title", id="history-title")
        yield TrackTable(id="history")

    def on_mount(self) -> None:
        self.session = EditSession.for_queue(self.player)
        table = self.query_one("#queue", TrackTable)
        table.edit(self.session)
        table.note_of = self._note_of
        self._unsubscribe = watch_player(self, self.player, (QueueChanged, NowPlaying))
        self._show_state()
        self.show_current()
        table.focus()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def on_player_changed(self, message: PlayerChanged) -> None:
        ids = [entry.id for entry in self.player.queue.entries]
        if not self.session.matches_backend(ids):
            self.run_worker(self._catch_up(), group="queue-reload", exclusive=True)
        elif (playing := self.player.playing) is not None:
            self.session.retrack(playing.id, playing.track)  # a file named by its tags
        self._show_state()

    def _note_of(self, key: str) -> str:
        entry_id = self.session.backend_id(key)
        entry = None if entry_id is None else self.player.queue.get(entry_id)
        return "" if entry is None or entry.origin is None else ORIGIN_NOTES[entry.origin]

    async def _catch_up(self) -> None:
        """Read the queue again if it changed elsewhere. An edit on its way makes the player
        send events too: once it is done the queue may match, and the undo history stays."""
        await self.session.idle()
        if not self.session.matches_backend([e.id for e in self.player.queue.entries]):
            await self.session.reload()

    def _show_state(self) -> None:
        queue = self.player.queue
        current = self.player.playing or queue.current
        table = self.query_one("#queue", TrackTable)
        table.playing_key = None if current is None else self.session.key_of(current.id)
        after = len(queue) - queue.index(current.id) - 1 if current is not None else len(queue)
        self.query_one("#now", Static).update(now_line(current, after))
        empty = not len(queue)
        self.query_one("#queue-empty").display = empty
        table.display = not empty
        history = [queue.get(i) for i in reversed(queue.snapshot().history)]
        played = [e.track for e in history if e is not None][:HISTORY_SHOWN]
        self.query_one("#history", TrackTable).show(played)
        self.query_one("#history").display = bool(played)
        self.query_one("#history-title").display = bool(played)

    def show_current(self) -> None:
        """Put the cursor on the playing entry."""
        table = self.query_one("#queue", TrackTable)
        keys = [row.key for row in table.rows]
        if table.playing_key in keys:
            table.move_cursor(keys.index(table.playing_key))
            table.focus()

    @on(TrackTable.PlayRequested, "#queue")
    def play_entry(self, event: TrackTable.PlayRequested) -> None:
        event.stop()
        entry_id = self.session.backend_id(event.keys[event.start]) if event.keys else None
        if entry_id is not None:
            self.setlist.command(self.player.play(entry_id))

    @on(TrackTable.PlayRequested, "#history")
    def play_again(self, event: TrackTable.PlayRequested) -> None:
        event.stop()
        self.setlist.command(self.player.add([event.tracks[event.start]], where="now"))

    def action_undo(self) -> None:
        table = self.query_one("#queue", TrackTable)
        table.action_undo()
        table.focus()

    def action_clear(self) -> None:
        # Through the edit session, so u brings the queue back like after any other edit.
        if self.session.clear():
            self.notify("Queue cleared: u puts it back.", timeout=3)
