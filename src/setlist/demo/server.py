"""The demo catalog server: one loopback port, three services.

    /yourmusic/...      the YourMusic API (routes in providers/yourmusic/routes.py)
    /jamendo/v3.0/...   the Jamendo API v3.0
    /lastfm/2.0/        the Last.fm API 2.0
    /_demo/...          control routes for tests (faults, request log), for the holder
                        of the server's control token only

`DemoServer` runs uvicorn on a thread of its own, so the caller's event loop
(the app, the player, a test) is never the one serving requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from setlist.demo.art import with_art
from setlist.demo.catalog import Catalog, load
from setlist.demo.faults import FAULT_KINDS, DroppedByFault, FaultMiddleware, Faults
from setlist.demo.settings import DemoSettings

YOURMUSIC_PREFIX = "/yourmusic"
JAMENDO_PREFIX = "/jamendo/v3.0"
LASTFM_PREFIX = "/lastfm/2.0"
LASTFM_AUTH_PREFIX = "/lastfm/api/auth"  # where the desktop sign-in sends the user
# The control routes answer only requests carrying the server's token in this header:
# any local user can reach a loopback port, and faults would spoil someone's demo.
CONTROL_HEADER = "X-Demo-Control-Token"


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    query: str
    authorization: str | None
    status: int
    at: float


@dataclass
class DemoContext:
    """What every route module of the demo gets: settings, data, shared state."""

    settings: DemoSettings
    catalog: Catalog
    faults: Faults = field(default_factory=Faults)
    base_url: str = ""  # http://127.0.0.1:PORT, known once the socket is bound
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[LoggedRequest] = field(default_factory=list)
    # Each service's in-memory state, by service name, for tests and persistence.
    services: dict[str, Any] = field(default_factory=dict)
    control_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def log(self, entry: LoggedRequest) -> None:
        with self.lock:
            self.requests.append(entry)


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp, ctx: DemoContext) -> None:
        self.app = app
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_demo/"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        auth = headers.get(b"authorization")
        logged = False

        def record(status: int) -> None:
            nonlocal logged
            logged = True
            self.ctx.log(
                LoggedRequest(
                    method=scope["method"],
                    path=scope["path"],
                    query=scope.get("query_string", b"").decode("latin-1"),
                    authorization=auth.decode("latin-1") if auth else None,
                    status=status,
                    at=time.monotonic(),
                )
            )

        async def spy(message: Message) -> None:
            # Logged before the answer leaves, so a client that has its answer
            # always finds its request in the log.
            if message["type"] == "http.response.start":
                record(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, spy)
        finally:
            if not logged:
                record(0)


def _control_routes(ctx: DemoContext) -> list[Route]:
    async def list_faults(request: Request) -> Response:
        return JSONResponse([f.to_json() for f in ctx.faults.list()])

    async def add_fault(request: Request) -> Response:
        try:
            body = await request.json()
            fault = ctx.faults.add(body.pop("path"), body.pop("kind"), **body)
        except (ValueError, KeyError, TypeError) as exc:
            return JSONResponse({"error": str(exc), "kinds": list(FAULT_KINDS)}, status_code=422)
        return JSONResponse(fault.to_json(), status_code=201)

    async def clear_faults(request: Request) -> Response:
        ctx.faults.clear()
        return Response(status_code=204)

    async def request_log(request: Request) -> Response:
        with ctx.lock:
            rows = [e.__dict__ for e in ctx.requests]
        return JSONResponse(rows)

    def guarded(handler: Callable[[Request], Awaitable[Response]]) -> Callable[..., Any]:
        async def check(request: Request) -> Response:
            given = request.headers.get(CONTROL_HEADER, "").encode()
            if not hmac.compare_digest(given, ctx.control_token.encode()):
                message = (
                    f"the demo's control routes need the {CONTROL_HEADER} header, with the "
                    "token `setlist demo --serve` printed when it started"
                )
                return JSONResponse({"error": message}, status_code=403)
            return await handler(request)

        return check

    return [
        Route("/_demo/faults", guarded(list_faults), methods=["GET"]),
        Route("/_demo/faults", guarded(add_fault), methods=["POST"]),
        Route("/_demo/faults", guarded(clear_faults), methods=["DELETE"]),
        Route("/_demo/requests", guarded(request_log), methods=["GET"]),
    ]


def build_app(ctx: DemoContext) -> ASGIApp:
    from setlist.demo import art, jamendo, lastfm, lastfm_scrobble, yourmusic

    app = Starlette(
        routes=[
            *_control_routes(ctx),
            *art.routes(),
            Mount(YOURMUSIC_PREFIX, app=yourmusic.build(ctx)),
            Mount(JAMENDO_PREFIX, app=jamendo.build(ctx)),
            Mount(LASTFM_PREFIX, app=lastfm.build(ctx)),
            Mount(LASTFM_AUTH_PREFIX, app=lastfm_scrobble.auth_page(ctx)),
        ]
    )
    return RequestLogMiddleware(FaultMiddleware(app, ctx.faults), ctx)


class _QuietDrops(logging.Filter):
    """A `drop` fault is asked for, not a crash: uvicorn's traceback for it is left out."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, DroppedByFault)


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())


class _IdleServer(uvicorn.Server):
    """uvicorn without its housekeeping tick: it wakes ten times a second to see whether
    it should stop, and the demo may sit idle beside a paused player for hours.
    It sleeps until `request_exit`; the Date header is off, so nothing goes stale."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._exit: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._exit = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        if not await self.on_tick(0):  # sets the default headers, once
            await self._exit.wait()

    def request_exit(self) -> None:
        self.should_exit = True
        loop, event = self._loop, self._exit
        if loop is not None and event is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(event.set)


class DemoServer:
    """The demo catalog on a loopback port, served from a background thread.

    >>> with DemoServer(DemoSettings(access_token_ttl=2)) as demo:
    ...     demo.yourmusic_url, demo.jamendo_url, demo.lastfm_url
    """

    def __init__(self, settings: DemoSettings | None = None) -> None:
        self.settings = settings or DemoSettings()
        self.ctx = DemoContext(settings=self.settings, catalog=load())
        self._server: _IdleServer | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def faults(self) -> Faults:
        return self.ctx.faults

    @property
    def control_token(self) -> str:
        """What the /_demo/ routes ask for, in the CONTROL_HEADER header."""
        return self.ctx.control_token

    @property
    def requests(self) -> list[LoggedRequest]:
        with self.ctx.lock:
            return list(self.ctx.requests)

    @property
    def base_url(self) -> str:
        return self.ctx.base_url

    @property
    def yourmusic_url(self) -> str:
        return self.base_url + YOURMUSIC_PREFIX

    @property
    def jamendo_url(self) -> str:
        return self.base_url + JAMENDO_PREFIX

    @property
    def lastfm_url(self) -> str:
        return self.base_url + LASTFM_PREFIX + "/"

    @property
    def lastfm_auth_url(self) -> str:
        return self.base_url + LASTFM_AUTH_PREFIX + "/"

    def start(self) -> Self:
        # IPPROTO_TCP lets uvicorn turn Nagle off: without it every answer waits ~40 ms.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.settings.host, self.settings.port))
        host, port = sock.getsockname()[:2]
        self.ctx.base_url = f"http://{host}:{port}"
        self.ctx.catalog = with_art(self.ctx.catalog, self.ctx.base_url)
        self._socket = sock
        config = uvicorn.Config(
            build_app(self.ctx),
            log_level="warning",
            access_log=False,
            lifespan="off",
            loop="asyncio",
            http="h11",
            timeout_graceful_shutdown=1,
            date_header=False,
        )
        self._server = _IdleServer(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="demo-server", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the demo catalog server did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.request_exit()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
