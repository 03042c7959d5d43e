"""Fixtures of the UI tests: a demo server of each module's own, and a signed-in client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from setlist.demo.server import DemoServer
from setlist.providers.yourmusic import YourMusicClient
from ui_playlist_support import signed_in_client
from yourmusic_support import private_demo


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    """A demo of the module's own: no other module's edits or sign-ins show up in it."""
    with private_demo() as running:
        yield running


@pytest.fixture
async def client(server: DemoServer) -> AsyncIterator[YourMusicClient]:
    """The demo listener, signed in; faults a test set on the server end with it."""
    client = await signed_in_client(server)
    yield client
    await client.aclose()
    server.faults.clear()
