"""The app attached to a real daemon (a subprocess) that stops under it: the now-playing
bar says so within seconds, `D` starts a daemon again, `I` plays in the app with the
same queue, and a daemon started elsewhere is attached to by itself. And the volume
keys with nothing playing show the volume they set, in the app and in `setlist ctl`.
"""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from app_support import screen_text

from cli_support import make_home
from daemon_support import DaemonHome, alive, make_daemon_home, remove_home
from playback_audio import pcm_options
from setlist.demo.lastfm_scrobble import state
from setlist.demo.server import DemoServer
from setlist.playback.player import Player
from setlist.store.config import Config, PlaybackConfig, StoreConfig
from setlist.ui.app import SetlistApp
from setlist.ui.launch import PlayerMode, Startup
from setlist.ui.player_switch import PlayerSwitch
from test_scrobble_cli import log_in
from waiting import wait_for, wait_until

TRACKS = ["track:3005", "track:3000", "track:3001"]  # the first plays for a minute
LONG = "The Long Tone (Extended)"
STOPPED = "Player stopped — the setlist daemon is not running"
OFFER = "Press D to start it again, or I to play here"
SIZE = (100, 30)
GONE_WITHIN = 5.0  # seconds: how soon the bar must say the player is gone

QUIET = Config(
    playback=PlaybackConfig(mpv={"ao": "null"}),  # the app's own player: no sound card
    store=StoreConfig(plaintext_tokens=True),
)


@pytest.fixture
def daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    home = make_daemon_home(make_home(tmp_path, monkeypatch), monkeypatch.setenv)
    monkeypatch.setenv("SETLIST_PLAINTEXT_TOKENS", "1")  # no keyring daemon needed
    yield home
    remove_home(home)


def bar_text(app: SetlistApp) -> str:
    """The now-playing bar as the terminal shows it: the two rows above the footer."""
    rows = screen_text(app).splitlines()
    return "\n".join(rows[-3:-1])


def playing(daemons: DaemonHome) -> None:
    started = daemons.start()
    assert started.returncode == 0, started.stderr
    assert daemons.ctl("add", *TRACKS).returncode == 0
    assert daemons.ctl("play").returncode == 0
    wait_for(lambda: daemons.audio_size() > 0)


class Running:
    def __init__(self, app: SetlistApp, startup: Startup, pilot) -> None:
        self.app, self.startup, self.pilot = app, startup, pilot

    async def bar_says(self, text: str, within: float = GONE_WITHIN) -> str:
        await wait_until(lambda: text in bar_text(self.app), within=within, pilot=self.pilot)
        return bar_text(self.app)


@asynccontextmanager
async def run_app(daemons: DaemonHome, mode: PlayerMode = "auto") -> AsyncIterator[Running]:
    startup = Startup(QUIET, demo=True, explain_demo=False, player_mode=mode)
    # As `setlist --mpv-option ...` hands them on: to a daemon the app starts.
    startup.mpv_options = pcm_options(daemons.audio, speed=1.0)
    app = SetlistApp.starting(startup.begin, config=QUIET)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(lambda: app.ready, within=60, pilot=pilot)
            await wait_until(pilot=pilot, within=30)
            yield Running(app, startup, pilot)
    finally:
        await startup.aclose()


@pytest.fixture
async def attached(daemons: DaemonHome) -> AsyncIterator[Running]:
    playing(daemons)
    async with run_app(daemons) as running:
        await running.bar_says(LONG, within=10)
        yield running


@pytest.mark.parametrize("ending", ["killed", "quit"])
async def test_the_bar_says_the_player_stopped_and_d_starts_it_again(daemons, attached, ending):
    first = daemons.pid()
    if ending == "killed":
        os.kill(first, signal.SIGKILL)
    else:
        assert daemons.ctl("quit").returncode == 0
    wait_for(lambda: not alive(first))

    bar = await attached.bar_says(STOPPED)
    assert OFFER in bar
    assert LONG not in bar  # no frozen position of a track nothing plays

    await attached.pilot.press("D")
    await attached.bar_says(f"▶ {LONG}", within=60)
    second = daemons.pid()
    daemons.pids.add(second)
    assert second != first and alive(second)
    assert STOPPED not in bar_text(attached.app)
    status = daemons.status()
    assert status["playing"] and status["entry"]["track"]["title"] == LONG
    assert status["queue_length"] == len(TRACKS)
    # The new daemon plays through the output the app was given.
    assert daemons.audio_grows(1.0) > 0


async def test_i_plays_in_the_app_with_the_daemons_queue(daemons, attached):
    app = attached.app
    titles = [entry.track.title for entry in app.player.queue.entries]
    first = daemons.pid()
    assert daemons.ctl("quit").returncode == 0
    wait_for(lambda: not alive(first))
    await attached.bar_says(STOPPED)

    await attached.pilot.press("I")
    await attached.bar_says(f"▶ {LONG}", within=30)
    switch = app.player
    assert isinstance(switch, PlayerSwitch) and isinstance(switch.current, Player)
    assert [entry.track.title for entry in app.player.queue.entries] == titles
    await wait_until(lambda: app.player.position > 0.5, within=10, pilot=attached.pilot)
    # The keys drive the app's own player now.
    await attached.pilot.press("space")
    await attached.bar_says("paused")
    assert switch.current.engine.paused


async def test_playing_here_after_the_daemon_stopped_scrobbles(
    daemons: DaemonHome, fresh_server: DemoServer
) -> None:
    """Signed in to Last.fm: the app that plays once its daemon is gone tells Last.fm
    what it plays, as the daemon did (and as an attached app never does)."""
    daemons.home.write_config("[store]\nplaintext_tokens = true\n")
    daemons.home.attach(fresh_server)
    code, _, err = log_in()
    assert code == 0, err
    demo = state(fresh_server.ctx)
    playing(daemons)
    async with run_app(daemons) as attached:
        await attached.bar_says(LONG, within=10)
        wait_for(lambda: [n["track"] for n in demo.now_playing] == [LONG], within=15)
        first = daemons.pid()
        assert daemons.ctl("quit").returncode == 0
        wait_for(lambda: not alive(first))
        await attached.bar_says(STOPPED)

        await attached.pilot.press("I")
        await attached.bar_says(f"▶ {LONG}", within=30)
        await wait_until(lambda: len(demo.now_playing) == 2, within=15, pilot=attached.pilot)
        assert [n["track"] for n in demo.now_playing] == [LONG, LONG]


async def test_the_app_attaches_by_itself_to_a_daemon_that_comes_back(daemons, attached):
    first = daemons.pid()
    os.kill(first, signal.SIGKILL)
    wait_for(lambda: not alive(first))
    await attached.bar_says(STOPPED)
    # A key meant for the player says what to do instead.
    await attached.pilot.press("space")
    await wait_until(
        lambda: any("press D to start it again" in n.message for n in attached.app._notifications),
        pilot=attached.pilot,
    )

    assert daemons.start().returncode == 0  # `setlist daemon` in another terminal
    await wait_until(
        lambda: STOPPED not in bar_text(attached.app), within=GONE_WITHIN, pilot=attached.pilot
    )
    await attached.bar_says(LONG)  # the queue it restored
    await attached.pilot.press("space")  # and the keys drive it
    wait_for(lambda: daemons.status()["playing"], within=15)


# -- the volume with nothing playing


@pytest.mark.parametrize("mode", ["local", "auto"])
async def test_the_volume_keys_show_the_volume_with_nothing_playing(daemons, mode):
    if mode == "auto":  # attached to an idle daemon
        assert daemons.start().returncode == 0
    async with run_app(daemons, mode) as running:
        assert "Nothing playing" in await running.bar_says("Nothing playing")
        await running.pilot.press("minus", "minus")
        bar = await running.bar_says("vol 90%")
        assert "kept for the next track" in bar
        await running.pilot.press("m")
        await running.bar_says("muted")
        await running.pilot.press("m", "equals_sign")
        await running.bar_says("vol 95%")
        player = running.app.player
        await wait_until(lambda: player.engine.volume == 95, within=5, pilot=running.pilot)
        if mode == "auto":
            assert daemons.status()["volume"] == 95


def test_ctl_volume_with_nothing_playing_says_the_new_volume(daemons):
    assert daemons.start().returncode == 0
    quieter = daemons.ctl("volume", "-5")
    assert (quieter.returncode, quieter.stdout) == (0, "volume 95\n")
    muted = daemons.ctl("mute")
    assert (muted.returncode, muted.stdout) == (0, "muted\n")
    shown = daemons.ctl("volume")
    assert shown.stdout == "volume 95 (muted)\n"
    assert daemons.status()["volume"] == 95
