"""Driving the app from the keyboard against the real demo server (Pilot)."""

from __future__ import annotations

import asyncio
import html
import re
import time
from dataclasses import replace

import pytest
from app_support import (
    CELL_WIDTH,
    MARKUP_AND_MAYHEM,
    SIZE,
    release_tracks,
    screen_text,
    start_app,
)
from fakes import FakePlayer
from rich.cells import cell_len
from textual.widgets import Input

from playback_audio import pcm_options
from setlist.core.models import Album, Artist
from setlist.core.queue import RepeatMode
from setlist.demo.catalog import YMArtist
from setlist.playback.engine import Engine
from setlist.playback.events import NowPlaying, Progress
from setlist.playback.player import Player
from setlist.playback.streams import make_resolver
from setlist.store.config import Config, load_config
from setlist.ui.messages import Open
from setlist.ui.screens.help import HelpScreen
from setlist.ui.screens.queue import EMPTY, QueueScreen
from setlist.ui.screens.sign_in import SignInScreen
from setlist.ui.widgets.now_playing import NowPlayingBar
from setlist.ui.widgets.track_table import TrackTable
from terminal_cells import drawn_width
from waiting import wait_until
from yourmusic_support import signed_in_secrets

pytestmark = pytest.mark.usefixtures("no_config_discovery")


async def search(pilot, words: str) -> None:
    await wait_until(pilot=pilot)
    await pilot.press("slash", *words, "enter")
    await wait_until(pilot=pilot)


async def test_search_then_enter_plays_the_track_under_the_cursor(server, secrets):
    player = FakePlayer()
    app = await start_app(server, secrets, player)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "signal")
        table = app.screen.query_one("#tracks-table", TrackTable)
        assert app.focused is table  # the results take the keys once they arrive
        assert [r.track.title for r in table.rows] == ["Night Signal"]
        await pilot.press("enter")
        await wait_until(pilot=pilot)

        name, (tracks, where) = player.calls[-1]
        assert (name, where) == ("add", "now")
        assert [(t.provider, t.title) for t in tracks] == [("jamendo", "Night Signal")]
        assert player.playing is not None and player.playing.track.title == "Night Signal"
        assert "▶ Night Signal" in screen_text(app)  # the now-playing bar


@pytest.mark.slow
async def test_search_then_play_reaches_mpv_with_the_tracks_stream(server, secrets):
    """The real Player and Engine (no audio device): the engine loads the track's stream."""
    app = await start_app(server, secrets)
    services = app.services
    engine = Engine({"ao": "null"})
    loaded = []
    load = engine.load

    async def spy(source, **options):
        loaded.append(source)
        return await load(source, **options)

    engine.load = spy  # type: ignore[method-assign]
    player = Player(engine, make_resolver(services.providers))
    app.player = player
    progress = asyncio.Event()
    player.subscribe(lambda e: progress.set() if isinstance(e, Progress) else None)
    await player.start()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await search(pilot, "morning tone")
            await pilot.press("enter")
            await asyncio.wait_for(progress.wait(), 20)

            track = player.playing.track
            assert (track.provider, track.title) == ("yourmusic", "Morning Tone")
            source = loaded[0]
            # The playlist mpv fetches from the catalog's loopback relay, which adds the token.
            assert source.url.startswith("http://127.0.0.1:")
            assert source.url.endswith(".m3u8")
            stream = [r for r in server.requests if r.path.endswith(f"/stream/{track.stream_id}")]
            assert stream, "the manifest of that very track was fetched"
    finally:
        await player.close()


async def queued_app(server, secrets):
    tracks = await asyncio.to_thread(release_tracks, server, secrets, "2000")
    player = FakePlayer(tracks[:5])
    player.start()
    return player, await start_app(server, secrets, player)


def shown(app) -> list[str]:
    return [row.key for row in app.screen.query_one("#queue", TrackTable).rows]


def queued(player) -> list[str]:
    return [entry.id for entry in player.queue.entries]


async def test_queue_edits_from_the_keyboard_go_through_the_player(server, secrets):
    player, app = await queued_app(server, secrets)
    a, b, c, d, e = queued(player)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, QueueScreen)

        await pilot.press("j", "J")  # the second down one
        await wait_until(pilot=pilot)
        assert ("move", (b, 2)) in player.calls
        assert queued(player) == shown(app) == [a, c, b, d, e]

        await pilot.press("shift+up")  # and back
        await wait_until(pilot=pilot)
        assert queued(player) == shown(app) == [a, b, c, d, e]

        await pilot.press("B")  # to the bottom
        await wait_until(pilot=pilot)
        assert queued(player) == shown(app) == [a, c, d, e, b]

        await pilot.press("T")  # to the top
        await wait_until(pilot=pilot)
        assert queued(player) == shown(app) == [b, a, c, d, e]

        await pilot.press("j", "d")  # remove the playing one
        await wait_until(pilot=pilot)
        assert ("remove", [a]) in player.calls
        assert queued(player) == shown(app) == [b, c, d, e]

        await pilot.press("G", "enter")  # play the last
        await wait_until(pilot=pilot)
        assert player.calls[-1] == ("play", e)
        assert "Now playing: " + player.playing.track.title in screen_text(app)

        await pilot.press("X")
        await wait_until(pilot=pilot)
        assert player.calls[-1] == ("clear", None)
        assert EMPTY in screen_text(app)


async def test_clearing_the_queue_is_undone_with_u(server, secrets):
    player, app = await queued_app(server, secrets)
    titles = [e.track.title for e in player.queue.entries]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_until(pilot=pilot)
        await pilot.press("X")
        await wait_until(pilot=pilot)
        assert player.calls[-1] == ("clear", None)
        assert EMPTY in screen_text(app)
        assert "Queue cleared: u puts it back." in [n.message for n in app._notifications]

        await pilot.press("u")
        await wait_until(pilot=pilot)
        assert [e.track.title for e in player.queue.entries] == titles
        table = app.screen.query_one("#queue", TrackTable)
        assert [row.track.title for row in table.rows] == titles
        assert EMPTY not in screen_text(app)

        await pilot.press("G", "enter")  # a track put back plays
        await wait_until(pilot=pilot)
        assert player.calls[-1] == ("play", queued(player)[-1])
        assert table.playing_key == table.cursor_key  # marked ▶ where it is
        assert "Now playing: " + titles[-1] in screen_text(app)


async def test_clearing_what_the_real_player_plays_is_undone_with_u(server, secrets):
    """The real Player stops while it clears: its events on the way do not wipe the undo."""
    tracks = await asyncio.to_thread(release_tracks, server, secrets, "2000")
    app = await start_app(server, secrets)
    player = Player(Engine({"ao": "null"}), make_resolver(app.services.providers))
    app.player = player
    await player.start()
    await player.add(tracks[:3])
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("4")
            await wait_until(pilot=pilot)
            await pilot.press("enter")
            await wait_until(pilot=pilot)
            assert player.playing is not None
            await pilot.press("X")
            await wait_until(pilot=pilot)
            assert len(player.queue) == 0 and player.playing is None

            await pilot.press("u")
            await wait_until(pilot=pilot)
            assert [e.track for e in player.queue.entries] == tracks[:3]
            assert "Nothing to undo." not in [n.message for n in app._notifications]
    finally:
        await player.close()


async def test_tracks_queued_elsewhere_show_in_the_queue(server, secrets):
    player, app = await queued_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_until(pilot=pilot)
        await search(pilot, "signal")
        await pilot.press("a")
        await pilot.press("4")
        await wait_until(pilot=pilot)
        assert shown(app) == queued(player)
        assert player.queue.entries[-1].track.title == "Night Signal"


async def test_help_lists_the_keys_with_the_keymap_applied(server, secrets):
    config = Config(keys={"playback.toggle": "p", "go.queue": "Q"})
    player = FakePlayer()
    app = await start_app(server, secrets, player, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("question_mark")
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, HelpScreen)
        keys = {k.description: k.keys for k in app.screen.keys}
        assert keys["Pause"] == "p"
        assert keys["Queue"] == "Q"
        assert keys["Keys"] == "?"
        assert keys["Seek +30 s"] == "L, shift+→"
        assert keys["Down"] == "↓, j"  # the focused list's own keys
        await pilot.press("end")
        await wait_until(pilot=pilot)
        rows = [line.strip("│ ").split() for line in screen_text(app).splitlines()]
        assert ["p", "Pause", "playback.toggle"] in rows  # with its id, for [keys]
        assert not any(row[:1] == ["space"] for row in rows)

        await pilot.press("escape", "p", "Q")
        await wait_until(pilot=pilot)
        assert ("toggle", None) in player.calls
        assert isinstance(app.screen, QueueScreen)


async def test_markup_and_escape_sequences_in_titles_are_shown_literally(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Album(provider="yourmusic", id=MARKUP_AND_MAYHEM, title="")))
        await wait_until(pilot=pilot)
        text = screen_text(app)
        for title in (
            "[bold]Not Bold[/bold]",
            "Close [/] Early",
            "Escape ␛[31mRed␛[0m Song",  # the colour codes are shown, not applied
            "Bell␇ and Tab  Title",
            "[@click=app.quit]Don't Quit[/]",
            "Back\\slash 100% {braces} $HOME",
        ):
            assert title in text
        assert "\x1b" not in text and "\x07" not in text

        # Clicking the would-be link does nothing but move the cursor.
        await pilot.click(TrackTable, offset=(10, 5))
        await wait_until(pilot=pilot)
        assert app.is_running

        app.post_message(Open(Artist(provider="jamendo", id="501", name="")))
        await wait_until(pilot=pilot)
        assert "[link=https://example.com]Click[/" in screen_text(app)


ROBOT_DREAMS = "606"  # the Jamendo album of emoji titles: a ZWJ family, a skin tone


def drawn_widths(app) -> list[int]:
    """How wide each row of the screen is as tmux draws it, code point by code point.

    Textual places each run of text at the cell Rich measured for it; a terminal
    draws a row as one stream, so a run drawn wider than measured pushes the rest on.
    """
    runs = re.findall(
        r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)" textLength="[\d.]+"[^>]*>([^<]*)</text>',
        app.export_screenshot(),
    )
    ends: dict[str, int] = {}
    pushed: dict[str, int] = {}
    for x, y, raw in runs:
        text = html.unescape(raw).replace("\xa0", " ").rstrip("\n")
        column = round(float(x) / CELL_WIDTH) + pushed.get(y, 0)
        ends[y] = column + drawn_width(text)
        pushed[y] = pushed.get(y, 0) + drawn_width(text) - cell_len(text)
    return list(ends.values())


@pytest.mark.parametrize("width", [60, 80])
async def test_emoji_sequences_keep_every_row_inside_the_terminal(server, secrets, width):
    app = await start_app(server, secrets)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Album(provider="jamendo", id=ROBOT_DREAMS, title="")))
        await wait_until(pilot=pilot)
        text = screen_text(app)
        assert "Family 👨" in text and "Thumbs 👍" in text
        assert max(drawn_widths(app)) <= width  # no row runs past the right edge
        assert "Family 👨👩👧👦" in text  # the family, unjoined
        assert "Thumbs 👍 Up" in text  # the thumb, without its skin tone


async def test_now_playing_bar_repaints_once_a_second_and_never_while_paused(server, secrets):
    player, app = await queued_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        bar = app.screen.query_one(NowPlayingBar)
        renders = []
        render = bar.render

        def counting():
            renders.append(time.monotonic())
            return render()

        bar.render = counting  # type: ignore[method-assign]
        for tick in range(1, 13):  # 3 s of progress at 4 Hz, as the engine sends it
            player.tick(tick / 4)
            await asyncio.sleep(0.25)
        await pilot.pause()
        assert 3 <= len(renders) <= 4  # 0:01, 0:02, 0:03: one repaint per second shown
        assert "0:03" in screen_text(app)

        await pilot.press("space")  # pause: the engine stops sending progress
        await wait_until(pilot=pilot)
        assert player.engine.paused
        renders.clear()
        await asyncio.sleep(3)
        assert renders == []
        assert "paused" in screen_text(app)


async def test_a_screen_back_in_sight_shows_where_play_got_to_meanwhile(server, secrets):
    player, app = await queued_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        home_bar = app.screen.query_one(NowPlayingBar)
        await pilot.press("4")  # the queue: home is out of sight, and its bar idle
        await wait_until(pilot=pilot)
        for second in range(1, 4):
            player.tick(second)
            await asyncio.sleep(0.1)
        await wait_until(pilot=pilot)
        assert "0:03" in screen_text(app)  # the queue's own bar

        await pilot.press("1")
        await wait_until(pilot=pilot)
        assert app.screen.query_one(NowPlayingBar) is home_bar
        assert "0:03" in screen_text(app)


async def test_playback_keys_reach_the_player(server, secrets):
    player, app = await queued_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("l", "H", "minus", "minus", "equals_sign", "s", "r", "r", "m")
        await pilot.press("greater_than_sign", "less_than_sign")
        await wait_until(pilot=pilot)
        assert player.calls == [
            ("seek", (5.0, True)),
            ("seek", (-30.0, True)),
            ("set_volume", 95.0),
            ("set_volume", 90.0),
            ("set_volume", 95.0),
            ("set_shuffle", True),
            ("set_repeat", RepeatMode.ALL),
            ("set_repeat", RepeatMode.ONE),
            ("set_mute", True),
            ("next", None),
            ("previous", None),
        ]
        text = screen_text(app)
        assert "muted" in text and "shuffle" in text and "repeat one" in text


async def test_lists_move_like_vim(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        menu = app.screen.query_one("#sections")
        await pilot.press("j", "j")
        assert menu.highlighted == 2
        await pilot.press("G")
        assert menu.highlighted == menu.option_count - 1
        await pilot.press("k", "g")
        assert menu.highlighted == 0
        await pilot.press("j", "j", "j", "tab")  # popular tracks
        await wait_until(pilot=pilot)
        table = app.screen.query_one("#ym-popular-tracks TrackTable", TrackTable)
        assert app.focused is table
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("ctrl+u")
        assert table.cursor_row < table.row_count - 1
        await pilot.press("g", "ctrl+d")
        assert table.cursor_row > 0


async def test_a_failing_catalog_is_a_notification_and_the_others_still_answer(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        server.faults.add("/jamendo/v3.0/tracks/*", "jamendo_code", code=6)
        await search(pilot, "tone")
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1
        assert "Traceback" not in errors[0].message
        assert "Jamendo" in errors[0].message
        table = app.screen.query_one("#tracks-table", TrackTable)
        providers = {r.track.provider for r in table.rows}
        assert providers == {"yourmusic"}


@pytest.mark.slow
async def test_a_queue_played_to_its_end_says_nothing_plays(server, secrets, tmp_path):
    """The real Player and Engine: once the last track ends nothing is "now playing",
    both tracks are history, and `c` says nothing plays instead of picking a row."""
    tracks = await asyncio.to_thread(release_tracks, server, secrets, "2000")
    morning, _, noon = tracks[:3]  # 6 and 5 seconds, played at eight times real time
    app = await start_app(server, secrets)
    player = Player(
        Engine(pcm_options(tmp_path / "out.pcm", speed=8)), make_resolver(app.services.providers)
    )
    app.player = player
    ended = asyncio.Event()
    player.subscribe(lambda e: isinstance(e, NowPlaying) and e.entry is None and ended.set())
    await player.start()
    await player.add([morning, noon])
    first, last = queued(player)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("4")
            await wait_until(pilot=pilot)
            await pilot.press("enter")
            await asyncio.wait_for(ended.wait(), 30)
            await wait_until(pilot=pilot)

            text = screen_text(app)
            assert "Now playing" not in text
            assert "Nothing playing." in text
            history = app.screen.query_one("#history", TrackTable)
            assert [r.track.title for r in history.rows] == ["Noon Tone", "Morning Tone"]
            table = app.screen.query_one("#queue", TrackTable)
            assert table.playing_key is None

            await pilot.press("c")
            await wait_until(pilot=pilot)
            assert table.cursor_key == first  # not moved to the track that ended
            assert "Nothing is playing." in [n.message for n in app._notifications]
            assert player.playing is None and player.queue.current is None
            assert last in player.queue.snapshot().history
    finally:
        await player.close()


async def test_the_queue_says_what_to_do_when_empty(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await wait_until(pilot=pilot)
        assert EMPTY in screen_text(app)


async def test_a_theme_change_is_remembered_in_the_config(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.theme = "nord"
        await wait_until(pilot=pilot)
    assert load_config().ui.theme == "nord"

    again = await start_app(server, secrets, config=load_config())
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        assert again.theme == "nord"


async def test_the_command_palette_goes_to_a_screen(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("ctrl+p", *"queue")
        await wait_until(pilot=pilot)
        await pilot.press("enter")
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_suggestions_come_as_you_type_once_you_pause(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("slash")
        await wait_until(pilot=pilot)
        # A slow typist's pause, so that a busy test machine types faster than it.
        app.screen.query_one(Input).suggester.debounce = 1.0
        before = len(server.requests)
        await pilot.press(*"neon")
        await pilot.pause(1.6)
        asked = [r for r in server.requests[before:] if "autocomplete" in r.path]
        assert len(asked) == 1  # one question, for "neon": none for "ne" or "neo"
        assert "prefix=neon" in asked[0].query
        assert "neon Tone" in screen_text(app)  # the completion, shown after the text
        await pilot.press("right", "enter")  # → accepts it
        await wait_until(pilot=pilot)
        table = app.screen.query_one("#tracks-table", TrackTable)
        assert [r.track.title for r in table.rows] == ["Neon Tone"]


async def test_an_album_without_a_last_fm_key_shows_only_the_catalog(server, secrets):
    app = await start_app(server, secrets)
    app.services.lastfm = None
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Album(provider="yourmusic", id="2000", title="")))
        await wait_until(pilot=pilot)
        text = screen_text(app)
        assert "Tone Studies" in text and "Morning Tone" in text
        assert "Last.fm" not in text and "listeners" not in text


async def test_an_artist_with_no_releases_or_tracks_says_so(server, secrets, monkeypatch):
    catalog = server.ctx.catalog
    newcomer = YMArtist(id=1099, name="Nobody Yet", sort_name="Nobody Yet", slug="nobody-yet")
    monkeypatch.setattr(
        server.ctx, "catalog", replace(catalog, ym_artists=(*catalog.ym_artists, newcomer))
    )
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Artist(provider="yourmusic", id="1099", name="")))
        await wait_until(pilot=pilot)
        assert app.is_running
        text = screen_text(app)
        assert "Nobody Yet" in text
        assert "Releases: none" in text and "Tracks: none" in text


async def test_accounts_open_with_one_key(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("5")
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, SignInScreen)
        await pilot.press("escape")
        await wait_until(pilot=pilot)
        assert app.screen.__class__.__name__ == "HomeScreen"


async def test_a_catalog_down_for_every_tab_is_one_notification(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        server.faults.add("/jamendo/v3.0/*", "jamendo_code", code=6)
        await search(pilot, "tone")
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1
        await pilot.press("ctrl+n")  # albums: Jamendo's part is missing, YourMusic's is there
        await wait_until(pilot=pilot)
        albums = app.screen.query_one("#albums-table")
        assert [a.provider for a in albums.items] == ["yourmusic"]


async def test_escape_leaves_the_search_box_so_the_keys_work_again(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("slash", "escape", "3")  # nothing searched yet: out of the box
        await wait_until(pilot=pilot)
        assert app.current_mode == "playlists"

        await search(pilot, "tone")
        await pilot.press("slash", "x", "escape")  # back to the results, the box kept
        await wait_until(pilot=pilot)
        assert isinstance(app.focused, TrackTable)
        assert app.screen.query_one("#query", Input).value == "x"
        await pilot.press("4")
        await wait_until(pilot=pilot)
        assert app.current_mode == "queue"


async def test_a_key_id_no_binding_has_is_pointed_out(server, secrets):
    config = Config(keys={"setlist.search": "ctrl+f", "playback.toogle": "p"})
    app = await start_app(server, secrets, FakePlayer(), config=config)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await app.workers.wait_for_complete()  # the check runs off the loop
        await wait_until(pilot=pilot)
        said = [str(n.message) for n in app._notifications]
        assert any("'playback.toogle'" in m and "'playback.toggle'" in m for m in said), said
        assert any("'setlist.search'" in m for m in said), said
        await pilot.press("p")  # the keys that are right still work, unchanged
        await wait_until(pilot=pilot)
        assert ("toggle", None) in app.player.calls


async def test_a_short_terminal_still_shows_the_results(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=(40, 10)) as pilot:
        await search(pilot, "tone")
        shown = screen_text(app)
        # No key bar, a one-row search box: rows are left for the results.
        rows = [line for line in shown.splitlines() if re.match(r"\s+\d+ \w", line)]
        assert len(rows) >= 3, shown
        await pilot.press("question_mark")
        await wait_until(pilot=pilot)
        assert "Esc closes" in screen_text(app)  # the help fits too, keys and all


async def test_a_narrow_terminal_leaves_the_home_content_room(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=(40, 20)) as pilot:
        await wait_until(pilot=pilot)
        shown = screen_text(app)
        assert "Jamendo popular" in shown  # the section names still fit on a line
        assert app.screen.query_one("#content").size.width >= 20, shown


async def test_quitting_while_home_fills_in_ends_cleanly(server, secrets):
    # Seen under load: `q` while Home's sections were still arriving; the next pane
    # was mounted into a switcher already gone, and the app ended with exit status 1.
    from setlist.ui.screens.home import HomeScreen, ModulesLoaded, Section

    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: isinstance(app.screen, HomeScreen), pilot=pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        content = home.query_one("#content")
        await content.remove()  # as at quit: the screen's widgets go first
        late = [Section("late", "Late section", "tracks", items=[])]
        await home.on_modules_loaded(ModulesLoaded(late))  # no MountError
        assert "late" not in home.sections
    assert app.return_code in (None, 0)


async def sign_in_on_accounts(app, pilot, email: str, *, leave: bool = True) -> None:
    """From anywhere: the Accounts screen, sign out if signed in, sign in as `email`
    (none: stay signed out), and back unless `leave` is False."""
    from setlist.demo.catalog import DEMO_OTP_CODE

    await pilot.press("5")
    await wait_until(lambda: isinstance(app.screen, SignInScreen), pilot=pilot)
    status = app.screen.query_one("#yourmusic .status")
    await wait_until(lambda: str(status.render()) != "", pilot=pilot)
    if str(status.render()).startswith("Signed in"):
        await pilot.click("#ym-sign-out")
        await wait_until(lambda: str(status.render()) == "Not signed in.", pilot=pilot)
    if email:
        app.screen.query_one("#ym-email-input", Input).value = email
        await pilot.click("#ym-send")
        await wait_until(lambda: app.screen.query_one("#ym-code").display, pilot=pilot)
        app.screen.query_one("#ym-code-input", Input).value = DEMO_OTP_CODE
        await pilot.click("#ym-verify")
        await wait_until(lambda: str(status.render()).startswith("Signed in"), pilot=pilot)
    if leave:
        await pilot.press("escape")
        await wait_until(pilot=pilot)


def home_menu(app) -> list[str]:
    from setlist.ui.screens.home import SectionMenu

    menu = app.screen.query_one("#sections", SectionMenu)
    return [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]


async def test_home_follows_the_account_signed_in_on_the_accounts_screen(server):
    from setlist.demo.ym_state import DEMO_USER_ID, OTHER_EMAIL, OTHER_USER_ID
    from setlist.demo.yourmusic import state_of
    from setlist.ui.screens.home import HomeScreen
    from setlist.ui.screens.playlist import PlaylistView

    state = state_of(server.ctx)
    listeners = [p.name for p in state.playlists_of(DEMO_USER_ID)]
    private = [p.name for p in state.playlists_of(DEMO_USER_ID) if not p.public]
    robins = [p.name for p in state.playlists_of(OTHER_USER_ID)]
    assert private, "the listener has a private playlist only they can see"
    # A session of this test's own: signing out ends it on the server.
    secrets = await asyncio.to_thread(signed_in_secrets, server)
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(lambda: "Your playlists" in home_menu(app), pilot=pilot)
        await wait_until(pilot=pilot)
        assert all(name in screen_text(app) for name in listeners[:3])

        await sign_in_on_accounts(app, pilot, "")  # signed out
        assert isinstance(app.screen, HomeScreen)
        await wait_until(
            lambda: home_menu(app) and "Your playlists" not in home_menu(app), pilot=pilot
        )
        shown = screen_text(app)
        assert "not signed in" in shown
        assert not [name for name in private if name in shown], shown

        await sign_in_on_accounts(app, pilot, OTHER_EMAIL)
        await wait_until(lambda: "Your playlists" in home_menu(app), pilot=pilot)
        await wait_until(pilot=pilot)
        assert home_menu(app)[0] == "Your playlists"
        shown = screen_text(app)
        assert OTHER_EMAIL in shown
        assert all(name in shown for name in robins), shown
        assert not [name for name in private if name in shown], shown

        await pilot.press("enter", "enter")  # the first of Robin's own playlists
        await wait_until(lambda: app.screen.query(PlaylistView), pilot=pilot)
        view = app.screen.query_one(PlaylistView)
        await wait_until(lambda: view.session is not None, pilot=pilot)
        assert view.session.name == robins[0] and view.session.editable
        said = [str(n.message) for n in app._notifications]
        assert not [m for m in said if "someone else" in m], said


async def test_playlists_search_and_an_open_playlist_follow_the_account(server):
    from setlist.demo.ym_state import DEMO_USER_ID, OTHER_EMAIL, OTHER_USER_ID
    from setlist.demo.yourmusic import state_of
    from setlist.ui.screens.pages import PlaylistPage, PlaylistsPage
    from setlist.ui.screens.playlist import PlaylistView

    state = state_of(server.ctx)
    listeners = {p.name for p in state.playlists_of(DEMO_USER_ID)}
    robins = {p.name for p in state.playlists_of(OTHER_USER_ID)}
    listener_private = [p.name for p in state.playlists_of(DEMO_USER_ID) if not p.public]
    mine = next(name for name in listener_private if "Tone" in name)
    secrets = await asyncio.to_thread(signed_in_secrets, server)
    app = await start_app(server, secrets, FakePlayer())

    def listed(screen) -> set[str]:
        return {p.name for p in screen.query_one("#playlists-table").items}

    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(pilot=pilot)
        await search(pilot, "tone")
        searched = app.screen
        assert mine in listed(searched)  # the listener's own private playlist
        await pilot.press("3")
        await wait_until(lambda: listed(app.screen) == listeners, pilot=pilot)
        yours = app.screen
        await pilot.press("enter")  # open one of them
        await wait_until(lambda: app.screen.query(PlaylistView), pilot=pilot)
        await wait_until(pilot=pilot)

        await sign_in_on_accounts(app, pilot, OTHER_EMAIL, leave=False)
        # Behind the Accounts screen, the lists are already Robin's.
        await wait_until(lambda: listed(yours) == robins, pilot=pilot)
        # ...and they are Robin's own, to change (not "someone else's").
        assert all(p.owned for p in yours.query_one("#playlists-table").items)
        await wait_until(lambda: "Robin's Secret Tones" in listed(searched), pilot=pilot)
        assert mine not in listed(searched)

        await pilot.press("escape")
        await wait_until(pilot=pilot)
        # The listener's playlist, opened as the listener, is closed.
        assert app.screen is yours
        assert not [s for s in app.screen_stack if isinstance(s, PlaylistPage)]
        assert isinstance(app.screen, PlaylistsPage)
        road_trip = next(row for row in screen_text(app).splitlines() if "Road Trip" in row)
        assert "You" in road_trip and "Someone else" not in road_trip, road_trip
        said = [str(n.message) for n in app._notifications]
        assert any("opened before the account changed" in m for m in said), said
        assert not [m for m in said if "someone else" in m], said


@pytest.mark.parametrize("width", [60, 80])
async def test_a_long_album_title_is_cut_short_and_the_account_stays_in_the_top_bar(
    server, secrets, width
):
    long_title = "2007"  # "A Very Long Song Title That Keeps Going Past the Edge…" (206 cells)
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Album(provider="yourmusic", id=long_title, title="")))
        await wait_until(lambda: "A Very L" in screen_text(app).splitlines()[0], pilot=pilot)
        await wait_until(pilot=pilot)
        top = screen_text(app).splitlines()[0]
        assert top.rstrip().endswith("listener@demo.setlist"), top
        assert re.search(r"›  A Very L[^›]*…  +listener@", top), top
        assert "Home" in top  # where the album was opened from
        assert cell_len(top) <= width


async def test_what_the_start_has_to_say_comes_in_one_notification(server, secrets):
    """Demo, attached to a daemon, options unused: said together, not as stacked toasts
    over the now-playing bar."""
    from setlist.ui.launch import ATTACHED_NOTICE, DEMO_NOTICE, MPV_OPTIONS_UNUSED

    app = await start_app(server, secrets, FakePlayer())
    app.services.notices[:] = [DEMO_NOTICE, ATTACHED_NOTICE, MPV_OPTIONS_UNUSED]
    async with app.run_test(size=(120, 36)) as pilot:
        await wait_until(lambda: app._notifications, pilot=pilot)
        await wait_until(pilot=pilot)
        [notice] = list(app._notifications)
        for said in (DEMO_NOTICE, ATTACHED_NOTICE, MPV_OPTIONS_UNUSED):
            assert said in notice.message
