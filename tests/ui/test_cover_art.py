"""Cover art: on the album page and beside the playing track, drawn with half blocks,
fetched in a worker from the demo server's pictures, cached on disk, and off at will."""

from __future__ import annotations

import time

import msgspec
import pytest
from app_support import SIZE, release_tracks, start_app
from fakes import FakePlayer

from setlist.core.models import Album
from setlist.demo.server import DemoServer
from setlist.store.config import Config, UiConfig
from setlist.ui.messages import Open
from setlist.ui.widgets.cover_art import UPPER_HALF, CoverArt
from setlist.ui.widgets.now_playing import NowPlayingBar
from setlist.ui.widgets.track_table import TrackTable
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")

TONE_STUDIES = "2000"


@pytest.fixture(scope="module")
def tracks(server, secrets):
    return release_tracks(server, secrets, TONE_STUDIES)


def art_requests(server: DemoServer) -> list[str]:
    return [r.path for r in server.requests if r.path.startswith("/_art/")]


def cell_colours(widget: CoverArt) -> set[tuple[str, str]]:
    """The (foreground, background) colours of the half blocks the widget drew."""
    colours = set()
    for y in range(widget.size.height):
        for segment in widget.render_line(y):
            if UPPER_HALF in segment.text and segment.style is not None:
                style = segment.style
                fg = style.color.get_truecolor().hex if style.color else ""
                bg = style.bgcolor.get_truecolor().hex if style.bgcolor else ""
                colours.add((fg, bg))
    return colours


async def test_the_album_page_shows_its_cover_in_half_blocks(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Album(provider="yourmusic", id=TONE_STUDIES, title="")))
        await wait_until(pilot=pilot)
        art = app.screen.query_one("#album-art", CoverArt)
        assert art.display and art.region.width == 8 and art.region.height == 4
        colours = cell_colours(art)
        # A picture, not a placeholder: many colours, every cell a half block.
        assert len(colours) > 4
        lines = [app.screen.get_style_at(art.region.x + x, art.region.y) for x in range(8)]
        assert all(style.bgcolor is not None for style in lines)
        assert f"/_art/ym-release/{TONE_STUDIES}.png" in art_requests(server)


async def test_two_albums_have_different_covers(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    seen = []
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        for album in (
            Album(provider="yourmusic", id=TONE_STUDIES, title=""),
            Album(provider="jamendo", id="601", title=""),
        ):
            app.post_message(Open(album))
            await wait_until(pilot=pilot)
            seen.append(cell_colours(app.screen.query_one("#album-art", CoverArt)))
    assert seen[0] and seen[1] and seen[0] != seen[1]


async def test_the_now_playing_bar_shows_the_track_cover(server, secrets, tracks):
    player = FakePlayer(tracks[:1])
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        player.start()
        await wait_until(lambda: app.screen.query_one(NowPlayingBar).art_lines, pilot=pilot)
        bar = app.screen.query_one(NowPlayingBar)
        await pilot.pause()
        for y in (0, 1):  # both lines: the cover's four cells, then the text
            segments = [seg for seg in bar.render_line(y) if UPPER_HALF in seg.text]
            assert sum(len(seg.text) for seg in segments) == 4
            colours = {(str(seg.style.color), str(seg.style.bgcolor)) for seg in segments}
            assert len(colours) > 1  # a picture, not a block of one colour
        text = "".join(s.text for s in bar.render_line(0))
        assert text.lstrip().startswith(UPPER_HALF * 4)
        assert tracks[0].title in text


async def test_art_off_shows_no_cover_and_fetches_nothing(server, secrets, tracks):
    before = len(art_requests(server))
    player = FakePlayer(tracks[:1])
    config = Config(ui=UiConfig(art=False))
    app = await start_app(server, secrets, player, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Album(provider="yourmusic", id=TONE_STUDIES, title="")))
        await wait_until(pilot=pilot)
        player.start()
        await wait_until(pilot=pilot)
        assert not app.screen.query_one("#album-art", CoverArt).display
        bar_text = "".join(s.text for s in app.screen.query_one(NowPlayingBar).render_line(0))
        assert UPPER_HALF not in bar_text and tracks[0].title in bar_text
        assert "♪" not in bar_text
    assert len(art_requests(server)) == before


@pytest.mark.fault(
    "cover art takes 3 s to arrive",
    "the album's tracks and a key press do not wait for it",
)
async def test_a_slow_cover_delays_neither_the_tracks_nor_a_key(server, secrets, tmp_path):
    server.faults.add("/_art/*", "latency", delay=3.0)
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        started = time.monotonic()
        app.post_message(Open(Album(provider="yourmusic", id=TONE_STUDIES, title="")))
        await wait_until(
            lambda: app.screen.query(TrackTable) and app.screen.query_one(TrackTable).rows,
            pilot=pilot,
            within=2.5,
        )
        table = app.screen.query_one(TrackTable)
        assert time.monotonic() - started < 2.5
        art = app.screen.query_one("#album-art", CoverArt)
        assert art.lines is None and art.display  # still on its way: the placeholder shows
        assert "♪" in "".join(s.text for s in art.render_line(1))
        assert table.row_count > 1 and app.focused is table
        cursor = table.cursor_row
        pressed = time.monotonic()
        await pilot.press("j")
        await pilot.pause()
        assert table.cursor_row == cursor + 1
        assert time.monotonic() - pressed < 1.0
        await wait_until(lambda: art.lines is not None, pilot=pilot, within=8)


@pytest.mark.fault(
    "the picture server answers 503",
    "no cover, no placeholder, no message: the text takes the room back",
)
async def test_a_cover_that_cannot_be_had_leaves_nothing_behind(server, secrets, tracks):
    server.faults.add("/_art/*", "status", status=503)
    player = FakePlayer(tracks[:1])
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Album(provider="yourmusic", id=TONE_STUDIES, title="")))
        player.start()
        await wait_until(pilot=pilot)
        art = app.screen.query_one("#album-art", CoverArt)
        assert not art.display and art.region.width == 0
        assert app.screen.query_one("#album-title").region.x <= 1
        bar = app.screen.query_one(NowPlayingBar)
        text = "".join(s.text for s in bar.render_line(0))
        assert text.startswith("▶ " + tracks[0].title)  # no room kept for a cover
        assert not app._notifications  # nothing said about it


async def test_a_picture_url_that_is_not_a_url_says_nothing(server, secrets, tracks):
    track = msgspec.structs.replace(tracks[0], image_url="http://[::1")
    player = FakePlayer([track])
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        player.start()
        await wait_until(pilot=pilot)
        text = "".join(s.text for s in app.screen.query_one(NowPlayingBar).render_line(0))
        assert text.startswith("▶ " + track.title)
        assert not app._notifications
