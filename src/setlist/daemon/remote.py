"""The player, over the daemon's socket: what the app is handed when a daemon runs.

`RemotePlayer` has the public API of `playback.player.Player` (the methods, `queue`,
`playing`, `position`, `engine.paused/volume/muted`, `subscribe`, `events`) and
sends the same event dataclasses, so the app drives a daemon as it drives its own
player. It keeps a mirror of the daemon's queue: it subscribes with "queue": true,
so every `now_playing` and `queue` event carries the whole queue, and since the
daemon sends the events a command causes before the command's reply, the mirror
is up to date when a command returns (`await player.add(...)`, then
`player.queue.index(entry.id)` works, as the queue editor needs).

The mirror is read-only: change the queue through the methods, never through
`player.queue` itself. `close()` only hangs up; the daemon plays on.

When the daemon hangs up, the player attaches again at once if it still answers;
otherwise it says `PlayerGone` and looks for a daemon every `WATCH_INTERVAL`
seconds, attaching to the first that answers (its state then comes as the events
of a start: QueueChanged, NowPlaying, StateChanged).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from setlist.core.models import Track
from setlist.core.queue import Queue, QueueEntry, QueueListing, RepeatMode
from setlist.daemon.client import DaemonClient, DaemonConnectionLost, DaemonError
from setlist.daemon.protocol import Added, Status, Step
from setlist.playback.events import (
    NowPlaying,
    PlayerEvent,
    PlayerEvents,
    PlayerGone,
    Progress,
    QueueChanged,
    StateChanged,
    Where,
)
from setlist.store.state import PlayerState

log = logging.getLogger(__name__)

R = TypeVar("R")
WATCH_INTERVAL = 1.0  # seconds between looks for a daemon, while none answers
LOST = "The setlist daemon stopped: nothing plays."
GONE = (
    "The setlist daemon is not running any more: start it again with `setlist daemon`, "
    "or quit and run `setlist --no-daemon`."
)


class RemoteEngine:
    """The engine's state as the daemon last reported it (what the app reads of it)."""

    def __init__(self) -> None:
        self.paused = False
        self.volume = 100.0
        self.muted = False
        self.running = False


class RemotePlayer(PlayerEvents):
    engine: RemoteEngine

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.engine = RemoteEngine()
        self.queue = Queue()
        self.client: DaemonClient | None = None
        self._playing: QueueEntry | None = None
        self._position = 0.0
        self._position_at = time.monotonic()
        self._duration: float | None = None
        self._listeners = []
        self._lost = False  # the daemon hung up (not us): the next command reconnects
        self._attaching = asyncio.Lock()
        self._watch: asyncio.Task[None] | None = None

    # -- life

    async def start(self, *, restore: bool = True) -> None:
        """Connect, subscribe, and read the daemon's state (DaemonNotRunning if none).

        `restore` is accepted for Player's signature: the daemon restored its own state.
        """
        await self._attach()

    async def _attach(self) -> DaemonClient:
        client = await DaemonClient.connect(self.path)
        client.on_event(self._on_wire_event)
        client.on_close(lambda: self._on_lost(client))
        try:
            self._apply_status(await client.call("subscribe", Status, {"queue": True}))
            self._apply_listing(await client.call("queue.list", QueueListing))
        except BaseException:
            await client.close()
            raise
        self.client = client
        self.engine.running = True
        self._lost = False
        return client

    async def reattach(self, path: Path | None = None) -> None:
        """Attach to the daemon at `path` (a new one, started for a gone one)."""
        if path is not None:
            self.path = path
        await self._connected()

    async def close(self, *, shutdown_engine: bool = True) -> None:
        """Hang up. The daemon keeps playing (`shutdown_engine` is Player's; it does not
        apply: `shutdown_daemon()` stops the daemon)."""
        client, self.client = self.client, None
        self.engine.running = False
        self._lost = False
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None
        if client is not None:
            await client.close()

    async def shutdown_daemon(self) -> None:
        await self._request("shutdown")

    @property
    def connected(self) -> bool:
        return self.client is not None and not self.client.closed

    @property
    def gone(self) -> bool:
        """The daemon hung up and none answers yet."""
        return self._lost

    # -- what is playing

    @property
    def playing(self) -> QueueEntry | None:
        return self._playing

    @property
    def position(self) -> float:
        """Seconds into the playing entry: the daemon's last report, carried forward."""
        if self._playing is None or self.engine.paused:
            return self._position
        moved = self._position + time.monotonic() - self._position_at
        return moved if self._duration is None else min(moved, self._duration)

    async def status(self) -> Status:
        status = await self._call("status", Status)
        self._apply_status(status)
        return status

    # -- controls

    async def play(self, entry_id: str | None = None) -> None:
        await self._control("play", {"entry": entry_id} if entry_id is not None else None)

    async def pause(self) -> None:
        await self._control("pause")

    async def resume(self) -> None:
        await self._control("resume")

    async def toggle(self) -> None:
        await self._control("toggle")

    async def stop(self) -> None:
        await self._control("stop")

    async def next(self) -> QueueEntry | None:
        return await self._step("next")

    async def previous(self) -> QueueEntry | None:
        return await self._step("previous")

    async def seek(self, seconds: float, *, relative: bool = False) -> None:
        await self._control("seek", {"seconds": seconds, "relative": relative})
        # The daemon sends progress only to those who ask; paused, it sends none.
        self._emit(Progress(self.position, self._duration))

    async def set_volume(self, volume: float) -> None:
        await self._control("volume", {"volume": volume})

    async def set_mute(self, muted: bool) -> None:
        await self._control("mute", {"muted": muted})

    async def set_shuffle(self, on: bool) -> None:
        await self._control("shuffle", {"on": on})

    async def reshuffle(self) -> None:
        await self._control("reshuffle")

    async def set_repeat(self, mode: RepeatMode) -> None:
        await self._control("repeat", {"mode": RepeatMode(mode).value})

    async def set_autoplay(self, on: bool) -> None:
        await self._control("autoplay", {"on": on})

    async def radio(self, seed: Track) -> list[QueueEntry]:
        """Replace the queue with `seed` and tracks like it, found by the daemon."""
        return (await self._call("radio", Added, {"track": seed})).entries

    # -- editing the queue

    async def add(self, tracks: Iterable[Track], *, where: Where = "end") -> list[QueueEntry]:
        """Queue tracks at the end, right after the current one, or play them now."""
        args = {"tracks": list(tracks), "where": where}
        return (await self._call("queue.add", Added, args)).entries

    async def play_items(
        self, items: Iterable[str], *, where: str = "now", provider: str | None = None
    ) -> list[QueueEntry]:
        """Queue ITEMs as `setlist play` reads them (queries, track:ID, URLs...), resolved
        by the daemon. File paths must be absolute: the daemon's directory is /."""
        args: dict[str, Any] = {"items": list(items), "where": where}
        if provider is not None:
            args["provider"] = provider
        return (await self._call("play_items", Added, args)).entries

    async def move(self, entry_id: str, index: int) -> None:
        await self._request("queue.move", {"entry": entry_id, "index": index})

    async def remove(self, entry_ids: Iterable[str]) -> None:
        await self._request("queue.remove", {"entries": list(entry_ids)})

    async def clear(self) -> None:
        await self._request("queue.clear")

    # -- saving (the daemon saves its own state)

    def snapshot(self) -> PlayerState:
        return PlayerState(
            queue=self.queue.snapshot(),
            position=self.position,
            volume=self.engine.volume,
            muted=self.engine.muted,
        )

    async def save(self, *, check: bool = False) -> None:
        return None  # the daemon keeps the state

    # -- requests

    async def _connected(self) -> DaemonClient:
        """The connection; after the daemon hung up, a new one (to a restarted daemon)."""
        async with self._attaching:  # one attach at a time (a command, the watch)
            client = self.client
            if client is not None and not client.closed:
                return client
            if not self._lost:  # never started, or closed on purpose
                raise DaemonConnectionLost()
            try:
                client = await self._attach()
            except DaemonError as exc:
                raise DaemonConnectionLost(GONE) from exc
        # Maybe another daemon, with another queue: say what it plays now.
        playing = self._playing
        self._emit(QueueChanged(len(self.queue)))
        self._emit(NowPlaying(playing))
        self._emit_state()
        return client

    async def _request(self, cmd: str, args: dict[str, Any] | None = None) -> Any:
        return await (await self._connected()).request(cmd, args)

    async def _call(self, cmd: str, kind: type[R], args: dict[str, Any] | None = None) -> R:
        return await (await self._connected()).call(cmd, kind, args)

    async def _control(self, cmd: str, args: dict[str, Any] | None = None) -> None:
        self._apply_status(await self._call(cmd, Status, args))

    async def _step(self, cmd: str) -> QueueEntry | None:
        step = await self._call(cmd, Step)
        self._apply_status(step.status)
        return step.entry

    # -- the mirror

    def _apply_status(self, status: Status) -> None:
        self.engine.paused = status.paused
        self.engine.volume = status.volume
        self.engine.muted = status.muted
        self.autoplay = status.autoplay
        self._playing = status.entry if status.playing else None
        self._duration = status.duration
        self._set_position(status.position)

    def _apply_listing(self, listing: QueueListing) -> None:
        self.queue = Queue.from_snapshot(listing)
        self._playing = None if listing.playing is None else self.queue.get(listing.playing)

    def _set_position(self, position: float) -> None:
        self._position = position
        self._position_at = time.monotonic()

    def _on_wire_event(self, event: PlayerEvent) -> None:
        match event:
            case NowPlaying(entry=entry, queue=listing):
                if listing is not None:
                    self._apply_listing(listing)
                old = self._playing
                renamed = entry is not None and old is not None and entry.id == old.id
                renamed = renamed and entry != old  # a radio's entry, named for its next song
                self._playing = entry
                if not renamed:
                    self._duration = None if entry is None else entry.track.duration
                    self._set_position(0.0)
            case Progress(position=position, duration=duration):
                self._duration = duration
                self._set_position(position)
            case StateChanged() as state:
                if state.paused != self.engine.paused:
                    self._set_position(self.position)  # freeze (or restart) the clock here
                self.engine.paused = state.paused
                self.engine.volume = state.volume
                self.engine.muted = state.muted
                self.autoplay = state.autoplay
            case QueueChanged(queue=listing) if listing is not None:
                self._apply_listing(listing)
        if isinstance(event, NowPlaying | QueueChanged) and event.queue is not None:
            event = msgspec.structs.replace(event, queue=None)  # applied: listeners need not
        self._emit(event)

    def _on_lost(self, client: DaemonClient) -> None:
        if self.client is not client:  # closed on purpose, or a failed attach
            return
        self.engine.running = False
        self._lost = True
        self._watch = asyncio.ensure_future(self._watch_for_daemon())

    async def _watch_for_daemon(self) -> None:
        """Attach again once a daemon answers: at once if it only hung up on us; else
        say the player is gone and look again every WATCH_INTERVAL seconds."""
        said = False
        while self._lost:
            try:
                await self._connected()
            except DaemonError:
                pass
            else:
                return
            if not said:
                said = True
                self._emit(PlayerGone(LOST))
            await asyncio.sleep(WATCH_INTERVAL)
