"""Snapshots of the accounts screen on the demo (100x34, nothing blinks, nobody signed in)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from setlist.demo.catalog import DEMO_OTP_CODE
from setlist.demo.server import DemoServer
from setlist.services import Services
from setlist.ui.screens.sign_in import JamendoPanel, SignInScreen
from ui_playlist_support import ScreenApp, demo_services
from waiting import wait_until

SIZE = (100, 34)
Snap = Callable[..., bool]


def accounts(services: Services, start: str = "yourmusic") -> ScreenApp:
    clients = [services.yourmusic, services.jamendo, services.lastfm]
    return ScreenApp(lambda: SignInScreen(services, start=start), closing=clients)


async def typed_into(pilot: Pilot[Any], input_id: str, text: str) -> None:
    app = pilot.app
    await wait_until(
        lambda: isinstance(app.focused, Input) and app.focused.id == input_id, pilot=pilot
    )
    await pilot.press(*text, "enter")


def test_email_step(snap_compare: Snap, server: DemoServer) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await typed_into(pilot, "ym-email-input", "not-an-address")

    assert snap_compare(accounts(demo_services(server)), terminal_size=SIZE, run_before=ready)


def test_onboarding_step_with_a_mistake(snap_compare: Snap, server: DemoServer) -> None:
    async def onboard(pilot: Pilot[Any]) -> None:
        await typed_into(pilot, "ym-email-input", "grace@hopper.test")
        await typed_into(pilot, "ym-code-input", DEMO_OTP_CODE)
        await wait_until(lambda: getattr(pilot.app.focused, "id", None) == "ym-first", pilot=pilot)
        await pilot.press(*"Grace", "tab", "tab", *"1906-12-09", "enter")

    assert snap_compare(accounts(demo_services(server)), terminal_size=SIZE, run_before=onboard)


def test_signed_in(snap_compare: Snap, server: DemoServer) -> None:
    async def signed_in(pilot: Pilot[Any]) -> None:
        await typed_into(pilot, "ym-email-input", "listener@demo.setlist")
        await typed_into(pilot, "ym-code-input", DEMO_OTP_CODE)
        status = pilot.app.screen.query_one("#yourmusic .status")
        await wait_until(lambda: str(status.render()).startswith("Signed in"), pilot=pilot)

    assert snap_compare(accounts(demo_services(server)), terminal_size=SIZE, run_before=signed_in)


def test_jamendo_paste_step(snap_compare: Snap, server: DemoServer) -> None:
    services = demo_services(server)
    jamendo = services.jamendo
    assert jamendo is not None
    real = jamendo.authorize_url

    def steady_address(redirect_uri: str, state: str | None = None) -> str:
        # The demo's port and the random state would change the picture on every run.
        url = real(redirect_uri, "snapshot-state")
        return url.replace(server.base_url, "http://127.0.0.1:8765")

    jamendo.authorize_url = steady_address  # type: ignore[method-assign]

    async def ready(pilot: Pilot[Any]) -> None:
        panel = pilot.app.screen.query_one(JamendoPanel)
        await wait_until(lambda: panel.url, pilot=pilot)
        await typed_into(
            pilot, "jm-pasted", "http://127.0.0.1/setlist-callback?error=access_denied"
        )
        await wait_until(lambda: str(pilot.app.screen.query_one("#jm-error").render()), pilot=pilot)

    app = accounts(services, start="jamendo")
    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_lastfm_key(snap_compare: Snap, server: DemoServer) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        status = pilot.app.screen.query_one("#lastfm .status")
        await wait_until(lambda: str(status.render()), pilot=pilot)
        scrobbling = pilot.app.screen.query_one("#lf-scrobbling")
        await wait_until(lambda: str(scrobbling.render()), pilot=pilot)

    app = accounts(demo_services(server), start="lastfm")
    assert snap_compare(app, terminal_size=SIZE, run_before=ready)
