"""The track list of playlists and the queue: a virtual table that edits through the keyboard.

Only the rows on screen are rendered (Line API), so a 10,000-track list opens
and scrolls as fast as a 10-track one, and a move is a list operation, not a
rebuild. The rows come from a static list (`show`) or from an `EditSession`
(`edit`), whose edits are made with the keys below; the table follows the
session's changes, rollbacks included, and tells the user why an edit was
refused.

Keys (every binding has an id, for the keymap):

    up/k down/j  pageup pagedown  ctrl+u ctrl+d  home/g end/G   cursor
    enter        play (the selection, or the list from the cursor row)
    a / n / +    add to the queue / play next / add to a playlist
    space        select or unselect the row (and go to the next one)
    v            start a range selection (the header row says so); v again keeps it
    escape       clear the selection (when there is none, escape goes on to the screen)
    K shift+up   J shift+down      move the selection (or the row) up / down
    T shift+home B shift+end       move it to the top / to the bottom
    d delete     remove it         u  undo the last edit
    S            sort by the next way (title, artist, album, length, the list's own order)
    O            reverse the sort
    ctrl+f       filter by typing (fuzzy, core.track_view); enter keeps it, escape clears it

A sort or a filter is a view: the list (a playlist, the queue) keeps its order,
and moving rows is refused while one is shown, since a move among sorted or
hidden rows would not land where it looks like it does.

`playing_key` is the key of the row that is playing (the queue sets it): that
row's title is drawn after a ▶. A track you like is drawn after a ♥ (the app's
`likes`, ui.likes), in every track list, and an explicit track after an [E].
`note_of` may give a row a mark of its own (the queue marks what a radio or
autoplay queued).

Server strings are drawn as plain text: `core.text.plain` shows escape and
control characters ("␛[31m") instead of sending them, and cells are never
parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from setlist.core.models import Track, track_source
from setlist.core.playlist_edits import Changed, EditEvent, EditSession, Refused, Row, Saved
from setlist.core.text import plain
from setlist.core.track_view import SORT_LABELS, SORTS, filtered_pairs, haystack, sorted_rows
from setlist.ui.likes import LIKED_MARK, LikedTracks
from setlist.ui.server_text import duration

GUTTER = 2  # the selection mark and a space
# The room (cells for the text columns) from which a column is shown: below these, an
# album column then an artist column would be cut to a few letters, and the titles too.
ALBUM_FROM = 40
ARTIST_FROM = 26
EXPLICIT_MARK = "[E]"  # before the title of a track the catalog marks explicit
# Move up and down share one footer entry ("K J Move"); the help lists them apart.
# The trailing space: a compact footer puts the next key right after a group's label.
MOVE = Binding.Group("Move ", compact=False)


def fit(text: str, width: int, *, right: bool = False) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis, or padded."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


@dataclass(frozen=True, slots=True)
class _Look:
    """What drawing any row depends on, worked out once per frame."""

    width: int
    columns: tuple[tuple[int, bool], ...]
    base: Style
    header: Style
    selected: Style
    cursor: Style
    dim: Style
    mark: Style


class TrackTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Tracks in rows: #, title, artist, album, time, provider. See the module docstring.

    ScrollView's bindings are not inherited: the rows never scroll sideways, and its
    left/right would take the arrows from the app's seek keys (and show in the help).
    """

    DEFAULT_CSS = """
    TrackTable {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
        color: $foreground;
        &:focus { background-tint: $foreground 5%; }
        & > .track-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .track-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .track-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .track-table--selected { background: $accent 30%; }
        & > .track-table--mark { color: $accent; text-style: bold; }
        & > .track-table--dim { color: $foreground-muted; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "track-table--header",
        "track-table--cursor",
        "track-table--selected",
        "track-table--mark",
        "track-table--dim",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False, id="track_table.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="track_table.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("j", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="track_table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="track_table.page_down"),
        Binding("ctrl+u", "half_page(-1)", "Half a page up", show=False, id="list.half_page_up"),
        Binding("ctrl+d", "half_page(1)", "Half a page down", show=False, id="list.half_page_down"),
        Binding("home", "first", "First row", show=False, id="track_table.first"),
        Binding("end", "last", "Last row", show=False, id="track_table.last"),
        Binding("g", "first", "First row", show=False, id="list.first"),
        Binding("G", "last", "Last row", show=False, id="list.last"),
        Binding("enter", "play", "Play", id="track.play"),
        Binding("a", "enqueue", "Queue", show=False, id="track.enqueue"),
        Binding("n", "play_next", "Play next", show=False, id="track.play_next"),
        Binding("plus", "add_to_playlist", "Add to playlist", id="track.add_to_playlist"),
        Binding("space", "toggle", "Select", id="track_table.select"),
        Binding("v", "range", "Select range", show=False, id="track_table.select_range"),
        Binding("escape", "clear", "Clear selection", show=False, id="track_table.clear"),
        Binding("K,shift+up", "move('up')", "Move up", id="track_table.move_up", group=MOVE),
        Binding(
            "J,shift+down", "move('down')", "Move down", id="track_table.move_down", group=MOVE
        ),
        Binding("T,shift+home", "move('top')", "To top", show=False, id="track_table.move_top"),
        Binding(
            "B,shift+end", "move('bottom')", "To bottom", show=False, id="track_table.move_bottom"
        ),
        Binding("d,delete", "remove", "Remove", id="track_table.remove"),
        Binding("u", "undo", "Undo", show=False, id="track_table.undo"),
        Binding("S", "sort", "Sort by the next column", show=False, id="track_table.sort"),
        Binding("O", "reverse", "Reverse the sort", show=False, id="track_table.reverse"),
        Binding("ctrl+f", "filter", "Filter by typing", show=False, id="track_table.filter"),
    ]
    EDIT_ACTIONS: ClassVar[frozenset[str]] = frozenset({"move", "remove", "undo"})
    # What the keys do while the filter is typed: Enter, Escape, and the non-printing keys.
    TYPING_ACTIONS: ClassVar[frozenset[str]] = frozenset({"play", "clear", "page", "half_page"})

    playing_key: reactive[str | None] = reactive(None)
    """The key of the row that is playing, marked with a ▶ before its title."""

    # -- messages

    class _TableMessage(Message):
        def __init__(self, table: TrackTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> TrackTable:
            return self.table

    class PlayRequested(_TableMessage):
        """Enter: play `tracks` from `start` (the selection from 0, else the list from the
        cursor row). `keys` are the rows' keys (queue entry ids in the queue)."""

        def __init__(
            self, table: TrackTable, tracks: list[Track], keys: list[str], start: int
        ) -> None:
            super().__init__(table)
            self.tracks = tracks
            self.keys = keys
            self.start = start

    class AddToQueue(_TableMessage):
        """`a` (at the end, `next` False) or `n` (right after the current track)."""

        def __init__(self, table: TrackTable, tracks: list[Track], *, next: bool = False) -> None:
            super().__init__(table)
            self.tracks = tracks
            self.next = next

    class AddToPlaylist(_TableMessage):
        """`+`: the screen opens the playlist picker for these tracks."""

        def __init__(self, table: TrackTable, tracks: list[Track]) -> None:
            super().__init__(table)
            self.tracks = tracks

    class Moved(_TableMessage):
        """Rows moved (shown at once; the session sends the edit)."""

        def __init__(self, table: TrackTable, keys: list[str], where: str) -> None:
            super().__init__(table)
            self.keys = keys
            self.where = where

    class Removed(_TableMessage):
        def __init__(self, table: TrackTable, tracks: list[Track]) -> None:
            super().__init__(table)
            self.tracks = tracks

    class EditRefused(_TableMessage):
        """The backend refused an edit; the rows are back as they were. Already notified."""

        def __init__(self, table: TrackTable, message: str) -> None:
            super().__init__(table)
            self.message = message

    # -- life

    def __init__(
        self,
        tracks: Iterable[Track] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        album_column: bool = True,
    ) -> None:
        """`album_column`: False where every row is of one album (an album's page)."""
        super().__init__(name=name, id=id, classes=classes)
        self._album_column = album_column
        self._source: Sequence[Row] = []  # the list as it is (a session's rows)
        self._rows: Sequence[Row] = []  # as shown: the source, or sorted and filtered
        self._sort = "own"
        self._descending = False
        self._filter = ""
        self._typing = False  # keys go to the filter
        self._texts: dict[str, tuple[Track, str]] = {}  # row key -> what the filter searches
        self._session: EditSession | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._cursor = 0
        self._cursor_key: str | None = None  # the cursor stays on its row when rows move
        self._marked_now: set[str] = set()
        self._look: _Look | None = None
        self._selected: set[str] = set()
        self._anchor: int | None = None  # where a range selection started
        self._time_width = 5
        self._measured = -1  # how many rows `_time_width` was measured on
        self._likes: LikedTracks | None = None
        self._unwatch_likes: Callable[[], None] | None = None
        # A mark before a row's title, by row key (the queue's: who queued it), if any.
        self.note_of: Callable[[str], str] | None = None
        # Why edits are refused before they are sent (someone else's playlist), if they are.
        self.read_only_reason = "This list cannot be edited."
        self.show(tracks)

    def on_unmount(self) -> None:
        self._detach()
        if self._unwatch_likes is not None:
            self._unwatch_likes()

    # -- content

    def show(self, tracks: Iterable[Track]) -> None:
        """Show a fixed list of tracks (search results, an album): no editing."""
        self._detach()
        self._set_rows([Row(str(i), t) for i, t in enumerate(tracks)])

    def edit(self, session: EditSession) -> None:
        """Show the session's rows and edit them with the keys."""
        self._detach()
        self._session = session
        self._unsubscribe = session.subscribe(self._on_session_event)
        self._set_rows(session.rows)

    @property
    def session(self) -> EditSession | None:
        return self._session

    @property
    def rows(self) -> Sequence[Row]:
        """The rows as shown (sorted and filtered, when they are)."""
        return self._rows

    @property
    def all_rows(self) -> Sequence[Row]:
        """Every row, in the list's own order, whatever the sort and the filter show."""
        return self._source

    @property
    def sort(self) -> tuple[str, bool]:
        """How the rows are sorted: an id of core.track_view.SORTS, and descending or not."""
        return self._sort, self._descending

    @property
    def filter_text(self) -> str:
        return self._filter

    @property
    def viewing(self) -> bool:
        """A sort or a filter is shown: the rows are not the list's own."""
        return self._sort != "own" or self._descending or bool(self._filter)

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def cursor_key(self) -> str | None:
        return self._rows[self._cursor].key if self._rows else None

    @property
    def selected_keys(self) -> list[str]:
        """The selection (a range being drawn included), top to bottom."""
        marked = self._marked()
        return [r.key for r in self._rows if r.key in marked]

    def target_keys(self) -> list[str]:
        """What an action applies to: the selection, else the cursor row."""
        chosen = self.selected_keys
        if chosen:
            return chosen
        key = self.cursor_key
        return [] if key is None else [key]

    def target_tracks(self) -> list[Track]:
        wanted = set(self.target_keys())
        return [r.track for r in self._rows if r.key in wanted]

    def move_cursor(self, row: int) -> None:
        self._cursor = max(0, min(row, len(self._rows) - 1))
        self._cursor_key = self._rows[self._cursor].key if self._rows else None
        if self.is_mounted:
            self._scroll_to_cursor()
            self.refresh()

    def _detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._unsubscribe = None
        self._session = None

    def _set_rows(self, rows: Sequence[Row]) -> None:
        keep = self._cursor_key
        # A move reorders the same list: nothing to measure again then (10,000 rows).
        reordered = rows is self._source and len(rows) == self._measured
        self._source = rows
        if self._selected:
            self._selected &= {r.key for r in rows}
        rows = self._view(rows) if self.viewing else rows
        self._rows = rows
        if self._anchor is not None and self._anchor >= len(rows):
            self._anchor = None
        if not reordered:
            longest = max((r.track.duration or 0 for r in self._source), default=0)
            self._time_width = 7 if longest >= 3600 else 5
            self._measured = len(self._source)
        if self.is_mounted:
            self.virtual_size = Size(self.scrollable_content_region.width, len(rows) + 1)
        where = next((i for i, r in enumerate(rows) if r.key == keep), None)
        self.move_cursor(self._cursor if where is None else where)

    def _view(self, rows: Sequence[Row]) -> list[Row]:
        texts = self._haystacks(rows)
        if self._filter:
            rows, texts = filtered_pairs(rows, texts, self._filter)
        return sorted_rows(rows, self._sort, descending=self._descending, texts=texts)

    def _haystacks(self, rows: Sequence[Row]) -> list[str]:
        """Each row's filter text, folded once per track and kept while the list lives."""
        texts = self._texts
        out = []
        for row in rows:
            known = texts.get(row.key)
            if known is None or known[0] is not row.track:
                known = texts[row.key] = (row.track, haystack(row.track))
            out.append(known[1])
        return out

    def _show_view(self) -> None:
        """Sort and filter the list again, the cursor staying on its row if it is shown."""
        self._set_rows(self._source)
        self.refresh()

    def _on_session_event(self, event: EditEvent) -> None:
        if self._session is None:
            return
        if isinstance(event, Changed):
            self._set_rows(self._session.rows)
        elif isinstance(event, Refused):
            message = plain(event.message)
            self.notify(message, title=event.title, severity="error", markup=False)
            self.post_message(self.EditRefused(self, message))
        elif isinstance(event, Saved) and event.note:
            self.notify(f"Saved: {event.label}. {event.note}", severity="warning", markup=False)

    # -- drawing

    def _columns(self, width: int) -> tuple[tuple[int, bool], ...]:
        """(width, right-aligned) of #, title, artist, album, time, provider.

        A narrow table drops the provider, then the album, then the artist (a width of 0),
        before titles are cut short: the title says which track a row is.
        """
        number = max(2, len(str(len(self._rows))))
        time = self._time_width
        provider = 9 if width >= 70 else 0
        # The number, time and title columns, and the gaps between them.
        free = max(0, width - GUTTER - number - time - 2 - (provider + 1 if provider else 0))
        title = artist = album = 0
        if self._album_column and free - 2 >= ALBUM_FROM:  # title, artist, album (two gaps)
            free -= 2
            title = free * 9 // 20
            artist = free * 6 // 20
            album = free - title - artist
        elif free - 1 >= ARTIST_FROM:  # title and artist
            free -= 1
            title = free * 3 // 5
            artist = free - title
        else:
            title = free
        return (
            (number, True),
            (title, False),
            (artist, False),
            (album, False),
            (time, True),
            (provider, False),
        )

    def _cells(self, index: int) -> list[str]:
        row = self._rows[index]
        track = row.track
        title = plain(track.title)
        if track.explicit:
            title = f"{EXPLICIT_MARK} {title}"
        if self._likes is not None and track in self._likes:
            title = f"{LIKED_MARK} {title}"
        if self.note_of is not None and (note := self.note_of(row.key)):
            title = f"{note} {title}"
        return [
            str(index + 1),
            f"▶ {title}" if row.key == self.playing_key else title,
            plain(track.artist_name),
            plain(track.album_title),
            duration(track.duration),
            plain(track_source(track)),
        ]

    def _marked(self) -> set[str]:
        if self._anchor is None or not self._rows:
            return self._selected
        low, high = sorted((self._anchor, self._cursor))
        return self._selected | {r.key for r in self._rows[low : high + 1]}

    def _look_now(self) -> _Look:
        style = self.get_component_rich_style
        return _Look(
            width=self.scrollable_content_region.width,
            columns=self._columns(self.scrollable_content_region.width),
            base=self.rich_style,
            header=style("track-table--header"),
            selected=style("track-table--selected"),
            cursor=style("track-table--cursor"),
            dim=style("track-table--dim", partial=True),
            mark=style("track-table--mark", partial=True),
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        # Once per frame rather than once per line: styles, widths, the selection.
        self._marked_now = self._marked()
        self._look = self._look_now()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        look = self._look or self._look_now()
        if y == 0:
            header = look.base + look.header
            if self._anchor is not None:  # a mode, as vim's "-- VISUAL --": say so
                return self._range_header(look, header + look.mark)
            if self._typing or self._filter:
                return self._filter_header(look, header + look.mark)
            labels = ["#", "Title", "Artist", "Album", "Time", "Provider"]
            if self._sort != "own" or self._descending:
                # SORTS are in the order of the columns they sort by: #, title, ..., time.
                column = [s for s, _ in SORTS].index(self._sort)
                labels[column] += " ▼" if self._descending else " ▲"
            return self._strip(look, labels, header, header, header, " ")
        index = y - 1 + int(self.scroll_offset.y)
        if index >= len(self._rows):
            return Strip.blank(look.width, look.base)
        marked = self._rows[index].key in self._marked_now
        style = look.base
        if marked:
            style += look.selected
        if index == self._cursor:
            style += look.cursor
        cells = self._cells(index)
        mark = "●" if marked else " "
        return self._strip(look, cells, style, style + look.dim, style + look.mark, mark)

    def _range_header(self, look: _Look, style: Style) -> Strip:
        count = len(self._marked_now)
        rows = f"{count} row{'s' if count != 1 else ''}"
        text = f"  VISUAL · {rows} selected · v keeps them · Esc clears"
        return Strip([Segment(fit(text, look.width), style)], look.width)

    def _filter_header(self, look: _Look, style: Style) -> Strip:
        cursor = "▏" if self._typing else ""
        shown = f"{len(self._rows):,} of {len(self._source):,}"
        keys = "Enter keeps it · Esc clears" if self._typing else "ctrl+f changes · Esc clears"
        text = f"  Filter: {plain(self._filter)}{cursor} · {shown} · {keys}"
        return Strip([Segment(fit(text, look.width), style)], look.width)

    def _strip(
        self, look: _Look, cells: list[str], style: Style, dim: Style, mark_style: Style, mark: str
    ) -> Strip:
        segments = [Segment(mark, mark_style), Segment(" ", style)]
        for n, ((cell_width, right), text) in enumerate(zip(look.columns, cells, strict=True)):
            if cell_width == 0:
                continue
            if n:
                segments.append(Segment(" ", style))
            cell_style = dim if n in (0, 5) else style
            segments.append(Segment(fit(text, cell_width, right=right), cell_style))
        shown = [w for w, _ in look.columns if w]
        used = GUTTER + sum(shown) + len(shown) - 1
        if used < look.width:
            segments.append(Segment(" " * (look.width - used), style))
        return Strip(segments, max(used, look.width)).crop(0, look.width)

    def on_mount(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows) + 1)
        likes = getattr(self.app, "likes", None)
        if isinstance(likes, LikedTracks):
            self._likes = likes
            self._unwatch_likes = likes.subscribe(self.refresh)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows) + 1)
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        visible = self._page_height()
        top = int(self.scroll_offset.y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + visible:
            self.scroll_to(y=self._cursor - visible + 1, animate=False)

    # -- mouse

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = offset.y - 1 + int(self.scroll_offset.y)
        if index < len(self._rows):
            self.move_cursor(index)
            if event.chain == 2:
                self.action_play()

    # -- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._typing and action not in self.TYPING_ACTIONS:
            # The app runs a key's binding before the widget sees the key (ui.key_order):
            # while the filter is typed, "j" or "n" is a letter of it, not a move.
            return False
        if action in self.EDIT_ACTIONS:
            return self._session is not None
        if action == "clear":
            busy = self._typing or bool(self._filter) or self._anchor is not None
            return busy or bool(self._selected)
        return True

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # While the filter is typed, printable keys are its text, not their bindings.
        return self._typing and character is not None and character.isprintable()

    def on_key(self, event: events.Key) -> None:
        if not self._typing:
            return
        if event.key == "backspace":
            self._set_filter(self._filter[:-1])
        elif event.character is not None and event.character.isprintable():
            self._set_filter(self._filter + event.character)
        else:
            return
        event.stop()
        event.prevent_default()

    def _set_filter(self, text: str) -> None:
        self._filter = text
        self._show_view()

    def action_filter(self) -> None:
        self._typing = True
        self.refresh()

    def action_sort(self) -> None:
        ids = [s for s, _ in SORTS]
        self._sort = ids[(ids.index(self._sort) + 1) % len(ids)]
        self._descending = False
        self._show_view()
        self._say_sort()

    def action_reverse(self) -> None:
        self._descending = not self._descending
        self._show_view()
        self._say_sort()

    def _say_sort(self) -> None:
        label = SORT_LABELS[self._sort]
        way = ", reversed" if self._descending else ""
        if self._sort == "own" and not self._descending:
            message = "In the list's own order."
        elif self._session is not None:
            message = (
                f"Sorted by {label}{way}: only a view, the list keeps its own order. "
                "S until its own order to move tracks."
            )
        else:
            message = f"Sorted by {label}{way}."
        self.notify(message, markup=False)

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self._cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self._cursor + direction * self._page_height())

    def action_half_page(self, direction: int) -> None:
        self.move_cursor(self._cursor + direction * max(1, self._page_height() // 2))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self._rows) - 1)

    def action_play(self) -> None:
        if self._typing:  # enter keeps the filter and gives the keys back to the list
            self._typing = False
            self.refresh()
            return
        if not self._rows:
            return
        chosen = self.selected_keys
        if chosen:
            wanted = set(chosen)
            rows = [r for r in self._rows if r.key in wanted]
            start = 0
        else:
            rows, start = list(self._rows), self._cursor
        self.post_message(
            self.PlayRequested(self, [r.track for r in rows], [r.key for r in rows], start)
        )

    def action_enqueue(self) -> None:
        if tracks := self.target_tracks():
            self.post_message(self.AddToQueue(self, tracks))

    def action_play_next(self) -> None:
        if tracks := self.target_tracks():
            self.post_message(self.AddToQueue(self, tracks, next=True))

    def action_add_to_playlist(self) -> None:
        if tracks := self.target_tracks():
            self.post_message(self.AddToPlaylist(self, tracks))

    def action_toggle(self) -> None:  # type: ignore[override]  # the selection, not DOMNode's
        key = self.cursor_key
        if key is None:
            return
        self._selected ^= {key}
        self.move_cursor(self._cursor + 1)

    def action_range(self) -> None:
        if self._anchor is None:
            self._anchor = self._cursor
        else:
            self._selected = self._marked()
            self._anchor = None
        self.refresh()

    def action_clear(self) -> None:
        if self._typing or self._filter:
            self._typing = False
            self._set_filter("")
            return
        self._selected.clear()
        self._anchor = None
        self.refresh()

    def _editable_session(self) -> EditSession | None:
        session = self._session
        if session is not None and not session.editable:
            self.notify(self.read_only_reason, severity="warning", markup=False)
            return None
        return session

    def action_move(self, where: str) -> None:
        if self._session is not None and self.viewing:
            shown = "sorted" if self._sort != "own" or self._descending else "filtered"
            self.notify(
                f"Not moved: the list is {shown}, a view only, so a move would not land "
                "where it shows. S until its own order and Esc the filter, then move.",
                severity="warning",
                markup=False,
            )
            return
        session = self._editable_session()
        keys = self.target_keys()
        if session is None or not keys:
            return
        move = {
            "up": session.move_up,
            "down": session.move_down,
            "top": session.move_to_top,
            "bottom": session.move_to_bottom,
        }[where]
        if self._anchor is not None:  # a move ends the range: it is kept as the selection
            self._selected = self._marked()
            self._anchor = None
        if move(keys):
            self.post_message(self.Moved(self, keys, where))

    def action_remove(self) -> None:
        session = self._editable_session()
        tracks = self.target_tracks()
        if session is None or not tracks:
            return
        keys = self.target_keys()
        self._selected.clear()
        self._anchor = None
        if session.remove(keys):
            self.post_message(self.Removed(self, tracks))

    def action_undo(self) -> None:
        session = self._editable_session()
        if session is not None and not session.undo():
            self.notify("Nothing to undo.", markup=False)
