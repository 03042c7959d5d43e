"""What quitting shows while playlist edits are still on their way to the server."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import LoadingIndicator, Static

from setlist.core.unsaved import plural_edits


def saving_text(count: int) -> str:
    return f"Saving {plural_edits(count)}…"


class SavingScreen(ModalScreen[None]):
    """Blocks further edits while the ones made are sent; q again quits without waiting."""

    DEFAULT_CSS = """
    SavingScreen { align: center middle; }
    SavingScreen > Vertical {
        width: 50; max-width: 100%; height: auto;
        border: round $accent; background: $surface; padding: 0 1;
    }
    SavingScreen #saving-hint { color: $text-muted; }
    SavingScreen LoadingIndicator { height: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "app.quit", "Quit without waiting", id="saving.quit"),
    ]

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(saving_text(self.count), id="saving-count")
            yield LoadingIndicator()
            yield Static("q quits without waiting", id="saving-hint")

    def remaining(self, count: int) -> None:
        self.count = count
        if self.is_mounted:
            self.query_one("#saving-count", Static).update(saving_text(count))
