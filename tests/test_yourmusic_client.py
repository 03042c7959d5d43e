"""YourMusicClient against the demo server over real HTTP: every method, every fault kind."""

from __future__ import annotations

import io
import time
from collections.abc import AsyncIterator

import httpx
import msgspec
import pytest
from PIL import Image

from setlist.core.errors import (
    BadResponse,
    InvalidRequest,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
)
from setlist.core.models import COVER_PIXELS
from setlist.core.protocols import CatalogProvider, PlaylistEditor
from setlist.demo.catalog import DEMO_EMAIL, DEMO_TENANT_SLUG, media_dir
from setlist.demo.server import DemoServer
from setlist.providers.yourmusic import YourMusicAuth, YourMusicClient, wire
from setlist.store.secret_fallbacks import MemoryStore
from yourmusic_support import FAST_RETRY, calls, client_for, memory_store

MORNING_COMMUTE = "c76d0ae5-4748-5f7e-85fb-910641a32540"
ROBINS_ROAD_TRIP = "5e7c0d1a-9a57-4c39-8d43-2f6f2b1c2001"
TWO_VARIANT_TRACK = "3000"  # 48 and 128 kbit/s renditions
ONE_VARIANT_TRACK = "3002"


@pytest.fixture
async def client(
    server: DemoServer, secrets: dict[tuple[str, str], str]
) -> AsyncIterator[YourMusicClient]:
    async with client_for(server, memory_store(secrets)) as c:
        yield c


@pytest.fixture
async def guest(server: DemoServer) -> AsyncIterator[YourMusicClient]:
    async with client_for(server, MemoryStore()) as c:
        yield c


def test_the_client_is_a_catalog_provider_and_playlist_editor(server: DemoServer) -> None:
    client = YourMusicClient(server.yourmusic_url, DEMO_TENANT_SLUG)
    assert isinstance(client, CatalogProvider)
    assert isinstance(client, PlaylistEditor)
    assert client.name == "yourmusic"


# -- home and account


async def test_guest_home_uses_the_tenant_and_skips_unknown_modules(
    guest: YourMusicClient, server: DemoServer
) -> None:
    modules = await guest.home()
    titles = [m.title for m in modules]
    assert titles == [
        "Featured playlists",
        "New releases",
        "Popular tracks",
        "Artists",
        "Continue listening",
    ]
    assert "podcast_shelf" not in {m.type for m in modules}
    featured = modules[0].items
    assert "Morning Commute" in [i.name for i in featured]
    assert calls(server, "GET", "/home")[-1].authorization is None


async def test_signed_in_home_shows_the_users_playlists(client: YourMusicClient) -> None:
    modules = await client.home()
    assert modules[0].title == "Your playlists"
    assert [i.name for i in modules[0].items] == [
        "Morning Commute",
        "Tone Ladder",
        "🌍 World Tour",
        "[bold]Weird[/bold] Names",
    ]
    tracks = next(m for m in modules if m.type == "track_list").items
    assert tracks[0].track_id == "3000"
    assert tracks[0].name == "Morning Tone"


async def test_me_and_update_me(client: YourMusicClient) -> None:
    me = await client.me()
    assert me.email == DEMO_EMAIL
    assert me.display_name == "Demo Listener"
    changed = await client.update_me(first_name="Dee")
    try:
        assert changed.display_name == "Dee Listener"
        assert (await client.me()).first_name == "Dee"
    finally:
        await client.update_me(first_name="Demo")


async def test_checkout_gives_a_payment_url_and_rejects_foreign_redirects(
    client: YourMusicClient, server: DemoServer
) -> None:
    url = await client.checkout("premium")
    assert url.startswith(server.yourmusic_url)
    with pytest.raises(InvalidRequest) as caught:
        await client.checkout("premium", success_url="https://evil.example/phish")
    assert "success_url" in caught.value.fields
    assert "redirect" in str(caught.value)


# -- catalog


async def test_search_tracks_pages_through_every_result_once(
    server: DemoServer, secrets: dict[tuple[str, str], str]
) -> None:
    auth = YourMusicAuth(memory_store(secrets), environ={})
    async with YourMusicClient(
        server.yourmusic_url, DEMO_TENANT_SLUG, auth, page_size=10
    ) as client:
        first = await client.search_tracks("e")
        assert len(first.items) == 10
        assert first.total is not None and first.total > 10
        assert first.next == 2
        seen = list(first.items)
        page = first
        while page.next is not None:
            page = await client.search_tracks("e", page.next)
            seen.extend(page.items)
    assert len(seen) == first.total
    assert len({t.id for t in seen}) == len(seen)


async def test_search_tracks_maps_the_catalog_to_the_domain(client: YourMusicClient) -> None:
    page = await client.search_tracks("Morning Tone")
    track = page.items[0]
    assert (track.provider, track.id, track.title) == ("yourmusic", "3000", "Morning Tone")
    assert track.artist_name == "The Sine Waves"
    assert (track.album_title, track.album_id) == ("Tone Studies", "2000")
    assert track.number == 1
    assert track.duration == pytest.approx(6, abs=0.5)
    assert track.stream_id == "e51bda97-d47b-5920-b3f6-06f87e449e28"
    assert page.next is None


async def test_search_releases_and_artists(client: YourMusicClient) -> None:
    releases = await client.search_releases("Tone Studies")
    album = releases.items[0]
    assert (album.id, album.title, album.artist_name, album.year) == (
        "2000",
        "Tone Studies",
        "The Sine Waves",
        2019,
    )
    assert album.track_count == 6
    assert (await client.search_albums("Tone Studies")).items == releases.items
    artists = await client.search_artists("sine")
    assert [(a.id, a.name) for a in artists.items] == [("1000", "The Sine Waves")]
    assert artists.total == 1
    assert artists.next is None


async def test_browse_artists_by_letter(client: YourMusicClient) -> None:
    names = [a.name for a in await client.browse_artists("S")]
    assert "The Sine Waves" in names  # filed under "Sine Waves, The"
    assert "Édith Sørensen" in names


async def test_artist_detail_and_releases(client: YourMusicClient) -> None:
    artist = await client.artist("1000")
    assert artist.name == "The Sine Waves"
    assert artist.bio == "A synth duo that only ever plays pure tones."
    releases = await client.artist_releases("1000")
    assert [r.title for r in releases.items] == ["🎸 Night Drive 🌙", "Tone Studies"]
    assert releases.next is None
    singles = await client.artist_releases("1000", kind="single")
    assert [r.kind for r in singles.items] == ["single"]
    assert (await client.artist_albums("1000")).items == releases.items


async def test_artist_tracks_are_only_that_artists(client: YourMusicClient) -> None:
    page = await client.artist_tracks("1000")
    assert {t.artist_id for t in page.items} == {"1000"}
    assert "Morning Tone" in [t.title for t in page.items]


async def test_release_and_its_tracks_in_order(client: YourMusicClient) -> None:
    album = await client.release("2000")
    assert album.title == "Tone Studies"
    assert album.kind == "album"
    assert album.label == "Demo Records"
    tracks = await client.release_tracks("2000")
    assert [t.number for t in tracks] == [1, 2, 3, 4, 5, 6]
    assert tracks[0].title == "Morning Tone"
    assert all(t.stream_id for t in tracks)
    assert await client.album("2000") == album
    assert await client.album_tracks("2000") == tracks


async def test_a_version_is_shown_in_the_title_once(client: YourMusicClient) -> None:
    assert (await client.track("3005")).title == "The Long Tone (Extended)"
    deluxe = await client.release("2007")  # "Deluxe" is already in its title
    assert deluxe.title.endswith("[Remastered Deluxe Anniversary Edition]")


async def test_track_and_batch_lookups_keep_the_order_asked(client: YourMusicClient) -> None:
    assert (await client.track("3007")).title == "Café Crème"
    tracks = await client.tracks_by_ids(["3002", "3000", "999999", "3002"])
    assert [t.id for t in tracks] == ["3002", "3000"]
    releases = await client.releases_by_ids(["2002", "999999", "2000"])
    assert [r.title for r in releases] == ["Chansons d'Été", "Tone Studies"]


# -- playlists


async def test_my_playlists_are_owned(client: YourMusicClient) -> None:
    mine = await client.my_playlists()
    assert [p.name for p in mine][:2] == ["Morning Commute", "Tone Ladder"]
    assert all(p.owned for p in mine)


async def test_search_playlists_finds_public_ones_of_others(client: YourMusicClient) -> None:
    page = await client.search_playlists("robin")
    assert [(p.name, p.owned) for p in page.items] == [("Robin's Road Trip", False)]
    assert (page.total, page.next) == (1, None)


async def test_playlist_entries_come_with_their_tracks(client: YourMusicClient) -> None:
    entries = await client.playlist_entries(MORNING_COMMUTE)
    assert [e.order for e in entries] == [1, 2, 3, 4, 5]
    assert [e.track.title for e in entries if e.track] == [
        "Morning Tone",
        "Café Crème",
        "夜明けのメロディ",
        "🎸 Night Drive 🌙",
        "Noon Tone",
    ]
    playlist, same = await client.playlist_with_entries(MORNING_COMMUTE)
    assert (playlist.name, playlist.track_count, playlist.owned) == ("Morning Commute", 5, True)
    assert same == entries
    assert (await client.playlist(MORNING_COMMUTE)).name == "Morning Commute"


async def test_edit_a_playlist(client: YourMusicClient, server: DemoServer) -> None:
    playlist = await client.create_playlist("Road Test")
    assert (playlist.name, playlist.public, playlist.owned) == ("Road Test", False, True)
    renamed = await client.update_playlist(playlist.id, name="Road Test II", public=True)
    assert (renamed.name, renamed.public) == ("Road Test II", True)

    for track_id in ("3000", "3001", "3002", "3003"):
        added = await client.add_track(playlist.id, track_id)
    assert (added.track_id, added.order) == ("3003", 4)

    entries = await client.playlist_entries(playlist.id)
    before = len(server.requests)
    moved = await client.move_entry(playlist.id, entries[3].id, 1)
    assert moved.order == 1
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in server.requests[before:]] == [
        ("PATCH", entries[3].id)
    ]
    entries = await client.playlist_entries(playlist.id)
    assert [e.track_id for e in entries] == ["3003", "3000", "3001", "3002"]

    before = len(server.requests)
    kept = await client.remove_entries(playlist.id, [entries[1].id, entries[3].id])
    assert [e.track_id for e in kept] == ["3003", "3001"]
    assert [e.order for e in kept] == [1, 2]
    assert [r.method for r in server.requests[before:]] == ["GET", "PUT"]
    assert [e.track_id for e in await client.playlist_entries(playlist.id)] == ["3003", "3001"]

    replaced = await client.replace_tracks(playlist.id, ["3010", "3009", "3010"])
    assert [e.track_id for e in replaced] == ["3010", "3009", "3010"]
    assert playlist.id in [p.id for p in await client.my_playlists()]


async def test_others_playlists_cannot_be_edited(client: YourMusicClient) -> None:
    with pytest.raises(PermissionDenied) as caught:
        await client.update_playlist(ROBINS_ROAD_TRIP, name="Mine now")
    assert "belongs to someone else" in str(caught.value)
    with pytest.raises(NotFound):
        await client.playlist("00000000-0000-4000-8000-000000000000")


# -- streams


async def test_stream_manifest_of_a_single_variant_track(client: YourMusicClient) -> None:
    track = await client.track(ONE_VARIANT_TRACK)
    url, text = await client.stream_manifest(track)
    assert url.endswith(f"/stream/{track.stream_id}")
    assert text.startswith("#EXTM3U")
    assert "#EXT-X-ENDLIST" in text


async def test_stream_files_reach_the_player_through_the_relay_with_the_token(
    client: YourMusicClient, server: DemoServer
) -> None:
    track = await client.track(TWO_VARIANT_TRACK)
    url, _ = await client.stream_manifest(track)
    variant, text = await client.stream_playlist(f"{url}/v1/index.m3u8")
    best = media_dir() / "ym" / TWO_VARIANT_TRACK / "v1" / "index.m3u8"  # 128 kbit/s
    assert (variant, text) == (f"{url}/v1/index.m3u8", best.read_text())

    relayed = await client.stream_url(f"{url}/v1/seg0.ts")
    assert relayed.startswith("http://127.0.0.1:")
    async with httpx.AsyncClient() as player:  # as mpv fetches: no token of its own
        media = await player.get(relayed)
    assert media.status_code == 200
    assert media.content == (best.parent / "seg0.ts").read_bytes()
    assert server.requests[-1].path.endswith("/v1/seg0.ts") and server.requests[-1].authorization


async def test_a_track_without_a_stream_id_is_looked_up_first(client: YourMusicClient) -> None:
    listed = msgspec.structs.replace(await client.track(ONE_VARIANT_TRACK), stream_id=None)
    url, _ = await client.stream_manifest(listed)
    assert url.endswith("/stream/2f084b9f-15fd-59a3-96ff-0f8850f07151")


# -- faults: typed errors or a successful retry


async def test_a_5xx_on_a_get_is_retried(client: YourMusicClient, server: DemoServer) -> None:
    server.faults.add("/yourmusic/catalog/tracks/3001", "status", status=503, times=2)
    assert (await client.track("3001")).title == "Evening Tone"
    assert [r.status for r in calls(server, "GET", "/catalog/tracks/3001")][-3:] == [503, 503, 200]


async def test_a_5xx_that_lasts_is_a_server_error(
    client: YourMusicClient, server: DemoServer
) -> None:
    server.faults.add("/yourmusic/catalog/tracks/3004", "status", status=502)
    with pytest.raises(ServerError) as caught:
        await client.track("3004")
    assert str(caught.value) == "YourMusic had a problem (HTTP 502). Try again in a moment."
    assert len(calls(server, "GET", "/catalog/tracks/3004")) == FAST_RETRY.attempts


async def test_a_5xx_on_a_post_is_not_retried(client: YourMusicClient, server: DemoServer) -> None:
    server.faults.add("/yourmusic/playlists", "status", method="POST", status=500, times=1)
    before = len(calls(server, "POST", "/yourmusic/playlists"))
    with pytest.raises(ServerError):
        await client.create_playlist("Never Twice")
    assert len(calls(server, "POST", "/yourmusic/playlists")) == before + 1
    assert "Never Twice" not in [p.name for p in await client.my_playlists()]


async def test_a_rate_limit_is_waited_out(client: YourMusicClient, server: DemoServer) -> None:
    server.faults.add("/yourmusic/catalog/tracks/3003", "rate_limit", retry_after=1, times=1)
    started = time.monotonic()
    assert (await client.track("3003")).title == "Midnight Tone"
    assert time.monotonic() - started >= 1.0


async def test_a_rate_limited_write_says_when_to_try_again(
    client: YourMusicClient, server: DemoServer
) -> None:
    server.faults.add("/yourmusic/playlists", "rate_limit", method="POST", retry_after=7)
    with pytest.raises(RateLimited) as caught:
        await client.create_playlist("Too Fast")
    assert caught.value.retry_after == 7
    assert "in 7 s" in str(caught.value)


async def test_a_dropped_connection_is_retried(client: YourMusicClient, server: DemoServer) -> None:
    server.faults.add("/yourmusic/catalog/releases/2002", "drop", times=1)
    assert (await client.release("2002")).title == "Chansons d'Été"


async def test_a_connection_that_keeps_dropping_is_a_network_error(
    client: YourMusicClient, server: DemoServer
) -> None:
    server.faults.add("/yourmusic/catalog/releases/2003", "drop")
    with pytest.raises(NetworkError) as caught:
        await client.release("2003")
    assert str(caught.value) == "Could not reach YourMusic: the connection was dropped."


async def test_malformed_json_is_a_bad_response(
    client: YourMusicClient, server: DemoServer
) -> None:
    server.faults.add("/yourmusic/catalog/tracks/search", "malformed_json")
    with pytest.raises(BadResponse) as caught:
        await client.search_tracks("tone")
    assert str(caught.value) == (
        "YourMusic sent a broken answer (not valid JSON). Try again in a moment."
    )


async def test_a_field_of_the_wrong_type_is_a_bad_response() -> None:
    body = b'{"track": {"id": 3000, "title": 42}}'
    with pytest.raises(BadResponse) as caught:
        wire.decode(body, wire.TrackEnvelope)
    assert "$.track.title" in str(caught.value)
    assert caught.value.provider == "yourmusic"


async def test_a_broken_stream_playlist_is_a_bad_response(
    client: YourMusicClient, server: DemoServer
) -> None:
    track = await client.track(ONE_VARIANT_TRACK)
    server.faults.add(f"/yourmusic/stream/{track.stream_id}", "invalid_hls")
    with pytest.raises(BadResponse) as caught:
        await client.stream_manifest(track)
    assert "not a stream playlist" in str(caught.value)


async def test_an_unknown_track_is_not_found(client: YourMusicClient) -> None:
    with pytest.raises(NotFound) as caught:
        await client.track("999999")
    assert str(caught.value) == "Not found on YourMusic: Track not found."


async def test_pictures_are_asked_for_at_the_size_they_are_drawn(client, server):
    release = await client.release("2000")
    tracks = await client.release_tracks("2000")
    [track] = await client.tracks_by_ids([tracks[0].id])
    for url in (release.image_url, tracks[0].image_url, track.image_url):
        assert url is not None and url.endswith(f"?size={COVER_PIXELS}")
    async with httpx.AsyncClient() as plain:  # a public picture: no token needed
        response = await plain.get(release.image_url)
    assert response.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (COVER_PIXELS, COVER_PIXELS)
