"""The daemon's life: claim the socket, start the playback core, serve, stop cleanly.

The order matters. The lock and the socket come first, before any thread starts
(the socket is bound under a temporary umask, which is per process), so a second
daemon is turned away before it opens a catalog or mpv. Clients that connect while
the player is still starting wait in the socket's backlog. SIGTERM and SIGINT stop
it, and SIGHUP in the foreground (detached, SIGHUP is ignored): the server hangs
up, then `player.close()` saves the state and shuts mpv down, then the socket file
and the lock go.
"""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
import os
import signal
import socket
from dataclasses import dataclass, field

from setlist import __version__
from setlist.core.errors import SetlistError
from setlist.daemon.commands import Commands
from setlist.daemon.detach import Readiness
from setlist.daemon.instance import InstanceLock, Listener, log_file
from setlist.daemon.protocol import DaemonInfo
from setlist.daemon.server import DaemonServer
from setlist.services import open_services
from setlist.services.player import Catalogs, make_player
from setlist.store import paths
from setlist.store.config import Config

log = logging.getLogger("setlist.daemon")

LOG_BYTES = 1024 * 1024
LOG_BACKUPS = 3
SOCKET_CHECK = 2.0  # seconds between checks that the socket file is still there


@dataclass(frozen=True)
class DaemonSettings:
    config: Config
    demo: bool = False
    mpv_options: dict[str, str] = field(default_factory=dict)
    foreground: bool = False


def run_daemon(settings: DaemonSettings, readiness: Readiness) -> int:
    """Run until stopped; the exit code. Errors are logged and told to `readiness`."""
    try:
        _log_to_file(settings.foreground)
    except OSError as exc:
        # Said to the one who started it: a "see the log" would name this very file.
        readiness.failed(
            f"cannot write the daemon's log {log_file()}: {exc.strerror or type(exc).__name__}. "
            "Make that folder writable, or set XDG_STATE_HOME to a folder you can write."
        )
        return 1
    try:
        return asyncio.run(_serve(settings, readiness))
    except SetlistError as exc:
        log.error("%s", exc)
        readiness.failed(str(exc))
    except Exception:
        log.exception("the daemon failed")
        readiness.failed(f"the daemon failed; see {log_file()}")
    return 1


async def _serve(settings: DaemonSettings, readiness: Readiness) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = [signal.SIGTERM, signal.SIGINT]
    if settings.foreground:
        signals.append(signal.SIGHUP)  # the terminal closed
    else:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # no terminal: a stray HUP must not kill
    for signum in signals:
        loop.add_signal_handler(signum, stop.set)
    lock = InstanceLock.acquire()
    listener = Listener()
    try:
        sock = listener.bind()
        try:
            await _serve_player(settings, sock, listener, readiness, stop)
        finally:
            sock.close()
            listener.remove()
    finally:
        lock.release()
    log.info("stopped")
    return 0


async def _serve_player(
    settings: DaemonSettings,
    sock: socket.socket,
    listener: Listener,
    readiness: Readiness,
    stop: asyncio.Event,
) -> None:
    config = settings.config
    services = await open_services(config, demo=settings.demo)
    async with services:
        for notice in services.notices:
            log.info("%s", notice)
        player = make_player(
            config, Catalogs.of(services), mpv_options=settings.mpv_options, quit=stop.set
        )
        await player.start()
        try:
            path = listener.path
            info = DaemonInfo(
                pid=os.getpid(), socket=str(path), version=__version__, demo=services.demo
            )
            server = DaemonServer(Commands(player, services, info, stop.set))
            await server.start(sock)
            log.info("listening on %s (pid %d)", path, os.getpid())
            readiness.ready(
                " ".join(  # one line: the starting process reads one
                    [
                        f"setlist daemon is running (pid {os.getpid()}), socket {path}, "
                        f"log {log_file()}.",
                        *player.notices,  # a damaged or shared saved queue
                    ]
                )
            )
            keeper = asyncio.create_task(_keep_socket(server, listener, info))
            try:
                await stop.wait()
                log.info("stopping")
            finally:
                keeper.cancel()
                await server.close()
        finally:
            await player.close()


async def _keep_socket(server: DaemonServer, listener: Listener, info: DaemonInfo) -> None:
    """Make the socket again whenever it is not where clients look for it."""
    while True:
        await asyncio.sleep(SOCKET_CHECK)
        if listener.in_place():
            continue
        try:
            sock = listener.bind()
        except (OSError, SetlistError) as exc:
            log.debug("cannot make the socket again yet: %s", exc)
            continue
        await server.start(sock)
        info.socket = str(listener.path)
        log.info("made the socket again at %s", listener.path)


def _log_to_file(foreground: bool) -> None:
    paths.ensure_dir(paths.log_dir())
    handler = logging.handlers.RotatingFileHandler(
        log_file(), maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    if not foreground:
        for old in list(root.handlers):  # stderr is /dev/null now
            root.removeHandler(old)
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    for chatty in ("httpx", "httpcore"):  # a line per request: every stream resolved
        logging.getLogger(chatty).setLevel(logging.WARNING)
