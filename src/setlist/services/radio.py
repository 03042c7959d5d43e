"""Radio from a track, autoplay, and what a Jamendo radio plays now (`SimilarTracks`).

How each catalog finds tracks like a seed:

- Jamendo: `tracks/similar`, its own answer.
- YourMusic has no such call. Its neighbours stand in: the rest of the seed's
  release (the tracks after the seed first, then those before it), then the
  artist's other tracks, then the tracks of the artist's other releases, newest
  first.

Several seeds (autoplay's last played tracks) take turns, the most recent first,
so the newest seed leads and older ones add variety; a track already queued, or
already found, is never given twice.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence

import msgspec

from setlist.core.errors import ConfigError, NotFound, RadioUnavailable, SetlistError
from setlist.core.items import resolve_items
from setlist.core.models import RADIO_PREFIX, Track, provider_label, track_source
from setlist.core.protocols import CatalogProvider, SimilarTracks
from setlist.providers.jamendo import JamendoClient
from setlist.providers.jamendo.models import Radio, radio_track
from setlist.providers.yourmusic import YourMusicClient
from setlist.store.config import save_config_value

log = logging.getLogger(__name__)

RADIO_SIZE = 25  # tracks like one track, by default
OTHER_RELEASES = 3  # of a YourMusic artist's other releases, how many are read for neighbours
# Never ask again sooner than this, whatever `callmeback` says (a radio that says 0).
MIN_REFRESH = 1.0


class CatalogRadio:
    """`SimilarTracks` over this run's catalogs. `providers` may be filled in later
    (the app opens its catalogs after its player)."""

    def __init__(self, providers: Mapping[str, CatalogProvider]) -> None:
        self._providers = providers

    async def similar(
        self, seeds: Sequence[Track], *, exclude: Collection[str] = (), limit: int = RADIO_SIZE
    ) -> list[Track]:
        seen = set(exclude) | {seed.key for seed in seeds}
        lists: list[list[Track]] = []
        refused: list[str] = []
        failure: SetlistError | None = None
        for seed in seeds:
            try:
                lists.append(await self._like(seed))
            except RadioUnavailable as exc:
                refused.append(exc.message)
            except SetlistError as exc:
                # Another seed may still give some; said if none does.
                log.info("no similar tracks for %s: %s", seed.key, exc)
                failure = failure or exc
        if not lists:
            if failure is not None:
                raise failure
            raise RadioUnavailable(refused[0] if refused else "There is no track to start from.")
        found: list[Track] = []
        for turn in range(max(len(tracks) for tracks in lists)):
            for tracks in lists:
                if turn < len(tracks) and (track := tracks[turn]).key not in seen:
                    seen.add(track.key)
                    found.append(track)
                    if len(found) == limit:
                        return found
        return found

    async def on_air(self, track: Track) -> tuple[Track, float | None]:
        if track_source(track) != "jamendo radio":
            return track, None
        client = self._providers.get(track.provider)
        if not isinstance(client, JamendoClient):
            return track, None
        radio_id = track.id.removeprefix(RADIO_PREFIX)
        stream = await client.radio_stream(radio_id)
        named = radio_track(Radio(id=radio_id, name=track.title, title=track.title), stream)
        # The URL the radio was started with plays on: only the names follow the radio.
        named = msgspec.structs.replace(named, audio_url=track.audio_url or named.audio_url)
        refresh = None if stream.refresh_in is None else max(MIN_REFRESH, stream.refresh_in)
        return named, refresh

    async def _like(self, seed: Track) -> list[Track]:
        client = self._providers.get(seed.provider)
        source = track_source(seed)
        if source == "jamendo radio":
            raise RadioUnavailable(
                f"“{seed.title}” is already a radio: start one from a track it plays instead."
            )
        if isinstance(client, JamendoClient):
            return (await client.similar_tracks(seed.id, limit=RADIO_SIZE * 2)).items
        if isinstance(client, YourMusicClient):
            return await _neighbours(client, seed)
        if source in ("local", "url"):
            raise RadioUnavailable(
                f"“{seed.title}” is a file or an address, in no catalog: "
                "there is nothing to find tracks like it from."
            )
        raise RadioUnavailable(
            f"{provider_label(seed.provider)} is not set up, so no tracks like “{seed.title}” "
            "can be found."
        )


async def _neighbours(client: YourMusicClient, seed: Track) -> list[Track]:
    """The seed's release around it, then its artist's tracks and other releases."""
    found: list[Track] = []
    if seed.album_id:
        try:
            release = await client.release_tracks(seed.album_id)
        except NotFound:
            release = []
        at = next((i for i, t in enumerate(release) if t.id == seed.id), -1)
        found += release[at + 1 :] + release[: max(at, 0)]
    if seed.artist_id:
        try:
            found += (await client.artist_tracks(seed.artist_id)).items
            releases = (await client.artist_releases(seed.artist_id)).items
        except NotFound:
            releases = []
        others = [r for r in releases if r.id != seed.album_id][:OTHER_RELEASES]
        for release_of in others:
            try:
                found += await client.release_tracks(release_of.id)
            except NotFound:
                continue
    return [t for t in found if t.id != seed.id]


def radio_of(providers: Mapping[str, CatalogProvider]) -> SimilarTracks:
    return CatalogRadio(providers)


async def radio_seed(
    item: str, providers: Mapping[str, CatalogProvider], *, provider: str | None = None
) -> Track:
    """The track a radio starts from: the first an ITEM names (as `setlist play` reads it)."""
    return (await resolve_items([item], providers, provider=provider))[0]


def remember_autoplay(on: bool) -> str | None:
    """Keep autoplay's setting in the config file; why it could not be kept, else None
    (it still holds for this run)."""
    try:
        save_config_value("playback", "autoplay", on)
    except ConfigError as exc:
        return f"Autoplay is {'on' if on else 'off'} until setlist stops: {exc.message}"
    except OSError as exc:
        return (
            f"Autoplay is {'on' if on else 'off'} until setlist stops: "
            f"the config file could not be written ({exc.strerror or exc})."
        )
    return None
