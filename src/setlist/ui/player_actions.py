"""What the app does for the playback keys and for tracks sent to the player."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from setlist.core.queue import RepeatMode
from setlist.ui.messages import PlayTracks
from setlist.ui.player_port import REPEAT_CYCLE, PlaybackState, PlayerPort
from setlist.ui.server_text import plain

if TYPE_CHECKING:
    from textual.app import App

    from setlist.ui.widgets.track_table import TrackTable

    _Host = App[None]
else:
    _Host = object


class PlayerActions(_Host):
    player: PlayerPort
    playback: PlaybackState

    def command(self, work: Awaitable[object]) -> None:
        """Run a player command; a failure reaches the app's one worker error handler."""
        self.run_worker(work, group="player", exit_on_error=False)

    # -- tracks sent to the player

    def on_play_tracks(self, message: PlayTracks) -> None:
        tracks, where = message.tracks, message.where
        self.command(self.player.add(tracks, where=where))
        if where != "now" and tracks:
            more = f" and {len(tracks) - 1} more" if len(tracks) > 1 else ""
            place = "to play next" if where == "next" else "to the queue"
            self.notify(f"Added “{plain(tracks[0].title)}”{more} {place}", markup=False, timeout=3)

    def on_track_table_play_requested(self, message: TrackTable.PlayRequested) -> None:
        # The list from the cursor row on: the first plays now, the rest follow it.
        self.post_message(PlayTracks(message.tracks[message.start :], "now"))

    def on_track_table_add_to_queue(self, message: TrackTable.AddToQueue) -> None:
        self.post_message(PlayTracks(message.tracks, "next" if message.next else "end"))

    # -- the playback keys (ui.keys)

    def action_toggle_pause(self) -> None:
        self.command(self.player.toggle())

    def action_next_track(self) -> None:
        self.command(self.player.next())

    def action_previous_track(self) -> None:
        self.command(self.player.previous())

    def action_seek(self, seconds: float) -> None:
        self.command(self.player.seek(seconds, relative=True))

    # Toggles and steps change the shown state at once: a second press before the
    # player answers goes on from the first.

    def action_volume(self, step: float) -> None:
        volume = self.playback.volume = max(0.0, min(100.0, self.playback.volume + step))
        self.command(self.player.set_volume(volume))

    def action_mute(self) -> None:
        muted = self.playback.muted = not self.playback.muted
        self.command(self.player.set_mute(muted))

    def action_shuffle(self) -> None:
        shuffle = self.playback.shuffle = not self.playback.shuffle
        self.command(self.player.set_shuffle(shuffle))

    def action_repeat(self) -> None:
        mode = self.playback.repeat = REPEAT_CYCLE.get(self.playback.repeat, RepeatMode.OFF)
        self.command(self.player.set_repeat(mode))
