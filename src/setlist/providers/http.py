"""What every provider client shares: one pooled httpx client, retries, timeouts, deadlines.

Idempotent requests (GET, HEAD) are retried with exponential backoff on 5xx
answers, timeouts and dropped connections, and wait out a 429's Retry-After.
Writes are sent once: a retry could apply them twice. Each provider turns the
final answer into its typed errors itself (see `raise_for_*` in its module).

httpx's timeouts count per read: a server sending a byte every few seconds never
trips them. So every call has a deadline as well, covering the connection, the
answer's headers and its whole body, and the retries: past it, a NetworkError
naming the service.
"""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any
from urllib.parse import urlencode

import httpx

from setlist import __version__
from setlist.core.errors import NetworkError, RateLimited, ServerError
from setlist.core.models import provider_label

log = logging.getLogger(__name__)

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
USER_AGENT = f"setlist/{__version__}"
# Query parameters whose values never reach a log line.
SECRET_PARAMS = frozenset(
    {"access_token", "refresh_token", "client_secret", "code", "api_key", "api_sig", "sk"}
)


def redact_url(url: httpx.URL | str) -> str:
    """The URL with the values of secret query parameters replaced by ***."""
    url = httpx.URL(str(url))
    items = url.params.multi_items()
    if not any(key.lower() in SECRET_PARAMS for key, _ in items):
        return str(url)
    safe = [(key, "***" if key.lower() in SECRET_PARAMS else value) for key, value in items]
    return str(url.copy_with(query=urlencode(safe, safe="*").encode()))


class _RedactUrls(logging.Filter):
    """httpx logs every request's full URL at INFO; Jamendo's user calls carry the
    access token in the query (and Last.fm its key), so those values are masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(
                redact_url(a) if isinstance(a, httpx.URL) else a for a in record.args
            )
        return True


logging.getLogger("httpx").addFilter(_RedactUrls())


def origin(url: str) -> tuple[str, str, int | None]:
    """A URL's origin: scheme, host and port (the scheme's default when none is given)."""
    parts = httpx.URL(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, parts.host.lower(), parts.port or default


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # in all, the first one included
    base_delay: float = 0.25
    max_delay: float = 8.0
    max_retry_after: float = 30.0  # longer Retry-After: give up and tell the user

    def backoff(self, attempt: int) -> float:
        delay: float = min(self.max_delay, self.base_delay * 2**attempt)
        return delay * (0.5 + random.random() / 2)


@dataclass(frozen=True)
class Deadlines:
    """Seconds a whole call may take, retries included, per kind of call."""

    api: float = 15.0  # catalog reads and writes, Home, search, Last.fm
    sign_in: float = 20.0  # one-time codes, tokens, refreshes
    stream: float = 10.0  # a stream's manifest, which playback waits for


DEFAULT_DEADLINES = Deadlines()


def default_timeout() -> httpx.Timeout:
    return httpx.Timeout(10.0, connect=5.0)


@cache
def tls_context() -> ssl.SSLContext:
    """httpx's default TLS settings (certifi's CA bundle, or SSL_CERT_FILE/SSL_CERT_DIR),
    made once: each client made its own, reading the CA bundle again (~15 ms each)."""
    return httpx.create_ssl_context()


def make_client(base_url: str, *, timeout: httpx.Timeout | None = None) -> httpx.AsyncClient:
    """One pooled client per service for the program's life."""
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=timeout or default_timeout(),
        headers={"User-Agent": USER_AGENT},
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        verify=tls_context(),
    )


def retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    import datetime as dt

    if when.tzinfo is None:  # "-0000" in the date gives a naive datetime: it means UTC
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


async def send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    provider: str,
    retry: RetryPolicy | None = None,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
    data: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    follow_redirects: bool = False,
    deadline: float | None = None,
) -> httpx.Response:
    """Send one request; retry it when that is safe. Returns the last response.

    Raises NetworkError when the service cannot be reached or the call (retries
    included) outlasts `deadline` seconds (default: `Deadlines.api`), RateLimited
    when a 429 outlasts the retries, ServerError when 5xx answers outlast them.
    """
    seconds = DEFAULT_DEADLINES.api if deadline is None else deadline
    try:
        async with asyncio.timeout(seconds):
            return await _send(
                client,
                method,
                url,
                provider=provider,
                policy=retry or RetryPolicy(),
                ends=asyncio.get_running_loop().time() + seconds,
                params=params,
                json=json,
                data=data,
                headers=headers,
                follow_redirects=follow_redirects,
            )
    except TimeoutError:
        raise NetworkError(
            f"{provider_label(provider)} did not answer within {seconds:g} s. "
            "Check the connection, or try again in a moment.",
            provider=provider,
        ) from None


async def _send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    provider: str,
    policy: RetryPolicy,
    ends: float,
    params: Mapping[str, Any] | None,
    json: Any,
    data: Mapping[str, Any] | None,
    headers: Mapping[str, str] | None,
    follow_redirects: bool,
) -> httpx.Response:
    attempts = policy.attempts if method.upper() in IDEMPOTENT else 1
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            response = await client.request(
                method,
                url,
                params=params,
                json=json,
                data=data,
                headers=headers,
                follow_redirects=follow_redirects,
            )
        except httpx.TimeoutException as exc:
            if last:
                raise NetworkError(
                    f"{provider_label(provider)} did not answer in time.", provider=provider
                ) from exc
            await asyncio.sleep(policy.backoff(attempt))
            continue
        except (httpx.TransportError, httpx.DecodingError) as exc:
            if last:
                raise NetworkError(
                    unreachable(provider_label(provider), exc, client.base_url),
                    provider=provider,
                ) from exc
            await asyncio.sleep(policy.backoff(attempt))
            continue

        if response.status_code == 429:
            wait = retry_after_seconds(response)
            remaining = ends - asyncio.get_running_loop().time()
            if last or wait is None or wait > min(policy.max_retry_after, remaining):
                await response.aread()
                raise RateLimited(
                    f"{provider_label(provider)} is limiting requests; try again"
                    + (f" in {wait:.0f} s." if wait is not None else " later."),
                    provider=provider,
                    retry_after=wait,
                )
            log.info("%s: 429, retrying in %.1f s", provider, wait)
            await asyncio.sleep(wait)
            continue
        if response.status_code >= 500:
            if last:
                await response.aread()
                raise ServerError(
                    f"{provider_label(provider)} had a problem (HTTP {response.status_code}). "
                    "Try again in a moment.",
                    provider=provider,
                )
            log.info("%s: HTTP %s, retrying", provider, response.status_code)
            await asyncio.sleep(policy.backoff(attempt))
            continue
        return response
    raise AssertionError("unreachable")  # pragma: no cover


def unreachable(service: str, exc: Exception, base_url: httpx.URL | None = None) -> str:
    """What to say when a request did not get through: the service, and why.

    A host name that was not found comes with the address it is part of: the client's
    `base_url` (the address in the config) when the request went there, since that
    address is what to check.
    """
    if not (isinstance(exc, httpx.ConnectError) and _failed_name_lookup(exc)):
        return f"Could not reach {service}: {transport_reason(exc)}."
    url = exc.request.url
    if base_url is not None and str(base_url) and base_url.host == url.host:
        where, check = shown_address(base_url), "that address in the config, and your"
    else:
        where, check = shown_address(url), "your"
    return (
        f"Could not reach {service} at {where}: the host name {url.host} could not be "
        f"found (check {check} network or DNS)."
    )


def shown_address(url: httpx.URL) -> str:
    """A URL fit for a message: no user name, password, query or fragment (secrets)."""
    bare = url.copy_with(username=None, password=None, query=None, fragment=None)
    return str(bare).rstrip("/")


def transport_reason(exc: Exception) -> str:
    if isinstance(exc, httpx.ConnectError) and _failed_name_lookup(exc):
        return (
            f"the host name {exc.request.url.host} could not be found "
            "(check the service address in the config and your network or DNS)"
        )
    if isinstance(exc, httpx.ConnectError):
        return "connection refused or host unreachable"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection was dropped"
    return type(exc).__name__


def _failed_name_lookup(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
