"""HLS manifests of YourMusic streams: the check that a body is one."""

from __future__ import annotations

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
