"""Failures say what failed, where, and what to do: not a misleading reason."""

from __future__ import annotations

import asyncio

import pytest

from setlist.core.errors import NetworkError
from setlist.providers.http import make_client, send


def test_a_host_name_that_does_not_resolve_is_not_called_refused() -> None:
    async def fetch() -> None:
        async with make_client("http://nonexistent.invalid") as client:
            await send(client, "POST", "/v1/x", provider="yourmusic")

    with pytest.raises(NetworkError) as caught:
        asyncio.run(fetch())
    message = str(caught.value)
    assert "refused" not in message
    assert "nonexistent.invalid" in message
    assert "could not be found" in message
