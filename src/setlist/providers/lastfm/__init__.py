"""Last.fm: extra album info for album pages."""

from setlist.providers.lastfm.client import DEFAULT_BASE_URL, LastfmClient
from setlist.providers.lastfm.models import AlbumInfo, AlbumInfoTrack

__all__ = ["DEFAULT_BASE_URL", "AlbumInfo", "AlbumInfoTrack", "LastfmClient"]
