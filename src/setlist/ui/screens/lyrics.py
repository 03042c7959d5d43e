"""The playing track's lyrics (`e`), following the track as it changes.

Jamendo gives lyrics (`include=lyrics`); a track without them says so, and so does
a catalog without any (YourMusic). The words are the catalog's text, shown as they
are: never read as markup, controls shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from setlist.core.errors import SetlistError
from setlist.core.models import Track
from setlist.core.protocols import TrackFacts
from setlist.ui.messages import PlayerChanged
from setlist.ui.player_port import watch_player
from setlist.ui.screens.base import AppScreen
from setlist.ui.server_text import plain, safe, safe_block
from setlist.ui.sign_in_words import in_app

NO_LYRICS = "No lyrics for this track."
NOTHING_PLAYS = "Nothing is playing: the lyrics of the playing track show here."


class LyricsScreen(AppScreen):
    DEFAULT_CSS = """
    LyricsScreen #lyrics-track { text-style: bold; height: auto; padding: 0 1; }
    LyricsScreen #lyrics-by { color: $text-muted; height: auto; padding: 0 1 1 1; }
    LyricsScreen #lyrics-scroll { height: 1fr; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll('down')", "Scroll down", show=False, id="lyrics.down"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="lyrics.up"),
    ]

    def __init__(self, facts: TrackFacts) -> None:
        super().__init__()
        self.facts = facts
        self.title = "Lyrics"
        self.shown_key: str | None = None  # the track whose lyrics show (or are asked for)
        self._unsubscribe: Callable[[], None] | None = None

    def heading(self) -> str:
        return "Lyrics"

    def compose_body(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="lyrics-track")
            yield Static("", id="lyrics-by")
            with VerticalScroll(id="lyrics-scroll"):
                yield Static("", id="lyrics-text")

    def on_mount(self) -> None:
        super().on_mount()
        from setlist.playback.events import NowPlaying, PlayerGone

        self._unsubscribe = watch_player(self, self.player, (NowPlaying, PlayerGone))
        self.follow()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def on_player_changed(self, message: PlayerChanged) -> None:
        self.follow()

    def follow(self) -> None:
        """Show the playing track's lyrics, if they are not those shown already."""
        track = self.setlist.playback.track
        key = None if track is None else track.key
        if key == self.shown_key and track is not None:
            return
        self.shown_key = key
        if track is None:
            self._show(None, Text(NOTHING_PLAYS))
            return
        self._show(track, Text("Reading the lyrics…", style="dim"))
        self.load(track)

    def _show(self, track: Track | None, words: Text) -> None:
        self.query_one("#lyrics-track", Static).update(safe(track.title if track else ""))
        by = f"{plain(track.artist_name)}" if track and track.artist_name else ""
        self.query_one("#lyrics-by", Static).update(Text(by))
        self.query_one("#lyrics-text", Static).update(words)
        self.query_one("#lyrics-scroll", VerticalScroll).scroll_home(animate=False)

    @work(exclusive=True, group="lyrics", exit_on_error=False)
    async def load(self, track: Track) -> None:
        try:
            words = await self.facts.lyrics(track)
        except SetlistError as exc:
            shown = Text(plain(in_app(exc.message, self.app)))
        else:
            shown = safe_block(words) if words else Text(NO_LYRICS)
        if self.shown_key == track.key:  # the track did not change meanwhile
            self._show(track, shown)

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one("#lyrics-scroll", VerticalScroll)
        if direction == "down":
            scroller.scroll_down()
        else:
            scroller.scroll_up()
