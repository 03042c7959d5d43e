"""In-memory state of the demo YourMusic API: tenants, users, tokens, playlists.

Requests mutate it on the server's event-loop thread while tests read it from
theirs, so every public method takes `self.lock`.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

from setlist.demo.catalog import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_EMAIL,
    DEMO_TENANT_ID,
    DEMO_TENANT_SLUG,
    Catalog,
)
from setlist.demo.settings import DemoSettings
from setlist.demo.ym_http import now_rfc3339

# The demo's fixed people. The second one owns playlists the demo user may read
# (public) or not (private) but never edit.
DEMO_USER_ID = "5e7c0d1a-9a57-4c39-8d43-2f6f2b1c1001"
OTHER_USER_ID = "5e7c0d1a-9a57-4c39-8d43-2f6f2b1c1002"
OTHER_EMAIL = "robin@demo.setlist"
OTHER_PUBLIC_PLAYLIST_ID = "5e7c0d1a-9a57-4c39-8d43-2f6f2b1c2001"
OTHER_PRIVATE_PLAYLIST_ID = "5e7c0d1a-9a57-4c39-8d43-2f6f2b1c2002"
SEEDED_AT = "2026-01-05T09:30:00.000000Z"

TokenKind = Literal["session", "udt", "client"]


@dataclass
class User:
    id: str
    tenant_id: str
    email: str
    first_name: str
    last_name: str
    date_of_birth: str
    status: str = "UNSUBSCRIBED"
    subscription_ends_at: str | None = None
    pm_type: str | None = None
    pm_last_four: str | None = None
    created_at: str = field(default_factory=now_rfc3339)
    updated_at: str = field(default_factory=now_rfc3339)


@dataclass(frozen=True)
class Grant:
    """What a bearer token stands for."""

    kind: TokenKind
    tenant_id: str
    expires_at: float  # time.monotonic()
    user_id: str | None = None
    session_id: str | None = None


@dataclass(frozen=True)
class RefreshGrant:
    session_id: str
    user_id: str
    device_id: str
    expires_at: float


@dataclass(frozen=True)
class Onboarding:
    tenant_id: str
    email: str
    device_id: str
    expires_at: float


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    user_id: str
    product_slug: str
    success_url: str | None
    cancel_url: str | None


@dataclass
class PlaylistEntry:
    id: str
    track_id: str
    created_at: str = field(default_factory=now_rfc3339)
    updated_at: str = field(default_factory=now_rfc3339)


@dataclass
class Playlist:
    id: str
    tenant_id: str
    user_id: str
    name: str
    public: bool
    created_at: str = field(default_factory=now_rfc3339)
    updated_at: str = field(default_factory=now_rfc3339)
    # In play order: an entry's `order` is its index + 1, so orders stay 1..n.
    entries: list[PlaylistEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Issued:
    """A new session's tokens."""

    access_token: str
    refresh_token: str
    user: User


class OtpThrottle:
    """Per client IP (requests a minute) and per address (interval, sends an hour)."""

    def __init__(self, settings: DemoSettings) -> None:
        self.settings = settings
        self.by_ip: dict[str, deque[float]] = {}
        self.by_address: dict[tuple[str, str], deque[float]] = {}

    def ip_wait(self, ip: str, now: float) -> float:
        """Seconds until `ip` may ask again (0: now); counts this request when allowed."""
        hits = _recent(self.by_ip.setdefault(ip, deque()), now, 60.0)
        if len(hits) >= self.settings.otp_ip_per_minute:
            return hits[0] + 60.0 - now
        hits.append(now)
        return 0.0

    def address_wait(self, key: tuple[str, str], now: float) -> float:
        sends = _recent(self.by_address.setdefault(key, deque()), now, 3600.0)
        waits = [0.0]
        if sends:
            waits.append(sends[-1] + self.settings.otp_min_interval - now)
        if len(sends) >= self.settings.otp_max_per_hour:
            waits.append(sends[0] + 3600.0 - now)
        return max(waits)

    def record_send(self, key: tuple[str, str], now: float) -> None:
        self.by_address.setdefault(key, deque()).append(now)


def _recent(stamps: deque[float], now: float, window: float) -> deque[float]:
    while stamps and stamps[0] <= now - window:
        stamps.popleft()
    return stamps


def new_token() -> str:
    return secrets.token_urlsafe(32)


class YMState:
    def __init__(self, settings: DemoSettings, catalog: Catalog) -> None:
        self.settings = settings
        self.catalog = catalog
        self.lock = threading.RLock()
        self.tenants: dict[str, str] = {DEMO_TENANT_SLUG: DEMO_TENANT_ID}  # slug -> id
        self.clients: dict[str, tuple[str, str]] = {
            DEMO_CLIENT_ID: (DEMO_CLIENT_SECRET, DEMO_TENANT_ID)
        }
        self.users: dict[str, User] = {}
        self.tokens: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, RefreshGrant] = {}
        self.live_sessions: set[str] = set()
        self.onboarding: dict[str, Onboarding] = {}
        self.codes_sent: dict[tuple[str, str], float] = {}  # (tenant id, email) -> when
        self.throttle = OtpThrottle(settings)
        self.playlists: dict[str, Playlist] = {}
        self.checkouts: dict[str, CheckoutSession] = {}
        self._seed()

    # -- seed

    def _seed(self) -> None:
        demo = User(
            DEMO_USER_ID,
            DEMO_TENANT_ID,
            DEMO_EMAIL,
            "Demo",
            "Listener",
            "1990-04-12",
            status="SUBSCRIBED",
            subscription_ends_at="2099-12-31T23:59:59.000000Z",
            pm_type="visa",
            pm_last_four="4242",
            created_at=SEEDED_AT,
            updated_at=SEEDED_AT,
        )
        other = User(
            OTHER_USER_ID,
            DEMO_TENANT_ID,
            OTHER_EMAIL,
            "Robin",
            "Other",
            "1985-11-02",
            created_at=SEEDED_AT,
            updated_at=SEEDED_AT,
        )
        self.users = {demo.id: demo, other.id: other}
        for p in self.catalog.ym_playlists:
            self._seed_playlist(p.id, DEMO_USER_ID, p.name, p.public, p.track_ids)
        tracks = [t.id for t in self.catalog.ym_tracks]
        self._seed_playlist(
            OTHER_PUBLIC_PLAYLIST_ID, OTHER_USER_ID, "Robin's Road Trip", True, tracks[-3:]
        )
        self._seed_playlist(
            OTHER_PRIVATE_PLAYLIST_ID, OTHER_USER_ID, "Robin's Secret Tones", False, tracks[:2]
        )

    def _seed_playlist(
        self, pid: str, owner: str, name: str, public: bool, track_ids: tuple[int, ...] | list[int]
    ) -> None:
        entries = [
            PlaylistEntry(str(uuid.uuid5(uuid.UUID(pid), str(i))), str(t), SEEDED_AT, SEEDED_AT)
            for i, t in enumerate(track_ids)
        ]
        self.playlists[pid] = Playlist(
            pid, DEMO_TENANT_ID, owner, name, public, SEEDED_AT, SEEDED_AT, entries
        )

    # -- tokens

    def grant(self, token: str) -> Grant | None:
        with self.lock:
            grant = self.tokens.get(token)
            if grant and grant.session_id and grant.session_id not in self.live_sessions:
                return None
            return grant

    def issue_client_token(self, tenant_id: str) -> str:
        token = new_token()
        expires = time.monotonic() + self.settings.client_token_ttl
        with self.lock:
            self.tokens[token] = Grant("client", tenant_id, expires)
        return token

    def issue_udt(self, user: User) -> str:
        token = new_token()
        expires = time.monotonic() + self.settings.udt_ttl
        with self.lock:
            self.tokens[token] = Grant("udt", user.tenant_id, expires, user.id)
        return token

    def start_session(self, user: User, device_id: str) -> Issued:
        with self.lock:
            session_id = str(uuid.uuid4())
            self.live_sessions.add(session_id)
            return self._issue_pair(user, session_id, device_id)

    def _issue_pair(self, user: User, session_id: str, device_id: str) -> Issued:
        now = time.monotonic()
        access, refresh = new_token(), new_token()
        self.tokens[access] = Grant(
            "session", user.tenant_id, now + self.settings.access_token_ttl, user.id, session_id
        )
        self.refresh_tokens[refresh] = RefreshGrant(
            session_id, user.id, device_id, now + self.settings.refresh_token_ttl
        )
        return Issued(access, refresh, user)

    def rotate(self, refresh_token: str) -> Issued | Literal["invalid", "expired"]:
        """A new pair for a refresh token, which stops working (rotation)."""
        with self.lock:
            grant = self.refresh_tokens.pop(refresh_token, None)
            if grant is None or grant.session_id not in self.live_sessions:
                return "invalid"
            if time.monotonic() >= grant.expires_at:
                return "expired"
            return self._issue_pair(self.users[grant.user_id], grant.session_id, grant.device_id)

    def end_session(self, refresh_token: str) -> None:
        with self.lock:
            grant = self.refresh_tokens.pop(refresh_token, None)
            if grant is not None:
                self.live_sessions.discard(grant.session_id)

    # -- one-time codes and onboarding

    def record_code(self, tenant_id: str, email: str) -> None:
        with self.lock:
            self.codes_sent[(tenant_id, email.casefold())] = time.monotonic()

    def take_code(self, tenant_id: str, email: str, code: str) -> bool:
        """Whether `code` is the live code of this address; a right code is used up."""
        key = (tenant_id, email.casefold())
        with self.lock:
            sent = self.codes_sent.get(key)
            if sent is None or time.monotonic() - sent > self.settings.otp_ttl:
                return False
            if not secrets.compare_digest(code, self.settings.otp_code):
                return False
            del self.codes_sent[key]
            return True

    def start_onboarding(self, tenant_id: str, email: str, device_id: str) -> str:
        token = new_token()
        expires = time.monotonic() + self.settings.onboarding_token_ttl
        with self.lock:
            self.onboarding[token] = Onboarding(tenant_id, email, device_id, expires)
        return token

    def take_onboarding(self, token: str) -> Onboarding | None:
        with self.lock:
            pending = self.onboarding.pop(token, None)
        if pending is None or time.monotonic() >= pending.expires_at:
            return None
        return pending

    # -- users

    def find_user(self, tenant_id: str, email: str) -> User | None:
        with self.lock:
            for user in self.users.values():
                if user.tenant_id == tenant_id and user.email.casefold() == email.casefold():
                    return user
        return None

    def add_user(self, user: User) -> User:
        with self.lock:
            self.users[user.id] = user
        return user

    def tenant_users(self, tenant_id: str) -> list[User]:
        with self.lock:
            return [u for u in self.users.values() if u.tenant_id == tenant_id]

    # -- playlists

    def playlists_of(self, user_id: str) -> list[Playlist]:
        with self.lock:
            return [p for p in self.playlists.values() if p.user_id == user_id]

    def visible_playlists(self, user: User) -> list[Playlist]:
        with self.lock:
            return [
                p
                for p in self.playlists.values()
                if p.tenant_id == user.tenant_id and (p.public or p.user_id == user.id)
            ]

    def add_playlist(self, playlist: Playlist) -> Playlist:
        with self.lock:
            self.playlists[playlist.id] = playlist
        return playlist
