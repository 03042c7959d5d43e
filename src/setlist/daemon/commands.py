"""What each protocol command does to the player (see `protocol` for the shapes).

Every handler validates its args into a Struct first, so a bad request is
refused before anything changes. Errors become `RequestError`s with a code.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from setlist.core.errors import NotFound, PlaybackError, ProviderError, SetlistError
from setlist.core.items import ItemError, NoMatch, resolve_items
from setlist.core.queue import QueueEntry, QueueListing
from setlist.daemon.protocol import (
    AddArgs,
    Added,
    AutoplayArgs,
    DaemonInfo,
    EntryArgs,
    ErrorCode,
    Liked,
    MoveArgs,
    MuteArgs,
    NoArgs,
    PlayArgs,
    PlayItemsArgs,
    QueueListArgs,
    RadioArgs,
    RemoveArgs,
    RepeatArgs,
    RequestError,
    SeekArgs,
    ShuffleArgs,
    Status,
    Step,
    VolumeArgs,
    convert_args,
)
from setlist.playback.events import NowPlaying, PlaybackProblem, PlayerEvent, Progress, StateChanged
from setlist.playback.player import Player
from setlist.services import Services
from setlist.services.library import library_of
from setlist.services.radio import radio_seed, remember_autoplay
from setlist.store.state import StateSaveError

log = logging.getLogger(__name__)

SETTLE = 0.5  # seconds to wait for mpv to report a pause or a seek it was told to make
SEEK_NEAR = 1.5  # seconds: a position this close to a seek's target shows it was done
START_WAIT = 15.0  # seconds a command asked to wait gives the track it starts to play or fail

Handler = Callable[[dict[str, Any]], Awaitable[Any]]
T = TypeVar("T")


def listing(player: Player, offset: int = 0, limit: int | None = None) -> QueueListing:
    """The player's queue as the protocol's Queue shape: whole, or `limit` entries from
    `offset` (a page leaves out the queue-long shuffle order and history)."""
    queue = player.queue
    playing = None if player.playing is None else player.playing.id
    if limit is None:
        snap = queue.snapshot()
        return QueueListing.of(
            snap, total=len(snap.entries), playing=playing, shuffle=queue.shuffle
        )
    return QueueListing(
        entries=queue.entries_between(offset, offset + limit),
        current=None if queue.current is None else queue.current.id,
        repeat=queue.repeat,
        playing=playing,
        shuffle=queue.shuffle,
        offset=offset,
        total=len(queue),
    )


class Commands:
    def __init__(
        self,
        player: Player,
        services: Services,
        info: DaemonInfo,
        request_shutdown: Callable[[], None],
    ) -> None:
        self.player = player
        self.services = services
        self.info = info
        self._request_shutdown = request_shutdown
        self.last_error: str | None = None
        player.subscribe(self._note_error)
        self._handlers: dict[str, Handler] = {
            "status": self.status,
            "play": self.play,
            "pause": self.pause,
            "resume": self.resume,
            "toggle": self.toggle,
            "stop": self.stop,
            "next": self.next,
            "previous": self.previous,
            "seek": self.seek,
            "volume": self.volume,
            "mute": self.mute,
            "shuffle": self.shuffle,
            "reshuffle": self.reshuffle,
            "repeat": self.repeat,
            "autoplay": self.autoplay,
            "radio": self.radio,
            "queue.list": self.queue_list,
            "queue.add": self.queue_add,
            "queue.move": self.queue_move,
            "queue.remove": self.queue_remove,
            "queue.clear": self.queue_clear,
            "queue.jump": self.queue_jump,
            "play_items": self.play_items,
            "shutdown": self.shutdown,
            "credentials.changed": self.credentials_changed,
            "like": self.like,
        }

    @property
    def names(self) -> Iterable[str]:
        return self._handlers

    async def run(self, cmd: str, args: dict[str, Any]) -> Any:
        handler = self._handlers.get(cmd)
        if handler is None:
            raise RequestError(ErrorCode.UNKNOWN_COMMAND, f"unknown command: {cmd!r}")
        try:
            return await handler(args)
        except RequestError:
            raise
        except (NoMatch, NotFound) as exc:
            raise RequestError(ErrorCode.NOT_FOUND, exc.message) from None
        except ItemError as exc:
            raise RequestError(ErrorCode.BAD_REQUEST, exc.message) from None
        except ProviderError as exc:
            raise RequestError(ErrorCode.PROVIDER_ERROR, exc.message) from None
        except PlaybackError as exc:
            raise RequestError(ErrorCode.PLAYBACK_ERROR, exc.message) from None
        except SetlistError as exc:
            raise RequestError(ErrorCode.FAILED, exc.message) from None

    # -- reading

    def current_status(self) -> Status:
        player = self.player
        engine = player.engine
        playing = player.playing
        entry = playing or player.queue.current
        duration = entry.track.duration if entry is not None else None
        if playing is not None and engine.current == playing.id and engine.duration:
            duration = engine.duration
        return Status(
            playing=playing is not None,
            paused=engine.paused,
            entry=entry,
            position=player.position,
            duration=duration,
            volume=engine.volume,
            muted=engine.muted,
            shuffle=player.queue.shuffle,
            repeat=player.queue.repeat,
            autoplay=player.autoplay,
            queue_length=len(player.queue),
            index=None if entry is None else player.queue.index(entry.id),
            daemon=self.info,
            notices=list(player.notices),
            error=self.last_error,
        )

    async def status(self, args: dict[str, Any]) -> Status:
        convert_args(args, NoArgs)
        return self.current_status()

    async def queue_list(self, args: dict[str, Any]) -> QueueListing:
        wanted = convert_args(args, QueueListArgs)
        return listing(self.player, wanted.offset, wanted.limit)

    # -- playing

    async def play(self, args: dict[str, Any]) -> Status:
        parsed = convert_args(args, PlayArgs)
        if parsed.entry is not None:
            self._entry(parsed.entry)

        async def play() -> Status:
            await self.player.play(parsed.entry)
            await self._paused_becomes(False)
            return self.current_status()

        return await self._starting(play, wait=parsed.wait)

    async def pause(self, args: dict[str, Any]) -> Status:
        convert_args(args, NoArgs)
        await self.player.pause()
        if self.player.playing is not None:
            await self._paused_becomes(True)
        return self.current_status()

    async def resume(self, args: dict[str, Any]) -> Status:
        convert_args(args, NoArgs)
        await self.player.resume()
        await self._paused_becomes(False)
        return self.current_status()

    async def toggle(self, args: dict[str, Any]) -> Status:
        convert_args(args, NoArgs)
        was_paused = self.player.engine.paused or self.player.playing is None
        await self.player.toggle()
        await self._paused_becomes(not was_paused)
        return self.current_status()

    async def stop(self, args: dict[str, Any]) -> Status:
        convert_args(args, NoArgs)
        await self.player.stop()
        return self.current_status()

    async def next(self, args: dict[str, Any]) -> Step:
        convert_args(args, NoArgs)
        entry = await self.player.next()
        return Step(entry=entry, status=self.current_status())

    async def previous(self, args: dict[str, Any]) -> Step:
        convert_args(args, NoArgs)
        entry = await self.player.previous()
        return Step(entry=entry, status=self.current_status())

    async def seek(self, args: dict[str, Any]) -> Status:
        parsed = convert_args(args, SeekArgs)
        player = self.player
        target = parsed.seconds + (player.position if parsed.relative else 0.0)
        await player.seek(parsed.seconds, relative=parsed.relative)
        if player.playing is not None and not player.engine.paused:
            await self._event(
                lambda e: isinstance(e, Progress) and abs(e.position - max(target, 0.0)) < SEEK_NEAR
            )
        return self.current_status()

    async def volume(self, args: dict[str, Any]) -> Status:
        parsed = convert_args(args, VolumeArgs)
        volume = parsed.volume + (self.player.engine.volume if parsed.relative else 0.0)
        await self.player.set_volume(max(0.0, min(100.0, volume)))
        return self.current_status()

    async def mute(self, args: dict[str, Any]) -> Status:
        muted = convert_args(args, MuteArgs).muted
        await self.player.set_mute(not self.player.engine.muted if muted is None else muted)
        return self.current_status()

    async def shuffle(self, args: dict[str, Any]) -> Status:
        on = convert_args(args, ShuffleArgs).on
        await self.player.set_shuffle(not self.player.queue.shuffle if on is None else on)
        return self.current_status()

    async def reshuffle(self, args: dict[str, Any]) -> Status:
        convert_args(args, NoArgs)
        await self.player.reshuffle()
        return self.current_status()

    async def repeat(self, args: dict[str, Any]) -> Status:
        await self.player.set_repeat(convert_args(args, RepeatArgs).mode)
        return self.current_status()

    async def autoplay(self, args: dict[str, Any]) -> Status:
        on = convert_args(args, AutoplayArgs).on
        on = not self.player.autoplay if on is None else on
        await self.player.set_autoplay(on)
        problem = await asyncio.to_thread(remember_autoplay, on)
        status = self.current_status()
        if problem is not None:
            status.notices.append(problem)
        return status

    async def radio(self, args: dict[str, Any]) -> Added:
        parsed = convert_args(args, RadioArgs)
        if parsed.track is not None:
            seed = parsed.track
        elif parsed.item is None:
            playing = self.player.playing
            if playing is None:
                raise RequestError(
                    ErrorCode.NOT_FOUND,
                    "Nothing is playing: name a track to start a radio from (ITEM).",
                )
            seed = playing.track
        else:
            seed = await radio_seed(parsed.item, self.services.providers, provider=parsed.provider)
        return Added(entries=await self.player.radio(seed))

    # -- the queue

    async def queue_add(self, args: dict[str, Any]) -> Added:
        parsed = convert_args(args, AddArgs)
        return Added(entries=await self.player.add(parsed.tracks, where=parsed.where))

    async def queue_move(self, args: dict[str, Any]) -> dict[str, int]:
        parsed = convert_args(args, MoveArgs)
        self._entry(parsed.entry)
        await self.player.move(parsed.entry, parsed.index)
        return {"queue_length": len(self.player.queue)}

    async def queue_remove(self, args: dict[str, Any]) -> dict[str, int]:
        ids = convert_args(args, RemoveArgs).entries
        for entry_id in ids:
            self._entry(entry_id)
        before = len(self.player.queue)
        await self.player.remove(ids)
        after = len(self.player.queue)
        return {"removed": before - after, "queue_length": after}

    async def queue_clear(self, args: dict[str, Any]) -> dict[str, int]:
        convert_args(args, NoArgs)
        await self.player.clear()
        return {"queue_length": 0}

    async def queue_jump(self, args: dict[str, Any]) -> Status:
        parsed = convert_args(args, EntryArgs)
        self._entry(parsed.entry)

        async def jump() -> Status:
            await self.player.play(parsed.entry)
            await self._paused_becomes(False)
            return self.current_status()

        return await self._starting(jump, wait=parsed.wait)

    async def play_items(self, args: dict[str, Any]) -> Added:
        parsed = convert_args(args, PlayItemsArgs)
        if not parsed.items:
            raise RequestError(ErrorCode.BAD_REQUEST, "bad args: no items to play")
        tracks = await resolve_items(
            parsed.items, self.services.providers, provider=parsed.provider
        )
        where = parsed.where

        async def add() -> Added:
            nonlocal where
            if where == "replace":
                await self.player.clear()
                where = "now"
            entries = await self.player.add(tracks, where=where)
            if where == "now":
                # play_now answers with the first entry only; the rest follow it in the queue.
                entries = self._following(entries, len(tracks))
                await self._paused_becomes(False)
            return Added(entries=entries)

        added = await self._starting(add, wait=parsed.wait and where in ("now", "replace"))
        # As they now are: a file that started is named by its tags.
        queue = self.player.queue
        return Added(entries=[queue.get(e.id) or e for e in added.entries])

    async def like(self, args: dict[str, Any]) -> Liked:
        """Like the track that plays (paused counts; stopped does not)."""
        convert_args(args, NoArgs)
        playing = self.player.playing
        if playing is None:
            raise RequestError(ErrorCode.NOT_FOUND, "Nothing is playing: there is nothing to like.")
        await library_of(self.services).like(playing.track)
        return Liked(track=playing.track)

    async def credentials_changed(self, args: dict[str, Any]) -> dict[str, Any]:
        convert_args(args, NoArgs)
        log.info("the sign-ins changed; reading them again")
        await self.services.reload_credentials()
        return {}

    async def shutdown(self, args: dict[str, Any]) -> dict[str, Any]:
        """Save the state, then stop; a failed save is the reply (the daemon stops all the
        same: `setlist ctl quit` says what was lost, and where)."""
        convert_args(args, NoArgs)
        log.info("asked to shut down over the socket")
        if self.player.playing is not None and self.player.engine.current == self.player.playing.id:
            await self.player.engine.read_position()  # the save answered is the exact one
        try:
            await self.player.save(check=True)
        except StateSaveError as exc:
            raise RequestError(ErrorCode.FAILED, exc.message) from None
        finally:
            self._request_shutdown()
        return {}

    # -- helpers

    def _entry(self, entry_id: str) -> QueueEntry:
        entry = self.player.queue.get(entry_id)
        if entry is None:
            raise RequestError(ErrorCode.NOT_FOUND, f"no queue entry {entry_id!r}")
        return entry

    def _following(self, first: list[QueueEntry], count: int) -> list[QueueEntry]:
        if not first:
            return []
        entries = self.player.queue.entries
        at = self.player.queue.index(first[0].id)
        return entries[at : at + count]

    def _note_error(self, event: PlayerEvent) -> None:
        if isinstance(event, PlaybackProblem):
            log.warning("%s", event.message)
            self.last_error = event.message

    async def _starting(self, command: Callable[[], Awaitable[T]], *, wait: bool) -> T:
        """Run a command that may start a track; with `wait`, also wait (at most
        START_WAIT s) for that track to play or fail: its failure is the command's."""
        self.last_error = None
        if not wait:
            return await command()
        started: QueueEntry | None = None
        failure: str | None = None
        first_position: float | None = None
        settled = asyncio.Event()

        def watch(event: PlayerEvent) -> None:
            nonlocal started, failure, first_position
            playing = self.player.playing
            match event:
                case NowPlaying(entry=entry) if started is None:
                    started = entry
                case NowPlaying(entry=entry) if started is not None and (
                    entry is None or entry.id != started.id
                ):
                    settled.set()  # something else plays now (another client's command)
                case PlaybackProblem(entry=entry) if (
                    started is not None and entry is not None and entry.id == started.id
                ):
                    failure = event.message
                    settled.set()
                case Progress(position=position) if (
                    started is not None and playing is not None and playing.id == started.id
                ):
                    # The position moving, not mpv's first report, shows audio flows.
                    if first_position is None:
                        first_position = position
                    elif position != first_position:
                        settled.set()

        unsubscribe = self.player.subscribe(watch)
        try:
            result = await command()
            if started is not None and not settled.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(settled.wait(), START_WAIT)
        finally:
            unsubscribe()
        if failure is not None:
            raise RequestError(ErrorCode.PLAYBACK_ERROR, failure)
        return result

    async def _paused_becomes(self, paused: bool) -> None:
        """Wait (briefly) for mpv to report the pause state a command asked for, so the
        status in the reply shows it."""
        player = self.player
        if player.playing is None or player.engine.paused == paused:
            return
        await self._event(lambda e: isinstance(e, StateChanged) and e.paused == paused)

    async def _event(self, match: Callable[[PlayerEvent], bool]) -> None:
        """Wait up to SETTLE seconds for a player event that `match`es."""
        seen = asyncio.Event()

        def watch(event: PlayerEvent) -> None:
            if match(event):
                seen.set()

        unsubscribe = self.player.subscribe(watch)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(seen.wait(), SETTLE)
        finally:
            unsubscribe()
