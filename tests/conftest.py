"""Shared fixtures: the real demo catalog server on loopback."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring.core
import pytest

from keyring_service import SecretService, forget_keyring_backends, running_secret_service
from setlist.demo.server import DemoServer
from setlist.demo.settings import DemoSettings
from yourmusic_support import NO_THROTTLE, private_demo, signed_in_secrets

pytest_plugins = ["fault_report"]

# The short temporary folder of this pytest-xdist worker, and whether a test failed.
_worker_temp: dict[str, Path | bool | None] = {"path": None, "failed": False}


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """A short temporary folder for each pytest-xdist worker.

    A worker's folders are one level deeper than a plain run's (.../pytest-N/popen-gw0/),
    and a daemon test's socket in its state folder then passes the 107 bytes a Unix
    socket path may have: the daemon cannot make its socket again there.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    argv = getattr(config, "workerinput", {}).get("mainargv", [])
    if worker and not any(str(arg).startswith("--basetemp") for arg in argv):
        path = Path(tempfile.mkdtemp(prefix=f"pt-{worker}-", dir="/tmp"))
        config.option.basetemp = str(path)
        _worker_temp["path"] = path


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed:
        _worker_temp["failed"] = True


def pytest_unconfigure(config: pytest.Config) -> None:
    """The worker's folder goes when its tests passed; it stays to look at otherwise."""
    path = _worker_temp["path"]
    if isinstance(path, Path) and not _worker_temp["failed"]:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def demo() -> Iterator[DemoServer]:
    """One demo server for the whole run, with default settings. Do not leave faults set."""
    with DemoServer(DemoSettings()) as server:
        yield server


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    """A demo server of the test module's own, without one-time-code throttles.

    No other module's edits or sign-ins show up in it; the module's tests share it.
    """
    with private_demo() as running:
        yield running


@pytest.fixture(scope="module")
def secrets(server: DemoServer) -> dict[tuple[str, str], str]:
    """The demo listener's stored session on `server`, signed in once for the module."""
    return signed_in_secrets(server)


@pytest.fixture(autouse=True)
def _no_leftover_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    """Faults a test sets on a shared demo server (`demo`, `server`) end with the test."""
    yield
    for shared in ("demo", "server"):
        if shared in request.fixturenames:
            request.getfixturevalue(shared).faults.clear()


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


@pytest.fixture
def fresh_server(make_demo: Callable[..., DemoServer]) -> DemoServer:
    """A demo server for this test alone, without one-time-code throttles."""
    return make_demo(**NO_THROTTLE)


@pytest.fixture
def secret_service(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SecretService]:
    """A real Secret Service (private D-Bus bus + unlocked gnome-keyring) for this test.

    The test's environment points at it, and keyring forgets the backends it found
    before (it looks only once per process), so `keyring.get_keyring()` finds this
    one. Both daemons stop afterwards.
    """
    with running_secret_service(tmp_path_factory.mktemp("secret-service")) as service:
        for name in ("DBUS_SESSION_BUS_ADDRESS", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
            monkeypatch.setenv(name, service.env[name])
        monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
        monkeypatch.setattr(keyring.core, "_keyring_backend", None)
        forget_keyring_backends()
        try:
            yield service
        finally:
            forget_keyring_backends()
