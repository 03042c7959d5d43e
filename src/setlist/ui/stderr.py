"""Keeping what C libraries print off the app's screen.

libmpv's audio outputs (ALSA, PipeWire, PulseAudio) report trouble by writing to
file descriptor 2 themselves, past Python's logging: with no sound card, lines
such as "ALSA lib pcm.c:...: Unknown PCM default" would be drawn over the app.
While the app runs, descriptor 2 goes to the log file, and the app draws on a
descriptor of its own for the terminal that 2 was (Textual draws on stderr).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def stderr_to(log: Path) -> Iterator[TextIO | None]:
    """Point descriptor 2 at `log`; yields a file on the terminal it was (None: not a tty)."""
    stream = sys.__stderr__
    if stream is None or not os.isatty(2):
        yield None
        return
    stream.flush()
    saved = os.dup(2)
    # Closed in `finally`, once descriptor 2 is back on the terminal.
    terminal = os.fdopen(os.dup(2), "w", encoding=stream.encoding, errors="backslashreplace")
    with log.open("ab") as file:
        os.dup2(file.fileno(), 2)
    try:
        yield terminal
    finally:
        stream.flush()
        os.dup2(saved, 2)
        os.close(saved)
        terminal.close()
