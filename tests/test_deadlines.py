"""Nothing waits forever: overall deadlines on HTTP requests and on the daemon's replies,
state files that are not regular files, and a burst of clients at the daemon's socket."""

from __future__ import annotations

import errno
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_support import make_home, run_main
from daemon_support import DaemonHome, make_daemon_home, read_message, remove_home
from setlist.daemon import client as client_module


@pytest.fixture
def daemons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DaemonHome]:
    home = make_daemon_home(make_home(tmp_path, monkeypatch), monkeypatch.setenv)
    yield home
    remove_home(home)


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
