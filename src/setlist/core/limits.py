"""Limits on what setlist sends, checked before a request is made.

Past them a service (or httpx, for a URL over 64 KiB) fails in ways that do not
say what was wrong: "invalid URL", a 414, a dropped connection.
"""

from __future__ import annotations

from setlist.core.errors import InvalidRequest

MAX_QUERY = 500  # characters of a search: far beyond a real one, well within a URL


def search_text(query: str, *, provider: str) -> str:
    """`query` when it is short enough to send; InvalidRequest, saying so, when not."""
    if len(query) > MAX_QUERY:
        raise InvalidRequest(
            f"The search text is {len(query):,} characters long; a search takes at most "
            f"{MAX_QUERY}. Shorten it.",
            provider=provider,
        )
    return query
