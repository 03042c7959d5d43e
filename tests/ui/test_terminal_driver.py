"""The app in a real terminal (ui.driver): its input thread sleeps while nothing happens,
and a lone Esc, arrow keys and quitting still work."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal_support import Terminal, private_env, voluntary_switches

HOME = b"Your playlists"  # the first section of the home screen, once it is loaded
HELP = b"Keys: Home"  # the title of the help screen over the home screen


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


def style_before(output: bytes, text: bytes) -> bytes:
    """The last SGR sequence drawn right before `text` (how it was highlighted)."""
    styles = re.findall(rb"(\x1b\[[0-9;]*m)" + re.escape(text), output)
    assert styles, f"{text!r} was not drawn"
    return styles[-1]


def test_the_input_thread_sleeps_while_nothing_happens(terminal):
    thread = terminal.thread_named("textual-input")
    before = voluntary_switches(thread)
    terminal.read(2.0)
    # Textual's own driver wakes it ten times a second (about 20 here).
    assert voluntary_switches(thread) - before < 3


def test_a_lone_escape_closes_the_help_screen(terminal):
    mark = terminal.press(b"?")
    assert terminal.read(5, until=HELP, since=mark), "the help screen did not open"
    terminal.read(0.3)
    mark = terminal.press(b"\x1b")  # alone: the Escape key once ESCDELAY has passed
    assert terminal.read(3, until=HOME, since=mark), "the home screen was not drawn again"
    assert HELP not in terminal.output[mark:]


def test_an_arrow_key_moves_the_cursor(terminal):
    highlighted = style_before(bytes(terminal.output), HOME)
    mark = terminal.press(b"\x1b[B")  # down, in one piece, as a terminal sends it
    assert terminal.read(3, until=highlighted + b"Featured playlists", since=mark)
    assert style_before(bytes(terminal.output[mark:]), HOME) != highlighted


def test_q_quits_at_once(terminal):
    pressed = time.monotonic()
    terminal.press(b"q")
    assert terminal.exited(3.0), "the app was still running 3 s after q"
    assert time.monotonic() - pressed < 3.0
    assert terminal.status == 0
