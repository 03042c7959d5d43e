"""What the demo's Jamendo remembers while it runs: OAuth2 codes and tokens, and
each user's likes, favorites, fans and albums (set by `setuser/*`)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from setlist.demo.catalog import Catalog
from setlist.demo.jm_params import JamendoError

RELATIONS = ("like", "dislike", "favorite", "fan", "myalbum")


@dataclass(frozen=True)
class JMUser:
    id: str
    name: str
    dispname: str
    creationdate: str = "2012-03-04"


# The listener every authorization in the demo signs in as (there is no login form):
# the owner of the demo playlists in catalog_data.
DEMO_USER = JMUser(id="901", name="demo_listener", dispname="Demo Listener")


@dataclass(frozen=True)
class PendingCode:
    client_id: str
    redirect_uri: str
    scope: str
    user_id: str


@dataclass(frozen=True)
class Token:
    access_token: str
    refresh_token: str
    client_id: str
    user_id: str
    scope: str
    expires_at: float  # time.monotonic()


@dataclass
class JamendoState:
    token_ttl: float
    codes: dict[str, PendingCode] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)  # by access token
    refresh_tokens: dict[str, Token] = field(default_factory=dict)
    # user id -> relation -> entity id -> when it was set (for newest-first lists)
    relations: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)

    def issue_code(self, client_id: str, redirect_uri: str, scope: str) -> str:
        code = secrets.token_hex(20)
        self.codes[code] = PendingCode(client_id, redirect_uri, scope, DEMO_USER.id)
        return code

    def redeem_code(self, code: str, client_id: str, redirect_uri: str) -> Token:
        """Trade an authorization code for tokens. A code works once."""
        pending = self.codes.pop(code, None)
        if pending is None or pending.client_id != client_id:
            raise JamendoError(101, "unknown, expired or already used authorization code")
        if pending.redirect_uri and redirect_uri != pending.redirect_uri:
            raise JamendoError(101, "redirect_uri does not match the authorization request")
        return self._issue(client_id, pending.user_id, pending.scope)

    def refresh(self, refresh_token: str, client_id: str) -> Token:
        """New tokens for a refresh token; the refresh token is replaced (rotation)."""
        old = self.refresh_tokens.get(refresh_token)
        if old is None or old.client_id != client_id:
            raise JamendoError(12, "unknown or already used refresh token")
        del self.refresh_tokens[refresh_token]
        return self._issue(client_id, old.user_id, old.scope)

    def _issue(self, client_id: str, user_id: str, scope: str) -> Token:
        token = Token(
            access_token=secrets.token_hex(20),
            refresh_token=secrets.token_hex(20),
            client_id=client_id,
            user_id=user_id,
            scope=scope,
            expires_at=time.monotonic() + self.token_ttl,
        )
        self.tokens[token.access_token] = token
        self.refresh_tokens[token.refresh_token] = token
        return token

    def token(self, access_token: str) -> Token:
        token = self.tokens.get(access_token)
        if token is None:
            raise JamendoError(12, "invalid access token")
        if time.monotonic() >= token.expires_at:
            raise JamendoError(12, "the access token has expired")
        return token

    def relate(self, user_id: str, relation: str, entity_id: str) -> None:
        mine = self.relations.setdefault(user_id, {})
        mine.setdefault(relation, {})[entity_id] = time.monotonic()
        opposite = {"like": "dislike", "dislike": "like"}.get(relation)
        if opposite:
            mine.get(opposite, {}).pop(entity_id, None)

    def related(self, user_id: str, relation: str) -> list[str]:
        """The ids this user set `relation` on, the latest first."""
        chosen = self.relations.get(user_id, {}).get(relation, {})
        return sorted(chosen, key=chosen.__getitem__, reverse=True)


def users(catalog: Catalog) -> list[JMUser]:
    """Everyone the demo knows: the demo listener and the owners of the playlists."""
    known = {DEMO_USER.id: DEMO_USER}
    for playlist in catalog.jm_playlists:
        owner = JMUser(playlist.user_id, playlist.user_name, playlist.user_name)
        known.setdefault(playlist.user_id, owner)
    return list(known.values())
