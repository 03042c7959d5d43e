"""The Library screen: your liked tracks, favorites, artists, albums and playlists."""

from setlist.ui.screens.library.screen import LibraryScreen

__all__ = ["LibraryScreen"]
