"""The play queue: what plays now, what comes next, and in which order.

Pure data, no mpv and no Textual: the player drives it, the UI shows it, the state
store saves it. Every entry has its own id, so one track can be queued twice.

Two orders live here. The queue order is what the user arranges (`move`). The play
order is the queue order, or with shuffle on a permutation of the entries. The
permutation is drawn lazily (an incremental Fisher-Yates): `_shuffled[:_decided]`
is fixed, the rest is a pool not yet ordered, so turning shuffle on or appending
to a 10,000-entry queue costs a list copy, not a Python loop over every entry.
"""

from __future__ import annotations

import os
import random
from collections import deque
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, Literal

import msgspec

from setlist.core.models import Track


class RepeatMode(StrEnum):
    OFF = "off"
    ALL = "all"  # wrap from the last entry to the first
    ONE = "one"  # the end of a track plays it again; next/previous still move


# Why an entry was queued, when not by the user's own choice (shown in the queue).
Origin = Literal["radio", "autoplay"]


class QueueEntry(
    msgspec.Struct, frozen=True, kw_only=True, gc=False, omit_defaults=True
):  # no cycles: see Track
    id: str
    track: Track
    origin: Origin | None = None


class QueueSnapshot(msgspec.Struct, kw_only=True):
    """Everything needed to rebuild a queue exactly, shuffle order included."""

    entries: list[QueueEntry]
    current: str | None = None
    repeat: RepeatMode = RepeatMode.OFF
    shuffle_order: list[str] | None = None  # None: shuffle off
    shuffle_decided: int = 0
    history: list[str] = msgspec.field(default_factory=list)


class QueueListing(QueueSnapshot, kw_only=True):
    """A queue as a player shows it: a snapshot (or a page of one), what plays, and
    whether shuffle is on. The daemon's `queue` answers and events carry it."""

    playing: str | None = None
    shuffle: bool = False
    offset: int = 0  # where `entries` start in the queue: a page of it
    total: int = 0  # the queue's length

    @classmethod
    def of(cls, snapshot: QueueSnapshot, **more: Any) -> QueueListing:
        return cls(**msgspec.structs.asdict(snapshot), **more)


def new_ids(count: int) -> list[str]:
    """`count` random UUID4s as hex, made in bulk (`uuid.uuid4().hex` costs ~3 µs each)."""
    raw = bytearray(os.urandom(16 * count))
    raw[6::16] = bytes(b & 0x0F | 0x40 for b in raw[6::16])  # version 4
    raw[8::16] = bytes(b & 0x3F | 0x80 for b in raw[8::16])  # RFC 4122 variant
    text = raw.hex()
    return [text[i : i + 32] for i in range(0, 32 * count, 32)]


class Queue:
    def __init__(self, *, rng: random.Random | None = None, history_limit: int = 500) -> None:
        self._rng = rng or random.Random()
        self._entries: dict[str, QueueEntry] = {}
        self._ids: list[str] = []  # queue order
        self._shuffled: list[str] | None = None  # play order while shuffle is on
        self._decided = 0
        self._current: str | None = None
        self._history: deque[str] = deque(maxlen=history_limit)
        self.repeat = RepeatMode.OFF

    # -- reading

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    @property
    def entries(self) -> list[QueueEntry]:
        """All entries in queue order."""
        return [self._entries[i] for i in self._ids]

    def entries_between(self, start: int, stop: int) -> list[QueueEntry]:
        """The entries from `start` to before `stop` in queue order (a page of a long queue)."""
        return [self._entries[i] for i in self._ids[start:stop]]

    def get(self, entry_id: str) -> QueueEntry | None:
        return self._entries.get(entry_id)

    def index(self, entry_id: str) -> int:
        """The entry's place in the queue order; ValueError when it is not queued."""
        return self._ids.index(entry_id)

    @property
    def current(self) -> QueueEntry | None:
        return None if self._current is None else self._entries[self._current]

    @property
    def shuffle(self) -> bool:
        return self._shuffled is not None

    def upcoming(self, count: int) -> list[QueueEntry]:
        """Up to `count` entries that `next()` would reach one after the other, in play order."""
        order = self._order()
        pos = self._pos()
        stop = min(len(order), pos + 1 + count)
        self._decide(stop)
        ids = order[pos + 1 : stop]
        if self.repeat is RepeatMode.ALL and len(ids) < count and pos > 0:
            ids += order[: min(pos, count - len(ids))]
        return [self._entries[i] for i in ids]

    def recent(self, count: int) -> list[QueueEntry]:
        """Up to `count` entries played last, the current one first, each once."""
        found: list[QueueEntry] = []
        ids = [] if self._current is None else [self._current]
        ids += reversed(self._history)
        for entry_id in ids:
            entry = self._entries.get(entry_id)
            if entry is not None and entry not in found:
                found.append(entry)
                if len(found) == count:
                    break
        return found

    def peek_next(self) -> QueueEntry | None:
        """What `advance()` will return when the current track ends (for gapless prefetch)."""
        if self.repeat is RepeatMode.ONE and self._current is not None:
            return self.current
        nxt = self._successor(wrap=self.repeat is RepeatMode.ALL)
        return None if nxt is None else self._entries[nxt]

    # -- adding

    def append(self, tracks: Iterable[Track], *, origin: Origin | None = None) -> list[QueueEntry]:
        new = self._make(tracks, origin)
        ids = [e.id for e in new]
        self._ids.extend(ids)
        if self._shuffled is not None:
            self._shuffled.extend(ids)  # into the undrawn pool: a uniform place in the future
        return new

    def play_next(self, tracks: Iterable[Track]) -> list[QueueEntry]:
        """Insert right after the current entry (in queue and play order), in the given order."""
        new = self._make(tracks)
        ids = [e.id for e in new]
        at = 0 if self._current is None else self._ids.index(self._current) + 1
        self._ids[at:at] = ids
        if self._shuffled is not None:
            at = self._pos() + 1
            self._shuffled[at:at] = ids
            self._decided += len(ids)
        return new

    def play_now(self, tracks: Iterable[Track]) -> QueueEntry | None:
        """Insert after the current entry and make the first of them current."""
        new = self.play_next(tracks)
        return self.jump(new[0].id) if new else None

    # -- rearranging

    def move(self, entry_id: str, new_index: int) -> None:
        """Move an entry to `new_index` of the queue order (clamped); the play order follows
        unless shuffle is on."""
        old = self._ids.index(entry_id)
        del self._ids[old]
        self._ids.insert(max(0, min(new_index, len(self._ids))), entry_id)

    def remove(self, entry_ids: Iterable[str]) -> list[QueueEntry]:
        """Remove entries. When the current one goes, the next remaining one in play order
        becomes current (None at the end)."""
        gone = {i for i in entry_ids if i in self._entries}
        if not gone:
            return []
        removed = [self._entries.pop(i) for i in gone]
        if self._current in gone:
            self._current = self._survivor_after(gone)
        self._ids = [i for i in self._ids if i not in gone]
        if self._shuffled is not None:
            drawn = [i for i in self._shuffled[: self._decided] if i not in gone]
            pool = [i for i in self._shuffled[self._decided :] if i not in gone]
            self._shuffled, self._decided = drawn + pool, len(drawn)
        return removed

    def retrack(self, entry_id: str, track: Track) -> QueueEntry | None:
        """Give an entry what is now known of its track (a file's tags); None if it is gone."""
        if entry_id not in self._entries:
            return None
        entry = QueueEntry(id=entry_id, track=track, origin=self._entries[entry_id].origin)
        self._entries[entry_id] = entry
        return entry

    def clear(self, *, keep_current: bool = False) -> None:
        current = self.current if keep_current else None
        self._entries.clear()
        self._ids.clear()
        self._history.clear()
        self._current = None
        if current is not None:
            self._entries[current.id] = current
            self._ids.append(current.id)
            self._current = current.id
        if self._shuffled is not None:
            self._shuffled = list(self._ids)
            self._decided = len(self._ids)

    def set_shuffle(self, on: bool) -> None:
        if on and self._shuffled is None:
            self.reshuffle()
        elif not on:
            self._shuffled = None
            self._decided = 0

    def reshuffle(self) -> None:
        """Draw a new play order (turning shuffle on); the current entry stays current."""
        self._shuffled = list(self._ids)
        self._decided = 0
        if self._current is not None:
            at = self._shuffled.index(self._current)
            self._shuffled[0], self._shuffled[at] = self._shuffled[at], self._shuffled[0]
            self._decided = 1

    # -- moving through

    def advance(self) -> QueueEntry | None:
        """The end of the current track: the entry to play now, or None when the queue is done.

        Repeat one plays the same entry again; the current entry stays put at the end.
        """
        if self.repeat is RepeatMode.ONE and self._current is not None:
            return self.current
        nxt = self._successor(wrap=self.repeat is RepeatMode.ALL)
        return None if nxt is None else self._go(nxt)

    def finish(self) -> None:
        """The current entry played to the end of the queue: it joins the history and
        nothing is current, so the queue no longer claims to play it (and a new play
        starts from the top)."""
        if self._current is not None:
            self._history.append(self._current)
            self._current = None

    def next(self) -> QueueEntry | None:
        """The user skips forward: the next entry (wrapping when any repeat is on), or None."""
        nxt = self._successor(wrap=self.repeat is not RepeatMode.OFF)
        return None if nxt is None else self._go(nxt)

    def previous(self) -> QueueEntry | None:
        """Back to the entry played before (jumps included), else the one before in play
        order; None when there is none."""
        while self._history:
            entry_id = self._history.pop()
            if entry_id in self._entries and entry_id != self._current:
                self._current = entry_id
                return self._entries[entry_id]
        order = self._order()
        pos = self._pos()
        if pos > 0:
            self._current = order[pos - 1]
        elif pos == 0 and self._shuffled is None and self.repeat is not RepeatMode.OFF:
            self._current = order[-1]
        else:
            return None
        return self.current

    def jump(self, entry_id: str) -> QueueEntry:
        """Make an entry current; play continues after it in play order.

        With shuffle, a jump ahead in the drawn order skips what lies between, as it does
        in queue order; an entry already played or not drawn yet moves to right after the
        current one, so nothing still to come is lost.
        """
        if entry_id not in self._entries:
            raise KeyError(entry_id)
        order = self._shuffled
        if order is not None and entry_id != self._current:
            at = order.index(entry_id)
            pos = self._pos()
            if not pos < at < self._decided:
                del order[at]
                self._decided -= at < self._decided
                pos = self._pos() + 1
                order.insert(pos, entry_id)
                self._decided += 1
        return self._go(entry_id)

    # -- saving

    def snapshot(self) -> QueueSnapshot:
        return QueueSnapshot(
            entries=self.entries,
            current=self._current,
            repeat=self.repeat,
            shuffle_order=None if self._shuffled is None else list(self._shuffled),
            shuffle_decided=self._decided,
            history=list(self._history),
        )

    @classmethod
    def from_snapshot(cls, snap: QueueSnapshot, *, rng: random.Random | None = None) -> Queue:
        """Rebuild a queue; an inconsistent shuffle order is drawn again rather than trusted."""
        queue = cls(rng=rng)
        for entry in snap.entries:
            if entry.id not in queue._entries:
                queue._entries[entry.id] = entry
                queue._ids.append(entry.id)
        queue.repeat = snap.repeat
        queue._current = snap.current if snap.current in queue._entries else None
        queue._history.extend(i for i in snap.history if i in queue._entries)
        order = snap.shuffle_order
        if order is not None:
            valid = len(order) == len(queue._ids) and set(order) == queue._entries.keys()
            decided = snap.shuffle_decided
            if valid and 0 <= decided <= len(order) and queue._pos_in(order) < decided:
                queue._shuffled, queue._decided = list(order), decided
            else:
                queue.reshuffle()
        return queue

    # -- internals

    def _make(self, tracks: Iterable[Track], origin: Origin | None = None) -> list[QueueEntry]:
        tracks = list(tracks)
        ids = new_ids(len(tracks))
        new = [QueueEntry(id=i, track=t, origin=origin) for i, t in zip(ids, tracks, strict=True)]
        self._entries.update((e.id, e) for e in new)
        return new

    def _order(self) -> list[str]:
        return self._ids if self._shuffled is None else self._shuffled

    def _pos(self) -> int:
        return self._pos_in(self._order())

    def _pos_in(self, order: list[str]) -> int:
        return -1 if self._current is None else order.index(self._current)

    def _decide(self, upto: int) -> None:
        """Fix the shuffled play order up to index `upto` (exclusive)."""
        order = self._shuffled
        if order is None:
            return
        n = len(order)
        randrange = self._rng.randrange
        for k in range(self._decided, min(upto, n)):
            j = randrange(k, n)
            order[k], order[j] = order[j], order[k]
        self._decided = max(self._decided, min(upto, n))

    def _successor(self, *, wrap: bool) -> str | None:
        order = self._order()
        if not order:
            return None
        pos = self._pos()
        if pos + 1 < len(order):
            self._decide(pos + 2)
            return order[pos + 1]
        if wrap:
            self._decide(1)
            return order[0]
        return None

    def _go(self, entry_id: str) -> QueueEntry:
        if self._current is not None and self._current != entry_id:
            self._history.append(self._current)
        self._current = entry_id
        return self._entries[entry_id]

    def _survivor_after(self, gone: set[str]) -> str | None:
        order = self._order()
        pos = self._pos()
        step = 64
        start = pos + 1
        while start < len(order):
            self._decide(start + step)
            for entry_id in order[start : start + step]:
                if entry_id not in gone:
                    return entry_id
            start += step
        return None
