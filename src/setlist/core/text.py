"""Text from a server made safe to print on a terminal.

Titles, names and bios come from catalogs we do not control. Written to a
terminal as they are, an escape sequence in a title could recolour the screen,
retitle the window, move the cursor or (OSC 52) write the clipboard, and a bidi
override could make a row read as something it is not. `plain` removes all of
that and keeps every letter, right-to-left scripts and emoji included.
"""

from __future__ import annotations

import re

# Escape sequences, removed whole (their parameters are not text either).
_SEQUENCE = re.compile(
    r"""
      (?:\x1b\[|\x9b) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]?     # CSI (7-bit or C1)
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]) .*? (?:\x07|\x1b\\|\x9c|$)
                                                # OSC, DCS, SOS, PM, APC: up to the terminator
                                                # (unterminated: up to the end)
    | \x1b [\x20-\x2f]* [\x30-\x7e]?                          # any other ESC sequence
    """,
    re.VERBOSE | re.DOTALL,
)
# Line breaks and tabs would break a one-line layout: they become one space.
_BREAKS = re.compile(r"[\t\n\v\f\r\x85\u2028\u2029]+")
_BREAKS_BUT_NEWLINE = re.compile(r"[\t\v\f\x85]+")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029]")
# Every other C0 and C1 control, DEL, and the bidi embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069). The implicit marks (LRM, RLM, ALM)
# stay: they cannot reorder text beyond their own position and RTL text needs them.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with escape sequences, control characters and bidi overrides removed.

    Tabs and line breaks become a space, so the result fits on one line; with
    `keep_newlines`, line breaks are kept as "\\n" (for bios and summaries).
    """
    text = _SEQUENCE.sub("", text)
    if keep_newlines:
        text = _NEWLINES.sub("\n", text)
        text = _BREAKS_BUT_NEWLINE.sub(" ", text)
        return _CONTROLS_BUT_NEWLINE.sub("", text)
    text = _BREAKS.sub(" ", text)
    return _CONTROLS.sub("", text)
