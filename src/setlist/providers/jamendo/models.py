"""What Jamendo offers beyond the shared domain model: radios, news feeds, suggestions."""

from __future__ import annotations

import msgspec

from setlist.core.models import RADIO_PREFIX, ProviderName, Track


class Radio(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str  # the short name, e.g. "electronic"
    title: str  # what to show, e.g. "Electronic"
    type: str | None = None  # www | pro
    image_url: str | None = None


class RadioStream(msgspec.Struct, frozen=True, kw_only=True):
    radio_id: str
    url: str
    now_playing: Track | None = None
    # When to ask again for what plays now, in seconds.
    refresh_in: float | None = None


class FeedItem(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str
    text: str = ""
    type: str | None = None  # album | artist | playlist | news ...
    target_id: str | None = None  # the album, artist or playlist it is about
    date: str | None = None
    link: str | None = None


class Suggestions(msgspec.Struct, frozen=True, kw_only=True):
    """Autocomplete matches, grouped by what they name."""

    tracks: tuple[str, ...] = ()
    albums: tuple[str, ...] = ()
    artists: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def radio_track(radio: Radio, stream: RadioStream) -> Track:
    """A radio as something the queue can hold: a Jamendo item (`radio:ID`) that plays
    its stream URL as it is."""
    return Track(
        provider=ProviderName.JAMENDO,
        id=f"{RADIO_PREFIX}{radio.id}",
        title=radio.title,
        artist_name="Jamendo radio",
        album_title=stream.now_playing.title if stream.now_playing else "",
        audio_url=stream.url,
    )
