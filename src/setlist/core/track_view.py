"""Sorting and filtering a track list locally: a view over its rows, never an edit.

`SORTS` are the ways a list can be sorted (the list's own order first, then by
title, artist, album, length); `sorted_rows` returns a new list and leaves the
original alone, so a playlist keeps its order and a sort is only what is shown.
Ties keep the list's order (Python's sort is stable), and a track with no
length sorts after every track that has one, either way round.

`Matcher` filters by typing, fuzzy and without a server: each word of the query
must be found in one field (title, artist or album) with its letters in order,
starting at the beginning of a word there ("dsd" finds "Daft Side Down",
"beatls" finds "The Beatles"). Case and accents do not count ("cafe" finds
"Café"). Matching 10,000 rows is a few compiled-regex searches per row, over
text folded once per row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Protocol, TypeVar

from setlist.core.models import Track


class HasTrack(Protocol):
    @property
    def track(self) -> Track: ...


R = TypeVar("R", bound=HasTrack)

# (id, label). "own" is the list's own order: a playlist's, the queue's, the catalog's.
SORTS: tuple[tuple[str, str], ...] = (
    ("own", "its own order"),
    ("title", "title"),
    ("artist", "artist"),
    ("album", "album"),
    ("length", "length"),
)
SORT_LABELS = dict(SORTS)

_SEPARATOR = "\x00"  # between fields: a word's letters are looked for in one field


def fold(text: str) -> str:
    """`text` without case or accents, for comparing."""
    if text.isascii():  # most titles: nothing to take off but the case
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# The field of `haystack` each text sort compares.
_SORT_FIELDS = {"title": 1, "artist": 2, "album": 3}


def sorted_rows(
    rows: Sequence[R], sort: str, *, descending: bool = False, texts: Sequence[str] | None = None
) -> list[R]:
    """`rows` sorted by `sort` (an id of SORTS); "own" keeps them in order (reversed if
    `descending`). `texts`, when given, are the rows' `haystack`s (folded already)."""
    if sort == "own":
        return list(reversed(rows)) if descending else list(rows)
    if sort == "length":
        known = [r for r in rows if r.track.duration is not None]
        unknown = [r for r in rows if r.track.duration is None]
        known.sort(key=lambda r: r.track.duration or 0.0, reverse=descending)
        return known + unknown
    field = _SORT_FIELDS.get(sort)
    if field is None:
        raise ValueError(f"unknown sort {sort!r}; one of {', '.join(SORT_LABELS)}")
    if texts is None:
        texts = [haystack(r.track) for r in rows]
    decorated = [(text.split(_SEPARATOR)[field], r) for text, r in zip(texts, rows, strict=True)]
    decorated.sort(key=lambda pair: pair[0], reverse=descending)
    return [r for _, r in decorated]


def haystack(track: Track) -> str:
    """What a filter searches in a row: its folded title, artist and album."""
    # One fold for the three: \x00 is neither cased nor decomposed.
    fields = (track.title, track.artist_name, track.album_title)
    return _SEPARATOR + fold(_SEPARATOR.join(f.replace(_SEPARATOR, " ") for f in fields))


class Matcher:
    """Whether a row's `haystack` matches a query; see the module docstring."""

    def __init__(self, query: str) -> None:
        self.query = query
        words = fold(query).split()
        # The first letter starts a word (the lookbehind after it lets re look for the
        # letter itself, which is quick); each one after may follow anything in the field.
        self._patterns = [
            re.compile(
                re.escape(word[0])
                + f"(?<!\\w{re.escape(word[0])})"
                + "".join(f"[^\\x00]*?{re.escape(c)}" for c in word[1:])
            )
            for word in words
        ]

    @property
    def empty(self) -> bool:
        return not self._patterns

    def __call__(self, text: str) -> bool:
        return all(pattern.search(text) is not None for pattern in self._patterns)


def filtered_rows(rows: Sequence[R], texts: Sequence[str], query: str) -> list[R]:
    """The rows whose text (`texts[i]` is `haystack(rows[i].track)`) match `query`, in order."""
    return filtered_pairs(rows, texts, query)[0]


def filtered_pairs(
    rows: Sequence[R], texts: Sequence[str], query: str
) -> tuple[list[R], list[str]]:
    """`filtered_rows`, with the texts of the rows kept (for `sorted_rows` after it)."""
    match = Matcher(query)
    if match.empty:
        return list(rows), list(texts)
    kept = [(row, text) for row, text in zip(rows, texts, strict=True) if match(text)]
    return [row for row, _ in kept], [text for _, text in kept]
