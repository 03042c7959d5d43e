"""The line at the top of every screen: where you are, how to go elsewhere, who is signed in."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from setlist.ui.server_text import plain

# Mode name, key, label: the screens one key away.
PLACES = (
    ("home", "1", "Home"),
    ("search", "2", "Search"),
    ("playlists", "3", "Playlists"),
    ("queue", "4", "Queue"),
)


class TopBar(Widget):
    DEFAULT_CSS = """
    TopBar {
        dock: top;
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    TopBar > .top-bar--here { color: $text-accent; text-style: bold reverse; }
    TopBar > .top-bar--key { color: $text-muted; }
    TopBar > .top-bar--account { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"top-bar--here", "top-bar--key", "top-bar--account"}

    title: reactive[str] = reactive("")
    account: reactive[str] = reactive("")

    def __init__(self, here: str, *, title: str = "", account: str = "") -> None:
        """`here`: the mode this screen belongs to; `title`: the screen's own name, if any
        (server text: shown plain); `account`: who is signed in."""
        super().__init__()
        self.here = here
        self.set_reactive(TopBar.title, title)
        self.set_reactive(TopBar.account, account)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("top-bar--key")
        here_style = self.get_component_rich_style("top-bar--here")
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("setlist", "bold")
        for mode, key, label in PLACES:
            line.append("  ")
            line.append(key, key_style)
            line.append(" ")
            if mode == self.here:
                line.append(f" {label} ", here_style)
            else:
                line.append(label)
        if self.title:
            line.append("  ›  ", key_style)
            line.append(plain(self.title), "bold")
        # Where you are wins over who you are when the line is short.
        width = self.content_region.width
        line.truncate(width, overflow="ellipsis")
        account = Text(plain(self.account), self.get_component_rich_style("top-bar--account"))
        room = width - line.cell_len - 2
        if room >= 8:
            account.truncate(room, overflow="ellipsis")
            line.append(" " * (width - line.cell_len - account.cell_len))
            line.append_text(account)
        return line
