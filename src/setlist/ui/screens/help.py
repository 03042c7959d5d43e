"""Help: every key of the screen underneath and the global ones, read from the live bindings.

Generated from `Screen.active_bindings` (the focused widget, its screen and the
app, with the user's keymap applied), so it cannot drift from what the keys do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


@dataclass(frozen=True)
class KeyHelp:
    keys: str  # as the footer writes them, e.g. "l, →"
    description: str
    everywhere: bool  # an app binding rather than one of the screen
    ids: str = ""  # what [keys] in the config calls it


def describe(binding: Binding) -> str:
    return binding.description or binding.tooltip or binding.action.replace("_", " ")


def key_help(app: App[object], screen: Screen[object]) -> list[KeyHelp]:
    """The screen's active bindings, one row per action, its keys together."""
    rows: dict[tuple[int, str, str], list[str]] = {}
    ids: dict[tuple[int, str, str], list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.system:
            continue
        group = (0 if active.node is app else 1, binding.action, describe(binding))
        rows.setdefault(group, []).append(app.get_key_display(binding))
        if binding.id:
            ids.setdefault(group, []).append(binding.id)
    found = [
        KeyHelp(
            ", ".join(dict.fromkeys(keys)),
            description,
            where == 0,
            ", ".join(dict.fromkeys(ids.get((where, action, description), []))),
        )
        for (where, action, description), keys in rows.items()
    ]
    return sorted(found, key=lambda k: k.everywhere)


SUBTITLE = "Esc closes · remap a key by its id in \\[keys] of the config"
SHORT_SUBTITLE = "Esc closes · ids go in \\[keys]"
GAP = 2  # cells between columns
DESCRIPTION_MIN = 16  # narrower than this, descriptions wrap a word a line


class KeyTables:
    """The keys in tables fitted to the width they are drawn in, their columns aligned
    across tables: keys, description and ids side by side, or, when the ids do not fit
    beside a readable description, each row's ids under its description."""

    def __init__(self, sections: list[tuple[str, list[KeyHelp]]]) -> None:
        self.sections = sections

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        rows = [key for _title, keys in self.sections for key in keys]
        keys_width = max((cell_len(k.keys) for k in rows), default=0)
        descriptions = max((cell_len(k.description) for k in rows), default=0)
        one_id = max((cell_len(i) for k in rows for i in k.ids.split(", ")), default=0)
        rest = width - keys_width - GAP
        beside = rest - min(descriptions, DESCRIPTION_MIN) - GAP >= one_id
        description_width = min(descriptions, rest - GAP - one_id) if beside else rest
        for title, keys in self.sections:
            table = Table(
                title=Text(title, style="bold"),
                title_justify="left",
                show_header=False,
                box=None,
                padding=(0, GAP, 0, 0),
                pad_edge=False,
                expand=False,
            )
            table.add_column(style="bold", no_wrap=True, width=keys_width)
            table.add_column(width=description_width)
            if beside:
                # What is left; ids wrap between ids, never inside one.
                table.add_column(style="dim", width=max(one_id, rest - description_width - GAP))
                for key in keys:
                    table.add_row(Text(key.keys), Text(key.description), Text(key.ids))
            else:
                for key in keys:
                    cell = Text(key.description)
                    if key.ids:
                        cell.append("\n" + key.ids, style="dim")
                    table.add_row(Text(key.keys), cell)
            yield table


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 86;
        max-width: 100%;
        max-height: 90%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen VerticalScroll { height: auto; max-height: 100%; }
    HelpScreen .help--hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j", "scroll('down')", "Scroll down", show=False, id="help.down"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="help.up"),
    ]

    def __init__(self, title: str, keys: Iterable[KeyHelp]) -> None:
        super().__init__()
        self.heading = title
        self.keys = list(keys)

    @classmethod
    def for_screen(cls, screen: Screen[object]) -> HelpScreen:
        title = screen.sub_title or screen.title or type(screen).__name__
        return cls(f"Keys: {title}", key_help(screen.app, screen))

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = self.heading
            frame.border_subtitle = SUBTITLE
            with VerticalScroll():
                here = [k for k in self.keys if not k.everywhere]
                sections = [("On this screen", here)] if here else []
                sections.append(("Everywhere", [k for k in self.keys if k.everywhere]))
                yield Static(KeyTables(sections))

    def on_resize(self) -> None:
        frame = self.query_one(Vertical)
        # The corners, a space either side of it and a rule on the left.
        fits = cell_len(SUBTITLE.replace("\\", "")) + 6 <= frame.size.width
        frame.border_subtitle = SUBTITLE if fits else SHORT_SUBTITLE

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one(VerticalScroll)
        if direction == "down":
            scroller.scroll_down()
        else:
            scroller.scroll_up()
