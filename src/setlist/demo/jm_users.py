"""The demo's Jamendo users: `users` and what they like (`users/tracks`, ...),
and the write methods that change it (`setuser/*`, POST with an access token).

As on Jamendo (seed 002), setting a relation on an id that does not exist is no
error; such ids simply never show up in a read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from setlist.demo.jm_api import LOOK_PARAMS, Answer, Call, Handler, Method, page
from setlist.demo.jm_browse import TRACK_WINDOW, aggregate, window_params
from setlist.demo.jm_params import JamendoError, Param, fold, p
from setlist.demo.jm_state import JMUser, users

E = TypeVar("E")
USER_PARAMS: dict[str, Param] = {"id": p("ints"), "name": p(), "access_token": p()}


def user_json(user: JMUser) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "dispname": user.dispname,
        "lang": "en",
        "creationdate": user.creationdate,
        "image": "",
    }


def find_users(call: Call) -> list[JMUser]:
    """The users named by `id`, `name` or `access_token` (one of them is needed)."""
    q = call.query
    if not (q.has("id") or q.has("name") or q.has("access_token")):
        raise JamendoError(8, "one of 'id', 'name' or 'access_token' is needed")
    found = users(call.catalog)
    if q.has("access_token"):
        me = call.state.token(q.get("access_token")).user_id
        found = [u for u in found if u.id == me]
    if q.has("id"):
        found = [u for u in found if u.id in q.get("id")]
    if q.has("name"):
        found = [u for u in found if fold(u.name) == fold(q.get("name"))]
    return found


def users_method(call: Call) -> Answer:
    return page(find_users(call), call.query, user_json)


def _related(
    call: Call,
    relations: tuple[str, ...],
    index: Mapping[str, E],
    render: Callable[[E], dict[str, Any]],
) -> Callable[[JMUser], list[dict[str, Any]]]:
    """A user's entities in any of `relations` (relation by relation, the latest set
    first), leaving out ids `index` (the catalog) does not have."""

    def of(user: JMUser) -> list[dict[str, Any]]:
        ids: list[str] = []
        for relation in relations:
            ids += [i for i in call.state.related(user.id, relation) if i not in ids]
        return [render(index[i]) for i in ids if i in index]

    return of


def user_tracks(call: Call) -> Answer:
    look = call.look()
    relations = tuple(call.query.get("relation", ("like", "favorite")))
    tracks_of = _related(
        call, relations, call.catalog.jm_track_by_id, lambda t: call.views.track(t, look)
    )
    return aggregate(call, find_users(call), user_json, tracks_of, "tracks")


def user_albums(call: Call) -> Answer:
    albums_of = _related(call, ("myalbum",), call.catalog.jm_album_by_id, call.views.album)
    return aggregate(call, find_users(call), user_json, albums_of, "albums")


def user_artists(call: Call) -> Answer:
    artists_of = _related(call, ("fan",), call.catalog.jm_artist_by_id, call.views.artist)
    return aggregate(call, find_users(call), user_json, artists_of, "artists")


def setuser(relation: str, entity: str) -> Handler:
    """A write method: the token's user sets `relation` on the id in `entity`."""

    def handler(call: Call) -> Answer:
        q = call.query
        for name in ("access_token", entity):
            if not q.has(name):
                raise JamendoError(4, f"parameter '{name}' is required")
        token = call.state.token(q.get("access_token"))
        if "music" not in token.scope.split():
            raise JamendoError(13, "the access token lacks the 'music' scope")
        call.state.relate(token.user_id, relation, str(q.get(entity)))
        return Answer([], 0, 0)

    return handler


def _write(relation: str, entity: str) -> Method:
    params = {"access_token": p(), entity: p("int")}
    return Method(setuser(relation, entity), params, http="POST")


METHODS: dict[str, Method] = {
    "users": Method(users_method, USER_PARAMS),
    "users/tracks": Method(
        user_tracks,
        {
            **USER_PARAMS,
            **LOOK_PARAMS,
            **TRACK_WINDOW,
            "relation": p("enums", "like", "favorite", "review"),
        },
    ),
    "users/albums": Method(user_albums, {**USER_PARAMS, **window_params("albums")}),
    "users/artists": Method(user_artists, {**USER_PARAMS, **window_params("artists")}),
    "setuser/like": _write("like", "track_id"),
    "setuser/dislike": _write("dislike", "track_id"),
    "setuser/favorite": _write("favorite", "track_id"),
    "setuser/fan": _write("fan", "artist_id"),
    "setuser/myalbum": _write("myalbum", "album_id"),
}
