"""YourMusic answers to typed errors, in one place.

Messages are fit to show a user. They may quote the service's own message
(cleaned and shortened), never a token: the service does not echo tokens in
error bodies, and nothing here reads request headers.
"""

from __future__ import annotations

import re

import httpx
import msgspec

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
from setlist.providers.http import retry_after_seconds
from setlist.providers.yourmusic.wire import PROVIDER, ErrorBody

TOKEN_ERROR_CODES = frozenset({"INVALID_AUTH_TOKEN", "TOKEN_EXPIRED"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def error_code(response: httpx.Response) -> str | None:
    """The `error.code` of an error body, when it has one."""
    body = _body(response)
    return body.error.code if body and body.error else None


def is_token_rejection(response: httpx.Response) -> bool:
    """A 401 that a new access token may cure (expired or unknown token)."""
    if response.status_code != 401:
        return False
    code = error_code(response)
    return code is None or code in TOKEN_ERROR_CODES


def raise_for_response(response: httpx.Response) -> None:
    """Raise the typed error for an error answer; return for a 2xx one."""
    error = error_for(response)
    if error is not None:
        raise error


def error_for(response: httpx.Response) -> ProviderError | None:
    status = response.status_code
    if status < 400:
        return None
    body = _body(response)
    said = _server_message(body)
    if status == 401:
        return AuthenticationError(
            "YourMusic did not accept your sign-in"
            + (f" ({said})" if said else "")
            + ": sign in again with `setlist login yourmusic`.",
            provider=PROVIDER,
        )
    if status == 403:
        return PermissionDenied(
            "YourMusic does not allow this" + (f": {said}." if said else "."), provider=PROVIDER
        )
    if status == 404:
        return NotFound(
            "Not found on YourMusic" + (f": {said}." if said else "."), provider=PROVIDER
        )
    if status == 422:
        fields = body.errors if body and body.errors else {}
        details = "; ".join(_clean(m) for messages in fields.values() for m in messages)
        return InvalidRequest(
            "YourMusic rejected the request" + (f": {details}." if details else "."),
            provider=PROVIDER,
            fields=fields,
        )
    if status == 429:
        wait = retry_after_seconds(response)
        return RateLimited(
            "YourMusic is limiting requests; try again"
            + (f" in {wait:.0f} s." if wait is not None else " later."),
            provider=PROVIDER,
            retry_after=wait,
        )
    if status >= 500:
        return ServerError(
            f"YourMusic had a problem (HTTP {status}). Try again in a moment.", provider=PROVIDER
        )
    return BadResponse(
        f"YourMusic answered with an unexpected HTTP {status}" + (f": {said}." if said else "."),
        provider=PROVIDER,
    )


def _body(response: httpx.Response) -> ErrorBody | None:
    try:
        return msgspec.json.decode(response.content, type=ErrorBody)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        return None


def _server_message(body: ErrorBody | None) -> str:
    if body is None:
        return ""
    message = (body.error.message if body.error else None) or body.message or ""
    return _clean(message)


def _clean(message: str) -> str:
    message = _CONTROL.sub(" ", message).strip().rstrip(".")
    return message if len(message) <= 160 else message[:157] + "..."
