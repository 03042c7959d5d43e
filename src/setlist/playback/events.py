"""What a player tells its listeners (the UI, `setlist play`, the daemon's clients).

Kept apart from the player so that a client of the daemon, which only reads these,
does not load the engine and the stream resolution with them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Literal, Protocol

import msgspec

from setlist.core.models import Track
from setlist.core.queue import Queue, QueueEntry, QueueListing, RepeatMode

log = logging.getLogger(__name__)


class _Event(msgspec.Struct, frozen=True, tag_field="event", omit_defaults=True):
    """A player event: the same value in-process and on the daemon's socket, where
    `event` names its kind (see daemon.protocol)."""


class NowPlaying(_Event, frozen=True, tag="now_playing"):
    entry: QueueEntry | None  # None: nothing plays
    # Sent by the daemon to a client that asked for the queue: the queue as it now is.
    queue: QueueListing | None = None

    @property
    def track(self) -> Track | None:
        return None if self.entry is None else self.entry.track


class Progress(_Event, frozen=True, tag="progress"):
    position: float
    duration: float | None


class StateChanged(_Event, frozen=True, tag="state"):
    playing: bool
    paused: bool
    volume: float
    muted: bool
    shuffle: bool
    repeat: RepeatMode
    autoplay: bool = False


class QueueChanged(_Event, frozen=True, tag="queue"):
    length: int
    queue: QueueListing | None = None  # as with NowPlaying


class PlaybackProblem(_Event, frozen=True, tag="error"):
    """Something did not play (a track, part of a stream, the player itself)."""

    message: str
    entry: QueueEntry | None = None


class PlayerGone(_Event, frozen=True, tag="gone"):
    """The player is not there any more: the daemon a client drove stopped. Said by
    the client (`daemon.remote.RemotePlayer`), never sent by a daemon; the next
    StateChanged means a player is back."""

    message: str


PlayerEvent = NowPlaying | Progress | StateChanged | QueueChanged | PlaybackProblem | PlayerGone
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
    autoplay: bool = False

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

    def tell(self, message: str) -> None:
        """Something beside the playing itself (scrobbling) that listeners show once."""
        self._emit(PlaybackProblem(message))

    def _emit_state(self) -> None:
        self._emit(
            StateChanged(
                playing=self.playing is not None,
                paused=self.engine.paused,
                volume=self.engine.volume,
                muted=self.engine.muted,
                shuffle=self.queue.shuffle,
                repeat=self.queue.repeat,
                autoplay=self.autoplay,
            )
        )

    def _emit(self, event: PlayerEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a player listener failed on %r", event)
