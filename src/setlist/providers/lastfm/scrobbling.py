"""Signed Last.fm calls: the desktop sign-in (auth.getToken, auth.getSession) and
scrobbling (track.updateNowPlaying, track.scrobble).

Every call is a POST with a form body, so the token, the session key and the
signature never appear in a URL (nor in a log of URLs). The API secret is only
ever hashed into `api_sig`; it is never sent.

Last.fm's wire format, from its public API documentation:

- Signing: every parameter but `format` and `callback`, sorted by name (byte
  order: `artist[10]` before `artist[1]`), as name then value, then the shared
  secret; `api_sig` is the MD5 hex digest of that UTF-8 text.
- Desktop sign-in: `auth.getToken` answers `{"token": ...}` (valid 60 minutes);
  the user opens `https://www.last.fm/api/auth/?api_key=...&token=...` and
  allows the application; `auth.getSession` with the token then answers
  `{"session": {"name", "key", "subscriber"}}`. The session key does not expire.
  Before the user allows it: error 14 (unauthorized token); too late: 15.
- `track.updateNowPlaying`: artist, track, optional album and duration, `sk`.
- `track.scrobble`: `artist[i]`, `track[i]`, `timestamp[i]` (the UTC start of the
  playing, in seconds), optional `album[i]`, `duration[i]`; at most 50 in a call.
  The answer: `{"scrobbles": {"scrobble": [...] or one object, "@attr":
  {"accepted": N, "ignored": M}}}`, each scrobble with `ignoredMessage: {"code",
  "#text"}` (code 0: counted; 1 artist ignored, 2 track ignored, 3 timestamp too
  old, 4 timestamp too new, 5 daily limit). An ignored scrobble is final.
- Errors: `{"error": N, "message": ...}`: 4 authentication failed, 9 invalid
  session key (sign in again), 11 service offline, 13 invalid signature,
  16 temporarily unavailable, 29 rate limit exceeded (see errors.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import TypeVar
from urllib.parse import urlencode

import msgspec

from setlist.core.closing import AsyncClosing
from setlist.core.errors import BadResponse
from setlist.core.scrobbles import BATCH, Ignored, Scrobble, ScrobbleResult
from setlist.providers.http import DEFAULT_DEADLINES, Deadlines, RetryPolicy, make_client, send
from setlist.providers.lastfm.errors import PROVIDER, error_for_code
from setlist.providers.lastfm.wire import (
    ErrorAnswer,
    ScrobbleAnswer,
    SessionAnswer,
    TokenAnswer,
    WireScrobbled,
)

DEFAULT_AUTH_URL = "https://www.last.fm/api/auth/"
UNSIGNED = frozenset({"format", "callback"})

T = TypeVar("T")


def api_signature(params: Mapping[str, str], secret: str) -> str:
    """md5 of every parameter but format and callback, sorted by name, as name+value,
    then the secret (Last.fm's api_sig)."""
    text = "".join(f"{k}{params[k]}" for k in sorted(params) if k not in UNSIGNED)
    return hashlib.md5((text + secret).encode("utf-8"), usedforsecurity=False).hexdigest()


class LastfmSession(msgspec.Struct, frozen=True):
    name: str  # the Last.fm user name
    key: str  # the session key: a credential, kept in the keyring

    def __repr__(self) -> str:
        return f"LastfmSession(name={self.name!r}, key=***)"


class ScrobbleClient(AsyncClosing):
    """Last.fm's write methods, for one API account (key and secret)."""

    name = PROVIDER

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_secret: str,
        *,
        auth_url: str = DEFAULT_AUTH_URL,
        retry: RetryPolicy | None = None,
        deadlines: Deadlines = DEFAULT_DEADLINES,
    ) -> None:
        self._key = api_key
        self._secret = api_secret
        self._auth_url = auth_url
        self._retry = retry
        self._deadline = deadlines.api
        self._http = make_client(base_url.rstrip("/") + "/")

    def __repr__(self) -> str:
        return f"ScrobbleClient({str(self._http.base_url)!r})"

    # -- the desktop sign-in

    async def get_token(self) -> str:
        return _decode(await self._call("auth.getToken", {}), TokenAnswer, "auth.getToken").token

    def auth_page(self, token: str) -> str:
        """Where the user allows setlist to scrobble, in any browser on any machine."""
        return f"{self._auth_url}?{urlencode({'api_key': self._key, 'token': token})}"

    async def get_session(self, token: str) -> LastfmSession:
        """TokenNotAuthorized until the user has allowed it on the auth page."""
        body = await self._call("auth.getSession", {"token": token})
        answer = _decode(body, SessionAnswer, "auth.getSession")
        return LastfmSession(answer.session.name, answer.session.key)

    # -- scrobbling

    async def update_now_playing(self, session_key: str, playing: Scrobble) -> None:
        params = {"artist": playing.artist, "track": playing.track, "sk": session_key}
        if playing.album:
            params["album"] = playing.album
        if playing.duration:
            params["duration"] = str(playing.duration)
        await self._call("track.updateNowPlaying", params)

    async def scrobble(self, session_key: str, batch: Sequence[Scrobble]) -> ScrobbleResult:
        """Send up to 50 scrobbles at once; says which Last.fm ignored and why."""
        if not 0 < len(batch) <= BATCH:
            raise ValueError(f"track.scrobble takes 1 to {BATCH} scrobbles, not {len(batch)}")
        params = {"sk": session_key}
        for i, one in enumerate(batch):
            params[f"artist[{i}]"] = one.artist
            params[f"track[{i}]"] = one.track
            params[f"timestamp[{i}]"] = str(one.timestamp)
            if one.album:
                params[f"album[{i}]"] = one.album
            if one.duration:
                params[f"duration[{i}]"] = str(one.duration)
        answer = _decode(
            await self._call("track.scrobble", params), ScrobbleAnswer, "track.scrobble"
        )
        each = answer.scrobbles.scrobble
        each = each if isinstance(each, list) else [each]
        ignored = tuple(
            Ignored(scrobble=one, code=said.ignored.code, reason=said.ignored.text or "ignored")
            for one, said in zip(batch, _padded(each, len(batch)), strict=True)
            if said.ignored is not None and said.ignored.code != 0
        )
        return ScrobbleResult(accepted=answer.scrobbles.attr.accepted, ignored=ignored)

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the wire

    async def _call(self, method: str, params: dict[str, str]) -> bytes:
        """The body of Last.fm's answer; its `{"error": N}` answers raised as typed errors."""
        form = {"method": method, "api_key": self._key, **params}
        form["api_sig"] = api_signature(form, self._secret)
        form["format"] = "json"
        response = await send(
            self._http,
            "POST",
            "",
            provider=PROVIDER,
            data=form,
            retry=self._retry,
            deadline=self._deadline,
        )
        body = response.content
        try:
            failed = msgspec.json.decode(body, type=ErrorAnswer, strict=False)
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
            failed = None
        if failed is not None:
            raise error_for_code(failed.error, self._scrub(failed.message).strip()[:200])
        return body

    def _scrub(self, text: str) -> str:
        for secret in (self._secret, self._key):
            text = text.replace(secret, "***")
        return text


def _padded(items: list[WireScrobbled], size: int) -> list[WireScrobbled]:
    """Last.fm answers for each scrobble in order; a short answer counts as accepted."""
    return (items + [WireScrobbled()] * size)[:size]


def _decode(body: bytes, answer: type[T], method: str) -> T:
    try:
        return msgspec.json.decode(body, type=answer, strict=False)
    except (msgspec.DecodeError, msgspec.ValidationError, RecursionError):
        raise BadResponse(
            f"Last.fm sent an answer to {method} setlist cannot read.", provider=PROVIDER
        ) from None
