"""MPRIS: whichever process plays is on the session bus, driven and read by the real playerctl.

Each test has a private dbus-daemon (`session_bus`) and gives its address only to the
processes it starts, so nothing of a desktop's bus is touched. The daemon plays into
a pcm file paced at real time (`daemon_support`): the file growing is the music
playing.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import msgspec
import pytest

from cli_support import make_home
from daemon_support import DaemonHome, make_daemon_home, remove_home
from playback_audio import pcm_options
from session_bus import Follower, SessionBus, call, call_with, playerctl, private_session_bus
from setlist.core.errors import ConfigError
from setlist.core.items import file_track
from setlist.daemon.instance import log_file
from setlist.demo.catalog import media_dir
from setlist.services.mpris import CONNECT_DEADLINE, NAME, PATH, PLAYER, ROOT, Mpris
from setlist.services.player import Catalogs, make_player
from setlist.store.config import load_config
from setlist.store.state import StateStore
from waiting import wait_for, wait_until

# Long enough not to end while a test looks: a minute, then 45 s, then 7 s.
TRACKS = ["track:3005", "jamendo:track:1007", "track:3001"]
LONG = "The Long Tone (Extended)"
NEXT = "Slow Tide"  # jamendo:track:1007
NEXT_BY = "Pulse Garden|Warm Static"
ARTIST, ALBUM = "The Sine Waves", "Tone Studies"


@pytest.fixture
def session_bus(tmp_path: Path) -> Iterator[SessionBus]:
    with private_session_bus(tmp_path / "dbus") as running:
        yield running


@pytest.fixture
def bus(session_bus: SessionBus) -> str:
    return session_bus.address


@pytest.fixture
def daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bus: str) -> Iterator[DaemonHome]:
    home = make_daemon_home(make_home(tmp_path, monkeypatch), monkeypatch.setenv)
    monkeypatch.setenv("SETLIST_PLAINTEXT_TOKENS", "1")  # no keyring daemon needed
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus)
    yield home
    remove_home(home)


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def players(bus: str) -> list[str]:
    """The MPRIS players on the bus, as `playerctl -l` lists them."""
    listed = playerctl(bus, "-l", player="")
    return listed.stdout.split()


def ctl_ok(daemons: DaemonHome, *args: str) -> None:
    result = daemons.ctl(*args)
    assert result.returncode == 0, result.stderr


def playing_daemon(daemons: DaemonHome, bus: str) -> None:
    started = daemons.start()
    assert started.returncode == 0, started.stderr
    ctl_ok(daemons, "add", *TRACKS)
    ctl_ok(daemons, "play")
    wait_for(lambda: daemons.audio_size() > 0, within=15)
    wait_for(lambda: players(bus) == ["setlist"], within=10)


def metadata(bus: str) -> str:
    shown = playerctl(bus, "metadata", "--format", "{{title}}|{{artist}}|{{album}}")
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip()


def playerctl_ok(bus: str, *args: str) -> str:
    result = playerctl(bus, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# -- the daemon, driven by playerctl


def test_playerctl_reads_and_drives_what_the_daemon_plays(daemons, bus):
    playing_daemon(daemons, bus)
    assert metadata(bus) == f"{LONG}|{ARTIST}|{ALBUM}"
    assert playerctl_ok(bus, "status") == "Playing"
    trackid = playerctl_ok(bus, "metadata", "mpris:trackid")
    assert trackid == f"'/org/setlist/track/{daemons.status()['entry']['id']}'"  # hex ids
    assert float(playerctl_ok(bus, "metadata", "mpris:length")) == pytest.approx(60e6, rel=0.01)

    playerctl_ok(bus, "play-pause")
    assert daemons.status()["paused"] is True
    assert daemons.audio_grows(0.5, start_within=0.5) == 0  # the music really stopped
    assert playerctl_ok(bus, "status") == "Paused"

    playerctl_ok(bus, "position", "10")  # SetPosition
    assert daemons.status()["position"] == pytest.approx(10.0, abs=0.3)
    assert float(playerctl_ok(bus, "position")) == pytest.approx(10.0, abs=0.3)
    playerctl_ok(bus, "position", "5+")  # Seek
    assert daemons.status()["position"] == pytest.approx(15.0, abs=0.3)

    playerctl_ok(bus, "volume", "0.5")
    assert daemons.status()["volume"] == pytest.approx(50.0)
    assert float(playerctl_ok(bus, "volume")) == pytest.approx(0.5)

    playerctl_ok(bus, "loop", "Playlist")
    assert daemons.status()["repeat"] == "all"
    playerctl_ok(bus, "shuffle", "On")
    assert daemons.status()["shuffle"] is True
    playerctl_ok(bus, "shuffle", "Off")

    playerctl_ok(bus, "play-pause")
    assert daemons.status()["paused"] is False
    assert daemons.audio_grows(0.5) > 0

    playerctl_ok(bus, "next")
    status = daemons.status()
    assert status["entry"]["track"]["title"] == NEXT
    assert status["index"] == 1
    assert metadata(bus) == f"{NEXT}|{NEXT_BY}"
    assert playerctl_ok(bus, "metadata", "mpris:trackid") != trackid


def test_open_uri_plays_an_item_and_a_bad_one_is_told(daemons, bus):
    playing_daemon(daemons, bus)
    playerctl_ok(bus, "open", TRACKS[1])
    assert daemons.status()["entry"]["track"]["title"] == NEXT
    assert metadata(bus) == f"{NEXT}|{NEXT_BY}"

    refused = playerctl(bus, "open", "album:nonexistent")
    assert refused.returncode != 0
    assert "No album nonexistent" in refused.stderr
    assert daemons.status()["entry"]["track"]["title"] == NEXT


def test_signals_tell_followers_of_pauses_and_seeks(daemons, bus):
    playing_daemon(daemons, bus)
    status, position = followers = [Follower(bus, what) for what in ("status", "position")]
    try:
        assert status.next() == "Playing"
        position.next()  # where it was when playerctl started

        ctl_ok(daemons, "pause")  # from elsewhere than the bus: PropertiesChanged
        assert status.next() == "Paused"
        ctl_ok(daemons, "seek", "30")  # Seeked
        assert float(position.next()) == pytest.approx(30.0, abs=0.3)
    finally:
        for follower in followers:
            follower.close()


# -- one player on the bus


def test_an_attached_app_leaves_the_bus_to_the_daemon(daemons, bus, processes):
    from test_app_attach import ATTACHED, App

    playing_daemon(daemons, bus)
    app = App("-m", "setlist", "--demo")
    try:
        assert app.read_until(ATTACHED), bytes(app.output[-2000:])
        assert app.read_until(LONG.encode())
        assert players(bus) == ["setlist"]
        assert metadata(bus).startswith(f"{LONG}|")
    finally:
        app.close()


def test_the_app_without_a_daemon_publishes_itself(daemons, bus):
    from test_app_attach import App

    options = pcm_options(daemons.audio, speed=1.0)
    mpv = [arg for k, v in options.items() for arg in ("--mpv-option", f"{k}={v}")]
    app = App("-m", "setlist", "--demo", "--no-daemon", *mpv)
    try:
        assert app.read_until(b"demo catalog"), bytes(app.output[-2000:])
        wait_for(lambda: players(bus) == ["setlist"], within=15)
        playerctl_ok(bus, "open", TRACKS[1])
        assert app.read_until(NEXT.encode())
        assert playerctl_ok(bus, "status") == "Playing"
        call(bus, NAME, PATH, ROOT, "Quit")
        assert app.wait() == 0  # quit as the app's own quit would
    finally:
        app.close()
    assert players(bus) == []


def test_setlist_play_publishes_while_it_plays(daemons, bus, processes):
    options = pcm_options(daemons.audio, speed=1.0)
    mpv = [arg for k, v in options.items() for arg in ("--mpv-option", f"{k}={v}")]
    process = subprocess.Popen(
        [sys.executable, "-m", "setlist", "play", "--demo", *TRACKS[:2], *mpv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    processes.append(process)
    assert process.stdout is not None
    assert process.stdout.readline().startswith(f"▶ {LONG}")
    wait_for(lambda: players(bus) == ["setlist"], within=10)
    assert metadata(bus) == f"{LONG}|{ARTIST}|{ALBUM}"

    playerctl_ok(bus, "play-pause")
    assert process.stdout.readline().strip() == "Paused"
    playerctl_ok(bus, "next")
    assert process.stdout.readline().startswith("Resumed")
    assert process.stdout.readline().startswith(f"▶ {NEXT}")

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 143
    assert players(bus) == []


def test_the_bus_going_away_leaves_the_daemon_playing_and_quiet(daemons, session_bus):
    playing_daemon(daemons, session_bus.address)
    session_bus.stop()
    ctl_ok(daemons, "pause")
    assert daemons.status()["paused"] is True
    ctl_ok(daemons, "toggle")
    assert daemons.audio_grows(0.5) > 0
    log = log_file().read_text()
    assert "MPRIS: the session bus went away" in log
    assert "Traceback" not in log


def test_a_second_process_playing_is_a_second_instance(daemons, bus, processes):
    playing_daemon(daemons, bus)
    process = subprocess.Popen(
        [sys.executable, "-m", "setlist", "play", "--demo", TRACKS[1], "--mpv-option", "ao=null"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    processes.append(process)
    second = f"setlist.instance{process.pid}"
    wait_for(lambda: sorted(players(bus)) == ["setlist", second], within=15)
    assert metadata(bus).startswith(f"{LONG}|")  # the daemon, which came first
    shown = playerctl(bus, "metadata", "title", player=second)
    assert shown.stdout.strip() == NEXT


# -- no bus, or MPRIS turned off


def test_mpris_turned_off_publishes_nothing(daemons, bus):
    config = daemons.home.dirs["XDG_CONFIG_HOME"] / "setlist" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[mpris]\nenabled = false\n")
    started = daemons.start()
    assert started.returncode == 0, started.stderr
    ctl_ok(daemons, "add", TRACKS[0])
    ctl_ok(daemons, "play")
    wait_for(lambda: daemons.audio_size() > 0, within=15)
    assert players(bus) == []


def test_a_wrong_mpris_setting_names_the_key_and_the_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[mpris]\nenabled = "yes"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert caught.value.message == (
        f"invalid value for 'mpris.enabled' in {config}: expected true or false; "
        'got the string "yes"'
    )


@pytest.mark.parametrize("address", [None, "unix:path=/nonexistent/bus"])
def test_without_a_session_bus_setlist_play_says_nothing_more(daemons, address, monkeypatch):
    monkeypatch.delenv("SETLIST_PLAINTEXT_TOKENS")  # its notice is not what this is about
    if address is None:
        monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    else:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    fast = ("--mpv-option", "ao=null", "--mpv-option", "ao-null-untimed=yes")
    result = daemons.setlist("play", "--demo", "track:3000", *fast)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"▶ Morning Tone — {ARTIST} ({ALBUM}) [yourmusic]\n"
    assert result.stderr == ""


def test_without_a_session_bus_nothing_of_mpris_is_loaded(daemons, monkeypatch):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    check = (
        "import sys\n"
        "from setlist.services.player import Catalogs, make_player\n"
        "from setlist.store.config import Config\n"
        "player = make_player(Config(), Catalogs())\n"
        "assert [type(c).__name__ for c in player.companions] == ['Scrobbling']\n"
        "mods = ('jeepney', 'setlist.services.mpris', 'setlist.services.notifications')\n"
        "loaded = [m for m in sys.modules if m.startswith(mods)]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


async def test_a_bus_that_never_answers_delays_nothing(tmp_path, monkeypatch, capfd):
    """A session bus address whose socket takes the connection and then says nothing
    (a stuck bus, a forwarded socket with nobody behind it): the player starts and
    closes without waiting for it, and nothing is printed."""
    path = tmp_path / "silent-bus"
    silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    silent.bind(str(path))
    silent.listen()
    silent.setblocking(False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={path}")
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):  # no notifications: MPRIS alone on the bus
        monkeypatch.delenv(name, raising=False)
    player = make_player(
        load_config(tmp_path / "none.toml"),
        Catalogs(),
        mpv_options={"ao": "null"},
        store=StateStore(tmp_path / "state"),
    )
    mpris, _scrobbling = player.companions
    assert isinstance(mpris, Mpris)
    loop = asyncio.get_running_loop()
    try:
        await player.start()
        # Started while the bus has not said a word: the connection is still waiting.
        conn, _ = await asyncio.wait_for(loop.sock_accept(silent), CONNECT_DEADLINE)
        assert mpris.name is None
        assert mpris._task is not None and not mpris._task.done()
        await player.close()
        assert mpris._task.done()
        # The connection it opened is closed, not left behind: after its greeting, the end.
        received = b""
        while chunk := await asyncio.wait_for(loop.sock_recv(conn, 1024), CONNECT_DEADLINE):
            received += chunk
        assert received.startswith(b"\0AUTH")
        conn.close()
    finally:
        with contextlib.suppress(Exception):
            await player.engine.shutdown()
        silent.close()
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# -- in the process that plays


async def test_metadata_carries_the_art_url_and_the_length_mpv_found(tmp_path, bus, monkeypatch):
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus)
    song = media_dir() / "jm" / "1002.mp3"
    track = msgspec.structs.replace(
        file_track(song),
        title="Cover Song",
        artist_name="Somebody",
        album_title="Some Album",
        image_url="https://images.example/cover.jpg",
    )
    player = make_player(
        load_config(tmp_path / "none.toml"),
        Catalogs(),
        mpv_options={"ao": "null"},
        store=StateStore(tmp_path / "state"),
    )
    await player.start()
    try:
        await asyncio.to_thread(wait_for, lambda: players(bus) == ["setlist"])
        follower = Follower(bus, "metadata", "--format", "{{title}} {{mpris:length}}")
        try:
            await asyncio.sleep(0.5)  # playerctl has read the properties and listens
            await player.add([track], where="now")
            await wait_until(lambda: player.duration is not None, within=15)  # mpv's length
            assert player.duration is not None
            # A file's track comes with no length: the one mpv found is announced after.
            told = f"Cover Song {round(player.duration * 1_000_000)}"
            await asyncio.to_thread(follower.until, told)
        finally:
            follower.close()

        shown = await asyncio.to_thread(
            playerctl, bus, "metadata", "--format", "{{xesam:artist}}|{{album}}|{{mpris:artUrl}}"
        )
        assert shown.stdout.strip() == "Somebody|Some Album|https://images.example/cover.jpg"

        # What the object says it has (d-feet, gdbus) is what it answers.
        (xml,) = await asyncio.to_thread(
            call, bus, NAME, PATH, "org.freedesktop.DBus.Introspectable", "Introspect"
        )
        (everything,) = await asyncio.to_thread(
            call_with, bus, PATH, "org.freedesktop.DBus.Properties", "GetAll", "s", (PLAYER,)
        )
        interface = ElementTree.fromstring(str(xml)).find(f"interface[@name='{PLAYER}']")
        assert interface is not None
        assert {p.get("name") for p in interface.iter("property")} == set(everything)
        assert {m.get("name") for m in interface.iter("method")} == {
            "Next", "Previous", "Pause", "PlayPause", "Stop", "Play", "Seek", "SetPosition",
            "OpenUri",
        }  # fmt: skip
    finally:
        await player.close()


async def test_a_bus_that_stops_reading_does_not_hold_the_close(tmp_path, session_bus, monkeypatch):
    """A bus frozen mid-session (its process stopped) leaves signals unsent: closing
    the player still returns, dropping them, instead of waiting for the bus to read."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", session_bus.address)
    player = make_player(
        load_config(tmp_path / "none.toml"),
        Catalogs(),
        mpv_options={"ao": "null"},
        store=StateStore(tmp_path / "state"),
    )
    await player.start()
    closed = False
    try:
        await asyncio.to_thread(wait_for, lambda: players(session_bus.address) == ["setlist"])
        session_bus.process.send_signal(signal.SIGSTOP)
        for _ in range(4000):  # each a PropertiesChanged: far more than a socket buffers
            await player.set_shuffle(not player.queue.shuffle)
        await asyncio.sleep(0.2)
        await asyncio.wait_for(player.close(), 10)
        closed = True
    finally:
        session_bus.process.send_signal(signal.SIGCONT)
        if not closed:
            await player.close()
