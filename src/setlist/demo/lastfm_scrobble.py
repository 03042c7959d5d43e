"""The demo's Last.fm sign-in and scrobbling: auth.getToken, auth.getSession,
track.updateNowPlaying, track.scrobble, and the page that allows a token.

Calls are checked as Last.fm checks them: the demo API key, and `api_sig` made
with LASTFM_DEMO_API_SECRET (error 13 otherwise). The desktop flow works as on
Last.fm, with one difference: nobody has to log in on the auth page. Opening
`/lastfm/api/auth/?api_key=...&token=...` (in any browser, or with curl)
allows the token at once for the demo user LASTFM_DEMO_USER; auth.getSession
then answers the session key (error 14 before, 15 for a token older than an
hour, 4 for one the demo never gave).

Scrobbles are checked as Last.fm does: more than 14 days old is ignored with
code 3, more than a day ahead with code 4; the rest are accepted and kept in
order in `state(ctx).scrobbles`. An identical scrobble (same user, artist,
track and timestamp) is accepted again but not kept twice: Last.fm does not
count such a repeat either. Errors (rate limit 29, service offline 11...) come
from the `lastfm_code` fault, and an unreachable Last.fm from `unreachable`.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from setlist.demo.server import DemoContext
from setlist.services.demo_identity import (
    LASTFM_DEMO_API_KEY,
    LASTFM_DEMO_API_SECRET,
    LASTFM_DEMO_USER,
)

TOKEN_TTL = 3600.0
TOO_OLD = 14 * 24 * 3600
TOO_NEW = 24 * 3600
BATCH = 50
IGNORED = {3: "Timestamp was too old", 4: "Timestamp was too new"}
MESSAGES = {
    4: "Invalid authentication token supplied",
    6: "Invalid parameters - Your request is missing a required parameter",
    9: "Invalid session key - Please re-authenticate",
    13: "Invalid method signature supplied",
    14: "This token has not been authorized",
    15: "This token has expired",
}


@dataclass
class ScrobbleState:
    tokens: dict[str, float] = field(default_factory=dict)  # token -> when it was given
    allowed: set[str] = field(default_factory=set)
    sessions: dict[str, str] = field(default_factory=dict)  # session key -> user name
    scrobbles: list[dict[str, Any]] = field(default_factory=list)  # in arrival order
    now_playing: list[dict[str, Any]] = field(default_factory=list)
    calls: int = 0  # track.scrobble calls answered
    offered: int = 0  # scrobbles in those calls, repeats included

    def received(self) -> list[tuple[str, str, int]]:
        """(artist, track, timestamp) of every scrobble kept, in the order they came."""
        return [(s["artist"], s["track"], s["timestamp"]) for s in self.scrobbles]


def state(ctx: DemoContext) -> ScrobbleState:
    with ctx.lock:
        found: ScrobbleState | None = ctx.services.get("lastfm-scrobble")
        if found is None:
            found = ctx.services["lastfm-scrobble"] = ScrobbleState()
        return found


class Refused(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(MESSAGES[code])
        self.code = code
        self.message = MESSAGES[code]


def signed(params: dict[str, str]) -> bool:
    text = "".join(
        f"{k}{params[k]}" for k in sorted(params) if k not in ("format", "callback", "api_sig")
    )
    expected = hashlib.md5((text + LASTFM_DEMO_API_SECRET).encode("utf-8")).hexdigest()
    return secrets.compare_digest(params.get("api_sig", ""), expected)


def _user(ctx: DemoContext, params: dict[str, str]) -> str:
    user = state(ctx).sessions.get(params.get("sk", ""))
    if user is None:
        raise Refused(9)
    return user


def get_token(ctx: DemoContext, params: dict[str, str]) -> dict[str, Any]:
    token = secrets.token_hex(16)
    st = state(ctx)  # before taking the lock: state() takes it too
    with ctx.lock:
        st.tokens[token] = time.time()
    return {"token": token}


def get_session(ctx: DemoContext, params: dict[str, str]) -> dict[str, Any]:
    token = params.get("token", "")
    st = state(ctx)
    with ctx.lock:
        given = st.tokens.get(token)
        if given is None:
            raise Refused(4)
        if time.time() - given > TOKEN_TTL:
            raise Refused(15)
        if token not in st.allowed:
            raise Refused(14)
        del st.tokens[token]  # a token gives one session
        st.allowed.discard(token)
        key = secrets.token_hex(16)
        st.sessions[key] = LASTFM_DEMO_USER
    return {"session": {"name": LASTFM_DEMO_USER, "key": key, "subscriber": 0}}


def _text(value: str) -> dict[str, str]:
    return {"corrected": "0", "#text": value}


def update_now_playing(ctx: DemoContext, params: dict[str, str]) -> dict[str, Any]:
    user = _user(ctx, params)
    artist, track = params.get("artist", ""), params.get("track", "")
    if not artist or not track:
        raise Refused(6)
    st = state(ctx)
    with ctx.lock:
        st.now_playing.append({"user": user, "artist": artist, "track": track})
    answer = {
        "artist": _text(artist),
        "track": _text(track),
        "album": _text(params.get("album", "")),
        "albumArtist": _text(""),
        "ignoredMessage": {"code": "0", "#text": ""},
    }
    return {"nowplaying": answer}


def scrobble(ctx: DemoContext, params: dict[str, str]) -> dict[str, Any]:
    user = _user(ctx, params)
    indexes = sorted(int(k[7:-1]) for k in params if k.startswith("artist[") and k.endswith("]"))
    if not indexes or len(indexes) > BATCH:
        raise Refused(6)
    now = int(time.time())
    answers: list[dict[str, Any]] = []
    accepted = 0
    st = state(ctx)
    for i in indexes:
        artist, track = params.get(f"artist[{i}]", ""), params.get(f"track[{i}]", "")
        stamp = params.get(f"timestamp[{i}]", "")
        if not artist or not track or not stamp.isdigit():
            raise Refused(6)
        timestamp = int(stamp)
        code = 3 if timestamp < now - TOO_OLD else 4 if timestamp > now + TOO_NEW else 0
        album = params.get(f"album[{i}]", "")
        if code == 0:
            accepted += 1
            kept = {"user": user, "artist": artist, "track": track, "timestamp": timestamp}
            kept |= {"album": album, "duration": params.get(f"duration[{i}]")}
            with ctx.lock:
                if not any(_same(kept, old) for old in st.scrobbles):
                    st.scrobbles.append(kept)
        answers.append(
            {
                "artist": _text(artist),
                "album": _text(album),
                "track": _text(track),
                "albumArtist": _text(""),
                "timestamp": str(timestamp),
                "ignoredMessage": {"code": str(code), "#text": IGNORED.get(code, "")},
            }
        )
    with ctx.lock:
        st.calls += 1
        st.offered += len(answers)
    attr = {"accepted": accepted, "ignored": len(answers) - accepted}
    # As everywhere in Last.fm's JSON, a list of one is the object itself.
    return {"scrobbles": {"scrobble": answers[0] if len(answers) == 1 else answers, "@attr": attr}}


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a[k] == b[k] for k in ("user", "artist", "track", "timestamp"))


SIGNED_METHODS = {
    "auth.gettoken": get_token,
    "auth.getsession": get_session,
    "track.updatenowplaying": update_now_playing,
    "track.scrobble": scrobble,
}


def auth_page(ctx: DemoContext) -> Starlette:
    """What https://www.last.fm/api/auth/ is for the demo: opening it allows the token."""

    async def page(request: Request) -> Response:
        key, token = request.query_params.get("api_key"), request.query_params.get("token", "")
        st = state(ctx)
        with ctx.lock:
            known = key == LASTFM_DEMO_API_KEY and token in st.tokens
            if known:
                st.allowed.add(token)
        if not known:
            return HTMLResponse(
                "<h1>Unknown application or token</h1><p>Start the sign-in again.</p>", 400
            )
        return HTMLResponse(
            f"<h1>Allowed</h1><p>setlist may now scrobble to the demo Last.fm as "
            f"{LASTFM_DEMO_USER}. Go back to setlist.</p>"
        )

    return Starlette(routes=[Route("/", page, methods=["GET"])])
