"""Faults on demand: make any route slow, fail, drop, throttle or answer garbage.

A fault matches requests by method and a glob over the full path. It applies to
the next `times` matching requests (forever when `times` is None), so a test can
say "the first two calls fail, the third succeeds". Faults are set from Python
(`server.faults.add(...)`) or over HTTP (`POST /_demo/faults`) for subprocess tests.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FaultKind = Literal[
    "latency",  # wait `delay` seconds, then answer normally
    "status",  # answer `status` (5xx by default) with a short text body
    "drop",  # send the headers, then close the connection mid-body
    "rate_limit",  # 429 with Retry-After: `retry_after`
    "malformed_json",  # the real answer, with its body cut so it is not valid JSON
    "truncated_hls",  # an HLS playlist cut short (no #EXT-X-ENDLIST, half a line)
    "invalid_hls",  # a body that is not an HLS playlist at all, in place of a playlist
    "stall",  # send the headers and half the body, wait `delay` seconds, then the rest
    "jamendo_code",  # HTTP 200 with Jamendo's failed envelope carrying `code` (6: rate limit)
    "lastfm_code",  # Last.fm's `{"error": code, "message": ...}` with its HTTP status (29: 429)
    "unreachable",  # the request never reaches the service: the connection closes unanswered
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)


class DroppedByFault(ConnectionAbortedError):
    """The `drop` fault ending an answer mid-body: the server closes the connection."""


@dataclass
class Fault:
    path: str  # glob over the full path, e.g. "/yourmusic/catalog/tracks/*"
    kind: FaultKind
    method: str | None = None  # None: any
    times: int | None = None  # None: every matching request
    status: int = 503
    delay: float = 1.0
    retry_after: int = 1
    code: int = 6  # jamendo_code, lastfm_code: the error code
    hits: int = field(default=0)

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        return fnmatch.fnmatchcase(path, self.path)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Faults:
    """The faults in force, shared between the server thread and tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, path: str, kind: FaultKind, **options: Any) -> Fault:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(FAULT_KINDS)}")
        fault = Fault(path=path, kind=kind, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def list(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching this request, counted as used."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.hits += 1
                    if fault.times is not None and fault.hits >= fault.times:
                        self._faults.remove(fault)
                    return fault
        return None


class FaultMiddleware:
    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_demo/"):
            await self.app(scope, receive, send)
            return
        fault = self.faults.take(scope["method"], scope["path"])
        if fault is None:
            await self.app(scope, receive, send)
            return
        await _apply(fault, self.app, scope, receive, send)


async def _plain(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _buffered(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message, bytes]:
    """Run the real app and collect its answer."""
    start: Message = {}
    chunks: list[bytes] = []

    async def collect(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, collect)
    return start, b"".join(chunks)


def _with_length(start: Message, length: int) -> Message:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(length).encode()))
    return {**start, "headers": headers}


LASTFM_STATUS = {9: 403, 11: 503, 16: 503, 29: 429}
INVALID_HLS = b"<html><body>502 Bad Gateway</body></html>"


def _truncated(playlist: bytes) -> bytes:
    """The first half of a playlist, without #EXT-X-ENDLIST, its last line cut short."""
    lines = playlist.decode("utf-8", errors="replace").splitlines()
    kept = [line for line in lines if line != "#EXT-X-ENDLIST"]
    cut = "\n".join(kept[: max(2, len(kept) // 2)])
    return cut[: max(8, len(cut) - 3)].encode()


async def _apply(fault: Fault, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    kind = fault.kind
    if kind == "latency":
        await asyncio.sleep(fault.delay)
        await app(scope, receive, send)
    elif kind == "status":
        await _plain(send, fault.status, b"demo fault: server error", [])
    elif kind == "rate_limit":
        body = json.dumps({"message": "Too Many Attempts."}).encode()
        headers = [
            (b"retry-after", str(fault.retry_after).encode()),
            (b"content-type", b"application/json"),
        ]
        await _plain(send, 429, body, headers)
    elif kind == "jamendo_code":
        head = {
            "status": "failed",
            "code": fault.code,
            "error_message": f"demo fault: code {fault.code}",
            "warnings": "",
            "results_count": 0,
        }
        body = json.dumps({"headers": head, "results": []}).encode()
        await _plain(send, 200, body, [(b"content-type", b"application/json")])
    elif kind == "lastfm_code":
        status = LASTFM_STATUS.get(fault.code, 400)
        said = {"error": fault.code, "message": f"demo fault: error {fault.code}"}
        await _plain(
            send, status, json.dumps(said).encode(), [(b"content-type", b"application/json")]
        )
    elif kind == "unreachable":
        # Headers promising a body that never comes: the client sees a dropped connection,
        # and the service behind never sees the request.
        await send(_with_length({"type": "http.response.start", "status": 200}, 64))
        raise DroppedByFault("demo fault: unreachable")
    elif kind == "drop":
        start, body = await _buffered(app, scope, receive)
        await send(_with_length(start, max(len(body), 64)))
        await send(
            {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
        )
        # Ending the app with the body incomplete makes the server close the connection.
        raise DroppedByFault("demo fault: connection dropped")
    elif kind == "malformed_json":
        start, body = await _buffered(app, scope, receive)
        broken = body[: max(1, len(body) // 2)] or b"{"
        await send(_with_length(start, len(broken)))
        await send({"type": "http.response.body", "body": broken})
    elif kind in ("truncated_hls", "invalid_hls"):
        start, body = await _buffered(app, scope, receive)
        # Only playlists are spoiled: segments (binary) and error bodies a glob such as
        # "/yourmusic/stream/*" also matches go through as they are.
        if body.startswith(b"#EXTM3U"):
            body = _truncated(body) if kind == "truncated_hls" else INVALID_HLS
        await send(_with_length(start, len(body)))
        await send({"type": "http.response.body", "body": body})
    elif kind == "stall":
        start, body = await _buffered(app, scope, receive)
        await send(_with_length(start, len(body)))
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await asyncio.sleep(fault.delay)
        await send({"type": "http.response.body", "body": body[half:]})
