"""The YourMusic wire format as msgspec Structs, and its conversion to the domain model.

Unknown fields are ignored and optional ones defaulted, so the service may grow
fields without breaking us; a field of the wrong type is a `BadResponse`.
Catalog ids are integers on the wire and strings in the domain.
"""

from __future__ import annotations

import re
from typing import Any, Generic, TypeVar

import msgspec

from setlist.core import models
from setlist.core.errors import BadResponse, malformed

PROVIDER = models.ProviderName.YOURMUSIC.value
T = TypeVar("T")
CatalogId = int | str  # integers per the contract; strings tolerated


def decode(content: bytes, type: type[T]) -> T:
    """Decode a JSON body; anything that is not what the API promises is a BadResponse."""
    try:
        return msgspec.json.decode(content, type=type)
    except msgspec.ValidationError as exc:
        raise BadResponse(
            f"YourMusic sent an answer setlist does not understand ({exc}).", provider=PROVIDER
        ) from None
    except msgspec.DecodeError:
        raise BadResponse(
            "YourMusic sent a broken answer (not valid JSON). Try again in a moment.",
            provider=PROVIDER,
        ) from None
    except RecursionError:
        raise malformed("YourMusic", PROVIDER) from None


class Wire(msgspec.Struct, kw_only=True):
    """Base of the wire types: keyword-only, unknown fields ignored."""


# -- accounts and tokens


class User(Wire):
    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    date_of_birth: str | None = None
    status: str | None = None  # SUBSCRIBED | UNSUBSCRIBED | ...
    tenant_id: str | None = None
    subscription_ends_at: str | None = None

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or self.email or self.id


class Session(Wire):
    access_token: str
    expires_in: float
    refresh_token: str
    refresh_expires_in: float | None = None
    token_type: str = "Bearer"
    user: User | None = None

    def __repr__(self) -> str:  # tokens stay out of logs and tracebacks
        return f"Session(user={self.user!r}, expires_in={self.expires_in})"


class CodeSent(Wire):
    """202 to a one-time-code request: `{"message": ...}` (the same for unknown addresses)."""

    message: str


class VerifyHead(Wire):
    """Tells the two answers of a code check apart: a session or an onboarding token."""

    onboarding_token: str | None = None

    def __repr__(self) -> str:
        return "VerifyHead(...)"


class OnboardingToken(Wire):
    onboarding_token: str
    expires_in: float | None = None

    def __repr__(self) -> str:
        return "OnboardingToken(...)"


class ClientToken(Wire):
    access_token: str
    expires_in: float
    token_type: str = "Bearer"

    def __repr__(self) -> str:
        return f"ClientToken(expires_in={self.expires_in})"


class UserDelegationToken(Wire):
    token: str
    expires_in: float = 600.0
    token_type: str = "Bearer"

    def __repr__(self) -> str:
        return f"UserDelegationToken(expires_in={self.expires_in})"


class CheckoutSession(Wire):
    url: str
    id: str | None = None


# -- errors


class ErrorDetail(Wire):
    code: str | None = None
    message: str | None = None


class ErrorBody(Wire):
    """401/403/404: `{"error": {...}}`; 422: `{"message", "errors": {field: [...]}}`."""

    error: ErrorDetail | None = None
    message: str | None = None
    errors: dict[str, list[str]] | None = None


# -- playlists


class PlaylistTrack(Wire):
    id: str
    playlist_id: str
    track_id: CatalogId
    order: int
    created_at: str | None = None
    updated_at: str | None = None


class Playlist(Wire):
    id: str
    playlist_name: str
    user_id: str | None = None
    tenant_id: str | None = None
    public: bool | None = None
    created_at: str | None = None
    updated_at: str | None = None
    tracks: list[PlaylistTrack] | None = None


class PageMeta(Wire):
    current_page: int = 1
    last_page: int = 1
    total: int | None = None
    per_page: int | None = None


class PlaylistSearchPage(Wire):
    data: list[Playlist]
    meta: PageMeta = msgspec.field(default_factory=PageMeta)


# -- catalog


class Bio(Wire):
    text: str | None = None


class Label(Wire):
    id: CatalogId | None = None
    name: str | None = None


class Artist(Wire):
    id: CatalogId
    name: str
    sortName: str | None = None
    slug: str | None = None
    image: str | None = None
    bio: Bio | None = None


class ArtistHit(Wire):
    id: CatalogId
    name: str
    popularity: float | None = None
    score: float | None = None


class Release(Wire):
    id: CatalogId
    title: str
    version: str | None = None
    type: str | None = None
    year: int | str | None = None  # the reference shows both
    explicitContent: bool = False
    artist: Artist | None = None
    image: str | None = None
    label: Label | None = None
    trackCount: int | None = None
    duration: float | None = None


class ReleaseHit(Wire):
    id: CatalogId
    title: str
    subtitle: str | None = None
    type: str | None = None
    year: int | str | None = None
    explicitContent: bool = False
    trackCount: int | None = None
    artist: Artist | None = None
    label: Label | None = None
    image: str | None = None


class Track(Wire):
    id: CatalogId
    title: str
    stream_id: str | None = None
    version: str | None = None
    artist: Artist | None = None
    cover_art: str | None = None
    trackNumber: int | None = None
    number: int | None = None
    discNumber: int | None = None
    duration: float | None = None
    explicitContent: bool = False
    isrc: str | None = None
    release: Release | None = None


class SearchPage(Wire, Generic[T]):
    results: list[T]
    page: int = 1
    expectedPageSize: int | None = None
    estimatedTotalItems: int | None = None


class ArtistList(Wire):
    artist: list[Artist] = []
    page: int = 1
    pageSize: int | None = None
    totalItems: int | None = None


class ArtistBrowse(Wire):
    artists: ArtistList


class ArtistEnvelope(Wire):
    artist: Artist


class ReleaseList(Wire):
    releases: list[Release] = []
    page: int = 1
    pageSize: int | None = None
    totalItems: int | None = None


class ArtistReleases(Wire):
    releases: ReleaseList


class ReleaseEnvelope(Wire):
    release: Release


class ReleaseTracks(Wire):
    tracks: list[Track]
    page: int = 1
    pageSize: int | None = None
    totalItems: int | None = None


class TrackEnvelope(Wire):
    track: Track


class ReleaseBatchItems(Wire):
    releases: list[Release] = []
    errors: list[Any] = []


class ReleaseBatch(Wire):
    items: ReleaseBatchItems


class TrackBatchItems(Wire):
    tracks: list[Track] = []
    errors: list[Any] = []


class TrackBatch(Wire):
    items: TrackBatchItems


# -- home


class HomeItem(Wire):
    id: str
    type: str
    name: str
    artwork_url: str | None = None
    track_id: str | None = None
    stream_url: str | None = None


class HomeModuleHead(Wire):
    """Just enough of a module to decide whether this client knows its type."""

    type: str


class HomeModule(Wire):
    id: str
    type: str
    layout: str = "list"
    name_key: str | None = None
    name_params: dict[str, Any] | None = None
    items: list[HomeItem] | None = None


class HomePage(Wire):
    # Raw, so that a module of a type we do not know is skipped whatever its shape.
    modules: list[msgspec.Raw]


KNOWN_MODULE_TYPES = frozenset(
    {
        "playlist_carousel",
        "continue_listening",
        "track_list",
        "release_carousel",
        "artist_carousel",
    }
)


# -- conversion to the domain model


def _with_version(title: str, version: str | None) -> str:
    if version and version.casefold() not in title.casefold():
        return f"{title} ({version})"
    return title


def _year(value: int | str | None) -> int | None:
    if isinstance(value, int):
        return value
    match = re.match(r"\s*(\d{4})", value or "")
    return int(match.group(1)) if match else None


def _opt_id(value: CatalogId | None) -> str | None:
    return None if value is None else str(value)


def artist_to_domain(a: Artist | ArtistHit) -> models.Artist:
    if isinstance(a, ArtistHit):
        return models.Artist(provider=PROVIDER, id=str(a.id), name=a.name)
    return models.Artist(
        provider=PROVIDER,
        id=str(a.id),
        name=a.name,
        image_url=a.image or None,
        bio=(a.bio.text or None) if a.bio else None,
    )


def release_to_domain(r: Release | ReleaseHit) -> models.Album:
    version = r.version if isinstance(r, Release) else None
    return models.Album(
        provider=PROVIDER,
        id=str(r.id),
        title=_with_version(r.title, version),
        artist_name=r.artist.name if r.artist else "",
        artist_id=_opt_id(r.artist.id) if r.artist else None,
        year=_year(r.year),
        track_count=r.trackCount,
        kind=r.type or None,
        image_url=r.image or None,
        label=r.label.name if r.label else None,
    )


def track_to_domain(t: Track) -> models.Track:
    artist = t.artist or (t.release.artist if t.release else None)
    release = t.release
    by = release.artist if release else None
    guest = artist is not None and by is not None and str(by.id) != str(artist.id)
    return models.Track(
        provider=PROVIDER,
        id=str(t.id),
        title=_with_version(t.title, t.version),
        artist_name=artist.name if artist else "",
        artist_id=str(artist.id) if artist else None,
        album_title=release.title if release else "",
        album_id=str(release.id) if release else None,
        album_artist_name=by.name if guest and by else "",
        album_artist_id=str(by.id) if guest and by else None,
        duration=t.duration,
        number=t.trackNumber if t.trackNumber is not None else t.number,
        explicit=t.explicitContent,
        image_url=t.cover_art or (release.image if release else None) or None,
        stream_id=t.stream_id or None,
    )


def playlist_to_domain(p: Playlist, my_user_id: str | None) -> models.Playlist:
    return models.Playlist(
        provider=PROVIDER,
        id=p.id,
        name=p.playlist_name,
        public=p.public,
        owner_id=p.user_id,
        owned=my_user_id is not None and p.user_id == my_user_id,
        track_count=len(p.tracks) if p.tracks is not None else None,
        updated_at=p.updated_at,
    )


def entry_to_domain(e: PlaylistTrack, track: models.Track | None = None) -> models.PlaylistEntry:
    return models.PlaylistEntry(
        id=e.id, playlist_id=e.playlist_id, track_id=str(e.track_id), order=e.order, track=track
    )


def module_title(m: HomeModule) -> str:
    """A title from the module's translation key: "home.new_releases" → "New releases"."""
    words = (m.name_key or m.id).rsplit(".", 1)[-1].replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def module_to_domain(m: HomeModule) -> models.HomeModule:
    items = tuple(
        models.HomeItem(
            id=i.id,
            type=i.type,
            name=i.name,
            artwork_url=i.artwork_url,
            track_id=i.track_id,
            stream_url=i.stream_url,
        )
        for i in m.items or ()
    )
    return models.HomeModule(
        id=m.id, type=m.type, layout=m.layout, title=module_title(m), items=items
    )


def home_to_domain(page: HomePage) -> list[models.HomeModule]:
    """The modules of the home page this client can show; other types are skipped."""
    modules = []
    for raw in page.modules:
        head = decode(raw, HomeModuleHead)
        if head.type in KNOWN_MODULE_TYPES:
            modules.append(module_to_domain(decode(raw, HomeModule)))
    return modules


def catalog_page(page: SearchPage[Any], items: list[T]) -> models.Page[T]:
    """A domain page of search results; `next` is None once the estimate is reached."""
    size = page.expectedPageSize or len(page.results)
    total = page.estimatedTotalItems
    more = bool(page.results) and (total is None or page.page * size < total)
    if size and len(page.results) < size:
        more = False
    return models.Page(items=items, total=total, next=page.page + 1 if more else None)


def counted_page(items: list[T], page: int, size: int | None, total: int | None) -> models.Page[T]:
    """A domain page from the `page/pageSize/totalItems` triple of catalog listings."""
    more = bool(items) and total is not None and size is not None and page * size < total
    return models.Page(items=items, total=total, next=page + 1 if more else None)
