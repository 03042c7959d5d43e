"""The data behind the home screen, fetched and turned into domain items.

The YourMusic home page names its tracks and releases by id and title only; two
batch lookups fill in artists, albums and durations, so a track played from home
shows as much as one played from search.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from setlist.core.models import Artist, HomeModule, Playlist
from setlist.providers.yourmusic import YourMusicClient

# The home module types this screen shows, and the kind of row each holds.
MODULE_KINDS = {
    "playlist_carousel": "playlists",
    "release_carousel": "albums",
    "track_list": "tracks",
    "continue_listening": "tracks",
    "artist_carousel": "artists",
}


@dataclass(frozen=True)
class Shelf:
    """One home module as rows: `kind` says what the items are."""

    key: str
    title: str
    kind: str
    items: list[Any]


async def home_shelves(client: YourMusicClient) -> list[Shelf]:
    """The home modules this app can show, with their items; empty modules left out."""
    modules = [m for m in await client.home() if m.type in MODULE_KINDS and m.items]
    track_ids = [i.track_id or i.id for m in modules for i in m.items if i.type == "track"]
    release_ids = [i.id for m in modules for i in m.items if i.type == "release"]
    tracks, releases = await asyncio.gather(
        client.tracks_by_ids(track_ids), client.releases_by_ids(release_ids)
    )
    by_id: dict[tuple[str, str], Any] = {("track", t.id): t for t in tracks}
    by_id.update((("release", r.id), r) for r in releases)
    shelves = []
    for module in modules:
        items = [item for item in _items(client.name, module, by_id) if item is not None]
        if items:
            shelves.append(Shelf(f"ym-{module.id}", module.title, MODULE_KINDS[module.type], items))
    return shelves


def _items(provider: str, module: HomeModule, by_id: dict[tuple[str, str], Any]) -> list[Any]:
    kind = MODULE_KINDS[module.type]
    found: list[Any] = []
    for item in module.items:
        if kind == "playlists" and item.type == "playlist":
            found.append(Playlist(provider=provider, id=item.id, name=item.name))
        elif kind == "artists" and item.type == "artist":
            found.append(Artist(provider=provider, id=item.id, name=item.name))
        elif item.type == "track":
            found.append(by_id.get(("track", item.track_id or item.id)))
        elif item.type == "release":
            found.append(by_id.get(("release", item.id)))
    return found
