"""Completions for the search box: Jamendo's autocomplete and YourMusic's track search.

Textual asks for a suggestion on every keystroke; this waits a quarter of a
second and answers only for the latest text, so a fast typist costs one request
per pause, not one per key. Suggestions are a convenience: a failing catalog
gives none rather than an error.
"""

from __future__ import annotations

import asyncio
import logging

from textual.suggester import Suggester

from setlist.core.errors import SetlistError
from setlist.services import Services
from setlist.ui.server_text import plain

log = logging.getLogger(__name__)

DEBOUNCE = 0.25
MIN_LENGTH = 2


class CatalogSuggester(Suggester):
    def __init__(self, services: Services, *, debounce: float = DEBOUNCE) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.services = services
        self.debounce = debounce
        self._latest = ""
        self._cache: dict[str, list[str]] = {}

    async def get_suggestion(self, value: str) -> str | None:
        self._latest = value
        if len(value.strip()) < MIN_LENGTH:
            return None
        await asyncio.sleep(self.debounce)
        if value != self._latest:
            return None  # the user kept typing
        folded = value.casefold()
        for candidate in await self._candidates(value):
            if candidate.casefold().startswith(folded) and len(candidate) > len(value):
                return value + candidate[len(value) :]
        return None

    async def _candidates(self, value: str) -> list[str]:
        key = value.casefold()
        if key not in self._cache:
            found = await asyncio.gather(self._jamendo(value), self._yourmusic(value))
            self._cache[key] = [plain(name) for names in found for name in names]
        return self._cache[key]

    async def _jamendo(self, value: str) -> list[str]:
        client = self.services.jamendo
        if client is None:
            return []
        try:
            found = await client.autocomplete(value)
        except SetlistError as exc:
            log.info("no Jamendo suggestions: %s", exc)
            return []
        return [*found.tracks, *found.artists, *found.albums, *found.tags]

    async def _yourmusic(self, value: str) -> list[str]:
        client = self.services.yourmusic
        if client is None:
            return []
        try:
            page = await client.search_tracks(value)
        except SetlistError as exc:
            log.info("no YourMusic suggestions: %s", exc)
            return []
        return [name for t in page.items for name in (t.title, t.artist_name) if name]
