"""Cover art by URL: from memory, from the disk cache, or fetched, and never an error.

A plain GET with no credential: art comes from a catalog's image host or a CDN, and
no token is attached to it, so none can follow a redirect elsewhere. The whole
fetch has the API deadline; a picture that does not come in time, is too large or
is not an image is simply not shown (None), and nothing is said about it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

import httpx

from setlist.core.errors import SetlistError
from setlist.providers.http import DEFAULT_DEADLINES, RetryPolicy, make_client, send
from setlist.store.art_cache import ArtCache

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 4 * 1024 * 1024
MEMORY_ENTRIES = 32
# One try: a picture is not worth waiting out retries for.
_ONCE = RetryPolicy(attempts=1)


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
        if httpx.URL(url).scheme not in ("http", "https"):
            return None
        if self._client is None:
            self._client = make_client("")
        try:
            response = await send(
                self._client,
                "GET",
                url,
                provider="cover art",
                retry=_ONCE,
                follow_redirects=True,
                deadline=self.deadline,
            )
        except (SetlistError, httpx.HTTPError) as exc:
            log.info("no cover art from %s: %s", _where(url), exc)
            return None
        kind = response.headers.get("content-type", "")
        if response.status_code != 200 or not kind.startswith("image/"):
            log.info("no cover art from %s: HTTP %s %s", _where(url), response.status_code, kind)
            return None
        if len(response.content) > MAX_IMAGE_BYTES:
            return None
        return response.content

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()


def _where(url: str) -> str:
    """A URL for the log: no query, which may carry a signature."""
    parts = httpx.URL(url)
    return f"{parts.scheme}://{parts.host}{parts.path}"
