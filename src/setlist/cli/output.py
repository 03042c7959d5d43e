"""What commands print: tables for people, JSON for scripts.

Tables pass every cell through `core.text.plain`, so nothing a server sends can
drive the terminal (its control characters are shown, as "␛[31m"), and fit the
terminal's width by shortening the text columns.

JSON is the data as the services sent it, not sanitized: it is one document
(an array for lists), and JSON escapes control characters. The characters a
terminal could still act on inside a JSON string (DEL, C1 controls, bidi
overrides, line separators) are written as \\u escapes too, so printing the JSON
is as harmless as printing a table.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from rich.cells import cell_len, set_cell_size

from setlist.core.text import plain

GAP = "  "
ELLIPSIS = "…"
MIN_FLEX_WIDTH = 8
DEFAULT_WIDTH = 120  # when the output is not a terminal and COLUMNS is unset
_TERMINAL_ACTIVE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Column:
    header: str
    # Text that may be shortened (with …) to fit; ids and numbers are never cut.
    flex: bool = False
    right: bool = False


def terminal_width() -> int:
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def render_table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int | None = None
) -> str:
    """Rows under a header, columns separated by two spaces, fitted to `width` cells."""
    header = [c.header for c in columns]
    body = [[plain(cell) for cell in row] for row in rows]
    widths = [max(cell_len(text) for text in column) for column in zip(header, *body, strict=True)]
    _fit(widths, columns, width if width is not None else terminal_width())
    lines = [_line(header, widths, columns)]
    lines.extend(_line(row, widths, columns) for row in body)
    return "\n".join(lines)


def _fit(widths: list[int], columns: Sequence[Column], width: int) -> None:
    """Shorten the widest flexible column, one cell at a time, until the table fits."""
    excess = sum(widths) + len(GAP) * (len(widths) - 1) - width
    floors = [
        min(w, max(MIN_FLEX_WIDTH, cell_len(c.header)))
        for w, c in zip(widths, columns, strict=True)
    ]
    while excess > 0:
        shrinkable = [i for i, c in enumerate(columns) if c.flex and widths[i] > floors[i]]
        if not shrinkable:
            return  # ids alone are wider than the terminal: let the terminal wrap
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1


def _line(cells: Sequence[str], widths: Sequence[int], columns: Sequence[Column]) -> str:
    parts = []
    last = len(cells) - 1
    for i, (text, width, column) in enumerate(zip(cells, widths, columns, strict=True)):
        if cell_len(text) > width:
            text = set_cell_size(text, width - 1).rstrip() + ELLIPSIS
        pad = " " * (width - cell_len(text))
        if column.right:
            parts.append(pad + text)
        else:
            parts.append(text if i == last else text + pad)
    return GAP.join(parts).rstrip()


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def to_json(value: Any) -> str:
    text = msgspec.json.encode(value).decode("utf-8")
    return _TERMINAL_ACTIVE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def print_json(value: Any) -> None:
    sys.stdout.write(to_json(value) + "\n")
    sys.stdout.flush()


def say(text: str) -> None:
    """A line for the user (results, confirmations) on stdout."""
    print(text, flush=True)


def tell(text: str) -> None:
    """A side note (notices, prompts' context) on stderr, so stdout stays the result."""
    print(text, file=sys.stderr, flush=True)


def wants_json(args: object) -> bool:
    """Whether the command was asked for --json output."""
    return bool(getattr(args, "json", False))
