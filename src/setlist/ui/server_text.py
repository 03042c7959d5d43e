"""Text from a server, as the widgets show it.

Titles, names and summaries come from catalogs we do not control. Widgets get
them as Rich `Text` built by `safe`: passed through `core.text.plain` (control
characters shown as "␛", "␇", "<U+202E>", never sent) and never parsed as
markup, so a title like "[@click=app.quit]Don't Quit[/]" stays words. A plain `str` handed to a
DataTable, an OptionList or a Static would be read as markup.
"""

from __future__ import annotations

from rich.text import Text

from setlist.core.text import plain

__all__ = ["duration", "plain", "safe", "safe_block"]


def safe(value: str | None, style: str = "") -> Text:
    """One line of server text, controls shown, ellipsized when it does not fit."""
    return Text(plain(value or ""), style=style, no_wrap=True, overflow="ellipsis")


def safe_block(value: str | None, style: str = "") -> Text:
    """Server text of several lines (a bio, a summary), controls shown, wrapped."""
    return Text(plain(value or "", keep_newlines=True), style=style)


def duration(seconds: float | None) -> str:
    """m:ss (h:mm:ss past an hour) in whole seconds; "-:--" when unknown."""
    if seconds is None or seconds < 0:
        return "-:--"
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
