"""The player every entry point plays through: libmpv, the resolver, the saved state.

The app, the daemon and `setlist play` each call `make_player`; only what differs
between them (extra mpv options, a quality for one run, where the state goes) is
passed in.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import msgspec

from setlist.core.models import ProviderName, Track

if TYPE_CHECKING:
    from setlist.core.protocols import CatalogProvider, StreamSource
    from setlist.playback.player import Companion, Player
    from setlist.playback.streams import Quality, Resolver
    from setlist.services.catalogs import Services
    from setlist.store.config import Config
    from setlist.store.state import StateStore

_LOOPBACK = frozenset(("127.0.0.1", "localhost", "::1"))
SESSION_BUS_ENV = "DBUS_SESSION_BUS_ADDRESS"
DISPLAY_ENV = ("DISPLAY", "WAYLAND_DISPLAY")


@dataclass
class Catalogs:
    """What a player resolves streams from. The app makes its player before its
    catalogs are open (mpv starts meanwhile), and fills this in once they are."""

    providers: dict[str, CatalogProvider] = field(default_factory=dict)
    demo_jamendo_url: str | None = None  # the demo's Jamendo, when playing from the demo
    services: Services | None = None  # once open: what scrobbling signs in with
    opened: asyncio.Event = field(default_factory=asyncio.Event)  # set with `services`

    @classmethod
    def of(cls, services: Services) -> Catalogs:
        catalogs = cls()
        catalogs.take(services)
        return catalogs

    def take(self, services: Services) -> None:
        self.providers.update(services.providers)
        endpoints = services.demo_endpoints
        self.demo_jamendo_url = endpoints.jamendo_url if endpoints is not None else None
        self.services = services
        self.opened.set()


def make_player(
    config: Config,
    catalogs: Catalogs,
    *,
    mpv_options: Mapping[str, str] | None = None,
    quality: Quality | None = None,
    store: StateStore | None = None,
    quit: Callable[[], None] | None = None,
) -> Player:
    """libmpv with the config's options (and `mpv_options` over them), resolving
    streams from `catalogs` when a track is about to play, its state in `store`
    (default: the state folder), with its companions (`companions`) while it runs;
    `quit` is what a desktop's "quit" asks of the process that plays."""
    from setlist.playback.engine import Engine
    from setlist.playback.player import Player
    from setlist.services.radio import CatalogRadio
    from setlist.store.state import StateStore

    engine = Engine(config.playback.mpv, mpv_options or {})
    resolver = make_resolver(catalogs, quality or config.playback.quality)
    return Player(
        engine,
        resolver,
        store=store if store is not None else StateStore(),
        companions=companions(config, catalogs, quit),
        similar=CatalogRadio(catalogs.providers),
        autoplay=config.playback.autoplay,
    )


def companions(
    config: Config, catalogs: Catalogs, quit: Callable[[], None] | None
) -> list[Companion]:
    """What runs alongside whichever player plays (the daemon, the app without a
    daemon or once its daemon is gone, `setlist play`), and only there: an app
    attached to a daemon has no player of its own, so one playing is told once.

    MPRIS and desktop notifications, when on and a session bus is named (with none,
    their modules are not even loaded); Last.fm scrobbling, when on."""
    found: list[Companion] = []
    bus = bool(os.environ.get(SESSION_BUS_ENV))
    if config.mpris.enabled and bus:
        from setlist.services.mpris import Mpris

        found.append(Mpris(catalogs.providers, quit=quit))
    if bus and notifies(config):
        from setlist.services.notifications import Notifications

        found.append(Notifications())
    if config.scrobble.enabled:
        from setlist.services.scrobbling import Scrobbling

        found.append(Scrobbling(catalogs))
    return found


def notifies(config: Config) -> bool:
    """Whether the track changes are notified: as set, or ("auto") where there is a display."""
    wanted = config.notifications.enabled
    if wanted == "auto":
        return any(os.environ.get(name) for name in DISPLAY_ENV)
    return wanted


def make_resolver(catalogs: Catalogs, quality: Quality) -> Resolver:
    from setlist.playback.streams import make_resolver as streams_resolver

    resolve = streams_resolver(catalogs.providers, quality=quality)

    async def resolve_here(track: Track) -> StreamSource:
        if catalogs.demo_jamendo_url is not None:
            track = rehomed(track, catalogs.demo_jamendo_url)
        return await resolve(track)

    return resolve_here


def rehomed(track: Track, jamendo_url: str) -> Track:
    """A track of a saved queue, played on a new demo server.

    Jamendo tracks carry their audio URL, and a demo started by an earlier run
    served it on a port of its own: such a URL is moved to the demo's port now.
    """
    if track.provider != ProviderName.JAMENDO or not track.audio_url:
        return track
    home = urlsplit(jamendo_url).netloc
    url = urlsplit(track.audio_url)
    if url.hostname not in _LOOPBACK or url.netloc == home:
        return track
    return msgspec.structs.replace(track, audio_url=urlunsplit(url._replace(netloc=home)))
