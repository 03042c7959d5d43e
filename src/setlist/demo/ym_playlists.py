"""The playlist routes: search, the user's own, create, edit, and their tracks."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from setlist.demo.ym_common import endpoint, require_user, ym
from setlist.demo.ym_http import (
    Validator,
    forbidden,
    invalid_field,
    is_uuid,
    laravel_page,
    normalize,
    not_found,
    now_rfc3339,
    read_body,
)
from setlist.demo.ym_state import Playlist, PlaylistEntry, User

PER_PAGE = 15


def playlist_json(playlist: Playlist, *, with_tracks: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": playlist.id,
        "tenant_id": playlist.tenant_id,
        "user_id": playlist.user_id,
        "playlist_name": playlist.name,
        "public": playlist.public,
        "created_at": playlist.created_at,
        "updated_at": playlist.updated_at,
    }
    if with_tracks:
        body["tracks"] = entries_json(playlist)
    return body


def entry_json(playlist: Playlist, entry: PlaylistEntry, order: int) -> dict[str, Any]:
    return {
        "id": entry.id,
        "playlist_id": playlist.id,
        "track_id": entry.track_id,
        "order": order,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
    }


def entries_json(playlist: Playlist) -> list[dict[str, Any]]:
    return [entry_json(playlist, e, i) for i, e in enumerate(playlist.entries, start=1)]


def _playlist(request: Request, user: User, *, write: bool) -> Playlist:
    """The path's playlist: 404 when missing, 403 when the user may not read or edit it."""
    pid = request.path_params["playlist_id"]
    playlist = ym(request).state.playlists.get(pid) if is_uuid(pid) else None
    if playlist is None or playlist.tenant_id != user.tenant_id:
        raise not_found("Playlist not found.")
    owner = playlist.user_id == user.id
    if not owner and (write or not playlist.public):
        raise forbidden("This playlist belongs to someone else.")
    return playlist


def _touch(playlist: Playlist) -> None:
    playlist.updated_at = now_rfc3339()


def _track_id(request: Request, v: Validator, field: str) -> str | None:
    """A catalog track id, as the string the API uses (an integer is taken too)."""
    return v.known_id(field, ym(request).ctx.catalog.ym_track_by_id, required=True)


async def search(request: Request) -> Response:
    user = require_user(request)
    v = Validator(request.query_params)
    keyword = v.string("keyword", required=True, max_length=255)
    page = v.integer("page", minimum=1) or 1
    v.done()
    assert keyword is not None
    needle = normalize(keyword)
    found = [
        playlist_json(p)
        for p in ym(request).state.visible_playlists(user)
        if needle in normalize(p.name)
    ]
    url = ym(request).api_url + "/playlists/search"
    return JSONResponse(laravel_page(found, page, PER_PAGE, url, {"keyword": keyword}))


async def own(request: Request) -> Response:
    user = require_user(request)
    return JSONResponse([playlist_json(p) for p in ym(request).state.playlists_of(user.id)])


async def create(request: Request) -> Response:
    user = require_user(request)
    v = Validator(await read_body(request))
    name = v.string("playlist_name", required=True, max_length=255)
    public = v.boolean("public") or False
    v.done()
    assert name is not None
    playlist = Playlist(str(uuid.uuid4()), user.tenant_id, user.id, name, public)
    return JSONResponse(playlist_json(ym(request).state.add_playlist(playlist)), status_code=201)


async def show(request: Request) -> Response:
    playlist = _playlist(request, require_user(request), write=False)
    v = Validator(request.query_params)
    with_ = v.string("with", choices=("tracks",))
    v.done()
    with ym(request).state.lock:
        return JSONResponse(playlist_json(playlist, with_tracks=with_ == "tracks"))


async def update(request: Request) -> Response:
    playlist = _playlist(request, require_user(request), write=True)
    v = Validator(await read_body(request))
    name = v.string("playlist_name", max_length=255)
    public = v.boolean("public")
    v.done()
    with ym(request).state.lock:
        if name is not None:
            playlist.name = name
        if public is not None:
            playlist.public = public
        _touch(playlist)
        return JSONResponse(playlist_json(playlist))


async def tracks(request: Request) -> Response:
    playlist = _playlist(request, require_user(request), write=False)
    with ym(request).state.lock:
        return JSONResponse(entries_json(playlist))


async def append(request: Request) -> Response:
    playlist = _playlist(request, require_user(request), write=True)
    v = Validator(await read_body(request))
    track_id = _track_id(request, v, "track_id")
    v.done()
    assert track_id is not None
    with ym(request).state.lock:
        entry = PlaylistEntry(str(uuid.uuid4()), track_id)
        playlist.entries.append(entry)
        _touch(playlist)
        body = entry_json(playlist, entry, len(playlist.entries))
    return JSONResponse(body, status_code=201)


def _replacement(request: Request, body: dict[str, Any]) -> list[str]:
    """The track ids of a PUT body, in the order their `order` fields give."""
    items = body.get("tracks")
    if not isinstance(items, list):
        raise invalid_field("tracks", "The tracks field must be an array.")
    # Flat keys, so messages name the entry as Laravel does: "tracks.2.order".
    flat = {
        f"tracks.{i}.{key}": value
        for i, item in enumerate(items)
        for key, value in (item.items() if isinstance(item, dict) else ())
    }
    v = Validator(flat)
    count = range(len(items))
    orders = [v.integer(f"tracks.{i}.order", required=True, minimum=1) for i in count]
    ids = [_track_id(request, v, f"tracks.{i}.track_id") for i in count]
    v.done()
    # sorted() is stable: entries given the same order keep the body's order.
    return [str(ids[i]) for i in sorted(count, key=lambda i: orders[i] or 0)]


async def replace(request: Request) -> Response:
    playlist = _playlist(request, require_user(request), write=True)
    track_ids = _replacement(request, await read_body(request))
    with ym(request).state.lock:
        playlist.entries = [PlaylistEntry(str(uuid.uuid4()), t) for t in track_ids]
        _touch(playlist)
        return JSONResponse(entries_json(playlist))


async def move(request: Request) -> Response:
    playlist = _playlist(request, require_user(request), write=True)
    v = Validator(await read_body(request))
    order = v.integer("order", required=True, minimum=1)
    v.done()
    assert order is not None
    entry_id = request.path_params["playlistTrackId"]
    with ym(request).state.lock:
        entry = next((e for e in playlist.entries if e.id == entry_id), None)
        if entry is None:
            raise not_found("Playlist track not found.")
        playlist.entries.remove(entry)
        # Past the end means "last": the orders stay 1..n.
        position = min(order, len(playlist.entries) + 1)
        playlist.entries.insert(position - 1, entry)
        entry.updated_at = now_rfc3339()
        _touch(playlist)
        return JSONResponse(entry_json(playlist, entry, position))


def routes() -> list[Route]:
    return [
        endpoint("/playlists/search", GET=search),
        endpoint("/playlists", GET=own, POST=create),
        endpoint("/playlists/{playlist_id}", GET=show, PATCH=update),
        endpoint("/playlists/{playlist_id}/tracks", GET=tracks, POST=append, PUT=replace),
        endpoint("/playlists/{playlist_id}/tracks/{playlistTrackId}", PATCH=move),
    ]
