"""setlist's log: one file in the log folder, for what is worth keeping but not saying.

The app logs there (a line on stderr would be drawn over its screen), and so do
the commands: notes such as the demo's automatic sign-in go to the log, so that
a command's stderr is left for what the user has to know.
"""

from __future__ import annotations

import logging
from pathlib import Path

from setlist.store import paths

LOG_FILE = "setlist.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_file() -> Path:
    return paths.log_dir() / LOG_FILE


def file_handler() -> logging.Handler:
    """A handler appending to the log (its folder made first); OSError if it cannot be.

    setlist's own INFO lines reach it: the "setlist" logger is set to INFO when
    it would drop them. Other libraries' loggers keep the root's level.
    """
    path = paths.ensure_dir(paths.log_dir()) / LOG_FILE
    # delay: the file is opened only when there is something to write.
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    ours = logging.getLogger("setlist")
    if ours.getEffectiveLevel() > logging.INFO:
        ours.setLevel(logging.INFO)
    return handler
