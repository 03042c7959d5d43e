"""Jamendo sign-in: OAuth2 authorization code flow that works in a terminal and over SSH.

Nothing listens for the redirect: the user opens the printed URL in any browser
(on any machine), approves, and pastes the address the browser ends up on (or
just its `code`). Tokens go to the SecretStore as JSON; an access token is
refreshed shortly before it expires, or when Jamendo rejects it (code 12), and
concurrent callers share one refresh.
"""

from __future__ import annotations

import asyncio
import logging
import secrets as secrets_mod
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import msgspec

from setlist.core.errors import (
    AuthenticationError,
    ConfigError,
    InvalidRequest,
    SignInRequired,
)
from setlist.core.protocols import SecretStore
from setlist.providers.http import DEFAULT_DEADLINES, RetryPolicy, send
from setlist.providers.jamendo.errors import (
    DEVPORTAL_URL,
    PROVIDER,
    SIGN_IN_AGAIN,
    check,
    error_for_status,
    redact,
)
from setlist.providers.jamendo.wire import WireToken, convert, decode_results

log = logging.getLogger("setlist.providers.jamendo")

AUTHORIZE_PATH = "oauth/authorize"
GRANT_PATH = "oauth/grant"
SCOPE = "music"


class StoredTokens(msgspec.Struct, kw_only=True):
    access_token: str
    refresh_token: str | None = None
    expires_at: float  # Unix time: it must survive a restart
    lifetime: float
    scope: str | None = None

    def expiring(self, now: float) -> bool:
        # A margin, so a token does not expire between this check and the server's.
        return now >= self.expires_at - min(30.0, self.lifetime / 10)


class JamendoOAuth:
    """The signed-in Jamendo user's tokens: obtain, keep, refresh, forget."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        client_id: str,
        client_secret: str | None,
        secrets: SecretStore | None,
        account: str = "default",
        retry: RetryPolicy | None = None,
        deadline: float = DEFAULT_DEADLINES.sign_in,
    ) -> None:
        self._http = http
        self._deadline = deadline
        self._client_id = client_id
        self._client_secret = client_secret
        self._store = secrets
        self._account = account
        self._retry = retry
        self._tokens: StoredTokens | None = None
        self._loaded = False
        self._lock = asyncio.Lock()
        self._pending: tuple[str, str] | None = None  # (state, redirect_uri)

    # Sign-in

    def authorize_url(self, redirect_uri: str, state: str | None = None) -> str:
        """The address the user opens to let setlist act for them."""
        state = state or secrets_mod.token_urlsafe(16)
        self._pending = (state, redirect_uri)
        query = urlencode(
            {
                "client_id": self._client_id,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": SCOPE,
                "state": state,
            }
        )
        return f"{self._http.base_url}{AUTHORIZE_PATH}?{query}"

    async def exchange(
        self, pasted: str, *, redirect_uri: str | None = None, state: str | None = None
    ) -> None:
        """Finish signing in with what the user pasted: the redirect address or the bare code."""
        code, got_state = _read_pasted(pasted)
        expected_state = state or (self._pending[0] if self._pending else None)
        # A bare code carries no state to check; a pasted address must carry ours.
        if expected_state is not None and _looks_like_url(pasted) and got_state != expected_state:
            raise AuthenticationError(
                "That address belongs to another sign-in attempt. Open the sign-in "
                "link shown last and paste the address it ends on.",
                provider=PROVIDER,
            )
        redirect_uri = redirect_uri or (self._pending[1] if self._pending else None)
        if redirect_uri is None:
            raise ValueError("exchange() needs the redirect_uri given to authorize_url()")
        answer = await self._grant(
            {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
            code,
        )
        self._pending = None
        await self._keep(_stored(answer, previous_refresh=None))

    # Tokens

    async def signed_in(self) -> bool:
        return await self._current() is not None

    async def access_token(self) -> str:
        """A usable access token, refreshed first when it is about to expire."""
        tokens = await self._current()
        if tokens is None:
            raise SignInRequired(
                "Sign in to Jamendo first to like tracks and see your likes.", provider=PROVIDER
            )
        if tokens.expiring(time.time()):
            return await self.refresh(stale=tokens.access_token)
        return tokens.access_token

    async def refresh(self, stale: str) -> str:
        """A new access token in place of `stale`; one refresh however many callers ask."""
        async with self._lock:
            tokens = await self._current()
            if tokens is None:
                raise SignInRequired(
                    f"Not signed in to Jamendo. {SIGN_IN_AGAIN}", provider=PROVIDER
                )
            if tokens.access_token != stale:
                return tokens.access_token  # another caller refreshed while this one waited
            if not tokens.refresh_token:
                raise SignInRequired(
                    f"Your Jamendo sign-in has expired. {SIGN_IN_AGAIN}", provider=PROVIDER
                )
            try:
                answer = await self._grant(
                    {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token},
                    tokens.refresh_token,
                )
            except (AuthenticationError, InvalidRequest) as exc:
                await self.sign_out()
                raise SignInRequired(
                    f"Jamendo ended your sign-in. {SIGN_IN_AGAIN}", provider=PROVIDER
                ) from exc
            log.info("Jamendo access token refreshed")
            fresh = _stored(answer, previous_refresh=tokens.refresh_token)
            await self._keep(fresh)
            return fresh.access_token

    async def reload(self) -> None:
        """Read the store again at the next use: another process signed in or out."""
        async with self._lock:
            self._tokens = None
            self._loaded = False

    async def sign_out(self) -> None:
        self._tokens = None
        self._loaded = True
        if self._store is not None:
            try:
                await asyncio.to_thread(self._store.delete, PROVIDER, self._account)
            except Exception as exc:
                log.warning("Could not remove the stored Jamendo sign-in (%s)", type(exc).__name__)

    def known_secrets(self) -> tuple[str | None, ...]:
        """What must never appear in a log line or an error message."""
        tokens = self._tokens
        held = (tokens.access_token, tokens.refresh_token) if tokens else ()
        return (*held, self._client_secret)

    # Plumbing

    async def _grant(self, params: dict[str, str], secret: str) -> WireToken:
        if not self._client_secret:
            raise ConfigError(
                "Signing in to Jamendo needs your app's client secret as well as its client "
                f"id; both are on {DEVPORTAL_URL}."
            )
        form = {"client_id": self._client_id, "client_secret": self._client_secret, **params}
        response = await send(
            self._http,
            "POST",
            GRANT_PATH,
            provider=PROVIDER,
            data=form,
            retry=self._retry,
            deadline=self._deadline,
        )
        return _token_answer(response, secrets=(secret, self._client_secret))

    async def _current(self) -> StoredTokens | None:
        if not self._loaded:
            self._tokens = await self._load()
            self._loaded = True
        return self._tokens

    async def _load(self) -> StoredTokens | None:
        if self._store is None:
            return None
        try:
            text = await asyncio.to_thread(self._store.load, PROVIDER, self._account)
        except Exception as exc:
            log.warning("Could not read the stored Jamendo sign-in (%s)", type(exc).__name__)
            return None
        if not text:
            return None
        try:
            return msgspec.json.decode(text, type=StoredTokens)
        except (msgspec.DecodeError, msgspec.ValidationError):
            log.warning("The stored Jamendo sign-in is unreadable; sign in again")
            return None

    async def _keep(self, tokens: StoredTokens) -> None:
        self._tokens = tokens
        self._loaded = True
        if self._store is None:
            return
        text = msgspec.json.encode(tokens).decode()
        try:
            await asyncio.to_thread(self._store.save, PROVIDER, self._account, text)
        except Exception as exc:
            # The session goes on with the tokens in memory; the next start asks again.
            log.warning("Could not store the Jamendo sign-in (%s)", type(exc).__name__)


def _looks_like_url(text: str) -> bool:
    text = text.strip()
    return "://" in text or text.startswith("?") or "code=" in text or "error=" in text


def _read_pasted(pasted: str) -> tuple[str, str | None]:
    """(code, state) from a pasted redirect address, query string or bare code."""
    text = pasted.strip().strip("'\"<>")
    if not _looks_like_url(text):
        if not text or any(c.isspace() for c in text):
            raise InvalidRequest(
                "Paste the address the browser shows after you approved, or its code.",
                provider=PROVIDER,
            )
        return text, None
    parts = urlsplit(text if "://" in text else "x://x/?" + text.lstrip("?"))
    fields = {**parse_qs(parts.fragment), **parse_qs(parts.query)}
    if "error" in fields:
        reason = fields.get("error_description", fields["error"])[0]
        raise AuthenticationError(
            f"Jamendo sign-in was not completed ({reason}). Try again.", provider=PROVIDER
        )
    codes = fields.get("code")
    if not codes or not codes[0].strip():
        raise InvalidRequest(
            "That address has no sign-in code in it. Paste the address the browser shows "
            "after you approved.",
            provider=PROVIDER,
        )
    states = fields.get("state")
    return codes[0].strip(), states[0] if states else None


def _token_answer(response: httpx.Response, *, secrets: tuple[str | None, ...]) -> WireToken:
    """The tokens of a grant answer: a plain OAuth2 document or a Jamendo envelope."""
    try:
        body: Any = msgspec.json.decode(response.content)
    except (msgspec.DecodeError, RecursionError):
        body = None
    if isinstance(body, dict) and "headers" in body:
        results = decode_results(check(response, secrets=secrets).results, Any, "a sign-in answer")
        body = results[0] if isinstance(results, list) and results else results
    elif isinstance(body, dict) and "error" in body:
        reason = redact(str(body.get("error_description") or body["error"]), secrets)
        raise AuthenticationError(
            f"Jamendo did not accept the sign-in ({reason[:200]}). {SIGN_IN_AGAIN}",
            provider=PROVIDER,
        )
    if response.status_code >= 400:
        raise error_for_status(response.status_code)
    return convert(body, WireToken, "a sign-in answer")


def _stored(answer: WireToken, *, previous_refresh: str | None) -> StoredTokens:
    lifetime = float(answer.expires_in)
    return StoredTokens(
        access_token=answer.access_token,
        # Without rotation the old refresh token stays good.
        refresh_token=answer.refresh_token or previous_refresh,
        expires_at=time.time() + lifetime,
        lifetime=lifetime,
        scope=answer.scope,
    )
