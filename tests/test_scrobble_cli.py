"""Scrobbling from the command line: `setlist login lastfm` (the desktop sign-in,
which works over SSH), `setlist scrobble status`, and `setlist play` scrobbling
through a `kill -9`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import keyring
import pytest

from cli_support import CliHome, make_home, run_main, use_secret_service
from daemon_support import DaemonHome, make_daemon_home, remove_home
from keyring_service import SecretService
from playback_audio import pcm_options
from setlist.core.scrobbles import Scrobble
from setlist.demo.lastfm_scrobble import state
from setlist.demo.server import DemoServer
from setlist.services.demo_identity import (
    LASTFM_DEMO_API_KEY,
    LASTFM_DEMO_API_SECRET,
    LASTFM_DEMO_USER,
)
from setlist.services.scrobbling import SIGN_IN_AGAIN
from setlist.store.scrobble_spool import Spool
from test_app_attach import ATTACHED, App
from test_cli_play import Lines, audio_args
from waiting import wait_for


@pytest.fixture
def home(tmp_path, monkeypatch) -> CliHome:
    return make_home(tmp_path, monkeypatch)


@pytest.fixture
def keyring_home(tmp_path, monkeypatch, secret_service: SecretService) -> Iterator[CliHome]:
    yield from use_secret_service(make_home(tmp_path, monkeypatch), secret_service, monkeypatch)


def demo_spool(home: CliHome) -> Spool:
    return Spool(home.dirs["XDG_STATE_HOME"] / "setlist" / "scrobbles-demo")


def log_in(*, allow: bool = True, early_enter: bool = False) -> tuple[int, str, str]:
    """`setlist login lastfm --demo` in a subprocess, doing what the user does: type
    the key and the secret, open the address it prints, press Enter."""
    process = subprocess.Popen(
        [sys.executable, "-m", "setlist", "login", "lastfm", "--demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdin is not None
    process.stdin.write(f"{LASTFM_DEMO_API_KEY}\n{LASTFM_DEMO_API_SECRET}\n")
    process.stdin.flush()
    lines = Lines(process.stdout)
    while "/lastfm/api/auth/" not in (line := lines.next()):
        pass
    address = line.strip()
    if early_enter:  # Enter before allowing it: told so, asked again
        process.stdin.write("\n")
        process.stdin.flush()
        time.sleep(1.0)
    if allow:
        httpx.get(address).raise_for_status()
    process.stdin.write("\n\n\n")
    process.stdin.close()
    code = process.wait(timeout=60)
    assert process.stderr is not None
    return code, "\n".join(lines.seen) + "\n" + _rest(lines), process.stderr.read()


def _rest(lines: Lines) -> str:
    out = []
    try:
        while True:
            out.append(lines.next(within=2))
    except AssertionError:
        pass
    return "\n".join(out)


def test_login_signs_in_for_scrobbling_with_the_address_shown(
    keyring_home: CliHome, fresh_server: DemoServer
) -> None:
    keyring_home.attach(fresh_server)
    code, out, err = log_in(early_enter=True)
    assert code == 0, err
    assert "Open this address in a browser, on this machine or any other" in out
    assert f"Scrobbling to Last.fm as {LASTFM_DEMO_USER}" in out
    assert "not allowed yet" in err
    session = keyring.get_password("setlist", "lastfm-demo:session")
    assert session and session in state(fresh_server.ctx).sessions
    assert keyring.get_password("setlist", "lastfm-demo:api_secret") == LASTFM_DEMO_API_SECRET
    # Credentials never on the terminal.
    assert session not in out + err and LASTFM_DEMO_API_SECRET not in out + err


def test_login_without_allowing_says_what_to_do(
    keyring_home: CliHome, fresh_server: DemoServer
) -> None:
    keyring_home.attach(fresh_server)
    code, _, err = log_in(allow=False)
    assert code == 1
    assert "not been told yet that setlist may scrobble" in err.splitlines()[-1]
    assert "Traceback" not in err
    assert keyring.get_password("setlist", "lastfm-demo:session") is None


def test_status_signed_out_with_nothing_waiting(home: CliHome, fresh_server: DemoServer, capsys):
    home.attach(fresh_server)
    result = run_main(capsys, "scrobble", "status", "--demo")
    assert result.code == 0, result.err
    assert (
        "Last.fm     not signed in, nothing is scrobbled: run `setlist login lastfm`" in result.out
    )
    assert "Waiting     none" in result.out
    report = json.loads(run_main(capsys, "scrobble", "status", "--demo", "--json").out)
    assert report["signed_in"] is False and report["waiting"] == 0


def test_status_names_what_waits_the_last_error_and_a_refused_session(
    home: CliHome, fresh_server: DemoServer, capsys
) -> None:
    home.attach(fresh_server)
    spool = demo_spool(home)
    spool.add(Scrobble(id="a", artist="Ana", track="One", timestamp=1_700_000_000))
    spool.add(Scrobble(id="b", artist="Ana", track="Two", timestamp=1_700_000_300))
    status = spool.status()
    status.last_error, status.last_error_at = "Could not reach Last.fm: refused.", 1_700_000_400
    status.needs_sign_in = True
    spool.save_status(status)
    result = run_main(capsys, "scrobble", "status", "--demo")
    assert "Waiting     2 scrobbles, the oldest played 2023-11-14 22:13:20 UTC" in result.out
    assert "Last error  2023-11-14 22:20:00 UTC: Could not reach Last.fm" in result.out
    assert "Last.fm refused the session: run `setlist login lastfm` again" in result.out
    report = json.loads(run_main(capsys, "scrobble", "status", "--demo", "--json").out)
    assert report["waiting"] == 2 and report["oldest_waiting"] == 1_700_000_000
    assert report["needs_sign_in"] is True


def test_status_says_when_scrobbling_is_off(home: CliHome, fresh_server: DemoServer, capsys):
    home.attach(fresh_server)
    home.write_config("[scrobble]\nenabled = false\n")
    result = run_main(capsys, "scrobble", "status", "--demo")
    assert "Scrobbling  off (enabled = false in the [scrobble] section" in result.out


# -- setlist play


def file_store_home(home: CliHome, server: DemoServer) -> None:
    """Credentials in the opted-in token file: kept across the subprocesses."""
    home.write_config("[store]\nplaintext_tokens = true\n")
    home.attach(server)


def test_a_scrobble_survives_kill_9_and_arrives_once(
    home: CliHome, fresh_server: DemoServer, tmp_path: Path
) -> None:
    file_store_home(home, fresh_server)
    code, _, err = log_in()
    assert code == 0, err
    fresh_server.faults.add("/lastfm/2.0/*", "unreachable")  # Last.fm is down
    # Slow Tide (45 s), played at 3x: the scrobble is earned after 22.5 s of the
    # player's clock, about 8 s of wall time.
    play = subprocess.Popen(
        [
            sys.executable, "-m", "setlist", "play", "--demo", "--json",
            "jamendo:track:1007", *audio_args(tmp_path / "a.pcm", speed=3),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        spool = demo_spool(home)
        assert json.loads(Lines(play.stdout).next())["track"]["title"] == "Slow Tide"
        began = time.monotonic()
        wait_for(lambda: spool.count() == 1, within=40)
        # The player's clock, not the wall's: 22.5 s of listening took a third of that.
        assert time.monotonic() - began < 20
        play.kill()
        play.wait(timeout=10)
    finally:
        if play.poll() is None:
            play.kill()
    assert state(fresh_server.ctx).received() == []
    [(_, kept)] = spool.oldest()
    assert kept.track == "Slow Tide" and kept.album

    fresh_server.faults.clear()  # Last.fm is back: the next run sends what waited
    again = subprocess.run(
        [
            sys.executable, "-m", "setlist", "play", "--demo",
            "jamendo:track:1007", *audio_args(tmp_path / "b.pcm", speed=3),
        ],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    received = state(fresh_server.ctx).received()
    # The first playing once, then the second (a later start time): each once, in order.
    assert [t for _, t, _ in received] == ["Slow Tide", "Slow Tide"]
    assert received[0][2] == kept.timestamp < received[1][2]
    assert state(fresh_server.ctx).offered == 2  # nothing sent twice
    assert spool.count() == 0


# -- the daemon and an attached app


@pytest.fixture
def daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    home = make_daemon_home(make_home(tmp_path, monkeypatch), monkeypatch.setenv)
    yield home
    remove_home(home)


@pytest.fixture
def apps() -> Iterator[list[App]]:
    started: list[App] = []
    yield started
    for app in started:
        app.close()


def test_the_daemon_scrobbles_and_an_attached_app_does_not(
    daemons: DaemonHome, apps: list[App], fresh_server: DemoServer, tmp_path: Path
) -> None:
    file_store_home(daemons.home, fresh_server)
    code, _, err = log_in()
    assert code == 0, err
    options = pcm_options(daemons.audio, speed=3.0)
    mpv = [arg for k, v in options.items() for arg in ("--mpv-option", f"{k}={v}")]
    started = daemons.setlist("daemon", "--demo", *mpv)
    assert started.returncode == 0, started.stderr
    daemons.pids.add(daemons.pid())
    # The app attaches first, so it sees the whole playing.
    app = App("-m", "setlist", "--demo")
    apps.append(app)
    assert app.read_until(ATTACHED), bytes(app.output[-2000:])
    assert daemons.ctl("add", "jamendo:track:1007").returncode == 0
    assert daemons.ctl("play").returncode == 0
    demo = state(fresh_server.ctx)
    wait_for(lambda: demo.received(), within=40)
    wait_for(lambda: not daemons.status()["playing"], within=30)  # Slow Tide played out
    time.sleep(1.0)  # a moment for a second scrobble, if anyone were to send one
    assert [t for _, t, _ in demo.received()] == ["Slow Tide"]
    assert demo.offered == 1  # sent once: not twice with one kept
    assert [n["track"] for n in demo.now_playing] == ["Slow Tide"]
    assert demo_spool(daemons.home).count() == 0
    app.press("q")
    assert app.wait() == 0


def test_play_with_a_revoked_session_says_so_once_and_keeps_the_scrobble(
    home: CliHome, fresh_server: DemoServer, tmp_path: Path, capsys
) -> None:
    file_store_home(home, fresh_server)
    code, _, err = log_in()
    assert code == 0, err
    state(fresh_server.ctx).sessions.clear()  # revoked on Last.fm's side
    result = subprocess.run(
        [
            sys.executable, "-m", "setlist", "play", "--demo",
            "jamendo:track:1007", "jamendo:track:1007", *audio_args(tmp_path / "a.pcm", speed=4),
        ],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    told = [line for line in result.stderr.splitlines() if "sign in again" in line]
    assert told == [f"setlist: {SIGN_IN_AGAIN}"]  # once, for two tracks
    assert demo_spool(home).count() == 2  # kept for after the sign-in
    assert state(fresh_server.ctx).received() == []
    status = run_main(capsys, "scrobble", "status", "--demo")
    assert "Last.fm refused the session: run `setlist login lastfm` again" in status.out
    assert "Waiting     2 scrobbles" in status.out
