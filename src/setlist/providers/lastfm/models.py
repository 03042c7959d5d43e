"""What Last.fm adds to an album page: declared in the core, where the album screen
reads it without importing this provider."""

from __future__ import annotations

from setlist.core.details import AlbumInfo, AlbumInfoTrack

__all__ = ["AlbumInfo", "AlbumInfoTrack"]
