"""The playlist screens driven from the keyboard against the real demo server.

After each step the playlist on the server (the demo's own state) is checked,
not only what the screen shows.
"""

from __future__ import annotations

from setlist.core.models import Track
from setlist.core.playlist_edits import Changed, EditEvent, PlaylistSessions
from setlist.demo.server import DemoServer
from setlist.demo.ym_state import OTHER_PUBLIC_PLAYLIST_ID
from setlist.providers.yourmusic import YourMusicClient
from setlist.ui.screens.playlist import EMPTY, PlaylistView
from setlist.ui.screens.playlist_picker import PlaylistNameScreen, PlaylistPicker
from setlist.ui.screens.playlists import PlaylistsView
from setlist.ui.widgets.track_table import TrackTable
from ui_playlist_support import (
    PlaylistScreen,
    PlaylistsScreen,
    ResultsScreen,
    ScreenApp,
    server_playlist,
    server_track_ids,
    writes,
)
from waiting import wait_until

WEIRD_NAMES = "531639f0-767d-5aa6-8b79-7bd2998c07df"


def shown(table: TrackTable) -> list[str]:
    return [r.track.id for r in table.rows]


def playlist_view(app: ScreenApp) -> PlaylistView:
    return app.screen.query_one(PlaylistView)


async def loaded_view(app: ScreenApp, pilot) -> PlaylistView:
    """The playlist screen's view, once its tracks are in and its table has the focus."""
    await wait_until(lambda: app.screen.query(PlaylistView), pilot=pilot)
    view = playlist_view(app)
    await wait_until(lambda: view.session is not None and app.focused is view.table, pilot=pilot)
    await pilot.pause()
    return view


async def open_playlist(app: ScreenApp, pilot, sessions: PlaylistSessions, playlist_id: str):
    app.push_screen(PlaylistScreen(playlist_id, sessions))
    return (await loaded_view(app, pilot)).table


async def test_add_through_the_picker_move_remove_and_undo_with_the_keys(
    server: DemoServer, client: YourMusicClient
) -> None:
    road = await client.create_playlist("Road trip")
    await client.replace_tracks(road.id, ["3000", "3001", "3002"])
    found = [await client.track("3010"), await client.track("3011")]
    sessions = PlaylistSessions(client)
    app = ScreenApp(lambda: ResultsScreen(found, sessions))

    async def server_after_edits() -> list[str]:
        session = sessions.get(road.id)
        assert session is not None
        await session.idle()
        return server_track_ids(server, road.id)

    async with app.run_test(size=(100, 30)) as pilot:
        # + on "Søvnløs i København": the picker, filtered to the playlist, Enter.
        await wait_until(lambda: app.screen.query(TrackTable), pilot=pilot)
        await pilot.press("plus")
        await wait_until(lambda: isinstance(app.screen, PlaylistPicker), pilot=pilot)
        picker = app.screen
        assert isinstance(picker, PlaylistPicker)
        await wait_until(lambda: picker.playlists, pilot=pilot)
        await pilot.press(*"road", "enter")
        await wait_until(lambda: not isinstance(app.screen, PlaylistPicker), pilot=pilot)
        await wait_until(lambda: sessions.get(road.id) is not None, pilot=pilot)
        assert await server_after_edits() == ["3000", "3001", "3002", "3010"]
        assert ("information", "Added “Søvnløs i København” to “Road trip”.") in app.notes

        table = await open_playlist(app, pilot, sessions, road.id)
        assert shown(table) == ["3000", "3001", "3002", "3010"]
        await pilot.press("G")
        since = len(server.requests)

        server.faults.add("/yourmusic/playlists/*", "latency", delay=0.5, method="PATCH", times=1)
        await pilot.press("K")  # up
        assert shown(table) == ["3000", "3001", "3010", "3002"]  # at once, before the server
        assert server_track_ids(server, road.id) == ["3000", "3001", "3002", "3010"]
        assert await server_after_edits() == ["3000", "3001", "3010", "3002"]
        assert [r.method for r in writes(server, since)] == ["PATCH"]  # one PATCH per move

        await pilot.press("shift+up")
        assert await server_after_edits() == ["3000", "3010", "3001", "3002"]
        await pilot.press("J")  # down
        assert await server_after_edits() == ["3000", "3001", "3010", "3002"]
        await pilot.press("shift+down")
        assert await server_after_edits() == ["3000", "3001", "3002", "3010"]
        await pilot.press("T")  # to the top
        assert await server_after_edits() == ["3010", "3000", "3001", "3002"]
        assert [r.method for r in writes(server, since)] == ["PATCH"] * 5
        assert table.cursor_row == 0  # the cursor went with the track

        await pilot.press("d")
        assert shown(table) == ["3000", "3001", "3002"]
        assert await server_after_edits() == ["3000", "3001", "3002"]

        await pilot.press("u")  # the remove
        assert await server_after_edits() == ["3010", "3000", "3001", "3002"]
        await pilot.press("u")  # the move to the top
        assert await server_after_edits() == ["3000", "3001", "3002", "3010"]
        assert shown(table) == server_track_ids(server, road.id)


async def test_several_selected_tracks_move_and_go_together(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = (await client.create_playlist("Selection")).id
    await client.replace_tracks(pid, ["3000", "3001", "3002", "3003", "3004"])
    sessions = PlaylistSessions(client)
    app = ScreenApp(lambda: PlaylistScreen(pid, sessions))
    async with app.run_test(size=(100, 30)) as pilot:
        view = await loaded_view(app, pilot)
        table = view.table
        await pilot.press("j", "v", "j")  # rows 2 and 3, as a range
        assert len(table.selected_keys) == 2
        await pilot.press("B")  # to the bottom
        await view.session.idle()
        assert server_track_ids(server, pid) == ["3000", "3003", "3004", "3001", "3002"]
        await pilot.press("escape")
        assert table.selected_keys == []
        await pilot.press("g", "space", "space", "d")  # the first two, picked one by one
        await view.session.idle()
        assert server_track_ids(server, pid) == ["3004", "3001", "3002"]


async def test_a_refused_edit_rolls_back_on_screen_and_says_why(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = await client.create_playlist("Refused")
    await client.replace_tracks(pid.id, ["3000", "3001", "3002"])
    sessions = PlaylistSessions(client)
    app = ScreenApp(lambda: PlaylistScreen(pid, sessions))
    server.faults.add(
        "/yourmusic/playlists/*/tracks/*", "status", status=503, method="PATCH", times=1
    )
    async with app.run_test(size=(100, 30)) as pilot:
        view = await loaded_view(app, pilot)
        events: list[EditEvent] = []
        view.session.subscribe(events.append)
        await pilot.press("J")
        await view.session.idle()
        await pilot.pause()
        assert shown(view.table) == ["3000", "3001", "3002"] == server_track_ids(server, pid.id)
        [message] = [m for severity, m in app.notes if severity == "error"]
        assert message.startswith("Could not move “Morning Tone” down: YourMusic had a problem")
        assert message.endswith("It is undone.")
        assert [type(e).__name__ for e in events] == ["Changed", "Changed", "Refused"]
        assert events[0] == Changed("edit") and events[1] == Changed("rollback")
        assert "last change undone" in str(view.query_one("#playlist-meta").render())
        assert view.table.cursor_row == 0  # the cursor is back on the track


async def test_a_remove_after_a_change_elsewhere_is_saved_and_shown_as_the_server_has_it(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = (await client.create_playlist("Changed elsewhere")).id
    await client.replace_tracks(pid, ["3000", "3001", "3002"])
    sessions = PlaylistSessions(client)
    app = ScreenApp(lambda: PlaylistScreen(pid, sessions))
    async with app.run_test(size=(100, 30)) as pilot:
        view = await loaded_view(app, pilot)
        await client.add_track(pid, "3010")  # `setlist playlists add` in another terminal
        await pilot.press("d")  # "Morning Tone"
        await view.session.idle()
        await pilot.pause()
        assert server_track_ids(server, pid) == ["3001", "3002", "3010"]
        assert shown(view.table) == ["3001", "3002", "3010"]
        assert view.session.backend_ids() == [
            e.id for e in await client.playlist_entries(pid)
        ]  # the next edit names the rows the server has
    assert [m for s, m in app.notes if s == "error"] == []  # no "Not saved" for a saved edit
    [note] = [m for s, m in app.notes if s == "warning"]
    assert note.startswith("Saved: remove “Morning Tone”.")
    assert "changed elsewhere" in note


async def test_after_a_refused_move_the_view_shows_the_servers_list(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = (await client.create_playlist("Deleted elsewhere")).id
    await client.replace_tracks(pid, ["3000", "3001", "3002"])
    sessions = PlaylistSessions(client)
    app = ScreenApp(lambda: PlaylistScreen(pid, sessions))
    async with app.run_test(size=(100, 30)) as pilot:
        view = await loaded_view(app, pilot)
        entries = await client.playlist_entries(pid)
        await client.remove_entries(pid, [entries[2].id])  # removed in another terminal
        await pilot.press("J")  # the rows were renumbered: the server no longer knows this one
        await view.session.idle()
        await pilot.pause()
        assert shown(view.table) == ["3000", "3001"] == server_track_ids(server, pid)
        [message] = [m for s, m in app.notes if s == "error"]
        assert message.startswith("Could not move “Morning Tone” down: ")
        assert "Playlist track not found." in message
        assert message.endswith("The list was read again from the server.")
        await pilot.press("J")  # the same move, now on the server's rows, is saved
        await view.session.idle()
        assert server_track_ids(server, pid) == ["3001", "3000"] == shown(view.table)


async def test_someone_elses_playlist_is_read_only(server: DemoServer, client: YourMusicClient):
    sessions = PlaylistSessions(client)
    app = ScreenApp(lambda: PlaylistScreen(OTHER_PUBLIC_PLAYLIST_ID, sessions))
    before = server_track_ids(server, OTHER_PUBLIC_PLAYLIST_ID)
    since = len(server.requests)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await loaded_view(app, pilot)
        await pilot.press("J", "d", "R", "P")
        assert shown(view.table) == before
        assert not isinstance(app.screen, PlaylistNameScreen)
    assert writes(server, since) == []
    warnings = [m for s, m in app.notes if s == "warning"]
    assert warnings and all("belongs to someone else" in m for m in warnings)


async def test_an_empty_playlist_says_how_to_fill_it(client: YourMusicClient) -> None:
    pid = (await client.create_playlist("Nothing yet")).id
    app = ScreenApp(lambda: PlaylistScreen(pid, PlaylistSessions(client)))
    async with app.run_test(size=(100, 30)) as pilot:
        view = await loaded_view(app, pilot)
        await pilot.pause()
        note = view.query_one("#playlist-note")
        assert note.display and str(note.render()) == EMPTY


async def test_hostile_titles_appear_literally(client: YourMusicClient) -> None:
    app = ScreenApp(lambda: PlaylistScreen(WEIRD_NAMES, PlaylistSessions(client)))
    async with app.run_test(size=(200, 30)) as pilot:
        view = await loaded_view(app, pilot)
        await pilot.pause()
        lines = [view.table.render_line(y).text for y in range(1, 8)]
        title = str(view.query_one("#playlist-title").render())
    assert title == "[bold]Weird[/bold] Names"
    assert "[bold]Not Bold[/bold]" in lines[0]
    assert "Close [/] Early" in lines[1]
    assert "Escape ␛[31mRed␛[0m Song" in lines[2]  # the escape sequences are shown, not sent
    assert "Bell␇ and Tab  Title" in lines[3]
    assert "[@click=app.quit]Don't Quit[/]" in lines[4]
    assert "Back\\slash 100% {braces} $HOME" in lines[5]
    assert all("\x1b" not in line and "\x07" not in line for line in lines)
    assert app.is_running is False  # nothing quit the app early: the test ended it


async def test_the_playlists_screen_creates_renames_finds_and_opens(
    server: DemoServer, client: YourMusicClient
) -> None:
    sessions = PlaylistSessions(client)
    app = ScreenApp(lambda: PlaylistsScreen(sessions))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: app.screen.query(PlaylistsView), pilot=pilot)
        view = app.screen.query_one(PlaylistsView)
        await wait_until(lambda: view.table.items, pilot=pilot)
        assert "Morning Commute" in [p.name for p in view.table.items]

        await pilot.press("n")
        await wait_until(lambda: isinstance(app.screen, PlaylistNameScreen), pilot=pilot)
        await pilot.press("enter")  # no name yet: it says so and stays
        assert "Give the playlist a name." in str(app.screen.query_one(".error").render())
        await pilot.press(*"Late night", "enter")
        await wait_until(lambda: any(p.name == "Late night" for p in view.table.items), pilot=pilot)
        created = view.table.cursor_item
        assert created is not None and created.name == "Late night" and created.owned
        assert server_playlist(server, created.id) == ("Late night", False)

        await pilot.press("R")
        await wait_until(lambda: isinstance(app.screen, PlaylistNameScreen), pilot=pilot)
        await pilot.press(*"Late owls", "enter")  # the old name is selected: typing replaces it
        await wait_until(lambda: server_playlist(server, created.id)[0] == "Late owls", pilot=pilot)
        await pilot.press("P")
        await wait_until(
            lambda: server_playlist(server, created.id) == ("Late owls", True), pilot=pilot
        )
        await wait_until(
            lambda: view.table.cursor_item and view.table.cursor_item.public, pilot=pilot
        )
        assert view.table.cursor_item.name == "Late owls"

        await pilot.press("f", *"road trip", "enter")
        await wait_until(
            lambda: "Robin's Road Trip" in [p.name for p in view.table.items], pilot=pilot
        )
        robin = next(p for p in view.table.items if p.name == "Robin's Road Trip")
        assert not robin.owned
        view.table.move_cursor(row=view.table.items.index(robin))
        await pilot.press("enter")
        opened = await loaded_view(app, pilot)
        assert opened.session.name == "Robin's Road Trip" and not opened.session.editable
        meta = str(opened.query_one("#playlist-meta").render())
        assert meta.startswith("Public · someone else's (read-only) · 3 tracks")


async def test_the_picker_makes_a_new_playlist_for_the_tracks(
    server: DemoServer, client: YourMusicClient
) -> None:
    found = [await client.track("3020")]
    sessions = PlaylistSessions(client)
    app = ScreenApp(lambda: ResultsScreen(found, sessions))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: app.screen.query(TrackTable), pilot=pilot)
        await pilot.press("plus")
        await wait_until(lambda: isinstance(app.screen, PlaylistPicker), pilot=pilot)
        picker = app.screen
        await wait_until(lambda: picker.playlists, pilot=pilot)
        await pilot.press(*"Seoul mix")
        options = picker.query_one("#choices")
        assert options.option_count == 1  # nothing matches: only "+ New playlist “Seoul mix”"
        assert "New playlist “Seoul mix”" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await wait_until(lambda: any("to “Seoul mix”" in m for _, m in app.notes), pilot=pilot)
    mine = await client.my_playlists()
    [made] = [p for p in mine if p.name == "Seoul mix"]
    assert server_track_ids(server, made.id) == ["3020"]


async def test_escape_closes_the_picker_without_adding(server: DemoServer, client: YourMusicClient):
    found = [await client.track("3020")]
    app = ScreenApp(lambda: ResultsScreen(found, PlaylistSessions(client)))
    since = len(server.requests)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: app.screen.query(TrackTable), pilot=pilot)
        await pilot.press("plus")
        await wait_until(lambda: isinstance(app.screen, PlaylistPicker), pilot=pilot)
        await pilot.press("escape")
        await wait_until(lambda: isinstance(app.screen, ResultsScreen), pilot=pilot)
    assert writes(server, since) == []


JAMENDO_TRACK = Track(provider="jamendo", id="1001", title="Jamendo Song", artist_name="Someone")


async def test_tracks_of_another_catalog_are_skipped_and_the_count_is_true(
    server: DemoServer, client: YourMusicClient
) -> None:
    ours = [await client.track(t) for t in ("3020", "3021", "3022")]
    found = [ours[0], ours[1], JAMENDO_TRACK, ours[2]]
    app = ScreenApp(lambda: ResultsScreen(found, PlaylistSessions(client)))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: app.screen.query(TrackTable), pilot=pilot)
        await pilot.press("space", "space", "space", "space", "plus")  # all four picked
        await wait_until(lambda: isinstance(app.screen, PlaylistPicker), pilot=pilot)
        picker = app.screen
        title = str(picker.query_one(".title").render())
        assert title == "Add 3 tracks to a playlist (1 Jamendo track skipped)"
        await wait_until(lambda: picker.playlists, pilot=pilot)
        await pilot.press(*"Mixed bag", "enter")
        await wait_until(lambda: any("“Mixed bag”" in m for _, m in app.notes), pilot=pilot)
    [made] = [p for p in await client.my_playlists() if p.name == "Mixed bag"]
    assert server_track_ids(server, made.id) == ["3020", "3021", "3022"]
    assert [s for s, _ in app.notes] == ["information"]  # no "Not saved" for what was saved
    assert app.notes[0][1] == (
        "Added 3 tracks to “Mixed bag”. 1 Jamendo track skipped: "
        "YourMusic playlists hold YourMusic tracks only."
    )


async def test_a_track_no_playlist_can_hold_is_not_offered(
    server: DemoServer, client: YourMusicClient
) -> None:
    app = ScreenApp(lambda: ResultsScreen([JAMENDO_TRACK], PlaylistSessions(client)))
    since = len(server.requests)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(lambda: app.screen.query(TrackTable), pilot=pilot)
        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)  # no picker
    assert writes(server, since) == []
    assert app.notes == [
        ("warning", "YourMusic playlists hold YourMusic tracks only: this track cannot go in one.")
    ]


async def test_a_sorted_playlist_is_a_view_and_refuses_moves_on_the_server_too(
    server: DemoServer, client: YourMusicClient
) -> None:
    road = await client.create_playlist("Sorted road")
    await client.replace_tracks(road.id, ["3002", "3000", "3001"])
    sessions = PlaylistSessions(client)
    app = ScreenApp(lambda: ResultsScreen([], sessions))
    async with app.run_test(size=(100, 30)) as pilot:
        table = await open_playlist(app, pilot, sessions, road.id)
        titles = [r.track.title for r in table.rows]
        await pilot.press("S")  # by title: a view only, and it says so
        assert [r.track.title for r in table.rows] == sorted(titles, key=str.casefold)
        assert any("only a view" in text for _, text in app.notes)
        since = len(server.requests)
        await pilot.press("G", "K", "T")
        session = sessions.get(road.id)
        assert session is not None
        await session.idle()
        assert writes(server, since) == []  # no move reached the server
        assert server_track_ids(server, road.id) == ["3002", "3000", "3001"]
        assert any(level == "warning" and text.startswith("Not moved") for level, text in app.notes)
        await pilot.press("S", "S", "S", "S")  # back to the playlist's own order
        assert shown(table) == ["3002", "3000", "3001"]
