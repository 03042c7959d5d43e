"""Server text as the widgets get it: never markup, control characters shown, not sent."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.console import Console

from setlist.ui.server_text import duration, safe, safe_block
from terminal_cells import drawn_width

HOSTILE = [
    ("[bold]Not Bold[/bold]", "[bold]Not Bold[/bold]"),
    ("Close [/] Early", "Close [/] Early"),
    ("[link=https://example.com]Click[/link]", "[link=https://example.com]Click[/link]"),
    ("Escape \x1b[31mRed\x1b[0m Song", "Escape \u241b[31mRed\u241b[0m Song"),  # ␛[31m
    ("[@click=app.quit]Don't Quit[/]", "[@click=app.quit]Don't Quit[/]"),
    ("Bell\x07 and Tab\t Title", "Bell\u2407 and Tab  Title"),  # ␇; whitespace stays white
    ("Title\x1b]0;owned\x07 Bar", "Title\u241b]0;owned\u2407 Bar"),  # OSC: a window title
    ("\u202eevil\u202c name", "<U+202E>evil<U+202C> name"),  # a bidi override, not applied
    ("C1 \x9b2J csi, \x7f del", "C1 <U+009B>2J csi, \u2421 del"),
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


def test_right_to_left_and_combining_text_are_kept():
    for title in ("يا ليل يا عين", "Ame\u0301lie's Combining Waltz", "Rocket 🚀 Launch"):
        assert safe(title).plain == title


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Family 👨\u200d👩\u200d👧\u200d👦 Picnic", "Family 👨👩👧👦 Picnic"),  # ZWJ family
        ("Thumbs 👍\U0001f3fd Up Tone", "Thumbs 👍 Up Tone"),  # a skin tone modifier
        ("Love \u2764\ufe0f Song", "Love \u2764 Song"),  # emoji presentation selector
        ("Rainbow 🏳\ufe0f\u200d🌈 Flag", "Rainbow 🏳🌈 Flag"),
    ],
)
def test_emoji_are_as_wide_in_every_terminal_as_they_are_measured(title, shown):
    text = safe(title)
    # What the layout measures is what tmux draws: cut to 16 cells, it takes 16 at most.
    assert cell_len(text.plain) == drawn_width(text.plain)
    fitted = text.copy()
    fitted.truncate(16, overflow="ellipsis")
    assert drawn_width(fitted.plain) <= 16
    assert text.plain == shown  # the emoji stay, without what joins or modifies them


def test_a_summary_keeps_its_lines_and_shows_its_escapes():
    assert safe_block("one\n\x1b[2Jtwo\r\nthree").plain == "one\n\u241b[2Jtwo\nthree"


def test_durations_are_whole_seconds():
    assert [duration(s) for s in (None, 0, 5.99, 61, 3725)] == [
        "-:--",
        "0:00",
        "0:05",
        "1:01",
        "1:02:05",
    ]
