"""`setlist`: run the app, open the services and the player behind it, close everything.

The app draws its first frame before anything slow happens: `Startup` opens the
services (maybe starting the demo server and signing in) and the player (libmpv,
or the daemon's) once the app is on screen, and importing them is part of that.

With no account configured, the app opens on the built-in demo catalog (started
in-process on loopback) and says how to sign in to a real service.

When a daemon runs (`setlist daemon`), the app drives it instead of playing
itself: it is handed a `RemotePlayer`, which offers the player's methods and
events (`ui.player_port.PlayerPort`) over the daemon's socket, and quitting only
hangs up. `--daemon` starts the daemon first (handing it the app's --mpv-option
flags); `--no-daemon` plays in this process (`services.player.make_player`)
whatever runs. Should the daemon stop under the app, the app can start it again
or play itself, keeping the queue (`ui.player_switch.PlayerSwitch`).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO, cast

import msgspec

from setlist.core.errors import SetlistError
from setlist.core.text import plain
from setlist.process.log_file import file_handler, log_file
from setlist.process.stderr import stderr_to
from setlist.store.config import Config, load_config

if TYPE_CHECKING:
    from setlist.daemon.remote import RemotePlayer as RemotePlayerType
    from setlist.playback.player import Player
    from setlist.services import Services
    from setlist.services.player import Catalogs
    from setlist.ui.player_port import PlayerPort

log = logging.getLogger(__name__)

ATTACHED_NOTICE = (
    "Attached to the setlist daemon: quitting leaves the music playing "
    "(`setlist --no-daemon` plays in the app instead)."
)
DAEMON_UNREACHABLE = "The setlist daemon did not answer ({error}); playing in the app instead."
# auto: the daemon's player when one runs, else our own; daemon: start one if none runs.
PlayerMode = Literal["auto", "daemon", "local"]
# The one thing the demo says at start (the rest goes to the log); the app names the
# Accounts key for the command (ui.sign_in_words).
DEMO_NOTICE = "The built-in demo catalog: nothing leaves this machine."
DEMO_EXPLAINED = (
    "No account is set up, so this is the built-in demo catalog: nothing leaves this "
    "machine. To use a real service, sign in with `setlist login`."
)
MPV_OPTIONS_UNUSED = (
    "--mpv-option went unused: the background player was already running with its own "
    "(give them to `setlist daemon`, or start the app with --no-daemon)."
)


def has_account(config: Config) -> bool:
    """Whether a real catalog is configured (a YourMusic tenant or a Jamendo client id)."""
    return bool(config.yourmusic.tenant or config.jamendo.client_id)


def run(
    *,
    demo: bool = False,
    daemon: bool = False,
    no_daemon: bool = False,
    mpv_options: Mapping[str, str] | None = None,
) -> int:
    """`mpv_options` (from --mpv-option) go over the config's [playback.mpv]."""
    if daemon and no_daemon:
        raise SetlistError("--daemon and --no-daemon cannot be used together")
    config = load_config()
    if mpv_options:
        mpv = {**config.playback.mpv, **mpv_options}
        playback = msgspec.structs.replace(config.playback, mpv=mpv)
        config = msgspec.structs.replace(config, playback=playback)
    use_demo = demo or not has_account(config)
    log = log_to_file()
    mode: PlayerMode = "daemon" if daemon else "local" if no_daemon else "auto"
    with stderr_to(log) as terminal:
        return asyncio.run(
            _run(
                config,
                demo=use_demo,
                explain_demo=not demo and use_demo,
                player_mode=mode,
                terminal=terminal,
                mpv_options=mpv_options or {},
            )
        )


async def _run(
    config: Config,
    *,
    demo: bool,
    explain_demo: bool,
    player_mode: PlayerMode = "auto",
    terminal: TextIO | None = None,
    mpv_options: Mapping[str, str] | None = None,
) -> int:
    from setlist.ui.app import SetlistApp

    startup = Startup(config, demo=demo, explain_demo=explain_demo, player_mode=player_mode)
    startup.mpv_options = dict(mpv_options or {})
    app = SetlistApp.starting(startup.begin, config=config)
    startup.quit = app.exit  # a desktop's "quit" (MPRIS) for the player the app holds
    app.terminal = terminal
    lost: list[str] = []
    try:
        await app.run_async()
    finally:
        try:
            await startup.aclose()
        except SetlistError as exc:  # the final state save failed (StateSaveError): logged
            lost.append(exc.message)
    # Said once the app is gone, on the terminal it drew on: what quitting could not save.
    lost[:0] = app.quit_report
    for line in lost:
        line = plain(line)
        print(line if line.startswith(" ") else f"setlist: {line}", file=terminal or sys.stderr)
    if lost:
        (terminal or sys.stderr).flush()
    return 1 if startup.failed or lost or app.return_code else 0


class Startup:
    """The services and the player, opened once the app asks (`begin`), closed by `aclose`."""

    def __init__(
        self, config: Config, *, demo: bool, explain_demo: bool, player_mode: PlayerMode
    ) -> None:
        self.config = config
        self.demo = demo
        self.explain_demo = explain_demo
        self.player_mode: PlayerMode = player_mode
        self.services: Services | None = None
        self.player: PlayerPort | None = None
        self._task: asyncio.Future[tuple[Services, PlayerPort]] | None = None
        self.failed = False  # the start failed (the app said why)
        # --mpv-option: for the app's own player, or the daemon it starts (--daemon).
        self.mpv_options: dict[str, str] = {}
        self.catalogs: Catalogs | None = None  # what the app's own player resolves from
        self.quit: Callable[[], None] | None = None

    def begin(self) -> asyncio.Future[tuple[Services, PlayerPort]]:
        """Start opening everything (once); the future gives the services and the player."""
        if self._task is None:
            self._task = asyncio.ensure_future(self._start())
        return self._task

    async def _start(self) -> tuple[Services, PlayerPort]:
        # Imported off the app's loop, which keeps drawing meanwhile.
        await asyncio.to_thread(_import_the_rest)
        from setlist.services import open_services
        from setlist.services.player import Catalogs, make_player

        config, demo, explain_demo = self.config, self.demo, self.explain_demo
        catalogs = self.catalogs = Catalogs()
        notices: list[str] = []
        remote = await attach_to_daemon(
            self.player_mode, demo=demo, notices=notices, mpv_options=self.mpv_options
        )
        local: Player | None = None
        if remote is not None:
            # The queue is the daemon's: browse the catalog it plays from.
            explain_demo = explain_demo and remote.demo == demo
            demo = remote.demo
            player: PlayerPort = self._switch(remote.player, demo=demo)
            if self.mpv_options and not remote.started:
                notices.append(MPV_OPTIONS_UNUSED)
        else:
            # Importing libmpv and the player is part of the start: off the app's loop.
            local = await asyncio.to_thread(make_player, config, catalogs, quit=self.quit)
            player = local
        self.player = player
        # Opening the catalogs (maybe starting the demo server) and starting mpv run on
        # threads of their own, alongside each other.
        opening = asyncio.ensure_future(open_services(config, demo=demo))
        try:
            if local is not None:
                await local.start()
                notices += local.notices  # a damaged or shared saved queue
        finally:
            # Even when mpv failed: what was opened is closed by `aclose`.
            self.services = await opening
        services = self.services
        catalogs.take(services)
        said = [DEMO_EXPLAINED if explain_demo else DEMO_NOTICE] if demo else []
        services.notices[:0] = said + notices
        return services, player

    def _switch(self, remote: RemotePlayerType, *, demo: bool) -> PlayerPort:
        """The daemon's player, which can be started again or replaced by the app's."""
        from setlist.ui.player_switch import PlayerSwitch

        options = [f"{key}={value}" for key, value in self.mpv_options.items()]

        async def start_daemon() -> Path:
            from setlist.daemon.launch import start_daemon

            return await start_daemon(demo=demo, mpv_options=options)

        async def make_local() -> Player:
            from setlist.services.player import Catalogs, make_player

            catalogs = self.catalogs if self.catalogs is not None else Catalogs()
            local = await asyncio.to_thread(make_player, self.config, catalogs, quit=self.quit)
            # The daemon's queue comes along (PlayerSwitch.play_here), not the saved one.
            await local.start(restore=False)
            return local

        switch = PlayerSwitch(remote, start_daemon=start_daemon, make_local=make_local)
        return cast("PlayerPort", switch)

    async def aclose(self) -> None:
        """Close what was opened, after waiting for a start still on its way."""
        if self._task is not None:
            try:
                await self._task
            except BaseException as exc:  # the app has said it, if it was still there
                log.warning("the start failed: %r", exc)
                self.failed = True
        try:
            if self.player is not None:
                await self.player.close()
        finally:
            if self.services is not None:
                await self.services.aclose()


def _import_the_rest() -> None:
    """The catalogs' clients and the first screen: what the start needs next."""
    import setlist.services
    import setlist.ui.screens.home  # noqa: F401


@dataclass
class Attached:
    player: RemotePlayerType
    demo: bool  # the daemon plays from the demo catalog
    started: bool = False  # by this app, with its mpv options


async def attach_to_daemon(
    mode: PlayerMode,
    *,
    demo: bool,
    notices: list[str],
    mpv_options: Mapping[str, str] | None = None,
) -> Attached | None:
    """The daemon's player, connected, when one runs (`mode` "daemon": started first,
    given `mpv_options`, when none runs).

    None in "local" mode, or when no daemon runs; a daemon that does not answer is
    said in `notices` and played around, unless the user asked for the daemon.
    """
    if mode == "local":
        return None
    from setlist.daemon.client import DaemonError
    from setlist.daemon.instance import find_daemon
    from setlist.daemon.launch import start_daemon
    from setlist.daemon.remote import RemotePlayer

    path = await asyncio.to_thread(find_daemon)
    started = False
    if path is None:
        if mode != "daemon":
            return None
        options = [f"{key}={value}" for key, value in (mpv_options or {}).items()]
        path = await start_daemon(demo=demo, mpv_options=options)
        started = True
    player = RemotePlayer(path)
    try:
        await player.start()
        status = await player.status()
    except DaemonError as exc:
        await player.close()
        if mode == "daemon":
            raise
        log.warning("the daemon at %s did not answer: %s", path, exc)
        notices.append(DAEMON_UNREACHABLE.format(error=exc.message))
        return None
    notices.append(ATTACHED_NOTICE)
    daemon_demo = status.daemon.demo if status.daemon is not None else demo
    return Attached(player, demo=daemon_demo, started=started)


def log_to_file() -> Path:
    """Log to a file (its path): a line on stderr would be drawn over the app's screen."""
    handler = file_handler()
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    return log_file()
