"""Nothing waits forever: overall deadlines on HTTP requests and on the daemon's replies,
state files that are not regular files, and a burst of clients at the daemon's socket."""

from __future__ import annotations

import asyncio
import errno
import json
import os
import select
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_support import make_home, run_main
from daemon_support import (
    STARTED,
    DaemonHome,
    make_daemon_home,
    read_message,
    remove_home,
)
from setlist.cli import ctl_cmd
from setlist.core.errors import ConfigError, NetworkError
from setlist.daemon import client as client_module
from setlist.providers.http import Deadlines
from setlist.providers.jamendo import JamendoClient
from setlist.providers.lastfm import LastfmClient
from setlist.providers.yourmusic import YourMusicAuth, YourMusicClient
from setlist.providers.yourmusic.auth import ENV_TOKEN
from setlist.store.config import load_config
from setlist.store.secret_fallbacks import MemoryStore
from setlist.store.state import StateStore


class Trickle(socketserver.ThreadingTCPServer):
    """Accepts every connection, then sends an answer's status line one byte at a time,
    a byte every `gap` seconds, for as long as the client stays: no read ever times out."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, gap: float = 0.5) -> None:
        super().__init__(("127.0.0.1", 0), _TrickleHandler)
        self.gap = gap
        self.stopped = threading.Event()
        self.open = 0  # connections the clients have not closed yet
        self.accepted = 0
        self._count = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def count(self, opened: int) -> None:
        with self._count:
            self.open += opened
            self.accepted += max(0, opened)

    def stop(self) -> None:
        self.stopped.set()
        self.shutdown()
        self.server_close()


class _TrickleHandler(socketserver.BaseRequestHandler):
    server: Trickle

    def handle(self) -> None:
        self.server.count(+1)
        try:
            self.request.recv(65536)
            answer = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000
            for byte in answer:
                if self.server.stopped.wait(self.server.gap):
                    return
                self.request.sendall(bytes([byte]))
        except OSError:  # the client gave up and closed the connection
            pass
        finally:
            self.server.count(-1)


@pytest.fixture
def trickle() -> Iterator[Trickle]:
    server = Trickle()
    yield server
    server.stop()


@pytest.fixture
def daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    home = make_daemon_home(make_home(tmp_path, monkeypatch), monkeypatch.setenv)
    yield home
    remove_home(home)


SHORT = Deadlines(api=2.0, sign_in=3.0, stream=2.0)


def trickled_client(trickle: Trickle) -> YourMusicClient:
    # A token from the environment: Home needs a user, and it never reaches a store.
    auth = YourMusicAuth(MemoryStore(), environ={ENV_TOKEN: "token-for-the-test"})
    return YourMusicClient(trickle.url, "demo", auth, deadlines=SHORT)


async def ends_within(seconds: float, call) -> NetworkError:
    started = time.monotonic()
    with pytest.raises(NetworkError) as caught:
        await call
    assert time.monotonic() - started < seconds
    return caught.value


@pytest.mark.fault(
    "a server that trickles one byte every half second (search, Home)",
    "each call ends at its deadline with a message naming the service",
)
async def test_search_and_home_end_at_their_deadline_on_a_trickling_server(trickle):
    async with trickled_client(trickle) as client:
        failed = await ends_within(4, client.search_tracks("tone"))
        assert str(failed).startswith("YourMusic did not answer within 2 s.")
        failed = await ends_within(4, client.home())
        assert str(failed).startswith("YourMusic did not answer within 2 s.")
    assert trickle.accepted >= 2
    await asyncio.sleep(trickle.gap * 2)
    assert trickle.open == 0  # every connection given up on was closed


@pytest.mark.fault(
    "a trickling server during sign-in",
    "the code request ends at the sign-in deadline",
)
async def test_a_one_time_code_request_ends_at_the_sign_in_deadline(trickle):
    async with trickled_client(trickle) as client:
        failed = await ends_within(5, client.auth.request_code("someone@example.org"))
    assert str(failed).startswith("YourMusic did not answer within 3 s.")


def test_setlist_search_says_the_service_did_not_answer(daemons, trickle, capsys, monkeypatch):
    monkeypatch.setenv(ENV_TOKEN, "token-for-the-test")
    daemons.home.write_config(
        f'[yourmusic]\nbase_url = "{trickle.url}"\ntenant = "demo"\n'
        '[providers]\nenabled = ["yourmusic"]\n[timeouts]\napi = 2\n'
    )
    started = time.monotonic()
    result = run_main(capsys, "search", "tone")
    assert time.monotonic() - started < 5
    assert result.code != 0
    assert "YourMusic did not answer within 2 s." in result.err
    assert "Traceback" not in result.err


def open_fds(pid: int) -> int:
    return sum(1 for _ in Path(f"/proc/{pid}/fd").iterdir())


@pytest.mark.fault(
    "a trickling catalog behind `setlist ctl play`",
    "ctl ends at the deadline and the daemon holds no extra file descriptor",
)
def test_ctl_play_ends_at_the_deadline_and_the_daemon_keeps_no_descriptor(
    daemons, trickle, monkeypatch
):
    # The daemon's catalog is the trickling server: every call to it trickles.
    monkeypatch.setenv(ENV_TOKEN, "token-for-the-test")
    daemons.home.write_config(
        f'[yourmusic]\nbase_url = "{trickle.url}"\ntenant = "demo"\n'
        '[providers]\nenabled = ["yourmusic"]\n'
        "[timeouts]\napi = 2\nsign_in = 2\nstream = 2\n"
    )
    started = daemons.setlist(*[a for a in daemons.daemon_args() if a != "--demo"])
    assert started.returncode == 0, started.stderr
    pid = daemons.pid()
    daemons.pids.add(pid)
    first = daemons.ctl("play", "track:3005")
    assert first.returncode == 1
    assert "YourMusic did not answer within 2 s." in first.stderr
    before = open_fds(pid)
    for _ in range(4):
        begun = time.monotonic()
        again = daemons.ctl("play", "track:3005")
        assert time.monotonic() - begun < 8
        assert "YourMusic did not answer within 2 s." in again.stderr
    assert open_fds(pid) <= before


@pytest.mark.fault(
    "a burst of 500 clients at the daemon's socket",
    "every client is answered",
)
def test_a_burst_of_500_clients_is_all_answered(daemons):
    assert daemons.start().returncode == 0
    clients: list[socket.socket] = []
    refused = 0
    try:
        # Connected as fast as Python can, before the daemon gets to accept them.
        for _ in range(500):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.setblocking(False)
            try:
                sock.connect(str(daemons.socket))
            except BlockingIOError as exc:  # EAGAIN: the listen backlog is full
                assert exc.errno == errno.EAGAIN
                refused += 1
                sock.close()
                continue
            clients.append(sock)
        assert refused == 0, f"{refused} of 500 clients were refused"
        for number, sock in enumerate(clients):
            sock.setblocking(True)
            sock.settimeout(30)
            sock.sendall(b'{"id": %d, "cmd": "status"}\n' % number)
        answers = [read_message(sock) for sock in clients]
        assert [a["id"] for a in answers] == list(range(500))
        assert all(a["ok"] for a in answers)
    finally:
        for sock in clients:
            sock.close()


@pytest.mark.fault(
    "a stuck daemon: it accepts and never answers",
    "`setlist ctl` gives up in bounded time and names the daemon's log",
)
def test_ctl_gives_up_on_a_daemon_that_accepts_and_never_answers(daemons, capsys, monkeypatch):
    monkeypatch.setattr(client_module, "REPLY_TIMEOUT", 1.0)
    daemons.socket.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stuck:
        stuck.bind(str(daemons.socket))
        stuck.listen(8)  # connections complete in the backlog; nobody ever reads them
        started = time.monotonic()
        result = run_main(capsys, "ctl", "status")
        took = time.monotonic() - started
    assert took < 5
    assert result.code == 3
    log = daemons.home.dirs["XDG_STATE_HOME"] / "setlist" / "log" / "daemon.log"
    assert result.err == (
        "setlist: the daemon accepted the connection but did not answer within 1 s; "
        f"it may be stuck: see its log, {log}\n"
    )


@pytest.mark.fault(
    "a FIFO in place of the daemon's state file",
    "the daemon starts empty, says why, and SIGTERM ends it cleanly",
)
def test_a_state_file_that_is_a_fifo_neither_blocks_the_daemon_nor_holds_sigterm(daemons):
    state = daemons.state_file
    state.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(state, 0o600)
    process = subprocess.Popen(
        [sys.executable, "-m", "setlist", *daemons.daemon_args(), "--foreground"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    daemons.foreground.append(process)
    daemons.pids.add(process.pid)
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 30)
    assert ready, "the daemon did not start within 30 s"
    assert STARTED in process.stdout.readline()
    assert daemons.ctl_json("queue")["entries"] == []
    log = (daemons.home.dirs["XDG_STATE_HOME"] / "setlist" / "log" / "daemon.log").read_text()
    assert f"Could not read where the player was: {state} is not a regular file but a FIFO" in log
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0


@pytest.mark.fault(
    "a folder in place of the state file, a FIFO in place of the config",
    "each is named with what to do; nothing hangs",
)
def test_state_and_config_that_are_not_regular_files_are_reported(tmp_path):
    (tmp_path / "state.json").mkdir()
    store = StateStore(tmp_path)
    assert store.load() is None
    assert store.warning == (
        f"Could not read where the player was: {tmp_path / 'state.json'} is not a regular file "
        "but a directory; going on without it (remove it, and setlist saves there again)."
    )
    config = tmp_path / "config.toml"
    os.mkfifo(config, 0o600)
    with pytest.raises(ConfigError) as failed:
        load_config(config)
    assert str(failed.value) == (
        f"cannot read the config file {config}: not a regular file but a FIFO (named pipe)"
    )


@pytest.mark.fault(
    "trickling Jamendo and Last.fm servers",
    "each call ends at its deadline",
)
async def test_jamendo_and_lastfm_calls_end_at_their_deadlines(trickle):
    jamendo = JamendoClient(trickle.url, "client-id", client_secret="secret", deadlines=SHORT)
    async with jamendo, LastfmClient(trickle.url, "api-key", deadlines=SHORT) as lastfm:
        failed = await ends_within(4, jamendo.search_tracks("tone"))
        assert str(failed).startswith("Jamendo did not answer within 2 s.")
        failed = await ends_within(
            5, jamendo.exchange("a-code", redirect_uri="http://127.0.0.1:9/done")
        )
        assert str(failed).startswith("Jamendo did not answer within 3 s.")
        failed = await ends_within(4, lastfm.album_info("Cher", "Believe"))
        assert str(failed).startswith("Last.fm did not answer within 2 s.")


@pytest.mark.fault(
    "a daemon that answers `quit` and then never hangs up",
    "`setlist ctl quit` gives up in bounded time, exit 1, naming the daemon's log",
)
def test_ctl_quit_gives_up_on_a_daemon_that_never_hangs_up(daemons, capsys, monkeypatch):
    monkeypatch.setattr(ctl_cmd, "QUIT_WAIT_STEPS", 20)  # 1 s
    daemons.socket.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stuck:
        stuck.bind(str(daemons.socket))
        stuck.listen(8)

        def answer_and_hold() -> None:
            connection, _ = stuck.accept()
            request = json.loads(connection.makefile().readline())
            connection.sendall(
                json.dumps({"id": request["id"], "ok": True, "result": {}}).encode() + b"\n"
            )
            time.sleep(5)  # the connection stays open
            connection.close()

        holder = threading.Thread(target=answer_and_hold, daemon=True)
        holder.start()
        started = time.monotonic()
        result = run_main(capsys, "ctl", "quit")
        took = time.monotonic() - started
    assert took < 4
    assert result.code == 1
    log = daemons.home.dirs["XDG_STATE_HOME"] / "setlist" / "log" / "daemon.log"
    assert result.err == (
        "setlist: the daemon said it would stop, but it is still running after 1 s; "
        f"see its log, {log}\n"
    )
