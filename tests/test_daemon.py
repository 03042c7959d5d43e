"""`setlist daemon` and `setlist ctl`, in subprocesses, with real libmpv writing what it plays.

The daemon plays the demo catalog at real time into a pcm file (`daemon_support`):
the file growing is the music playing. Each test has its own XDG directories, so its
socket, state and log are private to it, and every daemon it starts is stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from cli_support import Result, make_home, run_main, use_secret_service
from daemon_support import (
    BYTES_PER_SECOND,
    STARTED,
    DaemonHome,
    alive,
    connect,
    make_daemon_home,
    read_message,
    remove_home,
)
from keyring_service import SecretService
from playback_audio import pcm_options
from setlist import __version__
from setlist.core.models import Track
from setlist.core.queue import Queue
from setlist.daemon.client import (
    DaemonClient,
    DaemonConnectionLost,
    DaemonNotRunning,
    RemotePlayer,
    find_daemon,
)
from setlist.daemon.launch import start_daemon
from setlist.daemon.remote import LOST
from setlist.demo.catalog import DEMO_EMAIL
from setlist.demo.ym_state import OTHER_EMAIL, OTHER_PRIVATE_PLAYLIST_ID
from setlist.playback.events import NowPlaying, PlayerGone, QueueChanged, StateChanged
from setlist.store.state import PlayerState, StateStore
from waiting import wait_for, wait_until
from yourmusic_support import NO_THROTTLE

# The first plays for a minute: long enough for every test to act while it plays.
TRACKS = ["track:3005", "track:3000", "track:3001"]
LONG = "The Long Tone (Extended)"
TITLES = [LONG, "Morning Tone", "Evening Tone"]
NO_DAEMON = "setlist: no daemon is running (start one with `setlist daemon`)\n"
OTHER_UID = 65534  # nobody: exists on Debian; setuid to it needs no account anyway


@pytest.fixture
def daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    home = make_daemon_home(make_home(tmp_path, monkeypatch), monkeypatch.setenv)
    yield home
    remove_home(home)


def queue_up(daemons: DaemonHome, tracks: list[str] = TRACKS) -> list[str]:
    """Queue three tracks, repeat all (so the music never ends), play; the entry ids."""
    added = daemons.ctl("add", *tracks)
    assert added.returncode == 0, added.stderr
    assert daemons.ctl("repeat", "all").returncode == 0
    assert daemons.ctl("play").returncode == 0
    return [entry["id"] for entry in daemons.ctl_json("queue")["entries"]]


def test_detached_daemon_plays_the_queue_and_outlives_its_clients(daemons):
    started = daemons.start()
    assert started.returncode == 0, started.stderr
    assert STARTED in started.stdout
    assert str(daemons.socket) in started.stdout
    assert alive(daemons.pid())

    queue_up(daemons)
    listing = daemons.ctl_json("queue")
    assert [e["track"]["title"] for e in listing["entries"]] == TITLES
    status = daemons.status()
    assert status["playing"] and not status["paused"]
    assert status["entry"]["track"]["title"] == LONG

    paused = daemons.ctl("pause")
    assert paused.returncode == 0
    assert paused.stdout.startswith(f"⏸ Paused: “{LONG}”")
    assert daemons.status()["paused"] is True
    assert daemons.audio_grows(0.6, start_within=0) == 0

    resumed = daemons.ctl("play")
    assert resumed.stdout.startswith(f"▶ Playing: “{LONG}”")
    assert daemons.status()["paused"] is False
    human = daemons.ctl("status").stdout
    assert f"▶ Playing: “{LONG}” — The Sine Waves" in human
    assert "entry 1 of 3 queued · volume 100 · repeat all · shuffle off" in human

    # A client following events, killed the way a dropped SSH session kills it.
    follower = daemons.follow()
    assert follower.stdout is not None
    assert "Playing" in follower.stdout.readline()
    os.killpg(follower.pid, signal.SIGKILL)
    follower.wait()
    assert daemons.audio_grows(1.0) > BYTES_PER_SECOND / 2
    assert daemons.status()["playing"] is True


def test_foreground_daemon_stops_on_sigterm_and_restores_its_queue(daemons):
    first = daemons.start_foreground()
    # A Jamendo MP3 first: the pcm pacing (arealtime) stalls an HLS stream that starts
    # from a saved position, while a listener's audio output does not.
    ids = queue_up(daemons, ["jamendo:track:1007", "track:3000", "track:3001"])
    assert daemons.ctl("seek", "12").returncode == 0
    assert daemons.ctl("pause").returncode == 0
    position = daemons.status()["position"]
    assert position > 11.9

    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=15) == 0
    assert not daemons.socket.exists()
    assert daemons.state_file.exists()
    gone = daemons.ctl("status")
    assert (gone.returncode, gone.stderr) == (3, NO_DAEMON)

    daemons.start_foreground()
    listing = daemons.ctl_json("queue")
    assert [e["id"] for e in listing["entries"]] == ids
    assert listing["current"] == ids[0]
    status = daemons.status()
    assert status["repeat"] == "all"
    assert status["playing"] is False
    assert status["position"] == pytest.approx(position, abs=0.5)
    assert daemons.ctl("play").returncode == 0
    assert daemons.status()["position"] >= position - 0.5
    assert daemons.audio_grows(1.0) > BYTES_PER_SECOND / 2


def test_a_second_daemon_says_where_the_first_one_is(daemons):
    assert daemons.start().returncode == 0
    pid = daemons.pid()

    second = daemons.setlist(*daemons.daemon_args())
    assert second.returncode == 1
    assert f"pid {pid}" in second.stderr
    assert str(daemons.socket) in second.stderr
    assert alive(pid)

    foreground = daemons.setlist(*daemons.daemon_args(), "--foreground")
    assert foreground.returncode == 1
    assert f"pid {pid}" in foreground.stderr


def test_a_stale_socket_is_replaced(daemons):
    assert daemons.start().returncode == 0
    os.kill(daemons.pid(), signal.SIGKILL)
    wait_for(lambda: not alive(daemons.pid()))
    assert daemons.socket.exists()  # left behind
    assert find_daemon() is None
    stale = daemons.ctl("status")
    assert (stale.returncode, stale.stderr) == (3, NO_DAEMON)

    restarted = daemons.start()
    assert restarted.returncode == 0, restarted.stderr
    assert daemons.status()["daemon"]["pid"] == daemons.pid()


def test_the_socket_comes_back_when_logout_removes_the_runtime_dir(daemons):
    assert daemons.start().returncode == 0
    ids = queue_up(daemons)
    pid = daemons.pid()
    shutil.rmtree(daemons.runtime)  # logind removes it when the last session ends

    again = daemons.setlist(*daemons.daemon_args())
    assert again.returncode == 1
    assert f"pid {pid}" in again.stderr
    # With no runtime dir, clients (cron, a plain ssh command) look in the state dir.
    wait_for(lambda: daemons.ctl("status").returncode == 0, within=15)
    assert daemons.audio_grows(1.0) > BYTES_PER_SECOND / 2

    daemons.runtime.mkdir(mode=0o700)  # the next login
    wait_for(daemons.socket.exists, within=15)
    assert [e["id"] for e in daemons.ctl_json("queue")["entries"]] == ids
    assert daemons.status()["daemon"] == {
        "pid": pid,
        "socket": str(daemons.socket),
        "version": __version__,
        "demo": True,
    }


def test_another_user_cannot_connect(daemons):
    if os.geteuid() != 0:
        pytest.fail("this test switches to another user: run it as root, as CI does")
    assert daemons.start().returncode == 0
    socket_dir = daemons.socket.parent
    assert socket_dir.stat().st_mode & 0o777 == 0o700
    assert daemons.socket.stat().st_mode & 0o777 == 0o600

    assert connect_as_other_user(daemons.socket) == "PermissionError"

    # Even with the modes opened up by mistake, the daemon itself turns them away.
    daemons.runtime.chmod(0o711)
    socket_dir.chmod(0o711)
    daemons.socket.chmod(0o666)
    refused = json.loads(connect_as_other_user(daemons.socket))
    assert refused["ok"] is False
    assert refused["error"]["code"] == "forbidden"
    daemons.runtime.chmod(0o700)  # else the runtime dir is not trusted, and not looked in
    assert daemons.status()["daemon"]["pid"] == daemons.pid()


def connect_as_other_user(path: Path) -> str:
    """Connect from a child running as OTHER_UID; what it met: an error name or the reply.

    A forked child switching user with os.setuid: no account, sudo or Python install
    readable by that user is needed, only root (CI runs as root).
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        outcome = "nothing"
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(OTHER_UID)
            os.setuid(OTHER_UID)
            sock = connect(path, timeout=5)
            with contextlib.suppress(BrokenPipeError):  # it may hang up before we ask
                sock.sendall(b'{"id": 1, "cmd": "status"}\n')
            outcome = json.dumps(read_message(sock))
            if sock.recv(1) != b"":
                outcome = "not hung up"
        except BaseException as exc:
            outcome = type(exc).__name__
        finally:
            os.write(write_end, outcome.encode())
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        outcome = pipe.read().decode()
    os.waitpid(pid, 0)
    return outcome


def test_garbage_gets_error_replies_and_the_music_plays_on(daemons):
    assert daemons.start().returncode == 0
    queue_up(daemons)
    with connect(daemons.socket) as sock:
        replies = [
            daemons.request(sock, line)
            for line in (
                b"this is not json\n",
                b"[1, 2, 3]\n",
                b"\x00\xff\xfe\x80binary\x01\x02\n",
                b'{"id": 3, "cmd": "self-destruct"}\n',
                b'{"id": 4, "cmd": "seek", "args": {"seconds": "soon"}}\n',
                b'{"id": 5, "cmd": "queue.remove", "args": {"entries": ["no-such-entry"]}}\n',
                b"x" * (9 * 1024 * 1024) + b"\n",
            )
        ]
        codes = [(r.get("id"), r["ok"], r["error"]["code"]) for r in replies]
        assert codes == [
            (None, False, "bad_request"),
            (None, False, "bad_request"),
            (None, False, "bad_request"),
            (3, False, "unknown_command"),
            (4, False, "bad_request"),
            (5, False, "not_found"),
            (None, False, "too_large"),
        ]
        # The same connection still works after all that.
        answer = daemons.request(sock, b'{"id": 6, "cmd": "status"}\n')
        assert answer["id"] == 6 and answer["ok"] is True
    assert daemons.status()["playing"] is True
    assert len(daemons.ctl_json("queue")["entries"]) == 3
    assert daemons.audio_grows(1.0) > BYTES_PER_SECOND / 2


def test_a_client_that_does_not_read_is_dropped_and_holds_nothing_up(daemons):
    assert daemons.start().returncode == 0
    queue_up(daemons)
    track = daemons.ctl_json("queue")["entries"][0]["track"]
    with connect(daemons.socket) as sock:
        add = {"id": 1, "cmd": "queue.add", "args": {"tracks": [track] * 400}}
        assert daemons.request(sock, json.dumps(add).encode() + b"\n")["ok"]
    with connect(daemons.socket) as greedy:
        # Each queue.list reply is ~200 KB; this client asks for 50 MB and reads none.
        greedy.sendall(b'{"cmd": "subscribe"}\n' + b'{"cmd": "queue.list"}\n' * 250)
        status = daemons.ctl("status")
        assert status.returncode == 0
        assert daemons.audio_grows(1.0) > BYTES_PER_SECOND / 2
        assert hung_up(greedy)


def hung_up(sock: socket.socket) -> bool:
    """Read everything the daemon had sent until it closed the connection."""
    sock.settimeout(10)
    try:
        while sock.recv(1 << 20):
            pass
    except ConnectionResetError:
        pass
    return True


def test_ctl_without_a_daemon_says_how_to_start_one(daemons):
    for args in (["status"], ["play", "anything"], ["queue", "--json"]):
        result = daemons.ctl(*args)
        assert (result.returncode, result.stdout, result.stderr) == (3, "", NO_DAEMON)


def test_ctl_edits_the_queue_by_number_and_by_id(daemons, capsys):
    assert daemons.start().returncode == 0
    ids = queue_up(daemons)

    def ctl(*args: str) -> Result:  # in this process: quicker than a subprocess each
        return run_main(capsys, "ctl", *args)

    def queue_ids() -> list[str]:
        return [e["id"] for e in json.loads(ctl("queue", "--json").out)["entries"]]

    assert ctl("move", "3", "1").out == "Moved “Evening Tone” — The Sine Waves to 1.\n"
    assert queue_ids() == [ids[2], ids[0], ids[1]]
    assert ctl("remove", ids[1][:10]).out == "Removed 1 entry.\n"
    assert queue_ids() == [ids[2], ids[0]]
    assert ctl("jump", "1").out.startswith("▶ Playing: “Evening Tone”")
    missing = ctl("jump", "7")
    assert (missing.code, missing.err) == (1, "setlist: no entry 7: the queue has 2\n")
    assert ctl("volume", "-30").out == "volume 70\n"
    assert ctl("mute").out == "muted\n"
    assert ctl("shuffle", "on").out == "shuffle on\n"
    assert ctl("repeat").out == "repeat one\n"  # the next mode after all
    assert ctl("seek", "1:30").code == 0
    bad_seek = ctl("seek", "soon")
    assert bad_seek.code == 2
    assert ctl("clear").out == "Cleared the queue.\n"
    assert ctl("queue").out == "The queue is empty.\n"

    assert ctl("quit").out == "The daemon has stopped.\n"
    assert not daemons.socket.exists()
    assert ctl("status").code == 3


async def test_remote_player_drives_the_daemon_like_a_player(daemons):
    assert daemons.start().returncode == 0
    ids = queue_up(daemons)
    player = RemotePlayer()
    events: list[object] = []
    player.subscribe(events.append)
    await player.start()
    try:
        assert [e.id for e in player.queue.entries] == ids
        assert player.playing is not None and player.playing.id == ids[0]

        tracks = [entry.track for entry in player.queue.entries[:2]]
        added = await player.add(tracks, where="next")
        # The mirror is current when the call returns (the queue editor relies on it).
        assert [player.queue.index(e.id) for e in added] == [1, 2]
        await player.move(added[1].id, 0)
        assert player.queue.entries[0].id == added[1].id
        await player.remove([added[0].id])
        assert len(player.queue) == 4

        await player.pause()
        assert player.engine.paused is True
        await player.toggle()
        assert player.engine.paused is False
        await player.set_volume(40)
        assert player.engine.volume == 40

        # Pushed once mpv reports the new volume, which may be after the reply.
        def volume_pushed() -> bool:
            return any(isinstance(e, StateChanged) and e.volume == 40 for e in events)

        await wait_until(volume_pushed, within=5.0)
        moved = await player.next()
        assert moved is not None and player.playing == moved
        assert any(isinstance(e, QueueChanged) for e in events)
        assert any(isinstance(e, NowPlaying) and e.entry == moved for e in events)
    finally:
        await player.close()
    # Closing the app's side leaves the music playing.
    assert daemons.status()["playing"] is True
    assert daemons.audio_grows(1.0) > BYTES_PER_SECOND / 2


async def test_remote_player_reconnects_to_a_restarted_daemon(daemons):
    assert daemons.start().returncode == 0
    queue_up(daemons)
    player = RemotePlayer()
    events: list[object] = []
    player.subscribe(events.append)
    await player.start()
    try:
        pid = daemons.pid()
        os.kill(pid, signal.SIGTERM)
        wait_for(lambda: not alive(pid))
        for _ in range(200):  # the hang-up reaches the app's loop
            if any(isinstance(e, PlayerGone) for e in events):
                break
            await asyncio.sleep(0.01)
        assert [e.message for e in events if isinstance(e, PlayerGone)] == [LOST]
        assert player.gone

        with pytest.raises(DaemonConnectionLost, match="start it again with `setlist daemon`"):
            await player.pause()  # nobody there yet

        assert daemons.start().returncode == 0  # a new daemon, its queue restored
        events.clear()
        await player.set_volume(30)
        assert player.engine.volume == 30 and daemons.status()["volume"] == 30
        listed = [entry["id"] for entry in daemons.ctl_json("queue")["entries"]]
        assert [e.id for e in player.queue.entries] == listed
        assert any(isinstance(e, QueueChanged) for e in events)
        assert any(isinstance(e, NowPlaying) for e in events)
    finally:
        await player.close()


async def test_remote_player_without_a_daemon(daemons):
    with pytest.raises(DaemonNotRunning):
        await RemotePlayer().start()


async def test_the_app_can_start_a_daemon_and_finds_a_running_one(daemons):
    options = [f"{k}={v}" for k, v in pcm_options(daemons.audio, speed=1.0).items()]
    path = await start_daemon(demo=True, mpv_options=options)
    daemons.pids.add(daemons.pid())
    assert path == daemons.socket
    pid = daemons.pid()
    assert await start_daemon(demo=True) == path
    assert daemons.pid() == pid


def test_ctl_events_follows_until_ctrl_c(daemons):
    assert daemons.start().returncode == 0
    follower = daemons.follow("--json")
    assert follower.stdout is not None
    queue_up(daemons)
    seen: list[str] = []
    while "progress" not in seen:
        seen.append(json.loads(follower.stdout.readline())["event"])
    assert {"queue", "state", "now_playing"} <= set(seen)
    # Then the position each second of audio, none left out.
    seconds: list[int] = []
    while len(seconds) < 4:
        event = json.loads(follower.stdout.readline())
        if event["event"] == "progress":
            seconds.append(int(event["position"]))
    assert seconds == list(range(seconds[0], seconds[0] + 4))
    follower.send_signal(signal.SIGINT)
    assert follower.wait(timeout=10) == 0


def test_ctl_events_progress_prints_the_position_for_people(daemons):
    assert daemons.start().returncode == 0
    follower = daemons.follow("--progress")
    assert follower.stdout is not None
    queue_up(daemons)
    line = follower.stdout.readline()
    while not line.startswith("at "):
        line = follower.stdout.readline()
    assert re.fullmatch(r"at \d+:\d\d / \d+:\d\d\n", line)
    follower.send_signal(signal.SIGINT)
    assert follower.wait(timeout=10) == 0


@pytest.mark.fault(
    "a damaged entry in the daemon's saved queue",
    "the daemon drops it, keeps the rest, and says so at start and in `ctl status`",
)
def test_a_damaged_saved_entry_is_dropped_and_the_daemon_says_so(daemons):
    queue = Queue()
    queue.append(
        Track(provider="yourmusic", id=str(3000 + i), title=f"Tone {i}", duration=6.0)
        for i in range(3)
    )
    store = StateStore(daemons.state_file.parent)
    store.save(PlayerState(queue=queue.snapshot()))
    data = store.queue_path.read_bytes().replace(b'"title":"Tone 1"', b'"title":["Tone 1"]')
    store.queue_path.write_bytes(data)

    started = daemons.start()
    assert started.returncode == 0, started.stderr
    said = "1 of 3 saved queue entries were damaged and dropped"
    assert said in started.stdout
    assert said in daemons.ctl("status").stdout
    listing = daemons.ctl_json("queue")
    kept = [queue.entries[0].id, queue.entries[2].id]
    assert [e["id"] for e in listing["entries"]] == kept
    logs = daemons.home.dirs["XDG_STATE_HOME"].rglob("*.log")
    assert any(said in log.read_text() for log in logs)


def test_a_queue_of_100000_entries_is_listed_page_by_page(daemons):
    queue = Queue()
    queue.append(
        Track(
            provider="jamendo",
            id=str(100_000 + i),
            title=f"A track with a title of some length, number {i}",
            artist_name=f"The Artist Collective {i // 12}",
            album_title=f"An Album Called Something {i // 12}",
            duration=200.0,
            image_url=f"https://usercontent.example.org/covers/{i // 12}/300x300.jpg",
            audio_url=f"https://prod-1.storage.example.org/?trackid={100_000 + i}&format=mp31",
        )
        for i in range(100_000)
    )
    ids = [e.id for e in queue.entries]
    StateStore(daemons.state_file.parent).save(PlayerState(queue=queue.snapshot()))
    assert len(json.dumps(msgspec.to_builtins(queue.entries))) > 32 * 1024 * 1024
    assert daemons.start().returncode == 0

    listing = daemons.ctl_json("queue")  # every entry, streamed page by page
    assert [e["id"] for e in listing["entries"]] == ids
    assert listing["total"] == 100_000 and listing["shuffle"] is False

    tail = daemons.ctl("queue", "--offset", "99990", "--limit", "20")
    assert tail.returncode == 0, tail.stderr
    rows = tail.stdout.splitlines()[1:]
    assert [row.split()[0] for row in rows] == [str(n) for n in range(99_991, 100_001)]
    assert "number 99999" in rows[-1]
    page = daemons.ctl_json("queue", "--offset", "10", "--limit", "3")
    assert [e["id"] for e in page["entries"]] == ids[10:13] and page["offset"] == 10

    assert daemons.ctl("move", "100000", "1").returncode == 0  # ENTRY numbers reach the end
    assert daemons.ctl_json("queue", "--limit", "1")["entries"][0]["id"] == ids[-1]
    bad = daemons.ctl("queue", "--limit", "0")
    assert bad.returncode == 2 and "--limit" in bad.stderr


DEMOS_PRIVATE = "playlist:7a127812-f29c-5ee5-86a1-1474291fd493"  # Tone Ladder, Demo Listener's
ROBINS_PRIVATE = f"playlist:{OTHER_PRIVATE_PLAYLIST_ID}"


@pytest.fixture
def keyring_daemons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, secret_service: SecretService, make_demo
) -> Iterator[DaemonHome]:
    """A daemon home whose sign-ins live in a real Secret Service, on its own demo server."""
    for home in use_secret_service(make_home(tmp_path, monkeypatch), secret_service, monkeypatch):
        daemon_home = make_daemon_home(home, monkeypatch.setenv)
        home.attach(make_demo(**NO_THROTTLE))
        yield daemon_home
        remove_home(daemon_home)


def test_the_daemon_follows_sign_ins_and_sign_outs(keyring_daemons):
    daemons = keyring_daemons

    def log_in(email: str) -> None:
        result = daemons.setlist_input("login", "--demo", "--email", email, input="123456\n")
        assert result.returncode == 0, result.stderr

    log_in(DEMO_EMAIL)
    assert daemons.start().returncode == 0
    assert daemons.ctl("add", DEMOS_PRIVATE).returncode == 0
    assert daemons.ctl("add", ROBINS_PRIVATE).returncode == 1

    out = daemons.setlist("logout", "--demo")
    assert out.returncode == 0 and out.stderr == ""
    signed_out = daemons.ctl("add", DEMOS_PRIVATE)
    assert signed_out.returncode == 1, signed_out.stdout

    log_in(OTHER_EMAIL)
    assert daemons.ctl("add", DEMOS_PRIVATE).returncode == 1
    added = daemons.ctl_json("add", ROBINS_PRIVATE)
    assert daemons.ctl("jump", added["entries"][0]["id"]).returncode == 0
    assert daemons.audio_grows(1.0) > BYTES_PER_SECOND / 2  # its stream, with Robin's token


def test_ctl_jump_ahead_puts_only_what_played_into_the_history(daemons):
    """Row 2 plays, `ctl jump 6`: rows 3 to 5 never played and are not in the history."""
    assert daemons.start().returncode == 0
    tracks = ["track:3000", "track:3005", "track:3001", "track:3002", "track:3003", "track:3005"]
    assert daemons.ctl("add", *tracks).returncode == 0
    ids = [entry["id"] for entry in daemons.ctl_json("queue")["entries"]]
    assert daemons.ctl("jump", "2").returncode == 0
    jumped = daemons.ctl("jump", "6")
    assert jumped.stdout.startswith(f"▶ Playing: “{LONG}”"), jumped.stderr

    async def whole_queue() -> dict:
        async with await DaemonClient.connect(daemons.socket) as client:
            return await client.request("queue.list")  # no limit: with the history

    listing = asyncio.run(whole_queue())
    assert listing["current"] == ids[5]
    assert listing["history"] == [ids[1]]
