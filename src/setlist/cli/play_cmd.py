"""`setlist play ITEM...`: play with no screen, one line per track change.

The player is the app's (`playback.Player`), but the saved queue, volume, shuffle
and repeat are its own (`paths.play_state_dir`): a one-off play leaves what the app
and the daemon keep as it was, and `--resume` continues the last `setlist play`.
Keys are read from stdin only when it is the terminal in the foreground; otherwise
stdin is left alone (a pipe, /dev/null, a service manager).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import signal
import sys
import termios
import textwrap
import tty
from collections.abc import Awaitable, Callable
from typing import Any

from setlist.cli.output import duration, say, tell, to_json, wants_json
from setlist.cli.runner import add_demo_flag, run_with_services
from setlist.core.errors import SetlistError
from setlist.core.items import FORMS, Item, parse_item, resolve_item
from setlist.core.models import Track, track_source
from setlist.core.text import plain
from setlist.playback.events import (
    NowPlaying,
    PlaybackProblem,
    PlayerEvent,
    Progress,
    StateChanged,
)
from setlist.playback.mpv_options import parse_mpv_options
from setlist.playback.player import Player
from setlist.playback.streams import Quality
from setlist.process.stderr import python_stderr_kept
from setlist.services import Services
from setlist.services.player import Catalogs, make_player
from setlist.store import paths
from setlist.store.state import StateStore

PLAY_LOG = "play.log"
SEEK_STEP = 10.0  # seconds, left/right
VOLUME_STEP = 5.0  # percent, = and -
EXIT_SIGNALS = {signal.SIGINT: 130, signal.SIGTERM: 143}  # 128 + the signal, as shells report
KEYS_HELP = (
    "Keys: space/p pause · > next · < previous · ←/→ or h/l seek · =/- volume · m mute · q quit"
)
EPILOG = "\n\n".join(
    textwrap.fill(paragraph, 78)
    for paragraph in (
        f"ITEM is {FORMS}.",
        "On a terminal the app's keys: space or p pauses, > and < skip, "
        f"left/right or h/l seek {SEEK_STEP:.0f} s, = and - change the volume, m mutes, q quits. "
        "Ctrl-C or SIGTERM stops cleanly and saves the queue.",
        "Exit status: 0 when the queue has played to its end or on q, 1 on an error (or "
        "when no track could be played), 2 on a mistake in the command line, 130 on "
        "Ctrl-C, 143 on SIGTERM.",
    )
)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "play",
        help="play with no screen (tracks, albums, playlists, a search, files, URLs)",
        description="Play ITEMs in order with no screen: one line per track on stdout,\n"
        "errors on stderr. Its queue is saved apart from the app's (see --resume).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("items", nargs="*", metavar="ITEM", help="what to play (see below)")
    parser.add_argument(
        "--provider",
        choices=("yourmusic", "jamendo"),
        help="the catalog for searches and ids (default: the first set up that has a match)",
    )
    add_demo_flag(parser)
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="one JSON object per line (event, entry id, track, position) instead of text",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue the last `setlist play` where it stopped (ITEMs, if any, are added "
        "after it)",
    )
    parser.add_argument(
        "--mpv-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an mpv option for this run, e.g. audio-device=... (repeatable)",
    )
    parser.add_argument(
        "--quality",
        type=quality_arg,
        help="HLS quality: highest, or a bandwidth cap in bit/s (default: the config's)",
    )
    parser.set_defaults(handler=lambda args: handle(args, parser))


def quality_arg(text: str) -> Quality:
    if text in ("highest", "lowest"):
        return text  # type: ignore[return-value]  # one of the two words, tested above
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected highest or bit/s, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"a bandwidth cap must be 1 or more, not {value}")
    return value


def handle(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.items and not args.resume:
        parser.error("give something to play (ITEM...), or --resume")
    mpv_options = parse_mpv_options(args.mpv_option)
    # Parsed before anything starts: a typo costs no demo server and no mpv.
    items = [parse_item(text, provider=args.provider) for text in args.items]

    async def body(services: Services) -> int:
        return await Session(args, services, items, mpv_options).run()

    with _library_noise_to_log():
        return run_with_services(args, body)


def _library_noise_to_log() -> contextlib.AbstractContextManager[None]:
    """What libmpv's audio outputs print on a terminal goes to the log (setlist.process.stderr)."""
    try:
        folder = paths.ensure_dir(paths.log_dir())
    except OSError:
        return contextlib.nullcontext()
    return python_stderr_kept(folder / PLAY_LOG)


class Session:
    """One `setlist play` run: the player, its output, keys and signals."""

    def __init__(
        self,
        args: argparse.Namespace,
        services: Services,
        items: list[Item],
        mpv_options: dict[str, str],
    ) -> None:
        self.args = args
        self.services = services
        self.items = items
        self.player = make_player(
            services.config,
            Catalogs.of(services),
            mpv_options=mpv_options,
            quality=args.quality,
            store=StateStore(paths.play_state_dir()),
            quit=lambda: self._stop(0),
        )
        self.engine = self.player.engine
        self.output = Output(json=wants_json(args))
        self.providers = services.providers
        self.stopped = asyncio.Event()
        self.exit_code = 0
        self.started = False  # the player has started: closing it saves the state
        self.keys: Keys | None = None
        self._startup: asyncio.Future[None] | None = None
        self._signalled = False

    async def run(self) -> int:
        self._watch_signals()
        self._startup = asyncio.ensure_future(self._start())
        try:
            try:
                await self._startup
            except asyncio.CancelledError:
                if not self.stopped.is_set():
                    raise
            await self.stopped.wait()
        finally:
            self._unwatch_signals()
            if self.keys is not None:
                self.keys.close()
            if self.started:
                await self.player.close()
            else:
                await self.engine.shutdown()
        if self.exit_code == 0 and self.output.nothing_played:
            return 1
        return self.exit_code

    async def _start(self) -> None:
        """Everything before the first track plays; a signal meanwhile cancels it."""
        await self.engine.start()  # first: a missing libmpv is said before any network call
        tracks = [t for item in self.items for t in await resolve_item(item, self.providers)]
        player = self.player
        player.subscribe(self._on_event)
        await player.start(restore=self.args.resume)
        self.started = True
        if tracks and getattr(self.args, "radio", False):
            await player.radio(tracks[0])  # `setlist radio`: the seed, then tracks like it
        elif tracks:
            await player.add(tracks)
        elif not player.queue.entries:
            raise SetlistError("Nothing saved to resume: give something to play.")
        self.keys = Keys.attach(self._on_key)
        if self.keys is not None:
            tell(KEYS_HELP)
        await player.play()

    def _stop(self, code: int) -> None:
        if not self.stopped.is_set():
            self.exit_code = code
            self.stopped.set()
        if self._startup is not None and not self._startup.done():
            self._startup.cancel()

    # -- events

    def _on_event(self, event: PlayerEvent) -> None:
        try:
            finished = self.output.show(event, self.player.position)
        except BrokenPipeError:
            # Nobody reads stdout any more (`setlist play x | head -1`): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            self._stop(1)
            return
        if finished:
            self._stop(0)

    # -- signals

    def _watch_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum, code in EXIT_SIGNALS.items():
            loop.add_signal_handler(signum, self._on_signal, code)

    def _unwatch_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in EXIT_SIGNALS:
            loop.remove_signal_handler(signum)

    def _on_signal(self, code: int) -> None:
        if self._signalled:
            # Asked twice: the clean stop is stuck; leave now, the terminal as it was.
            if self.keys is not None:
                self.keys.close()
            os._exit(code)
        self._signalled = True
        self._stop(code)

    # -- keys

    async def _on_key(self, key: str) -> None:
        action = _KEY_ACTIONS.get(key)
        if action is None:
            return
        if action == "quit":
            self._stop(0)
            return
        player = self.player
        engine = player.engine
        before = (engine.volume, engine.muted)
        playing = player.playing
        try:
            moved = await _ACTIONS[action](player)
        except SetlistError as exc:
            tell(f"setlist: {plain(exc.message)}")
            return
        if action in ("louder", "quieter") and (engine.volume, engine.muted) == before:
            self.output.volume(*before)  # as far as it goes: said, rather than nothing
        elif action == "next" and moved is None and playing is not None:
            tell(f"End of the queue: nothing after “{plain(playing.track.title)}”.")


_ACTIONS: dict[str, Callable[[Player], Awaitable[Any]]] = {
    "pause": lambda p: p.toggle(),
    "next": lambda p: p.next(),
    "previous": lambda p: p.previous(),
    "forward": lambda p: p.seek(SEEK_STEP, relative=True),
    "back": lambda p: p.seek(-SEEK_STEP, relative=True),
    "louder": lambda p: p.set_volume(p.engine.volume + VOLUME_STEP),
    "quieter": lambda p: p.set_volume(p.engine.volume - VOLUME_STEP),
    "mute": lambda p: p.set_mute(not p.engine.muted),
}
# The app's keys (ui.keys), one meaning each: p pauses there, + adds to a playlist.
_KEY_ACTIONS = {
    " ": "pause",
    "p": "pause",
    ">": "next",
    "<": "previous",
    "q": "quit",
    "l": "forward",
    "h": "back",
    "\x1b[C": "forward",
    "\x1bOC": "forward",
    "\x1b[D": "back",
    "\x1bOD": "back",
    "=": "louder",
    "\x1b[A": "louder",
    "\x1bOA": "louder",
    "-": "quieter",
    "\x1b[B": "quieter",
    "\x1bOB": "quieter",
    "m": "mute",
}


# -- what is printed


class Output:
    """Player events as lines: a track line per change, state changes, the end.

    A track's line waits until it plays (its first position): one that fails to
    start is its error line only.
    """

    def __init__(self, *, json: bool) -> None:
        self.json = json
        self.started: set[str] = set()
        self.failed: set[str] = set()
        self._state: StateChanged | None = None
        self._pending: tuple[str, dict[str, Any], str] | None = None  # entry id, data, text
        self._shown: NowPlaying | None = None

    @property
    def nothing_played(self) -> bool:
        """Every track tried failed (an empty run counts as played)."""
        return bool(self.started) and self.started <= self.failed

    def show(self, event: PlayerEvent, position: float) -> bool:
        """Print what `event` changes; True when the queue has ended."""
        match event:
            case NowPlaying(entry=None):
                self._pending = None
                self._line({"event": "end"}, None)
                return True
            case NowPlaying(entry=entry, track=track) if entry is not None and track is not None:
                before, self._shown = self._shown, event
                shown = None if before is None else before.entry
                if shown is not None and shown.id == entry.id and shown != entry:
                    position = 0.0  # renamed (a radio's next song), not started again
                self.started.add(entry.id)
                data = {"event": "track", "entry": entry.id, "position": round(position, 3)}
                self._pending = (entry.id, {**data, "track": track}, track_line(track, position))
            case Progress() if self._pending is not None:
                _, data, text = self._pending
                self._pending = None
                self._line(data, text)
            case PlaybackProblem(message=message, entry=entry):
                if entry is not None:
                    self.failed.add(entry.id)
                    if self._pending is not None and self._pending[0] == entry.id:
                        self._pending = None
                tell(f"setlist: {plain(message)}")
            case StateChanged():
                self._state_changed(event)
        return False

    def _state_changed(self, state: StateChanged) -> None:
        before, self._state = self._state, state
        if before is None or not self.started:  # start-up settling (a restored volume)
            return
        if state.paused != before.paused and state.playing:
            event = "paused" if state.paused else "resumed"
            self._line({"event": event}, event.capitalize())
        if state.volume != before.volume or state.muted != before.muted:
            self.volume(state.volume, state.muted)

    def volume(self, volume: float, muted: bool) -> None:
        text = "Muted" if muted else f"Volume {volume:.0f}%"
        self._line({"event": "volume", "volume": volume, "muted": muted}, text)

    def _line(self, data: dict[str, Any], text: str | None) -> None:
        if self.json:
            sys.stdout.write(to_json(data) + "\n")
            sys.stdout.flush()
        elif text is not None:
            say(text)


def track_line(track: Track, position: float = 0.0) -> str:
    """“▶ Title — Artist (Album) [provider]”, from where it starts when not the beginning."""
    text = f"▶ {plain(track.title)}"
    if track.artist_name:
        text += f" — {plain(track.artist_name)}"
    if track.album_title:
        text += f" ({plain(track.album_title)})"
    text += f" [{plain(track_source(track))}]"
    if position >= 1.0:
        text += f" from {duration(position)}"
    return text


# -- keys on a terminal

_KEY = re.compile(r"\x1b\[[0-9;]*[A-Za-z~]|\x1bO[A-Za-z]|.", re.DOTALL)


class Keys:
    """Single key presses from the terminal on stdin, in cbreak mode until `close()`.

    cbreak, not raw: Ctrl-C still sends SIGINT and output keeps its line endings.
    """

    def __init__(self, fd: int, on_key: Callable[[str], Awaitable[None]]) -> None:
        self.fd = fd
        self.on_key = on_key
        self._saved = termios.tcgetattr(fd)
        self._inbox: asyncio.Queue[str] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        tty.setcbreak(fd, termios.TCSANOW)
        self._loop.add_reader(fd, self._read)
        self._worker = self._loop.create_task(self._work(), name="play-keys")
        self._closed = False

    @classmethod
    def attach(cls, on_key: Callable[[str], Awaitable[None]]) -> Keys | None:
        """Keys from stdin, or None when it is not a terminal this process may use."""
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, ValueError, OSError):
            return None
        if not os.isatty(fd):
            return None
        try:
            if os.tcgetpgrp(fd) != os.getpgrp():
                return None  # run in the background (`setlist play x &`): the shell's keys
        except OSError:
            pass  # a terminal that is not our controlling one: ours to read all the same
        try:
            return cls(fd, on_key)
        except termios.error:
            return None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(ValueError, OSError):
            self._loop.remove_reader(self.fd)
        self._worker.cancel()
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def _read(self) -> None:
        try:
            data = os.read(self.fd, 64)
        except OSError:
            data = b""
        if not data:  # the terminal went away
            self._loop.remove_reader(self.fd)
            return
        for key in _KEY.findall(data.decode("utf-8", errors="replace")):
            self._inbox.put_nowait(key)

    async def _work(self) -> None:
        # One key after the other: "n n" skips two tracks, in order.
        while True:
            key = await self._inbox.get()
            await self.on_key(key)
