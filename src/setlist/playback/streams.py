"""Turning a track into something mpv can open, at the moment it is about to play.

- YourMusic: an HLS manifest fetched with the bearer token. A master playlist gets
  its variant chosen here (by quality) and fetched here too. mpv is handed a copy of
  the media playlist in which every file at the catalog's origin goes through the
  catalog's loopback relay, which adds the token; mpv itself never holds it, so
  nothing it fetches (another host, a redirect) can carry it away.
- Jamendo (and any other provider): the provider's own `resolve_stream`.
- Local files and plain URLs: the path or URL as it is.

A `Resolver` is what the player is given: `async (Track) -> StreamSource`. It is
called again when a stream fails mid-track (an expired token), so each call must
fetch fresh credentials.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Literal, Protocol, runtime_checkable
from urllib.parse import urljoin

import m3u8

from setlist.core.errors import PlaybackError
from setlist.core.models import ProviderName, Track
from setlist.core.protocols import CatalogProvider, StreamSource

Resolver = Callable[[Track], Awaitable[StreamSource]]
# "highest", "lowest", or a cap in bit/s: the best variant not above it (else the lowest).
Quality = Literal["highest", "lowest"] | int  # as `[playback] quality` in the config

_URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')


@runtime_checkable
class HlsCatalog(Protocol):
    """A catalog that serves HLS behind a bearer token (the YourMusic client).

    It alone attaches the token: these methods hand out only URLs and texts."""

    async def stream_manifest(self, track: Track) -> tuple[str, str]: ...
    async def stream_playlist(self, url: str) -> tuple[str, str]: ...
    async def stream_url(self, url: str) -> str: ...
    async def stream_playlist_url(self, text: str) -> str: ...


@runtime_checkable
class FileStreams(Protocol):
    """A catalog whose tracks play from a URL of their own (Jamendo)."""

    async def resolve_stream(self, track: Track) -> StreamSource: ...


async def resolve_hls(
    catalog: HlsCatalog, manifest_url: str, manifest_text: str, quality: Quality = "highest"
) -> StreamSource:
    """The source to play for an HLS manifest (master or media playlist)."""
    url, playlist = manifest_url, parse_playlist(manifest_text, manifest_url)
    if playlist.is_variant:
        variants = [p for p in playlist.playlists if p.uri]
        if not variants:
            raise PlaybackError("The stream's playlist names no streams to play.")
        url, text = await catalog.stream_playlist(urljoin(url, pick_variant(variants, quality).uri))
        playlist = parse_playlist(text, url)
        if playlist.is_variant:
            raise PlaybackError("The stream's playlist names another list of streams, not audio.")
        manifest_text = text
    check_media(playlist)
    copy = absolutize(manifest_text, url)
    relayed = {uri: await catalog.stream_url(uri) for uri in dict.fromkeys(_uris(copy))}
    return StreamSource(url=await catalog.stream_playlist_url(_map_uris(copy, relayed.__getitem__)))


def parse_playlist(text: str, url: str) -> m3u8.M3U8:
    text = text.lstrip("\ufeff")
    if not text.startswith("#EXTM3U"):
        raise PlaybackError("The stream's playlist is not an HLS playlist; try again later.")
    _check_complete(text)
    try:
        return m3u8.loads(text, uri=url)
    except Exception as exc:  # m3u8 raises plain exceptions on malformed tags
        raise PlaybackError(f"The stream's playlist could not be read: {exc}") from exc


def check_media(playlist: m3u8.M3U8) -> None:
    if not playlist.segments:
        raise PlaybackError("The stream's playlist has no audio in it.")
    if playlist.playlist_type == "vod" and not playlist.is_endlist:
        raise PlaybackError("The stream's playlist was cut short; try again.")


def pick_variant(variants: list[m3u8.Playlist], quality: Quality) -> m3u8.Playlist:
    def bandwidth(p: m3u8.Playlist) -> int:
        return p.stream_info.bandwidth or 0

    if quality == "highest":
        return max(variants, key=bandwidth)
    if quality == "lowest":
        return min(variants, key=bandwidth)
    fitting = [p for p in variants if bandwidth(p) <= quality]
    return max(fitting, key=bandwidth) if fitting else min(variants, key=bandwidth)


def absolutize(text: str, base_url: str) -> str:
    """A playlist with every URI (lines and URI="..." attributes) made absolute."""
    return _map_uris(text, lambda uri: urljoin(base_url, uri))


def _uris(text: str) -> list[str]:
    """Every URI of a playlist: its segment lines and its URI="..." attributes."""
    found: list[str] = []

    def keep(uri: str) -> str:
        found.append(uri)
        return uri

    _map_uris(text, keep)
    return found


def _map_uris(text: str, change: Callable[[str], str]) -> str:
    """The playlist with `change` applied to each URI, line by line."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            line = _URI_ATTRIBUTE.sub(lambda m: f'URI="{change(m[1])}"', line)
        elif stripped:
            line = change(stripped)
        lines.append(line)
    return "\n".join(lines) + "\n"


def _check_complete(text: str) -> None:
    """A tag that announces a URI line with none after it: the body was cut short."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[-1].startswith(("#EXT-X-STREAM-INF", "#EXTINF")):
        raise PlaybackError("The stream's playlist was cut short; try again.")


def local_source(track: Track) -> StreamSource:
    """A local file or a plain URL, played as it is."""
    location = track.audio_url or track.id
    if not location:
        raise PlaybackError(f"“{track.title}” has no file to play.")
    return StreamSource(url=location)


def make_resolver(
    providers: Mapping[str, CatalogProvider], *, quality: Quality = "highest"
) -> Resolver:
    """The player's resolver over the configured providers."""

    async def resolve(track: Track) -> StreamSource:
        if track.provider == ProviderName.LOCAL:
            return local_source(track)
        provider = providers.get(track.provider)
        if provider is None:
            raise PlaybackError(f"“{track.title}” needs {track.provider}, which is not set up.")
        if isinstance(provider, HlsCatalog):
            url, text = await provider.stream_manifest(track)
            return await resolve_hls(provider, url, text, quality)
        if isinstance(provider, FileStreams):
            return await provider.resolve_stream(track)
        raise PlaybackError(f"“{track.title}” cannot be played from {track.provider}.")

    return resolve
