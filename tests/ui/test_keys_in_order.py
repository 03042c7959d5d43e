"""Keys that arrive together (a paste, or keys batched over a slow link) are applied in the
order they were typed: a real terminal, each group of keys written in one write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_support import SIZE, start_app
from fakes import FakePlayer
from terminal_support import Terminal, private_env
from textual import events
from textual.widgets import Input

from setlist.ui.screens.search import SearchScreen
from waiting import wait_until

HOME = b"Your playlists"  # the first section of the home screen, once it is loaded
FOUND = b"Night Signal"  # the demo catalog's one track for "signal"
START_HINT = b"Type a word and press Enter"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    """`setlist --demo` on the home screen, its sections loaded."""
    term = Terminal("--demo", env=private_env(tmp_path / "home"))
    try:
        assert term.read(20, until=HOME), "the home screen was not drawn"
        term.read(0.5)  # the rest of the first frames
        yield term
    finally:
        term.close()


def in_the_search_box(term: Terminal, text: bytes) -> None:
    mark = term.press(b"/")
    assert term.read(5, until=START_HINT, since=mark), "the search screen did not open"
    term.read(0.3)
    if text:
        mark = term.press(text)
        assert term.read(3, until=text[-3:], since=mark)
        term.read(0.3)


def test_ctrl_u_then_typing_clears_the_box_first(terminal):
    in_the_search_box(terminal, b"zzz")
    mark = terminal.press(b"\x15signal\r")  # ctrl+u, the word, Enter: one write
    assert terminal.read(5, until=FOUND, since=mark), "the box did not hold 'signal'"


def test_ctrl_a_then_typing_types_at_the_start(terminal):
    in_the_search_box(terminal, b"ignal")
    mark = terminal.press(b"\x01s\r")  # ctrl+a (to the start), s, Enter: one write
    assert terminal.read(5, until=FOUND, since=mark), "the s did not go before 'ignal'"


def test_ctrl_u_then_a_paste_clears_the_box_first(terminal):
    in_the_search_box(terminal, b"zzz")
    mark = terminal.press(b"\x15\x1b[200~signal\x1b[201~\r")  # bracketed paste
    assert terminal.read(5, until=FOUND, since=mark), "the box did not hold 'signal'"


def test_slash_and_a_word_typed_at_once_search_for_the_word(terminal):
    mark = terminal.press(b"/signal\r")
    assert terminal.read(5, until=FOUND, since=mark), "the word did not reach the search box"


# The same in-process (Pilot): keys posted one after the other without waiting between them.


async def typed_at_once(pilot, *keys: str | events.Paste) -> None:
    for key in keys:
        if isinstance(key, events.Paste):
            pilot.app.post_message(key)
        else:
            char = key if len(key) == 1 else None
            pilot.app.post_message(events.Key(key, char))
    await wait_until(pilot=pilot)


async def search_box(pilot, text: str) -> Input:
    await wait_until(pilot=pilot)
    await pilot.press("slash", *text)
    await wait_until(pilot=pilot)
    return pilot.app.screen.query_one("#query", Input)


@pytest.mark.usefixtures("no_config_discovery")
@pytest.mark.parametrize(
    ("before", "keys", "after"),
    [
        ("zzz", ("ctrl+u", "x", "y", "z"), "xyz"),
        ("abc", ("ctrl+a", "x", "y", "z"), "xyzabc"),
        ("abc", ("x", "ctrl+a", "y"), "yabcx"),
        ("abc", ("backspace", "x", "left", "y"), "abyx"),
        ("zzz", ("ctrl+u", events.Paste("signal")), "signal"),
    ],
)
async def test_keys_posted_at_once_edit_the_box_in_order(server, secrets, before, keys, after):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        box = await search_box(pilot, before)
        assert box.value == before
        await typed_at_once(pilot, *keys)
        assert box.value == after


@pytest.mark.usefixtures("no_config_discovery")
async def test_a_slash_and_a_word_at_once_put_the_word_in_the_search_box(server, secrets):
    app = await start_app(server, secrets, FakePlayer())
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot=pilot)
        await typed_at_once(pilot, "slash", *"tone")
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#query", Input).value == "tone"
