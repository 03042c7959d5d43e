"""Fixtures of the UI tests: a signed-in client, and folders of the test's own.

The demo server of each module's own (`server`) is in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from setlist.demo.server import DemoServer
from setlist.providers.yourmusic import YourMusicClient
from ui_playlist_support import signed_in_client


@pytest.fixture
def no_config_discovery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config, state and cache in the test's own folder: the machine's config stays out.

    A module of app tests uses it for all its tests:
    `pytestmark = pytest.mark.usefixtures("no_config_discovery")`.
    """
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "runtime"))
    for name in ("SETLIST_CONFIG", "SETLIST_JAMENDO_CLIENT_ID", "SETLIST_LASTFM_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
async def client(server: DemoServer) -> AsyncIterator[YourMusicClient]:
    """The demo listener, signed in; faults a test set on the server end with it."""
    client = await signed_in_client(server)
    yield client
    await client.aclose()
    server.faults.clear()
