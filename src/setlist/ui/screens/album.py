"""An album or release: its tracks, and beside them what else is known of it: the
catalog's release date, licence, music info and reviews (Jamendo), and Last.fm's
facts when a key is set. Each part loads and fails on its own."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from setlist.core.details import AlbumFacts, AlbumInfo, MusicSummary, Review
from setlist.core.errors import NotFound, SetlistError
from setlist.core.models import Album, Artist, Track
from setlist.core.protocols import AlbumDetails, CatalogProvider
from setlist.ui.messages import Open, PlayTracks
from setlist.ui.screens.base import AppScreen
from setlist.ui.server_text import duration, plain, safe, safe_block
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
class PartShown(Message, bubble=False):
    """One part of the side pane (`#album-about`, `#reviews`, `#lastfm-info`) has its
    text: what was found, "loading…", or why it could not be read. None hides it."""

    part: str
    text: Text | None


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
    if info.user_playcount is not None:
        text.append(f"{info.user_playcount:,} by you ({plain(info.username)})\n")
    if info.tags:
        text.append("Tags: ", "dim")
        text.append(", ".join(plain(tag) for tag in info.tags) + "\n")
    if info.summary:
        text.append("\n")
        text.append_text(safe_block(info.summary))
        text.append("\n")
    if info.tracks:
        text.append("\nTracks\n", "dim")
        for number, track in enumerate(info.tracks, start=1):
            length = f" {duration(track.duration)}" if track.duration else ""
            text.append(f"{track.rank or number}. {plain(track.name)}{length}\n")
    return text


_CC = re.compile(r"creativecommons\.org/(?:licenses|publicdomain)/([a-z-]+)/([\d.]+)")


def licence_name(url: str) -> str:
    """ "CC BY-SA 3.0" for a Creative Commons URL; any other licence as its URL."""
    match = _CC.search(url)
    if match is None:
        return plain(url)
    kind, version = match.groups()
    return f"CC0 {version}" if kind == "zero" else f"CC {kind.upper()} {version}"


def music_lines(music: MusicSummary, *, gap: bool = True) -> Text:
    """Genres, instruments, tags, speed, voice; the description after them (`gap`: after
    a blank line)."""
    text = Text()
    for label, values in (
        ("Genres", music.genres),
        ("Instruments", music.instruments),
        ("Tags", music.tags),
        ("Speed", music.speeds),
        ("Voice", music.vocal),
    ):
        if values:
            text.append(f"{label}: ", "dim")
            text.append(", ".join(plain(v) for v in values) + "\n")
    if music.description:
        if gap:
            text.append("\n")
        text.append_text(safe_block(music.description))
        text.append("\n")
    return text


def about_text(facts: AlbumFacts) -> Text:
    text = Text()
    if facts.release_date:
        text.append("Released ", "dim")
        text.append(plain(facts.release_date) + "\n")
    if facts.licences:
        text.append("Licence ", "dim")
        text.append(", ".join(licence_name(url) for url in facts.licences) + "\n")
    text.append_text(music_lines(facts.music))
    return text


def reviews_text(reviews: list[Review]) -> Text:
    if not reviews:
        return Text("Reviews: none yet", "dim")
    text = Text()
    text.append(f"Reviews ({len(reviews)})\n", "bold")
    for review in reviews:
        text.append("\n")
        if review.title:
            text.append_text(safe_block(review.title, "bold"))
            text.append("\n")
        byline = [f"by {plain(review.author)}"] if review.author else []
        if review.rating is not None:
            byline.append(f"rating {review.rating:g}")
        if review.date:
            byline.append(plain(review.date))
        if byline:
            text.append(" · ".join(byline) + "\n", "dim")
        if review.text:
            text.append_text(safe_block(review.text))
            text.append("\n")
    return text


def failed_text(what: str, error: SetlistError) -> Text:
    """One line: what could not be read, and why."""
    reason = plain(error.message).strip().splitlines()
    return Text(f"{what} could not be read: {reason[0] if reason else type(error).__name__}")


class AlbumScreen(AppScreen):
    # The track list keeps 60 columns beside the pane (app.tcss: -wide, -narrow).
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [  # type: ignore[misc]  # Textual: ClassVar | None
        (0, "-narrow"),
        (70, "-wide"),
        (96, "-roomy"),
    ]
    DEFAULT_CSS = """
    AlbumScreen #album-about, AlbumScreen #reviews {
        margin-bottom: 1;
    }
    """
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
        with Horizontal(id="album-body"):
            yield TrackTable(id="tracks", album_column=False)
            with VerticalScroll(id="lastfm"):
                yield Static(id="album-about")
                yield Static(id="reviews")
                yield Static(id="lastfm-info")

    def on_mount(self) -> None:
        for part in ("#album-about", "#reviews", "#lastfm-info"):
            self.query_one(part).display = False
        self.query_one("#lastfm").display = False
        self.query_one(TrackTable).loading = True
        if self.album.image_url:  # known already: fetched beside the tracks
            self.query_one(CoverArt).show(self.album.image_url)
        self.load()
        details = self.services.providers.get(self.album.provider)
        if isinstance(details, AlbumDetails):
            album_id = self.album.id
            facts = details.album_facts(album_id)
            self._part("album-about", "Release and music info", facts, about_text)
            self._part("reviews", "Reviews", details.album_reviews(album_id), reviews_text)

    def _part(
        self,
        part: str,
        what: str,
        call: Awaitable[object],
        render: Callable[..., Text],
    ) -> None:
        """Load one part of the side pane in its own worker: its failure is its own."""
        self.post_message(PartShown(part, Text(f"{what}: loading…", "dim")))

        async def run() -> None:
            try:
                found = await call
            except SetlistError as exc:
                self.post_message(PartShown(part, failed_text(what, exc)))
                return
            self.post_message(PartShown(part, render(found)))

        self.run_worker(run(), group=part, exit_on_error=False)

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
            self.post_message(PartShown("lastfm-info", Text("Last.fm: loading…", "dim")))
            try:
                info = await lastfm.album_info(album.artist_name, album.title)
            except NotFound as exc:
                # Last.fm does not know every album: nothing to say about it.
                log.info("no Last.fm facts for %r: %s", album.title, exc)
                info = None
            except SetlistError as exc:
                self.post_message(PartShown("lastfm-info", failed_text("Last.fm", exc)))
                return
            self.post_message(PartShown("lastfm-info", lastfm_text(info) if info else None))

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

    def on_part_shown(self, message: PartShown) -> None:
        part = self.query_one(f"#{message.part}", Static)
        part.display = message.text is not None
        if message.text is not None:
            message.text.rstrip()
            part.update(message.text)
        self.query_one("#lastfm").display = any(
            self.query_one(f"#{p}").display for p in ("album-about", "reviews", "lastfm-info")
        )

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
