"""The player: the queue, the engine and a resolver, tied together.

- The queue's current entry is resolved to a stream when it is about to play.
- Gapless: when a track starts, the entry that follows it (`Queue.peek_next`) is
  resolved and handed to the engine, which opens it before the current one ends.
- A track cut short by its stream (an expired token makes every remaining HLS
  segment fail) is resolved again, which renews the token, and resumed where it
  stopped; if it fails again at the same point it is skipped with an error.
- The UI and the CLI listen to typed events (`subscribe`, `events`); nothing polls.
- Autoplay: with it on, when the last entry of the queue starts, tracks like the
  ones played last (`SimilarTracks`) are appended, marked as autoplay's, none
  already queued; if they are not there when the track ends, the end waits for them.
- A Jamendo radio's entry follows the song the radio plays (`SimilarTracks.on_air`,
  asked again when the radio says its song changes).
- State is saved through a `StateStore`: soon after a change, every few seconds
  for the position alone, and at once on stop and close.

Engine events carry the tag of their file, here the queue entry id; an event for
any entry other than the one playing is stale (a file replaced or skipped) and
dropped. Each change of what plays bumps a generation, so a slow resolution that
a newer request overtook never loads its stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Coroutine, Iterable, Mapping
from typing import Any, Protocol

from setlist.core.errors import RadioUnavailable, SetlistError
from setlist.core.items import is_file, tagged
from setlist.core.models import Track, track_source
from setlist.core.protocols import SimilarTracks
from setlist.core.queue import Origin, Queue, QueueEntry, RepeatMode
from setlist.playback.engine import (
    Engine,
    EngineEvent,
    EngineStopped,
    Paused,
    Resumed,
    SecondReached,
    StreamGap,
    TrackEnded,
    TrackStarted,
    VolumeChanged,
)
from setlist.playback.events import (
    NowPlaying,
    PlaybackProblem,
    PlayerEvents,
    Progress,
    QueueChanged,
    Where,
)
from setlist.playback.streams import Resolver
from setlist.store.state import SHARED, PlayerState, StateSaveError, StateStore

log = logging.getLogger(__name__)

EARLY_END = 1.0  # an end this many seconds short of the duration, after stream trouble, is a cut
RETRY_PROGRESS = 2.0  # a second failure closer than this to the first one gives up
RESTART_AFTER = 3.0  # previous() past this point restarts the track instead
MAX_FAILURES = 3  # tracks in a row that fail before the player stops trying
RADIO_SIZE = 25  # tracks a radio from one track queues after it
AUTOPLAY_BATCH = 10  # tracks autoplay adds at a time
AUTOPLAY_SEEDS = 3  # of the tracks played last, how many autoplay finds tracks like
ON_AIR_RETRY = 30.0  # seconds before asking again what a radio plays, after a failure


class Companion(Protocol):
    """Something that lives as long as a player runs (MPRIS on the session bus)."""

    def start(self, player: Player) -> None:
        """Begin, without waiting for anything slow."""

    async def close(self) -> None: ...


class Player(PlayerEvents):
    engine: Engine

    def __init__(
        self,
        engine: Engine,
        resolver: Resolver,
        *,
        queue: Queue | None = None,
        store: StateStore | None = None,
        save_interval: float = 1.0,
        position_save_interval: float = 10.0,
        companions: Iterable[Companion] = (),
        similar: SimilarTracks | None = None,
        autoplay: bool = False,
    ) -> None:
        self.engine = engine
        self.resolver = resolver
        self.similar = similar
        self.autoplay = autoplay
        self._filling: asyncio.Task[None] | None = None
        self._filled_for: str | None = None  # the entry autoplay last tried to follow
        self._on_air: asyncio.Task[None] | None = None
        self.queue = queue if queue is not None else Queue()
        self.store = store
        self.save_interval = save_interval
        self.position_save_interval = position_save_interval
        self._listeners = []
        # What went wrong while starting (a damaged or shared state), for whoever
        # subscribes only once the player is running (the app shows them).
        self.notices: list[str] = []
        self._saving = store is not None  # False when another process keeps the state
        self._playing: QueueEntry | None = None  # the entry loaded in the engine
        self._queued: str | None = None  # the entry id handed to the engine to follow it
        self._position = 0.0
        self._duration: float | None = None
        self._resume_at = 0.0  # where play() starts the current entry when none is loaded
        self._generation = 0
        self._prefetch_generation = 0
        self._retry: tuple[str, float] | None = None  # (entry id, position) of the last rescue
        self._failures = 0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._pump: asyncio.Task[None] | None = None
        self._saver: asyncio.Task[None] | None = None
        self._dirty = asyncio.Event()
        self._urgent = asyncio.Event()
        self._save_seq = 0
        self._saved_seq = 0
        self._write_lock = threading.Lock()
        self.companions = list(companions)

    # -- life

    async def start(self, *, restore: bool = True) -> None:
        """Start the engine and listen to it; with a store, bring back the saved state."""
        await self.engine.start()
        if self.store is not None and not await asyncio.to_thread(self.store.claim):
            self._saving = False
            self._notice(SHARED)
        if self.store is not None and restore:
            await self._restore(self.store)
        self._pump = asyncio.create_task(self._pump_events(), name="player-events")
        if self._saving:
            self._saver = asyncio.create_task(self._save_loop(), name="player-saver")
        for companion in self.companions:
            companion.start(self)

    async def close(self, *, shutdown_engine: bool = True) -> None:
        """Save the state one last time and stop; StateSaveError (once all is closed)
        when that save failed."""
        self._generation += 1
        for companion in self.companions:
            await companion.close()
        for task in [*self._tasks, self._filling, self._on_air]:
            if task is not None:
                task.cancel()
        if self._saver is not None:
            self._saver.cancel()
        failed: StateSaveError | None = None
        if self._playing is not None and self.engine.current == self._playing.id:
            await self.engine.read_position()
        try:
            await self.save(check=True)
        except StateSaveError as exc:
            failed = exc
        if self.store is not None:
            self.store.release()
        if shutdown_engine:
            await self.engine.shutdown()
        if self._pump is not None:
            self._pump.cancel()
        if failed is not None:
            raise failed

    async def _restore(self, store: StateStore) -> None:
        state = await asyncio.to_thread(store.load)
        if store.warning:
            self._notice(store.warning)
            self._mark_dirty(urgent=True)  # what could be read, written back clean
        if state is None:
            return
        await self._take(state)

    async def adopt(self, state: PlayerState) -> None:
        """Take over another player's queue, position and volume (the daemon's, when
        it stopped under the app), and save them as this player's."""
        await self._take(state)
        self._mark_dirty(urgent=True)

    async def _take(self, state: PlayerState) -> None:
        self.queue = Queue.from_snapshot(state.queue)
        self._resume_at = state.position
        await self.engine.set_volume(state.volume)
        await self.engine.set_mute(state.muted)
        self._emit(QueueChanged(len(self.queue)))
        self._emit_state()

    def _notice(self, message: str) -> None:
        self.notices.append(message)
        self._emit(PlaybackProblem(message))

    # -- what is playing

    @property
    def playing(self) -> QueueEntry | None:
        return self._playing

    @property
    def position(self) -> float:
        """Seconds into the playing entry, or where play() will start the current one."""
        playing = self._playing
        if playing is None:
            return self._resume_at
        live = self.engine.position if self.engine.current == playing.id else None
        return self._position if live is None else live  # live: also seeks while paused

    @property
    def duration(self) -> float | None:
        """The playing entry's length in seconds (mpv's, once known), if any."""
        return self._duration if self._playing is not None else None

    # -- controls

    async def play(self, entry_id: str | None = None) -> None:
        """Play an entry of the queue, or the current one (resuming it when paused)."""
        self._failures = 0
        if entry_id is not None:
            await self._start(self.queue.jump(entry_id), 0.0)
            return
        if self._playing is not None:
            await self.engine.resume()
            return
        entry = self.queue.current
        start = self._resume_at
        if entry is None:
            entry, start = self.queue.next(), 0.0
        if entry is not None:
            await self._start(entry, start)

    async def pause(self) -> None:
        if self._playing is not None:
            await self.engine.pause()

    async def resume(self) -> None:
        await self.play()

    async def toggle(self) -> None:
        if self._playing is None:
            await self.play()
        else:
            await self.engine.toggle_pause()

    async def stop(self) -> None:
        self._generation += 1
        self._queued = None
        self._resume_at = 0.0
        self._set_playing(None)
        await self.engine.stop()
        self._emit_state()
        await self.save()

    async def next(self) -> QueueEntry | None:
        self._failures = 0
        entry = self.queue.next()
        await self._moved_to(entry)
        return entry

    async def previous(self) -> QueueEntry | None:
        """The previous entry; past the first seconds of a track, the start of this one."""
        self._failures = 0
        if self._playing is not None and self.position > RESTART_AFTER:
            await self.seek(0.0)
            return self._playing
        entry = self.queue.previous()
        if entry is None:
            await self.seek(0.0)
            return self.queue.current
        await self._moved_to(entry)
        return entry

    async def seek(self, seconds: float, *, relative: bool = False) -> None:
        if self._playing is not None:
            if await self.engine.seek(seconds, relative=relative):
                # Said at once: paused, mpv reports no progress until play resumes.
                self._emit(Progress(self.position, self._duration))
        else:
            self._resume_at = max(0.0, self._resume_at + seconds if relative else seconds)
            self._mark_dirty(urgent=True)

    async def set_volume(self, volume: float) -> None:
        await self.engine.set_volume(volume)
        self._mark_dirty(urgent=True)

    async def set_mute(self, muted: bool) -> None:
        await self.engine.set_mute(muted)
        self._mark_dirty(urgent=True)

    async def set_shuffle(self, on: bool) -> None:
        self.queue.set_shuffle(on)
        self._order_changed()

    async def reshuffle(self) -> None:
        self.queue.reshuffle()
        self._order_changed()

    async def set_repeat(self, mode: RepeatMode) -> None:
        self.queue.repeat = mode
        self._order_changed()

    async def set_autoplay(self, on: bool) -> None:
        self.autoplay = on
        self._filled_for = None
        self._emit_state()
        self._spawn(self._prefetch())  # the last entry may be playing: fill now

    async def radio(self, seed: Track, tracks: Iterable[Track] | None = None) -> list[QueueEntry]:
        """Replace the queue with `seed` then `tracks` (default: RADIO_SIZE tracks like it),
        a radio from `seed`. A seed that plays now plays on; another starts.
        RadioUnavailable when nothing like it is found (the queue is left alone)."""
        if tracks is None:
            if self.similar is None:
                raise RadioUnavailable("This player cannot look for similar tracks.")
            tracks = await self.similar.similar([seed], limit=RADIO_SIZE)
        tracks = list(tracks)
        if not tracks:
            raise RadioUnavailable(f"No tracks like “{seed.title}” were found for a radio.")
        playing = self._playing
        if playing is not None and playing.track.key == seed.key:
            self.queue.clear(keep_current=True)
            entries = [playing, *self.queue.append(tracks, origin="radio")]
            self._order_changed()
            return entries
        self.queue.clear()  # not clear(): no "nothing plays" between the old queue and this
        entries = [*self.queue.append([seed]), *self.queue.append(tracks, origin="radio")]
        self._failures = 0
        await self._start(self.queue.jump(entries[0].id), 0.0)
        self._order_changed()
        return entries

    # -- editing the queue

    async def add(
        self, tracks: Iterable[Track], *, where: Where = "end", origin: Origin | None = None
    ) -> list[QueueEntry]:
        """Queue tracks at the end, right after the current one, or play them now."""
        if where == "now":
            first = self.queue.play_now(tracks)
            entries = [] if first is None else [first]
            if first is not None:
                self._failures = 0
                await self._start(first, 0.0)
        elif where == "next":
            entries = self.queue.play_next(tracks)
        else:
            entries = self.queue.append(tracks, origin=origin)
        self._order_changed()
        return entries

    async def move(self, entry_id: str, index: int) -> None:
        self.queue.move(entry_id, index)
        self._order_changed()

    async def remove(self, entry_ids: Iterable[str]) -> None:
        """Remove entries; removing the one playing plays the one after it."""
        removed = {e.id for e in self.queue.remove(entry_ids)}
        if self._playing is not None and self._playing.id in removed:
            current = self.queue.current
            if current is None:
                await self.stop()
            else:
                await self._start(current, 0.0)
        self._order_changed()

    async def clear(self) -> None:
        await self.stop()
        self.queue.clear()
        self._order_changed()

    # -- moving through the queue

    async def _moved_to(self, entry: QueueEntry | None) -> None:
        if entry is None:
            return
        if self._playing is not None:
            await self._start(entry, 0.0)
        else:
            self._resume_at = 0.0
            self._emit(QueueChanged(len(self.queue)))
            self._mark_dirty(urgent=True)

    async def _start(self, entry: QueueEntry, start: float, *, announce: bool = True) -> None:
        """Resolve `entry` and load it; a newer request arriving meanwhile wins."""
        self._generation += 1
        generation = self._generation
        self._queued = None
        self._resume_at = 0.0
        self._set_playing(entry, start, announce=announce)
        self._mark_dirty(urgent=True)
        try:
            source = await self.resolver(entry.track)
        except SetlistError as exc:
            if generation == self._generation:
                await self._failed(entry, exc.message)
            return
        if generation != self._generation:
            return
        await self.engine.load(source, start=start, tag=entry.id)
        if self.engine.paused:
            await self.engine.resume()

    def _set_playing(
        self, entry: QueueEntry | None, position: float = 0.0, *, announce: bool = True
    ) -> None:
        was_playing = self._playing is not None
        if entry is None or self._playing is None or entry.id != self._playing.id:
            self._follow_on_air(entry)
        self._playing = entry
        self._position = position
        self._duration = entry.track.duration if entry is not None else None
        if announce:
            self._emit(NowPlaying(entry))
        if was_playing != (entry is not None):
            self._emit_state()

    def _order_changed(self) -> None:
        self._emit(QueueChanged(len(self.queue)))
        self._emit_state()
        self._mark_dirty(urgent=True)
        self._spawn(self._prefetch())  # an edit returns at once, not after a resolution

    async def _prefetch(self) -> None:
        """Hand the engine the entry that follows the playing one, when it changed."""
        playing = self._playing
        if playing is None:
            return
        upcoming = self.queue.peek_next()
        if upcoming is None:
            if self._queued is not None:
                self._queued = None
                await self.engine.clear_next()
            if self._autoplay_wanted(playing):
                self._autoplay_fill(playing)  # its tracks come back here, through _order_changed
            return
        if upcoming.id == self._queued:
            return
        self._prefetch_generation += 1
        prefetch, generation = self._prefetch_generation, self._generation
        try:
            source = await self.resolver(upcoming.track)
        except SetlistError as exc:
            # It gets its own chance (and its error) when its turn comes.
            log.info("could not resolve the next track ahead of time: %s", exc)
            return
        if (prefetch, generation) != (self._prefetch_generation, self._generation):
            return
        if self.engine.current != playing.id:
            # The playing entry is still resolving: handed to an idle mpv, the next
            # one would start first. Its TrackStarted runs the look-ahead again.
            return
        # Marked before the engine call returns: if the current track ends meanwhile,
        # the engine starts this one itself and the end must not start it a second time.
        self._queued = upcoming.id
        await self.engine.queue_next(source, tag=upcoming.id)

    # -- the engine's events

    async def _pump_events(self) -> None:
        while True:
            event = await self.engine.events.get()
            try:
                self._on_engine_event(event)
            except Exception:
                log.exception("the player failed on %r", event)

    def _on_engine_event(self, event: EngineEvent) -> None:
        playing = self._playing
        mine = playing is not None and getattr(event, "tag", None) == playing.id
        match event:
            case TrackStarted(tags=tags) if mine:
                assert playing is not None
                self._spawn(self._prefetch())
                if tags and is_file(playing.track):
                    self._take_tags(playing, tags)
            case SecondReached(time_pos=position, duration=duration) if mine:
                assert playing is not None
                self._position = position
                self._duration = duration or playing.track.duration
                self._emit(Progress(position, self._duration))
                self._mark_dirty(urgent=False)
            case Paused() | Resumed() | VolumeChanged():
                self._emit_state()
                self._mark_dirty(urgent=isinstance(event, VolumeChanged))
            case TrackEnded(reason="eof" | "error") if mine:
                assert playing is not None
                self._ended(playing, event)
            case EngineStopped(message=message):
                self._emit(PlaybackProblem(message))
            case StreamGap(cause=cause) if mine:
                assert playing is not None
                log.warning(
                    "“%s”: a piece of the stream was skipped (%s)", playing.track.title, cause
                )
                # No entry: the track plays on; this is not its failure.
                self._emit(
                    PlaybackProblem(
                        f"A few seconds of “{playing.track.title}” could not be loaded "
                        f"and were skipped ({cause})."
                    )
                )

    def _take_tags(self, entry: QueueEntry, tags: Mapping[str, str]) -> None:
        """Name a file that started by its tags, everywhere its entry shows and is saved."""
        track = tagged(entry.track, tags)
        if track == entry.track or (updated := self.queue.retrack(entry.id, track)) is None:
            return
        self._playing = updated
        self._emit(NowPlaying(updated))
        self._emit(QueueChanged(len(self.queue)))
        self._mark_dirty(urgent=True)

    def _ended(self, entry: QueueEntry, event: TrackEnded) -> None:
        position = event.position if event.position is not None else self._position
        if event.no_output:  # not the track's fault: the next would fail the same way
            self._emit(
                PlaybackProblem(f"Could not play “{entry.track.title}”: {event.error}", entry)
            )
            self._spawn(self.stop())
            return
        if self._cut_short(entry, event, position):
            self._spawn(self._rescue(entry, position, event.error or "the stream failed"))
            return
        self._failures = 0
        upcoming = self.queue.advance()
        if upcoming is None and (self._filling is not None or self._autoplay_wanted(entry)):
            self._spawn(self._after_autoplay(entry))
            return
        if upcoming is None:
            self._queue_done()
            return
        if upcoming.id == self._queued:  # the engine has already moved on to it
            self._queued = None
            self._set_playing(upcoming)
        else:
            self._spawn(self._start(upcoming, 0.0))
        self._mark_dirty(urgent=True)

    def _queue_done(self) -> None:
        self._queued = None
        self.queue.finish()
        self._set_playing(None)
        self._mark_dirty(urgent=True)

    # -- autoplay

    def _autoplay_wanted(self, playing: QueueEntry) -> bool:
        return (
            self.autoplay
            and self.similar is not None
            and self.queue.repeat is RepeatMode.OFF
            and self._filled_for != playing.id
        )

    def _autoplay_fill(self, playing: QueueEntry) -> asyncio.Task[None]:
        """Append tracks like the last ones played, once per last entry (a catalog with
        nothing more to give is not asked again and again)."""
        if self._filling is not None:
            return self._filling
        self._filled_for = playing.id
        task = asyncio.create_task(self._fill(), name="player-autoplay")
        self._filling = task

        def done(_: asyncio.Task[None]) -> None:
            if self._filling is task:
                self._filling = None

        task.add_done_callback(done)
        return task

    async def _fill(self) -> None:
        similar = self.similar
        if similar is None:
            return
        seeds = [e.track for e in self.queue.recent(AUTOPLAY_SEEDS)]
        if not seeds or is_radio(seeds[0]):
            return  # a radio plays on by itself: nothing to follow it with, nothing to say
        queued = {e.track.key for e in self.queue.entries}
        try:
            tracks = await similar.similar(seeds, exclude=queued, limit=AUTOPLAY_BATCH)
        except SetlistError as exc:
            self._emit(PlaybackProblem(f"Autoplay found nothing to play next: {exc.message}"))
            return
        if not tracks:
            self._emit(
                PlaybackProblem("Autoplay found no more tracks like these that are not queued.")
            )
            return
        self.queue.append(tracks, origin="autoplay")
        self._order_changed()

    async def _after_autoplay(self, ended: QueueEntry) -> None:
        """The last entry ended before autoplay's tracks came: wait for them, then go on."""
        generation = self._generation
        filling = self._filling or self._autoplay_fill(ended)
        with contextlib.suppress(Exception):
            await asyncio.shield(filling)
        if generation != self._generation or self._playing is None or self._playing.id != ended.id:
            return  # the user moved on meanwhile
        upcoming = self.queue.advance()
        if upcoming is None:
            self._queue_done()
            return
        await self._start(upcoming, 0.0)

    # -- a radio's song

    def _follow_on_air(self, entry: QueueEntry | None) -> None:
        if self._on_air is not None:
            self._on_air.cancel()
            self._on_air = None
        if entry is not None and self.similar is not None and is_radio(entry.track):
            self._on_air = asyncio.create_task(self._keep_on_air(entry.id), name="player-on-air")

    async def _keep_on_air(self, entry_id: str) -> None:
        similar = self.similar
        assert similar is not None
        while True:
            entry = self.queue.get(entry_id)
            if entry is None:
                return
            try:
                track, wait = await similar.on_air(entry.track)
            except SetlistError as exc:
                log.info("could not read what radio “%s” plays: %s", entry.track.title, exc)
                track, wait = entry.track, ON_AIR_RETRY
            if track != entry.track and (updated := self.queue.retrack(entry_id, track)):
                if self._playing is not None and self._playing.id == entry_id:
                    self._playing = updated
                    self._emit(NowPlaying(updated))
                self._emit(QueueChanged(len(self.queue)))
                self._mark_dirty(urgent=True)
            if wait is None:
                return
            await asyncio.sleep(wait)

    def _cut_short(self, entry: QueueEntry, event: TrackEnded, position: float) -> bool:
        if event.reason == "error":
            return True
        # Without a sign of stream trouble an early end is trusted: durations of VBR
        # files are estimates.
        duration = event.duration or entry.track.duration
        return event.error is not None and duration is not None and position < duration - EARLY_END

    async def _rescue(self, entry: QueueEntry, position: float, error: str) -> None:
        """Resolve again (fresh credentials) and resume at `position`, once per stuck point."""
        last = self._retry
        if last is not None and last[0] == entry.id and position < last[1] + RETRY_PROGRESS:
            await self._failed(entry, error)
            return
        self._retry = (entry.id, position)
        log.info("“%s” cut at %.1f s (%s); resolving it again", entry.track.title, position, error)
        await self._start(entry, position, announce=False)

    async def _failed(self, entry: QueueEntry, message: str) -> None:
        self._failures += 1
        self._emit(PlaybackProblem(f"Could not play “{entry.track.title}”: {message}", entry))
        upcoming = self.queue.next()
        if self._failures >= MAX_FAILURES or upcoming is None or upcoming.id == entry.id:
            if self._failures >= MAX_FAILURES:
                self._emit(
                    PlaybackProblem(f"Stopped: {self._failures} tracks in a row failed to play.")
                )
            await self.stop()
            return
        await self._start(upcoming, 0.0)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if isinstance(exc, SetlistError):
            self._emit(PlaybackProblem(exc.message, self._playing))
        elif exc is not None:
            log.error("player task failed", exc_info=exc)

    # -- saving

    def snapshot(self) -> PlayerState:
        return PlayerState(
            queue=self.queue.snapshot(),
            position=self.position,
            volume=self.engine.volume,
            muted=self.engine.muted,
        )

    async def save(self, *, check: bool = False) -> None:
        """Save now (the throttled saver covers everything else). A failure is logged,
        and raised as StateSaveError when `check` (a final save, which must be told)."""
        if self.store is None or not self._saving:
            return
        self._save_seq += 1
        try:
            await asyncio.to_thread(self._write, self.store, self.snapshot(), self._save_seq)
        except OSError as exc:
            error = StateSaveError(self.store.path, exc)
            if not check:
                log.warning("%s", error)
                return
            log.error("%s", error)
            raise error from exc

    def _write(self, store: StateStore, state: PlayerState, seq: int) -> None:
        # A write whose waiter was cancelled still runs: it must not land after a newer one.
        with self._write_lock:
            if seq > self._saved_seq:
                store.save(state)
                self._saved_seq = seq

    def _mark_dirty(self, *, urgent: bool) -> None:
        self._dirty.set()
        if urgent:
            self._urgent.set()

    async def _save_loop(self) -> None:
        while True:
            await self._dirty.wait()
            if not self._urgent.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._urgent.wait(), self.position_save_interval)
            await asyncio.sleep(self.save_interval)  # one write for a burst of changes
            self._dirty.clear()
            self._urgent.clear()
            await self.save()


def is_radio(track: Track) -> bool:
    return track_source(track) == "jamendo radio"
