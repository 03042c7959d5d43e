"""JamendoClient: the Jamendo v3.0 catalog behind the CatalogProvider protocol.

One pooled httpx client for everything (reads, OAuth, writes). Reads are GETs
retried by `providers.http.send`; `setuser/*` writes are sent once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx

from setlist.core.closing import AsyncClosing
from setlist.core.details import AlbumFacts, ArtistPlace, MusicSummary, Review
from setlist.core.errors import ConfigError, NotFound, PermissionDenied, ServerError
from setlist.core.limits import search_text
from setlist.core.models import (
    COVER_PIXELS,
    Album,
    Artist,
    Page,
    Playlist,
    PlaylistEntry,
    Track,
    TrackDetails,
)
from setlist.core.protocols import SecretStore, StreamSource
from setlist.providers.http import DEFAULT_DEADLINES, Deadlines, RetryPolicy, make_client, send
from setlist.providers.jamendo import convert as cv
from setlist.providers.jamendo.errors import (
    DEVPORTAL_URL,
    PROVIDER,
    AccessTokenRejected,
    check,
)
from setlist.providers.jamendo.models import FeedItem, Radio, RadioStream, Suggestions, radio_track
from setlist.providers.jamendo.oauth import JamendoOAuth
from setlist.providers.jamendo.wire import (
    Envelope,
    Headers,
    Matches,
    WireAlbum,
    WireArtist,
    WireFeed,
    WirePlaylist,
    WireRadio,
    WireReview,
    WireTrack,
    WireUser,
    decode_results,
)

DEFAULT_BASE_URL = "https://api.jamendo.com/v3.0"
AUDIO_FORMATS = ("mp31", "mp32", "ogg", "flac")
MAX_LIMIT = 200  # Jamendo's cap on one page
MAX_AGGREGATED = 400  # Jamendo's cap on the sub-entities of one answer (albums/tracks...)
# Pictures at the size they are drawn (one of Jamendo's `imagesize` values).
IMAGE_SIZE = {"imagesize": str(COVER_PIXELS)}
MAX_USER_PAGES = 50  # a bound on the pages of one user's likes, fans or albums
# Jamendo lists only album tracks unless asked; a search should find singles too.
ALL_TRACK_TYPES = "single albumtrack"
# How `tracks_by_tags` may order what it finds: Jamendo's `order` values.
TAG_ORDERS = ("popularity_week", "popularity_month", "popularity_total", "releasedate_desc")

W = TypeVar("W")


class JamendoClient(AsyncClosing):
    """Search, browse and play Jamendo; like and fan once the user has signed in."""

    name = PROVIDER

    def __init__(
        self,
        base_url: str,
        client_id: str | None,
        *,
        client_secret: str | None = None,
        audioformat: str = "mp32",
        secrets: SecretStore | None = None,
        account: str = "default",
        page_size: int = 50,
        lang: str = "en",
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
        deadlines: Deadlines = DEFAULT_DEADLINES,
    ) -> None:
        if not client_id:
            raise ConfigError(
                "Jamendo needs a client id: register an app at "
                f"{DEVPORTAL_URL} and put its client id in the config. The built-in demo "
                "catalog (setlist --demo) brings its own and needs none."
            )
        if audioformat not in AUDIO_FORMATS:
            raise ConfigError(
                f"Unknown Jamendo audio format {audioformat!r}: use one of "
                f"{', '.join(AUDIO_FORMATS)}."
            )
        self._client_id = client_id
        self._audioformat = audioformat
        self._page_size = _clamp(page_size)
        self._lang = lang
        self._retry = retry
        self._deadline = deadlines.api
        self._http = make_client(base_url.rstrip("/") + "/", timeout=timeout)
        self.oauth = JamendoOAuth(
            self._http,
            client_id=client_id,
            client_secret=client_secret,
            secrets=secrets,
            account=account,
            retry=retry,
            deadline=deadlines.sign_in,
        )

    # Search

    async def search_tracks(
        self,
        query: str,
        page: int | None = None,
        *,
        limit: int | None = None,
        fullcount: bool = False,
    ) -> Page[Track]:
        params = {
            "search": search_text(query, provider=PROVIDER),
            "type": ALL_TRACK_TYPES,
            **self._look(),
        }
        return await self._track_page("tracks", params, page, limit, fullcount)

    async def popular_tracks(self, limit: int = 50) -> list[Track]:
        """The most played tracks of all time (`order=popularity_total`)."""
        params = {"order": "popularity_total", "type": ALL_TRACK_TYPES, **self._look()}
        return (await self._track_page("tracks", params, None, limit, False)).items

    async def tracks_by_tags(
        self,
        tags: Sequence[str],
        order: str = "popularity_week",
        page: int | None = None,
        *,
        every: bool = True,
        limit: int | None = None,
    ) -> Page[Track]:
        """Tracks with every one of `tags` (`tags`), or any of them (`every=False`:
        `fuzzytags`), in one of TAG_ORDERS."""
        if order not in TAG_ORDERS:
            raise ValueError(f"unknown order {order!r}; one of {', '.join(TAG_ORDERS)}")
        words = " ".join(tag.strip() for tag in tags if tag.strip())
        params = {
            "fuzzytags" if not every else "tags": words,
            "order": order,
            "type": ALL_TRACK_TYPES,
            **self._look(),
        }
        return await self._track_page("tracks", params, page, limit, False)

    async def search_albums(
        self,
        query: str,
        page: int | None = None,
        *,
        limit: int | None = None,
        fullcount: bool = False,
    ) -> Page[Album]:
        head, items, offset, size = await self._paged(
            "albums",
            {"namesearch": search_text(query, provider=PROVIDER), **IMAGE_SIZE},
            WireAlbum,
            page,
            limit,
            fullcount,
        )
        return _page([cv.album(a) for a in items], head, offset, size)

    async def search_artists(
        self,
        query: str,
        page: int | None = None,
        *,
        limit: int | None = None,
        fullcount: bool = False,
    ) -> Page[Artist]:
        head, items, offset, size = await self._paged(
            "artists",
            {"namesearch": search_text(query, provider=PROVIDER), **IMAGE_SIZE},
            WireArtist,
            page,
            limit,
            fullcount,
        )
        return _page([cv.artist(a) for a in items], head, offset, size)

    async def search_playlists(
        self,
        query: str,
        page: int | None = None,
        *,
        limit: int | None = None,
        fullcount: bool = False,
    ) -> Page[Playlist]:
        head, items, offset, size = await self._paged(
            "playlists",
            {"namesearch": search_text(query, provider=PROVIDER)},
            WirePlaylist,
            page,
            limit,
            fullcount,
        )
        return _page([cv.playlist(p) for p in items], head, offset, size)

    async def autocomplete(self, prefix: str, *, limit: int = 5) -> Suggestions:
        """Completions of what the user is typing, grouped: tracks, albums, artists, tags."""
        envelope = await self._get(
            "autocomplete",
            {"prefix": search_text(prefix, provider=PROVIDER), "limit": _clamp(limit)},
        )
        groups = decode_results(envelope.results, dict[str, Matches], "autocomplete suggestions")
        return cv.suggestions(groups)

    # Browse

    async def track(self, track_id: str) -> Track:
        return cv.track(await self._one("tracks", "track", track_id, WireTrack, **self._look()))

    async def track_details(self, track_id: str) -> TrackDetails:
        """The track with its music info (voice, speed, genres, instruments) and licence."""
        wire = await self._one(
            "tracks", "track", track_id, WireTrack, include="musicinfo", **self._look()
        )
        return cv.track_details(wire)

    async def lyrics(self, track_id: str) -> str | None:
        """The track's words; None when Jamendo has none for it."""
        wire = await self._one("tracks", "track", track_id, WireTrack, include="lyrics")
        return (wire.lyrics or "").strip() or None

    async def album(self, album_id: str) -> Album:
        return cv.album(await self._one("albums", "album", album_id, WireAlbum, **IMAGE_SIZE))

    async def album_tracks(self, album_id: str) -> list[Track]:
        album = await self._one("albums/tracks", "album", album_id, WireAlbum, **self._look())
        return [cv.track(t, album=album) for t in album.tracks]

    async def artist(self, artist_id: str) -> Artist:
        return cv.artist(await self._one("artists", "artist", artist_id, WireArtist, **IMAGE_SIZE))

    async def artist_albums(
        self, artist_id: str, page: int | None = None, *, limit: int | None = None
    ) -> Page[Album]:
        # `albums?artist_id=` pages like any list; `artists/albums` pages the artists.
        params = {"artist_id": artist_id, "order": "releasedate_desc", **IMAGE_SIZE}
        head, items, offset, size = await self._paged("albums", params, WireAlbum, page, limit)
        return _page([cv.album(a) for a in items], head, offset, size)

    async def artist_tracks(
        self, artist_id: str, page: int | None = None, *, limit: int | None = None
    ) -> Page[Track]:
        params = {
            "artist_id": artist_id,
            "type": ALL_TRACK_TYPES,
            "order": "releasedate_desc",
            **self._look(),
        }
        return await self._track_page("tracks", params, page, limit, False)

    async def playlist(self, playlist_id: str) -> Playlist:
        return cv.playlist(await self._one("playlists", "playlist", playlist_id, WirePlaylist))

    async def playlist_entries(self, playlist_id: str) -> list[PlaylistEntry]:
        playlist = await self._one(
            "playlists/tracks",
            "playlist",
            playlist_id,
            WirePlaylist,
            tracks_limit=400,
            **self._look(),
        )
        return cv.playlist_entries(playlist)

    async def similar_tracks(
        self, track_id: str, page: int | None = None, *, limit: int | None = None
    ) -> Page[Track]:
        params = {"id": track_id, **self._look()}
        return await self._track_page("tracks/similar", params, page, limit, False)

    # Details

    async def album_reviews(self, album_id: str) -> list[Review]:
        """The listeners' reviews of an album (`reviews/albums`), newest first."""
        params = {"album_id": _id("album", album_id), "limit": MAX_LIMIT, "order": "id_desc"}
        found = await self._list("reviews/albums", params, WireReview)
        return [cv.review(r) for r in found]

    async def album_facts(self, album_id: str) -> AlbumFacts:
        """Release date, licences and music info: `albums/musicinfo` for the album's tags
        and description, its tracks' `include=musicinfo` for genres, instruments, speed
        and voice."""
        album, with_tracks = await asyncio.gather(
            self._one("albums/musicinfo", "album", album_id, WireAlbum),
            self._one("albums/tracks", "album", album_id, WireAlbum, include="musicinfo licenses"),
        )
        return cv.album_facts(album, with_tracks.tracks, self._lang)

    async def artist_place(self, artist_id: str) -> ArtistPlace:
        """Where an artist is from, and their website (`artists/locations`)."""
        return cv.artist_place(
            await self._one("artists/locations", "artist", artist_id, WireArtist)
        )

    async def artist_music(self, artist_id: str) -> MusicSummary:
        """An artist's tags and description (`artists/musicinfo`)."""
        found = await self._one("artists/musicinfo", "artist", artist_id, WireArtist)
        return cv.music([found.musicinfo] if found.musicinfo else [], self._lang)

    async def _one(
        self, method: str, what: str, item_id: str, wire: type[W], **params: str | int
    ) -> W:
        """The `what` with this id; NotFound when Jamendo has none, or it cannot be an id."""
        found = await self._list(method, {"id": _id(what, item_id), **params}, wire)
        return _first(found, what, item_id)

    async def radios(self) -> list[Radio]:
        found = await self._list("radios", {"limit": MAX_LIMIT}, WireRadio)
        return [cv.radio(r) for r in found]

    async def radio_stream(self, radio_id: str) -> RadioStream:
        found = await self._list("radios/stream", {"id": radio_id}, WireRadio)
        return cv.radio_stream(_first(found, "radio", radio_id))

    async def radio_track(self, radio_id: str) -> Track:
        """The radio as a queue holds it (`radio:ID`): a track playing its live stream."""
        wire = await self._one("radios/stream", "radio", radio_id, WireRadio)
        stream = cv.radio_stream(wire)
        if not stream.url:
            raise ServerError(
                f"Jamendo radio {radio_id} has no stream now; try again later.", provider=PROVIDER
            )
        return radio_track(cv.radio(wire), stream)

    async def feeds(self, page: int | None = None, *, limit: int | None = None) -> Page[FeedItem]:
        head, items, offset, size = await self._paged("feeds", {}, WireFeed, page, limit)
        return _page([cv.feed(f, self._lang) for f in items], head, offset, size)

    async def read(self, method: str, params: Mapping[str, str | int]) -> Any:
        """Any read method setlist has no wrapper for (e.g. `reviews/albums`): its results."""
        envelope = await self._get(method.strip("/"), dict(params))
        return decode_results(envelope.results, Any, f"an answer to {method}")

    # Play

    async def resolve_stream(self, track: Track) -> StreamSource:
        """Where to play a track from: its `audio` URL, else the `tracks/file` redirect."""
        if track.audio_url:
            return StreamSource(url=track.audio_url)
        return StreamSource(url=self.file_url(track.id, action="stream"))

    def download_url(self, track: Track) -> str:
        """The address to download a track from, if its artist allows downloads."""
        if track.download_allowed is False:
            raise PermissionDenied(
                f"The artist does not allow downloading {track.title!r}; it can only be streamed.",
                provider=PROVIDER,
            )
        return self.file_url(track.id, action="download")

    def file_url(self, track_id: str, *, action: str = "stream") -> str:
        """`tracks/file`: an HTTP redirect to the audio file (no JSON document)."""
        query = urlencode(
            {
                "client_id": self._client_id,
                "id": track_id,
                "audioformat": self._audioformat,
                "action": action,
            }
        )
        return f"{self._http.base_url}tracks/file/?{query}"

    # The signed-in user

    def authorize_url(self, redirect_uri: str, state: str | None = None) -> str:
        return self.oauth.authorize_url(redirect_uri, state)

    async def exchange(
        self, pasted: str, *, redirect_uri: str | None = None, state: str | None = None
    ) -> None:
        await self.oauth.exchange(pasted, redirect_uri=redirect_uri, state=state)

    async def sign_out(self) -> None:
        await self.oauth.sign_out()

    async def liked_tracks(self) -> list[Track]:
        """The signed-in user's liked tracks, the latest like first."""
        return await self.user_tracks("like")

    async def favorite_tracks(self) -> list[Track]:
        """The signed-in user's favorite tracks, the latest first."""
        return await self.user_tracks("favorite")

    async def user_tracks(self, relation: str) -> list[Track]:
        """`users/tracks` with one `relation` (like, favorite or review), all of them."""
        params = {"relation": relation, **self._look()}
        found = await self._mine("users/tracks", "tracks", params, lambda u: u.tracks)
        return [cv.track(t) for t in found]

    async def followed_artists(self) -> list[Artist]:
        """The artists the signed-in user is a fan of (`users/artists`)."""
        found = await self._mine("users/artists", "artists", {}, lambda u: u.artists)
        return [cv.artist(a) for a in found]

    async def my_albums(self) -> list[Album]:
        """The albums the signed-in user added to their collection (`users/albums`)."""
        found = await self._mine("users/albums", "albums", {}, lambda u: u.albums)
        return [cv.album(a) for a in found]

    async def like(self, track_id: str) -> None:
        await self._as_user("POST", "setuser/like", {"track_id": track_id})

    async def dislike(self, track_id: str) -> None:
        await self._as_user("POST", "setuser/dislike", {"track_id": track_id})

    async def favorite(self, track_id: str) -> None:
        await self._as_user("POST", "setuser/favorite", {"track_id": track_id})

    async def fan(self, artist_id: str) -> None:
        await self._as_user("POST", "setuser/fan", {"artist_id": artist_id})

    async def add_album(self, album_id: str) -> None:
        """`setuser/myalbum`: the album joins the user's albums (Jamendo has no way back)."""
        await self._as_user("POST", "setuser/myalbum", {"album_id": album_id})

    # Lifetime

    async def aclose(self) -> None:
        await self._http.aclose()

    # Plumbing

    def _look(self) -> dict[str, str]:
        """How tracks come: the audio format, and their pictures at the size drawn."""
        return {"audioformat": self._audioformat, **IMAGE_SIZE}

    async def _call(self, method: str, path: str, params: Mapping[str, Any]) -> Envelope:
        fields = {"client_id": self._client_id, "format": "json", **params}
        # Jamendo documents its methods with a trailing slash: /v3.0/tracks/
        url = f"{path}/"
        get = method == "GET"  # reads take the fields in the query, writes as a form
        response = await send(
            self._http,
            method,
            url,
            provider=PROVIDER,
            params=fields if get else None,
            data=None if get else fields,
            retry=self._retry,
            deadline=self._deadline,
        )
        return check(response, secrets=self.oauth.known_secrets())

    async def _get(self, path: str, params: Mapping[str, Any]) -> Envelope:
        return await self._call("GET", path, params)

    async def _as_user(self, method: str, path: str, params: Mapping[str, Any]) -> Envelope:
        token = await self.oauth.access_token()
        try:
            return await self._call(method, path, {**params, "access_token": token})
        except AccessTokenRejected:
            # Expired early or revoked: one refresh, one retry. The server refused the
            # first call, so sending a write again cannot apply it twice.
            token = await self.oauth.refresh(stale=token)
            return await self._call(method, path, {**params, "access_token": token})

    async def _mine(
        self,
        path: str,
        sub: str,
        params: Mapping[str, Any],
        of: Callable[[WireUser], list[W]],
    ) -> list[W]:
        """Every `sub` of the signed-in user from a `users/*` method: one answer holds
        at most MAX_AGGREGATED, so `{sub}_offset` pages on while answers come full."""
        found: list[W] = []
        for _ in range(MAX_USER_PAGES):
            window = {f"{sub}_limit": MAX_AGGREGATED, f"{sub}_offset": len(found)}
            envelope = await self._as_user("GET", path, {**params, **window})
            users = decode_results(envelope.results, list[WireUser], "a list of users")
            page = [item for user in users for item in of(user)]
            found += page
            if len(page) < MAX_AGGREGATED:
                break
        return found

    async def _list(self, path: str, params: Mapping[str, Any], kind: type[W]) -> list[W]:
        envelope = await self._get(path, params)
        return decode_results(envelope.results, list[kind], f"a {path} list")  # type: ignore[valid-type]  # a runtime type for msgspec

    async def _paged(
        self,
        path: str,
        params: Mapping[str, Any],
        kind: type[W],
        page: int | None,
        limit: int | None,
        fullcount: bool = False,
    ) -> tuple[Headers, list[W], int, int]:
        offset = max(0, page or 0)
        size = _clamp(limit or self._page_size)
        window: dict[str, Any] = {"offset": offset, "limit": size}
        if fullcount:
            window["fullcount"] = "true"
        envelope = await self._get(path, {**params, **window})
        items = decode_results(envelope.results, list[kind], f"a {path} list")  # type: ignore[valid-type]  # a runtime type for msgspec
        return envelope.headers, items, offset, size

    async def _track_page(
        self,
        path: str,
        params: Mapping[str, Any],
        page: int | None,
        limit: int | None,
        fullcount: bool,
    ) -> Page[Track]:
        head, items, offset, size = await self._paged(
            path, params, WireTrack, page, limit, fullcount
        )
        return _page([cv.track(t) for t in items], head, offset, size)


def _clamp(limit: int) -> int:
    return max(1, min(MAX_LIMIT, int(limit)))


def _page(items: list[W], head: Headers, offset: int, size: int) -> Page[W]:
    """A page; `next` is the following offset while more may follow."""
    end = offset + len(items)
    total = head.results_fullcount
    if total is not None:
        more = end < total
    elif head.next is not None:
        more = bool(head.next)
    else:  # no hint: a full page may have a successor
        more = len(items) >= size
    return Page(items=items, total=total, next=end if more and items else None)


def _id(what: str, item_id: str) -> str:
    """Jamendo's ids are whole numbers: any other is not there (the API would refuse it
    with a message about its parameters)."""
    if not item_id.isdigit():
        raise NotFound(f"Jamendo has no {what} with id {item_id}.", provider=PROVIDER)
    return item_id


def _first(items: Sequence[W], what: str, item_id: str) -> W:
    if not items:
        raise NotFound(f"Jamendo has no {what} with id {item_id}.", provider=PROVIDER)
    return items[0]
