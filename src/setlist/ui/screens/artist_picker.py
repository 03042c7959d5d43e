"""Which artist to open, for a track that has more than one (`o` on a guest's track):
its own artist first, then its album's (`TrackFacts.artists` gives them so)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from setlist.core.models import Artist
from setlist.ui.library_actions import quoted
from setlist.ui.server_text import safe


class ArtistPicker(ModalScreen[Artist | None]):
    DEFAULT_CSS = """
    ArtistPicker { align: center middle; }
    ArtistPicker > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 100%; padding: 0 1;
        border: thick $primary; background: $surface;
    }
    ArtistPicker .title { text-style: bold; margin-bottom: 1; }
    ArtistPicker OptionList { height: auto; max-height: 12; }
    ArtistPicker .hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="artist_picker.cancel"),
    ]

    def __init__(self, track_title: str, artists: list[Artist]) -> None:
        super().__init__()
        self.track_title = track_title
        self.artists = artists

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Which artist of {quoted(self.track_title)}?"), classes="title")
            yield OptionList(*(Option(self._label(i), id=str(i)) for i in range(len(self.artists))))
            yield Static("Enter: open · ↑↓: choose · Esc: cancel", classes="hint", markup=False)

    def _label(self, index: int) -> Text:
        """The name, and whose it is: the track's own artist comes first, then the album's."""
        label = safe(self.artists[index].name)
        label.append(" · the track's artist" if index == 0 else " · the album's artist", "dim")
        return label

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def pick(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.artists[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
