"""YourMusic: the catalog, playlists and HLS streams of a YourMusic tenant."""

from setlist.providers.yourmusic.auth import (
    ENV_TOKEN,
    DeviceCredentials,
    OnboardingRequired,
    StoredSession,
    YourMusicAuth,
)
from setlist.providers.yourmusic.client import DEFAULT_BASE_URL, YourMusicClient
from setlist.providers.yourmusic.wire import User

__all__ = [
    "DEFAULT_BASE_URL",
    "ENV_TOKEN",
    "DeviceCredentials",
    "OnboardingRequired",
    "StoredSession",
    "User",
    "YourMusicAuth",
    "YourMusicClient",
]
