"""MPRIS: the player on the D-Bus session bus, for media keys, desktop widgets and playerctl.

Whichever process plays (the daemon, the app with no daemon, `setlist play`) publishes
`org.mpris.MediaPlayer2.setlist` (MPRIS 2.2: the root and Player interfaces); an app
attached to a daemon plays nothing and publishes nothing. A second process playing
at the same time takes `org.mpris.MediaPlayer2.setlist.instance<pid>`, as the
specification asks.

Where there is no session bus (SSH, containers) nothing is loaded, printed or waited
for: with no DBUS_SESSION_BUS_ADDRESS jeepney is not even imported, and otherwise
the connection is made in the background, bounded by a deadline, while the player
starts. Whatever goes wrong with the bus goes to the log only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from setlist.core.errors import SetlistError
from setlist.core.queue import RepeatMode
from setlist.playback.events import NowPlaying, PlayerEvent, Progress
from setlist.services.mpris_introspect import introspection
from setlist.services.player import SESSION_BUS_ENV

if TYPE_CHECKING:
    from setlist.core.protocols import CatalogProvider
    from setlist.playback.player import Player
    from setlist.services.mpris_bus import Bus, Call

log = logging.getLogger(__name__)

NAME = "org.mpris.MediaPlayer2.setlist"
PATH = "/org/mpris/MediaPlayer2"
ROOT = "org.mpris.MediaPlayer2"
PLAYER = "org.mpris.MediaPlayer2.Player"
PROPERTIES = "org.freedesktop.DBus.Properties"
INTROSPECTABLE = "org.freedesktop.DBus.Introspectable"
PEER = "org.freedesktop.DBus.Peer"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"
TRACK_PATH = "/org/setlist/track/"
ERROR = "org.mpris.MediaPlayer2.setlist.Error"
CONNECT_DEADLINE = 2.0  # seconds: a bus that does not answer by then is given up on
SEEK_JUMP = 1.5  # seconds a position may stray from where time alone would take it
MICRO = 1_000_000

_LOOP = {RepeatMode.OFF: "None", RepeatMode.ONE: "Track", RepeatMode.ALL: "Playlist"}
_REPEAT = {name: mode for mode, name in _LOOP.items()}
_NOT_PATH = re.compile(r"[^A-Za-z0-9]")
URI_SCHEMES = ["file", "http", "https", "yourmusic", "jamendo"]
MIME_TYPES = [
    "audio/mpeg",
    "audio/ogg",
    "audio/flac",
    "audio/aac",
    "audio/mp4",
    "audio/x-wav",
    "audio/webm",
    "application/vnd.apple.mpegurl",
    "audio/x-mpegurl",
]

Variant = tuple[str, Any]


class BusError(Exception):
    """A D-Bus error to answer a call with: its name and a message for people."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def track_path(entry_id: str | None) -> str:
    """The entry's mpris:trackid: an object path, so only letters, digits and `_`."""
    if entry_id is None:
        return NO_TRACK
    return TRACK_PATH + _NOT_PATH.sub(lambda m: f"_{ord(m.group()):02x}", entry_id)


class Mpris:
    """Publishes a player on the session bus for as long as it runs (`start`, `close`)."""

    def __init__(
        self,
        providers: Mapping[str, CatalogProvider],
        *,
        quit: Callable[[], None] | None = None,
        address: str | None = None,
    ) -> None:
        self._providers = providers  # filled in later by the app (services.player.Catalogs)
        self._quit = quit
        self._address = address
        self._player: Player | None = None
        self._bus: Bus | None = None
        self._task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._controls: asyncio.Queue[Call] = asyncio.Queue()
        self._outbox: asyncio.Queue[tuple[str, str, tuple[Any, ...]]] = asyncio.Queue()
        self._unsubscribe: Callable[[], None] | None = None
        self._sent: dict[str, Variant] = {}
        self._last: tuple[float, float] | None = None  # (position, loop time) of the last tick
        self._seeked = 0  # Seeked signals sent
        self.name: str | None = None  # the bus name, once owned

    # -- life

    def start(self, player: Player) -> None:
        """Begin publishing in the background; returns at once."""
        address = self._address or os.environ.get(SESSION_BUS_ENV)
        if not address:
            log.info("no D-Bus session bus: MPRIS is off")
            return
        self._player = player
        self._task = asyncio.create_task(self._run(player, address), name="mpris")

    async def close(self) -> None:
        self._stop_listening()
        tasks = [t for t in (self._task, *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        if self._bus is not None:
            await self._bus.close()
            self._bus = None

    async def _run(self, player: Player, address: str) -> None:
        try:
            # jeepney is imported off the loop: the app keeps drawing meanwhile.
            bus_class = await asyncio.to_thread(_bus_class)
            bus = await bus_class.open(address, CONNECT_DEADLINE)
        except Exception as exc:
            log.info("no MPRIS: the D-Bus session bus at %s did not answer: %r", address, exc)
            return
        self._bus = bus
        try:
            for name in (NAME, f"{NAME}.instance{os.getpid()}"):
                if await bus.request_name(name):
                    self.name = name
                    break
            else:
                log.info("no MPRIS: the bus names %s are taken", NAME)
                return
            log.info("MPRIS: published as %s", self.name)
            self._sent = self._player_properties()
            self._unsubscribe = player.subscribe(self._on_event)
            for coro in (self._send_loop(bus), self._control_loop(bus)):
                task = asyncio.create_task(coro)
                self._tasks.add(task)
            while True:
                call = await bus.next_call()
                await self._answer(bus, call)
        except Exception as exc:  # EOFError, OSError, jeepney's RouterClosed: the bus is gone
            log.info("MPRIS: the session bus went away: %r", exc)
            self._stop_listening()

    def _stop_listening(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for task in self._tasks:
            task.cancel()

    # -- calls

    async def _answer(self, bus: Bus, call: Call) -> None:
        try:
            if call.interface == PLAYER or (call.interface == ROOT and call.member == "Quit"):
                self._controls.put_nowait(call)  # in order, off the reading loop
                return
            await self._answer_now(bus, call)
        except BusError as error:
            await _fail(bus, call, error)
        except (IndexError, TypeError, ValueError) as exc:
            await _fail(bus, call, _invalid_args(call, exc))

    async def _answer_now(self, bus: Bus, call: Call) -> None:
        member, args = call.member, call.args
        if call.interface == PROPERTIES and call.path == PATH:
            if member == "Get":
                await bus.reply(call, "v", (self._property(args[0], args[1]),))
            elif member == "GetAll":
                await bus.reply(call, "a{sv}", (self._properties(args[0]),))
            elif member == "Set":
                self._controls.put_nowait(call)
            else:
                raise _unknown_method(call)
        elif call.interface in (INTROSPECTABLE, "") and member == "Introspect":
            await bus.reply(call, "s", (introspection(call.path),))
        elif call.interface in (PEER, "") and member == "Ping":
            await bus.reply(call)
        elif call.interface in (PEER, "") and member == "GetMachineId":
            await bus.reply(call, "s", (_machine_id(),))
        elif call.interface == ROOT and member == "Raise":
            await bus.reply(call)  # no window to raise (CanRaise is false)
        else:
            raise BusError(
                "org.freedesktop.DBus.Error.UnknownMethod",
                f"no method {call.interface}.{member} at {call.path}",
            )

    async def _control_loop(self, bus: Bus) -> None:
        while True:
            call = await self._controls.get()
            try:
                await self._control(bus, call)
            except BusError as error:
                await _fail(bus, call, error)
            except (IndexError, TypeError, ValueError) as exc:
                await _fail(bus, call, _invalid_args(call, exc))
            except SetlistError as exc:
                await _fail(bus, call, BusError(ERROR, exc.message))
            except Exception as exc:
                log.exception("MPRIS: %s.%s failed", call.interface, call.member)
                await _fail(bus, call, BusError(ERROR, f"{call.member} failed: {exc}"))

    async def _control(self, bus: Bus, call: Call) -> None:
        player = self._player
        assert player is not None
        member, args = call.member, call.args
        if call.interface == ROOT:  # Quit: answered first, the process then ends
            await bus.reply(call)
            if self._quit is not None:
                self._quit()
            return
        if member == "Stop":  # answered first: `setlist play` ends when nothing plays
            await bus.reply(call)
            await player.stop()
            return
        if call.interface == PROPERTIES:
            await self._set(args[0], args[1], args[2])
        elif member == "Play":
            await player.play()
        elif member == "Pause":
            await player.pause()
        elif member == "PlayPause":
            await player.toggle()
        elif member == "Next":
            await player.next()
        elif member == "Previous":
            await player.previous()
        elif member == "Seek":
            await self._seek(player, player.position + args[0] / MICRO)
        elif member == "SetPosition":
            playing = player.playing
            position = args[1] / MICRO
            duration = self._duration()
            if (
                playing is not None
                and args[0] == track_path(playing.id)
                and position >= 0
                and (duration is None or position <= duration)
            ):
                await self._seek(player, position)
        elif member == "OpenUri":
            await self._open(player, args[0])
        else:
            raise _unknown_method(call)
        await bus.reply(call)

    async def _seek(self, player: Player, position: float) -> None:
        duration = self._duration()
        if duration is not None and position > duration:
            await player.next()  # as the specification asks of a seek past the end
            return
        sent = self._seeked
        await player.seek(max(0.0, position))
        if self._seeked == sent:  # too small a jump to be seen in the ticks
            self._send_seeked(player.position)

    async def _open(self, player: Player, uri: str) -> None:
        from setlist.core.items import parse_item, resolve_item

        tracks = await resolve_item(parse_item(uri), self._providers)
        await player.add(tracks, where="now")

    async def _set(self, interface: str, name: str, value: Variant) -> None:
        player = self._player
        assert player is not None
        if interface != PLAYER or name not in ("Volume", "Shuffle", "LoopStatus", "Rate"):
            raise BusError(
                "org.freedesktop.DBus.Error.PropertyReadOnly",
                f"{interface}.{name} cannot be set",
            )
        signature, data = value
        expected = {"Volume": "d", "Shuffle": "b", "LoopStatus": "s", "Rate": "d"}[name]
        if signature != expected:
            raise BusError(
                "org.freedesktop.DBus.Error.InvalidArgs",
                f"{name} takes the type '{expected}', not '{signature}'",
            )
        if name == "Volume":
            await player.set_volume(max(0.0, min(1.0, float(data))) * 100)
        elif name == "Shuffle":
            await player.set_shuffle(bool(data))
        elif name == "LoopStatus":
            mode = _REPEAT.get(data)
            if mode is None:
                raise BusError(
                    "org.freedesktop.DBus.Error.InvalidArgs",
                    f"LoopStatus is one of None, Track, Playlist; not {data!r}",
                )
            await player.set_repeat(mode)
        # Rate: only 1.0 is offered (MinimumRate = MaximumRate = 1), so nothing changes.

    # -- properties

    def _property(self, interface: str, name: str) -> Variant:
        found = self._properties(interface).get(name)
        if found is None:
            raise BusError(
                "org.freedesktop.DBus.Error.UnknownProperty", f"no property {interface}.{name}"
            )
        return found

    def _properties(self, interface: str) -> dict[str, Variant]:
        if interface == ROOT:
            return self._root_properties()
        if interface == PLAYER:
            player = self._player
            assert player is not None
            return {
                **self._player_properties(),
                "Position": ("x", round(player.position * MICRO)),
            }
        raise BusError("org.freedesktop.DBus.Error.UnknownInterface", f"no interface {interface}")

    def _root_properties(self) -> dict[str, Variant]:
        return {
            "CanQuit": ("b", self._quit is not None),
            "CanRaise": ("b", False),
            "Fullscreen": ("b", False),
            "CanSetFullscreen": ("b", False),
            "HasTrackList": ("b", False),
            "Identity": ("s", "setlist"),
            "SupportedUriSchemes": ("as", URI_SCHEMES),
            "SupportedMimeTypes": ("as", MIME_TYPES),
        }

    def _player_properties(self) -> dict[str, Variant]:
        """Every Player property but Position (which changes without being announced)."""
        player = self._player
        assert player is not None
        playing, queue, engine = player.playing, player.queue, player.engine
        status = "Stopped" if playing is None else "Paused" if engine.paused else "Playing"
        return {
            "PlaybackStatus": ("s", status),
            "LoopStatus": ("s", _LOOP[queue.repeat]),
            "Rate": ("d", 1.0),
            "Shuffle": ("b", queue.shuffle),
            "Metadata": ("a{sv}", self._metadata()),
            "Volume": ("d", engine.volume / 100),
            "MinimumRate": ("d", 1.0),
            "MaximumRate": ("d", 1.0),
            "CanGoNext": ("b", playing is not None and queue.peek_next() is not None),
            "CanGoPrevious": ("b", playing is not None or queue.current is not None),
            "CanPlay": ("b", len(queue) > 0),
            "CanPause": ("b", True),
            "CanSeek": ("b", playing is not None),
            "CanControl": ("b", True),
        }

    def _metadata(self) -> dict[str, Variant]:
        player = self._player
        assert player is not None
        entry = player.playing
        if entry is None:
            return {"mpris:trackid": ("o", NO_TRACK)}
        track = entry.track
        metadata: dict[str, Variant] = {
            "mpris:trackid": ("o", track_path(entry.id)),
            "xesam:title": ("s", track.title),
        }
        if track.artist_name:
            metadata["xesam:artist"] = ("as", [track.artist_name])
        if track.album_title:
            metadata["xesam:album"] = ("s", track.album_title)
        duration = self._duration()
        if duration is not None:
            metadata["mpris:length"] = ("x", round(duration * MICRO))
        if track.image_url:
            metadata["mpris:artUrl"] = ("s", track.image_url)
        if track.number is not None:
            metadata["xesam:trackNumber"] = ("i", track.number)
        return metadata

    def _duration(self) -> float | None:
        player = self._player
        if player is None or player.playing is None:
            return None
        return player.duration

    # -- signals

    def _on_event(self, event: PlayerEvent) -> None:
        if isinstance(event, Progress):
            self._on_progress(event.position)
            length = self._sent["Metadata"][1].get("mpris:length")
            if event.duration is None or length == ("x", round(event.duration * MICRO)):
                return  # else mpv has just told the length: said below
        if isinstance(event, NowPlaying):
            self._last = None  # a new track starts where it starts: no Seeked
        now = self._player_properties()
        changed = {k: v for k, v in now.items() if self._sent.get(k) != v}
        self._sent = now
        if changed:
            self._outbox.put_nowait(
                (PROPERTIES, "PropertiesChanged", ("sa{sv}as", (PLAYER, changed, [])))
            )

    def _on_progress(self, position: float) -> None:
        player = self._player
        assert player is not None
        now = asyncio.get_running_loop().time()
        last, self._last = self._last, (position, now)
        if last is None:
            return
        running = player.playing is not None and not player.engine.paused
        expected = last[0] + (now - last[1] if running else 0.0)
        if abs(position - expected) > SEEK_JUMP:
            self._send_seeked(position)

    def _send_seeked(self, position: float) -> None:
        self._seeked += 1
        self._outbox.put_nowait((PLAYER, "Seeked", ("x", (round(position * MICRO),))))

    async def _send_loop(self, bus: Bus) -> None:
        while True:
            interface, member, (signature, body) = await self._outbox.get()
            await bus.signal(PATH, interface, member, signature, body)


def _unknown_method(call: Call) -> BusError:
    return BusError(
        "org.freedesktop.DBus.Error.UnknownMethod", f"no method {call.interface}.{call.member}"
    )


def _bus_class() -> type[Bus]:
    from setlist.services.mpris_bus import Bus

    return Bus


async def _fail(bus: Bus, call: Call, error: BusError) -> None:
    await bus.fail(call, error.name, error.message)


def _invalid_args(call: Call, exc: Exception) -> BusError:
    return BusError(
        "org.freedesktop.DBus.Error.InvalidArgs",
        f"wrong arguments for {call.interface}.{call.member} ({call.signature}): {exc}",
    )


def _machine_id() -> str:
    for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        with contextlib.suppress(OSError, UnicodeDecodeError):
            return Path(path).read_text(encoding="ascii").strip()
    return ""
