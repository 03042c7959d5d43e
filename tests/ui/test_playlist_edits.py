"""Edit sessions against the real demo server: optimistic edits, one PATCH per move,
rollback of refused edits, undo, and edits sent one at a time in order."""

from __future__ import annotations

from itertools import pairwise

from setlist.core.errors import PermissionDenied, ServerError
from setlist.core.models import Track
from setlist.core.playlist_edits import (
    Changed,
    EditEvent,
    EditSession,
    Refused,
    Saved,
)
from setlist.core.queue import Queue
from setlist.demo.server import DemoServer
from setlist.demo.ym_state import OTHER_PUBLIC_PLAYLIST_ID
from setlist.demo.yourmusic import state_of
from setlist.providers.yourmusic import YourMusicClient
from ui_playlist_support import LocalQueue, server_playlist, server_track_ids, writes

TONES = ["3000", "3001", "3002", "3003", "3004"]


async def new_playlist(client: YourMusicClient, track_ids: list[str] = TONES) -> str:
    playlist = await client.create_playlist("Edit me")
    await client.replace_tracks(playlist.id, track_ids)
    return playlist.id


def local_ids(session: EditSession) -> list[str]:
    return [r.track.id for r in session.rows]


def record(session: EditSession) -> list[EditEvent]:
    events: list[EditEvent] = []
    session.subscribe(events.append)
    return events


async def test_a_move_shows_at_once_and_reaches_the_server_as_one_patch(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    first = session.rows[0].key
    since = len(server.requests)

    assert session.move_down([first])
    assert local_ids(session) == ["3001", "3000", "3002", "3003", "3004"]  # before any answer
    await session.idle()

    assert server_track_ids(server, pid) == ["3001", "3000", "3002", "3003", "3004"]
    sent = writes(server, since)
    assert [(r.method, r.path.rsplit("/", 2)[-2]) for r in sent] == [("PATCH", "tracks")]


async def test_to_top_and_to_bottom_are_one_patch_each(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    third, fourth = session.rows[2].key, session.rows[3].key
    since = len(server.requests)

    session.move_to_top([fourth])
    session.move_to_bottom([third])
    await session.idle()

    assert server_track_ids(server, pid) == ["3003", "3000", "3001", "3004", "3002"]
    assert local_ids(session) == server_track_ids(server, pid)
    assert [r.method for r in writes(server, since)] == ["PATCH", "PATCH"]


async def test_several_selected_rows_move_together(client: YourMusicClient, server: DemoServer):
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    picked = [session.rows[1].key, session.rows[3].key]

    session.move_up(picked)
    assert local_ids(session) == ["3001", "3000", "3003", "3002", "3004"]
    session.move_to_bottom(picked)
    assert local_ids(session) == ["3000", "3002", "3004", "3001", "3003"]
    assert not session.move_down(picked)  # already at the bottom: nothing to do
    await session.idle()
    assert server_track_ids(server, pid) == local_ids(session)


async def test_undo_walks_back_through_moves_removes_and_adds(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    keys = [r.key for r in session.rows]

    session.move_to_top([keys[4]])
    session.remove([keys[1], keys[2]])
    session.add([await client.track("3010")])
    await session.idle()
    assert server_track_ids(server, pid) == ["3004", "3000", "3003", "3010"]

    session.undo()  # the add
    await session.idle()
    assert server_track_ids(server, pid) == ["3004", "3000", "3003"]
    session.undo()  # the remove: the rows come back where they were
    await session.idle()
    assert server_track_ids(server, pid) == ["3004", "3000", "3001", "3002", "3003"]
    # The remove renumbered every row on the server; the move's undo still finds its row.
    session.undo()
    await session.idle()
    assert server_track_ids(server, pid) == TONES
    assert local_ids(session) == TONES
    assert not session.can_undo and not session.undo()


async def test_rename_and_visibility_with_undo(server: DemoServer, client: YourMusicClient):
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)

    session.rename("Road songs")
    session.set_public(True)
    assert (session.name, session.public) == ("Road songs", True)
    await session.idle()
    assert server_playlist(server, pid) == ("Road songs", True)

    session.undo()
    session.undo()
    await session.idle()
    assert server_playlist(server, pid) == ("Edit me", False)
    assert (session.name, session.public) == ("Edit me", False)


async def test_a_refused_move_rolls_back_and_says_why(server: DemoServer, client: YourMusicClient):
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    events = record(session)
    server.faults.add(
        "/yourmusic/playlists/*/tracks/*", "status", status=503, method="PATCH", times=1
    )

    session.move_down([session.rows[0].key])
    assert local_ids(session)[:2] == ["3001", "3000"]
    await session.idle()

    assert local_ids(session) == TONES == server_track_ids(server, pid)
    refused = [e for e in events if isinstance(e, Refused)]
    assert len(refused) == 1 and isinstance(refused[0].error, ServerError)
    assert refused[0].message.startswith("Could not move “Morning Tone” down: ")
    assert "HTTP 503" in refused[0].message and refused[0].message.endswith("It is undone.")
    assert Changed("rollback") in events
    assert not session.can_undo  # the refused edit left no trace in the history


async def test_edits_queued_after_a_refused_one_are_dropped_with_it(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    session.rename("Kept")
    await session.idle()
    events = record(session)
    server.faults.add(
        "/yourmusic/playlists/*/tracks/*", "status", status=500, method="PATCH", times=1
    )

    first = session.rows[0].key
    session.move_down([first])
    session.move_down([first])
    session.remove([session.rows[4].key])
    await session.idle()

    assert local_ids(session) == TONES == server_track_ids(server, pid)
    [refused] = [e for e in events if isinstance(e, Refused)]
    assert refused.dropped == 2 and "with the 2 changes made after it" in refused.message
    session.undo()  # the history is what it was: the rename is the last edit
    await session.idle()
    assert server_playlist(server, pid)[0] == "Edit me"


async def test_editing_someone_elses_playlist_is_refused_and_rolled_back(
    server: DemoServer, client: YourMusicClient
) -> None:
    session = await EditSession.open_playlist(client, OTHER_PUBLIC_PLAYLIST_ID)
    assert not session.editable
    before = server_track_ids(server, OTHER_PUBLIC_PLAYLIST_ID)
    events = record(session)

    session.move_to_bottom([session.rows[0].key])
    await session.idle()

    assert local_ids(session) == before == server_track_ids(server, OTHER_PUBLIC_PLAYLIST_ID)
    [refused] = [e for e in events if isinstance(e, Refused)]
    assert isinstance(refused.error, PermissionDenied)
    assert "belongs to someone else" in refused.message


async def test_edits_reach_the_server_one_at_a_time_in_order(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    server.faults.add("/yourmusic/playlists/*/tracks/*", "latency", delay=0.15, method="PATCH")
    events = record(session)
    since = len(server.requests)
    last = session.rows[4].key

    for _ in range(3):
        session.move_up([last])
    assert local_ids(session) == ["3000", "3004", "3001", "3002", "3003"]
    await session.idle()

    assert server_track_ids(server, pid) == ["3000", "3004", "3001", "3002", "3003"]
    patches = [r for r in writes(server, since) if r.method == "PATCH"]
    gaps = [b.at - a.at for a, b in pairwise(patches)]
    assert len(patches) == 3 and all(gap >= 0.14 for gap in gaps)  # never two at once
    saved = [e for e in events if isinstance(e, Saved)]
    assert [e.label for e in saved] == ["move “Twilight Tone” up"] * 3


async def test_a_half_done_edit_reads_the_list_again(server: DemoServer, client: YourMusicClient):
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    events = record(session)
    second_step_row = session.backend_ids()[1]
    server.faults.add(f"/yourmusic/playlists/*/tracks/{second_step_row}", "status", method="PATCH")

    session.move_to_bottom([session.rows[1].key, session.rows[3].key])  # row 4 first, then 2
    await session.idle()

    assert server_track_ids(server, pid) == ["3000", "3001", "3002", "3004", "3003"]
    assert local_ids(session) == server_track_ids(server, pid)
    [refused] = [e for e in events if isinstance(e, Refused)]
    assert refused.reloaded and refused.message.endswith("read again from the server.")


def tracks(n: int) -> list[Track]:
    return [Track(provider="local", id=str(i), title=f"Song {i}") for i in range(n)]


async def test_the_same_session_edits_the_queue() -> None:
    queue = Queue()
    queue.append(tracks(4))
    session = EditSession.for_queue(LocalQueue(queue))
    keys = [r.key for r in session.rows]

    session.move_to_top([keys[3]])
    session.remove([keys[0], keys[1]])
    await session.idle()
    assert [e.track.id for e in queue.entries] == ["3", "2"]
    assert session.matches_backend([e.id for e in queue.entries])

    session.undo()
    await session.idle()
    assert [e.track.id for e in queue.entries] == ["3", "0", "1", "2"]
    session.undo()
    await session.idle()
    assert [e.track.id for e in queue.entries] == ["0", "1", "2", "3"]
    assert local_ids(session) == ["0", "1", "2", "3"]
    assert not session.rename("Nope")  # the queue has no name


async def test_a_remove_of_a_row_renumbered_elsewhere_is_refused_not_claimed(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    events = record(session)
    entries = await client.playlist_entries(pid)
    await client.remove_entries(pid, [entries[4].id])  # elsewhere: every row gets a new id

    session.remove([session.rows[1].key])  # same count left as the server holds: no clue there
    await session.idle()

    assert server_track_ids(server, pid) == ["3000", "3001", "3002", "3003"]  # nothing removed
    assert local_ids(session) == server_track_ids(server, pid)
    assert not [e for e in events if isinstance(e, Saved)]
    [refused] = [e for e in events if isinstance(e, Refused)]
    assert refused.reloaded and "Nothing was removed." in refused.message


def server_entry_ids(server: DemoServer, playlist_id: str) -> dict[str, str]:
    """Track id -> entry id of each row on the server (the tracks here are all different)."""
    state = state_of(server.ctx)
    with state.lock:
        return {e.track_id: e.id for e in state.playlists[playlist_id].entries}


async def test_undoing_a_remove_keeps_the_entry_ids_of_the_rows_that_stayed(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    session.remove([session.rows[1].key, session.rows[3].key])
    await session.idle()
    stayed = server_entry_ids(server, pid)  # a removal rewrites the playlist: new ids
    assert list(stayed) == ["3000", "3002", "3004"]

    session.undo()
    await session.idle()

    assert server_track_ids(server, pid) == TONES
    now = server_entry_ids(server, pid)
    assert {t: now[t] for t in stayed} == stayed  # `setlist playlists show` ids still hold
    assert session.backend_ids() == [now[t] for t in TONES]
    session.move_to_top([session.rows[3].key])  # the put-back rows are known by their new ids
    await session.idle()
    assert server_track_ids(server, pid) == ["3003", "3000", "3001", "3002", "3004"]


async def test_a_refused_move_changes_no_entry_id(server: DemoServer, client: YourMusicClient):
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    before = server_entry_ids(server, pid)
    server.faults.add(
        "/yourmusic/playlists/*/tracks/*", "status", status=503, method="PATCH", times=1
    )

    session.move_down([session.rows[0].key])
    await session.idle()

    assert server_entry_ids(server, pid) == before
    assert session.backend_ids() == list(before.values())


async def test_an_edit_whose_answer_was_lost_is_saved_not_refused(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    events = record(session)
    server.faults.add("/yourmusic/playlists/*/tracks/*", "drop", method="PATCH", times=1)

    session.move_down([session.rows[0].key])  # the server moves it; its answer is cut off
    session.move_to_bottom([session.rows[2].key])  # made meanwhile: still sent
    await session.idle()

    assert server_track_ids(server, pid) == ["3001", "3000", "3003", "3004", "3002"]
    assert local_ids(session) == server_track_ids(server, pid)
    assert not [e for e in events if isinstance(e, Refused)]
    saved = [e.label for e in events if isinstance(e, Saved)]
    assert saved == ["move “Morning Tone” down", "move “Noon Tone” to the bottom"]
    assert session.can_undo


async def test_edits_made_after_a_remove_on_a_list_changed_elsewhere_are_reported(
    server: DemoServer, client: YourMusicClient
) -> None:
    pid = await new_playlist(client)
    session = await EditSession.open_playlist(client, pid)
    events = record(session)
    await client.add_track(pid, "3010")  # elsewhere

    session.remove([session.rows[0].key])  # saved, on a list that had changed
    session.move_down([session.rows[0].key])  # made on the list shown: not sent
    await session.idle()

    assert server_track_ids(server, pid) == ["3001", "3002", "3003", "3004", "3010"]
    assert local_ids(session) == server_track_ids(server, pid)
    [saved] = [e for e in events if isinstance(e, Saved)]
    assert saved.label == "remove “Morning Tone”" and "changed elsewhere" in saved.note
    [refused] = [e for e in events if isinstance(e, Refused)]
    assert refused.label == "move “Evening Tone” down"
    assert "not sent" in refused.message
