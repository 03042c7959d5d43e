"""LastfmClient against the demo catalog's Last.fm API, over real HTTP."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from setlist.core.errors import (
    AuthenticationError,
    BadResponse,
    InvalidRequest,
    NotFound,
    RateLimited,
    ServerError,
)
from setlist.demo.catalog import LASTFM_DEMO_API_KEY
from setlist.demo.server import DemoServer
from setlist.providers.http import RetryPolicy
from setlist.providers.lastfm import LastfmClient
from setlist.providers.lastfm.errors import error_for_code

FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
PATH = "/lastfm/2.0/"


@pytest.fixture
async def lastfm(demo: DemoServer) -> AsyncIterator[LastfmClient]:
    client = LastfmClient(demo.lastfm_url, LASTFM_DEMO_API_KEY, retry=FAST)
    yield client
    await client.aclose()


async def logged(demo: DemoServer, marker: str, expected: int) -> list:
    """The demo's log of Last.fm calls whose query holds `marker` (it logs just after
    answering, so wait for them)."""

    def seen() -> list:
        return [r for r in demo.requests if r.path == PATH and marker in r.query]

    for _ in range(200):
        if len(seen()) >= expected:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.02)
    return seen()


async def test_album_info_for_an_album_page(lastfm: LastfmClient) -> None:
    info = await lastfm.album_info("Pulse Garden", "Neon Night Circuits")
    assert info is not None
    assert (info.name, info.artist) == ("Neon Night Circuits", "Pulse Garden")
    assert (info.listeners, info.playcount) == (23456, 210987)  # numbers, not strings
    assert info.tags == ("electronic", "synthwave", "night")
    assert info.url == "https://www.last.fm/music/Pulse+Garden/Neon+Night+Circuits"
    assert [t.name for t in info.tracks] == [
        "Night Signal",
        "Neon Tone",
        "Circuit Breaker",
        "Afterglow",
        "Night Bus Home",
    ]
    assert [t.duration for t in info.tracks] == [6, 5, 7, 4, 6]
    assert [t.rank for t in info.tracks] == [1, 2, 3, 4, 5]
    # The summary reads as plain text: no HTML, no dangling "Read more" link.
    assert info.summary == (
        "Neon Night Circuits is the second album by Pulse Garden, released on Jamendo "
        "under a Creative Commons licence."
    )
    assert info.image_url is None  # Last.fm sends empty image URLs for this album


async def test_no_user_name_means_no_play_count_of_yours(demo: DemoServer) -> None:
    async with LastfmClient(demo.lastfm_url, LASTFM_DEMO_API_KEY, retry=FAST) as client:
        info = await client.album_info("Pulse Garden", "Neon Night Circuits")
    assert info is not None
    assert (info.user_playcount, info.username) == (None, "")
    asked = await logged(demo, "album=Neon+Night+Circuits", 1)
    assert all("username" not in r.query for r in asked)


async def test_the_summary_comes_in_the_configured_language(demo: DemoServer) -> None:
    async with LastfmClient(demo.lastfm_url, LASTFM_DEMO_API_KEY, lang="fr", retry=FAST) as c:
        info = await c.album_info("Pulse Garden", "Neon Night Circuits")
        english_only = await c.album_info("Åsa Ljungström Trio", "Nordlys Jazz")
    assert info is not None and english_only is not None
    # The demo's French summary is hostile: controls and markup come back as sent.
    assert info.summary == "Néons \x1b[31mrouges\x1b[0m et [b]$(rm -rf ~)[/b] à minuit."
    assert english_only.summary.startswith("Nordlys Jazz:")  # no French: English, as Last.fm
    asked = await logged(demo, "lang=fr", 2)
    assert len(asked) == 2


async def test_a_user_name_adds_their_play_count(demo: DemoServer) -> None:
    async with LastfmClient(
        demo.lastfm_url, LASTFM_DEMO_API_KEY, username="demo_listener", retry=FAST
    ) as client:
        played = await client.album_info("Pulse Garden", "Neon Night Circuits")
        never = await client.album_info("Åsa Ljungström Trio", "Nordlys Jazz")
    assert played is not None and never is not None
    assert (played.user_playcount, played.username) == (42, "demo_listener")
    assert never.user_playcount == 0
    asked = await logged(demo, "username=demo_listener", 2)
    assert len(asked) == 2


async def test_names_are_autocorrected(lastfm: LastfmClient) -> None:
    info = await lastfm.album_info("asa ljungstrom trio", "nordlys jazz")
    assert info is not None
    assert info.artist == "Åsa Ljungström Trio"
    # HTML is dropped; text that merely looks like markup stays for the UI to escape.
    assert info.summary == "Nordlys Jazz: [i]northern lights[/i] & cold swing."


async def test_album_info_by_mbid(lastfm: LastfmClient) -> None:
    info = await lastfm.album_info_by_mbid("94937e75-e68d-59ad-9356-ffff84204289")
    assert info is not None
    assert (info.artist, info.name) == ("坂本 美雨子", "夜明けのメロディ")
    assert info.mbid == "94937e75-e68d-59ad-9356-ffff84204289"
    assert info.tags == ("j-pop", "japanese", "city pop")


async def test_album_without_wiki_has_an_empty_summary(lastfm: LastfmClient) -> None:
    info = await lastfm.album_info("فيروز الصغيرة", "ليالي بيروت")
    assert info is not None
    assert info.summary.startswith("ليالي بيروت (Beirut Nights)")
    assert info.listeners == 5120


async def test_unknown_album_is_not_found(lastfm: LastfmClient) -> None:
    with pytest.raises(NotFound, match="Album not found"):
        await lastfm.album_info("Pulse Garden", "No Such Album")
    with pytest.raises(NotFound):
        await lastfm.album_info_by_mbid("00000000-0000-0000-0000-000000000000")


async def test_missing_names_are_an_invalid_request(lastfm: LastfmClient) -> None:
    with pytest.raises(InvalidRequest, match="missing a required parameter"):
        await lastfm.album_info("", "")


async def test_wrong_key_is_an_authentication_error_without_the_key(demo: DemoServer) -> None:
    key = "0123456789abcdef-wrong-key"
    async with LastfmClient(demo.lastfm_url, key, retry=FAST) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.album_info("Pulse Garden", "Neon Night Circuits")
    assert "lastfm.api_key" in str(caught.value)
    assert key not in str(caught.value)


async def test_no_key_means_no_extra_info_and_no_request(make_demo) -> None:
    demo = make_demo()
    async with LastfmClient(demo.lastfm_url, None) as client:
        assert not client.enabled
        assert await client.album_info("Pulse Garden", "Neon Night Circuits") is None
        assert await client.album_info_by_mbid("a776054e-445b-5d1e-ad5a-fbd27c3972c7") is None
    async with LastfmClient(demo.lastfm_url, "") as client:
        assert await client.album_info("Pulse Garden", "Neon Night Circuits") is None
    await asyncio.sleep(0.05)
    assert not [r for r in demo.requests if r.path.startswith("/lastfm")]


async def test_5xx_is_retried_then_reported(demo: DemoServer, lastfm: LastfmClient) -> None:
    demo.faults.add(PATH, "status", status=503, times=2)
    info = await lastfm.album_info("The Sine Waves", "Tone Studies")
    assert info is not None and info.listeners == 48213
    assert [r.status for r in await logged(demo, "Tone+Studies", 3)] == [503, 503, 200]

    demo.faults.add(PATH, "status", status=503)
    with pytest.raises(ServerError, match=r"Last\.fm had a problem"):
        await lastfm.album_info("The Sine Waves", "Tone Studies")


async def test_http_rate_limit_and_garbage(demo: DemoServer, lastfm: LastfmClient) -> None:
    demo.faults.add(PATH, "rate_limit", retry_after=3600, times=1)
    with pytest.raises(RateLimited, match="try again"):
        await lastfm.album_info("Pulse Garden", "Neon Night Circuits")
    demo.faults.add(PATH, "malformed_json", times=1)
    with pytest.raises(BadResponse, match="cannot read"):
        await lastfm.album_info("Pulse Garden", "Neon Night Circuits")


@pytest.mark.parametrize(
    ("code", "error", "words"),
    [
        (26, AuthenticationError, "suspended"),
        (10, AuthenticationError, "not valid"),
        (29, RateLimited, "limiting"),
        (11, ServerError, "try again later"),
        (16, ServerError, "try again later"),
        (8, ServerError, "try again later"),
        (6, InvalidRequest, "rejected"),
    ],
)
def test_error_numbers_map_to_typed_errors(code: int, error: type, words: str) -> None:
    # The demo answers only 3, 6 and 10; the rest of Last.fm's table is checked here.
    mapped = error_for_code(code, "Invalid parameters")
    assert type(mapped) is error
    assert words in str(mapped)


async def test_the_key_never_reaches_the_logs(
    lastfm: LastfmClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await lastfm.album_info("Pulse Garden", "Neon Night Circuits")
    with pytest.raises(NotFound):
        await lastfm.album_info("Pulse Garden", "Nothing")
    assert "album.getinfo" in caplog.text
    assert LASTFM_DEMO_API_KEY not in caplog.text
