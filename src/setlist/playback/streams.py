"""Turning a track into something mpv can open, at the moment it is about to play.

- YourMusic: an HLS manifest fetched with the bearer token. A master playlist gets
  its variant chosen here (by quality), its URI made absolute, and the token is
  attached only when the variant lives on the catalog's own host.
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
from urllib.parse import urljoin, urlsplit

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
    """A catalog that serves HLS manifests behind a bearer token (the YourMusic client)."""

    host: str  # the catalog's host: the only one that may see the token

    async def stream_manifest(self, track: Track) -> tuple[str, str]: ...
    async def bearer_headers(self) -> dict[str, str]: ...


def resolve_hls(
    manifest_url: str,
    manifest_text: str,
    headers: Mapping[str, str],
    quality: Quality = "highest",
    *,
    header_host: str | None = None,
) -> StreamSource:
    """The source to play for an HLS manifest (master or media playlist).

    `header_host` (default: the manifest's own host) is the only host the headers may
    be sent to: a variant elsewhere is played without them.
    """
    host = header_host or urlsplit(manifest_url).netloc
    text = manifest_text.lstrip("\ufeff")
    if not text.startswith("#EXTM3U"):
        raise PlaybackError("The stream's playlist is not an HLS playlist; try again later.")
    _check_complete(text)
    try:
        playlist = m3u8.loads(text, uri=manifest_url)
    except Exception as exc:  # m3u8 raises plain exceptions on malformed tags
        raise PlaybackError(f"The stream's playlist could not be read: {exc}") from exc

    if playlist.is_variant:
        variants = [p for p in playlist.playlists if p.uri]
        if not variants:
            raise PlaybackError("The stream's playlist names no streams to play.")
        url = urljoin(manifest_url, pick_variant(variants, quality).uri)
        return _source(url, headers, host)

    if not playlist.segments:
        raise PlaybackError("The stream's playlist has no audio in it.")
    if playlist.playlist_type == "vod" and not playlist.is_endlist:
        raise PlaybackError("The stream's playlist was cut short; try again.")
    # mpv plays our copy of the playlist (URIs made absolute) rather than fetch it again.
    copy = absolutize(text, manifest_url)
    if all(urlsplit(uri).netloc == host for uri in _uris(copy)):
        return StreamSource(
            url=manifest_url, headers=dict(headers), header_host=host, playlist_text=copy
        )
    # A segment or key on another host: mpv would send the token along to it.
    return StreamSource(url=manifest_url, playlist_text=copy)


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


def _source(url: str, headers: Mapping[str, str], host: str) -> StreamSource:
    if urlsplit(url).netloc != host:
        return StreamSource(url=url)
    return StreamSource(url=url, headers=dict(headers), header_host=host)


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
            headers = await provider.bearer_headers()
            return resolve_hls(url, text, headers, quality, header_host=provider.host)
        return await provider.resolve_stream(track)

    return resolve
