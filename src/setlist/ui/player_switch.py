"""The app's player while it drives a daemon, which may stop under it.

`PlayerSwitch` is what the app is handed instead of the daemon's `RemotePlayer`: it
passes every call and event through, and when the daemon is gone (`PlayerGone`) it
can start one again (`start_daemon`, as `setlist --daemon` does at launch) or play
in the app itself (`play_here`), with the queue, position and volume the daemon
last had. The widgets that listen to it keep listening across the switch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from setlist.core.models import Track
from setlist.core.queue import Queue, QueueEntry, RepeatMode
from setlist.playback.events import PlayerEvents

if TYPE_CHECKING:
    from setlist.daemon.remote import RemotePlayer
    from setlist.playback.events import EngineState, Where
    from setlist.playback.player import Player


class PlayerSwitch(PlayerEvents):
    def __init__(
        self,
        remote: RemotePlayer,
        *,
        start_daemon: Callable[[], Awaitable[Path]],
        make_local: Callable[[], Awaitable[Player]],
    ) -> None:
        self._listeners = []
        self._start_daemon = start_daemon
        self._make_local = make_local
        self.remote: RemotePlayer | None = remote
        self.current: RemotePlayer | Player = remote
        self._unsubscribe = remote.subscribe(self._emit)
        self._switching = False  # a start or a hand-over on its way: another key waits

    @property
    def gone(self) -> bool:
        """The daemon stopped and none answers yet: `start_daemon` or `play_here`."""
        return self.remote is not None and self.remote.gone

    async def start_daemon(self) -> None:
        """Start a daemon (it restores the saved queue) and drive it; it plays on if
        the one that stopped was playing."""
        remote = self.remote
        if remote is None or not remote.gone or self._switching:
            return
        self._switching = True
        try:
            was_playing = remote.playing is not None and not remote.engine.paused
            await remote.reattach(await self._start_daemon())
            if was_playing and remote.playing is None:
                await remote.play()
        finally:
            self._switching = False

    async def play_here(self) -> None:
        """Play in the app from now on, from where the daemon was."""
        remote = self.remote
        if remote is None or not remote.gone or self._switching:
            return
        self._switching = True
        try:
            local = await self._make_local()
        finally:
            self._switching = False
        if not remote.gone:  # a daemon came back meanwhile, and was attached to
            await local.close()
            return
        was_playing = remote.playing is not None and not remote.engine.paused
        state = remote.snapshot()
        self._unsubscribe()
        await remote.close()
        self.remote = None
        self.current = local
        self._unsubscribe = local.subscribe(self._emit)
        await local.adopt(state)  # says the queue and the state: the listeners catch up
        if was_playing:
            await local.play()

    # -- the player's face: what the app reads and calls (ui.player_port.PlayerPort)

    # Read through to the current player (PlayerEvents declares them as attributes).
    @property
    def engine(self) -> EngineState:  # type: ignore[override]
        return self.current.engine

    @property
    def queue(self) -> Queue:  # type: ignore[override]
        return self.current.queue

    @property
    def playing(self) -> QueueEntry | None:
        return self.current.playing

    @property
    def position(self) -> float:
        return self.current.position

    async def add(self, tracks: Iterable[Track], *, where: Where = "end") -> list[QueueEntry]:
        return await self.current.add(tracks, where=where)

    async def play(self, entry_id: str | None = None) -> None:
        await self.current.play(entry_id)

    async def toggle(self) -> None:
        await self.current.toggle()

    async def next(self) -> QueueEntry | None:
        return await self.current.next()

    async def previous(self) -> QueueEntry | None:
        return await self.current.previous()

    async def seek(self, seconds: float, *, relative: bool = False) -> None:
        await self.current.seek(seconds, relative=relative)

    async def set_volume(self, volume: float) -> None:
        await self.current.set_volume(volume)

    async def set_mute(self, muted: bool) -> None:
        await self.current.set_mute(muted)

    async def set_shuffle(self, on: bool) -> None:
        await self.current.set_shuffle(on)

    async def set_repeat(self, mode: RepeatMode) -> None:
        await self.current.set_repeat(mode)

    async def move(self, entry_id: str, index: int) -> None:
        await self.current.move(entry_id, index)

    async def remove(self, entry_ids: Iterable[str]) -> None:
        await self.current.remove(entry_ids)

    async def clear(self) -> None:
        await self.current.clear()

    async def close(self, *, shutdown_engine: bool = True) -> None:
        self._unsubscribe()
        await self.current.close(shutdown_engine=shutdown_engine)

    def __getattr__(self, name: str) -> Any:
        # The rest of the current player (status, snapshot, save...), as it is.
        if name in ("current", "remote") or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.current, name)
