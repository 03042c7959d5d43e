"""The user's library as a user writes it: which catalog keeps one, what an ITEM names.

Shared by the command line, the daemon and (later) the Library screen. Only Jamendo
keeps likes, favorites, followed artists and saved albums; YourMusic's library is
the user's own playlists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from setlist.core.errors import SetlistError, SignInRequired
from setlist.core.items import ItemError, parse_item, shown
from setlist.core.models import ProviderName, provider_label

LibraryKind = Literal["track", "album", "artist"]
Section = Literal["liked", "favorites", "artists", "albums", "playlists"]
SECTIONS: tuple[Section, ...] = ("liked", "favorites", "artists", "albums", "playlists")
SECTION_TITLES: dict[Section, str] = {
    "liked": "Liked tracks",
    "favorites": "Favorites",
    "artists": "Artists you follow",
    "albums": "Your albums",
    "playlists": "Your playlists",
}
FORMS: dict[LibraryKind, str] = {
    "track": "jamendo:track:ID (or track:ID)",
    "album": "jamendo:album:ID (or album:ID)",
    "artist": "jamendo:artist:ID (or artist:ID)",
}
# The Accounts screen's key is remappable ([keys] go.accounts); 5 is its default.
SIGN_IN_FIRST = "Sign in to Jamendo first: setlist login jamendo, or the Accounts screen (key 5)."
NO_YOURMUSIC_LIKES = (
    "YourMusic has no likes, favorites or follows (its API offers none): keep YourMusic "
    "tracks in a playlist instead (`setlist playlists add`)."
)
_ARTIST = re.compile(r"^(?:(?P<provider>[A-Za-z][\w-]*):)?artist:(?P<id>[^:\s]+)$", re.IGNORECASE)


class LibraryUnsupported(SetlistError):
    """The catalog has no such library feature (YourMusic likes, removing an album)."""


def signed_out() -> SignInRequired:
    return SignInRequired(SIGN_IN_FIRST, provider=ProviderName.JAMENDO.value)


@dataclass(frozen=True, slots=True)
class LibraryItem:
    kind: LibraryKind
    id: str
    provider: str = ProviderName.JAMENDO.value


def parse_library_item(text: str, *, allowed: tuple[LibraryKind, ...]) -> LibraryItem:
    """The track, album or artist `text` names by id; without a catalog, Jamendo's
    (the only one with a library). Searches, files and URLs are refused: a like is
    given to one thing the user named exactly."""
    text = text.strip()
    wanted = " or ".join(allowed)
    forms = " or ".join(FORMS[kind] for kind in allowed)
    if (artist := _ARTIST.match(text)) is not None:
        provider = (artist["provider"] or ProviderName.JAMENDO.value).lower()
        item = LibraryItem("artist", artist["id"], provider)
    else:
        try:
            parsed = parse_item(text)
        except ItemError:
            parsed = None
        if parsed is None or parsed.kind not in ("track", "album"):
            raise ItemError(
                f"“{shown(text)}” does not name {_a(wanted)} by id; give {forms} "
                "(`setlist search --json` prints ids)."
            )
        kind: LibraryKind = "track" if parsed.kind == "track" else "album"
        item = LibraryItem(kind, parsed.value, parsed.provider or ProviderName.JAMENDO.value)
    if item.provider == ProviderName.YOURMUSIC.value:
        raise LibraryUnsupported(NO_YOURMUSIC_LIKES, provider=item.provider)
    if item.provider != ProviderName.JAMENDO.value:
        raise ItemError(f"{provider_label(item.provider)} has no library; give {forms}.")
    if item.kind not in allowed:
        raise ItemError(f"“{shown(text)}” is {_a(item.kind)}; give {forms}.")
    return item


def _a(what: str) -> str:
    return f"an {what}" if what[0] in "aeiou" else f"a {what}"
