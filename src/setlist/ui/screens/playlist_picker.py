"""Choosing a playlist to add tracks to, and naming playlists.

- `PlaylistPicker`: a modal listing the user's own playlists under a filter box;
  Enter picks the highlighted one, or creates a new playlist named after the
  filter text. It dismisses with the chosen `Playlist` (None: cancelled).
- `PlaylistNameScreen`: a modal asking for a playlist name (new, rename).
- `add_to_playlist(node, tracks)`: the picker, then the tracks added through
  the playlist's edit session (so `u` on the playlist's screen undoes it).
  A playlist holds its own catalog's tracks only: the others are left out
  before the picker opens, and the messages say how many.
- `app_sessions(app)`: the app's `PlaylistSessions` (`app.playlist_sessions`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from setlist.core.accounts import playlist_name_problem
from setlist.core.errors import SetlistError
from setlist.core.models import Playlist, Track, provider_label
from setlist.core.playlist_edits import (
    EditEvent,
    EditSession,
    PlaylistSessions,
    PlaylistSource,
    Refused,
    Saved,
)
from setlist.core.text import plain
from setlist.ui.sign_in_words import in_app, sign_in_to

NEW = "new"


def app_sessions(app: App[object]) -> PlaylistSessions:
    """The app's playlist sessions; made from `app.services.editor` the first time if needed."""
    sessions = getattr(app, "playlist_sessions", None)
    if isinstance(sessions, PlaylistSessions):
        return sessions
    services = getattr(app, "services", None)
    sessions = PlaylistSessions(getattr(services, "editor", None))
    app.playlist_sessions = sessions  # type: ignore[attr-defined]  # any App here; SetlistApp has it
    return sessions


def quoted(name: str) -> str:
    return f"“{plain(name)}”"


class PlaylistNameScreen(ModalScreen[str | None]):
    """Asks for a playlist's name. Enter confirms, Escape cancels."""

    DEFAULT_CSS = """
    PlaylistNameScreen { align: center middle; }
    PlaylistNameScreen > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    PlaylistNameScreen .error { color: $error; height: auto; }
    PlaylistNameScreen Horizontal { height: auto; margin-top: 1; }
    PlaylistNameScreen Button { margin-right: 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="playlist_name.cancel"),
    ]

    def __init__(self, title: str, value: str = "", confirm: str = "Create") -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self._title), classes="title")
            yield Input(self._value, placeholder="Playlist name", id="name")
            yield Static("", classes="error")
            with Horizontal():
                yield Button(self._confirm, variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        name = self.query_one("#name", Input)
        name.cursor_blink = False
        name.focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def confirm(self) -> None:
        name = self.query_one("#name", Input).value
        problem = playlist_name_problem(name)
        if problem is not None:
            self.query_one(".error", Static).update(problem)
            return
        self.dismiss(name.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass
class PlaylistsRead(Message, bubble=False):
    """The user's own playlists, read by the picker's worker."""

    playlists: list[Playlist]


@dataclass
class PickerProblem(Message, bubble=False):
    """Something to show in the picker's error line."""

    message: str


class PlaylistPicker(ModalScreen[Playlist | None]):
    """Pick one of your playlists, or create one, for `tracks`."""

    DEFAULT_CSS = """
    PlaylistPicker { align: center middle; }
    PlaylistPicker > Vertical {
        width: 70; max-width: 100%; height: 24; max-height: 100%; padding: 0 1;
        border: thick $primary; background: $surface;
    }
    PlaylistPicker .title { text-style: bold; margin-bottom: 1; }
    PlaylistPicker OptionList { height: 1fr; }
    PlaylistPicker .hint { color: $text-muted; }
    PlaylistPicker .error { color: $error; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "highlight(1)", "Next", show=False, id="picker.down"),
        Binding("up", "highlight(-1)", "Previous", show=False, id="picker.up"),
    ]

    def __init__(
        self, source: PlaylistSource, tracks: Sequence[Track] = (), skipped: str = ""
    ) -> None:
        super().__init__()
        self.source = source
        self.tracks = list(tracks)
        self.skipped = skipped  # the tracks left out, as `fitting` says it
        self.playlists: list[Playlist] = []
        self._loaded = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self._title()), classes="title")
            yield Input(placeholder="Filter, or the name of a new playlist", id="filter")
            yield OptionList(id="choices")
            yield Static("", classes="error")
            yield Static("Enter: add · ↑↓: choose · Esc: cancel", classes="hint", markup=False)

    def _title(self) -> str:
        if len(self.tracks) == 1:
            title = f"Add {quoted(self.tracks[0].title)} to a playlist"
        elif self.tracks:
            title = f"Add {len(self.tracks)} tracks to a playlist"
        else:
            return "Choose a playlist"
        return f"{title} ({self.skipped})" if self.skipped else title

    def on_mount(self) -> None:
        box = self.query_one("#filter", Input)
        box.cursor_blink = False
        box.focus()
        self.query_one("#choices", OptionList).loading = True
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        try:
            found = await self.source.my_playlists()
        except SetlistError as exc:
            said = in_app(exc.message, self.app)
            self.post_message(PickerProblem(f"Could not read your playlists: {said}"))
            return
        self.post_message(PlaylistsRead([p for p in found if p.owned]))

    @on(PlaylistsRead)
    def show_playlists(self, message: PlaylistsRead) -> None:
        self.playlists = message.playlists
        self._loaded = True
        self.query_one("#choices", OptionList).loading = False
        self.refilter()

    @on(PickerProblem)
    def show_problem(self, message: PickerProblem) -> None:
        self.query_one("#choices", OptionList).loading = False
        self.query_one(".error", Static).update(Text(plain(message.message)))

    @on(Input.Changed, "#filter")
    def refilter(self) -> None:
        if not self._loaded:
            return
        text = self.query_one("#filter", Input).value.strip()
        needle = text.casefold()
        shown = [p for p in self.playlists if needle in p.name.casefold()]
        options = [Option(Text(plain(p.name)), id=p.id) for p in shown]
        new_label = f"+ New playlist {quoted(text)}" if text else "+ New playlist…"
        options.append(Option(Text(new_label), id=NEW))
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options(options)
        choices.highlighted = 0

    def action_highlight(self, step: int) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            at = (choices.highlighted or 0) + step
            choices.highlighted = max(0, min(at, choices.option_count - 1))

    @on(Input.Submitted, "#filter")
    def choose_highlighted(self) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.highlighted is not None and choices.option_count:
            self._choose(choices.get_option_at_index(choices.highlighted).id)

    @on(OptionList.OptionSelected, "#choices")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id != NEW:
            self.dismiss(next(p for p in self.playlists if p.id == option_id))
            return
        text = self.query_one("#filter", Input).value.strip()
        if text:
            self.create(text)
        else:
            self.app.push_screen(PlaylistNameScreen("Name the new playlist"), self._named)

    def _named(self, name: str | None) -> None:
        if name:
            self.create(name)

    @work(exclusive=True, exit_on_error=False)
    async def create(self, name: str) -> None:
        problem = playlist_name_problem(name)
        if problem is not None:
            self.post_message(PickerProblem(problem))
            return
        try:
            playlist = await self.source.create_playlist(name)
        except SetlistError as exc:
            said = in_app(exc.message, self.app)
            self.post_message(PickerProblem(f"Could not create {quoted(name)}: {said}"))
            return
        self.dismiss(playlist)

    def action_cancel(self) -> None:
        self.dismiss(None)


# -- running edits away from the playlist's screen


def shown_in_a_table(app: App[object], session: EditSession) -> bool:
    """Whether a track table on the current screen shows `session` (it reports refusals)."""
    from setlist.ui.widgets.track_table import TrackTable

    return any(t.session is session for t in app.screen.query(TrackTable))


async def run_edit(
    app: App[object],
    session: EditSession,
    edit: Callable[[EditSession], object],
    done: str | None = None,
) -> bool:
    """Make an edit, wait until it is saved, and tell the user how it went.

    A refusal is told here unless a table on the current screen shows the session
    (the table tells it itself). True when the edit was saved.
    """
    refused: list[Refused] = []
    notes: list[str] = []

    def listen(event: EditEvent) -> None:
        if isinstance(event, Refused):
            refused.append(event)
        elif isinstance(event, Saved) and event.note:
            notes.append(event.note)

    unsubscribe = session.subscribe(listen)
    try:
        edit(session)
        await session.idle()
    finally:
        unsubscribe()
    told_by_a_table = shown_in_a_table(app, session)
    if refused:
        if not told_by_a_table:
            first = refused[0]
            app.notify(plain(first.message), title=first.title, severity="error", markup=False)
        return False
    if done:
        if notes and not told_by_a_table:
            done = f"{done} {' '.join(notes)}"
        app.notify(done, markup=False, timeout=4)
    return True


def _tracks(n: int, label: str = "") -> str:
    kind = f"{label} track" if label else "track"
    return f"{n} {kind}" + ("" if n == 1 else "s")


def fitting(tracks: Sequence[Track], provider: str) -> tuple[list[Track], str]:
    """The tracks a playlist of `provider` can hold, and what was left out ("" when
    nothing was): "1 Jamendo track skipped"."""
    kept = [t for t in tracks if t.provider == provider]
    others = Counter(provider_label(t.provider) for t in tracks if t.provider != provider)
    left_out = ", ".join(_tracks(n, label) for label, n in others.items())
    return kept, f"{left_out} skipped" if left_out else ""


async def add_tracks(
    app: App[object],
    sessions: PlaylistSessions,
    playlist: Playlist,
    tracks: list[Track],
    skipped: str = "",
) -> bool:
    """Append `tracks` to `playlist` through its edit session; `skipped` says what was left out."""
    try:
        session = await sessions.open(playlist.id)
    except SetlistError as exc:
        app.notify(
            f"Could not open {quoted(playlist.name)}: {plain(exc.message)}",
            severity="error",
            markup=False,
        )
        return False
    what = quoted(tracks[0].title) if len(tracks) == 1 else _tracks(len(tracks))
    done = f"Added {what} to {quoted(session.name)}."
    if skipped:
        label = provider_label(playlist.provider)
        done += f" {skipped[:1].upper()}{skipped[1:]}: {label} playlists hold {label} tracks only."
    return await run_edit(app, session, lambda s: s.add(tracks), done)


def add_to_playlist(
    node: DOMNode, tracks: Sequence[Track], sessions: PlaylistSessions | None = None
) -> None:
    """Open the picker for `tracks`; the chosen playlist gets them (the `+` key)."""
    app = node.app
    sessions = sessions or app_sessions(app)
    if not tracks:
        return
    source = sessions.source
    if source is None:
        app.notify(
            sign_in_to("add tracks to your playlists", app),
            severity="warning",
            markup=False,
        )
        return
    chosen_tracks, skipped = fitting(tracks, source.name)
    if not chosen_tracks:
        label = provider_label(source.name)
        app.notify(
            f"{label} playlists hold {label} tracks only: "
            f"{'this track' if len(tracks) == 1 else 'these tracks'} cannot go in one.",
            severity="warning",
            markup=False,
        )
        return

    def chosen(playlist: Playlist | None) -> None:
        if playlist is not None:
            app.run_worker(
                add_tracks(app, sessions, playlist, chosen_tracks, skipped),
                group="playlist-edits",
                exit_on_error=False,
            )

    app.push_screen(PlaylistPicker(source, chosen_tracks, skipped), chosen)
