"""The catalog routes (the "aggregator service"): search, browse, batch and detail."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from setlist.demo.art import ym_sized
from setlist.demo.catalog import Catalog, YMArtist, YMRelease, YMTrack
from setlist.demo.ym_catalog_json import (
    artist_json,
    artist_release_json,
    release_hit_json,
    release_json,
    track_json,
)
from setlist.demo.ym_common import endpoint, require_user, ym
from setlist.demo.ym_http import Validator, normalize, not_found

USAGE_TYPES = ("download", "stream")
RELEASE_TYPES = ("album", "single", "video")
IMAGE_SIZES = (33, 50, 100, 180, 182, 200, 350, 500, 800)
STATUS = {"status": "ok", "version": "1.2"}
RELEASE_TRACKS_PAGE_SIZE = 100

T = TypeVar("T")


@dataclass(frozen=True)
class Paging:
    page: int
    size: int

    def slice(self, items: Sequence[T]) -> list[T]:
        start = (self.page - 1) * self.size
        return list(items[start : start + self.size])


@dataclass(frozen=True)
class Search:
    """A search query: terms plus the filters the search routes share."""

    needle: str  # the terms, normalized
    paging: Paging
    artist_id: str | None
    no_explicit: bool

    def score(self, *texts: str) -> float | None:
        """How well the terms match the best of `texts` (None: no match)."""
        best: float | None = None
        for text in map(normalize, texts):
            if text == self.needle:
                score = 1.0
            elif text.startswith(self.needle):
                score = 0.8
            elif self.needle in text:
                score = 0.5
            else:
                continue
            best = max(best or 0.0, score)
        return best

    def allows(self, artist_id: int, explicit: bool) -> bool:
        if self.artist_id is not None and self.artist_id != str(artist_id):
            return False
        return not (self.no_explicit and explicit)


def _catalog(request: Request) -> Catalog:
    require_user(request)
    catalog = ym(request).ctx.catalog
    try:
        size = int(request.query_params.get("imageSize", ""))
    except ValueError:
        return catalog  # none, or not a number: the Validator says so
    return ym_sized(catalog, size) if size in IMAGE_SIZES else catalog


def _common(v: Validator, *, usage: bool = True, image: bool = True) -> None:
    if usage:
        v.string("usageTypes", choices=USAGE_TYPES)
    if image:
        v.integer("imageSize", choices=IMAGE_SIZES)


def _paging(v: Validator) -> Paging:
    page = v.integer("page", minimum=1) or 1
    size = v.integer("pageSize", minimum=10, maximum=50) or 10
    return Paging(page, size)


def _search(request: Request) -> Search:
    v = Validator(request.query_params)
    q = v.string("q", required=True)
    _common(v, image=False)
    no_explicit = v.boolean("excludeExplicitContent") or False
    artist_id = v.string("artistId")
    paging = _paging(v)
    v.done()
    assert q is not None
    return Search(normalize(q).strip(), paging, artist_id, no_explicit)


def _ranked(hits: Iterable[tuple[T, float, float]]) -> list[tuple[T, float]]:
    """(item, score, popularity) best first."""
    ordered = sorted(hits, key=lambda hit: (-hit[1], -hit[2]))
    return [(item, score) for item, score, _ in ordered]


def _search_page(
    search: Search,
    ranked: list[tuple[T, float]],
    render: Callable[[T, float], dict[str, Any]],
) -> Response:
    return JSONResponse(
        {
            "estimatedTotalItems": len(ranked),
            "page": search.paging.page,
            "expectedPageSize": search.paging.size,
            "results": [render(item, score) for item, score in search.paging.slice(ranked)],
        }
    )


def _int_id(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() else None


def _lookup(table: dict[int, T], raw: str, what: str) -> T:
    item = table.get(_int_id(raw) or -1)
    if item is None:
        raise not_found(f"{what} not found.")
    return item


# -- artists


async def search_artists(request: Request) -> Response:
    catalog = _catalog(request)
    v = Validator(request.query_params)
    q = v.string("q", required=True)
    search = Search(normalize(q or "").strip(), _paging(v), None, False)
    v.done()
    hits = (
        (a, score, a.popularity)
        for a in catalog.ym_artists
        if (score := search.score(a.name, a.sort_name)) is not None
    )

    def render(artist: YMArtist, score: float) -> dict[str, Any]:
        return {
            "id": artist.id,
            "name": artist.name,
            "popularity": artist.popularity,
            "score": score,
        }

    return _search_page(search, _ranked(hits), render)


async def browse_artists(request: Request) -> Response:
    catalog = _catalog(request)
    v = Validator(request.query_params)
    letter = v.string("letter", required=True, max_length=1)
    v.done()
    assert letter is not None
    wanted = normalize(letter)
    artists = [a for a in catalog.ym_artists if normalize(a.sort_name).startswith(wanted)]
    artists.sort(key=lambda a: normalize(a.sort_name))
    listing = {"page": 1, "pageSize": 50, "totalItems": len(artists)}
    return JSONResponse(
        {**STATUS, "artists": {**listing, "artist": [artist_json(a) for a in artists]}}
    )


async def get_artist(request: Request) -> Response:
    catalog = _catalog(request)
    artist = _lookup(catalog.ym_artist_by_id, request.path_params["artist_id"], "Artist")
    return JSONResponse({**STATUS, "artist": artist_json(artist)})


async def artist_releases(request: Request) -> Response:
    catalog = _catalog(request)
    artist = _lookup(catalog.ym_artist_by_id, request.path_params["artist_id"], "Artist")
    v = Validator(request.query_params)
    _common(v)
    kind = v.string("type", choices=RELEASE_TYPES)
    paging = _paging(v)
    v.done()
    releases = [
        r
        for r in catalog.ym_releases
        if r.artist_id == artist.id and (kind is None or r.type == kind)
    ]
    releases.sort(key=lambda r: -r.year)
    listing = {"page": paging.page, "pageSize": paging.size, "totalItems": len(releases)}
    rendered = [artist_release_json(catalog, r) for r in paging.slice(releases)]
    return JSONResponse({**STATUS, "releases": {**listing, "releases": rendered}})


# -- releases


async def search_releases(request: Request) -> Response:
    catalog = _catalog(request)
    search = _search(request)
    hits = (
        (r, score, r.popularity)
        for r in catalog.ym_releases
        if search.allows(r.artist_id, r.explicit)
        and (score := search.score(r.title, catalog.ym_artist_by_id[r.artist_id].name)) is not None
    )
    return _search_page(search, _ranked(hits), lambda r, score: release_hit_json(catalog, r, score))


def _batch_ids(v: Validator, field: str) -> list[str]:
    raw = v.string(field, required=True) or ""
    return [part.strip() for part in raw.split(",") if part.strip()]


def _not_found_error(raw: str, what: str) -> dict[str, Any]:
    return {"id": raw, "code": 2001, "message": f"{what} not found"}


async def batch_releases(request: Request) -> Response:
    catalog = _catalog(request)
    v = Validator(request.query_params)
    ids = _batch_ids(v, "releaseids")
    _common(v)
    v.boolean("showErrors")
    kind = v.string("type", choices=RELEASE_TYPES)
    v.done()
    releases: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for raw in ids:
        release = catalog.ym_release_by_id.get(_int_id(raw) or -1)
        if release is None:
            errors.append(_not_found_error(raw, "Release"))
        elif kind is None or release.type == kind:
            releases.append(release_json(catalog, release))
    return JSONResponse({"items": {"releases": releases, "errors": errors}})


def _release(request: Request, catalog: Catalog) -> YMRelease:
    release = _lookup(catalog.ym_release_by_id, request.path_params["release_id"], "Release")
    v = Validator(request.query_params)
    _common(v)
    v.done()
    return release


async def get_release(request: Request) -> Response:
    catalog = _catalog(request)
    return JSONResponse({"release": release_json(catalog, _release(request, catalog))})


async def release_tracks(request: Request) -> Response:
    catalog = _catalog(request)
    tracks = catalog.ym_release_tracks(_release(request, catalog).id)
    return JSONResponse(
        {
            "page": 1,
            "pageSize": RELEASE_TRACKS_PAGE_SIZE,
            "totalItems": len(tracks),
            "tracks": [track_json(catalog, t) for t in tracks],
        }
    )


# -- tracks


async def search_tracks(request: Request) -> Response:
    catalog = _catalog(request)
    search = _search(request)

    def score(t: YMTrack) -> float | None:
        release = catalog.ym_release_by_id[t.release_id]
        artist = catalog.ym_artist_by_id[t.artist_id]
        return search.score(t.title, artist.name, release.title)

    hits = (
        (t, s, catalog.ym_release_by_id[t.release_id].popularity)
        for t in catalog.ym_tracks
        if search.allows(t.artist_id, t.explicit) and (s := score(t)) is not None
    )
    return _search_page(search, _ranked(hits), lambda t, _: track_json(catalog, t))


async def batch_tracks(request: Request) -> Response:
    catalog = _catalog(request)
    v = Validator(request.query_params)
    ids = _batch_ids(v, "trackids")
    _common(v)
    v.boolean("showErrors")
    v.done()
    tracks: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for raw in ids:
        track = catalog.ym_track_by_id.get(_int_id(raw) or -1)
        if track is None:
            errors.append(_not_found_error(raw, "Track"))
        else:
            tracks.append(track_json(catalog, track))
    return JSONResponse({"items": {"tracks": tracks, "errors": errors}})


async def get_track(request: Request) -> Response:
    catalog = _catalog(request)
    track = _lookup(catalog.ym_track_by_id, request.path_params["track_id"], "Track")
    v = Validator(request.query_params)
    _common(v)
    v.done()
    return JSONResponse({"track": track_json(catalog, track)})


def routes() -> list[Route]:
    # Literal paths before their {id} siblings: Starlette takes the first match.
    return [
        endpoint("/catalog/artists/search", GET=search_artists),
        endpoint("/catalog/artists/browse", GET=browse_artists),
        endpoint("/catalog/artists/{artist_id}", GET=get_artist),
        endpoint("/catalog/artists/{artist_id}/releases", GET=artist_releases),
        endpoint("/catalog/releases/search", GET=search_releases),
        endpoint("/catalog/releases", GET=batch_releases),
        endpoint("/catalog/releases/{release_id}", GET=get_release),
        endpoint("/catalog/releases/{release_id}/tracks", GET=release_tracks),
        endpoint("/catalog/tracks/search", GET=search_tracks),
        endpoint("/catalog/tracks", GET=batch_tracks),
        endpoint("/catalog/tracks/{track_id}", GET=get_track),
    ]
