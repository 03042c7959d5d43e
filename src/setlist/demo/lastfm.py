"""The demo's Last.fm API 2.0, mounted at /lastfm/2.0/: `album.getInfo`.

`?method=album.getInfo&api_key=...&artist=...&album=...` (or `mbid=...`). The
names match without regard to case; with `autocorrect=1` accents and punctuation
are ignored too. The key must be `LASTFM_DEMO_API_KEY`. `lang` picks the summary's
language where the demo has one (English otherwise, as Last.fm falls back);
`username` adds `userplaycount`, that user's plays of the album (0 for a user
the demo does not know of).

Like Last.fm, the answer is XML unless `format=json` is given; both carry the
same information. The JSON is Last.fm's XML turned into JSON, with its quirks:
numbers such as `listeners` are strings, an element with attributes becomes
`{"#text": ..., "size": ...}`, and a list of one (`tracks.track`, `tags.tag`)
is the object itself, not a list of one.

The sign-in and scrobbling methods are in lastfm_scrobble.py.

Errors are `{"error": N, "message": "..."}` (or `<lfm status="failed">`) with
Last.fm's HTTP status: 3 unknown method (400), 6 missing parameter or album
not found (400), 10 invalid API key (403).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, quote_plus
from xml.etree import ElementTree as ET

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from setlist.demo import lastfm_scrobble
from setlist.demo.catalog import LASTFM_DEMO_API_KEY, Catalog, LastfmAlbum
from setlist.demo.jm_params import fold
from setlist.demo.server import DemoContext

WEBSITE = "https://www.last.fm"
IMAGE_SIZES = ("small", "medium", "large", "extralarge", "mega", "")
PUBLISHED = "01 Jan 2015, 00:00"
_READ_MORE = ' <a href="https://www.last.fm/music/{}">Read more on Last.fm</a>.'
MESSAGES = {
    3: "Invalid Method - No method with that name in this package",
    6: "Invalid parameters - Your request is missing a required parameter",
    10: "Invalid API key - You must be granted a valid key by last.fm",
}
HTTP_STATUS = {2: 400, 3: 400, 4: 403, 5: 400, 6: 400, 7: 400, 9: 403, 10: 403, 11: 503}
HTTP_STATUS |= {13: 403, 16: 503, 26: 403, 29: 429}


class LastfmError(Exception):
    def __init__(self, code: int, message: str | None = None) -> None:
        self.code = code
        self.message = message or MESSAGES[code]
        super().__init__(self.message)


def _key(text: str, autocorrect: bool) -> str:
    if autocorrect:
        return re.sub(r"[^\w]+", "", fold(text))
    return text.strip().casefold()


def find_album(catalog: Catalog, params: dict[str, str]) -> LastfmAlbum:
    if mbid := params.get("mbid", "").strip():
        for album in catalog.lastfm_albums:
            if album.mbid and album.mbid == mbid:
                return album
        raise LastfmError(6, "Album not found")
    artist, name = params.get("artist", ""), params.get("album", "")
    if not artist.strip() or not name.strip():
        raise LastfmError(6)
    correct = params.get("autocorrect") == "1"
    wanted = (_key(artist, correct), _key(name, correct))
    for album in catalog.lastfm_albums:
        if (_key(album.artist, correct), _key(album.name, correct)) == wanted:
            return album
    raise LastfmError(6, "Album not found")


def _url(*parts: str) -> str:
    return "/".join([WEBSITE, "music", *(quote_plus(part) for part in parts)])


def _one_or_list(items: list[dict[str, Any]]) -> list[dict[str, Any]] | dict[str, Any]:
    """Last.fm's JSON gives a list of one element as the element itself."""
    return items[0] if len(items) == 1 else items


def track_duration(catalog: Catalog, artist: str, name: str) -> int | None:
    """The length of a track of the demo catalog by that name and artist, if any."""
    for jm in catalog.jm_tracks:
        jm_artist = catalog.jm_artist_by_id.get(jm.artist_id)
        if jm_artist and fold(jm_artist.name) == fold(artist) and fold(jm.name) == fold(name):
            return jm.duration
    for ym in catalog.ym_tracks:
        ym_artist = catalog.ym_artist_by_id.get(ym.artist_id)
        if ym_artist and fold(ym_artist.name) == fold(artist) and fold(ym.title) == fold(name):
            return round(ym.duration)
    return None


def album_json(catalog: Catalog, album: LastfmAlbum) -> dict[str, Any]:
    artist = {"url": _url(album.artist), "name": album.artist, "mbid": ""}
    tracks = [
        {
            "streamable": {"fulltrack": "0", "#text": "0"},
            "duration": track_duration(catalog, album.artist, name),
            "url": _url(album.artist, "_", name),
            "name": name,
            "@attr": {"rank": rank},
            "artist": artist,
        }
        for rank, name in enumerate(album.track_names, start=1)
    ]
    tags = [{"url": f"{WEBSITE}/tag/{quote_plus(tag)}", "name": tag} for tag in album.tags]
    out: dict[str, Any] = {
        "artist": album.artist,
        "mbid": album.mbid,
        "tags": {"tag": _one_or_list(tags)},
        "name": album.name,
        "image": [{"size": size, "#text": ""} for size in IMAGE_SIZES],
        "tracks": {"track": _one_or_list(tracks)},
        "listeners": str(album.listeners),
        "playcount": str(album.playcount),
        "url": _url(album.artist, album.name),
    }
    if album.summary:
        out["wiki"] = {"published": PUBLISHED, "summary": album.summary, "content": album.summary}
    return out


# Summaries in other languages, by (artist, album) and language; hostile on purpose.
SUMMARIES: dict[tuple[str, str], dict[str, str]] = {
    ("Pulse Garden", "Neon Night Circuits"): {
        "fr": "Néons \x1b[31mrouges\x1b[0m et [b]$(rm -rf ~)[/b] à minuit."
        + _READ_MORE.format("Pulse+Garden/Neon+Night+Circuits"),
        "de": "Neonlichter um Mitternacht.",
    },
    ("The Sine Waves", "Tone Studies"): {"fr": "Six sons purs, du matin à minuit."},
}
# Plays by Last.fm user name and (artist, album).
USER_PLAYS: dict[str, dict[tuple[str, str], int]] = {
    "demo_listener": {
        ("Pulse Garden", "Neon Night Circuits"): 42,
        ("The Sine Waves", "Tone Studies"): 7,
    },
}


def album_get_info(ctx: DemoContext, params: dict[str, str]) -> dict[str, Any]:
    album = find_album(ctx.catalog, params)
    out = album_json(ctx.catalog, album)
    summary = SUMMARIES.get((album.artist, album.name), {}).get(params.get("lang", "").lower())
    if summary:
        out["wiki"] = {"published": PUBLISHED, "summary": summary, "content": summary}
    if user := params.get("username", "").strip():
        plays = USER_PLAYS.get(user.casefold(), {}).get((album.artist, album.name), 0)
        out["userplaycount"] = str(plays)
    return {"album": out}


METHODS = {"album.getinfo": album_get_info}


# XML, for calls without format=json


def _fill(element: ET.Element, value: Any) -> None:
    """Build XML back from Last.fm-style JSON: `#text` is the text, `@attr` and the
    other plain keys beside a `#text` are attributes, lists repeat the element."""
    if not isinstance(value, dict):
        element.text = "" if value is None else str(value)
        return
    for name, item in value.items():
        if name == "#text":
            element.text = str(item)
        elif name == "@attr":
            element.attrib.update({k: str(v) for k, v in item.items()})
        elif "#text" in value and not isinstance(item, dict | list):
            element.set(name, str(item))
        else:
            for one in item if isinstance(item, list) else [item]:
                _fill(ET.SubElement(element, name), one)


def xml_response(document: dict[str, Any] | None, error: LastfmError | None) -> Response:
    root = ET.Element("lfm", status="failed" if error else "ok")
    if error:
        ET.SubElement(root, "error", code=str(error.code)).text = error.message
    else:
        _fill(root, document)
    body = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
    status = HTTP_STATUS.get(error.code, 400) if error else 200
    return Response(body, status_code=status, media_type="text/xml")


def _answer(ctx: DemoContext, params: dict[str, str]) -> dict[str, Any]:
    if params.get("api_key") != LASTFM_DEMO_API_KEY:
        raise LastfmError(10)
    name = params.get("method", "").lower()
    if name in lastfm_scrobble.SIGNED_METHODS:
        try:
            if not lastfm_scrobble.signed(params):
                raise lastfm_scrobble.Refused(13)
            return lastfm_scrobble.SIGNED_METHODS[name](ctx, params)
        except lastfm_scrobble.Refused as refused:
            raise LastfmError(refused.code, refused.message) from None
    method = METHODS.get(name)
    if method is None:
        raise LastfmError(3)
    return method(ctx, params)


async def _params(request: Request) -> dict[str, str]:
    params = dict(request.query_params)
    if request.method == "POST":
        body = (await request.body()).decode("utf-8", errors="replace")
        params |= dict(parse_qsl(body, keep_blank_values=True))  # as the query string
    return params


def build(ctx: DemoContext) -> Starlette:
    async def root(request: Request) -> Response:
        params = await _params(request)
        as_json = params.get("format") == "json"
        try:
            document = _answer(ctx, params)
        except LastfmError as error:
            if not as_json:
                return xml_response(None, error)
            body = {"error": error.code, "message": error.message}
            return JSONResponse(body, status_code=HTTP_STATUS.get(error.code, 400))
        return JSONResponse(document) if as_json else xml_response(document, None)

    return Starlette(routes=[Route("/", root, methods=["GET", "POST"])])
