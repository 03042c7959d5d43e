"""The player's state between runs: the queue, where it was, volume, shuffle and repeat.

Written with `store.atomic.write_atomic` (a temporary file beside it, fsync, rename),
so a crash or `kill -9` at any moment leaves either the previous state or the new
one, never half of one. A file that cannot be read is set aside as `state.json.bad`
and setlist starts with an empty queue and a warning.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from pathlib import Path

import msgspec

from setlist.core.queue import QueueSnapshot
from setlist.store import paths
from setlist.store.atomic import NotRegularFile, read_regular, write_atomic

try:
    import fcntl
except ImportError:  # Windows: no lock, as for the token file
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

STATE_FILE = "state.json"
LOCK_FILE = "state.lock"  # held by the one player process that keeps the state
SHARED = (
    "Another setlist player (the daemon, `setlist play`, or another app) keeps the "
    "saved queue: this one's queue is not saved."
)
STATE_VERSION = 1
_LEFTOVERS = f".{STATE_FILE}.*.tmp"  # temp files of `write_atomic`


class PlayerState(msgspec.Struct, kw_only=True):
    version: int = STATE_VERSION
    queue: QueueSnapshot = msgspec.field(default_factory=lambda: QueueSnapshot(entries=[]))
    position: float = 0.0  # seconds into the current entry
    volume: float = 100.0
    muted: bool = False


class StateStore:
    """One state file. `load()` never raises for a bad file; `save()` raises OSError only."""

    def __init__(self, state_dir: Path | str | None = None) -> None:
        self.dir = Path(state_dir) if state_dir is not None else paths.state_dir()
        self.path = self.dir / STATE_FILE
        self.warning: str | None = None  # set by load() when the file had to be set aside
        self._lock: int | None = None  # the lock file's descriptor, while claimed

    def load(self) -> PlayerState | None:
        """The saved state, or None when there is none or it is unreadable."""
        self.warning = None
        self._remove_leftovers()
        try:
            data = read_regular(self.path)
        except FileNotFoundError:
            return None
        except NotRegularFile as exc:
            self.warning = f"Could not read the saved queue: {exc}; starting empty."
            log.warning(self.warning)
            return None
        except OSError as exc:
            self.warning = f"Could not read the saved queue ({exc.strerror}); starting empty."
            log.warning(self.warning)
            return None
        try:
            state = msgspec.json.decode(data, type=PlayerState)
            if state.version != STATE_VERSION:
                raise ValueError(f"version {state.version}")
        except (msgspec.DecodeError, ValueError) as exc:
            bad = self.path.with_name(STATE_FILE + ".bad")
            with contextlib.suppress(OSError):
                self.path.replace(bad)
            self.warning = (
                f"The saved queue was unreadable ({exc}); kept it as {bad}, starting empty."
            )
            log.warning(self.warning)
            return None
        return state

    def claim(self) -> bool:
        """Take the state for this process, until `release` or exit (even `kill -9`);
        False when another process holds it: two players saving one file would
        each overwrite the other's queue."""
        if self._lock is not None or fcntl is None:
            return True
        paths.ensure_dir(self.dir)
        fd = os.open(self.dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._lock = fd
        return True

    def release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor drops the lock
            self._lock = None

    def save(self, state: PlayerState) -> None:
        """Replace the state file atomically and durably."""
        write_atomic(self.path, msgspec.json.encode(state))

    def _remove_leftovers(self) -> None:
        """Temporary files of writes a crash interrupted (old ones: another setlist
        process may be writing right now)."""
        cutoff = time.time() - 60
        with contextlib.suppress(OSError):
            for tmp in self.dir.glob(_LEFTOVERS):
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink(missing_ok=True)
