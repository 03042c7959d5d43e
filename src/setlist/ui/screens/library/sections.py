"""The Library's sections: what each lists, where it is read from, what an empty one says."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import App

from setlist.core.library import SECTION_TITLES, Section
from setlist.core.models import Album, Artist, Playlist
from setlist.core.protocols import Library
from setlist.ui.server_text import safe
from setlist.ui.sign_in_words import key_shown
from setlist.ui.widgets.lists import Column

Kind = str  # tracks | artists | albums | playlists

# Narrower than search's: the section list takes the left of an 80-column terminal.
ARTIST_COLUMNS: list[Column[Artist]] = [Column("Artist", lambda a: safe(a.name), 48)]
ALBUM_COLUMNS: list[Column[Album]] = [
    Column("Album", lambda a: safe(a.title), 24),
    Column("Artist", lambda a: safe(a.artist_name), 16),
    Column("Year", lambda a: Text("" if a.year is None else str(a.year), justify="right"), 4),
]
PLAYLIST_COLUMNS: list[Column[Playlist]] = [
    Column("Playlist", lambda p: safe(p.name), 36),
    Column("Visibility", lambda p: Text("Public" if p.public else "Private"), 10),
]


@dataclass(frozen=True)
class Spec:
    key: Section
    kind: Kind
    read: Callable[[Library], Awaitable[list[Any]]]
    jamendo: bool  # kept by Jamendo (signed out: the screen's one sign-in line says so)
    empty: Callable[[App[Any]], str]  # what an empty section says to do

    @property
    def title(self) -> str:
        return SECTION_TITLES[self.key]


def _liked(app: App[Any]) -> str:
    return f"No liked tracks yet: press {key_shown(app, 'library.like')} on any Jamendo track."


def _favorites(app: App[Any]) -> str:
    key = key_shown(app, "library.favorite")
    return f"No favorites yet: press {key} on any Jamendo track to keep it here."


def _artists(app: App[Any]) -> str:
    key = key_shown(app, "library.like")
    return f"You follow no artist yet: press {key} on a Jamendo artist to follow them."


def _albums(app: App[Any]) -> str:
    key = key_shown(app, "library.like")
    return f"No albums yet: press {key} on a Jamendo album to add it to your albums."


def _playlists(app: App[Any]) -> str:
    key = key_shown(app, "go.playlists")
    return f"You have no playlists yet: press {key} for Playlists, then n to make one."


SPECS: tuple[Spec, ...] = (
    Spec("liked", "tracks", lambda library: library.liked_tracks(), True, _liked),
    Spec("favorites", "tracks", lambda library: library.favorite_tracks(), True, _favorites),
    Spec("artists", "artists", lambda library: library.followed_artists(), True, _artists),
    Spec("albums", "albums", lambda library: library.saved_albums(), True, _albums),
    Spec("playlists", "playlists", lambda library: library.playlists(), False, _playlists),
)
