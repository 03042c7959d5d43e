"""Cover art drawn with half blocks: each cell is two pixels, "▀" in the top one's
colour on the bottom one's.

Half blocks draw in every terminal with true colour (or Textual's nearest colours),
over SSH and in tmux. A graphics protocol (kitty, sixel, iTerm) would need the
terminal to be asked what it supports before the app starts, which costs start-up
time and can eat a typed key, so it is not used.

The picture is fetched and scaled in a worker: until it arrives the widget shows a
quiet placeholder, and when there is none to be had it shows nothing.
"""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING, cast

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual import work
from textual.widget import Widget

if TYPE_CHECKING:
    from setlist.ui.app import SetlistApp

log = logging.getLogger(__name__)

UPPER_HALF = "▀"
MAX_PIXELS = 4096 * 4096
Pixel = tuple[int, int, int]


def halfblock_lines(data: bytes, columns: int, rows: int) -> list[Text] | None:
    """The picture in `data` cropped to fill `columns` x `rows` cells; None when it is
    not a picture Pillow can read. Slow for large pictures: call it in a thread."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if columns < 1 or rows < 1:
        return None
    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
            if width * height > MAX_PIXELS:  # a small file can unpack to gigabytes
                log.info("cover art not drawn: %d x %d pixels", width, height)
                return None
            opened.draft("RGB", (columns, rows * 2))  # JPEG: decode at a fraction
            image = ImageOps.fit(opened.convert("RGB"), (columns, rows * 2), Image.Resampling.BOX)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        log.info("cover art not drawn: %s", exc)
        return None
    raw = image.tobytes()
    pixels: list[Pixel] = [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]
    lines: list[Text] = []
    for row in range(rows):
        top = pixels[row * 2 * columns : (row * 2 + 1) * columns]
        bottom = pixels[(row * 2 + 1) * columns : (row * 2 + 2) * columns]
        line = Text(no_wrap=True, end="")
        for upper, lower in zip(top, bottom, strict=True):
            line.append(
                UPPER_HALF,
                Style(color=Color.from_rgb(*upper), bgcolor=Color.from_rgb(*lower)),
            )
        lines.append(line)
    return lines


async def load_art(app: SetlistApp, url: str, columns: int, rows: int) -> list[Text] | None:
    """The picture at `url` as half-block lines, or None; never raises: a worker's
    error would be reported on screen, and a picture is not worth one."""
    try:
        data = await app.services.art.image(url)
        if data is None:
            return None
        return await asyncio.to_thread(halfblock_lines, data, columns, rows)
    except Exception:
        log.warning("cover art not shown", exc_info=True)
        return None


def art_enabled(app: SetlistApp) -> bool:
    return app.config.ui.art


class CoverArt(Widget):
    """An album's or artist's picture in the cells this widget is given."""

    DEFAULT_CSS = """
    CoverArt {
        background: $panel;
        color: $text-muted;
        content-align: center middle;
    }
    CoverArt.-empty { display: none; }
    """

    def __init__(
        self, columns: int = 8, rows: int = 4, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns, self.rows = columns, rows
        self.styles.width = columns
        self.styles.height = rows
        self.url: str | None = None
        self.lines: list[Text] | None = None

    @property
    def setlist(self) -> SetlistApp:
        return cast("SetlistApp", self.app)

    def on_mount(self) -> None:
        self.set_class(self.url is None, "-empty")

    def show(self, url: str | None) -> None:
        """Draw the picture at `url` (None: there is none, and nothing is shown)."""
        if not art_enabled(self.setlist):
            url = None
        if url == self.url:
            return
        self.url = url
        self.lines = None
        self.set_class(url is None, "-empty")
        self.refresh()
        if url is not None:
            self._load(url)

    @work(exclusive=True, group="cover-art", exit_on_error=False)
    async def _load(self, url: str) -> None:
        lines = await load_art(self.setlist, url, self.columns, self.rows)
        if url != self.url:
            return
        if lines is None:
            self.add_class("-empty")
            return
        self.lines = lines
        self.refresh()

    def render(self) -> Text:
        if self.lines is None:
            return Text("♪")
        return Text("\n", end="").join(self.lines)
