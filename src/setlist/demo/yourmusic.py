"""The demo YourMusic API, mounted at /yourmusic by the demo server.

Every route of `providers/yourmusic/routes.py`, described by
`assets/openapi/yourmusic.yaml`, over in-memory state (`ym_state.YMState`):

- `ym_auth`: client credentials, email one-time code, onboarding, refresh, logout
- `ym_users`: the tenant's users and UDTs, `/me`, checkout (and its fake payment page)
- `ym_home`: the composed home page
- `ym_playlists`: playlists and their tracks
- `ym_catalog`: the catalog ("aggregator service")
- `ym_streams`: HLS manifests and segments
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from setlist.demo import ym_auth, ym_catalog, ym_home, ym_playlists, ym_streams, ym_users
from setlist.demo.ym_common import YM, endpoint
from setlist.demo.ym_http import ApiError, api_error_handler, http_error_handler, now_rfc3339
from setlist.demo.ym_state import YMState

if TYPE_CHECKING:
    from setlist.demo.server import DemoContext


def state_of(ctx: DemoContext) -> YMState:
    """The YourMusic state of a running demo (users, tokens, playlists), for tests."""
    state = ctx.services["yourmusic"]
    assert isinstance(state, YMState)
    return state


async def heartbeat(request: Request) -> Response:
    return JSONResponse({"time": now_rfc3339()})


async def aggregator_status(request: Request) -> Response:
    return JSONResponse({"status": "up"})


def _public_routes() -> list[Route]:
    return [
        endpoint("/heartbeat", GET=heartbeat),
        endpoint("/aggregator/status", GET=aggregator_status),
    ]


def build(ctx: DemoContext) -> Starlette:
    state = YMState(ctx.settings, ctx.catalog)
    ctx.services["yourmusic"] = state
    app = Starlette(
        routes=[
            *_public_routes(),
            *ym_auth.routes(),
            *ym_users.routes(),
            *ym_home.routes(),
            *ym_playlists.routes(),
            *ym_catalog.routes(),
            *ym_streams.routes(),
        ],
        exception_handlers={ApiError: api_error_handler, HTTPException: http_error_handler},
    )
    app.state.ym = YM(ctx, state)
    return app
