"""The small protocols the core is given its services through.

The app, the headless player and the daemon are handed providers that satisfy
these; tests hand them the demo ones. Nothing here imports a provider.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from setlist.core.details import AlbumFacts, AlbumInfo, ArtistPlace, MusicSummary, Review
from setlist.core.models import (
    Album,
    Artist,
    Page,
    Playlist,
    PlaylistEntry,
    Track,
    TrackDetails,
)

if TYPE_CHECKING:
    from setlist.core.library import LibraryItem


@dataclass(frozen=True)
class StreamSource:
    """What the engine hands mpv: a path or URL, and never a credential with it.

    A catalog whose files need a token serves them to mpv on loopback and adds the
    token itself, only towards its own origin (see `providers.media_proxy`).
    """

    url: str


@runtime_checkable
class RadioCatalog(Protocol):
    """A catalog with radios (Jamendo)."""

    async def radio_track(self, radio_id: str) -> Track:
        """The radio as a queue holds it: a track playing its live stream."""
        ...


@runtime_checkable
class SimilarTracks(Protocol):
    """Tracks like the ones given: a radio from one track, autoplay from the last ones
    played. `services.radio` has the catalogs' ways of finding them."""

    async def similar(
        self, seeds: Sequence[Track], *, exclude: Collection[str] = (), limit: int = 25
    ) -> list[Track]:
        """Up to `limit` tracks like `seeds` (the first counts most), none of them a seed
        and none whose `key` is in `exclude`. RadioUnavailable (`core.errors`) when no
        seed is of a catalog that can say what is like it."""
        ...

    async def on_air(self, track: Track) -> tuple[Track, float | None]:
        """A live radio's track, named for the song it plays now, and the seconds
        after which to ask again (None: do not). The track as it was when it is no radio."""
        ...


@runtime_checkable
class CatalogProvider(Protocol):
    """Search and browse one catalog, and resolve its tracks to streams."""

    name: str

    async def search_tracks(self, query: str, page: int | None = None) -> Page[Track]: ...
    async def search_albums(self, query: str, page: int | None = None) -> Page[Album]: ...
    async def search_artists(self, query: str, page: int | None = None) -> Page[Artist]: ...
    async def search_playlists(self, query: str, page: int | None = None) -> Page[Playlist]: ...
    async def album(self, album_id: str) -> Album: ...
    async def album_tracks(self, album_id: str) -> list[Track]: ...
    async def artist(self, artist_id: str) -> Artist: ...
    async def artist_albums(self, artist_id: str, page: int | None = None) -> Page[Album]: ...
    async def artist_tracks(self, artist_id: str, page: int | None = None) -> Page[Track]: ...
    async def track(self, track_id: str) -> Track: ...
    async def playlist_entries(self, playlist_id: str) -> list[PlaylistEntry]: ...
    async def aclose(self) -> None: ...


@runtime_checkable
class AlbumDetails(Protocol):
    """A catalog that knows more of an album than its tracks (Jamendo)."""

    async def album_reviews(self, album_id: str) -> list[Review]: ...
    async def album_facts(self, album_id: str) -> AlbumFacts: ...


@runtime_checkable
class ArtistDetails(Protocol):
    """A catalog that knows where an artist is from and how they sound (Jamendo)."""

    async def artist_place(self, artist_id: str) -> ArtistPlace: ...
    async def artist_music(self, artist_id: str) -> MusicSummary: ...


@runtime_checkable
class ReleaseKinds(Protocol):
    """A catalog that lists an artist's releases of one kind (YourMusic)."""

    release_kinds: tuple[str, ...]

    async def artist_releases(
        self, artist_id: str, page: int | None = None, *, kind: str | None = None
    ) -> Page[Album]: ...


class AlbumFactsSource(Protocol):
    """Where an album's listeners, plays and summary come from (Last.fm)."""

    @property
    def enabled(self) -> bool: ...

    async def album_info(self, artist: str, album: str) -> AlbumInfo | None: ...


@runtime_checkable
class PlaylistEditor(Protocol):
    """A catalog whose playlists the signed-in user can edit."""

    name: str  # the catalog: its playlists hold its own tracks only

    async def my_playlists(self) -> list[Playlist]: ...
    async def create_playlist(self, name: str, public: bool = False) -> Playlist: ...
    async def update_playlist(
        self, playlist_id: str, *, name: str | None = None, public: bool | None = None
    ) -> Playlist: ...
    async def add_track(self, playlist_id: str, track_id: str) -> PlaylistEntry: ...
    async def move_entry(self, playlist_id: str, entry_id: str, order: int) -> PlaylistEntry: ...
    async def remove_entries(
        self, playlist_id: str, entry_ids: list[str]
    ) -> list[PlaylistEntry]: ...
    async def replace_tracks(
        self, playlist_id: str, track_ids: list[str]
    ) -> list[PlaylistEntry]: ...


class SecretStore(Protocol):
    """Where credentials live: the OS keyring, or an opted-in 0600 file.

    Secrets are opaque strings (providers store JSON). Implementations bound
    every call in time: a hung keyring must not hang setlist.
    """

    def load(self, provider: str, account: str) -> str | None: ...
    def save(self, provider: str, account: str, secret: str) -> None: ...
    def delete(self, provider: str, account: str) -> None: ...


@runtime_checkable
class Library(Protocol):
    """The signed-in user's own collection, across the catalogs that keep one.

    Every call but `lookup` raises SignInRequired (with how to sign in) when nobody
    is signed in to the catalog, and LibraryUnsupported (`core.library`) for what
    the catalog cannot do. `unlike` answers whether there was a like to take back.
    """

    async def lookup(self, item: LibraryItem) -> Track | Album | Artist: ...
    async def liked_tracks(self) -> list[Track]: ...
    async def is_liked(self, track: Track) -> bool: ...
    async def favorite_tracks(self) -> list[Track]: ...
    async def followed_artists(self) -> list[Artist]: ...
    async def saved_albums(self) -> list[Album]: ...
    async def playlists(self) -> list[Playlist]: ...
    async def like(self, track: Track) -> None: ...
    async def unlike(self, track: Track) -> bool: ...
    async def dislike(self, track: Track) -> None: ...
    async def favorite(self, track: Track) -> None: ...
    async def follow(self, artist: Artist) -> None: ...
    async def save_album(self, album: Album) -> None: ...
    async def remove_album(self, album: Album) -> None: ...


@runtime_checkable
class TrackFacts(Protocol):
    """What the catalogs know of one track beyond its row: details and lyrics.

    Both raise a SetlistError whose message says what is missing and why (a catalog
    without lyrics, a file in no catalog), never an empty answer for "unknown".
    """

    async def details(self, track: Track) -> TrackDetails: ...
    async def artists(self, track: Track) -> list[Artist]:
        """Whom the track can be opened at: its artist, then its album's when not the same."""
        ...

    async def lyrics(self, track: Track) -> str | None:
        """The words, or None when the catalog has this track without lyrics."""
        ...
