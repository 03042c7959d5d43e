"""What every panel of the Accounts screen shares: its status line, its error lines,
and the messages they post."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, ContentSwitcher, Input, Static, TabbedContent, TabPane

from setlist.core.text import plain
from setlist.services import Services


@dataclass
class Status(Message, bubble=False):
    """A panel's status line and the step it shows."""

    text: str
    step: str | None = None
    focus: bool = False  # move the focus into the step (after something the user did)


@dataclass
class Problem(Message, bubble=False):
    """An error to show under a form (the field's error line)."""

    where: str  # the id of the error Static
    text: str


class Panel(Vertical):
    """One provider's part of the screen: a status line and its forms."""

    DEFAULT_CSS = """
    Panel { height: auto; padding: 0 1; }
    Panel .status { text-style: bold; margin-bottom: 1; }
    Panel .help { color: $text-muted; margin-bottom: 1; }
    Panel .error { color: $error; height: auto; }
    Panel Label { margin-top: 1; }
    Panel Horizontal { height: auto; margin-top: 1; }
    Panel Button { margin-right: 2; }
    Panel ContentSwitcher { height: auto; }
    Panel ContentSwitcher > Vertical { height: auto; }
    """

    def __init__(self, services: Services, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.services = services

    def changed(self, provider: str, signed_in: bool) -> None:
        from setlist.ui.screens.sign_in.screen import SignInScreen  # the screen holds the panels

        screen = self.screen
        if isinstance(screen, SignInScreen):
            screen.changed = True
        self.app.post_message(SignInScreen.AccountChanged(provider, signed_in))

    def problem(self, where: str, text: str) -> None:
        self.post_message(Problem(where, text))

    @on(Problem)
    def show_problem(self, message: Problem) -> None:
        shown = self.query_one(f"#{message.where}", Static)
        shown.update(Text(plain(message.text)))
        shown.display = bool(message.text)

    @on(Status)
    def show_status(self, message: Status) -> None:
        self.query_one(".status", Static).update(Text(plain(message.text)))
        if message.step is not None:
            self.query_one(ContentSwitcher).current = message.step
            if message.focus:
                self.call_after_refresh(self._focus_step, message.step)
        for error in self.query(".error").results(Static):
            error.update("")
            error.display = False

    def _on_active_tab(self) -> bool:
        """Whether this panel is on the tab shown (focusing a hidden one would switch tabs)."""
        pane = next((a for a in self.ancestors if isinstance(a, TabPane)), None)
        tabs = next((a for a in self.ancestors if isinstance(a, TabbedContent)), None)
        return pane is None or tabs is None or tabs.active == pane.id

    def _focus_step(self, step: str) -> None:
        if not self._on_active_tab():
            return
        found = self.query(f"#{step} Input").results(Input)
        first = next(iter(found), None)
        if first is not None:
            first.focus()
        else:
            button = next(iter(self.query(f"#{step} Button").results(Button)), None)
            if button is not None:
                button.focus()


def _input(placeholder: str, id: str, *, password: bool = False) -> Input:
    box = Input(placeholder=placeholder, id=id, password=password)
    box.cursor_blink = False  # a blinking cursor repaints the screen twice a second
    return box


def _error(id: str) -> Static:
    error = Static("", id=id, classes="error")
    error.display = False  # shown with its message
    return error
