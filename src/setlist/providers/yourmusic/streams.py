"""HLS manifests of YourMusic streams: check them and pick the variant to play."""

from __future__ import annotations

import m3u8

from setlist.core.errors import BadResponse
from setlist.providers.yourmusic.wire import PROVIDER

HLS_MAGIC = "#EXTM3U"


def check_manifest(text: str) -> str:
    """The manifest, or a BadResponse when the body is not an HLS playlist at all."""
    if not text.lstrip("\ufeff").startswith(HLS_MAGIC):
        raise BadResponse(
            "YourMusic sent something that is not a stream playlist. Try again in a moment.",
            provider=PROVIDER,
        )
    return text


def media_playlist_url(manifest_url: str, text: str) -> str:
    """The URL to play: the highest-bandwidth variant of a master playlist, else the manifest.

    Relative variant URIs are resolved against the manifest's URL.
    """
    playlist = m3u8.loads(text, uri=manifest_url)
    if not playlist.is_variant:
        return manifest_url
    variants = [p for p in playlist.playlists if p.uri]
    if not variants:
        raise BadResponse(
            "YourMusic sent a stream playlist with no streams in it.", provider=PROVIDER
        )
    best = max(variants, key=lambda p: p.stream_info.bandwidth or 0)
    return str(best.absolute_uri)
