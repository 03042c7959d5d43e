"""The command palette's own commands: the screens, and what the global keys do."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# Title, help, action run on the app (as a key binding would run it).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Home", "Browse: home modules, artists A-Z, Jamendo feeds, popular tracks, radios",
     "switch_mode('home')"),
    ("Search", "Search tracks, albums, artists and playlists", "search"),
    ("Playlists", "Your playlists and public ones", "switch_mode('playlists')"),
    ("Queue", "What plays now, next, and what played", "switch_mode('queue')"),
    ("Accounts", "Sign in or out of YourMusic and Jamendo, set the Last.fm key", "accounts"),
    ("Library", "Your liked tracks, favorites, artists, albums and playlists",
     "switch_mode('library')"),
    ("Like", "Like the track under the cursor (or playing); follow an artist; add an album",
     "like"),
    ("Dislike", "Dislike the track under the cursor, or the one playing", "dislike"),
    ("Favorite", "Add the track under the cursor (or playing) to your favorites", "favorite"),
    ("Go to the album", "Open the album of the track under the cursor, or playing",
     "go_album"),
    ("Go to the artist", "Open the artist of the track under the cursor, or playing",
     "go_artist"),
    ("Track details", "Licence, music info, release date of the track under the cursor",
     "track_details"),
    ("Lyrics", "The lyrics of the playing track, following it as it changes", "lyrics"),
    ("Keys", "Every key of this screen and the global ones", "help"),
    ("Play / pause", "Pause or resume playback", "toggle_pause"),
    ("Next track", "Skip to the next track", "next_track"),
    ("Previous track", "Back to the previous track", "previous_track"),
    ("Shuffle", "Turn shuffle on or off", "shuffle"),
    ("Repeat", "Cycle repeat: off, all, one", "repeat"),
    ("Radio", "Replace the queue with the track under the cursor (or playing) and similar "
     "tracks", "radio"),
    ("Autoplay", "Turn autoplay on or off: similar tracks play on when the queue ends",
     "autoplay"),
    ("Go to the current track", "Show the playing track in the queue", "current"),
    ("Sort the list", "Sort the track list by title, artist, album, length, its own order",
     "focused.sort"),
    ("Reverse the sort", "Reverse how the track list is sorted", "focused.reverse"),
    ("Filter the list", "Filter the track list by typing (Esc clears)", "focused.filter"),
    ("Clear the search history", "Forget the searches kept for the up arrow in the search box",
     "clear_search_history"),
)  # fmt: skip


class ScreenCommands(Provider):
    def _run(self, action: str) -> Callable[[], object]:
        return partial(self.app.run_action, action)

    async def discover(self) -> Hits:
        for title, help_text, action in COMMANDS:
            yield DiscoveryHit(title, self._run(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in COMMANDS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), self._run(action), help=help_text)
