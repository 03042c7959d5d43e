"""What Last.fm adds to an album page. Not part of the shared domain model: only
the album screen shows it, and it is simply absent without a Last.fm key."""

from __future__ import annotations

import msgspec


class AlbumInfoTrack(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    duration: int | None = None  # seconds
    rank: int | None = None


class AlbumInfo(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    artist: str
    listeners: int | None = None
    playcount: int | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""  # plain text, no HTML
    url: str | None = None
    mbid: str | None = None
    image_url: str | None = None
    tracks: tuple[AlbumInfoTrack, ...] = ()
