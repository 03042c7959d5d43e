"""The app's first screen while the services and the player open, and a start that fails."""

from __future__ import annotations

import asyncio

from app_support import screen_text

from setlist.core.errors import SetlistError
from setlist.store.config import Config
from setlist.ui.app import SetlistApp
from setlist.ui.screens.starting import StartingScreen
from waiting import wait_until


async def test_a_failed_start_says_why_on_screen_and_only_quit_works() -> None:
    async def opener() -> None:
        await asyncio.sleep(0.05)
        raise SetlistError("the demo server did not start (port in use)")

    app = SetlistApp.starting(opener, config=Config())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot=pilot)
        await pilot.press("1", "2", "slash", "space")
        await wait_until(pilot=pilot)
        text = screen_text(app)
        assert "could not start" in text
        assert "the demo server did not start (port in use)" in text
        assert "Traceback" not in text
        assert isinstance(app.screen, StartingScreen)  # 1, 2, / and space went nowhere
        await pilot.press("q")
    assert not app.is_running


async def test_an_unexpected_failure_is_a_message_not_a_traceback() -> None:
    async def opener() -> None:
        raise RuntimeError("boom")

    app = SetlistApp.starting(opener, config=Config())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot=pilot)
        text = screen_text(app)
        assert "could not start" in text
        assert "Traceback" not in text and "RuntimeError" not in text
        await pilot.press("q")
