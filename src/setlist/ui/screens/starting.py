"""What the app shows while it opens the services and the player (ui.launch.Startup).

Drawn before they exist: the bars, and a line that says what is happening, or
why the start failed (never a traceback).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import LoadingIndicator, Static

from setlist.ui.screens.base import AppScreen


class StartingScreen(AppScreen):
    PLACE = "home"

    def compose_body(self) -> ComposeResult:
        yield Static("Opening the catalogs and the player…", id="start-message", classes="empty")
        yield LoadingIndicator()

    def failed(self, message: str) -> None:
        """The start failed: say why, and how to leave."""
        self.query_one(LoadingIndicator).display = False
        self.query_one("#start-message", Static).update(
            f"setlist could not start: {message}\nPress q to quit."
        )
