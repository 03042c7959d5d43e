"""The queue's operations on 10,000 entries, each the median of 20 runs."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from setlist.core.models import Track
from setlist.core.queue import Queue

SIZE = 10_000


def main() -> None:
    tracks = [Track(provider="jamendo", id=str(i), title=f"Track {i}") for i in range(SIZE)]
    for shuffle in (False, True):
        print(f"queue of {SIZE:,} entries, shuffle {'on' if shuffle else 'off'}:")
        q = Queue(rng=random.Random(1))
        started = time.perf_counter()
        q.append(tracks)
        print(f"  {'append all':<16} {(time.perf_counter() - started) * 1000:8.3f} ms")
        q.set_shuffle(shuffle)
        q.jump(q.entries[SIZE // 2].id)
        for name, op in _operations(q, tracks).items():
            print(f"  {name:<16} {_median_ms(op):8.3f} ms")


def _operations(q: Queue, tracks: list[Track]) -> dict[str, Callable[[], object]]:
    rng = random.Random(2)
    ids = [e.id for e in q.entries]
    doomed = iter(ids[::-1])
    return {
        "next": q.next,
        "advance": q.advance,
        "previous": q.previous,
        "peek_next": q.peek_next,
        "upcoming(50)": lambda: q.upcoming(50),
        "append one": lambda: q.append([tracks[0]]),
        "play_next": lambda: q.play_next([tracks[1]]),
        "move": lambda: q.move(rng.choice(ids[: SIZE // 2]), rng.randrange(SIZE - 1000)),
        "jump": lambda: q.jump(rng.choice(ids[: SIZE // 2])),
        "remove one": lambda: q.remove([next(doomed)]),
        "entries": lambda: q.entries,
        "reshuffle": q.reshuffle,
        "snapshot": q.snapshot,
    }


def _median_ms(op: Callable[[], object], repeat: int = 20) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        op()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[len(times) // 2]
