"""The demo's Jamendo track methods: `tracks` and `tracks/similar`.

`tracks` filters on every parameter it is given (they all must hold), sorts by
`order` (by relevance first when `search` is given) and pages with
`offset`/`limit`. By default only album tracks are listed, as on Jamendo
(`type=single` or `type=single+albumtrack` lists singles); a lookup by `id`
lists singles too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from setlist.demo.catalog import Catalog, JMTrack
from setlist.demo.jm_api import (
    LOOK_PARAMS,
    Answer,
    Call,
    Filter,
    Method,
    id_in,
    name_contains,
    name_is,
    order,
    page,
    select,
)
from setlist.demo.jm_params import JamendoError, Param, fold, p, split_multi

TRACK_PARAMS: dict[str, Param] = {
    "id": p("ints"),
    "name": p(),
    "namesearch": p(),
    "search": p(),
    "tags": p("strs"),
    "fuzzytags": p("strs"),
    "artist_id": p("ints"),
    "artist_name": p(),
    "album_id": p("ints"),
    "album_name": p(),
    "type": p("enums", "single", "albumtrack"),
    "datebetween": p("dates"),
    **LOOK_PARAMS,
}
TRACK_ORDER = (
    "relevance",
    "id",
    "name",
    "releasedate",
    "duration",
    "position",
    "album_id",
    "album_name",
    "artist_name",
    "popularity_total",
    "popularity_month",
    "popularity_week",
)


def track_type(track: JMTrack) -> str:
    return "albumtrack" if track.album_id else "single"


def _artist_name(track: JMTrack, catalog: Catalog) -> str:
    artist = catalog.jm_artist_by_id.get(track.artist_id)
    return artist.name if artist else ""


def _album_name(track: JMTrack, catalog: Catalog) -> str:
    album = catalog.jm_album_by_id.get(track.album_id)
    return album.name if album else ""


def _fields(track: JMTrack, catalog: Catalog) -> tuple[str, str, str, str]:
    """What a free-text search looks at, folded: name, artist, album and tags."""
    tags = " ".join(fold(tag) for tag in track.tags)
    return (
        fold(track.name),
        fold(_artist_name(track, catalog)),
        fold(_album_name(track, catalog)),
        tags,
    )


SEARCH_WEIGHTS = (3, 2, 2, 1)  # a word in the name counts most, in the tags least


def relevance(words: list[str], track: JMTrack, catalog: Catalog) -> int:
    fields = zip(SEARCH_WEIGHTS, _fields(track, catalog), strict=True)
    return sum(weight for weight, text in fields for word in words if word in text)


def _search(value: str, catalog: Catalog) -> Callable[[JMTrack], bool]:
    words = [fold(word) for word in split_multi(value)]
    return lambda track: all(word in " ".join(_fields(track, catalog)) for word in words)


def _tags(every: bool) -> Filter[JMTrack]:
    def make(wanted: list[str], catalog: Catalog) -> Callable[[JMTrack], bool]:
        folded = {fold(tag) for tag in wanted}
        combine = all if every else any
        return lambda track: combine(tag in {fold(t) for t in track.tags} for tag in folded)

    return make


TRACK_FILTERS: dict[str, Filter[JMTrack]] = {
    "id": id_in("id"),
    "name": name_is,
    "namesearch": name_contains,
    "search": _search,
    "tags": _tags(every=True),
    "fuzzytags": _tags(every=False),
    "artist_id": id_in("artist_id"),
    "artist_name": lambda v, c: lambda t: fold(_artist_name(t, c)) == fold(v),
    "album_id": id_in("album_id"),
    "album_name": lambda v, c: lambda t: fold(_album_name(t, c)) == fold(v),
    "type": lambda types, c: lambda t: track_type(t) in types,
    "datebetween": lambda span, c: lambda t: span[0] <= t.releasedate <= span[1],
}


def track_keys(call: Call) -> dict[str, Callable[[JMTrack], Any]]:
    catalog = call.catalog
    words = [fold(word) for word in split_multi(call.query.get("search", ""))]
    by_popularity: Callable[[JMTrack], Any] = lambda t: t.popularity  # noqa: E731
    return {
        "relevance": lambda t: relevance(words, t, catalog),
        "id": lambda t: int(t.id),
        "name": lambda t: fold(t.name),
        "releasedate": lambda t: t.releasedate,
        "duration": lambda t: t.duration,
        "position": lambda t: t.position,
        "album_id": lambda t: int(t.album_id or 0),
        "album_name": lambda t: fold(_album_name(t, catalog)),
        "artist_name": lambda t: fold(_artist_name(t, catalog)),
        "popularity_total": by_popularity,
        # The month's and week's charts favour what came out lately, as the real ones do.
        "popularity_month": lambda t: t.popularity * (2 if t.releasedate >= "2019" else 1),
        "popularity_week": lambda t: t.popularity * (8 if t.releasedate >= "2020" else 1),
    }


def find_tracks(call: Call) -> list[JMTrack]:
    """The tracks a `tracks` call asks for, in the order it asks for."""
    query = call.query
    if not query.has("type") and not query.has("id"):
        query.values["type"] = ["albumtrack"]
    tracks = select(call.catalog.jm_tracks, call, TRACK_FILTERS)
    if query.has("search") and not query.order:
        query.order = (("relevance", True),)
    return order(tracks, query, track_keys(call))


def tracks(call: Call) -> Answer:
    look = call.look()
    return page(find_tracks(call), call.query, lambda t: call.views.track(t, look))


def similar(call: Call) -> Answer:
    """Tracks sharing tags with the given one, those sharing the most first."""
    if not call.query.has("id"):
        raise JamendoError(4, "parameter 'id' is required")
    track = call.catalog.jm_track_by_id.get(str(call.query.get("id")))
    if track is None:
        return Answer([], 0, 0)
    mine = {fold(tag) for tag in track.tags}

    def shared(other: JMTrack) -> int:
        return len(mine & {fold(tag) for tag in other.tags})

    found = [t for t in call.catalog.jm_tracks if t.id != track.id and shared(t)]
    found.sort(key=lambda t: (shared(t), t.popularity), reverse=True)
    look = call.look()
    return page(found, call.query, lambda t: call.views.track(t, look))


METHODS: dict[str, Method] = {
    "tracks": Method(tracks, TRACK_PARAMS, TRACK_ORDER),
    "tracks/similar": Method(similar, {"id": p("int"), **LOOK_PARAMS}),
}
