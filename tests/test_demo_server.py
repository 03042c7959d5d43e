"""The demo server's life beside the app: asleep while nobody asks, stopped at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from setlist.demo.catalog import JAMENDO_DEMO_CLIENT_ID
from setlist.demo.server import DemoServer
from setlist.demo.settings import DemoSettings


def wakeups(thread: threading.Thread) -> int:
    """How many times `thread` has slept and been woken so far (not counting preemption)."""
    status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
    (line,) = [line for line in status.splitlines() if line.startswith("voluntary_ctxt")]
    return int(line.split()[1])


def test_an_idle_demo_server_sleeps_and_stops_at_once() -> None:
    others = set(threading.enumerate())  # other tests' servers may be running
    demo = DemoServer(DemoSettings()).start()
    try:
        params = {"client_id": JAMENDO_DEMO_CLIENT_ID, "limit": 1}
        answer = httpx.get(f"{demo.jamendo_url}/tracks/", params=params, timeout=10)
        assert answer.status_code == 200
        (server,) = [t for t in set(threading.enumerate()) - others if t.name == "demo-server"]

        time.sleep(0.3)  # the connection's close handled
        before = wakeups(server)
        time.sleep(1.0)
        assert wakeups(server) - before <= 2  # it used to wake ten times a second
    finally:
        started = time.monotonic()
        demo.stop()
    assert time.monotonic() - started < 1.0
    assert not server.is_alive()
