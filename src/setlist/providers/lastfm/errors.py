"""The one place Last.fm's `{"error": N, "message": ...}` answers become typed errors."""

from __future__ import annotations

from setlist.core.errors import (
    AuthenticationError,
    BadResponse,
    InvalidRequest,
    NotFound,
    ProviderError,
    RateLimited,
    ServerError,
)

PROVIDER = "lastfm"
API_ACCOUNT_URL = "https://www.last.fm/api/account/create"


class SessionInvalid(AuthenticationError):
    """Last.fm's error 9: the session key is no longer valid; sign in again."""


class TokenNotAuthorized(AuthenticationError):
    """Last.fm's error 14: the user has not (yet) allowed the token."""


class TokenExpired(AuthenticationError):
    """Last.fm's error 15: the token is too old; start the sign-in again."""


def error_for_code(code: int, message: str) -> ProviderError:
    """`message` is Last.fm's own text, already scrubbed of the key."""
    said = f" ({message})" if message else ""
    if code == 6:
        # Last.fm uses 6 both for a missing parameter and for "Album not found".
        if "not found" in message.lower():
            return NotFound(f"Last.fm does not know this album{said}.", provider=PROVIDER)
        return InvalidRequest(f"Last.fm rejected the request{said}.", provider=PROVIDER)
    if code in (10, 26):
        state = "suspended" if code == 26 else "not valid"
        return AuthenticationError(
            f"The Last.fm API key is {state}. Check lastfm.api_key in the config "
            f"(get a key at {API_ACCOUNT_URL}).",
            provider=PROVIDER,
        )
    if code == 9:
        return SessionInvalid(
            "The Last.fm session is no longer valid: run `setlist login lastfm` again.",
            provider=PROVIDER,
        )
    if code == 14:
        return TokenNotAuthorized(
            "Last.fm has not been told yet that setlist may scrobble for you.",
            provider=PROVIDER,
        )
    if code == 15:
        return TokenExpired(
            "The Last.fm sign-in took too long (the token expired); start it again.",
            provider=PROVIDER,
        )
    if code in (4, 13):
        return AuthenticationError(f"Last.fm refused the credentials{said}.", provider=PROVIDER)
    if code == 29:
        return RateLimited(
            "Last.fm is limiting requests; album info will be back in a minute.",
            provider=PROVIDER,
        )
    if code in (8, 11, 16):
        return ServerError(f"Last.fm is having trouble{said}; try again later.", provider=PROVIDER)
    if code == 7:
        return NotFound(f"Last.fm has no such item{said}.", provider=PROVIDER)
    if code in (2, 3, 5):
        return BadResponse(
            f"Last.fm does not offer what setlist asked for{said}.", provider=PROVIDER
        )
    return ProviderError(f"Last.fm error {code}{said}.", provider=PROVIDER)
