"""An artist: who they are, their releases, and their tracks."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, Static

from setlist.core.errors import SetlistError
from setlist.core.models import Album, Artist, Page, Track
from setlist.core.protocols import CatalogProvider
from setlist.ui.messages import PlayTracks
from setlist.ui.screens.base import AppScreen
from setlist.ui.server_text import plain, safe, safe_block
from setlist.ui.widgets.lists import ItemTable, LoadMore, PagedTrackTable, album_columns
from setlist.ui.widgets.top_bar import TopBar


@dataclass
class ArtistLoaded(Message, bubble=False):
    artist: Artist
    releases: Page[Album]
    tracks: Page[Track]


@dataclass
class MoreLoaded(Message, bubble=False):
    table_id: str
    page: Page[Album] | Page[Track]


class ArtistScreen(AppScreen):
    PLACE = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("P", "play_all", "Play the top tracks", id="artist.play"),
    ]

    def __init__(self, artist: Artist) -> None:
        super().__init__()
        self.artist = artist
        self.title = plain(artist.name)
        self._next: dict[str, int | None] = {"releases": None, "tracks": None}

    def heading(self) -> str:
        return self.artist.name

    @property
    def provider(self) -> CatalogProvider:
        provider = self.services.providers.get(self.artist.provider)
        if provider is None:
            raise SetlistError(f"{self.artist.provider} is not set up.")
        return provider

    def compose_body(self) -> ComposeResult:
        with Vertical(id="artist-head", classes="head"):
            yield Static(safe(self.artist.name, "bold"), id="name")
            yield Static(id="bio", classes="dim")
        yield Label("Releases", classes="section-title", id="releases-title")
        yield ItemTable(album_columns(provider=False), id="releases")
        yield Label("Tracks", classes="section-title", id="tracks-title")
        yield PagedTrackTable(id="tracks")

    def on_mount(self) -> None:
        for table in self.query("#releases, #tracks"):
            table.loading = True
        self.load()

    @work(exclusive=True, group="artist", exit_on_error=False)
    async def load(self) -> None:
        provider = self.provider
        try:
            artist, releases, tracks = await asyncio.gather(
                provider.artist(self.artist.id),
                provider.artist_albums(self.artist.id),
                provider.artist_tracks(self.artist.id),
            )
        finally:
            for table in self.query("#releases, #tracks"):
                table.loading = False
        self.post_message(ArtistLoaded(artist, releases, tracks))

    def on_artist_loaded(self, message: ArtistLoaded) -> None:
        self.artist = message.artist
        self.title = plain(message.artist.name)
        self.query_one(TopBar).title = message.artist.name
        self.query_one("#name", Static).update(safe(message.artist.name, "bold"))
        bio = self.query_one("#bio", Static)
        bio.update(safe_block(message.artist.bio))
        bio.display = bool(message.artist.bio)
        for table_id, page in (("releases", message.releases), ("tracks", message.tracks)):
            self._show(table_id, page, first=True)
        self.query_one("#releases", ItemTable).focus()

    def _show(self, table_id: str, page: Page[Album] | Page[Track], *, first: bool) -> None:
        table = self.query_one(f"#{table_id}")
        self._next[table_id] = page.next
        more = page.next is not None
        if isinstance(table, PagedTrackTable):
            (table.set_tracks if first else table.add_tracks)(page.items, more=more)  # type: ignore[arg-type]  # tracks table: Page[Track]
        elif isinstance(table, ItemTable):
            (table.set_items if first else table.add_items)(page.items, more=more)
        if first and not page.items:
            table.display = False
            label = self.query_one(f"#{table_id}-title", Label)
            label.update(Text(f"{table_id.capitalize()}: none"))

    @on(LoadMore)
    def load_more(self, event: LoadMore) -> None:
        table_id = event.table.id or ""
        cursor = self._next.get(table_id)
        if cursor is not None:
            self.run_worker(
                self._more(table_id, cursor), group=f"more-{table_id}", exit_on_error=False
            )

    async def _more(self, table_id: str, cursor: int) -> None:
        page: Page[Album] | Page[Track]
        if table_id == "releases":
            page = await self.provider.artist_albums(self.artist.id, cursor)
        else:
            page = await self.provider.artist_tracks(self.artist.id, cursor)
        self.post_message(MoreLoaded(table_id, page))

    def on_more_loaded(self, message: MoreLoaded) -> None:
        self._show(message.table_id, message.page, first=False)

    def action_play_all(self) -> None:
        tracks = self.query_one("#tracks", PagedTrackTable).tracks
        if tracks:
            self.post_message(PlayTracks(list(tracks), "now"))
