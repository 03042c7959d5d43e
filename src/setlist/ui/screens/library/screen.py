"""Your library: liked tracks, favorites, artists you follow, your albums, your playlists.

On the left, the sections; on the right, the one under the cursor. Each section
is read through the app's `Library` (built by the composition root, `services`)
in a worker of its own when the screen opens and again when it comes back.
Enter plays a track as every track list does, and opens an artist, an album or
a playlist on its own screen (the app's navigation). Signed out of Jamendo, one
line at the top says how to sign in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher, OptionList, Static
from textual.widgets.option_list import Option

from setlist.core.errors import ConfigError, SetlistError, SignInRequired
from setlist.core.models import ProviderName
from setlist.ui.likes import sign_in_to_jamendo
from setlist.ui.screens.base import AppScreen
from setlist.ui.screens.home import SectionMenu
from setlist.ui.screens.library.sections import (
    ALBUM_COLUMNS,
    ARTIST_COLUMNS,
    PLAYLIST_COLUMNS,
    SPECS,
    Spec,
)
from setlist.ui.server_text import plain
from setlist.ui.sign_in_words import in_app, sign_in_to
from setlist.ui.widgets.lists import ItemTable
from setlist.ui.widgets.track_table import TrackTable

SIGNED_OUT_HERE = "Nothing to show while you are signed out of Jamendo."
JAMENDO_SECTIONS = "see your likes and follows"


@dataclass
class SectionRead(Message, bubble=False):
    key: str
    items: list[Any] = field(default_factory=list)
    note: str | None = None  # why there is nothing to show, when it is not "empty"
    signed_out: bool = False  # of Jamendo


def table_for(spec: Spec) -> TrackTable | ItemTable[Any]:
    table: TrackTable | ItemTable[Any]
    match spec.kind:
        case "tracks":
            table = TrackTable()
        case "artists":
            table = ItemTable(ARTIST_COLUMNS)
        case "albums":
            table = ItemTable(ALBUM_COLUMNS)
        case _:
            table = ItemTable(PLAYLIST_COLUMNS)
    table.id = f"{spec.key}-table"
    return table


class LibraryScreen(AppScreen):
    TITLE = "Library"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", "Reload", show=False, id="library.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._read_once = False
        self._unwatch: Callable[[], None] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="library-hint", classes="dim", markup=False)
        with Horizontal():
            yield SectionMenu(*[Option(Text(s.title), id=s.key) for s in SPECS], id="sections")
            with ContentSwitcher(id="library-content", initial=SPECS[0].key):
                for spec in SPECS:
                    with Vertical(id=spec.key):
                        yield Static(id=f"{spec.key}-note", classes="empty", markup=False)
                        yield table_for(spec)

    def on_mount(self) -> None:
        self.query_one("#library-hint").display = False
        for spec in SPECS:
            self.query_one(f"#{spec.key}-note").display = False
        self._unwatch = self.setlist.likes.subscribe(self._likes_changed)
        self.query_one("#sections", SectionMenu).focus()
        self.read_all()

    def on_unmount(self) -> None:
        if self._unwatch is not None:
            self._unwatch()

    def on_screen_resume(self) -> None:
        # AppScreen's own handler runs too (Textual calls each class's).
        if self._read_once:  # back from an album, or from another screen: read it anew
            self.read_all()
        self._read_once = True

    # -- reading

    def read_all(self) -> None:
        for spec in SPECS:
            table = self.table(spec.key)
            if not table.row_count:  # a list already shown stays while it is read again
                table.loading = True
            self.run_worker(
                self._read(spec), group=f"library-{spec.key}", exclusive=True, exit_on_error=False
            )

    def action_reload(self) -> None:
        self.read_all()

    async def _read(self, spec: Spec) -> None:
        try:
            items = await spec.read(self.setlist.library)
        except SignInRequired as exc:
            if exc.provider == ProviderName.JAMENDO.value:
                self.post_message(SectionRead(spec.key, signed_out=True))
            else:
                note = sign_in_to("see your playlists here", self.app)
                self.post_message(SectionRead(spec.key, note=note))
        except ConfigError as exc:  # not set up, or switched off: trying again does not help
            self.post_message(SectionRead(spec.key, note=plain(exc.message)))
        except SetlistError as exc:
            said = in_app(plain(exc.message), self.app)
            note = f"Could not read {spec.title.lower()}: {said} Press ctrl+r to try again."
            self.post_message(SectionRead(spec.key, note=note))
        else:
            self.post_message(SectionRead(spec.key, items))

    def on_section_read(self, message: SectionRead) -> None:
        spec = next(s for s in SPECS if s.key == message.key)
        table = self.table(spec.key)
        table.loading = False
        if spec.jamendo:
            self._hint(message.signed_out)
        if spec.key == "liked" and message.note is None:
            # What the server holds now: every track list marks these.
            likes = self.setlist.likes
            likes.signed_in = not message.signed_out
            likes.replace(t.id for t in message.items)
        if isinstance(table, TrackTable):
            table.show(message.items)
        else:
            row = table.cursor_row
            table.set_items(message.items)
            if message.items:
                table.move_cursor(row=min(row, len(message.items) - 1))
        note = message.note
        if message.signed_out:
            note = SIGNED_OUT_HERE
        elif note is None and not message.items:
            note = spec.empty(self.app)
        shown = self.query_one(f"#{spec.key}-note", Static)
        shown.update(Text(note or ""))
        shown.display = note is not None
        table.display = bool(message.items)

    def _hint(self, signed_out: bool) -> None:
        hint = self.query_one("#library-hint", Static)
        if signed_out:
            hint.update(Text(sign_in_to_jamendo(JAMENDO_SECTIONS, self.app)))
        hint.display = signed_out

    def _likes_changed(self) -> None:
        """A dislike (here or anywhere): the track leaves the liked list at once."""
        table = self.table("liked")
        likes = self.setlist.likes
        assert isinstance(table, TrackTable)
        if not likes.signed_in:
            return
        kept = [row.track for row in table.all_rows if row.track in likes]
        if len(kept) != len(table.all_rows):
            table.show(kept)

    def table(self, key: str) -> TrackTable | ItemTable[Any]:
        return self.query_one(f"#{key}-table")  # type: ignore[return-value]  # each #KEY-table is one

    # -- moving

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self.query_one(ContentSwitcher).current = event.option.id
