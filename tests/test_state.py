"""Saving and restoring the player's state: atomic, and never lost to a crash."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import msgspec
import pytest

from setlist.core.models import Track
from setlist.core.queue import Queue, QueueSnapshot, RepeatMode
from setlist.store.state import PlayerState, StateStore


def some_queue(n: int = 5) -> Queue:
    q = Queue(rng=random.Random(4))
    q.append(
        Track(provider="yourmusic", id=str(3000 + i), title=f"Tone {i} ✓", duration=5.0 + i)
        for i in range(n)
    )
    q.append([q.entries[0].track])  # the same track twice
    return q


def test_save_then_load_restores_queue_position_volume_shuffle_repeat(tmp_path):
    q = some_queue()
    q.repeat = RepeatMode.ONE
    q.set_shuffle(True)
    q.next()
    q.next()
    store = StateStore(tmp_path / "state")
    store.save(PlayerState(queue=q.snapshot(), position=3.25, volume=42.0, muted=True))

    state = StateStore(tmp_path / "state").load()
    assert state is not None
    restored = Queue.from_snapshot(state.queue)
    assert [e.id for e in restored.entries] == [e.id for e in q.entries]
    assert restored.entries[-1].track == q.entries[0].track
    assert restored.current == q.current
    assert restored.shuffle and restored.repeat is RepeatMode.ONE
    assert (state.position, state.volume, state.muted) == (3.25, 42.0, True)
    assert sorted(p.name for p in (tmp_path / "state").iterdir()) == [
        "queue.json",
        "state.json",
    ]  # no temporary file left behind


def test_a_restored_album_keeps_its_artist_and_album_names_once(tmp_path):
    album = [
        Track(
            provider="jamendo",
            id=str(i),
            title=f"Part {i}",
            artist_name="Ünïcode Ensemble",
            album_title="Long Album ✓",
            album_id="601",
            duration=60.0,
        )
        for i in range(3)
    ]
    q = Queue()
    q.append(album)
    StateStore(tmp_path).save(PlayerState(queue=q.snapshot()))

    state = StateStore(tmp_path).load()
    assert state is not None
    first, *others = [e.track for e in state.queue.entries]
    assert [t.title for t in (first, *others)] == ["Part 0", "Part 1", "Part 2"]
    for track in others:  # decoded separately, kept as one string each
        assert track.artist_name is first.artist_name
        assert track.album_title is first.album_title
        assert track.provider is first.provider


def test_one_process_at_a_time_keeps_the_state(tmp_path):
    first, second = StateStore(tmp_path), StateStore(tmp_path)
    assert first.claim()
    assert not second.claim()  # what another process sees (flock: per open file)
    first.release()
    assert second.claim()
    second.release()


def test_kill_9_frees_the_state_for_the_next_player(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys, time
        from setlist.store.state import StateStore
        assert StateStore({str(tmp_path)!r}).claim()
        print("claimed", flush=True)
        time.sleep(60)
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "claimed\n"
        assert not StateStore(tmp_path).claim()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
    assert StateStore(tmp_path).claim()


def test_no_file_means_no_state_and_no_warning(tmp_path):
    store = StateStore(tmp_path)
    assert store.load() is None and store.warning is None


def kept_aside(folder, name: str) -> list[str]:
    return sorted(p.name for p in folder.glob(f"{name}.*.bad"))


@pytest.mark.fault(
    "a damaged saved queue",
    "it is kept aside, time-stamped, and setlist starts",
)
def test_a_corrupt_queue_is_kept_aside_and_setlist_starts_with_an_empty_queue(tmp_path):
    store = StateStore(tmp_path)
    store.save(PlayerState(queue=some_queue().snapshot(), volume=33))
    good = store.queue_path.read_bytes()
    store.queue_path.write_bytes(good[: len(good) // 2])

    state = store.load()
    assert state is not None and state.queue.entries == [] and state.volume == 33
    [kept] = kept_aside(tmp_path, "queue.json")
    assert store.warning is not None and kept in store.warning
    assert (tmp_path / kept).read_bytes() == good[: len(good) // 2]
    assert not store.queue_path.exists()
    store.save(PlayerState(volume=10))
    assert store.load() == PlayerState(volume=10)


def test_a_file_of_the_wrong_shape_is_kept_aside_too(tmp_path):
    store = StateStore(tmp_path)
    store.path.write_text('{"version": 1, "queue": {"entries": "nope"}}')
    assert store.load() is None
    assert len(kept_aside(tmp_path, "state.json")) == 1


@pytest.mark.fault(
    "one damaged entry in the saved queue",
    "every other entry comes back, and the count dropped is said",
)
def test_one_bad_entry_drops_that_entry_only_and_says_how_many(tmp_path):
    q = some_queue(5)
    q.next()
    store = StateStore(tmp_path)
    store.save(PlayerState(queue=q.snapshot(), position=2.0))
    good = store.queue_path.read_bytes()
    second = q.entries[1]
    damaged = good.replace(f'"title":"{second.track.title}"'.encode(), b'"title":12')
    assert damaged != good
    store.queue_path.write_bytes(damaged)

    store = StateStore(tmp_path)
    state = store.load()
    assert state is not None
    assert [e.id for e in state.queue.entries] == [e.id for e in q.entries if e is not second]
    assert state.queue.current == q.current.id and state.position == 2.0
    assert store.warning is not None and "1 of 6 saved queue entries" in store.warning
    [kept] = kept_aside(tmp_path, "queue.json")
    assert kept in store.warning and (tmp_path / kept).read_bytes() == damaged

    store.save(state)  # the next save writes the good entries back, clean
    again = StateStore(tmp_path)
    assert again.load() == state and again.warning is None


@pytest.mark.fault(
    "damage after damage",
    "each damaged file is kept, the newest five",
)
def test_each_damaged_file_is_kept_the_newest_five(tmp_path):
    store = StateStore(tmp_path)
    contents = []
    for n in range(7):
        store.save(PlayerState(queue=some_queue(n + 1).snapshot()))
        contents.append(b"{not json %d" % n)
        store.queue_path.write_bytes(contents[-1])
        store.load()
        time.sleep(0.002)
    kept = kept_aside(tmp_path, "queue.json")
    assert [(tmp_path / k).read_bytes() for k in kept] == contents[-5:]


def test_a_damaged_place_keeps_the_queue(tmp_path):
    store = StateStore(tmp_path)
    q = some_queue()
    store.save(PlayerState(queue=q.snapshot(), position=4.0))
    store.path.write_bytes(b"\x00\x00")
    state = store.load()
    assert state is not None and [e.id for e in state.queue.entries] == [e.id for e in q.entries]
    assert store.warning is not None and len(kept_aside(tmp_path, "state.json")) == 1


def test_a_state_file_of_the_first_version_is_still_read(tmp_path):
    q = some_queue()
    q.set_shuffle(True)
    q.next()
    old = msgspec.json.encode(
        {"version": 1, "queue": q.snapshot(), "position": 1.5, "volume": 60.0, "muted": False}
    )
    (tmp_path / "state.json").write_bytes(old)
    store = StateStore(tmp_path)
    state = store.load()
    assert state is not None and store.warning is None
    assert state.queue == q.snapshot() and (state.position, state.volume) == (1.5, 60.0)
    store.save(state)  # written in the new shape from now on
    assert StateStore(tmp_path).load() == state
    assert (tmp_path / "queue.json").exists()


def same_play(a: QueueSnapshot, b: QueueSnapshot) -> bool:
    """The same queue, where it is, and the same shuffle order drawn so far (the rest
    is a pool not yet drawn, in no order)."""
    drawn = a.shuffle_decided
    assert a.shuffle_order is not None and b.shuffle_order is not None
    return (
        (a.entries, a.current, a.history, drawn) == (b.entries, b.current, b.history, drawn)
        and a.shuffle_order[:drawn] == b.shuffle_order[:drawn]
        and set(a.shuffle_order[drawn:]) == set(b.shuffle_order[drawn:])
    )


def test_playing_rewrites_the_small_record_not_the_queue(tmp_path):
    q = some_queue(50)
    q.set_shuffle(True)
    store = StateStore(tmp_path)
    store.save(PlayerState(queue=q.snapshot()))
    queue_file = store.queue_path.stat()
    small = store.path.stat().st_size
    for second in range(1, 40):
        if second % 7 == 0:
            q.next()  # the shuffle draws the next one: told in the small record
        store.save(PlayerState(queue=q.snapshot(), position=float(second)))
    assert store.queue_path.stat().st_ino == queue_file.st_ino
    assert store.path.stat().st_size < small + 1000
    state = StateStore(tmp_path).load()
    assert state is not None and same_play(state.queue, q.snapshot()) and state.position == 39.0

    q.remove([q.entries[0].id])  # the queue changed: written
    store.save(PlayerState(queue=q.snapshot()))
    assert store.queue_path.stat().st_ino != queue_file.st_ino
    state = StateStore(tmp_path).load()
    assert state is not None and same_play(state.queue, q.snapshot())


@pytest.mark.fault(
    "a save that fails part way (disk full)",
    "the previous state is still there",
)
def test_a_failed_write_leaves_the_previous_state(tmp_path, monkeypatch):
    store = StateStore(tmp_path)
    store.save(PlayerState(volume=11))

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        store.save(PlayerState(volume=99))
    monkeypatch.undo()
    assert store.load() == PlayerState(volume=11)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["queue.json", "state.json"]


WRITER = textwrap.dedent(
    """
    import random, sys
    from setlist.core.models import Track
    from setlist.core.queue import Queue
    from setlist.store.state import PlayerState, StateStore

    store = StateStore(sys.argv[1])
    q = Queue()
    n = 0
    while True:
        n += 1
        q.append([Track(provider="local", id=str(n), title="t" * random.randrange(1, 2000))])
        store.save(PlayerState(queue=q.snapshot(), position=float(n)))
        print(n, flush=True)
    """
)


@pytest.mark.fault(
    "kill -9 between writes of the queue and the position",
    "what was saved before comes back, consistent",
)
def test_kill_9_in_the_middle_of_writes_never_loses_what_was_saved(tmp_path):
    rng = random.Random(9)
    last_saved = 0
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # it is writing now
        assert first.strip()
        time.sleep(rng.uniform(0.01, 0.3))
        proc.send_signal(signal.SIGKILL)
        out = first + proc.stdout.read()
        proc.wait()
        last_saved = int(out.split()[-1])

        state = StateStore(tmp_path).load()
        assert state is not None, "the state file was damaged by the kill"
        # The kill may land after a save finished but before its number was printed.
        assert state.position in (last_saved, last_saved + 1)
        assert len(state.queue.entries) == int(state.position)
        assert not list(tmp_path.glob("*.bad"))
    assert last_saved > 1


@pytest.mark.fault(
    "a FIFO or a folder in place of a state file",
    "it is said, the rest loads, nothing hangs",
)
def test_a_fifo_or_a_folder_in_place_of_a_file_is_said_and_does_not_hang(tmp_path):
    store = StateStore(tmp_path)
    q = some_queue()
    store.save(PlayerState(queue=q.snapshot(), volume=20))
    store.path.unlink()
    store.path.mkdir()
    state = store.load()
    assert state is not None and [e.id for e in state.queue.entries] == [e.id for e in q.entries]
    assert state.volume == 20  # as it was when the queue was written
    assert store.warning is not None and "state.json is not a regular file" in store.warning

    store.queue_path.unlink()
    os.mkfifo(store.queue_path)
    started = time.monotonic()
    assert store.load() is None
    assert time.monotonic() - started < 5
    assert "queue.json is not a regular file" in (store.warning or "")
