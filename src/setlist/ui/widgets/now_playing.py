"""The now-playing bar at the bottom of every screen.

Quiet by design: it repaints only when what it shows changes, and only the line
that changed. Progress shows whole seconds, so a player ticking four times a
second repaints one line once a second, and a paused player (which sends no
ticks) nothing at all. Nothing here polls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.geometry import Region
from textual.widget import Widget

from setlist.core.models import track_source
from setlist.core.queue import RepeatMode
from setlist.ui.messages import PlayerChanged
from setlist.ui.player_port import PlaybackState, watch_player
from setlist.ui.server_text import duration, plain
from setlist.ui.widgets.cover_art import art_enabled, load_art

if TYPE_CHECKING:
    from setlist.ui.app import SetlistApp

REPEAT_LABELS = {RepeatMode.OFF: "", RepeatMode.ALL: "repeat all", RepeatMode.ONE: "repeat one"}

Shown = tuple[tuple[object, ...], tuple[object, ...]]  # (first line, second line)
ART_COLUMNS = 4  # the playing track's cover, two rows high, left of both lines


class NowPlayingBar(Widget):
    DEFAULT_CSS = """
    NowPlayingBar {
        height: 2;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    NowPlayingBar > .now-playing--title { text-style: bold; }
    NowPlayingBar > .now-playing--dim { color: $text-muted; }
    NowPlayingBar > .now-playing--done { color: $accent; }
    NowPlayingBar > .now-playing--todo { color: $panel-lighten-2; }
    NowPlayingBar > .now-playing--flag { color: $accent; text-style: bold; }
    NowPlayingBar > .now-playing--art { background: $panel-lighten-1; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "now-playing--title",
        "now-playing--dim",
        "now-playing--done",
        "now-playing--todo",
        "now-playing--flag",
        "now-playing--art",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: Shown = ((), ())
        self._unsubscribe: Callable[[], None] | None = None
        # The cover beside the track: its URL (None: no room kept for one), and its
        # two lines once they arrive.
        self.art_url: str | None = None
        self.art_lines: list[Text] | None = None

    @property
    def state(self) -> PlaybackState:
        return cast("SetlistApp", self.app).playback

    def on_mount(self) -> None:
        app = cast("SetlistApp", self.app)
        if not app.ready:  # starting: nothing plays yet
            self._shown = self._what_shows()
            return
        from setlist.playback.events import NowPlaying, PlayerGone, Progress, StateChanged

        kinds = (NowPlaying, Progress, StateChanged, PlayerGone)
        self._unsubscribe = watch_player(self, app.player, kinds)
        self._follow_art()
        self._shown = self._what_shows()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def on_player_changed(self, message: PlayerChanged) -> None:
        # Each screen has its bar; one behind another screen, or in another mode,
        # is brought up to date when its screen is shown again (catch_up).
        if self.screen.is_current:
            self.catch_up()

    def catch_up(self) -> None:
        self._follow_art()
        shown = self._what_shows()
        head, progress = (new != old for new, old in zip(shown, self._shown, strict=True))
        self._shown = shown
        if head:
            self.refresh()
        elif progress:
            self.refresh(Region(0, 1, self.size.width, 1))

    def _follow_art(self) -> None:
        """Fetch the playing track's cover when the track changes (in a worker)."""
        track = self.state.track
        app = cast("SetlistApp", self.app)
        url = track.image_url if track is not None and art_enabled(app) else None
        if url == self.art_url:
            return
        self.art_url, self.art_lines = url or None, None
        if url:
            self._load_art(url)

    @work(exclusive=True, group="now-playing-art", exit_on_error=False)
    async def _load_art(self, url: str) -> None:
        lines = await load_art(cast("SetlistApp", self.app), url, ART_COLUMNS, 2)
        if url != self.art_url:
            return
        if lines is None:
            self.art_url = None  # none to be had: the room goes back to the text
        self.art_lines = lines
        self._shown = self._what_shows()
        self.refresh()

    def on_resize(self) -> None:
        self._shown = self._what_shows()

    def _what_shows(self) -> Shown:
        """Everything the bar draws, line by line, at the precision it draws it."""
        s = self.state
        entry = None if s.entry is None else s.entry.id
        # The entry's track: tags may rename it.
        art = (self.art_url, self.art_lines is not None)
        head = (s.entry, s.paused, s.gone, self.size.width, *art)
        duration = None if s.duration is None else round(s.duration)
        flags = (round(s.volume), s.muted, s.volume_set, s.paused, s.shuffle, s.repeat, s.autoplay)
        return head, (entry, int(s.position), duration, *flags, self.size.width)

    def render(self) -> Text:
        width = self.content_region.width or self.size.width
        state = self.state
        track = state.track
        if state.gone:
            return self._gone()
        if track is None:
            dim = self.get_component_rich_style("now-playing--dim")
            idle = Text("Nothing playing — press / to search, Enter to play a track", dim)
            if state.volume_set:  # a volume set now is the next track's: say it took
                volume = "muted" if state.muted else f"vol {round(state.volume)}%"
                idle.append("\n")
                idle.append(volume, self.get_component_rich_style("now-playing--flag"))
                idle.append(" (kept for the next track)", dim)
            return idle
        if self.art_url is None:
            return Text("\n").join([self._head(state, width), self._progress(state, width)])
        width = max(1, width - ART_COLUMNS - 1)
        art = (
            self.art_lines
            or [Text(" " * ART_COLUMNS, self.get_component_rich_style("now-playing--art"))] * 2
        )
        head, progress = self._head(state, width), self._progress(state, width)
        return Text("\n").join(
            [Text.assemble(art[0], " ", head), Text.assemble(art[1], " ", progress)]
        )

    def _gone(self) -> Text:
        """The daemon the app drives stopped: say so, and what can be done."""
        offer = cast("SetlistApp", self.app).gone_offer()
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("■ Player stopped", self.get_component_rich_style("now-playing--flag"))
        line.append(" — the setlist daemon is not running")
        line.append("\n")
        line.append(offer[0].upper() + offer[1:], self.get_component_rich_style("now-playing--dim"))
        return line

    def _head(self, state: PlaybackState, width: int) -> Text:
        track = state.track
        assert track is not None
        dim = self.get_component_rich_style("now-playing--dim")
        provider = Text(plain(track_source(track)), style=dim)
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("⏸ " if state.paused else "▶ ")
        line.append(plain(track.title), self.get_component_rich_style("now-playing--title"))
        for part in (track.artist_name, track.album_title):
            if part:
                line.append("  ·  ", dim)
                line.append(plain(part))
        room = max(1, width - provider.cell_len - 2)
        line.truncate(room, overflow="ellipsis", pad=True)
        line.append("  ")
        line.append_text(provider)
        return line

    def _progress(self, state: PlaybackState, width: int) -> Text:
        flag = self.get_component_rich_style("now-playing--flag")
        dim = self.get_component_rich_style("now-playing--dim")
        position = int(state.position)
        # Rounded, as lists show a track's length (mpv gives 6.99 s for a 7 s track).
        total = None if state.duration is None else round(state.duration)
        flags = Text()
        volume = "muted" if state.muted else f"vol {round(state.volume)}%"
        flags.append(volume, dim)
        if state.paused:
            flags.append("  paused", flag)
        if state.shuffle:
            flags.append("  shuffle", flag)
        if state.repeat is not RepeatMode.OFF:
            flags.append(f"  {REPEAT_LABELS[state.repeat]}", flag)
        if state.autoplay:
            flags.append("  auto", flag)
        elapsed, length = duration(position), duration(total)
        room = width - cell_len(elapsed) - cell_len(length) - flags.cell_len - 5
        line = Text(no_wrap=True)
        line.append(elapsed)
        line.append(" ")
        if room > 0:
            done = 0 if not total else min(room, room * position // total)
            line.append("━" * done, self.get_component_rich_style("now-playing--done"))
            line.append("─" * (room - done), self.get_component_rich_style("now-playing--todo"))
        line.append(" ")
        line.append(length)
        line.append("   ")
        line.append_text(flags)
        return line
