"""Server text as the widgets get it: plain, never markup, no control characters."""

from __future__ import annotations

import pytest
from rich.console import Console

from setlist.ui.server_text import duration, safe, safe_block

HOSTILE = [
    ("[bold]Not Bold[/bold]", "[bold]Not Bold[/bold]"),
    ("Close [/] Early", "Close [/] Early"),
    ("[link=https://example.com]Click[/link]", "[link=https://example.com]Click[/link]"),
    ("Escape \x1b[31mRed\x1b[0m Song", "Escape Red Song"),
    ("[@click=app.quit]Don't Quit[/]", "[@click=app.quit]Don't Quit[/]"),
    ("Bell\x07 and Tab\t Title", "Bell and Tab  Title"),
    ("Title\x1b]0;owned\x07 Bar", "Title Bar"),  # OSC: retitling the terminal
    ("\u202eevil\u202c name", "evil name"),  # a bidi override
]


def printed(text) -> tuple[str, list]:
    """What a terminal receives for `text`: its characters, and the styles on them."""
    console = Console(width=80, force_terminal=True, color_system="truecolor")
    with console.capture() as capture:
        console.print(text)
    return capture.get(), list(text.spans)


@pytest.mark.parametrize(("title", "shown"), HOSTILE)
def test_a_hostile_title_is_shown_as_the_words_it_is(title, shown):
    text = safe(title)
    assert text.plain == shown
    output, spans = printed(text)
    assert spans == []  # nothing was read as a style, a link or an action
    assert output.replace("\x1b[0m", "").strip() == shown  # and no escape reaches the screen


def test_emoji_and_right_to_left_text_are_kept():
    for title in ("Family 👨‍👩‍👧‍👦 Picnic", "يا ليل يا عين", "Ame\u0301lie's Combining Waltz"):
        assert safe(title).plain == title


def test_a_summary_keeps_its_lines_but_loses_its_escapes():
    assert safe_block("one\n\x1b[2Jtwo").plain == "one\ntwo"


def test_durations_are_whole_seconds():
    assert [duration(s) for s in (None, 0, 5.99, 61, 3725)] == [
        "-:--",
        "0:00",
        "0:05",
        "1:01",
        "1:02:05",
    ]
