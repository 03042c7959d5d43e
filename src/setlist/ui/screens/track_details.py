"""A track's details (`i`): title, artists, album, length, release date, licence,
explicit flag, music info (voice, speed, genres, instruments, tags), catalog and id.

What the list row knows shows at once; the rest when the catalog answers. Every
value is the catalog's text shown as it is: never read as markup, controls shown.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from setlist.core.errors import SetlistError
from setlist.core.models import MusicInfo, Track, TrackDetails, provider_label, track_source
from setlist.core.protocols import TrackFacts
from setlist.ui.server_text import duration, plain
from setlist.ui.sign_in_words import in_app


def _yes_no(value: bool | None, provider: str) -> str:
    if value is None:
        return f"not said by {provider_label(provider)}"
    return "yes" if value else "no"


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(plain(v) for v in values)


def _voice(info: MusicInfo) -> str:
    parts = [info.vocal_instrumental, info.gender, info.language]
    return " · ".join(plain(p) for p in parts if p)


def detail_rows(details: TrackDetails, *, loading: bool = False) -> list[tuple[str, str]]:
    """(label, value) for each fact; the values are plain text, to be shown literally."""
    track = details.track
    artists = " · ".join(plain(name) for _, name in track.artists) or plain(track.artist_name)
    rows = [
        ("Title", plain(track.title)),
        ("Artists", artists or "—"),
        ("Album", plain(track.album_title) if track.album_id else "— (a single)"),
        ("Length", duration(track.duration)),
    ]
    if loading:
        return [*rows, ("", "Asking the catalog for more…")]
    rows += [
        ("Released", plain(details.release_date or "—")),
        ("Licence", plain(details.licence_url or "—")),
        ("Explicit", _yes_no(details.explicit, track.provider)),
    ]
    info = details.music_info
    if info is not None:
        rows += [
            ("Voice", _voice(info) or "—"),
            ("Speed", plain(info.speed) or "—"),
            ("Sound", plain(info.acoustic_electric) or "—"),
            ("Genres", _listed(info.genres) or "—"),
            ("Instruments", _listed(info.instruments) or "—"),
            ("Tags", _listed(info.tags) or "—"),
        ]
    rows += [("Catalog", provider_label(track_source(track))), ("Id", plain(track.id))]
    return rows


def details_table(rows: list[tuple[str, str]]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    for label, value in rows:
        table.add_row(Text(label), Text(value))
    return table


class TrackDetailsScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    TrackDetailsScreen { align: center middle; }
    TrackDetailsScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    TrackDetailsScreen VerticalScroll { height: auto; max-height: 100%; }
    TrackDetailsScreen #details-error { color: $error; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,i", "dismiss", "Close", id="track_details.close"),
    ]

    def __init__(self, track: Track, facts: TrackFacts) -> None:
        super().__init__()
        self.track = track
        self.facts = facts
        self.details: TrackDetails | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = "Track details"
            frame.border_subtitle = "Esc closes"
            with VerticalScroll():
                rows = detail_rows(TrackDetails(track=self.track), loading=True)
                yield Static(details_table(rows), id="details")
                yield Static("", id="details-error", markup=False)

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        try:
            details = await self.facts.details(self.track)
        except SetlistError as exc:
            self.query_one("#details", Static).update(
                details_table(detail_rows(TrackDetails(track=self.track))[:4])
            )
            message = f"Could not read more of this track: {in_app(exc.message, self.app)}"
            self.query_one("#details-error", Static).update(Text(plain(message)))
            return
        self.details = details
        self.query_one("#details", Static).update(details_table(detail_rows(details)))
