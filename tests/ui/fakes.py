"""A player without mpv for the app's tests: the real Queue, recorded calls, real events.

It does what `playback.player.Player` does to the queue and sends the same events,
so the screens behave as with the real player; nothing plays and no clock runs.
Tests push `Progress` events themselves (`tick`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from setlist.core.models import Track
from setlist.core.queue import Queue, QueueEntry, RepeatMode
from setlist.playback.events import (
    NowPlaying,
    PlayerEvent,
    Progress,
    QueueChanged,
    StateChanged,
    Where,
)


@dataclass
class FakeEngine:
    paused: bool = False
    volume: float = 100.0
    muted: bool = False


class FakePlayer:
    def __init__(self, tracks: Iterable[Track] = ()) -> None:
        self.queue = Queue(rng=random.Random(7))
        self.queue.append(tracks)
        self.engine = FakeEngine()
        self.calls: list[tuple[str, Any]] = []
        self._listeners: list[Callable[[PlayerEvent], None]] = []
        self._playing: QueueEntry | None = None
        self._position = 0.0
        self.autoplay = False

    # -- what the UI reads

    @property
    def playing(self) -> QueueEntry | None:
        return self._playing

    @property
    def position(self) -> float:
        return self._position

    def subscribe(self, callback: Callable[[PlayerEvent], None]) -> Callable[[], None]:
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback)

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    # -- what tests do

    def emit(self, event: PlayerEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

    def tick(self, position: float) -> None:
        """What the engine sends while a track plays (four times a second)."""
        self._position = position
        duration = self._playing.track.duration if self._playing else None
        self.emit(Progress(position, duration))

    def start(self, entry: QueueEntry | None = None, *, at: float = 0.0) -> None:
        """Make `entry` (default: the first queued) the playing one, as loading it would."""
        entry = entry or self.queue.entries[0]
        self.queue.jump(entry.id)
        self._set_playing(entry, at)

    # -- the Player's methods

    async def add(self, tracks: Iterable[Track], *, where: Where = "end") -> list[QueueEntry]:
        tracks = list(tracks)
        self.calls.append(("add", (tracks, where)))
        if where == "now":
            first = self.queue.play_now(tracks)
            entries = [] if first is None else [first]
            if first is not None:
                self._set_playing(first)
        elif where == "next":
            entries = self.queue.play_next(tracks)
        else:
            entries = self.queue.append(tracks)
        self._changed()
        return entries

    async def play(self, entry_id: str | None = None) -> None:
        self.calls.append(("play", entry_id))
        entry = self.queue.jump(entry_id) if entry_id else self.queue.current
        if entry is not None:
            self._set_playing(entry)

    async def toggle(self) -> None:
        self.calls.append(("toggle", None))
        self.engine.paused = not self.engine.paused
        self._state()

    async def pause(self) -> None:
        self.engine.paused = True
        self._state()

    async def next(self) -> QueueEntry | None:
        self.calls.append(("next", None))
        entry = self.queue.next()
        if entry is not None:
            self._set_playing(entry)
        return entry

    async def previous(self) -> QueueEntry | None:
        self.calls.append(("previous", None))
        entry = self.queue.previous()
        if entry is not None:
            self._set_playing(entry)
        return entry

    async def seek(self, seconds: float, *, relative: bool = False) -> None:
        self.calls.append(("seek", (seconds, relative)))
        self._position = max(0.0, self._position + seconds if relative else seconds)
        if self._playing is not None:
            self.emit(Progress(self._position, self._playing.track.duration))

    async def set_volume(self, volume: float) -> None:
        self.calls.append(("set_volume", volume))
        self.engine.volume = volume
        self._state()

    async def set_mute(self, muted: bool) -> None:
        self.calls.append(("set_mute", muted))
        self.engine.muted = muted
        self._state()

    async def set_shuffle(self, on: bool) -> None:
        self.calls.append(("set_shuffle", on))
        self.queue.set_shuffle(on)
        self._changed()

    async def set_repeat(self, mode: RepeatMode) -> None:
        self.calls.append(("set_repeat", mode))
        self.queue.repeat = mode
        self._changed()

    async def set_autoplay(self, on: bool) -> None:
        self.calls.append(("set_autoplay", on))
        self.autoplay = on
        self._state()

    async def radio(self, seed: Track) -> list[QueueEntry]:
        self.calls.append(("radio", seed))
        self.queue.clear()
        entries = self.queue.append([seed])
        self._set_playing(self.queue.jump(entries[0].id))
        self._changed()
        return entries

    async def move(self, entry_id: str, index: int) -> None:
        self.calls.append(("move", (entry_id, index)))
        self.queue.move(entry_id, index)
        self._changed()

    async def remove(self, entry_ids: Iterable[str]) -> None:
        ids = list(entry_ids)
        self.calls.append(("remove", ids))
        self.queue.remove(ids)
        if self._playing is not None and self._playing.id in ids:
            self._set_playing(self.queue.current)
        self._changed()

    async def clear(self) -> None:
        self.calls.append(("clear", None))
        self.queue.clear()
        self._set_playing(None)
        self._changed()

    async def close(self) -> None:
        self.calls.append(("close", None))

    # -- events, as the Player sends them

    def _set_playing(self, entry: QueueEntry | None, at: float = 0.0) -> None:
        was_playing = self._playing is not None
        self._playing = entry
        self._position = at
        self.emit(NowPlaying(entry, entry.track if entry else None))
        if was_playing != (entry is not None):
            self._state()

    def _changed(self) -> None:
        self.emit(QueueChanged(len(self.queue)))
        self._state()

    def _state(self) -> None:
        self.emit(
            StateChanged(
                playing=self._playing is not None,
                paused=self.engine.paused,
                volume=self.engine.volume,
                muted=self.engine.muted,
                shuffle=self.queue.shuffle,
                repeat=self.queue.repeat,
                autoplay=self.autoplay,
            )
        )
