"""The tracks you like, as far as this run knows: every track list marks them with a ♥.

Read from the Library when the app opens and after each like; a like or a
dislike changes it at once (and back when the server refuses). Only Jamendo
keeps likes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.app import App

from setlist.core.models import ProviderName, Track
from setlist.ui.sign_in_words import accounts_key

LIKED_MARK = "♥"


class LikedTracks:
    """Jamendo track ids the user likes; `signed_in` is None until the first read says."""

    def __init__(self) -> None:
        self._ids: set[str] = set()
        self.signed_in: bool | None = None
        self.not_set_up: str | None = None  # why Jamendo is not there at all, when it is not
        self._watchers: list[Callable[[], object]] = []

    def __contains__(self, track: object) -> bool:
        return (
            isinstance(track, Track)
            and track.provider == ProviderName.JAMENDO.value
            and track.id in self._ids
        )

    def replace(self, ids: Iterable[str]) -> None:
        self._changed(set(ids))

    def add(self, tracks: Iterable[Track]) -> None:
        self._changed(self._ids | {t.id for t in tracks})

    def discard(self, tracks: Iterable[Track]) -> None:
        self._changed(self._ids - {t.id for t in tracks})

    def subscribe(self, watcher: Callable[[], object]) -> Callable[[], None]:
        """Call `watcher` when the set changes; returns what unsubscribes it."""
        self._watchers.append(watcher)
        return lambda: self._watchers.remove(watcher) if watcher in self._watchers else None

    def _changed(self, ids: set[str]) -> None:
        if ids == self._ids:
            return
        self._ids = ids
        for watcher in list(self._watchers):
            watcher()


def sign_in_to_jamendo(what: str, app: App[Any]) -> str:
    """ "Sign in to Jamendo to `what`", with the key of the Accounts screen."""
    return f"Sign in to Jamendo to {what}: press {accounts_key(app)} for Accounts."
