"""Shared fixtures: the real demo catalog server on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from setlist.demo.server import DemoServer
from setlist.demo.settings import DemoSettings


@pytest.fixture(scope="session")
def demo() -> Iterator[DemoServer]:
    """One demo server for the whole run, with default settings. Do not leave faults set."""
    with DemoServer(DemoSettings()) as server:
        yield server


@pytest.fixture(autouse=True)
def _no_leftover_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "demo" in request.fixturenames:
        request.getfixturevalue("demo").faults.clear()


@pytest.fixture
def make_demo() -> Iterator[Callable[..., DemoServer]]:
    """A fresh demo server with its own settings (short token lifetimes, throttles...)."""
    started: list[DemoServer] = []

    def make(**settings: object) -> DemoServer:
        server = DemoServer(DemoSettings(**settings)).start()  # type: ignore[arg-type]
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()
