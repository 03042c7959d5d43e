"""One domain model for every provider.

Each item carries its provider and its provider id, so one queue can mix
catalogs. Provider clients decode their wire formats into these types.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Generic, TypeVar

import msgspec


class ProviderName(StrEnum):
    YOURMUSIC = "yourmusic"
    JAMENDO = "jamendo"
    LOCAL = "local"  # plain files and URLs


_LABELS = {"yourmusic": "YourMusic", "jamendo": "Jamendo", "lastfm": "Last.fm"}


def provider_label(provider: str) -> str:
    """A service's name as people write it (YourMusic, Jamendo, Last.fm)."""
    return _LABELS.get(provider, provider)


RADIO_PREFIX = "radio:"  # the id of a Jamendo radio in a queue: radio:ID


def track_source(track: Track) -> str:
    """Where a track plays from, as the queue, the now-playing bar, `setlist play` and
    `setlist ctl` show it: its catalog, "jamendo radio", "url" for an http(s) address
    given as it is, "local" for a file."""
    if track.provider == ProviderName.LOCAL:
        return "url" if track.id.startswith(("http://", "https://")) else "local"
    if track.provider == ProviderName.JAMENDO and track.id.startswith(RADIO_PREFIX):
        return "jamendo radio"
    return track.provider


class Artist(msgspec.Struct, frozen=True, kw_only=True):
    provider: str
    id: str
    name: str
    image_url: str | None = None
    bio: str | None = None

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.id}"


class Album(msgspec.Struct, frozen=True, kw_only=True):
    provider: str
    id: str
    title: str
    artist_name: str = ""
    artist_id: str | None = None
    year: int | None = None
    track_count: int | None = None
    kind: str | None = None  # album | single | ...
    image_url: str | None = None
    label: str | None = None

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.id}"


# The width in pixels catalogs are asked to size cover art at. The largest cover drawn
# is 8 x 8 half-block pixels (ui.widgets.cover_art): 50 leaves a box filter room and
# keeps each picture a few KB on a slow link.
COVER_PIXELS = 50


# gc=False: a Track holds only strings and numbers, so it can never be part of a cycle,
# and a 10,000-track queue is 10,000 objects fewer for the garbage collector to walk.
class Track(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    provider: str
    id: str
    title: str
    artist_name: str = ""
    artist_id: str | None = None
    album_title: str = ""
    album_id: str | None = None
    # The album's artist when it is not the track's (a guest on someone's release).
    album_artist_name: str = ""
    album_artist_id: str | None = None
    duration: float | None = None  # seconds
    number: int | None = None
    explicit: bool = False
    image_url: str | None = None
    # How to play it; resolved to a stream only when it is about to play.
    stream_id: str | None = None  # YourMusic: the HLS stream id
    audio_url: str | None = None  # Jamendo: the file URL; local: path or URL
    download_allowed: bool | None = None

    def __post_init__(self) -> None:
        # The names an album's tracks repeat are kept once (a big queue, a saved state);
        # str() makes a StrEnum such as ProviderName its plain value, which can be interned.
        for name in ("provider", "artist_name", "album_title", "artist_id", "album_id"):
            value = getattr(self, name)
            if value is not None:
                msgspec.structs.force_setattr(self, name, sys.intern(str(value)))

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.id}"

    @property
    def artists(self) -> list[tuple[str, str]]:
        """(id, name) of each artist the track can be opened at: its own, then its album's."""
        found = [(self.artist_id, self.artist_name), (self.album_artist_id, self.album_artist_name)]
        seen: list[tuple[str, str]] = []
        for artist_id, name in found:
            if artist_id and all(artist_id != known for known, _ in seen):
                seen.append((artist_id, name))
        return seen


class Playlist(msgspec.Struct, frozen=True, kw_only=True):
    provider: str
    id: str
    name: str
    public: bool | None = None
    owner_id: str | None = None
    owner_name: str | None = None
    owned: bool = False  # the signed-in user may edit it
    track_count: int | None = None
    updated_at: str | None = None

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.id}"

    @property
    def owner(self) -> str:
        """Who owns it, as lists show it: a name, "you", "someone else" (a catalog that
        gives only the owner's id), or "—" when nothing is known."""
        if self.owner_name:
            return self.owner_name
        if self.owned:
            return "you"
        return "someone else" if self.owner_id else "—"


class PlaylistEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One row of a playlist: its own id (a track may appear twice), position and track."""

    id: str
    playlist_id: str
    track_id: str
    order: int
    track: Track | None = None


class HomeItem(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    type: str  # playlist | track | album | artist | ...
    name: str
    artwork_url: str | None = None
    track_id: str | None = None
    stream_url: str | None = None


class HomeModule(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    type: str
    layout: str
    title: str
    items: tuple[HomeItem, ...] = ()


T = TypeVar("T")


class Page(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    """One page of results: `next` is the cursor of the following page, None at the end."""

    items: list[T]
    total: int | None = None
    next: int | None = None


class MusicInfo(msgspec.Struct, frozen=True, kw_only=True):
    """What a catalog says of a track's music (Jamendo's `musicinfo`); "" when it says nothing."""

    vocal_instrumental: str = ""  # vocal | instrumental
    gender: str = ""  # of the voice: male | female
    speed: str = ""  # verylow | low | medium | high | veryhigh
    language: str = ""
    acoustic_electric: str = ""
    genres: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # Jamendo's `vartags`: moods and the like


class TrackDetails(msgspec.Struct, frozen=True, kw_only=True):
    """A track with what its catalog knows beyond a list row."""

    track: Track
    release_date: str | None = None
    licence_url: str | None = None
    explicit: bool | None = None  # None: the catalog does not say
    music_info: MusicInfo | None = None
