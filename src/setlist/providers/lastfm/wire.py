"""Last.fm's album.getInfo JSON, quirks included.

Numbers come as strings ("listeners": "47602"); a list of one comes as the
object itself; an empty list comes as "". Unknown fields are ignored.
"""

from __future__ import annotations

import msgspec


class WireTag(msgspec.Struct, kw_only=True):
    name: str
    url: str | None = None


class WireTags(msgspec.Struct, kw_only=True):
    tag: list[WireTag] | WireTag = []


class WireRank(msgspec.Struct, kw_only=True):
    rank: int | None = None


class WireTrack(msgspec.Struct, kw_only=True):
    name: str
    duration: int | None = None
    attr: WireRank | None = msgspec.field(default=None, name="@attr")


class WireTracks(msgspec.Struct, kw_only=True):
    track: list[WireTrack] | WireTrack = []


class WireImage(msgspec.Struct, kw_only=True):
    url: str = msgspec.field(default="", name="#text")
    size: str = ""


class WireWiki(msgspec.Struct, kw_only=True):
    summary: str = ""
    content: str = ""


class WireAlbum(msgspec.Struct, kw_only=True):
    name: str
    artist: str
    mbid: str | None = None
    url: str | None = None
    listeners: int | None = None
    playcount: int | None = None
    userplaycount: int | None = None  # with `username`
    image: list[WireImage] = []
    tags: WireTags | str | None = None
    tracks: WireTracks | str | None = None
    wiki: WireWiki | None = None


class AlbumAnswer(msgspec.Struct, kw_only=True):
    album: WireAlbum


class ErrorAnswer(msgspec.Struct, kw_only=True):
    error: int
    message: str = ""


# -- auth and scrobbling


class TokenAnswer(msgspec.Struct, kw_only=True):
    token: str


class WireSession(msgspec.Struct, kw_only=True):
    name: str = ""
    key: str


class SessionAnswer(msgspec.Struct, kw_only=True):
    session: WireSession


class WireIgnored(msgspec.Struct, kw_only=True):
    code: int = 0
    text: str = msgspec.field(default="", name="#text")


class WireScrobbled(msgspec.Struct, kw_only=True):
    ignored: WireIgnored | None = msgspec.field(default=None, name="ignoredMessage")


class WireCounts(msgspec.Struct, kw_only=True):
    accepted: int = 0
    ignored: int = 0


class WireScrobbles(msgspec.Struct, kw_only=True):
    # A batch of one comes as the object itself, as everywhere in Last.fm's JSON.
    scrobble: list[WireScrobbled] | WireScrobbled = []
    attr: WireCounts = msgspec.field(default_factory=WireCounts, name="@attr")


class ScrobbleAnswer(msgspec.Struct, kw_only=True):
    scrobbles: WireScrobbles
