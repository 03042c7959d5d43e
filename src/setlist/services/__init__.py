"""Where everything is built: the catalogs' clients, the credential store, the demo
when it is asked for, and the player with its resolver (`services.player`).

The app, the daemon and `setlist play` call the same functions here; they build
nothing themselves.
"""

from setlist.services.catalogs import (
    LASTFM_ACCOUNT,
    Services,
    deadlines,
    demo_services,
    jamendo_client,
    open_services,
    yourmusic_client,
)
from setlist.services.library import CatalogLibrary, library_of

__all__ = [
    "LASTFM_ACCOUNT",
    "CatalogLibrary",
    "Services",
    "deadlines",
    "demo_services",
    "jamendo_client",
    "library_of",
    "open_services",
    "yourmusic_client",
]
