"""`setlist`: the app on the demo catalog when no account is set up, everything closed on quit."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import keyring.core
import msgspec
import pytest
from app_support import SIZE, screen_text

from setlist.cli import main
from setlist.core.models import Track
from setlist.core.queue import Queue
from setlist.store import paths
from setlist.store.config import Config, JamendoConfig, PlaybackConfig, StoreConfig
from setlist.store.state import SHARED, PlayerState, StateStore
from setlist.ui import launch
from setlist.ui.app import SetlistApp
from setlist.ui.widgets.now_playing import NowPlayingBar
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")

QUIET = Config(
    playback=PlaybackConfig(mpv={"ao": "null"}),  # no sound card in CI
    store=StoreConfig(plaintext_tokens=True),  # no keyring daemon needed
)


@pytest.mark.parametrize(
    ("argv", "config", "use_demo", "explained", "mode"),
    [
        ([], Config(), True, True, "auto"),  # nothing set up: the demo, and how to sign in
        (["--demo"], Config(), True, False, "auto"),
        ([], Config(jamendo=JamendoConfig(client_id="abc")), False, False, "auto"),
    ],
)
def test_setlist_opens_the_demo_when_no_account_is_set_up(
    argv, config, use_demo, explained, mode, monkeypatch
):
    ran = fake_run(monkeypatch, config)
    assert main(argv) == 0
    assert ran == [(use_demo, explained, mode)]


@pytest.mark.parametrize(
    ("options", "mode"),
    [({}, "auto"), ({"daemon": True}, "daemon"), ({"no_daemon": True}, "local")],
)
def test_the_daemon_flags_choose_the_player(options, mode, monkeypatch):
    ran = fake_run(monkeypatch, Config())
    assert launch.run(demo=True, **options) == 0
    assert ran == [(True, False, mode)]


def test_mpv_options_on_the_command_line_go_over_the_configs(monkeypatch):
    config = Config(playback=PlaybackConfig(mpv={"ao": "null", "volume-max": 150}))
    fake_run(monkeypatch, config)
    assert main(["--mpv-option", "ao=pcm", "--mpv-option", "audio-device=auto", "--demo"]) == 0
    (used,) = CONFIGS
    assert used.playback.mpv == {"ao": "pcm", "volume-max": 150, "audio-device": "auto"}


def test_a_malformed_mpv_option_is_one_clear_line(monkeypatch, capsys):
    ran = fake_run(monkeypatch, Config())
    assert main(["--mpv-option", "=oops"]) == 1
    assert ran == []
    assert capsys.readouterr().err == "setlist: --mpv-option expects KEY=VALUE, got '=oops'\n"


CONFIGS: list[Config] = []  # the config each fake run was given


def fake_run(monkeypatch: pytest.MonkeyPatch, config: Config) -> list[tuple[bool, bool, str]]:
    """Replace the app's run with one that notes what it was asked for."""
    ran: list[tuple[bool, bool, str]] = []
    seen_config = CONFIGS
    seen_config.clear()

    async def run(
        config: Config,
        *,
        demo: bool,
        explain_demo: bool,
        player_mode: launch.PlayerMode,
        terminal: object = None,
        mpv_options: object = None,
    ) -> int:
        ran.append((demo, explain_demo, player_mode))
        seen_config.append(config)
        return 0

    monkeypatch.setattr(launch, "load_config", lambda: config)
    monkeypatch.setattr(launch, "log_to_file", lambda: Path(os.devnull))
    monkeypatch.setattr(launch, "_run", run)
    return ran


async def start_and_quit(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """`setlist --demo --no-daemon`, headless: what it showed once settled, then q."""
    seen: dict[str, object] = {}
    run_async = SetlistApp.run_async

    async def headless(app: SetlistApp, **options: object) -> None:
        async def look_and_quit(pilot) -> None:
            await wait_until(pilot=pilot)
            seen["text"] = screen_text(app)
            seen["notices"] = [n.message for n in app._notifications]
            seen["engine"] = app.player.engine.running  # type: ignore[attr-defined]
            seen["player"] = app.player
            await pilot.press("q")

        await run_async(app, headless=True, size=SIZE, auto_pilot=look_and_quit)

    monkeypatch.setattr(SetlistApp, "run_async", headless)
    config = msgspec.structs.replace(QUIET)
    assert await launch._run(config, demo=True, explain_demo=True, player_mode="local") == 0
    return seen


@pytest.mark.slow
async def test_the_app_runs_on_the_demo_catalog_and_closes_the_player(monkeypatch):
    """The whole start: demo server in-process, signed in, real mpv, the notice, quit."""
    seen = await start_and_quit(monkeypatch)
    assert seen["engine"] is True
    # The one thing said: the top bar shows who is signed in.
    [notice] = seen["notices"]
    assert notice.startswith("No account is set up, so this is the built-in demo catalog")
    assert notice.endswith("sign in on the Accounts screen (press 5).")
    text = seen["text"]
    assert "demo catalog · listener@demo.setlist" in text
    assert "Your playlists" in text
    assert not seen["player"].engine.running  # closed on quit
    await asyncio.sleep(0)


@pytest.mark.slow
async def test_the_app_says_when_another_player_keeps_the_saved_queue(monkeypatch):
    keeper = StateStore(paths.state_dir())
    assert keeper.claim()  # a daemon, or `setlist play`, running
    try:
        seen = await start_and_quit(monkeypatch)
    finally:
        keeper.release()
    assert any(SHARED in notice for notice in seen["notices"])  # said with the rest
    assert seen["engine"] is True  # it plays all the same


@pytest.mark.slow
async def test_the_app_says_how_many_saved_entries_were_damaged(monkeypatch):
    queue = Queue()
    queue.append(Track(provider="jamendo", id=str(1000 + i), title=f"T{i}") for i in range(4))
    store = StateStore(paths.state_dir())
    store.save(PlayerState(queue=queue.snapshot()))
    data = store.queue_path.read_bytes()
    store.queue_path.write_bytes(data.replace(b'"title":"T2"', b'"title":null', 1))

    seen = await start_and_quit(monkeypatch)
    assert any("1 of 4 saved queue entries were damaged and dropped" in n for n in seen["notices"])
    assert [e.track.title for e in seen["player"].queue.entries] == ["T0", "T1", "T3"]


@pytest.mark.slow
@pytest.mark.parametrize("explain_demo", [True, False])
async def test_the_demo_starts_with_one_message_clear_of_the_now_playing_bar(
    explain_demo, monkeypatch
):
    """No keyring, no account: one notification at most, and the bar stays readable."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    seen: dict[str, object] = {}
    run_async = SetlistApp.run_async

    async def headless(app: SetlistApp, **options: object) -> None:
        async def look_and_quit(pilot) -> None:
            await wait_until(lambda: app.ready and app._notifications, pilot=pilot)
            await wait_until(pilot=pilot)
            seen["notices"] = [n.message for n in app._notifications]
            bar = app.screen.query_one(NowPlayingBar).region
            seen["covering"] = [
                toast.region
                for toast in app.screen.query("Toast")
                if toast.region.overlaps(bar) or toast.region.bottom > bar.y
            ]
            seen["text"] = screen_text(app)
            await pilot.press("q")

        await run_async(app, headless=True, size=(120, 36), auto_pilot=look_and_quit)

    monkeypatch.setattr(SetlistApp, "run_async", headless)
    config = Config(playback=PlaybackConfig(mpv={"ao": "null"}))  # the keyring, as set up
    assert await launch._run(config, demo=True, explain_demo=explain_demo, player_mode="local") == 0
    [notice] = seen["notices"]
    assert "nothing leaves this machine" in notice
    assert ("No account is set up" in notice) is explain_demo
    assert seen["covering"] == []
    assert "Nothing playing — press / to search, Enter to play a track" in seen["text"]
    await asyncio.sleep(0)
