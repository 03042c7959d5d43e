"""Keeping what C libraries print off the terminal.

libmpv's audio outputs (ALSA, PipeWire, PulseAudio) report trouble by writing to
file descriptor 2 themselves, past Python's logging: with no sound card, lines
such as "ALSA lib pcm.c:...: Unknown PCM default" would be drawn over the app,
or come between `setlist play`'s own lines, saying less than setlist says.
While either runs, descriptor 2 goes to the log file; the app draws on a
descriptor of its own for the terminal that 2 was (Textual draws on stderr), and
`setlist play` writes its messages there (`python_stderr_kept`).
"""

from __future__ import annotations

import contextlib
import logging
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


@contextlib.contextmanager
def python_stderr_kept(log: Path) -> Iterator[None]:
    """Descriptor 2 to `log`, while sys.stderr and logging still write to the terminal."""
    with stderr_to(log) as terminal:
        if terminal is None:
            yield
            return
        old = sys.stderr
        handlers = [
            h
            for h in logging.getLogger().handlers
            if isinstance(h, logging.StreamHandler) and h.stream is old
        ]
        sys.stderr = terminal
        for handler in handlers:
            handler.setStream(terminal)
        try:
            yield
        finally:
            for handler in handlers:
                handler.setStream(old)
            sys.stderr = old
