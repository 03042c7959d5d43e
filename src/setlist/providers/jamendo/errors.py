"""The one place Jamendo's answers become typed errors.

Jamendo reports most failures inside an HTTP 200 body (`headers.code`), so the
envelope is read before the status: a 200 with code 6 is a rate limit. 429 and
5xx answers never reach here: `providers.http.send` raises for them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import httpx

from setlist.core.errors import (
    AuthenticationError,
    BadResponse,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    ProviderError,
    RateLimited,
    ServerError,
)
from setlist.providers.jamendo.wire import Envelope, decode_envelope

log = logging.getLogger("setlist.providers.jamendo")

PROVIDER = "jamendo"
DEVPORTAL_URL = "https://devportal.jamendo.com"
SIGN_IN_AGAIN = "Sign in to Jamendo again."


class InvalidClientId(AuthenticationError):
    """The app's client id is unknown or suspended: no sign-in fixes it, a new id does."""


class AccessTokenRejected(AuthenticationError):
    """Code 12: the access token is invalid or expired; a refresh may fix it."""


def error_for_code(code: int, detail: str) -> ProviderError:
    """The typed error for a failed envelope's code (seed 001 lists them)."""
    said = f": {detail}" if detail else "."
    if code == 5:
        return InvalidClientId(
            "Jamendo does not accept this client id. Get one at "
            f"{DEVPORTAL_URL} and set it in the config (the demo catalog brings its own).",
            provider=PROVIDER,
        )
    if code == 11:
        return InvalidClientId(
            "Jamendo has suspended the application behind this client id. Register a new "
            f"one at {DEVPORTAL_URL}.",
            provider=PROVIDER,
        )
    if code == 6:
        return RateLimited(
            "Jamendo is limiting requests from this app; try again in a minute.",
            provider=PROVIDER,
        )
    if code in (2, 3, 4, 8, 22, 23):
        return InvalidRequest(f"Jamendo rejected the request{said}", provider=PROVIDER)
    if code == 12:
        return AccessTokenRejected(
            f"Jamendo no longer accepts your sign-in. {SIGN_IN_AGAIN}", provider=PROVIDER
        )
    if code == 13:
        return AuthenticationError(
            f"Your Jamendo sign-in does not allow this. {SIGN_IN_AGAIN}", provider=PROVIDER
        )
    if code == 101:
        return AuthenticationError(
            f"Jamendo did not accept the sign-in code. {SIGN_IN_AGAIN}", provider=PROVIDER
        )
    if code == 21:
        return NotFound("Jamendo does not know this user.", provider=PROVIDER)
    if code == 24:
        return NotFound("Jamendo does not know this playlist.", provider=PROVIDER)
    if code == 7:
        # The method itself is missing: the API changed under us, not the user's fault.
        return BadResponse(
            "Jamendo does not offer a method setlist uses; its API may have changed.",
            provider=PROVIDER,
        )
    if code == 10:
        return BadResponse(
            "This address is not a Jamendo API entry point; check the Jamendo base URL.",
            provider=PROVIDER,
        )
    if code == 9:
        return BadResponse("Jamendo cannot answer in JSON.", provider=PROVIDER)
    if code == 1:
        return ServerError(f"Jamendo had a problem{said}", provider=PROVIDER)
    return ProviderError(f"Jamendo refused the request (code {code}){said}", provider=PROVIDER)


def error_for_status(status: int) -> ProviderError:
    if status == 401:
        return AuthenticationError(
            f"Jamendo refused the credentials. {SIGN_IN_AGAIN}", provider=PROVIDER
        )
    if status == 403:
        return PermissionDenied("Jamendo does not allow this.", provider=PROVIDER)
    if status == 404:
        return NotFound("Jamendo has no such item.", provider=PROVIDER)
    if status in (400, 405, 422):
        return InvalidRequest(f"Jamendo rejected the request (HTTP {status}).", provider=PROVIDER)
    return ProviderError(f"Jamendo answered HTTP {status}.", provider=PROVIDER)


def redact(text: str, secrets: Iterable[str | None]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def check(response: httpx.Response, *, secrets: Iterable[str | None] = ()) -> Envelope:
    """The envelope of a successful answer; raise the typed error of a failed one.

    `secrets` are scrubbed from anything quoted from the server, in case it
    echoes a token back.
    """
    secrets = tuple(secrets)
    envelope = decode_envelope(response.content)
    if envelope is not None:
        head = envelope.headers
        _log_warnings(head.warnings, response.request.url.path, secrets)
        if head.code != 0 or head.status == "failed":
            detail = redact((head.error_message or "").strip(), secrets)[:300]
            raise error_for_code(head.code, detail)
    if response.status_code >= 400:
        raise error_for_status(response.status_code)
    if envelope is None:
        kind = response.headers.get("content-type", "no content type")
        raise BadResponse(
            f"Jamendo answered something that is not an API document ({kind}).",
            provider=PROVIDER,
        )
    return envelope


def _log_warnings(
    warnings: str | list[str] | None, path: str, secrets: tuple[str | None, ...]
) -> None:
    if not warnings:
        return
    items = [warnings] if isinstance(warnings, str) else warnings
    for text in items:
        if text.strip():
            log.warning("Jamendo warns about %s: %s", path, redact(text.strip(), secrets))
