"""Typed errors shared by every provider.

Each provider maps its wire errors (HTTP status, Jamendo's in-body codes,
Last.fm's error numbers) to these in one place. Every message is fit to show a
user and never contains a token.
"""

from __future__ import annotations


class SetlistError(Exception):
    """Base of every error setlist shows to a user."""

    def __init__(self, message: str, *, provider: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider

    def __str__(self) -> str:
        return self.message


class ConfigError(SetlistError):
    """The config file has a typo or a value of the wrong type."""


class RadioUnavailable(SetlistError):
    """No similar tracks can be found for what was asked (a file, a URL, a radio)."""


class ProviderError(SetlistError):
    """Something went wrong talking to a catalog or auth service."""


class AuthenticationError(ProviderError):
    """The credentials were refused; the user has to sign in (again)."""


class SignInRequired(AuthenticationError):
    """No usable session: a refresh was rejected or nobody signed in."""


class PermissionDenied(ProviderError):
    """Signed in, but not allowed (e.g. editing someone else's playlist)."""


class NotFound(ProviderError):
    pass


class InvalidRequest(ProviderError):
    """The service rejected the request's data (HTTP 422, Jamendo codes 3/4/8)."""

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message, provider=provider)
        self.fields = fields or {}


class RateLimited(ProviderError):
    def __init__(
        self, message: str, *, provider: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, provider=provider)
        self.retry_after = retry_after


class ServerError(ProviderError):
    """The service failed (5xx) or could not be reached."""


class NetworkError(ServerError):
    """Timeout, refused or dropped connection."""


class BadResponse(ProviderError):
    """The service answered with something that is not what its API promises."""


class MalformedResponse(BadResponse):
    """The answer cannot be read at all (e.g. JSON nested deeper than a decoder goes)."""


def malformed(label: str, provider: str) -> MalformedResponse:
    return MalformedResponse(
        f"{label} sent a malformed response (JSON nested too deeply to read). "
        "Try again later; if it keeps happening, the service has a problem.",
        provider=provider,
    )


class PlaybackError(SetlistError):
    pass


class Unsupported(SetlistError):
    """The catalog does not have this at all (YourMusic lyrics): asking again will not help."""
