"""The library keys (ui.keys): like, dislike, favorite; follow an artist; add an album;
and a radio from a track (its similar tracks) and autoplay.

They act on what the cursor is on (the selection of a track list, a track, an
artist or an album row), else on the playing track. A like or a dislike shows
at once in every track list (the ♥ of `LikedTracks`); when the server refuses,
it is taken back and the message says what was refused and why, as playlist
edits do. Signed out of Jamendo, the key says how to sign in, and sends nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Literal

from setlist.core.errors import ConfigError, SetlistError, SignInRequired
from setlist.core.models import Album, Artist, ProviderName, Track
from setlist.ui.likes import LikedTracks, sign_in_to_jamendo
from setlist.ui.server_text import plain

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import SeverityLevel

    from setlist.core.protocols import Library
    from setlist.ui.player_port import PlaybackState, PlayerPort

    _Host = App[None]
else:
    _Host = object

log = logging.getLogger(__name__)

Act = Literal["like", "dislike", "favorite"]
Target = list[Track] | Album | Artist
WHAT: dict[Act, str] = {
    "like": "like tracks",
    "dislike": "dislike tracks",
    "favorite": "keep favorites",
}
FOLLOW_OR_KEEP = "follow artists and keep albums"
NO_RADIO_SEED = "No track to start a radio from: put the cursor on a track, or play one."


def quoted(text: str) -> str:
    return f"“{plain(text)}”"


def _named(tracks: list[Track]) -> str:
    return quoted(tracks[0].title) + (f" and {len(tracks) - 1} more" if len(tracks) > 1 else "")


class LibraryActions(_Host):
    library: Library
    likes: LikedTracks
    playback: PlaybackState
    player: PlayerPort

    # -- the liked set

    def read_likes(self) -> None:
        """Read the liked tracks again (at start, after a sign-in, after a like)."""
        self.run_worker(self._read_likes(), group="likes", exclusive=True, exit_on_error=False)

    async def _read_likes(self) -> None:
        try:
            liked = await self.library.liked_tracks()
        except (SignInRequired, ConfigError) as exc:
            self.likes.signed_in = False
            # Not set up (no client id, switched off): no sign-in helps, the message says what does.
            self.likes.not_set_up = plain(exc.message) if isinstance(exc, ConfigError) else None
            self.likes.replace(())
            return
        except SetlistError as exc:  # the marks are a help, not worth an error on screen
            log.info("could not read the liked tracks: %s", exc)
            return
        self.likes.signed_in, self.likes.not_set_up = True, None
        self.likes.replace(t.id for t in liked)

    # -- the keys

    def action_like(self) -> None:
        target = self._library_target()
        if isinstance(target, Artist):
            self._change(
                target.provider,
                lambda: self.library.follow(target),
                f"Following {quoted(target.name)}.",
                f"Could not follow {quoted(target.name)}",
            )
        elif isinstance(target, Album):
            self._change(
                target.provider,
                lambda: self.library.save_album(target),
                f"Added {quoted(target.title)} to your albums.",
                f"Could not add {quoted(target.title)} to your albums",
            )
        elif target:
            self._tracks("like", target)

    def action_dislike(self) -> None:
        target = self._library_target()
        if isinstance(target, list):
            self._tracks("dislike", target)
        elif target is not None:
            self.notify("Only a track can be disliked.", severity="warning", markup=False)

    def action_favorite(self) -> None:
        target = self._library_target()
        if isinstance(target, list):
            self._tracks("favorite", target)
        elif target is not None:
            self.notify("Only a track can be a favorite.", severity="warning", markup=False)

    def _library_target(
        self, nothing: str = "Nothing to like here: put the cursor on a track, or play one."
    ) -> Target | None:
        """The tracks, artist or album under the cursor, else the playing track; else
        says `nothing`."""
        from setlist.ui.widgets.lists import ItemTable
        from setlist.ui.widgets.track_table import TrackTable

        focused = self.screen.focused
        if isinstance(focused, TrackTable) and focused.row_count:
            return focused.target_tracks()
        if isinstance(focused, ItemTable) and focused.cursor_item is not None:
            item = focused.cursor_item
            if isinstance(item, Album | Artist):
                return item
            if isinstance(item, Track):
                return [item]
            self.notify(
                "Only tracks, artists and albums go in your library.",
                severity="warning",
                markup=False,
            )
            return None
        if self.playback.track is not None:
            return [self.playback.track]
        self.notify(nothing, severity="warning", markup=False)
        return None

    # -- similar tracks (the player finds them: services.radio)

    def action_radio(self) -> None:
        target = self._library_target(NO_RADIO_SEED)
        if target is None:
            return
        if not isinstance(target, list):
            self.notify("A radio starts from a track.", severity="warning", markup=False)
            return
        seed = target[0]
        self.notify(f"Looking for tracks like {quoted(seed.title)}…", timeout=2, markup=False)

        async def start() -> None:
            entries = await self.player.radio(seed)
            more = len(entries) - 1
            self.notify(
                f"Radio from {quoted(seed.title)}: {more} similar tracks follow it.",
                markup=False,
                timeout=3,
            )

        self.run_worker(start(), group="player", exit_on_error=False)

    def action_autoplay(self) -> None:
        on = self.playback.autoplay = not self.playback.autoplay
        from setlist.services.radio import remember_autoplay

        async def switch() -> None:
            await self.player.set_autoplay(on)
            problem = await asyncio.to_thread(remember_autoplay, on)
            if problem is not None:
                self.notify(plain(problem), severity="warning", markup=False)

        self.run_worker(switch(), group="player", exit_on_error=False)
        self.notify(
            "Autoplay on: similar tracks play when the queue ends."
            if on
            else "Autoplay off: play stops when the queue ends.",
            markup=False,
            timeout=3,
        )

    def _signed_out(self, what: str) -> bool:
        if self.likes.signed_in is False:
            message = self.likes.not_set_up or sign_in_to_jamendo(what, self)
            self.notify(message, severity="warning", markup=False)
            return True
        return False

    def _tracks(self, act: Act, tracks: list[Track]) -> None:
        jamendo = [t for t in tracks if t.provider == ProviderName.JAMENDO.value]
        others = [t for t in tracks if t not in jamendo]
        if others:
            # The Library says why (YourMusic keeps no likes; a file is in no catalog).
            self.run_worker(self._refused_at_once(act, others), exit_on_error=False)
        if not jamendo:
            return
        if self._signed_out(WHAT[act]):
            return
        # Shown at once; taken back below if the server refuses.
        was_liked = [t for t in jamendo if t in self.likes]
        if act == "like":
            self.likes.add(jamendo)
        elif act == "dislike":
            self.likes.discard(jamendo)
        self.run_worker(self._send(act, jamendo, was_liked), group="library", exit_on_error=False)

    async def _refused_at_once(self, act: Act, tracks: list[Track]) -> None:
        try:
            await getattr(self.library, act)(tracks[0])
        except SetlistError as exc:
            message = f"{_named(tracks)} left out: {plain(exc.message)}"
            self.notify(message, severity="warning", markup=False)

    async def _send(self, act: Act, tracks: list[Track], was_liked: list[Track]) -> None:
        send: Callable[[Track], Awaitable[None]] = getattr(self.library, act)
        failed: list[Track] = []
        reason = ""
        for at, track in enumerate(tracks):
            try:
                await send(track)
            except SignInRequired:
                self.likes.signed_in = False
                failed += tracks[at:]
                reason = sign_in_to_jamendo(WHAT[act], self)
                break
            except SetlistError as exc:
                failed.append(track)
                reason = plain(exc.message)
        done = [t for t in tracks if t not in failed]
        if failed:
            self._roll_back(act, failed, was_liked)
            self.notify(
                f"{self._refusal(act, failed)}: {reason}",
                title="Not saved",
                severity="error",
                markup=False,
            )
        if done:
            self.notify(self._done(act, done), markup=False, timeout=3)
        if done and act in ("like", "dislike"):
            self.read_likes()  # what the server holds now

    def _roll_back(self, act: Act, failed: list[Track], was_liked: list[Track]) -> None:
        if act == "like":
            self.likes.discard(t for t in failed if t not in was_liked)
        elif act == "dislike":
            self.likes.add(t for t in failed if t in was_liked)

    @staticmethod
    def _refusal(act: Act, tracks: list[Track]) -> str:
        named = _named(tracks)
        if act == "like":
            return f"Not liked: Jamendo refused the like of {named}"
        if act == "dislike":
            return f"Not disliked: Jamendo refused the dislike of {named}"
        return f"Not a favorite: Jamendo refused to add {named} to your favorites"

    @staticmethod
    def _done(act: Act, tracks: list[Track]) -> str:
        named = _named(tracks)
        if act == "like":
            return f"Liked {named}."
        if act == "dislike":
            return f"Disliked {named}."
        return f"Added {named} to your favorites."

    def _change(
        self, provider: str, send: Callable[[], Awaitable[None]], done: str, refused: str
    ) -> None:
        """Follow an artist or add an album: nothing to show until the server says yes."""
        jamendo = provider == ProviderName.JAMENDO.value
        if jamendo and self._signed_out(FOLLOW_OR_KEEP):
            return

        async def run() -> None:
            try:
                await send()
            except SignInRequired:
                self.likes.signed_in = False
                message = sign_in_to_jamendo(FOLLOW_OR_KEEP, self)
                self.notify(message, severity="warning", markup=False)
                return
            except SetlistError as exc:
                message = f"{refused}: {plain(exc.message)}"
                severity: SeverityLevel = "error" if jamendo else "warning"
                self.notify(message, title="Not saved", severity=severity, markup=False)
                return
            self.notify(done, markup=False, timeout=3)

        self.run_worker(run(), group="library", exit_on_error=False)
