"""Quitting the app with playlist edits still on their way to the (demo) server.

q waits for them, a bounded time, showing how many are being saved; what the
server refused or never confirmed is reported once the app is gone and kept in a
file in the state folder, with each playlist as the user left it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from app_support import (
    SIZE,
    screen_text,
    start_app,
)

from setlist.core.playlist_edits import PlaylistSessions
from setlist.core.unsaved import finish_edits
from setlist.demo.server import DemoServer
from setlist.providers.yourmusic import YourMusicClient
from setlist.store import paths
from setlist.store.config import Config, PlaybackConfig, StoreConfig
from setlist.ui import launch
from setlist.ui.app import SetlistApp
from setlist.ui.screens.playlist import PlaylistView
from setlist.ui.screens.saving import SavingScreen
from ui_playlist_support import PlaylistScreen, server_track_ids
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")

TONES = ["3000", "3001", "3002"]
MOVED = ["3001", "3000", "3002"]  # the first moved down one
PATCH = "/yourmusic/playlists/*"


async def new_playlist(client: YourMusicClient, name: str) -> str:
    playlist = await client.create_playlist(name)
    await client.replace_tracks(playlist.id, TONES)
    return playlist.id


async def open_playlist(app: SetlistApp, pilot, playlist_id: str) -> None:
    """The playlist on a screen of its own, through the app's sessions, its table focused."""
    app.push_screen(PlaylistScreen(playlist_id))
    await wait_until(lambda: app.screen.query(PlaylistView), pilot=pilot)
    view = app.screen.query_one(PlaylistView)
    await wait_until(lambda: view.session is not None and app.focused is view.table, pilot=pilot)


async def until_gone(app: SetlistApp, pilot, within: float = 10.0) -> float:
    """Wait until the app has quit; how long it took."""
    started = time.monotonic()
    await wait_until(lambda: app.return_code is not None, within=within, pilot=pilot)
    return time.monotonic() - started


def kept_files() -> list[Path]:
    return sorted(paths.state_dir().glob("unsaved-edits-*.json"))


async def test_quit_waits_for_an_edit_on_its_way_and_it_reaches_the_server(
    server: DemoServer, secrets, client: YourMusicClient
) -> None:
    pid = await new_playlist(client, "Moved before quitting")
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await open_playlist(app, pilot, pid)
        server.faults.add(PATCH, "latency", delay=1.0, method="PATCH", times=1)
        await pilot.press("J")  # the first track down: one PATCH, answered in a second
        await pilot.press("q")
        await wait_until(lambda: isinstance(app.screen, SavingScreen), pilot=pilot)
        assert "Saving 1 edit…" in screen_text(app)
        assert server_track_ids(server, pid) == TONES  # not there yet, and the app waits

        await until_gone(app, pilot)

    assert server_track_ids(server, pid) == MOVED
    assert (app.return_code, app.quit_report) == (0, [])
    assert kept_files() == []


@pytest.mark.fault(
    "the server refuses a playlist edit while the app quits",
    "the edit is reported and kept in a file the user can find",
)
async def test_an_edit_refused_while_quitting_is_reported_and_kept(
    server: DemoServer, secrets, client: YourMusicClient
) -> None:
    pid = await new_playlist(client, "Refused on the way out")
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await open_playlist(app, pilot, pid)
        # The first move is saved (slowly); the server fails the second.
        server.faults.add(PATCH, "latency", delay=0.5, method="PATCH", times=1)
        server.faults.add(PATCH, "status", status=503, method="PATCH", times=1)
        await pilot.press("J", "J")  # the first track down, twice
        await pilot.press("q")
        await wait_until(lambda: isinstance(app.screen, SavingScreen), pilot=pilot)
        assert "Saving 2 edits…" in screen_text(app)
        await until_gone(app, pilot)

    assert server_track_ids(server, pid) == MOVED  # the first reached it, the second not
    assert app.return_code == 1
    (kept,) = kept_files()
    first, playlist, where = app.quit_report
    assert first == "1 playlist edit was not saved:"
    assert playlist.startswith("  “Refused on the way out”: move “Morning Tone” down (")
    assert where == f"They are kept, with each playlist as you left it, in {kept}"
    document = json.loads(kept.read_text())
    (saved,) = document["playlists"]
    assert saved["playlist_id"] == pid
    assert saved["not_saved"] == ["move “Morning Tone” down"]
    assert [t["id"] for t in saved["tracks"]] == ["3001", "3002", "3000"]  # as left
    assert saved["reason"] in playlist


@pytest.mark.fault(
    "the server does not answer a playlist edit while the app quits",
    "the app waits a bounded time, then reports and keeps the edit",
)
async def test_an_edit_the_server_does_not_answer_in_time_is_reported_and_kept(
    server: DemoServer, secrets, client: YourMusicClient
) -> None:
    pid = await new_playlist(client, "No answer")
    app = await start_app(server, secrets)
    app.quit_wait = 1.0
    async with app.run_test(size=SIZE) as pilot:
        await open_playlist(app, pilot, pid)
        server.faults.add(PATCH, "latency", delay=30, method="PATCH")
        await pilot.press("J")
        await pilot.press("d")  # the track under the cursor: queued behind the move
        await pilot.press("q")
        took = await until_gone(app, pilot)

    assert 0.9 <= took < 5
    assert app.return_code == 1
    (kept,) = kept_files()
    assert app.quit_report[0] == "2 playlist edits were not saved:"
    assert app.quit_report[1] == (
        "  “No answer”: move “Morning Tone” down, remove “Morning Tone” "
        "(the server had not answered after 1 s)"
    )
    saved = json.loads(kept.read_text())["playlists"][0]
    assert saved["not_saved"] == ["move “Morning Tone” down", "remove “Morning Tone”"]
    assert [t["id"] for t in saved["tracks"]] == ["3001", "3002"]
    assert server_track_ids(server, pid) == TONES


async def test_q_again_quits_without_waiting(
    server: DemoServer, secrets, client: YourMusicClient
) -> None:
    pid = await new_playlist(client, "Impatient")
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await open_playlist(app, pilot, pid)
        server.faults.add(PATCH, "latency", delay=30, method="PATCH")
        await pilot.press("J", "q")
        await wait_until(lambda: isinstance(app.screen, SavingScreen), pilot=pilot)
        await pilot.press("q")
        took = await until_gone(app, pilot)

    assert took < 2
    assert app.quit_report[1] == (
        "  “Impatient”: move “Morning Tone” down (you quit without waiting for it)"
    )
    assert len(kept_files()) == 1


QUIET = Config(
    playback=PlaybackConfig(mpv={"ao": "null"}),  # no sound card in CI
    store=StoreConfig(plaintext_tokens=True),  # no keyring daemon needed
)


def block_the_state_file() -> Path:
    """A directory, not empty, where the player's state file goes: every save of it
    fails (the rename over it: EISDIR), whoever runs the test."""
    state = paths.state_dir() / "state.json"
    state.unlink(missing_ok=True)
    state.mkdir(parents=True)
    (state / "in-the-way").write_text("x")
    return state


@pytest.mark.slow
async def test_after_quitting_the_app_says_what_it_could_not_save_and_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`setlist --demo --no-daemon`, headless, real mpv: an edit the server does not
    confirm in time and a state file that cannot be written, both said after the app."""
    run_async = SetlistApp.run_async

    async def headless(app: SetlistApp, **options: object) -> None:
        async def edit_and_quit(pilot) -> None:
            await wait_until(pilot=pilot)
            yourmusic = app.services.yourmusic
            demo = app.services.demo_server
            assert yourmusic is not None and demo is not None
            playlist = await yourmusic.create_playlist("Left behind")
            await yourmusic.replace_tracks(playlist.id, TONES)
            await open_playlist(app, pilot, playlist.id)
            demo.faults.add(PATCH, "latency", delay=3, method="PATCH")
            app.quit_wait = 0.5
            block_the_state_file()
            await pilot.press("J", "q")
            await until_gone(app, pilot)

        await run_async(app, headless=True, size=SIZE, auto_pilot=edit_and_quit)

    monkeypatch.setattr(SetlistApp, "run_async", headless)
    code = await launch._run(QUIET, demo=True, explain_demo=False, player_mode="local")

    assert code == 1
    state = paths.state_dir() / "state.json"
    (kept,) = kept_files()
    assert capsys.readouterr().err.splitlines() == [
        "setlist: 1 playlist edit was not saved:",
        "  “Left behind”: move “Morning Tone” down (the server had not answered after 0.5 s)",
        f"setlist: They are kept, with each playlist as you left it, in {kept}",
        f"setlist: could not save the queue and position to {state} (Is a directory); "
        "the changes since the last save are lost",
    ]
    assert json.loads(kept.read_text())["playlists"][0]["name"] == "Left behind"


async def test_a_playlist_let_go_of_while_saving_is_still_waited_for(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = await new_playlist(client, "Signed out meanwhile")
    sessions = PlaylistSessions(client)
    session = await sessions.open(pid)
    server.faults.add(PATCH, "latency", delay=0.5, method="PATCH", times=1)
    session.move_down([session.rows[0].key])
    sessions.reset(None)  # signed out (the accounts screen) with the move on its way

    assert sessions.busy() == [session]
    assert await finish_edits(sessions.busy()) == []
    assert server_track_ids(server, pid) == MOVED
    assert sessions.busy() == []


@pytest.mark.fault(
    "edits cannot be saved and the state folder cannot be written",
    "every unsaved edit is still told in full",
)
async def test_unsaved_edits_that_cannot_be_kept_in_a_file_are_still_told(
    server: DemoServer, secrets, client: YourMusicClient
) -> None:
    pid = await new_playlist(client, "Nowhere to keep")
    folder = paths.state_dir()
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("a file where the state folder goes")
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await open_playlist(app, pilot, pid)
        server.faults.add(PATCH, "latency", delay=30, method="PATCH")
        await pilot.press("J", "q")
        await wait_until(lambda: isinstance(app.screen, SavingScreen), pilot=pilot)
        await pilot.press("q")
        await until_gone(app, pilot)

    assert app.return_code == 1
    assert app.quit_report == [
        "1 playlist edit was not saved:",
        "  “Nowhere to keep”: move “Morning Tone” down (you quit without waiting for it)",
        f"They could not be kept in a file either (File exists: {folder}).",
    ]
