"""What every YourMusic route module shares: its dependencies, bearer auth, routing."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from setlist.demo.ym_http import unauthorized
from setlist.demo.ym_state import Grant, TokenKind, User, YMState

if TYPE_CHECKING:
    from setlist.demo.server import DemoContext

Handler = Callable[[Request], Awaitable[Response]]
USER_TOKENS: tuple[TokenKind, ...] = ("session", "udt")


@dataclass(frozen=True)
class YM:
    """The YourMusic app's dependencies, kept on `app.state.ym`."""

    ctx: DemoContext
    state: YMState

    @property
    def api_url(self) -> str:
        """The public base URL of the YourMusic API on this demo server."""
        from setlist.demo.server import YOURMUSIC_PREFIX

        return self.ctx.base_url + YOURMUSIC_PREFIX


def ym(request: Request) -> YM:
    app: YM = request.app.state.ym
    return app


def endpoint(path: str, **handlers: Handler) -> Route:
    """One route per path with a handler per method, so a 405 lists every allowed method."""

    async def dispatch(request: Request) -> Response:
        return await handlers[request.method if request.method != "HEAD" else "GET"](request)

    return Route(path, dispatch, methods=list(handlers))


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_grant(request: Request, kinds: tuple[TokenKind, ...]) -> Grant:
    """The grant of the request's bearer token, or a 401 in the contract's shape."""
    token = bearer_token(request)
    if token is None:
        raise unauthorized("Unauthenticated.")
    grant = ym(request).state.grant(token)
    if grant is None or grant.kind not in kinds:
        raise unauthorized("The access token is invalid.")
    if time.monotonic() >= grant.expires_at:
        raise unauthorized("The access token has expired.", code="TOKEN_EXPIRED")
    return grant


def require_user(request: Request) -> User:
    """The signed-in user: a session access token or a UDT."""
    grant = require_grant(request, USER_TOKENS)
    assert grant.user_id is not None
    user = ym(request).state.users.get(grant.user_id)
    if user is None:
        raise unauthorized("The access token is invalid.")
    return user
