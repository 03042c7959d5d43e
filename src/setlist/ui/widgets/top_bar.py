"""The line at the top of every screen: where you are, how to go elsewhere, who is signed in."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from setlist.ui.server_text import plain

TITLE_SEPARATOR = "  ›  "
TITLE_ROOM = 12  # cells a screen's name is given before the places give up theirs
TITLE_LEAST = 6  # with only keys left to give, the name is shown cut to this much
ACCOUNT_GAP = 2
ACCOUNT_ROOM = 8  # an account cut shorter than this is not shown
ACCOUNT_CONTEXT = " · "  # "demo catalog · name": the context goes before the name does
# (brand, names of the places, context of the account, name of the place you are at):
# the first that leaves the screen's name its room. Last, the screen's name says where
# you are and its place keeps only its key, lit.
LAYOUTS = (
    (True, True, True, True),
    (False, True, True, True),
    (False, True, False, True),
    (False, False, False, True),
    (False, False, False, False),
)

# Mode name, key, label: the screens one key away.
PLACES = (
    ("home", "1", "Home"),
    ("search", "2", "Search"),
    ("playlists", "3", "Playlists"),
    ("queue", "4", "Queue"),
    ("library", "6", "Library"),
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
        """Where you are, then who is signed in, then the screen's own name.

        On a short line the first to go are the brand, the context of the account
        ("demo catalog · "), then the names of the other places (their keys stay); the
        screen's name is cut with an ellipsis. The account is cut only when nothing else
        is left to give (see ui.app.SetlistApp.account_label for what it says).
        """
        width = self.content_region.width
        title = plain(self.title)
        account = plain(self.account)
        wanted = min(cell_len(title), TITLE_ROOM)
        for brand, labels, context, here_label in LAYOUTS:
            if not here_label and not title:
                break
            who = account if context else account.rpartition(ACCOUNT_CONTEXT)[2]
            head = self._places(brand=brand, labels=labels, here_label=here_label)
            room = width - head.cell_len - ACCOUNT_GAP - cell_len(who)
            if title:
                room -= cell_len(TITLE_SEPARATOR)
            # Once the places are down to their keys, a name cut short will do.
            if room >= (wanted if labels else min(wanted, TITLE_LEAST)):
                break
        line = head
        if title and room >= min(wanted, TITLE_LEAST):
            line.append(TITLE_SEPARATOR, self.get_component_rich_style("top-bar--key"))
            name = Text(title, "bold")
            name.truncate(room, overflow="ellipsis")
            line.append_text(name)
        line.truncate(width, overflow="ellipsis")
        shown = Text(who, self.get_component_rich_style("top-bar--account"))
        room = width - line.cell_len - ACCOUNT_GAP
        if room >= ACCOUNT_ROOM:
            shown.truncate(room, overflow="ellipsis")
            line.append(" " * (width - line.cell_len - shown.cell_len))
            line.append_text(shown)
        return line

    def _places(self, *, brand: bool, labels: bool, here_label: bool = True) -> Text:
        """The brand and the places one key away (with their names, or the keys only but
        the place you are at)."""
        key_style = self.get_component_rich_style("top-bar--key")
        here_style = self.get_component_rich_style("top-bar--here")
        line = Text(no_wrap=True, overflow="ellipsis")
        if brand:
            line.append("setlist", "bold")
        for mode, key, label in PLACES:
            if line:
                line.append("  ")
            if mode == self.here and not here_label:
                line.append(f" {key} ", here_style)
            elif mode == self.here:
                line.append(key, key_style)
                line.append(" ")
                line.append(f" {label} ", here_style)
            else:
                line.append(key, key_style)
                if labels:
                    line.append(" ")
                    line.append(label)
        return line
