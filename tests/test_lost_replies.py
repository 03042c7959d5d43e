"""A write whose reply is lost: the server is read to learn what happened, so that
trying again does not make a second playlist or add a track twice."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from setlist.core.errors import NetworkError
from setlist.demo.server import DemoServer
from setlist.providers.yourmusic import YourMusicClient
from yourmusic_support import calls, client_for, memory_store


@pytest.fixture
async def client(
    server: DemoServer, secrets: dict[tuple[str, str], str]
) -> AsyncIterator[YourMusicClient]:
    server.faults.clear()
    async with client_for(server, memory_store(secrets)) as c:
        yield c
    server.faults.clear()


@pytest.mark.fault(
    "the reply to creating a playlist is lost",
    "setlist reads the server and finds it; no second playlist",
)
async def test_a_created_playlist_whose_reply_is_lost_is_found_not_made_twice(
    client: YourMusicClient, server: DemoServer
) -> None:
    server.faults.add("/yourmusic/playlists", "drop", method="POST", times=1)

    created = await client.create_playlist("Lost Reply")

    assert created.name == "Lost Reply"
    assert len(calls(server, "POST", "/yourmusic/playlists")) == 1
    named = [p for p in await client.my_playlists() if p.name == "Lost Reply"]
    assert [p.id for p in named] == [created.id]


@pytest.mark.fault(
    "the reply to adding a track is lost",
    "setlist reads the server and finds it; no second copy",
)
async def test_an_added_track_whose_reply_is_lost_is_found_not_added_twice(
    client: YourMusicClient, server: DemoServer
) -> None:
    playlist = await client.create_playlist("Lost Add")
    await client.add_track(playlist.id, "3000")
    server.faults.add(f"/yourmusic/playlists/{playlist.id}/tracks", "drop", method="POST", times=1)

    added = await client.add_track(playlist.id, "3001")

    assert (added.track_id, added.order) == ("3001", 2)
    entries = await client.playlist_entries(playlist.id)
    assert [e.track_id for e in entries] == ["3000", "3001"]


async def test_a_lost_write_that_did_not_happen_says_so(
    client: YourMusicClient, server: DemoServer
) -> None:
    playlist = await client.create_playlist("Lost Before")
    # The request never reaches the playlist: the server drops it before answering.
    server.faults.add(f"/yourmusic/playlists/{playlist.id}/tracks", "drop", method="POST", times=1)
    server.faults.add(f"/yourmusic/playlists/{playlist.id}/tracks", "status", method="GET")
    with pytest.raises(NetworkError) as caught:
        await client.add_track(playlist.id, "3001")
    assert "not known whether" in str(caught.value)
    assert "look at the playlist before trying again" in str(caught.value)


async def test_a_lost_reply_to_a_write_that_can_be_repeated_says_so(
    client: YourMusicClient, server: DemoServer
) -> None:
    playlist = await client.create_playlist("Lost Rename")
    server.faults.add(f"/yourmusic/playlists/{playlist.id}", "drop", method="PATCH", times=1)
    with pytest.raises(NetworkError) as caught:
        await client.update_playlist(playlist.id, name="Renamed")
    assert "trying again is safe" in str(caught.value).lower()


async def test_a_lost_reply_to_a_write_that_was_not_applied_says_nothing_changed(
    client: YourMusicClient, server: DemoServer
) -> None:
    playlist = await client.create_playlist("Lost Refusal")
    await client.add_track(playlist.id, "3000")
    # The server refuses the unknown track; that refusal is what gets lost.
    server.faults.add(f"/yourmusic/playlists/{playlist.id}/tracks", "drop", method="POST", times=1)
    with pytest.raises(NetworkError) as caught:
        await client.add_track(playlist.id, "999999")
    assert str(caught.value).endswith("Nothing changed (it was not added); try again.")
    assert [e.track_id for e in await client.playlist_entries(playlist.id)] == ["3000"]
