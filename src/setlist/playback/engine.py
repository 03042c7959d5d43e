"""The audio engine: one libmpv instance for the program's life, driven from asyncio.

libmpv calls back on its own thread (python-mpv's event thread). Nothing runs
long there: each callback copies what it needs and hands an event to the
asyncio loop with `call_soon_threadsafe`. Commands reach mpv through
`mpv_command_node_async`, which only queues them, so no call here waits on mpv's
core while it opens a slow stream. Creating mpv runs on a worker thread;
terminating it runs on a thread of its own, with a time limit.

Each file handed to mpv carries a tag (the player uses queue entry ids); every
event names the tag of the file it is about.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import locale
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import count
from types import ModuleType
from typing import Any, Literal

from setlist.core.errors import ConfigError, PlaybackError
from setlist.core.protocols import StreamSource
from setlist.playback.libmpv import LibMpv, int_value, libmpv
from setlist.playback.mpv_options import (
    SCRIPTS_OFF,
    encode_file_options,
    merge_options,
    no_output_message,
)

log = logging.getLogger(__name__)

LIBMPV_MISSING = "libmpv is not installed: sudo apt-get install libmpv2"

EndReason = Literal["eof", "stop", "quit", "error", "redirect"]
_END_REASONS: dict[int, EndReason] = {0: "eof", 2: "stop", 3: "quit", 4: "error", 5: "redirect"}
# mpv event ids (libmpv/client.h)
_SHUTDOWN, _START_FILE, _END_FILE, _FILE_LOADED, _PROPERTY_CHANGE, _HOOK = 1, 6, 7, 8, 22, 25
# Our reply ids for what the engine asks of libmpv directly.
_TIME_POS_ID, _UNLOAD_HOOK_ID = 1, 2
_ALMOST_ONE = 0.999
SILENCE_LIMIT = 1.2  # seconds of playing without a position from mpv before asking
ASK_EVERY = 0.25  # then, how often to ask
_AO_INIT_FAILED = -14  # MPV_ERROR_AO_INIT_FAILED


class LibmpvMissing(PlaybackError):
    """libmpv (mpv's library) cannot be loaded."""


# -- events


@dataclass(frozen=True, slots=True)
class TrackStarted:
    tag: str | None
    # The file's title, artist and album tags (keys in lower case), those it has.
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SecondReached:
    tag: str | None
    time_pos: float
    duration: float | None


@dataclass(frozen=True, slots=True)
class Paused:
    tag: str | None


@dataclass(frozen=True, slots=True)
class Resumed:
    tag: str | None


@dataclass(frozen=True, slots=True)
class VolumeChanged:
    volume: float
    muted: bool


@dataclass(frozen=True, slots=True)
class TrackEnded:
    tag: str | None
    reason: EndReason
    error: str | None = None
    position: float | None = None  # the last position played, seconds
    duration: float | None = None
    no_output: bool = False  # no audio output could be opened: no track can play


@dataclass(frozen=True, slots=True)
class EngineStopped:
    message: str


@dataclass(frozen=True, slots=True)
class StreamGap:
    """A piece of a stream (an HLS segment) could not be loaded: mpv skipped it and
    plays on. Told once per file, when the audio after the gap plays."""

    tag: str | None
    cause: str  # mpv's first word of trouble, e.g. "http: HTTP error 404 Not Found"


EngineEvent = (
    TrackStarted
    | SecondReached
    | Paused
    | Resumed
    | VolumeChanged
    | TrackEnded
    | EngineStopped
    | StreamGap
)


# Warnings that mean the stream itself failed: ffmpeg's HLS demuxer skips a segment it
# cannot fetch (an expired token) and the file ends early with an ordinary "eof".
# mpv's HLS demuxer giving up on a segment (after its retries) and moving on.
_SKIPPED_SEGMENT = re.compile(r"failed to open segment", re.IGNORECASE)
_TIME_JUMP = re.compile(r"invalid audio pts", re.IGNORECASE)  # the decoder meeting the gap
_FFMPEG_PART = re.compile(r"^\w+: ")  # "http: HTTP error 404": the part of ffmpeg saying it
_TROUBLE = re.compile(
    r"failed to open segment|server returned [45]\d\d|http error|prematurely|connection reset",
    re.IGNORECASE,
)
_URL_QUERY = re.compile(r"(\bhttps?://[^\s?#]+)[?#]\S*")


def _scrub(text: str) -> str:
    """Log text fit for a user: no query strings (signed URLs carry credentials)."""
    return _URL_QUERY.sub(r"\1?…", text.strip())


def _import_mpv() -> ModuleType:
    try:
        import mpv
    except OSError as exc:  # python-mpv raises OSError when it cannot find or load libmpv
        raise LibmpvMissing(LIBMPV_MISSING) from exc
    return mpv  # type: ignore[no-any-return]  # python-mpv ships no type information


# -- the engine


class Engine:
    """libmpv behind an asyncio API. Create, `await start()`, read `events`, `await shutdown()`.

    `option_layers` are mpv options, later layers winning: typically the config's
    `[playback.mpv]` table, then `parse_mpv_options` of the `--mpv-option` flags.
    """

    def __init__(
        self,
        *option_layers: Mapping[str, Any],
    ) -> None:
        self.options = merge_options(*option_layers)
        self.events: asyncio.Queue[EngineEvent] = asyncio.Queue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._mpv: Any = None
        self._closing = False
        self._tags = count(1)
        # Written on mpv's event thread (and the clock, target and starts by seek() and
        # load() as well); read anywhere: each is one attribute replaced whole.
        self._events_handle: Any = None  # python-mpv's client handle, whose events we read
        self._tag_by_entry: dict[int, str] = {}
        self._current: str | None = None
        # mpv tells the position once a second (a whole number): in between, it moves on
        # from where it was told, at the playback speed. (seconds, since when) or, when
        # it is not moving, (seconds, None); replaced whole, so a reader sees one pair.
        self._clock: tuple[float, float | None] | None = None
        self._speed = 1.0
        # Where mpv was asked to go (a seek, or a file's start) until it reports a
        # second past it: just after a seek (and while paused after one) mpv reports
        # a position a little short of it, which may fall in the second before.
        self._target: float | None = None
        self._starts: dict[str, float] = {}  # by tag: where a file was asked to start
        self._lib: LibMpv | None = None
        self._duration: float | None = None
        self._paused = False
        self._volume = 100.0
        self._muted = False
        self._trouble: str | None = None  # what went wrong in this file
        self._gap: str | None = None  # why a segment of this file could not be loaded
        self._gap_told = False  # a StreamGap was posted for this file
        # The file handed over to follow (tag, where): mpv opens it early, and what it
        # logs about it is not the playing file's trouble.
        self._following: tuple[str, str] | None = None
        self._told_at = 0.0  # when mpv last reported a whole second (monotonic)
        self._last_told: tuple[str | None, int] | None = None  # the SecondReached last posted
        self._watchdog: asyncio.Task[None] | None = None
        self._playing_again = asyncio.Event()  # a file opened, or play resumed

    # -- life

    async def start(self) -> None:
        if self._mpv is not None:
            return
        if self._closing:
            raise PlaybackError("The audio engine was shut down; setlist makes one per run.")
        self._loop = asyncio.get_running_loop()
        mpv = _import_mpv()
        self._mpv = await asyncio.to_thread(self._create, mpv)
        self._watchdog = asyncio.create_task(self._ask_when_silent(), name="mpv-position")

    def _create(self, mpv: ModuleType) -> Any:
        locale.setlocale(locale.LC_NUMERIC, "C")  # libmpv misreads numbers otherwise
        lib = libmpv(mpv)
        unset = [name for name in SCRIPTS_OFF if name not in self.options]
        known = lib.accepted_options(SCRIPTS_OFF, unset)
        options = {**{k: SCRIPTS_OFF[k] for k in known}, **self.options}
        try:
            player = mpv.MPV(log_handler=self._on_log, loglevel="warn", **options)
        except (ValueError, AttributeError, TypeError) as exc:
            problem = _option_error(exc)
        else:
            return self._observe(player, lib)
        # python-mpv initialised mpv all the same; the half-made instance is left in a
        # reference cycle, and python-mpv shuts it down once it is collected.
        gc.collect()
        raise ConfigError(f"mpv refused an option: {problem}")

    def _observe(self, player: Any, lib: LibMpv) -> Any:
        player.register_event_callback(self._on_event)
        for name in ("duration", "pause", "volume", "mute", "speed"):
            player.observe_property(name, self._on_property)
        # Observed as a double, time-pos changes at every audio chunk (about 14 times a
        # second), each a wake-up of mpv's event thread and a trip into mpv's core: most
        # of what playing cost setlist. As a whole number it changes once a second.
        # The exact position at the end of a file, where a resume starts, is read at
        # mpv's on_unload hook.
        events = player._event_handle  # python-mpv reads this client's events for us
        try:
            lib.observe_int(events, _TIME_POS_ID, "time-pos")
            self._lib, self._events_handle = lib, events
            lib.hook_add(events, _UNLOAD_HOOK_ID, "on_unload")
        except OSError as exc:
            player.terminate()
            raise PlaybackError(f"this libmpv cannot report the position: {exc}") from None
        return player

    async def shutdown(self, limit: float = 3.0) -> bool:
        """Stop mpv; True when it stopped within `limit` seconds (else it is left behind)."""
        player, self._mpv = self._mpv, None
        self._closing = True
        if self._watchdog is not None:
            self._watchdog.cancel()
        finished = True
        if player is not None and self._loop is not None:
            done: asyncio.Future[None] = self._loop.create_future()

            def terminate() -> None:
                try:
                    player.terminate()
                except Exception:
                    log.exception("mpv did not terminate cleanly")
                finally:
                    self._call_soon(_settle, done, None, None, "stop")

            # Not the default executor: a hung terminate would then hang interpreter exit.
            threading.Thread(target=terminate, name="mpv-terminate", daemon=True).start()
            try:
                await asyncio.wait_for(done, limit)
            except TimeoutError:
                finished = False
                log.warning("mpv did not stop within %.1f s; leaving it behind", limit)
        return finished

    @property
    def running(self) -> bool:
        return self._mpv is not None

    # -- what is playing

    @property
    def current(self) -> str | None:
        """The tag of the file mpv is playing (or opening), None when idle."""
        return self._current

    @property
    def position(self) -> float | None:
        """Seconds into the file playing: mpv's whole second, and the time since."""
        clock = self._clock
        if clock is None:
            return None
        seconds, since = clock
        if since is None:
            return seconds
        moved = (time.monotonic() - since) * self._speed
        # Never past the next whole second: mpv says when that is reached.
        return min(seconds + moved, int(seconds) + _ALMOST_ONE)

    @property
    def duration(self) -> float | None:
        return self._duration

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def muted(self) -> bool:
        return self._muted

    # -- commands

    async def load(
        self, source: StreamSource, *, start: float = 0.0, tag: str | None = None
    ) -> str:
        """Play `source` now, from `start` seconds; anything queued after it is dropped."""
        return await self._loadfile(source, "replace", start, tag)

    async def queue_next(self, source: StreamSource, *, tag: str | None = None) -> str:
        """Hand mpv the file to play when the current one ends (gapless), replacing any
        other queued file. Plays it at once if nothing is playing any more."""
        return await self._loadfile(source, "append-play", 0.0, tag, replace_queued=True)

    async def clear_next(self) -> None:
        await self._command("playlist-clear")

    async def pause(self) -> None:
        await self._command("set", "pause", "yes")
        # Paused, the clock shows one point for good: mpv's, not the clock's estimate
        # (the point a save keeps, and the one shown after a restart).
        await self.read_position()

    async def resume(self) -> None:
        await self._command("set", "pause", "no")

    async def toggle_pause(self) -> None:
        await self._command("cycle", "pause")
        await self.read_position()  # see pause()

    async def stop(self) -> None:
        await self._command("stop")

    async def read_position(self) -> None:
        """Take mpv's exact position now, for a save that must be exact (the last one):
        between the seconds mpv tells, the clock only estimates. Just after a seek (or
        a start part way in) mpv may report a point a little short of the target: the
        target stays the truth until mpv passes it."""
        if self._current is None or (exact := await self._ask_position()) is None:
            return
        target = self._target
        self._set_clock(exact if target is None else max(exact, target))

    async def seek(self, seconds: float, *, relative: bool = False) -> bool:
        """Seek; False when there is nothing to seek in."""
        before = self.position
        if relative and before is not None:
            # From the point the user sees: mpv's own may lag the clock under load.
            seconds, relative = max(0.0, before + seconds), False
        # Without "exact" mpv seeks to a packet boundary, up to a second or two short.
        mode = "relative+exact" if relative else "absolute+exact"
        try:
            await self._command("seek", f"{seconds:.3f}", mode)
        except PlaybackError:
            return False
        # mpv reports the new time-pos a moment later; until then, the target is the
        # truth (a state saved right after a seek must hold where the seek went).
        target = (before or 0.0) + seconds if relative else seconds
        if self._duration:
            target = min(target, self._duration)
        self._target = max(0.0, target)
        self._last_told = None  # the second sought to is told, even when it is this one
        self._set_clock(self._target)
        return True

    async def set_volume(self, volume: float) -> None:
        volume = max(0.0, min(100.0, float(volume)))
        self._volume = volume
        await self._command("set", "volume", f"{volume:.1f}")

    async def set_mute(self, muted: bool) -> None:
        self._muted = muted
        await self._command("set", "mute", "yes" if muted else "no")

    async def _loadfile(
        self,
        source: StreamSource,
        mode: str,
        start: float,
        tag: str | None,
        *,
        replace_queued: bool = False,
    ) -> str:
        tag = tag or f"t{next(self._tags)}"
        url = source.url
        options: dict[str, str | list[str]] = {}
        if start > 0:
            options["start"] = f"{start:.3f}"
            self._starts[tag] = start

        def record(error: BaseException | None, result: Any) -> None:  # on mpv's thread
            if error is None and isinstance(result, dict) and "playlist_entry_id" in result:
                self._tag_by_entry[result["playlist_entry_id"]] = tag

        # Submitted back to back, with no await between: a concurrent queue_next cannot
        # slip its own file in between the clear and this append.
        replies = []
        self._following = (tag, url.split("?", 1)[0]) if replace_queued else None
        if replace_queued:
            replies.append(self._submit("playlist-clear"))
        args = ("loadfile", url, mode, encode_file_options(options))
        replies.append(self._submit(*args, on_reply=record))
        await asyncio.gather(*replies)
        return tag

    async def _command(self, *args: str) -> Any:
        return await self._submit(*args)

    def _submit(
        self, *args: str, on_reply: Callable[[BaseException | None, Any], None] | None = None
    ) -> asyncio.Future[Any]:
        """Queue a command for mpv; the future settles when mpv has run it."""
        player = self._mpv
        loop = self._loop
        if player is None or loop is None:
            raise PlaybackError("The audio engine is not running.")
        future: asyncio.Future[Any] = loop.create_future()

        def reply(error: BaseException | None, result: Any) -> None:  # on mpv's thread
            if on_reply is not None:
                on_reply(error, result)
            self._call_soon(_settle, future, error, result, args[0])

        try:
            player.command_async(*args, callback=reply)
        except Exception as exc:
            raise PlaybackError(
                f"mpv refused {args[0]}: {exc.args[0] if exc.args else exc}"
            ) from exc
        return future

    # -- mpv's thread: copy, then hand over to the loop

    def _call_soon(self, fn: Callable[..., None], *args: Any) -> None:
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody listens any more
            loop.call_soon_threadsafe(fn, *args)

    def _post(self, event: EngineEvent) -> None:
        if not self._closing:
            self._call_soon(self.events.put_nowait, event)

    def _set_clock(self, seconds: float) -> None:
        self._clock = (seconds, None if self._paused else time.monotonic())

    def _on_event(self, event: Any) -> None:
        eid = event.event_id.value
        if eid == _PROPERTY_CHANGE:
            if event.reply_userdata == _TIME_POS_ID:
                self._on_second(int_value(event.data))
        elif eid == _HOOK:
            self._on_unload(event.data.id)
        elif eid == _START_FILE:
            self._current = self._tag_by_entry.get(event.data.playlist_entry_id)
            if self._following is not None and self._following[0] == self._current:
                self._following = None
            # Still until mpv reports the first second: opening may take a while.
            self._target = self._starts.get(self._current, 0.0) if self._current else None
            self._clock = None if self._target is None else (self._target, None)
            self._duration = None
            self._trouble = None
            self._told_at = time.monotonic()  # opening is not silence
            self._call_soon(self._playing_again.set)
            self._last_told = None
            self._gap, self._gap_told = None, False
        elif eid == _FILE_LOADED:
            self._post(TrackStarted(self._current, self._file_tags()))
        elif eid == _END_FILE:
            self._on_end(event.data)
        elif eid == _SHUTDOWN and not self._closing:
            self._post(EngineStopped("The audio engine stopped unexpectedly."))

    def _file_tags(self) -> dict[str, str]:
        """The title, artist and album tags of the file just loaded (on mpv's thread: read
        before the file plays on, so they come with its start)."""
        try:
            metadata = self._mpv.metadata if self._mpv is not None else None
        except Exception:  # python-mpv raises its own errors for a property not there
            return {}
        if not isinstance(metadata, dict):
            return {}
        found = {str(k).lower(): v for k, v in metadata.items() if isinstance(v, str)}
        return {k: found[k] for k in ("title", "artist", "album") if found.get(k, "").strip()}

    def _on_end(self, data: Any) -> None:
        tag = self._tag_by_entry.pop(data.playlist_entry_id, None)
        reason = _END_REASONS.get(data.reason, "error")
        error = self._trouble if reason in ("eof", "error") else None
        no_output = reason == "error" and data.error == _AO_INIT_FAILED
        if no_output:
            error = no_output_message(self._trouble, self.options.get("ao"))
        elif reason == "error":
            cause = _import_mpv().ErrorCode.human_readable(data.error)
            error = f"{cause}: {error}" if error else cause
        if reason == "redirect" and tag is not None:
            # A playlist expanded into entries: they play under the tag of the playlist.
            for n in range(data.playlist_insert_num_entries):
                self._tag_by_entry[data.playlist_insert_id + n] = tag
        playing = tag is not None and tag == self._current
        position = self.position if playing else None
        if reason != "redirect" and tag is not None:
            self._starts.pop(tag, None)
        if playing:
            self._current = None
        self._post(
            TrackEnded(
                tag,
                reason,
                error,
                position,
                self._duration if playing else None,
                no_output=no_output,
            )
        )

    async def _ask_when_silent(self) -> None:
        """Ask mpv for the position, from the first time it stops telling it as it plays.

        mpv tells an observed property when its core loop turns; fed by an output
        that takes audio as fast as a filter paces it (ao=pcm writing a file), the
        loop can keep decoding without turning, and tells little or nothing while it
        plays. With any sound device it tells each second, and this only looks at a
        clock twice a second.
        """
        asking = False
        while True:
            if self._current is None or self._paused:
                self._playing_again.clear()
                await self._playing_again.wait()  # idle or paused: nothing to look at
            await asyncio.sleep(ASK_EVERY if asking else SILENCE_LIMIT / 2)
            if self._current is None or self._paused or self._clock is None:
                continue
            if not asking:
                asking = time.monotonic() - self._told_at > SILENCE_LIMIT
                if asking:
                    log.info("mpv does not tell the position as it plays; asking for it")
                continue
            exact = await self._ask_position()
            if exact is not None:  # else nothing open now, or no position yet
                self._on_second(int(exact), asked=True)

    async def _ask_position(self) -> float | None:
        """mpv's time-pos, asked (a trip into its core); None when it has none."""
        try:
            async with asyncio.timeout(1.0):
                text = await self._command("expand-text", "${=time-pos}")
            return float(text)
        except (PlaybackError, TimeoutError, TypeError, ValueError):
            return None

    def _on_second(self, second: int | None, *, asked: bool = False) -> None:
        """A whole second of the file playing, told by mpv (or asked of it)."""
        if second is None:
            return
        if not asked:
            self._told_at = time.monotonic()
        target = self._target
        if target is not None and int(target) - 1 <= second <= int(target):
            # mpv got where it was asked: the target is the more exact position.
            clock = self._clock
            if clock is not None and clock[1] is None:
                self._set_clock(clock[0])  # moving from here, unless paused
        else:
            self._target = None
            now = self.position
            if now is None or int(now) != second:
                self._set_clock(float(second))
        told = (self._current, second)
        if not self._paused and told != self._last_told:
            self._last_told = told
            self._post(SecondReached(self._current, self.position or 0.0, self._duration))

    def _on_unload(self, hook_id: int) -> None:
        """mpv is about to close a file and waits for us: note exactly where it ended.
        Nothing may keep this from answering: mpv's core waits until it does."""
        lib, handle = self._lib, self._events_handle
        if lib is None:
            return
        try:
            exact = lib.get_double(handle, "time-pos")
            if exact is not None:
                self._target = None
                self._clock = (exact, None)
        finally:
            lib.hook_continue(handle, hook_id)

    def _on_property(self, name: str, value: Any) -> None:
        if name == "duration":
            self._duration = None if value is None else float(value)
        elif name == "pause":
            paused = bool(value)
            if paused != self._paused:
                now = self.position
                self._paused = paused
                if now is not None:
                    self._set_clock(now)  # stopped, or moving again, from here
                self._post(Paused(self._current) if paused else Resumed(self._current))
                if not paused:
                    self._call_soon(self._playing_again.set)
        elif name == "speed":
            if (now := self.position) is not None:
                self._set_clock(now)
            self._speed = 1.0 if value is None else float(value)
        elif name in ("volume", "mute"):
            if value is None:
                return
            if name == "volume":
                self._volume = float(value)
            else:
                self._muted = bool(value)
            self._post(VolumeChanged(self._volume, self._muted))

    def _on_log(self, level: str, prefix: str, text: str) -> None:
        text = _scrub(text)
        log.debug("mpv %s [%s] %s", level, prefix, text)
        following = self._following
        if following is not None and following[1] in text:
            return
        # The first sign of trouble is the cause; what follows is its fallout.
        if self._trouble is None and (level in ("fatal", "error") or _TROUBLE.search(text)):
            self._trouble = text[:200]
        if self._gap_told:
            return
        if self._gap is None and _SKIPPED_SEGMENT.search(text):
            self._gap = _FFMPEG_PART.sub("", self._trouble or text[:200])
        elif self._gap is not None and _TIME_JUMP.search(text):
            # Audio after the missing piece is playing: it was skipped, not the end
            # (when every later piece fails too, the track ends early and is resumed).
            self._gap_told = True
            self._post(StreamGap(self._current, self._gap))


def _settle(
    future: asyncio.Future[Any], error: BaseException | None, result: Any, name: str
) -> None:
    if future.done():
        return
    if error is not None:
        detail = error.args[0] if error.args else error
        future.set_exception(PlaybackError(f"mpv could not {name}: {detail}"))
    else:
        future.set_result(result)


def _option_error(exc: BaseException) -> str:
    """Which option mpv refused, from python-mpv's exception arguments when it names it."""
    message = str(exc.args[0]) if exc.args else str(exc)
    for arg in exc.args:
        if isinstance(arg, tuple) and len(arg) >= 3 and isinstance(arg[1], bytes):
            key = arg[1].decode(errors="replace")
            value = arg[2].decode(errors="replace") if isinstance(arg[2], bytes) else arg[2]
            return f"{key}={value} ({message})"
    return message
