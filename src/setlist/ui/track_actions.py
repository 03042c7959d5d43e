"""The keys that open what a track belongs to, or tell more of it (ui.keys): its album,
its artist, its details, its lyrics.

They act on the track under the cursor of a track list (a list of tracks, an album
row for its artist), else on the playing track, as the library keys do. A track
with more than one artist (a guest on someone else's album) asks which to open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from setlist.core.errors import SetlistError
from setlist.core.models import RADIO_PREFIX, Album, Artist, ProviderName, Track
from setlist.ui.library_actions import quoted
from setlist.ui.messages import Open
from setlist.ui.server_text import plain

if TYPE_CHECKING:
    from textual.app import App

    from setlist.core.protocols import TrackFacts
    from setlist.ui.player_port import PlaybackState

    _Host = App[None]
else:
    _Host = object

NOTHING_HERE = "Nothing to open here: put the cursor on a track, or play one."


class TrackActions(_Host):
    playback: PlaybackState
    track_facts: TrackFacts

    def _track_here(self) -> Track | Album | None:
        """The track under the cursor (an album row, for its artist), else the playing one."""
        from setlist.ui.widgets.lists import ItemTable
        from setlist.ui.widgets.track_table import TrackTable

        focused = self.screen.focused
        if isinstance(focused, TrackTable) and focused.row_count:
            return focused.rows[focused.cursor_row].track
        if isinstance(focused, ItemTable) and isinstance(focused.cursor_item, Track | Album):
            return focused.cursor_item
        return self.playback.track

    def _in_no_catalog(self, track: Track) -> bool:
        if track.provider == ProviderName.LOCAL.value or track.id.startswith(RADIO_PREFIX):
            what = "A radio" if track.id.startswith(RADIO_PREFIX) else "A file or a URL"
            self.notify(f"{what} is in no catalog: it has no album or artist page.", markup=False)
            return True
        return False

    def action_go_album(self) -> None:
        here = self._track_here()
        if here is None:
            self.notify(NOTHING_HERE, severity="warning", markup=False)
            return
        if isinstance(here, Album):
            self.post_message(Open(here))
            return
        if self._in_no_catalog(here):
            return
        if not here.album_id:
            self.notify(f"{quoted(here.title)} is on no album (a single).", markup=False)
            return
        album = Album(
            provider=here.provider,
            id=here.album_id,
            title=here.album_title or "Album",
            artist_name=here.album_artist_name or here.artist_name,
            artist_id=here.album_artist_id or here.artist_id,
        )
        self.post_message(Open(album))

    def action_go_artist(self) -> None:
        here = self._track_here()
        if here is None:
            self.notify(NOTHING_HERE, severity="warning", markup=False)
            return
        if isinstance(here, Album):
            if here.artist_id:
                name = here.artist_name or "Artist"
                self.post_message(
                    Open(Artist(provider=here.provider, id=here.artist_id, name=name))
                )
            else:
                self.notify(f"The catalog names no artist for {quoted(here.title)}.", markup=False)
            return
        if not self._in_no_catalog(here):
            self.run_worker(
                self._open_artist(here), group="go_artist", exclusive=True, exit_on_error=False
            )

    async def _open_artist(self, track: Track) -> None:
        try:
            artists = await self.track_facts.artists(track)
        except SetlistError as exc:
            message = f"Could not find the artist: {plain(exc.message)}"
            self.notify(message, severity="error", markup=False)
            return
        if not artists:
            self.notify(f"The catalog names no artist for {quoted(track.title)}.", markup=False)
        elif len(artists) == 1:
            self.post_message(Open(artists[0]))
        else:
            from setlist.ui.screens.artist_picker import ArtistPicker

            def chosen(artist: Artist | None) -> None:
                if artist is not None:
                    self.post_message(Open(artist))

            self.push_screen(ArtistPicker(track.title, artists), chosen)

    def action_track_details(self) -> None:
        from setlist.ui.screens.track_details import TrackDetailsScreen

        here = self._track_here()
        if not isinstance(here, Track):
            self.notify(
                "No track here: put the cursor on a track, or play one.",
                severity="warning",
                markup=False,
            )
            return
        self.push_screen(TrackDetailsScreen(here, self.track_facts))

    def action_lyrics(self) -> None:
        from setlist.ui.screens.lyrics import LyricsScreen

        if not isinstance(self.screen, LyricsScreen):
            self.push_screen(LyricsScreen(self.track_facts))
