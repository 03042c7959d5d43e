"""How the demo's Jamendo entities look on the wire: the fields real answers carry.

Ids go out as strings and durations as whole seconds, as Jamendo sends them.
Audio URLs point at the demo's own files, served by `jm_media`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from setlist.demo import jm_words
from setlist.demo.catalog import (
    Catalog,
    JMAlbum,
    JMArtist,
    JMFeed,
    JMPlaylist,
    JMRadio,
    JMTrack,
)

# What each `audioformat` is served as. The demo has MP3 and Ogg Vorbis only: `flac`
# (lossless) is answered with the Ogg file, the better of the two, not with a fake FLAC.
AUDIO_EXT = {"mp31": "mp3", "mp32": "mp3", "ogg": "ogg", "flac": "ogg"}
MEDIA_ROUTE = "/_media"
WEBSITE = "https://www.jamendo.com"
SHORT = "https://jamen.do"


@dataclass(frozen=True)
class Look:
    """How a call asks for tracks: audio formats and extra blocks. (`imagesize` sizes
    every picture of the call: see `Views.imagesize`.)"""

    audioformat: str = "mp31"
    audiodlformat: str = "mp32"
    include: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Views:
    """Turns catalog entries into Jamendo JSON objects, with absolute demo URLs."""

    catalog: Catalog
    api_url: str  # http://127.0.0.1:PORT/jamendo/v3.0
    imagesize: str | None = None  # the call's `imagesize`: pictures come at that width

    def image(self, url: str) -> str:
        """A picture's URL at the size the call asked for."""
        return f"{url}?size={self.imagesize}" if url and self.imagesize else url

    def media_url(self, track: JMTrack, audioformat: str, *, download: bool = False) -> str:
        url = f"{self.api_url}{MEDIA_ROUTE}/{track.id}.{AUDIO_EXT[audioformat]}"
        return url + "?download=1" if download else url

    def artist_name(self, artist_id: str) -> str:
        artist = self.catalog.jm_artist_by_id.get(artist_id)
        return artist.name if artist else ""

    def album_of(self, track: JMTrack) -> JMAlbum | None:
        return self.catalog.jm_album_by_id.get(track.album_id)

    def track(self, track: JMTrack, look: Look) -> dict[str, Any]:
        album = self.album_of(track)
        artist = self.catalog.jm_artist_by_id.get(track.artist_id)
        album_image = self.image(album.image) if album else ""
        out: dict[str, Any] = {
            "id": track.id,
            "name": track.name,
            "duration": track.duration,
            "artist_id": track.artist_id,
            "artist_name": artist.name if artist else "",
            "artist_idstr": (slug(artist.name) or artist.id) if artist else "",
            "album_name": album.name if album else "",
            "album_id": album.id if album else "",
            "license_ccurl": track.license_ccurl,
            "position": track.position,
            "releasedate": track.releasedate,
            "album_image": album_image,
            "audio": "" if track.audio_empty else self.media_url(track, look.audioformat),
            "audiodownload": self._download_url(track, look),
            "prourl": "",
            "shorturl": f"{SHORT}/t/{track.id}",
            "shareurl": f"{WEBSITE}/track/{track.id}",
            "waveform": waveform(track.duration),
            "image": album_image or (self.image(artist.image) if artist else ""),
            "audiodownload_allowed": track.audiodownload_allowed,
        }
        out.update(self._includes(track, look.include))
        return out

    def _download_url(self, track: JMTrack, look: Look) -> str:
        if not track.audiodownload_allowed:
            return ""
        return self.media_url(track, look.audiodlformat, download=True)

    def _includes(self, track: JMTrack, include: frozenset[str]) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if "musicinfo" in include:
            extra["musicinfo"] = jm_words.musicinfo(track.id, track.tags)
        if "licenses" in include:
            extra["licenses"] = licenses(track.license_ccurl)
        if "stats" in include:
            extra["stats"] = {
                "rate_downloads_total": track.popularity // 4,
                "rate_listened_total": track.popularity,
                "playlisted": sum(track.id in p.track_ids for p in self.catalog.jm_playlists),
                "favorited": 0,
                "likes": 0,
                "dislikes": 0,
                "avgnote": 0,
                "notes": 0,
            }
        if "lyrics" in include:
            extra["lyrics"] = jm_words.lyrics(track.id)  # "" for most: tones have no words
        return extra

    def album(self, album: JMAlbum) -> dict[str, Any]:
        return {
            "id": album.id,
            "name": album.name,
            "releasedate": album.releasedate,
            "artist_id": album.artist_id,
            "artist_name": self.artist_name(album.artist_id),
            "image": self.image(album.image),
            "zip": "",  # albums/file is not served by the demo
            "shorturl": f"{SHORT}/a/{album.id}",
            "shareurl": f"{WEBSITE}/album/{album.id}",
            "zip_allowed": False,
        }

    def artist(self, artist: JMArtist) -> dict[str, Any]:
        return {
            "id": artist.id,
            "name": artist.name,
            "website": artist.website,
            "joindate": artist.joindate,
            "image": self.image(artist.image),
            "shorturl": f"{SHORT}/art/{artist.id}",
            "shareurl": f"{WEBSITE}/artist/{artist.id}",
        }

    def playlist(self, playlist: JMPlaylist) -> dict[str, Any]:
        return {
            "id": playlist.id,
            "name": playlist.name,
            "creationdate": playlist.creationdate,
            "user_id": playlist.user_id,
            "user_name": playlist.user_name,
            "zip": "",
            "shorturl": f"{SHORT}/l/{playlist.id}",
            "shareurl": f"{WEBSITE}/playlist/{playlist.id}",
        }

    def radio(self, radio: JMRadio) -> dict[str, Any]:
        return {
            "id": radio.id,
            "name": radio.name,
            "dispname": radio.dispname,
            "type": radio.type,
            "image": radio.image,
        }

    def feed(self, feed: JMFeed) -> dict[str, Any]:
        return {
            "id": feed.id,
            "title": {"en": feed.title},
            "link": f"{WEBSITE}/{feed.type}/{feed.target_id}" if feed.type != "news" else "",
            "position": 0,
            "lang": "en",
            "type": feed.type,
            "joinid": feed.target_id,
            "subtitle": {"en": ""},
            "text": {"en": feed.text},
            "images": {},
            "date_start": feed.date,
            "date_end": feed.date,
        }


def pick(entity: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The subset of an entity's fields an aggregated method lists."""
    return {key: entity[key] for key in keys if key in entity}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def waveform(duration: int) -> str:
    """Jamendo's waveform field is a JSON document in a string. The demo's tones are
    steady, so their peaks are flat, with the fade in and out at the ends."""
    count = max(2, min(duration, 100))
    peaks = [0] + [72] * (count - 2) + [0]
    return json.dumps({"peaks": peaks}, separators=(",", ":"))


def licenses(ccurl: str) -> dict[str, str]:
    """The Creative Commons flags a license URL carries (e.g. .../by-nc-sa/3.0/)."""
    match = re.search(r"/licenses/([a-z-]+)/", ccurl)
    parts = set(match.group(1).split("-")) if match else set()
    return {
        "ccnc": str("nc" in parts).lower(),
        "ccnd": str("nd" in parts).lower(),
        "ccsa": str("sa" in parts).lower(),
        "prourl": "",
        "probackground": "",
        "proweb": "",
        "prosync": "",
    }
