"""Building the app for tests: the real demo server, signed-in clients, a fake player.

The fixtures these helpers take (`server`, `secrets`) are in tests/conftest.py.
"""

from __future__ import annotations

import asyncio
import html
import re

from fakes import FakePlayer

from setlist.core.models import Track
from setlist.demo.server import DemoServer
from setlist.store.config import Config
from setlist.ui.app import SetlistApp
from ui_playlist_support import demo_services
from yourmusic_support import client_for, memory_store

SIZE = (100, 30)
TONE_STUDIES = "2000"  # a YourMusic release with Last.fm facts in the demo
MARKUP_AND_MAYHEM = "2006"  # the release whose titles are markup and escape sequences
CELL_WIDTH = 12.2  # pixels per terminal cell in Textual's SVG screenshots


def make_app(
    server: DemoServer,
    secrets: dict[tuple[str, str], str],
    player: FakePlayer | None = None,
    *,
    config: Config | None = None,
    lastfm: bool = True,
) -> SetlistApp:
    """The app for a snapshot (snap_compare runs its own event loop)."""
    services = demo_services(server, signed_in=secrets, lastfm=lastfm)
    assert services.yourmusic is not None
    asyncio.run(services.yourmusic.auth.load())  # the store only: no connection is made
    return SetlistApp(services, player or FakePlayer(), config=config or Config())


async def start_app(
    server: DemoServer,
    secrets: dict[tuple[str, str], str],
    player: object | None = None,
    *,
    config: Config | None = None,
) -> SetlistApp:
    """The app for a Pilot test, inside the test's event loop."""
    services = demo_services(server, signed_in=secrets)
    assert services.yourmusic is not None
    await services.yourmusic.auth.load()
    return SetlistApp(services, player or FakePlayer(), config=config or Config())  # type: ignore[arg-type]


def release_tracks(
    server: DemoServer, secrets: dict[tuple[str, str], str], release_id: str
) -> list[Track]:
    async def run() -> list[Track]:
        async with client_for(server, memory_store(secrets)) as client:
            return await client.release_tracks(release_id)

    return asyncio.run(run())


def playing_player(server: DemoServer, secrets: dict[tuple[str, str], str]) -> FakePlayer:
    """Tone Studies queued, its second track playing 2 s in, the first one played."""
    player = FakePlayer(release_tracks(server, secrets, TONE_STUDIES))
    first, second = player.queue.entries[:2]
    player.start(first)
    player.start(second, at=2.4)
    return player


def screen_text(app: SetlistApp) -> str:
    """What the terminal shows, as lines of text (read from the app's own screenshot)."""
    svg = app.export_screenshot()
    cells = re.findall(
        r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)" textLength="[\d.]+"[^>]*>([^<]*)</text>',
        svg,
    )
    rows: dict[float, str] = {}
    for x, y, raw in cells:
        column = round(float(x) / CELL_WIDTH)
        rows[float(y)] = rows.get(float(y), "").ljust(column) + html.unescape(raw).replace(
            "\xa0", " "
        )
    return "\n".join(rows[y].rstrip() for y in sorted(rows))
