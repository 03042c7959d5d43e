"""The YourMusic client: catalog, home, account, playlists and streams over one httpx pool.

Every request goes through `providers.http.send` (GETs retried, writes sent
once). A request that needs a user and gets a 401 for its token triggers one
shared renewal (see `YourMusicAuth.renew`) and is sent once more.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import httpx
from msgspec.structs import replace

from setlist.core.closing import AsyncClosing
from setlist.core.errors import BadResponse, NetworkError, NotFound, ProviderError
from setlist.core.limits import search_text
from setlist.core.models import (
    COVER_PIXELS,
    Album,
    Artist,
    HomeModule,
    Page,
    Playlist,
    PlaylistEntry,
    Track,
)
from setlist.providers.http import (
    DEFAULT_DEADLINES,
    Deadlines,
    RetryPolicy,
    make_client,
    origin,
    send,
    transport_reason,
)
from setlist.providers.media_proxy import MediaProxy
from setlist.providers.yourmusic import routes, wire
from setlist.providers.yourmusic.auth import YourMusicAuth
from setlist.providers.yourmusic.errors import is_token_rejection, raise_for_response
from setlist.providers.yourmusic.manifest import check_manifest
from setlist.providers.yourmusic.routes import Auth, Route
from setlist.providers.yourmusic.wire import PROVIDER

T = TypeVar("T")
DEFAULT_BASE_URL = "https://api.yourmusic.today"
BATCH_SIZE = 50  # ids per batch lookup, to keep URLs short
MAX_REDIRECTS = 5
# Pictures at the size they are drawn (one of the catalog's `imageSize` values).
IMAGE_SIZE = {"imageSize": COVER_PIXELS}
MAX_PLAYLIST_BYTES = 4 * 1024 * 1024
# Writes that leave the same result when sent twice: after a lost reply, say so.
REPEATABLE = frozenset({"PUT", "PATCH", "DELETE"})
CLOCK_SKEW = 120.0  # seconds the server's clock may be off ours (for "created after")
COUNT_READS = 4  # playlists whose tracks are read at once, to count them for a listing

log = logging.getLogger(__name__)


class YourMusicClient(AsyncClosing):
    """YourMusic behind the `CatalogProvider` and `PlaylistEditor` protocols, and more."""

    name = PROVIDER
    # The release types `artist_releases` filters by (the API's `type`; it has no EP).
    release_kinds: tuple[str, ...] = ("album", "single", "video")

    def __init__(
        self,
        base_url: str,
        tenant: str,
        auth: YourMusicAuth | None = None,
        *,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        page_size: int = 20,
        deadlines: Deadlines = DEFAULT_DEADLINES,
        exclude_explicit: bool = False,
    ) -> None:
        """`exclude_explicit`: searches leave explicit tracks and releases out."""
        if isinstance(timeout, int | float):
            timeout = httpx.Timeout(timeout)
        self._http = make_client(base_url, timeout=timeout)
        self.tenant = tenant
        self.auth = auth or YourMusicAuth()
        self.auth.bind(self._http, tenant, retry, deadlines)
        self._retry = retry
        self._deadlines = deadlines
        self._page_size = min(50, max(10, page_size))  # the API takes 10..50
        self.exclude_explicit = exclude_explicit
        self._my_id: str | None = None
        # The token goes to this origin only (the catalog's), never to a third party.
        self._origin = origin(str(self._http.base_url))
        self._media = MediaProxy(self.fetch_media, label="YourMusic")

    async def aclose(self) -> None:
        await self._media.aclose()
        await self._http.aclose()

    # -- transport

    async def _call(
        self,
        route: Route,
        *,
        path: Mapping[str, str | int] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        token = await self._token_for(route)
        try:
            response = await self._send(route, path, params, json, token)
            if token is not None and is_token_rejection(response):
                token = await self.auth.renew(token)
                response = await self._send(route, path, params, json, token)
        except NetworkError as exc:
            if route.method in REPEATABLE:
                raise NetworkError(
                    f"{exc.message} Trying again is safe: this change cannot apply twice.",
                    provider=PROVIDER,
                ) from exc
            raise
        raise_for_response(response)
        return response

    async def _token_for(self, route: Route) -> str | None:
        if route.auth is Auth.USER:
            return await self.auth.token()
        if route.auth is Auth.OPTIONAL:
            return await self.auth.optional_token()
        return None

    async def _send(
        self,
        route: Route,
        path: Mapping[str, str | int] | None,
        params: Mapping[str, Any] | None,
        json: Any,
        token: str | None,
    ) -> httpx.Response:
        headers: dict[str, str] = {}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        elif route.auth is Auth.OPTIONAL:
            headers["X-Tenant"] = self.tenant
        return await send(
            self._http,
            route.method,
            route.url(**(path or {})),
            provider=PROVIDER,
            retry=self._retry,
            params={k: v for k, v in (params or {}).items() if v is not None},
            json=json,
            headers=headers,
            deadline=self._deadlines.stream if route is routes.STREAM else self._deadlines.api,
        )

    async def _get(
        self,
        route: Route,
        type: type[T],
        *,
        path: Mapping[str, str | int] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> T:
        response = await self._call(route, path=path, params=params)
        return wire.decode(response.content, type)

    # -- account and home

    async def heartbeat(self) -> bool:
        response = await self._call(routes.HEARTBEAT)
        return response.is_success

    async def home(self) -> list[HomeModule]:
        """The home page: the user's when signed in, the tenant's guest page otherwise."""
        page = await self._get(routes.HOME, wire.HomePage)
        return wire.home_to_domain(page)

    async def me(self) -> wire.User:
        user = await self._get(routes.ME, wire.User)
        self._my_id = user.id
        return user

    async def update_me(
        self,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        date_of_birth: str | None = None,
    ) -> wire.User:
        changes = {"first_name": first_name, "last_name": last_name, "date_of_birth": date_of_birth}
        body = {k: v for k, v in changes.items() if v is not None}
        response = await self._call(routes.UPDATE_ME, json=body)
        return wire.decode(response.content, wire.User)

    async def checkout(
        self, product_slug: str, *, success_url: str | None = None, cancel_url: str | None = None
    ) -> str:
        """The URL of a payment page for a subscription product, for the user to open."""
        body = {"product_slug": product_slug, "success_url": success_url, "cancel_url": cancel_url}
        response = await self._call(
            routes.CHECKOUT, json={k: v for k, v in body.items() if v is not None}
        )
        return wire.decode(response.content, wire.CheckoutSession).url

    async def _user_id(self) -> str | None:
        """Who is signed in, to tell one's own playlists apart; asks /me only when unknown.

        The sign-in's own user id comes first: it follows a sign-in as someone else.
        """
        signed_in = self.auth.user_id
        if signed_in is not None:
            return signed_in
        if self._my_id is None:
            self._my_id = (await self.me()).id
        return self._my_id

    # -- catalog: search and browse

    def _paging(self, page: int | None) -> dict[str, int]:
        return {"page": page or 1, "pageSize": self._page_size}

    async def search_tracks(
        self, query: str, page: int | None = None, *, artist_id: str | None = None
    ) -> Page[Track]:
        params = {
            "q": search_text(query, provider=PROVIDER),
            "artistId": artist_id,
            **self._explicit(),
            **self._paging(page),
        }
        found = await self._get(routes.SEARCH_TRACKS, wire.SearchPage[wire.Track], params=params)
        return wire.catalog_page(found, [wire.track_to_domain(t) for t in found.results])

    async def search_releases(
        self, query: str, page: int | None = None, *, artist_id: str | None = None
    ) -> Page[Album]:
        params = {
            "q": search_text(query, provider=PROVIDER),
            "artistId": artist_id,
            **self._explicit(),
            **self._paging(page),
        }
        found = await self._get(
            routes.SEARCH_RELEASES, wire.SearchPage[wire.ReleaseHit], params=params
        )
        return wire.catalog_page(found, [wire.release_to_domain(r) for r in found.results])

    def _explicit(self) -> dict[str, str]:
        return {"excludeExplicitContent": "true"} if self.exclude_explicit else {}

    async def search_albums(self, query: str, page: int | None = None) -> Page[Album]:
        return await self.search_releases(query, page)

    async def search_artists(self, query: str, page: int | None = None) -> Page[Artist]:
        params = {"q": search_text(query, provider=PROVIDER), **self._paging(page)}
        found = await self._get(
            routes.SEARCH_ARTISTS, wire.SearchPage[wire.ArtistHit], params=params
        )
        return wire.catalog_page(found, [wire.artist_to_domain(a) for a in found.results])

    async def browse_artists(self, letter: str) -> list[Artist]:
        found = await self._get(routes.BROWSE_ARTISTS, wire.ArtistBrowse, params={"letter": letter})
        return [wire.artist_to_domain(a) for a in found.artists.artist]

    # -- catalog: detail

    async def artist(self, artist_id: str) -> Artist:
        found = await self._get(routes.ARTIST, wire.ArtistEnvelope, path={"artist_id": artist_id})
        return wire.artist_to_domain(found.artist)

    async def artist_releases(
        self, artist_id: str, page: int | None = None, *, kind: str | None = None
    ) -> Page[Album]:
        """An artist's releases, newest first; `kind` is album, single or video."""
        params = {"type": kind, **self._paging(page), **IMAGE_SIZE}
        found = await self._get(
            routes.ARTIST_RELEASES,
            wire.ArtistReleases,
            path={"artist_id": artist_id},
            params=params,
        )
        listing = found.releases
        items = [wire.release_to_domain(r) for r in listing.releases]
        return wire.counted_page(items, listing.page, listing.pageSize, listing.totalItems)

    async def artist_albums(self, artist_id: str, page: int | None = None) -> Page[Album]:
        return await self.artist_releases(artist_id, page)

    async def artist_tracks(self, artist_id: str, page: int | None = None) -> Page[Track]:
        # The API has no such listing: a track search on the artist's name, filtered to them.
        artist = await self.artist(artist_id)
        return await self.search_tracks(artist.name, page, artist_id=artist_id)

    async def release(self, release_id: str) -> Album:
        found = await self._get(
            routes.RELEASE,
            wire.ReleaseEnvelope,
            path={"release_id": release_id},
            params=IMAGE_SIZE,
        )
        return wire.release_to_domain(found.release)

    async def release_tracks(self, release_id: str) -> list[Track]:
        found = await self._get(
            routes.RELEASE_TRACKS,
            wire.ReleaseTracks,
            path={"release_id": release_id},
            params=IMAGE_SIZE,
        )
        return [wire.track_to_domain(t) for t in found.tracks]

    async def album(self, album_id: str) -> Album:
        return await self.release(album_id)

    async def album_tracks(self, album_id: str) -> list[Track]:
        return await self.release_tracks(album_id)

    async def track(self, track_id: str) -> Track:
        found = await self._get(
            routes.TRACK, wire.TrackEnvelope, path={"track_id": track_id}, params=IMAGE_SIZE
        )
        return wire.track_to_domain(found.track)

    async def tracks_by_ids(self, track_ids: Iterable[str]) -> list[Track]:
        """Tracks in the order asked; ids the catalog does not know are left out."""
        ids = list(dict.fromkeys(track_ids))
        found: dict[str, Track] = {}
        for chunk in _chunks(ids):
            batch = await self._get(
                routes.TRACKS,
                wire.TrackBatch,
                params={"trackids": ",".join(chunk), **IMAGE_SIZE},
            )
            found.update((str(t.id), wire.track_to_domain(t)) for t in batch.items.tracks)
        return [found[i] for i in ids if i in found]

    async def releases_by_ids(self, release_ids: Iterable[str]) -> list[Album]:
        """Releases in the order asked; ids the catalog does not know are left out."""
        ids = list(dict.fromkeys(release_ids))
        found: dict[str, Album] = {}
        for chunk in _chunks(ids):
            batch = await self._get(
                routes.RELEASES,
                wire.ReleaseBatch,
                params={"releaseids": ",".join(chunk), **IMAGE_SIZE},
            )
            found.update((str(r.id), wire.release_to_domain(r)) for r in batch.items.releases)
        return [found[i] for i in ids if i in found]

    # -- playlists

    async def search_playlists(self, query: str, page: int | None = None) -> Page[Playlist]:
        """Playlists whose name matches: the user's own and public ones."""
        found = await self._get(
            routes.SEARCH_PLAYLISTS,
            wire.PlaylistSearchPage,
            params={"keyword": search_text(query, provider=PROVIDER), "page": page},
        )
        meta = found.meta
        more = meta.current_page < meta.last_page
        return Page(
            items=await self._counted(found.data),
            total=meta.total,
            next=meta.current_page + 1 if more else None,
        )

    async def my_playlists(self) -> list[Playlist]:
        found = await self._get(routes.MY_PLAYLISTS, list[wire.Playlist])
        return await self._counted(found)

    async def _counted(self, found: list[wire.Playlist]) -> list[Playlist]:
        """The playlists with their track counts. The listings do not give them, so each
        playlist's rows are read, a few at a time; a count that cannot be read stays None."""
        me = await self._user_id()
        gate = asyncio.Semaphore(COUNT_READS)

        async def count(p: wire.Playlist) -> int | None:
            async with gate:
                try:
                    rows = await self._get(
                        routes.PLAYLIST_TRACKS,
                        list[wire.PlaylistTrack],
                        path={"playlist_id": p.id},
                    )
                except ProviderError as exc:
                    log.info("YourMusic: no track count for a playlist: %s", exc.message)
                    return None
            return len(rows)

        counts = await asyncio.gather(*(count(p) for p in found))
        return [
            replace(wire.playlist_to_domain(p, me), track_count=n)
            for p, n in zip(found, counts, strict=True)
        ]

    async def create_playlist(self, name: str, public: bool = False) -> Playlist:
        asked = time.time()
        try:
            response = await self._call(
                routes.CREATE_PLAYLIST, json={"playlist_name": name, "public": public}
            )
        except NetworkError as lost:
            found = await _after_lost_reply(
                lost,
                self._created_playlist(name, asked),
                (f"the playlist “{name}” was created", "it was not created"),
                "look at your playlists",
            )
            return wire.playlist_to_domain(found, await self._user_id())
        return wire.playlist_to_domain(
            wire.decode(response.content, wire.Playlist), await self._user_id()
        )

    async def _created_playlist(self, name: str, asked: float) -> wire.Playlist | None:
        mine = await self._get(routes.MY_PLAYLISTS, list[wire.Playlist])
        made = [p for p in mine if p.playlist_name == name and _made_after(p.created_at, asked)]
        return max(made, key=lambda p: p.created_at or "", default=None)

    async def playlist(self, playlist_id: str) -> Playlist:
        found = await self._get(routes.PLAYLIST, wire.Playlist, path={"playlist_id": playlist_id})
        return wire.playlist_to_domain(found, await self._user_id())

    async def playlist_with_entries(self, playlist_id: str) -> tuple[Playlist, list[PlaylistEntry]]:
        """A playlist and its rows in order, each with its Track (one batch lookup)."""
        found = await self._get(
            routes.PLAYLIST,
            wire.Playlist,
            path={"playlist_id": playlist_id},
            params={"with": "tracks"},
        )
        entries = await self._with_tracks([wire.entry_to_domain(e) for e in found.tracks or []])
        return wire.playlist_to_domain(found, await self._user_id()), entries

    async def playlist_entries(self, playlist_id: str) -> list[PlaylistEntry]:
        """A playlist's rows in order, each with its Track (one batch lookup)."""
        return await self._with_tracks(await self._entries(playlist_id))

    async def update_playlist(
        self, playlist_id: str, *, name: str | None = None, public: bool | None = None
    ) -> Playlist:
        body: dict[str, Any] = {}
        if name is not None:
            body["playlist_name"] = name
        if public is not None:
            body["public"] = public
        response = await self._call(
            routes.UPDATE_PLAYLIST, path={"playlist_id": playlist_id}, json=body
        )
        return wire.playlist_to_domain(
            wire.decode(response.content, wire.Playlist), await self._user_id()
        )

    async def add_track(self, playlist_id: str, track_id: str) -> PlaylistEntry:
        """Append a track at the end of the playlist."""
        asked = time.time()
        try:
            response = await self._call(
                routes.ADD_PLAYLIST_TRACK,
                path={"playlist_id": playlist_id},
                json={"track_id": track_id},
            )
        except NetworkError as lost:
            found = await _after_lost_reply(
                lost,
                self._added_entry(playlist_id, track_id, asked),
                ("the track was added", "it was not added"),
                "look at the playlist",
            )
            return wire.entry_to_domain(found)
        return wire.entry_to_domain(wire.decode(response.content, wire.PlaylistTrack))

    async def _added_entry(
        self, playlist_id: str, track_id: str, asked: float
    ) -> wire.PlaylistTrack | None:
        rows = await self._get(
            routes.PLAYLIST_TRACKS, list[wire.PlaylistTrack], path={"playlist_id": playlist_id}
        )
        last = max(rows, key=lambda e: e.order, default=None)
        if last is None or str(last.track_id) != track_id:
            return None
        return last if _made_after(last.created_at, asked) else None

    async def replace_tracks(self, playlist_id: str, track_ids: list[str]) -> list[PlaylistEntry]:
        """Make the playlist exactly these tracks, in this order (the rows get new ids)."""
        body = {"tracks": [{"track_id": t, "order": i} for i, t in enumerate(track_ids, 1)]}
        response = await self._call(
            routes.REPLACE_PLAYLIST_TRACKS, path={"playlist_id": playlist_id}, json=body
        )
        rows = wire.decode(response.content, list[wire.PlaylistTrack])
        return [wire.entry_to_domain(e) for e in sorted(rows, key=lambda e: e.order)]

    async def move_entry(self, playlist_id: str, entry_id: str, order: int) -> PlaylistEntry:
        """Move one row to position `order` (1 = first); the others shift. One request."""
        response = await self._call(
            routes.MOVE_PLAYLIST_TRACK,
            path={"playlist_id": playlist_id, "entry_id": entry_id},
            json={"order": order},
        )
        return wire.entry_to_domain(wire.decode(response.content, wire.PlaylistTrack))

    async def remove_entries(self, playlist_id: str, entry_ids: list[str]) -> list[PlaylistEntry]:
        """Remove rows, keeping the others in order.

        The API cannot delete a row, so this reads the rows and puts back the rest
        (an edit made elsewhere between the two requests is overwritten). When a row
        is not there (the playlist changed elsewhere), nothing is removed.
        """
        rows = await self._entries(playlist_id)
        drop = set(entry_ids)
        if not drop <= {r.id for r in rows}:
            raise NotFound(
                "Playlist track not found: the playlist changed elsewhere. Nothing was removed.",
                provider=PROVIDER,
            )
        kept = [r.track_id for r in rows if r.id not in drop]
        if len(kept) == len(rows):
            return rows
        return await self.replace_tracks(playlist_id, kept)

    async def _entries(self, playlist_id: str) -> list[PlaylistEntry]:
        rows = await self._get(
            routes.PLAYLIST_TRACKS, list[wire.PlaylistTrack], path={"playlist_id": playlist_id}
        )
        return [wire.entry_to_domain(e) for e in sorted(rows, key=lambda e: e.order)]

    async def _with_tracks(self, entries: list[PlaylistEntry]) -> list[PlaylistEntry]:
        entries = sorted(entries, key=lambda e: e.order)
        tracks = {t.id: t for t in await self.tracks_by_ids(e.track_id for e in entries)}
        return [
            PlaylistEntry(
                id=e.id,
                playlist_id=e.playlist_id,
                track_id=e.track_id,
                order=e.order,
                track=tracks.get(e.track_id),
            )
            for e in entries
        ]

    # -- streams

    async def stream_manifest(self, track: Track) -> tuple[str, str]:
        """The track's HLS manifest: its absolute URL (base for relative URIs) and text."""
        stream_id = track.stream_id or (await self.track(track.id)).stream_id
        if not stream_id:
            raise NotFound(f"“{track.title}” cannot be streamed from YourMusic.", provider=PROVIDER)
        response = await self._call(routes.STREAM, path={"stream_id": stream_id})
        location = response.headers.get("location")
        if response.is_redirect and location:
            return await self.stream_playlist(str(response.url.join(location)))
        return str(response.url), check_manifest(response.text)

    # -- stream files: the token goes with a request only to the catalog's own origin

    def owns(self, url: str) -> bool:
        """Whether `url` is at the catalog's origin (scheme, host and port)."""
        return origin(url) == self._origin

    async def stream_playlist(self, url: str) -> tuple[str, str]:
        """A variant playlist a master names: its URL after redirects, and its text,
        within the stream deadline (redirects and body included)."""
        seconds = self._deadlines.stream
        try:
            async with asyncio.timeout(seconds):
                return await self._read_playlist(url)
        except TimeoutError:
            raise NetworkError(
                f"YourMusic's stream did not answer within {seconds:g} s. Check the "
                "connection, or try again in a moment.",
                provider=PROVIDER,
            ) from None

    async def _read_playlist(self, url: str) -> tuple[str, str]:
        response = await self.fetch_media(url, {})
        try:
            if response.status_code != 200:
                await response.aread()
                raise_for_response(response)
                raise BadResponse(
                    f"YourMusic answered HTTP {response.status_code} for a stream playlist.",
                    provider=PROVIDER,
                )
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_PLAYLIST_BYTES:
                    raise BadResponse(
                        "YourMusic sent a stream playlist too large to be one.", provider=PROVIDER
                    )
        finally:
            await response.aclose()
        return str(response.url), check_manifest(body.decode("utf-8", errors="replace"))

    async def stream_url(self, url: str) -> str:
        """What the player may fetch for a stream file: a file at the catalog's origin
        through a loopback relay that adds the token; any other URL as it is."""
        return await self._media.url_for(url) if self.owns(url) else url

    async def stream_playlist_url(self, text: str) -> str:
        """A loopback URL serving a media playlist setlist rewrote."""
        return await self._media.playlist_url(text)

    async def fetch_media(self, url: str, headers: Mapping[str, str]) -> httpx.Response:
        """A streamed GET of a stream file, redirects followed one hop at a time: the
        token goes with each hop only while it stays at the catalog's origin."""
        token: str | None = None
        for _ in range(MAX_REDIRECTS + 1):
            own = self.owns(url)
            if own and token is None:
                token = await self.auth.token()
            response = await self._open(url, headers, token if own else None)
            if own and token is not None and response.status_code == 401:
                await response.aread()
                if is_token_rejection(response):
                    await response.aclose()
                    token = await self.auth.renew(token)
                    response = await self._open(url, headers, token)
            location = response.headers.get("location")
            if not response.is_redirect or not location:
                return response
            await response.aclose()
            url = str(response.url.join(location))
        raise BadResponse("YourMusic's stream redirected too many times.", provider=PROVIDER)

    async def _open(
        self, url: str, headers: Mapping[str, str], token: str | None
    ) -> httpx.Response:
        sent = dict(headers)
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        request = self._http.build_request("GET", url, headers=sent)
        try:
            return await self._http.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise NetworkError(
                "YourMusic's stream did not answer in time.", provider=PROVIDER
            ) from exc
        except httpx.TransportError as exc:
            raise NetworkError(
                f"Could not reach YourMusic's stream: {transport_reason(exc)}.", provider=PROVIDER
            ) from exc


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


async def _after_lost_reply(
    lost: NetworkError, find: Awaitable[T | None], outcomes: tuple[str, str], where: str
) -> T:
    """What a write whose reply was lost made, read back from the server; else a
    NetworkError that says whether it happened, so a retry makes no duplicate."""
    done, not_done = outcomes
    try:
        found = await find
    except ProviderError:
        raise NetworkError(
            f"{lost.message} It is not known whether {done}: {where} before trying again.",
            provider=PROVIDER,
        ) from lost
    if found is None:
        raise NetworkError(
            f"{lost.message} Nothing changed ({not_done}); try again.",
            provider=PROVIDER,
        ) from lost
    log.info("YourMusic: a reply was lost, but %s", done)
    return found


def _made_after(created_at: str | None, asked: float) -> bool:
    if created_at is None:
        return False
    try:
        made = datetime.fromisoformat(created_at).timestamp()
    except ValueError:
        return False
    return made >= asked - CLOCK_SKEW
