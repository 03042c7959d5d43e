"""JamendoClient against the demo catalog's Jamendo API, over real HTTP."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from PIL import Image

from setlist.core.errors import (
    AuthenticationError,
    BadResponse,
    ConfigError,
    InvalidRequest,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    SignInRequired,
)
from setlist.core.models import COVER_PIXELS
from setlist.core.protocols import CatalogProvider
from setlist.demo.catalog import DEMO_CLIENT_SECRET, JAMENDO_DEMO_CLIENT_ID
from setlist.demo.server import DemoServer
from setlist.providers.http import RetryPolicy
from setlist.providers.jamendo import InvalidClientId, JamendoClient
from setlist.providers.jamendo import client as jamendo_client
from setlist.providers.jamendo.wire import WireTrack, decode_results
from setlist.store.secret_fallbacks import MemoryStore
from yourmusic_support import ListedStore

FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
REDIRECT = "http://localhost:8976/jamendo/callback"


def kept_tokens(store: MemoryStore) -> dict:
    """The Jamendo sign-in kept in the store, as the keyring would hold it."""
    return json.loads(store.load("jamendo", "default"))  # type: ignore[arg-type]


def make_client(demo: DemoServer, **options) -> JamendoClient:
    options.setdefault("client_secret", DEMO_CLIENT_SECRET)
    options.setdefault("retry", FAST)
    client_id = options.pop("client_id", JAMENDO_DEMO_CLIENT_ID)
    return JamendoClient(demo.jamendo_url, client_id, **options)


@pytest.fixture
async def jamendo(demo: DemoServer) -> AsyncIterator[JamendoClient]:
    client = make_client(demo)
    yield client
    await client.aclose()


async def fetch(url: str) -> httpx.Response:
    async with httpx.AsyncClient(follow_redirects=True) as http:
        return await http.get(url)


def is_mp3(data: bytes) -> bool:
    return data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def calls(demo: DemoServer, name: str, method: str | None = None, marker: str = "") -> list:
    """The requests the demo saw for one Jamendo method, e.g. "tracks" or "oauth/grant"
    (only those whose query holds `marker`)."""
    path = f"/jamendo/v3.0/{name}"
    return [
        r
        for r in demo.requests
        if r.path.rstrip("/") == path
        and (method is None or r.method == method)
        and marker in r.query
    ]


async def settled(
    demo: DemoServer, name: str, expected: int, method: str | None = None, marker: str = ""
) -> list:
    """The calls, once the demo has logged them: it logs just after answering."""
    for _ in range(200):
        if len(calls(demo, name, method, marker)) >= expected:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.02)
    return calls(demo, name, method, marker)


async def sign_in(client: JamendoClient) -> None:
    """The whole terminal flow: print the link, "open" it, paste where it lands."""
    url = client.authorize_url(REDIRECT)
    async with httpx.AsyncClient() as browser:
        approved = await browser.get(url)
    assert approved.status_code == 302
    await client.exchange(approved.headers["location"])


# Configuration


def test_no_client_id_says_where_to_get_one() -> None:
    with pytest.raises(ConfigError) as caught:
        JamendoClient("https://api.jamendo.com/v3.0", None)
    assert "https://devportal.jamendo.com" in str(caught.value)
    assert "demo" in str(caught.value)


def test_unknown_audio_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="mp32"):
        JamendoClient("https://api.jamendo.com/v3.0", "abc", audioformat="wav")


async def test_is_a_catalog_provider(jamendo: JamendoClient) -> None:
    assert isinstance(jamendo, CatalogProvider)
    assert jamendo.name == "jamendo"


# Search


async def test_search_tracks_finds_album_tracks_and_singles(jamendo: JamendoClient) -> None:
    night = await jamendo.search_tracks("night")
    assert night.items[0].title == "Night Signal"
    assert night.items[0].artist_name == "Pulse Garden"
    assert night.items[0].album_title == "Neon Night Circuits"
    assert night.items[0].audio_url.endswith(".mp3")

    single = (await jamendo.search_tracks("Click")).items
    assert [t.id for t in single] == ["1027"]
    assert single[0].title == "[link=https://example.com]Click[/link]"
    assert single[0].album_id is None and single[0].album_title == ""


async def test_search_pages_walk_every_result_once(jamendo: JamendoClient) -> None:
    first = await jamendo.search_tracks("electronic", limit=3, fullcount=True)
    assert first.total is not None and first.total > 3
    assert first.next == 3
    seen = [t.id for t in first.items]
    cursor = first.next
    while cursor is not None:
        page = await jamendo.search_tracks("electronic", cursor, limit=3, fullcount=True)
        seen += [t.id for t in page.items]
        cursor = page.next
    assert len(seen) == len(set(seen)) == first.total


async def test_search_without_fullcount_still_knows_the_last_page(jamendo: JamendoClient) -> None:
    page = await jamendo.search_tracks("jazz", limit=200)
    assert page.total is None
    assert page.next is None
    assert {"Blå Måndag", "Ame\u0301lie's Combining Waltz"} <= {t.title for t in page.items}


async def test_a_limit_above_200_is_capped_quietly(
    jamendo: JamendoClient, caplog: pytest.LogCaptureFixture
) -> None:
    page = await jamendo.search_tracks("a", limit=1000)
    assert page.items
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_search_albums_artists_playlists(jamendo: JamendoClient) -> None:
    albums = (await jamendo.search_albums("night")).items
    assert [(a.title, a.artist_name, a.year) for a in albums] == [
        ("Neon Night Circuits", "Pulse Garden", 2014)
    ]
    artists = (await jamendo.search_artists("ljungstrom")).items
    assert [a.name for a in artists] == ["Åsa Ljungström Trio"]
    playlists = (await jamendo.search_playlists("jazz")).items
    assert [(p.name, p.owner_name) for p in playlists] == [("Jazz & Rain ☔", "demo_listener")]


async def test_autocomplete_groups_matches(jamendo: JamendoClient) -> None:
    found = await jamendo.autocomplete("nig")
    assert "Night Signal" in found.tracks
    assert found.albums == ("Neon Night Circuits",)
    assert found.artists == ()
    jazz = await jamendo.autocomplete("jaz")
    assert "jazz" in jazz.tags


# Browse


async def test_album_and_its_tracks(jamendo: JamendoClient) -> None:
    album = await jamendo.album("601")
    assert (album.title, album.artist_name, album.year) == (
        "Neon Night Circuits",
        "Pulse Garden",
        2014,
    )
    tracks = await jamendo.album_tracks("601")
    assert [t.number for t in tracks] == [1, 2, 3, 4, 5]
    assert tracks[0].title == "Night Signal"
    # albums/tracks leaves the artist and album out of each track: the album fills them in.
    assert {t.artist_name for t in tracks} == {"Pulse Garden"}
    assert {t.album_title for t in tracks} == {"Neon Night Circuits"}
    assert tracks[0].duration == 6.0


async def test_artist_albums_and_tracks(jamendo: JamendoClient) -> None:
    artist = await jamendo.artist("504")
    assert artist.name == "星空 Hoshizora"
    albums = (await jamendo.artist_albums("501")).items
    assert [a.title for a in albums] == ["Warm Static", "Neon Night Circuits"]  # latest first
    tracks = await jamendo.artist_tracks("501", limit=4)
    assert tracks.next == 4
    rest = await jamendo.artist_tracks("501", tracks.next, limit=50)
    titles = [t.title for t in tracks.items + rest.items]
    assert "[link=https://example.com]Click[/link]" in titles  # the single
    assert "Slow Tide" in titles and len(titles) == len(set(titles)) == 9


async def test_track_details(jamendo: JamendoClient) -> None:
    track = await jamendo.track("1014")
    assert track.title == "Smörgåsbord Swing"
    assert track.album_title == "Nordlys Jazz"
    assert track.number == 2
    assert track.download_allowed is False


async def test_music_info_licence_and_release_date(jamendo: JamendoClient) -> None:
    details = await jamendo.track_details("1001")
    assert details.track.title == "Night Signal"
    assert details.release_date == "2014-05-02"
    assert details.licence_url == "http://creativecommons.org/licenses/by-sa/3.0/"
    info = details.music_info
    assert info is not None
    assert (info.vocal_instrumental, info.gender, info.speed) == ("vocal", "female", "high")
    assert info.genres == ("electronic", "synthwave")
    assert info.instruments == ("synthesizer", "voice")
    assert info.tags == ("energetic", "night")
    assert details.explicit is None  # Jamendo has no explicit flag


async def test_music_info_comes_back_as_the_server_wrote_it(jamendo: JamendoClient) -> None:
    info = (await jamendo.track_details("1027")).music_info
    assert info is not None
    assert info.gender == "[red]male[/red]"
    assert info.instruments == ("[b]drums[/b]", "\x1b[2Jguitar")


async def test_lyrics_and_a_track_without(jamendo: JamendoClient) -> None:
    words = await jamendo.lyrics("1001")
    assert words is not None and words.startswith("Night signal on the wire\n")
    assert await jamendo.lyrics("1002") is None
    with pytest.raises(NotFound):
        await jamendo.lyrics("999999")


async def test_missing_items_are_not_found(jamendo: JamendoClient) -> None:
    with pytest.raises(NotFound, match="track"):
        await jamendo.track("999999")
    with pytest.raises(NotFound, match="album"):
        await jamendo.album("999")
    with pytest.raises(NotFound, match="playlist"):
        await jamendo.playlist_entries("999")
    # Jamendo refuses an id that is not a number with a message about its parameters.
    with pytest.raises(NotFound, match="Jamendo has no track with id abc"):
        await jamendo.track("abc")


async def test_playlist_entries_keep_order_and_hostile_names(jamendo: JamendoClient) -> None:
    playlist = await jamendo.playlist("703")
    assert playlist.name == "[b]Hostile[/b] Mix"
    entries = await jamendo.playlist_entries("703")
    assert [e.id for e in entries] == [f"703:{n}" for n in range(1, 8)]
    assert [e.order for e in entries] == list(range(1, 8))
    assert [e.track_id for e in entries][:2] == ["1027", "1028"]
    assert entries[1].track.title == "$(rm -rf) & <script>"
    assert entries[2].track.title == "Family 👨‍👩‍👧‍👦 Picnic"


async def test_similar_tracks_share_tags(jamendo: JamendoClient) -> None:
    similar = (await jamendo.similar_tracks("1001")).items
    assert similar
    assert "1001" not in [t.id for t in similar]
    assert similar[0].title == "🎸 Night Drive 🌙 (Synth Remix)"  # electronic + synthwave


async def test_radios_and_what_they_play(jamendo: JamendoClient) -> None:
    radios = await jamendo.radios()
    assert [r.title for r in radios] == ["Electronic", "Jazz & Lounge"]
    stream = await jamendo.radio_stream(radios[1].id)
    assert stream.now_playing is not None
    assert stream.now_playing.id in {"1013", "1014", "1015", "1016", "1029"}
    assert stream.refresh_in is not None and stream.refresh_in > 0
    audio = await fetch(stream.url)
    assert is_mp3(audio.content)


async def test_feeds_latest_first(jamendo: JamendoClient) -> None:
    feed = (await jamendo.feeds()).items
    assert feed[0].title == "New album: Neon Night Circuits"
    assert (feed[0].type, feed[0].target_id, feed[0].date) == ("album", "601", "2024-03-01")
    news = feed[-1]
    assert news.target_id is None
    assert "[link=https://example.com]read more[/link]" in news.text  # verbatim, not rendered


# Streams


async def test_resolve_stream_plays_the_audio_url(jamendo: JamendoClient) -> None:
    track = await jamendo.track("1001")
    source = await jamendo.resolve_stream(track)
    assert source.url == track.audio_url
    audio = await fetch(source.url)
    assert audio.headers["content-type"] == "audio/mpeg"
    assert is_mp3(audio.content)


async def test_resolve_stream_without_audio_uses_the_file_redirect(
    jamendo: JamendoClient,
) -> None:
    track = await jamendo.track("1005")  # its `audio` comes empty
    assert track.audio_url is None
    source = await jamendo.resolve_stream(track)
    query = parse_qs(urlsplit(source.url).query)
    assert urlsplit(source.url).path.endswith("/tracks/file/")
    assert query == {
        "client_id": [JAMENDO_DEMO_CLIENT_ID],
        "id": ["1005"],
        "audioformat": ["mp32"],
        "action": ["stream"],
    }
    audio = await fetch(source.url)
    assert audio.history and audio.history[0].status_code == 302
    assert is_mp3(audio.content)


async def test_ogg_format_streams_ogg(demo: DemoServer) -> None:
    async with make_client(demo, audioformat="ogg") as client:
        track = await client.track("1002")
        audio = await fetch((await client.resolve_stream(track)).url)
    assert audio.content[:4] == b"OggS"


async def test_downloads_honour_the_artists_choice(jamendo: JamendoClient) -> None:
    forbidden = await jamendo.track("1014")
    with pytest.raises(PermissionDenied, match="Smörgåsbord Swing"):
        jamendo.download_url(forbidden)
    allowed = await jamendo.track("1001")
    download = await fetch(jamendo.download_url(allowed))
    assert download.status_code == 200
    assert is_mp3(download.content)


# Errors


async def test_wrong_client_id_says_where_to_get_one(demo: DemoServer) -> None:
    async with make_client(demo, client_id="not-a-real-id") as client:
        with pytest.raises(InvalidClientId) as caught:
            await client.search_tracks("night")
    assert isinstance(caught.value, AuthenticationError)
    assert "https://devportal.jamendo.com" in str(caught.value)
    seen = await settled(demo, "tracks", 1)
    assert seen[-1].status == 200  # the failure came in a 200 body


@pytest.mark.parametrize(
    ("code", "error", "words"),
    [
        (6, RateLimited, "limiting"),
        (5, InvalidClientId, "devportal.jamendo.com"),
        (11, InvalidClientId, "suspended"),
        (3, InvalidRequest, "rejected"),
        (4, InvalidRequest, "rejected"),
        (8, InvalidRequest, "rejected"),
        (7, BadResponse, "API may have changed"),
        (10, BadResponse, "base URL"),
        (12, AuthenticationError, "Sign in to Jamendo again"),
        (13, AuthenticationError, "Sign in to Jamendo again"),
        (101, AuthenticationError, "Sign in to Jamendo again"),
        (21, NotFound, "user"),
        (24, NotFound, "playlist"),
        (1, ServerError, "problem"),
    ],
)
async def test_failed_envelopes_in_a_200_become_typed_errors(
    demo: DemoServer, jamendo: JamendoClient, code: int, error: type, words: str
) -> None:
    marker = f"fault{code}end"
    demo.faults.add("/jamendo/v3.0/tracks*", "jamendo_code", code=code, times=1)
    with pytest.raises(error, match=words):
        await jamendo.search_tracks(marker)
    # A failed envelope is an answer, not an outage: it is not retried.
    seen = await settled(demo, "tracks", 1, marker=marker)
    assert [r.status for r in seen] == [200]
    assert (await jamendo.search_tracks("night")).items  # and the next call works


# Details: reviews, music info, locations


async def test_album_reviews_newest_first_with_hostile_text(jamendo: JamendoClient) -> None:
    reviews = await jamendo.album_reviews("601")
    assert [r.id for r in reviews] == ["9002", "9001"]
    hostile, kind = reviews
    assert (kind.title, kind.author, kind.rating, kind.date) == (
        "Best night drive album",
        "nightowl",
        9.0,
        "2015-02-01",
    )
    # Sent as they are: the UI shows them literally.
    assert hostile.title == "\x1b[31mRed\x1b[0m alert [bold]not bold[/bold]"
    assert hostile.text.startswith("$(rm -rf ~) & <script>")
    assert hostile.author == "[b]mallory[/b]"
    assert hostile.rating == 2.5


async def test_an_album_without_reviews_has_none(jamendo: JamendoClient) -> None:
    assert await jamendo.album_reviews("604") == []


async def test_album_facts_merge_the_album_and_its_tracks(
    demo: DemoServer, jamendo: JamendoClient
) -> None:
    before = len(demo.requests)
    facts = await jamendo.album_facts("601")
    assert facts.release_date == "2014-05-02"
    assert facts.licences == ("http://creativecommons.org/licenses/by-sa/3.0/",)
    music = facts.music
    assert music.genres[:2] == ("electronic", "synthwave")  # from the tracks' musicinfo
    assert music.instruments == ("synthesizer", "voice")  # 1001 is sung
    # albums/musicinfo first, then what the tracks add (the sung one: energetic, high)
    assert music.tags == ("synthwave", "night", "[red]markup[/red]", "energetic")
    assert (music.speeds, music.vocal) == (("high", "medium"), ("vocal", "instrumental"))
    assert music.description == "Neon lights \x1b[31mRed\x1b[0m and $(rm -rf ~) at midnight."
    asked = {r.path: r.query for r in demo.requests[before:]}
    assert "id=601" in asked["/jamendo/v3.0/albums/musicinfo/"]
    assert "include=musicinfo+licenses" in asked["/jamendo/v3.0/albums/tracks/"]


async def test_the_description_follows_the_language(demo: DemoServer) -> None:
    async with make_client(demo, lang="fr") as client:
        assert (await client.album_facts("601")).music.description == "Des néons à minuit."
        # No German text: English, as for feeds.
    async with make_client(demo, lang="de") as client:
        assert (await client.artist_music("501")).description.startswith("Two friends")


async def test_artist_place_and_music(jamendo: JamendoClient) -> None:
    place = await jamendo.artist_place("501")
    assert place.website == "https://example.com/pulse-garden"
    [where] = place.locations
    assert (where.city, where.region, where.country) == (
        "Berlin \x1b[31mRed\x1b[0m [b]Kreuzberg[/b]",
        "Berlin",
        "DEU",
    )
    music = await jamendo.artist_music("501")
    assert music.tags == ("electronic", "synthwave", "[red]markup[/red]")
    assert music.description == "Two friends and a \x1b[31mRed\x1b[0m synth."
    nowhere = await jamendo.artist_place("505")
    assert nowhere.locations == ()
    assert nowhere.website == "https://example.com/$(rm -rf ~)/[b]emoji[/b]"


async def test_details_of_an_unknown_album_or_artist_are_not_found(
    jamendo: JamendoClient,
) -> None:
    with pytest.raises(NotFound):
        await jamendo.album_facts("999999")
    with pytest.raises(NotFound):
        await jamendo.artist_place("999999")
    with pytest.raises(NotFound):
        await jamendo.album_reviews("not-an-id")


async def test_a_failing_reviews_call_is_a_server_error(
    demo: DemoServer, jamendo: JamendoClient
) -> None:
    demo.faults.add("/jamendo/v3.0/reviews/albums*", "status", status=503)
    with pytest.raises(ServerError):
        await jamendo.album_reviews("601")


async def test_bad_parameters_are_invalid_requests(jamendo: JamendoClient) -> None:
    with pytest.raises(InvalidRequest, match="non-negative integer"):
        await jamendo.read("tracks", {"id": "abc"})
    with pytest.raises(InvalidRequest, match="'id' is required"):
        await jamendo.read("tracks/similar", {})
    with pytest.raises(BadResponse, match="API may have changed"):
        await jamendo.read("reviews/nothing", {})


async def test_5xx_on_a_read_is_retried(demo: DemoServer, jamendo: JamendoClient) -> None:
    demo.faults.add("/jamendo/v3.0/albums*", "status", status=503, times=2)
    albums = await jamendo.search_albums("warm st")
    assert [a.title for a in albums.items] == ["Warm Static"]
    seen = await settled(demo, "albums", 3, marker="warm+st")
    assert [r.status for r in seen] == [503, 503, 200]


async def test_lasting_5xx_is_a_server_error(demo: DemoServer, jamendo: JamendoClient) -> None:
    demo.faults.add("/jamendo/v3.0/albums*", "status", status=502)
    with pytest.raises(ServerError, match=r"Jamendo had a problem \(HTTP 502\)"):
        await jamendo.album("601")


async def test_http_404_and_garbage_bodies(demo: DemoServer, jamendo: JamendoClient) -> None:
    demo.faults.add("/jamendo/v3.0/artists*", "status", status=404, times=1)
    with pytest.raises(NotFound):
        await jamendo.artist("501")
    demo.faults.add("/jamendo/v3.0/artists*", "malformed_json", times=1)
    with pytest.raises(BadResponse, match="not an API document"):
        await jamendo.artist("501")


def test_fields_of_the_wrong_type_are_bad_responses() -> None:
    body = b'[{"id": "1", "name": "x", "duration": "six seconds"}]'
    with pytest.raises(BadResponse, match="duration"):
        decode_results(body, list[WireTrack], "a track list")
    # Numbers in strings and unknown fields are what Jamendo sends: they are fine.
    ok = decode_results(b'[{"id": 7, "position": "3", "new_field": 1}]', list[WireTrack], "x")
    assert (ok[0].id, ok[0].position) == (7, 3)


async def test_warnings_are_logged(
    jamendo: JamendoClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="setlist.providers.jamendo")
    results = await jamendo.read("tracks", {"id": "1001", "colour": "blue"})
    assert results[0]["name"] == "Night Signal"
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1
    assert "Unknown parameter 'colour'" in warned[0].getMessage()
    assert "/tracks" in warned[0].getMessage()


# The signed-in user


async def test_sign_in_like_and_see_likes(make_demo) -> None:
    demo = make_demo()
    store = MemoryStore()
    async with make_client(demo, secrets=store) as client:
        assert not await client.oauth.signed_in()
        url = client.authorize_url(REDIRECT)
        query = parse_qs(urlsplit(url).query)
        assert query["client_id"] == [JAMENDO_DEMO_CLIENT_ID]
        assert query["redirect_uri"] == [REDIRECT]
        assert query["response_type"] == ["code"] and query["scope"] == ["music"]
        assert query["state"][0]
        async with httpx.AsyncClient() as browser:
            approved = await browser.get(url)
        landed = approved.headers["location"]
        assert landed.startswith(REDIRECT + "?code=")
        await client.exchange(landed)

        saved = kept_tokens(store)
        assert saved["access_token"] and saved["refresh_token"]
        await client.like("1013")
        await client.like("1001")
        liked = await client.liked_tracks()
    assert [t.title for t in liked] == ["Night Signal", "Blå Måndag"]  # latest first
    assert liked[0].audio_url.endswith(".mp3")

    # Another start of setlist finds the sign-in in the store.
    async with make_client(demo, secrets=store) as again:
        assert await again.oauth.signed_in()
        await again.dislike("1001")
        assert [t.title for t in await again.liked_tracks()] == ["Blå Måndag"]


async def test_fan_and_favorite(make_demo) -> None:
    demo = make_demo()
    async with make_client(demo, secrets=MemoryStore()) as client:
        await sign_in(client)
        await client.fan("503")
        await client.favorite("1015")
        token = await client.oauth.access_token()
        fans = await client.read("users/artists", {"access_token": token})
        favorites = await client.read(
            "users/tracks", {"access_token": token, "relation": "favorite"}
        )
    assert [a["name"] for a in fans[0]["artists"]] == ["Åsa Ljungström Trio"]
    assert [t["name"] for t in favorites[0]["tracks"]] == ["Fjärran Fjäll"]


async def test_the_users_library_reads_each_relation(make_demo) -> None:
    demo = make_demo()
    async with make_client(demo, secrets=MemoryStore()) as client:
        await sign_in(client)
        await client.like("1001")
        await client.favorite("1015")
        await client.favorite("1022")
        await client.fan("502")
        await client.fan("505")
        await client.add_album("606")
        liked = await client.liked_tracks()
        favorites = await client.favorite_tracks()
        artists = await client.followed_artists()
        albums = await client.my_albums()
    assert [t.title for t in liked] == ["Night Signal"]  # a favorite is not a like
    assert [t.id for t in favorites] == ["1022", "1015"]  # the latest first
    assert favorites[0].album_title == "Robot Dreams 🤖" and favorites[0].audio_url
    assert [(a.provider, a.id, a.name) for a in artists] == [
        ("jamendo", "505", "🎧 Emoji Collective 🤖"),
        ("jamendo", "502", "להקת החוף"),
    ]
    assert [(a.id, a.title, a.artist_name) for a in albums] == [
        ("606", "Robot Dreams 🤖", "🎧 Emoji Collective 🤖")
    ]
    (users,) = [r for r in calls(demo, "users/albums") if "albums_limit=400" in r.query]
    assert users.method == "GET"
    (write,) = calls(demo, "setuser/myalbum", "POST")
    assert "606" not in write.query  # a form, not the address


async def test_a_long_library_is_read_page_by_page(make_demo, monkeypatch) -> None:
    # Jamendo lists at most 400 sub-entities in one answer; 2 here, to page on 5 likes.
    monkeypatch.setattr(jamendo_client, "MAX_AGGREGATED", 2)
    demo = make_demo()
    ids = ["1001", "1002", "1003", "1004", "1006"]
    async with make_client(demo, secrets=MemoryStore()) as client:
        await sign_in(client)
        for track_id in ids:
            await client.like(track_id)
        liked = await client.liked_tracks()
    assert [t.id for t in liked] == ids[::-1]
    pages = [r.query for r in calls(demo, "users/tracks")]
    assert len(pages) == 3
    assert ["tracks_offset=0" in pages[0], "tracks_offset=2" in pages[1]] == [True, True]


@pytest.mark.parametrize("form", ["bare code", "query string"])
async def test_pasting_the_code_or_the_query_works(make_demo, form: str) -> None:
    demo = make_demo()
    async with make_client(demo) as client:
        url = client.authorize_url(REDIRECT)
        async with httpx.AsyncClient() as browser:
            approved = await browser.get(url)
        query = urlsplit(approved.headers["location"]).query
        pasted = f"  {parse_qs(query)['code'][0]}\n" if form == "bare code" else f"?{query}"
        await client.exchange(pasted)
        await client.like("1020")
        assert [t.id for t in await client.liked_tracks()] == ["1020"]


async def test_an_address_from_another_sign_in_is_refused(make_demo) -> None:
    demo = make_demo()
    store = ListedStore()
    async with make_client(demo, secrets=store) as client:
        stale = client.authorize_url(REDIRECT)
        async with httpx.AsyncClient() as browser:
            old = (await browser.get(stale)).headers["location"]
        client.authorize_url(REDIRECT)  # the user started over
        with pytest.raises(AuthenticationError, match="another sign-in attempt"):
            await client.exchange(old)
        assert store.kept() == {}
        with pytest.raises(AuthenticationError, match="access_denied"):
            await client.exchange(REDIRECT + "?error=access_denied&state=x")


async def test_a_used_code_asks_to_sign_in_again(make_demo) -> None:
    demo = make_demo()
    async with make_client(demo) as client:
        url = client.authorize_url(REDIRECT)
        async with httpx.AsyncClient() as browser:
            landed = (await browser.get(url)).headers["location"]
        await client.exchange(landed, redirect_uri=REDIRECT)
        state = parse_qs(urlsplit(landed).query)["state"][0]
        with pytest.raises(AuthenticationError, match="Sign in to Jamendo again"):
            await client.exchange(landed, redirect_uri=REDIRECT, state=state)


async def test_sign_in_needs_the_client_secret(make_demo) -> None:
    demo = make_demo()
    async with JamendoClient(demo.jamendo_url, JAMENDO_DEMO_CLIENT_ID) as client:
        url = client.authorize_url(REDIRECT)
        async with httpx.AsyncClient() as browser:
            landed = (await browser.get(url)).headers["location"]
        with pytest.raises(ConfigError, match="client secret"):
            await client.exchange(landed)


async def test_likes_need_a_sign_in(jamendo: JamendoClient) -> None:
    with pytest.raises(SignInRequired, match="Sign in to Jamendo"):
        await jamendo.liked_tracks()
    with pytest.raises(SignInRequired):
        await jamendo.like("1001")


async def test_expired_token_is_refreshed_once_for_everyone(make_demo) -> None:
    demo = make_demo(jamendo_token_ttl=1)
    store = MemoryStore()
    async with make_client(demo, secrets=store) as client:
        await sign_in(client)
        first = kept_tokens(store)["access_token"]
        await client.like("1017")
        await asyncio.sleep(1.2)
        results = await asyncio.gather(*(client.liked_tracks() for _ in range(5)))
    assert all([t.id for t in liked] == ["1017"] for liked in results)
    grants = await settled(demo, "oauth/grant", 2, "POST")
    assert len(grants) == 2  # the sign-in, then one refresh
    assert kept_tokens(store)["access_token"] != first


async def test_token_rejected_early_is_refreshed_and_retried(make_demo) -> None:
    demo = make_demo(jamendo_token_ttl=1)
    store = MemoryStore()
    async with make_client(demo, secrets=store) as client:
        await sign_in(client)
    # The store claims an hour left, but the server expires the token after a second.
    saved = kept_tokens(store)
    saved["expires_at"] = time.time() + 3600
    saved["lifetime"] = 3600
    store.save("jamendo", "default", json.dumps(saved))
    await asyncio.sleep(1.2)
    async with make_client(demo, secrets=store) as client:
        await client.like("1019")
        assert [t.id for t in await client.liked_tracks()] == ["1019"]
    assert [r.status for r in await settled(demo, "setuser/like", 2)] == [200, 200]
    assert len(await settled(demo, "oauth/grant", 2, "POST")) == 2


async def test_a_refused_refresh_ends_the_sign_in(make_demo) -> None:
    demo = make_demo(jamendo_token_ttl=1)
    store = ListedStore()
    async with make_client(demo, secrets=store) as client:
        await sign_in(client)
    saved = kept_tokens(store)
    saved["refresh_token"] = "revoked"
    store.save("jamendo", "default", json.dumps(saved))
    await asyncio.sleep(1.2)
    async with make_client(demo, secrets=store) as client:
        with pytest.raises(SignInRequired, match="Sign in to Jamendo again"):
            await client.liked_tracks()
        assert not await client.oauth.signed_in()
    assert store.kept() == {}


async def test_writes_are_not_retried(make_demo) -> None:
    demo = make_demo()
    async with make_client(demo) as client:
        await sign_in(client)
        demo.faults.add("/jamendo/v3.0/setuser/like*", "status", status=503)
        with pytest.raises(ServerError):
            await client.like("1001")
    assert len(await settled(demo, "setuser/like", 1, "POST")) == 1


async def test_no_secret_reaches_logs_or_errors(
    make_demo, caplog: pytest.LogCaptureFixture
) -> None:
    demo = make_demo(jamendo_token_ttl=1)
    store = MemoryStore()
    async with make_client(demo, secrets=store) as client:
        url = client.authorize_url(REDIRECT)
        async with httpx.AsyncClient() as browser:
            landed = (await browser.get(url)).headers["location"]
        code = parse_qs(urlsplit(landed).query)["code"][0]
        caplog.set_level(logging.DEBUG)  # from here on, only setlist's own traffic
        await client.exchange(landed)
        first = kept_tokens(store)
        await client.like("1001")
        await asyncio.sleep(1.2)
        await client.liked_tracks()  # refreshes
        second = kept_tokens(store)
        # Rejected even after a refresh: the error must not quote the token either.
        demo.faults.add("/jamendo/v3.0/users/tracks*", "jamendo_code", code=12)
        with pytest.raises(AuthenticationError) as caught:
            await client.liked_tracks()
        third = kept_tokens(store)
    secrets = {code, DEMO_CLIENT_SECRET}
    for tokens in (first, second, third):
        secrets |= {tokens["access_token"], tokens["refresh_token"]}
    assert len(secrets) == 8
    assert "users/tracks" in caplog.text  # the log did see the calls...
    for secret in secrets:
        assert secret not in caplog.text  # ...but none of the secrets
        assert secret not in str(caught.value)


async def test_pictures_are_asked_for_at_the_size_they_are_drawn(jamendo, demo):
    album = await jamendo.album("601")
    tracks = await jamendo.album_tracks("601")
    artist = await jamendo.artist("501")
    for url in (album.image_url, tracks[0].image_url, artist.image_url):
        assert url is not None and url.endswith(f"?size={COVER_PIXELS}")
    response = await fetch(album.image_url)
    assert response.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (COVER_PIXELS, COVER_PIXELS)


async def test_tracks_by_tags_all_or_any_in_each_order(jamendo: JamendoClient) -> None:
    from setlist.providers.jamendo.client import TAG_ORDERS

    both = (await jamendo.tracks_by_tags(["electronic", "rock"])).items
    either = (await jamendo.tracks_by_tags(["electronic", "rock"], every=False)).items
    rock = (await jamendo.tracks_by_tags(["rock"])).items
    assert both and {t.id for t in both} < {t.id for t in either}
    assert {t.id for t in rock} <= {t.id for t in either}
    firsts = {
        order: (await jamendo.tracks_by_tags(["electronic"], order)).items for order in TAG_ORDERS
    }
    assert len({tuple(t.id for t in tracks) for tracks in firsts.values()}) == len(TAG_ORDERS)
    with pytest.raises(ValueError, match="popularity_week"):
        await jamendo.tracks_by_tags(["rock"], "popular")
