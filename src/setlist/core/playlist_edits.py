"""Edit sessions over a track list: a playlist on a server, or the play queue.

An `EditSession` holds the list as the user sees it. Every edit changes that list
at once (optimistic) and is queued for its backend; one task sends the queued
edits in order, one at a time. When the backend refuses an edit, the list goes
back to what it was before that edit, the edits queued after it are dropped (they
were made on top of it), the list is read again from the backend (a refusal often
means it changed elsewhere, and part of the edit may have been saved), and
listeners get a `Refused` event whose message says why and what the backend now
holds. An edit the backend accepted on a list that had changed elsewhere (a
remove rewrites the whole playlist) is saved: the list is read again and the
`Saved` event says so. `undo()` reverts the last edit by sending its inverse: a move back, a remove
of what was added, a restore of what was removed, a rename back.

Rows have a local `key` that never changes; the backend's id of a row (a
playlist entry id, a queue entry id) can: the YourMusic API renumbers every row
when tracks are removed. The session maps one to the other, so edits queued
before a renumbering still name the right rows when they are sent.

Backends: `PlaylistBackend` (a `PlaylistEditor`: one PATCH per moved row,
`remove_entries`; a restore appends the missing rows and moves them into place,
so the others keep their ids) and `QueueBackend` (the player's
queue; local, it never refuses).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from setlist.core.errors import ProviderError, SetlistError, SignInRequired
from setlist.core.models import Page, Playlist, PlaylistEntry, Track
from setlist.core.protocols import PlaylistEditor
from setlist.core.queue import Queue, QueueEntry

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Row:
    """One row of an edited list: a stable local key and its track."""

    key: str
    track: Track


# -- events for listeners (the UI turns them into messages)


@dataclass(frozen=True, slots=True)
class Changed:
    """The list or the name changed: by an edit, an undo, a rollback or a reload, or a
    row's track is better known (a file's tags)."""

    cause: Literal["edit", "undo", "rollback", "reload", "retrack"]


@dataclass(frozen=True, slots=True)
class Saved:
    """The backend accepted an edit; `note` says what else the user should know."""

    label: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Refused:
    """The backend refused an edit; the list is back to what it was before it."""

    label: str
    error: SetlistError
    dropped: int = 0  # edits made after it, undone with it
    reloaded: bool = False  # the backend's list differed from the rollback: it is shown now
    partly: str = ""  # what of it reached the backend, when that much is known
    unknown: bool = False  # part of it may have reached the backend, which could not be read

    @property
    def title(self) -> str:
        return "Partly saved" if self.partly else "Not saved"

    @property
    def message(self) -> str:
        text = f"Could not {self.label}: {self.error.message}"
        if self.partly:
            text += f" {self.partly}"
        if self.unknown:
            return text + " Part of it may have been saved: press ctrl+r to read the list again."
        if self.reloaded:
            if self.dropped:
                later = "change" if self.dropped == 1 else "changes"
                text += f" The {self.dropped} {later} made after it were not sent either."
            return text + " The list was read again from the server."
        if self.dropped:
            later = "change" if self.dropped == 1 else "changes"
            return text + f" It is undone, with the {self.dropped} {later} made after it."
        return text + " It is undone."


EditEvent = Changed | Saved | Refused
Listener = Callable[[EditEvent], None]
# A backend's rows after an edit that renumbers them: (row id, track id), in order.
Listed = list[tuple[str, str]]


class _ListChanged(Exception):
    """The edit was saved, but the backend's list is not the one shown: it changed elsewhere."""


# -- backends


class EditBackend(Protocol):
    """Where a session's edits go. Indexes are 0-based positions in the whole list."""

    @property
    def editable(self) -> bool: ...

    async def load(self) -> list[tuple[str, Track]]: ...
    async def append(self, track: Track) -> str: ...
    async def move(self, row_id: str, index: int) -> None: ...
    async def remove(self, row_ids: list[str]) -> Listed | None:
        """Remove rows; the remaining rows when the backend renumbers them."""
        ...

    async def restore(self, rows: list[tuple[str | None, Track]]) -> Listed:
        """Make the list exactly `rows` (None: a row to create); all its rows afterwards."""
        ...

    async def clear(self) -> None: ...
    async def update(self, *, name: str | None = None, public: bool | None = None) -> None: ...


class PlaylistSource(PlaylistEditor, Protocol):
    """A `PlaylistEditor` that also reads playlists whole and finds public ones (YourMusic)."""

    async def playlist_with_entries(
        self, playlist_id: str
    ) -> tuple[Playlist, list[PlaylistEntry]]: ...
    async def search_playlists(self, query: str, page: int | None = None) -> Page[Playlist]: ...


def entry_track(entry: PlaylistEntry) -> Track:
    """The entry's track, or a stand-in when the catalog no longer knows it."""
    if entry.track is not None:
        return entry.track
    return Track(
        provider="yourmusic", id=entry.track_id, title=f"Unavailable track {entry.track_id}"
    )


class PlaylistBackend:
    """A playlist behind a `PlaylistEditor`: a move is one PATCH, a restore one PUT."""

    def __init__(self, editor: PlaylistSource, playlist: Playlist) -> None:
        self.editor = editor
        self.playlist = playlist

    @property
    def editable(self) -> bool:
        return self.playlist.owned

    async def load(self) -> list[tuple[str, Track]]:
        playlist, entries = await self.editor.playlist_with_entries(self.playlist.id)
        self.playlist = playlist
        return [(e.id, entry_track(e)) for e in entries]

    async def append(self, track: Track) -> str:
        return (await self.editor.add_track(self.playlist.id, track.id)).id

    async def move(self, row_id: str, index: int) -> None:
        await self.editor.move_entry(self.playlist.id, row_id, index + 1)

    async def remove(self, row_ids: list[str]) -> Listed | None:
        kept = await self.editor.remove_entries(self.playlist.id, row_ids)
        return [(e.id, e.track_id) for e in kept]

    async def restore(self, rows: list[tuple[str | None, Track]]) -> Listed:
        # The rows that stayed keep their ids (scripts hold them): the missing ones are
        # appended and moved into place. Only when none stayed is it one PUT.
        current = [row_id for row_id, _ in rows if row_id is not None]
        if not current:
            entries = await self.editor.replace_tracks(self.playlist.id, [t.id for _, t in rows])
            return [(e.id, e.track_id) for e in entries]
        ids: list[str] = []
        for row_id, track in rows:
            if row_id is None:
                row_id = (await self.editor.add_track(self.playlist.id, track.id)).id
                current.append(row_id)
            ids.append(row_id)
        for index, row_id in enumerate(ids):
            if current[index] != row_id:
                await self.editor.move_entry(self.playlist.id, row_id, index + 1)
                current.remove(row_id)
                current.insert(index, row_id)
        return [(row_id, track.id) for row_id, (_, track) in zip(ids, rows, strict=True)]

    async def clear(self) -> None:
        await self.editor.replace_tracks(self.playlist.id, [])

    async def update(self, *, name: str | None = None, public: bool | None = None) -> None:
        self.playlist = await self.editor.update_playlist(
            self.playlist.id, name=name, public=public
        )


class QueueTarget(Protocol):
    """What edits a queue: the `Player` (which keeps playback in step), or a bare queue in tests."""

    @property
    def queue(self) -> Queue: ...

    async def add(
        self, tracks: Iterable[Track], *, where: Literal["end"] = "end"
    ) -> list[QueueEntry]: ...
    async def move(self, entry_id: str, index: int) -> None: ...
    async def remove(self, entry_ids: Iterable[str]) -> None: ...
    async def clear(self) -> None: ...


class QueueBackend:
    """The play queue: local, so every edit is accepted at once."""

    editable = True

    def __init__(self, target: QueueTarget) -> None:
        self.target = target

    async def load(self) -> list[tuple[str, Track]]:
        return [(e.id, e.track) for e in self.target.queue.entries]

    async def append(self, track: Track) -> str:
        return (await self.target.add([track]))[0].id

    async def move(self, row_id: str, index: int) -> None:
        await self.target.move(row_id, index)

    async def remove(self, row_ids: list[str]) -> Listed | None:
        await self.target.remove(row_ids)
        return None

    async def restore(self, rows: list[tuple[str | None, Track]]) -> Listed:
        # One add for the rows to create (all of them after X), then moves only if needed.
        missing = [track for row_id, track in rows if row_id is None]
        added = iter([e.id for e in await self.target.add(missing)] if missing else [])
        ids = [row_id or next(added) for row_id, _ in rows]
        if [e.id for e in self.target.queue.entries] != ids:
            for index, row_id in enumerate(ids):
                if self.target.queue.index(row_id) != index:
                    await self.target.move(row_id, index)
        return [(row_id, track.id) for row_id, (_, track) in zip(ids, rows, strict=True)]

    async def clear(self) -> None:
        await self.target.clear()  # the player stops, and forgets what played

    async def update(self, *, name: str | None = None, public: bool | None = None) -> None:
        raise SetlistError("The queue has no name and cannot be made public.")


# -- edits


@dataclass
class _State:
    rows: list[Row]
    name: str
    public: bool | None

    def copy(self) -> _State:
        return _State(list(self.rows), self.name, self.public)


class _Edit:
    """One user edit: how it changes the local state, and how it reaches the backend."""

    label = "save the change"

    def apply(self, state: _State) -> None:
        raise NotImplementedError

    async def send(self, session: EditSession) -> None:
        raise NotImplementedError

    def inverse(self) -> _Edit:
        raise NotImplementedError

    def partly(self) -> str:
        """What reached the backend when the edit was refused part way (see `_partial`)."""
        return "Part of it was saved."


def _quote(track: Track) -> str:
    return f"“{track.title}”"


def _tracks_label(verb: str, rows: Sequence[Row]) -> str:
    return f"{verb} {_quote(rows[0].track)}" if len(rows) == 1 else f"{verb} {len(rows)} tracks"


class _Add(_Edit):
    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.label = _tracks_label("add", rows)
        self.sent = 0

    def apply(self, state: _State) -> None:
        state.rows.extend(self.rows)

    async def send(self, session: EditSession) -> None:
        for row in self.rows:
            session._ids[row.key] = await session.backend.append(row.track)
            session._partial = True
            self.sent += 1

    def partly(self) -> str:
        return f"{self.sent} of the {len(self.rows)} were added."

    def inverse(self) -> _Edit:
        return _Remove([r.key for r in self.rows])


@dataclass(frozen=True, slots=True)
class _Step:
    key: str
    origin: int
    target: int


class _Move(_Edit):
    """Rows moved one after the other; each step is one backend call (one PATCH)."""

    def __init__(self, steps: list[_Step], label: str) -> None:
        self.steps = steps
        self.label = label

    def apply(self, state: _State) -> None:
        rows = state.rows
        for step in self.steps:
            rows.insert(step.target, rows.pop(step.origin))

    async def send(self, session: EditSession) -> None:
        for step in self.steps:
            await session.backend.move(session._ids[step.key], step.target)
            session._partial = True

    def inverse(self) -> _Edit:
        back = [_Step(s.key, s.target, s.origin) for s in reversed(self.steps)]
        return _Move(back, "move it back")


class _Remove(_Edit):
    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = set(keys)
        self.before: list[Row] = []
        self.after: list[Row] = []
        self.label = "remove tracks"

    def apply(self, state: _State) -> None:
        self.before = list(state.rows)
        gone = [r for r in state.rows if r.key in self.keys]
        self.label = _tracks_label("remove", gone) if gone else self.label
        self.after = [r for r in state.rows if r.key not in self.keys]
        state.rows = list(self.after)

    async def send(self, session: EditSession) -> None:
        ids = session._ids
        renumbered = await session.backend.remove([ids[k] for k in self.keys if k in ids])
        session._partial = True
        for key in self.keys:
            ids.pop(key, None)
        if renumbered is not None:
            session._renumber(self.after, renumbered)

    def inverse(self) -> _Edit:
        restored = [r for r in self.before if r.key in self.keys]
        return _Restore(self.before, _tracks_label("put back", restored))


class _Clear(_Edit):
    """Every row at once (the queue's X): one backend call, undone by a restore."""

    def __init__(self) -> None:
        self.before: list[Row] = []
        self.label = "clear the list"

    def apply(self, state: _State) -> None:
        self.before = list(state.rows)
        self.label = _tracks_label("remove", self.before) if self.before else self.label
        state.rows = []

    async def send(self, session: EditSession) -> None:
        await session.backend.clear()
        session._partial = True
        for row in self.before:
            session._ids.pop(row.key, None)

    def inverse(self) -> _Edit:
        return _Restore(self.before, _tracks_label("put back", self.before))


class _Restore(_Edit):
    def __init__(self, rows: list[Row], label: str) -> None:
        self.rows = rows
        self.label = label

    def apply(self, state: _State) -> None:
        state.rows = list(self.rows)

    async def send(self, session: EditSession) -> None:
        rows = [(session._ids.get(r.key), r.track) for r in self.rows]
        ids = await session.backend.restore(rows)
        session._partial = True
        session._renumber(self.rows, ids)

    def inverse(self) -> _Edit:
        return _Remove([r.key for r in self.rows])


class _Update(_Edit):
    def __init__(self, *, name: str | None = None, public: bool | None = None) -> None:
        self.name = name
        self.public = public
        self.previous: tuple[str, bool | None] = ("", None)
        if name is not None:
            self.label = f"rename the playlist to “{name}”"
        else:
            self.label = "make the playlist " + ("public" if public else "private")

    def apply(self, state: _State) -> None:
        self.previous = (state.name, state.public)
        if self.name is not None:
            state.name = self.name
        if self.public is not None:
            state.public = self.public

    async def send(self, session: EditSession) -> None:
        await session.backend.update(name=self.name, public=self.public)

    def inverse(self) -> _Edit:
        name, public = self.previous
        if self.name is not None:
            return _Update(name=name)
        return _Update(public=public)


@dataclass
class _Job:
    edit: _Edit
    before: _State
    undoes: _Edit | None = None  # the history entry this job reverts
    after: _State | None = None  # the state it makes


# -- the session


class EditSession:
    """A list the user edits; see the module docstring.

    `rows` are (backend id, track) in order; `name` and `public` describe a playlist.
    """

    def __init__(
        self,
        backend: EditBackend,
        rows: Iterable[tuple[str, Track]] = (),
        *,
        name: str = "",
        public: bool | None = None,
    ) -> None:
        self.backend = backend
        self._state = _State([], name, public)
        self._ids: dict[str, str] = {}  # row key -> backend id
        self._history: list[_Edit] = []
        self._jobs: deque[_Job] = deque()
        self._listeners: list[Listener] = []
        self._runner: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._partial = False  # the job being sent has changed the backend already
        self.version = 0  # bumped on every change of the rows, for caches
        self._reset(list(rows))

    @classmethod
    async def open_playlist(cls, editor: PlaylistSource, playlist_id: str) -> EditSession:
        """Read a playlist and its tracks, and start editing it."""
        playlist, entries = await editor.playlist_with_entries(playlist_id)
        rows = [(e.id, entry_track(e)) for e in entries]
        backend = PlaylistBackend(editor, playlist)
        return cls(backend, rows, name=playlist.name, public=playlist.public)

    @classmethod
    def for_queue(cls, target: QueueTarget) -> EditSession:
        rows = [(e.id, e.track) for e in target.queue.entries]
        return cls(QueueBackend(target), rows, name="Queue")

    # -- reading

    @property
    def rows(self) -> Sequence[Row]:
        return self._state.rows

    @property
    def name(self) -> str:
        return self._state.name

    @property
    def public(self) -> bool | None:
        return self._state.public

    @property
    def editable(self) -> bool:
        return self.backend.editable

    @property
    def playlist(self) -> Playlist | None:
        """The playlist as the server last described it (None for the queue)."""
        return self.backend.playlist if isinstance(self.backend, PlaylistBackend) else None

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def backend_ids(self) -> list[str | None]:
        """The backend's id of each row, in order (None while an added row is on its way)."""
        return [self._ids.get(r.key) for r in self._state.rows]

    def backend_id(self, key: str) -> str | None:
        """The backend's id of the row `key` (None while it is on its way, or gone)."""
        return self._ids.get(key)

    def key_of(self, backend_id: str) -> str | None:
        """The key of the row the backend calls `backend_id` (a restored row keeps its key)."""
        return next((k for k, i in self._ids.items() if i == backend_id), None)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def idle(self) -> None:
        """Wait until every queued edit has been sent."""
        await self._idle.wait()

    def unsent(self) -> list[str]:
        """The labels of the edits the backend has not accepted yet, the one on its way first."""
        return [job.edit.label for job in self._jobs]

    def abandon(self) -> None:
        """Send nothing more (the app quits without them): the queued edits stay unsent."""
        if self._runner is not None:
            self._runner.cancel()

    # -- edits: each changes the list now and returns False when there is nothing to do

    def add(self, tracks: Iterable[Track]) -> list[str]:
        """Append tracks; the keys of their new rows."""
        rows = [Row(uuid.uuid4().hex, t) for t in tracks]
        if rows:
            self._submit(_Add(rows))
        return [r.key for r in rows]

    def move_up(self, keys: Iterable[str]) -> bool:
        places = self._places(keys)
        if not places or places[0][1] == 0:
            return False
        steps = [_Step(k, i, i - 1) for k, i in places]
        return self._submit_move(steps, "up")

    def move_down(self, keys: Iterable[str]) -> bool:
        places = self._places(keys)
        last = len(self._state.rows) - 1
        if not places or places[-1][1] == last:
            return False
        steps = [_Step(k, i, i + 1) for k, i in reversed(places)]
        return self._submit_move(steps, "down")

    def move_to_top(self, keys: Iterable[str]) -> bool:
        # Ascending: moving a row to the top does not shift the ones below it.
        steps = [_Step(k, i, n) for n, (k, i) in enumerate(self._places(keys)) if i != n]
        return self._submit_move(steps, "to the top")

    def move_to_bottom(self, keys: Iterable[str]) -> bool:
        last = len(self._state.rows) - 1
        places = reversed(self._places(keys))
        steps = [_Step(k, i, last - n) for n, (k, i) in enumerate(places) if i != last - n]
        return self._submit_move(steps, "to the bottom")

    def move(self, key: str, index: int) -> bool:
        """Move one row to `index` (clamped to the list)."""
        places = self._places([key])
        if not places:
            return False
        target = max(0, min(index, len(self._state.rows) - 1))
        if places[0][1] == target:
            return False
        return self._submit_move([_Step(key, places[0][1], target)], f"to #{target + 1}")

    def remove(self, keys: Iterable[str]) -> bool:
        wanted = set(keys)
        if not any(r.key in wanted for r in self._state.rows):
            return False
        self._submit(_Remove(wanted))
        return True

    def clear(self) -> bool:
        """Remove every row in one edit (undone as one)."""
        if not self._state.rows:
            return False
        self._submit(_Clear())
        return True

    def rename(self, name: str) -> bool:
        name = name.strip()
        if self.playlist is None or not name or name == self._state.name:
            return False
        self._submit(_Update(name=name))
        return True

    def set_public(self, public: bool) -> bool:
        if self.playlist is None or public == self._state.public:
            return False
        self._submit(_Update(public=public))
        return True

    def undo(self) -> bool:
        """Revert the last edit not yet undone; False when there is none."""
        if not self._history:
            return False
        edit = self._history.pop()
        inverse = edit.inverse()
        inverse.label = f"undo ({edit.label})"
        self._submit(inverse, undoes=edit)
        return True

    async def reload(self) -> None:
        """Read the list again from the backend (after the queued edits); forgets undo history."""
        await self.idle()
        rows = await self.backend.load()
        self._reset(rows)
        self._emit(Changed("reload"))

    def retrack(self, backend_id: str, track: Track) -> None:
        """Show what is now known of a row's track (a file's tags); no edit is made."""
        key = self.key_of(backend_id)
        rows = self._state.rows
        n = next((n for n, row in enumerate(rows) if row.key == key), None)
        if key is None or n is None or rows[n].track == track:
            return
        rows[n] = Row(key, track)
        self.version += 1
        self._emit(Changed("retrack"))

    def matches_backend(self, ids: Sequence[str]) -> bool:
        """Whether the backend's rows `ids` are the rows shown (the queue: changed elsewhere?)."""
        return not self._jobs and list(ids) == self.backend_ids()

    # -- internals

    def _reset(self, rows: list[tuple[str, Track]]) -> None:
        self._state.rows = [Row(row_id, track) for row_id, track in rows]
        self._ids = {row_id: row_id for row_id, _ in rows}
        self._history.clear()
        if isinstance(self.backend, PlaylistBackend):
            self._state.name = self.backend.playlist.name
            self._state.public = self.backend.playlist.public
        self.version += 1

    def _places(self, keys: Iterable[str]) -> list[tuple[str, int]]:
        """(key, index) of the rows named, top to bottom."""
        wanted = set(keys)
        return [(r.key, i) for i, r in enumerate(self._state.rows) if r.key in wanted]

    def _submit_move(self, steps: list[_Step], where: str) -> bool:
        if not steps:
            return False
        rows = self._state.rows
        moved = [rows[s.origin] for s in steps]
        label = _tracks_label("move", moved) + f" {where}"
        self._submit(_Move(steps, label))
        return True

    def _submit(self, edit: _Edit, *, undoes: _Edit | None = None) -> None:
        job = _Job(edit, self._state.copy(), undoes)
        edit.apply(self._state)
        job.after = self._state.copy()
        if undoes is None:
            self._history.append(edit)
        self._jobs.append(job)
        self.version += 1
        self._emit(Changed("undo" if undoes else "edit"))
        self._idle.clear()
        if self._runner is None or self._runner.done():
            self._runner = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while self._jobs:
            job = self._jobs[0]
            self._partial = False
            try:
                await job.edit.send(self)
            except _ListChanged:
                await self._saved_on_a_changed_list(job)
            except Exception as exc:
                await self._refused(job, exc)
            else:
                self._jobs.popleft()
                self._emit(Saved(job.edit.label))
        self._idle.set()

    def _drop_queued(self) -> int:
        """Drop the queued jobs (made on top of one that went wrong) and their history."""
        dropped = list(self._jobs)
        self._jobs.clear()
        # Undo the history changes of every dropped job, newest first.
        for gone in reversed(dropped):
            if gone.undoes is not None:
                self._history.append(gone.undoes)
            elif self._history and self._history[-1] is gone.edit:
                self._history.pop()
        return len(dropped)

    async def _read_backend(self) -> list[tuple[str, Track]] | None:
        try:
            return await self.backend.load()
        except Exception:
            log.warning("could not read the list again after an edit went wrong")
            return None

    async def _refused(self, job: _Job, exc: Exception) -> None:
        if not isinstance(exc, SetlistError):
            log.exception("an edit failed unexpectedly")
            exc = ProviderError(f"something went wrong ({type(exc).__name__}).")
        partial = self._partial
        # What is true now is on the server: a refusal often means the list changed
        # elsewhere, part of the edit may have been saved, or its answer was lost.
        server = await self._read_backend()
        after = job.after
        if server is not None and after is not None and self._made(server, job.before, after):
            self._saved_after_all(job, after, server)
            return
        dropped = self._drop_queued() - 1
        self._state = job.before
        self.version += 1
        self._emit(Changed("rollback"))
        label = job.edit.label
        if server is None:
            self._emit(Refused(label, exc, dropped=dropped, unknown=partial))
        elif self._holds(server, job.before):
            # As it was: the rows keep their keys (and the undo history); ids are the server's.
            self._ids.update((r.key, i) for r, (i, _) in zip(job.before.rows, server, strict=True))
            self._emit(Refused(label, exc, dropped=dropped))
        else:
            partly = job.edit.partly() if partial else ""
            self._reset(server)
            self._emit(Changed("reload"))
            self._emit(Refused(label, exc, dropped=dropped, reloaded=True, partly=partly))

    def _saved_after_all(self, job: _Job, after: _State, server: list[tuple[str, Track]]) -> None:
        """The backend holds what the edit makes (its answer went wrong, not the edit)."""
        self._jobs.popleft()
        kept = {r.key for r in after.rows}
        for row in job.before.rows:
            if row.key not in kept:
                self._ids.pop(row.key, None)
        self._ids.update((r.key, i) for r, (i, _) in zip(after.rows, server, strict=True))
        self._emit(Saved(job.edit.label))

    async def _saved_on_a_changed_list(self, job: _Job) -> None:
        """The backend took the edit on a list changed elsewhere: show the backend's list."""
        self._jobs.popleft()
        later = list(self._jobs)
        dropped = self._drop_queued()
        server = await self._read_backend()
        if server is None:
            if later:
                self._state = later[0].before
            note = "The list had changed elsewhere: press ctrl+r to read it again."
        else:
            self._reset(server)
            note = "The list had changed elsewhere: it now shows what the server holds."
        self.version += 1
        self._emit(Changed("reload"))
        self._emit(Saved(job.edit.label, note=note))
        if dropped:  # made on the list as it was shown: they are not sent, and say so
            why = ProviderError("the playlist had changed elsewhere, so it was not sent.")
            reloaded = server is not None
            self._emit(Refused(later[0].edit.label, why, dropped=dropped - 1, reloaded=reloaded))

    def _made(self, server: list[tuple[str, Track]], before: _State, after: _State) -> bool:
        """Whether the backend holds what an edit makes, and not what was there before it."""
        return not self._holds(server, before) and self._holds(server, after)

    def _holds(self, server: list[tuple[str, Track]], state: _State) -> bool:
        """Whether the backend's rows (and name) are those of `state`, track for track."""
        if [t.id for _, t in server] != [r.track.id for r in state.rows]:
            return False
        playlist = self.playlist
        return playlist is None or (playlist.name, playlist.public) == (state.name, state.public)

    def _renumber(self, rows: list[Row], listed: Listed) -> None:
        """The backend gave every row in `rows` a new id; `listed` is its whole list."""
        if [t for _, t in listed] != [r.track.id for r in rows]:
            raise _ListChanged
        self._ids.update((r.key, i) for r, (i, _) in zip(rows, listed, strict=True))

    def _emit(self, event: EditEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("an edit listener failed")


class PlaylistSessions:
    """The edit sessions of the playlists opened so far, one per playlist, for the whole app.

    The playlist screen and the playlist picker share them, so tracks added from a
    search go through the same session as the moves made on the playlist's screen,
    and `u` there undoes either.
    """

    def __init__(self, source: PlaylistSource | None) -> None:
        self.source = source
        self._open: dict[str, EditSession] = {}
        # Sessions let go of (forget, reset) while their edits were still on their way.
        self._let_go: list[EditSession] = []
        self._lock = asyncio.Lock()
        self._listeners: list[Callable[[str, EditEvent], None]] = []

    def subscribe(self, listener: Callable[[str, EditEvent], None]) -> Callable[[], None]:
        """Hear (playlist id, event) from every session (a list of playlists shows renames)."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _forward(self, playlist_id: str) -> Listener:
        def forward(event: EditEvent) -> None:
            for listener in list(self._listeners):
                listener(playlist_id, event)

        return forward

    async def open(self, playlist_id: str) -> EditSession:
        """The playlist's session, read from the server the first time."""
        async with self._lock:
            session = self._open.get(playlist_id)
            if session is None:
                if self.source is None:
                    raise SignInRequired("Sign in to YourMusic to see and edit your playlists.")
                session = await EditSession.open_playlist(self.source, playlist_id)
                session.subscribe(self._forward(playlist_id))
                self._open[playlist_id] = session
            return session

    def get(self, playlist_id: str) -> EditSession | None:
        return self._open.get(playlist_id)

    def forget(self, playlist_id: str) -> None:
        self._let_go_of([self._open.pop(playlist_id, None)])

    def reset(self, source: PlaylistSource | None) -> None:
        """Someone signed in or out: start again with `source` (None: signed out)."""
        self.source = source
        self._let_go_of(list(self._open.values()))
        self._open.clear()

    def busy(self) -> list[EditSession]:
        """The sessions with edits still on their way (what quitting waits for)."""
        self._let_go = [s for s in self._let_go if s.busy]
        return [s for s in [*self._open.values(), *self._let_go] if s.busy]

    def _let_go_of(self, sessions: Iterable[EditSession | None]) -> None:
        self._let_go += [s for s in sessions if s is not None and s.busy]
