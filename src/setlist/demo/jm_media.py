"""The demo's Jamendo audio: the files themselves, and `tracks/file` which redirects to them.

Files are served by Starlette's `FileResponse`: Content-Length, and Range
requests answered 206 (416 when out of bounds), which mpv relies on to seek.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response

from setlist.demo.catalog import Catalog, JMTrack, media_dir
from setlist.demo.jm_api import Call, Method
from setlist.demo.jm_params import AUDIO_FORMATS, JamendoError, p
from setlist.demo.jm_views import slug

CONTENT_TYPES = {"mp3": "audio/mpeg", "ogg": "audio/ogg"}
FILE_NAME = re.compile(r"(\d+)\.(mp3|ogg)")


def _not_found(what: str) -> Response:
    return PlainTextResponse(what, status_code=404)


def media_response(catalog: Catalog, request: Request) -> Response:
    """GET /_media/<id>.mp3|ogg; `?download=1` asks for an attachment."""
    match = FILE_NAME.fullmatch(request.path_params["name"])
    track = catalog.jm_track_by_id.get(match.group(1)) if match else None
    if match is None or track is None:
        return _not_found("no such track")
    path = media_dir() / "jm" / request.path_params["name"]
    if not path.is_file():
        return _not_found("the demo audio is missing: run `make audio`")
    ext = match.group(2)
    if request.query_params.get("download") in ("1", "true"):
        if not track.audiodownload_allowed:
            return _not_found("the artist does not allow downloads of this track")
        name = f"{slug(track.name) or track.id}.{ext}"
        return FileResponse(path, media_type=CONTENT_TYPES[ext], filename=name)
    return FileResponse(path, media_type=CONTENT_TYPES[ext])


def track_file(call: Call) -> Response:
    """tracks/file: a redirect to the audio, or 404 (no such track, download forbidden)."""
    q = call.query
    if not q.has("id"):
        raise JamendoError(4, "parameter 'id' is required")
    track: JMTrack | None = call.catalog.jm_track_by_id.get(str(q.get("id")))
    if track is None:
        return _not_found("no such track")
    download = q.get("action", "stream") == "download"
    if download and not track.audiodownload_allowed:
        return _not_found("the artist does not allow downloads of this track")
    url = call.views.media_url(track, q.get("audioformat", "mp32"), download=download)
    return RedirectResponse(url, status_code=302)


METHODS: dict[str, Method] = {
    "tracks/file": Method(
        track_file,
        {
            "id": p("int"),
            "audioformat": p("enum", *AUDIO_FORMATS),
            "action": p("enum", "stream", "download"),
        },
    ),
}
