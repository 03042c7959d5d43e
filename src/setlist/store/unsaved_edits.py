"""Playlist edits that quitting could not save, kept in a file the user can find.

One JSON file per quit, `unsaved-edits-YYYYMMDD-HHMMSS.json` in the state folder
(the name says when; a later quit never overwrites an earlier one). Each playlist
is written as the user left it, with the edits that did not reach the server.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from setlist.core.unsaved import Unsaved
from setlist.store import paths
from setlist.store.atomic import write_atomic

PREFIX = "unsaved-edits-"


def keep_unsaved_edits(unsaved: Sequence[Unsaved], *, now: datetime | None = None) -> Path:
    """Write the unsaved edits to a new file in the state folder; its path. Raises OSError."""
    now = now or datetime.now(UTC)
    document = {
        "written": now.isoformat(timespec="seconds"),
        "playlists": [
            {
                "playlist_id": item.playlist_id,
                "name": item.playlist_name,
                "public": item.public,
                "not_saved": item.edits,
                "reason": item.reason,
                "tracks": [
                    {
                        "provider": t.provider,
                        "id": t.id,
                        "title": t.title,
                        "artist": t.artist_name,
                        "album": t.album_title,
                    }
                    for t in item.tracks
                ],
            }
            for item in unsaved
        ],
    }
    folder = paths.state_dir()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    path = folder / f"{PREFIX}{stamp}.json"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{PREFIX}{stamp}-{number}.json"
    write_atomic(path, msgspec.json.format(msgspec.json.encode(document)) + b"\n")
    return path
