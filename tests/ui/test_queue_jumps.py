"""Jumping ahead in the queue screen: only what played goes to the History."""

from __future__ import annotations

import asyncio

import pytest
from app_support import SIZE, release_tracks, start_app

from playback_audio import pcm_options
from setlist.playback.engine import Engine
from setlist.playback.events import Progress
from setlist.playback.player import Player
from setlist.playback.streams import make_resolver
from setlist.ui.widgets.track_table import TrackTable
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")


async def test_enter_on_a_later_row_leaves_the_rows_skipped_out_of_the_history(
    server, secrets, tmp_path
):
    """The real Player and Engine: row 2 plays, Enter on row 6; History shows row 2 only."""
    tracks = (await asyncio.to_thread(release_tracks, server, secrets, "2000"))[:6]
    app = await start_app(server, secrets)
    player = Player(
        Engine(pcm_options(tmp_path / "out.pcm", speed=1)), make_resolver(app.services.providers)
    )
    app.player = player
    playing: asyncio.Queue[str] = asyncio.Queue()  # the entry of each Progress

    def progress(event: object) -> None:
        if isinstance(event, Progress) and player.playing is not None:
            playing.put_nowait(player.playing.id)

    player.subscribe(progress)
    await player.start()
    entries = await player.add(tracks)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("4")
            await wait_until(pilot=pilot)
            await pilot.press("j", "enter")  # row 2
            while await asyncio.wait_for(playing.get(), 20) != entries[1].id:
                pass
            await pilot.press("j", "j", "j", "j", "enter")  # row 6
            while await asyncio.wait_for(playing.get(), 20) != entries[5].id:
                pass
            await wait_until(pilot=pilot)

            history = app.screen.query_one("#history", TrackTable)
            assert [r.track.title for r in history.rows] == [tracks[1].title]
            assert player.queue.snapshot().history == [entries[1].id]
    finally:
        await player.close()
