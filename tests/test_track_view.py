"""Sorting and filtering a track list locally (core.track_view)."""

from __future__ import annotations

from setlist.core.models import Track
from setlist.core.playlist_edits import Row
from setlist.core.track_view import filtered_rows, haystack, sorted_rows


def row(n: int, title: str, artist: str = "", album: str = "", length: float | None = 1) -> Row:
    track = Track(
        provider="jamendo",
        id=str(n),
        title=title,
        artist_name=artist,
        album_title=album,
        duration=length,
    )
    return Row(str(n), track)


def find(rows: list[Row], query: str) -> list[str]:
    return [r.track.title for r in filtered_rows(rows, [haystack(r.track) for r in rows], query)]


def test_a_word_is_found_in_one_field_from_the_start_of_a_word_there() -> None:
    rows = [
        row(1, "Daft Side Down", "The Beatles", "Café"),
        row(2, "Inside", "Bea", "Tles"),
        row(3, "Nul\x00ide", "x", "y"),  # a NUL from the server is a space here
    ]
    assert find(rows, "dsd") == ["Daft Side Down"]
    assert find(rows, "beatls") == ["Daft Side Down"]  # not across fields (row 2)
    assert find(rows, "CAFE") == ["Daft Side Down"]
    assert find(rows, "side") == ["Daft Side Down"]  # "Inside": not from the start of a word
    assert find(rows, "nul ide") == ["Nul\x00ide"]
    assert find(rows, "ins tles") == ["Inside"]
    assert find(rows, "[(*") == []  # regex characters are letters here
    assert find(rows, "   ") == ["Daft Side Down", "Inside", "Nul\x00ide"]


def test_sorts_are_stable_and_leave_the_list_alone() -> None:
    rows = [row(1, "b", length=None), row(2, "A", length=3), row(3, "b", length=2)]
    assert [r.key for r in sorted_rows(rows, "title")] == ["2", "1", "3"]
    assert [r.key for r in sorted_rows(rows, "title", descending=True)] == ["1", "3", "2"]
    assert [r.key for r in sorted_rows(rows, "length")] == ["3", "2", "1"]
    assert [r.key for r in sorted_rows(rows, "length", descending=True)] == ["2", "3", "1"]
    assert [r.key for r in sorted_rows(rows, "own", descending=True)] == ["3", "2", "1"]
    assert [r.key for r in rows] == ["1", "2", "3"]
