"""Last.fm's signed calls (sign-in and scrobbling) against the demo's Last.fm, over HTTP."""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from setlist.core.errors import NetworkError, RateLimited
from setlist.core.scrobbles import Scrobble
from setlist.demo.lastfm_scrobble import state
from setlist.demo.server import DemoServer
from setlist.providers.http import RetryPolicy
from setlist.providers.lastfm.errors import SessionInvalid, TokenNotAuthorized
from setlist.providers.lastfm.scrobbling import ScrobbleClient, api_signature
from setlist.services.demo_identity import (
    LASTFM_DEMO_API_KEY,
    LASTFM_DEMO_API_SECRET,
    LASTFM_DEMO_USER,
)

FAST = RetryPolicy(attempts=1, base_delay=0.01, max_delay=0.05)


def test_the_signature_is_last_fms_md5_of_sorted_names_and_values() -> None:
    params = {"method": "track.scrobble", "api_key": "k", "artist[1]": "a", "artist[10]": "b"}
    params |= {"format": "json", "callback": "cb"}
    # Byte order: "artist[10]" sorts before "artist[1]"; format and callback are left out.
    text = "api_keykartist[10]bartist[1]amethodtrack.scrobble" + "secret"
    assert api_signature(params, "secret") == hashlib.md5(text.encode()).hexdigest()


@pytest.fixture
async def client(fresh_server: DemoServer) -> AsyncIterator[ScrobbleClient]:
    c = ScrobbleClient(
        fresh_server.lastfm_url,
        LASTFM_DEMO_API_KEY,
        LASTFM_DEMO_API_SECRET,
        auth_url=fresh_server.lastfm_auth_url,
        retry=FAST,
    )
    yield c
    await c.aclose()


async def open_page(url: str) -> httpx.Response:
    """What the user does in a browser: open the auth page."""
    async with httpx.AsyncClient() as browser:
        return await browser.get(url)


async def signed_in(client: ScrobbleClient) -> str:
    token = await client.get_token()
    (await open_page(client.auth_page(token))).raise_for_status()
    return (await client.get_session(token)).key


async def test_desktop_sign_in_needs_the_page_opened_first(client: ScrobbleClient) -> None:
    token = await client.get_token()
    with pytest.raises(TokenNotAuthorized):
        await client.get_session(token)
    page = await open_page(client.auth_page(token))
    assert page.status_code == 200 and "Allowed" in page.text
    session = await client.get_session(token)
    assert session.name == LASTFM_DEMO_USER
    assert session.key not in repr(session)


async def test_a_wrong_secret_is_refused(fresh_server: DemoServer) -> None:
    async with ScrobbleClient(fresh_server.lastfm_url, LASTFM_DEMO_API_KEY, "nope") as bad:
        with pytest.raises(Exception, match="signature"):
            await bad.get_token()


def scrobbles(n: int, start: int) -> list[Scrobble]:
    return [
        Scrobble(id=f"s{i}", artist="Ana", track=f"Song {i}", timestamp=start + i * 60, album="A")
        for i in range(n)
    ]


async def test_a_batch_is_scrobbled_in_order_and_ignored_ones_are_named(
    client: ScrobbleClient, fresh_server: DemoServer
) -> None:
    key = await signed_in(client)
    now = int(time.time()) - 3600
    old = Scrobble(id="old", artist="Ana", track="Ancient", timestamp=now - 30 * 86400)
    batch = [*scrobbles(3, now), old]
    result = await client.scrobble(key, batch)
    assert result.accepted == 3
    assert [(i.scrobble.id, i.code) for i in result.ignored] == [("old", 3)]
    assert "too old" in result.ignored[0].reason
    got = state(fresh_server.ctx).received()
    assert got == [("Ana", f"Song {i}", now + i * 60) for i in range(3)]
    # A batch of one comes back as an object, not a list of one.
    one = await client.scrobble(key, scrobbles(1, now + 600))
    assert one.accepted == 1 and one.ignored == ()


async def test_now_playing_and_an_invalid_session(
    client: ScrobbleClient, fresh_server: DemoServer
) -> None:
    key = await signed_in(client)
    await client.update_now_playing(key, scrobbles(1, 0)[0])
    assert state(fresh_server.ctx).now_playing[-1]["track"] == "Song 0"
    with pytest.raises(SessionInvalid, match="setlist login lastfm"):
        await client.scrobble("not-a-session", scrobbles(1, int(time.time())))


async def test_rate_limit_and_unreachable(client: ScrobbleClient, fresh_server: DemoServer) -> None:
    key = await signed_in(client)
    fresh_server.faults.add("/lastfm/2.0/*", "lastfm_code", code=29, times=1)
    with pytest.raises(RateLimited):
        await client.scrobble(key, scrobbles(1, int(time.time())))
    fresh_server.faults.add("/lastfm/2.0/*", "unreachable", times=1)
    with pytest.raises(NetworkError):
        await client.scrobble(key, scrobbles(1, int(time.time())))
    assert state(fresh_server.ctx).received() == []
