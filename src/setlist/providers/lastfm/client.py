"""LastfmClient: extra album info (listeners, tags, summary) from Last.fm's album.getInfo."""

from __future__ import annotations

import contextlib
import html
import re
from typing import TypeVar

import httpx
import msgspec

from setlist.core.closing import AsyncClosing
from setlist.core.errors import BadResponse, NotFound, malformed
from setlist.providers.http import DEFAULT_DEADLINES, Deadlines, RetryPolicy, make_client, send
from setlist.providers.lastfm.errors import PROVIDER, error_for_code
from setlist.providers.lastfm.models import AlbumInfo, AlbumInfoTrack
from setlist.providers.lastfm.wire import AlbumAnswer, ErrorAnswer, WireAlbum, WireTrack

DEFAULT_BASE_URL = "https://ws.audioscrobbler.com/2.0/"
IMAGE_SIZES = ("mega", "extralarge", "large", "medium", "small")
_READ_MORE = re.compile(r"\s*<a\b[^>]*>\s*Read more on Last\.fm\s*</a>\.?", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")

T = TypeVar("T")


class LastfmClient(AsyncClosing):
    """Album info from Last.fm. Without an API key every lookup answers None."""

    name = PROVIDER

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        lang: str | None = None,
        username: str | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout | None = None,
        deadlines: Deadlines = DEFAULT_DEADLINES,
    ) -> None:
        self._api_key = api_key or None
        self._deadline = deadlines.api
        self._lang = lang
        self._username = username or None
        self._retry = retry
        self._http = make_client(base_url.rstrip("/") + "/", timeout=timeout)

    @property
    def enabled(self) -> bool:
        return self._api_key is not None

    @property
    def api_key(self) -> str | None:
        return self._api_key

    async def check_key(self) -> None:
        """Raise AuthenticationError when Last.fm refuses the key; return when it takes it."""
        # An album no catalog has: NotFound means the key itself was accepted.
        with contextlib.suppress(NotFound):
            await self.album_info("setlist", "setlist key check")

    async def album_info(self, artist: str, album: str) -> AlbumInfo | None:
        return await self._album_info({"artist": artist, "album": album, "autocorrect": "1"})

    async def album_info_by_mbid(self, mbid: str) -> AlbumInfo | None:
        return await self._album_info({"mbid": mbid})

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _album_info(self, params: dict[str, str]) -> AlbumInfo | None:
        if self._api_key is None:
            return None
        query = {"method": "album.getinfo", "api_key": self._api_key, "format": "json", **params}
        if self._lang:
            query["lang"] = self._lang
        if self._username:
            query["username"] = self._username
        response = await send(
            self._http,
            "GET",
            "",
            provider=PROVIDER,
            params=query,
            retry=self._retry,
            deadline=self._deadline,
        )
        return _album(self._decode(response).album, self._username)

    def _decode(self, response: httpx.Response) -> AlbumAnswer:
        body = response.content
        try:
            failed = msgspec.json.decode(body, type=ErrorAnswer, strict=False)
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
            failed = None
        if failed is not None:
            message = failed.message.replace(self._api_key or "\0", "***").strip()[:200]
            raise error_for_code(failed.error, message)
        try:
            return msgspec.json.decode(body, type=AlbumAnswer, strict=False)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            status = response.status_code
            raise BadResponse(
                f"Last.fm sent album info setlist cannot read (HTTP {status}).", provider=PROVIDER
            ) from exc
        except RecursionError:
            raise malformed("Last.fm", PROVIDER) from None


def _album(w: WireAlbum, username: str | None = None) -> AlbumInfo:
    tags = w.tags.tag if w.tags is not None and not isinstance(w.tags, str) else []
    tracks = w.tracks.track if w.tracks is not None and not isinstance(w.tracks, str) else []
    return AlbumInfo(
        name=w.name,
        artist=w.artist,
        listeners=w.listeners,
        playcount=w.playcount,
        user_playcount=w.userplaycount if username else None,
        username=username or "",
        tags=tuple(t.name for t in _as_list(tags)),
        summary=plain_text(w.wiki.summary) if w.wiki else "",
        url=w.url or None,
        mbid=w.mbid or None,
        image_url=_largest_image(w),
        tracks=tuple(_track(t) for t in _as_list(tracks)),
    )


def _as_list(value: list[T] | T) -> list[T]:
    return value if isinstance(value, list) else [value]


def _track(w: WireTrack) -> AlbumInfoTrack:
    return AlbumInfoTrack(
        name=w.name, duration=w.duration or None, rank=w.attr.rank if w.attr else None
    )


def _largest_image(w: WireAlbum) -> str | None:
    by_size = {image.size: image.url for image in w.image if image.url}
    return next((by_size[s] for s in IMAGE_SIZES if s in by_size), None)


def plain_text(summary: str) -> str:
    """Last.fm's HTML summary as terminal text: no tags, no trailing "Read more" link."""
    text = _TAG.sub("", _READ_MORE.sub("", summary))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
