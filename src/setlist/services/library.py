"""The user's library (the `Library` protocol) over the catalogs that keep one.

Jamendo keeps likes, favorites, followed artists and saved albums (`users/*` to
read, `setuser/*` to write); YourMusic keeps the user's own playlists and nothing
else. The command line, the daemon and the app all go through `library_of`.

What Jamendo's API does not offer is said, not faked: there is no method that
only takes a like back (`unlike` sends `setuser/dislike`, which replaces it), and
none that removes an album from your albums or stops following an artist.
"""

from __future__ import annotations

from setlist.core.errors import ConfigError, SignInRequired
from setlist.core.library import (
    NO_YOURMUSIC_LIKES,
    LibraryItem,
    LibraryUnsupported,
    signed_out,
)
from setlist.core.models import Album, Artist, Playlist, ProviderName, Track, provider_label
from setlist.core.protocols import Library
from setlist.providers.jamendo import JamendoClient
from setlist.providers.yourmusic import YourMusicClient
from setlist.providers.yourmusic.auth import NOT_SIGNED_IN
from setlist.services.catalogs import Services
from setlist.store import paths

NO_ALBUM_REMOVAL = (
    "Jamendo's API can add an album to your albums but not take one out: remove it on jamendo.com."
)


class CatalogLibrary:
    """The Library of this run's services (see `core.protocols.Library`)."""

    def __init__(
        self,
        jamendo: JamendoClient | None,
        playlists: YourMusicClient | None,
        *,
        jamendo_missing: str = "Jamendo is not set up.",
        yourmusic_missing: str | None = "YourMusic is not set up.",
    ) -> None:
        """`playlists` is the signed-in YourMusic; `*_missing` say why a client is None
        (`yourmusic_missing` None: it is there, only nobody is signed in)."""
        self._jamendo = jamendo
        self._playlists = playlists
        self._jamendo_missing = jamendo_missing
        self._yourmusic_missing = yourmusic_missing

    # Reading

    async def liked_tracks(self) -> list[Track]:
        return await (await self._signed_in()).liked_tracks()

    async def favorite_tracks(self) -> list[Track]:
        return await (await self._signed_in()).favorite_tracks()

    async def followed_artists(self) -> list[Artist]:
        return await (await self._signed_in()).followed_artists()

    async def saved_albums(self) -> list[Album]:
        return await (await self._signed_in()).my_albums()

    async def playlists(self) -> list[Playlist]:
        """YourMusic's playlists of the signed-in user."""
        if self._playlists is None:
            if self._yourmusic_missing is not None:
                raise ConfigError(f"Your playlists are YourMusic's: {self._yourmusic_missing}")
            raise SignInRequired(NOT_SIGNED_IN, provider=ProviderName.YOURMUSIC.value)
        return await self._playlists.my_playlists()

    async def is_liked(self, track: Track) -> bool:
        _jamendo_only(track.provider)
        return any(t.id == track.id for t in await self.liked_tracks())

    # Changing

    async def like(self, track: Track) -> None:
        _jamendo_only(track.provider)
        await (await self._signed_in()).like(track.id)

    async def unlike(self, track: Track) -> bool:
        """Take a like back; False (and nothing sent) when the track is not liked.

        Jamendo has no plain unlike: `setuser/dislike` is the one call that removes a
        like, and it leaves a dislike in its place."""
        _jamendo_only(track.provider)
        client = await self._signed_in()
        if not any(t.id == track.id for t in await client.liked_tracks()):
            return False
        await client.dislike(track.id)
        return True

    async def dislike(self, track: Track) -> None:
        _jamendo_only(track.provider)
        await (await self._signed_in()).dislike(track.id)

    async def favorite(self, track: Track) -> None:
        _jamendo_only(track.provider)
        await (await self._signed_in()).favorite(track.id)

    async def follow(self, artist: Artist) -> None:
        _jamendo_only(artist.provider)
        await (await self._signed_in()).fan(artist.id)

    async def save_album(self, album: Album) -> None:
        _jamendo_only(album.provider)
        await (await self._signed_in()).add_album(album.id)

    async def remove_album(self, album: Album) -> None:
        _jamendo_only(album.provider)
        raise LibraryUnsupported(NO_ALBUM_REMOVAL, provider=album.provider)

    # Looking up what an ITEM names

    async def lookup(self, item: LibraryItem) -> Track | Album | Artist:
        """The track, album or artist an item names, as its catalog has it (a like of an
        id Jamendo does not have would be kept silently and never shown: seed 002)."""
        _jamendo_only(item.provider)
        client = self._client()
        if item.kind == "track":
            return await client.track(item.id)
        if item.kind == "album":
            return await client.album(item.id)
        return await client.artist(item.id)

    # Plumbing

    def _client(self) -> JamendoClient:
        if self._jamendo is None:
            raise ConfigError(
                f"Likes, favorites and follows are Jamendo's: {self._jamendo_missing}"
            )
        return self._jamendo

    async def _signed_in(self) -> JamendoClient:
        client = self._client()
        if not await client.oauth.signed_in():
            raise signed_out()
        return client


def library_of(services: Services) -> Library:
    yourmusic_missing = None
    if services.yourmusic is None:
        yourmusic_missing = catalog_missing(services, ProviderName.YOURMUSIC, "a tenant")
    return CatalogLibrary(
        services.jamendo,
        services.editor,
        jamendo_missing=catalog_missing(services, ProviderName.JAMENDO, "a client id"),
        yourmusic_missing=yourmusic_missing,
    )


def catalog_missing(services: Services, provider: ProviderName, needs: str) -> str:
    """Why this run has no client for `provider`, and what to do (for every part that
    needs a catalog: the library, track facts, `setlist show`)."""
    label, config = provider_label(provider), paths.config_file()
    if provider.value not in services.config.providers.enabled:
        return f"{label} is switched off (providers.enabled in {config})."
    return (
        f"{label} is not set up: it needs {needs} under [{provider.value}] in {config}, "
        "or try the demo with --demo."
    )


def _jamendo_only(provider: str) -> None:
    if provider == ProviderName.JAMENDO.value:
        return
    if provider == ProviderName.YOURMUSIC.value:
        raise LibraryUnsupported(NO_YOURMUSIC_LIKES, provider=provider)
    if provider == ProviderName.LOCAL.value:
        raise LibraryUnsupported(
            "A file or a URL is in no catalog, so it cannot be liked; likes are Jamendo's."
        )
    raise LibraryUnsupported(f"{provider_label(provider)} has no likes; likes are Jamendo's.")
