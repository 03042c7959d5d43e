"""The searches typed in the app, kept across runs: `search-history.json` in the state folder.

Newest last, each once (searching again moves it to the end), at most `LIMIT`
of them, each cut to `LONGEST` characters, so the file stays small however long
setlist is used. Written whole or not at all (`write_atomic`). A file that cannot
be read as a history is not lost: it is renamed `search-history.json.damaged` and
a new history starts; `problem` says so.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import msgspec

from setlist.store import paths
from setlist.store.atomic import read_regular, write_atomic

FILE_NAME = "search-history.json"
LIMIT = 200
LONGEST = 300


class _Document(msgspec.Struct):
    searches: list[str] = msgspec.field(default_factory=list)


def history_file() -> Path:
    return paths.state_dir() / FILE_NAME


class SearchHistory:
    """The history in one file; `entries` oldest first. Writes raise OSError."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or history_file()
        self.problem = ""  # what went wrong reading the file, for the user
        self.entries: list[str] = self._load()

    def _load(self) -> list[str]:
        try:
            data = read_regular(self.path)
        except FileNotFoundError:
            return []
        except OSError as exc:
            self.problem = f"Could not read the search history {self.path}: {exc.strerror or exc}"
            return []
        try:
            document = msgspec.json.decode(data, type=_Document)
        except msgspec.DecodeError as exc:
            kept = self.path.with_name(f"{self.path.name}.damaged")
            with contextlib.suppress(OSError):
                self.path.replace(kept)
            self.problem = (
                f"The search history {self.path} could not be read ({exc}); it was kept as "
                f"{kept.name} and a new one started."
            )
            return []
        return _bounded(document.searches)

    def add(self, query: str) -> None:
        """Keep `query` as the newest search, and write the file."""
        query = " ".join(query.split())[:LONGEST]
        if not query:
            return
        entries = [e for e in self.entries if e != query]
        entries.append(query)
        self.entries = _bounded(entries)
        self._write()

    def clear(self) -> None:
        """Forget every search: the file goes."""
        self.entries = []
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _write(self) -> None:
        # Not fsynced: losing the newest search to a power cut is no loss worth the wait.
        data = msgspec.json.encode(_Document(self.entries))
        write_atomic(self.path, data, durable=False)


def _bounded(entries: list[str]) -> list[str]:
    kept = [e[:LONGEST] for e in entries if isinstance(e, str) and e.strip()]
    return kept[-LIMIT:]
