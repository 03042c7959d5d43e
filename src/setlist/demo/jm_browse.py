"""The demo's Jamendo albums, artists and playlists, alone and aggregated.

An aggregated method (`albums/tracks`, `artists/albums`, ...) lists parents, each
with its sub-entities in a list: `limit`/`offset` count parents, and
`<sub>_limit`/`<sub>_offset` (e.g. `tracks_limit`) page the sub-entities of
each. At most 400 sub-entities go out in one answer, as on Jamendo.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from setlist.demo.catalog import Catalog, JMAlbum, JMArtist, JMPlaylist, JMTrack
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
from setlist.demo.jm_params import Param, fold, p
from setlist.demo.jm_views import pick

P = TypeVar("P")
MAX_AGGREGATED = 400

ALBUM_TRACK_FIELDS: tuple[str, ...] = (
    "id",
    "position",
    "name",
    "duration",
    "license_ccurl",
    "audio",
)
ALBUM_TRACK_FIELDS += ("audiodownload", "audiodownload_allowed")
ARTIST_TRACK_FIELDS: tuple[str, ...] = (
    "album_id",
    "album_name",
    "id",
    "name",
    "duration",
    "releasedate",
)
ARTIST_TRACK_FIELDS += ("license_ccurl", "album_image", "image", "position", "audio")
ARTIST_TRACK_FIELDS += ("audiodownload", "audiodownload_allowed")
PLAYLIST_TRACK_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "album_id",
    "artist_id",
    "duration",
    "artist_name",
)
PLAYLIST_TRACK_FIELDS += ("license_ccurl", "album_name", "album_image", "image", "audio")
PLAYLIST_TRACK_FIELDS += ("audiodownload", "audiodownload_allowed")
ARTIST_ALBUM_FIELDS = ("id", "name", "releasedate", "image", "zip", "shorturl", "shareurl")
INCLUDED = ("musicinfo", "licenses", "stats", "lyrics")


def window_params(sub: str) -> dict[str, Param]:
    """`tracks_limit`/`tracks_offset`; the singular spelling is taken too."""
    names = (f"{sub}_limit", f"{sub}_offset", f"{sub[:-1]}_limit", f"{sub[:-1]}_offset")
    return {name: p("int") for name in names}


def _window(call: Call, sub: str) -> slice:
    q = call.query
    offset = q.get(f"{sub}_offset", q.get(f"{sub[:-1]}_offset", 0))
    limit = q.get(f"{sub}_limit", q.get(f"{sub[:-1]}_limit"))
    return slice(offset, None if limit is None else offset + limit)


def aggregate(
    call: Call,
    parents: Sequence[P],
    render: Callable[[P], dict[str, Any]],
    children: Callable[[P], list[dict[str, Any]]],
    sub: str,
) -> Answer:
    """Each parent of this page with its sub-entities under `sub`, within the caps."""
    q = call.query
    chosen = parents[q.offset : q.offset + q.limit]
    window, budget, results, cut = _window(call, sub), MAX_AGGREGATED, [], False
    for parent in chosen:
        wanted = children(parent)[window]
        kept = wanted[:budget]
        budget -= len(kept)
        cut = cut or len(kept) < len(wanted)
        results.append({**render(parent), sub: kept})
    if cut:
        q.warnings.append(f"at most {MAX_AGGREGATED} {sub} are listed in one answer")
    return Answer(results, len(results), len(parents))


def _track_fields(call: Call, fields: tuple[str, ...]) -> Callable[[JMTrack], dict[str, Any]]:
    look = call.look()
    return lambda track: pick(call.views.track(track, look), fields + INCLUDED)


# Albums


def _album_artist(album: JMAlbum, catalog: Catalog) -> str:
    artist = catalog.jm_artist_by_id.get(album.artist_id)
    return artist.name if artist else ""


def _popularity(tracks: Sequence[JMTrack]) -> int:
    return sum(t.popularity for t in tracks)


ALBUM_PARAMS: dict[str, Param] = {
    "id": p("ints"),
    "name": p(),
    "namesearch": p(),
    "artist_id": p("ints"),
    "artist_name": p(),
    "datebetween": p("dates"),
    "imagesize": LOOK_PARAMS["imagesize"],
}
ALBUM_ORDER = ("id", "name", "releasedate", "artist_id", "artist_name", "popularity_total")
ALBUM_FILTERS: dict[str, Filter[JMAlbum]] = {
    "id": id_in("id"),
    "name": name_is,
    "namesearch": name_contains,
    "artist_id": id_in("artist_id"),
    "artist_name": lambda v, c: lambda a: fold(_album_artist(a, c)) == fold(v),
    "datebetween": lambda span, c: lambda a: span[0] <= a.releasedate <= span[1],
}


def find_albums(call: Call) -> list[JMAlbum]:
    catalog = call.catalog
    keys: dict[str, Callable[[JMAlbum], Any]] = {
        "id": lambda a: int(a.id),
        "name": lambda a: fold(a.name),
        "releasedate": lambda a: a.releasedate,
        "artist_id": lambda a: int(a.artist_id),
        "artist_name": lambda a: fold(_album_artist(a, catalog)),
        "popularity_total": lambda a: _popularity(catalog.jm_album_tracks(a.id)),
    }
    return order(select(catalog.jm_albums, call, ALBUM_FILTERS), call.query, keys)


def albums(call: Call) -> Answer:
    return page(find_albums(call), call.query, call.views.album)


def album_tracks(call: Call) -> Answer:
    render = _track_fields(call, ALBUM_TRACK_FIELDS)
    return aggregate(
        call,
        find_albums(call),
        call.views.album,
        lambda album: [render(t) for t in call.catalog.jm_album_tracks(album.id)],
        "tracks",
    )


# Artists

ARTIST_PARAMS: dict[str, Param] = {
    "id": p("ints"),
    "name": p(),
    "namesearch": p(),
    "imagesize": LOOK_PARAMS["imagesize"],
}
ARTIST_ORDER = ("id", "name", "joindate", "popularity_total")
ARTIST_FILTERS: dict[str, Filter[JMArtist]] = {
    "id": id_in("id"),
    "name": name_is,
    "namesearch": name_contains,
}


def artist_tracks_of(catalog: Catalog, artist_id: str) -> list[JMTrack]:
    """An artist's tracks, the latest release first, in album order."""
    tracks = [t for t in catalog.jm_tracks if t.artist_id == artist_id]
    tracks.sort(key=lambda t: (t.album_id, t.position))
    tracks.sort(key=lambda t: t.releasedate, reverse=True)
    return tracks


def find_artists(call: Call) -> list[JMArtist]:
    catalog = call.catalog
    keys: dict[str, Callable[[JMArtist], Any]] = {
        "id": lambda a: int(a.id),
        "name": lambda a: fold(a.name),
        "joindate": lambda a: a.joindate,
        "popularity_total": lambda a: _popularity(artist_tracks_of(catalog, a.id)),
    }
    return order(select(catalog.jm_artists, call, ARTIST_FILTERS), call.query, keys)


def artists(call: Call) -> Answer:
    return page(find_artists(call), call.query, call.views.artist)


def artist_tracks(call: Call) -> Answer:
    render = _track_fields(call, ARTIST_TRACK_FIELDS)
    return aggregate(
        call,
        find_artists(call),
        call.views.artist,
        lambda artist: [render(t) for t in artist_tracks_of(call.catalog, artist.id)],
        "tracks",
    )


def artist_albums(call: Call) -> Answer:
    def albums_of(artist: JMArtist) -> list[dict[str, Any]]:
        found = [a for a in call.catalog.jm_albums if a.artist_id == artist.id]
        found.sort(key=lambda a: a.releasedate, reverse=True)
        return [pick(call.views.album(a), ARTIST_ALBUM_FIELDS) for a in found]

    return aggregate(call, find_artists(call), call.views.artist, albums_of, "albums")


# Playlists

PLAYLIST_PARAMS: dict[str, Param] = {
    "id": p("ints"),
    "name": p(),
    "namesearch": p(),
    "user_id": p("ints"),
    "user_name": p(),
}
PLAYLIST_ORDER = ("id", "name", "creationdate")
PLAYLIST_FILTERS: dict[str, Filter[JMPlaylist]] = {
    "id": id_in("id"),
    "name": name_is,
    "namesearch": name_contains,
    "user_id": id_in("user_id"),
    "user_name": lambda v, c: lambda pl: fold(pl.user_name) == fold(v),
}


def find_playlists(call: Call) -> list[JMPlaylist]:
    keys: dict[str, Callable[[JMPlaylist], Any]] = {
        "id": lambda pl: int(pl.id),
        "name": lambda pl: fold(pl.name),
        "creationdate": lambda pl: pl.creationdate,
    }
    found = select(call.catalog.jm_playlists, call, PLAYLIST_FILTERS)
    return order(found, call.query, keys)


def playlists(call: Call) -> Answer:
    return page(find_playlists(call), call.query, call.views.playlist)


def playlist_tracks(call: Call) -> Answer:
    render = _track_fields(call, PLAYLIST_TRACK_FIELDS)

    def tracks_of(playlist: JMPlaylist) -> list[dict[str, Any]]:
        known = [call.catalog.jm_track_by_id.get(i) for i in playlist.track_ids]
        entries = [t for t in known if t is not None]
        return [
            {**render(t), "position": str(n), "playlistadddate": playlist.creationdate}
            for n, t in enumerate(entries, start=1)
        ]

    return aggregate(call, find_playlists(call), call.views.playlist, tracks_of, "tracks")


TRACK_WINDOW = window_params("tracks")
METHODS: dict[str, Method] = {
    "albums": Method(albums, ALBUM_PARAMS, ALBUM_ORDER),
    "albums/tracks": Method(
        album_tracks, {**ALBUM_PARAMS, **LOOK_PARAMS, **TRACK_WINDOW}, ALBUM_ORDER
    ),
    "artists": Method(artists, ARTIST_PARAMS, ARTIST_ORDER),
    "artists/tracks": Method(
        artist_tracks, {**ARTIST_PARAMS, **LOOK_PARAMS, **TRACK_WINDOW}, ARTIST_ORDER
    ),
    "artists/albums": Method(
        artist_albums, {**ARTIST_PARAMS, **window_params("albums")}, ARTIST_ORDER
    ),
    "playlists": Method(playlists, PLAYLIST_PARAMS, PLAYLIST_ORDER),
    "playlists/tracks": Method(
        playlist_tracks, {**PLAYLIST_PARAMS, **LOOK_PARAMS, **TRACK_WINDOW}, PLAYLIST_ORDER
    ),
}
