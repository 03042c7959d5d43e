"""A loopback HTTP server through which mpv reaches a catalog's own stream files.

A catalog's playlists, segments and keys need its bearer token, and mpv would send
a header it is given to every host it fetches from: the variants, segments and keys
a playlist names elsewhere (a CDN), and wherever a redirect leads. So mpv is never
given the token. It fetches `http://127.0.0.1:PORT/<secret>/<n>` here instead, and
the provider's `fetch` (which knows its origin) attaches the token per request.

Each URL is registered once and gets an unguessable path: another local user can
reach the port, not the files. Registrations are bounded, oldest forgotten first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import urlsplit

import httpx

from setlist.core.errors import SetlistError

log = logging.getLogger(__name__)

Fetch = Callable[[str, Mapping[str, str]], Awaitable[httpx.Response]]

MAX_ENTRIES = 50_000  # files (a 4 s segment each): days of audio
MAX_PLAYLISTS = 64
HEAD_LIMIT = 16 * 1024
IDLE_SECONDS = 60.0  # a kept-alive connection with no request
UPSTREAM_SECONDS = 30.0  # the catalog's answer, and each piece of its body
FILE_SECONDS = 120.0  # one whole file (a segment is a few seconds of audio)
# Request headers mpv sends that the catalog should see too.
_FORWARDED = ("range", "if-range", "accept")
# Answer headers mpv needs; the length is handled apart.
_RETURNED = ("content-type", "content-range", "accept-ranges", "last-modified", "etag")
_REASONS = {200: "OK", 206: "Partial Content", 404: "Not Found", 405: "Method Not Allowed"}


class MediaProxy:
    """Serves registered catalog URLs (through `fetch`) and playlist texts on loopback."""

    def __init__(
        self,
        fetch: Fetch,
        *,
        label: str,
        max_entries: int = MAX_ENTRIES,
        file_seconds: float = FILE_SECONDS,
    ) -> None:
        self._fetch = fetch
        self._file_seconds = file_seconds
        self._label = label
        self._max_entries = max_entries
        self._secret = secrets.token_urlsafe(24)
        self._ids: OrderedDict[str, str] = OrderedDict()  # url -> id
        self._urls: dict[str, str] = {}  # id -> url
        self._texts: OrderedDict[str, bytes] = OrderedDict()  # id -> playlist
        self._next = 0
        self._server: asyncio.Server | None = None
        self._starting: asyncio.Lock | None = None
        self._base = ""
        self._connections: set[asyncio.Task[None]] = set()

    async def url_for(self, url: str) -> str:
        """The loopback URL that serves `url` through `fetch`."""
        await self._start()
        name = self._ids.get(url)
        if name is None:
            name = self._name(url)
            self._ids[url] = name
            self._urls[name] = url
            while len(self._ids) > self._max_entries:
                _, old = self._ids.popitem(last=False)
                self._urls.pop(old, None)
        else:
            self._ids.move_to_end(url)
        return f"{self._base}/{name}"

    async def playlist_url(self, text: str) -> str:
        """The loopback URL that serves this playlist text."""
        await self._start()
        name = self._name("index.m3u8")
        self._texts[name] = text.encode()
        while len(self._texts) > MAX_PLAYLISTS:
            self._texts.popitem(last=False)
        return f"{self._base}/{name}"

    async def aclose(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        with contextlib.suppress(Exception):
            await server.wait_closed()

    def _name(self, url: str) -> str:
        """A numbered name keeping the file's extension (mpv guesses formats by it)."""
        self._next += 1
        path = urlsplit(url).path
        leaf = path.rsplit("/", 1)[-1]
        ext = leaf[leaf.rfind(".") :] if "." in leaf else ""
        safe = ext if ext[1:].isalnum() and len(ext) <= 6 else ""
        return f"{self._next}{safe}"

    async def _start(self) -> None:
        if self._server is not None:
            return
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._server is None:
                server = await asyncio.start_server(
                    self._accept, "127.0.0.1", 0, limit=HEAD_LIMIT, backlog=128
                )
                port = server.sockets[0].getsockname()[1]
                self._base = f"http://127.0.0.1:{port}/{self._secret}"
                self._server = server

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while await self._answer(reader, writer):
                pass
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; whether the connection stays open for another."""
        async with asyncio.timeout(IDLE_SECONDS):
            head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3:
            return False
        method, target, version = parts
        headers = {}
        for line in lines[1:]:
            field, _, value = line.partition(":")
            if field:
                headers[field.strip().lower()] = value.strip()
        keep = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
        if method not in ("GET", "HEAD"):
            await _reply(writer, 405, b"", keep=False)
            return False
        prefix = f"/{self._secret}/"
        name = target[len(prefix) :] if target.startswith(prefix) else None
        if name is not None and name in self._texts:
            body = self._texts[name]
            await _reply(writer, 200, body, keep=keep, head=method == "HEAD", kind=_M3U8)
            return keep
        url = self._urls.get(name) if name is not None else None
        if url is None:
            await _reply(writer, 404, b"", keep=keep)
            return keep
        forwarded = {k: headers[k] for k in _FORWARDED if k in headers}
        return await self._relay(writer, url, forwarded, keep=keep, head=method == "HEAD")

    async def _relay(
        self,
        writer: asyncio.StreamWriter,
        url: str,
        headers: Mapping[str, str],
        *,
        keep: bool,
        head: bool,
    ) -> bool:
        try:
            async with asyncio.timeout(UPSTREAM_SECONDS):
                response = await self._fetch(url, headers)
        except (SetlistError, httpx.HTTPError, TimeoutError) as exc:
            reason = getattr(exc, "message", None) or f"{self._label} did not answer in time"
            log.warning("stream file %s: %s", _path(url), reason)
            await _reply(writer, 502, reason.encode(), keep=keep)
            return keep
        try:
            if response.status_code >= 400:
                log.warning("stream file %s: HTTP %s", _path(url), response.status_code)
            encoded = "content-encoding" in response.headers
            length = None if encoded else response.headers.get("content-length")
            keep = keep and length is not None
            lines = [f"HTTP/1.1 {response.status_code} {_reason(response)}"]
            lines += [f"{k}: {response.headers[k]}" for k in _RETURNED if k in response.headers]
            if length is not None:
                lines.append(f"Content-Length: {length}")
            lines.append("Connection: keep-alive" if keep else "Connection: close")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            if not head:
                chunks = response.aiter_bytes() if encoded else response.aiter_raw()
                # A server that trickles keeps each piece within its deadline: the
                # whole file has one too.
                whole = asyncio.get_running_loop().time() + self._file_seconds
                while True:
                    left = min(UPSTREAM_SECONDS, whole - asyncio.get_running_loop().time())
                    async with asyncio.timeout(max(0.0, left)):
                        chunk = await anext(chunks, None)
                    if chunk is None:
                        break
                    writer.write(chunk)
                    await writer.drain()
            await writer.drain()
        except (httpx.HTTPError, TimeoutError) as exc:
            # Headers are out: all that can be said now is a closed connection.
            log.warning("stream file %s: cut short (%s)", _path(url), type(exc).__name__)
            return False
        finally:
            await response.aclose()
        return keep


_M3U8 = "application/vnd.apple.mpegurl"


async def _reply(
    writer: asyncio.StreamWriter,
    status: int,
    body: bytes,
    *,
    keep: bool,
    head: bool = False,
    kind: str = "text/plain; charset=utf-8",
) -> None:
    lines = [
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Bad Gateway')}",
        f"Content-Type: {kind}",
        f"Content-Length: {len(body)}",
        "Connection: keep-alive" if keep else "Connection: close",
    ]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    if not head:
        writer.write(body)
    await writer.drain()


def _reason(response: httpx.Response) -> str:
    return response.reason_phrase.replace("\r", " ").replace("\n", " ") or "-"


def _path(url: str) -> str:
    """A URL fit for the log: no query (a signed URL carries credentials there)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
