"""Where the app goes: screens opened for what was chosen, and the keys that move between them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.signal import Signal

from setlist.core.models import Album, Artist, Playlist
from setlist.ui.messages import Open

# The screens are imported when first opened: not before the app's first frame.
if TYPE_CHECKING:
    from textual.app import App

    from setlist.core.playlist_edits import PlaylistSessions
    from setlist.services import Services
    from setlist.ui.player_port import PlayerPort
    from setlist.ui.screens.sign_in import SignInScreen
    from setlist.ui.widgets.lists import ItemTable
    from setlist.ui.widgets.track_table import TrackTable

    _Host = App[None]
else:
    _Host = object


class Navigation(_Host):
    services: Services
    player: PlayerPort
    playlist_sessions: PlaylistSessions
    account_changed_signal: Signal[str]

    def account_label(self) -> str:
        raise NotImplementedError

    def on_item_table_chosen(self, message: ItemTable.Chosen) -> None:
        if isinstance(message.item, Album | Artist | Playlist):
            self.post_message(Open(message.item))

    def on_open(self, message: Open) -> None:
        from setlist.ui.screens.album import AlbumScreen
        from setlist.ui.screens.artist import ArtistScreen
        from setlist.ui.screens.pages import PlaylistPage

        item = message.item
        if isinstance(item, Album):
            self.push_screen(AlbumScreen(item))
        elif isinstance(item, Artist):
            self.push_screen(ArtistScreen(item))
        else:
            self.push_screen(PlaylistPage(item))

    def on_track_table_add_to_playlist(self, message: TrackTable.AddToPlaylist) -> None:
        from setlist.ui.screens.playlist_picker import add_to_playlist

        add_to_playlist(self.screen, message.tracks, self.playlist_sessions)

    def action_back(self) -> None:  # type: ignore[override]  # Textual runs a sync action too
        if len(self.screen_stack) > 1:
            self.pop_screen()

    async def action_switch_mode(self, mode: str) -> None:
        """A number key: to that screen, closing Accounts on the way (else the mode it was
        opened over would show it again on return)."""
        await self._leave_accounts()
        await self.switch_mode(mode)

    async def _leave_accounts(self) -> None:
        from setlist.ui.screens.sign_in import SignInScreen

        screen = self.screen
        if isinstance(screen, SignInScreen):
            await screen.dismiss(screen.changed)

    async def action_search(self) -> None:
        from setlist.ui.screens.search import SearchScreen

        await self._leave_accounts()
        await self.switch_mode("search")
        # A page opened from the results (an album, an artist) closes: else it takes the keys.
        while len(self.screen_stack) > 1 and not isinstance(self.screen, SearchScreen):
            await self.pop_screen()
        if isinstance(self.screen, SearchScreen):
            self.screen.focus_query()

    def action_accounts(self) -> None:
        from setlist.ui.screens.sign_in import SignInScreen

        if not isinstance(self.screen, SignInScreen):
            self.push_screen(SignInScreen(self.services))

    def on_sign_in_screen_account_changed(self, message: SignInScreen.AccountChanged) -> None:
        self.account_changed_signal.publish(self.account_label())

    def action_help(self) -> None:
        from setlist.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen.for_screen(self.screen))

    async def action_current(self) -> None:
        from setlist.ui.screens.queue import QueueScreen

        if self.player.playing is None and self.player.queue.current is None:
            self.notify("Nothing is playing.", timeout=3)
            return
        await self._leave_accounts()
        await self.switch_mode("queue")
        if isinstance(self.screen, QueueScreen):
            self.screen.show_current()
