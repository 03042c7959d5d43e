"""What to play, as a user writes it: turning play ITEMs into tracks.

Shared by `setlist play`, the daemon and the app. An ITEM is one of:

- `track:ID`, `album:ID`, `playlist:ID`, optionally after a provider
  (`yourmusic:track:ID`, `jamendo:album:ID`); `PROVIDER:ID` is a track (the
  `key` of a Track, as `setlist search --json` prints it);
- `radio:ID` (or `jamendo:radio:ID`, a radio's key): a Jamendo radio;
- an http(s) URL, or a local file (a path, or a `file://` URL), played as they are;
- anything else: a search query, giving the first page of matching tracks.

Without a provider, the configured ones are tried in order until one has a match.
A file that exists wins over a search for the same words, as it does for mpv.
"""

from __future__ import annotations

import os
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, unquote_to_bytes, urlsplit

import msgspec

from setlist.core.errors import NotFound, SetlistError
from setlist.core.models import ProviderName, Track, provider_label, track_source
from setlist.core.protocols import CatalogProvider, RadioCatalog

Kind = Literal["search", "track", "album", "playlist", "radio", "url", "file"]
CATALOG_KINDS: tuple[Kind, ...] = ("track", "album", "playlist")
SEARCH_LIMIT = 10  # tracks a search query queues
FORMS = (
    "a search query, track:ID, album:ID, playlist:ID (after PROVIDER: to pick a catalog, "
    "e.g. jamendo:album:ID), radio:ID (a Jamendo radio), an http(s) URL or a file"
)
# A name ending so is meant as a file, even when it does not exist.
_AUDIO_SUFFIXES = frozenset(
    "mp3 flac ogg oga opus m4a aac wav wma aiff aif ape wv mka webm mp4 m3u m3u8 pls".split()  # noqa: SIM905
)
_PROVIDERS = frozenset(p.value for p in ProviderName if p is not ProviderName.LOCAL)
# One word, a colon, then no spaces: an item form (or a typo of one), not a search.
_PREFIXED = re.compile(r"^([A-Za-z][\w-]*):(\S+)$")


class ItemError(SetlistError):
    """An ITEM that cannot be played."""


class NoMatch(ItemError):
    """Nothing matched: a search with no result, an unknown id, an empty album."""


class UnknownItem(ItemError):
    """Text that looks like an item form setlist does not know."""


class MissingFile(ItemError):
    """A local path that does not exist or is not a file."""


@dataclass(frozen=True, slots=True)
class Item:
    kind: Kind
    value: str  # the query, the id, the URL or the absolute path
    provider: str | None = None  # None: the first configured provider with a match


def parse_item(text: str, *, provider: str | None = None) -> Item:
    """What `text` asks for; `provider` applies to ids and searches that name none."""
    text = text.strip()
    if not text:
        raise UnknownItem(f"An empty item; give {FORMS}.")
    scheme = urlsplit(text).scheme.lower() if "://" in text else ""
    if scheme in ("http", "https"):
        return Item("url", text)
    if scheme == "file":  # its escapes are bytes: a name from an old disk need not be UTF-8
        return _file_item(Path(os.fsdecode(unquote_to_bytes(urlsplit(text).path))), text)
    if scheme:
        raise UnknownItem(f"Cannot play {scheme}:// addresses; give {FORMS}.")
    if _exists(text):  # a file of that name wins over a search for the same words
        return _file_item(Path(text), text)
    if (found := _PREFIXED.match(text)) is not None:
        return _prefixed(text, found[1].lower(), found[2], provider)
    if _looks_like_a_path(text):
        raise MissingFile(f"No such file: {shown(text)}")
    if not is_text(text):
        raise UnknownItem(
            f"“{shown(text)}” is not a file, and as a search it is not valid UTF-8 text: "
            "give the file's path as the shell completes it, or type the words again."
        )
    return Item("search", text, provider)


def _prefixed(text: str, head: str, rest: str, provider: str | None) -> Item:
    if head in _PROVIDERS:
        kind, sep, ident = rest.partition(":")
        if not sep:  # PROVIDER:ID, a Track's key
            return Item("track", rest, head)
        if (wanted := kind.lower()) in CATALOG_KINDS and ident and ":" not in ident:
            return Item(wanted, ident, head)
        if wanted == "radio" and ident and ":" not in ident:
            return _radio(ident, head)
    elif head in CATALOG_KINDS and ":" not in rest:
        return Item(head, rest, provider)
    elif head == "radio" and ":" not in rest:
        return _radio(rest, provider)
    raise UnknownItem(f"Unknown item “{text}”; give {FORMS}.")


def _radio(ident: str, provider: str | None) -> Item:
    if provider not in (None, ProviderName.JAMENDO):
        raise UnknownItem(f"Only Jamendo has radios; {provider_label(provider)} has none.")
    return Item("radio", ident, ProviderName.JAMENDO)


def _exists(text: str) -> bool:
    try:
        return Path(text).expanduser().exists()
    except (OSError, ValueError):  # a name too long for a path, a NUL: not a file
        return False


def _looks_like_a_path(text: str) -> bool:
    if text.startswith(("/", "./", "../", "~")):
        return True
    return " " not in text and Path(text).suffix.lower().lstrip(".") in _AUDIO_SUFFIXES


def _file_item(path: Path, text: str) -> Item:
    path = path.expanduser()
    if not path.exists():
        raise MissingFile(f"No such file: {shown(text)}")
    if not path.is_file():
        raise MissingFile(f"Not a file: {shown(text)}")
    return Item("file", str(path.resolve()))


def is_text(text: str) -> bool:
    """False for an argument with bytes that are not UTF-8 (Python keeps them as
    lone surrogates, which no file, URL or JSON document can carry)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(text: str) -> str:
    """`text` fit to print: its non-UTF-8 bytes as U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def portable_path(path: str) -> str:
    """A file's path as text any channel carries (JSON, mpv, the state file): a
    name with non-UTF-8 bytes becomes a file:// URL with those bytes %-escaped."""
    return path if is_text(path) else Path(path).as_uri()


# -- tracks


def file_track(path: str | Path) -> Track:
    """A local file as a track: its absolute path to play, its name as the title."""
    absolute = Path(path).expanduser().resolve()
    location = portable_path(str(absolute))
    return Track(
        provider=ProviderName.LOCAL,
        id=location,
        title=shown(absolute.stem or absolute.name),
        audio_url=location,
    )


TAG_LENGTH = 500  # characters kept of a tag: a file can carry a tag of any size


def is_file(track: Track) -> bool:
    """A track played from a local file (its tags can name it)."""
    return track_source(track) == "local"


def tagged(track: Track, tags: Mapping[str, str]) -> Track:
    """A file's track named by its title, artist and album tags, those it has."""
    changes = {
        field: " ".join(value.split())[:TAG_LENGTH]
        for field, key in (("title", "title"), ("artist_name", "artist"), ("album_title", "album"))
        if (value := tags.get(key, "")).strip()
    }
    return msgspec.structs.replace(track, **changes) if changes else track


def url_track(url: str) -> Track:
    """An http(s) URL as a track, titled by the last part of its path (else its host)."""
    parts = urlsplit(url)
    name = unquote(parts.path.rstrip("/").rpartition("/")[2])
    return Track(
        provider=ProviderName.LOCAL,
        id=url,
        title=Path(name).stem or name or parts.netloc,
        audio_url=url,
    )


async def resolve_items(
    texts: Iterable[str],
    providers: Mapping[str, CatalogProvider],
    *,
    provider: str | None = None,
) -> list[Track]:
    """The tracks of every item, in order. Raises an ItemError on the first that fails."""
    tracks: list[Track] = []
    for text in texts:
        tracks.extend(await resolve_item(parse_item(text, provider=provider), providers))
    return tracks


async def resolve_item(item: Item, providers: Mapping[str, CatalogProvider]) -> list[Track]:
    """The tracks an item stands for, never an empty list."""
    if item.kind == "file":
        return [file_track(item.value)]
    if item.kind == "url":
        return [url_track(item.value)]
    if item.kind == "radio":
        return [await _radio_track(item, providers)]
    catalogs = _catalogs(item, providers)
    fetch = _FETCHERS[item.kind]
    first_error: SetlistError | None = None
    for catalog in catalogs:
        try:
            tracks = await fetch(catalog, item.value)
        except NotFound:
            continue
        except SetlistError as exc:
            # Another catalog may still have it; this error is said if none has.
            if len(catalogs) == 1:
                raise
            first_error = first_error or exc
            continue
        if tracks:
            return tracks
    if first_error is not None:
        raise first_error
    raise NoMatch(_no_match(item, catalogs))


def _catalogs(item: Item, providers: Mapping[str, CatalogProvider]) -> list[CatalogProvider]:
    if item.provider is None:
        if not providers:
            raise ItemError("No catalog is set up to search or look up ids; try --demo.")
        return list(providers.values())
    catalog = providers.get(item.provider)
    if catalog is None:
        raise ItemError(
            f"{provider_label(item.provider)} is not set up, so “{item.value}” cannot play."
        )
    return [catalog]


async def _radio_track(item: Item, providers: Mapping[str, CatalogProvider]) -> Track:
    [catalog] = _catalogs(item, providers)
    if not isinstance(catalog, RadioCatalog):
        raise ItemError(f"{provider_label(catalog.name)} has no radios.")
    try:
        return await catalog.radio_track(item.value)
    except NotFound:
        raise NoMatch(f"No radio {item.value} on {provider_label(catalog.name)}.") from None


async def _search(catalog: CatalogProvider, query: str) -> list[Track]:
    return (await catalog.search_tracks(query)).items[:SEARCH_LIMIT]


async def _track(catalog: CatalogProvider, track_id: str) -> list[Track]:
    return [await catalog.track(track_id)]


async def _album(catalog: CatalogProvider, album_id: str) -> list[Track]:
    return await catalog.album_tracks(album_id)


async def _playlist(catalog: CatalogProvider, playlist_id: str) -> list[Track]:
    entries = await catalog.playlist_entries(playlist_id)
    return [entry.track for entry in entries if entry.track is not None]


_FETCHERS: dict[str, Callable[[CatalogProvider, str], Awaitable[list[Track]]]] = {
    "search": _search,
    "track": _track,
    "album": _album,
    "playlist": _playlist,
}


def _no_match(item: Item, catalogs: list[CatalogProvider]) -> str:
    where = " or ".join(provider_label(c.name) for c in catalogs)
    if item.kind == "search":
        return f"No tracks found for “{item.value}” on {where}."
    if item.kind == "track":
        return f"No track {item.value} on {where}."
    return f"No {item.kind} {item.value} with tracks to play on {where}."
