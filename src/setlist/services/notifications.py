"""Desktop notifications: a track change said by the desktop's notification service.

A companion of whichever player plays (services.player.companions): the daemon on
a desktop with a display, the app with no daemon, `setlist play`; an app attached
to a daemon plays nothing and notifies nothing. Each notification replaces the one
before (Notify's `replaces_id` is the answer to the previous Notify), so one stays
on screen, not a stack of them.

The cover is the one already on disk (the art cache) when there is one: nothing is
fetched for a notification, so none waits for a picture. As with MPRIS, the bus
connection is made in the background within a deadline, and whatever goes wrong
with the bus or the service (none running) goes to the log only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from setlist.core.models import Track
from setlist.playback.events import NowPlaying, PlayerEvent
from setlist.services.player import SESSION_BUS_ENV
from setlist.store.art_cache import ArtCache

if TYPE_CHECKING:
    from setlist.playback.player import Player
    from setlist.services.mpris_bus import Bus

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
APP_NAME = "setlist"
CONNECT_DEADLINE = 2.0  # seconds: a bus that does not answer by then is given up on
CALL_DEADLINE = 2.0  # seconds for the service's answer to one Notify


class Notifications:
    """Tells the desktop about each track that starts, for as long as the player runs."""

    def __init__(self, *, address: str | None = None, art: ArtCache | None = None) -> None:
        self._address = address
        self._art = art if art is not None else ArtCache()
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._latest: Track | None = None
        self._changed = asyncio.Event()
        self._bus: Bus | None = None
        self.shown: int = 0  # the id of the notification on screen (0: none yet)

    def start(self, player: Player) -> None:
        """Begin in the background; returns at once."""
        address = self._address or os.environ.get(SESSION_BUS_ENV)
        if not address:
            return
        self._unsubscribe = player.subscribe(self._on_event)
        self._task = asyncio.create_task(self._run(address), name="notifications")

    async def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
        if self._bus is not None:
            await self._bus.close()
            self._bus = None

    def _on_event(self, event: PlayerEvent) -> None:
        if isinstance(event, NowPlaying) and event.entry is not None:
            self._latest = event.entry.track
            self._changed.set()

    async def _run(self, address: str) -> None:
        try:
            # jeepney is imported off the loop: the app keeps drawing meanwhile.
            bus_class = await asyncio.to_thread(_bus_class)
            self._bus = await bus_class.open(address, CONNECT_DEADLINE)
        except Exception as exc:
            log.info("no notifications: the session bus at %s did not answer: %r", address, exc)
            return
        while True:
            await self._changed.wait()
            self._changed.clear()
            track = self._latest  # only the latest of quick changes is said
            if track is not None:
                await self._notify(self._bus, track)

    async def _notify(self, bus: Bus, track: Track) -> None:
        from jeepney import DBusAddress

        icon = await asyncio.to_thread(self._cover, track)
        hints: dict[str, tuple[str, Any]] = {"category": ("s", "x-setlist.track")}
        if icon:
            hints["image-path"] = ("s", icon)
        body = " — ".join(part for part in (track.artist_name, track.album_title) if part)
        service = DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE)
        # No actions; -1: the service's own expiry.
        args: tuple[Any, ...] = (APP_NAME, self.shown, icon, track.title, body, [], hints, -1)
        try:
            async with asyncio.timeout(CALL_DEADLINE):
                (shown,) = await bus.call(service, "Notify", "susssasa{sv}i", args)
        except Exception as exc:  # no service running, the bus gone: the log only
            log.info("no notification of “%s”: %r", track.title, exc)
            return
        self.shown = int(shown)

    def _cover(self, track: Track) -> str:
        """The file URI of the cover on disk, or "" when it is not there (yet)."""
        if not track.image_url:
            return ""
        path = self._art.path_for(track.image_url)
        return path.as_uri() if path.is_file() else ""


def _bus_class() -> type[Bus]:
    from setlist.services.mpris_bus import Bus

    return Bus
