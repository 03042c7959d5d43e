"""Accounts: one panel per provider, each in a file of its own, and the screen."""

from setlist.ui.screens.sign_in.jamendo import JamendoPanel
from setlist.ui.screens.sign_in.lastfm import LastfmPanel
from setlist.ui.screens.sign_in.screen import SignInScreen
from setlist.ui.screens.sign_in.yourmusic import YourMusicPanel

__all__ = ["JamendoPanel", "LastfmPanel", "SignInScreen", "YourMusicPanel"]
