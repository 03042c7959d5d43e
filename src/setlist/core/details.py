"""What the album and artist pages add to the shared model: reviews, music info,
where an artist comes from, and Last.fm's facts about an album.

Each catalog fills what it knows; an empty field is simply not shown.
"""

from __future__ import annotations

import msgspec


class Review(msgspec.Struct, frozen=True, kw_only=True):
    """A listener's review of an album (Jamendo `reviews/albums`)."""

    id: str
    title: str = ""
    text: str = ""
    rating: float | None = None  # 0 to 10 on Jamendo
    author: str = ""
    lang: str = ""
    date: str = ""  # yyyy-mm-dd


class MusicSummary(msgspec.Struct, frozen=True, kw_only=True):
    """How a release or an artist sounds, as the catalog describes it."""

    genres: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    speeds: tuple[str, ...] = ()  # low, medium, high, ...
    vocal: tuple[str, ...] = ()  # vocal, instrumental
    description: str = ""

    @property
    def empty(self) -> bool:
        return (
            not (self.genres or self.instruments or self.tags or self.speeds or self.vocal)
            and not self.description
        )


class AlbumFacts(msgspec.Struct, frozen=True, kw_only=True):
    """An album's release date, licences and music info."""

    release_date: str = ""  # yyyy-mm-dd
    licences: tuple[str, ...] = ()  # licence URLs, one per distinct licence
    music: MusicSummary = MusicSummary()


class Location(msgspec.Struct, frozen=True, kw_only=True):
    city: str = ""
    region: str = ""
    country: str = ""  # as the catalog writes it (Jamendo: ISO 3166 alpha-3)

    @property
    def text(self) -> str:
        return ", ".join(part for part in (self.city, self.region, self.country) if part)


class ArtistPlace(msgspec.Struct, frozen=True, kw_only=True):
    """Where an artist is from, and their website (Jamendo `artists/locations`)."""

    website: str = ""
    locations: tuple[Location, ...] = ()


class AlbumInfoTrack(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    duration: int | None = None  # seconds
    rank: int | None = None


class AlbumInfo(msgspec.Struct, frozen=True, kw_only=True):
    """What Last.fm adds to an album page; absent without a Last.fm key."""

    name: str
    artist: str
    listeners: int | None = None
    playcount: int | None = None
    user_playcount: int | None = None  # the configured Last.fm user's plays
    username: str = ""  # whose plays `user_playcount` counts
    tags: tuple[str, ...] = ()
    summary: str = ""  # plain text, no HTML
    url: str | None = None
    mbid: str | None = None
    image_url: str | None = None
    tracks: tuple[AlbumInfoTrack, ...] = ()
