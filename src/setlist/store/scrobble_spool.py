"""Scrobbles waiting for Last.fm, on disk: one small file per scrobble.

A scrobble is written (atomically, fsynced) the moment it is earned, before any
attempt to send it, and its file is removed only once Last.fm has answered for
it (accepted or ignored). So a `kill -9`, a crash or days offline lose nothing.
File names sort oldest first (the track's start time, then when it was kept).

Sending takes the spool's lock (an flock, released by the kernel when the
process dies), so two processes never send the same files.

The one window left: Last.fm took a batch and the process died before the
files went. Those scrobbles are sent again on the next start, with the same
artist, track and timestamp, which Last.fm counts once (the demo does too).

Beside the spool, `status.json` says what happened last (for
`setlist scrobble status` and the app): when scrobbles were last sent, the last
error, the scrobbles Last.fm ignored, whether Last.fm wants a new sign-in.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import msgspec

from setlist.core.scrobbles import BATCH, Ignored, Scrobble
from setlist.store import paths
from setlist.store.atomic import read_regular, write_atomic

try:
    import fcntl
except ImportError:  # Windows: one process sends at a time by luck only
    fcntl = None  # type: ignore[assignment]  # the module or None, tested before use

log = logging.getLogger(__name__)

SUFFIX = ".json"
STATUS_FILE = "status.json"
KEEP_IGNORED = 20  # the most recent ignored scrobbles the status remembers


def spool_dir() -> Path:
    return paths.state_dir() / "scrobbles"


class IgnoredNote(msgspec.Struct, frozen=True, kw_only=True):
    artist: str
    track: str
    timestamp: int
    code: int
    reason: str
    at: float  # when Last.fm said so


class ScrobbleStatus(msgspec.Struct, kw_only=True):
    last_sent_at: float | None = None
    last_sent_count: int = 0
    sent_total: int = 0
    last_error: str | None = None
    last_error_at: float | None = None
    needs_sign_in: bool = False
    ignored: list[IgnoredNote] = []


class Spool:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else spool_dir()

    # -- the scrobbles

    def add(self, scrobble: Scrobble) -> Path:
        """Keep `scrobble` on disk now; OSError when it cannot be written."""
        name = f"{scrobble.timestamp:012d}-{time.time_ns():020d}-{scrobble.id}{SUFFIX}"
        path = self.folder / name
        write_atomic(path, msgspec.json.encode(scrobble))
        return path

    def _files(self) -> list[Path]:
        try:
            found = [p for p in self.folder.iterdir() if p.name[0].isdigit()]
        except FileNotFoundError:
            return []
        return sorted((p for p in found if p.name.endswith(SUFFIX)), key=lambda p: p.name)

    def count(self) -> int:
        return len(self._files())

    def oldest(self, limit: int = BATCH) -> list[tuple[Path, Scrobble]]:
        """Up to `limit` waiting scrobbles, oldest first. A file that cannot be read is
        moved aside to damaged/ (and logged), never sent and never lost."""
        found: list[tuple[Path, Scrobble]] = []
        for path in self._files():
            if len(found) == limit:
                break
            try:
                found.append((path, msgspec.json.decode(read_regular(path), type=Scrobble)))
            except FileNotFoundError:
                continue  # sent meanwhile
            except (OSError, msgspec.DecodeError, msgspec.ValidationError) as exc:
                self._set_aside(path, exc)
        return found

    def remove(self, files: list[Path]) -> None:
        for path in files:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def _set_aside(self, path: Path, error: Exception) -> None:
        damaged = paths.ensure_dir(self.folder / "damaged")
        log.warning("a spooled scrobble cannot be read (%s); moved to %s", error, damaged)
        with contextlib.suppress(OSError):
            path.replace(damaged / path.name)

    def reject(self, files: list[Path]) -> Path:
        """Move scrobbles Last.fm refuses as invalid out of the way (kept, not sent)."""
        rejected = paths.ensure_dir(self.folder / "rejected")
        for path in files:
            with contextlib.suppress(OSError):
                path.replace(rejected / path.name)
        return rejected

    @contextlib.contextmanager
    def sending(self) -> Iterator[bool]:
        """Whether this process may send now (another one may be sending this spool)."""
        if fcntl is None:
            yield True
            return
        paths.ensure_dir(self.folder)
        fd = os.open(self.folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)

    # -- what happened last

    @property
    def status_file(self) -> Path:
        return self.folder / STATUS_FILE

    def status(self) -> ScrobbleStatus:
        """The status kept so far; a fresh one when there is none or it is damaged."""
        try:
            return msgspec.json.decode(read_regular(self.status_file), type=ScrobbleStatus)
        except FileNotFoundError:
            return ScrobbleStatus()
        except (OSError, msgspec.DecodeError, msgspec.ValidationError) as exc:
            log.warning("%s cannot be read (%s); starting it afresh", self.status_file, exc)
            return ScrobbleStatus()

    def save_status(self, status: ScrobbleStatus) -> None:
        status.ignored = status.ignored[-KEEP_IGNORED:]
        try:
            write_atomic(self.status_file, msgspec.json.encode(status), durable=False)
        except OSError as exc:
            log.warning("cannot write %s: %s", self.status_file, exc.strerror)


def ignored_note(ignored: Ignored, at: float) -> IgnoredNote:
    s = ignored.scrobble
    return IgnoredNote(
        artist=s.artist,
        track=s.track,
        timestamp=s.timestamp,
        code=ignored.code,
        reason=ignored.reason,
        at=at,
    )
