"""Cover art by URL: from memory, from the disk cache, or fetched, and never an error.

A plain GET with no credential: art comes from a catalog's image host or a CDN, and
no token is attached to it, so none can follow a redirect elsewhere. One try (a
picture is not worth waiting out retries for) within the API deadline, body
included; a picture that does not come in time, is too large or is not an image
is simply not shown (None), and nothing is said about it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

import httpx

from setlist.providers.http import DEFAULT_DEADLINES, make_client
from setlist.store.art_cache import ArtCache

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 4 * 1024 * 1024
MEMORY_ENTRIES = 32


class ArtFetcher:
    """Image bytes for URLs, cached on disk by `cache`; one fetch per URL at a time."""

    def __init__(self, cache: ArtCache | None = None, *, deadline: float | None = None) -> None:
        self.cache = cache if cache is not None else ArtCache()
        self.deadline = DEFAULT_DEADLINES.api if deadline is None else deadline
        self._client: httpx.AsyncClient | None = None
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._pending: dict[str, asyncio.Future[bytes | None]] = {}

    async def image(self, url: str) -> bytes | None:
        """The picture at `url`, or None when there is none to be had."""
        data = self._memory.get(url)
        if data is not None:
            self._memory.move_to_end(url)
            return data
        pending = self._pending.get(url)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._pending[url] = future
        try:
            data = await self._load(url)
        except BaseException:
            future.set_result(None)
            raise
        else:
            future.set_result(data)
        finally:
            del self._pending[url]
        if data is not None:
            self._memory[url] = data
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)
        return data

    async def _load(self, url: str) -> bytes | None:
        data = await asyncio.to_thread(self.cache.get, url)
        if data is not None:
            return data
        data = await self._fetch(url)
        if data is not None:
            await asyncio.to_thread(self.cache.put, url, data)
        return data

    async def _fetch(self, url: str) -> bytes | None:
        try:
            scheme = httpx.URL(url).scheme
        except httpx.InvalidURL:
            log.info("no cover art: not a URL")
            return None
        if scheme not in ("http", "https"):
            return None
        if self._client is None:
            self._client = make_client("")
        try:
            async with asyncio.timeout(self.deadline):
                return await self._read(self._client, url)
        except (TimeoutError, httpx.HTTPError) as exc:
            log.info("no cover art from %s: %s", _where(url), type(exc).__name__)
            return None

    async def _read(self, client: httpx.AsyncClient, url: str) -> bytes | None:
        """The answer's body when it is a picture of at most MAX_IMAGE_BYTES; read no
        further than that, whatever the server sends."""
        async with client.stream("GET", url, follow_redirects=True) as response:
            kind = response.headers.get("content-type", "")
            if response.status_code != 200 or not kind.startswith("image/"):
                log.info(
                    "no cover art from %s: HTTP %s %s", _where(url), response.status_code, kind
                )
                return None
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_IMAGE_BYTES:
                    log.info("no cover art from %s: larger than %d bytes", _where(url), len(body))
                    return None
            return bytes(body)

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()


def _where(url: str) -> str:
    """A URL for the log: no query, which may carry a signature."""
    parts = httpx.URL(url)
    return f"{parts.scheme}://{parts.host}{parts.path}"
