"""`setlist`: open the services and the player, run the app, close everything.

With no account configured, the app opens on the built-in demo catalog (started
in-process on loopback) and says how to sign in to a real service.

The player is built here, in this process (`local_player`). Running it in a
daemon (`--daemon`/`--no-daemon`) will swap that function for a client of the
daemon that offers the same methods and events (`ui.playback.PlayerPort`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from setlist.core.models import Track
from setlist.core.protocols import CatalogProvider, StreamSource
from setlist.playback.engine import Engine
from setlist.playback.player import Player
from setlist.playback.streams import Resolver, make_resolver
from setlist.services import open_services
from setlist.store import paths
from setlist.store.config import Config, load_config
from setlist.store.state import StateStore

LOG_FILE = "setlist.log"
DEMO_NOTICE = (
    "No account is set up, so this is the built-in demo catalog. "
    "To use a real service, quit and run `setlist login`."
)


def has_account(config: Config) -> bool:
    """Whether a real catalog is configured (a YourMusic tenant or a Jamendo client id)."""
    return bool(config.yourmusic.tenant or config.jamendo.client_id)


def run(*, demo: bool = False) -> int:
    config = load_config()
    use_demo = demo or not has_account(config)
    log_to_file()
    return asyncio.run(_run(config, demo=use_demo, explain_demo=not demo and use_demo))


async def _run(config: Config, *, demo: bool, explain_demo: bool) -> int:
    providers: dict[str, CatalogProvider] = {}
    player = local_player(config, providers)
    # Opening the catalogs (maybe starting the demo server) and starting mpv run on
    # threads of their own, alongside each other and alongside importing the app.
    opening = asyncio.ensure_future(open_services(config, demo=demo))
    starting = asyncio.ensure_future(player.start())
    await asyncio.sleep(0)  # both threads are on their way
    try:
        from setlist.ui.app import SetlistApp

        await starting
        services = await opening
    except BaseException:
        opening.cancel()
        await player.close()
        raise
    async with services:
        providers.update(services.providers)
        if explain_demo:
            services.notices.insert(0, DEMO_NOTICE)
        try:
            await SetlistApp(services, player, config=config).run_async()
        finally:
            await player.close()
    return 0


def local_player(config: Config, providers: Mapping[str, CatalogProvider]) -> Player:
    """The in-process player: libmpv with the config's options, its state in the state dir.

    `providers` may be filled after this returns: streams are resolved when a
    track is about to play.
    """
    engine = Engine(config.playback.mpv)
    resolver = lazy_resolver(providers, config)
    return Player(engine, resolver, store=StateStore(paths.state_dir()))


def lazy_resolver(providers: Mapping[str, CatalogProvider], config: Config) -> Resolver:
    """Dispatch on `track.provider` to that provider's streams, at play time."""

    async def resolve(track: Track) -> StreamSource:
        return await make_resolver(providers, quality=config.playback.quality)(track)

    return resolve


def log_to_file() -> None:
    """Log to a file: a line on stderr would be drawn over the app's screen."""
    folder = paths.ensure_dir(paths.log_dir())
    handler = logging.FileHandler(folder / LOG_FILE, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
