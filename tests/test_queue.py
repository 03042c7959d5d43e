"""The play queue: order, shuffle, repeat, history, and speed on a 10,000-entry queue."""

from __future__ import annotations

import random
import uuid

import msgspec
import pytest

from setlist.core.models import Track
from setlist.core.queue import Queue, QueueEntry, QueueSnapshot, RepeatMode


def track(n: int) -> Track:
    return Track(provider="local", id=str(n), title=f"Song {n}", audio_url=f"/music/{n}.mp3")


def titles(entries: list[QueueEntry]) -> list[str]:
    return [e.track.id for e in entries]


def queue_of(n: int, *, seed: int = 7) -> Queue:
    q = Queue(rng=random.Random(seed))
    q.append(track(i) for i in range(n))
    return q


def play_through(q: Queue, limit: int = 100) -> list[str]:
    """Ids of tracks as the end of each track advances, starting from the current one."""
    played = []
    entry = q.current or q.advance()
    while entry is not None:
        played.append(entry.track.id)
        if len(played) == limit:
            break
        entry = q.advance()
    return played


def test_entries_have_their_own_uuid4_ids_even_for_the_same_track():
    q = Queue()
    a, b = q.append([track(1), track(1)])
    assert a.id != b.id
    assert uuid.UUID(hex=a.id).version == 4
    assert len(q) == 2 and a.id in q


def test_plays_in_queue_order_and_stops_at_the_end():
    q = queue_of(4)
    assert play_through(q) == ["0", "1", "2", "3"]
    assert q.advance() is None
    assert q.current is not None and q.current.track.id == "3"


def test_play_next_goes_right_after_current_and_play_now_plays_at_once():
    q = queue_of(4)
    q.next()  # 0
    q.play_next([track(10), track(11)])
    assert titles(q.upcoming(10)) == ["10", "11", "1", "2", "3"]
    now = q.play_now([track(20)])
    assert now is not None and q.current == now and now.track.id == "20"
    assert titles(q.upcoming(3)) == ["10", "11", "1"]
    assert titles(q.entries) == ["0", "20", "10", "11", "1", "2", "3"]


def test_move_and_remove_change_what_comes_next():
    q = queue_of(5)
    q.next()  # 0
    ids = {e.track.id: e.id for e in q.entries}
    q.move(ids["4"], 1)
    assert titles(q.upcoming(10)) == ["4", "1", "2", "3"]
    removed = q.remove([ids["1"], ids["3"], "not-an-id"])
    assert sorted(titles(removed)) == ["1", "3"]
    assert titles(q.entries) == ["0", "4", "2"]
    q.move(ids["0"], 99)  # clamped to the end; still current
    assert titles(q.entries) == ["4", "2", "0"]
    assert q.current is not None and q.current.track.id == "0"


def test_removing_the_current_entry_makes_the_next_one_current():
    q = queue_of(4)
    q.next()
    second = q.next()
    assert second is not None
    q.remove([second.id])
    assert q.current is not None and q.current.track.id == "2"
    last = q.entries[-1]
    q.jump(last.id)
    q.remove([last.id])
    assert q.current is None


def test_clear_can_keep_the_current_entry():
    q = queue_of(3)
    q.next()
    q.clear(keep_current=True)
    assert titles(q.entries) == ["0"] and q.current is not None
    q.clear()
    assert len(q) == 0 and q.current is None and q.next() is None


def test_repeat_one_replays_at_the_end_but_next_moves_on():
    q = queue_of(3)
    q.repeat = RepeatMode.ONE
    first = q.next()
    assert q.peek_next() == first
    assert q.advance() == first
    assert q.advance() == first
    nxt = q.next()
    assert nxt is not None and nxt.track.id == "1"


def test_repeat_all_wraps_around():
    q = queue_of(3)
    q.repeat = RepeatMode.ALL
    assert play_through(q, limit=7) == ["0", "1", "2", "0", "1", "2", "0"]
    assert titles(q.upcoming(5)) == ["1", "2"]  # wraps, without repeating the current one
    q.next()
    assert titles(q.upcoming(5)) == ["2", "0"]


def test_peek_next_is_what_advance_returns():
    for repeat in RepeatMode:
        for shuffle in (False, True):
            q = queue_of(6, seed=3)
            q.repeat = repeat
            q.set_shuffle(shuffle)
            for _ in range(15):
                expected = q.peek_next()
                assert q.advance() == expected
                if expected is None:
                    break


def test_shuffle_plays_every_entry_once_and_keeps_the_current_one():
    q = queue_of(50)
    for _ in range(10):
        q.next()
    current = q.current
    q.set_shuffle(True)
    assert q.current == current
    order = play_through(q)
    assert order[0] == current.track.id
    assert sorted(order, key=int) == [str(i) for i in range(50)]
    assert order != [str(i) for i in range(10, 50)] + [str(i) for i in range(10)]


def test_shuffle_with_repeat_all_repeats_the_same_round_and_reshuffle_draws_anew():
    q = queue_of(20, seed=11)
    q.repeat = RepeatMode.ALL
    q.set_shuffle(True)
    rounds = play_through(q, limit=60)
    assert rounds[:20] == rounds[20:40] == rounds[40:]
    assert sorted(rounds[:20], key=int) == [str(i) for i in range(20)]
    before = titles(q.upcoming(19))
    current = q.current
    q.reshuffle()
    assert q.current == current
    assert titles(q.upcoming(19)) != before
    assert sorted(titles(q.upcoming(19)), key=int) == sorted(before, key=int)


def test_shuffle_off_returns_to_queue_order_from_the_current_entry():
    q = queue_of(10)
    q.set_shuffle(True)
    q.next()
    q.next()
    current = q.current
    q.set_shuffle(False)
    assert q.current == current
    start = int(current.track.id)
    assert titles(q.upcoming(3)) == [str(i) for i in range(start + 1, min(start + 4, 10))]


def test_shuffle_takes_in_added_entries_and_play_next_still_plays_next():
    q = queue_of(10)
    q.set_shuffle(True)
    q.next()
    added = q.append([track(100), track(101)])
    q.play_next([track(200)])
    order = play_through(q)
    assert order[1] == "200"
    assert {"100", "101"} <= set(order)
    assert len(order) == len(set(order)) == 13
    assert all(a in q for a in (e.id for e in added))


def test_previous_follows_history_then_play_order():
    q = queue_of(6)
    q.next()  # 0
    q.next()  # 1
    q.jump(q.entries[4].id)  # 4
    assert q.previous().track.id == "1"
    assert q.previous().track.id == "0"
    assert q.previous() is None  # at the start, repeat off
    assert q.next().track.id == "1"
    q.repeat = RepeatMode.ALL
    q.jump(q.entries[0].id)
    q.remove([q.entries[1].id])  # history names a removed entry: skipped
    q._history.clear()
    assert q.previous().track.id == "5"  # wraps backwards with repeat


def test_jump_in_shuffle_continues_after_the_jumped_entry():
    q = queue_of(30, seed=5)
    q.set_shuffle(True)
    q.next()
    upcoming = titles(q.upcoming(29))
    target = q.entries[int(upcoming[10])]
    q.jump(target.id)
    order = play_through(q)
    assert order == upcoming[10:]  # what lay between is skipped, as in queue order
    played = q.entries[int(upcoming[3])]
    q.jump(played.id)  # played already: plays again, then the rest still to come
    assert play_through(q)[0] == played.track.id


@pytest.mark.parametrize("shuffle", [False, True])
def test_a_jump_ahead_leaves_the_entries_skipped_out_of_the_history(shuffle):
    q = queue_of(8, seed=3)
    q.set_shuffle(shuffle)
    second = q.jump(q.entries[1].id)
    ahead = q.upcoming(7)[3] if shuffle else q.entries[5]  # four entries on, in play order
    q.jump(ahead.id)
    assert q.snapshot().history == [second.id]
    after = q.next()
    assert after is not None
    assert q.snapshot().history == [second.id, ahead.id]


def test_snapshot_round_trips_through_msgspec():
    q = queue_of(12, seed=2)
    q.repeat = RepeatMode.ALL
    q.set_shuffle(True)
    for _ in range(4):
        q.next()
    q.upcoming(5)
    blob = msgspec.json.encode(q.snapshot())
    restored = Queue.from_snapshot(msgspec.json.decode(blob, type=QueueSnapshot))
    assert restored.current == q.current
    assert restored.shuffle and restored.repeat is RepeatMode.ALL
    # What had been drawn (and maybe shown as "up next") stays; the rest is drawn later.
    assert titles(restored.upcoming(5)) == titles(q.upcoming(5))
    assert restored.previous() == q.previous()
    assert sorted(play_through(restored, 12), key=int) == [str(i) for i in range(12)]


def test_snapshot_with_a_broken_shuffle_order_is_shuffled_again():
    q = queue_of(5)
    q.next()
    snap = q.snapshot()
    snap.shuffle_order = ["nope"]
    restored = Queue.from_snapshot(snap)
    assert restored.shuffle and restored.current == q.current
    assert len(play_through(restored)) == 5


@pytest.mark.parametrize("shuffle", [False, True])
def test_every_operation_works_on_10000_entries(shuffle):
    # How fast they are is bench/bench_queue.py's to say; here, that they stay right.
    tracks = [track(i) for i in range(10_000)]
    q = Queue(rng=random.Random(1))
    q.append(tracks)
    q.set_shuffle(shuffle)
    q.jump(q.entries[5000].id)
    assert q.current is not None and q.current.track == tracks[5000]
    rng = random.Random(2)
    ids = [e.id for e in q.entries]
    for _ in range(50):
        q.move(rng.choice(ids), rng.randrange(10_000))
    q.remove(ids[:10])
    q.play_next([tracks[1]])
    assert len(q) == 10_000 - 10 + 1
    assert len({e.id for e in q.entries}) == len(q)
    assert q.peek_next() is not None
    assert len(q.upcoming(50)) == 50


def test_a_finished_queue_has_nothing_current_and_plays_again_from_the_top():
    q = queue_of(3)
    assert play_through(q) == ["0", "1", "2"]
    last = q.current
    assert q.advance() is None
    q.finish()
    assert q.current is None
    assert last is not None and q.snapshot().history[-1] == last.id
    again = q.next()
    assert again is not None and again.track.id == "0"
