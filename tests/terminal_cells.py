"""How wide a terminal that draws code point by code point draws a string.

tmux, xterm and VTE give each character its own width (two cells for East Asian
wide and fullwidth characters, none for marks and format characters) and do
not join emoji sequences the way Rich measures them. A row whose width here is
more than the terminal's runs past its edge.
"""

from __future__ import annotations

import unicodedata


def drawn_width(text: str) -> int:
    cells = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf") or char in "\ufe0e\ufe0f":
            continue
        cells += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return cells
