"""Helpers shared by the YourMusic tests: stores holding sign-ins, clients, sign-in."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from setlist.demo.catalog import DEMO_EMAIL, DEMO_OTP_CODE, DEMO_TENANT_SLUG
from setlist.demo.server import DemoServer, LoggedRequest
from setlist.demo.settings import DemoSettings
from setlist.providers.http import RetryPolicy
from setlist.providers.yourmusic import StoredSession, YourMusicAuth, YourMusicClient
from setlist.store.secret_fallbacks import MemoryStore

if TYPE_CHECKING:
    from setlist.core.protocols import SecretStore

# Fast retries, so fault tests take milliseconds; the attempts stay those of production.
FAST_RETRY = RetryPolicy(base_delay=0.01, max_delay=0.05)
# A private server may sign in as often as its tests need.
NO_THROTTLE = {"otp_ip_per_minute": 100_000, "otp_min_interval": 0.0, "otp_max_per_hour": 100_000}


@contextmanager
def private_demo(**settings: object) -> Iterator[DemoServer]:
    """A demo server of one's own, with no one-time-code throttles unless asked."""
    with DemoServer(DemoSettings(**{**NO_THROTTLE, **settings})) as server:  # type: ignore[arg-type]
        yield server


def client_for(
    server: DemoServer, store: MemoryStore | None = None, **auth_options: object
) -> YourMusicClient:
    auth_options.setdefault("environ", {})  # SETLIST_YOURMUSIC_TOKEN of the machine stays out
    auth = YourMusicAuth(store, **auth_options)  # type: ignore[arg-type]
    return YourMusicClient(server.yourmusic_url, DEMO_TENANT_SLUG, auth, retry=FAST_RETRY)


async def sign_in(client: YourMusicClient, email: str = DEMO_EMAIL) -> StoredSession:
    await client.auth.request_code(email)
    session = await client.auth.verify(email, DEMO_OTP_CODE)
    assert isinstance(session, StoredSession)
    return session


def calls(server: DemoServer, method: str, path_suffix: str) -> list[LoggedRequest]:
    """The requests the server received for one route (path matched by its end)."""
    return [r for r in server.requests if r.method == method and r.path.endswith(path_suffix)]


class ListedStore(MemoryStore):
    """The product's MemoryStore, with what it holds listed: "nothing is kept" is
    checked across every name, not only the ones a client is known to write."""

    def kept(self) -> dict[tuple[str, str], str]:
        with self._lock:
            return dict(self._secrets)


def memory_store(secrets: Mapping[tuple[str, str], str] | None = None) -> MemoryStore:
    """The product's in-memory store, holding `secrets` ((provider, account) -> secret)."""
    store = MemoryStore()
    for (provider, account), secret in (secrets or {}).items():
        store.save(provider, account, secret)
    return store


def kept_sign_in(store: SecretStore, email: str = DEMO_EMAIL) -> dict[tuple[str, str], str]:
    """What YourMusic keeps in `store`: the current account and the sessions of it and
    of `email`, by (provider, account); empty when nothing is kept."""
    current = store.load("yourmusic", "current")
    keys = [("yourmusic", "current"), ("yourmusic", email)]
    if current:
        keys.append(("yourmusic", current))
    return {key: secret for key in keys if (secret := store.load(*key)) is not None}


def signed_in_secrets(server: DemoServer) -> dict[tuple[str, str], str]:
    """The stored secrets of the demo listener, signed in once (for module fixtures)."""
    store = MemoryStore()

    async def run() -> None:
        async with client_for(server, store) as client:
            await sign_in(client)

    asyncio.run(run())
    return kept_sign_in(store)
