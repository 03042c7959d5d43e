"""Jamendo API v3.0 as it comes over the wire.

Unknown fields are ignored (Jamendo adds fields freely); a field of the wrong
type fails decoding, which `decode_results` turns into BadResponse. Decoding is
lax (`strict=False`) because Jamendo sends some numbers as strings, e.g.
`"position": "3"` in aggregated sub-entities.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from setlist.core.errors import BadResponse, malformed

# Most ids are strings of digits, some (radios) are numbers.
Id = str | int

T = TypeVar("T")


class Headers(msgspec.Struct, kw_only=True):
    status: str = ""
    code: int = 0
    error_message: str | None = ""
    warnings: str | list[str] | None = ""
    results_count: int = 0
    results_fullcount: int | None = None
    next: str | None = None  # the URL of the following page, when there is one


class Envelope(msgspec.Struct, kw_only=True):
    """Every read and write method answers this; `results` is decoded once the code is 0."""

    headers: Headers
    results: msgspec.Raw = msgspec.Raw(b"[]")


# Feed texts are either a plain string or one string per language.
Text = str | dict[str, str]


class WireTagGroups(msgspec.Struct, kw_only=True):
    genres: list[str] = []
    instruments: list[str] = []
    vartags: list[str] = []


class WireMusicInfo(msgspec.Struct, kw_only=True):
    """A track's `include=musicinfo` (tags grouped), or the `musicinfo` of
    `albums/musicinfo` and `artists/musicinfo` (tags as a list, a description per language)."""

    vocalinstrumental: str | None = None
    lang: str | None = None
    gender: str | None = None
    acousticelectric: str | None = None
    speed: str | None = None
    tags: WireTagGroups | list[str] | None = None
    description: Text | None = None


class WireLocation(msgspec.Struct, kw_only=True):
    country: str | None = None
    region: str | None = None
    city: str | None = None


class WireReview(msgspec.Struct, kw_only=True):
    """One of `reviews/albums`."""

    id: Id
    name: str | None = None  # the review's title
    text: str | None = None
    rating: float | int | str | None = None
    lang: str | None = None
    dateadded: str | int | None = None
    user_name: str | None = None
    user_dispname: str | None = None


class WireTrack(msgspec.Struct, kw_only=True):
    id: Id
    name: str = ""
    duration: int | float | None = None
    artist_id: Id | None = None
    artist_name: str | None = None
    album_id: Id | None = None
    album_name: str | None = None
    album_image: str | None = None
    image: str | None = None
    position: int | None = None
    releasedate: str | None = None
    audio: str | None = None
    audiodownload: str | None = None
    audiodownload_allowed: bool | None = None
    license_ccurl: str | None = None
    shareurl: str | None = None
    musicinfo: WireMusicInfo | None = None  # include=musicinfo
    lyrics: str | None = None  # include=lyrics: "" when the track has none


class WireAlbum(msgspec.Struct, kw_only=True):
    id: Id
    name: str = ""
    releasedate: str | None = None
    artist_id: Id | None = None
    artist_name: str | None = None
    image: str | None = None
    zip_allowed: bool | None = None
    shareurl: str | None = None
    tracks: list[WireTrack] = []  # albums/tracks
    musicinfo: WireMusicInfo | None = None  # albums/musicinfo


class WireArtist(msgspec.Struct, kw_only=True):
    id: Id
    name: str = ""
    website: str | None = None
    joindate: str | None = None
    image: str | None = None
    shareurl: str | None = None
    albums: list[WireAlbum] = []  # artists/albums
    tracks: list[WireTrack] = []  # artists/tracks
    locations: list[WireLocation] = []  # artists/locations
    musicinfo: WireMusicInfo | None = None  # artists/musicinfo


class WirePlaylist(msgspec.Struct, kw_only=True):
    id: Id
    name: str = ""
    creationdate: str | None = None
    user_id: Id | None = None
    user_name: str | None = None
    shareurl: str | None = None
    tracks: list[WireTrack] = []  # playlists/tracks


class WireUser(msgspec.Struct, kw_only=True):
    id: Id
    name: str = ""
    dispname: str | None = None
    tracks: list[WireTrack] = []  # users/tracks
    albums: list[WireAlbum] = []  # users/albums
    artists: list[WireArtist] = []  # users/artists


class WireNowPlaying(msgspec.Struct, kw_only=True):
    track_id: Id | None = None
    track_name: str | None = None
    track_image: str | None = None
    artist_id: Id | None = None
    artist_name: str | None = None
    album_id: Id | None = None
    album_name: str | None = None


class WireRadio(msgspec.Struct, kw_only=True):
    id: Id
    name: str = ""
    dispname: str | None = None
    type: str | None = None
    image: str | None = None
    stream: str | None = None  # radios/stream
    playingnow: WireNowPlaying | None = None  # radios/stream
    callmeback: int | str | None = None  # milliseconds until the track changes


class WireFeed(msgspec.Struct, kw_only=True):
    id: Id
    title: Text = ""
    text: Text | None = None
    subtitle: Text | None = None
    type: str | None = None
    joinid: Id | None = None
    link: str | None = None
    date_start: int | str | None = None


class WireMatch(msgspec.Struct, kw_only=True):
    match: str
    count: int | None = None


# An autocomplete group lists matches as objects, or (in simpler answers) as bare names.
Matches = list[WireMatch | str]


class WireToken(msgspec.Struct, kw_only=True):
    """The OAuth2 grant answer."""

    access_token: str
    refresh_token: str | None = None
    expires_in: int | float = 3600
    scope: str | None = None
    token_type: str | None = None


def decode_envelope(body: bytes) -> Envelope | None:
    """The envelope, or None when the body is not one (an HTML error page, a proxy's 502...)."""
    try:
        return msgspec.json.decode(body, type=Envelope, strict=False)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    except RecursionError:
        raise malformed("Jamendo", "jamendo") from None


def decode_results(raw: msgspec.Raw | bytes, kind: type[T], what: str) -> T:
    try:
        return msgspec.json.decode(raw, type=kind, strict=False)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise BadResponse(
            f"Jamendo sent {what} setlist cannot read ({exc}).", provider="jamendo"
        ) from exc
    except RecursionError:
        raise malformed("Jamendo", "jamendo") from None


def convert(data: Any, kind: type[T], what: str) -> T:
    try:
        return msgspec.convert(data, type=kind, strict=False)
    except msgspec.ValidationError as exc:
        raise BadResponse(
            f"Jamendo sent {what} setlist cannot read ({exc}).", provider="jamendo"
        ) from exc
