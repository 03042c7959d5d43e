"""The app in this process (Textual's Pilot, headless) on a demo server of its own:
how long big lists take to open, and a key press to the next frame while scrolling."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from rich.console import RenderableType
from textual._compositor import CompositorUpdate
from textual.pilot import Pilot
from textual.screen import Screen

from setlist.core.models import Playlist
from setlist.demo.catalog import DEMO_EMAIL, DEMO_OTP_CODE, DEMO_TENANT_SLUG
from setlist.demo.server import DemoServer
from setlist.demo.settings import DemoSettings
from setlist.playback.engine import Engine
from setlist.playback.player import Player
from setlist.playback.streams import make_resolver
from setlist.providers.yourmusic import YourMusicAuth, YourMusicClient
from setlist.services import Services
from setlist.store.config import Config
from setlist.store.secret_fallbacks import MemoryStore
from setlist.ui.app import SetlistApp
from setlist.ui.messages import Open
from setlist.ui.widgets.track_table import TrackTable

KEYS = ["j"] * 40 + ["ctrl+d"] * 10 + ["G", "g"] + ["k"] * 10
Figures = dict[str, tuple[float, list[float]]]


async def open_big_playlist_and_queue(size: int) -> Figures:
    with DemoServer(DemoSettings()) as server:
        store = MemoryStore()
        client = YourMusicClient(
            server.yourmusic_url, DEMO_TENANT_SLUG, YourMusicAuth(store, environ={})
        )
        await client.auth.request_code(DEMO_EMAIL)
        await client.auth.verify(DEMO_EMAIL, DEMO_OTP_CODE)
        playlist = await client.create_playlist("Ten thousand")
        known = [str(3000 + i % 32) for i in range(size)]
        await client.replace_tracks(playlist.id, known)
        tracks = await client.tracks_by_ids(known[:32])

        services = Services(config=Config(), secrets=store, demo=True, yourmusic=client)
        player = Player(Engine({"ao": "null"}), make_resolver(services.providers))
        await player.start(restore=False)
        app = SetlistApp(services, player, config=Config())
        figures: Figures = {}
        try:
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause(0.5)
                figures["playlist"] = await _open_and_scroll(
                    pilot, lambda: _open_playlist(pilot, playlist), size
                )
                await pilot.press("escape")
                await player.add([tracks[i % len(tracks)] for i in range(size)])
                figures["queue"] = await _open_and_scroll(pilot, lambda: pilot.press("4"), size)
        finally:
            await player.close()
            await client.aclose()
        return figures


async def _open_playlist(pilot: Pilot[None], playlist: Playlist) -> None:
    pilot.app.post_message(Open(playlist))


async def _open_and_scroll(
    pilot: Pilot[None], open_: Callable[[], Awaitable[None]], size: int
) -> tuple[float, list[float]]:
    app = pilot.app
    started = time.perf_counter()
    await open_()
    while not _shown(app, size):
        await pilot.pause(0.005)
    opened = time.perf_counter() - started

    # Headless, Textual computes each frame but skips turning it into terminal codes:
    # do that here too, so a frame costs what it costs on a terminal.
    frames: list[float] = []
    display = app._display

    def timed_display(screen: Screen[object], update: RenderableType | None) -> None:
        if isinstance(update, CompositorUpdate):
            update.render_segments(app.console)
            frames.append(time.perf_counter())
        display(screen, update)

    app._display = timed_display  # type: ignore[method-assign]
    latencies = []
    try:
        for key in KEYS:
            await pilot.pause(0.02)
            frames.clear()
            pressed = time.perf_counter()
            await pilot.press(key)
            deadline = pressed + 1.0
            while not frames and time.perf_counter() < deadline:
                await pilot.pause(0.001)
            if frames:
                latencies.append((frames[0] - pressed) * 1000)
    finally:
        app._display = display  # type: ignore[method-assign]
    return opened, latencies


def _shown(app: SetlistApp, size: int) -> bool:
    tables = app.screen.query(TrackTable)
    return any(t.row_count == size and not t.loading and t.has_focus for t in tables)
