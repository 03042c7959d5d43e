"""The Jamendo v3.0 catalog: search, browse, stream, and the signed-in user's likes."""

from setlist.providers.jamendo.client import DEFAULT_BASE_URL, JamendoClient
from setlist.providers.jamendo.errors import AccessTokenRejected, InvalidClientId
from setlist.providers.jamendo.models import FeedItem, Radio, RadioStream, Suggestions
from setlist.providers.jamendo.oauth import JamendoOAuth

__all__ = [
    "DEFAULT_BASE_URL",
    "AccessTokenRejected",
    "FeedItem",
    "InvalidClientId",
    "JamendoClient",
    "JamendoOAuth",
    "Radio",
    "RadioStream",
    "Suggestions",
]
