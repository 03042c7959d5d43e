"""Cover art kept on disk between runs, within a size bound, oldest evicted first.

One file per image URL, named by the URL's hash (no URL or query, which may carry
a signature, ends up in a file name). A file's modification time is when it was
last written or read, so "oldest" is the one least recently used. Every failure
here is a cache miss: art is never worth an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from pathlib import Path

from setlist.store import paths
from setlist.store.atomic import write_atomic

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 32 * 1024 * 1024
SUFFIX = ".img"


def art_dir() -> Path:
    return paths.cache_dir() / "art"


class ArtCache:
    """Image bytes by URL in `folder`, at most `max_bytes` in all."""

    def __init__(self, folder: Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = folder if folder is not None else art_dir()
        self.max_bytes = max_bytes

    def path_for(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode()).hexdigest()[:40] + SUFFIX)

    def get(self, url: str) -> bytes | None:
        path = self.path_for(url)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: the last to be evicted
        return data

    def put(self, url: str, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return
        try:
            write_atomic(self.path_for(url), data, durable=False)
            self.evict()
        except OSError as exc:
            log.info("cover art not cached: %s", exc)

    def evict(self) -> list[Path]:
        """Remove the oldest files until the folder is within the bound; the removed."""
        entries: list[tuple[float, int, Path]] = []
        try:
            with os.scandir(self.folder) as found:
                for entry in found:
                    if entry.name.endswith(SUFFIX) and entry.is_file(follow_symlinks=False):
                        info = entry.stat(follow_symlinks=False)
                        entries.append((info.st_mtime, info.st_size, Path(entry.path)))
        except OSError:
            return []
        total = sum(size for _, size, _ in entries)
        removed: list[Path] = []
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
            total -= size
        return removed

    def size(self) -> int:
        try:
            return sum(p.stat().st_size for p in self.folder.glob("*" + SUFFIX))
        except OSError:
            return 0
