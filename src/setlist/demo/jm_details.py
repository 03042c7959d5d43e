"""The demo's Jamendo details: `reviews/albums`, `albums/musicinfo`,
`artists/locations` and `artists/musicinfo`.

Each new field carries hostile text somewhere (terminal escapes, Rich markup,
shell and HTML, right-to-left, a review long enough to scroll), for the app
to show literally. Some albums have no reviews, as on Jamendo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from setlist.demo.catalog import JMAlbum, JMArtist
from setlist.demo.jm_api import Answer, Call, Filter, Method, id_in, order, page, select
from setlist.demo.jm_browse import (
    ALBUM_ORDER,
    ALBUM_PARAMS,
    ARTIST_ORDER,
    ARTIST_PARAMS,
    find_albums,
    find_artists,
)
from setlist.demo.jm_params import Param, p
from setlist.demo.jm_views import pick

HOSTILE_TAG = "[red]markup[/red]"
ESCAPE = "\x1b[31mRed\x1b[0m"


@dataclass(frozen=True)
class JMReview:
    id: str
    album_id: str
    name: str
    text: str
    rating: float
    user_name: str
    dateadded: str
    lang: str = "en"


LONG_REVIEW = " ".join(
    f"Part {n}: the pulse holds steady while the pads drift, and the night goes on."
    for n in range(1, 13)
)

REVIEWS = (
    JMReview(
        "9001",
        "601",
        "Best night drive album",
        "Warm pads and a steady pulse. Play it loud.",
        9.0,
        "nightowl",
        "2015-02-01",
    ),
    JMReview(
        "9002",
        "601",
        f"{ESCAPE} alert [bold]not bold[/bold]",
        "$(rm -rf ~) & <script>alert(1)</script> [link=https://evil.example]click[/link] "
        + LONG_REVIEW,
        2.5,
        "[b]mallory[/b]",
        "2016-03-04",
    ),
    JMReview(
        "9003", "602", "Static, warmly", "Softer than the first one.", 7.0, "lin", "2017-01-09"
    ),
    JMReview(
        "9004",
        "606",
        "🤖🤖🤖",
        "ביקורת מימין לשמאל \u202eevil\u202c 🎧",
        8.0,
        "robot",
        "2019-02-02",
        lang="he",
    ),
)

# albums/musicinfo and artists/musicinfo: tags and a description per language.
ALBUM_MUSIC: dict[str, dict[str, Any]] = {
    "601": {
        "tags": ["synthwave", "night", HOSTILE_TAG],
        "description": {
            "en": f"Neon lights {ESCAPE} and $(rm -rf ~) at midnight.",
            "fr": "Des néons à minuit.",
        },
    },
    "602": {"tags": ["ambient", "lofi"], "description": {"en": "Warm static."}},
    "606": {"tags": ["🤖", "<script>"], "description": {"en": "[i]Beep[/i] boop."}},
}
ARTIST_MUSIC: dict[str, dict[str, Any]] = {
    "501": {
        "tags": ["electronic", "synthwave", HOSTILE_TAG],
        "description": {"en": f"Two friends and a {ESCAPE} synth.", "fr": "Deux amis."},
    },
    "503": {"tags": ["jazz", "piano"], "description": {"en": "A piano trio from the north."}},
    "505": {"tags": ["🎧", "$(rm -rf ~)"], "description": {}},
}
ARTIST_LOCATIONS: dict[str, list[dict[str, Any]]] = {
    "501": [
        {
            "country": "DEU",
            "region": "Berlin",
            "city": f"Berlin {ESCAPE} [b]Kreuzberg[/b]",
            "latitude": "52.4990",
            "longitude": "13.4030",
        }
    ],
    "502": [{"country": "ISR", "region": "", "city": "תל אביב", "latitude": "", "longitude": ""}],
    "503": [
        {
            "country": "SWE",
            "region": "Stockholm",
            "city": "Stockholm",
            "latitude": "59.3293",
            "longitude": "18.0686",
        }
    ],
    "504": [{"country": "JPN", "region": "", "city": "東京", "latitude": "", "longitude": ""}],
}
ARTIST_WEBSITES = {"505": "https://example.com/$(rm -rf ~)/[b]emoji[/b]"}


def reviews_albums(call: Call) -> Answer:
    filters: dict[str, Filter[JMReview]] = {
        "id": id_in("id"),
        "album_id": id_in("album_id"),
        "lang": lambda v, c: lambda r: r.lang == v,
    }
    keys: dict[str, Callable[[JMReview], Any]] = {
        "id": lambda r: int(r.id),
        "dateadded": lambda r: r.dateadded,
        "rating": lambda r: r.rating,
    }
    found = order(select(REVIEWS, call, filters), call.query, keys)
    catalog = call.catalog

    def render(review: JMReview) -> dict[str, Any]:
        album = catalog.jm_album_by_id.get(review.album_id)
        return {
            "id": review.id,
            "name": review.name,
            "text": review.text,
            "rating": review.rating,
            "lang": review.lang,
            "dateadded": review.dateadded,
            "user_name": review.user_name,
            "album_id": review.album_id,
            "album_name": album.name if album else "",
        }

    return page(found, call.query, render)


def albums_musicinfo(call: Call) -> Answer:
    def render(album: JMAlbum) -> dict[str, Any]:
        fields = pick(call.views.album(album), ("id", "name", "releasedate", "artist_id"))
        music = ALBUM_MUSIC.get(album.id, {"tags": [], "description": {}})
        return {
            **fields,
            "artist_name": call.views.artist_name(album.artist_id),
            "musicinfo": music,
        }

    return page(find_albums(call), call.query, render)


def _artist(call: Call, artist: JMArtist) -> dict[str, Any]:
    out = pick(call.views.artist(artist), ("id", "name", "website", "joindate", "image"))
    if artist.id in ARTIST_WEBSITES:
        out["website"] = ARTIST_WEBSITES[artist.id]
    return out


def artists_locations(call: Call) -> Answer:
    def render(artist: JMArtist) -> dict[str, Any]:
        return {**_artist(call, artist), "locations": ARTIST_LOCATIONS.get(artist.id, [])}

    return page(find_artists(call), call.query, render)


def artists_musicinfo(call: Call) -> Answer:
    def render(artist: JMArtist) -> dict[str, Any]:
        music = ARTIST_MUSIC.get(artist.id, {"tags": [], "description": {}})
        return {**_artist(call, artist), "musicinfo": music}

    return page(find_artists(call), call.query, render)


REVIEW_PARAMS: dict[str, Param] = {"id": p("ints"), "album_id": p("ints"), "lang": p()}
METHODS: dict[str, Method] = {
    "reviews/albums": Method(reviews_albums, REVIEW_PARAMS, ("id", "dateadded", "rating")),
    "albums/musicinfo": Method(albums_musicinfo, ALBUM_PARAMS, ALBUM_ORDER),
    "artists/locations": Method(artists_locations, ARTIST_PARAMS, ARTIST_ORDER),
    "artists/musicinfo": Method(artists_musicinfo, ARTIST_PARAMS, ARTIST_ORDER),
}
