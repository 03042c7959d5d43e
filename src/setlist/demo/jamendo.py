"""The demo's Jamendo API v3.0, mounted at /jamendo/v3.0.

Every method answers Jamendo's envelope, `{"headers": {...}, "results": [...]}`,
and every failure comes with HTTP 200 and `"status": "failed"` plus a code, as
Jamendo does. Checks, in this order: the method exists (else code 7), the HTTP
method fits (2), `client_id` is the demo's `JAMENDO_DEMO_CLIENT_ID` (5, also
when missing), `format` is json or jsonpretty (9: the demo does not speak XML),
every known parameter has a valid value (3). Unknown parameters only add a
warning. `limit` above 200 is capped, with a warning.

Methods, with a trailing slash or without: tracks, tracks/file, tracks/similar,
albums, albums/tracks, albums/musicinfo, artists, artists/tracks, artists/albums,
artists/locations, artists/musicinfo, reviews/albums, playlists,
playlists/tracks, autocomplete, feeds, radios, radios/stream, users,
users/tracks, users/albums, users/artists, setuser/{like, dislike, favorite,
fan, myalbum}. Also oauth/authorize and oauth/grant (see `jm_oauth`), and the
audio files under /_media/ (see `jm_media`).
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from setlist.demo import jm_browse, jm_details, jm_media, jm_misc, jm_tracks, jm_users
from setlist.demo.catalog import JAMENDO_DEMO_CLIENT_ID
from setlist.demo.jm_api import Answer, Call, Method, failed, json_response, request_params
from setlist.demo.jm_oauth import authorize, grant
from setlist.demo.jm_params import JamendoError, Query, parse
from setlist.demo.jm_state import JamendoState
from setlist.demo.jm_views import MEDIA_ROUTE, Views
from setlist.demo.server import JAMENDO_PREFIX, DemoContext

METHODS: dict[str, Method] = {
    **jm_tracks.METHODS,
    **jm_media.METHODS,
    **jm_browse.METHODS,
    **jm_misc.METHODS,
    **jm_users.METHODS,
    **jm_details.METHODS,
}
ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]


def _method(name: str, http: str) -> Method:
    method = METHODS.get(name)
    if method is None:
        raise JamendoError(7, f"/{name} is not a method of the demo's Jamendo API")
    if http not in (method.http, "HEAD" if method.http == "GET" else method.http):
        raise JamendoError(2, f"/{name} takes {method.http}, not {http}")
    return method


def _check_client(params: dict[str, str]) -> None:
    client_id = params.get("client_id", "")
    if not client_id:
        raise JamendoError(5, "client_id is missing")
    if client_id != JAMENDO_DEMO_CLIENT_ID:
        raise JamendoError(5, f"client_id {client_id!r} does not exist")


def envelope(request: Request, query: Query, answer: Answer) -> dict[str, Any]:
    headers: dict[str, Any] = {
        "status": "success",
        "code": 0,
        "error_message": "",
        "warnings": "; ".join(query.warnings),
        "results_count": answer.count,
    }
    if query.fullcount:
        headers["results_fullcount"] = answer.total
    following = query.offset + query.limit
    if isinstance(answer.results, list) and answer.count and following < answer.total:
        headers["next"] = str(request.url.include_query_params(offset=following))
    return {"headers": headers, "results": answer.results}


async def dispatch(ctx: DemoContext, state: JamendoState, request: Request) -> Response:
    name = request.path_params["path"].strip("/")
    params = await request_params(request)
    try:
        method = _method(name, request.method)
        _check_client(params)
        query = parse(params, method.params, method.sortable)
        views = Views(ctx.catalog, ctx.base_url + JAMENDO_PREFIX, query.get("imagesize"))
        answer = method.handler(Call(query, ctx.catalog, views, state))
    except JamendoError as error:
        return failed(error, pretty=params.get("format") == "jsonpretty")
    if isinstance(answer, Response):
        return answer
    return json_response(envelope(request, query, answer), pretty=query.pretty)


def _both(path: str, endpoint: Any, methods: list[str]) -> list[Route]:
    """The route with and without a trailing slash, as Jamendo takes both."""
    return [Route(path, endpoint, methods=methods), Route(path + "/", endpoint, methods=methods)]


def build(ctx: DemoContext) -> Starlette:
    state = JamendoState(token_ttl=ctx.settings.jamendo_token_ttl)
    ctx.services["jamendo"] = state

    async def media(request: Request) -> Response:
        return jm_media.media_response(ctx.catalog, request)

    async def oauth_authorize(request: Request) -> Response:
        return authorize(state, request)

    async def oauth_grant(request: Request) -> Response:
        return await grant(state, request)

    async def api(request: Request) -> Response:
        return await dispatch(ctx, state, request)

    return Starlette(
        routes=[
            Route(MEDIA_ROUTE + "/{name}", media, methods=["GET"]),
            *_both("/oauth/authorize", oauth_authorize, ["GET", "POST"]),
            *_both("/oauth/grant", oauth_grant, ANY_METHOD),
            Route("/{path:path}", api, methods=ANY_METHOD),
        ]
    )
