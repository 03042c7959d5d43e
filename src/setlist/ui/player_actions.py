"""What the app does for the playback keys and for tracks sent to the player."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from setlist.core.queue import RepeatMode
from setlist.ui.keys import key_of
from setlist.ui.messages import PlayTracks
from setlist.ui.player_port import REPEAT_CYCLE, PlaybackState, PlayerPort
from setlist.ui.server_text import plain

if TYPE_CHECKING:
    from textual.app import App

    from setlist.store.config import Config
    from setlist.ui.widgets.track_table import TrackTable

    _Host = App[None]
else:
    _Host = object


class PlayerActions(_Host):
    player: PlayerPort
    playback: PlaybackState
    config: Config

    def command(self, work: Awaitable[object]) -> None:
        """Run a player command; a failure reaches the app's one worker error handler."""
        if self._player_gone():
            close = getattr(work, "close", None)  # a coroutine never to be awaited
            if close is not None:
                close()
            return
        self.run_worker(work, group="player", exit_on_error=False)

    def gone_offer(self) -> str:
        """What to do when the player is gone, with the keys as the keymap has them."""
        keymap = dict(self.config.keys)
        start, here = key_of("player.start", keymap), key_of("player.play_here", keymap)
        return f"press {start} to start it again, or {here} to play here"

    def _player_gone(self) -> bool:
        """The daemon stopped: say what to do instead of sending a command to nobody."""
        if not self.playback.gone:
            return False
        self.notify(f"The player stopped: {self.gone_offer()}.", severity="warning", timeout=4)
        return True

    def _show_playback(self) -> None:
        """Redraw the now-playing bar now: a volume the player already had sends no event."""
        from setlist.ui.widgets.now_playing import NowPlayingBar

        for bar in self.screen.query(NowPlayingBar):
            bar.catch_up()

    # -- when the daemon the app drives is gone (ui.player_switch)

    def action_start_daemon(self) -> None:
        from setlist.ui.player_switch import PlayerSwitch

        if isinstance(self.player, PlayerSwitch):
            self.notify("Starting the player…", timeout=3)
            self.run_worker(self.player.start_daemon(), group="player", exit_on_error=False)

    def action_play_here(self) -> None:
        from setlist.ui.player_switch import PlayerSwitch

        if isinstance(self.player, PlayerSwitch):
            self.run_worker(self.player.play_here(), group="player", exit_on_error=False)

    # -- tracks sent to the player

    def on_play_tracks(self, message: PlayTracks) -> None:
        if self._player_gone():
            return
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
        if self._player_gone():
            return
        volume = self.playback.volume = max(0.0, min(100.0, self.playback.volume + step))
        self.playback.volume_set = True
        self.command(self.player.set_volume(volume))
        self._show_playback()

    def action_mute(self) -> None:
        if self._player_gone():
            return
        muted = self.playback.muted = not self.playback.muted
        self.playback.volume_set = True
        self.command(self.player.set_mute(muted))
        self._show_playback()

    def action_shuffle(self) -> None:
        if self._player_gone():
            return
        shuffle = self.playback.shuffle = not self.playback.shuffle
        self.command(self.player.set_shuffle(shuffle))

    def action_repeat(self) -> None:
        if self._player_gone():
            return
        mode = self.playback.repeat = REPEAT_CYCLE.get(self.playback.repeat, RepeatMode.OFF)
        self.command(self.player.set_repeat(mode))
