"""The messages the app's widgets and screens send each other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from setlist.core.models import Album, Artist, Playlist, Track

if TYPE_CHECKING:  # the player is imported once the app is on screen (ui.launch.Startup)
    from setlist.playback.events import PlayerEvent, Where


class PlayTracks(Message):
    """Play these tracks now, next, or at the end of the queue. The app hands them on."""

    def __init__(self, tracks: list[Track], where: Where = "now") -> None:
        super().__init__()
        self.tracks = tracks
        self.where = where


class Open(Message):
    """Show an album, an artist or a playlist on a screen of its own."""

    def __init__(self, item: Album | Artist | Playlist) -> None:
        super().__init__()
        self.item = item


class PlayerChanged(Message, bubble=False):
    """The player sent an event. Bursts collapse: only the latest waiting one is handled,
    and the receiver reads the app's playback state rather than the event."""

    def __init__(self, event: PlayerEvent) -> None:
        super().__init__()
        self.event = event

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PlayerChanged)
