"""What the app needs of a player, and the playback state it keeps from its events.

`PlayerPort` is the part of `playback.player.Player` the UI calls. The app is
handed one: the in-process Player, or the daemon's `RemotePlayer`, which speaks the
same methods and sends the same events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from textual.message_pump import MessagePump

from setlist.core.models import Track
from setlist.core.queue import Queue, QueueEntry, RepeatMode
from setlist.ui.messages import PlayerChanged

# The player (and libmpv) is imported once the app is on screen (ui.launch.Startup):
# there are no events to read before it exists.
if TYPE_CHECKING:
    from setlist.playback.events import EngineState, PlayerEvent, Where


class PlayerPort(Protocol):
    @property
    def engine(self) -> EngineState: ...
    @property
    def queue(self) -> Queue: ...
    @property
    def playing(self) -> QueueEntry | None: ...
    @property
    def position(self) -> float: ...
    @property
    def autoplay(self) -> bool: ...

    def subscribe(self, callback: Callable[[PlayerEvent], None]) -> Callable[[], None]: ...
    async def add(self, tracks: Iterable[Track], *, where: Where = "end") -> list[QueueEntry]: ...
    async def play(self, entry_id: str | None = None) -> None: ...
    async def toggle(self) -> None: ...
    async def next(self) -> QueueEntry | None: ...
    async def previous(self) -> QueueEntry | None: ...
    async def seek(self, seconds: float, *, relative: bool = False) -> None: ...
    async def set_volume(self, volume: float) -> None: ...
    async def set_mute(self, muted: bool) -> None: ...
    async def set_shuffle(self, on: bool) -> None: ...
    async def set_repeat(self, mode: RepeatMode) -> None: ...
    async def set_autoplay(self, on: bool) -> None: ...
    async def radio(self, seed: Track) -> list[QueueEntry]: ...
    async def move(self, entry_id: str, index: int) -> None: ...
    async def remove(self, entry_ids: Iterable[str]) -> None: ...
    async def clear(self) -> None: ...
    async def close(self) -> None: ...


REPEAT_CYCLE = {RepeatMode.OFF: RepeatMode.ALL, RepeatMode.ALL: RepeatMode.ONE}


@dataclass
class PlaybackState:
    """The latest of every player event, in one place the widgets read from."""

    entry: QueueEntry | None = None
    position: float = 0.0
    duration: float | None = None
    paused: bool = False
    volume: float = 100.0
    muted: bool = False
    shuffle: bool = False
    repeat: RepeatMode = RepeatMode.OFF
    autoplay: bool = False  # when the queue ends, similar tracks play on
    # The volume or mute was changed: shown even when nothing plays (kept for the next track).
    volume_set: bool = False
    # The player went away (the daemon stopped): until a StateChanged says one is back.
    gone: bool = False

    @property
    def track(self) -> Track | None:
        return None if self.entry is None else self.entry.track

    @classmethod
    def read(cls, player: PlayerPort) -> PlaybackState:
        entry = player.playing or player.queue.current
        return cls(
            entry=entry,
            position=player.position,
            duration=None if entry is None else entry.track.duration,
            paused=player.engine.paused or player.playing is None,
            volume=player.engine.volume,
            muted=player.engine.muted,
            shuffle=player.queue.shuffle,
            repeat=player.queue.repeat,
            autoplay=player.autoplay,
        )

    def apply(self, event: PlayerEvent) -> None:
        from setlist.playback.events import NowPlaying, PlayerGone, Progress, StateChanged

        match event:
            case Progress(position=position, duration=duration):
                self.position = position
                if duration is not None:
                    self.duration = duration
            case NowPlaying(entry=entry):
                old = self.entry
                # Same entry, new track: renamed (a radio's next song), not started again.
                renamed = entry is not None and old is not None and entry.id == old.id
                renamed = renamed and entry != old
                self.entry = entry
                if not renamed:  # a radio's entry renamed for its next song plays on
                    self.position = 0.0
                    self.duration = None if entry is None else entry.track.duration
            case StateChanged() as state:
                if (state.volume, state.muted) != (self.volume, self.muted):
                    self.volume_set = True
                self.gone = False
                self.paused = state.paused or not state.playing
                self.volume = state.volume
                self.muted = state.muted
                self.shuffle = state.shuffle
                self.repeat = state.repeat
                self.autoplay = state.autoplay
            case PlayerGone():
                self.gone = True


def watch_player(
    node: MessagePump, player: PlayerPort, kinds: tuple[type[PlayerEvent], ...]
) -> Callable[[], None]:
    """Post `node` a PlayerChanged for each player event of `kinds`; returns unsubscribe.

    The player calls back on the app's loop, so posting from the callback is safe.
    """

    def forward(event: PlayerEvent) -> None:
        if isinstance(event, kinds):
            node.post_message(PlayerChanged(event))

    return player.subscribe(forward)
