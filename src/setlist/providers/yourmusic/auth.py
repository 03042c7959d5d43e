"""YourMusic sessions: sign-in by email code, refresh with rotation, device tokens.

A session is kept in a `SecretStore` under provider "yourmusic" and account =
the email (or "device:<user_id>"), as the JSON of `StoredSession` with absolute
expiry times. An entry under account "current" names the account to load when
none is given. `SETLIST_YOURMUSIC_TOKEN` overrides all of it with a bare
access token (never refreshed).

Refresh tokens rotate: each one works once. So every renewal runs under one
lock, and a caller that waited for it uses the token the winner got instead of
refreshing again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import httpx
import msgspec

from setlist.core.errors import (
    AuthenticationError,
    BadResponse,
    ProviderError,
    SignInRequired,
)
from setlist.core.protocols import SecretStore
from setlist.providers.http import DEFAULT_DEADLINES, Deadlines, RetryPolicy, send
from setlist.providers.yourmusic import routes, wire
from setlist.providers.yourmusic.errors import raise_for_response
from setlist.providers.yourmusic.wire import PROVIDER

log = logging.getLogger(__name__)

ENV_TOKEN = "SETLIST_YOURMUSIC_TOKEN"
CURRENT_ACCOUNT = "current"
SESSION_ENDED = "Your YourMusic session has ended: sign in again with `setlist login yourmusic`."
NOT_SIGNED_IN = "You are not signed in to YourMusic: sign in with `setlist login yourmusic`."
ENV_TOKEN_REFUSED = (
    f"YourMusic refused the access token in {ENV_TOKEN}: it is invalid or has expired. "
    "Set a fresh one, or unset it and sign in with `setlist login yourmusic`."
)
DEVICE_REFUSED = (
    "YourMusic refused this device's client credentials: check the YourMusic "
    "client_id and client_secret in the config."
)
# Answers to a refresh that mean the refresh token is dead, not that the service is down.
_REFRESH_REJECTED = frozenset({400, 401, 403, 404, 422})


def renew_margin(lifetime: float) -> float:
    """How long before expiry a token is renewed: 10% of its lifetime, at most 30 s."""
    return min(30.0, max(0.0, lifetime) * 0.1)


class StoredSession(msgspec.Struct, frozen=True, kw_only=True):
    """A YourMusic session as kept in the secret store. Times are Unix seconds."""

    kind: Literal["user", "device"] = "user"
    account: str
    access_token: str
    expires_at: float
    lifetime: float
    refresh_token: str | None = None
    refresh_expires_at: float | None = None
    user: wire.User | None = None
    user_id: str | None = None
    device_id: str | None = None
    # Device mode: the tenant's client token the UDT is issued with.
    client_token: str | None = None
    client_expires_at: float | None = None

    def needs_renewal(self, now: float) -> bool:
        return now >= self.expires_at - renew_margin(self.lifetime)

    def __repr__(self) -> str:  # tokens stay out of logs and tracebacks
        return f"StoredSession(kind={self.kind!r}, account={self.account!r})"


@dataclass(frozen=True)
class OnboardingRequired:
    """The code was right but no account exists yet: finish with `YourMusicAuth.onboard`."""

    token: str = field(repr=False)
    email: str
    expires_in: float | None = None


@dataclass(frozen=True)
class DeviceCredentials:
    """Headless boxes: the tenant's client credentials plus the user and device they act for."""

    client_id: str
    client_secret: str = field(repr=False)
    user_id: str
    device_id: str


class YourMusicAuth:
    """Holds the YourMusic session and hands out valid access tokens.

    Made by the caller, then bound by `YourMusicClient` to its HTTP client and
    tenant, so one connection pool serves sign-in and API calls alike.
    """

    def __init__(
        self,
        store: SecretStore | None = None,
        *,
        account: str | None = None,
        device: DeviceCredentials | None = None,
        environ: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._account = f"device:{device.user_id}" if device else account
        self._given_account = self._account
        self._device = device
        self._env_token = (os.environ if environ is None else environ).get(ENV_TOKEN) or None
        self._clock = clock
        self._session: StoredSession | None = None
        self._loaded = False
        self._ended = False  # a refresh was rejected: say so rather than "not signed in"
        self._lock = asyncio.Lock()
        self._http: httpx.AsyncClient | None = None
        self._tenant = ""
        self._retry: RetryPolicy | None = None
        self._deadline = DEFAULT_DEADLINES.sign_in

    def bind(
        self,
        http: httpx.AsyncClient,
        tenant: str,
        retry: RetryPolicy | None = None,
        deadlines: Deadlines = DEFAULT_DEADLINES,
    ) -> None:
        self._http = http
        self._tenant = tenant
        self._retry = retry
        self._deadline = deadlines.sign_in

    # -- state

    @property
    def uses_env_token(self) -> bool:
        return self._env_token is not None

    @property
    def session(self) -> StoredSession | None:
        """The session loaded so far (see `load`)."""
        return self._session

    @property
    def user_id(self) -> str | None:
        if self._device:
            return self._device.user_id
        s = self._session
        return s.user_id if s else None

    async def load(self) -> StoredSession | None:
        """The stored session, read once from the store."""
        if not self._loaded:
            async with self._lock:
                await self._load_locked()
        return self._session

    async def reload(self) -> None:
        """Read the store again at the next use: another process signed in or out."""
        async with self._lock:
            self._session = None
            self._account = self._given_account
            self._ended = False
            self._loaded = False

    async def signed_in(self) -> bool:
        return self._env_token is not None or self._device is not None or bool(await self.load())

    # -- tokens for API calls

    async def token(self) -> str:
        """A valid access token, renewed first when it is about to expire."""
        if self._env_token is not None:
            return self._env_token
        session = await self.load()
        if session is None and self._device is None:
            raise SignInRequired(SESSION_ENDED if self._ended else NOT_SIGNED_IN, provider=PROVIDER)
        if session is None or session.needs_renewal(self._clock()):
            return await self.renew(session.access_token if session else None)
        return session.access_token

    async def optional_token(self) -> str | None:
        """A token when signed in, None for a guest."""
        if not await self.signed_in():
            return None
        return await self.token()

    async def renew(self, stale: str | None) -> str:
        """Replace the access token `stale` (expiring, or refused with a 401).

        Concurrent callers share one renewal: whoever gets the lock second finds
        the token changed and uses the new one.
        """
        if self._env_token is not None:
            raise AuthenticationError(ENV_TOKEN_REFUSED, provider=PROVIDER)
        async with self._lock:
            await self._load_locked()
            current = self._session
            if current and current.access_token != stale and not self._expiring(current):
                return current.access_token
            if self._device is not None:
                renewed = await self._issue_udt(self._device, current)
            else:
                renewed = await self._refresh_locked(current)
            return renewed.access_token

    # -- sign-in by email code

    async def request_code(self, email: str, locale: str = "en") -> None:
        """Ask YourMusic to mail a one-time code (it answers the same for unknown addresses)."""
        body = {"tenant": self._tenant, "email": email, "locale": locale}
        response = await self._send(routes.REQUEST_CODE, json=body)
        raise_for_response(response)
        # A captive portal or a proxy answers 200 with its own page: no code went out.
        try:
            msgspec.json.decode(response.content, type=wire.CodeSent)
        except (msgspec.MsgspecError, RecursionError):
            kind = response.headers.get("Content-Type", "").split(";")[0].strip() or "unknown"
            log.warning(
                "YourMusic: code request answered with HTTP %s, %s, not the API's JSON",
                response.status_code,
                kind,
            )
            raise BadResponse(
                f"No code was sent: {response.url.host} answered the code request with "
                f"something other than YourMusic's reply (HTTP {response.status_code}, {kind}). "
                "A captive portal (hotel or airport Wi-Fi) or a proxy may be in the way: "
                "open a web page to sign in to the network, then try again.",
                provider=PROVIDER,
            ) from None

    async def verify(
        self, email: str, code: str, device_id: str | None = None
    ) -> StoredSession | OnboardingRequired:
        """Check the code: a session for a known address, else an onboarding step."""
        device_id = device_id or self._device_id()
        body = {"tenant": self._tenant, "email": email, "code": code, "device_id": device_id}
        response = await self._send(routes.VERIFY_CODE, json=body)
        raise_for_response(response)
        if wire.decode(response.content, wire.VerifyHead).onboarding_token:
            pending = wire.decode(response.content, wire.OnboardingToken)
            return OnboardingRequired(pending.onboarding_token, email, pending.expires_in)
        granted = wire.decode(response.content, wire.Session)
        return await self._signed_in(granted, email, device_id)

    async def onboard(
        self,
        onboarding: OnboardingRequired | str,
        first_name: str,
        last_name: str,
        date_of_birth: date | str,
    ) -> StoredSession:
        """Create the account of a new address (the token works once) and sign in."""
        pending = (
            onboarding
            if isinstance(onboarding, OnboardingRequired)
            else OnboardingRequired(onboarding, "")
        )
        body = {
            "onboarding_token": pending.token,
            "first_name": first_name,
            "last_name": last_name,
            "date_of_birth": str(date_of_birth),
        }
        response = await self._send(routes.ONBOARD, json=body)
        raise_for_response(response)
        granted = wire.decode(response.content, wire.Session)
        return await self._signed_in(granted, pending.email, self._device_id())

    async def refresh(self) -> StoredSession:
        """Renew now, whatever the expiry (the refresh token rotates)."""
        async with self._lock:
            await self._load_locked()
            if self._device is not None:
                return await self._issue_udt(self._device, self._session)
            return await self._refresh_locked(self._session)

    async def logout(self) -> None:
        """End the session on the service (best effort) and forget it here."""
        async with self._lock:
            await self._load_locked()
            session = self._session
            if session is None:
                return
            try:
                if session.refresh_token:
                    body = {"refresh_token": session.refresh_token}
                    raise_for_response(await self._send(routes.LOGOUT, json=body))
            except ProviderError as exc:
                log.warning("YourMusic: could not end the session on the service: %s", exc)
            finally:
                await self._forget(session.account, ended=False)
                if session.kind == "user":
                    await self._store_call("delete", CURRENT_ACCOUNT)

    # -- internals (the lock is held)

    async def _load_locked(self) -> None:
        if self._loaded:
            return
        if self._env_token is not None:
            # The environment's token stands alone; a store overlaid with the same
            # variable would hand that token back as if it were an account name.
            self._loaded = True
            return
        # `_loaded` is set last: callers that skip the lock must not see a half-done load.
        account = self._account or await self._store_call("load", CURRENT_ACCOUNT)
        session = await self._read(account) if account else None
        if session is not None and (session.kind == "device") == (self._device is not None):
            self._session = session
            self._account = account
        self._loaded = True

    async def _read(self, account: str) -> StoredSession | None:
        secret = await self._store_call("load", account)
        if not secret:
            return None
        try:
            return msgspec.json.decode(secret, type=StoredSession)
        except (msgspec.DecodeError, msgspec.ValidationError):
            log.warning("YourMusic: the stored session for %s is unreadable; ignoring it", account)
            return None

    def _expiring(self, session: StoredSession) -> bool:
        return session.needs_renewal(self._clock())

    async def _refresh_locked(self, session: StoredSession | None) -> StoredSession:
        if session is None:
            raise SignInRequired(SESSION_ENDED if self._ended else NOT_SIGNED_IN, provider=PROVIDER)
        # Another setlist process may have rotated the token already: use its newer result.
        stored = await self._read(session.account)
        if stored and stored.refresh_token and stored.expires_at > session.expires_at:
            self._session = session = stored
            if not self._expiring(stored):
                return stored
        now = self._clock()
        if not session.refresh_token or (
            session.refresh_expires_at is not None and now >= session.refresh_expires_at
        ):
            await self._forget(session.account, ended=True)
            raise SignInRequired(SESSION_ENDED, provider=PROVIDER)
        response = await self._send(routes.REFRESH, json={"refresh_token": session.refresh_token})
        if response.status_code in _REFRESH_REJECTED:
            log.info("YourMusic: refresh refused (HTTP %s)", response.status_code)
            await self._forget(session.account, ended=True)
            raise SignInRequired(SESSION_ENDED, provider=PROVIDER)
        raise_for_response(response)  # 5xx and the like: the session is kept for a retry
        granted = wire.decode(response.content, wire.Session)
        renewed = self._from_wire(granted, session.account, session.device_id)
        await self._keep(renewed)
        log.info("YourMusic: session renewed")
        return renewed

    async def _issue_udt(
        self, device: DeviceCredentials, session: StoredSession | None
    ) -> StoredSession:
        now = self._clock()
        client_token = session.client_token if session else None
        client_expires = session.client_expires_at if session else None
        fresh_client = not client_token or (client_expires is not None and now >= client_expires)
        if fresh_client:
            client_token, client_expires = await self._client_token(device)
        assert client_token is not None
        response = await self._udt_request(device, client_token)
        if response.status_code == 401 and not fresh_client:
            client_token, client_expires = await self._client_token(device)
            response = await self._udt_request(device, client_token)
        if response.status_code == 401:
            raise AuthenticationError(DEVICE_REFUSED, provider=PROVIDER)
        raise_for_response(response)
        udt = wire.decode(response.content, wire.UserDelegationToken)
        now = self._clock()
        renewed = StoredSession(
            kind="device",
            account=f"device:{device.user_id}",
            access_token=udt.token,
            expires_at=now + udt.expires_in,
            lifetime=udt.expires_in,
            user_id=device.user_id,
            device_id=device.device_id,
            client_token=client_token,
            client_expires_at=client_expires,
        )
        await self._keep(renewed)
        log.info("YourMusic: device token issued")
        return renewed

    async def _client_token(self, device: DeviceCredentials) -> tuple[str, float]:
        body = {
            "grant_type": "client_credentials",
            "client_id": device.client_id,
            "client_secret": device.client_secret,
        }
        response = await self._send(routes.CLIENT_TOKEN, json=body)
        if response.status_code in (400, 401, 403, 422):
            raise AuthenticationError(DEVICE_REFUSED, provider=PROVIDER)
        raise_for_response(response)
        granted = wire.decode(response.content, wire.ClientToken)
        expires = self._clock() + granted.expires_in - renew_margin(granted.expires_in)
        return granted.access_token, expires

    async def _udt_request(self, device: DeviceCredentials, client_token: str) -> httpx.Response:
        return await self._send(
            routes.USER_DELEGATION_TOKEN,
            path={"user_id": device.user_id},
            json={"deviceId": device.device_id},
            token=client_token,
        )

    async def _signed_in(self, granted: wire.Session, email: str, device_id: str) -> StoredSession:
        account = (granted.user.email if granted.user else None) or email
        session = self._from_wire(granted, account, device_id)
        async with self._lock:
            self._loaded = True
            self._ended = False
            self._account = account
            await self._keep(session)
            await self._store_call("save", CURRENT_ACCOUNT, account)
        return session

    def _from_wire(
        self, granted: wire.Session, account: str, device_id: str | None
    ) -> StoredSession:
        now = self._clock()
        refresh_in = granted.refresh_expires_in
        return StoredSession(
            account=account,
            access_token=granted.access_token,
            expires_at=now + granted.expires_in,
            lifetime=granted.expires_in,
            refresh_token=granted.refresh_token,
            refresh_expires_at=now + refresh_in if refresh_in is not None else None,
            user=granted.user,
            user_id=granted.user.id if granted.user else None,
            device_id=device_id,
        )

    async def _keep(self, session: StoredSession) -> None:
        self._session = session
        await self._store_call("save", session.account, msgspec.json.encode(session).decode())

    async def _forget(self, account: str, *, ended: bool) -> None:
        self._session = None
        self._ended = ended
        await self._store_call("delete", account)

    async def _store_call(self, op: Literal["load", "save", "delete"], *args: str) -> Any:
        """A blocking store call on a worker thread. A failing store loses persistence only."""
        if self._store is None:
            return None
        try:
            return await asyncio.to_thread(getattr(self._store, op), PROVIDER, *args)
        except Exception as exc:
            log.warning("YourMusic: the credential store failed to %s: %s", op, type(exc).__name__)
            return None

    def _device_id(self) -> str:
        if self._device:
            return self._device.device_id
        if self._session and self._session.device_id:
            return self._session.device_id
        return str(uuid.uuid4())

    async def _send(
        self,
        route: routes.Route,
        *,
        path: Mapping[str, str] | None = None,
        json: Any = None,
        token: str | None = None,
    ) -> httpx.Response:
        if self._http is None:
            raise RuntimeError("YourMusicAuth is used through a YourMusicClient, which binds it")
        headers = {"Authorization": f"Bearer {token}"} if token else None
        return await send(
            self._http,
            route.method,
            route.url(**(path or {})),
            provider=PROVIDER,
            retry=self._retry,
            json=json,
            headers=headers,
            deadline=self._deadline,
        )
