"""What a player tells its listeners (the UI, `setlist play`, the daemon's clients).

Kept apart from the player so that a client of the daemon, which only reads these,
does not load the engine and the stream resolution with them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from setlist.core.models import Track
from setlist.core.queue import Queue, QueueEntry, RepeatMode

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NowPlaying:
    entry: QueueEntry | None  # None: nothing plays
    track: Track | None = field(default=None)


@dataclass(frozen=True, slots=True)
class Progress:
    position: float
    duration: float | None


@dataclass(frozen=True, slots=True)
class StateChanged:
    playing: bool
    paused: bool
    volume: float
    muted: bool
    shuffle: bool
    repeat: RepeatMode


@dataclass(frozen=True, slots=True)
class QueueChanged:
    length: int


@dataclass(frozen=True, slots=True)
class PlayerError:
    message: str
    entry: QueueEntry | None = None


PlayerEvent = NowPlaying | Progress | StateChanged | QueueChanged | PlayerError
Where = Literal["end", "next", "now"]


class EngineState(Protocol):
    @property
    def paused(self) -> bool: ...
    @property
    def volume(self) -> float: ...
    @property
    def muted(self) -> bool: ...


class PlayerEvents:
    """How a player is listened to: callbacks run on the loop and never block it.

    Shared by the Player and the daemon's remote player, which keep the same state.
    """

    _listeners: list[Callable[[PlayerEvent], None]]
    queue: Queue
    engine: EngineState

    @property
    def playing(self) -> QueueEntry | None:
        raise NotImplementedError

    def subscribe(self, callback: Callable[[PlayerEvent], None]) -> Callable[[], None]:
        """Call `callback` with every event; returns the function that unsubscribes."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback)

    async def events(self) -> AsyncIterator[PlayerEvent]:
        inbox: asyncio.Queue[PlayerEvent] = asyncio.Queue()
        unsubscribe = self.subscribe(inbox.put_nowait)
        try:
            while True:
                yield await inbox.get()
        finally:
            unsubscribe()

    def _emit_state(self) -> None:
        self._emit(
            StateChanged(
                playing=self.playing is not None,
                paused=self.engine.paused,
                volume=self.engine.volume,
                muted=self.engine.muted,
                shuffle=self.queue.shuffle,
                repeat=self.queue.repeat,
            )
        )

    def _emit(self, event: PlayerEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a player listener failed on %r", event)
