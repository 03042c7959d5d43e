"""The running services: config, credential store and provider clients, in one place.

`open_services(config, demo=...)` builds what the app, the CLI commands and the
daemon need, and `Services.aclose()` releases it.

Demo mode points every client at the built-in demo catalog: the server
announced in runtime_dir()/demo.json by `setlist demo --serve` when one is
running (so commands in separate processes share one demo state), else a demo
server started here, in-process on loopback. The demo's credentials live in the
same keyring as real ones but under provider names ending in "-demo"
(`store.secret_fallbacks.DemoSecrets`); with no usable keyring they are kept in
memory, since demo tokens are worthless outside the demo. When nobody is signed
in to the demo's YourMusic, `open_services` signs in as DEMO_EMAIL with the
fixed code, so search and playlists work at once.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from setlist.core.closing import AsyncClosing
from setlist.core.errors import ProviderError
from setlist.providers.http import Deadlines, RetryPolicy
from setlist.providers.jamendo import JamendoClient
from setlist.providers.lastfm import LastfmClient
from setlist.providers.yourmusic import (
    DeviceCredentials,
    OnboardingRequired,
    YourMusicAuth,
    YourMusicClient,
)
from setlist.services.art import ArtFetcher
from setlist.services.demo_identity import (
    DEMO_CLIENT_SECRET,
    DEMO_EMAIL,
    DEMO_OTP_CODE,
    DEMO_TENANT_SLUG,
    JAMENDO_DEMO_CLIENT_ID,
    LASTFM_DEMO_API_KEY,
)
from setlist.services.demo_running import DemoEndpoints, find_running
from setlist.store.secret_fallbacks import DemoSecrets, MemoryStore, NoKeyring
from setlist.store.tokens import (
    EnvOverlay,
    FileStore,
    KeyringUnavailable,
    SecretStoreError,
    client_account,
    open_secret_store,
)

if TYPE_CHECKING:
    from setlist.core.protocols import CatalogProvider, SecretStore
    from setlist.demo.server import DemoServer
    from setlist.store.config import Config

log = logging.getLogger(__name__)

LASTFM_ACCOUNT = "api_key"
# The profile the automatic demo sign-in creates if the demo does not know DEMO_EMAIL.
_DEMO_PROFILE = ("Demo", "Listener", "1990-04-12")


@dataclass(eq=False)
class Services(AsyncClosing):
    """What is open for this run. A client is None when its provider is off or not set up."""

    config: Config
    secrets: SecretStore
    demo: bool = False
    yourmusic: YourMusicClient | None = None
    jamendo: JamendoClient | None = None
    lastfm: LastfmClient | None = None
    # The demo server started in this process (None when attached to a running one).
    demo_server: DemoServer | None = None
    demo_endpoints: DemoEndpoints | None = None
    # Set when the keyring could not be used: sign-ins cannot be kept (outside the demo).
    keyring_problem: KeyringUnavailable | None = None
    # Where sign-ins are kept, for messages: "the keyring", "the token file" or "memory".
    secrets_place: str = "the keyring"
    # Things to tell the user once: the CLI prints them on stderr, the app as notifications.
    # What only explains (the demo's automatic sign-in) goes to the log instead.
    notices: list[str] = field(default_factory=list)
    _art: ArtFetcher | None = field(default=None, init=False, repr=False)

    @property
    def art(self) -> ArtFetcher:
        """Cover art, cached on disk; made on first use (the CLI never needs it)."""
        if self._art is None:
            self._art = ArtFetcher(deadline=deadlines(self.config).api)
        return self._art

    @property
    def providers(self) -> dict[str, CatalogProvider]:
        """The catalogs to search and browse, by provider name."""
        found: dict[str, CatalogProvider] = {}
        if self.yourmusic is not None:
            found[self.yourmusic.name] = self.yourmusic
        if self.jamendo is not None:
            found[self.jamendo.name] = self.jamendo
        return found

    @property
    def editor(self) -> YourMusicClient | None:
        """The catalog whose playlists the user can edit: YourMusic, once signed in."""
        client = self.yourmusic
        if client is None:
            return None
        auth = client.auth
        if auth.uses_env_token or auth.user_id is not None or auth.session is not None:
            return client
        return None

    async def reload_credentials(self) -> None:
        """Forget the sign-ins read so far: `setlist login` or `logout` changed them."""
        if self.yourmusic is not None:
            await self.yourmusic.auth.reload()
        if self.jamendo is not None:
            await self.jamendo.oauth.reload()

    async def aclose(self) -> None:
        try:
            for client in (self.yourmusic, self.jamendo, self.lastfm, self._art):
                if client is not None:
                    await client.aclose()
        finally:
            if self.demo_server is not None:
                await asyncio.to_thread(self.demo_server.stop)
                self.demo_server = None


def lastfm_client(config: Config, base_url: str, api_key: str | None) -> LastfmClient:
    """A Last.fm client with the config's summary language and user name."""
    return LastfmClient(
        base_url,
        api_key,
        lang=config.lastfm.lang,
        username=config.lastfm.username,
        deadlines=deadlines(config),
    )


async def open_services(
    config: Config,
    *,
    demo: bool,
    secrets: SecretStore | None = None,
    auto_sign_in: bool = True,
) -> Services:
    """Open the credential store and the provider clients `config` enables and sets up.

    `secrets` replaces the OS keyring (tests, the daemon); in demo mode it is
    wrapped so demo credentials keep their own names. `auto_sign_in=False`
    leaves the demo signed out (for login, logout and whoami).
    """
    if demo:
        services = await asyncio.to_thread(_open_demo, config, secrets)
    else:
        services = await asyncio.to_thread(_open_real, config, secrets)
    try:
        # An access token from the environment replaces any stored session: nothing to load.
        if services.yourmusic is not None and not services.yourmusic.auth.uses_env_token:
            await services.yourmusic.auth.load()
            if demo and auto_sign_in and not await services.yourmusic.auth.signed_in():
                await _sign_in_to_demo(services, services.yourmusic)
    except BaseException:
        await services.aclose()
        raise
    return services


# -- the real services


def _open_real(config: Config, secrets: SecretStore | None) -> Services:
    problem: KeyringUnavailable | None = None
    if secrets is None:
        try:
            secrets = open_secret_store(config)
        except KeyringUnavailable as exc:
            # Guests can still search; signing in says why it cannot be kept.
            problem = exc
            secrets = NoKeyring(exc)
    services = Services(
        config=config, secrets=secrets, keyring_problem=problem, secrets_place=_place(secrets)
    )
    enabled = set(config.providers.enabled)
    if "yourmusic" in enabled and config.yourmusic.tenant:
        services.yourmusic = yourmusic_client(config, secrets, services)
    if "jamendo" in enabled and config.jamendo.client_id:
        account = client_account(config.jamendo.client_id)
        secret = _load(secrets, "jamendo", account, services)
        services.jamendo = jamendo_client(config, secrets, client_secret=secret)
    api_key = config.lastfm.api_key or _load(secrets, "lastfm", LASTFM_ACCOUNT, services)
    if api_key:
        services.lastfm = lastfm_client(config, config.lastfm.base_url, api_key)
    return services


def deadlines(config: Config) -> Deadlines:
    """The [timeouts] of the config, as every provider client takes them."""
    t = config.timeouts
    return Deadlines(api=t.api, sign_in=t.sign_in, stream=t.stream)


def yourmusic_client(
    config: Config, secrets: SecretStore, services: Services | None = None
) -> YourMusicClient:
    """The configured YourMusic tenant; in device mode when its client secret is stored."""
    ym = config.yourmusic
    if not ym.tenant:
        raise ValueError("yourmusic_client needs config.yourmusic.tenant")
    device = None
    if ym.client_id and ym.user_id:
        account = client_account(ym.client_id)
        secret = _load(secrets, "yourmusic", account, services)
        if secret:
            device_id = str(ym.device_id or uuid.uuid4())
            device = DeviceCredentials(ym.client_id, secret, ym.user_id, device_id)
    return YourMusicClient(
        ym.base_url,
        ym.tenant,
        YourMusicAuth(secrets, device=device),
        deadlines=deadlines(config),
        exclude_explicit=ym.exclude_explicit,
    )


def jamendo_client(
    config: Config, secrets: SecretStore, *, client_secret: str | None
) -> JamendoClient:
    jm = config.jamendo
    return JamendoClient(
        jm.base_url,
        jm.client_id,
        client_secret=client_secret,
        audioformat=jm.audioformat,
        secrets=secrets,
        deadlines=deadlines(config),
    )


def _place(secrets: SecretStore) -> str:
    inner = secrets.inner if isinstance(secrets, EnvOverlay) else secrets
    if isinstance(inner, FileStore):
        return "the token file"
    if isinstance(inner, MemoryStore | NoKeyring):
        return "memory"
    return "the keyring"


def _load(
    secrets: SecretStore, provider: str, account: str, services: Services | None
) -> str | None:
    """A stored credential; None when there is none or the store fails (noted on `services`)."""
    try:
        return secrets.load(provider, account)
    except KeyringUnavailable as exc:
        # Said when it matters (signing in), not on every command that only browses.
        if services is not None and services.keyring_problem is None:
            services.keyring_problem = exc
        return None
    except SecretStoreError as exc:  # e.g. a damaged token file
        if services is not None:
            services.notices.append(str(exc))
        return None


# -- the demo


def _open_demo(config: Config, secrets: SecretStore | None) -> Services:
    endpoints = find_running()
    if endpoints is not None:
        return demo_services(config, endpoints, secrets)
    server = _start_demo_server()
    endpoints = DemoEndpoints(
        base_url=server.base_url,
        yourmusic_url=server.yourmusic_url,
        jamendo_url=server.jamendo_url,
        lastfm_url=server.lastfm_url,
        instance=uuid.uuid4().hex,  # a new server: no stored demo sign-in is valid on it
        pid=0,
    )
    try:
        return _demo_services(config, secrets, endpoints, server)
    except BaseException:
        server.stop()
        raise


def demo_services(
    config: Config,
    endpoints: DemoEndpoints,
    secrets: SecretStore | None = None,
    *,
    retry: RetryPolicy | None = None,
) -> Services:
    """Clients of the demo server already running at `endpoints`; nobody signed in yet.

    `secrets` replaces the keyring, wrapped so demo credentials keep their own
    names; `retry` replaces the clients' retry policy. The stored session, if
    any, is not loaded: `open_services` does that.
    """
    return _demo_services(config, secrets, endpoints, None, retry=retry)


def _demo_services(
    config: Config,
    secrets: SecretStore | None,
    endpoints: DemoEndpoints,
    server: DemoServer | None,
    *,
    retry: RetryPolicy | None = None,
) -> Services:
    store = DemoSecrets(secrets if secrets is not None else _demo_inner_store(config))
    try:
        store.claim(endpoints.instance)
    except SecretStoreError as exc:
        reason = exc.reason if isinstance(exc, KeyringUnavailable) else str(exc)
        log.info("%s: demo sign-ins are kept in memory until setlist exits.", reason)
        store = DemoSecrets(MemoryStore())
    services = Services(
        config=config,
        secrets=store,
        secrets_place=_place(store.inner),
        demo=True,
        demo_server=server,
        demo_endpoints=endpoints,
    )
    enabled = set(config.providers.enabled)
    if "yourmusic" in enabled:
        # environ={}: a real SETLIST_YOURMUSIC_TOKEN must never be sent to the demo.
        auth = YourMusicAuth(store, environ={})
        services.yourmusic = YourMusicClient(
            endpoints.yourmusic_url,
            DEMO_TENANT_SLUG,
            auth,
            retry=retry,
            deadlines=deadlines(config),
            exclude_explicit=config.yourmusic.exclude_explicit,
        )
    if "jamendo" in enabled:
        services.jamendo = JamendoClient(
            endpoints.jamendo_url,
            JAMENDO_DEMO_CLIENT_ID,
            client_secret=DEMO_CLIENT_SECRET,
            audioformat=config.jamendo.audioformat,
            secrets=store,
            retry=retry,
            deadlines=deadlines(config),
        )
    api_key = _load(store, "lastfm", LASTFM_ACCOUNT, services) or LASTFM_DEMO_API_KEY
    services.lastfm = lastfm_client(config, endpoints.lastfm_url, api_key)
    return services


def _start_demo_server() -> DemoServer:
    from setlist.demo.server import DemoServer
    from setlist.demo.settings import DemoSettings

    return DemoServer(DemoSettings.interactive()).start()


def _demo_inner_store(config: Config) -> SecretStore:
    """The keyring (or the opted-in file); memory when neither works. Never fails.

    Said in the log only: demo sign-ins are worth nothing outside the demo.
    """
    try:
        # env={}: credentials from SETLIST_*_TOKEN variables are real ones, not the demo's.
        return open_secret_store(config, env={})
    except KeyringUnavailable as exc:
        log.info("%s: demo sign-ins are kept in memory until setlist exits.", exc.reason)
        return MemoryStore()


async def _sign_in_to_demo(services: Services, client: YourMusicClient) -> None:
    auth = client.auth
    try:
        await auth.request_code(DEMO_EMAIL)
        outcome = await auth.verify(DEMO_EMAIL, DEMO_OTP_CODE)
        if isinstance(outcome, OnboardingRequired):
            await auth.onboard(outcome, *_DEMO_PROFILE)
    except ProviderError as exc:
        # The command goes on; whatever needs a sign-in will say so.
        services.notices.append(f"Could not sign in to the demo catalog: {exc}")
        return
    # The log's: the app's top bar and the command's results show who is signed in.
    log.info("Signed in to the demo catalog as %s (one-time code %s).", DEMO_EMAIL, DEMO_OTP_CODE)
