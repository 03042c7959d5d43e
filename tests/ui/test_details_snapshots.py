"""The album and artist pages with the demo's hostile details, at 80 x 24.

The demo's reviews, music info, locations and Last.fm notes carry escape
sequences, Rich markup and shell text: each must show as the characters sent.
Each SVG was looked at before it was accepted.
"""

from __future__ import annotations

import pytest
from app_support import make_app
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from setlist.core.models import Album, Artist
from setlist.demo.catalog import LASTFM_DEMO_API_KEY
from setlist.services.catalogs import lastfm_client
from setlist.store.config import Config, LastfmConfig
from setlist.ui.app import SetlistApp
from setlist.ui.messages import Open
from setlist.ui.screens.album import AlbumScreen
from setlist.ui.screens.artist import ArtistScreen
from waiting import wait_until

pytestmark = pytest.mark.usefixtures("no_config_discovery")

SIZE = (80, 24)
NEON = Album(provider="jamendo", id="601", title="")


def settled_parts(app: SetlistApp) -> bool:
    """Every part of the page has its final text: none says "loading…", no list loads."""
    screen = app.screen
    parts = screen.query("#album-about, #reviews, #lastfm-info, #place, #music, #releases-title")
    if any("loading…" in str(part.content) for part in parts.results(Static)):
        return False
    return not any(widget.loading for widget in screen.query("#tracks, #releases"))


def footer_current(app: SetlistApp) -> bool:
    """The footer lists the keys of what has the focus now (it redraws after a change)."""
    shown = {key.description for key in app.screen.query(FooterKey)}
    bindings = app.screen.active_bindings.values()
    return {b.binding.description for b in bindings if b.binding.show} <= shown


async def settle(pilot: Pilot[None]) -> None:
    app: SetlistApp = pilot.app  # type: ignore[assignment]
    await wait_until(pilot=pilot)
    await wait_until(lambda: settled_parts(app), pilot=pilot)
    for _ in range(50):  # a second
        if footer_current(app):
            break
        await pilot.pause(0.02)
    if not footer_current(app):
        # Textual's footer now and then misses the focus change of a screen just
        # pushed (seen about one run in ten under load): ask it again, once.
        app.screen.refresh_bindings()
        await wait_until(lambda: footer_current(app), pilot=pilot)
    await wait_until(pilot=pilot)


def app_in_french(server, secrets) -> SetlistApp:
    """Last.fm notes in French, with the demo listener's own plays."""
    app = make_app(server, secrets)
    config = Config(lastfm=LastfmConfig(lang="fr", username="demo_listener"))
    app.services.lastfm = lastfm_client(config, server.lastfm_url, LASTFM_DEMO_API_KEY)
    return app


def open_album(part: str | None = None):
    async def run(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        pilot.app.post_message(Open(NEON))
        await wait_until(lambda: isinstance(pilot.app.screen, AlbumScreen), pilot=pilot)
        await settle(pilot)
        if part is not None:
            pane = pilot.app.screen.query_one("#lastfm", VerticalScroll)
            pane.scroll_to_widget(pane.query_one(part), animate=False, top=True)
            await settle(pilot)

    return run


def test_album_page_release_licence_and_music_info(snap_compare, server, secrets):
    app = app_in_french(server, secrets)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_album())


def test_album_page_reviews_scrolled_into_view(snap_compare, server, secrets):
    app = app_in_french(server, secrets)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_album("#reviews"))


def test_album_page_last_fm_in_french_with_your_plays(snap_compare, server, secrets):
    app = app_in_french(server, secrets)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_album("#lastfm-info"))


def test_artist_page_location_website_and_music_info(snap_compare, server, secrets):
    async def artist(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        pilot.app.post_message(Open(Artist(provider="jamendo", id="501", name="")))
        await wait_until(lambda: isinstance(pilot.app.screen, ArtistScreen), pilot=pilot)
        await settle(pilot)

    assert snap_compare(make_app(server, secrets), terminal_size=SIZE, run_before=artist)


def test_artist_page_your_music_singles_only(snap_compare, server, secrets):
    async def singles(pilot: Pilot[None]) -> None:
        await wait_until(pilot=pilot)
        pilot.app.post_message(Open(Artist(provider="yourmusic", id="1000", name="")))
        await wait_until(lambda: isinstance(pilot.app.screen, ArtistScreen), pilot=pilot)
        await settle(pilot)
        await pilot.press("t", "t")  # every type → albums → singles
        await settle(pilot)

    assert snap_compare(make_app(server, secrets), terminal_size=SIZE, run_before=singles)
