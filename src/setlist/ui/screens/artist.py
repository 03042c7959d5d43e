"""An artist: who they are (where from, website, how they sound), their releases
(of one type, where the catalog can filter them), and their tracks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, Static

from setlist.core.details import ArtistPlace, MusicSummary
from setlist.core.errors import SetlistError
from setlist.core.models import Album, Artist, Page, Track
from setlist.core.protocols import ArtistDetails, CatalogProvider, ReleaseKinds
from setlist.ui.messages import PlayTracks
from setlist.ui.screens.album import failed_text, music_lines
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


@dataclass
class AboutShown(Message, bubble=False):
    """`#place` or `#music` has its text: found, loading, or why it could not be read."""

    part: str
    text: Text | None


@dataclass
class ReleasesFiltered(Message, bubble=False):
    kind: str | None
    releases: Page[Album] | None  # None: they could not be read, `error` says why
    error: Text | None = None


def place_text(place: ArtistPlace) -> Text | None:
    parts = [plain(loc.text) for loc in place.locations if loc.text]
    if place.website:
        parts.append(plain(place.website))
    return Text(" · ".join(parts)) if parts else None


def kind_label(kind: str | None) -> str:
    return "all types" if kind is None else f"{kind}s"


class ArtistScreen(AppScreen):
    PLACE = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("P", "play_all", "Play the top tracks", id="artist.play"),
        Binding("t", "release_kind", "Releases: next type", show=False, id="artist.release_type"),
    ]

    def __init__(self, artist: Artist) -> None:
        super().__init__()
        self.artist = artist
        self.title = plain(artist.name)
        self._next: dict[str, int | None] = {"releases": None, "tracks": None}
        self.release_kind: str | None = None  # None: every type

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
            yield Static(id="place")
            yield Static(id="music")
            yield Static(id="bio", classes="dim")
        yield Label(self._releases_title(), classes="section-title", id="releases-title")
        yield ItemTable(album_columns(provider=False), id="releases")
        yield Label("Tracks", classes="section-title", id="tracks-title")
        yield PagedTrackTable(id="tracks")

    def on_mount(self) -> None:
        for table in self.query("#releases, #tracks"):
            table.loading = True
        for part in self.query("#place, #music"):
            part.display = False
        self.load()
        details = self.services.providers.get(self.artist.provider)
        if isinstance(details, ArtistDetails):
            artist_id = self.artist.id
            self._about("place", "Location", details.artist_place(artist_id), place_text)
            self._about("music", "Music info", details.artist_music(artist_id), _music_text)

    def _about(
        self,
        part: str,
        what: str,
        call: Awaitable[object],
        render: Callable[..., Text | None],
    ) -> None:
        """Load one line of the head in its own worker: its failure is its own."""
        self.post_message(AboutShown(part, Text(f"{what}: loading…", "dim")))

        async def run() -> None:
            try:
                found = await call
            except SetlistError as exc:
                self.post_message(AboutShown(part, failed_text(what, exc)))
                return
            self.post_message(AboutShown(part, render(found)))

        self.run_worker(run(), group=part, exit_on_error=False)

    def on_about_shown(self, message: AboutShown) -> None:
        part = self.query_one(f"#{message.part}", Static)
        part.display = message.text is not None
        if message.text is not None:
            message.text.rstrip()
            part.update(message.text)

    def _kinds(self) -> tuple[str, ...]:
        provider = self.services.providers.get(self.artist.provider)
        return provider.release_kinds if isinstance(provider, ReleaseKinds) else ()

    def _releases_title(self) -> str:
        if not self._kinds():
            return "Releases"
        return f"Releases: {kind_label(self.release_kind)} (t: next type)"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "release_kind":
            return bool(self._kinds())
        return super().check_action(action, parameters)

    def action_release_kind(self) -> None:
        """Show the next type of release: every type, then each the catalog has."""
        kinds: list[str | None] = [None, *self._kinds()]
        if len(kinds) < 2:
            return
        self.release_kind = kinds[(kinds.index(self.release_kind) + 1) % len(kinds)]
        # Said in the title, not with the table's loading indicator, which would take
        # the focus from the list the user is on.
        title = f"Releases: {kind_label(self.release_kind)}: loading…"
        self.query_one("#releases-title", Label).update(title)
        self.filter_releases(self.release_kind)

    @work(exclusive=True, group="release-kind", exit_on_error=False)
    async def filter_releases(self, kind: str | None) -> None:
        try:
            releases = await self._releases(None)
        except SetlistError as exc:
            error = failed_text(f"Releases: {kind_label(kind)}", exc)
            self.post_message(ReleasesFiltered(kind, None, error))
            return
        self.post_message(ReleasesFiltered(kind, releases))

    def on_releases_filtered(self, message: ReleasesFiltered) -> None:
        if message.kind != self.release_kind:
            return  # the user moved on to another type meanwhile
        if message.releases is None:
            self.query_one("#releases-title", Label).update(message.error or "")
            return
        self.query_one("#releases-title", Label).update(self._releases_title())
        table = self.query_one("#releases", ItemTable)
        table.display = True
        self._show("releases", message.releases, first=True)
        self.refresh_bindings()  # the footer: what the list offers may change with its rows
        if not message.releases.items:
            label = self.query_one("#releases-title", Label)
            label.update(Text(f"Releases: no {kind_label(message.kind)} (t: next type)"))

    async def _releases(self, cursor: int | None) -> Page[Album]:
        provider = self.provider
        if self.release_kind is not None and isinstance(provider, ReleaseKinds):
            return await provider.artist_releases(self.artist.id, cursor, kind=self.release_kind)
        return await provider.artist_albums(self.artist.id, cursor)

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
            page = await self._releases(cursor)
        else:
            page = await self.provider.artist_tracks(self.artist.id, cursor)
        self.post_message(MoreLoaded(table_id, page))

    def on_more_loaded(self, message: MoreLoaded) -> None:
        self._show(message.table_id, message.page, first=False)

    def action_play_all(self) -> None:
        tracks = self.query_one("#tracks", PagedTrackTable).tracks
        if tracks:
            self.post_message(PlayTracks(list(tracks), "now"))


def _music_text(music: MusicSummary) -> Text | None:
    return None if music.empty else music_lines(music, gap=False)
