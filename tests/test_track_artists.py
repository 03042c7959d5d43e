"""Whom a track can be opened at: its own artist, then its album's when that is another.

YourMusic's track JSON names both (`artist`, `release.artist`); the demo's answers are
taken as they are and one release artist is changed to make a guest appearance.
"""

from __future__ import annotations

import json

from setlist.demo.catalog import load
from setlist.demo.ym_catalog_json import track_json
from setlist.providers.yourmusic import wire


def yourmusic_track(track_id: int, *, release_artist: str | None = None) -> bytes:
    catalog = load()
    body = track_json(catalog, catalog.ym_track_by_id[track_id])
    if release_artist is not None:
        body["release"]["artist"] = {"id": 1005, "name": release_artist}
    return json.dumps(body).encode()


def test_a_track_on_its_own_artists_release_has_one_artist() -> None:
    track = wire.track_to_domain(wire.decode(yourmusic_track(3000), wire.Track))
    assert track.artists == [("1000", "The Sine Waves")]
    assert track.album_artist_id is None


def test_a_guest_on_another_artists_release_has_both_the_track_first() -> None:
    data = yourmusic_track(3000, release_artist="[bold]The Escape Characters[/bold]")
    track = wire.track_to_domain(wire.decode(data, wire.Track))
    assert track.artists == [
        ("1000", "The Sine Waves"),
        ("1005", "[bold]The Escape Characters[/bold]"),
    ]
