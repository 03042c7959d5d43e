"""Every YourMusic endpoint, method and path, in one place.

The published reference gives parameters and bodies but no paths; this table
fixes them, and the demo server and `assets/openapi/yourmusic.yaml` follow it
(tests/test_openapi_document.py holds the three together). When the real
service differs, this module and that document are the ones to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from urllib.parse import quote


class Auth(Enum):
    NONE = "none"
    USER = "user"  # a session access token or a UDT
    OPTIONAL = "optional"  # a user token when signed in, else the X-Tenant header
    CLIENT = "client"  # the tenant's client-credentials token


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # a template: "/playlists/{playlist_id}"
    auth: Auth = Auth.USER

    def url(self, **params: str | int) -> str:
        """The path relative to the base URL, each parameter quoted as one path segment."""
        return self.path.format(**{k: quote(str(v), safe="") for k, v in params.items()})


HEARTBEAT = Route("GET", "/heartbeat", Auth.NONE)
AGGREGATOR_STATUS = Route("GET", "/aggregator/status", Auth.NONE)

# Machine to machine (tenant client credentials).
CLIENT_TOKEN = Route("POST", "/oauth/token", Auth.NONE)
USER_DELEGATION_TOKEN = Route("POST", "/users/{user_id}/udt", Auth.CLIENT)
USERS = Route("GET", "/users", Auth.CLIENT)
CREATE_USER = Route("POST", "/users", Auth.CLIENT)
USER = Route("GET", "/users/{user_id}", Auth.CLIENT)
UPDATE_USER = Route("PATCH", "/users/{user_id}", Auth.CLIENT)

# End-user sign-in by email one-time code.
REQUEST_CODE = Route("POST", "/auth/email/otp", Auth.NONE)
VERIFY_CODE = Route("POST", "/auth/email/verify", Auth.NONE)
ONBOARD = Route("POST", "/auth/onboarding", Auth.NONE)
REFRESH = Route("POST", "/auth/refresh", Auth.NONE)
LOGOUT = Route("POST", "/auth/logout", Auth.NONE)

# The signed-in user.
ME = Route("GET", "/me")
UPDATE_ME = Route("PATCH", "/me")
CHECKOUT = Route("POST", "/checkout/sessions")

HOME = Route("GET", "/home", Auth.OPTIONAL)

# Playlists.
SEARCH_PLAYLISTS = Route("GET", "/playlists/search")
MY_PLAYLISTS = Route("GET", "/playlists")
CREATE_PLAYLIST = Route("POST", "/playlists")
PLAYLIST = Route("GET", "/playlists/{playlist_id}")
UPDATE_PLAYLIST = Route("PATCH", "/playlists/{playlist_id}")
PLAYLIST_TRACKS = Route("GET", "/playlists/{playlist_id}/tracks")
ADD_PLAYLIST_TRACK = Route("POST", "/playlists/{playlist_id}/tracks")
REPLACE_PLAYLIST_TRACKS = Route("PUT", "/playlists/{playlist_id}/tracks")
MOVE_PLAYLIST_TRACK = Route("PATCH", "/playlists/{playlist_id}/tracks/{entry_id}")

# Catalog (the "aggregator service").
SEARCH_ARTISTS = Route("GET", "/catalog/artists/search")
BROWSE_ARTISTS = Route("GET", "/catalog/artists/browse")
ARTIST = Route("GET", "/catalog/artists/{artist_id}")
ARTIST_RELEASES = Route("GET", "/catalog/artists/{artist_id}/releases")
SEARCH_RELEASES = Route("GET", "/catalog/releases/search")
RELEASES = Route("GET", "/catalog/releases")
RELEASE = Route("GET", "/catalog/releases/{release_id}")
RELEASE_TRACKS = Route("GET", "/catalog/releases/{release_id}/tracks")
SEARCH_TRACKS = Route("GET", "/catalog/tracks/search")
TRACKS = Route("GET", "/catalog/tracks")
TRACK = Route("GET", "/catalog/tracks/{track_id}")

STREAM = Route("GET", "/stream/{stream_id}")
