"""The player's state between runs: the queue, where it was, volume, shuffle and repeat.

Two files, so that playing does not rewrite a big queue for a position that moved:

- `queue.json`, the entries (and the shuffle order as it was drawn then), written only
  when the queue itself changes: durably (`store.atomic.write_atomic`: a temporary file
  beside it, fsync, rename), so a crash or `kill -9` at any moment leaves either the
  previous queue or the new one, never half of one.
- `state.json`, a small record of where it was: the current entry, history, repeat, the
  shuffle picks made since `queue.json` was written, position, volume. Written every
  few seconds while playing; atomically always, durably unless only the position moved.

A state.json of version 1 holds everything (the queue too) and is still read; the next
save writes the two files. A queue entry that cannot be read is dropped and the others
kept; a file that cannot be read is kept aside, time-stamped (the newest few), and the
user is told (`warning`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from setlist.core.errors import SetlistError
from setlist.core.queue import QueueEntry, QueueSnapshot, RepeatMode
from setlist.store import paths
from setlist.store.atomic import NotRegularFile, read_regular, write_atomic

try:
    import fcntl
except ImportError:  # Windows: no lock, as for the token file
    fcntl = None  # type: ignore[assignment]  # the module or None, tested before use

log = logging.getLogger(__name__)

STATE_FILE = "state.json"
QUEUE_FILE = "queue.json"
LOCK_FILE = "state.lock"  # held by the one player process that keeps the state
SHARED = (
    "Another setlist player (the daemon, another app, or another `setlist play`) keeps "
    "the saved queue: this one's queue is not saved."
)
STATE_VERSION = 2
LEGACY_VERSION = 1  # state.json with the queue inside
QUEUE_VERSION = 1
KEEP_DAMAGED = 5  # damaged files kept aside per kind, the oldest removed first
MAX_PICKS = 2000  # shuffle picks kept in state.json before queue.json is written anew
_LEFTOVERS = (f".{STATE_FILE}.*.tmp", f".{QUEUE_FILE}.*.tmp")  # temp files of `write_atomic`


class StateSaveError(SetlistError):
    """The state file could not be written: what changed since the last save is lost."""

    def __init__(self, path: Path, error: OSError) -> None:
        reason = error.strerror or type(error).__name__
        super().__init__(
            f"could not save the queue and position to {path} ({reason}); "
            "the changes since the last save are lost"
        )
        self.path = path


class PlayerState(msgspec.Struct, kw_only=True):
    version: int = STATE_VERSION
    queue: QueueSnapshot = msgspec.field(default_factory=lambda: QueueSnapshot(entries=[]))
    position: float = 0.0  # seconds into the current entry
    volume: float = 100.0
    muted: bool = False


class SavedPlace(msgspec.Struct, kw_only=True):
    """state.json: where the player was in the queue of `queue_stamp`."""

    version: int = STATE_VERSION
    queue_stamp: str = ""
    current: str | None = None
    repeat: RepeatMode = RepeatMode.OFF
    history: list[str] = msgspec.field(default_factory=list)
    picks: list[str] = msgspec.field(default_factory=list)  # shuffle order decided since
    position: float = 0.0
    volume: float = 100.0
    muted: bool = False


class SavedQueue(msgspec.Struct, kw_only=True):
    """queue.json."""

    version: int = QUEUE_VERSION
    stamp: str  # new with each write: which queue file a state.json goes with
    entries: list[QueueEntry]
    shuffle_order: list[str] | None = None
    shuffle_decided: int = 0
    # Where it was when this was written: a kill between writing queue.json and
    # state.json leaves a state.json of the queue before, this one goes with it.
    place: SavedPlace | None = None


class _Head(msgspec.Struct):
    version: int


class _LenientQueue(msgspec.Struct):
    """queue.json with its entries left undecoded, to read them one by one."""

    entries: list[msgspec.Raw]
    stamp: str = ""
    shuffle_order: list[str] | None = None
    shuffle_decided: int = 0
    place: SavedPlace | None = None


class _LegacyQueue(msgspec.Struct):
    entries: list[msgspec.Raw]
    current: str | None = None
    repeat: RepeatMode = RepeatMode.OFF
    shuffle_order: list[str] | None = None
    shuffle_decided: int = 0
    history: list[str] = msgspec.field(default_factory=list)


class _LegacyState(msgspec.Struct):
    queue: _LegacyQueue = msgspec.field(default_factory=lambda: _LegacyQueue(entries=[]))
    position: float = 0.0
    volume: float = 100.0
    muted: bool = False


@dataclass
class _Written:
    """What queue.json holds, to tell whether a save has to write it again."""

    stamp: str
    entries: list[QueueEntry]
    shuffle_order: list[str] | None
    shuffle_decided: int


class _Damaged(Exception):
    pass


class StateStore:
    """The state files. `load()` never raises for a bad file; `save()` raises OSError only."""

    def __init__(self, state_dir: Path | str | None = None) -> None:
        self.dir = Path(state_dir) if state_dir is not None else paths.state_dir()
        self.path = self.dir / STATE_FILE
        self.queue_path = self.dir / QUEUE_FILE
        self.warning: str | None = None  # set by load() when something had to be dropped
        self._lock: int | None = None  # the lock file's descriptor, while claimed
        self._written: _Written | None = None  # None: queue.json is to be written
        self._place: SavedPlace | None = None  # the state.json last written
        self._rewrite = False  # entries were dropped: queue.json is written clean at once

    def load(self) -> PlayerState | None:
        """The saved state, or None when there is none or none of it is readable."""
        self.warning = None
        self._written = self._place = None
        self._rewrite = False
        self._remove_leftovers()
        problems: list[str] = []
        place = self._read(self.path, problems)
        if place is not None:
            try:
                head = msgspec.json.decode(place, type=_Head)
                if head.version == LEGACY_VERSION:
                    return self._finish(self._legacy(place, problems), problems)
                if head.version != STATE_VERSION:
                    raise _Damaged(f"version {head.version}")
                saved_place: SavedPlace | None = msgspec.json.decode(place, type=SavedPlace)
            except (msgspec.DecodeError, _Damaged) as exc:
                problems.append(self._set_aside(self.path, "where it was in the queue", exc))
                saved_place = None
        else:
            saved_place = None
        data = self._read(self.queue_path, problems)
        if data is None and saved_place is None:
            return self._finish(None, problems)
        queue = self._queue(data, problems) if data is not None else None
        return self._finish(self._join(queue, saved_place), problems)

    def _finish(self, state: PlayerState | None, problems: list[str]) -> PlayerState | None:
        if problems:
            self.warning = " ".join(problems)
            log.warning("%s", self.warning)
        return state

    def _read(self, path: Path, problems: list[str]) -> bytes | None:
        what = "the saved queue" if path == self.queue_path else "where the player was"
        try:
            return read_regular(path)  # a FIFO put in its place must not hang the start
        except FileNotFoundError:
            return None
        except NotRegularFile as exc:
            problems.append(
                f"Could not read {what}: {exc}; going on without it (remove it, and setlist "
                "saves there again)."
            )
        except OSError as exc:
            problems.append(f"Could not read {what}: {path} ({exc.strerror}); going on without it.")
        return None

    def _queue(self, data: bytes, problems: list[str]) -> SavedQueue | None:
        with contextlib.suppress(msgspec.DecodeError):  # else maybe only some entries are bad
            queue = msgspec.json.decode(data, type=SavedQueue)
            if queue.version == QUEUE_VERSION:
                return queue
        try:
            if msgspec.json.decode(data, type=_Head).version != QUEUE_VERSION:
                raise _Damaged("a version this setlist does not know")
            lenient = msgspec.json.decode(data, type=_LenientQueue)
        except (msgspec.DecodeError, _Damaged) as exc:
            problems.append(self._set_aside(self.queue_path, "the saved queue", exc))
            return None
        entries = self._entries(self.queue_path, lenient.entries, problems)
        return SavedQueue(
            stamp=lenient.stamp,
            entries=entries,
            shuffle_order=lenient.shuffle_order,
            shuffle_decided=lenient.shuffle_decided,
            place=lenient.place,
        )

    def _entries(self, path: Path, raw: list[msgspec.Raw], problems: list[str]) -> list[QueueEntry]:
        entries: list[QueueEntry] = []
        for item in raw:
            with contextlib.suppress(msgspec.DecodeError):
                entries.append(msgspec.json.decode(item, type=QueueEntry))
        dropped = len(raw) - len(entries)
        if dropped:
            self._rewrite = True
            kept = self._keep_damaged(path, copy=True)
            problems.append(
                f"{dropped} of {len(raw)} saved queue entries were damaged and dropped; "
                f"the other {len(entries)} are back. The damaged file is kept as {kept}."
            )
        return entries

    def _legacy(self, data: bytes, problems: list[str]) -> PlayerState | None:
        """A version 1 state.json: everything in one file."""
        try:
            old = msgspec.json.decode(data, type=_LegacyState)
        except msgspec.DecodeError as exc:
            problems.append(self._set_aside(self.path, "the saved queue", exc))
            return None
        q = old.queue
        return PlayerState(
            queue=QueueSnapshot(
                entries=self._entries(self.path, q.entries, problems),
                current=q.current,
                repeat=q.repeat,
                shuffle_order=q.shuffle_order,
                shuffle_decided=q.shuffle_decided,
                history=q.history,
            ),
            position=old.position,
            volume=old.volume,
            muted=old.muted,
        )

    def _join(self, queue: SavedQueue | None, place: SavedPlace | None) -> PlayerState:
        stale = place is None or (queue is not None and place.queue_stamp != queue.stamp)
        if queue is not None and queue.place is not None and stale:
            place = queue.place
        place = place or SavedPlace()
        entries = queue.entries if queue is not None else []
        order = queue.shuffle_order if queue is not None else None
        decided = queue.shuffle_decided if queue is not None else 0
        if queue is not None and not self._rewrite:
            self._written = _Written(queue.stamp, entries, order, decided)
        if order is not None and queue is not None and place.queue_stamp == queue.stamp:
            picked = set(place.picks)
            rest = [i for i in order[decided:] if i not in picked]
            order = order[:decided] + place.picks + rest
            decided += len(place.picks)
        self._place = place
        return PlayerState(
            queue=QueueSnapshot(
                entries=entries,
                current=place.current,
                repeat=place.repeat,
                shuffle_order=order,
                shuffle_decided=decided,
                history=place.history,
            ),
            position=place.position,
            volume=place.volume,
            muted=place.muted,
        )

    def claim(self) -> bool:
        """Take the state for this process, until `release` or exit (even `kill -9`);
        False when another process holds it: two players saving one file would
        each overwrite the other's queue."""
        if self._lock is not None or fcntl is None:
            return True
        paths.ensure_dir(self.dir)
        fd = os.open(self.dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._lock = fd
        return True

    def release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor drops the lock
            self._lock = None

    def save(self, state: PlayerState) -> None:
        """Write what changed: queue.json when the queue did, then state.json."""
        snap = state.queue
        written = self._written
        picks = _picks(snap, written)
        new_queue = written is None or picks is None or snap.entries != written.entries
        if new_queue or written is None or picks is None:
            written = _Written(
                secrets.token_hex(8), snap.entries, snap.shuffle_order, snap.shuffle_decided
            )
            picks = []
        place = SavedPlace(
            queue_stamp=written.stamp,
            current=snap.current,
            repeat=snap.repeat,
            history=snap.history,
            picks=picks,
            position=state.position,
            volume=state.volume,
            muted=state.muted,
        )
        if new_queue:
            saved = SavedQueue(
                stamp=written.stamp,
                entries=written.entries,
                shuffle_order=written.shuffle_order,
                shuffle_decided=written.shuffle_decided,
                place=place,
            )
            write_atomic(self.queue_path, msgspec.json.encode(saved))
            self._written = written
        # Only the position moved (the tick every few seconds while playing): no fsync.
        # The rename keeps the record whole against a crash or kill; a power cut may
        # bring back a position a few seconds older, not worth a disk flush each tick.
        last = self._place
        durable = last is None or msgspec.structs.replace(last, position=place.position) != place
        write_atomic(self.path, msgspec.json.encode(place), durable=durable)
        self._place = place

    def _set_aside(self, path: Path, what: str, exc: Exception) -> str:
        kept = self._keep_damaged(path, copy=False)
        return f"{what[0].upper()}{what[1:]} was unreadable ({exc}); kept it as {kept}."

    def _keep_damaged(self, path: Path, *, copy: bool) -> Path | str:
        """Keep a damaged file beside it under a time-stamped name; the newest few only."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        kept = path.with_name(f"{path.name}.{stamp}.bad")
        try:
            if copy:
                shutil.copyfile(path, kept)
            else:
                path.replace(kept)
        except OSError as exc:
            return f"nowhere ({exc.strerror})"
        with contextlib.suppress(OSError):
            for old in sorted(self.dir.glob(f"{path.name}.*.bad"))[:-KEEP_DAMAGED]:
                old.unlink(missing_ok=True)
        return kept

    def _remove_leftovers(self) -> None:
        """Temporary files of writes a crash interrupted (old ones: another setlist
        process may be writing right now)."""
        cutoff = time.time() - 60
        with contextlib.suppress(OSError):
            for pattern in _LEFTOVERS:
                for tmp in self.dir.glob(pattern):
                    if tmp.stat().st_mtime < cutoff:
                        tmp.unlink(missing_ok=True)


def _picks(snap: QueueSnapshot, written: _Written | None) -> list[str] | None:
    """The shuffle order decided since queue.json was written, or None when the order
    there is no longer a start of this one (reshuffled, shuffle turned on or off)."""
    if written is None or (snap.shuffle_order is None) != (written.shuffle_order is None):
        return None
    if snap.shuffle_order is None or written.shuffle_order is None:
        return []
    start, stop = written.shuffle_decided, snap.shuffle_decided
    if stop < start or stop - start > MAX_PICKS:
        return None
    if snap.shuffle_order[:start] != written.shuffle_order[:start]:
        return None
    return snap.shuffle_order[start:stop]
