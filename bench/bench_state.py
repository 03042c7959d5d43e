"""Bytes the saved state costs the disk: an hour of playing with a 20,000-entry queue.

The player's schedule, on the real save code path (`Queue.snapshot`, `StateStore.save`):
the position saved every 10 seconds, a new track every 3.5 minutes. Bytes written are
read from /proc/self/io (`wchar`, every byte handed to write(); Linux only). The
history is full (500 entries), as after a long listen: the largest record.
Goal (issue 13): < 10 MB an hour.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

import msgspec

from setlist.core.models import Track
from setlist.core.queue import Queue
from setlist.store.state import PlayerState, StateStore

SIZE = 20_000
HOUR = 3600
TICK = 10  # Player.position_save_interval
TRACK = 210  # seconds a track plays


def main() -> None:
    if not Path("/proc/self/io").exists():
        print("bytes written are read from /proc/self/io: Linux only")
        return
    tracks = [
        Track(
            provider="jamendo",
            id=str(100_000 + i),
            title=f"A track with a title of some length, number {i}",
            artist_name=f"The Artist Collective {i // 12}",
            album_title=f"An Album Called Something {i // 12}",
            artist_id=str(i // 12),
            album_id=str(i // 12),
            duration=float(TRACK),
            image_url=f"https://usercontent.example.org/covers/{i // 12}/300x300.jpg",
            audio_url=f"https://prod-1.storage.example.org/?trackid={100_000 + i}&format=mp31",
        )
        for i in range(SIZE)
    ]
    for shuffle in (False, True):
        written, seconds, whole = _hour(tracks, shuffle=shuffle)
        print(
            f"an hour playing, {SIZE:,} queued, shuffle {'on ' if shuffle else 'off'}: "
            f"{written / 1e6:6.2f} MB written (goal < 10 MB), {seconds * 1000:.0f} ms saving"
        )
    print(f"  (the whole state rewritten each time instead: {whole / 1e6:,.0f} MB an hour)")


def _hour(tracks: list[Track], *, shuffle: bool) -> tuple[int, float, int]:
    queue = Queue(rng=random.Random(1))
    queue.append(tracks)
    queue.set_shuffle(shuffle)
    for _ in range(500):  # a full history
        queue.next()
    with tempfile.TemporaryDirectory() as folder:
        store = StateStore(folder)
        store.save(PlayerState(queue=queue.snapshot()))  # the queue as it was added
        before = _written()
        busy = 0.0
        saves = 0
        for second in range(TICK, HOUR + 1, TICK):
            if second % TRACK < TICK:
                queue.advance()
            state = PlayerState(queue=queue.snapshot(), position=float(second % TRACK))
            started = time.perf_counter()
            store.save(state)
            busy += time.perf_counter() - started
            saves += 1
        written = _written() - before
        whole = len(msgspec.json.encode(state)) * saves
    return written, busy, whole


def _written() -> int:
    io = Path("/proc/self/io").read_text()
    return int(next(line for line in io.splitlines() if line.startswith("wchar:")).split()[1])
