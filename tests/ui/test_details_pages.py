"""The album and artist pages show what else the catalogs know, each part on its own."""

from __future__ import annotations

import pytest
from app_support import screen_text, start_app
from textual.widgets import Static

from setlist.core.models import Album, Artist
from setlist.demo.catalog import LASTFM_DEMO_API_KEY
from setlist.demo.server import DemoServer
from setlist.services.catalogs import lastfm_client
from setlist.store.config import Config, LastfmConfig
from setlist.ui.app import SetlistApp
from setlist.ui.messages import Open
from setlist.ui.screens.artist import ArtistScreen
from setlist.ui.widgets.lists import ItemTable
from waiting import wait_until

SIZE = (120, 60)  # tall enough that the whole side pane is on screen
NEON = Album(provider="jamendo", id="601", title="")
PULSE = Artist(provider="jamendo", id="501", name="")


async def app_with_lastfm(server: DemoServer, secrets: dict, **lastfm: str) -> SetlistApp:
    """The app, its Last.fm client made from a config with these `[lastfm]` keys."""
    app = await start_app(server, secrets)
    config = Config(lastfm=LastfmConfig(**lastfm))  # type: ignore[arg-type]
    app.services.lastfm = lastfm_client(config, server.lastfm_url, LASTFM_DEMO_API_KEY)
    return app


async def test_album_page_shows_reviews_music_info_and_last_fm(server, secrets):
    app = await app_with_lastfm(server, secrets, lang="fr", username="demo_listener")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(NEON))
        await wait_until(pilot=pilot)
        text = screen_text(app)
        assert "Night Signal" in text  # the tracks
        assert "Reviews (2)" in text
        # Further down the pane, which scrolls: the review after a long one.
        reviews = part(app, "#reviews")
        assert "Best night drive album\nby nightowl · rating 9 · 2015-02-01" in reviews
        text += part(app, "#album-about") + part(app, "#lastfm-info")
        assert "Released 2014-05-02" in text
        assert "Licence CC BY-SA 3.0" in text
        assert "Genres: electronic, synthwave" in text
        assert "Instruments: synthesizer, voice" in text
        assert "Speed: high, medium" in text and "Voice: vocal, instrumental" in text
        assert "23,456 listeners" in text and "210,987 plays" in text
        assert "42 by you (demo_listener)" in text
        assert "Tags: electronic, synthwave, night" in text
        assert "Néons ␛[31mrouges" in text  # the French summary, controls shown
        assert "1. Night Signal 0:06" in text  # Last.fm's track list
    asked = [r.query for r in server.requests if r.path == "/lastfm/2.0/"]
    assert any("lang=fr" in q and "username=demo_listener" in q for q in asked)


async def test_album_page_in_english_without_a_user_has_no_play_count_of_yours(server, secrets):
    app = await app_with_lastfm(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(NEON))
        await wait_until(pilot=pilot)
        text = part(app, "#lastfm-info")
        assert "released on Jamendo under a Creative Commons" in text  # the English summary
        assert "by you" not in text


async def test_an_album_without_reviews_says_so(server, secrets):
    app = await app_with_lastfm(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Album(provider="jamendo", id="604", title="")))
        await wait_until(pilot=pilot)
        text = screen_text(app)
        assert "Reviews: none yet" in text
        assert "Released 2012-09-09" in text


@pytest.mark.fault(
    "reviews/albums answers 500 every time",
    "the album's tracks and its other facts show; the reviews say they could not be read",
)
async def test_a_failing_reviews_call_leaves_the_tracks_and_says_why(server, secrets):
    app = await app_with_lastfm(server, secrets)
    server.faults.add("/jamendo/v3.0/reviews/albums*", "status", status=500)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(NEON))
        await wait_until(pilot=pilot, within=10)
        text = screen_text(app) + part(app, "#lastfm-info")
        assert "Night Signal" in text and "Afterglow" in text
        assert "Reviews could not be read:" in text
        assert "Released 2014-05-02" in text and "23,456 listeners" in text


async def test_artist_page_shows_location_website_and_music_info(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(PULSE))
        await wait_until(pilot=pilot)
        text = screen_text(app)
        assert "Berlin ␛[31mRed␛[0m [b]Kreuzberg[/b], Berlin, DEU" in text
        assert "https://example.com/pulse-garden" in text
        assert "Tags: electronic, synthwave, [red]markup[/red]" in text
        assert "Two friends and a ␛[31mRed␛[0m synth." in text
        assert "t: next type" not in text  # Jamendo cannot filter releases by type


def part(app: SetlistApp, selector: str) -> str:
    """The whole text of one part of a page, scrolled into view or not."""
    return str(app.screen.query_one(selector, Static).content)


def release_titles(app: SetlistApp) -> list[str]:
    table = app.screen.query_one("#releases", ItemTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_artist_page_filters_your_music_releases_by_type(server, secrets):
    app = await start_app(server, secrets)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        app.post_message(Open(Artist(provider="yourmusic", id="1000", name="")))
        await wait_until(pilot=pilot)
        assert isinstance(app.screen, ArtistScreen)
        everything = release_titles(app)
        assert "Releases: all types (t: next type)" in screen_text(app)
        await pilot.press("t")
        await wait_until(pilot=pilot)
        albums = release_titles(app)
        assert "Releases: albums (t: next type)" in screen_text(app)
        await pilot.press("t")
        await wait_until(pilot=pilot)
        singles = release_titles(app)
        assert "Releases: singles (t: next type)" in screen_text(app)
        assert "🎸 Night Drive 🌙" in singles and "🎸 Night Drive 🌙" not in albums
        assert set(albums) | set(singles) <= set(everything)
        assert albums and singles
        await pilot.press("t", "t")  # videos, then every type again
        await wait_until(pilot=pilot)
        assert release_titles(app) == everything
    types = [r.query for r in server.requests if "/releases" in r.path and "type=" in r.query]
    assert any("type=album" in q for q in types) and any("type=single" in q for q in types)
