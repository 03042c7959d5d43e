"""YourMusic sessions against the demo server: sign-in, onboarding, refresh, device tokens."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Callable
from datetime import date

import httpx
import pytest

from setlist.core.errors import (
    AuthenticationError,
    InvalidRequest,
    NotFound,
    ServerError,
    SetlistError,
    SignInRequired,
)
from setlist.demo.catalog import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_EMAIL, DEMO_OTP_CODE
from setlist.demo.server import DemoServer
from setlist.demo.ym_state import DEMO_USER_ID
from setlist.providers.yourmusic import (
    ENV_TOKEN,
    DeviceCredentials,
    OnboardingRequired,
    StoredSession,
)
from setlist.store.secret_fallbacks import MemoryStore
from setlist.store.tokens import EnvOverlay
from yourmusic_support import (
    NO_THROTTLE,
    ListedStore,
    calls,
    client_for,
    kept_sign_in,
    memory_store,
    sign_in,
)

MakeDemo = Callable[..., DemoServer]
SESSION_ENDED = "Your YourMusic session has ended: sign in again with `setlist login yourmusic`."
NOT_SIGNED_IN = "You are not signed in to YourMusic: sign in with `setlist login yourmusic`."
IN_AN_HOUR = 3600.0


def stored(store: MemoryStore, account: str = DEMO_EMAIL) -> dict:
    return json.loads(store.load("yourmusic", account))


def refresh_calls(server: DemoServer) -> int:
    return len(calls(server, "POST", "/auth/refresh"))


# -- sign-in by email code


async def test_sign_in_is_kept_in_the_store_for_the_next_start(make_demo: MakeDemo) -> None:
    server = make_demo(**NO_THROTTLE)
    store = MemoryStore()
    async with client_for(server, store) as client:
        assert not await client.auth.signed_in()
        session = await sign_in(client)
    assert session.account == DEMO_EMAIL
    assert session.user is not None and session.user.display_name == "Demo Listener"
    assert store.load("yourmusic", "current") == DEMO_EMAIL
    saved = stored(store)
    assert saved["expires_at"] == pytest.approx(time.time() + 3600, abs=60)  # absolute time
    assert saved["refresh_token"] == session.refresh_token

    async with client_for(server, store) as next_start:
        assert (await next_start.me()).email == DEMO_EMAIL
    assert len(calls(server, "POST", "/auth/email/verify")) == 1


async def test_a_wrong_code_is_refused_and_nothing_is_kept(make_demo: MakeDemo) -> None:
    server = make_demo(**NO_THROTTLE)
    store = ListedStore()
    async with client_for(server, store) as client:
        await client.auth.request_code(DEMO_EMAIL)
        with pytest.raises(InvalidRequest) as caught:
            await client.auth.verify(DEMO_EMAIL, "000000")
        assert "code" in caught.value.fields
        assert "The code is invalid or has expired" in str(caught.value)
        with pytest.raises(SignInRequired) as not_signed_in:
            await client.me()
    assert str(not_signed_in.value) == NOT_SIGNED_IN
    assert store.kept() == {}


async def test_a_new_address_is_onboarded(make_demo: MakeDemo) -> None:
    server = make_demo(**NO_THROTTLE)
    store = MemoryStore()
    email = "new.listener@demo.setlist"
    async with client_for(server, store) as client:
        await client.auth.request_code(email, locale="nl")
        step = await client.auth.verify(email, DEMO_OTP_CODE)
        assert isinstance(step, OnboardingRequired)
        assert step.token not in repr(step)
        session = await client.auth.onboard(step, "Nieuwe", "Luisteraar", date(1999, 5, 17))
        assert session.account == email
        me = await client.me()
        assert (me.display_name, me.date_of_birth) == ("Nieuwe Luisteraar", "1999-05-17")
        assert await client.my_playlists() == []
        with pytest.raises(InvalidRequest) as used_up:
            await client.auth.onboard(step, "Again", "Again", "1999-05-17")
        assert "onboarding_token" in used_up.value.fields
    assert store.load("yourmusic", email) is not None


async def test_sign_in_works_when_the_store_fails(
    make_demo: MakeDemo, caplog: pytest.LogCaptureFixture
) -> None:
    class BrokenStore(MemoryStore):
        def save(self, provider: str, account: str, secret: str) -> None:
            raise TimeoutError("keyring did not answer")

    server = make_demo(**NO_THROTTLE)
    async with client_for(server, BrokenStore()) as client:
        await sign_in(client)
        assert (await client.me()).email == DEMO_EMAIL
    assert "credential store failed to save" in caplog.text


# -- refresh


async def test_ten_requests_on_an_expiring_token_share_one_refresh(make_demo: MakeDemo) -> None:
    server = make_demo(**NO_THROTTLE, access_token_ttl=1)
    store = MemoryStore()
    async with client_for(server, store) as client:
        first = await sign_in(client)
        await asyncio.sleep(1.05)
        users = await asyncio.gather(*(client.me() for _ in range(10)))
    assert [u.email for u in users] == [DEMO_EMAIL] * 10
    assert refresh_calls(server) == 1
    assert [r for r in server.requests if r.status == 401] == []  # renewed before it ran out
    assert stored(store)["refresh_token"] not in (None, first.refresh_token)


async def test_ten_requests_refused_as_expired_share_one_refresh(make_demo: MakeDemo) -> None:
    server = make_demo(**NO_THROTTLE, access_token_ttl=1)
    stopped_clock = time.time()  # this client never sees its token age: the server says so
    async with client_for(server, MemoryStore(), clock=lambda: stopped_clock) as client:
        await sign_in(client)
        await asyncio.sleep(1.05)
        users = await asyncio.gather(*(client.me() for _ in range(10)))
    assert [u.email for u in users] == [DEMO_EMAIL] * 10
    assert refresh_calls(server) == 1
    assert len([r for r in calls(server, "GET", "/me") if r.status == 401]) == 10


async def test_a_used_refresh_token_ends_the_session_cleanly(make_demo: MakeDemo) -> None:
    server = make_demo(**NO_THROTTLE)
    store = MemoryStore()
    async with client_for(server, store) as first_device:
        await sign_in(first_device)
        before_rotation = kept_sign_in(store)
        await first_device.auth.refresh()  # the copied refresh token is now used up

        other = memory_store({**before_rotation, ("jamendo", "someone"): "kept"})
        later = time.time() + IN_AN_HOUR  # its access token looks expired: it must refresh
        async with client_for(server, other, clock=lambda: later) as stale:
            results = await asyncio.gather(*(stale.me() for _ in range(10)), return_exceptions=True)
        assert all(isinstance(r, SignInRequired) for r in results)
        assert {str(r) for r in results} == {SESSION_ENDED}
        assert refresh_calls(server) == 2  # the first device's, and one for all ten here
        assert other.load("yourmusic", DEMO_EMAIL) is None
        assert other.load("jamendo", "someone") == "kept"

        assert (await first_device.me()).email == DEMO_EMAIL  # its session lives on


async def test_a_failed_refresh_keeps_the_session(make_demo: MakeDemo) -> None:
    server = make_demo(**NO_THROTTLE)
    store = MemoryStore()
    async with client_for(server, store) as client:
        await sign_in(client)
        server.faults.add("/yourmusic/auth/refresh", "status", status=503, times=1)
        with pytest.raises(ServerError):
            await client.auth.refresh()
        assert refresh_calls(server) == 1  # a POST is never retried
        assert store.load("yourmusic", DEMO_EMAIL) is not None
        renewed = await client.auth.refresh()
        assert stored(store)["access_token"] == renewed.access_token
        assert (await client.me()).email == DEMO_EMAIL


async def test_logout_ends_the_session_here_and_on_the_service(make_demo: MakeDemo) -> None:
    server = make_demo(**NO_THROTTLE)
    store = ListedStore()
    async with client_for(server, store) as client:
        session = await sign_in(client)
        await client.auth.logout()
        assert store.kept() == {}
        with pytest.raises(SignInRequired) as caught:
            await client.me()
        assert str(caught.value) == NOT_SIGNED_IN
        assert (await client.home())[0].title == "Featured playlists"  # a guest again
    async with httpx.AsyncClient() as raw:
        refused = await raw.post(
            server.yourmusic_url + "/auth/refresh", json={"refresh_token": session.refresh_token}
        )
    assert refused.status_code == 401


# -- other ways in


async def test_an_access_token_from_the_environment(make_demo: MakeDemo) -> None:
    server = make_demo(**NO_THROTTLE)
    async with client_for(server, MemoryStore()) as signer:
        token = (await sign_in(signer)).access_token
    async with client_for(server, None, environ={ENV_TOKEN: token}) as client:
        assert (await client.me()).email == DEMO_EMAIL
        assert [p.owned for p in await client.my_playlists()][:1] == [True]
    async with client_for(server, None, environ={ENV_TOKEN: "not-a-token"}) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.me()
    assert ENV_TOKEN in str(caught.value)
    assert "not-a-token" not in str(caught.value)
    assert refresh_calls(server) == 0


async def test_an_environment_token_behind_the_env_overlay_never_reaches_the_logs(
    make_demo: MakeDemo, caplog: pytest.LogCaptureFixture
) -> None:
    server = make_demo(**NO_THROTTLE)
    async with client_for(server, MemoryStore()) as signer:
        token = (await sign_in(signer)).access_token
    env = {ENV_TOKEN: token}
    # The overlay answers every yourmusic account with the token, "current" included.
    store = EnvOverlay(MemoryStore(), env)
    caplog.set_level(logging.DEBUG)
    async with client_for(server, store, environ=env) as client:
        assert await client.auth.load() is None  # nothing stored stands for the env token
        assert (await client.me()).email == DEMO_EMAIL
    assert token not in caplog.text


async def test_device_mode_renews_its_delegation_token_before_it_runs_out(
    make_demo: MakeDemo,
) -> None:
    server = make_demo(udt_ttl=2)
    device = DeviceCredentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_USER_ID, str(uuid.uuid4()))
    store = MemoryStore()
    async with client_for(server, store, device=device) as client:
        assert (await client.me()).email == DEMO_EMAIL
        assert all(p.owned for p in await client.my_playlists())
        await asyncio.sleep(1.85)  # within 10% of the 2 s lifetime
        assert (await client.me()).email == DEMO_EMAIL
    assert len(calls(server, "POST", "/oauth/token")) == 1
    assert len(calls(server, "POST", f"/users/{DEMO_USER_ID}/udt")) == 2
    assert [r for r in server.requests if r.status == 401] == []
    assert stored(store, f"device:{DEMO_USER_ID}")["kind"] == "device"

    async with client_for(server, store, device=device) as restarted:
        assert (await restarted.me()).email == DEMO_EMAIL
    assert len(calls(server, "POST", f"/users/{DEMO_USER_ID}/udt")) == 2  # the stored one


async def test_device_mode_with_a_wrong_secret(make_demo: MakeDemo) -> None:
    server = make_demo()
    device = DeviceCredentials(DEMO_CLIENT_ID, "wrong-secret", DEMO_USER_ID, str(uuid.uuid4()))
    async with client_for(server, MemoryStore(), device=device) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.me()
    assert "client_id and client_secret" in str(caught.value)
    assert "wrong-secret" not in str(caught.value)


# -- tokens stay secret


async def test_no_token_reaches_the_logs_or_error_messages(
    make_demo: MakeDemo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = make_demo(**NO_THROTTLE, access_token_ttl=1)
    store = MemoryStore()
    shown: list[str] = []
    async with client_for(server, store) as client:
        first = await sign_in(client)
        shown.append(repr(first))
        await asyncio.sleep(1.05)
        await client.me()  # refreshed
        server.faults.add("/yourmusic/catalog/tracks/*", "malformed_json", times=1)
        for failing in (client.track("3000"), client.track("999999")):
            with pytest.raises((SetlistError, NotFound)) as caught:
                await failing
            shown.append(str(caught.value))
        stale = kept_sign_in(store)
        await client.auth.refresh()
        later = time.time() + IN_AN_HOUR
        async with client_for(server, memory_store(stale), clock=lambda: later) as reused:
            with pytest.raises(SignInRequired) as ended:
                await reused.me()
            shown.append(str(ended.value))
        await client.auth.logout()

    tokens = {first.access_token, first.refresh_token}
    tokens |= {json.loads(v).get("refresh_token") for v in stale.values() if v.startswith("{")}
    tokens |= {r.authorization.split()[-1] for r in server.requests if r.authorization}
    tokens.discard(None)
    assert len(tokens) >= 4
    for token in tokens:
        assert token not in caplog.text
        assert all(token not in text for text in shown)


def test_a_session_never_shows_its_tokens() -> None:
    session = StoredSession(
        account=DEMO_EMAIL, access_token="a" * 40, expires_at=0, lifetime=60, refresh_token="r" * 40
    )
    assert "a" * 40 not in repr(session)
    assert "r" * 40 not in str(session)
