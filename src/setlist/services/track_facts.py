"""Details and lyrics of one track (the `TrackFacts` protocol), whatever its catalog.

Jamendo has music info, a licence and lyrics (`include=musicinfo`, `include=lyrics`);
YourMusic has an explicit flag and no lyrics; a file or URL is in no catalog.
"""

from __future__ import annotations

import logging

from setlist.core.errors import ConfigError, SetlistError, Unsupported
from setlist.core.models import RADIO_PREFIX, Artist, ProviderName, Track, TrackDetails
from setlist.core.protocols import TrackFacts
from setlist.providers.jamendo import JamendoClient
from setlist.services.catalogs import Services
from setlist.services.library import catalog_missing

log = logging.getLogger(__name__)

NO_YOURMUSIC_LYRICS = "YourMusic's catalog has no lyrics; Jamendo tracks have them."
NO_FILE_LYRICS = "A file or a URL is in no catalog, so there are no lyrics to read for it."
NO_RADIO_LYRICS = "A radio has no lyrics; the tracks Jamendo plays on it may."


class CatalogTrackFacts:
    """`core.protocols.TrackFacts` over this run's catalogs."""

    def __init__(self, services: Services) -> None:
        self._services = services

    async def details(self, track: Track) -> TrackDetails:
        if track.provider == ProviderName.JAMENDO.value and not _radio(track):
            return await self._jamendo().track_details(track.id)
        if track.provider == ProviderName.YOURMUSIC.value:
            client = self._services.yourmusic
            if client is None:
                missing = catalog_missing(self._services, ProviderName.YOURMUSIC, "a tenant")
                raise ConfigError(missing, provider=track.provider)
            fresh = await client.track(track.id)
            return TrackDetails(track=fresh, explicit=fresh.explicit)
        return TrackDetails(track=track)

    async def artists(self, track: Track) -> list[Artist]:
        if track.provider == ProviderName.LOCAL.value or _radio(track):
            return []
        known = track.artists
        if (
            track.provider == ProviderName.JAMENDO.value
            and track.album_id
            and track.album_artist_id is None
            and self._services.jamendo is not None
        ):
            # Jamendo's track rows name the track's artist only: its album names the other.
            try:
                album = await self._services.jamendo.album(track.album_id)
            except SetlistError as exc:
                log.info("no album artist for track %s: %s", track.id, exc)
            else:
                if album.artist_id and all(album.artist_id != i for i, _ in known):
                    known.append((album.artist_id, album.artist_name))
        return [Artist(provider=track.provider, id=i, name=name or "Artist") for i, name in known]

    async def lyrics(self, track: Track) -> str | None:
        if track.provider == ProviderName.YOURMUSIC.value:
            raise Unsupported(NO_YOURMUSIC_LYRICS, provider=track.provider)
        if track.provider != ProviderName.JAMENDO.value:
            raise Unsupported(NO_FILE_LYRICS)
        if _radio(track):
            raise Unsupported(NO_RADIO_LYRICS, provider=track.provider)
        return await self._jamendo().lyrics(track.id)

    def _jamendo(self) -> JamendoClient:
        client = self._services.jamendo
        if client is None:
            missing = catalog_missing(self._services, ProviderName.JAMENDO, "a client id")
            raise ConfigError(missing, provider=ProviderName.JAMENDO.value)
        return client


def _radio(track: Track) -> bool:
    return track.id.startswith(RADIO_PREFIX)


def track_facts_of(services: Services) -> TrackFacts:
    return CatalogTrackFacts(services)
