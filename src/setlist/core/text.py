"""Text from a server made safe to print on a terminal, and shown as it is.

Titles, names and bios come from catalogs we do not control. Written to a
terminal as they are, an escape sequence in a title could recolour the screen,
retitle the window, move the cursor or (OSC 52) write the clipboard, and a bidi
override could make a row read as something it is not. `plain` shows such
characters instead of sending them: a C0 control or DEL as its Unicode control
picture ("\\x1b[31m" is shown as "␛[31m", a bell as "␇"), and a C1 control or
a bidi embedding, override or isolate as its code point ("<U+202E>"). So what
the catalog holds is what the user sees, and nothing in it acts on the terminal.

Terminals also disagree on how wide some emoji are. A skin tone modifier after
an emoji, a zero-width-joined family, or a variation selector is one glyph two
cells wide in some terminals and two glyphs (or one narrow one) in others, such
as tmux; a row measured one way overflows when drawn the other. `plain` drops
those joiners, modifiers and selectors, leaving emoji every terminal draws at
the same width ("👨‍👩‍👧" becomes "👨👩👧", "👍🏽" becomes "👍").
"""

from __future__ import annotations

import re

# Line breaks and tabs would break a one-line layout: they become one space.
_BREAKS = re.compile(r"[\t\n\v\f\r\x85\u2028\u2029]+")
_BREAKS_BUT_NEWLINE = re.compile(r"[\t\v\f\x85]+")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029]")
# Every other C0 and C1 control, DEL, and the bidi embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069). The implicit marks (LRM, RLM, ALM)
# stay: they cannot reorder text beyond their own position and RTL text needs them.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROLS_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What makes an emoji's width depend on the terminal: the zero width joiner,
# the text and emoji variation selectors, and the skin tone modifiers. Every
# joiner goes, not only those between emoji: Rich counts no width for whatever
# follows one, so a joiner left anywhere makes a row drawn wider than measured.
_WIDTH_AMBIGUOUS = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")


def visible(char: str) -> str:
    """How a control character is shown: its control picture, or its code point."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ .. ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def _shown(match: re.Match[str]) -> str:
    return visible(match.group())


def plain(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with its control characters and bidi overrides shown, not applied.

    Tabs and line breaks become a space, so the result fits on one line; with
    `keep_newlines`, line breaks are kept as "\\n" (for bios and summaries).
    Emoji lose the joiners, modifiers and selectors terminals draw at different widths.
    """
    text = _WIDTH_AMBIGUOUS.sub("", text)
    if keep_newlines:
        text = _NEWLINES.sub("\n", text)
        text = _BREAKS_BUT_NEWLINE.sub(" ", text)
        return _CONTROLS_BUT_NEWLINE.sub(_shown, text)
    text = _BREAKS.sub(" ", text)
    return _CONTROLS.sub(_shown, text)
