"""Home: what the catalogs put forward, one section at a time.

On the left, the sections: the YourMusic home modules the app knows how to show
(unknown module types are skipped by the client, empty ones here), artists A–Z,
and Jamendo's news, most popular tracks, tracks by tag and radios. On the right,
the section under the cursor. A section is read from the network the first time
it is shown.

"Jamendo by tag" has two lists beside its tracks: the tags (genres), and the
orders Jamendo sorts them in (popular this week, this month, of all time, newest).
Moving the cursor in either reads that tag's tracks in that order; Enter goes on
to the next list, as in every section.
"""

from __future__ import annotations

import string
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import ContentSwitcher, OptionList
from textual.widgets.option_list import Option

from setlist.core.models import Album, Artist, Playlist
from setlist.providers.jamendo.models import FeedItem, Radio
from setlist.ui.home_data import home_shelves
from setlist.ui.messages import Open, PlayTracks
from setlist.ui.screens.base import AppScreen
from setlist.ui.server_text import plain, safe
from setlist.ui.widgets.lists import (
    VIM_BINDINGS,
    Column,
    ItemTable,
    album_columns,
    artist_columns,
)
from setlist.ui.widgets.track_table import TrackTable

LETTERS = string.ascii_uppercase
# Jamendo's genres, as tags (`tracks?tags=`): the API has no list of them to read.
TAGS = (
    "electronic", "rock", "pop", "jazz", "ambient", "classical", "folk", "world",
    "hiphop", "metal", "chillout", "lounge", "soundtrack", "reggae", "blues", "punk",
)  # fmt: skip
# (Jamendo's `order`, what the list says)
TAG_ORDERS = (
    ("popularity_week", "Popular this week"),
    ("popularity_month", "Popular this month"),
    ("popularity_total", "Popular of all time"),
    ("releasedate_desc", "Newest first"),
)

FEED_COLUMNS: list[Column[FeedItem]] = [
    Column("News", lambda f: safe(f.title), 52),
    Column("About", lambda f: safe(f.type), 8),
    Column("Date", lambda f: safe(f.date), 10),
]
RADIO_COLUMNS: list[Column[Radio]] = [Column("Radio", lambda r: safe(r.title), 60)]


def table_for(kind: str) -> ItemTable[Any] | TrackTable:
    match kind:
        case "tracks":
            return TrackTable()
        case "albums":
            return ItemTable(album_columns(provider=False))
        case "artists":
            return ItemTable(artist_columns(provider=False))
        case "playlists":  # the home page names its playlists, and says nothing more
            return ItemTable([Column("Playlist", lambda p: safe(p.name), 60)])
        case "feeds":
            return ItemTable(FEED_COLUMNS)
        case _:
            return ItemTable(RADIO_COLUMNS)


@dataclass
class Section:
    key: str  # the id of its pane
    title: str
    kind: str  # tracks | albums | artists | playlists | feeds | radios | letters
    load: Callable[[], Awaitable[list[Any]]] | None = None  # None: items are known
    items: list[Any] | None = None
    shown: bool = False


@dataclass
class SectionLoaded(Message, bubble=False):
    key: str
    items: list[Any]


@dataclass
class ModulesLoaded(Message, bubble=False):
    sections: list[Section]
    turn: int = 0  # the account they were read for (HomeScreen.account_turn)


class SectionMenu(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "focus_content", "Go to the section", show=False, id="home.enter"),
        *VIM_BINDINGS,
    ]

    def action_scroll_top(self) -> None:
        self.action_first()

    def action_scroll_bottom(self) -> None:
        self.action_last()

    def action_half_page(self, direction: int) -> None:
        if direction > 0:
            self.action_page_down()
        else:
            self.action_page_up()

    def action_focus_content(self) -> None:
        self.screen.focus_next()


class HomeScreen(AppScreen):
    PLACE = "home"
    TITLE = "Home"

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, Section] = {}
        # Counts the changes of account since the screen opened: sections read for an
        # earlier account are dropped, never shown.
        self.account_turn = 0
        self._shown_turn = 0

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            yield SectionMenu(id="sections")
            yield ContentSwitcher(id="content")

    def on_mount(self) -> None:
        self.query_one("#sections").loading = True
        self.load_sections()

    def account_changed(self) -> None:
        """Another account (or none): its sections replace the ones shown, at once."""
        for worker in self.workers:
            if worker.node is self and worker.group in self._account_groups():
                worker.cancel()
        self.account_turn += 1
        self.post_message(ModulesLoaded([], self.account_turn))  # clears what is shown
        self.query_one("#sections").loading = True
        self.load_sections()

    def _account_groups(self) -> set[str]:
        return {"home", "letters", *(f"section-{key}" for key in self.sections)}

    @work(exclusive=True, group="home", exit_on_error=False)
    async def load_sections(self) -> None:
        """The YourMusic modules first, then the sections that need no request to list."""
        turn = self.account_turn
        fixed = self._fixed_sections()
        ym = self.services.yourmusic
        try:
            shelves = [] if ym is None else await home_shelves(ym)
        except BaseException:
            self.post_message(ModulesLoaded(fixed, turn))
            raise
        finally:
            if turn == self.account_turn:
                self.query_one("#sections").loading = False
        sections = [Section(s.key, s.title, s.kind, items=s.items) for s in shelves]
        self.post_message(ModulesLoaded(sections + fixed, turn))

    def _fixed_sections(self) -> list[Section]:
        sections = []
        if self.services.yourmusic is not None:
            sections.append(Section("az", "Artists A–Z", "letters"))
        jamendo = self.services.jamendo
        if jamendo is not None:
            sections += [
                Section("jm-news", "Jamendo news", "feeds", lambda: _items(jamendo.feeds())),
                Section(
                    "jm-popular",
                    "Jamendo popular",
                    "tracks",
                    jamendo.popular_tracks,
                ),
                Section("jm-tags", "Jamendo by tag", "tags"),
                Section("jm-radios", "Jamendo radios", "radios", jamendo.radios),
            ]
        return sections

    async def on_modules_loaded(self, message: ModulesLoaded) -> None:
        # Sections may arrive as the app closes (q while Home fills in): its widgets
        # are then gone, or going, and there is nothing left to fill.
        if message.turn != self.account_turn:
            return  # read for an account no longer signed in
        try:
            content = self.query_one(ContentSwitcher)
            menu = self.query_one("#sections", SectionMenu)
        except NoMatches:
            return
        if message.turn != self._shown_turn:
            self._shown_turn = message.turn
            await self._forget_sections(content, menu)
        for section in message.sections:
            if not content.is_attached:
                return
            if section.key not in self.sections:
                self.sections[section.key] = section
                pane = self._pane(section)
                pane.display = False
                await content.mount(pane)
                menu.add_option(Option(Text(section.title), id=section.key))
        if menu.highlighted is None and menu.option_count:
            menu.highlighted = 0
        if self.focused is None:
            menu.focus()

    async def _forget_sections(self, content: ContentSwitcher, menu: SectionMenu) -> None:
        """Drop every section: their panes, their rows."""
        had_focus = self.focused is not None and self.focused is not menu
        self.sections.clear()
        menu.clear_options()
        content.current = None
        await content.remove_children()
        if had_focus:
            menu.focus()

    def _pane(self, section: Section) -> Any:
        if section.kind == "letters":
            pane = Horizontal(
                SectionMenu(*[Option(letter, id=letter) for letter in LETTERS], id="letters"),
                table_for("artists"),
                id=section.key,
            )
        elif section.kind == "tags":
            pane = Horizontal(
                SectionMenu(*[Option(tag, id=tag) for tag in TAGS], id="tags"),
                SectionMenu(*[Option(label, id=o) for o, label in TAG_ORDERS], id="tag-orders"),
                TrackTable(),
                id=section.key,
            )
        else:
            table = table_for(section.kind)
            pane = Horizontal(table, id=section.key)
        return pane

    @on(OptionList.OptionHighlighted, "#sections")
    def show_section(self, event: OptionList.OptionHighlighted) -> None:
        key = event.option.id
        if key is None or key not in self.sections:
            return
        self.query_one(ContentSwitcher).current = key
        section = self.sections[key]
        table = self._table(key)
        if section.items is not None and not section.shown:
            self._fill(section)
        elif section.items is None and section.load is not None and not table.loading:
            table.loading = True
            self.run_worker(
                self._load_section(section), group=f"section-{key}", exit_on_error=False
            )

    def _table(self, key: str) -> ItemTable[Any] | TrackTable:
        pane = self.query_one(f"#{key}")
        return pane.query_one(TrackTable) if pane.query(TrackTable) else pane.query_one(ItemTable)

    def _fill(self, section: Section) -> None:
        table = self._table(section.key)
        items = section.items or []
        if isinstance(table, TrackTable):
            table.show(items)
        else:
            table.set_items(items)
        section.shown = True

    async def _load_section(self, section: Section) -> None:
        assert section.load is not None
        try:
            items = await section.load()
        finally:
            if self.sections.get(section.key) is section:
                self._table(section.key).loading = False
        self.post_message(SectionLoaded(section.key, items))

    def on_section_loaded(self, message: SectionLoaded) -> None:
        section = self.sections.get(message.key)
        if section is None:  # read before the account changed
            return
        section.items = message.items
        self._fill(section)

    @on(OptionList.OptionHighlighted, "#letters")
    def show_letter(self, event: OptionList.OptionHighlighted) -> None:
        ym = self.services.yourmusic
        letter = event.option.id
        if ym is None or letter is None:
            return
        self._table("az").loading = True
        self.run_worker(
            self._load_letter(letter), group="letters", exclusive=True, exit_on_error=False
        )

    async def _load_letter(self, letter: str) -> None:
        ym = self.services.yourmusic
        assert ym is not None
        table = self._table("az")
        try:
            artists = await ym.browse_artists(letter)
        finally:
            table.loading = False
        assert isinstance(table, ItemTable)
        table.set_items(artists)

    @on(OptionList.OptionHighlighted, "#tags")
    @on(OptionList.OptionHighlighted, "#tag-orders")
    def show_tag(self, event: OptionList.OptionHighlighted) -> None:
        if self.services.jamendo is None:
            return
        tags = self.query_one("#tags", SectionMenu)
        orders = self.query_one("#tag-orders", SectionMenu)
        if tags.highlighted is None:
            return
        tag = TAGS[tags.highlighted]
        order = TAG_ORDERS[orders.highlighted or 0][0]
        self._table("jm-tags").loading = True
        self._load_tag(tag, order)

    @work(group="tags", exclusive=True, exit_on_error=False)
    async def _load_tag(self, tag: str, order: str) -> None:
        jamendo = self.services.jamendo
        assert jamendo is not None
        table = self._table("jm-tags")
        try:
            page = await jamendo.tracks_by_tags([tag], order, limit=100)
        finally:
            table.loading = False
        assert isinstance(table, TrackTable)
        table.show(page.items)

    @on(ItemTable.Chosen)
    def choose(self, event: ItemTable.Chosen) -> None:
        item = event.item
        if isinstance(item, FeedItem):
            event.stop()
            self._open_feed(item)
        elif isinstance(item, Radio):
            event.stop()
            self._play_radio(item)

    def _open_feed(self, item: FeedItem) -> None:
        target = item.target_id
        if not target:
            self.notify(plain(f"{item.title}: {item.text}"), markup=False, timeout=10)
            return
        match item.type:
            case "album":
                self.post_message(Open(Album(provider="jamendo", id=target, title=item.title)))
            case "artist":
                self.post_message(Open(Artist(provider="jamendo", id=target, name=item.title)))
            case "playlist":
                self.post_message(Open(Playlist(provider="jamendo", id=target, name=item.title)))

    @work(group="radio", exclusive=True, exit_on_error=False)
    async def _play_radio(self, radio: Radio) -> None:
        jamendo = self.services.jamendo
        assert jamendo is not None
        self.post_message(PlayTracks([await jamendo.radio_track(radio.id)], "now"))


async def _items(page: Awaitable[Any]) -> list[Any]:
    return list((await page).items)
