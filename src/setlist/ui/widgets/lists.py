"""Lists of catalog items, driven like vim: j/k, g/G, Ctrl+D/Ctrl+U.

`ItemTable` shows albums, artists, playlists and anything else that is not a
track (tracks have `TrackTable`, which edits). It keeps the items it shows in
row order, so a screen asks it for the item under the cursor instead of parsing
cells. Enter posts `Chosen`: the app opens a chosen album, artist or playlist,
and a screen with items of its own kind (a radio, a news item) handles them
first.

Both `ItemTable` and `PagedTrackTable` post `LoadMore` once per length when the
cursor or the scroll reaches their last rows while a further page exists, for
the screens that page (search results, an artist's releases).

Every cell is `Text` built by `ui.server_text.safe`: DataTable reads a plain `str` as
markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable

from setlist.core.models import Album, Artist, Playlist, Track
from setlist.ui.server_text import plain, safe
from setlist.ui.widgets.track_table import TrackTable

T = TypeVar("T")

VIM_BINDINGS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", show=False, id="list.down"),
    Binding("k", "cursor_up", "Up", show=False, id="list.up"),
    Binding("g", "scroll_top", "First row", show=False, id="list.first"),
    Binding("G", "scroll_bottom", "Last row", show=False, id="list.last"),
    Binding("ctrl+d", "half_page(1)", "Half a page down", show=False, id="list.half_page_down"),
    Binding("ctrl+u", "half_page(-1)", "Half a page up", show=False, id="list.half_page_up"),
]


LOAD_AHEAD = 5  # rows from the end at which the next page is asked for


class LoadMore(Message):
    """The cursor or the scroll reached the last rows of `table`, and more exist."""

    def __init__(self, table: Widget) -> None:
        super().__init__()
        self.table = table

    @property
    def control(self) -> Widget:
        return self.table


class Pager:
    """Asks for the next page once per length of the list."""

    def __init__(self) -> None:
        self.more = False  # a further page exists
        self._asked_at = -1

    def reset(self) -> None:
        self._asked_at = -1

    def near_end(self, table: Widget, row: int, length: int) -> None:
        if self.more and row >= length - LOAD_AHEAD and self._asked_at != length:
            self._asked_at = length
            table.post_message(LoadMore(table))


@dataclass(frozen=True)
class Column(Generic[T]):
    label: str
    cell: Callable[[T], Text]
    width: int | None = None  # None: as wide as the widest cell


# How far a wide column narrows: the first (a name), and the others. A list first tries
# the roomy least, dropping columns from the right for it, and only then the tight one.
ROOMY = (20, 14)
TIGHT = (12, 10)


def fit_widths(widths: Sequence[int | None], room: int, padding: int) -> list[int | None]:
    """The widths of the columns shown in `room` cells, each `padding` cells wider on screen.

    The wide columns narrow, each as much as it is wider than its least; when that is
    not enough, columns go from the right, the least telling last. A list never scrolls
    sideways. A column of no width (as wide as its cells) is left as it is.
    """
    for least in (ROOMY, TIGHT):
        for count in range(len(widths), 0, -1):
            fitted = _narrowed(list(widths[:count]), room, padding, least)
            if fitted is not None:
                return fitted
    return _narrowed(list(widths[:1]), room, padding, (1, 1)) or list(widths[:1])


def _narrowed(
    widths: list[int | None], room: int, padding: int, least: tuple[int, int]
) -> list[int | None] | None:
    """`widths` narrowed into `room`, none below its least; None when they cannot be."""
    over = sum(w or 0 for w in widths) + padding * len(widths) - room
    if over <= 0:
        return widths
    floors = [least[0] if n == 0 else least[1] for n in range(len(widths))]
    give = [max(0, (w or 0) - floor) for w, floor in zip(widths, floors, strict=True)]
    if sum(give) < over:
        return None
    taken = [over * g // sum(give) for g in give]
    taken[give.index(max(give))] += over - sum(taken)  # what rounding left, from the widest
    return [None if w is None else w - t for w, t in zip(widths, taken, strict=True)]


class ItemTable(DataTable[Text], Generic[T], inherit_bindings=False):
    """Rows of items of one kind; `items[i]` is what row i shows.

    DataTable's bindings minus Left/Right, which move between cells: rows have
    no cells to move between, and the arrows seek in the playing track.
    """

    DEFAULT_CSS = """
    ItemTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose", "Open", id="list.open"),
        Binding("up", "cursor_up", "Up", show=False, id="list.cursor_up"),
        Binding("down", "cursor_down", "Down", show=False, id="list.cursor_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("home", "scroll_top", "First row", show=False, id="list.home"),
        Binding("end", "scroll_bottom", "Last row", show=False, id="list.end"),
        *VIM_BINDINGS,
    ]

    class Chosen(Message):
        """Enter on a row."""

        def __init__(self, table: ItemTable[Any], item: object) -> None:
            super().__init__()
            self.table = table
            self.item = item

        @property
        def control(self) -> ItemTable[object]:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column[T]],
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self._columns_spec = list(columns)
        self._widths: list[int | None] = [c.width for c in self._columns_spec]
        self.items: list[T] = []
        self.pager = Pager()

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        for column, width in zip(self._columns_spec, self._widths, strict=False):
            self.add_column(column.label, width=width)

    def on_resize(self) -> None:
        # Planned with the vertical scrollbar in: rows that come later do not push it out.
        room = self.size.width - self.styles.scrollbar_size_vertical
        if room <= 0:
            return
        widths = fit_widths([c.width for c in self._columns_spec], room, 2 * self.cell_padding)
        if widths == self._widths:
            return
        self._widths = widths
        row = self.cursor_row
        self.clear(columns=True)
        self._add_columns()
        self._add_rows(self.items)
        if self.items:
            self.move_cursor(row=min(row, len(self.items) - 1), animate=False)

    def set_items(self, items: Iterable[T], *, more: bool = False) -> None:
        self.clear()
        self.items = []
        self.pager.reset()
        self.add_items(items, more=more)

    def add_items(self, items: Iterable[T], *, more: bool = False) -> None:
        new = list(items)
        self.items.extend(new)
        self.pager.more = more
        self._add_rows(new)

    def _add_rows(self, items: Iterable[T]) -> None:
        shown = self._columns_spec[: len(self._widths)]
        self.add_rows([column.cell(item) for column in shown] for item in items)

    @property
    def cursor_item(self) -> T | None:
        row = self.cursor_row
        return self.items[row] if 0 <= row < len(self.items) and self.row_count else None

    def action_choose(self) -> None:
        item = self.cursor_item
        if item is not None:
            self.post_message(self.Chosen(self, item))

    def action_half_page(self, direction: int) -> None:
        step = max(1, (self.scrollable_content_region.height - 1) // 2)
        self.move_cursor(row=max(0, min(self.row_count - 1, self.cursor_row + direction * step)))

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        self.pager.near_end(self, self.cursor_row, len(self.items))

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new >= self.max_scroll_y > 0:
            self.pager.near_end(self, len(self.items), len(self.items))


class PagedTrackTable(TrackTable):
    """A TrackTable that grows a page at a time (search results, an artist's tracks)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        self.pager = Pager()  # before TrackTable's __init__, which moves the cursor
        self.tracks: list[Track] = []
        super().__init__(id=id, classes=classes)

    def set_tracks(self, tracks: Iterable[Track], *, more: bool = False) -> None:
        self.tracks = []
        self.pager.reset()
        self.add_tracks(tracks, more=more)

    def add_tracks(self, tracks: Iterable[Track], *, more: bool = False) -> None:
        self.tracks.extend(tracks)
        self.pager.more = more
        self.show(self.tracks)

    def move_cursor(self, row: int) -> None:
        super().move_cursor(row)
        self.pager.near_end(self, self.cursor_row, self.row_count)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if new >= self.max_scroll_y > 0:
            self.pager.near_end(self, self.row_count, self.row_count)


# -- the kinds of rows


def _number(value: int | None, unknown: str = "") -> Text:
    return Text(unknown if value is None else str(value), justify="right")


def _provider(item: Track | Album | Artist | Playlist) -> Text:
    return Text(plain(item.provider), style="dim")


def album_columns(*, provider: bool = True) -> list[Column[Album]]:
    columns: list[Column[Album]] = [
        Column("Album", lambda a: safe(a.title), 30),
        Column("Artist", lambda a: safe(a.artist_name), 22),
        Column("Year", lambda a: _number(a.year), 4),
        Column("Kind", lambda a: safe(a.kind), 6),
    ]
    if provider:
        columns.append(Column("Provider", _provider, 9))
    return columns


def artist_columns(*, provider: bool = True) -> list[Column[Artist]]:
    columns: list[Column[Artist]] = [Column("Artist", lambda a: safe(a.name), 50)]
    if provider:
        columns.append(Column("Provider", _provider, 9))
    return columns


def playlist_columns(*, provider: bool = True) -> list[Column[Playlist]]:
    columns: list[Column[Playlist]] = [
        Column("Playlist", lambda p: safe(p.name), 40),
        Column("Owner", lambda p: safe(p.owner), 20),
        Column("Tracks", lambda p: _number(p.track_count, unknown="—"), 6),
    ]
    if provider:
        columns.append(Column("Provider", _provider, 9))
    return columns
