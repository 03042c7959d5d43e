"""A scrobble, as setlist keeps it until Last.fm has answered for it.

Shared by the spool (store), the Last.fm client (providers) and the scrobbler
(services), so it lives below them all.
"""

from __future__ import annotations

import msgspec

MIN_LENGTH = 30.0  # seconds: shorter tracks are never scrobbled
HALF = 0.5  # of its length, or
ENOUGH = 240.0  # seconds of listening, whichever comes first
BATCH = 50  # scrobbles in one track.scrobble call, at most


class Scrobble(msgspec.Struct, frozen=True, kw_only=True):
    id: str  # setlist's own, to remove exactly this one from the spool
    artist: str
    track: str
    timestamp: int  # when the track started playing, UTC seconds
    album: str = ""
    duration: int | None = None  # seconds
    provider: str = ""  # the catalog it was played from


class Ignored(msgspec.Struct, frozen=True, kw_only=True):
    """A scrobble Last.fm took but did not count, and why (its ignoredMessage)."""

    scrobble: Scrobble
    code: int
    reason: str


class ScrobbleResult(msgspec.Struct, frozen=True, kw_only=True):
    accepted: int
    ignored: tuple[Ignored, ...] = ()


def listened_enough(listened: float, length: float | None) -> bool:
    """Last.fm's rule: a track longer than 30 s, listened to for half its length or
    4 minutes, whichever comes first."""
    if length is None or length <= MIN_LENGTH:
        return False
    return listened >= min(length * HALF, ENOUGH)
