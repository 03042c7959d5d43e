"""The track table: keys, selection, messages, keymap, and speed with 10,000 rows."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message

from setlist.core.models import Track
from setlist.core.playlist_edits import EditSession
from setlist.core.queue import Queue
from setlist.ui.widgets.track_table import TrackTable
from ui_playlist_support import LocalQueue


def tracks(n: int) -> list[Track]:
    return [
        Track(
            provider="yourmusic",
            id=str(i),
            title=f"Song {i}",
            artist_name=f"Artist {i % 7}",
            album_title=f"Album {i % 11}",
            duration=180 + i % 120,
        )
        for i in range(n)
    ]


class TableApp(App[None]):
    """A table over a queue (editable) or over plain tracks; it keeps the table's messages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "escaped", "Back", id="test.back"),
        Binding("J", "app_key('J')", "app J", id="test.j"),
    ]

    def __init__(self, rows: list[Track], *, editable: bool = True) -> None:
        super().__init__()
        self.queue = Queue()
        self.queue.append(rows)
        self.session = EditSession.for_queue(LocalQueue(self.queue)) if editable else None
        self.rows = rows
        self.heard: list[Message] = []
        self.app_keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield TrackTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(TrackTable)
        if self.session is not None:
            table.edit(self.session)
        else:
            table.show(self.rows)
        table.focus()

    def action_escaped(self) -> None:
        self.app_keys.append("escape")

    def action_app_key(self, key: str) -> None:
        self.app_keys.append(key)

    def on_track_table_play_requested(self, message: TrackTable.PlayRequested) -> None:
        self.heard.append(message)

    def on_track_table_add_to_queue(self, message: TrackTable.AddToQueue) -> None:
        self.heard.append(message)

    def on_track_table_add_to_playlist(self, message: TrackTable.AddToPlaylist) -> None:
        self.heard.append(message)

    def on_track_table_moved(self, message: TrackTable.Moved) -> None:
        self.heard.append(message)

    def on_track_table_removed(self, message: TrackTable.Removed) -> None:
        self.heard.append(message)


def queued(app: TableApp) -> list[str]:
    return [e.track.id for e in app.queue.entries]


async def test_moves_with_letters_and_shift_arrows_reach_the_queue() -> None:
    app = TableApp(tracks(6))
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(TrackTable)
        await pilot.press("j", "j")  # on "2"
        await pilot.press("K")
        await pilot.press("shift+up")
        assert table.cursor_row == 0  # the cursor follows its track
        await pilot.press("J", "shift+down", "shift+down")
        await pilot.press("B")
        assert app.session is not None
        await app.session.idle()
        assert queued(app) == ["0", "1", "3", "4", "5", "2"]
        await pilot.press("T")
        await app.session.idle()
        assert queued(app) == ["2", "0", "1", "3", "4", "5"]
        assert [m.where for m in app.heard if isinstance(m, TrackTable.Moved)] == [
            "up",
            "up",
            "down",
            "down",
            "down",
            "bottom",
            "top",
        ]


async def test_space_v_and_escape_select_and_d_u_remove_and_undo() -> None:
    app = TableApp(tracks(8))
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(TrackTable)
        await pilot.press("space")  # row 0, and the cursor goes on
        await pilot.press("j", "v", "j", "j")  # a range: rows 2..4
        assert [
            table.rows[i].track.id for i in range(8) if table.rows[i].key in table.selected_keys
        ] == [
            "0",
            "2",
            "3",
            "4",
        ]
        await pilot.press("v")  # kept
        await pilot.press("escape")
        assert table.selected_keys == []
        assert app.app_keys == []  # escape cleared the selection, nothing else
        await pilot.press("escape")
        assert app.app_keys == ["escape"]  # nothing selected: escape goes on to the app

        await pilot.press("g", "space", "space", "d")
        assert app.session is not None
        await app.session.idle()
        assert queued(app) == ["2", "3", "4", "5", "6", "7"]
        [removed] = [m for m in app.heard if isinstance(m, TrackTable.Removed)]
        assert [t.id for t in removed.tracks] == ["0", "1"]
        await pilot.press("u")
        await app.session.idle()
        assert queued(app) == [str(i) for i in range(8)]


async def test_enter_a_n_and_plus_send_the_selection_or_the_cursor_row() -> None:
    app = TableApp(tracks(5), editable=False)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.press("j", "j", "enter")
        await pilot.press("a", "n", "plus")
        await pilot.press("g", "space", "j", "space", "enter", "plus")
        await pilot.pause()
    play, end, nxt, add, play_some, add_some = app.heard
    assert isinstance(play, TrackTable.PlayRequested)
    assert (len(play.tracks), play.start, play.tracks[play.start].id) == (5, 2, "2")
    assert isinstance(end, TrackTable.AddToQueue) and not end.next
    assert isinstance(nxt, TrackTable.AddToQueue) and nxt.next
    assert [t.id for t in end.tracks] == [t.id for t in nxt.tracks] == ["2"]
    assert isinstance(add, TrackTable.AddToPlaylist) and [t.id for t in add.tracks] == ["2"]
    assert isinstance(play_some, TrackTable.PlayRequested)
    assert ([t.id for t in play_some.tracks], play_some.start) == (["0", "2"], 0)
    assert isinstance(add_some, TrackTable.AddToPlaylist)
    assert [t.id for t in add_some.tracks] == ["0", "2"]


async def test_a_list_that_cannot_be_edited_lets_edit_keys_go_on() -> None:
    app = TableApp(tracks(3), editable=False)
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(TrackTable)
        await pilot.press("J", "d", "u")
        assert [r.track.id for r in table.rows] == ["0", "1", "2"]
        assert app.app_keys == ["J"]  # the app's own J binding got it


async def test_every_binding_has_an_id_and_the_keymap_moves_them() -> None:
    assert all(getattr(b, "id", None) for b in TrackTable.BINDINGS)
    app = TableApp(tracks(4))
    async with app.run_test(size=(100, 20)) as pilot:
        app.set_keymap({"track_table.move_down": "ctrl+j"})
        await pilot.press("ctrl+j")
        assert app.session is not None
        await app.session.idle()
        assert queued(app) == ["1", "0", "2", "3"]
        await pilot.press("J")  # no longer bound to the move: the app's J gets it
        assert app.app_keys == ["J"]


async def test_click_moves_the_cursor_and_double_click_plays() -> None:
    app = TableApp(tracks(5), editable=False)
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(TrackTable)
        await pilot.click(TrackTable, offset=(10, 3))  # line 0 is the header
        assert table.cursor_row == 2
        await pilot.double_click(TrackTable, offset=(10, 4))
        await pilot.pause()
    [play] = [m for m in app.heard if isinstance(m, TrackTable.PlayRequested)]
    assert play.start == 3


async def test_ten_thousand_tracks_open_and_every_key_works_on_them() -> None:
    # How fast is bench/bench_app.py's to say (opening, key to next frame).
    app = TableApp([], editable=False)
    many = tracks(10_000)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(TrackTable)
        queue = Queue()
        queue.append(many)
        session = EditSession.for_queue(LocalQueue(queue))
        table.edit(session)
        await pilot.pause()
        assert len(table.rows) == 10_000
        assert "Song 0" in table.render_line(1).text

        table.move_cursor(5_000)
        for key in ("down", "J", "K", "T", "space", "d", "u", "G", "g", "ctrl+d"):
            action = table._bindings.get_bindings_for_key(key)[0].action
            await app.run_action(action, table)
            await pilot.pause()
        await session.idle()
        # T moved row 5,001 to the top, d removed it, u put it back.
        assert len(queue) == 10_000 and queue.entries[0].track == many[5_001]
        assert 0 < table.cursor_row < 40  # g, then half a page


async def test_the_playing_row_is_marked_before_its_title() -> None:
    app = TableApp(tracks(3), editable=False)
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(TrackTable)
        table.playing_key = table.rows[1].key
        await pilot.pause()
        lines = [table.render_line(y).text for y in (1, 2, 3)]
        assert "▶ Song 1" in lines[1]
        assert "▶" not in lines[0] + lines[2]
        table.playing_key = None
        await pilot.pause()
        assert all("▶" not in table.render_line(y).text for y in (1, 2, 3))


def titles(table: TrackTable) -> list[str]:
    return [r.track.title for r in table.rows]


def shown_text(table: TrackTable, height: int) -> list[str]:
    return [table.render_line(y).text for y in range(height)]


async def test_s_sorts_by_each_way_and_back_and_o_reverses() -> None:
    rows = [
        Track(
            provider="jamendo",
            id="1",
            title="Bravo",
            artist_name="Zed",
            album_title="Mid",
            duration=200,
        ),
        Track(
            provider="jamendo",
            id="2",
            title="alpha",
            artist_name="Émile",
            album_title="Zoo",
            duration=None,
        ),
        Track(
            provider="jamendo",
            id="3",
            title="Charlie",
            artist_name="Adam",
            album_title="Abe",
            duration=100,
        ),
    ]
    app = TableApp(rows, editable=False)
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(TrackTable)
        await pilot.pause()  # mounted and focused before the first key
        assert titles(table) == ["Bravo", "alpha", "Charlie"]
        await pilot.press("S")
        assert titles(table) == ["alpha", "Bravo", "Charlie"]  # case does not count
        assert "Title ▲" in table.render_line(0).text
        await pilot.press("O")
        assert titles(table) == ["Charlie", "Bravo", "alpha"]
        assert "Title ▼" in table.render_line(0).text
        await pilot.press("S")  # artist, the accent does not count
        assert titles(table) == ["Charlie", "alpha", "Bravo"]
        await pilot.press("S")  # album
        assert titles(table) == ["Charlie", "Bravo", "alpha"]
        await pilot.press("S")  # length: a track of unknown length goes last
        assert titles(table) == ["Charlie", "Bravo", "alpha"]
        await pilot.press("O")
        assert titles(table) == ["Bravo", "Charlie", "alpha"]
        await pilot.press("S")  # and back to the list's own order
        assert titles(table) == ["Bravo", "alpha", "Charlie"]
        assert "▲" not in table.render_line(0).text and "▼" not in table.render_line(0).text
        assert "In the list's own order." in [n.message for n in app._notifications]


async def test_ctrl_f_filters_by_typing_fuzzily_and_escape_restores() -> None:
    app = TableApp(tracks(30), editable=False)
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(TrackTable)
        await pilot.pause()  # mounted and focused before the first key
        await pilot.press("ctrl+f", "s", "g", "space", "2", "5")  # "sg 25": Song 25 only
        assert titles(table) == ["Song 25"]
        header = table.render_line(0).text
        assert "Filter: sg 25" in header and "1 of 30" in header
        await pilot.press("backspace")  # "sg 2": a word starting with 2 in any field
        fields = [f"{t.title} {t.artist_name} {t.album_title}" for t in tracks(30)]
        expected = [f"Song {i}" for i, f in enumerate(fields) if " 2" in f]
        assert titles(table) == expected and "Song 20" in expected and len(expected) < 30
        await pilot.press("enter")  # keeps the filter; keys are the list's again
        await pilot.press("j", "enter")  # the cursor stayed on Song 25: the row after it
        [play] = [m for m in app.heard if isinstance(m, TrackTable.PlayRequested)]
        assert [t.title for t in play.tracks][play.start] == expected[expected.index("Song 25") + 1]
        await pilot.press("escape")
        assert titles(table) == [f"Song {i}" for i in range(30)]
        assert "Filter" not in table.render_line(0).text
        assert app.app_keys == []  # escape cleared the filter, it did not go back


async def test_a_move_while_sorted_or_filtered_is_refused_with_a_message() -> None:
    app = TableApp(tracks(5))
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(TrackTable)
        await pilot.pause()  # mounted and focused before the first key
        await pilot.press("S", "O")  # title, reversed: Song 4 first
        assert titles(table)[0] == "Song 4"
        sorted_note = [n.message for n in app._notifications]
        assert any("only a view" in m for m in sorted_note)
        await pilot.press("j", "K", "T", "shift+down")
        assert queued(app) == [str(i) for i in range(5)]  # the queue did not move
        refused = [n for n in app._notifications if n.message.startswith("Not moved")]
        assert refused and refused[-1].severity == "warning"
        assert not [m for m in app.heard if isinstance(m, TrackTable.Moved)]

        await pilot.press("S", "S", "S", "S")  # artist, album, length, its own order
        assert table.sort == ("own", False)
        # A filter refuses moves as well.
        await pilot.press("ctrl+f", "3", "enter", "K")
        assert queued(app) == [str(i) for i in range(5)]
        assert "filtered" in list(app._notifications)[-1].message
        await pilot.press("escape", "G", "K")  # back to the list: moves work
        assert app.session is not None
        await app.session.idle()
        assert queued(app) == ["0", "1", "2", "4", "3"]


async def test_sorting_and_filtering_ten_thousand_rows_keeps_the_keys_quick() -> None:
    app = TableApp([], editable=False)
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(TrackTable)
        await pilot.pause()  # mounted and focused before the first key
        table.show(tracks(10_000))
        await pilot.press("S", "O", "ctrl+f", "9", "9", "9")
        shown = titles(table)
        assert shown[0] == "Song 9999" and "Song 999" in shown and "Song 1234" not in shown
        assert all(t.split()[1].startswith("9") and t.count("9") >= 3 for t in shown)
