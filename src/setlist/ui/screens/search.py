"""Search: one query box, results in tabs across every configured catalog.

Each tab (tracks, albums, artists, playlists) asks every provider for its first
page in a worker of its own, and for the next pages when the cursor or the
scroll reaches the end of what is shown. Results come back as `Results`
messages; a provider that fails does not hide what the others found.

The searches made are kept across runs (store.search_history, the app's
`search_history`): up in the search box recalls the one before, down goes
forward again, to what was being typed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input, Static, TabbedContent, TabPane

from setlist.core.errors import SetlistError
from setlist.core.models import Page
from setlist.core.protocols import CatalogProvider
from setlist.store.search_history import SearchHistory
from setlist.ui.screens.base import AppScreen
from setlist.ui.server_text import plain
from setlist.ui.suggest import CatalogSuggester
from setlist.ui.widgets.lists import (
    ItemTable,
    LoadMore,
    PagedTrackTable,
    album_columns,
    artist_columns,
    playlist_columns,
)

Kind = Literal["tracks", "albums", "artists", "playlists"]
KINDS: tuple[Kind, ...] = ("tracks", "albums", "artists", "playlists")
LABELS: dict[Kind, str] = {
    "tracks": "Tracks",
    "albums": "Albums",
    "artists": "Artists",
    "playlists": "Playlists",
}
START_HINT = "Type a word and press Enter to search tracks, albums, artists and playlists."


async def search_page(
    provider: CatalogProvider, kind: Kind, query: str, page: int | None
) -> Page[Any]:
    match kind:
        case "tracks":
            return await provider.search_tracks(query, page)
        case "albums":
            return await provider.search_albums(query, page)
        case "artists":
            return await provider.search_artists(query, page)
        case "playlists":
            return await provider.search_playlists(query, page)


@dataclass
class Results(Message, bubble=False):
    """A page of results for one tab, from every provider that had one."""

    kind: Kind
    query: str
    items: list[Any]
    cursors: dict[str, int]  # provider -> its next page, for those that have one
    first: bool  # the first page: replaces what the tab shows
    errors: list[SetlistError] = field(default_factory=list)


def fill(
    table: ItemTable[Any] | PagedTrackTable, items: list[Any], *, first: bool, more: bool
) -> int:
    """Show a page of results (the first replaces the others); how many rows are shown."""
    if isinstance(table, PagedTrackTable):
        (table.set_tracks if first else table.add_tracks)(items, more=more)
        return table.row_count
    (table.set_items if first else table.add_items)(items, more=more)
    return len(table.items)


class QueryInput(Input):
    """The search box: up and down walk through the searches made before."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "recall(-1)", "Earlier search", show=False, id="search.history_back"),
        Binding("down", "recall(1)", "Later search", show=False, id="search.history_forward"),
    ]

    def __init__(self, history: SearchHistory | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.history = history
        self._at: int | None = None  # the entry shown; None: what is being typed
        self._draft = ""

    def action_recall(self, step: int) -> None:
        entries = self.history.entries if self.history is not None else []
        if not entries:
            return
        if self._at is None:
            if step > 0:
                return
            self._draft = self.value
            at: int | None = len(entries) - 1
        else:
            at = max(0, self._at + step)
            if at >= len(entries):
                at = None
        self._at = at
        self.value = self._draft if at is None else entries[at]
        self.cursor_position = len(self.value)

    def forget_place(self) -> None:
        """A search was made: up starts again from the newest."""
        self._at = None
        self._draft = ""


class SearchScreen(AppScreen):
    PLACE = "search"
    TITLE = "Search"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next_tab", "Next tab", show=False, id="search.next_tab"),
        Binding("escape", "leave_query", "Leave the search box", show=False, id="search.leave"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        self._focus_results = False  # the first results to come go under the cursor
        self._cursors: dict[Kind, dict[str, int]] = {kind: {} for kind in KINDS}

    def compose_body(self) -> ComposeResult:
        yield QueryInput(
            getattr(self.app, "search_history", None),
            placeholder="Search tracks, albums, artists and playlists",
            suggester=CatalogSuggester(self.services),
            id="query",
        )
        with TabbedContent(id="results"):
            for kind in KINDS:
                with TabPane(LABELS[kind], id=kind):
                    yield Static(START_HINT, classes="empty", markup=False)
                    table: ItemTable[Any] | PagedTrackTable
                    match kind:
                        case "tracks":
                            table = PagedTrackTable()
                        case "albums":
                            table = ItemTable(album_columns())
                        case "artists":
                            table = ItemTable(artist_columns())
                        case "playlists":
                            table = ItemTable(playlist_columns())
                    table.id = f"{kind}-table"
                    table.display = False
                    yield table

    def on_mount(self) -> None:
        self.focus_query()

    def focus_query(self) -> None:
        query = self.query_one("#query", Input)
        query.cursor_blink = False  # a blinking cursor repaints twice a second
        query.focus()

    def table(self, kind: Kind) -> ItemTable[Any] | PagedTrackTable:
        return self.query_one(f"#{kind}-table")  # type: ignore[return-value]  # each #KIND-table is one

    def action_leave_query(self) -> None:
        """Esc in the search box: to the results, or out of the box when there are none,
        so that the keys of the screens work again. Elsewhere Esc does what it always does."""
        if not self.query_one("#query", Input).has_focus:
            raise SkipAction
        table = self.table(self._active_kind())
        if table.display and table.row_count:
            table.focus()
        else:
            self.set_focus(None)

    def action_next_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        at = KINDS.index(tabs.active) if tabs.active in KINDS else -1
        tabs.active = KINDS[(at + 1) % len(KINDS)]
        # Hiding the focused list leaves the focus on the tab bar, where j and Enter do nothing.
        self.call_after_refresh(self._focus_list)

    def _focus_list(self) -> None:
        table = self.table(self._active_kind())
        if table.display and table.row_count:
            table.focus()
        elif table.display:  # still searching: the list takes the focus when its rows come
            self._focus_results = True

    @on(Input.Submitted, "#query")
    def search(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if not query:
            return
        self.query_text = query
        box = self.query_one("#query", QueryInput)
        box.forget_place()
        if box.history is not None:
            try:
                box.history.add(query)
            except OSError as exc:
                self.notify(
                    f"The search could not be kept in the history ({box.history.path}): "
                    f"{exc.strerror or exc}",
                    severity="warning",
                    markup=False,
                )
        for kind in KINDS:
            self._search(kind, query)
        self._focus_results = True

    def _search(self, kind: Kind, query: str) -> None:
        table = self.table(kind)
        fill(table, [], first=True, more=False)
        table.display = True
        table.loading = True
        self.query_one(f"#{kind} .empty", Static).display = False
        self.run_worker(
            self._fetch(kind, query, dict.fromkeys(self.services.providers, 0)),
            group=f"search-{kind}",
            exclusive=True,
            exit_on_error=False,
        )

    def account_changed(self) -> None:
        # Playlists found include the account's own private ones: those of whoever is
        # signed in now, then.
        if self.query_text:
            self._search("playlists", self.query_text)

    def _active_kind(self) -> Kind:
        active = self.query_one(TabbedContent).active
        return active if active in KINDS else "tracks"

    @on(LoadMore)
    def load_more(self, event: LoadMore) -> None:
        kind = next(k for k in KINDS if self.table(k) is event.table)
        cursors = self._cursors[kind]
        if cursors:
            self.run_worker(
                self._fetch(kind, self.query_text, dict(cursors)),
                group=f"search-{kind}",
                exclusive=True,
                exit_on_error=False,
            )

    async def _fetch(self, kind: Kind, query: str, cursors: dict[str, int]) -> None:
        """One page from each provider in `cursors` (0: the first page)."""
        providers = self.services.providers
        names = [name for name in cursors if name in providers]
        pages = await asyncio.gather(
            *(search_page(providers[n], kind, query, cursors[n] or None) for n in names),
            return_exceptions=True,
        )
        items: list[Any] = []
        errors: list[SetlistError] = []
        following: dict[str, int] = {}
        for name, page in zip(names, pages, strict=True):
            if isinstance(page, SetlistError):
                errors.append(page)
            elif isinstance(page, BaseException):
                raise page
            else:
                items.extend(page.items)
                if page.next is not None:
                    following[name] = page.next
        first = all(cursor == 0 for cursor in cursors.values())
        self.post_message(Results(kind, query, items, following, first, errors))
        if errors:
            raise errors[0]  # reported once, by the app's worker error handler

    def on_results(self, message: Results) -> None:
        if message.query != self.query_text:
            return
        table = self.table(message.kind)
        table.loading = False
        self._cursors[message.kind] = message.cursors
        more = bool(message.cursors)
        shown = fill(table, message.items, first=message.first, more=more)
        empty = self.query_one(f"#{message.kind} .empty", Static)
        nothing = not shown
        empty.display = nothing
        table.display = not nothing
        if nothing:
            what = LABELS[message.kind].lower()
            if message.errors:  # the error itself is a notification
                note = f"Could not search the {what}: press Enter in the search box to try again."
            else:
                note = f"No {what} for “{plain(message.query)}” — try another word."
            empty.update(Text(note))
        if self._focus_results and message.kind == self._active_kind() and not nothing:
            self._focus_results = False
            table.focus()
        tabs = self.query_one(TabbedContent)
        count = f"{shown}{'+' if more else ''}"
        tabs.get_tab(message.kind).label = f"{LABELS[message.kind]} {count}"
