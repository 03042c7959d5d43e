"""Sorting and filtering a 10,000-row track list, each the median of 20 runs.

What a key in a track list costs before the next frame: S (sort), O (reverse),
a letter typed in the filter (ctrl+f). The first filter also folds every row's
text once (cached after).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from setlist.core.models import Track
from setlist.core.playlist_edits import Row
from setlist.core.track_view import SORTS, filtered_rows, haystack, sorted_rows

SIZE = 10_000


def main() -> None:
    rows = [
        Row(
            str(i),
            Track(
                provider="jamendo",
                id=str(i),
                title=f"Song {i} of the Café",
                artist_name=f"Artist {i % 97}",
                album_title=f"Album {i % 501}",
                duration=None if i % 50 == 0 else 120 + i % 300,
            ),
        )
        for i in range(SIZE)
    ]
    started = time.perf_counter()
    texts = [haystack(r.track) for r in rows]
    print(f"{SIZE:,} rows:")
    print(f"  {'fold all (once)':<22} {(time.perf_counter() - started) * 1000:8.3f} ms")
    # As the track table does: the rows' folded texts are kept, sorts read them.
    for sort, _ in SORTS:
        for descending in (False, True):
            name = f"sort {sort}{' desc' if descending else ''}"
            took = _median_ms(partial(sorted_rows, rows, sort, descending=descending, texts=texts))
            print(f"  {name:<22} {took:8.3f} ms")
    for query in ("s", "sg", "song 12", "art 9 alb 5", "zzz"):
        shown = len(filtered_rows(rows, texts, query))
        name = f"filter {query!r} ({shown:,})"
        print(f"  {name:<22} {_median_ms(partial(filtered_rows, rows, texts, query)):8.3f} ms")


def _median_ms(op: Callable[[], object], repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        op()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]
