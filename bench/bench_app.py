"""The terminal app: start-up, idle cost while playing, memory, and big lists.

- cold start: `setlist --demo` in a pseudo-terminal, from exec to the first frame
  (the now-playing bar drawn) and to the home sections read from the catalog;
- CPU (/proc/<pid>/stat) and bytes written to the terminal while a track plays
  (mpv with ao=null, the demo catalog in the same process) and while paused;
- RSS with a 10,000-track queue restored from the state file, on the queue screen,
  with no keyring and with GNOME Keyring running;
- in process (Pilot): opening a 10,000-track playlist and a 10,000-entry queue,
  and the time from a key press to the next frame written while scrolling them.

Goals (issue 5): start < 400 ms, CPU < 1 % playing and ~0 paused, < 1 KB/s to the
terminal, RSS < 120 MB, opening < 1 s, key to frame < 50 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.terminal import Terminal, isolated_env

MPV_NULL = '[playback.mpv]\nao = "null"\n'
SAMPLE = 30.0  # seconds of each CPU and output sample (CPU time is counted in 10 ms ticks)
BIG = 10_000


def main() -> None:
    cold_start()
    playing_and_paused()
    memory_with_a_big_queue()
    asyncio.run(big_lists())


def cold_start(runs: int = 3) -> None:
    frames, homes = [], []
    for _ in range(runs):
        term = Terminal("--demo", env=isolated_env(MPV_NULL))
        frame = term.read(20, until=b"Nothing playing")
        home = term.read(20, until=b"Your playlists")
        term.close()
        if frame is not None:
            frames.append(frame)
        if home is not None:
            homes.append(home)
    print(f"cold start to the first frame:      {_ms(frames)} (goal < 400 ms)")
    print(f"cold start to the home sections:    {_ms(homes)}")


def playing_and_paused() -> None:
    term = Terminal("--demo", env=isolated_env(MPV_NULL))
    try:
        term.read(20, until=b"Your playlists")
        term.press("/")
        term.read(1)
        term.press("long tone\r")  # The Long Tone (Extended): a minute of audio
        term.read(3, until=b"yourmusic")
        term.press("\r")
        if term.read(15, until=b"0:03") is None:
            print("the track did not start playing; no playback figures")
            return
        for state in ("playing", "paused"):
            if state == "paused":
                term.press("\x1b[Z ")  # shift+tab to the tabs (space selects in a list), pause
                term.read(1)
            cpu = term.cpu_seconds()
            written = term.count(SAMPLE)
            share = (term.cpu_seconds() - cpu) / SAMPLE * 100
            rate = written / SAMPLE
            print(f"CPU while {state}:                 {share:.2f} % of a core", end="")
            print(" (goal < 1 %)" if state == "playing" else " (goal ~0)")
            print(f"written to the terminal {state}:   {rate:.0f} B/s (goal < 1 KB/s)")
    finally:
        term.close()


def memory_with_a_big_queue() -> None:
    """RSS on the queue screen, in a session with no keyring (SSH), then with GNOME
    Keyring on a private D-Bus: the keyring's client brings its own crypto library."""
    for size in (0, BIG):
        rss = _rss(size)
        print(f"RSS with {size:>6,} tracks queued, no keyring:    {rss:.0f} MB (goal < 120 MB)")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from keyring_service import running_secret_service

    with (
        tempfile.TemporaryDirectory(prefix="setlist-keyring-") as root,
        running_secret_service(Path(root)) as service,
    ):
        keyring = {"DBUS_SESSION_BUS_ADDRESS": service.address}
        for size in (0, BIG):
            rss = _rss(size, keyring)
            print(f"RSS with {size:>6,} tracks queued, GNOME Keyring: {rss:.0f} MB (goal < 120 MB)")


def _rss(size: int, extra_env: dict[str, str] | None = None) -> float:
    env = isolated_env(MPV_NULL)
    if extra_env:
        env.pop("SETLIST_PLAINTEXT_TOKENS")
        env.update(extra_env)
    if size:
        _write_queue(Path(env["XDG_STATE_HOME"]) / "setlist", size)
    term = Terminal("--demo", env=env)
    try:
        term.read(20, until=b"Your playlists")
        term.press("4")
        term.read(3)
        return term.rss_mb()
    finally:
        term.close()


def _write_queue(folder: Path, size: int) -> None:
    from setlist.core.queue import Queue
    from setlist.store.state import PlayerState, StateStore

    queue = Queue()
    queue.append(demo_tracks(size))
    StateStore(folder).save(PlayerState(queue=queue.snapshot()))


def demo_tracks(count: int) -> list:
    """`count` YourMusic tracks of the demo catalog, round and round."""
    from setlist.core.models import Track
    from setlist.demo.catalog import load

    catalog = load()
    known = [
        Track(
            provider="yourmusic",
            id=str(t.id),
            title=t.title,
            artist_name=catalog.ym_artist_by_id[t.artist_id].name,
            album_title=catalog.ym_release_by_id[t.release_id].title,
            duration=t.duration,
            stream_id=t.stream_id,
        )
        for t in catalog.ym_tracks
    ]
    return [known[i % len(known)] for i in range(count)]


async def big_lists() -> None:
    from bench.inprocess import open_big_playlist_and_queue

    figures = await open_big_playlist_and_queue(BIG)
    for name, (opened, latencies) in figures.items():
        print(f"opening a {BIG:,}-track {name}:    {opened * 1000:.0f} ms (goal < 1 s)")
        print(
            f"key to next frame scrolling it:     median {statistics.median(latencies):.1f} ms, "
            f"max {max(latencies):.1f} ms over {len(latencies)} keys (goal < 50 ms)"
        )


def _ms(values: list[float]) -> str:
    if not values:
        return "not reached"
    return f"median {statistics.median(values) * 1000:.0f} ms of {len(values)} runs"


if __name__ == "__main__":
    started = time.perf_counter()
    main()
