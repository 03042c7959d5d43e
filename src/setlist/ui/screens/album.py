"""An album or release: its tracks, and what Last.fm knows of it when a key is set."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from setlist.core.errors import SetlistError
from setlist.core.models import Album, Artist, Track
from setlist.core.protocols import CatalogProvider
from setlist.providers.lastfm.models import AlbumInfo
from setlist.ui.messages import Open, PlayTracks
from setlist.ui.screens.base import AppScreen
from setlist.ui.server_text import plain, safe, safe_block
from setlist.ui.widgets.cover_art import CoverArt
from setlist.ui.widgets.top_bar import TopBar
from setlist.ui.widgets.track_table import TrackTable

if TYPE_CHECKING:
    from setlist.playback.events import Where

log = logging.getLogger(__name__)


@dataclass
class AlbumLoaded(Message, bubble=False):
    album: Album
    tracks: list[Track]


@dataclass
class LastfmLoaded(Message, bubble=False):
    info: AlbumInfo


def album_facts(album: Album, tracks: list[Track]) -> Text:
    """ "by Artist · 2019 · album · 6 tracks, 24:12 · Label"."""
    parts = [f"by {plain(album.artist_name)}"] if album.artist_name else []
    if album.year:
        parts.append(str(album.year))
    if album.kind:
        parts.append(plain(album.kind))
    if tracks:
        seconds = sum(t.duration or 0 for t in tracks)
        minutes = f"{int(seconds // 60)}:{int(seconds % 60):02d}"
        parts.append(f"{len(tracks)} track{'s' if len(tracks) != 1 else ''}, {minutes}")
    if album.label:
        parts.append(plain(album.label))
    return Text(" · ".join(parts))


def lastfm_text(info: AlbumInfo) -> Text:
    text = Text()
    text.append("Last.fm\n", "bold")
    if info.listeners is not None:
        text.append(f"{info.listeners:,} listeners\n")
    if info.playcount is not None:
        text.append(f"{info.playcount:,} plays\n")
    if info.tags:
        text.append("Tags: ", "dim")
        text.append(", ".join(plain(tag) for tag in info.tags) + "\n")
    if info.summary:
        text.append("\n")
        text.append_text(safe_block(info.summary))
    return text


class AlbumScreen(AppScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("P", "play_all", "Play the album", id="album.play"),
        Binding("A", "queue_all", "Add the album to the queue", show=False, id="album.enqueue"),
        Binding("o", "open_artist", "Go to the artist", show=False, id="album.artist"),
    ]

    def __init__(self, album: Album) -> None:
        super().__init__()
        self.album = album
        self.title = plain(album.title)

    def heading(self) -> str:
        return self.album.title

    @property
    def provider(self) -> CatalogProvider:
        provider = self.services.providers.get(self.album.provider)
        if provider is None:
            raise SetlistError(f"{self.album.provider} is not set up.")
        return provider

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="head"):
            yield CoverArt(id="album-art")
            with Vertical(id="album-head"):
                yield Static(safe(self.album.title, "bold"), id="album-title")
                yield Static(album_facts(self.album, []), id="facts", classes="dim")
        with Horizontal():
            yield TrackTable(id="tracks")
            with VerticalScroll(id="lastfm"):
                yield Static(id="lastfm-info")

    def on_mount(self) -> None:
        self.query_one("#lastfm").display = False
        self.query_one(TrackTable).loading = True
        if self.album.image_url:  # known already: fetched beside the tracks
            self.query_one(CoverArt).show(self.album.image_url)
        self.load()

    @work(exclusive=True, group="album", exit_on_error=False)
    async def load(self) -> None:
        provider = self.provider
        try:
            album, tracks = await asyncio.gather(
                provider.album(self.album.id), provider.album_tracks(self.album.id)
            )
        finally:
            self.query_one(TrackTable).loading = False
        self.post_message(AlbumLoaded(album, tracks))
        lastfm = self.services.lastfm
        if lastfm is not None and lastfm.enabled and album.artist_name:
            try:
                info = await lastfm.album_info(album.artist_name, album.title)
            except SetlistError as exc:
                # Extra facts: their absence is not worth an error on screen.
                log.info("no Last.fm facts for %r: %s", album.title, exc)
                return
            if info is not None:
                self.post_message(LastfmLoaded(info))

    def on_album_loaded(self, message: AlbumLoaded) -> None:
        self.album = message.album
        self.title = plain(message.album.title)
        self.query_one(TopBar).title = message.album.title
        self.query_one("#album-title", Static).update(safe(message.album.title, "bold"))
        self.query_one("#facts", Static).update(album_facts(message.album, message.tracks))
        self.query_one(CoverArt).show(message.album.image_url)
        table = self.query_one(TrackTable)
        table.show(message.tracks)
        table.focus()

    def on_lastfm_loaded(self, message: LastfmLoaded) -> None:
        self.query_one("#lastfm-info", Static).update(lastfm_text(message.info))
        self.query_one("#lastfm").display = True

    def action_play_all(self) -> None:
        self._add_all("now")

    def action_queue_all(self) -> None:
        self._add_all("end")

    def _add_all(self, where: Where) -> None:
        tracks = [row.track for row in self.query_one(TrackTable).all_rows]
        if tracks:
            self.post_message(PlayTracks(tracks, where))

    async def action_open_artist(self) -> None:
        table = self.query_one(TrackTable)
        if (
            self.focused is table and table.row_count
        ):  # a guest's track may ask which artist: as `o` on any track
            await self.app.run_action("go_artist")
            return
        album = self.album
        if album.artist_id:
            name = album.artist_name or "Artist"
            self.post_message(Open(Artist(provider=album.provider, id=album.artist_id, name=name)))
