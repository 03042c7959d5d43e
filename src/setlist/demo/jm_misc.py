"""The demo's Jamendo `autocomplete`, `feeds`, `radios` and `radios/stream`."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from setlist.demo.catalog import Catalog, JMFeed, JMRadio, JMTrack
from setlist.demo.jm_api import Answer, Call, Filter, Method, id_in, name_is, order, page, select
from setlist.demo.jm_params import JamendoError, Param, fold, p

AUTOCOMPLETE_ENTITIES = ("tracks", "albums", "artists", "tags")


# Autocomplete


def _completes(prefix: str, name: str) -> bool:
    """The name, or one of its words, starts with the prefix."""
    folded = fold(name)
    words = re.findall(r"\w+", folded)
    return folded.startswith(prefix) or any(word.startswith(prefix) for word in words)


def _candidates(catalog: Catalog, entity: str) -> Iterable[str]:
    if entity == "tracks":
        return (t.name for t in catalog.jm_tracks)
    if entity == "albums":
        return (a.name for a in catalog.jm_albums)
    if entity == "artists":
        return (a.name for a in catalog.jm_artists)
    return (tag for t in catalog.jm_tracks for tag in t.tags)


def complete(catalog: Catalog, entity: str, prefix: str, limit: int) -> list[str]:
    """Distinct names completing the prefix: whole-name matches first, then by name."""
    found = {name for name in _candidates(catalog, entity) if _completes(prefix, name)}
    ranked = sorted(found, key=lambda name: (not fold(name).startswith(prefix), fold(name)))
    return ranked[:limit]


def autocomplete(call: Call) -> Answer:
    """Names starting with `prefix`, grouped by entity: `results` is an object here."""
    prefix = fold(call.query.get("prefix", ""))
    if not prefix:
        raise JamendoError(4, "parameter 'prefix' is required")
    entities = call.query.get("entity", AUTOCOMPLETE_ENTITIES)
    results = {e: complete(call.catalog, e, prefix, call.query.limit) for e in entities}
    count = sum(len(names) for names in results.values())
    return Answer(results, count, count)


# Feeds


def feeds(call: Call) -> Answer:
    filters: dict[str, Filter[JMFeed]] = {
        "id": id_in("id"),
        "type": lambda types, c: lambda f: f.type in types,
    }
    keys: dict[str, Callable[[JMFeed], Any]] = {
        "id": lambda f: int(f.id),
        "date_start": lambda f: f.date,
    }
    found = sorted(select(call.catalog.jm_feeds, call, filters), key=keys["date_start"])
    found.reverse()  # the latest news first, unless `order` says otherwise
    return page(order(found, call.query, keys), call.query, call.views.feed)


# Radios

RADIO_PARAMS: dict[str, Param] = {
    "id": p("ints"),
    "name": p(),
    "type": p("enum", "www", "pro"),
    "imagesize": p("enum", "30", "150"),
}
RADIO_FILTERS: dict[str, Filter[JMRadio]] = {
    "id": id_in("id"),
    "name": name_is,
    "type": lambda kind, c: lambda r: r.type == kind,
}
RADIO_ORDER = ("id", "name", "dispname")


def find_radios(call: Call) -> list[JMRadio]:
    keys: dict[str, Callable[[JMRadio], Any]] = {
        "id": lambda r: int(r.id),
        "name": lambda r: fold(r.name),
        "dispname": lambda r: fold(r.dispname),
    }
    return order(select(call.catalog.jm_radios, call, RADIO_FILTERS), call.query, keys)


def radios(call: Call) -> Answer:
    return page(find_radios(call), call.query, call.views.radio)


def now_playing(catalog: Catalog, radio: JMRadio, now: float) -> tuple[JMTrack, float] | None:
    """The track a radio plays at `now` (it loops over its tracks since the epoch)
    and the seconds left of it."""
    tracks = [catalog.jm_track_by_id[i] for i in radio.track_ids if i in catalog.jm_track_by_id]
    total = sum(t.duration for t in tracks)
    if total <= 0:
        return None
    at = now % total
    for track in tracks:
        if at < track.duration:
            return track, track.duration - at
        at -= track.duration
    return tracks[-1], 0.0


def radio_stream(call: Call) -> Answer:
    """Each radio with the URL of what it plays now (a demo MP3: the demo has no
    endless stream) and `callmeback`, the milliseconds until the next track."""

    def render(radio: JMRadio) -> dict[str, Any]:
        playing = now_playing(call.catalog, radio, time.time())
        out = {**call.views.radio(radio), "stream": "", "callmeback": 0, "playingnow": {}}
        if playing is None:
            return out
        track, left = playing
        info = call.views.track(track, call.look())
        out["stream"] = call.views.media_url(track, "mp31")
        out["callmeback"] = max(1, round(left * 1000))
        out["playingnow"] = {
            "track_id": track.id,
            "track_name": track.name,
            "track_image": info["image"],
            "artist_id": track.artist_id,
            "artist_name": info["artist_name"],
            "album_id": info["album_id"],
            "album_name": info["album_name"],
        }
        return out

    return page(find_radios(call), call.query, render)


METHODS: dict[str, Method] = {
    "autocomplete": Method(
        autocomplete, {"prefix": p(), "entity": p("enums", *AUTOCOMPLETE_ENTITIES)}
    ),
    "feeds": Method(
        feeds,
        {"id": p("ints"), "type": p("enums", "album", "artist", "playlist", "news")},
        ("id", "date_start"),
    ),
    "radios": Method(radios, RADIO_PARAMS, RADIO_ORDER),
    "radios/stream": Method(radio_stream, RADIO_PARAMS, RADIO_ORDER),
}
