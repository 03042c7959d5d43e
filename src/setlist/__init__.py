"""setlist: a keyboard-first terminal music player."""

import sys

__version__ = "0.1.0"

# httpx imports its own command-line client (click, pygments) whenever click is
# installed, as it is beside uvicorn: 2.6 MB resident that setlist never uses.
# With this, httpx's `main` is its stub; its client is untouched.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]  # None blocks the import
